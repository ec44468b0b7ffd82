"""Screens over the main one: statistics, a transaction, the key bindings.

What they show of the capture is the capture's text: it goes in as `rich.text.Text`, never
as markup (an interface named `[/x]` is a name, not a closing tag), and escaped as the
command line escapes it (no control character reaches the terminal)."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import get_current_worker

from dissectors.text import escape_text

from ...analysis.stats import Stats
from ...analysis.transactions import ORPHAN, REQUEST


def safe(s: str) -> str:
    """Captured text made safe for the terminal (see dissectors.text.escape_text)."""
    return s if s.isprintable() else escape_text(s)


class _Closable(ModalScreen):
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]


class StatsScreen(_Closable):
    """Statistics of the messages shown (the filter's view) and of their transactions,
    counted by a worker thread: the screen is up at once and says how far the count has gone."""

    PROGRESS_EVERY = 20_000

    def __init__(self, store):
        super().__init__()
        self.store = store
        self.done = False

    def _title(self) -> Text:
        title = "Statistics" + (f" (filter: {self.store.filter_text})" if self.store.filter_text else "")
        return Text(safe(title), style="bold")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-box"):
            yield Static(Text.assemble(self._title(), "\n\ncounting…"), id="stats-text")

    def on_mount(self) -> None:
        self.build()

    @work(thread=True, exclusive=True, group="stats")
    def build(self) -> None:
        worker = get_current_worker()
        st = Stats()
        total = len(self.store)
        # each transaction once: by its request (or its orphan answer); under a filter, the
        # transactions of the messages shown, whichever of their messages the filter kept
        seen = set() if self.store.filter_text else None
        for n, m in enumerate(self.store.shown(), 1):
            if worker.is_cancelled:
                return
            st.add(m)
            t, role = m.tx if m.tx else (None, None)
            if t is not None and (role in (REQUEST, ORPHAN) if seen is None else t.id not in seen):
                if seen is not None:
                    seen.add(t.id)
                st.add_transaction(t, request=m if role == REQUEST else None)
            if n % self.PROGRESS_EVERY == 0:
                self.app.call_from_thread(self._show, f"counting… {n} of {total} messages")
        report = st.report()
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, report, True)

    def _show(self, body: str, done: bool = False) -> None:
        self.query_one("#stats-text", Static).update(Text.assemble(self._title(), "\n\n", body))
        self.done = done


class TransactionScreen(_Closable):
    """The request, every answer, latency; for an error, the extack and the blamed attribute."""

    def __init__(self, msg):
        super().__init__()
        self.msg = msg

    def compose(self) -> ComposeResult:
        from ...output import TimeFormat, summary_line
        m = self.msg
        tf = TimeFormat("r")
        t, role = m.tx if m.tx else (None, None)
        out = Text()

        def line(*parts) -> None:
            """One line of (text, style) parts or plain strings."""
            if out:
                out.append("\n")
            for p in parts:
                out.append(*((p,) if isinstance(p, str) else p))

        if t is None:
            line(f"Message {m.frame}.{m.index} is a {role or 'message'} outside any transaction.")
        else:
            line((f"Transaction {t.id}", "bold"), f": {t.status}"
                 + (f", latency {t.latency * 1e3:.3f} ms" if t.latency is not None else "")
                 + (f", dump of {t.part_count} messages ({t.bytes} bytes)" if t.dump else "")
                 + (", INTERRUPTED" if t.interrupted else ""))
            if t.request is not None:
                tf(t.request.time)
                line("request:  " + safe(summary_line(t.request, tf).strip()))
            shown = t.responses if len(t.responses) <= 12 else t.responses[:5] + [None] + t.responses[-5:]
            for r in shown:
                line("          …" if r is None else "answer:   " + safe(summary_line(r, tf).strip()))
            err = t.error
            if err and err["code"]:
                ext = err.get("extack") or {}
                line("")
                line((safe(err["name"]), "bold red"), f" ({err['code']})" + (f': "{safe(ext["msg"])}"'
                                                                             if ext.get("msg") else ""))
                node = t.offending_node()
                if node is not None:
                    line("blamed attribute: ", (safe(node.line()), "reverse"),
                         f" at offset {node.offset - t.request.offset} of the request (b: show it)")
                if ext.get("missing"):
                    line(f"missing attribute: {safe(str(ext['missing']))}")
        with VerticalScroll(id="tx-box"):
            yield Static(out, id="tx-text")


HELP = """[b]nlscope keys[/b]

  ↑ ↓ j k    move                    PgUp PgDn   page
  g / G      first / last            Ctrl+G      go to message: 12, 12.3
  /          filter                  Esc         back to the list
  Enter      focus the detail tree   x           bytes pane on / off
  n / N      next / previous match of the filter bar's text: a filter,
             else hex bytes ("c0 a8 01 80"), else text in Info or Type
  t          transaction of the message (request, answers, extack)
  r          from an answer to its request and back
  b          on an error: its request, the blamed attribute selected
  f / F      apply / prepare a filter on the selected field (Apply as
             Filter); the status line names the field, offset, length
  Ctrl+→ *   in the tree: expand all     Ctrl+← -   collapse all
  m          mark / unmark           M / <       next / previous mark
  T          time: relative, absolute, delta
  s          statistics              w           save: shown, marked, all
  c / y / Y  copy the message as JSON / the field / its bytes as hex
  Tab        in the filter: complete the field name (names listed below)
  ↑ ↓        in the filter: history; green when valid, red with the reason
  p / C      live: pause and resume (nothing is lost) / clear
  ?          this help               q           quit
  Ctrl+P     command palette (every action)
"""


class HelpScreen(_Closable):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, id="help-text", markup=True)
