"""captures/host-6.18/iproute2.pcapng: iproute2, ss, ethtool, nft and ip xfrm on a 6.18 kernel,
recorded by captures/host-6.18/iproute2.sh (strace, tools/strace2pcap.py).  The values are
the ones the script set and the programs printed (iproute2.out)."""
import pytest

from tests.conftest import CAPTURES, decode_file

PATH = CAPTURES / "host-6.18" / "iproute2.pcapng"


@pytest.fixture(scope="module")
def msgs():
    return decode_file(PATH)


def values(msgs, field):
    return [n.value for m in msgs for n in m.tree.find_all(field)]


def test_links_carry_the_attributes_kernels_after_6_12_add(msgs):
    """IFLA_NETNS_IMMUTABLE (67), IFLA_HEADROOM (68) and IFLA_TAILROOM (69) on every link."""
    links = [m for m in msgs if m.type_name == "RTM_NEWLINK" and m.tree.find("rtnl.link.ifname") is not None]
    assert links
    for m in links:
        assert m.tree.find("rtnl.link.headroom") is not None and m.tree.find("rtnl.link.tailroom") is not None
        assert m.tree.find("rtnl.link.netns_immutable") is not None


def test_the_values_the_script_set_come_back(msgs):
    assert 1400 in values(msgs, "rtnl.link.mtu")                       # ip link set t1 mtu 1400
    assert "tapalt" in values(msgs, "rtnl.link.prop_list.alt_ifname")  # ip link property add … altname tapalt
    assert 1000 in values(msgs, "rtnl.rule.priority")                  # ip rule add … pref 1000
    assert 100 in values(msgs, "rtnl.route.priority")                  # ip route add … metric 100


def test_link_property_requests_are_decoded(msgs):
    (req,) = [m for m in msgs if m.type_name == "RTM_NEWLINKPROP"]
    assert req.claimed and req.info == "altname tapalt for index 3"


def test_vsock_and_xdp_socket_dumps_are_claimed(msgs):
    infos = {m.type_name: m.info for m in msgs if m.type_name.startswith("SOCK_DIAG_BY_FAMILY")}
    assert infos["SOCK_DIAG_BY_FAMILY vsock request"] == "vsock dump"
    assert infos["SOCK_DIAG_BY_FAMILY xdp request"] == "xdp dump"


def test_nothing_is_unknown_or_malformed_in_what_is_claimed(msgs):
    for m in msgs:
        assert not m.malformed, f"{m.frame}.{m.index}: {m.info}"
        if m.claimed:
            bad = [(n.name, n.status) for n in m.tree.walk() if n.status]
            assert not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"
