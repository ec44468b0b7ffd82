"""Families described by YNL specs (the kernel's `Documentation/netlink/specs` YAML format).

`load_spec(path)` turns one spec into the same objects the hand-written families are
made of — `AttrSet`/`Attr`, `FixedStruct`, `MessageType`, `GenlFamily` — and registers
it, replacing a built-in family of the same name (the user's spec is the newer truth).
Covered: the genetlink, genetlink-c, genetlink-legacy and netlink-raw protocols;
consts, enum and flags definitions (values given or implied, `value-start`,
`enum-as-flags`), structs (members with `len`, a const's name, or a `struct` laid out in
place), attribute sets with implicit and explicit numbering and `subset-of` (which keeps
its parent's numbers), nests, indexed arrays and binary arrays by `sub-type`,
`nest-type-value` of any depth, sub-messages chosen by a selector attribute (a format
may be a fixed header, attributes or both), display hints (unknown ones ignored), byte
order, `checks` (read, not enforced: a capture shows what was sent), fixed headers per
operation, `notify:`/`event:` operations, unified and directional message ids numbered
as the kernel's nlspec.py numbers them, multicast groups.  Everything is referred to by
name and resolved on first use, so a spec may use a definition before it makes it.
Key material stays redacted whatever type a spec gives it (core/secrets.py).

A spec file is untrusted input, loaded in bounded time and memory: at most
MAX_SPEC_BYTES are read (a FIFO or /dev/zero included), YAML is composed by the safe
loader and its aliases may not expand the document past MAX_SPEC_NODES (a "billion
laughs" file is refused before anything walks it; the kernel's own specs use a few
aliases, so they are counted, not forbidden), numbers are range-checked before use (a
flag's bit number below 64, enum values within 64 bits, attribute numbers within
NLA_TYPE_MASK, message ids within 16 bits), and no step is quadratic.  Anything the loader
cannot make sense of raises `SpecError`, one line naming the file and the place, never
another exception.
"""
from __future__ import annotations

import os
import reprlib
import socket
import stat
import struct
from pathlib import Path

from construct import Bytes, FormatField, Padding

from .core.attrs import FULL, Attr, AttrSet, a, c_string, decode_attrs, malformed
from .core.header import NLMSG_HDRLEN, is_request
from .core.registry import (GENL_FAMILIES, GET, PROTOCOLS, GenlFamily, MessageType, Protocol, kind_from_name,
                            register_genl_family, register_protocol)
from .core.schema import FixedStruct, Member
from .model import BYTES, FIELDS, STRING, Node
from .core.secrets import is_secret_name

# The kernel's largest specs (tc, rt-link) are under 100 KiB.  YAML is parsed in pure
# Python (see _yaml_document): a 1 MiB spec takes 5-8 s of CPU here, the bound on the time.
MAX_SPEC_BYTES = 1 << 20
# The document's size with every alias expanded: one per node plus its scalar's length.
# A file of MAX_SPEC_BYTES with no alias stays below it (a node takes at least a character).
MAX_SPEC_NODES = 2 * MAX_SPEC_BYTES
_ENUM_RANGE = (-(1 << 63), 1 << 64)   # an enum value is a 64-bit integer, signed or not
_FLAG_BITS = 64
_MAX_LEN = 1 << 16      # a struct member's or a checked attribute's length
_MAX_MEMBERS = 1 << 14  # struct members of a spec, nested structs laid out (one inside another inside …)
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 40
_REPR.maxlist = _REPR.maxdict = 4
_REPR.maxlevel = 2


def _show(v) -> str:
    """A YAML value in an error message: short, whatever its size (an alias may make a small
    file's value huge)."""
    return _REPR.repr(v)
_INT_TYPES = {"u8": "B", "u16": "H", "u32": "L", "u64": "Q", "s8": "b", "s16": "h", "s32": "l", "s64": "q"}
_PLAIN = {"flag", "pad", "bitfield32", "uint", "sint", "string"} | set(_INT_TYPES)
# display hints; `secret` is nlscope's own (YNL has none): a user's spec may mark key
# material its names do not give away (see core/secrets.py for the names that do)
_HINTS = {"mac": "mac", "fddi": "mac", "ipv4": "ipv4", "ipv6": "ipv6", "uuid": "uuid", "hex": None,
          "secret": "secret"}


class SpecError(ValueError):
    """A spec that cannot be loaded; the message is one line naming the file."""


def c_name(*parts: str) -> str:
    """The C name YNL makes (`rt-link-a-` + `mtu` → RT_LINK_A_MTU; conntrack's
    `labels mask` → …LABELS_MASK)."""
    return "".join(parts).upper().replace("-", "_").replace(" ", "_")


def _ident(name: str) -> str:
    return name.replace("-", "_").lower()


