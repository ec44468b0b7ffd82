"""How messages are printed: summary columns, the full tree, NDJSON, tab-separated fields."""
from __future__ import annotations

import datetime
import json
import math
import time

from dissectors import Message, format_tree, node_json
from dissectors.core.dissect import TO_KERNEL, protocol_name
from dissectors.text import escape_text, printable

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
            return clock_text(t)
        if self.mode == "d":
            d, self.prev = t - self.prev, t
            return f"{d:.6f}"
        return f"{t - self.first:.6f}"


def clock_text(t: float) -> str:
    """The local time of day of t, as tshark's -t a shows it (HH:MM:SS.ffffff).

    A capture's timestamp is whatever its writer put there: 2^40 s (a year past 9999) or
    a negative time still has a time of day, which the C library's localtime() gives as
    tshark prints it; past what time_t holds, the time of day in UTC."""
    try:
        return datetime.datetime.fromtimestamp(t).strftime("%H:%M:%S.%f")
    except (OverflowError, OSError, ValueError):
        pass
    sec = math.floor(t)
    usec = min(int(round((t - sec) * 1e6)), 999_999)
    try:
        tm = time.localtime(sec)
        hms = (tm.tm_hour, tm.tm_min, tm.tm_sec)
    except (OverflowError, OSError, ValueError):
        day = sec % 86400
        hms = (day // 3600, day // 60 % 60, day % 60)
    return "%02d:%02d:%02d.%06d" % (*hms, usec)


def header_line(process: bool = False) -> str:
    proc = f"{'Process':<14} " if process else ""
    return (f"{'No.':>8} {'Time':>11} {proc}{'Protocol':<10} {'Dir':<3} {'Port ID':>10} {'Seq':>10} "
            f"{'Type':<22} {'Flags':<18} Info")


def summary_line(m: Message, tf: TimeFormat, process: bool = False) -> str:
    no = f"{m.frame}.{m.index}"
    flags = ",".join(m.flag_names) or "-"
    arrow = "U→K" if m.direction == TO_KERNEL else "K→U"
    proc = f"{(str(m.process) if m.process else '-'):<14.14} " if process else ""
    line = (f"{no:>8} {tf(m.time):>11} {proc}{m.family:<10} {arrow:<3} {m.pid:>10} {m.seq:>10} {m.type_name:<22} "
            f"{flags:<18} {m.info}")
    # the Info, the family and the process are the capture's text: no control byte reaches the terminal
    return line if line.isprintable() else escape_text(line)


def fault_summary(fr, tf: TimeFormat, process: bool = False) -> str:
    """The summary row of a frame the reader could not tie to netlink (Frame.fault): in its
    place, the fault in the Info column."""
    proc = f"{'-':<14} " if process else ""
    line = (f"{fr.number:>8} {tf(fr.time):>11} {proc}{'-':<10} {'-':<3} {'-':>10} {'-':>10} {'UNREADABLE':<22} "
            f"{'-':<18} frame {fr.number}, {len(fr.data)} bytes: {fr.fault}")
    return line if line.isprintable() else escape_text(line)


def fault_block(fr, tf: TimeFormat) -> str:
    """-V of such a frame: the fault, then its bytes in hex, 16 a line with their offset."""
    lines = [f"Frame {fr.number}: {len(fr.data)} bytes, time {tf(fr.time)}, not read as netlink: {fr.fault}"]
    data = fr.data
    for off in range(0, len(data), 16):
        lines.append(f"    {off:04x}  {data[off:off + 16].hex(' ')}")
    return "\n".join(lines if printable("".join(lines)) else map(escape_text, lines)) + "\n"


def fault_json(fr) -> str:
    """-T json of such a frame: its number, time, the fault and its bytes in hex."""
    line = _dumps({"frame": fr.number, "time": fr.time, "fault": fr.fault, "length": len(fr.data),
                   "data": bytes(fr.data).hex()})
    return line if line.isprintable() else json_escape(line)


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
    if not printable("".join(lines)):  # the process name is the capture's text (format_tree escapes its own)
        lines = [escape_text(x) for x in lines]
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
    line = head[:-1] + ',"tree":' + node_json(tree) + rest
    # the encoder escapes C0 controls: in ASCII text only a DEL can be left (a memchr)
    if line.isascii() and "\x7f" not in line or line.isprintable():
        return line
    return json_escape(line)


_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode


def json_escape(text: str) -> str:
    """JSON text with every character that is not printable written as a \\u escape.

    The encoder escapes C0 controls only (ensure_ascii=False keeps the rest as UTF-8): a
    DEL, a C1 control (0x9b is a CSI to many terminals), a bidi override or a line
    separator in a captured string would reach the terminal raw.  Outside strings JSON
    text is printable ASCII, so each such character is inside a string, where its escape
    means the same character: the value a JSON reader gets is unchanged."""
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
            continue
        c = ord(ch)
        if c < 0x10000:
            out.append(f"\\u{c:04x}")
        else:  # a UTF-16 surrogate pair, as JSON spells characters past the BMP
            c -= 0x10000
            out.append(f"\\u{0xD800 | c >> 10:04x}\\u{0xDC00 | c & 0x3FF:04x}")
    return "".join(out)


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
            col = ",".join(vals)
            cols.append(col if col.isprintable() else escape_text(col))  # a tab or newline would forge a cell
        return "\t".join(cols)
