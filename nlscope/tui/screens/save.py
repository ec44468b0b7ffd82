"""Save as: a file name and which messages (shown, marked, all), as Wireshark's Export
Specified Packets asks; an existing file is replaced only once the user says so, the file
being read never, and a file is written whole (a temporary file renamed over it) or not at all."""
from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

WHICH = (("shown", "Displayed"), ("marked", "Marked"), ("all", "All captured"))


@dataclass
class SaveRequest:
    path: str
    which: str   # shown, marked or all


def same_file(a: str, b: str) -> bool:
    """b is the file a (the capture being read) by any name or link."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(sb.st_mode) and (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def write_whole(path: str, write) -> None:
    """`write(f)` into a temporary file beside `path`, renamed over it once written: an
    existing file stays as it was if writing fails (OSError).  A device or FIFO is written
    directly."""
    target = os.path.realpath(path)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(target, "wb") as f:
            write(f)
        return
    fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".part",
                                dir=os.path.dirname(target) or ".")
    try:
        if st is not None:
            os.fchmod(fd, stat.S_IMODE(st.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


class SaveScreen(ModalScreen[SaveRequest | None]):
    """File name and which messages; Enter (or Save) answers, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, path: str, counts: dict[str, int], which: str = "shown"):
        super().__init__()
        self.path, self.counts, self.which = path, counts, which

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Label(Text("Save as pcapng", style="bold"))
            yield Input(self.path, id="save-path", placeholder="file name")
            with RadioSet(id="save-which"):
                for key, title in WHICH:
                    yield RadioButton(f"{title} ({self.counts.get(key, 0)} messages)", value=key == self.which,
                                      id=f"save-{key}")
            yield Static("", id="save-problem")
            with Horizontal(id="save-buttons"):
                yield Button("Save", variant="primary", id="save-ok")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        self.query_one("#save-path", Input).focus()

    def chosen(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.id.removeprefix("save-") if pressed is not None else "shown"

    def _answer(self) -> None:
        path = self.query_one("#save-path", Input).value.strip()
        if not path:
            self.query_one("#save-problem", Static).update(Text("a file name is needed", style="bold red"))
            return
        self.dismiss(SaveRequest(os.path.expanduser(path), self.chosen()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save-ok":
            self._answer()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or Enter says yes, n or Esc no."""

    BINDINGS = [Binding("y,enter", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-text")
            yield Static(Text("y / Enter: yes      n / Esc: no", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
