"""Committed captures decode to the values their scenario chose (see captures/*.expected.json)."""
import json

import pytest

from tests.conftest import CAPTURES, decode_file
from tests.expect import check

EXPECTED = sorted(CAPTURES.glob("*.expected.json"))


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_capture_matches_expected(path):
    exp = json.loads(path.read_text())
    msgs = decode_file(CAPTURES / exp["capture"])
    assert msgs, "capture decoded to nothing"
    check(msgs, exp)


@pytest.mark.parametrize("path", sorted(CAPTURES.glob("*.pcapng")), ids=lambda p: p.name)
def test_every_message_decodes_fully(path):
    """No malformed message, and no unknown attribute in any message a registered dissector
    claims (families not written yet are left to their own issues)."""
    for m in decode_file(path):
        if not m.malformed and not m.claimed:
            continue
        assert not m.malformed, f"{m.frame}.{m.index} malformed: {m.info}"
        bad = [n for n in m.tree.walk() if n.status]
        assert not bad, f"{m.frame}.{m.index} {m.type_name}: {[(n.name, n.status, n.show) for n in bad]}"


@pytest.mark.parametrize("name", ["rtnl-extack", "nlscope-test", "classic", "nl80211", "rtnl-deep", "genl-more", "nf-diag",
                                  "mixed", "monitors", "objects", "stations"])
def test_supported_captures_are_claimed_whole(name):
    """Every message of these captures belongs to a family nlscope declares in full."""
    msgs = decode_file(CAPTURES / f"{name}.pcapng")
    assert msgs and all(m.claimed for m in msgs)


def test_unwritten_families_are_not_claimed():
    """A protocol or generic-netlink family nobody declared is shown, not claimed."""
    from dissectors import Context, decode_frame
    from tests.dissectors.build import msg
    assert not decode_frame(msg(0x10, 1, b"\0" * 8), protocol=31, ctx=Context())[0].claimed
    assert not decode_frame(msg(0x7F, 1, b"\x01\x01\0\0"), protocol=16, ctx=Context({0x7F: "no_such"}))[0].claimed
    msgs = decode_file(CAPTURES / "mixed.pcapng")
    assert any(m.claimed and m.family == "nlctrl" for m in msgs)


def test_genl_families_claimed_and_counted():
    """The generic-netlink families of the mixed capture (wg, ip mptcp, …) are declared, and
    the count of unknown attributes over the written ones is zero."""
    msgs = (decode_file(CAPTURES / "mixed.pcapng") + decode_file(CAPTURES / "nl80211.pcapng")
            + decode_file(CAPTURES / "genl-more.pcapng"))
    written = {"nl80211", "wireguard", "mptcp_pm", "ethtool", "nlctrl", "devlink", "TASKSTATS", "NET_DM", "team",
               "psample", "ovs_datapath", "ovs_vport", "ovs_flow"}
    seen = {m.family for m in msgs if m.protocol == 16 and m.family in written}
    assert seen == written
    unknown = sum(m.unknown_count() for m in msgs if m.protocol == 16 and m.family in written)
    assert unknown == 0
