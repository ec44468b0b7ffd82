"""Routing daemons and libraries on the host's 6.18 kernel (captures/host-6.18/): FRR (zebra,
staticd, pbrd), BIRD 2, keepalived, radvd, systemd-networkd and pyroute2, each recorded by its NAME.sh with
what it printed in NAME.out; the decoded values are checked against that output."""
import re

import pytest

from tests.conftest import CAPTURES, decode_file
from tests.expect import check_claimed_whole

HERE = CAPTURES / "host-6.18"
NAMES = ["frr", "bird", "keepalived", "radvd", "networkd", "pyroute2"]
RTPROT_BIRD, RTPROT_KEEPALIVED, FRR_RTPROT_STATIC = 12, 18, 196   # FRR's zebra/rt_netlink.h: RTPROT_ZSTATIC
RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT = 1, 6, 7, 8


@pytest.fixture(scope="module")
def caps():
    return {n: decode_file(HERE / f"{n}.pcapng") for n in NAMES}


def out(name):
    return (HERE / f"{name}.out").read_text()


def block(text, header):
    """The lines a `+ header` line of a NAME.out introduces, up to the next `+ ` line."""
    lines = text.split(f"+ {header}\n", 1)[1].split("\n")
    return [ln for ln in lines[:next((i for i, ln in enumerate(lines) if ln.startswith("+ ")), len(lines))] if ln]


def sent(msgs, kind):
    return [m for m in msgs if m.type_name == kind and m.direction == "to kernel"]


def values(m, field):
    return [n.value for n in m.tree.find_all(field)]


@pytest.mark.parametrize("name", NAMES)
def test_every_message_is_claimed_and_fully_decoded(caps, name):
    msgs = caps[name]
    assert len(msgs) > 50
    check_claimed_whole(msgs)


# --- FRR --------------------------------------------------------------------------------------
def test_zebra_installs_nexthop_objects_and_groups_ip_then_lists(caps):
    """Every `ip nexthop show` line of zebra's objects is one of its RTM_NEWNEXTHOP requests:
    `id 18 group 17/19` a group of those ids, `id 17 via 10.9.0.2 dev t1` a gateway."""
    reqs = sent(caps["frr"], "RTM_NEWNEXTHOP")
    by_id = {}
    for m in reqs:
        by_id.setdefault(m.tree.first("rtnl.nexthop.id"), []).append(m)
    lines = block(out("frr"), "ip nexthop show")
    assert len(lines) > 8
    for ln in lines:
        nid = int(ln.split()[1])
        got = by_id[nid]
        assert all(m.tree.first("rtnl.nexthop.protocol") == 11 for m in got)          # proto zebra
        if " group " in ln:
            members = [int(x) for x in ln.split(" group ")[1].split()[0].split("/")]
            assert any(values(m, "rtnl.nexthop.group.entry.id") == members for m in got), ln
        elif " via " in ln:
            gw = ln.split(" via ")[1].split()[0]
            assert any(m.tree.first("rtnl.nexthop.gateway") == gw and m.tree.first("rtnl.nexthop.oif") == 2
                       for m in got), ln
        elif "blackhole" in ln:
            assert any(m.tree.first("rtnl.nexthop.blackhole") for m in got), ln


def test_zebra_routes_point_at_their_nexthop_objects(caps):
    """`10.50.0.0/16 nhid 17 via 10.9.0.2 dev t1 proto static metric 20`: RTA_NH_ID 17,
    metric 20, FRR's own protocol number for static routes (196, iproute2's rt_protos.d)."""
    routes = sent(caps["frr"], "RTM_NEWROUTE")
    lines = [ln for ln in block(out("frr"), "ip route show") + block(out("frr"), "ip -6 route show")
             + block(out("frr"), "ip route show table 100") if " nhid " in ln]
    assert len(lines) >= 8
    for ln in lines:
        dst = ln.split()[0].split("/")[0]
        nhid = int(ln.split(" nhid ")[1].split()[0])
        assert any(m.tree.first("rtnl.route.dst") == dst and m.tree.first("rtnl.route.nh_id") == nhid
                   and m.tree.first("rtnl.route.priority") == 20
                   and m.tree.first("rtnl.route.protocol") == FRR_RTPROT_STATIC for m in routes), ln
    (t100,) = [m for m in routes if m.tree.first("rtnl.route.dst") == "10.57.0.0"][:1]
    assert t100.info.endswith("table 100")


