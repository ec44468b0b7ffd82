"""The API keeps a frame the reader could not read as netlink apart, in `faults`, instead of
decoding its bytes as netlink."""
import nlscope
from tests.nlscope.test_cli import _with_a_frame_naming_no_interface


def test_a_frame_with_a_fault_is_kept_apart(tmp_path):
    path, raw = _with_a_frame_naming_no_interface(tmp_path)
    cap = nlscope.open(str(path))
    assert [m.frame for m in cap] == [1, 3]
    (fr,) = cap.faults
    assert fr.number == 2 and bytes(fr.data) == raw and "names interface 3" in fr.fault
    from nlscope.api import Capture
    assert cap.context.show_secrets is False and Capture(str(path), show_secrets=True).context.show_secrets
