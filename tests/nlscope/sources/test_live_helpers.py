"""Pieces of live capture that work without nlmon: genl ids from the running kernel,
process lookup of a socket we hold, interface checks."""
import os
import socket

import pytest

from nlscope.sources.capture import CaptureError
from nlscope.sources.genl_ids import KernelGenlIds
from nlscope.sources.nlmon import check_capture_interface, interface_type
from nlscope.sources.procs import Process, ProcessTable


def test_genl_ids_from_the_running_kernel():
    ids = KernelGenlIds()
    assert ids(0x10) == "nlctrl"
    assert ids.names and all(isinstance(k, int) and v for k, v in ids.names.items())
    assert ids(0x3FF) is None  # not allocated: asked once, then remembered as unknown
    assert ids.own_portids  # its socket is known, so a capture can leave its traffic out


def test_context_asks_the_resolver_for_unseen_ids():
    import dissectors
    ids = KernelGenlIds()
    ctx = dissectors.Context(resolver=ids)
    some_id, some_name = next((k, v) for k, v in (ids.refresh() or ids.names).items() if k != 0x10)
    assert ctx.genl_name(some_id) == some_name


def test_process_of_a_socket_we_hold():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.bind((0, 0))
    table = ProcessTable()
    p = table.lookup(0, s.getsockname()[0])
    assert p is not None and p.pid == os.getpid() and table.found == 1
    assert Process.from_comment(p.comment()).comm == p.comm
    s.close()
    assert table.lookup(0, 0) is None


def test_interface_checks():
    assert interface_type("lo") == 772 and interface_type("nosuch0") is None
    with pytest.raises(CaptureError, match="not an nlmon interface"):
        check_capture_interface("lo")
