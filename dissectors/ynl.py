"""Families described by YNL specs (the kernel's `Documentation/netlink/specs` YAML format).

`load_spec(path)` turns one spec into the same objects the hand-written families are
made of — `AttrSet`/`Attr`, `FixedStruct`, `MessageType`, `GenlFamily` — and registers
it, replacing a built-in family of the same name (the user's spec is the newer truth).
Covered: the genetlink, genetlink-c, genetlink-legacy and netlink-raw protocols;
enum and flags definitions (and `enum-as-flags`), structs, attribute sets with implicit
and explicit numbering and `subset-of`, nests, indexed arrays, `nest-type-value`,
sub-messages chosen by a selector attribute, display hints, byte order, fixed headers,
unified and directional message ids, multicast groups.

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
import stat
import struct
from pathlib import Path

from construct import Bytes, FormatField, Padding

from .core.attrs import NESTED_BY_FIELD, Attr, AttrSet, a
from .core.header import NLMSG_HDRLEN, is_request
from .core.registry import (GENL_FAMILIES, GET, PROTOCOLS, GenlFamily, MessageType, Protocol, kind_from_name,
                            register_genl_family, register_protocol)
from .core.schema import FixedStruct, Member

# The kernel's largest specs (tc, rt-link) are under 100 KiB.  YAML is parsed in pure
# Python (see _yaml_document): a 1 MiB spec takes 5-8 s of CPU here, the bound on the time.
MAX_SPEC_BYTES = 1 << 20
# The document's size with every alias expanded: one per node plus its scalar's length.
# A file of MAX_SPEC_BYTES with no alias stays below it (a node takes at least a character).
MAX_SPEC_NODES = 2 * MAX_SPEC_BYTES
_ENUM_RANGE = (-(1 << 63), 1 << 64)   # an enum value is a 64-bit integer, signed or not
_FLAG_BITS = 64
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
    return "".join(parts).upper().replace("-", "_")


def _ident(name: str) -> str:
    return name.replace("-", "_").lower()


class _Loader:
    def __init__(self, doc: dict, origin: str):
        self.doc = doc
        self.origin = origin
        self.name = self._str(doc, "name", "the spec")
        self.abbrev = _ident(self.name)
        self.protocol = doc.get("protocol", "genetlink")
        if self.protocol not in ("genetlink", "genetlink-c", "genetlink-legacy", "netlink-raw"):
            self.fail(f"protocol {_show(self.protocol)} is not one of genetlink, genetlink-c, genetlink-legacy, "
                      "netlink-raw")
        self.enums: dict[str, tuple[bool, dict[int, str]]] = {}   # name -> (is flags, value -> NAME)
        self.structs: dict[str, FixedStruct] = {}
        self.sets: dict[str, AttrSet] = {}
        self.submsgs: dict[str, dict] = {}
        self._pending: list[tuple[Attr, str, dict, str]] = []
        self._by_yname: dict[str, dict[str, Attr]] = {}   # set name -> spec attribute name -> Attr
        self._suffix_cache: dict[int, dict[str, int]] = {}

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

    # --- definitions --------------------------------------------------------------
    def definitions(self) -> None:
        for d in self._list(self.doc, "definitions", "definitions"):
            if not isinstance(d, dict):
                self.fail("a definition is not a mapping")
            name = self._str(d, "name", "a definition")
            kind = d.get("type")
            if kind in ("enum", "flags"):
                self.enums[name] = (kind == "flags", self._entries(d, name, kind == "flags"))
            elif kind == "struct":
                self.structs[name] = self._struct(d, name)
            elif kind == "const":
                continue
            else:
                self.fail(f"definition {name}: type {_show(kind)} is not enum, flags, struct or const")

    def _entries(self, d, name, flags: bool) -> dict[int, str]:
        prefix = d.get("name-prefix", f"{self.name}-{name}-")
        if not isinstance(prefix, str):
            self.fail(f"definition {name}: name-prefix must be a string")
        # a flags entry's value is its bit number (YNL: 1 << value)
        lo, hi = (0, _FLAG_BITS) if flags else _ENUM_RANGE
        nxt = self._int(d.get("value-start", 0), f"definition {name} value-start", lo, hi)
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

    def _struct(self, d, name) -> FixedStruct:
        members = []
        for m in self._list(d, "members", f"struct {name}"):
            if not isinstance(m, dict):
                self.fail(f"struct {name}: member {_show(m)} is not a mapping")
            mname = self._str(m, "name", f"a member of struct {name}")
            t = m.get("type")
            where = f"struct {name} member {mname}"
            if t in _INT_TYPES:
                order = ">" if m.get("byte-order") == "big-endian" else "<"
                con = FormatField(order, _INT_TYPES[t])
                show = self._show_for(m, where)
                members.append(Member(_ident(mname), con, show, title=mname,
                                      flag_names=self._flag_names(m, where)))
            elif t in ("binary", "pad"):
                n = self._int(m.get("len", 0), f"{where} len")
                if not 0 < n <= 1 << 16:
                    self.fail(f"{where}: len {n} out of range")
                members.append(Member(None, Padding(n)) if t == "pad" else Member(_ident(mname), Bytes(n),
                                                                                   title=mname))
            else:
                self.fail(f"{where}: type {_show(t)} is not an integer, binary or pad")
        if not members:
            self.fail(f"struct {name} has no members")
        try:
            return FixedStruct(name, f"{self.abbrev}.{_ident(name)}", members, label=f"struct {name}")
        except ValueError as e:   # a member's field name already declared with another kind
            self.fail(f"struct {name}: {e}")

    def _enum_ref(self, spec: dict, where: str):
        ename = spec.get("enum")
        if ename is None:
            return None
        if ename not in self.enums:
            self.fail(f"{where}: enum {_show(ename)} is not defined")
        is_flags, names = self.enums[ename]
        if spec.get("enum-as-flags") and not is_flags:
            names = {1 << v: n for v, n in names.items() if 0 <= v < 64}
            is_flags = True
        return is_flags, names

    def _show_for(self, spec, where):
        from .core.schema import enum_show, flags_show
        ref = self._enum_ref(spec, where)
        if ref is not None and not ref[0]:
            return enum_show(ref[1])
        if ref is not None:
            return flags_show(ref[1])
        if spec.get("display-hint") == "hex":
            return hex
        return None

    def _flag_names(self, spec, where):
        ref = self._enum_ref(spec, where)
        return ref[1] if ref is not None and ref[0] else None

    # --- attribute sets -----------------------------------------------------------
    def attribute_sets(self) -> None:
        raw = {}
        for s in self._list(self.doc, "attribute-sets", "attribute-sets"):
            raw[self._str(s, "name", "an attribute set")] = s
        parents: dict[str, dict] = {}   # a parent's attributes by name, made once (not per subset)
        for name, s in raw.items():
            parent = s.get("subset-of")
            if parent is not None and (not isinstance(parent, str) or parent not in raw):
                self.fail(f"attribute set {name}: subset-of {_show(parent)} is not defined")
            base = {}
            if parent is not None:
                base = parents.get(parent)
                if base is None:
                    base = parents[parent] = {a_["name"]: a_ for a_ in self._numbered(raw[parent], parent)}
            prefix = s.get("name-prefix", raw[parent].get("name-prefix") if parent else None)
            if prefix is None:
                prefix = f"{self.name}-a-{name}-"
            specs: dict[str, Attr] = {}
            numbers: dict[str, int] = {}
            self._set_name = name
            ynames = self._by_yname[name] = {}
            for at in self._numbered(s, name):
                full = dict(base.get(at["name"], {}))
                full.update(at)
                if full.get("type") == "unused":
                    continue
                cname = c_name(prefix, full["name"])
                specs[cname] = ynames[full["name"]] = self._attr(full, f"attribute {name}.{full['name']}")
                numbers[cname] = full["value"]
            set_prefix = self.abbrev if _ident(name) == self.abbrev else f"{self.abbrev}.{_ident(name)}"
            try:
                self.sets[name] = AttrSet(name, set_prefix, specs, numbers, strip=c_name(prefix), label=name)
            except (KeyError, ValueError) as e:
                self.fail(f"attribute set {name}: {e}")

    def _numbered(self, s, name) -> list[dict]:
        out, nxt = [], 1
        for at in self._list(s, "attributes", f"attribute set {name}"):
            if not isinstance(at, dict):
                self.fail(f"attribute set {name}: attribute {_show(at)} is not a mapping")
            self._str(at, "name", f"an attribute of {name}")
            if "value" in at:
                nxt = self._int(at["value"], f"attribute {name}.{at['name']}")
            if not 0 <= nxt <= 0x3FFF:
                self.fail(f"attribute {name}.{at['name']}: number {nxt} out of range")
            out.append({**at, "value": nxt})
            nxt += 1
        return out

    def _attr(self, at: dict, where: str) -> Attr:
        t = at.get("type")
        hint = _HINTS.get(at.get("display-hint")) if at.get("display-hint") in _HINTS else None
        be = at.get("byte-order") == "big-endian"
        if t in _PLAIN:
            ref = self._enum_ref(at, where)
            enum = ref[1] if ref is not None and not ref[0] else None
            flags = ref[1] if ref is not None and ref[0] else None
            show = hex if at.get("display-hint") == "hex" and t not in ("string", "flag", "pad") else None
            return a(t, enum=enum, flags=flags, big_endian=be, show=show,
                     hint="secret" if t == "string" and hint == "secret" else None)
        if t == "binary":
            if at.get("struct") is not None:
                st = self.structs.get(at["struct"])
                if st is None:
                    self.fail(f"{where}: struct {_show(at['struct'])} is not defined")
                return a("struct", struct=st)
            if at.get("sub-type") in _INT_TYPES:
                return a("array", sub=at["sub-type"])
            return a("binary", hint=hint)
        if t in ("nest", "indexed-array", "nest-type-value"):
            if t == "indexed-array" and at.get("sub-type", "nest") != "nest":
                sub = at["sub-type"]
                if sub not in _PLAIN and sub != "binary":
                    self.fail(f"{where}: sub-type {_show(sub)} is not supported")
                ref = self._enum_ref(at, where)
                return a("indexed-array", sub=sub, hint=hint, enum=ref[1] if ref and not ref[0] else None,
                         flags=ref[1] if ref and ref[0] else None)
            spec = a("nest") if t == "nest" else a("indexed-array", sub="nest")
            if at.get("nested-attributes") is None:
                self.fail(f"{where}: {t} without nested-attributes")
            self._pending.append((spec, "nest", at, self._set_name))
            return spec
        if t == "sub-message":
            spec = a("submsg")
            self._pending.append((spec, "submsg", at, self._set_name))
            return spec
        self.fail(f"{where}: type {_show(t)} is not a YNL attribute type")

    def _link(self, spec: Attr, kind: str, at: dict, set_name: str) -> None:
        where = f"attribute {set_name}.{at['name']}"
        if kind == "nest":
            target = self.sets.get(at["nested-attributes"])
            if target is None:
                self.fail(f"{where}: nested-attributes {_show(at['nested-attributes'])} is not defined")
            spec.nested = target
            NESTED_BY_FIELD[spec.field.abbrev] = target
            return
        sub = self.submsgs.get(at.get("sub-message"))
        if sub is None:
            self.fail(f"{where}: sub-message {_show(at.get('sub-message'))} is not defined")
        sel = self._by_yname[set_name].get(at.get("selector"))
        if sel is None:
            self.fail(f"{where}: selector {_show(at.get('selector'))} is not an attribute of the same set")
        spec.selector = sel.name
        choices = {}
        by_suffix = self._suffixes(sel.enum) if sel.enum is not None else {}
        for value, target in sub.items():
            # a format names its selector's enum entry without the enum's prefix
            choices[by_suffix.get(value, value) if isinstance(value, str) else value] = target
        spec.choices = choices
        self.sets[set_name].has_selector = True

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
        """Each sub-message's formats: selector value -> attribute set or fixed header."""
        for sm in self._list(self.doc, "sub-messages", "sub-messages"):
            name = self._str(sm, "name", "a sub-message")
            self.submsgs[name] = {}
            for f in self._list(sm, "formats", f"sub-message {name}"):
                if not isinstance(f, dict) or "value" not in f:
                    self.fail(f"sub-message {name}: a format has no value")
                if f.get("attribute-set"):
                    target = self.sets.get(f["attribute-set"])
                elif f.get("fixed-header"):
                    target = self.structs.get(f["fixed-header"])
                else:
                    continue  # a format with no payload
                if target is None:
                    self.fail(f"sub-message {name}: format {_show(f['value'])} refers to something not defined")
                self.submsgs[name][f["value"]] = target

    # --- operations ---------------------------------------------------------------
    def operations(self) -> tuple[dict, dict]:
        """(request types, reply types): message id -> MessageType."""
        ops = self.doc.get("operations") or {}
        if not isinstance(ops, dict):
            self.fail("operations must be a mapping")
        prefix = ops.get("name-prefix", f"{self.name}-cmd-")
        default_hdr = ops.get("fixed-header")
        directional = ops.get("enum-model") == "directional" or self.doc.get("msg-id-model") == "directional"
        requests: dict[int, MessageType] = {}
        replies: dict[int, MessageType] = {}
        nxt = 1
        for op in self._list(ops, "list", "operations"):
            name = self._str(op, "name", "an operation")
            where = f"operation {name}"
            aset = None
            if op.get("attribute-set") is not None:
                aset = self.sets.get(op["attribute-set"])
                if aset is None:
                    self.fail(f"{where}: attribute-set {_show(op['attribute-set'])} is not defined")
            hdr_name = op.get("fixed-header", default_hdr)
            hdr = None
            if hdr_name is not None:
                hdr = self.structs.get(hdr_name)
                if hdr is None:
                    self.fail(f"{where}: fixed-header {_show(hdr_name)} is not defined")
            cname = c_name(prefix, name)
            kind = kind_from_name(cname)
            if kind not in ("get", "new", "del") and "dump" in op and "do" not in op:
                kind = GET
            mt = MessageType(0, cname, kind, hdr, aset, info=_info)
            if "value" in op:
                nxt = self._int(op["value"], where, 0, 1 << 16)
            modes = [op[m] for m in ("do", "dump") if isinstance(op.get(m), dict)]
            req_v = next((m["request"]["value"] for m in modes if isinstance(m.get("request"), dict)
                          and "value" in m["request"]), None)
            rsp_v = next((m["reply"]["value"] for m in modes if isinstance(m.get("reply"), dict)
                          and "value" in m["reply"]), None)
            if directional or req_v is not None or rsp_v is not None:
                if req_v is not None:
                    requests.setdefault(self._int(req_v, where, 0, 1 << 16), mt)
                if rsp_v is not None:
                    replies.setdefault(self._int(rsp_v, where, 0, 1 << 16), mt)
                if "value" in op or "event" in op or "notify" in op:
                    replies.setdefault(nxt, mt)
                    requests.setdefault(nxt, mt)
            else:
                requests.setdefault(nxt, mt)
                replies.setdefault(nxt, mt)
            nxt += 1
        return requests, replies

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
        requests, replies = self.operations()
        default_set = next(iter(self.sets.values()), None)
        if self.protocol == "netlink-raw":
            num = self.doc.get("protonum")
            if not isinstance(num, int) or not 0 <= num < 32:
                self.fail("netlink-raw spec without a protonum between 0 and 31")
            return SpecProtocol(self, num, requests, replies)
        hdr = (self.doc.get("operations") or {}).get("fixed-header")
        fam = GenlFamily(self.name, self.abbrev, requests, default_set, header=self.structs.get(hdr) if hdr else None,
                         replies=replies if replies != requests else None)
        fam.mcast_groups = self.mcast_groups()
        fam.origin = self.origin
        return fam


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


