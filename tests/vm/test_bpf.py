"""The BPF source in a real kernel (captures/scenarios/bpf.sh, one bcc load per kernel): what
nlmon sees comes out byte for byte the same, and what it cannot see — uevent, audit, the
proc connector, the private protocol 17 — comes out once per delivery, agreeing with what
the programs that sent or received it printed; drops are counted exactly, short-lived
senders named.  Every test runs once per kernel (tests/vm/conftest.py)."""
import re
from collections import Counter

import pytest

from nlscope.sources import read_capture
from nlscope.sources.capture import INBOUND, OUTBOUND
from tests.conftest import decode_file
from tests.dissectors.test_ynl import restore_tables  # noqa: F401 (the fixture)
from tests.expect import TEST_VALUES

pytestmark = pytest.mark.vm
# the protocols nlmon taps (net/netlink/af_netlink.c netlink_filter_tap)
NLMON_PROTOCOLS = {0, 2, 4, 5, 6, 10, 12, 16}
CLOSING = re.compile(r"nlscope: (\d+) frames captured through BPF; the probes saw (\d+) skbs and dropped (\d+)")
AUDIT_REPLACE = 1329    # the kernel asking a (new) audit daemon whether it is alive: not through kauditd


def _window(bpf_frames, nlmon_frames):
    """The BPF frames of nlmon's protocols taken while tcpdump ran, as (protocol, bytes): from
    the BPF frame that is nlmon's first to the one that is its last (of equal bytes, the one
    nearest in time).  The taps' clocks are read at different points of one skb's path, 2 ms
    and more apart under emulation, so a time window alone cuts a frame off at either end."""
    def nearest(target):
        same = [i for i, f in enumerate(bpf_frames) if f.protocol == target.protocol and f.data == target.data]
        assert same, "a frame nlmon saw is not in the BPF capture"
        return min(same, key=lambda i: abs(bpf_frames[i].ts_ns - target.ts_ns))
    first, last = nearest(nlmon_frames[0]), nearest(nlmon_frames[-1])
    return [(f.protocol, f.data) for f in bpf_frames[first:last + 1] if f.protocol in NLMON_PROTOCOLS]


def check_route_bytes(out):
    nlmon = list(read_capture(str(out / "bpf.pcap")))
    bpf = list(read_capture(str(out / "bpf.pcapng")))
    assert nlmon and bpf
    ours, theirs = Counter(_window(bpf, nlmon)), Counter((f.protocol, f.data) for f in nlmon)
    assert ours == theirs, (len(ours), len(theirs))
    return sum(theirs.values())


def check_once_per_delivery(out):
    frames = list(read_capture(str(out / "bpf.pcapng")))
    assert all(f.delivery is not None and f.direction in (INBOUND, OUTBOUND) for f in frames)
    keys = Counter((f.protocol, f.direction, f.delivery.sender, f.delivery.receiver, f.delivery.group,
                    f.delivery.tid, f.data) for f in frames)
    assert not [k for k, n in keys.items() if n > 1], "a delivery recorded twice"
    seen = {f.protocol for f in frames}
    assert {0, 7, 9, 11, 15, 17} <= seen, seen
    return frames


