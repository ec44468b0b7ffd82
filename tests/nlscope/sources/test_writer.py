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
