"""Fixed C structs declared once with construct, parsed fast through struct.Struct.

Each struct is written as a list of members whose types are construct primitives
(`Int32ul`, `Int8ul`, `Padding`, `Bytes`).  From that one declaration we derive:
the construct `Struct` in little- and big-endian form (used to build messages in
tests and tools, and compiled to check it agrees), and a `struct.Struct` per byte
order for the hot path: a netlink capture is parsed a million structs at a time,
and one `unpack_from` is many times cheaper than a construct parse.  A test keeps
the three parsers (interpreted, compiled, fast) in agreement for every struct.

Some structs grow at their end from one kernel to the next (struct tcp_info, struct
taskstats): the members older kernels do not send are declared optional (`optional_from`),
and a struct is then decoded from however many of its bytes came, from `size` (what every
sender gives) to `max_size`.
"""
from __future__ import annotations

import struct
from typing import Callable

from construct import (Bytes, FormatField, Int8sl, Int8ul, Int16sl, Int16ub, Int16ul, Int32sl, Int32ub, Int32ul,
                       Int64sl, Int64ub, Int64ul, Padded, Pass, Struct)

from ..model import FIELDS, INT, STRING, UINT, BYTES, Node
from .attrs import FULL, Request, malformed
from .bits import bit_field_name, declare_bits, flag_nodes  # noqa: F401 (bit_field_name: re-exported)
from .secrets import is_secret_name, secret_node


def swapped(con, order: str):
    """The same host-order primitive in byte order `order`; big-endian (network) stays."""
    if isinstance(con, FormatField) and con.fmtstr[0] == "<":
        return FormatField(order, con.fmtstr[1:])
    return con


def _fmt_char(con) -> str:
    if isinstance(con, FormatField):
        return con.fmtstr[1:]
    if isinstance(con, Padded) and con.subcon is Pass:
        return f"{con.length}x"
    if type(con).__name__ == "Bytes" or (hasattr(con, "length") and isinstance(con.length, int)):
        return f"{con.length}s"
    raise TypeError(f"unsupported member type {con!r}")


class Member:
    """One member of a fixed struct, with how to show it."""

    __slots__ = ("name", "con", "fmt", "show", "kind", "field", "desc", "flag_names", "hidden", "title")

    def __init__(self, name, con, show: Callable | None = None, desc: str = "",
                 flag_names: dict[int, str] | None = None, kind: str | None = None, title: str | None = None):
        self.name = name
        self.title = title
        self.con = con
        self.fmt = _fmt_char(con)
        self.show = show
        self.desc = desc
        self.flag_names = flag_names
        self.hidden = name is None
        if kind is None:
            c = self.fmt[-1]
            kind = BYTES if c == "s" else (INT if c in "bhilq" else UINT)
        self.kind = kind
        self.field = None


def member(name, con, show=None, desc="", flags=None, kind=None, title=None) -> Member:
    return Member(name, con, show, desc, flags, kind, title)


def pad(n: int) -> Member:
    from construct import Padding
    return Member(None, Padding(n))


def raw(name: str, n: int, show=None, desc="") -> Member:
    return Member(name, Bytes(n), show, desc)


# every FixedStruct declared, so one test can check them all
ALL_STRUCTS: list = []


