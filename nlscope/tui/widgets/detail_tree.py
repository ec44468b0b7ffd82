"""The decoded tree of the selected message; expansion is remembered by field path."""
from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree

from dissectors import Node
from dissectors.text import escape_text

from .filter_bar import route_typing


class DetailTree(Tree):
    BINDINGS = [Binding("ctrl+right,asterisk", "expand_all", "Expand all", show=False),
                Binding("ctrl+left,minus", "collapse_all", "Collapse all", show=False)]

    def __init__(self, **kw):
        super().__init__("no message", **kw)
        self.expanded_paths: set[str] = {"netlink"}
        self.show_root = False
        self.msg = None   # the message shown

    def show_message(self, msg) -> None:
        self.msg = msg
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

    def on_key(self, event) -> None:
        route_typing(self, event)

    def action_expand_all(self) -> None:
        """Every subtree open (Wireshark's Expand All, Ctrl+Right), and remembered so."""
        self.root.expand_all()
        stack = [self.root]
        while stack:
            tn = stack.pop()
            if tn.data and tn.children:
                self.expanded_paths.add(tn.data[1])
            stack.extend(tn.children)

    def action_collapse_all(self) -> None:
        """Every subtree closed but the top ones' list (Collapse All, Ctrl+Left)."""
        self.root.collapse_all()
        self.root.expand()
        self.expanded_paths = set()