class SpecProtocol(Protocol):
    """A netlink-raw protocol from a spec; message types it does not name go to the
    protocol registered before it for the same number (a spec may cover part of one)."""

    def __init__(self, loader: _Loader, number: int, requests: dict, replies: dict):
        self.number = number
        self.name = f"netlink protocol {number} ({loader.name})"
        self.label = loader.name
        self.abbrev = loader.abbrev
        self.requests = requests
        self.replies = replies
        self.fallback = PROTOCOLS.get(number)
        self.origin = loader.origin

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
        return self.label

    def type_text(self, mtype, mt, ctx):
        return f"{mt.name} ({mtype})" if mt is not None else f"{mtype:#06x}"

    def dissect(self, buf, off, length, mt, order, ctx, root):
        from .core.dissect import dissect_body
        mtype = struct.unpack_from(order + "H", buf, off + 4)[0]
        if self._mt(buf, off, mtype, order) is None and self.fallback is not None:
            return self.fallback.dissect(buf, off, length, mt, order, ctx, root)
        return dissect_body(buf, off + NLMSG_HDRLEN, off + length, mt, order, root)

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
    """A family object (GenlFamily or SpecProtocol) from a spec's text; not registered."""
    if len(text) > MAX_SPEC_BYTES:
        raise SpecError(f"spec {origin}: larger than {MAX_SPEC_BYTES >> 20} MiB")
    from .core.registry import load_families
    load_families()  # the built-in fields first: a spec field clashing with one is the spec's fault
    doc = _yaml_document(text, origin)
    if not isinstance(doc, dict):
        raise SpecError(f"spec {origin}: not a YNL spec (the top level is not a mapping)")
    try:
        return _Loader(doc, origin).load()
    except SpecError:
        raise
    except (TypeError, KeyError, AttributeError, ValueError, struct.error) as e:
        raise SpecError(f"spec {origin}: cannot be understood ({type(e).__name__}: {_show(str(e))})") from None
    except RecursionError:
        raise SpecError(f"spec {origin}: nested too deeply") from None


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
    """Load and register one spec file; return the family or protocol object."""
    p = Path(path)
    obj = parse_spec(read_spec_text(p), str(p))   # built-ins load first, so the spec replaces them
    if isinstance(obj, GenlFamily):
        register_genl_family(obj, replace=True)
    else:
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


__all__ = ["SpecError", "SpecProtocol", "load_spec", "load_specs", "parse_spec", "GENL_FAMILIES"]
