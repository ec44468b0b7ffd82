"""Text rendering of a decoded tree (what `nlscope read -V` prints)."""
from __future__ import annotations

from .model import ArrayNode, Node


def format_tree(node: Node, indent: int = 0, step: str = "    ") -> str:
    out: list[str] = []
    _lines(node, indent, step, out)
    return "\n".join(out)


def _lines(node: Node, depth: int, step: str, out: list[str]) -> None:
    _emit((node,), step * depth, step, out.append)


def _emit(nodes, ind: str, step: str, put) -> None:
    """Node.line() for each node and its descendants, inlined: -V prints ~100 lines a message."""
    for n in nodes:
        name = n.label if n.label is not None else n.field.name
        s = n.text
        if s is None:
            v = n.value
            f = n.field
            if f.fmt is not None:
                s = f.fmt(v)
            elif type(v) is int:
                s = str(v)
            elif type(v) is str:
                s = v
            else:
                s = f.show(v)
        put(f"{ind}{name}: {s}" if s != "" else ind + name)
        if type(n) is ArrayNode and n.items is not None:
            _emit_array(n.items, ind + step, put)
        elif n.children:
            _emit(n.children, ind + step, step, put)


def _emit_array(items, ind: str, put) -> None:
    """The lines of a C array's elements, from its values (no node made for each)."""
    field, values, labels, texts, _, _ = items
    fmt = field.fmt
    for i, v in enumerate(values):
        s = texts[i] if texts is not None and texts[i] is not None else (fmt(v) if fmt is not None else str(v))
        put(f"{ind}{labels[i]}: {s}" if s != "" else ind + labels[i])
