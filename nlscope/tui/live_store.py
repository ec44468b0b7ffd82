"""The TUI's store fed by a live capture: a worker reads the nlmon ring, the UI polls."""
from __future__ import annotations

import time
from collections import deque

from dissectors import Context

from ..messages import Pipeline
from ..sources import CaptureError
from ..sources.genl_ids import KernelGenlIds
from ..sources.live import LiveCapture
from ..sources.procs import ProcessTable
from ..analysis.transactions import TransactionTable
from ..analysis.filter import compile_filter
from .store import ViewStore


class LiveStore(ViewStore):
    """Messages as they arrive.  The capture thread only queues them (`backlog`); the UI
    thread takes them into `messages` and the view (`take`), so a row being drawn or a
    message being shown never sees the list change under it.  Pausing leaves them queued
    (nothing is lost: they are shown on resume); `limit` keeps only the newest messages,
    like a ring buffer, the queue included."""

    catch_up = True

    def __init__(self, ifname: str, limit: int | None = None, genl: dict | None = None, show_secrets: bool = False,
                 capture=None):
        """`capture`: an opened live source (the BPF source's BpfCapture); None opens nlmon on `ifname`."""
        super().__init__()
        self.path = ifname
        self.messages: list = []
        # with a limit, memory stays flat: the table keeps no list of transactions, nor every
        # answer of a dump (its first and latest), as a stream's does
        self.transactions = TransactionTable(keep=limit is None)
        self.ifname = ifname
        self.limit = limit
        # CaptureError (one line) before the screen is taken
        self.live = capture if capture is not None else LiveCapture(ifname)
        self.procs = ProcessTable()
        ctx = Context(genl, resolver=KernelGenlIds(self.procs.own_portids), show_secrets=show_secrets)
        self.pipe = Pipeline(ctx, self.transactions, self.procs)
        self.frames: dict[int, object] = {}       # the frames of the messages held, for saving
        self._frame_order: deque[int] = deque()
        self.paused = False
        self.backlog: list = []    # arrived, not yet taken by the UI (all of them while paused)
        self.lost = 0              # queued while paused and forgotten (limit) before shown
        self.rate = 0.0
        self._window: deque[float] = deque()
        self._flt: tuple[str, object] | None = None

    def load(self, progress=None, chunk: int = 0) -> None:
        """Capture until stopped (worker thread); `progress(count, False)` after each batch."""
        import struct
        own = self.procs.own_portids
        self.procs.watch()
        try:
            last_post = 0.0
            for fr in self.live.frames(idle=True, poll=0.1):
                now = time.monotonic()
                if fr is not None:
                    if len(fr.data) >= 16 and (fr.protocol, struct.unpack_from("=I", fr.data, 12)[0]) in own:
                        continue
                    msgs = self.pipe.feed(fr)
                    self._window.append(now)
                    with self.lock:
                        self.frames[fr.number] = fr
                        self._frame_order.append(fr.number)
                        self.backlog.extend(msgs)
                        if self.limit and len(self.backlog) > self.limit:   # paused that long
                            excess = len(self.backlog) - self.limit
                            del self.backlog[:excess]
                            self.lost += excess
                while self._window and now - self._window[0] >= 1.0:
                    self._window.popleft()
                self.rate = len(self._window)
                if progress is not None and now - last_post > 0.1:
                    last_post = now
                    progress(len(self.messages), False)
        except CaptureError as exc:   # the interface went down or was deleted (the ring was drained first)
            self.error = str(exc)
        finally:
            self.procs.close()
        self.done = True
        if progress is not None:
            progress(len(self.messages), True)   # the app shows self.error once the load is done

    def take(self) -> int:
        """Take the queued messages into the list and the view (UI thread; not while paused);
        returns how many."""
        with self.lock:
            if self.paused or not (self.backlog or self.lost):
                return 0
            msgs, self.backlog = self.backlog, []
            if self.lost:
                # what was forgotten from the queue came after every message held: those go too
                self.dropped += len(self.messages) + self.lost
                self.messages.clear()
                if self.view is not None:
                    self.view = []
                self.lost = 0
            self._append(msgs)
            self._forget_frames()
        return len(msgs)

    def _matcher(self):
        if self._flt is None or self._flt[0] != self.filter_text:
            self._flt = (self.filter_text, compile_filter(self.filter_text))
        return self._flt[1]

    def _append(self, msgs) -> None:
        self.messages.extend(msgs)
        if self.view is not None and self.filter_text:
            flt = self._matcher()
            base = len(self.messages) - len(msgs)
            self.view.extend(base + i for i, m in enumerate(msgs) if flt(m))
        if self.limit and len(self.messages) > self.limit:
            drop = len(self.messages) - self.limit
            del self.messages[:drop]
            self.dropped += drop
            if self.view is not None:
                self.view = [i - drop for i in self.view if i >= drop]

    def _forget_frames(self) -> None:
        """Frames none of whose messages is held or queued any more (a limit, clear) go."""
        held = self.messages[0] if self.messages else (self.backlog[0] if self.backlog else None)
        keep = held.frame if held is not None else None
        order = self._frame_order
        while order and (keep is None or order[0] < keep):
            self.frames.pop(order.popleft(), None)

    def set_paused(self, paused: bool) -> None:
        """Hold the display (the queue fills) or let it go on (UI thread: `take` follows)."""
        with self.lock:
            self.paused = paused
        if not paused:
            self.take()

    def clear(self) -> None:
        with self.lock:
            self.dropped += len(self.messages) + len(self.backlog) + self.lost
            self.messages.clear()
            self.backlog.clear()
            self.lost = 0
            if self.view is not None:
                self.view = []
            self._forget_frames()

    def stop(self) -> None:
        self.live.stop()

    def statistics(self) -> tuple[int, int]:
        return self.live.statistics()

    def save(self, path: str, messages=None) -> int:
        """Write the frames of `messages` (default: every message held) to `path`."""
        with open(path, "wb") as f:
            return self.save_to(f, self.messages if messages is None else messages)

    def save_to(self, f, messages) -> int:
        """Write the frames of `messages`, in order, as pcapng with each sender in its packet
        comment; returns the number of frames written."""
        from ..sources.writer import PcapngWriter
        first: dict[int, object] = {}
        for m in messages:
            first.setdefault(m.frame, m)
        w, n = PcapngWriter(f), 0
        for number in sorted(first):
            fr = self.frames.get(number)
            if fr is not None:
                proc = first[number].process
                w.write(fr, self.ifname, proc.comment() if proc is not None else None)
                n += 1
        return n
