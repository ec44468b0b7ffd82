"""Hostile input for the protocols only a capture source beyond nlmon shows: uevent, audit,
connector, SELinux.  Seeds are the host-6.18 captures' frames (udevadm and udevd, auditctl),
the recorded proc connector events and SELinux's two messages, broken as test_fuzz breaks
its seeds; whatever comes out, every question a user can ask returns without an exception
(tests/dissectors/test_fuzz.py's `exercise`, whose checks include "no dissector error")."""
import struct

from hypothesis import HealthCheck, given, settings, strategies as st

from nlscope.sources import read_capture
from tests.conftest import CAPTURES
from tests.dissectors.test_connector import RECORDED, cn_msg, event, frame as cn_frame
from tests.dissectors.test_fuzz import exercise

SEEDS = []
for _name in ("uevent", "audit"):
    _seen = set()
    for _fr in read_capture(str(CAPTURES / "host-6.18" / f"{_name}.pcapng")):
        key = (_fr.protocol, bytes(_fr.data[:4]), len(_fr.data))
        if _fr.protocol in (9, 15) and key not in _seen:   # one frame of each shape is enough
            _seen.add(key)
            SEEDS.append((_fr.protocol, bytes(_fr.data)))
SEEDS += [(11, cn_frame(bytes.fromhex(h))) for h in RECORDED.values()]
SEEDS += [(11, cn_frame(cn_msg(struct.pack("<II", 1, 3)))), (11, cn_frame(event(0x200, 1, 1, comm=b"x")))]
SEEDS += [(7, struct.pack("<IHHIIi", 20, t, 0, 0, 0, 1)) for t in (0x10, 0x11)]
AUDIT_RECORD = b"audit(1.2:3): a=1 msg='b=2 c=\"d\"' e=f"
SEEDS.append((9, struct.pack("<IHHII", len(AUDIT_RECORD), 1300, 0, 0, 0) + AUDIT_RECORD))


@st.composite
def mutated(draw):
    protocol, data = draw(st.sampled_from(SEEDS))
    buf = bytearray(data)
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        if not buf:
            break
        off = draw(st.integers(0, len(buf) - 1))
        op = draw(st.sampled_from(["flip", "u16", "u32", "cut", "junk", "nul", "eq"]))
        if op == "flip":
            buf[off] ^= draw(st.integers(1, 255))
        elif op == "u16" and off + 2 <= len(buf):
            struct.pack_into("<H", buf, off, draw(st.sampled_from([0, 1, 4, 8, 20, 40, 0xFFFF])))
        elif op == "u32" and off + 4 <= len(buf):
            struct.pack_into("<I", buf, off, draw(st.sampled_from([0, 16, 40, 0x7FFFFFFF, 0xFFFFFFFF, len(buf)])))
        elif op == "cut":
            del buf[off:]
        elif op == "junk":
            buf[off:off] = draw(st.binary(max_size=24))
        elif op == "nul":
            buf[off] = 0
        elif op == "eq":
            buf[off] = ord("=")
    if len(buf) >= 16 and protocol != 15 and draw(st.booleans()):
        struct.pack_into("<I", buf, 0, len(buf) - draw(st.sampled_from([0, 0, 16])))
    return protocol, bytes(buf)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_long_tail_frames_never_raise(case):
    exercise(*case)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([7, 9, 11, 15]), st.binary(max_size=600))
def test_random_bytes_never_raise(protocol, data):
    exercise(protocol, data)


def test_seeds_decode_clean():
    assert len(SEEDS) > 20
    from dissectors import decode_frame
    for protocol, data in SEEDS:
        for m in decode_frame(data, protocol=protocol):
            assert not m.malformed and not [n for n in m.tree.walk() if n.status == "malformed"], m.info
