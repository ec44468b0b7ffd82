"""Netlink attributes: a YNL-shaped spec model and the TLV walker that decodes with it.

An `AttrSet` maps attribute numbers to `Attr` specs (type, nested set, enum, display
hint, byte order, sub-message selector), just as a YNL `attribute-set` does, so that
hand-written families and spec files can share one decoder.  The walker never raises:
a length that overruns, a truncated header or an over-deep nest becomes a malformed
node carrying its offset and the raw bytes, and an attribute nobody declared becomes an
unknown node with its raw bytes.
"""
from __future__ import annotations

import socket
import struct

from ..model import (BOOL, BYTES, FIELDS, INT, IPV4, IPV6, MAC, MALFORMED, NONE, STRING,
                     UINT, UNKNOWN, ArrayNode, Node)
from .bits import declare_bits, flag_nodes
from .secrets import is_secret_name, password_derived, redacted, secret_node

NLA_F_NESTED = 0x8000
NLA_F_NET_BYTEORDER = 0x4000
NLA_TYPE_MASK = 0x3FFF
MAX_DEPTH = 32  # deeper nests are reported as malformed (the kernel itself stops at 10)

TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
_ALL_LEVELS = 1 << 30


class Request:
    """What a decode makes, passed explicitly down every call that decodes (decode_attrs,
    decode_one, decode hooks, FixedStruct.node, header_node, dissect_message):

    - `levels`: how many levels of nests are expanded (deeper ones are folded); below
      MAX_DEPTH it is a summary: no arrays, structs, flag bits or hooks' insides either;
    - `wanted`: None (every attribute), or the field names to decode, with every enclosing
      nest's name (an Info's `wanted`, core/info.py); the rest is skipped;
    - `base`: how deep the decode already is where a decode hook, a sub-message or an
      echoed message started over at depth 0 (a veth peer holds a whole link message, an
      error echoes a message that may itself be an error): every recursion counts against
      the one MAX_DEPTH.
    """

    __slots__ = ("levels", "wanted", "base", "full")

    def __init__(self, levels: int = _ALL_LEVELS, wanted: frozenset | None = None, base: int = 0):
        self.levels = levels
        self.wanted = wanted
        self.base = base
        self.full = levels >= MAX_DEPTH

    def below(self, depth: int) -> "Request | None":
        """The request for what starts over one level below local `depth` (a hook's bytes, an
        echoed message); None past the limit (the caller shows the bytes malformed)."""
        base = self.base + depth + 1
        if base > MAX_DEPTH:
            return None
        return Request(self.levels, self.wanted, base)

    def __eq__(self, other):
        return isinstance(other, Request) and (self.levels, self.wanted, self.base) == (
            other.levels, other.wanted, other.base)

    def __hash__(self):
        return hash((self.levels, self.wanted, self.base))

    def __repr__(self):
        return f"Request(levels={self.levels}, wanted={self.wanted!r}, base={self.base})"


FULL = Request()   # the whole tree


def summary(levels: int = 1, wanted: frozenset | None = None) -> Request:
    """A summary's request: `levels` levels of nests, no arrays or structs, with `wanted`
    only those attributes (what an Info function declared it reads)."""
    return Request(levels, wanted)


def nested_decode(hook, depth: int, buf, start: int, end: int, order: str, req: Request):
    """Call a decode hook `hook(buf, start, end, order, req)` one level below `depth`
    (relative to the enclosing hook's); at the limit, the bytes are one malformed node."""
    inner = req.below(depth)
    if inner is None:
        return [malformed(buf, start, end, TOO_DEEP)]
    if inner.full and inner.wanted is not None:
        # a decode of some fields (core/wanted.py): what a hook makes is not declared, so
        # it is made whole
        inner = Request(inner.levels, None, inner.base)
    return hook(buf, start, end, order, inner)


_NLA_HDR = {"<": struct.Struct("<HH"), ">": struct.Struct(">HH")}


def _folded(spec, pos, nla_len, label) -> Node:
    return Node(spec.field, None, pos, nla_len, "…", label=label)

# fixed-width integer types: name -> (struct char, kind)
_INTS = {
    "u8": ("B", UINT), "u16": ("H", UINT), "u32": ("I", UINT), "u64": ("Q", UINT),
    "s8": ("b", INT), "s16": ("h", INT), "s32": ("i", INT), "s64": ("q", INT),
}
_STRUCTS = {(o, c): struct.Struct(o + c) for o in "<>" for c, _ in _INTS.values()}
_INT_STRUCTS = {t: {o: _STRUCTS[(o, c)] for o in "<>"} for t, (c, _) in _INTS.items()}
_VARINT = {("<", 1): "B", ("<", 2): "H", ("<", 4): "I", ("<", 8): "Q"}

