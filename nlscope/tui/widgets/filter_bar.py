"""The display-filter input: field-name completion, history, live validation."""
from __future__ import annotations

import re

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input


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

    async def get_suggestion(self, value: str) -> str | None:
        m = re.search(r"[A-Za-z_][\w.]*$", value)
        if m is None or len(m.group()) < 2:
            return None
        token = m.group()
        for name in self.names():
            if name.startswith(token) and name != token:
                return value[:m.start()] + name
        return None


class FilterBar(Input):
    BINDINGS = [Binding("up", "history(-1)", "Older filter", show=False),
                Binding("down", "history(1)", "Newer filter", show=False)]

    def __init__(self, **kw):
        super().__init__(placeholder="display filter, e.g. netlink.error != 0 (Enter applies, Tab completes, "
                                     "↑↓ history)", suggester=FieldSuggester(), **kw)
        self.history: list[str] = []
        self._pos = 0

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
