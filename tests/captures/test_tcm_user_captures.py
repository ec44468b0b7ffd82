"""captures/tcm-user.pcapng (6.1) and captures/6.12/tcm-user.pcapng against what tcmu-runner
logged in the same run (tcm-user.log): each event the daemon handled ("handle_netlink: cmd N"),
in order, is a kernel multicast of that command, and each backstore the daemon opened ("dev_added
... qcow/disk1: Got block_size 512, size in bytes N") or failed to open is answered with its
status; every message of the family decodes whole."""
from __future__ import annotations

import re

import pytest

from tests.conftest import KERNEL_CAPTURES as KERNELS, decode_file
from tests.expect import check_claimed_whole

HANDLED = re.compile(r"handle_netlink:\d+: cmd (\d+)\.")
OPENED = re.compile(r"dev_added:\d+ (\w+)/(\w+): Got block_size \d+, size in bytes (\d+)")


@pytest.fixture(scope="module", params=list(KERNELS))
def run(request):
    d = KERNELS[request.param]
    return [m for m in decode_file(d / "tcm-user.pcapng") if m.family == "TCM-USER"], (d / "tcm-user.log").read_text()


def test_each_event_the_daemon_handled_is_a_kernel_multicast_of_that_command(run):
    msgs, log = run
    events = [m for m in msgs if m.direction == "from kernel" and m.pid == 0]
    handled = [int(n) for n in HANDLED.findall(log)]
    # 4 added, 3 reconfigured, 3 removed (missing0 was never enabled: no REMOVED_DEVICE)
    assert len(handled) == 10 and [m.tree.first("genl.cmd") for m in events] == handled
    check_claimed_whole(msgs)


def test_each_backstore_opened_is_named_and_answered(run):
    msgs, log = run
    opened = OPENED.findall(log)
    assert [name for _, name, _ in opened] == ["disk1", "disk0", "cd0", "missing0"]
    added = [m for m in msgs if m.type_name == "TCMU_CMD_ADDED_DEVICE"]
    done = [m for m in msgs if m.type_name == "TCMU_CMD_ADDED_DEVICE_DONE"]
    for (handler, name, _size), ev, ans in zip(opened, added, done, strict=True):
        assert ev.tree.first("tcmu.device").split("/")[2:4] == [name, handler]
        assert ans.tree.first("tcmu.device_id") == ev.tree.first("tcmu.device_id")
        # the image that does not exist: the daemon's handler open failed with ENOENT
        assert ans.tree.first("tcmu.cmd_status") == (-2 if name == "missing0" else 0)
