"""Protocol.fields_only_here, checked where it matters: a display filter on `rtnl.link.mtu`
skips every message of another protocol undecoded, so no message of another protocol may
hold a field named under rtnetlink's abbrev — in any committed capture or any capture of the
shared corpus (made by others); tests/test_layering.py holds that no family imports another
protocol's modules (where such a field could come from)."""
from __future__ import annotations

import pytest

import dissectors
import nlscope
from dissectors import PROTOCOLS
from dissectors.core.registry import field_owner
from nlscope.analysis.filter import compile_filter
from tests.conftest import CAPTURES, CORPUS

FILES = sorted(CAPTURES.rglob("*.pcapng")) + sorted(p for p in CORPUS.rglob("*.pcap*") if p.is_file())


def test_the_protocols_that_claim_their_fields_are_the_built_in_ones():
    dissectors.load_families()
    owners = {p.abbrev: n for n, p in PROTOCOLS.items() if p.fields_only_here}
    assert {"rtnl", "genl", "sock_diag", "xfrm", "audit"} <= set(owners) and "nfnl" not in owners
    assert field_owner("rtnl.link.mtu") == 0 and field_owner("rtnl.link.flags.up") == 0
    assert field_owner("genl.ctrl.family_name") == 16
    # the core's names and the genl families' own are anyone's
    assert field_owner("netlink.seq") is None and field_owner("nl80211.ifindex") is None
    assert field_owner("nlscope.process") is None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_no_message_holds_a_field_another_protocol_claims(path):
    try:
        msgs = list(nlscope.open(str(path)))
    except Exception:   # a corpus file nlscope refuses as a whole: nothing decoded, nothing to check
        pytest.skip(f"{path.name} does not open")
    for m in msgs:
        for n in m.tree.walk():
            owner = field_owner(n.field.abbrev)
            assert owner is None or owner == m.protocol, (m.frame, m.index, m.protocol, n.field.abbrev)


def test_a_filter_skips_another_protocols_messages_and_answers_as_a_decode_would():
    """The skip changes no answer: `not rtnl.link.ifname` keeps a genl message (no such field
    there), `rtnl.link.mtu` does not, and an rtnetlink message is still decoded."""
    msgs = list(nlscope.open(str(CAPTURES / "mixed.pcapng")))
    genl = next(m for m in msgs if m.protocol == 16)
    link = next(m for m in msgs if m.protocol == 0 and m.tree.first("rtnl.link.mtu") is not None)
    assert compile_filter("not rtnl.link.ifname")(genl) and not compile_filter("rtnl.link.mtu")(genl)
    assert compile_filter(f"rtnl.link.mtu == {link.tree.first('rtnl.link.mtu')}")(link)