_KINDS = {"string": STRING, "binary": BYTES, "flag": BOOL, "nest": NONE, "indexed-array": NONE,
          "array": NONE, "bitfield32": UINT, "pad": BYTES, "submsg": NONE, "struct": NONE,
          "uint": UINT, "sint": INT, "addr": STRING}
_HINT_KINDS = {"mac": MAC, "ipv4": IPV4, "ipv6": IPV6, "hex": BYTES, "uuid": STRING, "inet_addr": STRING,
               "secret": STRING, "password": STRING, "base64": STRING, "sockaddr": STRING}
# display hints of secrets: "secret" key material (its length and a digest), "password" one made
# from a password (an NT hash, a structure holding one: its length only; see core/secrets.py)
SECRET_HINTS = ("secret", "password")

MALFORMED_FIELD = FIELDS.add("netlink.malformed", "Malformed", BYTES,
                             "bytes that could not be decoded: bad length, truncation, too deep")


def malformed(buf, off: int, end: int, why: str) -> Node:
    """A node for undecodable bytes [off, end): says why, keeps the bytes."""
    data = bytes(buf[off:end])
    return Node(MALFORMED_FIELD, data, off, end - off, f"{why} at offset {off}: {data[:32].hex()}"
                + ("…" if len(data) > 32 else ""), status=MALFORMED, label="Malformed")


class Attr:
    """The spec of one attribute type within a set."""

    __slots__ = ("name", "num", "type", "field", "nested", "enum", "flags", "hint", "big_endian",
                 "struct", "selector", "selector_key", "choices", "sub", "elem_names", "show", "unit",
                 "elem_field", "decode", "sized")

    def __init__(self, type_: str, *, nested=None, enum=None, flags=None, hint=None, big_endian=False,
                 struct=None, selector=None, selector_key=None, choices=None, sub=None, elem_names=None,
                 show=None, unit=None, decode=None, sized=None):
        self.type = type_
        self.nested = nested        # AttrSet for nest / indexed-array of nests
        self.enum = enum            # value -> name
        self.flags = flags          # bit -> name
        self.hint = hint            # display hint: mac, ipv4, ipv6, hex, uuid
        self.big_endian = big_endian
        self.struct = struct        # FixedStruct for binary structs
        self.selector = selector    # sub-message: attribute whose value picks the set, a sibling or
        #                             one in an enclosing set (see _Scope)
        # sub-message: the selector as a YNL spec names it (`kind`), which each set holding it
        # prefixes its own way (AttrSet.selector_keys); None: `selector` names it in every set
        self.selector_key = selector_key
        self.choices = choices      # sub-message: value -> AttrSet (or FixedStruct)
        self.sub = sub              # element type of indexed-array / array
        self.elem_names = elem_names  # array: index -> name
        self.show = show            # custom value -> text
        self.unit = unit
        # binary: callable -> child nodes (a protocol inside the
        # bytes, e.g. 802.11 information elements), called as decode(buf, start, end, order,
        # req) only when the whole tree is asked for (req.full)
        self.decode = decode
        # payload length -> (field name, label, Attr): what the kernel puts under this number
        # with that length instead (nl80211_get_mesh_config() puts NL80211_ATTR_IFINDEX, a u32, as
        # attribute 3 of the mesh config nest, where 3 is also a u16 that follows); their fields
        # are declared with the set
        self.sized = sized
        self.name = None
        self.num = None
        self.field = None
        self.elem_field = None


def a(type_: str, **kw) -> Attr:
    """Shorthand to declare an attribute spec: a("u32"), a("nest", nested=SET)."""
    return Attr(type_, **kw)


# every AttrSet built, so that what holds what can be followed (core/wanted.py)
ALL_SETS: list = []


