"""The field registry is complete at import: every field a decode can make (attributes,
struct members, flag bits) is declared when its attribute set or struct is built, so
filters and `nlscope fields` know it in a process that has decoded nothing."""
import json
import struct
import subprocess
import sys

import dissectors
from dissectors.core.attrs import AttrSet, a, decode_attrs
from dissectors.core.registry import load_families
from dissectors.model import FIELDS
from tests.conftest import CAPTURES, ROOT

from .build import msg, nla

_FRESH = r"""
import json, sys
from dissectors.core.registry import load_families
from dissectors.model import FIELDS
load_families()
declared = {f.abbrev for f in FIELDS}
print(json.dumps(sorted(declared)))
if sys.argv[1:]:
    from dissectors import Context
    from nlscope.messages import messages
    from nlscope.sources import read_capture
    made = set()
    for path in sys.argv[1:]:
        for m in messages(read_capture(path), Context()):
            made.update(n.field.abbrev for n in m.tree.walk())
    print(json.dumps(sorted(made - declared)))
"""


def _fresh(*captures) -> list:
    out = subprocess.run([sys.executable, "-c", _FRESH, *map(str, captures)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=True).stdout.splitlines()
    return [set(json.loads(line)) for line in out]


def test_attribute_flag_bits_are_fields_before_any_decode():
    """`ctnl.ct.status.assured` was unknown to -Y and to `nlscope fields` until a conntrack
    message had been decoded (struct-member bits were declared at once, attribute bits not)."""
    (declared,) = _fresh()
    assert {"ctnl.ct.status.assured", "ctnl.ct.status.seen_reply", "ctnl.ct.status.unknown_bits",
            "rtnl.link.flags.up", "rtnl.link.flags.unknown_bits"} <= declared


def test_no_decode_of_a_committed_capture_makes_a_field_not_declared_at_import():
    declared, made = _fresh(*sorted(CAPTURES.glob("*.pcapng")))
    assert len(declared) > 4000
    # the layers of a queued or logged packet are scapy's (nfnl.packet.ip.ttl …), named from
    # whatever layers scapy finds: loaded on first use, not at import
    dynamic = {f for f in made if f.startswith("nfnl.packet.")}
    assert dynamic and made - dynamic == set(), sorted(made - dynamic)[:20]


def test_a_bit_whose_natural_name_a_nest_owns_still_decodes():
    """NL80211_ATTR_BANDS is a bitmap of enum nl80211_band, whose names NL80211_ATTR_WIPHY_BANDS'
    nests already own (`nl80211.bands.2ghz`): a non-zero bitmap made the whole body one
    "dissector error (ValueError: field nl80211.bands.2ghz declared as none and as bool)"."""
    from dissectors.generated import nl80211 as N
    body = bytes([N.NL80211_CMD_NEW_WIPHY, 1, 0, 0]) + nla(N.NL80211_ATTR_BANDS, struct.pack("<I", 0b11))
    (m,) = dissectors.decode_frame(msg(0x1c, 0, body), 16, dissectors.Context({0x1c: "nl80211"}))
    nodes = list(m.tree.walk())
    assert not [n for n in nodes if n.status], [n.text for n in nodes if n.status]
    bands = m.tree.find("nl80211.bands")
    assert bands.value == 3 and [c.field.abbrev for c in bands.children] == [
        "nl80211.bands.bit.2ghz", "nl80211.bands.bit.5ghz"]
    assert FIELDS.get("nl80211.bands.2ghz").kind == "none"


def test_bits_of_a_set_built_by_hand_are_declared_with_it():
    s = AttrSet("t", "test.regbits", {"T_F": a("u16", flags={1: "T_X_ONE", 4: "T_X_FOUR"}),
                                      "T_A": a("indexed-array", sub="u8", flags={2: "T_Y_TWO", 8: "T_Y_EIGHT"})},
                {"T_F": 1, "T_A": 2}, strip="T_")
    assert {"test.regbits.f.one", "test.regbits.f.four", "test.regbits.f.unknown_bits",
            "test.regbits.a.value.two"} <= {f.abbrev for f in FIELDS}
    (n,) = decode_attrs(nla(1, struct.pack("<H", 0b1101)), 0, 8, s, "<")
    assert [(c.field.abbrev, c.value) for c in n.children] == [
        ("test.regbits.f.one", True), ("test.regbits.f.four", True), ("test.regbits.f.unknown_bits", 8)]


# --- Info functions declare what they read, checked against the registry --------------
def test_an_info_reading_an_undeclared_field_is_refused_naming_it():
    """A typo in what an Info function reads (`needs`, then) made its summary skip that
    attribute, so the Info column said less than the full tree would — and nothing told."""
    import pytest

    from dissectors.core.info import UnknownField, info
    with pytest.raises(UnknownField, match=r"reads 'rtnl\.link\.mtuu', which is not a declared field"):
        @info(("rtnl.link.ifname", "rtnl.link.mtuu"))
        def typo(root):
            return ""
    with pytest.raises(TypeError):
        info("rtnl.link.mtu")   # one string is not a sequence of names
    with pytest.raises(ValueError):
        info(levels=0)(lambda root: "")

    @info(("rtnl.link.ifname", "rtnl.link.linkinfo.kind"), levels=2)
    def fine(root):
        return "x"
    assert fine(None) == "x" and fine.levels == 2 and fine.full_tree is False and fine.fast is None
    assert fine.wanted == {"rtnl", "rtnl.link", "rtnl.link.ifname", "rtnl.link.linkinfo", "rtnl.link.linkinfo.kind"}


def test_every_message_type_info_declares_fields_that_exist():
    import gc

    from dissectors.core.info import ALL_INFOS, Info
    from dissectors.core.registry import MessageType
    load_families()
    # gc.get_objects() leaves out what gc.freeze() moved away (nlscope's batch commands freeze
    # the families' tables, and tests run them in this process): look at those too
    frozen = gc.get_freeze_count()
    gc.unfreeze()
    try:
        types = [o for o in gc.get_objects() if isinstance(o, MessageType)]
    finally:
        if frozen:
            gc.freeze()
    infos = {id(mt.info): mt.info for mt in types if mt.info is not None}
    assert len(types) > 500 and len(infos) > 20
    for i in infos.values():
        assert isinstance(i, Info), i
        assert i.reads is None or all(name in FIELDS for name in i.reads), i
    for i in ALL_INFOS:
        i.check()
    declared = [i for i in infos.values() if i.reads is not None]
    assert {i.__name__ for i in declared} >= {"link_info", "route_info", "addr_info", "ctrl_info", "nl80211_info"}
