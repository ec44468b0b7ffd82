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

from dissectors.text import escape_text

from ..config import TuiConfig
from ..time_display import FORMATS, TimeColumn
from .filter_bar import route_typing


MARK_SIGN = "*"   # drawn in the first column of a marked message's row


def _arrow(m) -> str:
    return "U→K" if m.direction == "to kernel" else "K→U"


# name: (title, align, width; 0 is Info's, the rest of the line), cell text
COLUMNS = {
    "no": ("No.", ">", 8, lambda m, t: f"{m.frame}.{m.index}"),
    "time": ("Time", ">", 11, lambda m, t: t),
    "process": ("Process", "<", 0, lambda m, t: str(m.process) if m.process else "-"),
    "protocol": ("Protocol", "<", 10, lambda m, t: m.family),
    "dir": ("Dir", "<", 3, lambda m, t: _arrow(m)),
    "portid": ("Port ID", ">", 10, lambda m, t: str(m.pid)),
    "seq": ("Seq", ">", 10, lambda m, t: str(m.seq)),
    "type": ("Type", "<", 22, lambda m, t: m.type_name),
    "flags": ("Flags", "<", 23, lambda m, t: ",".join(m.flag_names) or "-"),
    "info": ("Info", "<", 0, lambda m, t: m.info),
}
# the columns shown at a width (the first whose minimum the list reaches): Type, Flags and
# Info always; what a narrow terminal has no room for goes first
LAYOUTS = [
    (150, ("no", "time", "protocol", "dir", "portid", "seq", "type", "flags", "info")),
    (110, ("no", "time", "protocol", "dir", "seq", "type", "flags", "info")),
    (0, ("no", "time", "dir", "type", "flags", "info")),
]
NARROW_WIDTHS = {"no": 7, "time": 10, "type": 17, "flags": 15}   # below 110 columns
NEVER_CUT = {"no", "time"}   # a longer value widens its row; text (Type, Flags…) ends in … instead
PROCESS_MIN, PROCESS_MAX = 7, 32   # Process grows to its widest value so far: "(udev-worker)[1234567]"