class AttrSet:
    """Attribute numbers -> specs, with the field-name prefix of its members."""

    def __init__(self, name: str, prefix: str, specs: dict[str, Attr], numbers, strip: str = "",
                 label: str | None = None, default: Attr | None = None):
        """`numbers`: a generated constants module or a dict NAME -> number.

        `default`: the spec of every number not named in `specs` (for nests keyed by an
        index or an id, like a policy dump's attribute numbers)."""
        self.name = name
        self.prefix = prefix
        self.label = label or name
        self.by_num: dict[int, Attr] = {}
        self.by_name: dict[str, Attr] = {}
        get = numbers.get if isinstance(numbers, dict) else (lambda k: getattr(numbers, k, None))
        for aname, spec in specs.items():
            num = get(aname)
            if num is None:
                raise KeyError(f"{name}: no number for attribute {aname}")
            if num in self.by_num:
                raise ValueError(f"{name}: {aname} and {self.by_num[num].name} share number {num}")
            spec = _copy(spec) if spec.name is not None else spec
            spec.name = aname
            spec.num = num
            if spec.type in ("binary", "string") and spec.hint not in SECRET_HINTS and is_secret_name(aname):
                spec.hint = "secret"  # key material by its name, whoever declared it (see secrets.py)
            bare = aname.lstrip("_")
            short = bare[len(strip):] if strip and bare.startswith(strip) else aname
            spec.field = FIELDS.add(f"{prefix}.{short.lower()}", aname, _value_kind(spec.type, spec.hint),
                                    f"{self.label}: {aname}")
            if spec.type in ("array", "indexed-array") and spec.sub not in (None, "nest"):
                spec.elem_field = FIELDS.add(f"{spec.field.abbrev}.value", f"{aname} element",
                                             _value_kind(spec.sub, spec.hint), f"{self.label}: an element of {aname}")
            _declare_bits(spec)
            if spec.sized:
                spec.sized = {size: alt if isinstance(alt, Attr) else self._alternative(prefix, num, *alt)
                              for size, alt in spec.sized.items()}   # (declared once, where first held)
            self.by_num[num] = spec
            self.by_name[aname] = spec
        self.unknown_field = FIELDS.add(f"{prefix}.unknown", "unknown attribute", BYTES,
                                        f"{self.label}: attribute of a type this dissector does not know")
        # values kept while decoding: for its sub-messages, or sub-messages below it (set by
        # whoever links a set holding a selector to the sub-messages that read it)
        self.has_selector = any(s.type == "submsg" for s in self.by_num.values())
        self.selector_keys: dict[str, str] = {}   # a sub-message's selector_key -> the name here
        self.wanted_nums: dict = {}  # a summary's wanted field names -> (numbers, default wanted)
        self.default = None
        if default is not None:
            default.name = default.name or "entry"
            default.field = FIELDS.add(f"{prefix}.{default.name}", default.name,
                                       _value_kind(default.type, default.hint), f"{self.label}: entry")
            _declare_bits(default)
            self.default = default
        ALL_SETS.append(self)   # once complete (a set refused halfway is no set)

    def __contains__(self, name):
        return name in self.by_name

    def _alternative(self, prefix: str, num: int, short: str, label: str, spec: Attr) -> Attr:
        spec = _copy(spec) if spec.name is not None else spec
        spec.name, spec.num = label, num
        spec.field = FIELDS.add(f"{prefix}.{short}", label, _value_kind(spec.type, spec.hint),
                                f"{self.label}: {label}, as attribute {num}")
        _declare_bits(spec)
        return spec


def enum_set(name: str, prefix: str, module, enum_tag: str, strip: str, types: dict, label: str | None = None,
             default: str = "binary", extra: dict | None = None, skip: tuple = ()) -> AttrSet:
    """An AttrSet naming every member of a header's enum (types by stripped name from `types`,
    a string or an Attr; the rest `default`, so that nothing the header names is unknown)."""
    specs = {}
    shorts = {}
    used: set[int] = set()
    for cname in module.ENUMS[enum_tag]:
        short = cname.lstrip("_")[len(strip):]
        if short == "UNSPEC" or (short == "INVALID" and cname.startswith("__")) or short in skip \
                or "AFTER_LAST" in cname or cname.startswith("NUM_") \
                or not cname.lstrip("_").startswith(strip):
            continue
        if cname.startswith("__") and short.endswith(("LAST", "MAX", "ALL", "CNT", "NUM", "END")):
            continue  # __X_LAST, __X_MAX, __X_END: the count, not an attribute
        if short == "MAX" and cname == module.ENUMS[enum_tag][-1]:
            continue  # X_MAX closing the enum: the count
        if short.endswith("MAX") and sum(getattr(module, c) == getattr(module, cname) for c in module.ENUMS[enum_tag]) > 1:
            continue  # X_MAX = __X_AFTER_LAST - 1: bookkeeping, not an attribute
        value = getattr(module, cname)
        if value in used and short not in types:
            continue  # an alias (#define X_OLD X_NEW inside the enum): the first name wins
        used.add(value)
        t = types.get(short, default)
        specs[cname] = a(t) if isinstance(t, str) else t
        shorts[cname] = short
    unknown = set(types) - set(shorts.values())
    if unknown:
        raise KeyError(f"{name}: {sorted(unknown)} are not members of enum {enum_tag}")
    numbers = {c: getattr(module, c) for c in specs}
    for cname, (num, spec) in (extra or {}).items():  # members newer than the installed header
        if cname not in numbers:
            specs[cname], numbers[cname] = spec, num
    return AttrSet(name, prefix, specs, numbers, strip=strip, label=label)


