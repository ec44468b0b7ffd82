"""Capture bytes as a stream: a path, stdin or a file object, gunzipped as it is read.

Nothing here seeks, so a FIFO, a pipe, `/dev/stdin` or `<(cat f)` reads like a file, and
nothing is read whole: gzip is decompressed a piece at a time (memory flat whatever the
ratio), and a record is read only once its length has been checked against `MAX_RECORD`
and, where the size is known, against what is left of the file.
"""
from __future__ import annotations

import io
import os
import stat
import sys
import zlib

MAX_RECORD = 256 << 20   # bytes: no pcap record or pcapng block is larger (a netlink skb is far smaller)
CHUNK = 1 << 20          # records larger than this are read a chunk at a time, so memory follows the data
GZIP_MAGIC = b"\x1f\x8b"


class RecordError(Exception):
    """A fault in the capture's structure, said in one line (without the file's name)."""


def read_exact(read, n: int) -> bytes:
    """Up to n bytes from `read` (fewer only at the end), never allocating far more than arrived."""
    if n <= CHUNK:
        return read(n)
    parts, got = [], 0
    while got < n:
        part = read(min(CHUNK, n - got))
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


class GzipStream:
    """read(n) over a gzip stream, decompressed incrementally (members one after another,
    zero padding between or after them allowed, as gzip(1) allows it).  Where the stream
    is cut or damaged, reading ends after what decompressed and `fault` says why."""

    def __init__(self, raw, prefix: bytes = b""):
        self._raw = raw
        self._input = prefix          # compressed bytes read but not yet decompressed
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._buf = b""
        self._pos = 0
        self._between = False         # at the end of a member: padding, another member, or the end
        self._done = False
        self.fault: str | None = None

    def _fill(self) -> bool:
        """More compressed input into self._input; False at the end of the raw stream."""
        more = self._raw.read(1 << 16)
        if not more:
            return False
        self._input += more
        return True

    def _next_member(self) -> bool:
        """After a member: skip zero padding; True if another member starts."""
        while True:
            self._input = self._input.lstrip(b"\0")
            if len(self._input) >= 2 or not self._fill():
                break
        if not self._input:
            return False
        if self._input[:2] != GZIP_MAGIC:
            self.fault = "is followed by data that is not gzip"
            return False
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._between = False
        return True

    def _more(self, want: int) -> bytes:
        """Some more decompressed bytes (at most about max(want, 256 KiB)); b"" at the end."""
        while not self._done:
            if self._between and not self._next_member():
                self._done = True
                break
            d = self._d
            if d.unconsumed_tail:
                data, self._input = d.unconsumed_tail + self._input, b""
            elif self._input:
                data, self._input = self._input, b""
            elif self._fill():
                continue
            else:
                self.fault = "is cut short (its end is missing)"
                self._done = True
                break
            try:
                out = d.decompress(data, max(want, 1 << 18))
            except zlib.error as exc:
                self.fault = f"is damaged ({exc})"
                self._done = True
                break
            if d.eof:
                self._input = d.unused_data + self._input
                self._between = True
            if out:
                return out
        return b""

    def read(self, n: int) -> bytes:
        buf, pos = self._buf, self._pos
        end = pos + n
        if end <= len(buf):
            self._pos = end
            return buf[pos:end]
        parts = [buf[pos:]]
        got = len(buf) - pos
        while got < n:
            out = self._more(n - got)
            if not out:
                break
            parts.append(out)
            got += len(out)
        data = b"".join(parts)
        if got > n:
            self._buf, self._pos = data, n
            return data[:n]
        self._buf, self._pos = b"", 0
        return data


class Input:
    """A capture's bytes: `read(n)`, its name for messages, its size when known (else None),
    the first four bytes already read (`head`) and, for gzip, the decompressor's `fault`.
    `source` is a path ('-' = stdin), a binary file object, bytes, or an iterable of bytes
    chunks; a path that cannot be opened raises `open_error` (capture.CaptureError) with one
    line."""

    def __init__(self, source, open_error):
        self._close = None
        if isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            if path == "-":
                f, self.name = sys.stdin.buffer, "stdin"
            else:
                self.name = path
                try:
                    f = open(path, "rb")
                except FileNotFoundError:
                    raise open_error(f"{path}: no such file; give the path of a pcap or pcapng capture") from None
                except IsADirectoryError:
                    raise open_error(f"{path}: is a directory; give the path of a pcap or pcapng capture") from None
                except PermissionError:
                    raise open_error(f"{path}: permission denied; check the file's permissions") from None
                except OSError as exc:
                    raise open_error(f"{path}: cannot be opened ({exc.strerror or exc})") from None
                self._close = f.close
        elif isinstance(source, (bytes, bytearray, memoryview)):
            f, self.name = io.BytesIO(source), "input"
        elif hasattr(source, "read"):
            f = source
            name = getattr(source, "name", None)
            self.name = name if isinstance(name, str) else "input"
        else:
            try:
                f, self.name = Chunks(iter(source)), "input"
            except TypeError:
                raise open_error(f"a capture is read from a path, a binary file object or an iterable of bytes, "
                                 f"not from {type(source).__name__}") from None
        self.size = _size_left(f)
        self.gzip: GzipStream | None = None
        self.read = f.read if isinstance(f, (io.BufferedReader, io.BytesIO)) else _full_reads(f.read)
        try:
            self.head = self.read(4)
            if self.head[:2] == GZIP_MAGIC:
                self.gzip = GzipStream(f, self.head)
                self.read = self.gzip.read
                self.size = None
                self.head = self.read(4)
        except OSError as exc:
            self.close()
            raise open_error(f"{self.name}: cannot be read ({exc.strerror or exc})") from None
        if self.size is not None:
            self.size -= len(self.head)

    @property
    def fault(self) -> str | None:
        return self.gzip.fault if self.gzip is not None else None

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None