class _Loader:
    """One spec turned into the model, in explicit phases: every definition, attribute set
    and sub-message is first collected by name, then resolved on first use (so a reference
    may come before what it names, as in the kernel's rt-link), then the operations."""

    def __init__(self, doc: dict, origin: str, replaces=None):
        """`replaces`: the family or protocol registered under the spec's key, whose names
        for message types the spec does not name are kept (see `operations`)."""
        self.doc = doc
        self.origin = origin
        self.replaces = replaces
        self.name = self._str(doc, "name", "the spec")
        self.abbrev = _ident(self.name)
        self.protocol = doc.get("protocol", "genetlink")
        if self.protocol not in ("genetlink", "genetlink-c", "genetlink-legacy", "netlink-raw"):
            self.fail(f"protocol {_show(self.protocol)} is not one of genetlink, genetlink-c, genetlink-legacy, "
                      "netlink-raw")
        self._defs: dict[str, dict] = {}          # definition name -> its mapping, as written
        self.consts: dict[str, object] = {}
        self.enums: dict[str, tuple[bool, dict[int, str]]] = {}   # name -> (is flags, value -> NAME)
        self.structs: dict[str, FixedStruct] = {}
        self._open: set[str] = set()              # structs being resolved (one inside itself is refused)
        self._raw_sets: dict[str, dict] = {}
        self._open_sets: set[str] = set()         # subsets being resolved
        self._numbered_sets: dict[str, list[dict]] = {}
        self.sets: dict[str, AttrSet] = {}
        self._raw_submsgs: dict[str, dict] = {}
        self.submsgs: dict[str, dict] = {}
        self._pending: list[tuple[Attr, str, dict, str]] = []
        self._by_yname: dict[str, dict[str, Attr]] = {}   # set name -> spec attribute name -> Attr
        self._suffix_cache: dict[int, dict[str, int]] = {}
        self._holders_by_name: dict[str, list] | None = None   # see _holders
        self._outer_selectors: set[str] = set()   # selector names whose holders keep their values
        self._members = 0

    # --- checking helpers ---------------------------------------------------------
    def fail(self, what: str):
        raise SpecError(f"spec {self.origin}: {what}")

    def _str(self, d, key, where) -> str:
        v = d.get(key) if isinstance(d, dict) else None
        if not isinstance(v, str) or not v:
            self.fail(f"{where} has no {key}")
        return v

    def _list(self, d, key, where) -> list:
        v = d.get(key, []) if isinstance(d, dict) else None
        if v is None:
            return []
        if not isinstance(v, list):
            self.fail(f"{where}: {key} must be a list")
        return v

    def _int(self, v, where, lo: int | None = None, hi: int | None = None) -> int:
        """An integer of the spec, within [lo, hi) when given."""
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(f"{where}: {_show(v)} is not an integer")
        if (lo is not None and v < lo) or (hi is not None and v >= hi):
            self.fail(f"{where}: {_show(v)} out of range [{lo}, {hi})")
        return v

    def _len(self, v, where, lo: int = 0, hi: int = _MAX_LEN + 1) -> int:
        """A length: an integer, or a const's name, optionally `- 1` (the schema's
        len-or-define: `len: ifnamsiz`, `exact-len: wg-key-len`)."""
        if isinstance(v, str):
            name, minus, one = v.strip().partition(" - ")
            if minus and one.strip() != "1":
                self.fail(f"{where}: {_show(v)} is not a length")
            got = self._const(name.strip(), where)
            v = got - 1 if minus else got
        return self._int(v, where, lo, hi)

    # --- definitions --------------------------------------------------------------
    def definitions(self) -> None:
        for d in self._list(self.doc, "definitions", "definitions"):
            if not isinstance(d, dict):
                self.fail("a definition is not a mapping")
            name = self._str(d, "name", "a definition")
            kind = d.get("type")
            if kind not in ("enum", "flags", "struct", "const"):
                self.fail(f"definition {name}: type {_show(kind)} is not enum, flags, struct or const")
            if name in self._defs:
                self.fail(f"definition {name} is defined twice")
            self._defs[name] = d
        for name, d in self._defs.items():   # every one, used or not: a broken one is the spec's fault
            kind = d["type"]
            if kind == "struct":
                if self.protocol == "netlink-raw" and _ends_in_the_rest(d):
                    continue   # a message's fixed header taking the rest (TailStruct): built where used
                self._struct_named(name, f"definition {name}")
            elif kind == "const":
                self.consts[name] = d.get("value")
            else:
                self._enum_named(name, f"definition {name}")

    def _const(self, name: str, where: str) -> int:
        d = self._defs.get(name)
        if d is None or d.get("type") != "const":
            self.fail(f"{where}: const {_show(name)} is not defined")
        return self._int(d.get("value"), f"const {name} value")

    def _enum_named(self, name, where) -> tuple[bool, dict[int, str]]:
        got = self.enums.get(name) if isinstance(name, str) else None
        if got is None:
            d = self._defs.get(name) if isinstance(name, str) else None
            if d is None or d.get("type") not in ("enum", "flags"):
                self.fail(f"{where}: enum {_show(name)} is not defined")
            flags = d["type"] == "flags"
            got = self.enums[name] = (flags, self._entries(d, name, flags))
        return got

    def _entries(self, d, name, flags: bool) -> dict[int, str]:
        prefix = d.get("name-prefix", f"{self.name}-{name}-")
        if not isinstance(prefix, str):
            self.fail(f"definition {name}: name-prefix must be a string")
        # a flags entry's value is its bit number (YNL: 1 << value)
        lo, hi = (0, _FLAG_BITS) if flags else _ENUM_RANGE
        start = d.get("value-start", 0)
        if isinstance(start, str):   # "the literal initializer": a const's name
            start = self._const(start, f"definition {name} value-start")
        nxt = self._int(start, f"definition {name} value-start", lo, hi)
        out: dict[int, str] = {}
        for e in self._list(d, "entries", f"definition {name}"):
            if isinstance(e, dict):
                ename = self._str(e, "name", f"an entry of {name}")
                nxt = e.get("value", nxt)
            elif isinstance(e, str):
                ename = e
            else:
                self.fail(f"definition {name}: entry {_show(e)} is neither a name nor a mapping")
            nxt = self._int(nxt, f"definition {name} entry {ename} value", lo, hi)
            out.setdefault((1 << nxt) if flags else nxt, c_name(prefix, ename))
            nxt += 1
        return out

    def _struct_named(self, name, where, header: bool = False) -> FixedStruct:
        """Struct `name` of the definitions; `header`: it is a netlink-raw message's fixed
        header, whose last member may take the rest of the message (see TailStruct)."""
        st = self.structs.get(name) if isinstance(name, str) else None
        if isinstance(st, TailStruct) and not header:
            self.fail(f"{where}: struct {name} ends in a member without len: only a netlink-raw message's "
                      f"fixed-header may (it takes the rest of the message)")
        if st is None:
            d = self._defs.get(name) if isinstance(name, str) else None
            if d is None or d.get("type") != "struct":
                self.fail(f"{where}: struct {_show(name)} is not defined")
            st = self.structs[name] = self._struct(d, name, header and self.protocol == "netlink-raw")
        return st

    def _struct(self, d, name, header: bool = False) -> FixedStruct:
        tail = None
        if header and _ends_in_the_rest(d):
            d, tail = dict(d, members=d["members"][:-1]), d["members"][-1]
        members = self._struct_members(d, name, "", "")
        try:
            if tail is None:
                return FixedStruct(name, f"{self.abbrev}.{_ident(name)}", members, label=f"struct {name}")
            tname = self._str(tail, "name", f"a member of struct {name}")
            return TailStruct(name, f"{self.abbrev}.{_ident(name)}", members, label=f"struct {name}",
                              tail=(tname, tail["type"] == "string"))
        except (ValueError, TypeError) as e:   # a member's field name already declared with another kind
            self.fail(f"struct {name}: {e}")

    def _struct_members(self, d, name, ident_prefix: str, title_prefix: str) -> list[Member]:
        """The members of struct `name`; a member that is itself a struct (`struct:`) is laid
        out in place, its members named `outer_inner` (C nests them the same way)."""
        if name in self._open:
            self.fail(f"struct {name} contains itself")
        self._open.add(name)
        members = []
        try:
            for m in self._list(d, "members", f"struct {name}"):
                if not isinstance(m, dict):
                    self.fail(f"struct {name}: member {_show(m)} is not a mapping")
                mname = self._str(m, "name", f"a member of struct {name}")
                self._members += 1
                if self._members > _MAX_MEMBERS:
                    self.fail(f"struct {name}: more than {_MAX_MEMBERS} members, nested structs laid out")
                members.extend(self._member(m, name, mname, ident_prefix + _ident(mname), title_prefix + mname))
        finally:
            self._open.discard(name)
        return members

    def _member(self, m, name, mname, ident, title) -> list[Member]:
        t = m.get("type")
        where = f"struct {name} member {mname}"
        if t in _INT_TYPES:
            order = ">" if m.get("byte-order") == "big-endian" else "<"
            return [Member(ident, FormatField(order, _INT_TYPES[t]), self._show_for(m, where, t), title=title,
                           flag_names=self._flag_names(m, where))]
        if t == "binary" and m.get("struct") is not None:
            inner = m["struct"]
            self._struct_named(inner, where)   # defined, and not inside itself
            return self._struct_members(self._defs[inner], inner, ident + "_", title + ".")
        if t in ("binary", "pad", "string"):
            if "len" not in m:
                self.fail(f"{where}: a {t} member needs a len (only the last member of a netlink-raw "
                          f"message's fixed-header may go without, taking the rest of the message)")
            n = self._len(m["len"], f"{where} len", 1)
            if t == "pad":
                return [Member(None, Padding(n))]
            show = _c_text if t == "string" else _BINARY_SHOW.get(m.get("display-hint"))
            return [Member(ident, Bytes(n), show, title=title)]
        self.fail(f"{where}: type {_show(t)} is not an integer, binary, string or pad")

    def _enum_ref(self, spec: dict, where: str):
        ename = spec.get("enum")
        if ename is None:
            return None
        is_flags, names = self._enum_named(ename, where)
        if spec.get("enum-as-flags") and not is_flags:
            names = {1 << v: n for v, n in names.items() if 0 <= v < 64}
            is_flags = True
        return is_flags, names

    def _show_for(self, spec, where, t=None):
        from .core.schema import enum_show, flags_show
        ref = self._enum_ref(spec, where)
        if ref is not None and not ref[0]:
            return enum_show(ref[1])
        if ref is not None:   # written as wide as the member is (a u8's flags as 0x03)
            return flags_show(ref[1], 2 * struct.calcsize(_INT_TYPES[t]) if t in _INT_TYPES else 8)
        return _int_show(spec.get("display-hint"), t)

    def _flag_names(self, spec, where):
        ref = self._enum_ref(spec, where)
        return ref[1] if ref is not None and ref[0] else None

    # --- attribute sets -----------------------------------------------------------
    def attribute_sets(self) -> None:
        for s in self._list(self.doc, "attribute-sets", "attribute-sets"):
            name = self._str(s, "name", "an attribute set")
            if name in self._raw_sets:
                self.fail(f"attribute set {name} is defined twice")
            self._raw_sets[name] = s
        for name, s in self._raw_sets.items():
            self._build_set(name, s)

    def _numbered(self, s, name) -> list[dict]:
        """A set's attributes with their numbers: explicit, or one more than the one before;
        a subset's are its parent's (`subset-of` names part of a set, never renumbers it)."""
        got = self._numbered_sets.get(name)
        if got is not None:
            return got
        parent = s.get("subset-of")
        if parent is not None:
            if not isinstance(parent, str) or parent not in self._raw_sets:
                self.fail(f"attribute set {name}: subset-of {_show(parent)} is not defined")
            if name in self._open_sets:
                self.fail(f"attribute set {name} is a subset of itself")
            self._open_sets.add(name)
            try:
                base = {a_["name"]: a_ for a_ in self._numbered(self._raw_sets[parent], parent)}
            finally:
                self._open_sets.discard(name)
        out, nxt = [], 1
        for at in self._list(s, "attributes", f"attribute set {name}"):
            if not isinstance(at, dict):
                self.fail(f"attribute set {name}: attribute {_show(at)} is not a mapping")
            aname = self._str(at, "name", f"an attribute of {name}")
            if parent is not None:
                full = base.get(aname)
                if full is None:
                    self.fail(f"attribute set {name}: {_show(aname)} is not an attribute of {parent}")
                out.append({**full, **{k: v for k, v in at.items() if k != "value"}})
                continue
            if "value" in at:
                nxt = self._int(at["value"], f"attribute {name}.{aname}")
            if not 0 <= nxt <= 0x3FFF:
                self.fail(f"attribute {name}.{aname}: number {nxt} out of range")
            out.append({**at, "value": nxt})
            nxt += 1
        self._numbered_sets[name] = out
        return out

    def _build_set(self, name: str, s: dict) -> None:
        parent = s.get("subset-of")
        prefix = s.get("name-prefix")
        if prefix is None and parent is not None:
            prefix = self._raw_sets[parent].get("name-prefix") if parent in self._raw_sets else None
            if prefix is None:
                prefix = f"{self.name}-a-{parent}-"
        if prefix is None:
            prefix = f"{self.name}-a-{name}-"
        if not isinstance(prefix, str):
            self.fail(f"attribute set {name}: name-prefix must be a string")
        specs: dict[str, Attr] = {}
        numbers: dict[str, int] = {}
        self._set_name = name
        ynames = self._by_yname[name] = {}
        for full in self._numbered(s, name):
            if full.get("type") == "unused":
                continue
            cname = c_name(prefix, full["name"])
            specs[cname] = ynames[full["name"]] = self._attr(full, f"attribute {name}.{full['name']}", cname)
            numbers[cname] = full["value"]
        set_prefix = self.abbrev if _ident(name) == self.abbrev else f"{self.abbrev}.{_ident(name)}"
        try:
            self.sets[name] = AttrSet(name, set_prefix, specs, numbers, strip=c_name(prefix), label=name)
        except (KeyError, ValueError) as e:
            self.fail(f"attribute set {name}: {e}")

    def _attr(self, at: dict, where: str, cname: str) -> Attr:
        t = at.get("type")
        if t == "array-nest":   # indexed-array's name (its sub-type nest implied) in specs before Linux 6.9
            t = "indexed-array"
        hint_name = at.get("display-hint")
        hint = _HINTS.get(hint_name) if isinstance(hint_name, str) else None
        be = at.get("byte-order") == "big-endian"
        self._checks(at, where)
        if t in _PLAIN:
            ref = self._enum_ref(at, where)
            enum = ref[1] if ref is not None and not ref[0] else None
            flags = ref[1] if ref is not None and ref[0] else None
            show = None
            if enum is None and flags is None and t not in ("string", "flag", "pad", "bitfield32"):
                show = _int_show(hint_name, t)
            return a(t, enum=enum, flags=flags, big_endian=be, show=show,
                     hint="secret" if t == "string" and hint == "secret" else None)
        if t == "binary":
            if hint == "secret" or is_secret_name(cname):
                return a("binary", hint="secret")   # key material, whatever else the spec says of it
            if at.get("struct") is not None:
                return a("struct", struct=self._struct_named(at["struct"], where))
            sub = at.get("sub-type")
            if sub in _INT_TYPES:
                ref = self._enum_ref(at, where)
                return a("array", sub=sub, enum=ref[1] if ref and not ref[0] else None,
                         flags=ref[1] if ref and ref[0] else None, big_endian=be)
            if hint_name == "ipv4-or-v6":
                return a("addr")
            return a("binary", hint=hint)
        if t in ("nest", "indexed-array", "nest-type-value"):
            sub = at.get("sub-type", "nest")
            if t == "indexed-array" and sub != "nest":
                if sub not in _PLAIN and sub != "binary":
                    self.fail(f"{where}: sub-type {_show(sub)} is not supported")
                ref = self._enum_ref(at, where)
                return a("indexed-array", sub=sub, hint=hint if sub == "binary" else None,
                         enum=ref[1] if ref and not ref[0] else None, flags=ref[1] if ref and ref[0] else None,
                         big_endian=be)
            levels = at.get("type-value") if t == "nest-type-value" else None
            if levels is not None and (not isinstance(levels, list) or not 1 <= len(levels) <= 8
                                       or not all(isinstance(x, str) and x for x in levels)):
                self.fail(f"{where}: type-value must be a list of one to eight names")
            if levels:   # nests keyed by a value, one level per name (nlctrl's policy-id, attr-id)
                spec = a("nest")
                self._pending.append((spec, "keyed", at, self._set_name))
                return spec
            spec = a("nest") if t == "nest" else a("indexed-array", sub="nest")
            if at.get("nested-attributes") is not None:
                self._pending.append((spec, "nest", at, self._set_name))
            return spec   # a nest of no declared set: its attributes show as unknown
        if t == "sub-message":
            spec = a("submsg")
            self._pending.append((spec, "submsg", at, self._set_name))
            return spec
        self.fail(f"{where}: type {_show(t)} is not a YNL attribute type")

    def _checks(self, at: dict, where: str) -> None:
        """`checks:` is the kernel's input validation; a capture shows what was sent, valid
        or not, so it only has to make sense (lengths that are numbers or consts)."""
        checks = at.get("checks")
        if checks is None:
            return
        if not isinstance(checks, dict):
            self.fail(f"{where}: checks must be a mapping")
        for key in ("min-len", "max-len", "exact-len"):
            v = checks.get(key)
            if v is not None and not isinstance(v, str):   # a string names a const, maybe a header's
                self._len(v, f"{where} checks {key}", 0, 1 << 32)
        for key in ("min", "max"):
            v = checks.get(key)
            if v is not None and not isinstance(v, str):   # a string names a const or a limit (u32-max)
                self._int(v, f"{where} checks {key}", *_ENUM_RANGE)

    def _link(self, spec: Attr, kind: str, at: dict, set_name: str) -> None:
        where = f"attribute {set_name}.{at['name']}"
        if kind in ("nest", "keyed"):
            target = self.sets.get(at.get("nested-attributes")) if isinstance(at.get("nested-attributes"), str) \
                else None
            if target is None:
                self.fail(f"{where}: nested-attributes {_show(at.get('nested-attributes'))} is not defined")
            if kind == "keyed":
                target = self._keyed(spec, at["type-value"], target, where)
            spec.nested = target
            return
        sub = self.submsgs.get(at.get("sub-message")) if isinstance(at.get("sub-message"), str) else None
        if sub is None:
            self.fail(f"{where}: sub-message {_show(at.get('sub-message'))} is not defined")
        selector = at.get("selector")
        sel = self._by_yname[set_name].get(selector) if isinstance(selector, str) else None
        if sel is None:
            # the kernel's YNL looks a selector up in the enclosing sets too (tc's stats `app`
            # is chosen by the `kind` one level up): every set that has an attribute of that
            # name keeps its values for the sub-messages below it (core/attrs.py, _Scope),
            # and the nearest one holding the sub-message decides
            holders = self._holders().get(selector) if isinstance(selector, str) else None
            if not holders:
                self.fail(f"{where}: selector {_show(selector)} is not an attribute of this set or another")
            sel = holders[0][1]
            spec.selector_key = selector
            if selector not in self._outer_selectors:   # once a name, however many sub-messages read it
                self._outer_selectors.add(selector)
                for sname, held in holders:
                    self.sets[sname].has_selector = True
                    self.sets[sname].selector_keys[selector] = held.name
        spec.selector = sel.name
        choices = {}
        by_suffix = self._suffixes(sel.enum) if sel.enum is not None else {}
        for value, target in sub.items():
            # a format names its selector's enum entry without the enum's prefix
            choices[by_suffix.get(value, value) if isinstance(value, str) else value] = target
        spec.choices = choices
        self.sets[set_name].has_selector = True

    def _holders(self) -> dict[str, list[tuple[str, Attr]]]:
        """Attribute name -> (set name, Attr) of every set that has one of that name; made
        once, when a sub-message's selector is first looked for outside its own set."""
        if self._holders_by_name is None:
            self._holders_by_name = {}
            for sname, ys in self._by_yname.items():
                for yname, at in ys.items():
                    self._holders_by_name.setdefault(yname, []).append((sname, at))
        return self._holders_by_name

    def _keyed(self, spec: Attr, levels: list[str], target: AttrSet, where: str) -> AttrSet:
        """A nest-type-value's sets: one per level, each a nest of nests keyed by a value
        (`type-value: [policy-id, attr-id]`: policy ids, in each the attribute ids, in each
        the target set's attributes)."""
        prefixes = [spec.field.abbrev]
        for name in levels[:-1]:
            prefixes.append(f"{prefixes[-1]}.{_ident(name)}")
        inner = target
        try:
            for name, prefix in reversed(list(zip(levels, prefixes))):
                entry = a("nest", nested=inner)
                entry.name = _ident(name)
                inner = AttrSet(f"{where} {name}", prefix, {}, {}, label=f"{spec.name} by {name}", default=entry)
        except (KeyError, ValueError) as e:
            self.fail(f"{where}: {e}")
        return inner

    def _suffixes(self, enum: dict[int, str]) -> dict[str, int]:
        """Each word-boundary suffix of an enum's entry names (`rt-link-kind-veth` → `veth`,
        `kind-veth`, …) -> the first value it names; made once per enum (a lookup per
        sub-message format, never a scan of the enum)."""
        got = self._suffix_cache.get(id(enum))
        if got is None:
            got = {}
            for v, n in enum.items():
                words = n.lower().replace("_", "-").split("-")
                for i in range(max(0, len(words) - 8), len(words)):   # an entry's name: a few words
                    got.setdefault("-".join(words[i:]), v)
            self._suffix_cache[id(enum)] = got
        return got

    def sub_messages(self) -> None:
        """Each sub-message's formats: selector value -> what decodes the payload (an
        attribute set, a fixed header, or a fixed header then attributes)."""
        for sm in self._list(self.doc, "sub-messages", "sub-messages"):
            name = self._str(sm, "name", "a sub-message")
            formats = self.submsgs[name] = {}
            for f in self._list(sm, "formats", f"sub-message {name}"):
                if not isinstance(f, dict) or "value" not in f:
                    self.fail(f"sub-message {name}: a format has no value")
                where = f"sub-message {name} format {_show(f['value'])}"
                hdr = self._struct_named(f["fixed-header"], where) if f.get("fixed-header") is not None else None
                aset = None
                if f.get("attribute-set") is not None:
                    aset = self.sets.get(f["attribute-set"]) if isinstance(f["attribute-set"], str) else None
                    if aset is None:
                        self.fail(f"{where}: attribute-set {_show(f['attribute-set'])} is not defined")
                if hdr is not None and aset is not None:
                    formats[f["value"]] = _header_then_attrs(hdr, aset)
                elif hdr is not None or aset is not None:
                    formats[f["value"]] = hdr if hdr is not None else aset
                else:
                    formats[f["value"]] = _no_payload   # nothing declared: what is there shows as unknown

    # --- operations ---------------------------------------------------------------
    def operations(self) -> tuple[dict, dict]:
        """(request types, types of the kernel's messages): message id -> MessageType.

        A message is named after its id, as the kernel's enum names it: a reply to
        RTM_GETROUTE is an RTM_NEWROUTE (type 24), not a GETROUTE, and a notification
        RTM_NEWLINK, not RTM_NEWLINK_NTF.  In netlink-raw, whose ids are one enum both
        ways, the name of an id is that of the operation whose request has it; else (an
        id only the kernel sends, or a genetlink reply: CTRL_CMD_NEWFAMILY) the replaced
        family's name for it; else the operation's own.  What follows the header
        is what the operation says: a `notify:` or `event:` operation takes the attribute
        set and fixed header of the operation it names."""
        ops = self.doc.get("operations") or {}
        if not isinstance(ops, dict):
            self.fail("operations must be a mapping")
        prefix = ops.get("name-prefix", f"{self.name}-cmd-")
        async_prefix = ops.get("async-prefix", prefix)
        if not isinstance(prefix, str) or not isinstance(async_prefix, str):
            self.fail("operations: name-prefix must be a string")
        default_hdr = ops.get("fixed-header")
        directional = ops.get("enum-model") == "directional" or self.doc.get("msg-id-model") == "directional"
        raw_ops = []
        by_name: dict[str, dict] = {}
        for op in self._list(ops, "list", "operations"):
            name = self._str(op, "name", "an operation")
            raw_ops.append(op)
            by_name.setdefault(name, op)
        # what each operation carries: (attribute set, fixed header), a notify's from its target
        layout: dict[str, tuple] = {}

        def carried(op, seen=()):
            name = op["name"]
            got = layout.get(name)
            if got is not None:
                return got
            where = f"operation {name}"
            target = op.get("notify")
            aset = hdr = None
            if target is not None:
                if not isinstance(target, str) or target not in by_name:
                    self.fail(f"{where}: notify {_show(target)} is not an operation")
                if target in seen or target == name:
                    self.fail(f"{where}: notify {_show(target)} refers back to itself")
                aset, hdr = carried(by_name[target], seen + (name,))
            if op.get("attribute-set") is not None:
                aset = self.sets.get(op["attribute-set"]) if isinstance(op["attribute-set"], str) else None
                if aset is None:
                    self.fail(f"{where}: attribute-set {_show(op['attribute-set'])} is not defined")
            hdr_name = op.get("fixed-header", default_hdr if hdr is None else None)
            if hdr_name is not None:
                hdr = self._struct_named(hdr_name, f"{where}: fixed-header", header=True)
            if isinstance(hdr, TailStruct) and aset is not None:
                self.fail(f"{where}: fixed-header {hdr.cname} takes the rest of the message: no attribute-set "
                          f"can follow it")
            got = layout[name] = (aset, hdr)
            return got

        requests: dict[int, MessageType] = {}
        replies: dict[int, MessageType] = {}
        req_ops: dict[int, tuple] = {}     # id -> (name, aset, hdr) of what the user sends
        rsp_ops: dict[int, tuple] = {}     # id -> the same for what the kernel sends
        own: dict[int, str] = {}           # id -> the name of the operation whose request it is
        for op, req_v, rsp_v in self._ids(raw_ops, directional):
            name = op["name"]
            aset, hdr = carried(op)
            is_async = "notify" in op or "event" in op
            entry = (c_name(async_prefix if is_async else prefix, name), aset, hdr, "dump" in op and "do" not in op)
            for v in req_v:
                req_ops.setdefault(v, entry)
                own.setdefault(v, entry[0])
            for v in rsp_v:
                rsp_ops.setdefault(v, entry)
        for v, (cname, aset, hdr, dump_only) in req_ops.items():
            requests[v] = self._message_type(v, own[v], aset, hdr, dump_only)
        raw = self.protocol == "netlink-raw"
        for v, (cname, aset, hdr, dump_only) in rsp_ops.items():
            # netlink-raw ids are one enum both ways (RTM_*); a directional genetlink family's
            # replies are an enum of their own (ETHTOOL_MSG_*_REPLY), named by the family
            name = (own.get(v) if raw else None) or self._replaced_name(v) or cname
            replies[v] = requests[v] if v in requests and requests[v].name == name and \
                req_ops[v][1:3] == (aset, hdr) else self._message_type(v, name, aset, hdr, False)
        return requests, replies

    def _ids(self, ops: list, directional: bool):
        """Each operation with its request ids and the ids of what the kernel sends for it,
        numbered as the kernel's YNL numbers them (tools/net/ynl/lib/nlspec.py).

        Unified: one id both ways, the op's `value` or one more than the op before.
        Directional: two counters; a do/dump op takes a request id (its request's value
        or the next one) and, when it has a reply, a reply id (likewise); a notify/event
        op takes only a reply id (its value or the next).  A dump replying under another
        id than its do (devlink's port-get, "due to a bug") gets that one too."""
        req_n = rsp_n = 1
        for op in ops:
            where = f"operation {op['name']}"
            value = self._int(op["value"], where, 0, 1 << 16) if "value" in op else None
            modes = [op[m] for m in ("do", "dump") if isinstance(op.get(m), dict)]
            given_req = [self._int(m["request"]["value"], where, 0, 1 << 16) for m in modes
                         if isinstance(m.get("request"), dict) and "value" in m["request"]]
            given_rsp = [self._int(m["reply"]["value"], where, 0, 1 << 16) for m in modes
                         if isinstance(m.get("reply"), dict) and "value" in m["reply"]]
            if not directional:
                v = req_n = value if value is not None else req_n
                yield op, [v], [v]
                req_n += 1
            elif "notify" in op or "event" in op:
                v = rsp_n = value if value is not None else rsp_n
                yield op, [], [v]
                rsp_n += 1
            elif modes:
                first = modes[0]
                req = given_req[0] if given_req and isinstance(first.get("request"), dict) and \
                    "value" in first["request"] else req_n
                req_n = req + 1   # taken even without a request (nlspec.py does so)
                req = [req] if "request" in first else []
                rsp = []
                if "reply" in first:
                    rsp_n = given_rsp[0] if given_rsp and isinstance(first.get("reply"), dict) and \
                        "value" in first["reply"] else rsp_n
                    rsp.append(rsp_n)
                    rsp_n += 1
                yield op, list(dict.fromkeys(req + given_req)), list(dict.fromkeys(rsp + given_rsp))
            elif value is not None:   # neither do nor dump: an id of both directions
                yield op, [value], [value]
            else:
                self.fail(f"{where}: a directional operation with neither do, dump, notify nor event")

    def _message_type(self, value, cname, aset, hdr, dump_only) -> MessageType:
        kind = kind_from_name(cname)
        if kind not in ("get", "new", "del") and dump_only:
            kind = GET
        return MessageType(value if self.protocol == "netlink-raw" else 0, cname, kind, hdr, aset, info=_info)

    def _replaced_name(self, value: int) -> str | None:
        """The name the family this spec replaces gives a message id of the kernel's."""
        old = self.replaces
        try:
            if isinstance(old, GenlFamily):
                mt = old.command(value, False)
                return mt.name if mt is not None else None
            if isinstance(old, Protocol):
                return _protocol_type_name(old, value)
        except Exception:   # a built-in asked about an id out of context: no name, not a failure
            return None
        return None

    def mcast_groups(self) -> list[str]:
        groups = self.doc.get("mcast-groups") or {}
        return [g.get("name", "?") for g in (groups.get("list") or []) if isinstance(g, dict)] \
            if isinstance(groups, dict) else []

    def load(self):
        self.definitions()
        self.attribute_sets()
        self.sub_messages()
        for spec, kind, at, set_name in self._pending:   # nests may refer to sets defined later
            self._link(spec, kind, at, set_name)
        num = None
        if self.protocol == "netlink-raw":
            num = self.doc.get("protonum")
            if isinstance(num, bool) or not isinstance(num, int) or not 0 <= num < 32:
                self.fail("netlink-raw spec without a protonum between 0 and 31")
        if self.replaces is None:
            self.replaces = PROTOCOLS.get(num) if num is not None else GENL_FAMILIES.get(self.name)
        requests, replies = self.operations()
        default_set = next(iter(self.sets.values()), None)
        if num is not None:
            return SpecProtocol(self, num, requests, replies)
        hdr = (self.doc.get("operations") or {}).get("fixed-header")
        fam = GenlFamily(self.name, self.abbrev, requests, default_set,
                         header=self._struct_named(hdr, "operations: fixed-header") if hdr else None,
                         replies=replies if replies != requests else None)
        fam.mcast_groups = self.mcast_groups()
        fam.origin = self.origin
        return fam


