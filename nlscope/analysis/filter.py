"""Display filters: a Wireshark-like language over the decoded tree's field names.

    netlink.flags.dump and rtnl.link.mtu > 1500
    netlink.error == EEXIST || (rtnl.route.dst in 10.0.0.0/8 && !netlink.flags.ack)
    netlink.type in {RTM_NEWLINK, RTM_DELLINK} and nlscope.process == "ip"
    rtnl.link.ifname matches "^veth[0-9]+$" or genl.ctrl.family_name contains "80211"

Grammar (parsed by hand, never eval'd; errors name the column):
    expr    := and_ ( ("or" | "||") and_ )*
    and_    := not_ ( ("and" | "&&") not_ )*
    not_    := ("not" | "!") not_ | "(" expr ")" | test
    test    := ["any" | "all"] operand [ OP operand | "contains" value | ("matches" | "~") STRING
               | ["not" | "!"] "in" ( "{" value ("," value)* "}" | PREFIX ) ]
    operand := term (("+" | "-") term)*        term := atom (("*" | "/" | "%" | "&") atom)*
    atom    := "-" atom | FUNC "(" operand ("," operand)* ")" | FIELD ["[" SLICE "]"] | value
    FUNC    := len count upper lower string abs min max       SLICE := i:n | i-j | i | :n | i:
    OP      := == != === !== ~= < <= > >= (or eq ne lt le gt ge, any_eq all_ne all_eq any_ne)
    value   := integer (decimal, 0x hex, 0 octal) | "string" | IPv4/IPv6 address or prefix | MAC
               | bytes (64:75) | NAME
FIELD is one of ours (`nlscope fields`) or one of Wireshark's netlink names, whose values
and presence are Wireshark's (filter_aliases.py), or frame.*: time_relative, time_delta and
time_delta_displayed read the messages the filter was given before (DisplayFilter.stateful).
A comparison starts with a field (`abs(-5) == 5` is refused, as tshark refuses it); a
function alone is refused, `f & mask` and arithmetic alone test for a value that is not 0.
As in Wireshark 4.0: a comparison with a field the message does not have is false, whatever
the operator (only `not` turns that round).  `==`, `<`, `contains` … hold when any occurrence
of the field satisfies them; `!=` (all_ne) when there is one and every occurrence differs;
`===` (all_eq) when every occurrence equals; `!==` (any_ne, and 3.6's `~=`) when one differs.
`matches` is case-insensitive unless the pattern says `(?-i)`; `contains` is not.  A bit of a
flags value (`rtnl.link.flags.up`) is there wherever its flags value is, True or False; a
field alone tests presence, and a bit is "present" when it is set.  NAME compares with the
symbolic names in the field's display (RTM_NEWLINK, EEXIST, IF_OPER_UP, ACK); where the field
is text it is the text itself (`rtnl.link.ifname == dummy0`).  A value the field cannot have
is refused at compile time (filter_values.py): a string or an address for a number, a name
netlink.type or netlink.error does not know (with the nearest ones), `contains` or `matches`
on a number.  A prefix literal tests membership: `rtnl.route.dst ==
10.0.0.0/8` and `in 10.0.0.0/8` mean the same.  Index fields (netlink.type, .flags.*, .seq,
.pid, .len, netlink.protocol, netlink.family, frame.number, nlscope.*) are answered from
the message header without decoding the body.

A string is UTF-8: "dümmy0" matches the interface the kernel names so; \\xhh and \\ooo are
one byte each, \\uXXXX a character (as in Wireshark).  `matches` is RE2 (filter_regex.py).
A filter is untrusted text, so everything it costs is bounded: its length, its nesting
(MAX_DEPTH), its sets, and its work on one message (MESSAGE_BUDGET, then FilterTimeout);
and/or chains are n-ary loops, so a chain of any length evaluates in constant stack depth.
"""
from __future__ import annotations

import bisect
import ipaddress
import math
import re
import time
from typing import Callable

from dissectors import FIELDS, load_families
from dissectors.core.registry import field_owner
from dissectors.core.errors import ERRNO_VALUES

from ..sources.procs import Process  # noqa: F401  (documents what nlscope.process holds)
from .filter_aliases import FRAME_FIELDS, PROTOCOL_BYTES, WIRESHARK_ALIASES, protocol_term
from .filter_errors import FilterError, FilterTimeout, quote
from .filter_regex import compile_regex
from .filter_values import NAME_RE as _NAME_RE, NUMBER_KINDS, did_you_mean, known_names
from ..time_text import field_epoch_text, field_time_text
from .transactions import request_of, since_request

__all__ = ["DisplayFilter", "FilterError", "FilterTimeout", "compile_filter", "known_field"]

# --- limits: a filter is untrusted text ---------------------------------------------
# characters in a filter (a 10,000-term `or` chain of `netlink.seq == N` is 230,000)
MAX_FILTER_LENGTH = 1_000_000
# parentheses and `not` nested in one another (each level is a parser frame)
MAX_DEPTH = 64
# values and ranges in one `in {…}` (a range counts as one: it is never expanded)
MAX_SET_ITEMS = 10_000
# seconds of work one message may cost a filter before it gives up (FilterTimeout);
# measured from the first costly step (a regular expression, a long chain), so the
# common filter never reads the clock
MESSAGE_BUDGET = 2.0
# a chain of and/or checks the budget every this many terms
_CHECK_EVERY = 256


# --- values -----------------------------------------------------------------------


class Literal:
    """A value in a filter.  `text` is how it compares with a field's text, `raw` with a
    field's bytes: a string's `raw` is its bytes (UTF-8, escapes applied) and its `text`
    those bytes read as the dissectors read a string (UTF-8, other bytes as \\xNN escapes)."""
    __slots__ = ("text", "raw", "kind", "num", "ip", "net", "col")

    @classmethod
    def hex_bytes(cls, text: str, col: int) -> "Literal | None":
        """A byte string written as Wireshark writes bytes (`64`, `64:75`, `64-75`, `64.75`), or None."""
        if not re.fullmatch(r"[0-9a-fA-F]{1,2}(?:([:.-])[0-9a-fA-F]{2}(?:\1[0-9a-fA-F]{2})*)?", text):
            return None
        raw = bytes(int(b, 16) for b in re.split(r"[:.-]", text))
        lit = cls(raw.hex(":"), "bytes", col, raw)
        return lit

    def __init__(self, text: str, kind: str, col: int, raw: bytes | None = None):
        self.text, self.kind, self.col = text, kind, col
        self.raw = raw if raw is not None else text.encode("utf-8", "backslashreplace")
        self.num = self.ip = self.net = None
        if kind == "word":
            if re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", text):
                self.kind, self.num = "int", _integer(text, col)
            elif re.fullmatch(r"-?\d+(\.\d*)?([eE][-+]?\d+)?", text):
                self.kind, self.num = "int", float(text)
            elif "/" in text:
                try:
                    self.net = ipaddress.ip_network(text, strict=False)
                    self.kind = "net"
                except ValueError:
                    raise FilterError(f"'{quote(text)}' is not an address prefix", col) from None
            elif re.fullmatch(r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}", text):
                self.kind = "mac"
                self.text = text.lower()
            else:
                try:
                    self.ip = ipaddress.ip_address(text)
                    self.kind = "ip"
                except ValueError:
                    if not re.fullmatch(r"[A-Za-z_][\w.-]*", text):
                        raise FilterError(f"'{quote(text)}' is not a number, address, name or string", col) from None
                    self.kind = "name"
                    if text.upper() in ERRNO_VALUES:
                        self.num = -ERRNO_VALUES[text.upper()]
                    elif text.lower() in ("true", "false"):
                        self.kind, self.num = "int", int(text.lower() == "true")


