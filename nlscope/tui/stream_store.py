"""The TUI's store fed by a capture still being written: stdin (`tcpdump -U -w - | nlscope
open -`, gzip too) or a file another program writes (`nlscope open --follow FILE`).

The messages are indexed as a file's are (MessageStore), as the frames arrive: whenever the
reading catches up with the writer the rows read so far are shown, and a filter applied
meanwhile is applied to what arrives (`take`, on the UI thread).  The reading stops at the
end of the pipe, or when the app ends (`close`: a wait for more data is given up within a
tenth of a second).
"""
from __future__ import annotations

import os
import select

from ..analysis.filter import compile_filter
from ..sources import CaptureError
from ..sources.stream import Follow, FollowStopped, Pipe
from .store import FilterView, MessageStore

POLL = 0.1   # seconds between looks at a stop while waiting for the writer


class NoTerminal(Exception):
    """`open -`: the capture is on stdin, and there is no terminal to read keys from."""


def take_stdin() -> int:
    """Move the capture arriving on stdin (fd 0) to a descriptor of its own, and put the
    terminal on fd 0: Textual reads the keyboard from fd 0 (as `less` does with a file on
    its stdin, the keys come from /dev/tty).  Returns the capture's descriptor; NoTerminal
    says in one line why there is no terminal (no controlling terminal: cron, ssh -T…)."""
    if os.isatty(0):
        raise NoTerminal("stdin is a terminal, not a capture: pipe one in (tcpdump -U -w - … | nlscope open -)")
    try:
        tty = os.open("/dev/tty", os.O_RDWR | os.O_CLOEXEC)
    except OSError as exc:
        raise NoTerminal(f"the capture is on stdin and the keys must come from the terminal, but /dev/tty "
                         f"cannot be opened ({exc.strerror or exc}): run nlscope in a terminal, or save the "
                         f"capture and open the file") from None
    fd = os.dup(0)
    os.set_inheritable(fd, False)
    os.dup2(tty, 0)
    os.close(tty)
    return fd


class StreamStore(MessageStore):
    """A capture read as it is written: `path` '-' reads descriptor `fd` (stdin's, moved off
    fd 0 by take_stdin), any other path is followed as `tail -f` follows it."""

    streaming = True

    def __init__(self, path: str, genl: dict | None = None, show_secrets: bool = False, fd: int | None = None):
        super().__init__(path, genl, show_secrets)
        self.fd = fd
        self._follow: Follow | None = None
        self._posted = -1   # messages shown when the reading last caught up
        self._seen = 0      # messages a filter's view has looked at (take)
        self._flt = None

    @property
    def name(self) -> str:
        return "stdin" if self.path == "-" else self.path

    def _input(self, progress):
        def idle() -> None:   # the writer is behind: show what was read, then wait for more
            n = len(self.messages)
            if progress is not None and n != self._posted:
                self._posted = n
                progress(n, False)
            if self.closed:
                raise FollowStopped
            if self._follow is None:
                while not select.select([self.fd], [], [], POLL)[0]:
                    if self.closed:
                        raise FollowStopped
        if self.path == "-":
            return Pipe(self.fd, "stdin", idle, owned=True)
        try:
            self._follow = Follow(self.path, idle, interval=POLL)
        except OSError as exc:   # said as a file that cannot be read is (the store's error)
            raise CaptureError(f"{self.path}: cannot be opened ({exc.strerror or exc})") from None
        return self._follow

    def close(self) -> None:
        """The app ends or shows another capture: the reading stops (within POLL seconds)."""
        super().close()
        if self._follow is not None:
            self._follow.stop()

    def take(self) -> int:
        """The messages that arrived since, matched against the filter shown (UI thread)."""
        with self.lock:
            n = len(self.messages)
            if self.view is None or not self.filter_text:
                self._seen = n
                return 0
            if self._flt is None or self._flt.text != self.filter_text:
                self._flt = compile_filter(self.filter_text)
            before = len(self.view)
            self.view.extend(i for i in range(self._seen, n) if self._flt(self.messages[i]))
            self._seen = n
            return len(self.view) - before

    def install_view(self, fv: FilterView) -> None:
        """Show a computed view, matching the messages that arrived while it was computed."""
        with self.lock:
            if fv.rows is None:
                self.view, self.filter_text = None, ""
                return
            n = len(self.messages)
            rows = fv.rows
            if fv.count < n:
                flt = compile_filter(fv.text)
                rows.extend(i for i in range(fv.count, n) if flt(self.messages[i]))
            self.view, self.filter_text, self._seen = rows, fv.text, n

    def frames_of(self, numbers):
        """The frames of the messages `numbers`, from the index (stdin cannot be read again)."""
        from ..sources import Frame
        ix = self.messages
        done = set()
        for i in numbers:
            fi = ix.m_frame[i]
            if fi in done:
                continue
            done.add(fi)
            data = ix.frame_bytes(fi)
            cut, comment = ix._f_rare.get(fi, (False, None))
            # the length on the wire is not kept: one more byte than captured says "cut"
            wirelen = len(data) + 1 if cut else len(data)
            yield Frame(ix.f_number[fi], ix.f_time[fi], data, ix.f_protocol[fi], len(data), wirelen,
                        comment=comment, direction=ix._f_direction.get(fi))
