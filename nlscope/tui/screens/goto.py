"""Go to message (Wireshark's Go to Packet, Ctrl+G): a frame number, or frame.index."""
from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

NUMBER = re.compile(r"\s*(\d{1,10})(?:\.(\d{1,6}))?\s*$")


def parse_number(text: str) -> tuple[int, int] | None:
    """"12" -> (12, 1), "12.3" -> (12, 3); None if it is not a message number."""
    m = NUMBER.match(text)
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2) or 1)


class GotoScreen(ModalScreen[tuple[int, int] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Label(Text("Go to message (frame, or frame.index)", style="bold"))
            yield Input(id="goto-number", placeholder="e.g. 12 or 12.3")
            yield Static("", id="goto-problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        number = parse_number(event.value)
        if number is None:
            self.query_one("#goto-problem", Static).update(
                Text(f"not a message number: {event.value[:40]!r}", style="bold red"))
            return
        self.dismiss(number)

    def action_cancel(self) -> None:
        self.dismiss(None)
