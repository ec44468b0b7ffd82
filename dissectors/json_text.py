"""A decoded tree as JSON text, written directly (what `nlscope read -T json` prints).

The same text as `json.dumps(node.to_json(), separators=(",", ":"), ensure_ascii=False,
default=str)`, without building a dict per node first: -T json prints about a hundred
nodes a message, and the dicts cost more than the decoding.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring as _string

from .model import ArrayNode, Node

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode
_FIELD_TEXT: dict = {}


def _scalar(v) -> str:
    t = type(v)
    if t is int:
        return int.__repr__(v)
    if t is str:
        return _string(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if t is bytes or t is bytearray:
        return '"' + v.hex() + '"'
    if t is list or t is tuple:
        v = [x.hex() if isinstance(x, (bytes, bytearray)) else x for x in v]
    return _dumps(v)   # floats, subclasses, anything else: the library's own rules


def node_json(node: Node) -> str:
    """The JSON text of `node` and its subtree, written directly: the same text as
    json.dumps(node.to_json(), separators=(",", ":"), ensure_ascii=False), without building the dicts."""
    out: list[str] = []
    _emit((node,), out.append)
    return "".join(out)


def _prefix(f, label) -> str:
    """'{"field":…,"name":…,"value":' for a field under a label, kept per field (at most 256
    labels each: a hostile capture can make any number of them)."""
    by_label = _FIELD_TEXT.get(f)
    if by_label is None:
        by_label = _FIELD_TEXT[f] = {}
    text = by_label.get(label)
    if text is None:
        text = '{"field":' + _string(f.abbrev) + ',"name":' + _string(f.name if label is None else label) + ',"value":'
        if len(by_label) < 256:
            by_label[label] = text
    return text


def _emit(nodes, put) -> None:
    """Each node as its JSON object: one string for its own members, then its children."""
    sep = ""
    for n in nodes:
        f = n.field
        by_label = _FIELD_TEXT.get(f)
        head = by_label.get(n.label) if by_label is not None else None
        if head is None:
            head = _prefix(f, n.label)
        v = n.value
        t = type(v)
        s = n.text
        if t is int:
            value = int.__repr__(v)
            show = _string(s) if s is not None else (_string(f.fmt(v)) if f.fmt is not None else f'"{value}"')
        else:
            if t is str:
                value = _string(v)
            elif v is None:
                value = "null"
            else:
                value = _scalar(v)
            show = _string(s if s is not None else f.show(v))
        off, ln = n.offset, n.length
        put(f'{sep}{head}{value},"show":{show},'
            f'"offset":{off if type(off) is int else _scalar(off)},"length":{ln if type(ln) is int else _scalar(ln)}')
        if n.status:
            put(',"status":' + _scalar(n.status))
        if type(n) is ArrayNode and n.items is not None:
            _emit_array(n.items, put)
        else:
            kids = n.children
            if kids:
                put(',"children":[')
                _emit(kids, put)
                put("]}")
            else:
                put("}")
        sep = ","


def _emit_array(items, put) -> None:
    """A C array's elements, from its values (no node made for each); as _emit would."""
    field, values, labels, texts, base, size = items
    if not values:
        put("}")
        return
    fmt = field.fmt
    parts = []
    for i, v in enumerate(values):
        s = texts[i] if texts is not None and texts[i] is not None else (fmt(v) if fmt is not None else int.__repr__(v))
        parts.append(f'{_prefix(field, labels[i])}{int.__repr__(v)},"show":{_string(s)},'
                     f'"offset":{base + i * size},"length":{size}}}')
    put(',"children":[' + ",".join(parts) + "]}")