def _declare_bits(spec: Attr) -> None:
    """Declare the bit fields of an integer attribute with flag names (`ctnl.ct.status.assured`)
    now, with its set, as a struct's members are: filters know them before any decode."""
    if spec.flags is None:
        return
    if spec.type in _INTS:
        declare_bits(spec.field, spec.flags)
    elif spec.type == "indexed-array" and spec.sub in _INTS:
        declare_bits(spec.elem_field or spec.field, spec.flags)


def _value_kind(type_: str, hint: str | None) -> str:
    """The field kind (what filters compare, what JSON holds) of an attribute type."""
    return _HINT_KINDS.get(hint) or _INTS.get(type_, (None, None))[1] or _KINDS[type_]


def _copy(spec: Attr) -> Attr:
    new = Attr.__new__(Attr)
    for s in Attr.__slots__:
        setattr(new, s, getattr(spec, s))
    return new


# --- value formatting ------------------------------------------------------------
def _enum_text(spec: Attr, v) -> str | None:
    if spec.enum is not None:
        n = spec.enum.get(v)
        return f"{n} ({v})" if n else f"{v} (unknown value)"
    if spec.flags is not None:
        names = [n for b, n in spec.flags.items() if v & b]
        rest = v & ~sum(spec.flags)
        if rest:
            names.append(f"{rest:#x}")
        return f"{v:#x}" + (f" ({', '.join(names)})" if names else "")
    if spec.show is not None:
        return spec.show(v)
    if spec.unit:
        return f"{v} {spec.unit}"
    return None


def _binary(spec: Attr, data: bytes):
    """The value of a binary attribute shown by its display hint (raw bytes without one)."""
    hint = spec.hint
    n = len(data)
    if hint == "mac":
        return data.hex(":")
    if hint == "ipv4" and n == 4:
        return socket.inet_ntop(socket.AF_INET, data)
    if hint == "ipv6" and n == 16:
        return socket.inet_ntop(socket.AF_INET6, data)
    if hint == "inet_addr" and n in (4, 16):
        return inet_addr_text(data)
    if hint in SECRET_HINTS:
        # key material: its length and a digest to compare two captures by, never the bytes
        return redacted(data, digest=hint == "secret" and not password_derived(spec.name))
    if hint == "base64":
        import base64
        return base64.b64encode(data).decode()
    if hint == "sockaddr":
        return sockaddr_text(data)
    if hint == "uuid" and n == 16:
        h = data.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return data


def c_string(buf, start: int, end: int) -> str:
    """A NUL-terminated string attribute's text (what follows the NUL is not the string;
    bytes that are not UTF-8 are kept as escapes)."""
    data = bytes(buf[start:end])
    nul = data.find(b"\0")
    return (data if nul < 0 else data[:nul]).decode("utf-8", "backslashreplace")


def scan_attrs(buf, p: int, end: int, order: str, wanted=None) -> dict | None:
    """For an Info read straight from the bytes: {attribute type: [(payload start, end,
    nla_type with its flags), …]} of the `wanted` types (every type with None) in a run of
    attributes; None unless the whole run is well formed — the tree then decides."""
    nla = _NLA_HDR[order]
    found = {}
    while p < end:
        if end - p < 4:
            return None
        ln, ty = nla.unpack_from(buf, p)
        if ln < 4 or p + ln > end:
            return None
        t = ty & 0x3FFF
        if wanted is None or t in wanted:
            found.setdefault(t, []).append((p + 4, p + ln, ty))
        p += (ln + 3) & ~3
    return found


def by_width_text(data: bytes) -> str:
    """A value whose type another attribute gives (devlink parameters, team options): an
    integer by its width, text when printable, an empty one as a flag, else hex."""
    if not data:
        return "(empty: a flag)"
    if len(data) in (1, 2, 4, 8):
        return str(int.from_bytes(data, "little"))
    text = data.rstrip(b"\0")
    if text and all(32 <= c < 127 for c in text):
        return text.decode()
    return data.hex()


def inet_addr_text(data: bytes) -> str:
    """A 16-byte address union (nf_inet_addr, xfrm_address_t, br_mdb_entry's): an IPv4
    address fills the first 4 bytes and leaves the rest zero.  Any other length (a damaged
    attribute) is shown as hex."""
    if len(data) == 4:
        return socket.inet_ntop(socket.AF_INET, data)
    if len(data) != 16:
        return data.hex()
    if not any(data[4:16]):
        return socket.inet_ntop(socket.AF_INET, data[:4])
    return socket.inet_ntop(socket.AF_INET6, data[:16])