def check_uevent(out, msgs):
    """Each kernel uevent udevadm monitor printed came once to each group-1 listener; each
    udevd message it printed (group 2, libudev's) is there too."""
    log = (out / "bpf.udevadm.log").read_text()
    kernel = re.findall(r"^KERNEL\[[\d.]+\] (\w+)\s+(\S+) \((\w+)\)", log, re.M)
    assert ("add", "/devices/virtual/net/bpf1", "net") in kernel and ("change", "/devices/virtual/net/lo", "net") \
        in kernel, log
    ev = [m for m in msgs if m.protocol == 15]
    assert ev and all(m.claimed and m.unknown_count() == 0 for m in ev)
    by_seq: dict = {}
    for m in ev:
        if m.tree.find("uevent.header") is not None:   # the kernel's own, to group 1
            assert m.direction == "from kernel" and " sender=0 " in m.comment
            by_seq.setdefault(m.tree.find("uevent.seqnum").value, []).append(m)
    for action, devpath, _subsystem in kernel:
        got = [ms for ms in by_seq.values() if ms[0].tree.find("uevent.action").value == action
               and ms[0].tree.find("uevent.devpath").value == devpath]
        assert len(got) == 1, (action, devpath, len(got))
    for ms in by_seq.values():
        receivers = [m.comment for m in ms]
        assert len(receivers) == len(set(receivers))
    udev = re.findall(r"^UDEV\s+\[[\d.]+\] (\w+)\s+(\S+) \((\w+)\)", log, re.M)
    libudev = {(m.tree.find("uevent.action").value, m.tree.find("uevent.devpath").value) for m in ev
               if m.tree.find("uevent.libudev") is not None}
    assert {(a, d) for a, d, _ in udev} <= libudev, (udev, libudev)
    return len(kernel), len(udev)


def check_audit(out, msgs):
    """auditctl's requests and the kernel's answers; every record the stand-in daemon read,
    unicast (nlmsg_len 16 short of the skb: the skb's length is the message's) or multicast."""
    audit = [m for m in msgs if m.protocol == 9]
    assert not [m for m in audit if m.malformed]
    sent = {m.type_name for m in audit if m.direction == "to kernel" and m.process.comm == "auditctl"}
    assert {"AUDIT_GET", "AUDIT_SET", "AUDIT_LIST_RULES", "AUDIT_ADD_RULE", "AUDIT_DEL_RULE"} <= sent, sent
    rule = next(m for m in audit if m.type_name == "AUDIT_ADD_RULE")
    assert rule.tree.find("audit.rule.key").value == "nlscope-bpf"
    status = [m for m in audit if m.type_name == "AUDIT_GET" and m.direction == "from kernel"]
    assert status and status[0].tree.find("audit.status.enabled") is not None
    log = (out / "bpf.auditd.log").read_text()
    printed = re.findall(r"^(unicast|multicast) type=(\d+) nlmsg_len=(\d+) bytes=(\d+) (.*)$", log, re.M)
    assert any(w == "unicast" for w, *_ in printed) and any(w == "multicast" for w, *_ in printed), log
    records = [m for m in audit if m.direction == "from kernel" and m.type >= 1100]
    for way, mtype, nlmsg_len, size, text in printed:
        if way == "unicast" and int(mtype) != AUDIT_REPLACE:   # kauditd's (audit_replace() writes its own)
            assert int(nlmsg_len) == int(size) - 16, "the quirk is gone: update the issue's facts"
        match = [m for m in records if m.type == int(mtype) and m.length == int(size)
                 and bytes(m.buf[m.offset + 16:m.offset + m.length]).rstrip(b"\0").decode(errors="replace") == text]
        assert match, (way, mtype, text)
    return len(printed)


def check_connector(out, msgs):
    """The listener's events, in order, are the proc events the capture delivered to it."""
    log = (out / "bpf.cnproc.log").read_text()
    printed = re.findall(r"^event what=(0x[0-9a-f]+) pid=(\d+)(?: exit_code=(\d+))?$", log, re.M)
    assert "done" in log and printed, log
    assert any(what == "0x80000000" and code == "768" for what, _pid, code in printed), printed   # exit 3
    events = [m for m in msgs if m.protocol == 11 and m.direction == "from kernel"
              and m.tree.find("connector.proc.what") is not None]
    listener = Counter(m.comment.split(" receiver=")[1].split()[0] for m in events).most_common(1)[0][0]
    mine = [m for m in events if f" receiver={listener} " in m.comment]
    assert [int(w, 16) for w, *_ in printed] == [m.tree.find("connector.proc.what").value for m in mine]
    assert all(m.claimed and m.unknown_count() == 0 for m in mine)
    return len(mine)


