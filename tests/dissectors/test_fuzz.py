"""Hostile input: real messages of every family in the committed captures, mutated.

Hypothesis takes a real frame (rtnetlink, nlctrl, nl80211 with IEs, wireguard, mptcp_pm,
the test family's every attribute type, USERSOCK text, netfilter, sock_diag) and breaks
it: flipped bytes, overwritten length and type fields, truncation, appended junk,
swapped byte order.  Whatever comes out, decoding the frame and everything a user can
ask of a message (tree, Info, JSON, text, filters) must return without an exception.
A bounded run is part of the suite; `bench/fuzz_long.py` runs the same for longer.
"""
import struct

from hypothesis import HealthCheck, given, settings, strategies as st

from dissectors import Context, decode_frame, format_tree
from nlscope.analysis.filter import compile_filter
from nlscope.sources import read_capture
from tests.conftest import CAPTURES

SEEDS = []
for _name in ("rtnl-extack", "nlscope-test", "classic", "nl80211", "mixed"):
    # the generic-netlink ids each capture announces, so that its genl frames decode alone
    _ctx = Context()
    _frames = list(read_capture(str(CAPTURES / f"{_name}.pcapng")))
    for _fr in _frames:
        decode_frame(bytes(_fr.data), protocol=_fr.protocol, ctx=_ctx)
    _ids = {fid: seen[-1][1] for fid, seen in _ctx.genl_ids.items()}
    for _fr in _frames:
        SEEDS.append((_fr.protocol, bytes(_fr.data), _ids))
# a seed is kept when it brings a field no seed kept before: few seeds, every field covered
_seen, _unique = set(), []
for _p, _d, _i in SEEDS:
    fields = {(_p, n.field.abbrev) for m in decode_frame(_d, protocol=_p, ctx=Context(_i)) for n in m.tree.walk()}
    if fields - _seen:
        _seen |= fields
        _unique.append((_p, _d, _i))
SEEDS = _unique


def _spans(protocol, data, ids):
    """(offset, length) of every node a clean decode of the seed finds: where to aim."""
    out = set()
    for m in decode_frame(data, protocol=protocol, ctx=Context(ids)):
        for n in m.tree.walk():
            if n.offset is not None and n.length:
                out.add((n.offset, n.length))
    return sorted(out)


SPANS = [_spans(*seed) for seed in SEEDS]
FILTERS = [compile_filter(t) for t in ('netlink.malformed', 'nl80211.bss.bssid == "00:00:00:00:00:00"',
                                       'rtnl.link.ifname contains "x" or netlink.flags.dump', 'genl.cmd > 3')]


def exercise(protocol: int, data: bytes, ids=None) -> None:
    ctx = Context(ids)
    for m in decode_frame(data, protocol=protocol, ctx=ctx):
        # an Info read from the bytes (`fast`) says what the tree says, or nothing (None)
        mt = None if m.malformed else m.message_type
        fast = mt.info.fast if mt is not None and mt.info is not None else None
        quick = fast(m.buf, m.offset, m.length, m.order, m.flags) if fast is not None else None
        early = m.info if m.malformed or m.type < 0x10 else None  # control: from the headers
        assert quick is None or quick == mt.info(m.tree), (quick, mt.info(m.tree))
        assert early is None or early == m.info, (early, m.info)  # … and from the decode
        # the core's safety net turns a family's exception into a "dissector error" node so
        # that a user loses nothing; here it is a bug to find
        errors = [n.text for n in m.tree.walk() if n.status == "malformed" and "dissector error" in (n.text or "")]
        assert not errors, errors
        m.info
        m.type_name
        m.flag_names
        format_tree(m.tree)
        m.to_json()
        m.unknown_count()
        for f in FILTERS:
            f(m)


