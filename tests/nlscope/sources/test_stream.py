"""Captures as streams: FIFOs, pipes, /dev/stdin and file objects read without a seek, frame
by frame as they arrive; gzip decompressed a piece at a time, its faults said in one line."""
import os
import subprocess
import sys
import threading
import tracemalloc

import pytest

from nlscope.sources import CaptureError, read_capture
from tests.conftest import CAPTURES
from tests.nlscope.sources import craft
from tests.nlscope.sources.craft import DONE, cooked

PCAPNG = CAPTURES / "rtnl-extack.pcapng"
ROOT = CAPTURES.parent


def _all(source):
    frames, error = [], None
    try:
        for fr in read_capture(source):
            frames.append(fr.header + fr.data)
    except CaptureError as exc:
        error = str(exc)
    return frames, error


FULL, _ = _all(str(PCAPNG))


def test_fifo_is_read_as_it_is_written(tmp_path):
    """The first frame is yielded while the writer still holds the rest back."""
    fifo = tmp_path / "cap.fifo"
    os.mkfifo(fifo)
    raw = PCAPNG.read_bytes()
    blocks = craft.pcapng_blocks(raw)
    first_end = sum(len(b) for b in blocks[:3])      # the SHB, the IDB, the first EPB
    got_first = threading.Event()

    def writer():
        with open(fifo, "wb") as w:
            w.write(raw[:first_end])
            w.flush()
            got_first.wait(20)
            w.write(raw[first_end:])
    t = threading.Thread(target=writer)
    t.start()
    frames, streamed = [], None
    for fr in read_capture(str(fifo)):
        if streamed is None:
            streamed = not got_first.is_set()
            got_first.set()
        frames.append(fr.header + fr.data)
    t.join()
    assert streamed and frames == FULL


