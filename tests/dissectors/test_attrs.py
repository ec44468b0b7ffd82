"""Typed attribute values, byte order, padding, repeats, nests and arrays, unknown types."""
import struct

import dissectors

from dissectors.core.attrs import NLA_F_NESTED, NLA_F_NET_BYTEORDER, AttrSet, a, decode_attrs

from .build import nla

NUMS = {f"T_{n}": i for i, n in enumerate(
    "U8 U16 U32 U64 S8 S16 S32 S64 UINT SINT STR BIN FLAG BE16 BE32 MAC V4 V6 BF32 NEST IDX ARR".split(), 1)}
INNER = AttrSet("inner", "test.attrs.inner", {"T_U8": a("u8"), "T_NEST": a("nest")}, NUMS, strip="T_")
SET = AttrSet("t", "test.attrs", {
    "T_U8": a("u8"), "T_U16": a("u16"), "T_U32": a("u32"), "T_U64": a("u64"),
    "T_S8": a("s8"), "T_S16": a("s16"), "T_S32": a("s32"), "T_S64": a("s64"),
    "T_UINT": a("uint"), "T_SINT": a("sint"), "T_STR": a("string"), "T_BIN": a("binary"), "T_FLAG": a("flag"),
    "T_BE16": a("u16", big_endian=True), "T_BE32": a("u32"), "T_MAC": a("binary", hint="mac"),
    "T_V4": a("binary", hint="ipv4"), "T_V6": a("binary", hint="ipv6"),
    "T_BF32": a("bitfield32", flags={1: "A", 2: "B"}), "T_NEST": a("nest", nested=INNER),
    "T_IDX": a("indexed-array", sub="u32"), "T_ARR": a("array", sub="u16", elem_names={0: "first"}),
}, NUMS, strip="T_")


def values(data, order="<"):
    return [(n.name.split(" [")[0], n.value, n.status) for n in decode_attrs(data, 0, len(data), SET, order)]


def test_every_scalar_type():
    p = lambda f, v: struct.pack("<" + f, v)
    data = b"".join([
        nla(1, p("B", 200)), nla(2, p("H", 65000)), nla(3, p("I", 4_000_000_000)), nla(4, p("Q", 2**63)),
        nla(5, p("b", -5)), nla(6, p("h", -300)), nla(7, p("i", -70000)), nla(8, p("q", -2**40)),
        nla(9, p("H", 7)), nla(9, p("Q", 2**40)), nla(10, p("i", -9)), nla(11, b"dummy0\0"), nla(12, b"\x01\x02"),
        nla(13, b""), nla(14, struct.pack(">H", 8080)), nla(15 | NLA_F_NET_BYTEORDER, struct.pack(">I", 0x0A000001)),
        nla(16, bytes.fromhex("020000000001")), nla(17, bytes([10, 9, 0, 1])),
        nla(18, bytes(15) + b"\x01"), nla(19, struct.pack("<II", 3, 1)),
    ])
    assert values(data) == [
        ("T_U8", 200, None), ("T_U16", 65000, None), ("T_U32", 4_000_000_000, None), ("T_U64", 2**63, None),
        ("T_S8", -5, None), ("T_S16", -300, None), ("T_S32", -70000, None), ("T_S64", -2**40, None),
        ("T_UINT", 7, None), ("T_UINT", 2**40, None), ("T_SINT", -9, None), ("T_STR", "dummy0", None),
        ("T_BIN", b"\x01\x02", None), ("T_FLAG", True, None), ("T_BE16", 8080, None), ("T_BE32", 0x0A000001, None),
        ("T_MAC", "02:00:00:00:00:01", None), ("T_V4", "10.9.0.1", None), ("T_V6", "::1", None),
        ("T_BF32", 3, None)]


def test_big_endian_capture_and_net_byteorder_flag():
    data = nla(3, struct.pack(">I", 1400), ">") + nla(15 | NLA_F_NET_BYTEORDER, struct.pack(">I", 7), ">")
    assert values(data, ">") == [("T_U32", 1400, None), ("T_BE32", 7, None)]


