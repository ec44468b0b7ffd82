from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PYROUTE2_PCAP = CORPUS / "peer" / "pyroute2-nl0.pcap"
CAPTURES = ROOT / "captures"


def decode_file(path, genl=None):
    """All messages of a capture, decoded with one context, as the CLI does."""
    from dissectors import Context
    from nlscope.messages import messages
    from nlscope.sources import read_capture
    return list(messages(read_capture(str(path)), Context(genl)))


@pytest.fixture(scope="session")
def pyroute2_msgs():
    assert PYROUTE2_PCAP.exists(), f"the shared corpus is missing: {PYROUTE2_PCAP}"
    return decode_file(PYROUTE2_PCAP)