def check_protocol_17(out, frames):
    """The article's example on its own protocol: the text sent, echoed and announced, as the
    programs printed and /proc/netlink_exam_buffer holds."""
    text = TEST_VALUES["classic"]["text"].encode()
    p17 = [f for f in frames if f.protocol == 17]
    sends = [f for f in p17 if f.direction == INBOUND and f.data[16:16 + len(text)] == text]
    assert len(sends) == 1
    sender = sends[0].delivery.sender
    echo = [f for f in p17 if f.direction == OUTBOUND and f.delivery.receiver == sender and f.delivery.group == 0]
    announce = [f for f in p17 if f.direction == OUTBOUND and f.delivery.group == 1]
    assert len(echo) == 1 and echo[0].data[16:16 + len(text)] == text and echo[0].data[4:6] == b"\x11\0"
    assert len(announce) == 1 and announce[0].data[16:16 + len(text)] == text and announce[0].data[4:6] == b"\x12\0"
    recv = (out / "bpf.exam_recv.log").read_text()
    assert "announce type 0x12" in recv and repr(text.decode()) in recv
    assert text.decode() in (out / "bpf.log").read_text()   # the proc buffer, printed
    assert sends[0].delivery.comm.startswith("python")


def check_selinux(out, msgs):
    """The minimal policy loaded, enforcing and back: the listener on SELNLGRP_AVC got the
    kernel's SELNL_MSG_POLICYLOAD and two SELNL_MSG_SETENFORCE, which the capture delivered
    to it, decoded whole."""
    log = (out / "bpf.log").read_text()
    assert "policy load rc=0" in log and "enforcing rc=0 enforce=1" in log and "permissive rc=0 enforce=0" in log, log
    printed = [(int(t, 16), int(v)) for t, _, v in re.findall(r"^type=(0x[0-9a-f]+) len=(\d+) value=(-?\d+)$",
                                                              (out / "bpf.selinux.log").read_text(), re.M)]
    # the first policy of the boot: seqno 1 (security/selinux/ss/services.c latest_granting)
    assert printed == [(0x11, 1), (0x10, 1), (0x10, 0)], printed
    sel = [m for m in msgs if m.protocol == 7]
    assert sel and all(m.direction == "from kernel" and " group=1 " in m.comment for m in sel)
    listener = Counter(m.comment.split(" receiver=")[1].split()[0] for m in sel).most_common(1)[0][0]
    mine = [m for m in sel if f" receiver={listener} " in m.comment]
    got = [(m.type, m.tree.first("selinux.policyload.seqno" if m.type == 0x11 else "selinux.setenforce.val"))
           for m in mine]
    assert got == printed
    assert all(m.claimed and m.unknown_count() == 0 and not m.malformed for m in mine)
    assert [m.type_name for m in mine] == ["SELNL_MSG_POLICYLOAD", "SELNL_MSG_SETENFORCE", "SELNL_MSG_SETENFORCE"]
    assert [m.info for m in mine] == ["policy loaded, seqno 1", "setenforce 1 (enforcing)", "setenforce 0 (permissive)"]
    return len(mine)


def check_counts_and_processes(out, frames):
    """The closing line's counts are exact: frames written = skbs seen - dropped; every frame
    sent to the kernel in the ROUTE part names the short-lived `ip` that sent it."""
    log = (out / "bpf-stop.log").read_text()
    m = CLOSING.search(log)
    assert m and "split rc=0" in log, log
    written, seen, dropped = map(int, m.groups())
    assert written == seen - dropped
    split = re.search(r"split: (\d+) frames in bpf.pcapng, (\d+) in burst.bpf.pcapng", log)
    assert split and int(split.group(1)) + int(split.group(2)) == written, log
    assert len(frames) == int(split.group(1))
    route = [f for f in frames if f.protocol == 0 and f.direction == INBOUND]
    assert route and {f.delivery.comm for f in route if f.delivery.tgid} >= {"ip"}
    ips = {f.delivery.tgid for f in route if f.delivery.comm == "ip"}
    assert len(ips) >= 6   # one process per `ip` command of the ROUTE part (and the uevent part's)
    return written, seen, dropped


