"""The decoded-message model: fields declared once, and the tree of nodes a decode yields.

A `Field` is the one place a fact about a value lives: its dotted filter name
(`netlink.flags.ack`, `rtnl.link.ifname`), its label, its kind and how to show it.
A `Node` is one decoded item of one message: the field it is an instance of, its
value, its display text, its absolute byte offset and length in the frame, and its
children.  The display filters, the JSON export and the TUI's hex highlighting all
read these same nodes.
"""
from __future__ import annotations

from typing import Callable, Iterator

# Kinds of value a field holds (what filters compare and JSON emits).
UINT, INT, BOOL, STRING, BYTES, IPV4, IPV6, MAC, NONE, FLOAT = (
    "uint", "int", "bool", "string", "bytes", "ipv4", "ipv6", "mac", "none", "float")

# Status of a node that is not an ordinary decode.
UNKNOWN, MALFORMED, TRUNCATED = "unknown", "malformed", "truncated"


class Field:
    """A filterable field: declared once, shared by every node that carries it."""

    __slots__ = ("abbrev", "name", "kind", "desc", "fmt")

    def __init__(self, abbrev: str, name: str, kind: str, desc: str = "",
                 fmt: Callable[[object], str] | None = None):
        self.abbrev = abbrev
        self.name = name
        self.kind = kind
        self.desc = desc
        self.fmt = fmt

    def show(self, value) -> str:
        """How a value of this field is shown (its formatter's text, else a default for its kind)."""
        if self.fmt is not None:
            return self.fmt(value)
        if value is None:
            return ""
        if isinstance(value, (bytes, bytearray)):
            return value.hex() if value else "(empty)"
        if isinstance(value, bool):
            return "True" if value else "False"
        return str(value)

    def __repr__(self):
        return f"Field({self.abbrev!r}, {self.kind})"


class FieldRegistry:
    """Every field of every dissector, by filter name (like Wireshark's hf_ table)."""

    def __init__(self):
        self._fields: dict[str, Field] = {}

    def add(self, abbrev: str, name: str, kind: str, desc: str = "", fmt=None) -> Field:
        """Declare a field, or return the identical declaration made before.

        Two dissectors may share a field (an attribute set used in two places); they
        may not give one name two kinds, which would make the filter language ambiguous
        (signed and unsigned integers compare alike, so they may share a name).
        """
        old = self._fields.get(abbrev)
        if old is not None:
            if old.kind != kind and {old.kind, kind} != {INT, UINT}:
                raise ValueError(f"field {abbrev} declared as {old.kind} and as {kind}")
            return old
        f = Field(abbrev, name, kind, desc, fmt)
        self._fields[abbrev] = f
        return f

    def release(self, prefix: str) -> dict[str, Field]:
        """Take the fields named `prefix` or under `prefix.` out of the registry and return
        them, to be declared anew (a spec replacing a family) or put back with `restore`;
        an empty prefix releases every field."""
        fields = self._fields
        if not prefix:
            out = dict(fields)
            fields.clear()
            return out
        under = prefix + "."
        out = {k: f for k, f in fields.items() if k == prefix or k.startswith(under)}
        for k in out:
            del fields[k]
        return out

    def restore(self, saved: dict[str, Field], everything: bool = False) -> None:
        """Put back fields `release` returned: those not declared again since (their new
        declaration stands), or with `everything` all of them, over any new one."""
        fields = self._fields
        for k, f in saved.items():
            if everything:
                fields[k] = f
            else:
                fields.setdefault(k, f)

    def get(self, abbrev: str) -> Field | None:
        return self._fields.get(abbrev)

    def __contains__(self, abbrev: str) -> bool:
        return abbrev in self._fields

    def __iter__(self) -> Iterator[Field]:
        return iter(sorted(self._fields.values(), key=lambda f: f.abbrev))

    def __len__(self):
        return len(self._fields)


FIELDS = FieldRegistry()


