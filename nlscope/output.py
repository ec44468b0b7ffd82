"""How messages are printed: summary columns, the full tree, NDJSON, tab-separated fields."""
from __future__ import annotations

import datetime
import json
import math
import time

from dissectors import Message, format_tree, node_json
from dissectors.core.dissect import TO_KERNEL, protocol_name
from dissectors.text import escape_text, printable

from .analysis.filter import CLOCK_FIELDS, FieldReader, FilterError, FrameClock, known_field
from .analysis.transactions import since_request
from .time_text import FORMATS, absolute_text, seconds_text


class TimeFormat:
    """Time column, as tshark -t writes it: r since the first message (the default), a the
    local time of day, ad/adoy with the date, u/ud/udoy the same in UTC, e since the epoch, d
    since the message before, dd since the message shown before.  A batch reader calls see()
    with every message of the capture, shown or not, so the reference is the capture's (as
    tshark's), whatever the filter; calling it is showing a message."""

    def __init__(self, mode: str = "r"):
        if mode not in FORMATS:
            raise ValueError(f"-t {mode}: one of {' '.join(FORMATS)}")
        self.mode = mode
        self.first = None
        self.prev = None
        self._last = None
        self._shown = None   # the time of the message shown before (dd)

    def see(self, t: float) -> None:
        """The next message of the capture is at t."""
        if self.first is None:
            self.first = self._last = t
        self.prev, self._last = self._last, t

    def __call__(self, t: float) -> str:
        if self.first is None:
            self.first = self.prev = t
        mode = self.mode
        if mode == "r":
            return f"{t - self.first:.6f}"
        if mode == "a":
            return clock_text(t)
        if mode == "d":
            d, self.prev = t - self.prev, t
            return f"{d:.6f}"
        if mode == "dd":
            d, self._shown = (0.0 if self._shown is None else t - self._shown), t
            return f"{d:.6f}"
        if mode == "e":
            return seconds_text(t)
        return absolute_text(t, mode)


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


# Summary columns: name -> (header, alignment).  Every column but the last is padded to its
# width; the last (Info by default) is not.
COLUMNS = {"no": ("No.", ">"), "time": ("Time", ">"), "process": ("Process", "<"), "protocol": ("Protocol", "<"),
           "dir": ("Dir", "<"), "portid": ("Port ID", ">"), "seq": ("Seq", ">"), "type": ("Type", "<"),
           "flags": ("Flags", "<"), "info": ("Info", "<")}
DEFAULT_COLUMNS = ("no", "time", "protocol", "dir", "portid", "seq", "type", "flags", "info")
# the widths the TUI's list (and a Columns made without fitting) uses
FIXED_WIDTHS = {"no": 8, "time": 11, "process": 14, "protocol": 10, "dir": 3, "portid": 10, "seq": 10, "type": 22,
                "flags": 18, "info": 0}


def _column_key(title: str) -> str:
    """A column named as its key or its title, written any case, with or without spaces,
    dots and underscores: `Port ID` and `port_id` are `portid`, `No.` is `no`."""
    return title.strip().lower().replace(" ", "").replace("_", "").replace(".", "")


def parse_columns(text: str, process: bool = False) -> tuple[str, ...]:
    """--columns no,time,type,info: the columns chosen, in order (ValueError says what is wrong)."""
    names = tuple(_column_key(x) for x in text.split(","))
    known = [n for n in COLUMNS if process or n != "process"]
    for n in names:
        if n not in known:
            raise ValueError(f"--columns: no column {escape_text(n)!r}; the columns are {','.join(known)}")
    if len(set(names)) != len(names):
        raise ValueError("--columns: a column is named twice")
    return names