def _protocol_type_name(proto, value: int) -> str | None:
    """A built-in protocol's name for message type `value`, asked with a bare header."""
    order = "<" if struct.pack("=H", 1) == b"\x01\x00" else ">"
    buf = struct.pack(order + "IHHII", NLMSG_HDRLEN + 64, value, 0, 0, 1) + bytes(64)
    mt = proto.message_type(buf, 0, len(buf), value, order, None)
    return mt.name if mt is not None else None


def _header_then_attrs(hdr: FixedStruct, aset: AttrSet):
    """A sub-message format with a fixed header and attributes after it (a decode hook)."""
    def decode(buf, start, end, order, req):
        if end - start < hdr.size:
            return [malformed(buf, start, end, f"{hdr.cname} needs {hdr.size} bytes")]
        return [hdr.node(buf, start, order, req=req)] + decode_attrs(buf, start + ((hdr.size + 3) & ~3), end, aset,
                                                                     order, 0, req)
    return decode


def _no_payload(buf, start, end, order, req):
    return decode_attrs(buf, start, end, None, order, 0, req)


def _c_text(v: bytes) -> str:
    return c_string(v, 0, len(v))


def _ipv4_int(v: int) -> str:
    return socket.inet_ntop(socket.AF_INET, (v & 0xFFFFFFFF).to_bytes(4, "big"))