class FixedStruct:
    """A C struct at the start of a message body or inside an attribute.

    `optional_from`: the first member older kernels do not send.  It and the members after it
    are optional: `size` is then what every sender gives (the oldest layout), `max_size` the
    struct with every member (what `construct` describes), and a struct sent in between is
    decoded from the members its bytes hold (`node(..., length=…)`).  Without it,
    `size == max_size`.
    """

    def __init__(self, cname: str, prefix: str, members: list[Member], label: str | None = None,
                 optional_from: str | None = None):
        self.cname = cname
        self.prefix = prefix
        self.label = label or cname
        self.members = members
        self.shown = [m for m in members if not m.hidden]
        fmt = "".join(m.fmt for m in members)
        self._fast = {"<": struct.Struct("<" + fmt), ">": struct.Struct(">" + fmt)}
        # network-order members: unpacked in host order, then byte-swapped back
        self._net = [(i, struct.calcsize("<" + m.fmt)) for i, m in enumerate(self.shown)
                     if isinstance(m.con, FormatField) and m.con.fmtstr[0] == ">"]
        self.max_size = self._fast["<"].size
        offs, pos, size, oldest = [], 0, self.max_size, len(members)
        bounds = [(0, 0)]   # (offset, shown members before it) at each member boundary
        for i, m in enumerate(members):
            if m.name is not None and m.name == optional_from:
                size, oldest = pos, i
            if not m.hidden:
                offs.append(pos)
            pos += struct.calcsize("<" + m.fmt)
            bounds.append((pos, len(offs)))
        if optional_from is not None and oldest == len(members):
            raise ValueError(f"struct {cname}: no member {optional_from!r}")
        self.size = size
        self._offsets = offs
        # per sent length below max_size: (bytes holding whole members, shown members in them);
        # per such prefix and byte order its struct.Struct; both made on first use
        self._bounds = [(e, n) for e, n in bounds if e >= size]
        self._cut: dict[int, tuple[int, int]] = {}
        self._fast_cut: dict[tuple[str, int], struct.Struct] = {}
        self.construct = Struct(*[(m.name / m.con) if m.name else m.con for m in members])
        self.construct_be = Struct(*[(m.name / swapped(m.con, ">")) if m.name else m.con for m in members])
        self._widths = [struct.calcsize("<" + m.fmt) for m in self.shown]
        self._layout = None  # (field, offset, width) per shown member, once fields are final
        self._flagged = any(m.flag_names is not None for m in self.shown)
        # members holding key material (a spec's `key` bytes): shown redacted (secrets.py)
        self._secret = tuple(i for i, m in enumerate(self.shown) if m.kind == BYTES and is_secret_name(m.name))
        for i in self._secret:
            self.shown[i].kind = STRING
        self.field = FIELDS.add(prefix, self.label, "none", f"struct {cname}")
        for m in self.shown:
            m.field = FIELDS.add(f"{prefix}.{m.name}", m.title or m.name.replace("_", " ").capitalize(), m.kind,
                                 m.desc, m.show)
            if m.flag_names is not None:  # declared now so filters know them
                declare_bits(m.field, m.flag_names)
        ALL_STRUCTS.append(self)

    def cut(self, length: int) -> tuple[int, int]:
        """For a struct sent in `length` bytes (at least `size`): how many of them hold whole
        members, and how many shown members those are."""
        if length >= self.max_size:
            return self.max_size, len(self.shown)
        got = self._cut.get(length)
        if got is None:
            got = self._bounds[0]
            for e, n in self._bounds:
                if e > length:
                    break
                got = (e, n)
            if len(self._cut) < 256:
                self._cut[length] = got
        return got

    def unpack(self, buf, off: int, order: str = "<", length: int | None = None) -> tuple:
        """Values of the shown members (padding skipped) of a struct sent in `length` bytes
        (at least `size`; by default `size`): the members those bytes hold whole."""
        if length is None:
            length = self.size
        if length >= self.max_size:
            vals = self._fast[order].unpack_from(buf, off)
            n = len(self.shown)
        else:
            used, n = self.cut(length)
            fast = self._fast_cut.get((order, used))
            if fast is None:   # one per member boundary and byte order: bounded
                fmt, pos = "", 0
                for m in self.members:
                    if pos >= used:
                        break
                    fmt += m.fmt
                    pos += struct.calcsize("<" + m.fmt)
                fast = self._fast_cut[(order, used)] = struct.Struct(order + fmt)
            vals = fast.unpack_from(buf, off)
        if self._net and order == "<":
            vals = list(vals)
            for i, w in self._net:
                if i < n:
                    vals[i] = int.from_bytes(vals[i].to_bytes(w, "little"), "big")
            vals = tuple(vals)
        return vals

    def values(self, buf, off: int, order: str = "<", length: int | None = None) -> dict:
        return dict(zip((m.name for m in self.shown), self.unpack(buf, off, order, length)))

    def parse(self, data: bytes, order: str = "<") -> dict:
        """Parse through construct (slow path; tests and tools): every member, `max_size` bytes."""
        c = (self.construct if order == "<" else self.construct_be).parse(data)
        return {m.name: c[m.name] for m in self.shown}

    def build(self, values: dict, order: str = "<") -> bytes:
        """The struct with every member (`max_size` bytes; an older kernel's is its first `size`)."""
        vals = {m.name: values.get(m.name, b"\0" * m.con.length if m.kind == BYTES else 0) for m in self.shown}
        return (self.construct if order == "<" else self.construct_be).build(vals)

    def node(self, buf, off: int, order: str = "<", label: str | None = None, req: Request = FULL,
             length: int | None = None) -> Node:
        """Decode into a node with one child per member (flag members with a child per set
        bit when `req` asks for the whole tree).  `length`: the bytes the sender gave (at least
        `size`, by default `size`); of a struct with optional members, those the bytes hold
        whole are shown, and bytes that end inside one are malformed.  Bytes past `max_size`
        are the caller's to show."""
        vals = self.unpack(buf, off, order, length)
        if self._layout is None:
            self._layout = list(zip([m.field for m in self.shown], self._offsets, self._widths))
        children = [Node(f, v, off + o, w) for (f, o, w), v in zip(self._layout, vals)]
        for i in self._secret:
            if i < len(children):
                f, o, w = self._layout[i]
                children[i] = secret_node(f, buf, off + o, off + o + w)
        if self._flagged and req.full:
            for m, n in zip(self.shown, children):
                if m.flag_names is not None and n.value:
                    n.children = flag_nodes(m.field, m.flag_names, n.value, n.offset, n.length)
        size = self.size
        if length is not None and length > size:
            size, _ = self.cut(length)
            if size < length < self.max_size:
                children.append(malformed(buf, off + size, off + length,
                                          f"struct {self.cname} ends inside a member"))
                size = length
        return Node(self.field, None, off, size, "", children, label=label or self.label)