class Columns:
    """The summary's columns, their order and widths.

    `fitted`: the widths follow the content — fit() is told every message of the capture in
    order (shown or not, so one process and the parallel workers agree) and a column only
    grows, to the widest value it has had; the reader first fits the capture's first frames
    (a lookahead), so the header is printed as wide as what follows it.  Unfitted: the
    fixed widths the TUI's list has always had."""

    def __init__(self, names=DEFAULT_COLUMNS, fitted: bool = False, time_mode: str = "r"):
        self.names = tuple(names)
        self.fitted = fitted
        self.mode = time_mode
        if fitted:
            self.width = {n: len(COLUMNS[n][0]) for n in self.names}
        else:
            self.width = {n: FIXED_WIDTHS[n] for n in self.names}
        self.width[self.names[-1]] = 0   # the last column is never padded
        # the cells made from the message alone (Time depends on the messages before, the
        # Info costs a decode and is the last column but with --columns)
        self._plain = tuple((n, _CELLS[n]) for n in self.names if n not in ("time", "info"))
        self._info_padded = "info" in self.names[:-1]
        self._time = "time" in self.names[:-1]
        self._cache = None
        self._fmt = None
        self._first = self._prev = None

    def copy_widths(self, other: "Columns") -> None:
        for n in self.names[:-1]:
            self.width[n] = max(self.width[n], other.width.get(n, 0))
        self._fmt = None

    def cells(self, m) -> dict:
        """The cells of m that need no clock and no decode (made once for fit() and the row)."""
        c = self._cache
        if c is not None and c[0] is m:
            return c[1]
        cells = {n: get(m) for n, get in self._plain}
        self._cache = (m, cells)
        return cells

    def _time_width(self, t) -> int:
        if self._first is None:
            self._first = self._prev = t
        if self.mode not in ("r", "d", "dd"):
            self._prev = t
            # HH:MM:SS.ffffff (15), with the date (26, 24 by day of year), or the epoch's seconds
            return len(seconds_text(t)) if self.mode == "e" else FORMATS[self.mode][1]
        # dd: at most the time since the first message (a capture's times rise)
        x = t - (self._prev if self.mode == "d" else self._first)
        self._prev = t
        if 0 <= x < 10:   # nearly every time: d.dddddd
            return 8
        return len(f"{x:.6f}")

    def fit(self, m) -> None:
        """Widen the columns for message m (every message of the capture, in order)."""
        w = self.width
        for n, v in self.cells(m).items():
            if len(v) > w[n]:
                w[n] = len(v)
                self._fmt = None
        if self._time:
            v = self._time_width(m.time)
            if v > w["time"]:
                w["time"] = v
                self._fmt = None
        if self._info_padded and len(m.info) > w["info"]:
            w["info"] = len(m.info)
            self._fmt = None
        last = self.names[-1]
        if w[last]:
            w[last] = 0

    def fit_fault(self, fr) -> None:
        w = self.width
        for n in self.names[:-1]:
            v = self._time_width(fr.time) if n == "time" else len(_fault_cell(n, fr))
            if v > w[n]:
                w[n] = v
                self._fmt = None

    def header(self) -> str:
        return " ".join(_pad(COLUMNS[n][0], COLUMNS[n][1], self.width[n]) for n in self.names).rstrip()

    def row(self, cells: dict) -> str:
        fmt = self._fmt
        if fmt is None:   # made again only when a column widens
            fmt = self._fmt = " ".join("{%s:%s%d}" % (n, COLUMNS[n][1], self.width[n]) if self.width[n]
                                       else "{%s}" % n for n in self.names)
        return fmt.format_map(cells)


def _pad(text: str, align: str, width: int) -> str:
    if not width:
        return text
    return text.rjust(width) if align == ">" else text.ljust(width)


def _arrow(m) -> str:
    return "U→K" if m.direction == TO_KERNEL else "K→U"


_CELLS = {
    "no": lambda m: f"{m.frame}.{m.index}",
    "protocol": lambda m: m.family,
    "dir": _arrow,
    "portid": lambda m: str(m.pid),
    "seq": lambda m: str(m.seq),
    "type": lambda m: m.type_name,
    "flags": lambda m: ",".join(m.flag_names) or "-",
    "process": lambda m: str(m.process) if m.process else "-",
    "info": lambda m: m.info,
}


def _fault_cell(name: str, fr) -> str:
    if name == "no":
        return str(fr.number)
    if name == "type":
        return "UNREADABLE"
    if name == "info":
        return f"frame {fr.number}, {len(fr.data)} bytes: {fr.fault}"
    return "-"


