"""dumpcap's ring buffer and autostop for `capture -w`: -b switches to a new file, -a stops.

    -b filesize:KB   a new file once this one holds KB kB (1 kB = 1000 bytes, as dumpcap counts)
    -b duration:S    a new file every S seconds (an idle capture too: the files stay in step)
    -b packets:N     a new file after N frames
    -b files:N       keep the newest N files: the oldest is deleted as a new one opens
    -a duration:S    stop after S seconds (the capture's own timer: LiveCapture.frames)
    -a packets:N     stop after N frames written
    -a filesize:KB   stop once the file holds KB kB (with -b: switch, as dumpcap does)
    -a files:N       stop after N files

With -b the files are named as dumpcap names them: `-w PREFIX.pcapng` makes
PREFIX_NNNNN_YYYYmmddHHMMSS.pcapng (numbered from 00001, modulo 100000; the local time the
file was opened); without -b, -w's name as given.  Each file is a whole pcapng file the
moment it is closed: its own section header, its interface declared as it opens (an idle
file too), then its frames.  The clocks are passed in, so rotation is tested without a
capture or a wait.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

from .capture import LINKTYPE_NETLINK
from .writer import PcapngWriter

KB = 1000                  # dumpcap's kB
MAX_NUM_FILES = 100000     # file numbers are modulo this (ringbuffer.c: RINGBUFFER_MAX_NUM_FILES)
_B_KEYS = {"filesize": "KB", "duration": "SECONDS", "packets": "N", "files": "N"}
_A_KEYS = {"duration": "SECONDS", "packets": "N", "filesize": "KB", "files": "N"}


@dataclass
class Limits:
    """What -b and -a asked for (None: no such limit)."""
    file_kb: int | None = None          # -b filesize
    file_seconds: float | None = None   # -b duration
    file_packets: int | None = None     # -b packets
    files: int | None = None            # -b files
    stop_seconds: float | None = None   # -a duration
    stop_packets: int | None = None     # -a packets
    stop_kb: int | None = None          # -a filesize
    stop_files: int | None = None       # -a files

    @property
    def ring(self) -> bool:
        """-b was given: the files are numbered, and switched."""
        return any(x is not None for x in (self.file_kb, self.file_seconds, self.file_packets, self.files))

    @property
    def writes(self) -> bool:
        """A limit that RingWriter keeps (all but -a duration)."""
        return self.ring or any(x is not None for x in (self.stop_packets, self.stop_kb, self.stop_files))


def parse_limits(ring: list[str], autostop: list[str]) -> Limits:
    """Limits from -b and -a values (KEY:VALUE each); ValueError saying what is wrong in one line."""
    lim = Limits()
    for opt, items, keys in (("-b", ring, _B_KEYS), ("-a", autostop, _A_KEYS)):
        for item in items:
            key, _, val = item.partition(":")
            if key not in keys:
                raise ValueError(f"{opt} {item}: write " + ", ".join(f"{k}:{v}" for k, v in keys.items())
                                 + f", e.g. {opt} {'duration:10' if opt == '-a' else 'filesize:10000'}")
            try:
                number = float(val) if keys[key] == "SECONDS" else int(val, 10)
                if not number > 0 or number != number or number == float("inf"):
                    raise ValueError
            except ValueError:
                what = "a number of seconds" if keys[key] == "SECONDS" else "a whole number"
                raise ValueError(f"{opt} {item}: {key} needs {what} above 0") from None
            attr = {("-b", "filesize"): "file_kb", ("-b", "duration"): "file_seconds",
                    ("-b", "packets"): "file_packets", ("-b", "files"): "files",
                    ("-a", "duration"): "stop_seconds", ("-a", "packets"): "stop_packets",
                    ("-a", "filesize"): "stop_kb", ("-a", "files"): "stop_files"}[opt, key]
            setattr(lim, attr, number)
    if lim.ring and lim.file_kb is None and lim.file_seconds is None and lim.file_packets is None \
            and lim.stop_kb is None:
        raise ValueError("-b files:N keeps N files, but nothing says when to start the next one: add -b filesize:KB, "
                         "-b duration:S or -b packets:N")
    if lim.stop_files is not None and not lim.ring:
        raise ValueError("-a files:N stops after N files of a ring buffer: add -b (e.g. -b filesize:10000)")
    return lim


def ring_names(path: str) -> tuple[str, str]:
    """(prefix, suffix) of the files of -w `path`: the suffix is the last component's last '.'
    and what follows it, as ringbuffer.c splits the name (none when that component has no '.')."""
    head, tail = os.path.split(path)
    dot = tail.rfind(".")
    if dot < 0:
        return path, ""
    return os.path.join(head, tail[:dot]) if head else tail[:dot], tail[dot:]


class RingWriter:
    """Frames to -w's file or, with -b, to its ring of files; write() and tick() return False
    once an -a limit is reached (`stopped` then says which), and then write nothing more.

    `open_file(name)` opens a file to write (truncating it), `remove(name)` deletes one;
    `clock()` measures durations (seconds, monotonic), `wall()` is the time files are named
    after (seconds since the epoch, shown in local time)."""

    def __init__(self, path: str, limits: Limits, ifname: str = "", open_file=None, remove=os.unlink,
                 clock=time.monotonic, wall=time.time):
        self.path, self.limits, self.ifname = path, limits, ifname
        self._open = open_file or (lambda name: open(name, "wb"))
        self._remove, self._clock, self._wall = remove, clock, wall
        self.names: list[str] = []   # the files kept, oldest first (-b files:N: at most N)
        self.number = 0              # files opened
        self.packets = 0             # frames written, in every file
        self.stopped: str | None = None
        self._f = self._writer = None
        self._done = False
        self._next_file()

    @property
    def current(self) -> str:
        return self.names[-1]

    def _next_file(self) -> None:
        lim = self.limits
        self.number += 1
        if lim.ring:
            prefix, suffix = ring_names(self.path)
            stamp = time.strftime("%Y%m%d%H%M%S", time.localtime(self._wall()))
            name = f"{prefix}_{self.number % MAX_NUM_FILES:05d}_{stamp}{suffix}"
        else:
            name = self.path
        if lim.files is not None and len(self.names) >= lim.files:
            old = self.names.pop(0)
            try:
                self._remove(old)
            except FileNotFoundError:   # moved away or deleted already: nothing to do
                pass
        self._f = self._open(name)
        self.names.append(name)
        self._opened, self._bytes, self._packets = self._clock(), 0, 0
        self._done = False   # full: the next frame goes to the next file
        self._writer = PcapngWriter(_Counting(self._f, self))
        self._writer.interface(LINKTYPE_NETLINK, self.ifname)   # declared now: an idle file is whole too

    def _close_file(self) -> None:
        f, self._f = self._f, None
        if f is not None:
            f.close()

    def _full(self, why: str) -> bool:
        """The file is done: the next frame starts the next one (with -b; none is made empty
        beforehand), or this is the end (`stopped` says why).  False at the end."""
        lim = self.limits
        if not lim.ring:
            self.stopped = why             # -a filesize alone
        elif lim.stop_files is not None and self.number >= lim.stop_files:
            self.stopped = "files"
        else:
            self._done = True
            return True
        return False

    def _switch(self) -> None:
        self._close_file()
        self._next_file()

    def _timed_out(self) -> bool:
        return self.limits.file_seconds is not None and self._clock() - self._opened >= self.limits.file_seconds

    def write(self, frame, ifname: str = "", comment: str | None = None) -> bool:
        """Write one frame (PcapngWriter.write); False once a limit stops the capture."""
        if self.stopped is not None:
            return False
        lim = self.limits
        if not self._done and self._timed_out() and not self._full("duration"):
            return False
        if self._done:
            self._switch()
        self._writer.write(frame, ifname, comment)
        self.packets += 1
        self._packets += 1
        if lim.stop_packets is not None and self.packets >= lim.stop_packets:
            self.stopped = "packets"
            return False
        if lim.file_kb is not None and self._bytes >= lim.file_kb * KB or \
                lim.stop_kb is not None and self._bytes >= lim.stop_kb * KB:
            return self._full("filesize")
        if lim.file_packets is not None and self._packets >= lim.file_packets:
            return self._full("packets")
        return True

    def tick(self) -> bool:
        """Between frames (the capture idle or not): -b duration starts the next file on time,
        so the files stay in step with the clock; False once a limit stops the capture."""
        if self.stopped is not None:
            return False
        if self._timed_out():
            if not self._full("duration"):
                return False
            self._switch()
        return True

    def flush(self) -> None:
        if self._f is not None:
            self._f.flush()

    def close(self) -> None:
        self._close_file()


class _Counting:
    """The file a PcapngWriter writes to, counting the bytes into its RingWriter."""

    def __init__(self, f, ring: RingWriter):
        self._f, self._ring = f, ring

    def write(self, data: bytes) -> int:
        n = self._f.write(data)
        self._ring._bytes += len(data)
        return n

    def flush(self) -> None:
        self._f.flush()
