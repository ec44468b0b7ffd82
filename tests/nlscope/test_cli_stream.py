"""Captures read as they are written (issue 20): `tcpdump -U -w - | nlscope read -` shows
each frame as it arrives, `read --follow FILE` follows a file another program is writing,
and the Python API reads file objects and iterables of bytes."""
import gzip
import io
import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import CAPTURES

ROOT = Path(__file__).resolve().parents[2]
PCAP_HEADER = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 253)


def record(seq: int) -> bytes:
    """A pcap record: an RTM_GETLINK dump request (as `ip link` sends it) in an nlmon frame."""
    nl = struct.pack("=IHHII", 32, 18, 0x301, seq, 0) + bytes(16)
    data = struct.pack(">HHH8sH", 4, 824, 0, b"", 0) + nl
    return struct.pack("<IIII", 1_700_000_000 + seq, 0, len(data), len(data)) + data


def nlscope(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "nlscope", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)


def read_until(p, lines: int, timeout: float = 20.0) -> bytes:
    """What p printed until `lines` lines came (AssertionError after `timeout` seconds)."""
    got = b""
    end = time.monotonic() + timeout
    while got.count(b"\n") < lines:
        left = end - time.monotonic()
        assert left > 0, f"only this came in {timeout} s: {got!r}"
        if select.select([p.stdout], [], [], left)[0]:
            chunk = os.read(p.stdout.fileno(), 65536)
            assert chunk, f"the output ended: {got!r} {p.stderr.read()!r}"
            got += chunk
    return got


@pytest.mark.parametrize("how,mark", [([], "\n{}.1 "), (["-T", "json"], '"frame":{},'), (["-V"], "Message {}.1:"),
                                      (["-l"], " {}.1 ")])
def test_a_pipe_is_shown_as_it_arrives(how, mark):
    """One frame in the pipe, the writer still there: it is shown before the second frame is
    written.  Nothing used to come until the writer closed the pipe (the columns' read-ahead
    waited for 4,096 frames, the output for a full buffer)."""
    p = nlscope("read", *how, "-", stdin=subprocess.PIPE)
    try:
        p.stdin.write(PCAP_HEADER + record(1))
        p.stdin.flush()
        got = b""
        while mark.format(1).encode() not in b"\n" + got:
            got += read_until(p, 1)
        assert mark.format(2).encode() not in b"\n" + got
        p.stdin.write(record(2))
        p.stdin.flush()
        while mark.format(2).encode() not in b"\n" + got:
            got += read_until(p, 1)
        p.stdin.close()
        got += p.stdout.read()
        assert p.wait(timeout=20) == 0, p.stderr.read()
    finally:
        p.kill()
        p.wait()
    whole = subprocess.run([sys.executable, "-m", "nlscope", "read", *how, "-"], cwd=ROOT, capture_output=True,
                           input=PCAP_HEADER + record(1) + record(2))
    assert got == whole.stdout   # what arrived in two parts prints what it prints all at once


def test_a_pipe_that_is_all_there_prints_what_the_file_prints(tmp_path):
    """The read-ahead stops where the pipe has to wait for its writer, not before: a pipe that
    keeps up (cat FILE |) prints what the file prints, columns and all."""
    for name in ("rtnl-extack.pcapng", "mixed.pcapng"):
        path = CAPTURES / name
        want = subprocess.run([sys.executable, "-m", "nlscope", "read", str(path)], cwd=ROOT, capture_output=True)
        with open(path, "rb") as f:
            got = subprocess.run([sys.executable, "-m", "nlscope", "read", "-"], cwd=ROOT, stdin=f,
                                 capture_output=True)
        assert got.returncode == want.returncode == 0 and got.stdout == want.stdout, name


