"""The messages the TUI shows, loaded by a worker thread while the screen is already up."""
from __future__ import annotations

import bisect
import threading
from array import array
from dataclasses import dataclass

from dissectors import Context, Message

from ..analysis.filter import HEADER_FIELDS, compile_filter
from ..analysis.index import MessageIndex
from ..analysis.stats import message_values
from ..sources import CaptureError, read_capture
from ..sources.stream import FollowStopped
from ..workers import available_cores, in_parts


@dataclass
class FilterView:
    """A filter's result, computed by a worker: the numbers of the messages kept (None: no
    filter; a list, or for a file an array of unsigned ints) among the first `count` of
    `messages` as they were when `dropped` were forgotten."""
    rows: "list[int] | array | None"
    text: str
    dropped: int
    count: int


class ViewStore:
    """Messages in capture order (`messages`) and the current view: the numbers of the
    messages the filter keeps (None: every message)."""

    messages: object

    def __init__(self):
        self.view: list[int] | None = None
        self.filter_text = ""
        self.done = False
        self.error: str | None = None
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.messages) if self.view is None else len(self.view)

    def at(self, row: int) -> Message:
        return self.messages[row if self.view is None else self.view[row]]

    faults = 0               # frames the reader could not read as netlink (Frame.fault)
    first_fault = None

    def _fault(self, fr) -> None:
        self.faults += 1
        if self.first_fault is None:
            self.first_fault = fr

    dropped = 0   # messages forgotten from the front of `messages` (a live store's limit, clear)

    def number_at(self, row: int) -> int:
        """The lasting number of the message at `row`: its place among every message read,
        whatever the filter shows and whatever was forgotten since (what a mark holds)."""
        return (row if self.view is None else self.view[row]) + self.dropped

    def row_of_number(self, number: int) -> int | None:
        """The row showing message `number` (of `number_at`); None if filtered out or forgotten."""
        i = number - self.dropped
        if not 0 <= i < len(self.messages):
            return None
        if self.view is None:
            return i
        r = bisect.bisect_left(self.view, i)
        return r if r < len(self.view) and self.view[r] == i else None

    def number_of(self, msg: Message) -> int | None:
        """The message's place in `messages`."""
        try:
            return self.messages.index(msg)
        except ValueError:
            return None

    def row_of(self, msg: Message) -> int | None:
        """The row showing `msg` in the current view (None if filtered out)."""
        idx = self.number_of(msg)
        if idx is None or self.view is None:
            return idx
        i = bisect.bisect_left(self.view, idx)
        return i if i < len(self.view) and self.view[i] == idx else None

    def apply_filter(self, text: str, progress=None, every: int = 50_000) -> int:
        """Compute the view for a filter and show it; returns the number kept (for callers
        outside the UI; the app computes in a worker and installs the view on its own thread)."""
        self.install_view(self.compute_view(text, progress, every))
        return len(self)

    def compute_view(self, text: str, progress=None, every: int = 50_000) -> "FilterView":
        """The view of a filter, without changing what is shown (worker thread): the rows a
        render is drawing must not change under it.  `progress(done, total)` is told every
        `every` messages."""
        if not text.strip():
            return FilterView(None, "", 0, 0)
        flt = compile_filter(text)
        with self.lock:   # what is scanned, and where it starts, as one snapshot
            dropped, total, scan = self.dropped, len(self.messages), self._scan()
        view = []
        for i, m in enumerate(scan):
            if i >= total:
                break
            if flt(m):
                view.append(i)
            self._filtered(m)
            if progress is not None and i % every == every - 1:
                progress(i + 1, total)
        return FilterView(view, text, dropped, total)

    def install_view(self, fv: "FilterView") -> None:
        """Show a computed view (UI thread).  A live store's messages kept arriving, and its
        oldest were maybe forgotten, while the view was computed: its rows are moved by
        what was forgotten since and the messages that came meanwhile are matched now."""
        with self.lock:
            if fv.rows is None:
                self.view, self.filter_text = None, ""
                return
            shift = self.dropped - fv.dropped
            rows = [i - shift for i in fv.rows if i >= shift] if shift else fv.rows
            start = max(fv.count - shift, 0)
            if start < len(self.messages) and self.catch_up:
                flt = compile_filter(fv.text)
                rows.extend(i for i in range(start, len(self.messages)) if flt(self.messages[i]))
            self.view, self.filter_text = rows, fv.text

    def take(self) -> int:
        """Take what a capture thread queued into the list (UI thread); a file has nothing to take."""
        return 0

    catch_up = False   # match, when a view is installed, the messages that came while it was computed

    def _scan(self):
        """The messages in order, for a filter to look at each."""
        return iter(list(self.messages))

    def shown(self):
        """The messages of the current view in order, for one look each (a worker's
        statistics); what arrives meanwhile is not among them."""
        with self.lock:
            messages = list(self.messages)
            view = None if self.view is None else list(self.view)
        return iter(messages) if view is None else (messages[i] for i in view if i < len(messages))

    def stat_facts(self):
        """What the statistics count of each message shown (MessageIndex.stat_facts says what
        the tuples hold), here from the messages themselves."""
        for m in self.shown():
            t, role = m.tx if m.tx else (None, None)
            yield (m, *message_values(m), role, t.id if t is not None else 0)

    def _filtered(self, m: Message) -> None:
        """A message the filter has looked at."""


