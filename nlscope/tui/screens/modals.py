"""Screens over the main one: statistics, a transaction, the key bindings."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...analysis.stats import Stats


class _Closable(ModalScreen):
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]


class StatsScreen(_Closable):
    def __init__(self, store):
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        st = Stats()
        for i in range(len(self.store)):
            st.add(self.store.at(i))
        st.add_transactions(self.store.transactions)
        with VerticalScroll(id="stats-box"):
            title = "Statistics" + (f" (filter: {self.store.filter_text})" if self.store.filter_text else "")
            yield Static(f"[b]{title}[/b]\n\n" + st.report(), id="stats-text", markup=True)


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
        lines = []
        if t is None:
            lines.append(f"Message {m.frame}.{m.index} is a {role or 'message'} outside any transaction.")
        else:
            lines.append(f"[b]Transaction {t.id}[/b]: {t.status}"
                         + (f", latency {t.latency * 1e3:.3f} ms" if t.latency is not None else "")
                         + (f", dump of {t.part_count} messages ({t.bytes} bytes)" if t.dump else "")
                         + (", INTERRUPTED" if t.interrupted else ""))
            if t.request is not None:
                tf(t.request.time)
                lines.append("request:  " + summary_line(t.request, tf).strip())
            shown = t.responses if len(t.responses) <= 12 else t.responses[:5] + [None] + t.responses[-5:]
            for r in shown:
                lines.append("          …" if r is None else "answer:   " + summary_line(r, tf).strip())
            err = t.error
            if err and err["code"]:
                ext = err.get("extack") or {}
                lines.append("")
                lines.append(f"[b red]{err['name']}[/b red] ({err['code']})" + (f': "{ext["msg"]}"' if ext.get("msg")
                                                                                else ""))
                node = t.offending_node()
                if node is not None:
                    lines.append(f"blamed attribute: [reverse]{node.line()}[/reverse] at offset "
                                 f"{node.offset - t.request.offset} of the request (b: show it)")
                if ext.get("missing"):
                    lines.append(f"missing attribute: {ext['missing']}")
        from rich.markup import escape
        safe = [x if x.startswith(("[b", "blamed")) else escape(x) for x in lines]
        with VerticalScroll(id="tx-box"):
            yield Static("\n".join(safe), id="tx-text", markup=True)


HELP = """[b]nlscope keys[/b]

  ↑ ↓ j k      move            PgUp PgDn   page
  g / G        first / last    Enter       focus the detail tree
  /            filter          Esc         back to the list
  n / N        next / previous message matching the text in the filter bar: a filter, else
               hex bytes ("c0 a8 01 80") in the message, else text in Info or Type
  t            transaction of the message (request, answers, extack)
  r            jump to the request of an answer, or to the first answer of a request
  m            mark / unmark   M           next mark
  T            time column: relative, absolute, delta
  s            statistics      w           save the shown messages as pcapng
  b            on an error: its request, with the blamed attribute selected (tree and bytes)
  c / y / Y    copy the message as JSON / the selected field / its bytes as hex
  Tab          in the filter: complete the field name      ↑ ↓  filter history
  p / C        live: pause and resume the display (nothing is lost) / clear
  ?            this help       q           quit
  Ctrl+P       command palette (every action)
"""


class HelpScreen(_Closable):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, id="help-text", markup=True)