def test_nests_arrays_repeats_and_unknown():
    nest = nla(20 | NLA_F_NESTED, nla(1, b"\x05") + nla(1, b"\x06") + nla(99, b"zz"))
    idx = nla(21 | NLA_F_NESTED, nla(0, struct.pack("<I", 10)) + nla(1, struct.pack("<I", 11)))
    arr = nla(22, struct.pack("<HHH", 1, 2, 3))
    nodes = decode_attrs(nest + idx + arr + nla(77, b"??"), 0, len(nest + idx + arr) + 8, SET, "<")
    n, i, ar, unk = nodes
    assert n.label == "T_NEST [nested]" and [c.value for c in n.children[:2]] == [5, 6]
    assert n.children[2].status == "unknown" and n.children[2].value == b"zz" and n.children[2].offset == 20
    assert [c.value for c in i.children] == [10, 11] and i.children[1].label == "[1]"
    assert [c.value for c in ar.children] == [1, 2, 3] and ar.children[0].label == "first"
    assert unk.status == "unknown" and unk.field.abbrev == "test.attrs.unknown"


def test_wrong_width_is_malformed_not_misread():
    (n,) = decode_attrs(nla(3, b"\x01\x02"), 0, 8, SET, "<")
    assert n.status == "malformed" and "expected 4 bytes, got 2" in n.show


def test_a_summary_decodes_only_what_the_info_function_reads():
    """link_info names what it reads (`needs`): its summary tree holds those attributes and
    their nests, not the forty others of a NEWLINK; the full tree still has everything."""
    from dissectors.core.attrs import summary
    from dissectors.core.info import wanted_names
    from dissectors.families.rtnetlink.link import link_info
    from tests.conftest import CAPTURES, decode_file
    m = next(m for m in decode_file(CAPTURES / "rtnl-deep.pcapng")
             if m.type_name == "RTM_NEWLINK" and m.direction == "from kernel"
             and m.tree.find("rtnl.link.linkinfo.kind") is not None)
    assert wanted_names(["a.b.c"]) == {"a", "a.b", "a.b.c"}
    small = dissectors.dissect_message(m.buf, m.offset, m.length, m.protocol, m.order, m.ctx,
                                       req=summary(1, link_info.wanted))[0]
    names = {n.field.abbrev for n in small.walk()}
    assert {"rtnl.link.ifname", "rtnl.link.mtu", "rtnl.link.linkinfo", "rtnl.link.linkinfo.kind"} <= names
    assert "rtnl.link.txqlen" not in names and "rtnl.link.txqlen" in {n.field.abbrev for n in m.tree.walk()}
    assert m.info == link_info(m.tree)


# --- one depth limit for every recursion (issue 13 item 10) ---------------------------
def _veth_chain(levels: int) -> bytes:
    """RTM_NEWLINK whose veth peer holds a link whose veth peer holds a link … `levels` deep;
    each link named p<level>."""
    from tests.dissectors.build import msg
    ifinfomsg = bytes(16)
    link = ifinfomsg + nla(3, f"p{levels}".encode() + b"\0")
    for lvl in range(levels - 1, -1, -1):
        info = nla(1, b"veth\0") + nla(2 | NLA_F_NESTED, nla(1, link))   # IFLA_INFO_KIND, DATA { VETH_INFO_PEER }
        link = ifinfomsg + nla(3, f"p{lvl}".encode() + b"\0") + nla(18 | NLA_F_NESTED, info)   # IFLA_LINKINFO
    return msg(16, 0, link)


def _depth_of(tree, node) -> int:
    depth, stack = {id(tree): 0}, [tree]
    while stack:
        n = stack.pop()
        for c in n.children or ():
            depth[id(c)] = depth[id(n)] + 1
            stack.append(c)
    return depth[id(node)]