def header_line(process: bool = False, columns: Columns | None = None) -> str:
    if columns is not None:
        return columns.header()
    proc = f"{'Process':<14} " if process else ""
    return (f"{'No.':>8} {'Time':>11} {proc}{'Protocol':<10} {'Dir':<3} {'Port ID':>10} {'Seq':>10} "
            f"{'Type':<22} {'Flags':<18} Info")


def summary_row(m: Message, tf: TimeFormat, columns: Columns) -> str:
    """The summary line of m in `columns` (escaped as summary_line is)."""
    cells = dict(columns.cells(m))
    if "time" in columns.names:
        cells["time"] = tf(m.time)
    if "info" in columns.names:
        cells["info"] = m.info
    line = columns.row(cells)
    return line if line.isprintable() else escape_text(line)


def fault_row(fr, tf: TimeFormat, columns: Columns) -> str:
    cells = {n: (tf(fr.time) if n == "time" else _fault_cell(n, fr)) for n in columns.names}
    line = columns.row(cells)
    return line if line.isprintable() else escape_text(line)


def summary_line(m: Message, tf: TimeFormat, process: bool = False, columns: Columns | None = None) -> str:
    """m's summary row: in `columns` if given, else in the fixed columns (the TUI's)."""
    if columns is not None:
        return summary_row(m, tf, columns)
    no = f"{m.frame}.{m.index}"
    flags = ",".join(m.flag_names) or "-"
    arrow = "U→K" if m.direction == TO_KERNEL else "K→U"
    proc = f"{(str(m.process) if m.process else '-'):<14.14} " if process else ""
    line = (f"{no:>8} {tf(m.time):>11} {proc}{m.family:<10} {arrow:<3} {m.pid:>10} {m.seq:>10} {m.type_name:<22} "
            f"{flags:<18} {m.info}")
    # the Info, the family and the process are the capture's text: no control byte reaches the terminal
    return line if line.isprintable() else escape_text(line)


def fault_summary(fr, tf: TimeFormat, process: bool = False, columns: Columns | None = None) -> str:
    """The summary row of a frame the reader could not tie to netlink (Frame.fault): in its
    place, the fault in the Info column."""
    if columns is not None:
        return fault_row(fr, tf, columns)
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
        since = since_request(m)
        parts.append(f"request in {t.request.frame}.{t.request.index}"
                     + (f", {since * 1e3:.3f} ms after it" if since is not None else ""))
    return [", ".join(parts)]


def verbose_block(m: Message, tf: TimeFormat, only: frozenset | None = None) -> str:
    """-V: the message's line, its transaction, its tree (with `only`, -O: those protocols'
    parts in full, the others one line each)."""
    head = (f"Message {m.frame}.{m.index}: {m.length} bytes, time {tf(m.time)}, {protocol_name(m.protocol)} "
            f"({m.family}), {m.direction}" + (f", process {m.process}" if m.process else ""))
    lines = [head] + ["    " + x for x in _tx_lines(m)]
    if not printable("".join(lines)):  # the process name is the capture's text (format_tree escapes its own)
        lines = [escape_text(x) for x in lines]
    tree = format_tree(m.tree, 1) if only is None else tree_of_protocols(m.tree, only)
    return "\n".join(lines) + "\n" + tree + "\n"


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
                               "latency": t.latency if t and role == "request" else None,
                               "time": since_request(m)}
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