def _int_show(hint, t):
    """How an integer with a display hint shows (its value stays the number)."""
    if hint == "hex":
        return hex
    if hint == "ipv4" and t in ("u32", "uint", "s32"):
        return _ipv4_int
    return None


def _hex_bytes(v: bytes) -> str:
    return v.hex()


def _ipv6_bytes(v: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET6, v) if len(v) == 16 else v.hex()


def _ipv4_bytes(v: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET, v) if len(v) == 4 else v.hex()


def _mac_bytes(v: bytes) -> str:
    return v.hex(":")


def _uuid_bytes(v: bytes) -> str:
    h = v.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" if len(v) == 16 else h


_BINARY_SHOW = {"hex": _hex_bytes, "ipv4": _ipv4_bytes, "ipv6": _ipv6_bytes, "mac": _mac_bytes, "fddi": _mac_bytes,
                "uuid": _uuid_bytes}


def _info(root) -> str:
    """A spec family's Info column: the first few scalar attributes, `name=value`."""
    parts = []
    for c in root.children or ():
        if c.children or c.value is None or isinstance(c.value, (bytes, bytearray)) or c.field.abbrev.endswith("hdr"):
            continue
        short = c.field.abbrev.rsplit(".", 1)[-1]
        if short in ("unknown", "cmd", "version", "reserved"):
            continue
        parts.append(f"{short}={c.value}")
        if len(parts) == 3:
            break
    return " ".join(parts)