def test_a_veth_peer_chain_decodes_to_the_depth_limit():
    """A veth peer chain 150 deep made every decode hook start again at depth 0: the whole
    body became one "dissector error (RecursionError)" blob."""
    m = dissectors.decode_frame(_veth_chain(150), 0, dissectors.Context())[0]
    nodes = list(m.tree.walk())
    assert not [n for n in nodes if "dissector error" in (n.text or "")]
    names = [n.value for n in nodes if n.field.abbrev == "rtnl.link.ifname"]
    assert names[:6] == ["p0", "p1", "p2", "p3", "p4", "p5"], names
    deep = [n for n in nodes if n.status == dissectors.MALFORMED]
    assert len(deep) == 1 and "deeper than 32" in deep[0].text and deep[0].value, deep[0].text
    assert deep[0].text.startswith(("attributes nested deeper than 32 levels at offset",
                                    "nesting deeper than 32 levels at offset"))
    # everything above the malformed node is decoded; the tree itself stays shallow
    assert max(_depth_of(m.tree, n) for n in nodes) < 3 * 32


def _error_chain(levels: int) -> bytes:
    """An NLMSG_ERROR echoing an NLMSG_ERROR echoing … `levels` deep, then a request."""
    from tests.dissectors.build import msg
    inner = msg(16, 5, bytes(16) + nla(3, b"dummy0\0"))
    for _ in range(levels):
        inner = msg(2, 0, struct.pack("<i", -22) + inner)
    return inner


def test_errors_echoing_errors_decode_to_the_depth_limit():
    """495 echoes deep made dissect_message recurse until RecursionError: one blob."""
    m = dissectors.decode_frame(_error_chain(600), 0, dissectors.Context())[0]
    nodes = list(m.tree.walk())
    assert not [n for n in nodes if "dissector error" in (n.text or "")]
    codes = [n for n in nodes if n.field.abbrev == "netlink.error"]
    assert 30 <= len(codes) <= 33 and all(n.value == -22 for n in codes)
    deep = [n for n in nodes if n.status == dissectors.MALFORMED]
    assert len(deep) == 1 and "nesting deeper than 32 levels" in deep[0].text and deep[0].value
    assert m.error["name"] == "EINVAL" and m.info.startswith("EINVAL for ")
    # a chain within the limit decodes to its innermost request
    short = dissectors.decode_frame(_error_chain(20), 0, dissectors.Context())[0]
    assert short.tree.first("rtnl.link.ifname") == "dummy0"
    assert not [n for n in short.tree.walk() if n.status]


def test_the_depth_limit_is_restored_after_a_decode():
    """A hook that raised or a deep decode leaves no depth behind for the next message."""
    deep = dissectors.decode_frame(_veth_chain(150), 0, dissectors.Context())[0]
    deep.tree
    m = dissectors.decode_frame(_veth_chain(3), 0, dissectors.Context())[0]
    assert [n.value for n in m.tree.walk() if n.field.abbrev == "rtnl.link.ifname"] == ["p0", "p1", "p2", "p3"]
    assert not [n for n in m.tree.walk() if n.status]


# --- byte order of C arrays (H9 item 4) ------------------------------------------------
BE_NUMS = {"B_ARR": 1, "B_IDX": 2, "B_LE": 3}
BE_SET = AttrSet("be", "test.attrs.be", {
    "B_ARR": a("array", sub="u16", big_endian=True), "B_IDX": a("indexed-array", sub="u32", big_endian=True),
    "B_LE": a("array", sub="u16")}, BE_NUMS, strip="B_")


def test_an_array_declared_big_endian_is_read_big_endian():
    """A binary attribute holding u16s `byte-order: big-endian`, and an indexed array of
    big-endian u32s (rt-link's bond arp-ip-target): both were read in the capture's order."""
    data = (nla(1, struct.pack(">HH", 8080, 1)) + nla(2 | NLA_F_NESTED, nla(0, struct.pack(">I", 0x0A000001)))
            + nla(3, struct.pack("<HH", 8080, 1)))
    arr, idx, le = decode_attrs(data, 0, len(data), BE_SET, "<")
    assert [c.value for c in arr.children] == [8080, 1] and [c.offset for c in arr.children] == [4, 6]
    assert [c.value for c in idx.children] == [0x0A000001]
    assert [c.value for c in le.children] == [8080, 1]
    # a big-endian capture reads them alike
    data = nla(1, struct.pack(">HH", 8080, 1), ">")
    assert [c.value for c in decode_attrs(data, 0, len(data), BE_SET, ">")[0].children] == [8080, 1]