def test_a_fifo_is_shown_as_it_arrives(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    p = nlscope("read", "-T", "json", str(fifo))
    try:
        with open(fifo, "wb", buffering=0) as w:
            w.write(PCAP_HEADER + record(7))
            assert json.loads(read_until(p, 1))["seq"] == 7
        assert p.wait(timeout=20) == 0
    finally:
        p.kill()
        p.wait()


def test_follow_reads_what_a_writer_appends_and_ends_on_a_signal(tmp_path):
    """--follow: records appended by another program are shown as they come; one written in two
    parts (the file ends inside it for a while) waits for its end instead of being called cut;
    SIGTERM (or SIGINT) ends it with status 0."""
    path = tmp_path / "growing.pcap"
    path.write_bytes(PCAP_HEADER + record(1))
    for sig in (signal.SIGTERM, signal.SIGINT):
        p = nlscope("read", "--follow", "-T", "json", str(path))
        try:
            there = 1 if sig == signal.SIGTERM else 3   # the second time, the file holds the first's three
            assert [json.loads(x)["seq"] for x in read_until(p, there).splitlines()] == list(range(1, there + 1))

            def write(seqs):
                with open(path, "ab", buffering=0) as f:
                    for s in seqs:
                        r = record(s)
                        f.write(r[:30])         # the file now ends inside the record
                        time.sleep(0.5)
                        f.write(r[30:])
            if sig == signal.SIGTERM:
                writer = threading.Thread(target=write, args=([2, 3],))
                writer.start()
                got = read_until(p, 2)
                writer.join()
                assert [json.loads(x)["seq"] for x in got.splitlines()] == [2, 3]
            p.send_signal(sig)
            assert p.wait(timeout=20) == 0
            assert p.stderr.read() == b""
        finally:
            p.kill()
            p.wait()


def wait_for_handler(p, sig, timeout: float = 30.0) -> bool:
    """Wait until p catches `sig` (its handler is installed: /proc/PID/status SigCgt)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and p.poll() is None:
        for line in Path(f"/proc/{p.pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:") and int(line.split()[1], 16) >> (sig - 1) & 1:
                return True
        time.sleep(0.05)
    return False


def test_follow_ends_the_last_frame_of_ek_on_a_signal(tmp_path):
    """-T ek writes a frame's document once the frame is done: stopped by a signal, --follow
    still writes the last one."""
    path = tmp_path / "growing.pcap"
    path.write_bytes(PCAP_HEADER + record(1))
    p = nlscope("read", "--follow", "-T", "ek", str(path))
    try:
        assert wait_for_handler(p, signal.SIGTERM)
        p.send_signal(signal.SIGTERM)   # what the file holds then is read, then the end
        out, err = p.communicate(timeout=30)
    finally:
        p.kill()
        p.wait()
    assert p.returncode == 0 and err == b"", err
    index, doc = out.splitlines()
    assert json.loads(index)["index"] and json.loads(doc)["layers"]["netlink"]


def test_follow_refuses_stdin():
    r = subprocess.run([sys.executable, "-m", "nlscope", "read", "--follow", "-"], cwd=ROOT, capture_output=True,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and r.stderr.decode().count("\n") == 1 and "--follow" in r.stderr.decode()


def test_the_api_reads_file_objects_and_iterables_of_bytes():
    import nlscope
    from nlscope.api import stream
    raw = (CAPTURES / "rtnl-extack.pcapng").read_bytes()
    want = [(m.frame, m.type_name, m.info) for m in nlscope.open(str(CAPTURES / "rtnl-extack.pcapng"))]
    chunks = [raw[i:i + 7] for i in range(0, len(raw), 7)]
    for source in (io.BytesIO(raw), io.BytesIO(gzip.compress(raw)), iter(chunks), chunks, raw,
                   (c for c in [gzip.compress(raw)])):
        assert [(m.frame, m.type_name, m.info) for m in nlscope.open(source)] == want
    assert [(m.frame, m.type_name, m.info) for m in stream(iter(chunks))] == want


def test_the_api_says_what_it_cannot_read():
    from nlscope.api import stream
    from nlscope.sources import CaptureError
    with pytest.raises(CaptureError, match="iterable gave a str"):
        list(stream(iter(["not bytes"])))
    with pytest.raises(CaptureError, match="not from int"):
        list(stream(42))


def test_the_api_streams_a_pipe_as_it_arrives():
    """stream() yields a frame's messages once the frame is read: no read-ahead."""
    from nlscope.api import stream
    r, w = os.pipe()
    os.write(w, PCAP_HEADER + record(1))
    msgs = stream(os.fdopen(r, "rb", buffering=0))
    try:
        assert next(msgs).seq == 1   # the writer has not closed the pipe: this would hang if it waited
    finally:
        os.close(w)
    assert list(msgs) == []