@st.composite
def mutated(draw):
    """A seed broken where its structure is: a decoded node's header (length, type), a
    byte inside it, its end, or the frame at large."""
    i = draw(st.sampled_from(range(len(SEEDS))))
    protocol, data, ids = SEEDS[i]
    spans = SPANS[i] or [(0, len(data))]
    buf = bytearray(data)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        if not buf:
            break
        off, ln = spans[draw(st.integers(0, 1 << 16)) % len(spans)]
        off = min(off, len(buf) - 1)
        op = draw(st.sampled_from(["flip", "u16", "u8", "u32", "cut", "junk", "swap"]))
        if op == "flip":
            at = off + draw(st.integers(0, 1 << 16)) % max(min(off + ln, len(buf)) - off, 1)
            buf[at] ^= draw(st.integers(1, 255))
        elif op == "u16" and off + 2 <= len(buf):      # an nla_len / nla_type / nlmsg_type
            struct.pack_into("<H", buf, off + draw(st.sampled_from([0, 2])) if off + 4 <= len(buf) else off,
                             draw(st.sampled_from([0, 1, 3, 4, 5, ln - 1, ln + 1, 0x8000 | 1, 0x4000, 0xFFFF])) & 0xFFFF)
        elif op == "u8":                               # a one-byte length (802.11 elements)
            buf[min(off + draw(st.integers(0, 1)), len(buf) - 1)] = draw(st.integers(0, 255))
        elif op == "u32" and off + 4 <= len(buf):      # an nlmsg_len
            struct.pack_into("<I", buf, off, draw(st.sampled_from([0, 15, 16, 17, len(buf), len(buf) * 2, 0xFFFFFFFF])))
        elif op == "cut":
            del buf[max(off + ln - draw(st.integers(0, 8)), 0):]
        elif op == "junk":
            buf[off + ln:off + ln] = draw(st.binary(max_size=32))
        elif op == "swap" and len(buf) >= 16:
            buf[0:4] = bytes(reversed(buf[0:4]))
    # mostly keep a one-message frame's nlmsg_len true to the bytes, so that the damage
    # reaches the attributes instead of stopping at the message header
    if len(buf) >= 16 and len(data) == struct.unpack_from("<I", data)[0] and draw(st.integers(0, 3)):
        struct.pack_into("<I", buf, 0, len(buf))
    return protocol, bytes(buf), ids


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_real_messages_never_raise(case):
    exercise(*case)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([0, 2, 4, 6, 7, 9, 10, 11, 12, 15, 16, 5, 31]), st.binary(max_size=512))
def test_random_bytes_on_every_protocol_never_raise(protocol, data):
    exercise(protocol, data, {0x20: "nlscope_test", 0x21: "nl80211", 0x22: "wireguard", 0x23: "mptcp_pm"})


def test_every_seed_decodes_clean_before_mutation():
    """The seeds are what the mutations start from: they decode without a malformed node."""
    assert len(SEEDS) > 50
    for protocol, data, ids in SEEDS:
        for m in decode_frame(data, protocol=protocol, ctx=Context(ids)):
            assert not m.malformed, (protocol, m.type_name)


# crashes the fuzzer found, each kept as a case (both were caught by the core's safety net,
# so a user saw a "dissector error" node instead of the decode)
REGRESSIONS = [
    # NLMSG_ERROR echoing a request of a type its protocol does not know (type_text(None))
    (0, b'4\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x0c\x01\x00\x00\x00\xed\xff\xff\xff \x00\x00\x00'
        b'\x10\x00\x05\x00' + bytes(32), {}),
    # extack whose NLMSGERR_ATTR_OFFS has the wrong size: its value is raw bytes, not an offset
    (16, b'8\x00\x00\x00\x02\x00\x00\x02j\x00\x00\x002\x01\x00\x00\xea\xff\xff\xff\x11\x00\x00\x00 \x00\x05\x00j'
         b'\x00\x00\x00\x00\x00\x00\x00\x05\x01\x00\x00\x06\x00\x02\x00\x05\x00\x00\x00\x08\x00\x05\x00\t\x00\x00\x00',
     {32: "nlscope_test"}),
    # NLMSG_ERROR with code -2**31 (atheris): its text asked strerror for 2**31, beyond a C int
    (0, bytes.fromhex("2400000002000001d57e0a6b7d010000000000803800000054000506d57e0a6b00000000"), {}),
    # XFRMA_SRCADDR of 12 bytes (atheris): the address union's text asked inet_ntop for 12
    (6, bytes.fromhex("3c000000110005006b870a6b000000000a280002000000000000002300000000000000000000000010000d00"
                      "0a280001003b3b3b3b3b3b3b3b3b3b3b"), {}),
]


def test_regressions():
    for case in REGRESSIONS:
        exercise(*case)


def test_wrong_sized_family_id_leaves_the_info_its_name():
    """A CTRL_ATTR_FAMILY_ID of one byte is raw bytes in the tree: the Info says the family's
    name (it was empty: formatting the bytes as a number raised inside the Info function),
    and the Info read from the bytes leaves that message to the tree."""
    from dissectors import Context, decode_frame
    from tests.dissectors.build import msg, nla
    body = b"\x01\x02\x00\x00" + nla(1, b"\x1c") + nla(2, b"nlx\0") + nla(6, nla(1, nla(1, b"\0" * 4)))
    raw = msg(0x10, 0, body)
    m = decode_frame(raw, protocol=16, ctx=Context())[0]
    assert m.message_type.info.fast(raw, 0, len(raw), "<", 0) is None
    assert m.info == "nlx 1 ops"
    good = msg(0x10, 0, b"\x01\x02\x00\x00" + nla(1, b"\x1c\x00") + nla(2, b"nlx\0") + nla(6, nla(1, nla(1, b"\0" * 4))))
    assert decode_frame(good, protocol=16, ctx=Context())[0].message_type.info.fast(good, 0, len(good), "<", 0) \
        == "nlx id 0x1c 1 ops"
