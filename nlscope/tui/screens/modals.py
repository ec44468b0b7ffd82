"""Screens over the main one: a transaction, the key bindings (statistics: stats.py).

What they show of the capture is the capture's text: it goes in as `rich.text.Text`, never
as markup (an interface named `[/x]` is a name, not a closing tag), and escaped as the
command line escapes it (no control character reaches the terminal)."""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from dissectors.text import escape_text

from ...analysis.index import TransactionView
from ..store import ViewStore
from ..time_display import TimeColumn
from ..widgets.message_list import MessageList


def safe(s: str) -> str:
    """Captured text made safe for the terminal (see dissectors.text.escape_text)."""
    return s if s.isprintable() else escape_text(s)


class _Closable(ModalScreen):
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]


class TxStore(ViewStore):
    """One transaction's messages as a view of the main store's (the same lasting numbers,
    so a row here is a row there): what the transaction screen's list shows."""

    def __init__(self, store, numbers: list[int]):
        super().__init__()
        self.messages = store.messages
        self.view = numbers
        self.dropped = store.dropped
        self.done = True


def transaction_numbers(store, m) -> list[int]:
    """The places in `store.messages` of m's transaction's messages (request, every answer,
    the ACK/error), in capture order; just m's outside a transaction."""
    t = m.tx[0] if m.tx else None
    own = store.number_of(m)
    if t is None:
        return [own] if own is not None else []
    ix = store.messages
    if isinstance(t, TransactionView) and t.index is ix:   # a file: from the index's columns, no message made
        k, out = t.id - 1, set()
        if ix.t_request[k] >= 0:
            out.add(ix.t_request[k])
        first, last = ix.t_first[k], ix.t_last[k]
        if first >= 0:
            tx = ix.m_tx
            out.update(i for i in range(first, last + 1) if tx[i] == t.id)
        if ix.t_final[k] >= 0:
            out.add(ix.t_final[k])
        return sorted(out)
    where = {id(x): i for i, x in enumerate(ix)}   # live: a list; the messages it still holds
    msgs = [t.request, *t.responses, getattr(t, "final", None)]
    return sorted({where[id(x)] for x in msgs if x is not None and id(x) in where})


class TxList(MessageList):
    """The transaction's messages, drawn as the main list draws them; its keys are its own
    (no typing routed to the main screen's filter bar)."""

    def on_key(self, event) -> None:
        event.prevent_default()   # Textual would call MessageList.on_key too: its routing to the bar


@dataclass(frozen=True)
class TxChoice:
    """What the transaction screen is dismissed with: a message to go to, or a filter."""
    number: int | None = None
    filter: str | None = None


class TransactionScreen(ModalScreen[TxChoice | None]):
    """The request, every answer and the ACK/error of the message's transaction, as a list
    to browse (a dump of thousands of parts too: rows are drawn as they are shown), with the
    latency and, for an error, the extack and the blamed attribute.  Enter goes to the
    message in the main list, f filters the main list on the transaction."""

    BINDINGS = [Binding("escape,q", "close", "Close"), Binding("f", "filter_tx", "Filter on it"),
                Binding("enter", "go", "Go to it")]

    def __init__(self, msg, store=None, times: TimeColumn | None = None):
        super().__init__()
        self.msg = msg
        self.store = store
        self.times = times
        t = msg.tx[0] if msg.tx else None
        self.tx_id = t.id if t is not None else None
        self.numbers = transaction_numbers(store, msg) if store is not None else []

    def compose(self) -> ComposeResult:
        m = self.msg
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
            n = len(self.numbers)
            line((f"Transaction {t.id}", "bold"), f": {t.status}"
                 + (f", latency {t.latency * 1e3:.3f} ms" if t.latency is not None else "")
                 + (f", dump of {t.part_count} messages ({t.bytes} bytes)" if t.dump else "")
                 + (", INTERRUPTED" if t.interrupted else "")
                 + f"; {n} message{'s' if n != 1 else ''} below")
            if t.request is None:
                line("request:  not in the capture")
            err = t.error
            if err and err["code"]:
                ext = err.get("extack") or {}
                line((safe(err["name"]), "bold red"), f" ({err['code']})" + (f': "{safe(ext["msg"])}"'
                                                                             if ext.get("msg") else ""))
                node = t.offending_node()
                if node is not None:
                    line("blamed attribute: ", (safe(node.line()), "reverse"),
                         f" at offset {node.offset - t.request.offset} of the request (b: show it)")
                if ext.get("missing"):
                    line(f"missing attribute: {safe(str(ext['missing']))}")
        with Vertical(id="tx-box"):
            yield Static(out, id="tx-text")
            if self.store is not None:
                lst = TxList(TxStore(self.store, self.numbers), id="tx-messages")
                if self.times is not None:
                    lst.times.code = self.times.code
                    lst.times.refs = list(self.times.refs)
                    lst.times.first = self.times.first
                yield lst
                yield Static(Text("Enter: go to it in the list · f: filter the list on this transaction · "
                                  "Esc: close", style="dim"), id="tx-keys")

    def on_mount(self) -> None:
        for lst in self.query(TxList):
            lst.focus()
            own = self.store.number_of(self.msg)
            row = lst.store.row_of_number(own + self.store.dropped) if own is not None else None
            lst.go(row or 0)

    def on_message_list_selected(self, event) -> None:
        event.stop()   # the main screen's detail pane follows the main list, not this one

    def action_go(self) -> None:
        lst = next(iter(self.query(TxList)), None)
        if lst is not None and len(lst.store):
            self.dismiss(TxChoice(number=lst.store.number_at(lst.cursor)))

    def action_filter_tx(self) -> None:
        if self.tx_id is not None:
            self.dismiss(TxChoice(filter=f"nlscope.transaction == {self.tx_id}"))

    def action_close(self) -> None:
        self.dismiss(None)


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
  T          time format (tshark -t): relative, local, UTC, with dates,
             epoch, Δ previous, Δ shown; Ctrl+P "Time:" picks one
  Ctrl+T     set / unset a time reference (*REF*): relative from it
  s          statistics              w           save: shown, marked, all
  c / y / Y  copy the message as JSON / the field / its bytes as hex
  Tab        in the filter: complete the field name (names listed below)
  ↑ ↓        in the filter: history; green when valid, red with the reason
  p / C      live: pause and resume (nothing is lost) / clear
  Ctrl+R     reload the file         Ctrl+O      open another capture
  ?          this help               q           quit
  Ctrl+P     command palette (every action)
"""


class HelpScreen(_Closable):
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, id="help-text", markup=True)