# --- sub-message selectors in enclosing sets (H9 item 3) -------------------------------
SEL_NUMS = {"Q_KIND": 1, "Q_STATS": 2, "Q_WRAP": 3, "Q_OPTIONS": 4, "S_BYTES": 1, "S_APP": 2, "W_STATS": 1,
            "F_DROPS": 1, "A_KIND": 1, "A_STATS": 2, "O_ACT": 1}
FQ_APP = AttrSet("fq-app", "test.sel.fq", {"F_DROPS": a("u32")}, SEL_NUMS, strip="F_")
GACT_APP = AttrSet("gact-app", "test.sel.gact", {"F_DROPS": a("u32")}, SEL_NUMS, strip="F_")
# the app's selector, a spec's `kind`, is Q_KIND in a qdisc and A_KIND in an action
STATS = AttrSet("stats", "test.sel.stats", {
    "S_BYTES": a("u64"),
    "S_APP": a("submsg", selector="Q_KIND", selector_key="kind", choices={"fq": FQ_APP, "gact": GACT_APP})},
    SEL_NUMS, strip="S_")
WRAP = AttrSet("wrap", "test.sel.wrap", {"W_STATS": a("nest", nested=STATS)}, SEL_NUMS, strip="W_")
ACTION = AttrSet("action", "test.sel.action", {"A_KIND": a("string"), "A_STATS": a("nest", nested=STATS)},
                 SEL_NUMS, strip="A_")
ACTION.has_selector = True   # its kind is read below it
ACTION.selector_keys["kind"] = "A_KIND"
FILTER_OPTS = AttrSet("filter-opts", "test.sel.opts", {"O_ACT": a("nest", nested=ACTION)}, SEL_NUMS, strip="O_")
QDISC = AttrSet("qdisc", "test.sel.qdisc", {
    "Q_KIND": a("string"), "Q_STATS": a("nest", nested=STATS), "Q_WRAP": a("nest", nested=WRAP),
    "Q_OPTIONS": a("submsg", selector="Q_KIND", choices={"u32": FILTER_OPTS})}, SEL_NUMS, strip="Q_")
QDISC.selector_keys["kind"] = "Q_KIND"

_APP = nla(2, nla(1, struct.pack("<I", 3)))                      # S_APP { F_DROPS 3 }
_STATS = nla(2 | NLA_F_NESTED, nla(1, struct.pack("<Q", 99)) + _APP)


def _app(nodes):
    """(selector value, drops, the set that decoded them) of the one S_APP in `nodes`."""
    apps = [n for top in nodes for n in top.walk() if n.field.abbrev == "test.sel.stats.app"]
    assert len(apps) == 1
    app = apps[0]
    if app.status:
        return app.status, app.text
    (drops,) = app.children
    return app.value, drops.value, drops.field.abbrev


def _decode(data, aset=QDISC):
    return decode_attrs(data, 0, len(data), aset, "<")


def test_a_selector_one_level_up_chooses_the_sub_message():
    """tc's stats `app` is chosen by the qdisc's `kind`, in the enclosing set: it was
    "Q_KIND not seen first" (the decoder looked among siblings only)."""
    assert _app(_decode(nla(1, b"fq\0") + _STATS)) == ("fq", 3, "test.sel.fq.drops")


def test_a_selector_two_levels_up_through_a_set_holding_no_sub_message():
    assert _app(_decode(nla(1, b"fq\0") + nla(3 | NLA_F_NESTED, nla(1 | NLA_F_NESTED, _STATS[4:])))) == \
        ("fq", 3, "test.sel.fq.drops")


def test_a_selector_sent_after_the_nest_is_looked_for_further_on():
    assert _app(_decode(_STATS + nla(1, b"fq\0"))) == ("fq", 3, "test.sel.fq.drops")


