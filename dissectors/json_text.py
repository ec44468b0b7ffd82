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
    _emit(node, out.append)
    return "".join(out)


def _emit(n: Node, put) -> None:
    f = n.field
    head = _FIELD_TEXT.get(f)
    if head is None:
        head = _FIELD_TEXT[f] = '{"field":' + _string(f.abbrev) + ',"name":'
    put(head)
    put(_string(n.label if n.label is not None else f.name))
    put(',"value":')
    put(_scalar(n.value))
    put(',"show":')
    put(_string(n.show))
    put(',"offset":')
    put(_scalar(n.offset))
    put(',"length":')
    put(_scalar(n.length))
    if n.status:
        put(',"status":')
        put(_scalar(n.status))
    kids = n.children
    if kids:
        put(',"children":[')
        first = True
        for c in kids:
            if not first:
                put(",")
            first = False
            _emit(c, put)
        put("]")
    put("}")
