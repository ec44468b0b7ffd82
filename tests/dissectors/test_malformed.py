"""Hostile input: nothing raises, bad bytes become malformed nodes at the right offset."""
import struct

import pytest

import dissectors
from dissectors.core.attrs import MAX_DEPTH
from dissectors.generated import if_link as L, rtnetlink as R
from tests.conftest import PYROUTE2_PCAP

from .build import msg, nla


def _full(m):
    """Force every lazy part of a message."""
    m.tree.to_json()
    return (m.info, m.type_name, m.flag_names, m.error, m.family, m.direction)


@pytest.fixture(scope="module")
def real_frame():
    from nlscope.sources import read_capture
    frames = list(read_capture(str(PYROUTE2_PCAP)))
    return frames[4].data  # two RTM_NEWLINK messages, 2900 bytes


def test_truncation_at_every_offset(real_frame):
    for cut in range(len(real_frame)):
        msgs = dissectors.decode_frame(real_frame[:cut], 0)
        for m in msgs:
            _full(m)
        if cut and any(real_frame[:cut]):
            bad = [m for m in msgs if m.malformed]
            # the cut lands inside some message: that message is reported, with its offset
            first_len = struct.unpack_from("<I", real_frame)[0]
            if cut < first_len:
                assert bad and bad[0].offset == 0, cut


def test_overrunning_attribute_shows_offset_and_rest():
    body = struct.pack("<BxHiII", 0, 0, 1, 0, 0) + struct.pack("<HH", 200, L.IFLA_IFNAME) + b"abcd"
    (m,) = dissectors.decode_frame(msg(R.RTM_NEWLINK, 0, body), 0)
    bad = [n for n in m.tree.walk() if n.status == "malformed"]
    assert len(bad) == 1 and bad[0].offset == 32 and bad[0].value.startswith(b"\xc8\x00")
    assert "overruns" in bad[0].show and "at offset 32" in bad[0].show


def test_garbage_lengths_do_not_raise():
    import random
    rnd = random.Random(7)
    for _ in range(3000):
        n = rnd.randrange(0, 80)
        data = bytes(rnd.randrange(256) for _ in range(n))
        if n >= 4 and rnd.random() < 0.7:
            data = struct.pack("<I", rnd.choice([n, n - 4, 16, 17, 3, 0xFFFFFFFF])) + data[4:]
        for proto in (0, 16, 12, 2):
            for m in dissectors.decode_frame(data, proto):
                _full(m)


def test_deep_nesting_is_cut_and_reported():
    inner = b""
    for _ in range(MAX_DEPTH + 10):
        inner = nla(L.IFLA_AF_SPEC | 0x8000, inner)
    body = struct.pack("<BxHiII", 0, 0, 1, 0, 0) + inner
    (m,) = dissectors.decode_frame(msg(R.RTM_NEWLINK, 0, body), 0)
    _full(m)
    assert any(n.status in ("malformed", "unknown") for n in m.tree.walk())


def test_unknown_nested_attribute_recursion_is_bounded():
    inner = b""
    for _ in range(200):
        inner = nla(999 | 0x8000, inner)
    (m,) = dissectors.decode_frame(msg(R.RTM_NEWLINK, 0, struct.pack("<BxHiII", 0, 0, 1, 0, 0) + inner), 0)
    _full(m)
    assert any("deeper" in (n.show or "") for n in m.tree.walk())


def test_short_frame_is_one_malformed_message():
    (m,) = dissectors.decode_frame(b"\x10\x00\x00", 0)
    assert m.malformed and m.offset == 0 and "shorter" in m.info
