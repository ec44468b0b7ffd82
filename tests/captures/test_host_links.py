"""captures/host-6.18/links.pcapng: bridge, vlan, vxlan, fdb, conntrack, ipset, tc, ip -batch,
route get and ethtool queries on a 6.18 kernel (captures/host-6.18/links.sh)."""
import pytest

from tests.conftest import CAPTURES, decode_file

PATH = CAPTURES / "host-6.18" / "links.pcapng"


@pytest.fixture(scope="module")
def msgs():
    return decode_file(PATH)


def test_a_vxlan_link_from_a_6_18_kernel_is_decoded_to_its_last_attribute(msgs):
    """vxlan_fill_info sends IFLA_VXLAN_RESERVED_BITS (6.14) for every vxlan link."""
    vx = [m for m in msgs if m.type_name == "RTM_NEWLINK" and m.tree.first("rtnl.link.linkinfo.kind") == "vxlan"
          and m.direction == "from kernel"]
    assert vx
    for m in vx:
        assert m.tree.first("rtnl.link.linkinfo.vxlan.id") == 42          # ip link add vx0 type vxlan id 42
        assert m.tree.first("rtnl.link.linkinfo.vxlan.port") == 4789
        assert m.tree.find("rtnl.link.linkinfo.vxlan.reserved_bits") is not None
        assert not [n for n in m.tree.walk() if n.status]


def test_the_veth_pair_and_the_fdb_dump_come_back(msgs):
    """This kernel has veth but no bridge (its refusals are in links.out): `ip -d link show`
    lists v1@v0, `bridge fdb show` the tap's multicast entries."""
    names = {m.tree.first("rtnl.link.ifname") for m in msgs if m.type_name == "RTM_NEWLINK"}
    assert {"v0", "v1", "vx0", "t1"} <= names
    fdb = {m.tree.first("rtnl.neigh.lladdr") for m in msgs if m.type_name == "RTM_NEWNEIGH"}
    assert {"33:33:00:00:00:01", "01:00:5e:00:00:01"} <= fdb


def test_nothing_claimed_is_unknown_or_malformed(msgs):
    for m in msgs:
        assert not m.malformed, f"{m.frame}.{m.index}: {m.info}"
        if m.claimed:
            bad = [(n.name, n.status) for n in m.tree.walk() if n.status]
            assert not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"