def test_pbrd_policy_becomes_a_rule(caps):
    """`309: from 10.9.0.0/24 to 10.62.0.0/16 fwmark 0x7 iif t1 lookup 10000 proto zebra`."""
    assert "309:\tfrom 10.9.0.0/24 to 10.62.0.0/16 fwmark 0x7 iif t1 lookup 10000 proto zebra" in out("frr")
    rules = [m for m in sent(caps["frr"], "RTM_NEWRULE") if m.tree.first("rtnl.rule.priority") == 309]
    assert rules
    m = rules[0]
    assert (m.tree.first("rtnl.rule.src"), m.tree.first("rtnl.rule.src_len")) == ("10.9.0.0", 24)
    assert (m.tree.first("rtnl.rule.dst"), m.tree.first("rtnl.rule.dst_len")) == ("10.62.0.0", 16)
    assert m.tree.first("rtnl.rule.fwmark") == 7 and m.tree.first("rtnl.rule.iifname") == "t1"
    assert m.info == "pref 309 from 10.9.0.0/24 lookup 10000"                 # FRA_TABLE, not the u8


def test_vtysh_shutdown_comes_back_as_link_notifications(caps):
    """`interface t1` / `shutdown`, then `no shutdown`: zebra sets the flags by ioctl, and the
    kernel's RTM_NEWLINK notifications tell it t1 went down and came up (`Link downs: 1`)."""
    assert "Link downs:     1" in out("frr") and "Link ups:       1" in out("frr")
    notes = [bool(m.tree.first("rtnl.link.flags") & 1) for m in caps["frr"] if m.type_name == "RTM_NEWLINK"
             and m.direction == "from kernel" and m.seq == 0 and m.tree.first("rtnl.link.index") == 2]
    down = notes.index(False)
    assert True in notes[down:]


# --- BIRD -------------------------------------------------------------------------------------
def bird_route(msgs, dst):
    got = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == dst]
    assert got, dst
    return got[0]


def test_bird_kernel_protocols_export_what_ip_shows(caps):
    msgs, text = caps["bird"], out("bird")
    main = block(text, "ip route show")
    assert "10.80.0.0/16 via 10.9.0.2 dev t1 proto bird src 10.9.0.1 metric 64 realm 7 " in main
    m = bird_route(msgs, "10.80.0.0")
    assert (m.tree.first("rtnl.route.prefsrc"), m.tree.first("rtnl.route.flow"), m.tree.first("rtnl.route.priority"),
            m.tree.first("rtnl.route.protocol")) == ("10.9.0.1", 7, 64, RTPROT_BIRD)
    # `nexthop via 10.9.0.3 dev t1 weight 3` / `via 10.9.0.2 … weight 1`: rtnh_hops is weight - 1
    m = bird_route(msgs, "10.81.0.0")
    assert values(m, "rtnl.route.gateway") == ["10.9.0.3", "10.9.0.2"]
    assert values(m, "rtnl.route.nexthop.hops") == [2, 0]
    assert "prohibit 10.84.0.0/16 proto bird metric 64 " in main
    assert bird_route(msgs, "10.84.0.0").tree.first("rtnl.route.type") == RTN_PROHIBIT
    # table 100 (kernel table 100): metric 32, RTA_TABLE 100
    assert "10.90.0.0/16 via 10.9.0.2 dev t1 proto bird metric 32 " in block(text, "ip route show table 100")
    m = bird_route(msgs, "10.90.0.0")
    assert m.info == "10.90.0.0/16 via 10.9.0.2 dev 2 table 100" and m.tree.first("rtnl.route.priority") == 32
    assert bird_route(msgs, "10.91.0.0").tree.first("rtnl.route.type") == RTN_BLACKHOLE
    six = block(text, "ip -6 route show")
    assert "unreachable fd82::/64 dev lo proto bird metric 32 pref medium" in six
    assert bird_route(msgs, "fd82::").tree.first("rtnl.route.type") == RTN_UNREACHABLE
    assert values(bird_route(msgs, "fd81::"), "rtnl.route.gateway") == ["fd00::2", "fd00::3"]


