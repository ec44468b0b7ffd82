"""Display filters: a Wireshark-like language over the decoded tree's field names.

    netlink.flags.dump and rtnl.link.mtu > 1500
    netlink.error == EEXIST || (rtnl.route.dst in 10.0.0.0/8 && !netlink.flags.ack)
    netlink.type in {RTM_NEWLINK RTM_DELLINK} and nlscope.process == "ip"
    rtnl.link.ifname matches "^veth[0-9]+$" or genl.ctrl.family_name contains "80211"

Grammar (parsed by hand, never eval'd; errors name the column):
    expr    := and_ ( ("or" | "||") and_ )*
    and_    := not_ ( ("and" | "&&") not_ )*
    not_    := ("not" | "!") not_ | "(" expr ")" | test
    test    := FIELD [ OP value | "contains" value | "matches" STRING | "in" "{" value* "}" ]
    OP      := == != < <= > >= (or eq ne lt le gt ge)
    value   := integer (decimal, 0x hex) | "string" | IPv4/IPv6 address or prefix | MAC | NAME
A field alone tests presence (a flag field is present when the flag is set).  `==`, `<` …
hold when any occurrence of the field satisfies them, `!=` when none equals.  NAME
compares with the symbolic names in the field's display (RTM_NEWLINK, EEXIST, IF_OPER_UP,
ACK) and with string values.  A prefix literal tests membership: `rtnl.route.dst ==
10.0.0.0/8` and `in 10.0.0.0/8` mean the same.  Index fields (netlink.type, .flags.*, .seq,
.pid, .len, netlink.protocol, netlink.family, frame.number, nlscope.*) are answered from
the message header without decoding the body.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Callable

from dissectors import FIELDS, load_families
from dissectors.core.errors import ERRNO_VALUES

from ..sources.procs import Process  # noqa: F401  (documents what nlscope.process holds)


class FilterError(ValueError):
    def __init__(self, message: str, column: int, text: str = ""):
        self.message, self.column, self.text = message, column, text
        super().__init__(f"{message} (column {column})")

    def pointer(self) -> str:
        """The filter with a caret under the column at fault."""
        return f"{self.text}\n{' ' * (self.column - 1)}^"


# --- values -----------------------------------------------------------------------
_NAME_RE = re.compile(r"\b[A-Z][A-Z0-9_]{1,}\b")


class Literal:
    __slots__ = ("text", "kind", "num", "ip", "net", "col")

    def __init__(self, text: str, kind: str, col: int):
        self.text, self.kind, self.col = text, kind, col
        self.num = self.ip = self.net = None
        if kind == "word":
            if re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", text):
                self.kind, self.num = "int", int(text, 0)
            elif re.fullmatch(r"-?\d+(\.\d*)?([eE]-?\d+)?", text):
                self.kind, self.num = "int", float(text)
            elif "/" in text:
                try:
                    self.net = ipaddress.ip_network(text, strict=False)
                    self.kind = "net"
                except ValueError:
                    raise FilterError(f"'{text}' is not an address prefix", col) from None
            elif re.fullmatch(r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}", text):
                self.kind = "mac"
                self.text = text.lower()
            else:
                try:
                    self.ip = ipaddress.ip_address(text)
                    self.kind = "ip"
                except ValueError:
                    if not re.fullmatch(r"[A-Za-z_][\w.-]*", text):
                        raise FilterError(f"'{text}' is not a number, address, name or string", col) from None
                    self.kind = "name"
                    if text.upper() in ERRNO_VALUES:
                        self.num = -ERRNO_VALUES[text.upper()]
                    elif text.lower() in ("true", "false"):
                        self.kind, self.num = "int", int(text.lower() == "true")


def _names(show: str) -> set[str]:
    return set(_NAME_RE.findall(show or ""))


def _as_ip(v):
    try:
        return ipaddress.ip_address(v)
    except ValueError:
        return None


def _num(v):
    if isinstance(v, bool):
        return int(v)
    return v if isinstance(v, (int, float)) else None


def _eq(value, show: str, lit: Literal) -> bool:
    """Does one occurrence (value and its display text) equal the literal?"""
    n = _num(value)
    if lit.kind == "int":
        if n is not None:
            return n == lit.num
        return isinstance(value, str) and value == lit.text
    if lit.kind == "name":
        if isinstance(value, str) and value == lit.text:
            return True
        if lit.num is not None and n is not None and n == lit.num and "E" in (show or ""):
            return True  # errno names: netlink.error == EEXIST
        up = lit.text.upper()
        return up in _names(show) or (isinstance(value, str) and value.upper() == up)
    if lit.kind == "string":
        if isinstance(value, str):
            return value == lit.text
        if isinstance(value, (bytes, bytearray)):
            return bytes(value) == lit.text.encode()
        return show == lit.text
    if lit.kind in ("ip", "net"):
        ip = _as_ip(value) if isinstance(value, str) else None
        if ip is None:
            return False
        return ip == lit.ip if lit.kind == "ip" else (ip.version == lit.net.version and ip in lit.net)
    if lit.kind == "mac":
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).hex(":") == lit.text
        return isinstance(value, str) and value.lower() == lit.text
    return False


def _order(value, lit: Literal):
    """(a, b) comparable pair or None."""
    n = _num(value)
    if lit.kind in ("int", "name") and lit.num is not None and n is not None:
        return n, lit.num
    if lit.kind == "ip" and isinstance(value, str):
        ip = _as_ip(value)
        if ip is not None and ip.version == lit.ip.version:
            return ip, lit.ip
    return None


_ORD = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
_ALIASES = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


# --- fields the application adds, and the cheap ones read from the header ----------
def _flag_getter(name):
    def get(m):
        return [(True, "True")] if name in m.flag_names else [(False, "False")]
    return get


INDEX_FIELDS: dict[str, Callable] = {
    "frame.number": lambda m: [(m.frame, str(m.frame))],
    "frame.time": lambda m: [(m.time, str(m.time))],
    "netlink.protocol": lambda m: [(m.protocol, f"{m.protocol}")],
    "netlink.len": lambda m: [(m.length, str(m.length))],
    "netlink.type": lambda m: [(m.type, f"{m.type_name} ({m.type})")],
    "netlink.flags": lambda m: [(m.flags, f"{m.flags:#06x} ({', '.join(m.flag_names)})")],
    "netlink.seq": lambda m: [(m.seq, str(m.seq))],
    "netlink.pid": lambda m: [(m.pid, str(m.pid))],
    "netlink.family": lambda m: [(m.family, m.family)],
    "nlscope.direction": lambda m: [(m.direction, m.direction)],
    "nlscope.process": lambda m: [(m.process.comm, str(m.process))] if m.process else [],
    "nlscope.process.pid": lambda m: [(m.process.pid, str(m.process.pid))] if m.process else [],
    "nlscope.role": lambda m: [(m.tx[1], m.tx[1])] if m.tx else [],
    "nlscope.transaction": lambda m: [(m.tx[0].id, str(m.tx[0].id))] if m.tx and m.tx[0] else [],
    "nlscope.latency": lambda m: [(m.tx[0].latency, str(m.tx[0].latency))]
    if m.tx and m.tx[0] and m.tx[0].latency is not None and m.tx[1] == "request" else [],
    "nlscope.malformed": lambda m: [(True, "True")] if m.malformed else [],
    "nlscope.unknown": lambda m: [(True, "True")] if m.unknown_count() else [],
}
APP_FIELDS = {
    "frame.number": ("uint", "frame number in the capture"),
    "frame.time": ("float", "capture time, seconds since the epoch"),
    "netlink.family": ("string", "what the Protocol column shows: rtnetlink, nlctrl, nl80211 …"),
    "nlscope.direction": ("string", "'to kernel' or 'from kernel' (inferred from NLM_F_REQUEST)"),
    "nlscope.process": ("string", "command name of the process that owns the socket (live, or saved)"),
    "nlscope.process.pid": ("uint", "pid of that process"),
    "nlscope.role": ("string", "request, response, notification or 'no request'"),
    "nlscope.transaction": ("uint", "transaction number (request and its answers)"),
    "nlscope.latency": ("float", "on a request: seconds until its last answer"),
    "nlscope.malformed": ("bool", "the message header could not be read"),
    "nlscope.unknown": ("bool", "the message has bytes no dissector could name"),
}
_FLAG_NAMES = ("request", "multi", "ack", "echo", "dump_intr", "dump_filtered", "root", "match", "atomic", "dump",
               "replace", "excl", "create", "append", "nonrec", "bulk", "capped", "ack_tlvs")
for _n in _FLAG_NAMES:
    INDEX_FIELDS[f"netlink.flags.{_n}"] = _flag_getter(_n.upper())


def known_field(name: str) -> bool:
    load_families()
    return name in INDEX_FIELDS or name in FIELDS


def _tree_values(m, abbrev):
    return [(n.value, n.show) for n in m.tree.find_all(abbrev)]


def _is_bool(name: str) -> bool:
    f = FIELDS.get(name)
    return name.startswith("netlink.flags.") and name != "netlink.flags.unknown_bits" or (
        f is not None and f.kind == "bool") or APP_FIELDS.get(name, ("",))[0] == "bool"


def _getter(name: str):
    """Occurrences (value, display) of a field in a message.  A boolean field that does not
    occur is one occurrence of False, so `x == 0` holds where the flag is not set."""
    get = INDEX_FIELDS.get(name)
    if get is not None:
        return get
    if _is_bool(name):
        return lambda m: _tree_values(m, name) or [(False, "False")]
    return lambda m: _tree_values(m, name)


# --- tokenizer and parser ------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>!(){},])
  | (?P<word>[A-Za-z0-9_.:/\-]+)
""", re.X)


