"""`Message.decode(fields=…)` decodes only what holds those fields (what display filters
and `-T fields` can read instead of the whole tree): for every message of every capture,
the nodes of the fields asked for are exactly those of the whole tree."""
import random

import pytest

from tests.conftest import CAPTURES, PYROUTE2_PCAP, decode_file

SOURCES = sorted(CAPTURES.glob("*.pcapng")) + [PYROUTE2_PCAP]
COMMON = ("rtnl.link.mtu", "rtnl.link.ifname", "rtnl.link.index", "rtnl.link.flags.up", "rtnl.route.dst",
          "rtnl.link.linkinfo.kind", "netlink.flags.ack", "netlink.error", "ctnl.ct.status.assured",
          "nl80211.ifname", "genl.ctrl.family_name", "netlink.extack.msg", "netlink.extack.attr")


def _nodes(tree, field):
    return [(n.value, n.offset, n.length, n.show, n.status) for n in tree.walk() if n.field.abbrev == field]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_a_decode_of_some_fields_has_them_all_as_the_whole_tree_has(path):
    rng = random.Random(14)
    cheap, full = decode_file(path), decode_file(path)
    checked = partial = 0
    for c, f in zip(cheap, full):
        whole = f.tree
        present = sorted({n.field.abbrev for n in whole.walk()})
        picks = [rng.sample(present, min(3, len(present))), [rng.choice(COMMON)], rng.sample(COMMON, 3)]
        for fields in picks:
            got = c.decode(fields=frozenset(fields))
            for field in fields:
                assert _nodes(got, field) == _nodes(whole, field), (path.name, c.frame, c.index, fields, field)
            checked += 1
            partial += sum(1 for _ in got.walk()) < sum(1 for _ in whole.walk())
    assert checked > 0 and (partial > 0 or path.name in ("classic.pcapng", "connector.pcapng")), (checked, partial)


def test_a_decode_of_some_fields_is_smaller_and_the_whole_tree_is_still_the_whole():
    seen = decode_file(CAPTURES / "rtnl-deep.pcapng")
    i = next(i for i, m in enumerate(seen) if m.type_name == "RTM_NEWLINK" and m.tree.find("rtnl.link.stats64"))
    m = decode_file(CAPTURES / "rtnl-deep.pcapng")[i]
    small = m.decode(fields={"rtnl.link.mtu"})
    names = {n.field.abbrev for n in small.walk()}
    assert "rtnl.link.mtu" in names and "rtnl.link.stats64" not in names and "rtnl.link.txqlen" not in names
    assert m.decode() is m.tree and "rtnl.link.stats64" in {n.field.abbrev for n in m.tree.walk()}
    assert m.decode(fields={"rtnl.link.mtu"}) is m.tree   # built already: nothing to save
    # a field whose place the declarations do not tell: the whole tree
    other = decode_file(CAPTURES / "rtnl-deep.pcapng")[0]
    assert other.decode(fields={"netlink.malformed"}) is other.tree