def test_bird_krt_attributes_are_route_metrics(caps):
    """krt_mtu and friends: `mtu lock 1400 window 65535 rtt 12ms rttvar 12ms advmss 1360 …`
    (ip prints RTAX_RTT / 8 ms: BIRD sent krt_rtt = 100, krt_rttvar = 50)."""
    line = next(ln for ln in block(out("bird"), "ip route show") if ln.startswith("10.82.0.0/16"))
    words = line.split()
    shown = {k: words[i + 1] for i, k in enumerate(words[:-1])}
    m = bird_route(caps["bird"], "10.82.0.0")
    metric = lambda n: m.tree.first(f"rtnl.route.metrics.{n}")   # noqa: E731
    assert words[words.index("mtu") + 1] == "lock" and metric("mtu") == int(words[words.index("mtu") + 2])
    assert metric("lock.mtu") is True
    for name in ("window", "advmss", "reordering", "hoplimit", "initcwnd", "initrwnd", "quickack"):
        assert metric(name) == int(shown[name]), name
    assert metric("rtt") // 8 == int(shown["rtt"].rstrip("ms")) and metric("rtt") == 100
    m = bird_route(caps["bird"], "10.85.0.0")     # krt_feature_ecn, krt_lock_window, scope link
    assert m.tree.first("rtnl.route.metrics.features") == 1
    assert m.tree.first("rtnl.route.metrics.lock.window") is True
    assert m.tree.first("rtnl.route.metrics.ssthresh") == 100 and m.tree.first("rtnl.route.metrics.rto_min") == 200
    # `10.85.0.0/16 unicast … !`: the kernel refused it (a gateway out of reach from scope link)
    errors = [x for x in caps["bird"] if x.type_name == "NLMSG_ERROR" and x.seq == m.seq]
    assert [x.info.split()[0] for x in errors] == ["ENETUNREACH"]


def test_bird_withdraws_what_its_new_configuration_drops(caps):
    deleted = {m.tree.first("rtnl.route.dst") for m in sent(caps["bird"], "RTM_DELROUTE")}
    assert {"10.84.0.0", "fd80::", "fd81::", "fd82::"} <= deleted
    assert "fd80::" not in " ".join(block(out("bird"), "ip -6 route show")[-6:])


# --- keepalived ---------------------------------------------------------------------------------
def test_keepalived_adds_and_removes_its_virtual_addresses_route_and_rule(caps):
    msgs, text = caps["keepalived"], out("keepalived")
    assert "inet 10.9.0.101/24 scope global secondary t1:vip" in text and "inet6 fd00::100/64 scope global nodad" in text
    addr = lambda m: m.tree.first("rtnl.addr.local") or m.tree.first("rtnl.addr.address")   # noqa: E731
    adds = {(addr(m), m.tree.first("rtnl.addr.prefixlen"), m.tree.first("rtnl.addr.label"))
            for m in sent(msgs, "RTM_NEWADDR")}
    assert {("10.9.0.100", 24, None), ("10.9.0.101", 24, "t1:vip"), ("fd00::100", 64, None)} <= adds
    v6 = [m for m in sent(msgs, "RTM_NEWADDR") if addr(m) == "fd00::100"]
    assert v6 and all(m.tree.first("rtnl.addr.flags.nodad") for m in v6)      # IFA_FLAGS: IFA_F_NODAD
    assert "10.95.0.0/16 via 10.9.0.2 dev t1 proto keepalived metric 77 " in text
    (route,) = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.95.0.0"]
    assert (route.tree.first("rtnl.route.protocol"), route.tree.first("rtnl.route.priority")) == (RTPROT_KEEPALIVED, 77)
    assert "150:\tfrom 10.9.0.100 lookup 150 proto keepalived" in text
    (rule,) = [m for m in sent(msgs, "RTM_NEWRULE") if m.tree.first("rtnl.rule.priority") == 150]
    assert rule.tree.first("rtnl.rule.protocol") == RTPROT_KEEPALIVED and rule.info == "pref 150 from 10.9.0.100/32 lookup 150"
    # at startup (removing leftovers) and at the end (removing its own): ENOENT first, then acks
    dels = [addr(m) for m in sent(msgs, "RTM_DELADDR")]
    assert dels.count("10.9.0.100") == 2 and dels.count("fd00::100") == 2