def _ends_in_the_rest(d) -> bool:
    """A struct definition whose last member is a string or binary without len (TailStruct)."""
    raw = d.get("members") if isinstance(d, dict) else None
    last = raw[-1] if isinstance(raw, list) and raw and isinstance(raw[-1], dict) else None
    return last is not None and last.get("type") in ("binary", "string") and "len" not in last \
        and last.get("struct") is None


class TailStruct(FixedStruct):
    """A netlink-raw fixed header whose last member, a string or binary without `len`, takes
    the rest of the message: what a protocol sending bare text after its header (the classic
    private-protocol example) needs, and what YNL's struct members cannot say otherwise (an
    nlscope reading of a len-less last member; nothing follows it, no attribute-set).  The
    members before it are an ordinary FixedStruct; `tail_node` makes the rest's node."""

    def __init__(self, cname, prefix, members, label=None, tail=("data", False)):
        super().__init__(cname, prefix, members, label=label)
        tname, self.tail_text = tail
        self.tail_field = FIELDS.add(f"{prefix}.{_ident(tname)}", tname, STRING if self.tail_text else BYTES,
                                     f"{label or cname}: {tname} (the rest of the message)")

    def tail_node(self, buf, start: int, end: int) -> Node:
        data = bytes(buf[start:end])
        if not self.tail_text:
            return Node(self.tail_field, data, start, end - start)
        text = data.split(b"\0", 1)[0].decode("utf-8", "backslashreplace")
        return Node(self.tail_field, text, start, end - start, repr(text))


