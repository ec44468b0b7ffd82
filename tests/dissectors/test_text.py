"""format_tree inlines Node.line for speed; every line must still be the node's own line()."""
import pytest

from dissectors import format_tree
from tests.conftest import CAPTURES, PYROUTE2_PCAP, decode_file


def _reference(node, depth=0):
    yield "    " * depth + node.line()
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
