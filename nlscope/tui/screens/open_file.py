"""Open another capture (Wireshark's File > Open, Ctrl+O): one line for its path; what cannot
be read as a capture is refused in the dialog, and the capture shown stays open."""
from __future__ import annotations

import os
import stat

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from dissectors.text import escape_text


def capture_problem(path: str) -> str | None:
    """Why `path` cannot be opened as a capture (None: it can).  Only a regular file is
    read (a FIFO or a device could block the screen forever), and only its first frame,
    as `nlscope open` checks before the screen is taken."""
    from ...sources import CaptureError, read_capture
    if not path:
        return "no file named"
    if "\0" in path:
        return "a file name holds no NUL byte"
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"cannot open it: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        return "it is a directory"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a pipe or a device is not opened here)"
    if not os.access(path, os.R_OK):
        return "cannot open it: permission denied"
    try:
        next(iter(read_capture(path)), None)
    except CaptureError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    return None


class OpenScreen(ModalScreen[str | None]):
    """Asks for a capture's path; dismissed with it once it can be read, None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: str = ""):
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="open-box"):
            yield Label(Text("Open a capture (pcap or pcapng); Esc keeps this one", style="bold"))
            yield Input(self.start, id="open-path", placeholder="path/to/capture.pcapng")
            yield Static("", id="open-problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = os.path.expanduser(event.value.strip())
        problem = capture_problem(path)
        if problem is not None:
            shown = escape_text(f"{event.value.strip()[:60]}: {problem}"[:200])
            self.query_one("#open-problem", Static).update(Text(shown, style="bold red"))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
