"""Which attributes a decode must make for some fields to be all there (`Message.decode`).

A display filter or `-T fields` reads a few fields; decoding only the attributes that hold
them (and the nests that hold those) is many times cheaper than the whole tree.  What holds
what is read from the declarations — attribute sets (nests, arrays, structs, sub-messages,
flag bits) and the fixed headers of message types — never from field names:

- a field inside attribute sets: the field and every attribute that contains it;
- a member of a message's fixed header: nothing (headers are always decoded);
- anything else (a node a dissector makes by hand, the layers of a queued packet, the
  resolution of an extack): not known here — the whole tree is decoded.

The attributes whose contents a decode hook makes (802.11 elements, a veth peer's link, a
route's nexthops …) are always decoded, whole: what is inside them is not declared.
"""
from __future__ import annotations

from .attrs import ALL_SETS, AttrSet, Request
from .bits import declare_bits
from .header import _FLAG_FIELDS, NLMSGHDR
from .registry import HEADER_STRUCTS


class _Index:
    def __init__(self):
        self.key = None
        self.parents: dict[str, set[str]] = {}   # field -> the attribute fields directly holding it
        self.header: set[str] = set()            # fields of fixed message headers
        self.opaque: frozenset = frozenset()     # attributes with a decode hook, and what holds them


_INDEX = _Index()


def _members(st, parent: str | None, parents: dict) -> None:
    for m in st.shown:
        if parent is not None:
            parents.setdefault(m.field.abbrev, set()).add(parent)
        else:
            parents.setdefault(m.field.abbrev, set())
        if m.flag_names is not None:
            fields, _, _, rest = declare_bits(m.field, m.flag_names)
            for _, f in fields + ((0, rest),):
                parents.setdefault(f.abbrev, set()).update({m.field.abbrev} | ({parent} if parent else set()))


def _build() -> _Index:
    idx = _Index()
    parents = idx.parents
    hooks = set()
    for aset in list(ALL_SETS):
        specs = list(aset.by_num.values()) + ([aset.default] if aset.default is not None else [])
        parents.setdefault(aset.unknown_field.abbrev, set())
        for spec in specs:
            f = spec.field.abbrev
            parents.setdefault(f, set())
            if spec.flags is not None and (spec.elem_field is None):
                fields, _, _, rest = declare_bits(spec.field, spec.flags)
                for _, b in fields + ((0, rest),):
                    parents.setdefault(b.abbrev, set()).add(f)
            if spec.elem_field is not None:
                parents.setdefault(spec.elem_field.abbrev, set()).add(f)
                if spec.flags is not None:
                    fields, _, _, rest = declare_bits(spec.elem_field, spec.flags)
                    for _, b in fields + ((0, rest),):
                        parents.setdefault(b.abbrev, set()).update({f, spec.elem_field.abbrev})
            inner = []
            if spec.nested is not None:
                inner.append(spec.nested)
            if spec.struct is not None:
                inner.append(spec.struct)
            for choice in (spec.choices or {}).values():
                if callable(choice) and not isinstance(choice, AttrSet) and not hasattr(choice, "shown"):
                    hooks.add(f)
                else:
                    inner.append(choice)
            if spec.decode is not None:
                hooks.add(f)
            for c in inner:
                if isinstance(c, AttrSet):
                    for sub in list(c.by_num.values()) + ([c.default] if c.default is not None else []):
                        parents.setdefault(sub.field.abbrev, set()).add(f)
                    parents.setdefault(c.unknown_field.abbrev, set()).add(f)
                else:   # a FixedStruct
                    _members(c, f, parents)
    idx.header.update(f.abbrev for f in _FLAG_FIELDS.values())
    idx.header.add("netlink.flags.unknown_bits")
    for st in [NLMSGHDR, *HEADER_STRUCTS]:
        for m in st.shown:
            idx.header.add(m.field.abbrev)
            if m.flag_names is not None:
                fields, _, _, rest = declare_bits(m.field, m.flag_names)
                idx.header.update(b.abbrev for _, b in fields + ((0, rest),))
    opaque = set()
    for h in hooks:
        opaque.add(h)
        opaque |= _ancestors(parents, h)
    idx.opaque = frozenset(opaque)
    return idx


def _ancestors(parents: dict, field: str) -> set:
    out, todo = set(), [field]
    while todo:
        for p in parents.get(todo.pop(), ()):
            if p not in out:
                out.add(p)
                todo.append(p)
    return out


def _index() -> _Index:
    global _INDEX
    key = (len(ALL_SETS), len(HEADER_STRUCTS))
    if _INDEX.key != key:
        _INDEX = _build()
        _INDEX.key = key
    return _INDEX


_CACHE: dict = {}


def wanted_for(fields) -> frozenset | None:
    """The attribute fields a decode must make so that every node of `fields` is there as
    in the whole tree; None when one of them is not declared where this can follow it (the
    whole tree is then needed)."""
    fields = frozenset(fields)
    idx = _index()
    got = _CACHE.get((idx.key, fields), False)
    if got is not False:
        return got
    out = set(idx.opaque)
    for f in fields:
        if f in idx.parents:
            out.add(f)
            out |= _ancestors(idx.parents, f)
        elif f not in idx.header:
            out = None
            break
    got = frozenset(out) if out is not None else None
    if len(_CACHE) < 1024:
        _CACHE[(idx.key, fields)] = got
    return got


def fields_request(fields) -> Request | None:
    """The Request that decodes `fields` (see wanted_for); None: decode the whole tree."""
    wanted = wanted_for(fields)
    return None if wanted is None else Request(wanted=wanted)
