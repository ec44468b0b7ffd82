"""captures/host-6.18/ip-extras.pcapng: what iproute2 sends and the kernel answers for
lightweight tunnels, nexthop objects, AF_MPLS routes, route metrics, rules, multicast routes
and protodown reasons (captures/host-6.18/ip-extras.sh).  The values are the ones ip printed
(ip-extras.out) or was told in the script."""
import re

import pytest

from tests.conftest import CAPTURES, decode_file
from tests.expect import check_claimed_whole

HERE = CAPTURES / "host-6.18"
PATH = HERE / "ip-extras.pcapng"
OUT = (HERE / "ip-extras.out").read_text()


@pytest.fixture(scope="module")
def msgs():
    return decode_file(PATH)


def routes(msgs, dst, direction="from kernel"):
    return [m for m in msgs if m.type_name == "RTM_NEWROUTE" and m.direction == direction
            and m.tree.first("rtnl.route.dst") == dst]


def sent(msgs, kind, field, value):
    """The requests of `kind` whose `field` is `value`.  The kernel's RTM_NEWNEXTHOP
    notification repeats the request's nlmsg_flags (nexthop_notify), NLM_F_REQUEST too, so that
    `ip monitor`'s copy looks sent as well: it follows the request, with ip's port id."""
    return [m for m in msgs if m.type_name == kind and m.direction == "to kernel" and m.tree.first(field) == value]


def values(m, field):
    return [n.value for n in m.tree.find_all(field)]


def test_every_message_is_claimed_and_fully_decoded(msgs):
    assert len(msgs) > 400
    check_claimed_whole(msgs)


SEG6 = re.compile(r"^unicast (\S+?)(?:/\d+)?\s+encap seg6 mode (\S+) segs \d+ \[ (.*?) \](?: hmac (\w+))?", re.M)


def test_seg6_routes_carry_the_segments_ip_prints(msgs):
    """`ip -d -6 route show` prints the SRH's segments last first (print_srh walks them from
    first_segment down): the decoded segments, in wire order, are that list reversed."""
    found = SEG6.findall(OUT)
    assert len(found) == 4
    for dst, mode, segs, hmac in found:
        (m,) = routes(msgs, dst)[-1:]
        assert m.tree.first("rtnl.route.encap.seg6.encap.mode") == \
            {"inline": 0, "encap": 1, "l2encap": 2, "encap.red": 3}[mode]
        assert values(m, "rtnl.srh.segment")[::-1] == segs.split()
        if hmac:
            assert m.tree.first("rtnl.srh.flags") & 0x08                      # SR6_FLAG1_HMAC
            assert m.tree.first("rtnl.srh.tlv.hmackeyid") == int(hmac, 16)    # hmac 2A: key 42
    # the IPv4 route with an l2encap SRH (ip route show, not -6)
    (m,) = routes(msgs, "10.99.0.0")[-1:]
    assert values(m, "rtnl.srh.segment") == ["2001:db8::2"]


SEG6LOCAL = re.compile(r"^unicast (\S+?)/\d+\s+encap seg6local action (\S+)(.*?) dev t1", re.M)
ACTIONS = {"End": 1, "End.X": 2, "End.T": 3, "End.DX6": 5, "End.DX4": 6, "End.B6.Encaps": 10}


def test_seg6local_routes_carry_their_action_and_parameters(msgs):
    found = SEG6LOCAL.findall(OUT)
    assert len(found) == 7
    for dst, action, rest in found:
        (m,) = routes(msgs, dst)[-1:]
        assert m.tree.first("rtnl.route.encap.seg6local.action") == ACTIONS[action]
        words = rest.split()
        params = dict(zip(words[::2], words[1::2]))
        if "nh6" in params:
            assert m.tree.first("rtnl.route.encap.seg6local.nh6") == params["nh6"]
        if "nh4" in params:
            assert m.tree.first("rtnl.route.encap.seg6local.nh4") == params["nh4"]
        if "table" in params:
            assert m.tree.first("rtnl.route.encap.seg6local.table") == int(params["table"])
        if "lblen" in params:
            assert m.tree.first("rtnl.route.encap.seg6local.flavors.lcblock_bits") == int(params["lblen"])
            assert m.tree.first("rtnl.route.encap.seg6local.flavors.lcnode_fn_bits") == int(params["nflen"])
            assert m.tree.first("rtnl.route.encap.seg6local.flavors.operation") == 1 << 4   # NEXT_CSID
        if params.get("flavors") == "psp":
            assert m.tree.first("rtnl.route.encap.seg6local.flavors.operation") == 1 << 1   # PSP
        if action == "End.B6.Encaps":
            assert values(m, "rtnl.srh.segment")[::-1] == ["2001:db8::5", "2001:db8::6"]


