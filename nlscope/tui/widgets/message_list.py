"""The message list: one row per netlink message, rendered line by line (Line API).

Only the rows on screen are formatted (and cached), so a list of a million messages scrolls
as fast as one of ten; the row count comes from the store, which a worker keeps filling.
"""
from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message as TMessage
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...output import TimeFormat, header_line, summary_line


MARK_SIGN = "*"   # drawn in the first column of a marked message's row


class MessageList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"messagelist--cursor", "messagelist--error", "messagelist--request",
                         "messagelist--notification", "messagelist--dump", "messagelist--mark",
                         "messagelist--header"}
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False), Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", show=False), Binding("pagedown", "page(1)", show=False),
        Binding("home,g", "first", "Top", show=False), Binding("end,G", "last", "Bottom", show=False),
    ]
    cursor = reactive(0)

    class Selected(TMessage):
        def __init__(self, row: int):
            super().__init__()
            self.row = row

    def __init__(self, store, **kw):
        super().__init__(**kw)
        self.store = store
        self.time_format = "r"
        self.marks: set[int] = set()   # messages, by the store's lasting number (number_at), not rows
        self.show_process = False
        self.follow = True  # live: stay on the newest row until the user moves away from it
        self._cache: dict[int, str] = {}
        self._tf = TimeFormat("r")

    # --- data -----------------------------------------------------------------------
    def refresh_rows(self) -> None:
        """The store grew or its view changed."""
        self._cache.clear()
        if self.marks and self.store.dropped:   # a live store forgot its oldest messages
            self.marks = {n for n in self.marks if n >= self.store.dropped}
        self.virtual_size = Size(self.size.width, len(self.store) + 1)
        if self.cursor >= len(self.store):
            self.cursor = max(0, len(self.store) - 1)
        self.refresh()

    def on_resize(self, event) -> None:
        self.virtual_size = Size(event.size.width, len(self.store) + 1)
        self.call_after_refresh(self.show_cursor)   # a smaller list keeps the selected row in sight

    def set_time_format(self, mode: str) -> None:
        self.time_format = mode
        self._tf = TimeFormat(mode)
        self._cache.clear()
        self.refresh()

    def _text(self, row: int) -> str:
        text = self._cache.get(row)
        if text is None:
            m = self.store.at(row)
            tf = self._tf
            if tf.first is None and len(self.store.messages):
                tf.first = tf.prev = self.store.messages[0].time
            if self.time_format == "d" and row:
                tf.prev = self.store.at(row - 1).time
            text = summary_line(m, tf, self.show_process)
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[row] = text
        return text

    def _row_class(self, row: int) -> str | None:
        m = self.store.at(row)
        if m.malformed or (m.error and m.error["code"]):
            return "messagelist--error"
        if m.tx and m.tx[1] == "notification":
            return "messagelist--notification"
        if m.flags & 0x2:
            return "messagelist--dump"
        if m.direction == "to kernel":
            return "messagelist--request"
        return None

    # --- rendering --------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:  # the column header stays put
            style = self.get_component_rich_style("messagelist--header")
            return Strip([Segment(header_line(self.show_process).ljust(width)[:width], style)])
        row = self.scroll_offset.y + y - 1
        if row >= len(self.store):
            return Strip.blank(width)
        text = self._text(row)
        x = self.scroll_offset.x
        text = text[x:x + width].ljust(width)
        style = Style()
        cls = self._row_class(row)
        if cls:
            style = self.get_component_rich_style(cls)
        if self.marks and self.store.number_at(row) in self.marks:
            style += self.get_component_rich_style("messagelist--mark")
            text = MARK_SIGN + text[1:]   # seen under the cursor and without colours too
        if row == self.cursor:
            style += self.get_component_rich_style("messagelist--cursor")
        return Strip([Segment(text, style)])

    # --- marks ------------------------------------------------------------------------
    def toggle_mark(self) -> None:
        """Mark or unmark the message at the cursor."""
        if len(self.store):
            self.marks.symmetric_difference_update({self.store.number_at(self.cursor)})
            self.refresh()

    def marked_rows(self) -> list[int]:
        """The rows of the marked messages the view shows, in order."""
        rows = (self.store.row_of_number(n) for n in self.marks)
        return sorted(r for r in rows if r is not None)

    # --- moving -----------------------------------------------------------------------
    @property
    def visible_rows(self) -> int:
        """How many message rows are drawn whole: the height inside the borders and above
        the horizontal scrollbar, less the column header."""
        return max(1, self.scrollable_content_region.height - 1)

    def show_cursor(self) -> None:
        """Scroll (no more than needed) so that the cursor's row is drawn whole."""
        top, visible, row = self.scroll_offset.y, self.visible_rows, self.cursor
        if row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False, force=True)

    def watch_cursor(self, old: int, new: int) -> None:
        self.show_cursor()
        self.refresh()
        if len(self.store):
            self.post_message(self.Selected(new))

    def go(self, row: int) -> None:
        if len(self.store):
            self.cursor = max(0, min(row, len(self.store) - 1))

    def user_went(self, row: int) -> None:
        """A move the user made: following (live) stops unless it lands on the newest row."""
        self.go(row)
        self.follow = self.cursor >= len(self.store) - 1

    def action_move(self, delta: int) -> None:
        self.user_went(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.user_went(self.cursor + direction * max(1, self.visible_rows - 1))

    def action_first(self) -> None:
        self.user_went(0)

    def action_last(self) -> None:
        self.user_went(len(self.store) - 1)

    def on_click(self, event) -> None:
        row = self.scroll_offset.y + event.y - 1
        if 0 <= row < len(self.store):
            self.user_went(row)
