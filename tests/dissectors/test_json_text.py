"""node_json writes the JSON text itself; it must be exactly what json.dumps makes of to_json()."""
import json

import pytest

from dissectors import FIELDS, Node, node_json
from tests.conftest import CAPTURES, PYROUTE2_PCAP, decode_file


def _reference(node):
    return json.dumps(node.to_json(), separators=(",", ":"), ensure_ascii=False, default=str)


@pytest.mark.parametrize("path", sorted(CAPTURES.glob("*.pcapng")) + [PYROUTE2_PCAP], ids=lambda p: p.name)
def test_every_real_tree_writes_as_json_dumps_would(path):
    msgs = decode_file(path)
    assert msgs
    for m in msgs:
        assert node_json(m.tree) == _reference(m.tree), (m.frame, m.index)


def test_awkward_values():
    f = FIELDS.add("test.json_text.any", "Any \"quoted\" ✓", "bytes")
    kids = [Node(f, v, None, 0) for v in (b"\x00\xff", bytearray(b"\x01"), [b"\x02", 3], (1, 2), 1.5, -7, True,
                                          False, None, "tab\t\"q\" ✓ \u2028", 2 ** 70, object)]
    root = Node(f, None, 0, 4, "shown\n", kids, status="malformed", label=None)
    assert node_json(root) == _reference(root)
    assert json.loads(node_json(root))["children"][0]["value"] == "00ff"
