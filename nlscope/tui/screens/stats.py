"""Statistics of the messages shown, counted in a worker, with charts drawn in the terminal and
drill-down (Wireshark's Statistics dialogs with "Apply as Filter"): each row of the message
rate's busiest intervals, the latency distribution, errors by errno, top processes and
message types carries the display filter that keeps its messages; Enter applies it, F puts
it in the bar."""
from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...analysis.filter import FilterError, compile_filter
from ...analysis.stats import Stats
from ...analysis.transactions import ORPHAN, REQUEST
from ..field_filter import quote
from ..plots import column_chart, duration_text, hbar
from .modals import safe

NETLINK_GENERIC = 16
NLMSG_MIN_TYPE = 0x10   # below: NLMSG_NOOP, ERROR, DONE, OVERRUN (include/uapi/linux/netlink.h)
LATENCY_BOUNDS = (1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)   # decades: < 10 µs … ≥ 1 s
TOP = 10
BAR = 30          # cells of the longest bar
CHART_WIDTH = 60  # columns of the rate chart
CHART_HEIGHT = 6


@dataclass(frozen=True)
class DrillRow:
    """A row of the statistics that can become the display filter."""
    section: str
    label: str
    count: int
    filter: str | None


@dataclass(frozen=True)
class Drilled:
    """What the screen is dismissed with: a filter, to apply (Enter) or to prepare (F)."""
    filter: str
    apply: bool


def literal(x: float) -> str:
    """A float as a filter literal that reads back as the same float (the filter takes 1e-05
    but not 1e+19: the exact decimal then)."""
    text = repr(float(x))
    return format(Decimal(x), "f") if "e+" in text or "inf" in text or "nan" in text else text


def _checked(text: str, m=None) -> str | None:
    """`text` if it compiles (and keeps `m`, the message it was made from); else None: a
    row whose filter would not find its own messages is shown without one."""
    try:
        flt = compile_filter(text)
        return text if m is None or flt(m) else None
    except (FilterError, RecursionError, ValueError, TypeError, OverflowError):
        return None


def type_filter(m) -> str | None:
    """The filter keeping messages of m's family and type (a genl command: its cmd too)."""
    text = f"netlink.family == {quote(m.family)} && netlink.type == {m.type}"
    if m.protocol == NETLINK_GENERIC and m.type >= NLMSG_MIN_TYPE and not m.malformed:
        stack, looked = [m.tree], 0
        while stack and looked < 64:   # the genl header is at the top of the tree
            n = stack.pop(0)
            looked += 1
            if n.field.abbrev == "genl.cmd" and isinstance(n.value, int):
                text += f" && genl.cmd == {n.value}"
                break
            stack.extend(n.children or ())
    return _checked(text, m)


