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


def test_watcher_names_a_process_that_exited_before_its_lookup():
    """The race `nft` used to win: a process opens a netlink socket, uses it and exits before
    the capture reads its frames.  The watcher has traced the socket when it appeared."""
    import subprocess
    import sys
    import time
    child = ("import socket, sys, time\n"
             "s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); s.bind((0, 0))\n"
             "print(s.getsockname()[0], flush=True); time.sleep(0.3)\n")
    table = ProcessTable()
    assert table.watch(interval=0.005)
    try:
        p = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
        portid = int(p.stdout.readline())
        p.wait()
        time.sleep(0.05)
        found = table.lookup(0, portid)
        assert found is not None and found.pid == p.pid, found
        # the same without a watcher: the socket is gone, so is its owner
        bare = ProcessTable()
        q = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
        gone_port = int(q.stdout.readline())
        q.wait()
        assert bare.lookup(0, gone_port) is None and bare.gone == 1
    finally:
        table.close()
    assert table._watcher is None


def test_the_watcher_waits_longer_the_more_a_scan_costs(monkeypatch):
    """Watching takes at most 1/WATCH_SHARE of a CPU: on a machine where reading the socket
    table costs 40 ms (as under emulation, scaled), the next scan comes 400 ms later, not 5 ms;
    a table that has not changed is not parsed again."""
    import nlscope.sources.procs as procs
    clock = iter(x * 0.04 for x in range(100))
    monkeypatch.setattr(procs.time, "thread_time", lambda: next(clock))
    parsed = []
    real_parse = ProcessTable._proc_net_netlink
    monkeypatch.setattr(ProcessTable, "_proc_net_netlink",
                        staticmethod(lambda text=None: parsed.append(1) or real_parse(text)))
    import io
    table_text = open("/proc/net/netlink", "rb").read()   # the same rows at every read
    monkeypatch.setattr(procs, "open", lambda path, mode="r": io.BytesIO(table_text), raising=False)
    waits = []

    class Stop:   # records each wait; stops the loop after four
        def wait(self, seconds):
            waits.append(seconds)
            return len(waits) > 4
    table = ProcessTable()
    table._stop = Stop()
    table._watch(0.005)
    assert waits[0] == 0.005
    assert waits[1:] == [pytest.approx(0.04 * procs.WATCH_SHARE)] * 4
    # read four times, parsed once: the rows did not change
    assert len(parsed) == 1


def test_an_interface_being_unregistered_has_no_type(monkeypatch):
    """Its sysfs 'type' file is still there while `ip link del` runs, but reading it fails with
    EINVAL: that raised out of the capture (a VM run) instead of 'nlmon1 was deleted'."""
    import builtins
    import errno
    from nlscope.sources import nlmon

    class Dying:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            raise OSError(errno.EINVAL, "Invalid argument")
    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda path, *a, **k: Dying() if str(path).startswith("/sys/class/net/")
                        else real_open(path, *a, **k))
    assert nlmon.interface_type("nlmon1") is None


def test_the_process_table_stays_bounded_and_right_as_sockets_come_and_go():
    """A capture of days sees millions of short-lived sockets: the table keeps at most
    max_sockets of them (the oldest traced go), forgets misses whose retry time has passed,
    and a socket it let go is named again when its messages come."""
    socks = []
    try:
        for _ in range(40):
            s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
            s.bind((0, 0))
            socks.append(s)
        table = ProcessTable(retry_after=0.0, max_sockets=16)
        ports = [s.getsockname()[0] for s in socks]
        for port in ports:
            p = table.lookup(0, port)
            assert p is not None and p.pid == os.getpid(), port
            assert len(table.cache) <= 16
        # each lookup traced every socket of this process: the latest 16 are what stays
        assert table.lookup(0, ports[0]).pid == os.getpid() and len(table.cache) <= 16
        for n in range(100):
            assert table.lookup(0, 0x7FFF0000 + n) is None   # no such socket: missed
        assert len(table._missed) <= 16 and table.gone == 100
        assert len(table._named) <= 16
    finally:
        for s in socks:
            s.close()
