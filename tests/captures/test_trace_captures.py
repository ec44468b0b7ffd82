"""What `nlscope trace --source bpf` captured on real 6.1 and 6.12 kernels (captures/trace-KERNEL/,
recorded by `captures/scenarios/trace.sh each`): each file holds one traced command's
conversation and nothing of the `ip monitor all` and the `ip link show lo` loop that ran beside
it.  tests/vm/test_trace.py holds the same on every CI run, from traces made then."""
import json

import pytest

from nlscope.sources import read_capture
from nlscope.sources.capture import INBOUND, OUTBOUND
from tests.conftest import CAPTURES, decode_file

KERNELS = ["6.1", "6.12"]
EXPECTED = {k: json.loads((CAPTURES / f"trace-{k}" / "expected.json").read_text())["commands"] for k in KERNELS}
CASES = [(k, name) for k in KERNELS for name in sorted(EXPECTED[k])]


def test_both_kernels_recorded_the_same_commands():
    assert EXPECTED["6.1"].keys() == EXPECTED["6.12"].keys()
    assert all(EXPECTED["6.1"][n]["argv"] == EXPECTED["6.12"][n]["argv"] for n in EXPECTED["6.1"])


@pytest.mark.parametrize("kernel,name", CASES)
def test_a_trace_holds_its_commands_processes_only(kernel, name):
    DIR = CAPTURES / f"trace-{kernel}"
    exp = EXPECTED[kernel][name]
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


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_error_names_the_attribute_it_blames(kernel):
    DIR = CAPTURES / f"trace-{kernel}"
    (err,) = [m for m in decode_file(DIR / "link-error.pcapng") if m.type_name == "NLMSG_ERROR" and m.error_code == -34]
    assert "IFLA_GSO_MAX_SIZE" in err.info and "integer out of range" in err.info


@pytest.mark.parametrize("kernel", KERNELS)
def test_a_forking_command_is_two_processes_each_with_its_own_socket(kernel):
    DIR = CAPTURES / f"trace-{kernel}"
    frames = list(read_capture(str(DIR / "fork.pcapng")))
    by_pid = {}
    for fr in frames:
        if fr.direction == INBOUND:
            by_pid.setdefault(fr.delivery.tgid, set()).add(fr.delivery.sender)
    assert len(by_pid) == 2 and all(len(ports) == 1 for ports in by_pid.values())
    assert by_pid[min(by_pid)] != by_pid[max(by_pid)]