class SpecProtocol(Protocol):
    """A netlink-raw protocol from a spec; message types it does not name go to the
    protocol registered before it for the same number (a spec may cover part of one),
    and so do the control messages (NLMSG_ERROR, NLMSG_DONE), which it never names."""

    def __init__(self, loader: _Loader, number: int, requests: dict, replies: dict):
        self.number = number
        self.name = f"netlink protocol {number} ({loader.name})"
        self.spec_name = loader.name
        self.abbrev = loader.abbrev
        self.requests = requests
        self.replies = replies
        self.fallback = PROTOCOLS.get(number)   # set again when registered (see load_spec)
        self.origin = loader.origin

    @property
    def label(self) -> str:
        """What the Protocol column shows for the messages this spec does not name."""
        return self.fallback.label if self.fallback is not None else self.spec_name

    @property
    def control_types(self) -> bool:
        return self.fallback.control_types if self.fallback is not None else True

    @property
    def echoes(self) -> bool:
        return self.fallback.echoes if self.fallback is not None else False

    def answer(self, buf, off, length, order):
        return self.fallback.answer(buf, off, length, order) if self.fallback is not None else False

    def _mt(self, buf, off, mtype, order):
        table = self.requests if is_request(buf, off, order) else self.replies
        return table.get(mtype) or self.requests.get(mtype) or self.replies.get(mtype)

    def message_type(self, buf, off, length, mtype, order, ctx):
        mt = self._mt(buf, off, mtype, order)
        if mt is None and self.fallback is not None:
            return self.fallback.message_type(buf, off, length, mtype, order, ctx)
        return mt

    def family_label(self, buf, off, length, mtype, order, ctx):
        if self._mt(buf, off, mtype, order) is None and self.fallback is not None:
            return self.fallback.family_label(buf, off, length, mtype, order, ctx)
        return self.spec_name

    def type_text(self, mtype, mt, ctx):
        # the protocol's own way of writing a type (nfnetlink's subsystem:message), for the
        # spec's types and the others alike
        if self.fallback is not None:
            return self.fallback.type_text(mtype, mt, ctx)
        return f"{mt.name} ({mtype})" if mt is not None else f"{mtype:#06x}"

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        from .core.dissect import dissect_body
        mtype = struct.unpack_from(order + "H", buf, off + 4)[0]
        if self._mt(buf, off, mtype, order) is None and self.fallback is not None:
            return self.fallback.dissect(buf, off, length, mt, order, ctx, root, req)
        hdr = mt.header if mt is not None else None
        if (hdr is not None and self.fallback is not None and length - NLMSG_HDRLEN < hdr.size
                and (below := self.fallback.message_type(buf, off, length, mtype, order, ctx)) is not None):
            # a header shorter than the spec's fixed one, which the kernel takes (the 4-byte
            # rtgenmsg of iproute2's dump requests, rtnetlink's legacy header): the spec cannot
            # say so; the built-in dissector, which reads headers as the kernel does, decodes it
            return self.fallback.dissect(buf, off, length, below, order, ctx, root, req)
        if isinstance(hdr, TailStruct):
            body, end = off + NLMSG_HDRLEN, off + length
            if end - body < hdr.size:
                root.add(malformed(buf, body, end, f"{hdr.cname} needs {hdr.size} bytes, {end - body} present"))
                return None
            if hdr.size:
                root.add(hdr.node(buf, body, order, req=req))
            if body + hdr.size < end:
                root.add(hdr.tail_node(buf, body + hdr.size, end))
            return None
        return dissect_body(buf, off + NLMSG_HDRLEN, off + length, mt, order, root, req=req)

    def claims(self, buf, off, length, mtype, order, ctx):
        if self._mt(buf, off, mtype, order) is None and self.fallback is not None:
            return self.fallback.claims(buf, off, length, mtype, order, ctx)
        return True

    def observe(self, buf, off, length, mtype, flags, order, ctx, pos):
        if self.fallback is not None:
            self.fallback.observe(buf, off, length, mtype, flags, order, ctx, pos)


