"""Golden values from ../shared/corpus/peer/pyroute2-nl0.pcap, read off the bytes by hand.

19 frames: an nl80211 station dump (family id 0x24, never announced in the capture),
rtnetlink link and address dumps with several messages per frame (frame 4 is an old-style
20-byte RTM_GETLINK carrying a bare struct rtgenmsg), an nlctrl lookup of IPVS (id 0x25
learned from the reply) and IPVS requests, one answered with EINVAL.
"""
from tests.conftest import PYROUTE2_PCAP, decode_file


def by_no(msgs):
    return {f"{m.frame}.{m.index}": m for m in msgs}


def test_message_count_and_split(pyroute2_msgs):
    m = by_no(pyroute2_msgs)
    assert len(pyroute2_msgs) == 34  # 1+1+1+1+2+5+4+1+1+5+4+1 + 7 single-message frames
    # frames 5-7 and 10-11 carry several messages each
    assert [k for k in m if k.startswith("6.")] == ["6.1", "6.2", "6.3", "6.4", "6.5"]
    assert not any(x.malformed for x in pyroute2_msgs)


def test_old_style_short_getlink(pyroute2_msgs):
    m = by_no(pyroute2_msgs)["4.1"]
    assert m.length == 20 and m.type_name == "RTM_GETLINK" and m.flag_names == ["REQUEST", "DUMP"]
    hdr = m.tree.children[1]
    assert hdr.label.startswith("Generic request (rtgenmsg)")
    assert hdr.children[0].value == 0  # AF_UNSPEC
    assert m.unknown_count() == 0


def test_link_dump_values(pyroute2_msgs):
    m = by_no(pyroute2_msgs)
    lo = m["5.1"]
    assert (lo.seq, lo.pid, lo.flag_names) == (1710366817, 778142, ["MULTI"])
    assert lo.tree.first("rtnl.link.ifname") == "lo"
    assert lo.tree.first("rtnl.link.mtu") == 65536
    assert lo.tree.first("rtnl.link.index") == 1
    assert lo.tree.first("rtnl.link.type") == 772  # ARPHRD_LOOPBACK
    assert lo.info == "lo index 1 UP mtu 65536"
    assert m["6.3"].tree.first("rtnl.link.linkinfo.kind") == "nlmon"
    assert m["6.4"].tree.first("rtnl.link.ifname") == "wg-int"
    assert m["6.4"].tree.first("rtnl.link.mtu") == 1420
    for k in ("5.1", "5.2", "6.1", "6.5", "7.4"):
        assert m[k].unknown_count() == 0, k


def test_address_dump_values(pyroute2_msgs):
    m = by_no(pyroute2_msgs)
    assert m["10.1"].info == "127.0.0.1/8 dev 1 label lo"
    assert m["10.5"].tree.first("rtnl.addr.local") == "172.16.250.121"
    assert m["10.5"].tree.first("rtnl.addr.prefixlen") == 32
    assert m["11.4"].tree.first("rtnl.addr.address") == "fe80::7202:482:89f8:16c0"
    assert m["12.1"].type_name == "NLMSG_DONE" and m["12.1"].error is None


def test_genl_family_learned_and_ipvs(pyroute2_msgs):
    m = by_no(pyroute2_msgs)
    assert m["13.1"].type_name == "CTRL_CMD_GETFAMILY" and m["13.1"].info == "IPVS"
    assert m["14.1"].tree.first("genl.ctrl.family_id") == 0x25
    assert len(m["14.1"].tree.find("genl.ctrl.ops").children) == 16
    assert m["15.1"].family == "IPVS" and m["15.1"].type_name == "IPVS_CMD_GET_SERVICE"
    assert m["15.1"].flag_names == ["REQUEST", "DUMP"]
    svc = m["16.1"]
    assert svc.tree.first("ipvs.svc.addr") == "192.168.1.128"
    assert svc.tree.first("ipvs.svc.port") == 4000
    assert svc.tree.first("ipvs.svc.sched_name") == "wlc"
    assert m["18.1"].flag_names == ["REQUEST", "ACK", "EXCL", "CREATE"]


def test_error_echo_decoded_with_family_type(pyroute2_msgs):
    err = by_no(pyroute2_msgs)["19.1"]
    assert err.error["code"] == -22 and err.error["name"] == "EINVAL"
    assert err.error["request_type"] == "IPVS_CMD_NEW_DEST"
    assert err.info == "EINVAL for IPVS_CMD_NEW_DEST seq 256"
    echo = err.tree.find("netlink.echo")
    assert echo.find("ipvs.svc.port").value == 4000


def test_unannounced_genl_family_stays_raw_then_named_by_user():
    msgs = decode_file(PYROUTE2_PCAP)
    first = msgs[0]
    assert first.family == "genl 0x24" and first.unknown_count() == 2
    named = decode_file(PYROUTE2_PCAP, genl={0x24: "nl80211"})[0]
    assert named.family == "nl80211"