@pytest.mark.parametrize("how", ["/dev/stdin", "-", "/dev/fd"])
def test_pipes_are_read_without_seeking(tmp_path, how):
    """`read /dev/stdin`, `read -` and `read <(cat f)` when the input is a pipe."""
    code = ("import sys\nfrom nlscope.sources import read_capture, CaptureError\n"
            "path = sys.argv[1] if sys.argv[1] != '/dev/fd' else f'/dev/fd/{sys.stdin.fileno()}'\n"
            "try:\n    n = sum(1 for _ in read_capture(path))\nexcept CaptureError as e:\n"
            "    print('ERR', e); sys.exit(2)\nprint(n)\n")
    cat = subprocess.Popen(["cat", str(PCAPNG)], stdout=subprocess.PIPE)
    r = subprocess.run([sys.executable, "-c", code, how], stdin=cat.stdout, capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    cat.wait()
    assert r.returncode == 0 and r.stdout.strip() == str(len(FULL)), r.stderr[-2000:]


def test_a_binary_file_object(tmp_path):
    r, w = os.pipe()
    raw = PCAPNG.read_bytes()
    t = threading.Thread(target=lambda: (os.write(w, raw), os.close(w)))
    t.start()
    with os.fdopen(r, "rb") as f:
        frames, err = _all(f)
    t.join()
    assert err is None and frames == FULL


def test_gzip_streams_in_flat_memory(tmp_path):
    """Ten times the gzip, about the same peak: decompressed as read, not whole."""
    frames = list(read_capture(str(PCAPNG)))
    one = [fr.header + fr.data for fr in frames]

    def peak(rounds):
        path = tmp_path / f"r{rounds}.pcapng.gz"
        path.write_bytes(craft.gz(craft.pcapng(one * rounds)))
        tracemalloc.start()
        n = sum(1 for _ in read_capture(str(path)))
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return n, top
    n1, p1 = peak(20)
    n2, p2 = peak(200)
    assert n2 == 10 * n1
    assert p2 < p1 + 1_000_000, (p1, p2)


def test_gzip_cut_short_keeps_what_decompressed_and_says_so(tmp_path):
    z = craft.gz(PCAPNG.read_bytes())
    path = tmp_path / "cut.pcapng.gz"
    path.write_bytes(z[:len(z) // 2])
    frames, err = _all(str(path))
    assert 10 < len(frames) < len(FULL) and frames == FULL[:len(frames)]
    assert err and "\n" not in err and "gzip stream is cut short" in err and "frames before it were read" in err


def test_gzip_cut_at_a_record_boundary_is_still_said(tmp_path):
    """Every block decompressed whole, the gzip end (CRC, size) missing: all frames, then the line."""
    import zlib
    c = zlib.compressobj(1, zlib.DEFLATED, 31)
    path = tmp_path / "notrailer.pcapng.gz"
    path.write_bytes(c.compress(PCAPNG.read_bytes()) + c.flush(zlib.Z_SYNC_FLUSH))
    frames, err = _all(str(path))
    assert frames == FULL and err and "gzip stream is cut short" in err


def test_gzip_damaged_and_trailing_data(tmp_path):
    raw = PCAPNG.read_bytes()
    z = bytearray(craft.gz(raw))
    z[len(z) // 2] ^= 0x55
    path = tmp_path / "bad.pcapng.gz"
    path.write_bytes(bytes(z))
    frames, err = _all(str(path))
    assert frames == FULL[:len(frames)] and err and "\n" not in err and ("gzip" in err or "damaged" in err)
    # members one after another, zero padding between and after: all of it, no error
    half = len(raw) // 2
    path.write_bytes(craft.gz(raw[:half]) + b"\0" * 5 + craft.gz(raw[half:]) + b"\0\0")
    assert _all(str(path)) == (FULL, None)
    path.write_bytes(craft.gz(raw) + b"junk")
    frames, err = _all(str(path))
    assert frames == FULL and "not gzip" in err


def test_gzip_bomb_is_bounded(tmp_path):
    """A pcapng header and then 100 MB of zeros, gzipped to ~100 KB: one error, no 100 MB."""
    import zlib
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [c.compress(craft.shb() + craft.idb())]
    zeros = b"\0" * (1 << 20)
    parts += [c.compress(zeros) for _ in range(100)]
    parts.append(c.flush())
    path = tmp_path / "bomb.pcapng.gz"
    path.write_bytes(b"".join(parts))
    tracemalloc.start()
    frames, err = _all(str(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert frames == [] and err and "\n" not in err and peak < 8 << 20, peak


def _limited(code: str, stdin, limit=512 << 20, timeout=60):
    pre = ("import resource\nresource.setrlimit(resource.RLIMIT_AS, (%d, %d))\n" % (limit, limit))
    return subprocess.run([sys.executable, "-c", pre + code], stdin=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def test_stdin_of_dev_zero_is_one_line_in_bounded_memory():
    """`nlscope read - < /dev/zero`: read whole before, a MemoryError; now 'not a capture'."""
    code = ("from nlscope.sources import read_capture, CaptureError\n"
            "try:\n    list(read_capture('-'))\nexcept CaptureError as e:\n    print(e)\n")
    with open("/dev/zero", "rb") as zero:
        r = _limited(code, zero)
    assert r.returncode == 0 and "not a pcap or pcapng capture" in r.stdout, r.stderr[-2000:]


def test_stdin_pcapng_of_zeros_after_a_header(tmp_path):
    """A header then endless zeros on a pipe: a block of length 0, one line, memory bounded."""
    code = ("from nlscope.sources import read_capture, CaptureError\n"
            "try:\n    list(read_capture('-'))\nexcept CaptureError as e:\n    print(e)\n")
    head = craft.shb() + craft.idb() + craft.epb(0, 0, cooked(DONE))
    (tmp_path / "h").write_bytes(head)
    feeder = subprocess.Popen(["sh", "-c", "cat \"$0\"; cat /dev/zero", str(tmp_path / "h")], stdout=subprocess.PIPE)
    try:
        r = _limited(code, feeder.stdout)
    finally:
        feeder.kill()
        feeder.wait()
    assert "damaged record after frame" in r.stdout or "capture header" in r.stdout, (r.stdout, r.stderr[-2000:])


def test_a_file_object_that_returns_short_reads():
    """An unbuffered pipe returns what is there: a short read is not the end of the file."""
    r, w = os.pipe()
    raw = PCAPNG.read_bytes()

    def writer():
        for i in range(0, len(raw), 7):              # dribbled, 7 bytes at a time
            os.write(w, raw[i:i + 7])
        os.close(w)
    t = threading.Thread(target=writer)
    t.start()
    with os.fdopen(r, "rb", buffering=0) as f:
        frames, err = _all(f)
    t.join()
    assert err is None and frames == FULL


def test_a_read_error_is_one_line():
    """EIO in the middle of a file (a failing disk, a vanished mount): the frames before, then one line."""
    import io

    class Failing(io.RawIOBase):
        def __init__(self, data, fail_at):
            self.data, self.pos, self.fail_at = data, 0, fail_at

        def readable(self):
            return True

        def readinto(self, b):
            if self.pos >= self.fail_at:
                raise OSError(5, "Input/output error")
            n = min(len(b), self.fail_at - self.pos, len(self.data) - self.pos)
            b[:n] = self.data[self.pos:self.pos + n]
            self.pos += n
            return n
    raw = PCAPNG.read_bytes()
    frames, err = _all(io.BufferedReader(Failing(raw, len(raw) // 2)))
    assert 10 < len(frames) < len(FULL) and frames == FULL[:len(frames)]
    assert err and "Input/output error" in err and "frames before it were read" in err and "\n" not in err
    frames, err = _all(io.BufferedReader(Failing(raw, 0)))
    assert frames == [] and "cannot be read (Input/output error)" in err