def test_refused_encapsulations_are_decoded_in_the_request_and_its_echo(msgs):
    """ioam6, rpl, mpls and xfrm: the kernel has none of them (EOPNOTSUPP, "lwt encapsulation
    type not supported"); what ip sent is decoded, in the request and in the error's echo."""
    (ioam,) = sent(msgs, "RTM_NEWROUTE", "rtnl.route.dst", "fc08::")
    assert ioam.tree.first("rtnl.route.encap.ioam6.mode") == 2                          # mode encap
    assert ioam.tree.first("rtnl.route.encap.ioam6.dst") == "fd00::9"                   # tundst
    assert ioam.tree.first("rtnl.route.encap.ioam6.freq_k") == 2
    assert ioam.tree.first("rtnl.route.encap.ioam6.freq_n") == 5                        # freq 2/5
    assert ioam.tree.first("rtnl.route.encap.ioam6.trace_hdr.namespace_id") == 1        # ns 1
    assert ioam.tree.first("rtnl.route.encap.ioam6.trace_hdr.remlen") == 16 // 4        # size 16
    assert ioam.tree.first("rtnl.route.encap.ioam6.trace_hdr.type_be32") >> 8 == 0xC00000
    (rpl,) = sent(msgs, "RTM_NEWROUTE", "rtnl.route.dst", "fc09::")
    assert values(rpl, "rtnl.rpl.segment")[::-1] == ["fd00::2", "fd00::3"]
    (mpls,) = sent(msgs, "RTM_NEWROUTE", "rtnl.route.dst", "10.98.0.0")
    assert values(mpls, "rtnl.mpls.label") == [100, 200] and mpls.tree.first("rtnl.route.encap.mpls.ttl") == 10
    (xfrm,) = sent(msgs, "RTM_NEWROUTE", "rtnl.route.dst", "10.96.0.0")
    assert xfrm.tree.first("rtnl.route.encap.xfrm.if_id") == 1
    errors = [m for m in msgs if m.type_name == "NLMSG_ERROR" and "lwt encapsulation type not supported" in m.info]
    assert len(errors) == 6
    assert all((m.tree.find("rtnl.route.encap_type") or m.tree.find("rtnl.nexthop.encap_type")) is not None
               and not any(n.status for n in m.tree.walk()) for m in errors)


def test_nexthop_objects_with_encapsulations_and_resilient_groups(msgs):
    """`ip nexthop show`: id 5 with a seg6 encap, id 10 resilient over 5 and 7 (weight 3)."""
    assert "id 5  encap seg6 mode encap segs 1 [ 2001:db8::2 ]" in OUT
    (five,) = [m for m in msgs if m.type_name == "RTM_NEWNEXTHOP" and m.direction == "from kernel"
               and m.tree.first("rtnl.nexthop.id") == 5][:1]
    assert values(five, "rtnl.srh.segment") == ["2001:db8::2"]
    assert five.tree.first("rtnl.nexthop.encap_type") == 5                              # LWTUNNEL_ENCAP_SEG6
    mpls = sent(msgs, "RTM_NEWNEXTHOP", "rtnl.nexthop.id", 6)[0]                        # refused: no mpls
    assert values(mpls, "rtnl.mpls.label") == [100]
    assert "id 10 group 5/7,3 type resilient buckets 8 idle_timer 10 unbalanced_timer 20" in OUT
    ten = sent(msgs, "RTM_NEWNEXTHOP", "rtnl.nexthop.id", 10)[0]
    assert values(ten, "rtnl.nexthop.group.entry.id") == [5, 7]
    assert values(ten, "rtnl.nexthop.group.entry.weight") == [0, 2]                      # weight - 1
    assert ten.tree.first("rtnl.nexthop.res_group.buckets") == 8
    assert ten.tree.first("rtnl.nexthop.res_group.idle_timer") == 10 * 100               # clock_t
    assert ten.tree.first("rtnl.nexthop.res_group.unbalanced_timer") == 20 * 100


def test_af_mpls_routes_are_labels_not_addresses(msgs):
    """`ip -M route add 100 as 200 via inet 10.9.0.2` (refused: no mpls_router): RTA_DST is a
    label, RTA_NEWDST a label stack, RTA_VIA an address of another family."""
    reqs = [m for m in msgs if m.type_name == "RTM_NEWROUTE" and m.tree.first("rtnl.route.family") == 28]
    assert [m.info for m in reqs] == ["label 100 as 200 via 10.9.0.2 dev 2", "label 101 as 300/400 via fd00::2 dev 2"]
    assert values(reqs[1], "rtnl.mpls.label") == [101, 300, 400]
    assert reqs[1].tree.find("rtnl.route.dst") is None                                   # not read as IPv4


def test_route_metrics_ip_sets(msgs):
    """congctl is a string (RTAX_CC_ALGO), lock a bit per locked metric, features RTAX_FEATURE_*."""
    (m,) = sent(msgs, "RTM_NEWROUTE", "rtnl.route.dst", "10.93.0.0")
    assert m.tree.first("rtnl.route.metrics.cc_algo") == "reno"
    assert m.tree.first("rtnl.route.metrics.mtu") == 1300 and m.tree.first("rtnl.route.metrics.window") == 1000
    assert m.tree.first("rtnl.route.metrics.lock") == (1 << 2) | (1 << 13) | (1 << 16)   # mtu, rto_min, cc_algo
    assert m.tree.first("rtnl.route.metrics.lock.mtu") is True and m.tree.first("rtnl.route.metrics.lock.cc_algo")
    assert m.tree.first("rtnl.route.metrics.features") == 1                              # features ecn
    assert m.tree.first("rtnl.route.metrics.rto_min") == 30                              # rto_min 30ms
    (cubic,) = routes(msgs, "10.92.0.0")[-1:]
    assert cubic.tree.first("rtnl.route.metrics.cc_algo") == "cubic" and "congctl cubic" in OUT