def _fit(text: str, width: int, align: str) -> str:
    if len(text) > width:
        return text[:width - 1] + "…"
    return text.rjust(width) if align == ">" else text.ljust(width)


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

    def __init__(self, store, config: TuiConfig | None = None, **kw):
        super().__init__(**kw)
        self.store = store
        self.config = config or TuiConfig()   # columns, widths, colouring rules (tui.toml)
        self._styles: dict[int, Style | None] = {}   # the colouring rule's style of a row drawn
        self.times = TimeColumn("r")   # the Time column's format and the time references
        self.marks: set[int] = set()   # messages, by the store's lasting number (number_at), not rows
        self.show_process = False
        self.follow = True  # live: stay on the newest row until the user moves away from it
        self._cache: dict[int, str] = {}
        self.columns: tuple[str, ...] = LAYOUTS[0][1]
        self._widths: dict[str, int] = {}
        self.process_width = PROCESS_MIN
        self._set_columns(200)

    # --- columns ----------------------------------------------------------------------
    def _set_columns(self, width: int) -> None:
        """The columns and their widths for a list `width` cells wide."""
        names = self.config.columns   # the settings file's columns, at every width
        if names is None:
            names = next(cols for least, cols in LAYOUTS if width >= least)
            if self.show_process:
                names = names[:2] + ("process",) + names[2:]
        narrow = width < LAYOUTS[1][0]
        widths = {n: (NARROW_WIDTHS.get(n, COLUMNS[n][2]) if narrow else COLUMNS[n][2]) for n in names}
        if "process" in widths:
            widths["process"] = self.process_width
        if "time" in widths:   # as wide as the format's text (10 below 110 columns for the short ones)
            tw = self.times.width
            widths["time"] = NARROW_WIDTHS["time"] if narrow and tw <= COLUMNS["time"][2] else tw
        widths.update((n, w) for n, w in self.config.widths.items() if n in widths)
        if (names, widths) != (self.columns, self._widths):
            self.columns, self._widths = names, widths
            self._clear_cache()

    def set_show_process(self, shown: bool) -> None:
        """Live: a Process column after Time."""
        self.show_process = shown
        self._set_columns(self.size.width or 200)
        self.refresh()

    def _title(self, name: str) -> str:
        return self.times.title if name == "time" else COLUMNS[name][0]   # the time column says its format

    def header_text(self) -> str:
        return " ".join(_fit(self._title(n), self._widths[n], COLUMNS[n][1]) if self._widths[n] else self._title(n)
                        for n in self.columns)

    def _clear_cache(self) -> None:
        self._cache.clear()
        self._styles.clear()

    def _row_text(self, m, time_text: str) -> str:
        if "process" in self.columns:
            proc = str(m.process) if m.process else "-"
            if len(proc) > self.process_width and self.process_width < PROCESS_MAX:
                # the column grows to hold the widest sender seen; rows drawn before are redrawn
                self.process_width = min(len(proc), PROCESS_MAX)
                self._widths["process"] = self.process_width
                self._clear_cache()
                self.refresh()
        cells = []
        for n in self.columns:
            title, align, _, cell = COLUMNS[n]
            text = cell(m, time_text)
            w = self._widths[n]
            cells.append(text if not w else _fit(text, w, align) if n not in NEVER_CUT or len(text) <= w else text)
        line = " ".join(cells)
        # the Info, the family and the process are the capture's text: no control byte reaches the terminal
        return line if line.isprintable() else escape_text(line)

    # --- data -----------------------------------------------------------------------
    def refresh_rows(self) -> None:
        """The store grew or its view changed."""
        self._clear_cache()
        if self.marks and self.store.dropped:   # a live store forgot its oldest messages
            self.marks = {n for n in self.marks if n >= self.store.dropped}
        if self.store.dropped:
            self.times.forget_before(self.store.dropped)
        self.virtual_size = Size(self.size.width, len(self.store) + 1)
        if self.cursor >= len(self.store):
            self.cursor = max(0, len(self.store) - 1)
        self.refresh()

    def replace_store(self, store) -> None:
        """Show another store (a file opened or reloaded): marks and time references belong
        to the messages of the one before and go; the format stays."""
        self.store = store
        self.marks = set()
        self.times = TimeColumn(self.times.code)
        self.follow = True
        self.cursor = 0
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh_rows()

    def on_resize(self, event) -> None:
        self._set_columns(event.size.width)
        self.virtual_size = Size(event.size.width, len(self.store) + 1)
        self.call_after_refresh(self.show_cursor)   # a smaller list keeps the selected row in sight

    @property
    def time_format(self) -> str:
        """The Time column's format: tshark -t's code (r, a, ad, adoy, u, ud, udoy, e, d, dd)."""
        return self.times.code

    def set_time_format(self, code: str) -> None:
        if code not in FORMATS:
            raise ValueError(f"unknown time format {code!r}")
        self.times.code = code
        self._widths.clear()   # the column's width follows the format
        self._set_columns(self.size.width or 200)
        self._clear_cache()
        self.refresh()

    def toggle_time_ref(self) -> bool | None:
        """Set or unset a time reference on the message at the cursor (None: no message)."""
        if not len(self.store):
            return None
        on = self.times.toggle_ref(self.store.number_at(self.cursor))
        self._clear_cache()   # every row after it counts from it now
        self.refresh()
        return on

    def _text(self, row: int) -> str:
        text = self._cache.get(row)
        if text is None:
            m = self.store.at(row)
            text = self._row_text(m, self.times.text(self.store, row))
            if len(self._cache) > 4096:
                self._clear_cache()
            self._cache[row] = text
        return text

    def _rule_style(self, row: int) -> Style | None:
        """The style of the first colouring rule the row's message matches (None: no rule does)."""
        if row in self._styles:
            return self._styles[row]
        m = self.store.at(row)
        style = next((r.style for r in self.config.rules if r.matches(m)), None)
        if len(self._styles) > 4096:
            self._styles.clear()
        self._styles[row] = style
        return style

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
            x = self.scroll_offset.x
            return Strip([Segment(self.header_text()[x:x + width].ljust(width), style)])
        row = self.scroll_offset.y + y - 1
        if row >= len(self.store):
            return Strip.blank(width)
        text = self._text(row)
        x = self.scroll_offset.x
        text = text[x:x + width].ljust(width)
        style = Style()
        rule = self._rule_style(row) if self.config.rules else None
        cls = self._row_class(row) if rule is None else None
        if rule is not None:   # the settings file's rules first, then the built-in colours
            style = rule
        elif cls:
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

    def on_key(self, event) -> None:
        route_typing(self, event)

    def on_click(self, event) -> None:
        row = self.scroll_offset.y + event.y - 1
        if 0 <= row < len(self.store):
            self.user_went(row)
