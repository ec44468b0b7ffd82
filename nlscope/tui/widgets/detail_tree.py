"""The decoded tree of the selected message; expansion is remembered by field path."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree

from dissectors import Node
from dissectors.text import escape_text


class DetailTree(Tree):
    def __init__(self, **kw):
        super().__init__("no message", **kw)
        self.expanded_paths: set[str] = {"netlink"}
        self.show_root = False

    def show_message(self, msg) -> None:
        self.clear()
        self.root.set_label(Text(f"Message {msg.frame}.{msg.index}"))
        self._add(self.root, msg.tree, "")
        self.root.expand()

    def _add(self, parent, node: Node, path: str) -> None:
        key = f"{path}/{node.field.abbrev}:{node.label or ''}"
        line = node.line()
        # a Text, not markup: "[malformed]" is a marker to show and a captured "[/x]" a name
        label = Text((f"[{node.status}] " if node.status else "") + (line if line.isprintable() else escape_text(line)))
        if node.children:
            t = parent.add(label, data=(node, key), expand=(key in self.expanded_paths or path == ""))
            for c in node.children:
                self._add(t, c, key)
        else:
            parent.add_leaf(label, data=(node, key))

    def on_tree_node_expanded(self, event) -> None:
        if event.node.data:
            self.expanded_paths.add(event.node.data[1])

    def on_tree_node_collapsed(self, event) -> None:
        if event.node.data:
            self.expanded_paths.discard(event.node.data[1])

    def select_offset(self, offset: int) -> None:
        """Move the cursor to the deepest node covering byte `offset` of the frame."""
        best = None
        stack = [self.root]
        while stack:
            tn = stack.pop()
            if tn.data:
                n = tn.data[0]
                if n.offset <= offset < n.offset + max(n.length, 1):
                    best = tn
            stack.extend(tn.children)
        if best is not None:
            folded = False
            p = best.parent
            while p is not None:
                folded = folded or not p.is_expanded
                p.expand()
                p = p.parent
            if folded:   # the nodes just unfolded get their lines on the next refresh
                self.call_after_refresh(self.move_cursor, best)
            else:
                self.move_cursor(best)
