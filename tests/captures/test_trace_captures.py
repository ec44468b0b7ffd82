"""What `nlscope trace --source bpf` captured on a real 6.1 kernel (captures/trace-6.1/): each
file holds one traced command's conversation and nothing of the `ip monitor all` and the
`ip link show lo` loop that ran beside it (captures/scenarios/trace.sh)."""
import json

import pytest

from nlscope.sources import read_capture
from nlscope.sources.capture import INBOUND, OUTBOUND
from tests.conftest import CAPTURES, decode_file

DIR = CAPTURES / "trace-6.1"
EXPECTED = json.loads((DIR / "expected.json").read_text())["commands"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_trace_holds_its_commands_processes_only(name):
    exp = EXPECTED[name]
    frames = list(read_capture(str(DIR / f"{name}.pcapng")))
    assert frames and all(fr.delivery is not None for fr in frames)
    # no multicast copy: the monitor's groups got the notifications, the traced command none
    assert all(fr.delivery.group == 0 for fr in frames)
    assert {fr.delivery.comm for fr in frames} == set(exp["comms"])
    assert len({fr.delivery.tgid for fr in frames}) == exp["processes"]
    for fr in frames:   # to the kernel from the process's socket, back to that socket
        port = fr.delivery.sender if fr.direction == INBOUND else fr.delivery.receiver
        assert fr.direction in (INBOUND, OUTBOUND) and port != 0
    msgs = decode_file(DIR / f"{name}.pcapng")
    assert all(m.direction == ("to kernel" if frames[m.frame - 1].direction == INBOUND else "from kernel")
               for m in msgs)


def test_the_error_names_the_attribute_it_blames():
    (err,) = [m for m in decode_file(DIR / "link-error.pcapng") if m.type_name == "NLMSG_ERROR" and m.error_code == -34]
    assert "IFLA_GSO_MAX_SIZE" in err.info and "integer out of range" in err.info


def test_a_forking_command_is_two_processes_each_with_its_own_socket():
    frames = list(read_capture(str(DIR / "fork.pcapng")))
    by_pid = {}
    for fr in frames:
        if fr.direction == INBOUND:
            by_pid.setdefault(fr.delivery.tgid, set()).add(fr.delivery.sender)
    assert len(by_pid) == 2 and all(len(ports) == 1 for ports in by_pid.values())
    assert by_pid[min(by_pid)] != by_pid[max(by_pid)]