class Chunks:
    """read(n) over an iterator of bytes chunks (any sizes; empty ones are skipped), as they come."""

    def __init__(self, chunks):
        self._chunks, self._buf, self._pos = chunks, b"", 0

    def read(self, n: int = -1) -> bytes:
        while self._pos >= len(self._buf):
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            if not isinstance(chunk, (bytes, bytearray, memoryview)):
                raise OSError(f"the iterable gave a {type(chunk).__name__}, not bytes")
            self._buf, self._pos = bytes(chunk), 0
        if n < 0:
            n = len(self._buf) - self._pos
        data = self._buf[self._pos:self._pos + n]
        self._pos += len(data)
        return data


def _full_reads(read):
    """read(n) that returns fewer than n bytes only at the end, over a file object that may
    return what is available (an unbuffered pipe, a socket file, a user's object)."""
    def full(n: int) -> bytes:
        data = read(n)
        if data is None or len(data) >= n or not data:
            return data or b""
        parts, got = [data], len(data)
        while got < n:
            more = read(n - got)
            if not more:
                break
            parts.append(more)
            got += len(more)
        return b"".join(parts)
    return full


def _size_left(f) -> int | None:
    """Bytes left in f if it is a regular file (else None: a pipe, a FIFO, a terminal, a BytesIO)."""
    try:
        fd = f.fileno()
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        return max(0, st.st_size - f.tell())
    except (AttributeError, OSError, ValueError):
        return None


class Pipe:
    """A pipe, FIFO or terminal read as it fills: read(n) returns what has arrived (at most n
    bytes, b"" at the end) and waits only when nothing has.  Before it waits, `on_idle()` is
    called: the reader has caught up with the writer (`tcpdump -U -w - | nlscope read -`),
    so what was decoded can be shown now (a flush), or a read-ahead can stop there."""

    def __init__(self, fd: int, name: str, on_idle=None, owned: bool = False):
        self.fd, self.name, self._owned = fd, name, owned
        self.on_idle = on_idle
        self.caught_up = False    # a read-ahead stopped where the writer had got to (cli._look_ahead)
        self._buf, self._pos = b"", 0

    def read(self, n: int = -1) -> bytes:
        if self._pos >= len(self._buf):
            import select
            try:
                ready = select.select([self.fd], [], [], 0)[0]
            except (OSError, ValueError):
                ready = True
            if not ready and self.on_idle is not None:
                self.on_idle()
            self._buf, self._pos = os.read(self.fd, max(n, 1 << 16)), 0
        if n < 0:
            parts = [self._buf[self._pos:]]
            self._buf, self._pos = b"", 0
            while True:
                more = os.read(self.fd, 1 << 16)
                if not more:
                    return b"".join(parts)
                parts.append(more)
        data = self._buf[self._pos:self._pos + n]
        self._pos += len(data)
        return data

    def close(self) -> None:
        if self._owned:
            self._owned = False
            os.close(self.fd)


def pipe_input(path: str, on_idle=None) -> Pipe | None:
    """A Pipe over `path` ('-' = stdin) when it is a pipe, a FIFO, a socket or (stdin) a
    terminal; else None (a regular file, a device, a directory, or what cannot be opened:
    left to Input to read or to say)."""
    try:
        if path == "-":
            fd = sys.stdin.fileno()
            mode = os.fstat(fd).st_mode
            if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode) and os.isatty(fd)):
                return None
            return Pipe(fd, "stdin", on_idle)
        mode = os.stat(path).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except (OSError, ValueError, AttributeError):
        return None
    return Pipe(fd, path, on_idle, owned=True)


class FollowStopped(Exception):
    """`--follow` was told to stop (SIGINT, SIGTERM): the reading ends there, cleanly."""


class Follow:
    """A capture file another program is still writing, read as `tail -f` reads: at its end,
    read() waits for more (every `interval` seconds) instead of ending, so a record cut at the
    end is read whole once it is written; `on_idle()` is called before each wait.  stop()
    (from a signal handler) ends the reading where the file ended then: what was written
    before the signal is read, and then read() raises FollowStopped (a record still being
    written there is not read, nor called cut)."""

    def __init__(self, path: str, on_idle=None, interval: float = 0.2):
        self.name, self.on_idle, self.interval = path, on_idle, interval
        self.stopped = False
        self._end = 0
        self._f = open(path, "rb")   # at its end, a read asks the file again

    def read(self, n: int = -1) -> bytes:
        """What the file holds past what was read, at most n bytes; waits while it holds none
        (Input asks again for the rest of a record, as of a pipe)."""
        import time
        while True:
            want = 1 << 16 if n < 0 else n
            if self.stopped:
                want = min(want, self._end - self._f.tell())
                if want <= 0:
                    raise FollowStopped
            data = self._f.read(want)
            if data:
                return data
            if self.stopped:
                raise FollowStopped
            if self.on_idle is not None:
                self.on_idle()
            time.sleep(self.interval)

    def stop(self) -> None:
        try:
            self._end = os.fstat(self._f.fileno()).st_size
        except (OSError, ValueError):
            self._end = 0
        self.stopped = True

    def close(self) -> None:
        self._f.close()