class FineRate:
    """Messages per time bucket for the chart, as analysis.stats.RateHistogram but starting
    at 2^-20 s (about a microsecond) a bucket, so that a capture of 30 ms is drawn over as
    many columns as one of an hour; the width doubles past `limit` buckets (memory stays
    flat).  Widths are powers of two: a bucket's bounds are exact floats, and the filter
    `frame.time >= lo && frame.time < hi` keeps exactly the messages counted in it."""

    def __init__(self, limit: int = 4096):
        self.limit = limit
        self.width = 2.0 ** -20
        self.buckets: Counter = Counter()

    def add(self, t: float) -> None:
        if not isinstance(t, (int, float)) or not math.isfinite(t):
            return
        q = t / self.width
        if not math.isfinite(q):
            return
        self.buckets[math.floor(q)] += 1
        while len(self.buckets) > self.limit:
            self.width *= 2
            merged: Counter = Counter()
            for key, n in self.buckets.items():
                merged[key // 2] += n
            self.buckets = merged

    def series(self, shown: int) -> tuple[list[int], float, float]:
        """At most `shown` counts from the first bucket to the last, the time the first
        starts and the seconds each covers."""
        lo, hi = min(self.buckets), max(self.buckets)
        step = -(-(hi - lo + 1) // shown)
        out = [0] * -(-(hi - lo + 1) // step)
        for key, n in self.buckets.items():
            out[(key - lo) // step] += n
        return out, lo * self.width, step * self.width


class Drill:
    """What the worker gathers beside Stats for the drill-down: a filter per message type
    (made from the first message of each, at most Stats' MAX_KEYS of them), a filter per
    errno name, and the latency distribution by decade."""

    def __init__(self):
        self.type_filters: dict[tuple[str, str], str | None] = {}
        self.errno_filters: dict[str, str | None] = {}
        self.latency = Counter()   # bucket index (0: below the first bound) -> transactions
        self.rate = FineRate()

    def add(self, m, st: Stats) -> None:
        if not m.malformed:
            self.add_values(m.time, (m.family, m.type_name), m.error_code, m, st)

    def add_values(self, t, key, errno: int, m, st: Stats) -> None:
        """A message that is not malformed, as its values (Stats.add_values says which); `m`
        is asked for a filter only by the first message of its type or errno."""
        self.rate.add(t)
        if key not in self.type_filters and key in st.by_type:
            self.type_filters[key] = type_filter(m)
        err = m.error if errno else None
        if err and err["code"] and err["name"] not in self.errno_filters and err["name"] in st.errors_by_errno:
            self.errno_filters[err["name"]] = _checked(f"netlink.error == {err['code']}", m)

    def add_transaction(self, t) -> None:
        lat = t.latency
        if lat is not None and math.isfinite(lat) and lat >= 0:
            self.latency[sum(lat >= b for b in LATENCY_BOUNDS)] += 1

    def rows(self, st: Stats) -> list[DrillRow]:
        out = []
        if self.rate.buckets:
            counts, start, unit = self.rate.series(CHART_WIDTH)
            busiest = sorted(range(len(counts)), key=lambda i: (-counts[i], i))[:5]
            for i in sorted(b for b in busiest if counts[b]):
                lo = start + i * unit
                out.append(DrillRow("rate", f"+{lo - start:.4g} s … +{lo - start + unit:.4g} s", counts[i],
                                    _checked(f"frame.time >= {literal(lo)} && frame.time < {literal(lo + unit)}")))
        for b in range(len(LATENCY_BOUNDS) + 1):
            n = self.latency.get(b, 0)
            if not n:
                continue
            lo = LATENCY_BOUNDS[b - 1] if b else None
            hi = LATENCY_BOUNDS[b] if b < len(LATENCY_BOUNDS) else None
            label = (f"< {duration_text(hi)}" if lo is None else f"≥ {duration_text(lo)}" if hi is None
                     else f"{duration_text(lo)} – {duration_text(hi)}")
            cond = " && ".join(c for c in (f"nlscope.latency >= {lo}" if lo else "nlscope.latency",
                                            f"nlscope.latency < {hi}" if hi else "") if c)
            out.append(DrillRow("latency", label, n, _checked(cond)))
        for name, n in st.errors_by_errno.most_common(TOP):
            out.append(DrillRow("errno", name, n, self.errno_filters.get(name)))
        for comm, n in st.by_process.most_common(TOP):
            out.append(DrillRow("process", comm, n, _checked(f"nlscope.process == {quote(comm)}")))
        for (fam, typ), n in st.by_type.most_common(TOP):
            out.append(DrillRow("type", f"{fam} {typ}", n, self.type_filters.get((fam, typ))))
        return out


def count(store, stop=None) -> tuple[Stats, Drill] | None:
    """The statistics and drill-down of the messages `store` shows, and of their transactions
    (each once: by its request or its orphan answer; under a filter, the transactions of the
    messages shown, whichever of their messages the filter kept).  `stop(n)`, called after
    each message, ends the count (None) when it returns True."""
    st, drill = Stats(), Drill()
    seen = set() if store.filter_text else None
    for n, (m, length, t, key, protocol, pid, comm, errno, role, tid) in enumerate(store.stat_facts(), 1):
        st.add_values(length, t, key, protocol, pid, comm, errno, m)
        if key is not None:
            drill.add_values(t, key, errno, m, st)
        if tid and (role in (REQUEST, ORPHAN) if seen is None else tid not in seen):
            if seen is not None:
                seen.add(tid)
            tx = m.tx[0]
            st.add_transaction(tx, request=m if role == REQUEST else None)
            drill.add_transaction(tx)
        if stop is not None and stop(n):
            return None
    return st, drill


SECTIONS = {"rate": "Busiest intervals", "latency": "Transaction latency distribution (requests answered)",
            "errno": "Errors by errno", "process": "Top processes", "type": f"Messages by type (top {TOP})"}


class StatsScreen(ModalScreen[Drilled | None]):
    """Statistics of the messages shown (the filter's view) and of their transactions,
    counted by a worker thread: the screen is up at once and says how far the count has gone."""

    PROGRESS_EVERY = 20_000
    BINDINGS = [Binding("escape,q", "dismiss_none", "Close"),
                Binding("F", "drill(False)", "Prepare as filter"),
                Binding("f", "drill(True)", "Apply as filter", show=False)]

    def __init__(self, store):
        super().__init__()
        self.store = store
        self.done = False
        self.rows: list[DrillRow] = []

    def _title(self) -> Text:
        title = "Statistics" + (f" (filter: {self.store.filter_text})" if self.store.filter_text else "")
        return Text(safe(title), style="bold")

    def compose(self) -> ComposeResult:
        with Vertical(id="stats-box"):
            yield OptionList(Option("counting…", disabled=True), id="stats-drill")
            yield Static(Text("Enter or f: apply the row as the display filter · F: prepare it · "
                              "Tab: the report below · Esc: close", style="dim"), id="stats-keys")
            with VerticalScroll(id="stats-report"):
                yield Static(Text.assemble(self._title(), "\n\ncounting…"), id="stats-text")

    def on_mount(self) -> None:
        self.query_one("#stats-drill").focus()
        self.build()

    @work(thread=True, exclusive=True, group="stats")
    def build(self) -> None:
        worker = get_current_worker()
        total = len(self.store)

        def progress(n: int) -> bool:
            if n % self.PROGRESS_EVERY == 0:
                self.app.call_from_thread(self._show, f"counting… {n} of {total} messages")
            return worker.is_cancelled
        counted = count(self.store, progress)
        if counted is None:
            return
        st, drill = counted
        report, rows = st.report(), drill.rows(st)
        chart = self._chart(drill.rate)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, report, True, rows, chart)

    @staticmethod
    def _chart(rate: FineRate) -> list[str]:
        if not rate.buckets:
            return []
        counts, _, unit = rate.series(CHART_WIDTH)
        lines = [f"Message rate: messages per {unit:.3g} s, peak {max(counts)}"]
        lines += ["  │" + row for row in column_chart(counts, CHART_HEIGHT)]
        lines.append("  └" + "─" * len(counts))
        span = f"{len(counts) * unit:.3g} s"
        lines.append("   0 s" + span.rjust(max(len(counts) - 3, len(span) + 1)))
        return lines

    def _show(self, body: str, done: bool = False, rows=None, chart=None) -> None:
        self.query_one("#stats-text", Static).update(Text.assemble(self._title(), "\n\n", body))
        self.done = done
        if rows is None:
            return
        self.rows = rows
        options: list = [Option(Text(line, style="bold" if i == 0 else ""), disabled=True)
                         for i, line in enumerate(chart or [])]
        section = None
        for i, r in enumerate(rows):
            if r.section != section:
                section = r.section
                top = max(x.count for x in rows if x.section == section)
                options.append(Option(Text(SECTIONS[section], style="bold"), disabled=True))
            label = safe(r.label)
            label = label if len(label) <= 34 else label[:33] + "…"
            line = Text(f"  {label:<34} {r.count:>9} ")
            line.append(hbar(r.count, top, BAR), style="cyan")
            if r.filter is None:
                line.append("  (no filter)", style="dim")
            options.append(Option(line, id=str(i), disabled=r.filter is None))
        if not rows and not chart:
            options.append(Option("no messages", disabled=True))
        ol = self.query_one("#stats-drill", OptionList)
        ol.clear_options()
        ol.add_options(options)
        first = next((k for k, o in enumerate(options) if not o.disabled), None)
        if first is not None:
            ol.highlighted = first

    def _row(self) -> DrillRow | None:
        ol = self.query_one("#stats-drill", OptionList)
        if ol.highlighted is None:
            return None
        opt = ol.get_option_at_index(ol.highlighted)
        return self.rows[int(opt.id)] if opt.id is not None and not opt.disabled else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_drill(True)

    def action_drill(self, apply: bool) -> None:
        r = self._row()
        if r is not None and r.filter:
            self.dismiss(Drilled(r.filter, apply))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