def _integer(text: str, col: int) -> int:
    """A decimal, 0x hex or (leading 0, as C and Wireshark read it) octal integer."""
    digits = text.lstrip("-")
    if len(digits) > 100:
        raise FilterError(f"'{quote(text)}' has too many digits for a number", col)
    if len(digits) > 1 and digits[0] == "0" and digits[1] not in "xX":
        if not digits.isdigit() or any(c in "89" for c in digits):
            raise FilterError(f"'{text}' is not a number (a leading 0 means octal)", col)
        value = int(digits, 8)
        return -value if text.startswith("-") else value
    return int(text, 0)


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
            return bytes(value) == lit.raw
        return show == lit.text
    if lit.kind in ("ip", "net"):
        ip = _as_ip(value) if isinstance(value, str) else None
        if ip is None:
            return isinstance(value, str) and value == lit.text   # a text field: the word as written
        return ip == lit.ip if lit.kind == "ip" else (ip.version == lit.net.version and ip in lit.net)
    if lit.kind == "bytes":
        if isinstance(value, str):
            value = value.encode("utf-8", "surrogateescape")
        return isinstance(value, (bytes, bytearray)) and bytes(value) == lit.raw
    if lit.kind == "mac":
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).hex(":") == lit.text
        return isinstance(value, str) and (value.lower() == lit.text or value == lit.raw.decode())
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
    if lit.kind == "string":  # text and bytes order as Wireshark's: byte by byte (code points: UTF-8's order)
        if isinstance(value, str):
            return value, lit.text
        if isinstance(value, (bytes, bytearray)):
            return bytes(value), lit.raw
    return None


_ORD = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
# Wireshark 4.0's names of its operators; `~=` is 3.6's spelling of `!==`, which 4.0 still reads
_ALIASES = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "any_eq": "==", "all_ne": "!=",
            "all_eq": "===", "any_ne": "!==", "~=": "!==", "~": "matches"}
_EQUALITY = ("==", "!=", "===", "!==")


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
    # Wireshark's request/response pairs (dns.response_in, dns.response_to, dns.time)
    "nlscope.response_in": lambda m: [(m.tx[0].responses[0].frame, str(m.tx[0].responses[0].frame))]
    if m.tx and m.tx[0] and m.tx[1] == "request" and m.tx[0].responses else [],
    "nlscope.response_to": lambda m: [(r.frame, str(r.frame)) for r in (request_of(m),) if r is not None],
    "nlscope.time": lambda m: [(d, str(d)) for d in (since_request(m),) if d is not None],
    "nlscope.malformed": lambda m: [(True, "True")] if m.malformed else [(False, "False")],
    "nlscope.unknown": lambda m: [(True, "True")] if m.unknown_count() else [(False, "False")],
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
    "nlscope.response_in": ("uint", "on a request: the frame of its first answer"),
    "nlscope.response_to": ("uint", "on an answer: the frame of its request"),
    "nlscope.time": ("float", "on an answer: seconds since its request"),
    "nlscope.malformed": ("bool", "the message header could not be read"),
    "nlscope.unknown": ("bool", "the message has bytes no dissector could name"),
}
_FLAG_NAMES = ("request", "multi", "ack", "echo", "dump_intr", "dump_filtered", "root", "match", "atomic", "dump",
               "replace", "excl", "create", "append", "nonrec", "bulk", "capped", "ack_tlvs")
for _n in _FLAG_NAMES:
    INDEX_FIELDS[f"netlink.flags.{_n}"] = _flag_getter(_n.upper())


# frame.* fields that depend on the frames before this one: computed by DisplayFilter's clock
CLOCK_FIELDS = {
    "frame.time_relative": ("float", "seconds since the first frame the filter was given"),
    "frame.time_delta": ("float", "seconds since the frame before this one"),
    "frame.time_delta_displayed": ("float", "seconds since the last frame this filter matched (0 before one)"),
}
for _name, (_k, _d, _get) in FRAME_FIELDS.items():
    APP_FIELDS.setdefault(_name, (_k, _d))
    INDEX_FIELDS.setdefault(_name, _get)
APP_FIELDS.update(CLOCK_FIELDS)


def _alias(name: str):
    """The Wireshark name's Alias, unless the name is ours too (netlink.error, genl.cmd …:
    our own names keep their meaning)."""
    alias = WIRESHARK_ALIASES.get(name)
    if alias is None or name in FIELDS or name in INDEX_FIELDS:
        return None
    return alias


def known_field(name: str) -> bool:
    load_families()
    return name in INDEX_FIELDS or name in FIELDS or name in WIRESHARK_ALIASES or name in CLOCK_FIELDS


def _all_fields() -> list[str]:
    return list(INDEX_FIELDS) + list(CLOCK_FIELDS) + list(WIRESHARK_ALIASES) + [f.abbrev for f in FIELDS]


def _kind(name: str) -> str:
    """What a field holds: uint, int, float, bool, string, bytes, ipv4, ipv6, mac, none, family
    (netlink.family: a protocol number or our label) ('' unknown)."""
    if name == "netlink.protocol":
        return "uint"
    if name == "netlink.family":
        return "family"
    if name in PROTOCOL_BYTES:   # `netlink` is also the tree's root field (no value): as a filter, its bytes
        return "bytes"
    alias = _alias(name)
    if alias is not None:
        return alias.kind
    f = FIELDS.get(name)
    if f is not None:
        return f.kind
    return APP_FIELDS.get(name, ("",))[0]


_NOT_TEXT = NUMBER_KINDS | {"bool", "ipv4", "ipv6", "none"}
_KIND_TEXT = {"uint": "a number", "int": "a number", "float": "a number", "bool": "a boolean",
              "ipv4": "an IPv4 address", "ipv6": "an IPv6 address", "none": "a field with no value"}


def _tree_reader(name: str):
    """tree -> occurrences (value, display) of a body field in it; a flag bit is there wherever
    its flags value is (see _getter)."""
    parent = _bit_of(name)
    if parent is None:
        return lambda tree: [(n.value, n.show) for n in tree.find_all(name)]

    def bits(tree):
        out = []
        for flags in tree.find_all(parent):
            set_ = any(c.field.abbrev == name for c in flags.children or ())
            out.append((set_, "True" if set_ else "False"))
        return out
    return bits


def _is_bool(name: str) -> bool:
    """Is `name` a flag that "is there" only when set (ours), rather than tested for presence
    (a Wireshark name, as Wireshark tests an FT_BOOLEAN alone)?"""
    if _alias(name) is not None:
        return False
    f = FIELDS.get(name)
    return name.startswith("netlink.flags.") and name != "netlink.flags.unknown_bits" or (
        f is not None and f.kind == "bool") or APP_FIELDS.get(name, ("",))[0] == "bool"


def _bit_of(name: str) -> str | None:
    """The flags field a boolean field is one bit of (`rtnl.link.flags` for
    `rtnl.link.flags.up`), or None (a flag attribute: there when it is set)."""
    f = FIELDS.get(name)
    parent = FIELDS.get(name.rpartition(".")[0])
    if f is None or f.kind != "bool" or parent is None or parent.kind != "uint":
        return None
    return parent.abbrev


def _getter(name: str):
    """Occurrences (value, display) of a field in a message.  A field the message does not
    have has none, so every comparison with it is false (as in Wireshark).  A bit of a flags
    value is there wherever its flags value is, as Wireshark shows every bit: True where it
    is set, False where not, so `rtnl.link.flags.up == 0` finds the links that are down."""
    get = INDEX_FIELDS.get(name)
    if get is not None:
        return get
    alias = _alias(name)
    if alias is not None:
        return alias.get
    read = _tree_reader(name)
    return lambda m: read(m.tree)


