"""How messages are printed: summary columns, the full tree, NDJSON, tab-separated fields."""
from __future__ import annotations

import datetime
import json

from dissectors import Message, format_tree, node_json
from dissectors.core.dissect import TO_KERNEL, protocol_name

from .analysis.filter import FilterError, _getter, known_field


class TimeFormat:
    """Time column: relative to the first message (r), absolute (a), or delta from the
    message before (d).  A batch reader calls see() with every message of the capture,
    shown or not, so the reference is the capture's (as tshark's), whatever the filter."""

    def __init__(self, mode: str = "r"):
        self.mode = mode
        self.first = None
        self.prev = None
        self._last = None

    def see(self, t: float) -> None:
        """The next message of the capture is at t."""
        if self.first is None:
            self.first = self._last = t
        self.prev, self._last = self._last, t

    def __call__(self, t: float) -> str:
        if self.first is None:
            self.first = self.prev = t
        if self.mode == "a":
            return datetime.datetime.fromtimestamp(t).strftime("%H:%M:%S.%f")
        if self.mode == "d":
            d, self.prev = t - self.prev, t
            return f"{d:.6f}"
        return f"{t - self.first:.6f}"


def header_line(process: bool = False) -> str:
    proc = f"{'Process':<14} " if process else ""
    return (f"{'No.':>8} {'Time':>11} {proc}{'Protocol':<10} {'Dir':<3} {'Port ID':>10} {'Seq':>10} "
            f"{'Type':<22} {'Flags':<18} Info")


def summary_line(m: Message, tf: TimeFormat, process: bool = False) -> str:
    no = f"{m.frame}.{m.index}"
    flags = ",".join(m.flag_names) or "-"
    arrow = "U→K" if m.direction == TO_KERNEL else "K→U"
    proc = f"{(str(m.process) if m.process else '-'):<14.14} " if process else ""
    return (f"{no:>8} {tf(m.time):>11} {proc}{m.family:<10} {arrow:<3} {m.pid:>10} {m.seq:>10} {m.type_name:<22} "
            f"{flags:<18} {m.info}")


def _tx_lines(m: Message) -> list[str]:
    if not m.tx:
        return []
    t, role = m.tx
    if t is None:
        return [f"Transaction: {role}"]
    parts = [f"Transaction {t.id}: {role}, {t.status}"]
    if role == "request":
        if t.responses:
            first = t.responses[0]
            parts.append(f"answered in {first.frame}.{first.index}")
        if t.latency is not None:
            parts.append(f"latency {t.latency * 1e3:.3f} ms")
        if t.dump:
            parts.append(f"dump of {t.part_count} messages, {t.bytes} bytes" + (", interrupted" if t.interrupted
                                                                                  else ""))
    elif t.request is not None:
        parts.append(f"request in {t.request.frame}.{t.request.index}")
    return [", ".join(parts)]


def verbose_block(m: Message, tf: TimeFormat) -> str:
    head = (f"Message {m.frame}.{m.index}: {m.length} bytes, time {tf(m.time)}, {protocol_name(m.protocol)} "
            f"({m.family}), {m.direction}" + (f", process {m.process}" if m.process else ""))
    lines = [head] + ["    " + x for x in _tx_lines(m)]
    return "\n".join(lines) + "\n" + format_tree(m.tree, 1) + "\n"


def json_line(m: Message) -> str:
    """The message as one JSON object: its header facts, "tree", then process and transaction."""
    tree = m.tree  # decoded first, so Info reads this tree instead of a shallow decode of its own
    head = _dumps(m.to_json(tree=False))
    tail = {}
    if m.process is not None:
        tail["process"] = {"pid": m.process.pid, "comm": m.process.comm}
    if m.tx:
        t, role = m.tx
        tail["transaction"] = {"id": t.id if t else None, "role": role,
                               "request": f"{t.request.frame}.{t.request.index}" if t and t.request else None,
                               "latency": t.latency if t and role == "request" else None}
    rest = "," + _dumps(tail)[1:] if tail else "}"
    return head[:-1] + ',"tree":' + node_json(tree) + rest


_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode


class FieldsPrinter:
    """-T fields -e F1 -e F2 …: one tab-separated line per message, occurrences comma-joined."""

    def __init__(self, names: list[str]):
        for n in names:
            if not known_field(n):
                raise FilterError(f"unknown field '{n}' given to -e (see 'nlscope fields')", 1, n)
        self.getters = [_getter(n) for n in names]

    def line(self, m: Message) -> str:
        cols = []
        for get in self.getters:
            vals = []
            for v, s in get(m):
                if isinstance(v, (bytes, bytearray)):
                    vals.append(v.hex())
                elif isinstance(v, bool):
                    vals.append("1" if v else "0")
                else:
                    vals.append(str(v))
            cols.append(",".join(vals))
        return "\t".join(cols)
