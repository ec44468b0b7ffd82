"""NETLINK_CONNECTOR: struct cn_msg in NLMSG_DONE messages, and the proc connector's events.

In a private network namespace the kernel refuses a proc connector listener (ECONNREFUSED:
the connector exists in the initial namespace only): captures/host-6.18/connector.sh keeps
the refused request in connector.out.  The event bodies in RECORDED are what the 6.18 kernel
sent the same listener run once in the container's initial network namespace (passive: it
subscribes to events and changes nothing) while a shell forked and exec'd; the other events
are laid out as drivers/connector/cn_proc.c fills struct proc_event."""
import re
import struct

from tests.conftest import CAPTURES

import pytest

from dissectors import Context, decode_frame
from tests.dissectors.test_fuzz import exercise

# cn_msg + proc_event, as recorded: ack of the LISTEN, exit, fork, exec, a child's exit
RECORDED = {
    "ack": "010000000100000000000000010000002800000000000000010000004fa982fb15150000"
           "000000000000000000000000000000000000000000000000",
    "exit": "01000000010000000100000000000000280000000000008001000000a228b809161500009b1b00009b1b0000"
            "00000000110000008e1b00008e1b0000",
    "fork": "0100000001000000020000000000000028000000010000000100000089e7bb09161500008e1b00008e1b0000"
            "ec1b0000ec1b00000000000000000000",
    "exec": "01000000010000000300000000000000280000000200000001000000dea3c00916150000ec1b0000ec1b0000"
            "000000000000000000000000000000000000",
    "exit_child": "0100000001000000060000000000000028000000000000800100000085dbd10916150000ed1b0000ed1b0000"
             "0000000011000000ec1b0000ec1b0000",
}


def frame(cn: bytes, mtype=3, flags=0, seq=0, pid=0) -> bytes:
    return struct.pack("<IHHII", 16 + len(cn), mtype, flags, seq, pid) + cn


def cn_msg(data: bytes, idx=1, val=1, seq=0, ack=0) -> bytes:
    return struct.pack("<IIIIHH", idx, val, seq, ack, len(data), 0) + data


def event(what: int, *members, comm: bytes | None = None) -> bytes:
    union = struct.pack(f"<{len(members)}i", *members) + (comm.ljust(16, b"\0") if comm is not None else b"")
    return cn_msg(struct.pack("<IIQ", what, 1, 123456789) + union.ljust(24, b"\0"))


def one(data: bytes):
    (m,) = decode_frame(data, protocol=11, ctx=Context())
    assert not m.malformed and m.claimed and m.unknown_count() == 0, m.info
    return m


def test_recorded_events_decode_as_the_kernel_filled_them():
    """The old code read type 3 as netlink's NLMSG_DONE and showed none of this."""
    m = one(frame(bytes.fromhex(RECORDED["fork"]), seq=2))
    assert m.type_name == "cn_msg" and m.info == "fork parent 7054 child 7148"
    assert m.get("connector.idx") == 1 and m.find("connector.idx").text == "CN_IDX_PROC (1)"
    assert m.find("connector.val").text == "CN_VAL_PROC (1)" and m.get("connector.len") == 40
    assert m.get("connector.proc.fork.child_tgid") == 7148 and m.direction == "from kernel"
    assert one(frame(bytes.fromhex(RECORDED["exec"]))).info == "exec pid 7148"
    assert one(frame(bytes.fromhex(RECORDED["exit"]))).info == "exit pid 7067 code 0 signal 17"
    child = one(frame(bytes.fromhex(RECORDED["exit_child"])))
    assert child.info == "exit pid 7149 code 0 signal 17" and child.get("connector.proc.exit.parent_pid") == 7148
    ack = one(frame(bytes.fromhex(RECORDED["ack"])))
    assert ack.info == "ack err 0" and ack.get("connector.ack") == 1   # cn_proc_ack: rcvd_ack + 1


def test_the_listeners_request_goes_to_the_kernel_without_nlm_f_request():
    m = one(frame(cn_msg(struct.pack("<I", 1)), pid=4242))
    assert m.info == "PROC_CN_MCAST_LISTEN" and m.direction == "to kernel"
    m = one(frame(cn_msg(struct.pack("<II", 2, 0x80000001))))   # 6.6+: struct proc_input with a filter
    assert m.info == "PROC_CN_MCAST_IGNORE"
    assert m.find("connector.proc.event_type").text == "0x80000001 (PROC_EVENT_FORK, PROC_EVENT_EXIT)"


@pytest.mark.parametrize("what,members,comm,info", [
    (0x4, (10, 10, 1000, 0), None, "uid pid 10 ruid 1000 euid 0"),
    (0x40, (10, 10, 5, 6), None, "gid pid 10 rgid 5 egid 6"),
    (0x80, (11, 11), None, "sid pid 11"),
    (0x100, (12, 12, 13, 13), None, "ptrace pid 12 tracer 13"),
    (0x200, (14, 14), b"worker", "comm pid 14 'worker'"),
    (0x40000000, (15, 15, 1, 1), None, "coredump pid 15"),
])
def test_every_event_of_cn_proc_h(what, members, comm, info):
    assert one(frame(event(what, *members, comm=comm))).info == info


def test_other_connectors_are_named_and_their_data_kept():
    (m,) = decode_frame(frame(cn_msg(b"\x01\x02", idx=3, val=1)), protocol=11)
    assert m.find("connector.idx").text == "CN_W1_IDX (3)" and m.find("connector.val").text == "CN_W1_VAL (1)"
    assert m.unknown_count() == 1 and m.direction == "from kernel"


def test_bad_lengths_are_malformed_not_raised():
    (m,) = decode_frame(frame(cn_msg(b"")[:-2] + struct.pack("<H", 0) + b"", ), protocol=11)
    long = bytearray(frame(event(0x1, 1, 1, 2, 2)))
    struct.pack_into("<H", long, 16 + 16, 400)   # cn_msg.len past the message
    (m,) = decode_frame(bytes(long), protocol=11)
    assert any(n.status == "malformed" for n in m.tree.walk())
    for cut in range(16, 16 + 20 + 40, 3):
        exercise(11, frame(event(0x80000000, 1, 1, 0, 9, 1, 1))[:cut])
        d = bytearray(frame(event(0x80000000, 1, 1, 0, 9, 1, 1))[:cut])
        struct.pack_into("<I", d, 0, len(d))
        exercise(11, bytes(d))


def test_the_refused_listen_request_kept_by_connector_sh():
    """connector.out: strace's hex dump of the request the kernel refused in `unshare -n`."""
    out = (CAPTURES / "host-6.18" / "connector.out").read_text()
    assert "PROC_CN_MCAST_LISTEN refused: Connection refused" in out
    sent = re.search(r"^sendto\(.*= -1 ECONNREFUSED.*\n((?:\| [0-9a-f]{5}  .*\n)+)", out, re.M)
    assert sent
    data = b"".join(bytes.fromhex(line[9:9 + 16 * 3 + 1]) for line in sent.group(1).splitlines())
    m = one(data)
    assert m.info == "PROC_CN_MCAST_LISTEN" and m.direction == "to kernel" and m.length == 40