class MessageStore(ViewStore):
    """A capture file's messages, held as a MessageIndex (tens of bytes a message)."""

    closed = False   # set by close(): the reading worker stops at its next frame

    def __init__(self, path: str, genl: dict | None = None, show_secrets: bool = False):
        super().__init__()
        self.path = path
        self.messages = MessageIndex(Context(genl, show_secrets=show_secrets))
        self.transactions = self.messages.transactions

    def load(self, progress=None, chunk: int = 2000) -> None:
        """Read the file (worker thread); `progress(count, done)` is called every `chunk` messages."""
        index = self.messages
        try:
            for fr in read_capture(self._input(progress)):
                if self.closed:   # another file was opened, or this one again: this read is not wanted
                    break
                if fr.fault is not None:
                    self._fault(fr)
                    continue
                n = index.add_frame(fr)
                if progress is not None and len(index) % chunk < n:
                    progress(len(index), False)
        except CaptureError as exc:
            self.error = str(exc)
        except FollowStopped:   # a stream told to stop (StreamStore.close) ends where it is
            pass
        if self.faults:
            fr, n = self.first_fault, self.faults
            note = (f"{n} frame{'s' if n > 1 else ''} could not be read as netlink and {'are' if n > 1 else 'is'} "
                    f"not listed; the first, frame {fr.number}: {fr.fault}")
            self.error = f"{self.error}; {note}" if self.error else note
        index.finish()
        self.done = True
        if progress is not None:
            progress(len(index), True)

    def _input(self, progress):
        """What is read (see sources.read_capture): the file."""
        return self.path

    def close(self) -> None:
        """No longer shown (another capture replaced it): its reading stops."""
        self.closed = True

    def number_of(self, msg: Message) -> int | None:
        i = msg.pos
        return i if isinstance(i, int) and 0 <= i < len(self.messages) and self.messages[i] is msg else None

    def _scan(self):
        return self.messages.scan()

    # a filter that decodes bodies is worked on every core from this many messages on
    PARALLEL_FROM = 20_000

    def compute_view(self, text: str, progress=None, every: int = 50_000) -> FilterView:
        """The view of a filter (worker thread), from the index's columns: header fields are
        read there (HeaderRow), and a filter that decodes bodies runs on every core, each
        process on its part of the messages (workers.in_parts)."""
        if not text.strip():
            return FilterView(None, "", 0, 0)
        flt = compile_filter(text)
        index = self.messages
        total = len(index)
        jobs = available_cores()
        body = not flt.fields <= HEADER_FIELDS
        if jobs < 2 or not body or total < self.PARALLEL_FROM or flt.stateful or flt.may_time_out:
            return FilterView(index.matching(flt, 0, total, progress, every), text, 0, total)
        cuts = [total * k // jobs for k in range(jobs + 1)]
        ranges = list(zip(cuts, cuts[1:]))
        first = ranges[0][1]

        def work(start: int, stop: int):
            if start == 0 and progress is not None:   # this process's part: the others go as fast
                return index.matching(flt, start, stop, lambda done, _: progress(done * total // first, total),
                                      every)
            return index.matching(flt, start, stop)

        def in_child() -> None:
            index._made_lock = threading.Lock()   # another thread of this app may have held it
        parts = in_parts(work, ranges, in_child=in_child)
        rows = parts[0]
        for p in parts[1:]:
            rows.extend(p)
        return FilterView(rows, text, 0, total)

    def shown(self):
        """The messages shown, as HeaderRows (what the statistics read of the header comes
        from the columns; the rest, from the message made again, not kept)."""
        index, view = self.messages, self.view
        if view is None:
            return index.rows(0, len(index))
        return index.rows_of(view)

    def stat_facts(self):
        """The statistics' facts of the messages shown, from the index's columns."""
        return self.messages.stat_facts(self.view)

    def _filtered(self, m: Message) -> None:
        m.forget()  # what the filter decoded goes; a row shown decodes it again
