"""Structs that grew between 6.1 and 6.12, decoded at both sizes by their length.

The kernel sends sizeof() of its own struct: inet_sk_diag_fill() reserves INET_DIAG_INFO
with handler->idiag_info_size (sizeof(struct tcp_info): 232 bytes on 6.1, 248 on 6.12), and
taskstats' mk_reply() reserves TASKSTATS_TYPE_STATS with sizeof(struct taskstats) (version
13, 416 bytes, on 6.1; version 14, 432, on 6.12).  Each only appends members, so the rule is
the length: the members the bytes hold whole are shown, the rest are absent; neither size is
"malformed" nor has "trailing bytes"."""
import struct

import pytest
from construct import Int16ul, Int32ul

import dissectors
from dissectors.core.attrs import decode_attrs
from dissectors.core.schema import FixedStruct, member, pad
from dissectors.generated import inet_diag as ID, taskstats as TS

from ..conftest import CAPTURES, decode_file
from .build import nla

dissectors.load_families()
from dissectors.families.genl.taskstats import TASKSTATS, TYPE  # noqa: E402
from dissectors.families.sock_diag.inet import INET_DIAG, TCP_INFO  # noqa: E402


def _bad(nodes):
    out = []
    for n in nodes:
        out += [(m.name, m.status, m.show) for m in n.walk() if m.status]
    return out


def _names(node):
    return [c.field.abbrev.rsplit(".", 1)[1] for c in node.children]


# --- the schema: a struct with optional trailing members ----------------------------------------
GROWN = FixedStruct("t_grown", "test.kernel612.grown", [
    member("a", Int32ul), member("b", Int16ul), pad(2), member("c", Int32ul), member("d", Int16ul), pad(2)],
    optional_from="c")


def test_size_is_the_offset_of_the_first_optional_member():
    assert (GROWN.size, GROWN.max_size) == (8, 16)
    assert (TCP_INFO.size, TCP_INFO.max_size) == (232, 280)
    assert (TASKSTATS.size, TASKSTATS.max_size) == (416, 432)
    assert GROWN.construct.sizeof() == 16


def test_a_struct_of_one_size_keeps_size_equal_to_max_size():
    st = FixedStruct("t_one", "test.kernel612.one", [member("x", Int32ul)])
    assert st.size == st.max_size == 4


def test_optional_from_must_name_a_member():
    with pytest.raises(ValueError):
        FixedStruct("t_bad", "test.kernel612.bad", [member("x", Int32ul)], optional_from="y")


@pytest.mark.parametrize("length, names", [(8, ["a", "b"]), (12, ["a", "b", "c"]), (16, ["a", "b", "c", "d"]),
                                           (14, ["a", "b", "c", "d"])])
def test_the_members_the_bytes_hold_are_shown(length, names):
    data = struct.pack("<IHxxIHxx", 1, 2, 3, 4)[:length]
    node = GROWN.node(data, 0, length=length)
    assert _names(node) == names and not _bad([node])
    assert [c.value for c in node.children] == [1, 2, 3, 4][:len(names)]
    assert GROWN.values(data, 0, length=length) == dict(zip("abcd", [1, 2, 3, 4][:len(names)]))


def test_bytes_ending_inside_an_optional_member_are_malformed():
    data = struct.pack("<IHxxIHxx", 1, 2, 3, 4)[:10]
    node = GROWN.node(data, 0, length=10)
    assert _names(node)[:2] == ["a", "b"]
    assert [(n.status, n.offset, n.length) for n in node.children if n.status] == [("malformed", 8, 2)]
    assert node.length == 10


def test_big_endian_shorter_struct():
    data = struct.pack(">IHxxIHxx", 1, 2, 3, 4)
    assert GROWN.values(data, 0, ">", length=12) == {"a": 1, "b": 2, "c": 3}


def test_without_a_length_the_oldest_layout_is_decoded():
    """What callers that do not pass the length get: the `size` bytes every sender gives."""
    data = struct.pack("<IHxxIHxx", 1, 2, 3, 4)
    assert GROWN.values(data, 0) == {"a": 1, "b": 2} and _names(GROWN.node(data, 0)) == ["a", "b"]


