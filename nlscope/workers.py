"""Batch output on every core, in order.

A one-pass read carries state from message to message (generic-netlink ids learned from
nlctrl, open transactions and their numbering, the time reference), so chunks of a capture
cannot simply be printed apart.  But that state is cheap to advance — headers and pairing
only — and costly to print.  So the reading process forks a worker for each chunk of
frames at the moment it reaches the chunk's first frame: the worker inherits the state
exactly as one process would have it there and prints the chunk into a memory file, while
the reader advances the state over the chunk without printing and goes on.  The workers'
outputs are copied to stdout in chunk order, so the result is byte for byte what one
process prints.
"""
from __future__ import annotations

import os
import signal
import sys
import traceback
from collections import deque
from typing import Callable, TextIO


class OutputError(Exception):
    """Output that could not be written (a full disk, /dev/full, a descriptor closed or
    read-only): where, and the system's reason, in one line.  A reader that went away is
    a BrokenPipeError instead, and ends the output quietly."""

    def __init__(self, where: str, why):
        super().__init__(f"cannot write {where}: {why.strerror or why if isinstance(why, OSError) else why}")


class ForkError(Exception):
    """A worker process could not be started (no memory, a process limit)."""


def _output_failed(exc: OSError) -> Exception:
    """What a failed write to stdout raises: the BrokenPipeError itself, else an OutputError."""
    if isinstance(exc, BrokenPipeError):
        return exc
    return OutputError("standard output", exc)


# frames per chunk: the first chunk small (the first output comes soon; a small capture is
# read without a fork), then doubling up to MAX_CHUNK
FIRST_CHUNK, MAX_CHUNK = 256, 2048


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _memory_file():
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("nlscope-chunk"), "w+b")
    import tempfile
    return tempfile.TemporaryFile()


def _copy(mem, out) -> None:
    """The whole memory file to `out`: by sendfile (no copy through this process) when out
    is a file descriptor that takes it, else block by block."""
    size = mem.seek(0, os.SEEK_END)
    done = 0
    try:
        out.flush()
        fd = out.fileno()
        while done < size:
            sent = os.sendfile(fd, mem.fileno(), done, size - done)
            if not sent:
                break
            done += sent
    except (AttributeError, OSError, ValueError) as exc:
        if isinstance(exc, BrokenPipeError):
            raise
    mem.seek(done)
    while block := mem.read(1 << 20):
        out.write(block)


class ChunkWorkers:
    """At most `jobs` forked workers; their outputs written to `out` (the text stream the
    reader prints to) in the order they were started."""

    def __init__(self, jobs: int, out: TextIO, prepare: Callable[[], None] | None = None):
        self.jobs = max(1, jobs)
        self.prepare = prepare  # called once, before the first fork (what every worker would load)
        self.text = out
        self.out = out.buffer
        self.encoding, self.errors = out.encoding, out.errors
        self.running: deque = deque()  # (pid, memory file, what), or (None, bytes, "") made by the reader
        self.live = 0                  # workers in `running`
        self._status: dict[int, int] = {}  # exit status of workers reaped before their turn
        self.failed: list[str] = []
        self._flush()

    def _flush(self) -> None:
        try:
            self.text.flush()
            sys.stdout.flush()
            self.out.flush()
        except OSError as exc:
            raise _output_failed(exc) from None

    def start(self, work: Callable[[TextIO], None], what: str) -> None:
        """Fork a worker running work(text stream); wait first if `jobs` are running."""
        while self.live >= self.jobs:
            self._finish_oldest()
        if self.prepare is not None:
            self.prepare()
            self.prepare = None
        mem = _memory_file()
        self._flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as exc:
            mem.close()
            raise ForkError(f"cannot start a worker process ({exc.strerror or exc}); '-j 1' reads in one "
                            f"process") from None
        if pid == 0:  # the worker: print, then leave without running the reader's exit handlers
            status = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the reader decides on ^C
                import io
                text = io.TextIOWrapper(mem, encoding=self.encoding, errors=self.errors, write_through=False)
                work(text)
                text.flush()
            except BaseException:  # a bug must not print a half chunk silently: say so, fail
                traceback.print_exc()
                status = 1
            finally:
                sys.stderr.flush()
                os._exit(status)
        self.running.append((pid, mem, what))
        self.live += 1

    def add_done(self, text: str) -> None:
        """Output made by the reader itself, written in its turn after the workers started
        before (what is ready is written now, so such outputs do not pile up)."""
        self.running.append((None, text.encode(self.encoding, self.errors), ""))
        self._flush()
        while self.running and (self.running[0][0] is None or self._exited(self.running[0][0])):
            self._finish_oldest()

    def _exited(self, pid: int) -> bool:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            self._status[pid] = status
        return bool(done)

    def _finish_oldest(self) -> None:
        pid, mem, what = self.running.popleft()
        if pid is None:  # the reader's own output
            self._write(mem)
            return
        status = self._status.pop(pid, None)
        if status is None:
            _, status = os.waitpid(pid, 0)
        self.live -= 1
        try:
            _copy(mem, self.out)
        except OSError as exc:
            raise _output_failed(exc) from None
        finally:
            mem.close()
        if status:
            self.failed.append(what)

    def _write(self, data: bytes) -> None:
        try:
            self.out.write(data)
        except OSError as exc:
            raise _output_failed(exc) from None

    def finish(self) -> None:
        """Wait for every worker and write the outputs not yet written."""
        while self.running:
            self._finish_oldest()
        self._flush()

    def kill(self) -> None:
        """Stop every worker (the reader is interrupted, or its reader went away)."""
        while self.running:
            pid, mem, _ = self.running.popleft()
            if pid is None:
                continue
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            mem.close()


def in_parts(work: Callable[[int, int], "array"], ranges: list[tuple[int, int]], before_fork=None,
             in_child=None) -> list:
    """work(start, stop) for each range, the first in this process and each other in a
    forked one (a display filter over a large capture, on every core); returns the results
    (arrays of unsigned ints, e.g. message numbers) in the order of `ranges`.  A part whose
    process could not be started, or failed, is worked here instead: the answer is the same.
    `in_child()` runs first in each forked process: a process forked from a threaded one
    holds only the forking thread, so a lock another thread held then is held for ever
    there (make such locks anew in it)."""
    from array import array
    started = []   # (pid, read end, part) of each forked part
    for part in ranges[1:]:
        try:
            r, w = os.pipe()
        except OSError:
            started.append((None, None, part))
            continue
        if before_fork is not None:
            before_fork()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            started.append((None, None, part))
            continue
        if pid == 0:
            status = 1
            try:
                os.close(r)
                signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides on ^C
                if in_child is not None:
                    in_child()
                data = work(*part).tobytes()
                view = memoryview(len(data).to_bytes(8, "little") + data)
                while view:
                    view = view[os.write(w, view):]
                status = 0
            except BaseException:   # the parent works the part itself
                pass
            finally:
                os._exit(status)
        os.close(w)
        started.append((pid, r, part))
    results = [work(*ranges[0])]
    for pid, r, part in started:
        got = _read_part(r) if r is not None else None
        if pid is not None:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        if got is None:
            results.append(work(*part))
        else:
            out = array(results[0].typecode)
            out.frombytes(got)
            results.append(out)
    return results


def _read_part(fd: int) -> bytes | None:
    """What a part's process wrote: its length, then its bytes; None if it did not write it all."""
    chunks = []
    try:
        while block := os.read(fd, 1 << 20):
            chunks.append(block)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) < 8:
        return None
    want = int.from_bytes(data[:8], "little")
    return data[8:] if len(data) - 8 == want else None
