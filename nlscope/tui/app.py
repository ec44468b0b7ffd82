"""The nlscope TUI: message list, detail tree, hex pane, filter bar, transactions, statistics."""
from __future__ import annotations

import os
import sys

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Static

from dissectors.text import escape_text

from ..analysis.filter import FilterError, compile_filter
from .config import TuiConfig, load_config
from .field_filter import filter_for
from .screens.goto import GotoScreen
from .screens.modals import HelpScreen, TransactionScreen, TxChoice
from .screens.stats import Drilled, StatsScreen
from .screens.open_file import OpenScreen, capture_problem
from .screens.save import ConfirmScreen, SaveRequest, SaveScreen, same_file, write_whole
from .store import MessageStore
from .time_display import FORMATS, next_format
from .widgets.detail_tree import DetailTree
from .widgets.filter_bar import FilterBar
from .widgets.hex_view import HexView
from .widgets.message_list import MessageList


class NlscopeApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "nlscope"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True),
        Binding("slash", "focus_filter", "Filter"),
        Binding("escape", "focus_list", "List", show=False),
        Binding("enter", "focus_tree", "Tree", show=False),
        Binding("n", "next_match(1)", "Next", show=False),
        Binding("N", "next_match(-1)", "Prev", show=False),
        Binding("t", "transaction", "Transaction"),
        Binding("r", "related", "Request/answer", show=False),
        Binding("m", "mark", "Mark", show=False),
        Binding("M", "next_mark(1)", "Next mark", show=False),
        Binding("less_than_sign", "next_mark(-1)", "Previous mark", show=False),
        Binding("T", "time_format", "Time", show=False),
        Binding("ctrl+t", "time_ref", "Time reference", show=False),
        Binding("s", "stats", "Stats"),
        Binding("w", "save", "Save"),
        Binding("c", "copy", "Copy", show=False),
        Binding("y", "copy_field", "Copy field", show=False),
        Binding("Y", "copy_bytes", "Copy bytes", show=False),
        Binding("b", "blame", "Blamed attribute", show=False),
        Binding("x", "toggle_hex", "Bytes", show=False),
        Binding("f", "field_filter(True)", "Apply as filter", show=False),
        Binding("F", "field_filter(False)", "Prepare filter", show=False),
        Binding("ctrl+g", "goto", "Go to message", show=False),
        Binding("ctrl+r", "reopen", "Reload", show=False),
        Binding("ctrl+o", "open", "Open", show=False),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, path: str | None = None, genl: dict | None = None, save_path: str | None = None,
                 store=None, show_secrets: bool = False, time_format: str = "r", display_filter: str = "",
                 config: TuiConfig | None = None):
        """`time_format`: tshark -t's code; `display_filter`: applied once the file is read
        (`open -Y`), a FilterError here if it is not one; `config`: columns and colouring
        rules (by default the user's tui.toml, see config.py)."""
        super().__init__()
        self.config = config if config is not None else load_config()
        self._config_problem = self.config.problem
        if time_format not in FORMATS:
            raise ValueError(f"unknown time format {time_format!r} (one of {', '.join(FORMATS)})")
        self.time_format = time_format
        display_filter = display_filter.strip()
        if display_filter:
            compile_filter(display_filter)   # FilterError: said by the caller, before the screen is taken
        self._filter_on_load = display_filter
        self.genl, self.show_secrets = genl, show_secrets
        self.store = store if store is not None else MessageStore(path, genl, show_secrets=show_secrets)
        self.live = hasattr(self.store, "live")
        # stdin, or a file being written (StreamStore): rows appear as frames arrive
        self.streaming = getattr(self.store, "streaming", False)
        self.save_path = save_path or "nlscope-saved.pcapng"
        self.sub_title = f"live on {self.store.ifname}" if self.live else \
            f"{self.store.name} (following)" if self.streaming else os.path.basename(self.store.path)
        if self.live:
            self.bind("p", "pause", description="Pause")
            self.bind("C", "clear", description="Clear")

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter")
        yield MessageList(self.store, self.config, id="list")
        with Horizontal(id="lower"):
            yield DetailTree(id="tree")
            yield HexView(id="hex")
        yield Static("loading…", id="status")
        yield Footer()

    PALETTE = [
        ("Filter", "Edit the display filter (/)", "focus_filter"),
        ("Next match", "Next message matching the filter or search text (n)", "next_match(1)"),
        ("Previous match", "Previous message matching (N)", "next_match(-1)"),
        ("Transaction", "Show the selected message's transaction (t)", "transaction"),
        ("Request / answer", "Jump between a request and its first answer (r)", "related"),
        ("Blamed attribute", "On an error: select the request attribute its extack blames (b)", "blame"),
        ("Mark", "Mark or unmark the message (m)", "mark"),
        ("Next mark", "Go to the next marked message (M)", "next_mark(1)"),
        ("Previous mark", "Go to the previous marked message (<)", "next_mark(-1)"),
        ("Time format", "Next time display format: relative, absolute, UTC, epoch, delta (T)", "time_format"),
        ("Time reference", "Set or unset a time reference on the message; relative times count from it (Ctrl+T)",
         "time_ref"),
        ("Statistics", "Counts, errors, processes, latency, rate (s)", "stats"),
        ("Save", "Save the messages shown as pcapng (w)", "save"),
        ("Copy message", "Copy the message as JSON (c)", "copy"),
        ("Copy field", "Copy the selected field (y)", "copy_field"),
        ("Copy bytes", "Copy the selected field's bytes as hex (Y)", "copy_bytes"),
        ("Bytes pane", "Show or hide the hex and ASCII of the message (x)", "toggle_hex"),
        ("Apply as filter", "Filter on the selected field's value (f)", "field_filter(True)"),
        ("Prepare filter", "Put a filter on the selected field's value in the bar, not applied (F)",
         "field_filter(False)"),
        ("Go to message", "Go to a message by its number, frame or frame.index (Ctrl+G)", "goto"),
        ("Reload", "Read the capture file again, keeping the filter (Ctrl+R)", "reopen"),
        ("Open", "Open another capture file (Ctrl+O)", "open"),
        ("Expand all", "Open every subtree of the detail tree (Ctrl+Right, *)", "expand_all"),
        ("Collapse all", "Close every subtree of the detail tree (Ctrl+Left, -)", "collapse_all"),
        ("Help", "Every key binding (?)", "help"),
    ]

    def get_system_commands(self, screen):
        """Every nlscope action in the command palette (Ctrl+P), beside Textual's own."""
        yield from super().get_system_commands(screen)
        for title, help_text, action in self.PALETTE:
            yield SystemCommand(title, help_text, lambda a=action: self.run_action(a))
        for code, (name, _, what) in FORMATS.items():   # Wireshark's View > Time Display Format
            yield SystemCommand(f"Time: {name} (-t {code})", what, lambda c=code: self.set_time_format(c))
        if self.live:
            yield SystemCommand("Pause / resume", "Hold the display; capture goes on (p)",
                                lambda: self.run_action("pause"))
            yield SystemCommand("Clear", "Forget the messages captured so far (C)", lambda: self.run_action("clear"))

    # what the app's keys do is on the main screen: over a dialog (statistics, a transaction,
    # save…) they are the dialog's, and "/" or "t" there must not reach the screen below
    MAIN_SCREEN_ONLY = frozenset(b.action.split("(")[0] for b in BINDINGS
                                 if b.action not in ("quit", "interrupt"))

    def check_action(self, action: str, parameters) -> bool | None:
        if action in self.MAIN_SCREEN_ONLY and len(self.screen_stack) > 1:
            return False
        if action == "interrupt":   # over a file, ^C is Textual's (copy, or how to quit)
            return self.live or self.streaming
        return True

    crash: str | None = None   # the one line said when an unhandled exception stopped the app

    def _fatal_error(self) -> None:
        """An exception nothing handled (in a handler or a worker) stops the app, as Textual
        does, but is told in one line (by `run`, once the terminal is back), not in a
        screenful of traceback and locals that hold the capture's bytes; the app's return
        code is 1.  `textual run --dev` keeps Textual's traceback."""
        if "debug" in self.features:
            return super()._fatal_error()
        error = self._exception
        error = getattr(error, "error", None) or error   # a worker's WorkerFailed: what it raised
        what = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
        self.crash = escape_text(f"nlscope: internal error, the TUI stopped: {what[:300]} (please report it)")
        self.bell()
        self._close_messages_no_wait()

    def run(self, *args, **kw):
        """Run the app; after a crash, say it in one line on stderr (`return_code` is then 1)."""
        result = super().run(*args, **kw)
        if self.crash:
            print(self.crash, file=sys.stderr, flush=True)
        return result

    def on_mount(self) -> None:
        self._layout(self.size)
        lst = self.query_one(MessageList)
        lst.focus()
        lst.set_time_format(self.time_format)
        if self.live:
            lst.set_show_process(True)
        if self._config_problem:
            self.notify(self._config_problem, severity="warning", timeout=12, markup=False)
            self.set_timer(12, self._config_told)
        if self._filter_on_load:
            bar = self.query_one(FilterBar)
            bar.value = self._filter_on_load
            bar.remember(self._filter_on_load)
            if self.live or self.streaming:   # a live view matches what arrives as it arrives (catch_up)
                self.apply_filter(self._filter_on_load)
        self.load()

    # --- layout -----------------------------------------------------------------------
    WIDE = 150     # from this width the bytes sit beside the tree (76 columns), else below it
    SHORT = 30     # below this height the title line goes
    hex_wanted: bool | None = None   # x: shown or hidden by the user; None: as the width says

    def on_resize(self, event) -> None:
        self._layout(event.size)

    def _layout(self, size) -> None:
        wide = size.width >= self.WIDE
        lower = self.query_one("#lower")
        lower.set_class(not wide, "-stacked")
        shown = wide if self.hex_wanted is None else self.hex_wanted
        self.query_one(HexView).set_class(not shown, "-hidden")
        self.screen.set_class(size.height < self.SHORT, "-short")

    def action_interrupt(self) -> None:
        """^C on a capture that goes on (live, stdin, a file followed): the app ends, as
        `tail -f` does; text selected in the filter bar is copied instead."""
        focused = self.focused
        if isinstance(focused, Input) and not focused.selection.is_empty:
            focused.action_copy()
            return
        self.exit()

    def action_toggle_hex(self) -> None:
        """Show or hide the bytes pane (hidden at first below 150 columns)."""
        self.hex_wanted = self.query_one(HexView).has_class("-hidden")
        self._layout(self.size)

    def on_unmount(self) -> None:
        if self.live:
            self.store.stop()
        elif self.streaming:
            self.store.close()   # the reader stops waiting for the writer

    # --- loading, in a worker --------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        store = self.store   # another file opened meanwhile: what this one's reading says is not shown
        store.load(progress=lambda n, done: self.call_from_thread(self._loaded, n, done, store))

    def _main_gone(self) -> bool:
        """The main screen's widgets are gone (the app is shutting down): what a worker
        still posts (a last batch, a filter's end) has nothing to show on."""
        return len(self.query("MessageList, DetailTree, HexView, #status")) < 4

    def _loaded(self, count: int, done: bool, store=None) -> None:
        if self._main_gone() or (store is not None and store is not self.store):
            return
        if self.live or self.streaming:
            self.store.take()   # here, on the UI thread, the list and the view grow
        lst = self.query_one(MessageList)
        lst.refresh_rows()
        if (self.live or self.streaming) and lst.follow and len(self.store):
            lst.go(len(self.store) - 1)
        elif count and lst.cursor == 0 and not self.query_one(DetailTree).root.children:
            lst.go(0)
            self._show(0)
        self._status()
        if done and self.store.error:
            self.notify(self.store.error, severity="error", timeout=10, markup=False)
        if done and self._filter_on_load:
            text, self._filter_on_load = self._filter_on_load, ""
            self.apply_filter(text)

    def _status(self) -> None:
        if self._main_gone():
            return
        s = self.store
        field = self._field_status()
        # a live capture reads until it is stopped: "reading…" is for a file being indexed
        if self.streaming:
            state = f" (following {s.name})" if not s.done else f" ({s.name} ended)" if s.path == "-" else ""
        else:
            state = "" if s.done or self.live else " (reading…)"
        parts = [f"{len(s.messages)} messages{state}"]
        if s.view is not None:
            parts.append(f"{len(s.view)} shown by filter")
        lst = self.query_one(MessageList)
        if len(s):
            parts.append(f"row {lst.cursor + 1}")
        if self.live:
            received, dropped = s.statistics()
            parts.append(f"{s.rate:.0f} msg/s · kernel passed {received} frames, dropped {dropped}")
            if s.paused:
                parts.append(f"PAUSED ({len(s.backlog)} waiting)")
            parts.append("following" if lst.follow else "not following (G to follow)")
        elif self.streaming and not s.done:
            parts.append("at the newest" if lst.follow else "not at the newest (G goes there)")
        if lst.marks:
            parts.append(f"{len(lst.marks)} marked")
        line = " · ".join(parts)
        if self._config_problem:   # a bad tui.toml: said first, for the first seconds
            line = f"{self._config_problem} · {line}"
        self.query_one("#status", Static).update(Text(f"{field}  │  {line}" if field else line))

    def _config_told(self) -> None:
        self._config_problem = None
        self._status()

    # --- selection ----------------------------------------------------------------------
    _detail_timer = None

    def on_message_list_selected(self, event: MessageList.Selected) -> None:
        # holding a key down moves the cursor many rows a second: decode and lay out the
        # selected message's tree once the cursor rests (40 ms), not for every row passed
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(0.04, self._show_selected)
        self._status()

    def _show_selected(self) -> None:
        """The detail timer: the message at the cursor *now* (the row it was set for may have
        gone meanwhile: a filter installed, a live store's oldest messages forgotten)."""
        self._detail_timer = None
        if not self._main_gone():
            self._show(self.query_one(MessageList).cursor)

    _pending_select = None

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.store):
            return
        m = self.store.at(row)
        tree = self.query_one(DetailTree)
        pending = self._pending_select
        if m is tree.msg and (pending is None or pending[0] is not m):
            return   # shown already: its tree keeps its cursor, its bytes their highlight
        tree.show_message(m)
        self.query_one(HexView).show(m)
        if pending is not None and pending[0] is m:
            self._pending_select = None
            # the tree lays out its new nodes on the next refresh; select after it
            self.call_after_refresh(tree.select_offset, pending[1])
            self.call_after_refresh(self.query_one(HexView).show, m, pending[1], pending[2])

    def on_tree_node_highlighted(self, event) -> None:
        data = event.node.data
        if data:
            node = data[0]
            self.query_one(HexView).show(self.query_one(HexView).msg, node.offset, node.length)
        self._status()

    def _field_status(self) -> str:
        """The selected field as Wireshark's status bar names it: its filter name, where its
        bytes are and how many ("" when no field is selected)."""
        tree = self.query_one(DetailTree)
        tn = tree.cursor_node
        if tn is None or not tn.data or tn.tree is not tree:
            return ""
        node = tn.data[0]
        n = max(node.length, 0)
        return f"{node.field.abbrev} · offset {node.offset} ({node.offset:#x}), {n} byte{'s' if n != 1 else ''}"

    def on_hex_view_byte_clicked(self, event: HexView.ByteClicked) -> None:
        self.query_one(DetailTree).select_offset(event.offset)

    def current(self):
        if not len(self.store):
            return None
        return self.store.at(self.query_one(MessageList).cursor)

    # --- filter -------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        text = event.value.strip()
        try:
            compile_filter(text) if text else None
        except FilterError as exc:
            self.notify(f"{exc.message} (column {exc.column})", severity="error", markup=False)
            return
        self.query_one(FilterBar).remember(text)
        self.apply_filter(text)
        self.query_one(MessageList).focus()

    @work(thread=True, exclusive=True, group="filter")
    def apply_filter(self, text: str) -> None:
        store = self.store
        self._filter_on_load = ""   # a filter chosen while the file is read replaces open -Y's

        def progress(done: int, total: int) -> None:
            self.call_from_thread(self._say, f"filtering… {done * 100 // max(total, 1)} % of {total} messages")
        from ..analysis.filter import FilterError
        try:
            view = store.compute_view(text, progress)
        except FilterError as exc:   # at match time: out of time (FilterTimeout); the view stays
            self.call_from_thread(self.notify, f"the filter stopped: {exc.message}", severity="error",
                                  markup=False)
            self.call_from_thread(self._status)
            return
        self.call_from_thread(self._filtered, view, store)

    def _say(self, text: str) -> None:
        """Progress on the status line."""
        if not self._main_gone():
            self.query_one("#status", Static).update(text)

    def _filtered(self, view, store=None) -> None:
        if store is not None and store is not self.store:
            return   # computed for a capture no longer shown
        # installed here, on the UI thread: a row being drawn never sees the view change
        self.store.install_view(view)
        if self._main_gone():
            return
        lst = self.query_one(MessageList)
        lst.cursor = 0
        lst.refresh_rows()
        if len(self.store):
            self._show(0)
        self._status()

    # --- actions ------------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        # at once, not on the next idle (as focus() does): what is typed right after / is
        # already queued and must reach the bar, not fire the list's hotkeys
        self.set_focus(self.query_one("#filter", Input))

    def action_focus_list(self) -> None:
        self.query_one(MessageList).focus()

    def action_focus_tree(self) -> None:
        """Enter on the list: into the selected message's tree (Esc comes back)."""
        for tree in self.screen.query(DetailTree):   # none while a statistics or help screen is up
            tree.focus()

    def action_next_match(self, direction: int) -> None:
        text = self.query_one("#filter", Input).value.strip()
        lst = self.query_one(MessageList)
        if not text:
            return
        try:
            flt = compile_filter(text)
        except FilterError:
            flt = _search(text)
        row = lst.cursor + direction
        while 0 <= row < len(self.store):
            if flt(self.store.at(row)):
                lst.go(row)
                return
            row += direction
        self.notify("no further match")

    def action_transaction(self) -> None:
        m = self.current()
        if m is not None:
            lst = self.query_one(MessageList)
            self.push_screen(TransactionScreen(m, self.store, lst.times), self._tx_chosen)

    def _tx_chosen(self, choice: TxChoice | None) -> None:
        """From the transaction screen: go to one of its messages, or filter on it."""
        if choice is None:
            return
        if choice.filter is not None:
            bar = self.query_one(FilterBar)
            bar.value = choice.filter
            bar.remember(choice.filter)
            self.apply_filter(choice.filter)
            return
        row = self.store.row_of_number(choice.number)
        if row is None:
            self.notify("that message is not in the current view (t, then f filters on its transaction)")
            return
        self.query_one(MessageList).user_went(row)

    def action_related(self) -> None:
        m = self.current()
        if m is None or not m.tx or m.tx[0] is None:
            return
        t, role = m.tx
        target = (t.responses[0] if t.responses else None) if role == "request" else t.request
        row = self.store.row_of(target) if target is not None else None
        if row is None:
            self.notify("not in the current view")
        else:
            self.query_one(MessageList).go(row)

    def action_mark(self) -> None:
        self.query_one(MessageList).toggle_mark()
        self._status()

    def action_next_mark(self, direction: int) -> None:
        """The next (1) or previous (-1) marked message the view shows, round the end (said)."""
        lst = self.query_one(MessageList)
        rows = lst.marked_rows()
        if not rows:
            self.notify("no marked message in this view" if lst.marks else "no message is marked (m marks)")
            return
        ahead = [r for r in rows if r > lst.cursor] if direction > 0 else [r for r in rows if r < lst.cursor][::-1]
        if ahead:
            lst.user_went(ahead[0])
            return
        lst.user_went(rows[0] if direction > 0 else rows[-1])
        self.notify("wrapped to the first mark" if direction > 0 else "wrapped to the last mark")

    def action_time_format(self) -> None:
        """The next time display format (T), said with what it shows."""
        self.set_time_format(next_format(self.query_one(MessageList).time_format))

    def set_time_format(self, code: str) -> None:
        self.time_format = code
        self.query_one(MessageList).set_time_format(code)
        name, _, what = FORMATS[code]
        self.notify(f"time: {name} (-t {code}), {what}", timeout=3)

    def action_time_ref(self) -> None:
        """Set or unset a time reference on the selected message (Wireshark's Ctrl+T)."""
        lst = self.query_one(MessageList)
        on = lst.toggle_time_ref()
        if on is None:
            return
        m = self.store.at(lst.cursor)
        if on and lst.time_format != "r":
            self.notify(f"time reference set on {m.frame}.{m.index}; relative times (T) count from it")
        else:
            self.notify(f"time reference {'set on' if on else 'removed from'} {m.frame}.{m.index}")
        self._status()

    def action_stats(self) -> None:
        self.push_screen(StatsScreen(self.store), self._drilled)

    def _drilled(self, d: Drilled | None) -> None:
        """A statistics row chosen: its filter applied (Enter, f) or put in the bar (F)."""
        if d is None:
            return
        bar = self.query_one(FilterBar)
        bar.value = d.filter
        bar.cursor_position = len(d.filter)
        if d.apply:
            bar.remember(d.filter)
            self.apply_filter(d.filter)
            self.query_one(MessageList).focus()
        else:
            self.set_focus(bar)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_pause(self) -> None:
        self.store.set_paused(not self.store.paused)
        if not self.store.paused:
            self._loaded(len(self.store.messages), False)
        self._status()

    def action_clear(self) -> None:
        self.store.clear()
        self._loaded(0, False)

    def action_save(self) -> None:
        """Save as: a file name, and the messages shown, marked or all (pcapng)."""
        lst = self.query_one(MessageList)
        counts = {"shown": len(self.store), "marked": len(lst.marks), "all": len(self.store.messages)}
        self.push_screen(SaveScreen(self.save_path, counts), self._save_answered)

    def _save_answered(self, req: SaveRequest | None) -> None:
        if req is None:
            return
        if not self.live and same_file(self.store.path, req.path):
            self.notify(f"{req.path} is the capture being read: writing it would destroy it; choose another file",
                        severity="error", markup=False, timeout=8)
            return
        if os.path.lexists(req.path):
            def answered(yes: bool | None) -> None:
                if yes:
                    self._save(req)
            self.push_screen(ConfirmScreen(f"{req.path} exists. Replace it?"), answered)
            return
        self._save(req)

    def _save_numbers(self, which: str) -> list[int]:
        """The numbers (places in `messages`) of the messages to save, in order (UI thread)."""
        s = self.store
        if which == "all":
            return list(range(len(s.messages)))
        if which == "marked":
            return sorted(n - s.dropped for n in self.query_one(MessageList).marks if n >= s.dropped)
        return list(range(len(s.messages))) if s.view is None else list(s.view)

    def _save(self, req: SaveRequest) -> None:
        self.save_path = req.path
        numbers = self._save_numbers(req.which)
        if self.live:
            msgs = [self.store.messages[i] for i in numbers]
            self._write(req, lambda f: self.store.save_to(f, msgs))
            return
        index = self.store.messages
        wanted = {index.f_number[index.m_frame[i]] for i in numbers}
        store = self.store

        def write(f) -> int:
            from ..sources import read_capture
            from ..sources.writer import PcapngWriter
            w, n = PcapngWriter(f), 0
            # stdin cannot be read again: its frames are written from the index
            frames = store.frames_of(numbers) if store.path == "-" and self.streaming else read_capture(store.path)
            for fr in frames:
                if fr.fault is None and fr.number in wanted:
                    w.write(fr)
                    n += 1
            return n
        self._write(req, write)

    @work(thread=True, exclusive=True, group="save")
    def _write(self, req: SaveRequest, write) -> None:
        """Write in a worker (a large capture is read again): the UI goes on meanwhile."""
        from ..sources import CaptureError
        count = []
        try:
            write_whole(req.path, lambda f: count.append(write(f)))
        except (OSError, CaptureError) as exc:
            what = getattr(exc, "strerror", None) or str(exc)
            self.call_from_thread(self.notify, f"cannot write {req.path}: {what}", severity="error", markup=False)
            return
        self.call_from_thread(self.notify, f"saved {count[0]} frames ({req.which}) to {req.path}", markup=False)

    def _selected_node(self):
        tree = self.query_one(DetailTree)
        return tree.cursor_node.data[0] if tree.cursor_node is not None and tree.cursor_node.data else None

    def action_copy_field(self) -> None:
        """Copy the selected field as `name: value` (the message's info if none is selected)."""
        node = self._selected_node()
        m = self.current()
        if node is not None:
            self.copy_to_clipboard(node.line())
            self.notify(f"copied {node.field.abbrev}")
        elif m is not None:
            self.copy_to_clipboard(m.info)

    def action_copy_bytes(self) -> None:
        """Copy the selected field's bytes (the whole message if none is selected) as hex."""
        m = self.current()
        if m is None:
            return
        node = self._selected_node()
        lo, n = (node.offset, node.length) if node is not None else (m.offset, m.length)
        self.copy_to_clipboard(bytes(m.buf[lo:lo + n]).hex())
        self.notify(f"copied {n} bytes as hex")

    def action_blame(self) -> None:
        """On an error: go to its request and select the attribute the extack blames."""
        m = self.current()
        t = m.tx[0] if m is not None and m.tx else None
        node = t.offending_node() if t is not None else None
        if node is None:
            self.notify("no attribute is blamed here")
            return
        row = self.store.row_of(t.request)
        if row is None:
            self.apply_filter("")
            self.notify("filter cleared to show the request; press b again")
            return
        self._pending_select = (t.request, node.offset, node.length)
        lst = self.query_one(MessageList)
        if lst.cursor == row:
            self._show(row)
        lst.go(row)  # the Selected message this posts shows the request, then the field

    def action_field_filter(self, apply: bool) -> None:
        """Apply as Filter (f) / Prepare as Filter (F) → Selected: the selected field's value."""
        node, m = self._selected_node(), self.current()
        if node is None or m is None:
            self.notify("select a field in the tree first (Enter goes to the tree)")
            return
        text = filter_for(node, m)
        bar = self.query_one(FilterBar)
        bar.value = text
        bar.cursor_position = len(text)
        if apply:
            bar.remember(text)
            self.apply_filter(text)
        else:
            self.set_focus(bar)

    # --- reopen, open another file ---------------------------------------------------------
    def action_reopen(self) -> None:
        """Read the capture again (Wireshark's Reload, Ctrl+R): a file that grew shows its new
        messages; the display filter stays, marks and time references go."""
        if self.live:
            self.notify("a live capture is not a file to reload")
            return
        if self.streaming and self.store.path == "-":
            self.notify("stdin cannot be read again (w saves what was read)")
            return
        problem = capture_problem(self.store.path)
        if problem is not None:
            self.notify(f"cannot reload {self.store.path}: {problem}", severity="error", markup=False)
            return
        again = None
        if self.streaming:   # a file followed is followed again
            from .stream_store import StreamStore
            again = StreamStore(self.store.path, self.genl, show_secrets=self.show_secrets)
        self._open_file(self.store.path, again)

    def action_open(self) -> None:
        """Open another capture (Ctrl+O); the one shown stays until the new one can be read."""
        if self.live:
            self.notify("live: save (w), then open the file with nlscope open")
            return
        here = "" if self.store.path == "-" else os.path.dirname(self.store.path)
        start = os.path.join(here, "") if here else ""
        self.push_screen(OpenScreen(start), lambda path: path and self._open_file(path))

    def _open_file(self, path: str, store=None) -> None:
        """Show `path` instead of the capture shown (read by a worker, as at start; `store`
        reads it, by default a MessageStore); the filter applied now is applied to it once
        read (a stream's at once)."""
        old = self.store
        self._filter_on_load = old.filter_text or self._filter_on_load   # -Y's, if the file was still read
        old.close()
        self.store = store if store is not None else MessageStore(path, self.genl, show_secrets=self.show_secrets)
        self.streaming = getattr(self.store, "streaming", False)
        lst = self.query_one(MessageList)
        lst.replace_store(self.store)
        tree = self.query_one(DetailTree)
        tree.msg = None
        tree.clear()
        self.query_one(HexView).show(None)
        self.sub_title = f"{self.store.name} (following)" if self.streaming else os.path.basename(path)
        self._status()
        self.load()
        if self.streaming and self._filter_on_load:
            self.apply_filter(self._filter_on_load)

    def action_goto(self) -> None:
        self.push_screen(GotoScreen(), self._goto)

    def _goto(self, number: tuple[int, int] | None) -> None:
        """To message frame.index if the view shows it, else to the next one shown (said)."""
        if number is None or not len(self.store):
            return
        lo, hi = 0, len(self.store)
        while lo < hi:   # rows are in capture order: (frame, index) grows with the row
            mid = (lo + hi) // 2
            m = self.store.at(mid)
            if (m.frame, m.index) < number:
                lo = mid + 1
            else:
                hi = mid
        lst = self.query_one(MessageList)
        found = lo < len(self.store) and (self.store.at(lo).frame, self.store.at(lo).index) == number
        if not found:
            if lo >= len(self.store):
                self.notify(f"message {number[0]}.{number[1]} is not shown (past the last)", markup=False)
                return
            m = self.store.at(lo)
            self.notify(f"message {number[0]}.{number[1]} is not shown; at the next one, {m.frame}.{m.index}",
                        markup=False)
        lst.user_went(lo)

    def action_expand_all(self) -> None:
        self.query_one(DetailTree).action_expand_all()

    def action_collapse_all(self) -> None:
        self.query_one(DetailTree).action_collapse_all()

    def action_copy(self) -> None:
        from ..output import json_line
        m = self.current()
        if m is not None:
            self.copy_to_clipboard(json_line(m))
            self.notify("message copied as JSON")


def _search(text: str):
    """A search that is not a filter: hex bytes ("c0 a8 01 80", "c0a80180") in the message's
    bytes, otherwise the text in its Info or Type column."""
    import re
    compact = re.sub(r"[\s:]", "", text)
    if len(compact) >= 4 and len(compact) % 2 == 0 and re.fullmatch(r"[0-9a-fA-F]+", compact):
        needle = bytes.fromhex(compact)
        return lambda m: needle in bytes(m.buf[m.offset:m.offset + max(m.length, 0)])
    return lambda m: text in m.info or text in m.type_name
