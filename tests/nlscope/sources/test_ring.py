"""capture's -b and -a (sources/ring.py), driven by a fake clock and fake frames: file names
as dumpcap makes them, when a file ends, which files are kept, and that every file is a
whole pcapng file (section header, interface, frames) once closed."""
import io
import struct
import time

import pytest

from nlscope.sources import read_capture
from nlscope.sources.capture import Frame
from nlscope.sources.ring import Limits, RingWriter, parse_limits, ring_names

T0 = 1_764_601_200.0   # 2025-12-01 15:00:00 UTC


class FakeDisk:
    """Files in memory: open_file and remove as RingWriter calls them; `closed` keeps the
    bytes of each file at the moment it was closed."""

    def __init__(self):
        self.files: dict[str, io.BytesIO] = {}
        self.closed: dict[str, bytes] = {}
        self.removed: list[str] = []

    def open_file(self, name):
        disk = self

        class File(io.BytesIO):
            def close(self):
                disk.closed[name] = self.getvalue()
                super().close()
        f = self.files[name] = File()
        return f

    def remove(self, name):
        self.removed.append(name)
        del self.files[name]

    def data(self, name) -> bytes:
        return self.closed.get(name) if self.files[name].closed else self.files[name].getvalue()


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def frame(n: int, size: int = 20) -> Frame:
    data = struct.pack("=IHHII", size, 16, 0, n, 0) + bytes(size - 16)
    return Frame(n, T0 + n, data, 0, len(data) + 16, len(data) + 16)


def ring(limits: Limits, path="/cap/out.pcapng"):
    disk, clock = FakeDisk(), FakeClock()
    w = RingWriter(path, limits, "nlmon0", open_file=disk.open_file, remove=disk.remove, clock=clock,
                   wall=lambda: T0 + clock.t)
    return w, disk, clock


def blocks(raw: bytes) -> list[int]:
    """The block types of a pcapng file, AssertionError unless it is whole blocks to its end."""
    pos, types = 0, []
    while pos < len(raw):
        btype, blen = struct.unpack_from("<II", raw, pos)
        assert blen >= 12 and pos + blen <= len(raw) and struct.unpack_from("<I", raw, pos + blen - 4)[0] == blen
        types.append(btype)
        pos += blen
    return types


def whole(raw: bytes) -> int:
    """Frames in a complete pcapng file: a section header, then the interface, then frames."""
    types = blocks(raw)
    assert types[:2] == [0x0A0D0D0A, 1] and set(types[2:]) <= {6}, types
    return sum(1 for _ in read_capture(io.BytesIO(raw)))


def stamp(seconds: float) -> str:
    return time.strftime("%Y%m%d%H%M%S", time.localtime(T0 + seconds))


def test_names_are_dumpcaps():
    assert ring_names("/cap/out.pcapng") == ("/cap/out", ".pcapng")
    assert ring_names("out") == ("out", "")
    assert ring_names("/a.d/out") == ("/a.d/out", "")          # a dot in a directory is no suffix
    assert ring_names("out.tar.pcapng") == ("out.tar", ".pcapng")
    w, disk, clock = ring(parse_limits(["duration:60"], []))
    clock.t = 60
    assert w.tick()
    assert list(disk.files) == [f"/cap/out_00001_{stamp(0)}.pcapng", f"/cap/out_00002_{stamp(60)}.pcapng"]


def test_filesize_switches_after_the_frame_that_fills_the_file():
    w, disk, clock = ring(parse_limits(["filesize:1"], []))   # 1 kB = 1000 bytes
    for n in range(1, 41):
        assert w.write(frame(n, 100), "nlmon0")
    names = list(disk.files)
    assert len(names) > 3
    counts = [whole(disk.data(name)) for name in names]
    assert sum(counts) == 40
    for name in names[:-1]:   # each closed file reached 1000 bytes with its last frame, not before
        raw = disk.closed[name]
        assert len(raw) >= 1000 and len(raw) - (12 + 20 + 16 + 100 + 16) < 1000


def test_files_keeps_the_newest_and_deletes_the_oldest():
    w, disk, clock = ring(parse_limits(["packets:2", "files:3"], []))
    for n in range(1, 12):
        w.write(frame(n), "nlmon0")
    assert len(disk.files) == 3 and w.number == 6
    assert [name.split("_")[1] for name in disk.removed] == ["00001", "00002", "00003"]
    kept = [whole(disk.data(name)) for name in disk.files]
    assert kept == [2, 2, 1]
    assert [struct.unpack_from("=I", fr.data, 8)[0] for fr in read_capture(io.BytesIO(disk.data(w.current)))] == [11]