def _tokens(text: str):
    pos = 0
    out = []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos] == '"':
                raise FilterError("unterminated string", pos + 1, text)
            raise FilterError(f"unexpected character {text[pos]!r}", pos + 1, text)
        kind = m.lastgroup
        if kind != "ws":
            out.append((kind, m.group(), pos + 1))
        pos = m.end()
    out.append(("end", "", len(text) + 1))
    return out


# fields whose values come from pairing requests with answers (a transaction table)
TX_FIELDS = frozenset({"nlscope.role", "nlscope.transaction", "nlscope.latency"})
# the fields a filter reads without decoding a message's body
HEADER_FIELDS = frozenset(INDEX_FIELDS) - {"nlscope.unknown"}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.fields: set[str] = set()

    def peek(self):
        return self.toks[self.i]

    def take(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def error(self, msg, col=None):
        return FilterError(msg, col if col is not None else self.peek()[2], self.text)

    def is_word(self, *words):
        k, v, _ = self.peek()
        return (k == "word" and v.lower() in words) or (k == "op" and v in words)

    def parse(self):
        if self.peek()[0] == "end":
            raise self.error("empty filter")
        node = self.expr()
        if self.peek()[0] != "end":
            raise self.error(f"unexpected '{self.peek()[1]}'")
        return node

    def expr(self):
        left = self.and_()
        while self.is_word("or", "||"):
            self.take()
            right = self.and_()
            left = (lambda a, b: lambda m: a(m) or b(m))(left, right)
        return left

    def and_(self):
        left = self.not_()
        while self.is_word("and", "&&"):
            self.take()
            right = self.not_()
            left = (lambda a, b: lambda m: a(m) and b(m))(left, right)
        return left

    def not_(self):
        if self.is_word("not", "!"):
            self.take()
            inner = self.not_()
            return lambda m: not inner(m)
        if self.peek()[1] == "(":
            col = self.take()[2]
            node = self.expr()
            if self.peek()[1] != ")":
                raise self.error(f"missing ')' for the '(' at column {col}")
            self.take()
            return node
        return self.test()

    def value(self) -> Literal:
        k, v, col = self.take()
        if k == "str":
            try:
                s = bytes(v[1:-1], "utf-8").decode("unicode_escape")
            except UnicodeDecodeError:
                raise FilterError("bad escape in string", col, self.text) from None
            return Literal(s, "string", col)
        if k == "word":
            try:
                return Literal(v, "word", col)
            except FilterError as exc:
                raise FilterError(exc.message, col, self.text) from None
        raise FilterError(f"expected a value, found '{v or 'end of filter'}'", col, self.text)

    def test(self):
        k, name, col = self.take()
        if k != "word" or not re.fullmatch(r"[A-Za-z_][\w]*(\.[\w]+)*", name):
            raise FilterError(f"expected a field name, found '{name or 'end of filter'}'", col, self.text)
        if not known_field(name):
            raise FilterError(f"unknown field '{name}' (see 'nlscope fields')", col, self.text)
        get = _getter(name)
        self.fields.add(name)
        k2, op, _ = self.peek()
        op = _ALIASES.get(op.lower(), op) if k2 == "word" else op
        if op in ("==", "!=", "<", "<=", ">", ">=") and k2 in ("op", "word"):
            self.take()
            lit = self.value()
            if op == "==":
                return lambda m: any(_eq(v, s, lit) for v, s in get(m))
            if op == "!=":
                return lambda m: not any(_eq(v, s, lit) for v, s in get(m))
            if lit.kind == "net":
                raise FilterError(f"'{op}' cannot compare with a prefix; use 'in' or '=='", lit.col, self.text)
            cmp = _ORD[op]

            def ordered(m):
                for v, _s in get(m):
                    pair = _order(v, lit)
                    if pair is not None and cmp(*pair):
                        return True
                return False
            return ordered
        if k2 == "word" and op.lower() == "contains":
            self.take()
            lit = self.value()
            needle = lit.text

            def contains(m):
                for v, s in get(m):
                    if isinstance(v, (bytes, bytearray)) and needle.encode() in v:
                        return True
                    if isinstance(v, str) and needle in v:
                        return True
                    if not isinstance(v, (str, bytes, bytearray)) and needle in (s or ""):
                        return True
                return False
            return contains
        if k2 == "word" and op.lower() == "matches":
            self.take()
            lit = self.value()
            try:
                rx = re.compile(lit.text)
            except re.error as exc:
                raise FilterError(f"bad regular expression: {exc}", lit.col, self.text) from None
            return lambda m: any(rx.search(v if isinstance(v, str) else (s or "")) for v, s in get(m))
        if k2 == "word" and op.lower() == "in":
            self.take()
            if self.peek()[1] != "{":
                lit = self.value()  # `in 10.0.0.0/8`
                if lit.kind != "net":
                    raise FilterError("'in' takes a set {…} or an address prefix", lit.col, self.text)
                return lambda m: any(_eq(v, s, lit) for v, s in get(m))
            open_col = self.take()[2]
            items: list = []
            while self.peek()[1] not in ("}",) and self.peek()[0] != "end":
                if self.peek()[1] == ",":
                    self.take()
                    continue
                k3, v3, c3 = self.peek()
                if k3 == "word" and ".." in v3:  # a range: 1..5
                    self.take()
                    lo, _, hi = v3.partition("..")
                    try:
                        items.append((int(lo, 0), int(hi, 0)))
                    except ValueError:
                        raise FilterError(f"bad range '{v3}'", c3, self.text) from None
                else:
                    items.append(self.value())
            if self.peek()[1] != "}":
                raise self.error(f"missing '}}' for the '{{' at column {open_col}")
            self.take()

            def member(m):
                for v, s in get(m):
                    for it in items:
                        if isinstance(it, tuple):
                            n = _num(v)
                            if n is not None and it[0] <= n <= it[1]:
                                return True
                        elif _eq(v, s, it):
                            return True
                return False
            return member
        if _is_bool(name):
            return lambda m: any(v for v, _ in get(m))  # a flag "is there" when it is set
        return lambda m: bool(get(m))


class DisplayFilter:
    """A compiled display filter: call it on a Message."""

    def __init__(self, text: str):
        self.text = text
        parser = _Parser(text)
        self._fn = parser.parse()
        self.fields = frozenset(parser.fields)   # the field names it reads

    def __call__(self, msg) -> bool:
        try:
            return bool(self._fn(msg))
        except Exception:  # a filter never takes the capture down: an unreadable message is no match
            return False


def compile_filter(text: str) -> DisplayFilter:
    return DisplayFilter(text)