def _expanded_size(root, origin: str) -> int:
    """The size of a composed YAML document with every alias expanded (one per node plus
    each scalar's length), worked out once per distinct node; SpecError past
    MAX_SPEC_NODES or for an alias inside itself."""
    from yaml.nodes import MappingNode, ScalarNode
    done: dict[int, int] = {}
    open_: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if isinstance(node, ScalarNode):
            done[key] = 1 + len(node.value)
            continue
        kids = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else node.value
        if leaving:
            open_.discard(key)
            size = done[key] = 1 + sum(done[id(k)] for k in kids)
            if size > MAX_SPEC_NODES:
                raise SpecError(f"spec {origin}: aliases expand it past {MAX_SPEC_NODES} nodes "
                                f"(at line {node.start_mark.line + 1})")
            continue
        if key in done:
            continue
        open_.add(key)
        stack.append((node, True))
        for k in kids:
            if id(k) in open_:
                raise SpecError(f"spec {origin}: an alias refers to a node that holds it "
                                f"(at line {k.start_mark.line + 1})")
            if id(k) not in done:
                stack.append((k, False))
    return done[id(root)]


def _yaml_document(text: str, origin: str):
    """The spec's YAML, loaded by the safe loader once its expanded size is known to be sane."""
    import yaml
    # the pure-Python loader: libyaml's composer recurses in C and crashes the process on
    # a deep enough nest, where this one raises RecursionError
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, origin)
        return loader.construct_document(node)
    except SpecError:
        raise
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SpecError(f"spec {origin}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise SpecError(f"spec {origin}: nested too deeply") from None
    except ValueError as e:   # an integer of more digits than Python converts (sys.int_info)
        raise SpecError(f"spec {origin}: a value cannot be read ({_show(str(e))})") from None
    finally:
        loader.dispose()


def parse_spec(text: str, origin: str = "<string>"):
    """A family object (GenlFamily or SpecProtocol) from a spec's text; not registered.

    The built-in families are loaded first, always: a spec is read against them (the
    family it replaces names the message ids it does not, a field clashing with another
    family's is the spec's fault), so what a spec means never depends on what was imported
    before it.  The fields of the family it replaces (same name, same field prefix) are
    the spec's to declare again: `devlink.selftests` is a nest in the kernel's spec and
    bytes in the hand-written family, and the spec is the newer truth."""
    if len(text) > MAX_SPEC_BYTES:
        raise SpecError(f"spec {origin}: larger than {MAX_SPEC_BYTES >> 20} MiB")
    from .core.registry import load_families
    load_families()
    doc = _yaml_document(text, origin)
    if not isinstance(doc, dict):
        raise SpecError(f"spec {origin}: not a YNL spec (the top level is not a mapping)")
    released = {}
    try:
        loader = _Loader(doc, origin)
        if _replaces_by_name(loader):
            released = FIELDS.release(loader.abbrev)
        obj = loader.load()
    except SpecError:
        FIELDS.restore(released, everything=True)
        raise
    except (TypeError, KeyError, AttributeError, ValueError, struct.error) as e:
        FIELDS.restore(released, everything=True)
        raise SpecError(f"spec {origin}: cannot be understood ({type(e).__name__}: {_show(str(e))})") from None
    except RecursionError:
        FIELDS.restore(released, everything=True)
        raise SpecError(f"spec {origin}: nested too deeply") from None
    FIELDS.restore(released)   # those the spec did not declare again: the built-in's filters keep them
    return obj


def spec_family(doc: dict, origin: str) -> GenlFamily:
    """A built-in generic-netlink family made from a spec's mapping (a kernel spec kept as
    data in dissectors/generated/spec_*.py): what `--spec` would make of the same file, for
    the families that only the kernel's spec describes.  Not registered; a spec that is no
    genetlink family, or does not load, is a SpecError (a fault of the data, caught by tests)."""
    fam = _Loader(doc, origin).load()
    if not isinstance(fam, GenlFamily):
        raise SpecError(f"spec {origin}: not a generic netlink family")
    return fam


def _replaces_by_name(loader: _Loader) -> bool:
    """True when a registered family (or a protocol of the chain under the spec's number)
    has the spec's name: the spec replaces it."""
    if loader.protocol != "netlink-raw":
        return loader.name in GENL_FAMILIES
    num = loader.doc.get("protonum")
    proto = PROTOCOLS.get(num) if isinstance(num, int) and not isinstance(num, bool) else None
    for _ in range(64):   # a chain of specs over the same protocol, each on the one before
        if proto is None:
            return False
        if getattr(proto, "spec_name", None) == loader.name:
            return True
        proto = getattr(proto, "fallback", None)
    return False


def read_spec_text(path) -> str:
    """A spec file's text, reading at most MAX_SPEC_BYTES + 1 bytes whatever the file is (a
    FIFO, a process substitution, /dev/zero); a directory or a device is refused."""
    p = Path(path)
    try:
        with open(p, "rb") as f:
            mode = os.fstat(f.fileno()).st_mode
            if stat.S_ISDIR(mode) or stat.S_ISBLK(mode):
                raise SpecError(f"spec {p}: not a file")
            data = f.read(MAX_SPEC_BYTES + 1)
    except OSError as e:
        raise SpecError(f"spec {p}: cannot be read ({e.strerror or e})") from None
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError(f"spec {p}: larger than {MAX_SPEC_BYTES >> 20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SpecError(f"spec {p}: not UTF-8 text (byte {e.start})") from None


def load_spec(path) -> object:
    """Load and register one spec file; return the family or protocol object.

    The order is explicit: the built-in families first (parse_spec loads them), then each
    spec in the order given, each registered over what was there before it.  A netlink-raw
    spec falls back to the protocol registered at that moment (a built-in, or the spec
    loaded before it for the same number: rt-addr, rt-link and rt-route chain), never to
    an older copy of itself."""
    p = Path(path)
    obj = parse_spec(read_spec_text(p), str(p))
    if isinstance(obj, GenlFamily):
        register_genl_family(obj, replace=True)
    else:
        below = PROTOCOLS.get(obj.number)
        while below is not None and getattr(below, "spec_name", None) == obj.spec_name:
            below = below.fallback   # the same spec loaded again replaces itself
        obj.fallback = below
        register_protocol(obj, replace=True)
    return obj


def load_specs(paths) -> list:
    """Load every spec named: files, or directories (their *.yaml files, sorted)."""
    out = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            files = sorted(p.glob("*.yaml"))
            if not files:
                raise SpecError(f"spec directory {p}: no *.yaml files in it")
            out.extend(load_spec(f) for f in files)
        elif p.exists():
            out.append(load_spec(p))
        else:
            raise SpecError(f"spec {p}: no such file or directory")
    return out


SPECS_VARIABLE = "NLSCOPE_SPECS"


def specs_from_env(environ) -> list[Path]:
    """The specs the environment names: NLSCOPE_SPECS, a list of files and directories
    separated by os.pathsep (":"), as PATH is; empty entries are skipped, the rest kept in
    order, to be loaded before those of the command line (which then load over them).
    `environ`: the mapping to read (os.environ), passed explicitly.  A path that does not
    exist is a SpecError naming the variable: it was set to be used."""
    value = environ.get(SPECS_VARIABLE) or ""
    out = []
    for entry in value.split(os.pathsep):
        if not entry:
            continue
        p = Path(entry)
        try:
            p.stat()
        except OSError as e:   # missing, unreadable, a name too long …
            raise SpecError(f"spec {p} (named by {SPECS_VARIABLE}): {e.strerror or e}") from None
        out.append(p)
    return out


__all__ = ["SpecError", "SpecProtocol", "load_spec", "load_specs", "parse_spec", "specs_from_env", "GENL_FAMILIES"]