def sockaddr_text(data: bytes) -> str:
    """struct sockaddr_in / sockaddr_in6 as `192.0.2.1:51820` / `[2001:db8::1]:51820`."""
    if len(data) >= 8:
        fam = int.from_bytes(data[:2], "little")
        port = int.from_bytes(data[2:4], "big")
        if fam == socket.AF_INET and len(data) >= 8:
            return f"{socket.inet_ntop(socket.AF_INET, data[4:8])}:{port}"
        if fam == socket.AF_INET6 and len(data) >= 24:
            return f"[{socket.inet_ntop(socket.AF_INET6, data[8:24])}]:{port}"
    return data.hex()


def addr_value(data: bytes):
    """An address whose family is told by its length (RTA_DST, IFA_ADDRESS, NDA_DST …)."""
    if len(data) == 4:
        return socket.inet_ntop(socket.AF_INET, data)
    if len(data) == 16:
        return socket.inet_ntop(socket.AF_INET6, data)
    if len(data) == 6:
        return data.hex(":")
    return data.hex()


# --- the walker ------------------------------------------------------------------
class _Scope:
    """The attributes of one run already decoded, for the sub-messages inside it or below
    it to find their selector in: kept by a set holding sub-messages or selectors
    (`has_selector`), passed down through the nests of the others.  As the kernel's YNL
    (tools/net/ynl/lib/ynl.py, SpaceAttrs.lookup) does, a selector is read from the nearest
    enclosing run whose set declares it: tc's stats `app` is chosen by the qdisc's `kind`
    one level up.  A selector sent after its data is looked for further on (once a run)."""

    __slots__ = ("aset", "values", "outer", "buf", "start", "end", "order", "depth", "req")

    def __init__(self, aset, outer, buf, start, end, order, depth, req):
        self.aset = aset
        self.values: dict = {}   # attribute name -> the value of its latest occurrence
        self.outer = outer
        self.buf, self.start, self.end, self.order, self.depth, self.req = buf, start, end, order, depth, req

    def selector(self, spec: Attr):
        """(the selector's name, its value or None) for sub-message `spec`, decoded here; one
        lookup per enclosing run."""
        key, name = spec.selector_key, spec.selector
        scope = self
        while scope is not None:
            aset = scope.aset
            here = aset.selector_keys.get(key) if key is not None else (name if name in aset.by_name else None)
            if here is not None:
                return here, scope._value(here)
            scope = scope.outer
        return name, None

    def _value(self, name: str):
        values = self.values
        if name in values:
            return values[name]
        later = ("after", name)
        if later not in values:   # looked for once: a run of sub-messages without it stays linear
            values[later] = _look_ahead(self.buf, self.start, self.end, self.aset, name, self.order, self.depth,
                                        self.req)
        return values[later]


def decode_attrs(buf, start: int, end: int, aset: AttrSet, order: str, depth: int = 0,
                 req: Request = FULL, outer: _Scope | None = None) -> list[Node]:
    """Decode the attributes in buf[start:end] with `aset`, as much as `req` asks; never raises.

    `outer`: the enclosing runs' attributes, where a sub-message below finds its selector."""
    out: list[Node] = []
    if depth + req.base > MAX_DEPTH:
        out.append(malformed(buf, start, end, f"attributes nested deeper than {MAX_DEPTH} levels"))
        return out
    unpack = _NLA_HDR[order].unpack_from
    pos = start
    own = _Scope(aset, outer, buf, start, end, order, depth, req) \
        if aset is not None and aset.has_selector else None
    scope = own if own is not None else outer
    siblings = own.values if own is not None else None
    # a summary for an info function that named what it reads skips the rest (never
    # within a set whose sub-messages need their selectors)
    wanted = req.wanted if own is None else None
    if wanted is not None:
        wanted_nums, default_wanted = _wanted_nums(aset, wanted)
    by_num = aset.by_num.get if aset is not None else _NO_SPEC
    one = decode_one
    put = out.append
    while pos < end:
        if end - pos < 4:
            # fewer than 4 bytes cannot hold an attribute; zero bytes here are padding
            if any(buf[pos:end]):
                put(malformed(buf, pos, end, "truncated attribute header"))
            break
        nla_len, nla_type = unpack(buf, pos)
        if nla_len < 4:
            put(malformed(buf, pos, end, f"attribute length {nla_len} is shorter than its header"))
            break
        if pos + nla_len > end:
            put(malformed(buf, pos, end, f"attribute length {nla_len} overruns its container "
                                         f"({end - pos} bytes left)"))
            break
        num = nla_type & 0x3FFF  # NLA_TYPE_MASK
        if wanted is not None and num not in wanted_nums and not (default_wanted and by_num(num) is None):
            pos += (nla_len + 3) & ~3  # a summary skips what its Info does not read
            continue
        spec = by_num(num)
        if spec is not None and scope is None:  # the common case
            put(one(buf, pos, nla_len, nla_type, spec, order, depth, None, req))
            pos += (nla_len + 3) & ~3
            continue
        if spec is None and aset is not None and aset.default is not None:
            node = decode_one(buf, pos, nla_len, nla_type, aset.default, order, depth, scope, req)
            node.label = f"[{num}]"
        elif spec is None:
            node = _unknown(buf, pos, nla_len, nla_type, aset, order, depth, req)
        else:
            node = one(buf, pos, nla_len, nla_type, spec, order, depth, scope, req)
            if siblings is not None:
                siblings[spec.name] = node.value
        put(node)
        pos += (nla_len + 3) & ~3
    return out