def test_keepalived_ipvs_is_refused(caps):
    """`IPVS: Can't initialize ipvs`: the IPVS generic-netlink family is not there (ENOENT)."""
    assert "IPVS: Can't initialize ipvs: No such file or directory" in out("keepalived")
    (req,) = [m for m in caps["keepalived"] if m.type_name == "CTRL_CMD_GETFAMILY"]
    assert req.info == "IPVS"
    assert any(m.info.startswith("ENOENT for CTRL_CMD_GETFAMILY") for m in caps["keepalived"])


# --- radvd ----------------------------------------------------------------------------------------
def test_radvd_sees_the_link_and_address_changes_it_logs(caps):
    msgs, text = caps["radvd"], out("radvd")
    assert "netlink: t1, ifindex 2, flags is *NOT* running" in text and "netlink: t1, ifindex 2, new address" in text
    notes = [m for m in msgs if m.direction == "from kernel" and m.seq == 0]
    running = [bool(m.tree.first("rtnl.link.flags") & 0x40) for m in notes if m.type_name == "RTM_NEWLINK"
               and m.tree.first("rtnl.link.index") == 2]
    assert False in running and running[-1] is True                                     # IFF_RUNNING
    assert 1450 in [m.tree.first("rtnl.link.mtu") for m in notes if m.type_name == "RTM_NEWLINK"]
    added = [m.tree.first("rtnl.addr.address") for m in notes if m.type_name == "RTM_NEWADDR"]
    gone = [m.tree.first("rtnl.addr.address") for m in notes if m.type_name == "RTM_DELADDR"]
    assert "fd00:1::2" in added and "fd00:1::2" in gone


# --- systemd-networkd -------------------------------------------------------------------------------
def test_networkd_routes_with_their_properties(caps):
    """[Route] sections: `10.70.0.0/16 via 10.7.0.2 … metric 55 mtu 1300 advmss 1200 initcwnd 20
    initrwnd 30 quickack 1 congctl reno fastopen_no_cookie 1`, a multipath route with weights
    5 and 10, a route through nexthop group 9."""
    msgs, text = caps["networkd"], out("networkd")
    line = next(ln for ln in block(text, "ip route show") if ln.startswith("10.70.0.0/16"))
    words = line.split()
    shown = {k: words[i + 1] for i, k in enumerate(words[:-1])}
    (m,) = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.70.0.0"]
    assert m.tree.first("rtnl.route.priority") == int(shown["metric"])
    for name in ("mtu", "advmss", "initcwnd", "initrwnd", "quickack", "fastopen_no_cookie"):
        assert m.tree.first(f"rtnl.route.metrics.{name}") == int(shown[name]), name
    assert m.tree.first("rtnl.route.metrics.cc_algo") == shown["congctl"] == "reno"
    (mp,) = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.73.0.0"]
    assert values(mp, "rtnl.route.nexthop.hops") == [4, 9] and "nexthop via 10.7.0.3 dev t1 weight 10 " in text
    (viag,) = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.74.0.0"]
    assert viag.tree.first("rtnl.route.nh_id") == 9 and "10.74.0.0/16 nhid 9 proto static " in text
    assert "id 9 group 8/7,3 proto static " in text
    (grp,) = [m for m in sent(msgs, "RTM_NEWNEXTHOP") if m.tree.first("rtnl.nexthop.id") == 9][:1]
    assert values(grp, "rtnl.nexthop.group.entry.id") == [8, 7]
    assert values(grp, "rtnl.nexthop.group.entry.weight") == [0, 2]
    (six,) = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "fd70::"]
    assert six.tree.first("rtnl.route.pref") == 1 and "fd70::/64 via fd07::2 dev t1 proto static metric 1024 pref high" in text