def check_burst(out, kernel_routes: int):
    """The burst beside nlmon: exact counts on both sides; with no drop on either, the same
    route frames byte for byte."""
    import nlscope  # noqa: F401 (the package, as the other VM tests use it)
    nlmon_log = (out / "burst.log").read_text()
    m = re.search(r"nlscope: (\d+) frames captured on nlmon0; the kernel passed (\d+) and dropped (\d+)", nlmon_log)
    assert m, nlmon_log
    n_written, n_passed, n_dropped = map(int, m.groups())
    assert n_written == n_passed - n_dropped
    nlmon = list(read_capture(str(out / "burst.nlscope.pcapng")))
    bpf = list(read_capture(str(out / "burst.bpf.pcapng")))
    stop = CLOSING.search((out / "bpf-stop.log").read_text())
    _written, _seen, b_dropped = map(int, stop.groups())
    routes = [f for f in bpf if f.protocol == 0 and f.direction == INBOUND and f.data[4:6] in (b"\x18\0", b"\x19\0")]
    if b_dropped == 0:
        assert len(routes) == 2 * kernel_routes
    if n_dropped == 0 and b_dropped == 0:
        assert Counter(_window(bpf, nlmon)) == Counter((f.protocol, f.data) for f in nlmon)
    return n_dropped, b_dropped, len(nlmon), len(bpf)


@pytest.fixture(scope="module")
def bpf_frames(vm_out):
    return list(read_capture(str(vm_out / "bpf.pcapng")))


@pytest.fixture(scope="module")
def bpf_msgs(vm_out):
    return decode_file(vm_out / "bpf.pcapng")


def test_the_bpf_sections_ran(vm_out):
    log = (vm_out / "scenario.log").read_text()
    assert "bpf rc=0" in log and "bpf-stop rc=0" in log, log
    assert "BPF capture listening after" in (vm_out / "bpf.log").read_text()


def test_route_frames_are_nlmons_byte_for_byte(vm_out):
    assert check_route_bytes(vm_out) >= 12


def test_every_protocol_once_per_delivery(vm_out):
    check_once_per_delivery(vm_out)


def test_uevents_agree_with_udevadm_monitor(vm_out, bpf_msgs):
    check_uevent(vm_out, bpf_msgs)


def test_audit_requests_answers_and_records(vm_out, bpf_msgs):
    check_audit(vm_out, bpf_msgs)


def test_proc_connector_events_agree_with_the_listener(vm_out, bpf_msgs):
    check_connector(vm_out, bpf_msgs)


def test_selinux_notifications_agree_with_the_listener(vm_out, bpf_msgs):
    check_selinux(vm_out, bpf_msgs)


def test_the_articles_example_on_protocol_17(vm_out, bpf_frames, restore_tables):  # noqa: F811
    check_protocol_17(vm_out, bpf_frames)
    # and decoded by its spec (kmod/netlink_exam.yaml): the three messages carry the file's text
    from dissectors.ynl import load_spec
    from tests.conftest import ROOT
    load_spec(ROOT / "kmod" / "netlink_exam.yaml")
    msgs = [m for m in decode_file(vm_out / "bpf.pcapng") if m.protocol == 17]
    assert [m.type_name for m in msgs] == ["EXAM_MSG_TEXT", "EXAM_MSG_ECHO", "EXAM_MSG_ANNOUNCE"]
    assert all(m.unknown_count() == 0 and m.tree.find("netlink_exam.exam_text.text").value
               == TEST_VALUES["classic"]["text"] for m in msgs)


def test_drops_counted_exactly_and_short_lived_senders_named(vm_out, bpf_frames):
    check_counts_and_processes(vm_out, bpf_frames)


def test_burst_beside_nlmon(vm_out, vm_kernel):
    import vm
    check_burst(vm_out, vm.BURST_ROUTES[vm_kernel])
