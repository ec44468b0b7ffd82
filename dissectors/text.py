"""Text rendering of a decoded tree (what `nlscope read -V` prints)."""
from __future__ import annotations

from .model import Node


def format_tree(node: Node, indent: int = 0, step: str = "    ") -> str:
    out: list[str] = []
    _lines(node, indent, step, out)
    return "\n".join(out)


def _lines(node: Node, depth: int, step: str, out: list[str]) -> None:
    stack = [(node, depth)]
    while stack:
        n, d = stack.pop()
        out.append(step * d + n.line())
        if n.children:
            stack.extend((c, d + 1) for c in reversed(n.children))