def test_duration_starts_files_on_time_even_when_idle():
    w, disk, clock = ring(parse_limits(["duration:10"], []))
    w.write(frame(1), "nlmon0")
    clock.t = 9.9
    assert w.tick() and len(disk.files) == 1
    clock.t = 10
    assert w.tick() and len(disk.files) == 2
    clock.t = 25
    assert w.tick() and len(disk.files) == 3   # 10 s after the second file opened (at 10)
    first, second, third = disk.files
    assert whole(disk.closed[first]) == 1 and whole(disk.closed[second]) == 0   # an idle file is whole too
    clock.t = 36
    w.write(frame(2), "nlmon0")                # the frame goes to a new file: the third's time is up
    assert len(disk.files) == 4 and whole(disk.data(w.current)) == 1


def test_autostop_packets_filesize_files():
    w, disk, _ = ring(parse_limits([], ["packets:5"]))
    assert [w.write(frame(n), "nlmon0") for n in range(1, 6)] == [True] * 4 + [False]
    assert w.stopped == "packets" and not w.write(frame(6), "nlmon0")
    w.close()
    assert list(disk.files) == ["/cap/out.pcapng"] and whole(disk.closed["/cap/out.pcapng"]) == 5

    w, disk, _ = ring(parse_limits([], ["filesize:1"]))
    n = 0
    while w.write(frame(n + 1, 100), "nlmon0"):
        n += 1
    assert w.stopped == "filesize" and list(disk.files) == ["/cap/out.pcapng"]
    w.close()
    assert whole(disk.closed["/cap/out.pcapng"]) == n + 1 and len(disk.closed["/cap/out.pcapng"]) >= 1000

    # several together: switch every 3 frames, stop after 3 files
    w, disk, _ = ring(parse_limits(["packets:3"], ["files:3"]))
    results = [w.write(frame(n), "nlmon0") for n in range(1, 12)]
    assert w.stopped == "files" and results.index(False) == 8 and len(disk.files) == 3
    w.close()
    assert [whole(disk.closed[name]) for name in disk.files] == [3, 3, 3]


def test_files_numbers_wrap_as_dumpcaps():
    w, disk, clock = ring(parse_limits(["packets:1", "files:2"], []))
    w.number = 99998
    for n in (1, 2, 3):
        w.write(frame(n), "nlmon0")
    assert [name.split("_")[1] for name in disk.files][-2:] == ["99999", "00000"]


@pytest.mark.parametrize("b,a,message", [
    (["size:10"], [], "-b size:10: write filesize:KB, duration:SECONDS, packets:N, files:N, e.g. -b filesize:10000"),
    (["filesize:0"], [], "-b filesize:0: filesize needs a whole number above 0"),
    (["duration:soon"], [], "-b duration:soon: duration needs a number of seconds above 0"),
    ([], ["forever"], "-a forever: write duration:SECONDS, packets:N, filesize:KB, files:N, e.g. -a duration:10"),
    ([], ["duration:nan"], "-a duration:nan: duration needs a number of seconds above 0"),
    (["files:3"], [], "-b files:N keeps N files, but nothing says when to start the next one: add -b filesize:KB, "
                      "-b duration:S or -b packets:N"),
    ([], ["files:3"], "-a files:N stops after N files of a ring buffer: add -b (e.g. -b filesize:10000)"),
])
def test_bad_options_are_one_line(b, a, message):
    with pytest.raises(ValueError) as e:
        parse_limits(b, a)
    assert str(e.value) == message


@pytest.mark.parametrize("args,message", [
    (["-b", "filesize:1000"], "nlscope: -b writes a ring buffer of files named after -w's: give -w FILE "
                              "(e.g. -w out.pcapng)"),
    (["-b", "filesize:1000", "-w", "-"], "nlscope: -b writes a ring buffer of files named after -w's: give -w FILE "
                                         "(e.g. -w out.pcapng)"),
    (["-a", "filesize:10"], "nlscope: -a filesize:KB stops when the -w file holds KB kB: give -w FILE"),
    (["-c", "0"], "nlscope: -c needs a count of 1 or more"),
    (["-a", "packets:x"], "nlscope: -a packets:x: packets needs a whole number above 0"),
])
def test_capture_refuses_in_one_line(capsys, args, message):
    """Refused before any socket is opened (no nlmon interface needed), exit status 2."""
    from nlscope.cli import main
    assert main(["capture", "-i", "nlmon-none0"] + args) == 2
    assert capsys.readouterr().err == message + "\n"