# --- tokenizer and parser ------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<rstr>[rR]"[^"\\]*(?:\\.[^"\\]*)*")   # a raw string (Wireshark 4.0): backslashes are kept
  | (?P<str>"[^"\\]*(?:\\.[^"\\]*)*")
  | (?P<op>===|!==|==|!=|~=|<=|>=|&&|\|\||[<>!(){},~\[\]+*%&])
  | (?P<word>[0-9]+(?:\.[0-9]+)?[eE][+-][0-9]+(?![\w.:])   # 1.8e+19: one number, its sign no operator
             | [A-Za-z0-9_.:/\-]+)
""", re.X | re.S)


def _tokens(text: str):
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterError(f"the filter is {len(text):,} characters long, more than the {MAX_FILTER_LENGTH:,} "
                          f"allowed", MAX_FILTER_LENGTH + 1, text)
    pos = 0
    out = []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos] == '"':
                raise FilterError("unterminated string", pos + 1, text)
            if text[pos] in _UNSUPPORTED:
                raise FilterError(_UNSUPPORTED[text[pos]], pos + 1, text)
            raise FilterError(f"unexpected character {text[pos]!r}", pos + 1, text)
        kind, word = m.lastgroup, m.group()
        if kind == "word" and word.startswith(".") and word[1:2].isalpha():
            # `.netlink.seq`: Wireshark 4.0's leading dot says "a field, not a literal"
            kind, word, pos = "word", word[1:], pos + 1
        elif kind == "word" and word == "bitwise_and":
            kind = "op"   # Wireshark 4.0's word for `&` (it takes no other spelling: not BITWISE_AND, bitand)
            word = "&"
        if kind != "ws":
            out.append((kind, word, pos + 1))
        pos = m.end()
    out.append(("end", "", len(text) + 1))
    return out


# Wireshark syntax nlscope does not take, said as such (not as an unexpected character)
_UNSUPPORTED = {
    "$": "field references (${field}) name the packet selected in Wireshark's window: a filter here has none",
    "#": "the layer operator (field#N) is not supported: a netlink message is one layer",
    "@": "the raw operator (@field) is not supported: compare the field's value, or slice a bytes field",
}


# the escapes of a quoted string, as Wireshark reads them: \ooo and \xhh are one byte each,
# \uXXXX and \UXXXXXXXX one character (in UTF-8); \a \b \f \n \r \t \v \\ \" \' as in C;
# \N{NAME} names a character, as Python's escapes did; any other \c stays as it is written
# (a regular expression's \d, \s reach `matches` unchanged)
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{0,2})|u([0-9a-fA-F]{0,4})|U([0-9a-fA-F]{0,8})"
                     r"|N\{([^}]{0,100})\}|(.))", re.S)
_C_ESCAPES = {"a": b"\a", "b": b"\b", "f": b"\f", "n": b"\n", "r": b"\r", "t": b"\t", "v": b"\v",
              "\\": b"\\", '"': b'"', "'": b"'"}


def _string_bytes(body: str, col: int, text: str) -> bytes:
    """The bytes of a quoted string whose text (between the quotes) starts at column `col`:
    its characters in UTF-8 (bytes an argument could not decode come back as they were),
    its escapes applied."""
    out = bytearray()
    pos = 0

    def bad(what: str, at: int):
        return FilterError(what, col + at, text)

    try:
        for m in _ESCAPE.finditer(body):
            out += body[pos:m.start()].encode("utf-8", "surrogateescape")
            pos = m.end()
            octal, hx, u4, u8, name, other = m.groups()
            if octal is not None:
                if int(octal, 8) > 0xFF:
                    raise bad(f"\\{octal} is larger than 255", m.start())
                out.append(int(octal, 8))
            elif hx is not None:
                if not hx:
                    raise bad("\\x needs one or two hex digits", m.start())
                out.append(int(hx, 16))
            elif u4 is not None or u8 is not None:
                digits, want = (u4, 4) if u4 is not None else (u8, 8)
                cp = int(digits, 16) if len(digits) == want else -1
                if not 0 <= cp <= 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                    raise bad(f"{quote(m.group())} is not a character (\\u takes 4 hex digits, \\U 8)", m.start())
                out += chr(cp).encode("utf-8")
            elif name is not None:
                import unicodedata
                try:
                    out += unicodedata.lookup(name).encode("utf-8")
                except KeyError:
                    raise bad(f"\\N{{{quote(name)}}} names no character", m.start()) from None
            else:
                out += _C_ESCAPES.get(other) or ("\\" + other).encode("utf-8", "surrogateescape")
        out += body[pos:].encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as exc:
        raise bad("the string is not valid text", exc.start) from None
    return bytes(out)


# fields whose values come from pairing requests with answers (a transaction table)
TX_FIELDS = frozenset({"nlscope.role", "nlscope.transaction", "nlscope.latency", "nlscope.response_in",
                       "nlscope.response_to", "nlscope.time"})
# the fields a filter reads without decoding a message's body
HEADER_FIELDS = (frozenset(INDEX_FIELDS) - {"nlscope.unknown"}) | frozenset(CLOCK_FIELDS) | frozenset(
    a.name for a in WIRESHARK_ALIASES.values() if a.header and a.name not in INDEX_FIELDS)
# the getters the filter uses where they differ from what -T fields prints (netlink.family:
# -T fields prints our label; a filter compares a number with the protocol number too)
_FILTER_GETTERS = {"netlink.family": WIRESHARK_ALIASES["netlink.family"].get}


def _protocol_name(get):
    return lambda m: [(text, text) for _, text in get(m)]


# a protocol's bytes are what a filter compares; -T fields prints the protocol's name, as tshark
for _name, (_k, _d, _get) in PROTOCOL_BYTES.items():
    _FILTER_GETTERS[_name] = _get
    INDEX_FIELDS[_name] = _protocol_name(_get)


# --- evaluation: each node is fn(message, memo) -> bool ----------------------------------
# `memo` lives for one message: a body field's occurrences are found once however many
# terms read it, and the time the first costly step began is kept under _T0.
_T0 = "\0started"   # no field name starts with NUL
_CLOCK = "\0clock"    # the DisplayFilter's FrameClock (frame.time_relative, time_delta …)
_TREE = "\0tree"      # the tree this call reads body fields from (see _tree)
_WANTS = "\0wants"    # the fields that tree must hold (None: the whole tree)


# --- plans: what the TUI's index answers from its columns, without a message ------------
# A test of one of COLUMN_FIELDS against a number is read from that column for every message
# at once; a test that reads only KEYED_FIELDS has the same answer for every message with the
# same (protocol, type, flags, message type), so it is evaluated once per such key.  A plan is
# ("col", field, op, number) | ("key", test) | ("and" | "or", [plans]) | ("not", plan), or
# ("some", [plans]) for an `and` of which only those terms are planned (they choose the
# messages the whole filter is tried on).  DisplayFilter.plan is the filter's, or None.
COLUMN_FIELDS = frozenset({"netlink.seq", "netlink.pid", "netlink.len", "netlink.type", "netlink.protocol",
                           "frame.number"})
KEYED_FIELDS = frozenset({"netlink.type", "netlink.flags", "netlink.protocol", "nlscope.malformed"}
                         | {f"netlink.flags.{n}" for n in _FLAG_NAMES})


def _planned(fn, plan):
    """fn, with its plan (a closure of its own, so the attribute is its alone)."""
    if plan is None:
        return fn

    def planned(m, memo):
        return fn(m, memo)
    planned.plan = plan
    return planned


class _OverBudget(Exception):
    """Raised inside an evaluation that spent MESSAGE_BUDGET; DisplayFilter says which filter."""

    def __init__(self, column: int):
        self.column = column


def _started(memo: dict) -> None:
    if _T0 not in memo:
        memo[_T0] = time.monotonic()


def _check(memo: dict, column: int) -> None:
    if time.monotonic() - memo[_T0] > MESSAGE_BUDGET:
        raise _OverBudget(column)


def _body_field(name: str) -> bool:
    """A field read from the decoded tree alone (no header index, alias or clock): what a
    decode of only the filter's fields can answer (Message.decode(fields=…))."""
    return not (name in CLOCK_FIELDS or name in _FILTER_GETTERS or name in INDEX_FIELDS
                or _alias(name) is not None)


def _tree(m, memo):
    """The tree a call of the filter reads its body fields from: decoded once per message, and
    only as far as those fields need (memo[_WANTS], set by DisplayFilter); the whole tree
    when the filter reads a field whose place the declarations do not tell."""
    tree = memo.get(_TREE)
    if tree is None:
        tree = memo[_TREE] = m.decode(fields=memo.get(_WANTS))
    return tree


def _wants_of(names) -> frozenset | None:
    """The fields a decode must hold for these names' body fields (a flag bit's flags value
    with it); None for the whole tree (no body field, or an alias that walks the tree)."""
    body = {n for n in names if _body_field(n)}
    whole = any(not getattr(_alias(n), "header", True) for n in names)
    return frozenset(body | {_bit_of(n) for n in body} - {None}) if body and not whole else None


# the capture's time as tshark -T fields prints it (a filter compares the seconds)
_TIME_TEXT = {"frame.time": lambda m, memo: [(field_time_text(m.time),) * 2],
              "frame.time_epoch": lambda m, memo: [(field_epoch_text(m.time),) * 2]}


def _clock_text(name: str, clock: "FrameClock | None"):
    """get(message, memo) -> a clock field's occurrence as text (nothing without a clock)."""
    if clock is None:
        return lambda m, memo: []
    return lambda m, memo: [(s, s) for _, s in clock.occurrences(name, m)]


class FieldReader:
    """The occurrences [(value, display), …] of each of some fields in a message, read as
    the display filters read them (-T fields' columns): body fields from one decode of just
    those fields (Message.decode), not the whole tree.  The fields that need the messages
    before (frame.time_relative, time_delta…) are read from `clock` (a FrameClock its owner
    shows every message and every message printed) as tshark prints them, in nanoseconds
    (0.000586000), and have no occurrence without one."""

    def __init__(self, names, clock: "FrameClock | None" = None):
        load_families()   # what a name is (a flag bit, a body field) is known once every family is
        self.names = list(names)
        self._gets = [_clock_text(n, clock) if n in CLOCK_FIELDS
                      else _TIME_TEXT.get(n) or _occurrences(n, compared=False) for n in self.names]
        self._wants = _wants_of(set(self.names) - set(CLOCK_FIELDS))

    def __call__(self, m) -> list[list[tuple]]:
        memo = {_WANTS: self._wants}
        return [get(m, memo) for get in self._gets]


def _occurrences(name: str, compared: bool = True):
    """get(message, memo) -> [(value, display), …], a body field's found once per message.
    `compared`: as a filter compares it (netlink.family: the protocol number or our label),
    else as a column shows it (netlink.family: our label)."""
    if name in CLOCK_FIELDS:
        return lambda m, memo: memo[_CLOCK].occurrences(name, m)
    if name in INDEX_FIELDS:
        get = (compared and _FILTER_GETTERS.get(name)) or INDEX_FIELDS[name]
        return lambda m, memo: get(m)
    owner = None
    if _body_field(name):
        read = _tree_reader(name)
        get = None
        # a field only its protocol's messages make (rtnl.…): none in another's, undecoded
        owner = field_owner(name)
    else:
        get = (compared and _FILTER_GETTERS.get(name)) or _getter(name)

    def cached(m, memo):
        found = memo.get(name)
        if found is None:
            if owner is not None and m.protocol != owner:
                found = memo[name] = []
            else:
                found = memo[name] = get(m) if get is not None else read(_tree(m, memo))
        return found
    return cached


def _chunks(fs: list) -> list[tuple]:
    return [tuple(fs[i:i + _CHECK_EVERY]) for i in range(0, len(fs), _CHECK_EVERY)]


def _any_of(fs: list, column: int):
    """An n-ary `or`: a loop, not a nest of closures, so a chain of any length evaluates in
    constant stack depth (a 1,000-term chain used to hit the recursion limit)."""
    if len(fs) == 1:
        return fs[0]
    if len(fs) == 2:
        a, b = fs
        return lambda m, memo: a(m, memo) or b(m, memo)
    if len(fs) <= _CHECK_EVERY:
        short = tuple(fs)

        def any_of(m, memo):
            for f in short:
                if f(m, memo):
                    return True
            return False
        return any_of
    chunks = _chunks(fs)

    def any_of_long(m, memo):
        _started(memo)
        for chunk in chunks:
            for f in chunk:
                if f(m, memo):
                    return True
            _check(memo, column)
        return False
    return any_of_long


def _all_of(fs: list, column: int):
    """An n-ary `and` (see _any_of)."""
    if len(fs) == 1:
        return fs[0]
    if len(fs) == 2:
        a, b = fs
        return lambda m, memo: a(m, memo) and b(m, memo)
    if len(fs) <= _CHECK_EVERY:
        short = tuple(fs)

        def all_of(m, memo):
            for f in short:
                if not f(m, memo):
                    return False
            return True
        return all_of
    chunks = _chunks(fs)

    def all_of_long(m, memo):
        _started(memo)
        for chunk in chunks:
            for f in chunk:
                if not f(m, memo):
                    return False
            _check(memo, column)
        return True
    return all_of_long


class _Set:
    """The members of an `in {…}`: numbers and their texts in hash sets, ranges as sorted
    disjoint intervals (never expanded: {0..4294967295} is two numbers), the rest tried one
    by one."""

    def __init__(self, items: list):
        self.ints, self.texts, self.others = set(), set(), []
        spans = sorted(it for it in items if isinstance(it, tuple))
        merged: list[list] = []
        for lo, hi in spans:
            if lo > hi:
                continue
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        self.los = [lo for lo, _ in merged]
        self.his = [hi for _, hi in merged]
        for it in items:
            if isinstance(it, tuple):
                continue
            if it.kind == "int":  # as _eq: a number compares with numbers, its text with strings
                self.ints.add(it.num)
                self.texts.add(it.text)
            else:
                self.others.append(it)

    def holds(self, value, show) -> bool:
        n = _num(value)
        if n is not None:
            if n in self.ints:
                return True
            if self.los:
                i = bisect.bisect_right(self.los, n) - 1
                if i >= 0 and n <= self.his[i]:
                    return True
        elif isinstance(value, str) and value in self.texts:
            return True
        return any(_eq(value, show, it) for it in self.others)


# --- values a comparison reads: a field, a function of one, a slice, arithmetic ----------
_FIELD_NAME = re.compile(r"[A-Za-z_][\w-]*(\.[\w-]+)*")
_FUNCTIONS = frozenset({"len", "count", "upper", "lower", "string", "abs", "min", "max"})
# occurrences one arithmetic step may combine (a field times a field is every pair)
_MAX_PAIRS = 10_000


class _Entity:
    """What one side of a comparison reads: get(message, memo) -> [(value, display)], the kind
    of its values, the column it starts at, the field it is (None if computed) and, for a
    constant, its Literal."""
    # bitwise: arithmetic (f & mask, f + 1), which alone tests for a non-zero value; sliced: f[i:j]
    __slots__ = ("get", "kind", "col", "name", "const", "bitwise", "sliced")

    def __init__(self, get, kind: str, col: int, name: str | None = None, const: Literal | None = None):
        self.get, self.kind, self.col, self.name, self.const = get, kind, col, name, const
        self.bitwise = self.sliced = False


def _c_div(a, b):
    if isinstance(a, int) and isinstance(b, int):
        q = abs(a) // abs(b)
        return q if (a >= 0) == (b >= 0) else -q      # C's division, as Wireshark's
    return a / b


def _c_mod(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a - b * _c_div(a, b)
    return math.fmod(a, b)


_ARITH = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": _c_div,
          "%": _c_mod, "&": lambda a, b: a & b}


def _numeric(ent: _Entity, col: int, text: str, op: str) -> None:
    if ent.kind not in NUMBER_KINDS and not (op == "&" and ent.kind == "bool"):
        what = ent.name or ent.const and ent.const.text or "the value"
        raise FilterError(f"'{op}' takes numbers, and {quote(what)} is {_KIND_TEXT.get(ent.kind, 'not a number')}",
                          col, text)


def _arith(left: _Entity, op: str, right: _Entity, col: int, text: str) -> _Entity:
    """left OP right over every pair of occurrences (at most _MAX_PAIRS)."""
    _numeric(left, col, text, op)
    _numeric(right, col, text, op)
    if op == "&" and "float" in (left.kind, right.kind):
        raise FilterError("'&' takes integers", col, text)
    fn, lg, rg = _ARITH[op], left.get, right.get

    def get(m, memo):
        out = []
        for a, _ in lg(m, memo):
            for b, _s in rg(m, memo):
                a_, b_ = _num(a), _num(b)
                if a_ is None or b_ is None or op in "/%" and b_ == 0:
                    continue
                v = fn(a_, b_)
                out.append((v, str(v)))
                if len(out) >= _MAX_PAIRS:
                    return out
        return out
    kind = "float" if "float" in (left.kind, right.kind) else "int"
    const = None
    if left.const is not None and right.const is not None:
        vals = get(None, {})
        if not vals:
            raise FilterError("division by zero", col, text)
        const = Literal(str(vals[0][0]), "word", col)
    ent = _Entity(get, kind, left.col, None, const)
    ent.bitwise = True   # arithmetic stands alone as a test: some occurrence is not zero
    return ent


def _arith_unary(inner: _Entity, col: int, text: str) -> _Entity:
    _numeric(inner, col, text, "-")
    if inner.const is not None and inner.const.num is None:   # a name with no number (RTM_NEWLINK)
        raise FilterError(f"'-' needs a number, not '{quote(inner.const.text)}'", inner.const.col, text)
    g = inner.get
    const = None if inner.const is None else Literal(str(-inner.const.num), "word", col)
    ent = _Entity(lambda m, memo: [(-v, str(-v)) for v, _ in g(m, memo) if _num(v) is not None],
                  "float" if inner.kind == "float" else "int", col, None, const)
    ent.bitwise = True
    return ent


def _same(a, b) -> bool:
    na, nb = _num(a), _num(b)
    if na is not None and nb is not None:
        return na == nb
    if isinstance(a, str):
        a = a.encode("utf-8", "surrogateescape")
    if isinstance(b, str):
        b = b.encode("utf-8", "surrogateescape")
    return a == b


def _compare_entities(op: str, quant, left: _Entity, right: _Entity, col: int, text: str):
    """A comparison of two values that are not both literals (a field with a field, arithmetic)."""
    if right.const is not None and left.kind in NUMBER_KINDS | {"bool"}:
        lit = right.const
        lg = left.get
        if op in _EQUALITY:
            equal = op in ("==", "===")
            every = op in ("!=", "===") if quant is None else quant == "all"

            def eq(m, memo):
                found = lg(m, memo)
                if every:
                    return bool(found) and all((_num(v) == lit.num) == equal for v, _ in found)
                return any((_num(v) == lit.num) == equal for v, _ in found)
            return eq
        cmp = _ORD[op]
        return lambda m, memo: any(_num(v) is not None and cmp(_num(v), lit.num) for v, _ in lg(m, memo))
    numeric = left.kind in NUMBER_KINDS | {"bool"}
    if numeric != (right.kind in NUMBER_KINDS | {"bool"}):
        raise FilterError(f"{left.name or 'the left side'} is {_KIND_TEXT.get(left.kind, 'text')} and "
                          f"{right.name or 'the right side'} {_KIND_TEXT.get(right.kind, 'text')}: they cannot be "
                          f"compared", col, text)
    lg, rg = left.get, right.get
    if op in _EQUALITY:
        equal = op in ("==", "===")
        every = op in ("!=", "===") if quant is None else quant == "all"

        def eq(m, memo):
            a, b = lg(m, memo), rg(m, memo)
            if not a or not b:
                return False
            pairs = ((x, y) for x, _ in a[:_MAX_PAIRS] for y, _ in b[:_MAX_PAIRS])
            if every:
                return all(_same(x, y) == equal for x, y in pairs)
            return any(_same(x, y) == equal for x, y in pairs)
        return eq
    cmp = _ORD[op]

    def ordered(m, memo):
        a, b = lg(m, memo), rg(m, memo)
        for x, _ in a[:_MAX_PAIRS]:
            for y, _ in b[:_MAX_PAIRS]:
                nx, ny = _num(x), _num(y)
                if nx is not None and ny is not None:
                    if cmp(nx, ny):
                        return True
                elif isinstance(x, (str, bytes)) and type(x) is type(y) and cmp(x, y):
                    return True
        return False
    return ordered


class FrameClock:
    """frame.time_relative, frame.time_delta and frame.time_delta_displayed: what they need of
    the frames before the message (the first frame's time, the frame before, the last frame
    matched or printed).  Fed in the order the messages come: see() every message, matched()
    each one the filter keeps (DisplayFilter) or -T fields prints (FieldsPrinter)."""

    def __init__(self):
        self.first = self.prev_time = self.cur_frame = self.cur_time = None
        self.shown: list[tuple] = []   # the last two matched frames: (number, time)

    def see(self, m) -> None:
        frame, t = getattr(m, "frame", None), getattr(m, "time", None)
        if t is None:
            return
        if self.first is None:
            self.first = t
        if frame != self.cur_frame:
            self.prev_time, self.cur_frame, self.cur_time = self.cur_time, frame, t

    def matched(self, m) -> None:
        frame = getattr(m, "frame", None)
        if not self.shown or self.shown[-1][0] != frame:
            self.shown = (self.shown + [(frame, m.time)])[-2:]

    def occurrences(self, name: str, m) -> list:
        t = m.time
        if name == "frame.time_relative":
            v = t - self.first if self.first is not None else 0.0
        elif name == "frame.time_delta":
            v = t - self.prev_time if self.prev_time is not None and self.cur_frame == m.frame else 0.0
        else:
            before = [tm for fr, tm in self.shown if fr != m.frame]
            v = t - before[-1] if before else 0.0
        # shown as tshark prints them, in nanoseconds, of the microseconds a float of the epoch
        # holds exactly (its last bits are below them: 0.000586033 would be noise)
        return [(v, f"{round(v, 6):.9f}")]


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0
        self.fields: set[str] = set()
        self.leaf_plan = None   # set by a test one column answers (see COLUMN_FIELDS)
        self.costly = False   # has a step that checks MESSAGE_BUDGET (see DisplayFilter.may_time_out)
        self.steps = 0        # arithmetic operators in the value being read (at most MAX_DEPTH)

    def peek(self):
        return self.toks[self.i]

    def after(self):
        """The token after the next one (the end token at the end)."""
        return self.toks[min(self.i + 1, len(self.toks) - 1)]

    def take(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def error(self, msg, col=None):
        return FilterError(msg, col if col is not None else self.peek()[2], self.text)

    def is_word(self, *words):
        k, v, _ = self.peek()
        return (k == "word" and v.lower() in words) or (k == "op" and v in words)

    def nest(self, col: int) -> None:
        """One more level of `not` or parentheses, refused past MAX_DEPTH (each is a parser frame)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterError(f"parentheses, 'not', functions and '-' nested more than {MAX_DEPTH} deep", col,
                              self.text)

    def parse(self):
        if self.peek()[0] == "end":
            raise self.error("empty filter")
        node = self.expr()
        if self.peek()[0] != "end":
            if self.peek()[1].lower() in ("xor", "^^"):
                raise self.error("'xor' is not an operator of Wireshark 4.0's filters (write (a and not b) or "
                                 "(b and not a))")
            raise self.error(f"unexpected '{quote(self.peek()[1])}'")
        return node

    def expr(self):
        col = self.peek()[2]
        terms = [self.and_()]
        while self.is_word("or", "||"):
            self.take()
            terms.append(self.and_())
        self.costly |= len(terms) > _CHECK_EVERY
        if len(terms) == 1:
            return terms[0]
        plans = [getattr(t, "plan", None) for t in terms]
        whole = all(p is not None and p[0] != "some" for p in plans)
        return _planned(_any_of(terms, col), ("or", plans) if whole else None)

    def and_(self):
        col = self.peek()[2]
        terms = [self.not_()]
        while self.is_word("and", "&&"):
            self.take()
            terms.append(self.not_())
        self.costly |= len(terms) > _CHECK_EVERY
        if len(terms) == 1:
            return terms[0]
        plans = [getattr(t, "plan", None) for t in terms]
        planned = [p for p in plans if p is not None]
        # an `and` with terms the columns cannot answer: those that they can choose the
        # messages the whole is tried on
        whole = len(planned) == len(plans) and all(p[0] != "some" for p in planned)
        plan = ("and", planned) if whole else ("some", planned) if planned else None
        return _planned(_all_of(terms, col), plan)

    def not_(self):
        k, v, col = self.peek()
        if k == "word" and _FIELD_NAME.fullmatch(v) and (not known_field(v) or v in PROTOCOL_BYTES) \
                and self._alone() and (term := protocol_term(v)):
            # a protocol's name alone (netlink-route, nl80211): the filter it stands for, in its place
            self.toks[self.i:self.i + 1] = [(kind, text, col) for kind, text, _ in _tokens(term)[:-1]]
        if self.is_word("not", "!"):
            self.nest(self.take()[2])
            inner = self.not_()
            self.depth -= 1
            plan = getattr(inner, "plan", None)
            return _planned(lambda m, memo: not inner(m, memo),
                            ("not", plan) if plan is not None and plan[0] != "some" else None)
        if self.peek()[:2] == ("op", "("):
            col = self.take()[2]
            self.nest(col)
            node = self.expr()
            if self.peek()[1] != ")":
                raise self.error(f"missing ')' for the '(' at column {col}")
            self.take()
            self.depth -= 1
            return node
        return self.test()

    def _alone(self) -> bool:
        """The word at the cursor is a test by itself (a protocol's name alone), not the
        start of one (`netlink-route[0:4] == …`, `frame contains "x"`)."""
        k, v, _ = self.after()
        return k == "end" or v in (")", "&&", "||") or v.lower() in ("and", "or")

    def value(self, name: str = "", kind: str | None = None) -> Literal:
        """The next value, compared with the field `name` (or a value of `kind`): a bare word
        is text where the field is text (`rtnl.link.ifname == dummy0`, as Wireshark reads it),
        bytes where it is bytes (`64:75`), and a value it cannot have is refused here (check_value)."""
        kind = kind if kind is not None else _kind(name)
        lit = self._value(kind)
        if name or kind:
            self.check_value(name, lit, kind)
        return lit

    def _value(self, kind: str) -> Literal:
        k, v, col = self.take()
        if k == "str":
            raw = _string_bytes(v[1:-1], col + 1, self.text)
            return Literal(raw.decode("utf-8", "backslashreplace"), "string", col, raw)
        if k == "rstr":   # r"\d+": the characters as written, no escape read
            body = v[2:-1]
            return Literal(body, "string", col, body.encode("utf-8", "surrogateescape"))
        if k == "word" and kind == "bytes":
            lit = Literal.hex_bytes(v, col)
            if lit is not None:
                return lit
        if k == "word" and kind in ("string", "family"):
            # an address or prefix stays one (addresses are often shown as text), the rest is text
            # (netlink.family: a number stays a number, the protocol's)
            try:
                lit = Literal(v, "word", col)
            except FilterError:
                lit = None
            keep = ("ip", "net", "mac", "int") if kind == "family" else ("ip", "net", "mac")
            return lit if lit is not None and lit.kind in keep else Literal(v, "string", col)
        if k == "word":
            try:
                return Literal(v, "word", col)
            except FilterError as exc:
                raise FilterError(exc.message, col, self.text) from None
        raise FilterError(f"expected a value, found '{quote(v) or 'end of filter'}'", col, self.text)

    def check_value(self, name: str, lit: Literal, kind: str | None = None) -> None:
        """Refuse a value the field cannot have, as Wireshark does: a string, an address or an
        unknown name for a number, anything but a number for a boolean, anything for a field
        with no value; a symbolic name its field does not know (with the nearest ones)."""
        kind = kind if kind is not None else _kind(name)
        name = name or "the value"
        what = {"string": "a string", "ip": "an address", "net": "an address prefix", "mac": "a MAC address",
                "int": "a number", "name": "a name", "bytes": "bytes"}.get(lit.kind, "a value")
        shown = quote(lit.text)

        def refuse(why: str):
            raise FilterError(why, lit.col, self.text)

        if kind == "none":
            refuse(f"{name} has no value to compare (test whether it is there: '{name}' alone)")
        if kind == "family" and lit.kind in ("ip", "net", "mac", "bytes"):
            refuse(f"{name} is a protocol number or name: it cannot be compared with {what} \"{shown}\"")
        if kind in NUMBER_KINDS or kind == "bool":
            holds = "a boolean (0, 1, true or false)" if kind == "bool" else f"a number ({kind})"
            if lit.kind in ("string", "ip", "net", "mac", "bytes"):
                refuse(f"{name} is {holds}: it cannot be compared with {what} \"{shown}\"")
            if lit.kind == "int" and isinstance(lit.num, float) and kind != "float":
                refuse(f"'{shown}' is not an integer, and {name} holds integers")
            if lit.kind == "name":
                if kind == "bool":
                    refuse(f"{name} is {holds}, not '{shown}'")
                if _alias(name) is not None:   # as tshark: its netlink numbers have no names to type
                    refuse(f"{name} is {holds}: '{shown}' is not a number (Wireshark's names take numbers; "
                           f"{WIRESHARK_ALIASES[name].target or 'our field'} takes names)")
                names = known_names(name)
                if names is not None and lit.text.upper() not in names:
                    refuse(f"'{shown}' is not among the values of {name}{did_you_mean(lit.text, names)}")
        elif kind in ("ipv4", "ipv6"):
            if lit.kind not in ("ip", "net"):
                refuse(f"{name} is an IPv{kind[-1]} address: it cannot be compared with {what} \"{shown}\"")
            version = (lit.ip or lit.net).version
            if version != int(kind[-1]):
                refuse(f"'{shown}' is an IPv{version} address, and {name} an IPv{kind[-1]} one")

    # --- values: fields, functions, slices and arithmetic (Wireshark 4.0) ------------------
    def field(self) -> _Entity:
        """A field name (known, or refused with the nearest names), with an optional slice."""
        k, name, col = self.take()
        if k != "word" or not _FIELD_NAME.fullmatch(name):
            raise FilterError(f"expected a field name, found '{quote(name) or 'end of filter'}'", col, self.text)
        if not known_field(name):
            raise FilterError(f"unknown field '{quote(name, 80)}'{did_you_mean(name, _all_fields())} "
                              f"(see 'nlscope fields')", col, self.text)
        self.fields.add(name)
        ent = _Entity(_occurrences(name), _kind(name), col, name)
        if self.peek()[1] == "[":
            ent = self.slice(ent)
        return ent

    def slice(self, ent: _Entity) -> _Entity:
        """f[i:j] (j bytes from i), f[i-j] (i to j), f[i], f[:j], f[i:]: bytes of a text or bytes field."""
        open_col = self.take()[2]
        if ent.kind not in ("string", "bytes", "mac"):
            raise FilterError(f"{ent.name} is {_KIND_TEXT.get(ent.kind, 'not text')}: it cannot be sliced "
                              f"(only text and bytes can)", open_col, self.text)
        spec = ""
        while self.peek()[1] != "]" and self.peek()[0] != "end":
            spec += self.take()[1]
        if self.peek()[1] != "]":
            raise self.error(f"missing ']' for the '[' at column {open_col}")
        self.take()
        m = re.fullmatch(r"(-?\d+)?(?:(:)(\d+)?|-(\d+))?", spec)
        if not spec or m is None or len(spec) > 20:
            raise FilterError(f"bad slice '[{quote(spec)}]' (write [i:length], [i-j], [i], [:length] or [i:])",
                              open_col, self.text)
        start = int(m.group(1) or 0)
        if m.group(2):
            stop = None if m.group(3) is None else start + int(m.group(3))
        elif m.group(4) is not None:
            stop = int(m.group(4)) + 1
        else:
            stop = start + 1 if start != -1 else None
        inner = ent.get

        def cut(m_, memo):
            out = []
            for v, s in inner(m_, memo):
                b = v.encode("utf-8", "surrogateescape") if isinstance(v, str) else v
                if not isinstance(b, (bytes, bytearray)):
                    continue
                n = len(b)
                lo = start + n if start < 0 else start
                hi = n if stop is None else (stop + n if stop <= 0 and start < 0 else stop)
                if 0 <= lo < hi <= n:
                    piece = bytes(b[lo:hi])
                    out.append((piece, piece.hex(":")))
            return out
        out = _Entity(cut, "bytes", ent.col)
        out.sliced = True
        return out

    def function(self) -> _Entity:
        """len() count() upper() lower() string() abs() min() max(), as Wireshark 4.0 has them."""
        _k, fname, col = self.take()
        fname = fname.lower()
        self.take()  # (
        args = []
        while True:
            args.append(self.operand(literal_ok=fname in ("min", "max")))
            if self.peek()[1] == ",":
                self.take()
                continue
            break
        if self.peek()[1] != ")":
            raise self.error(f"missing ')' for {fname}() at column {col}")
        self.take()
        if fname not in ("min", "max") and len(args) != 1:
            raise FilterError(f"{fname}() takes one field", col, self.text)
        a = args[0]
        g = a.get
        if fname in ("upper", "lower"):
            if a.kind != "string":
                raise FilterError(f"only text fields can be given to {fname}()", col, self.text)
            conv = str.upper if fname == "upper" else str.lower
            return _Entity(lambda m, memo: [(conv(v), conv(v)) for v, _ in g(m, memo) if isinstance(v, str)],
                           "string", col)
        if fname == "len":
            if a.kind not in ("string", "bytes", "mac"):
                raise FilterError(f"len() of {_KIND_TEXT.get(a.kind, 'this field')}: nlscope measures text and "
                                  f"bytes only", col, self.text)

            def length(m, memo):
                out = []
                for v, _ in g(m, memo):
                    b = v.encode("utf-8", "surrogateescape") if isinstance(v, str) else v
                    if isinstance(b, (bytes, bytearray)):
                        out.append((len(b), str(len(b))))
                return out
            return _Entity(length, "uint", col)
        if fname == "count":
            if a.name is None:
                raise FilterError("count() takes a field", col, self.text)

            def count(m, memo):
                n = len(g(m, memo))
                return [(n, str(n))] if n else []   # as Wireshark: no field, no count
            return _Entity(count, "uint", col)
        if fname == "string":
            def text(m, memo):
                out = []
                for v, s in g(m, memo):
                    t = v if isinstance(v, str) else str(int(v)) if isinstance(v, bool) else \
                        str(v) if isinstance(v, (int, float)) else s
                    out.append((t, t))
                return out
            return _Entity(text, "string", col)
        for x in args:
            if x.kind not in NUMBER_KINDS:
                raise FilterError(f"{fname}() takes numbers, and {x.name or 'this'} is "
                                  f"{_KIND_TEXT.get(x.kind, 'not a number')}", x.col, self.text)
        if fname == "abs":
            return _Entity(lambda m, memo: [(abs(v), str(abs(v))) for v, _ in g(m, memo) if _num(v) is not None],
                           a.kind, col)
        pick = min if fname == "min" else max
        gets = [x.get for x in args]

        def extreme(m, memo):
            vals = [v for get in gets for v, _ in get(m, memo) if _num(v) is not None]
            if not vals:
                return []
            v = pick(vals)
            return [(v, str(v))]
        kind = "float" if any(x.kind == "float" for x in args) else "int"
        return _Entity(extreme, kind, col)

    def atom(self, literal_ok: bool) -> _Entity:
        k, v, col = self.peek()
        if k == "word" and (v == "-" or v.startswith("-") and _FIELD_NAME.fullmatch(v[1:]) and known_field(v[1:])):
            # unary minus: `- field`, `-field`
            if v == "-":
                self.take()
            else:
                self.toks[self.i] = ("word", v[1:], col + 1)
            self.nest(col)
            inner = self.atom(literal_ok)
            self.depth -= 1
            return _arith_unary(inner, col, self.text)
        if k == "word" and v.lower() in _FUNCTIONS and self.after()[1] == "(":
            self.nest(col)
            ent = self.function()
            self.depth -= 1
            return ent
        if k == "word" and _FIELD_NAME.fullmatch(v) and (known_field(v) or "." in v or not literal_ok):
            return self.field()
        if not literal_ok:
            raise FilterError(f"expected a field name, found '{quote(v) or 'end of filter'}'", col, self.text)
        lit = self.value(kind="float")
        return _Entity(lambda m, memo, n=lit.num: [(n, str(n))], "float" if isinstance(lit.num, float) else "int",
                       col, const=lit)

    def operand(self, literal_ok: bool = False) -> _Entity:
        """term (( + | - ) term)*; term := atom (( * | / | % | & ) atom)*.  Each operator is
        a closure around the ones before it, so a value has at most MAX_DEPTH of them."""
        self.steps = 0
        left = self.term(literal_ok)
        while self.peek()[1] in ("+", "-") and self.peek()[0] in ("op", "word"):
            op_col = self.take()[2]
            self.step(op_col)
            left = _arith(left, "+" if self.toks[self.i - 1][1] == "+" else "-", self.term(True), op_col, self.text)
        return left

    def term(self, literal_ok: bool) -> _Entity:
        left = self.atom(literal_ok)
        while self.peek()[1] in ("*", "/", "%", "&") and self.peek()[0] in ("op", "word"):
            op = self.take()
            self.step(op[2])
            left = _arith(left, op[1], self.atom(True), op[2], self.text)
        return left

    def step(self, col: int) -> None:
        self.steps += 1
        if self.steps > MAX_DEPTH:
            raise FilterError(f"more than {MAX_DEPTH} arithmetic operators in one value", col, self.text)

    def test(self):
        """One test, with its plan when the index's columns can answer it (see COLUMN_FIELDS)."""
        outer, self.fields = self.fields, set()
        costly, self.costly = self.costly, False
        self.leaf_plan = None
        fn = self._test()
        read, plan = self.fields, self.leaf_plan
        if plan is None and read and read <= KEYED_FIELDS and not self.costly:
            plan = ("key", fn)
        self.fields, self.costly = outer | read, costly or self.costly
        return _planned(fn, plan)

    def _test(self):
        # `any` / `all` before a field: which occurrences a comparison quantifies over
        quant = None
        if self.peek()[0] == "word" and self.peek()[1].lower() in ("any", "all") and \
                self.after()[0] == "word" and _FIELD_NAME.fullmatch(self.after()[1]):
            quant = self.take()[1].lower()
        left = self.operand()
        if left.const is not None:
            raise FilterError("a constant cannot be tested: a comparison starts with a field", left.col, self.text)
        get, name, kind = left.get, left.name, left.kind
        k2, written, op_col = self.peek()
        op = _ALIASES.get(written.lower(), written) if k2 in ("word", "op") else written
        if written.lower() == "xor":
            raise FilterError("'xor' is not an operator of Wireshark 4.0's filters (write (a and not b) or "
                              "(b and not a))", op_col, self.text)
        if (op in _EQUALITY or op in _ORD) and k2 in ("op", "word"):
            self.take()
            rk, rv, rcol = self.peek()
            nxt = self.after()[1]
            is_entity = rk == "word" and (
                (_FIELD_NAME.fullmatch(rv) and ("." in rv or rv in PROTOCOL_BYTES) and known_field(rv))
                or (rv.lower() in _FUNCTIONS and nxt == "(") or rv == "-"
                or (rv.startswith("-") and known_field(rv[1:])))
            if not is_entity and nxt not in ("+", "-", "*", "/", "%", "&"):
                lit = self.value(name or "", kind)
                if name in COLUMN_FIELDS and not (left.bitwise or left.sliced) and lit.kind == "int" \
                        and isinstance(lit.num, (int, float)) and not isinstance(lit.num, bool):
                    # one occurrence in every message, a number: any/all and ==/=== are one test
                    self.leaf_plan = ("col", name, op, lit.num)
                return self.compare_literal(op, quant, get, lit)
            right = self.operand(literal_ok=True)
            return _compare_entities(op, quant, left, right, rcol, self.text)
        if op in ("contains", "matches") and kind in _NOT_TEXT:
            raise FilterError(f"{name or 'the value'} is {_KIND_TEXT.get(kind, 'not text')}: it cannot take "
                              f"'{quote(written)}' (only text and bytes can)", op_col, self.text)
        if k2 == "word" and op.lower() == "contains":
            self.take()
            lit = self._value(kind)
            needle, raw = lit.text, lit.raw

            def contains(m, memo):
                for v, s in get(m, memo):
                    if isinstance(v, (bytes, bytearray)) and raw in getattr(v, "searched", v):
                        return True
                    if isinstance(v, str) and needle in v:
                        return True
                    if not isinstance(v, (str, bytes, bytearray)) and needle in (s or ""):
                        return True
                return False
            return contains
        if op == "matches":
            self.take()
            lit = self.value(kind="")
            if lit.kind != "string":
                raise FilterError("'matches' takes a regular expression in double quotes", lit.col, self.text)
            search = compile_regex(lit.text, lit.col, self.text)
            at = lit.col
            self.costly = True

            def matches(m, memo):
                _started(memo)
                for v, s in get(m, memo):
                    # bytes as Wireshark matches them: each byte one character of the subject
                    subject = v if isinstance(v, str) else getattr(v, "searched", v).decode("latin-1") \
                        if isinstance(v, (bytes, bytearray)) else (s or "")
                    if search(subject):
                        return True
                    _check(memo, at)
                return False
            return matches
        negate = False
        if (k2 == "word" and written.lower() == "not" or k2 == "op" and written == "!") and \
                self.after()[1].lower() == "in":
            self.take()   # `not in` / `!in`: as Wireshark 4.0, not (f in {…}) — true where f is not
            negate = True
            k2, written, op_col = self.peek()
            op = written.lower()
        if k2 == "word" and op.lower() == "in":
            self.take()
            test = self.membership(name, kind, get, op_col, quant)
            return (lambda m, memo: not test(m, memo)) if negate else test
        if left.bitwise:
            return lambda m, memo: any(v for v, _ in get(m, memo))   # f & mask: some occurrence has a bit set
        if left.sliced:
            return lambda m, memo: bool(get(m, memo))
        if left.name is None:   # as tshark: len(f), f + 1 … alone test nothing
            raise FilterError("a function's value must be compared with something (as in Wireshark)",
                              left.col, self.text)
        if _is_bool(name):
            return lambda m, memo: any(v for v, _ in get(m, memo))  # a flag "is there" when it is set
        return lambda m, memo: bool(get(m, memo))

    def compare_literal(self, op: str, quant: str | None, get, lit: Literal):
        # a field the message does not have makes every comparison false (Wireshark 4.0):
        # == any occurrence equal, != every occurrence differs, === all equal, !== any differs;
        # `any`/`all` before the field choose the quantifier of == and != themselves
        if op in _EQUALITY:
            equal = op in ("==", "===")
            every = op in ("!=", "===") if quant is None else quant == "all"

            def eq(m, memo):
                found = get(m, memo)
                if every:
                    return bool(found) and all(_eq(v, s, lit) == equal for v, s in found)
                return any(_eq(v, s, lit) == equal for v, s in found)
            return eq
        if lit.kind == "net":
            raise FilterError(f"'{op}' cannot compare with a prefix; use 'in' or '=='", lit.col, self.text)
        cmp = _ORD[op]

        def holds(v):
            pair = _order(v, lit)
            return pair is not None and cmp(*pair)

        if quant == "all":
            return lambda m, memo: bool(found := get(m, memo)) and all(holds(v) for v, _s in found)

        def ordered(m, memo):
            for v, _s in get(m, memo):
                if holds(v):
                    return True
            return False
        return ordered

    def membership(self, name, kind, get, col, quant):
        if self.peek()[1] != "{":
            lit = self.value(name or "", kind)  # `in 10.0.0.0/8`
            if lit.kind != "net":
                raise FilterError("'in' takes a set {…} or an address prefix", lit.col, self.text)
            return lambda m, memo: any(_eq(v, s, lit) for v, s in get(m, memo))
        members = _Set(self.set_items(name or "", kind))
        if quant == "all":
            return lambda m, memo: bool(found := get(m, memo)) and all(members.holds(v, s) for v, s in found)
        if len(members.others) > _CHECK_EVERY:
            self.costly = True

            def member(m, memo):
                _started(memo)
                for v, s in get(m, memo):
                    if members.holds(v, s):
                        return True
                    _check(memo, col)
                return False
            return member
        return lambda m, memo: any(members.holds(v, s) for v, s in get(m, memo))

    def set_items(self, name: str, kind: str | None = None) -> list:
        """The values and (lo, hi) ranges of a `{…}`, at most MAX_SET_ITEMS of them, separated
        by commas (Wireshark 4.0 refuses `{1 2}`)."""
        open_col = self.take()[2]
        items: list = []
        while self.peek()[1] not in ("}",) and self.peek()[0] != "end":
            if items:
                if self.peek()[1] != ",":
                    raise self.error(f"expected ',' or '}}' in the set opened at column {open_col} "
                                     f"(Wireshark 4.0 separates values with commas)")
                self.take()
            k3, v3, c3 = self.peek()
            if len(items) == MAX_SET_ITEMS:
                raise FilterError(f"more than {MAX_SET_ITEMS:,} values in one set", c3, self.text)
            if k3 == "word" and ".." in v3:  # a range: 1..5
                self.take()
                lo, _, hi = v3.partition("..")
                try:
                    items.append((_integer(lo, c3), _integer(hi, c3)))
                except (FilterError, ValueError):
                    raise FilterError(f"bad range '{quote(v3)}'", c3, self.text) from None
            else:
                items.append(self.value(name, kind))
        if self.peek()[1] != "}":
            raise self.error(f"missing '}}' for the '{{' at column {open_col}")
        self.take()
        return items


class DisplayFilter:
    """A compiled display filter: call it on a Message.  `fields` names the fields it reads
    (all header fields: it is answered from the index, without decoding a body).  A call
    raises FilterTimeout when one message costs it more than MESSAGE_BUDGET seconds;
    `may_time_out` says whether it has any step that can (a `matches`, a chain of more than
    256 terms, a large set of names): a filter without one never raises while matching."""

    def __init__(self, text: str):
        self.text = text
        parser = _Parser(text)
        self._fn = parser.parse()
        self.fields = frozenset(parser.fields)   # the field names it reads
        self.may_time_out = parser.costly
        # reads frame.time_relative, time_delta or time_delta_displayed: its answer depends on
        # the messages it was given before (in capture order, from the first)
        self.stateful = bool(self.fields & set(CLOCK_FIELDS))
        self._clock = FrameClock()
        # the body fields it reads (a flag bit's flags value with it): each message is decoded
        # only as far as they need (Message.decode), not into its whole tree
        self._wants = _wants_of(self.fields)
        # what the TUI's index answers from its columns (see COLUMN_FIELDS); None: ask each message
        plan = getattr(self._fn, "plan", None)
        self.plan = None if self.stateful else plan

    def __call__(self, msg) -> bool:
        try:
            clock = self._clock
            if self.stateful:
                clock.see(msg)
            hit = bool(self._fn(msg, {_CLOCK: clock, _WANTS: self._wants}))
            if hit and self.stateful:
                clock.matched(msg)
            return hit
        except _OverBudget as over:
            frame = getattr(msg, "frame", None)
            where = f" (frame {frame})" if frame is not None else ""
            raise FilterTimeout(f"the filter gave up on a message{where}: more than {MESSAGE_BUDGET:g} s of "
                                f"work on one message; use fewer terms or simpler regular expressions",
                                over.column, self.text) from None
        except Exception:  # a filter never takes the capture down: an unreadable message is no match
            return False


def compile_filter(text: str) -> DisplayFilter:
    """A DisplayFilter for `text`; FilterError (what, and the column) if it does not compile."""
    return DisplayFilter(text)