def _NO_SPEC(num):
    return None


def _wanted_nums(aset, wanted: frozenset) -> tuple[frozenset, bool]:
    """The attribute numbers of `aset` whose fields are in `wanted`, and whether its default
    spec's is (numbers it does not name); kept per set."""
    if aset is None:
        return frozenset(), False
    got = aset.wanted_nums.get(wanted)
    if got is None:
        got = aset.wanted_nums[wanted] = (
            frozenset(n for n, sp in aset.by_num.items() if sp.field.abbrev in wanted),
            aset.default is not None and aset.default.field.abbrev in wanted)
    return got


def struct_array(st, head=None, item: str | None = None):
    """A decode hook for bytes holding structs back to back (nexthop group members, xfrm
    templates, BPF instructions, u32 keys …), after an optional `head` struct; a partial
    last struct is malformed."""
    label = item or st.label

    def decode(buf, start, end, order, req):
        out, p = [], start
        if head is not None:
            if end - p < head.size:
                return [malformed(buf, p, end, f"{head.cname} needs {head.size} bytes")]
            out.append(head.node(buf, p, order, req=req))
            p += head.size
        i = 0
        while p + st.size <= end:
            out.append(st.node(buf, p, order, label=f"{label} [{i}]", req=req))
            p += st.size
            i += 1
        if p < end:
            out.append(malformed(buf, p, end, f"partial {st.cname}"))
        return out
    return decode


def _look_ahead(buf, pos: int, end: int, aset, name: str, order: str, depth: int, req: Request):
    """The value of the later sibling `name` (a sub-message selector sent after its data)."""
    hdr = _NLA_HDR[order]
    spec = aset.by_name.get(name)
    while spec is not None and pos + 4 <= end:
        ln, ty = hdr.unpack_from(buf, pos)
        if ln < 4 or pos + ln > end:
            return None
        if ty & NLA_TYPE_MASK == spec.num:
            return decode_one(buf, pos, ln, ty, spec, order, depth, None, req).value
        pos += (ln + 3) & ~3
    return None


def _label(name: str, nla_type: int) -> str:
    if nla_type & (NLA_F_NESTED | NLA_F_NET_BYTEORDER):
        extra = []
        if nla_type & NLA_F_NESTED:
            extra.append("nested")
        if nla_type & NLA_F_NET_BYTEORDER:
            extra.append("net-byteorder")
        return f"{name} [{', '.join(extra)}]"
    return name


_UNKNOWN_GENERIC = FIELDS.add("netlink.attr.unknown", "unknown attribute", BYTES,
                              "attribute of a set this dissector does not know")


def _unknown(buf, pos, nla_len, nla_type, aset, order, depth, req) -> Node:
    num = nla_type & NLA_TYPE_MASK
    data = bytes(buf[pos + 4:pos + nla_len])
    field = aset.unknown_field if aset is not None else _UNKNOWN_GENERIC
    node = Node(field, data, pos, nla_len, data.hex() if data else "(empty)", status=UNKNOWN,
                label=_label(f"attribute {num} (unknown)", nla_type))
    if nla_type & NLA_F_NESTED and nla_len > 4:
        # the sender says it is a nest: show its structure, still unknown
        node.children = decode_attrs(buf, pos + 4, pos + nla_len, None, order, depth + 1, req)
    return node