@pytest.mark.parametrize("order", ["<", ">"])
def test_full_layout_parsers_agree(order):
    """construct (interpreted and compiled) and the fast path agree on every member."""
    for st in (GROWN, TCP_INFO, TASKSTATS):
        data = bytes((i * 37 + 11) & 0xFF for i in range(st.max_size))
        con = st.construct if order == "<" else st.construct_be
        parsed, compiled = con.parse(data), con.compile().parse(data)
        fast = st.values(data, 0, order, length=st.max_size)
        assert len(fast) == len(st.shown)
        for m in st.shown:
            assert parsed[m.name] == compiled[m.name] == fast[m.name], (st.cname, m.name)
        assert st.values(st.build(fast, order), 0, order, length=st.max_size) == fast == st.parse(data, order)


# --- tcp_info in INET_DIAG_INFO -------------------------------------------------------------------
def _info(length):
    body = (bytes(range(256)) * 2)[:length]
    return decode_attrs(nla(ID.INET_DIAG_INFO, body), 0, 4 + length, INET_DIAG, "<")


@pytest.mark.parametrize("length", [232, 248])
def test_tcp_info_of_6_1_and_6_12_decode_fully(length):
    (node,) = _info(length)
    assert not _bad([node]), _bad([node])
    names = _names(node)
    assert names[-1] == ("snd_wnd" if length == 232 else "total_rto_time")
    assert ("rcv_wnd" in names) == (length == 248)


def test_tcp_info_from_between_the_two_has_what_it_holds():
    (node,) = _info(240)   # rcv_wnd and rehash
    assert not _bad([node]) and _names(node)[-2:] == ["rcv_wnd", "rehash"]


def test_tcp_info_shorter_than_6_1_is_malformed_and_longer_than_6_18_has_trailing_bytes():
    (short,) = _info(228)
    assert short.status == "malformed" and "needs 232 bytes" in short.show
    (long_,) = _info(288)
    assert [(c.label, c.status, c.length) for c in long_.children if c.status] == [
        ("trailing bytes (newer struct?)", "unknown", 8)]


def test_tcp_info_in_the_committed_captures():
    """nf-diag: 6.1's ss gets 232 bytes, 6.12's 248; both whole, the new members only on 6.12."""
    for path, length in ((CAPTURES / "nf-diag.pcapng", 232), (CAPTURES / "6.12" / "nf-diag.pcapng", 248)):
        infos = [n for m in decode_file(path) for n in m.tree.walk() if n.field.abbrev == "sock_diag.inet.info"]
        assert infos, path
        for n in infos:
            assert n.length == 4 + length and not _bad([n]), (path, _bad([n]))
            assert ("rcv_wnd" in _names(n)) == (length == 248)


# --- struct taskstats -----------------------------------------------------------------------------
def _stats(version, length):
    body = TASKSTATS.build({"version": version, "irq_count": 7, "irq_delay_total": 9})[:length]
    return decode_attrs(nla(TS.TASKSTATS_TYPE_STATS, body), 0, 4 + length, TYPE, "<")


@pytest.mark.parametrize("version, length", [(13, 416), (14, 432)])
def test_taskstats_v13_and_v14_decode_fully(version, length):
    (node,) = _stats(version, length)
    assert not _bad([node]), _bad([node])
    assert node.first("taskstats.stats.version") == version
    assert node.first("taskstats.stats.irq_count") == (7 if version == 14 else None)


def test_taskstats_in_the_committed_captures():
    """genl-more's TASKSTATS_CMD_NEW: version 13 from 6.1, 14 (with the irq delay) from 6.12."""
    for path, version in ((CAPTURES / "genl-more.pcapng", 13), (CAPTURES / "6.12" / "genl-more.pcapng", 14)):
        stats = [n for m in decode_file(path) for n in m.tree.walk() if n.field.abbrev == "taskstats.stats"]
        assert stats, path
        for n in stats:
            assert not _bad([n]), (path, _bad([n]))
            assert n.first("taskstats.stats.version") == version
            assert (n.find("taskstats.stats.irq_delay_total") is not None) == (version == 14)
