"""A decoded tree as JSON text, written directly (what `nlscope read -T json` prints).

The same text as `json.dumps(node.to_json(), separators=(",", ":"), ensure_ascii=False,
default=str)`, without building a dict per node first: -T json prints about a hundred
nodes a message, and the dicts cost more than the decoding.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring as _string

from .model import Node

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
    out: list[str] = []
    _emit((node,), out.append)
    return "".join(out)


def _emit(nodes, put) -> None:
    """Each node as its JSON object: one string for its own members, then its children."""
    sep = ""
    for n in nodes:
        f = n.field
        head = _FIELD_TEXT.get(f)
        if head is None:
            head = _FIELD_TEXT[f] = ('{"field":' + _string(f.abbrev) + ',"name":', _string(f.name))
        v = n.value
        t = type(v)
        if t is int:
            value = int.__repr__(v)
        elif t is str:
            value = _string(v)
        elif v is None:
            value = "null"
        else:
            value = _scalar(v)
        s = n.text
        if s is None:
            s = f.show(v) if f.fmt is not None or t is not int else int.__repr__(v)
        label = n.label
        off, ln = n.offset, n.length
        put(f'{sep}{head[0]}{head[1] if label is None else _string(label)},"value":{value},"show":{_string(s)},'
            f'"offset":{off if type(off) is int else _scalar(off)},"length":{ln if type(ln) is int else _scalar(ln)}')
        if n.status:
            put(',"status":' + _scalar(n.status))
        kids = n.children
        if kids:
            put(',"children":[')
            _emit(kids, put)
            put("]}")
        else:
            put("}")
        sep = ","
