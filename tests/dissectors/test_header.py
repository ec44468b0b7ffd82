"""Flags read by message kind, byte-order detection, splitting a frame."""
import pytest

import dissectors
from dissectors.core.header import detect_order, flag_names, split
from dissectors.core.registry import DEL, GET, NEW

from .build import msg, nla


@pytest.mark.parametrize("kind,flags,names", [
    (GET, 0x301, ["REQUEST", "DUMP"]),
    (GET, 0x701, ["REQUEST", "DUMP", "ATOMIC"]),
    (GET, 0x101, ["REQUEST", "ROOT"]),
    (NEW, 0x605, ["REQUEST", "ACK", "EXCL", "CREATE"]),
    (NEW, 0x905, ["REQUEST", "ACK", "REPLACE", "APPEND"]),
    (DEL, 0x305, ["REQUEST", "ACK", "NONREC", "BULK"]),
    ("ack", 0x300, ["CAPPED", "ACK_TLVS"]),
    (None, 0x3A, ["MULTI", "ECHO", "DUMP_INTR", "DUMP_FILTERED"]),
    (None, 0x301, ["REQUEST", "DUMP"]),       # unclassified request: ROOT|MATCH is a dump to the kernel
    (None, 0x600, ["0x600"]),                 # no kind, no request: shown raw, not guessed
])
def test_flag_meaning_by_kind(kind, flags, names):
    assert flag_names(flags, kind) == names


def test_new_flags_are_not_read_as_get():
    assert "DUMP" not in flag_names(0x605, NEW) and "ROOT" not in flag_names(0x105, NEW)


@pytest.mark.parametrize("order", ["<", ">"])
def test_detect_order_and_split(order):
    frame = msg(16, 2, b"\0" * 16 + nla(3, b"eth0\0", order), order=order) + msg(3, 2, b"\0\0\0\0", order=order)
    assert detect_order(frame) == order
    parts = list(split(frame, order))
    assert [(p[1], p[2]) for p in parts] == [(44, 16), (20, 3)]
    ms = dissectors.decode_frame(frame, 0)
    assert ms[0].tree.first("rtnl.link.ifname") == "eth0"
    assert ms[0].order == order