class Node:
    """One decoded item: a header field, an attribute, a struct member, a raw tail."""

    __slots__ = ("field", "value", "offset", "length", "text", "children", "status", "label")

    def __init__(self, field: Field, value, offset: int, length: int, text: str | None = None,
                 children: list | None = None, status: str | None = None, label: str | None = None):
        self.field = field
        self.value = value
        self.offset = offset
        self.length = length
        self.text = text
        self.children = children
        self.status = status
        self.label = label

    # --- display -------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The node's display name: its label when it has one, else its field's name."""
        return self.label if self.label is not None else self.field.name

    @property
    def show(self) -> str:
        """The value as shown: the dissector's own text, else the field's formatting of it."""
        return self.text if self.text is not None else self.field.show(self.value)

    def line(self) -> str:
        """`name: value` as one line of the tree (the name alone when there is no value)."""
        s = self.show
        return f"{self.name}: {s}" if s != "" else self.name

    # --- navigation ----------------------------------------------------------------
    def add(self, child: "Node") -> "Node":
        """Append `child` to this node's children and return it."""
        if self.children is None:
            self.children = [child]
        else:
            self.children.append(child)
        return child

    def walk(self) -> Iterator["Node"]:
        """This node and every descendant, depth first, in byte order."""
        stack = [self]
        while stack:
            n = stack.pop()
            yield n
            if n.children:
                stack.extend(reversed(n.children))

    def find(self, key: str) -> "Node | None":
        """This node or the first descendant of a field, by its filter name (`rtnl.link.mtu`)
        or, for an attribute, the kernel's name (`IFLA_MTU`); None when there is none."""
        for n in self.walk():
            f = n.field
            if f.abbrev == key or f.name == key:
                return n
        return None

    def find_all(self, key: str) -> list["Node"]:
        """Every node of a field (by filter name or kernel name), in byte order."""
        return [n for n in self.walk() if n.field.abbrev == key or n.field.name == key]

    def get(self, key: str, default=None):
        """The value of the first node of a field (by filter name or kernel name), or `default`."""
        n = self.find(key)
        return default if n is None else n.value

    def __getitem__(self, key: str):
        """node["IFLA_INFO_KIND"]: the value of the first node of that field; KeyError if none."""
        n = self.find(key)
        if n is None:
            raise KeyError(key)
        return n.value

    def first(self, abbrev: str, default=None):
        """Value of the first node carrying `abbrev`, or `default`."""
        n = self.find(abbrev)
        return default if n is None else n.value

    def path_to(self, offset: int) -> list["Node"]:
        """The chain of nodes from here down to the deepest one that starts at `offset`."""
        chain = [self]
        node = self
        while node.children:
            for c in node.children:
                if c.offset <= offset < c.offset + max(c.length, 1):
                    chain.append(c)
                    node = c
                    break
            else:
                break
        while len(chain) > 1 and chain[-1].offset != offset:
            chain.pop()
        return chain

    # --- export --------------------------------------------------------------------
    def to_json(self) -> dict:
        """The node and its subtree as JSON-ready dicts (bytes as hex), as `-T json` writes them."""
        v = self.value
        if isinstance(v, (bytes, bytearray)):
            v = v.hex()
        elif isinstance(v, (list, tuple)):
            v = [x.hex() if isinstance(x, (bytes, bytearray)) else x for x in v]
        d = {"field": self.field.abbrev, "name": self.name, "value": v, "show": self.show,
             "offset": self.offset, "length": self.length}
        if self.status:
            d["status"] = self.status
        if self.children:
            d["children"] = [c.to_json() for c in self.children]
        return d

    def __repr__(self):
        return f"<Node {self.field.abbrev} @{self.offset}+{self.length} {self.show!r}>"


class ArrayNode(Node):
    """A C array of integers (IFLA_INET6_CONF holds ~60, the ICMPv6 statistics ~40): its
    element nodes are made the first time `children` is read.  The text and JSON writers
    print the elements from `items` without making them — C arrays are over half of the
    nodes of a typical link dump."""

    __slots__ = ("items",)

    def __init__(self, field, offset, length, text, label, items):
        Node.__init__(self, field, None, offset, length, text, None, None, label)
        # (element field, values, labels, texts or None, offset of the first, element size)
        self.items = items

    @property
    def children(self):
        kids = _SLOT_CHILDREN.__get__(self)
        items = self.items
        if items is not None:
            field, values, labels, texts, base, size = items
            kids = [Node(field, v, base + i * size, size, texts[i] if texts is not None else None, None, None, lab)
                    for i, (v, lab) in enumerate(zip(values, labels))]
            _SLOT_CHILDREN.__set__(self, kids)
            self.items = None
        return kids

    @children.setter
    def children(self, kids):
        _SLOT_CHILDREN.__set__(self, kids)
        if kids is not None:
            self.items = None


_SLOT_CHILDREN = Node.__dict__["children"]
