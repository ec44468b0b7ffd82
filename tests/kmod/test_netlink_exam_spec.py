"""kmod/netlink_exam.yaml, the classic example's protocol as a netlink-raw spec, decodes what
the BPF source captured of it on 6.1 and 6.12: the file's text sent, echoed and announced."""
import pytest

from dissectors.ynl import load_spec
from tests.conftest import CAPTURES, ROOT, decode_file
from tests.dissectors.test_ynl import restore_tables  # noqa: F401 (the fixture)
from tests.expect import TEST_VALUES

SPEC = ROOT / "kmod" / "netlink_exam.yaml"


def exam_messages(path):
    return [m for m in decode_file(path) if m.protocol == 17]


@pytest.mark.parametrize("capture", ["bpf.pcapng", "6.12/bpf.pcapng"])
def test_the_spec_decodes_the_captured_round_trip(restore_tables, capture):  # noqa: F811
    load_spec(SPEC)
    msgs = exam_messages(CAPTURES / capture)
    text = TEST_VALUES["classic"]["text"]
    assert [(m.type_name, m.direction) for m in msgs] == [
        ("EXAM_MSG_TEXT", "to kernel"), ("EXAM_MSG_ECHO", "from kernel"), ("EXAM_MSG_ANNOUNCE", "from kernel")]
    for m in msgs:
        assert m.claimed and m.unknown_count() == 0 and m.family == "netlink-exam"
        assert m.tree.find("netlink_exam.exam_text.text").value == text
