"""What a display filter reports when it is refused (at compile time) or cannot finish (at match time).

A filter is untrusted text (a script, a pasted line, a saved history), so what is echoed
back — the fragment in the message and the filter under the caret — is shown with its
control characters made harmless and, for a long filter, cut to the part around the fault.
"""
from __future__ import annotations

# the part of a long filter shown around the caret, in characters either side
_WINDOW = 40


def quote(fragment: str, limit: int = 40) -> str:
    """A piece of the filter as an error message quotes it: non-printables escaped, cut to `limit`."""
    out = []
    for ch in fragment[:limit]:
        out.append(ch if ch.isprintable() else ascii(ch)[1:-1])
    return "".join(out) + ("…" if len(fragment) > limit else "")


def _shown(ch: str) -> str:
    """One character of the filter under a caret: one column, never a control character."""
    if ch.isprintable():
        return ch
    return " " if ch.isspace() else "?"


class FilterError(ValueError):
    """A filter that does not compile: what is wrong and the 1-based column where."""

    def __init__(self, message: str, column: int, text: str = ""):
        self.message, self.column, self.text = message, column, text
        super().__init__(f"{message} (column {column})")

    def pointer(self) -> str:
        """The filter with a caret under the column at fault (a long filter: the part around it)."""
        at = self.column - 1
        start = max(0, at - _WINDOW) if len(self.text) > 2 * _WINDOW else 0
        end = start + 2 * _WINDOW if len(self.text) > 2 * _WINDOW else len(self.text)
        head = "…" if start > 0 else ""
        tail = "…" if end < len(self.text) else ""
        line = head + "".join(_shown(c) for c in self.text[start:end]) + tail
        return f"{line}\n{' ' * (len(head) + at - start)}^"


class FilterTimeout(FilterError):
    """A compiled filter that could not finish on one message within its time budget
    (raised while matching, not while compiling: the filter itself was valid)."""
