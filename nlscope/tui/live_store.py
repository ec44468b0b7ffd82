"""The TUI's store fed by a live capture: a worker reads the nlmon ring, the UI polls."""
from __future__ import annotations

import time

from dissectors import Context

from ..messages import Pipeline
from ..sources import CaptureError
from ..sources.genl_ids import KernelGenlIds
from ..sources.live import LiveCapture
from ..sources.procs import ProcessTable
from ..analysis.transactions import TransactionTable
from .store import ViewStore


class LiveStore(ViewStore):
    """Messages as they arrive.  Pausing holds new messages back (nothing is lost: they are
    shown on resume); `limit` keeps only the newest messages, like a ring buffer."""

    def __init__(self, ifname: str, limit: int | None = None, genl: dict | None = None, show_secrets: bool = False):
        super().__init__()
        self.path = ifname
        self.messages: list = []
        # with a limit, memory stays flat: the table keeps no list of transactions, nor every
        # answer of a dump (its first and latest), as a stream's does
        self.transactions = TransactionTable(keep=limit is None)
        self.ifname = ifname
        self.limit = limit
        self.live = LiveCapture(ifname)   # CaptureError (one line) before the screen is taken
        self.procs = ProcessTable()
        ctx = Context(genl, resolver=KernelGenlIds(self.procs.own_portids), show_secrets=show_secrets)
        self.pipe = Pipeline(ctx, self.transactions, self.procs)
        self.frames: dict[int, object] = {}
        self.paused = False
        self.backlog: list = []
        self.rate = 0.0
        self._window: list[float] = []

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
                    self.frames[fr.number] = fr
                    self._window.append(now)
                    with self.lock:
                        if self.paused:
                            self.backlog.extend(msgs)
                        else:
                            self._append(msgs)
                self._window = [t for t in self._window if now - t < 1.0]
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

    def _append(self, msgs) -> None:
        self.messages.extend(msgs)
        if self.view is not None and self.filter_text:
            from ..analysis.filter import compile_filter
            flt = compile_filter(self.filter_text)
            base = len(self.messages) - len(msgs)
            self.view.extend(base + i for i, m in enumerate(msgs) if flt(m))
        if self.limit and len(self.messages) > self.limit:
            drop = len(self.messages) - self.limit
            del self.messages[:drop]
            self.dropped += drop
            if self.view is not None:
                self.view = [i - drop for i in self.view if i >= drop]

    def set_paused(self, paused: bool) -> None:
        with self.lock:
            self.paused = paused
            if not paused and self.backlog:
                self._append(self.backlog)
                self.backlog = []

    def clear(self) -> None:
        with self.lock:
            self.dropped += len(self.messages)
            self.messages.clear()
            self.backlog.clear()
            if self.view is not None:
                self.view = []

    def stop(self) -> None:
        self.live.stop()

    def statistics(self) -> tuple[int, int]:
        return self.live.statistics()

    def save(self, path: str) -> int:
        """Write the frames of the messages held (all of them, in order) as pcapng."""
        from ..sources.writer import PcapngWriter
        wanted = sorted({m.frame for m in self.messages})
        with open(path, "wb") as f:
            w = PcapngWriter(f)
            for n in wanted:
                fr = self.frames.get(n)
                if fr is not None:
                    msg = next((m for m in self.messages if m.frame == n), None)
                    proc = msg.process if msg is not None else None
                    w.write(fr, self.ifname, proc.comment() if proc is not None else None)
        return len(wanted)
