"""The Time column as Wireshark's View > Time Display Format and tshark's -t draw it, with
Wireshark's time references (Edit > Set/Unset Time Reference, Ctrl+T).

Wireshark (epan/column-utils.c, col_set_fmt_time): a reference frame shows `*REF*` whatever
the format; relative times count from the last reference at or before the frame (the first
frame when there is none); delta is from the frame captured before, delta displayed from the
one displayed before (0 for the first displayed).  A row here is a message, not a frame: the
messages of one frame share its time (their delta is 0)."""
from __future__ import annotations

import bisect

from ..time_text import FORMATS, absolute_text, seconds_text  # noqa: F401  (the TUI's names too)

REF_TEXT = "*REF*"

ORDER = tuple(FORMATS)   # what T steps through


def next_format(code: str) -> str:
    return ORDER[(ORDER.index(code) + 1) % len(ORDER)] if code in FORMATS else ORDER[0]


class TimeColumn:
    """The text of the Time column for a row of a store, in one format, with references.

    References are held by the store's lasting message numbers (`number_at`), as marks are:
    a filter or a live store forgetting its oldest messages does not move them."""

    def __init__(self, code: str = "r"):
        self.code = code if code in FORMATS else "r"
        self.refs: list[int] = []   # sorted lasting numbers
        self.first: float | None = None   # the capture's first message's time (relative's origin)

    @property
    def title(self) -> str:
        return FORMATS[self.code][0]

    @property
    def width(self) -> int:
        return FORMATS[self.code][1]

    def toggle_ref(self, number: int) -> bool:
        """Set or unset a reference on message `number`; True if it is now one."""
        i = bisect.bisect_left(self.refs, number)
        if i < len(self.refs) and self.refs[i] == number:
            del self.refs[i]
            return False
        self.refs.insert(i, number)
        return True

    def is_ref(self, number: int) -> bool:
        i = bisect.bisect_left(self.refs, number)
        return i < len(self.refs) and self.refs[i] == number

    def forget_before(self, dropped: int) -> None:
        """A live store forgot its messages before `dropped`: so go their references."""
        if self.refs and self.refs[0] < dropped:
            self.refs = self.refs[bisect.bisect_left(self.refs, dropped):]

    def text(self, store, row: int) -> str:
        number = store.number_at(row)
        if self.refs and self.is_ref(number):
            return REF_TEXT
        i = number - store.dropped
        t = time_of(store, i)
        code = self.code
        if code == "r":
            if self.first is None:
                self.first = time_of(store, 0)
            origin = self.first
            k = bisect.bisect_right(self.refs, number) - 1
            if k >= 0:
                ri = self.refs[k] - store.dropped
                if 0 <= ri < len(store.messages):
                    origin = time_of(store, ri)
            return seconds_text(t - origin)
        if code == "d":
            return seconds_text(t - time_of(store, i - 1)) if i > 0 else seconds_text(0.0)
        if code == "dd":
            if row == 0:
                return seconds_text(0.0)
            return seconds_text(t - time_of(store, store.number_at(row - 1) - store.dropped))
        if code == "e":
            return seconds_text(t)
        return absolute_text(t, code)


def time_of(store, i: int) -> float:
    """The time of message `i` of the store's `messages`, without making the message when
    the store is an index (its frames' times are a column)."""
    messages = store.messages
    of = getattr(messages, "time_of", None)
    return of(i) if of is not None else messages[i].time