def test_rules_with_the_attributes_newer_kernels_add(msgs):
    """`ip rule add iif t1 ipproto tcp dport 22 …`: 6.18 answers with FRA_DPORT_MASK (6.15)."""
    (m,) = [m for m in msgs if m.type_name == "RTM_NEWRULE" and m.direction == "from kernel"
            and m.tree.first("rtnl.rule.table") == 9][:1]
    assert m.tree.first("rtnl.rule.ip_proto") == 6 and m.tree.first("rtnl.rule.port_range.start") == 22
    assert m.tree.first("rtnl.rule.dport_mask") == 0xFFFF
    assert m.tree.first("rtnl.rule.iifname") == "t1" and m.tree.first("rtnl.rule.protocol") == 4


def test_multicast_route_stats(msgs):
    """`ip -s mroute show`: (10.9.0.5,239.1.1.1) from t1 to t2, 0 packets, 0 bytes."""
    assert "(10.9.0.5,239.1.1.1)             Iif: t1         Oifs: t2  State: resolved" in OUT
    dumps = [m for m in msgs if m.type_name == "RTM_NEWROUTE" and m.tree.first("rtnl.route.family") == 128]
    assert dumps
    for m in dumps:
        assert m.tree.first("rtnl.route.src") == "10.9.0.5" and m.tree.first("rtnl.route.dst") == "239.1.1.1"
        assert m.tree.first("rtnl.route.mfc_stats.packets") == 0 and m.tree.first("rtnl.route.mfc_stats.bytes") == 0
        assert m.tree.first("rtnl.route.mfc_stats.wrong_if") == 0


def test_protodown_reasons(msgs):
    """`ip link set vx0 protodown_reason 1 on`: reason bit 1 in MASK and VALUE; the link then
    reports VALUE 0x2 (`protodown_reason <1>`)."""
    assert "protodown on protodown_reason <1>" in OUT
    (req,) = [m for m in msgs if m.direction == "to kernel" and m.tree.find("rtnl.link.proto_down_reason.mask")
              is not None and m.tree.first("rtnl.link.proto_down_reason.value") == 2]
    assert req.tree.first("rtnl.link.proto_down_reason.mask") == 2
    reported = [m.tree.first("rtnl.link.proto_down_reason.value") for m in msgs if m.direction == "from kernel"
                and m.tree.first("rtnl.link.ifname") == "vx0" and m.tree.find("rtnl.link.proto_down_reason") is not None]
    assert reported and set(reported) == {2}


def test_tokens_labels_and_names(msgs):
    assert "token ::1a dev t1" in OUT
    assert any(m.type_name == "RTM_SETLINK" and m.tree.first("rtnl.link.inet6.token") == "::1a" for m in msgs)
    labels = [m for m in msgs if m.type_name == "RTM_NEWADDRLABEL" and m.direction == "to kernel"]
    assert [m.tree.first("rtnl.addrlabel.label") for m in labels] == [99]
    assert "nlscope-alt" in {n.value for m in msgs for n in m.tree.find_all("rtnl.link.prop_list.alt_ifname")}


def test_link_kinds_the_kernel_lacks_are_decoded_in_the_request(msgs):
    """bareudp, hsr, rmnet and ipoib: `Error: Unknown device type.`, with ip's data decoded."""
    new = {m.tree.first("rtnl.link.ifname"): m for m in msgs if m.type_name == "RTM_NEWLINK" and m.direction == "to kernel"}
    bu = new["bu0"]
    assert (bu.tree.first("rtnl.link.linkinfo.bareudp.port"), bu.tree.first("rtnl.link.linkinfo.bareudp.ethertype"),
            bu.tree.first("rtnl.link.linkinfo.bareudp.srcport_min")) == (6635, 0x8847, 2000)   # mpls_uc
    assert bu.tree.first("rtnl.link.linkinfo.bareudp.multiproto_mode") is True
    hsr = new["hsr0"]
    assert (hsr.tree.first("rtnl.link.linkinfo.hsr.multicast_spec"), hsr.tree.first("rtnl.link.linkinfo.hsr.version"),
            hsr.tree.first("rtnl.link.linkinfo.hsr.protocol")) == (45, 1, 0)
    assert new["rmnet0"].tree.first("rtnl.link.linkinfo.rmnet.mux_id") == 5
    ib = new["ib0"]
    assert (ib.tree.first("rtnl.link.linkinfo.ipoib.pkey"), ib.tree.first("rtnl.link.linkinfo.ipoib.mode"),
            ib.tree.first("rtnl.link.linkinfo.ipoib.umcast")) == (0x8001, 1, 1)                  # connected
    assert OUT.count("Error: Unknown device type.") >= 4