_CTYPES = {
    "__u8": Int8ul, "unsigned char": Int8ul, "__s8": Int8sl, "char": Int8sl,
    "__u16": Int16ul, "unsigned short": Int16ul, "__s16": Int16sl,
    "__u32": Int32ul, "unsigned": Int32ul, "unsigned int": Int32ul, "__s32": Int32sl, "int": Int32sl,
    "__u64": Int64ul, "__s64": Int64sl,
    "__be16": Int16ub, "__be32": Int32ub, "__be64": Int64ub,
}


def c_struct(module, cname: str, prefix: str, strip: str = "", label: str | None = None,
             show: dict | None = None, flags: dict | None = None, kinds: dict | None = None) -> FixedStruct:
    """A FixedStruct from a struct layout generated from the UAPI header.

    Members keep the header's order and names (less `strip`); C natural alignment is
    applied as the compiler does, members whose name contains "pad" or starts with "__"
    are padding.  `show`/`flags`/`kinds` give display functions, flag names and value
    kinds by (stripped) member name.
    """
    show, flags, kinds = show or {}, flags or {}, kinds or {}
    members, pos, align = [], 0, 1
    for name, ctype in module.STRUCTS[cname]:
        con = _CTYPES[ctype]
        size = con.sizeof()
        align = max(align, size)
        if pos % size:
            members.append(pad(size - pos % size))
            pos += size - pos % size
        short = name[len(strip):] if strip and name.startswith(strip) else name
        if name.startswith("__") or "pad" in name or short.startswith("res"):
            members.append(pad(size))
        else:
            shown = show.get(short) or (flags_show(flags[short]) if short in flags else None)
            members.append(Member(short, con, shown, flag_names=flags.get(short),
                                  kind=kinds.get(short)))
        pos += size
    if pos % align:
        members.append(pad(align - pos % align))
    return FixedStruct(cname, prefix, members, label)


# --- display helpers shared by families ---------------------------------------------
def enum_show(names: dict[int, str]):
    def show(v):
        n = names.get(v)
        return f"{n} ({v})" if n else f"{v}"
    return show


def flags_show(names: dict[int, str], width: int = 8):
    def show(v):
        set_names = [n for b, n in names.items() if v & b]
        rest = v & ~sum(names)
        if rest:
            set_names.append(f"{rest:#x}")
        return f"{v:#0{width + 2}x}" + (f" ({', '.join(set_names)})" if set_names else "")
    return show


def names_from(module, prefix: str, enum_tag: str | None = None, exclude=("UNSPEC", "MAX")) -> dict[int, str]:
    """value -> NAME for constants of a generated module starting with `prefix`.

    With `enum_tag`, only the members of that enum.  Bookkeeping names (`__X_MAX`,
    `X_MAX`, `X_UNSPEC`) are left out; the first name wins for duplicate values.
    """
    if enum_tag is not None:
        keys = module.ENUMS[enum_tag]
    else:
        keys = [k for k in vars(module) if k.startswith(prefix)]
    out: dict[int, str] = {}
    for k in keys:
        if not k.startswith(prefix) or k.startswith("__"):
            continue
        if any(k.endswith("_" + e) for e in exclude):
            continue
        v = getattr(module, k)
        if isinstance(v, int):
            out.setdefault(v, k)
    return out