class FieldOptions:
    """-E header=y|n, separator=/t|/s|C, quote=d|s|n, occurrence=f|l|a, aggregator=,|/s|C, as tshark
    reads them (defaults: no header, a tab, no quotes, all occurrences joined by a comma)."""

    def __init__(self, items=()):
        self.header = False
        self.separator = "\t"
        self.quote = ""
        self.occurrence = "a"
        self.aggregator = ","
        for item in items:
            key, eq, val = item.partition("=")
            if not eq:
                raise ValueError(f"-E {escape_text(item)}: write KEY=VALUE (header, separator, quote, occurrence, "
                                 f"aggregator)")
            if key == "header" and val in ("y", "n"):
                self.header = val == "y"
            elif key in ("separator", "aggregator") and val:
                char = _separator(val)
                if char is None:
                    raise ValueError(f"-E {escape_text(item)}: a {key} is /t (tab), /s (space) or one printable "
                                     f"character")
                setattr(self, key, char)
            elif key == "quote" and val in ("d", "s", "n"):
                self.quote = {"d": '"', "s": "'", "n": ""}[val]
            elif key == "occurrence" and val in ("f", "l", "a"):
                self.occurrence = val
            else:
                raise ValueError(f'-E {escape_text(item)}: "{escape_text(key)}" is not a valid field output '
                                 f"option=value pair (header=y|n, separator=/t|/s|C, quote=d|s|n, "
                                 f"occurrence=f|l|a, aggregator=,|/s|C)")


def _separator(val: str) -> str | None:
    if val == "/t":
        return "\t"
    if val == "/s":
        return " "
    if len(val) == 1 and val.isprintable():   # a control character is not ours to print
        return val
    return None


def _field_text(v) -> str:
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v)


# -e _ws.col.TITLE: a column's text as the summary shows it, by the column's title (tshark's
# columns are the frame's; these are ours: No. is frame.index, Protocol the family …), and
# tshark's Length, the message's bytes
WS_COLUMN = "_ws.col."
_WS_LENGTH = "length"


def _ws_column(name: str) -> str | None:
    """The column key of `_ws.col.TITLE` (None: not a column name)."""
    key = _column_key(name[len(WS_COLUMN):])
    return key if key in COLUMNS or key == _WS_LENGTH else None


class FieldsPrinter:
    """-T fields -e F1 -e F2 …: one tab-separated line per message, occurrences comma-joined
    (what -E changes: the separator, quotes, which occurrences, how they are joined).

    frame.time_relative, time_delta and time_delta_displayed count from the messages before:
    its owner calls see() with every message of the capture, shown or not, in order, and
    line() prints (it tells the clock what was printed).  `time`: the Time column's text of a
    message, for `_ws.col.Time` (the -t format's)."""

    def __init__(self, names: list[str], options: FieldOptions | None = None, time=None):
        columns = {}
        for n in names:
            if n.startswith(WS_COLUMN):
                key = _ws_column(n)
                if key is None:
                    raise ValueError(f"-e {escape_text(n)}: no such column; the columns are "
                                     + ", ".join(WS_COLUMN + COLUMNS[k][0] for k in COLUMNS) + f", {WS_COLUMN}Length")
                columns[n] = key
            elif not known_field(n):
                raise FilterError(f"unknown field '{n}' given to -e (see 'nlscope fields')", 1, n)
        self.names = list(names)
        self._columns = columns
        self._time = time if time is not None else (lambda t: f"{t:.6f}")
        self.clock = FrameClock() if any(n in CLOCK_FIELDS for n in names) else None
        self.stateful = self.clock is not None or "time" in columns.values()
        fields = [n for n in names if n not in columns]
        self.read = FieldReader(fields, self.clock)   # one decode of just these fields per message
        self._plain_fields = not columns   # every name a field: the reader's lists are the columns
        self.opt = options if options is not None else FieldOptions()
        self._plain = options is None or (self.opt.separator == "\t" and not self.opt.quote
                                          and self.opt.occurrence == "a" and self.opt.aggregator == ",")

    def header(self) -> str | None:
        if not self.opt.header:
            return None
        return self.opt.separator.join(n if n.isprintable() else escape_text(n) for n in self.names)

    def see(self, m: Message) -> None:
        if self.clock is not None:
            self.clock.see(m)

    def _found(self, m: Message) -> list[list[tuple]]:
        found = self.read(m)
        if self._plain_fields:
            return found
        it = iter(found)
        out = []
        for n in self.names:
            key = self._columns.get(n)
            if key is None:
                out.append(next(it))
            else:
                text = (str(max(m.length, 0)) if key == _WS_LENGTH else self._time(m.time) if key == "time"
                        else _CELLS[key](m))
                out.append([(text, text)])
        return out

    def line(self, m: Message) -> str:
        found = self._found(m)
        if self.clock is not None:
            self.clock.matched(m)
        if self._plain:
            cols = []
            for occ in found:
                col = ",".join([_field_text(v) for v, s in occ])
                cols.append(col if col.isprintable() else escape_text(col))  # a tab or newline would forge a cell
            return "\t".join(cols)
        o = self.opt
        cols = []
        for occ in found:
            vals = [_field_text(v) for v, s in occ]
            if o.occurrence == "f":
                vals = vals[:1]
            elif o.occurrence == "l":
                vals = vals[-1:]
            col = o.aggregator.join(vals)
            col = col if col.isprintable() else escape_text(col)
            if o.quote and col:
                col = o.quote + col.replace(o.quote, "\\" + o.quote) + o.quote
            cols.append(col)
        return o.separator.join(cols)


