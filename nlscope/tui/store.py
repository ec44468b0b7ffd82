"""The messages the TUI shows, loaded by a worker thread while the screen is already up."""
from __future__ import annotations

import threading

from dissectors import Context, Message

from ..analysis.filter import compile_filter
from ..analysis.transactions import TransactionTable
from ..messages import Pipeline
from ..sources import CaptureError, read_capture


class MessageStore:
    """All messages in capture order, and the current view (indices the filter keeps)."""

    def __init__(self, path: str, genl: dict | None = None):
        self.path = path
        self.messages: list[Message] = []
        self.transactions = TransactionTable()
        self.pipe = Pipeline(Context(genl), self.transactions)
        self.view: list[int] | None = None      # None: every message
        self.filter_text = ""
        self.done = False
        self.error: str | None = None
        self.lock = threading.Lock()

    def load(self, progress=None, chunk: int = 2000) -> None:
        """Read the file (worker thread); `progress(count, done)` is called every `chunk` messages."""
        try:
            for fr in read_capture(self.path):
                msgs = self.pipe.feed(fr)
                for m in msgs:   # pairing decoded the ACKs and errors: the list shows no tree
                    m.forget()
                with self.lock:
                    self.messages.extend(msgs)
                if progress is not None and len(self.messages) % chunk < len(msgs):
                    progress(len(self.messages), False)
        except CaptureError as exc:
            self.error = str(exc)
        self.transactions.finish()
        self.done = True
        if progress is not None:
            progress(len(self.messages), True)

    def __len__(self) -> int:
        return len(self.messages) if self.view is None else len(self.view)

    def at(self, row: int) -> Message:
        return self.messages[row if self.view is None else self.view[row]]

    def row_of(self, msg: Message) -> int | None:
        """The row showing `msg` in the current view (None if filtered out)."""
        try:
            idx = self.messages.index(msg)
        except ValueError:
            return None
        if self.view is None:
            return idx
        import bisect
        i = bisect.bisect_left(self.view, idx)
        return i if i < len(self.view) and self.view[i] == idx else None

    def apply_filter(self, text: str, progress=None, every: int = 50_000) -> int:
        """Compute the view for a filter (worker thread); returns the number kept.
        `progress(done, total)` is told every `every` messages."""
        if not text.strip():
            self.view, self.filter_text = None, ""
            return len(self.messages)
        flt = compile_filter(text)
        msgs = self.messages
        view = []
        for i, m in enumerate(msgs):
            if flt(m):
                view.append(i)
            if progress is not None and i % every == every - 1:
                progress(i + 1, len(msgs))
        self.view, self.filter_text = view, text
        return len(view)
