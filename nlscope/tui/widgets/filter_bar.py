"""The display-filter input: field-name completion, history, live validation."""
from __future__ import annotations

import bisect
import os
import re

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input


TOKEN = re.compile(r"[A-Za-z_][\w.]*$")   # the field name being typed: the last token


class FieldSuggester(Suggester):
    """Completes the field name being typed (the last token) from every known field."""

    def __init__(self):
        super().__init__(use_cache=True, case_sensitive=True)
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        if self._names is None:
            from dissectors import FIELDS, load_families

            from ...analysis.filter import INDEX_FIELDS
            load_families()
            self._names = sorted({f.abbrev for f in FIELDS} | set(INDEX_FIELDS))
        return self._names

    def candidates(self, token: str) -> list[str]:
        """The field names that begin with `token`, in order."""
        names = self.names()
        i = bisect.bisect_left(names, token)
        out = []
        while i < len(names) and names[i].startswith(token):
            out.append(names[i])
            i += 1
        return out

    async def get_suggestion(self, value: str) -> str | None:
        m = TOKEN.search(value)
        if m is None or len(m.group()) < 2:
            return None
        token = m.group()
        for name in self.candidates(token):
            if name != token:
                return value[:m.start()] + name
        return None


class FilterBar(Input):
    """As Wireshark's: green while the text is a valid filter, red with the reason (and
    where) while it is not, said in the bar's lower border as one types; Tab completes the
    field name (never leaves the bar while it holds text)."""

    BINDINGS = [Binding("up", "history(-1)", "Older filter", show=False),
                Binding("down", "history(1)", "Newer filter", show=False),
                Binding("tab", "complete", "Complete", show=False)]

    MAX_SHOWN = 6   # field names listed when Tab finds several

    def __init__(self, **kw):
        super().__init__(placeholder="display filter, e.g. netlink.error != 0 (Enter applies, Tab completes, "
                                     "↑↓ history)", suggester=FieldSuggester(), **kw)
        self.history: list[str] = []
        self._pos = 0
        self.problem: str | None = None   # why the text is not a filter (None: it is, or it is empty)
        self._listing: Text | None = None  # the names Tab found, said in place of the verdict once

    def on_input_changed(self, event: Input.Changed) -> None:
        from ...analysis.filter import FilterError, compile_filter
        text = event.value.strip()
        self.remove_class("-valid", "-invalid")
        self.problem = None
        listing, self._listing = self._listing, None
        if not text:
            self.border_subtitle = None
            return
        try:
            compile_filter(text)
        except FilterError as exc:
            self.problem = f"{exc.message} (column {exc.column})"
            self.add_class("-invalid")
            # the typed text, not markup: a "[" in it is a bracket
            self.border_subtitle = listing or Text(self.problem)
        else:
            self.add_class("-valid")
            self.border_subtitle = listing or Text("valid: Enter applies")

    def action_complete(self) -> None:
        """Tab: complete the field name being typed, as far as the names that begin so agree
        (listing them when several do); with nothing typed, Tab moves on as usual."""
        if not self.value:
            self.screen.focus_next()
            return
        head = self.value[:self.cursor_position]
        m = TOKEN.search(head)
        names = self.suggester.candidates(m.group()) if m is not None else []
        if not names:
            self.app.bell()
            return
        common = os.path.commonprefix(names)
        if len(names) == 1 and not self.value[self.cursor_position:].startswith(" "):
            common += " "
        rest = self.value[self.cursor_position:]
        if len(names) > 1:
            shown = ", ".join(names[:self.MAX_SHOWN]) + (f", … ({len(names)} fields)" if len(names) > self.MAX_SHOWN
                                                       else "")
            self._listing = Text(shown)
        value = head[:m.start()] + common + rest
        if value == self.value:       # nothing to add: no Changed follows, say the names now
            if self._listing is not None:
                self.border_subtitle, self._listing = self._listing, None
        else:
            self.value = value
        self.cursor_position = m.start() + len(common)

    def remember(self, text: str) -> None:
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        self._pos = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self._pos = max(0, min(len(self.history), self._pos + step))
        self.value = self.history[self._pos] if self._pos < len(self.history) else ""
        self.cursor_position = len(self.value)


def route_typing(widget, event) -> None:
    """For the list and the tree: "/" and the text typed on at once arrive together, every
    key sent to the widget focused before "/" has moved the focus (the app's binding runs
    once "/" has bubbled up to it).  So "/" moves it here, at once, and what follows goes to
    the bar it now is on, never to the widget's or the app's hotkeys."""
    app = widget.app
    if event.key == "slash" and app.focused is widget:
        event.stop()
        event.prevent_default()
        app.action_focus_filter()
        return
    focused = app.focused
    if isinstance(focused, FilterBar) and focused is not widget and (
            event.is_printable or event.key in ("backspace", "tab", "enter")):
        event.stop()
        event.prevent_default()
        focused.post_message(events.Key(event.key, event.character))
