"""NETLINK_SELINUX: selnl_notify's two messages (no SELinux here: bytes as the kernel lays them out)."""
import struct

from dissectors import decode_frame
from tests.dissectors.test_fuzz import exercise


def frame(mtype: int, body: bytes) -> bytes:
    return struct.pack("<IHHII", 16 + len(body), mtype, 0, 0, 0) + body


def test_setenforce_and_policyload():
    """The old code had no NETLINK_SELINUX dissector: both showed as unknown payloads."""
    (m,) = decode_frame(frame(0x10, struct.pack("<i", 0)), protocol=7)
    assert m.type_name == "SELNL_MSG_SETENFORCE" and m.info == "setenforce 0 (permissive)"
    assert m.claimed and m.unknown_count() == 0 and m.get("selinux.setenforce.val") == 0
    (m,) = decode_frame(frame(0x11, struct.pack("<I", 9)), protocol=7)
    assert m.type_name == "SELNL_MSG_POLICYLOAD" and m.info == "policy loaded, seqno 9"
    assert m.get("selinux.policyload.seqno") == 9 and m.family == "selinux"


def test_short_and_unknown_messages():
    (m,) = decode_frame(frame(0x10, b"\x01"), protocol=7)
    assert any(n.status == "malformed" for n in m.tree.walk())
    (m,) = decode_frame(frame(0x12, b"\x01\x02\x03\x04"), protocol=7)
    assert not m.claimed and m.unknown_count() == 1
    for body in (b"", b"\xff" * 3, b"\xff" * 9):
        exercise(7, frame(0x10, body))
        exercise(7, frame(0x11, body))