# --- -x: the bytes, as tshark prints them -------------------------------------------------------

def hex_dump(data, start: int = 0) -> str:
    """Lines of 16 bytes: the offset, the bytes in hex, then as ASCII ('.' for what is not
    printable), laid out as tshark -x lays them; offsets from `start`."""
    end = start + len(data)
    digits = max(4, len(f"{max(end - 1, 0):x}"))
    out = []
    for i in range(0, len(data), 16):
        chunk = bytes(data[i:i + 16])
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        out.append(f"{start + i:0{digits}x}  {chunk.hex(' '):<47}   {text}")
    return "\n".join(out)


def message_bytes(m: Message):
    return m.buf[m.offset:m.offset + max(m.length, 0)]


# --- -O: some protocols in full, the others one line -------------------------------------------

# Wireshark's protocol names for what nlscope names by the first part of its field names
WIRESHARK_PROTOCOLS = {
    "netlink-route": ("rtnl",), "netlink-sock_diag": ("sock_diag",), "genl": ("genl",), "nl80211": ("nl80211",),
    "wg": ("wireguard",),
    "netlink-netfilter": ("nfnl", "nft", "ctnl", "ipset", "nfq", "nflog", "nfacct", "cthelper", "cttimeout", "osf",
                          "nft_compat", "nfhook"),
}


def node_protocol(node) -> str:
    return node.field.abbrev.partition(".")[0]


def protocols_of(text: str, known: set[str]) -> frozenset[str]:
    """-O netlink,rtnl (or Wireshark's netlink-route): our protocol names (ValueError for one
    nlscope has no field of)."""
    out = set()
    for name in (x.strip() for x in text.split(",")):
        if not name:
            continue
        if name in WIRESHARK_PROTOCOLS:
            out.update(WIRESHARK_PROTOCOLS[name])
        elif name in known:
            out.add(name)
        else:
            import difflib
            near = difflib.get_close_matches(name, sorted(known | set(WIRESHARK_PROTOCOLS)), 3)
            hint = f"; did you mean {', '.join(near)}" if near else ""
            raise ValueError(f"-O {escape_text(name)}: no such protocol{hint} (the protocols are the first part of "
                             f"the field names 'nlscope fields' lists)")
    if not out:
        raise ValueError("-O needs at least one protocol, e.g. -O rtnl")
    return frozenset(out)


def tree_of_protocols(tree, protocols: frozenset[str], indent: int = 1) -> str:
    """The message's tree with the nodes of `protocols` in full and each other node as its
    one line (tshark -O): the message node itself is always opened."""
    step = "    "
    out = [step * indent + tree.line()]
    for child in tree.children or ():
        if node_protocol(child) in protocols:
            out.append(format_tree(child, indent + 1))
        else:
            out.append(step * (indent + 1) + child.line())
    text = "\n".join(out)
    return text if printable(text) else "\n".join(map(escape_text, text.split("\n")))


# --- colour -----------------------------------------------------------------------------------

RED, YELLOW, DIM, RESET = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m"