def test_networkd_rules(caps):
    """[RoutingPolicyRule] sections as `ip rule show` prints them."""
    msgs, text = caps["networkd"], out("networkd")
    assert "778:\tfrom all to 10.77.0.0/16 fwmark 0x7/0xff iif t1 ipproto tcp dport 80-90 lookup 78 proto static" in text
    rules = {m.tree.first("rtnl.rule.priority"): m for m in sent(msgs, "RTM_NEWRULE")}
    r = rules[778]
    assert (r.tree.first("rtnl.rule.dst"), r.tree.first("rtnl.rule.dst_len")) == ("10.77.0.0", 16)
    assert (r.tree.first("rtnl.rule.fwmark"), r.tree.first("rtnl.rule.fwmask")) == (7, 0xFF)
    assert (r.tree.first("rtnl.rule.ip_proto"), r.tree.first("rtnl.rule.iifname")) == (6, "t1")
    assert values(r, "rtnl.rule.port_range.start") == [80] and values(r, "rtnl.rule.port_range.end") == [90]
    assert "779:\tfrom all lookup main suppress_prefixlength 0 proto static" in text
    assert rules[779].tree.first("rtnl.rule.suppress_prefixlen") == 0
    assert "780:\tfrom all uidrange 1000-2000 lookup 79 proto static" in text
    assert (rules[780].tree.first("rtnl.rule.uid_range.start"), rules[780].tree.first("rtnl.rule.uid_range.end")) == (1000, 2000)


def test_networkd_netdevs_the_host_lacks_are_refused(caps):
    """batadv (its [BatmanAdvanced] algorithm, BATMAN_V by default), bond and vrf are refused
    with EOPNOTSUPP; fou and l2tp are generic-netlink families the host lacks (ENOENT)."""
    msgs, text = caps["networkd"], out("networkd")
    assert "batadv7: netdev could not be created: Operation not supported" in text
    (bat,) = [m for m in sent(msgs, "RTM_NEWLINK") if m.tree.first("rtnl.link.ifname") == "batadv7"]
    assert bat.tree.first("rtnl.link.linkinfo.batadv.algo_name") == "BATMAN_V"
    (vrf,) = [m for m in sent(msgs, "RTM_NEWLINK") if m.tree.first("rtnl.link.ifname") == "vrf7"]
    assert vrf.tree.first("rtnl.link.linkinfo.vrf.table") == 42
    refused = {m.info.split(" for ")[0] for m in msgs if m.type_name == "NLMSG_ERROR" and "RTM_NEWLINK" in m.info}
    assert "EOPNOTSUPP" in refused
    looked_up = {m.info for m in sent(msgs, "CTRL_CMD_GETFAMILY")}
    assert {"fou", "l2tp"} <= looked_up


# --- pyroute2 ---------------------------------------------------------------------------------------
def test_pyroute2_requests_and_the_errors_it_raised(caps):
    msgs, text = caps["pyroute2"], out("pyroute2")
    assert "routes table 300 ['10.20.0.0']" in text
    (t300,) = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.20.0.0"]
    assert t300.info == "10.20.0.0/16 dev 2 table 300"          # RTA_TABLE 300 over rtm_table's RT_TABLE_MAIN
    (rule,) = [m for m in sent(msgs, "RTM_NEWRULE") if m.tree.first("rtnl.rule.priority") == 3000]
    assert rule.info == "pref 3000 from all lookup 300" and rule.tree.first("rtnl.rule.fwmask") == 0xFF
    (mp,) = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.19.0.0"]
    assert values(mp, "rtnl.route.gateway") == ["10.8.0.2", "10.8.0.3"] and values(mp, "rtnl.route.nexthop.hops") == [2, 0]
    (mt,) = [m for m in sent(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.18.0.0"]
    assert (mt.tree.first("rtnl.route.metrics.mtu"), mt.tree.first("rtnl.route.metrics.hoplimit")) == (1400, 16)
    printed = re.findall(r"^(.+) error (\d+) ", text, re.M)
    errnos = {"17": "EEXIST", "101": "ENETUNREACH", "19": "ENODEV", "95": "EOPNOTSUPP", "2": "ENOENT"}
    got = [m.info.split()[0] for m in msgs if m.type_name == "NLMSG_ERROR" and not m.info.startswith("ACK")
           and m.pid != 0 and "RTM_" in m.info]
    for what, code in printed:
        assert errnos[code] in got, what