def test_the_nearest_enclosing_set_that_declares_the_selector_decides():
    """As the kernel's YNL (SpaceAttrs.lookup): an action's stats inside a u32 filter's
    options are chosen by the action's kind, not the filter's; the enclosing runs stay in
    view inside a sub-message."""
    action = nla(1 | NLA_F_NESTED, nla(1, b"gact\0") + _STATS)
    got = _decode(nla(1, b"u32\0") + nla(4, action))
    assert _app(got) == ("gact", 3, "test.sel.gact.drops")
    # an action that does not say its kind: the action's set declares it, so it decides
    # (the kernel's YNL raises "no value"), never the filter's u32
    got = _decode(nla(1, b"u32\0") + nla(4, nla(1 | NLA_F_NESTED, _STATS)))
    assert _app(got) == ("unknown", f"{_APP[4:].hex()} (A_KIND not seen first)")


def test_a_selector_no_enclosing_set_declares_is_not_seen():
    assert _app(_decode(nla(1 | NLA_F_NESTED, _STATS[4:]), WRAP)) == \
        ("unknown", f"{_APP[4:].hex()} (Q_KIND not seen first)")
    # a value with no format is said so, with the name the selector has where it was found
    got = _decode(nla(1, b"u32\0") + nla(4, nla(1 | NLA_F_NESTED, nla(1, b"mirred\0") + _STATS)))
    assert _app(got) == ("unknown", f"{_APP[4:].hex()} (no decoder for A_KIND 'mirred')")


def test_sub_messages_without_their_selector_look_for_it_once_a_run(monkeypatch):
    """Each of a run's sub-messages looked ahead for a selector that never comes, to the end
    of the run: quadratic (16,000 empty ones in a 64 KiB message took minutes)."""
    from dissectors.core import attrs
    calls = []
    real = attrs._look_ahead
    monkeypatch.setattr(attrs, "_look_ahead", lambda *args: calls.append(1) or real(*args))
    data = nla(2 | NLA_F_NESTED, nla(1, struct.pack("<Q", 1)) + _APP * 200)
    (stats,) = _decode(data)
    assert len(stats.children) == 201 and all(c.status == "unknown" for c in stats.children[1:])
    assert len(calls) == 1


def test_enum_set_leaves_out_the_enums_bookkeeping_members():
    """`__X_END` closes an enum as `__X_MAX` does (if_macsec.h's `__MACSEC_ATTR_END`): the count,
    never an attribute the kernel sends."""
    from types import SimpleNamespace
    from dissectors.core.attrs import enum_set
    names = ["DEMO_ATTR_UNSPEC", "DEMO_ATTR_NAME", "DEMO_ATTR_PAD", "__DEMO_ATTR_END", "DEMO_ATTR_MAX"]
    header = SimpleNamespace(ENUMS={"demo_attrs": names}, DEMO_ATTR_UNSPEC=0, DEMO_ATTR_NAME=1, DEMO_ATTR_PAD=2,
                             __DEMO_ATTR_END=3, DEMO_ATTR_MAX=2)
    s = enum_set("demo", "t_demo", header, "demo_attrs", "DEMO_ATTR_", {"NAME": "string", "PAD": "pad"})
    assert sorted(s.by_name) == ["DEMO_ATTR_NAME", "DEMO_ATTR_PAD"]


def test_a_number_of_another_length_decodes_as_the_attribute_the_kernel_put_there():
    """`sized`: nl80211_get_mesh_config() puts a u32 interface index as attribute 3 of a nest where
    3 is a u16; the alternative's field is declared with the set, before anything is decoded."""
    from dissectors.model import FIELDS
    aset = AttrSet("sized", "test.attrs.sized", {"T_U16": a("u16", sized={4: ("ifindex", "X_IFINDEX", a("u32"))})},
                   NUMS, strip="T_")
    assert FIELDS.get("test.attrs.sized.ifindex").name == "X_IFINDEX"
    data = nla(2, struct.pack("<I", 7)) + nla(2, struct.pack("<H", 100)) + nla(2, b"\x01\x02\x03")
    nodes = decode_attrs(data, 0, len(data), aset, "<")
    assert [(n.field.abbrev, n.value, n.status) for n in nodes[:2]] == [
        ("test.attrs.sized.ifindex", 7, None), ("test.attrs.sized.u16", 100, None)]
    assert nodes[2].field.abbrev == "test.attrs.sized.u16" and nodes[2].status == "malformed"
