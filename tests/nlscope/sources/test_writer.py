"""pcapng out: the tcpdump header bytes, and read -> write -> read keeps every byte and time."""
import io
import shutil
import subprocess

import pytest

from nlscope.sources import read_capture
from nlscope.sources.capture import Frame
from nlscope.sources.writer import PcapngWriter, netlink_header
from tests.conftest import CAPTURES, PYROUTE2_PCAP


def test_header_is_what_tcpdump_writes():
    # the first frame of a tcpdump capture on nlmon0 (pkttype 4, ARPHRD_NETLINK, NETLINK_ROUTE)
    fr = next(iter(read_capture(str(CAPTURES / "rtnl-extack.pcapng"))))
    assert fr.header == netlink_header(0, 4) == bytes.fromhex("00040338000000000000000000000000")
    pyroute2 = next(iter(read_capture(str(PYROUTE2_PCAP))))
    assert pyroute2.header == netlink_header(16, 4)


@pytest.mark.parametrize("src", [PYROUTE2_PCAP, CAPTURES / "mixed.pcapng", CAPTURES / "nlscope-test.pcapng"])
def test_round_trip(tmp_path, src):
    frames = list(read_capture(str(src)))
    out = tmp_path / "rt.pcapng"
    with open(out, "wb") as f:
        w = PcapngWriter(f)
        for fr in frames:
            w.write(fr, "nlmon0")
    again = list(read_capture(str(out)))
    assert [(f.header + f.data, f.ts_ns, f.protocol) for f in frames] == \
           [(f.header + f.data, f.ts_ns, f.protocol) for f in again]


def test_live_style_frame_and_comment(tmp_path):
    buf = io.BytesIO()
    w = PcapngWriter(buf)
    fr = Frame(1, 1.5, b"\x14\0\0\0\x03\0\x02\0\1\0\0\0\2\0\0\0\0\0\0\0", 0, 20, 20, ts_ns=1_500_000_123)
    w.write(fr, "nlmon0", comment="nlscope.process pid=42 comm=ip")
    (tmp_path / "c.pcapng").write_bytes(buf.getvalue())
    (back,) = read_capture(str(tmp_path / "c.pcapng"))
    assert back.header == netlink_header(0) and back.ts_ns == 1_500_000_123
    assert back.comment == "nlscope.process pid=42 comm=ip"


def test_wireshark_opens_it(tmp_path):
    assert shutil.which("tshark"), "tshark missing: tools/run-tests installs it"
    out = tmp_path / "w.pcapng"
    with open(out, "wb") as f:
        w = PcapngWriter(f)
        for fr in read_capture(str(CAPTURES / "rtnl-extack.pcapng")):
            w.write(fr, "nlmon0")
    r = subprocess.run(["tshark", "-r", str(out)], capture_output=True, text=True)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 114


@pytest.mark.parametrize("ts_ns,time,written", [
    (-5, 0.0, 0),                                  # before 1970 (a negative if_tsoffset): 0
    (2**70, 0.0, 2**64 - 1),                       # past what 64 bits of nanoseconds hold: the largest
    ((2**64 - 1) * 10**9, 0.0, 2**64 - 1),         # if_tsresol of seconds and garbage ticks
    (0, -1.5, 0),                                  # no exact time, a negative float one
    (0, float("inf"), 0),
    (0, float("nan"), 0),
])
def test_garbage_timestamp_is_clamped_and_the_frame_kept(tmp_path, ts_ns, time, written):
    """-w of a hostile file's frames: struct.error before; now the time is clamped, the frame written."""
    buf = io.BytesIO()
    w = PcapngWriter(buf)
    fr = Frame(1, time, b"\x14\0\0\0\x03\0\x02\0\1\0\0\0\2\0\0\0\0\0\0\0", 0, 20, 20, ts_ns=ts_ns)
    w.write(fr, "nlmon0")
    (tmp_path / "t.pcapng").write_bytes(buf.getvalue())
    (back,) = read_capture(str(tmp_path / "t.pcapng"))
    assert back.ts_ns == written and back.data == fr.data


def test_a_frame_with_a_fault_is_not_written():
    """Its packet block named no interface: there is no link type to write it with."""
    buf = io.BytesIO()
    w = PcapngWriter(buf)
    size = len(buf.getvalue())
    w.write(Frame(3, 0.0, b"raw", -1, 3, 3, -1, -1, b"", 0, None, "no such interface"))
    assert len(buf.getvalue()) == size
