"""The Info column comes from a shallow, partly folded decode (that is what makes summaries
cheap); it must say exactly what the full tree would make it say, for every real message."""
import pytest

from tests.conftest import CAPTURES, PYROUTE2_PCAP, decode_file

SOURCES = sorted(CAPTURES.glob("*.pcapng")) + [PYROUTE2_PCAP]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_summary_info_equals_full_tree_info(path):
    assert path.exists(), f"missing capture: {path}"
    first = decode_file(path)
    again = decode_file(path)
    checked = 0
    for cheap, full in zip(first, again):
        mt = full.message_type
        if full.malformed or full.type < 0x10 or mt is None or mt.info is None:
            continue
        want = mt.info(full.tree)            # full tree first: the summary path is never taken
        assert cheap.info == want, f"{path.name} {cheap.frame}.{cheap.index} {cheap.type_name}"
        checked += 1
    assert checked > 0