def decode_one(buf, pos: int, nla_len: int, nla_type: int, spec: Attr, order: str, depth: int,
               scope: _Scope | None = None, req: Request = FULL) -> Node:
    """One attribute; `scope`: the runs it is in (its own set's, when kept, and the enclosing ones)."""
    vo = pos + 4
    vl = nla_len - 4
    if spec.sized is not None:
        spec = spec.sized.get(vl, spec)
    t = spec.type
    label = _label(spec.name, nla_type) if nla_type & 0xC000 else spec.name  # NESTED, NET_BYTEORDER
    structs = _INT_STRUCTS.get(t)
    if structs is not None:
        st = structs[">" if (spec.big_endian or nla_type & NLA_F_NET_BYTEORDER) else order]
        size = st.size
        if vl != size:
            if vl > size and vl - size < 4 and not any(buf[vo + size:vo + vl]):
                pass  # tolerated trailing zero padding inside the length
            else:
                return _wrong_size(buf, pos, nla_len, spec, label, f"expected {size} bytes, got {vl}")
        v = st.unpack_from(buf, vo)[0]
        if spec.enum is None and spec.flags is None and spec.show is None and not spec.unit:
            return Node(spec.field, v, pos, nla_len, None, None, None, label)
        node = Node(spec.field, v, pos, nla_len, _enum_text(spec, v), None, None, label)
        if spec.flags is not None and v and req.full:
            # a boolean child per bit set, as header flags have: `ctnl.ct.status.assured`
            node.children = flag_nodes(spec.field, spec.flags, v, vo, st.size)
        return node
    if t == "string":
        if spec.hint in SECRET_HINTS:
            return secret_node(spec.field, buf, vo, vo + vl, pos, nla_len, label,
                               digest=None if spec.hint == "secret" else False)
        return Node(spec.field, c_string(buf, vo, vo + vl), pos, nla_len, None, None, None, label)
    if t in ("nest", "indexed-array", "array", "struct", "submsg") and depth >= req.levels:
        return _folded(spec, pos, nla_len, label)
    if t == "nest":
        children = decode_attrs(buf, vo, vo + vl, spec.nested, order, depth + 1, req, scope)
        return Node(spec.field, None, pos, nla_len, "", children, None, label)
    if t == "flag":
        if vl:
            return _wrong_size(buf, pos, nla_len, spec, label, f"flag with {vl} bytes of payload")
        return Node(spec.field, True, pos, nla_len, "set", label=label)
    if t in ("uint", "sint"):
        if vl not in (1, 2, 4, 8):
            return _wrong_size(buf, pos, nla_len, spec, label, f"expected 1, 2, 4 or 8 bytes, got {vl}")
        o = ">" if (spec.big_endian or nla_type & NLA_F_NET_BYTEORDER) else order
        v = int.from_bytes(buf[vo:vo + vl], "big" if o == ">" else "little", signed=(t == "sint"))
        return Node(spec.field, v, pos, nla_len, _enum_text(spec, v), label=label)
    if t == "binary":
        kids = nested_decode(spec.decode, depth, buf, vo, vo + vl, order, req) \
            if spec.decode is not None and req.full else None
        if spec.hint in SECRET_HINTS:   # key material: never its bytes, whoever decoded it
            return secret_node(spec.field, buf, vo, vo + vl, pos, nla_len, label, kids,
                               digest=None if spec.hint == "secret" else False)
        data = bytes(buf[vo:vo + vl])
        if spec.decode is not None:
            return Node(spec.field, _binary(spec, data) if spec.hint else data, pos, nla_len,
                        spec.show(data) if spec.show is not None else None, kids, label=label)
        if spec.hint:
            return Node(spec.field, _binary(spec, data), pos, nla_len, None, label=label)
        return Node(spec.field, data, pos, nla_len, spec.show(data) if spec.show is not None else None, label=label)
    if t == "addr":
        data = bytes(buf[vo:vo + vl])
        return Node(spec.field, addr_value(data), pos, nla_len, None, label=label)
    if t == "struct":
        if not req.full:
            return _folded(spec, pos, nla_len, label)
        st = spec.struct
        if vl < st.size:
            return _wrong_size(buf, pos, nla_len, spec, label, f"struct {st.cname} needs {st.size} bytes, got {vl}")
        inner = st.node(buf, vo, order, req=req, length=vl)   # a grown struct: the members vl holds
        children = inner.children
        if vl > st.max_size:
            children.append(Node(spec.struct.field, bytes(buf[vo + st.max_size:vo + vl]), vo + st.max_size,
                                 vl - st.max_size, None, label="trailing bytes (newer struct?)", status=UNKNOWN))
        return Node(spec.field, None, pos, nla_len, "", children, label=label)
    if t == "indexed-array":
        return _indexed_array(buf, pos, nla_len, spec, label, order, depth, req, scope)
    if t == "array":
        if not req.full:
            return _folded(spec, pos, nla_len, label)
        return _array(buf, pos, nla_len, spec, label, ">" if spec.big_endian else order)
    if t == "bitfield32":
        if vl != 8:
            return _wrong_size(buf, pos, nla_len, spec, label, f"expected 8 bytes, got {vl}")
        v, sel = _STRUCTS[(order, "I")].unpack_from(buf, vo)[0], _STRUCTS[(order, "I")].unpack_from(buf, vo + 4)[0]
        txt = f"value {_enum_text(spec, v) or hex(v)}, selector {_enum_text(spec, sel) or hex(sel)}"
        return Node(spec.field, v, pos, nla_len, txt, label=label)
    if t == "pad":
        return Node(spec.field, bytes(buf[vo:vo + vl]), pos, nla_len, f"{vl} bytes of padding", label=label)
    if t == "submsg":
        selector, key = scope.selector(spec) if scope is not None else (spec.selector, None)
        chosen = spec.choices.get(key) if (spec.choices and key is not None) else None
        if chosen is None:
            data = bytes(buf[vo:vo + vl])
            why = f"no decoder for {selector} {key!r}" if key is not None else f"{selector} not seen first"
            return Node(spec.field, data, pos, nla_len, f"{data.hex()} ({why})", status=UNKNOWN, label=label)
        if isinstance(chosen, AttrSet):
            # the enclosing runs stay in view inside (an action's stats below a filter's options)
            children = decode_attrs(buf, vo, vo + vl, chosen, order, depth + 1, req, scope)
        elif callable(chosen):  # a decode hook: (buf, start, end, order, req) -> nodes
            children = nested_decode(chosen, depth, buf, vo, vo + vl, order, req)
        else:  # a FixedStruct
            if vl < chosen.size:
                return _wrong_size(buf, pos, nla_len, spec, label, f"struct {chosen.cname} needs {chosen.size} bytes")
            children = chosen.node(buf, vo, order, req=req).children
        return Node(spec.field, key, pos, nla_len, f"({key})", children, label=label)
    raise AssertionError(f"attribute type {t} has no decoder")  # declared specs are checked by tests