def row_colour(m) -> str | None:
    """The colour of m's row, as the TUI's list colours it: errors (and malformed messages)
    red, notifications yellow, dump parts dim; requests and the rest as the terminal has it."""
    if m.malformed or m.error_code:
        return RED
    if m.tx and m.tx[1] == "notification":
        return YELLOW
    if m.flags & 0x2:
        return DIM
    return None


def use_colour(choice: str, stream, environ) -> bool:
    """--color=always|never|auto: auto is a terminal, NO_COLOR unset (or empty), TERM not dumb."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


# --- -T ek: Elasticsearch bulk format -------------------------------------------------------------

def ek_index_line(t: float) -> str:
    """The bulk API's action line tshark 4.0 writes before each document: the index is named
    after the frame's day, in local time (as tshark's localtime())."""
    try:
        day = datetime.datetime.fromtimestamp(t).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        day = "1970-01-01"
    return '{"index":{"_index":"packets-' + day + '","_type":"doc"}}'


def _ek_key(abbrev: str) -> str:
    return abbrev.replace(".", "_")


class EkFrame:
    """One frame's document: the frame's facts, then each shown message's fields, merged by
    layer (the first part of the field name) as tshark merges a frame's repeated fields:
    one value as a string, several as a list."""

    def __init__(self, m: Message, fields: list | None):
        self.number, self.time = m.frame, m.time
        self.fields = fields   # (names, their FieldReader) with -e, else None
        self.layers: dict = {}
        self.protocols: list[str] = []

    def add(self, m: Message) -> None:
        if self.fields is not None:
            names, read = self.fields
            for name, found in zip(names, read(m)):
                vals = [_field_text(v) for v, s in found]
                if vals:
                    self.layers.setdefault(_ek_key(name), []).extend(vals)
            return
        for node in m.tree.walk():
            v = node.value
            if v is None or isinstance(v, (list, tuple, dict)):
                continue
            abbrev = node.field.abbrev
            layer = abbrev.partition(".")[0]
            if layer not in self.protocols:
                self.protocols.append(layer)
            d = self.layers.setdefault(layer, {})
            key = f"{layer}_{_ek_key(abbrev)}"
            text = _field_text(v)
            old = d.get(key)
            if old is None:
                d[key] = text
            elif isinstance(old, list):
                old.append(text)
            else:
                d[key] = [old, text]

    def lines(self) -> str:
        t = self.time
        finite = isinstance(t, (int, float)) and math.isfinite(t)
        if self.fields is not None:
            layers = self.layers
        else:
            frame = {"frame_frame_number": str(self.number),
                     "frame_frame_time_epoch": f"{t:.6f}000" if finite else str(t),
                     "frame_frame_protocols": ":".join(self.protocols)}
            layers = {"frame": frame, **self.layers}
        doc = _dumps({"timestamp": str(int(t * 1000)) if finite else "0", "layers": layers})
        if not (doc.isascii() and "\x7f" not in doc or doc.isprintable()):
            doc = json_escape(doc)
        return ek_index_line(t if finite else 0.0) + "\n" + doc


# --- -z: statistics after the messages ------------------------------------------------------------

TAPS_HELP = """\
-z statistics (printed after the messages; -q prints them alone):
  io,stat,INTERVAL[,FILTER…]   frames and bytes per INTERVAL seconds (0: the whole capture), one column per
                               FILTER (a frame counts when one of its messages matches), as tshark's io,stat
  netlink,stat[,FILTER]        everything 'nlscope stats' reports
  netlink,errors[,FILTER]      errors by errno and by request type
  netlink,latency[,FILTER]     transaction latency percentiles, requests without answer
  netlink,dumps[,FILTER]       dumps: how many, messages and bytes per dump, by request type
  netlink,processes[,FILTER]   top processes (from the capture's comments) and port ids
Every -z counts every frame read, whatever -Y shows (as tshark's)."""

# the sections of Stats.report() each netlink statistic prints, by the start of their title
NETLINK_TAPS = {
    "stat": None,
    "errors": ("Errors by errno", "Errors by request type"),
    "latency": ("Transaction latency", "Transactions left out", "Requests without answer"),
    "dumps": ("Dumps:",),
    "processes": ("Top processes", "Top port ids"),
}
MAX_INTERVALS = 100_000   # rows of an io,stat table, at most


class IoStat:
    """tshark's -z io,stat,INTERVAL[,FILTER…]: frames and bytes (frame.len) per interval of
    the capture's time, from its first frame, one column per filter."""

    def __init__(self, interval: float, filters: list):
        self.interval = interval
        self.filters = filters            # [(text, compiled or None)]
        self.first = self.last = None
        self.cells: dict = {}             # interval number -> [[frames, bytes] per column]
        self.overflow = False

    def frame(self, fr, msgs) -> None:
        t = fr.time
        if not (isinstance(t, (int, float)) and math.isfinite(t)):
            return
        if self.first is None:
            self.first = t
        self.last = t if self.last is None else max(self.last, t)
        k = 0 if not self.interval else max(0, math.floor((t - self.first) / self.interval))
        row = self.cells.get(k)
        if row is None:
            if len(self.cells) >= MAX_INTERVALS:
                self.overflow = True
                return
            row = self.cells[k] = [[0, 0] for _ in self.filters]
        for cell, (_, flt) in zip(row, self.filters):
            if flt is None or any(flt(m) for m in msgs):
                cell[0] += 1
                cell[1] += fr.wirelen

    def report(self) -> str:
        dur = (self.last - self.first) if self.first is not None else 0.0
        interval = self.interval if self.interval and self.interval <= dur else dur
        whole = self.interval and self.interval == int(self.interval) and interval == self.interval
        prec = 0 if whole else (3 if interval != self.interval or not self.interval else
                                max(1, len(f"{self.interval:.6f}".rstrip("0").split(".")[1])))
        dur_text = f"{dur:.6f}" if whole else f"{dur:.{prec}f}"
        n = 1 if not self.interval or self.interval > dur else dur // interval + 1
        if self.overflow or n > MAX_INTERVALS:
            return (f"\nio,stat: more than {MAX_INTERVALS} intervals of {self.interval:g} s in {dur_text} s: "
                    f"choose a longer interval\n")
        n = int(n)
        rows = []
        for k in range(n):
            start = k * interval
            end = min((k + 1) * interval, dur)
            s = f"{start:.{prec}f}"
            e = "Dur" if whole and k == n - 1 else f"{end:.{prec}f}"
            cells = self.cells.get(k) or [[0, 0] for _ in self.filters]
            rows.append((f"{s} <> {e}", cells))
        fw = [max([len("Frames")] + [len(str(c[i][0])) for _, c in rows]) for i in range(len(self.filters))]
        bw = [max([len("Bytes")] + [len(str(c[i][1])) for _, c in rows]) for i in range(len(self.filters))]
        lw = max([len("Interval")] + [len(label) for label, _ in rows])
        body = []
        for label, cells in rows:
            body.append(f"| {label:<{lw}} |" + "".join(f" {c[0]:>{fw[i]}} | {c[1]:>{bw[i]}} |"
                                                       for i, c in enumerate(cells)))
        head = f"| {'Interval':<{lw}} |" + "".join(f" {'Frames':>{fw[i]}} | {'Bytes':>{bw[i]}} |"
                                                   for i in range(len(self.filters)))
        nums = f"| {'':<{lw}} |" + "".join(f"{i + 1:<{fw[i] + bw[i] + 5}}|" for i in range(len(self.filters)))
        cols = [f"Col {i + 1}: {text or 'Frames and bytes'}" if i == 0 else f"    {i + 1}: {text or 'Frames and bytes'}"
                for i, (text, _) in enumerate(self.filters)]
        titles = ["IO Statistics", "", f"Duration: {dur_text} secs",
                  f"Interval: {interval:.{prec}f} secs" if not whole else f"Interval: {int(interval)} secs", ""] + cols
        width = max([len(head), len(nums)] + [len(b) for b in body] + [len(t) + 4 for t in titles])
        out = ["", "=" * width]
        out += [f"| {t:<{width - 4}} |" for t in titles]
        out.append("|" + "-" * (width - 2) + "|")
        out.append(nums.ljust(width - 1) + "|" if len(nums) < width else nums)
        out.append(head.ljust(width - 1) + "|" if len(head) < width else head)
        out.append("|" + "-" * (width - 2) + "|")
        out += [b if len(b) == width else b[:-1].ljust(width - 1) + "|" for b in body]
        out.append("=" * width)
        text = "\n".join(out) + "\n"
        return text if printable(text.replace("\n", "")) else "\n".join(map(escape_text, text.split("\n")))


class NetlinkTap:
    """-z netlink,WHAT[,FILTER]: the sections of 'nlscope stats' (analysis/stats.py) WHAT names."""

    def __init__(self, what: str, text: str | None, flt):
        from .analysis.stats import Stats
        self.what, self.text, self.flt = what, text, flt
        self.stats = Stats()

    def message(self, m) -> None:
        if self.flt is None or self.flt(m):
            self.stats.add(m)

    def report(self) -> str:
        text = self.stats.report()
        titles = NETLINK_TAPS[self.what]
        if titles is not None:
            keep, on = [], False
            for line in text.split("\n"):
                if line and not line.startswith(" "):
                    on = line.startswith(titles)
                if on and line:
                    keep.append(line)
            text = "\n".join(keep) if keep else "(nothing to count)"
        head = f"Netlink {self.what}" + (f" ({self.text})" if self.text else "")
        rule = "=" * 72
        out = f"\n{rule}\n{head}\n{rule}\n{text}\n{rule}\n"
        return out if printable(out.replace("\n", "")) else "\n".join(map(escape_text, out.split("\n")))


class Taps:
    """Every -z of the command line, fed every frame read and its messages."""

    def __init__(self, items: list[str], compile_filter):
        self.io: list[IoStat] = []
        self.netlink: list[NetlinkTap] = []
        self.order: list = []
        for item in items:
            parts = item.split(",")
            if parts[:2] == ["io", "stat"] and len(parts) >= 3:
                try:
                    interval = float(parts[2])
                    if not math.isfinite(interval) or interval < 0:
                        raise ValueError
                except ValueError:
                    raise ValueError(f'-z {escape_text(item)}: write "io,stat,INTERVAL[,FILTER]…", the interval in '
                                     f'seconds (0: the whole capture)') from None
                rest = item.split(",", 3)[3] if len(parts) > 3 else ""
                texts = [t for t in _split_filters(rest)] or [""]
                tap = IoStat(interval, [(t, compile_filter(t) if t else None) for t in texts])
                self.io.append(tap)
            elif parts[0] == "netlink" and len(parts) >= 2 and parts[1] in NETLINK_TAPS:
                text = item.split(",", 2)[2] if len(parts) > 2 else ""
                tap = NetlinkTap(parts[1], text, compile_filter(text) if text else None)
                self.netlink.append(tap)
            else:
                raise ValueError(f'-z {escape_text(item)}: no such statistic; the statistics are io,stat,INTERVAL'
                                 f'[,FILTER], netlink,{"|".join(NETLINK_TAPS)}[,FILTER] (-z help)')
            self.order.append(tap)
        self.pairs = bool(self.netlink)   # latency and dumps need the transactions

    def __bool__(self) -> bool:
        return bool(self.order)

    def frame(self, fr, msgs) -> None:
        for tap in self.io:
            tap.frame(fr, msgs)
        for tap in self.netlink:
            for m in msgs:
                tap.message(m)

    def transaction(self, t) -> None:
        for tap in self.netlink:
            tap.stats.add_transaction(t)

    def report(self) -> str:
        return "".join(tap.report() for tap in self.order)


def _split_filters(text: str) -> list[str]:
    """io,stat's filters are separated by commas, but a comma inside quotes or braces (a
    set: netlink.type in {16, 17}) belongs to its filter."""
    out, cur, depth, quote = [], [], 0, None
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        elif ch == "," and depth <= 0:
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if cur or out:
        out.append("".join(cur).strip())
    return out
