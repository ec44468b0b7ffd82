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
