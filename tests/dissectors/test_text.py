"""format_tree inlines Node.line for speed; every line must still be the node's own line()
(escaped for a terminal); escape_text leaves no control character in what it returns."""
import pytest

from dissectors import format_tree
from dissectors.text import escape_text
from tests.conftest import CAPTURES, PYROUTE2_PCAP, decode_file


def _reference(node, depth=0):
    yield escape_text("    " * depth + node.line())
    for c in node.children or ():
        yield from _reference(c, depth + 1)


@pytest.mark.parametrize("path", sorted(CAPTURES.glob("*.pcapng")) + [PYROUTE2_PCAP], ids=lambda p: p.name)
def test_every_real_tree_prints_as_its_nodes_lines(path):
    msgs = decode_file(path)
    assert msgs
    for m in msgs:
        assert format_tree(m.tree).split("\n") == list(_reference(m.tree)), (m.frame, m.index)


def test_c_arrays_print_without_making_their_element_nodes():
    """The printer reads a C array's values (ArrayNode.items); its element nodes are made
    only when something walks the tree — and then they print the same lines."""
    from dissectors.model import ArrayNode
    msgs = decode_file(CAPTURES / "rtnl-deep.pcapng")
    pending = 0
    for m in msgs:
        stack = [m.tree]
        while stack:
            n = stack.pop()
            if type(n) is ArrayNode:
                pending += n.items is not None
                continue  # reading children would make them
            stack.extend(n.children or ())
        text = format_tree(m.tree)
        arrays = [n for n in m.tree.walk() if type(n) is ArrayNode]
        assert all(n.items is None for n in arrays)  # walked: made
        assert format_tree(m.tree) == text
    assert pending > 50


def test_escape_text_leaves_nothing_a_terminal_acts_on():
    assert escape_text("ev\x1b[31mil\nforged") == "ev\\e[31mil\\nforged"
    assert escape_text("\0abstract\a\b\t\v\f\r") == "\\0abstract\\a\\b\\t\\v\\f\\r"
    assert escape_text("\x7f\x9b2J\u202egnp.exe\u2028\U000e0001\udcff") == "\\x7f\\x9b2J\\u202egnp.exe\\u2028\\U000e0001\\xff"
    plain = "dümmy0 → eth0 \\x41 'quoted'"  # printable text, backslashes included, is returned as it is
    assert escape_text(plain) is plain
    every = "".join(map(chr, range(0x3000))) + "\U000e0001\U0010ffff"
    once = escape_text(every)
    assert once.isprintable() and escape_text(once) == once


def test_a_node_text_cannot_forge_a_line_or_recolour_the_screen():
    """A captured string holding a newline, ESC or BEL prints on its node's own line, escaped."""
    from dissectors import FIELDS, Node
    f = FIELDS.add("test.text.name", "Name", "string")
    root = Node(f, None, 0, 8, "root", [Node(f, "ev\x1b[31mil\nforged", 0, 4), Node(f, "ok", 4, 4, "bell\a")])
    lines = format_tree(root).split("\n")
    assert lines == ["Name: root", "    Name: ev\\e[31mil\\nforged", "    Name: bell\\a"]