def _wrong_size(buf, pos, nla_len, spec, label, why) -> Node:
    data = bytes(buf[pos + 4:pos + nla_len])
    return Node(spec.field, data, pos, nla_len, f"{why}: {data.hex()}", status=MALFORMED, label=label)


def _indexed_array(buf, pos, nla_len, spec, label, order, depth, req, scope=None) -> Node:
    """A nest whose members are numbered 0, 1, 2 … (or 1, 2, …), each of one type."""
    end = pos + nla_len
    hdr = _NLA_HDR[order]
    children = []
    p = pos + 4
    sub = spec.sub or "nest"
    while p < end:
        if end - p < 4:
            if any(buf[p:end]):
                children.append(malformed(buf, p, end, "truncated array element header"))
            break
        ln, ty = hdr.unpack_from(buf, p)
        if ln < 4 or p + ln > end:
            children.append(malformed(buf, p, end, f"array element length {ln} is invalid"))
            break
        idx = ty & NLA_TYPE_MASK
        if sub == "nest":
            el = Node(spec.field, idx, p, ln, "",
                      decode_attrs(buf, p + 4, p + ln, spec.nested, order, depth + 1, req, scope), label=f"[{idx}]")
        else:
            elspec = Attr(sub, enum=spec.enum, flags=spec.flags, hint=spec.hint, big_endian=spec.big_endian)
            elspec.name, elspec.num, elspec.field = f"[{idx}]", idx, spec.elem_field or spec.field
            el = decode_one(buf, p, ln, ty, elspec, order, depth + 1, None, req)
            el.label = f"[{idx}]"
        children.append(el)
        p += (ln + 3) & ~3
    return Node(spec.field, None, pos, nla_len, f"{len(children)} entries", children, label=label)


_ARRAY_LABELS: dict = {}
_ARRAY_STRUCTS: dict = {}


def _array(buf, pos, nla_len, spec, label, order) -> Node:
    """A binary attribute holding a C array of one integer type (e.g. IFLA_INET6_CONF), in
    byte order `order` (the spec's big-endian, else the capture's)."""
    ch, _ = _INTS[spec.sub]
    size = _STRUCTS[(order, ch)].size
    n = (nla_len - 4) // size
    base = pos + 4
    st = _ARRAY_STRUCTS.get((order, ch, n))
    if st is None:
        st = struct.Struct(f"{order}{n}{ch}")
        if len(_ARRAY_STRUCTS) < 1024:
            _ARRAY_STRUCTS[(order, ch, n)] = st
    labels = _ARRAY_LABELS.get((spec, n))
    if labels is None:
        names = spec.elem_names or {}
        labels = [names.get(i, f"[{i}]") for i in range(n)]
        if len(_ARRAY_LABELS) < 1024:
            _ARRAY_LABELS[(spec, n)] = labels
    field = spec.elem_field or spec.field
    values = st.unpack_from(buf, base)
    texts = [_enum_text(spec, v) for v in values] if spec.enum is not None or spec.flags is not None else None
    node = ArrayNode(spec.field, pos, nla_len, f"{n} values", label, (field, values, labels, texts, base, size))
    if (nla_len - 4) - n * size:
        node.children.append(malformed(buf, base + n * size, pos + nla_len, "partial array element"))
    return node
