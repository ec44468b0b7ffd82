"""Small wrong decodes of issue 17, each checked against what the kernel reads or writes:
nl80211's control port ethertype, the IPVS info reply, sock_diag by family and the legacy
inet_diag_req, route/nexthop flags and routing-daemon protocols, ICMP in an xfrm selector."""
import socket
import struct

import dissectors
from dissectors import Context, decode_frame
from dissectors.families.xfrm import POL_INFO
from dissectors.generated import fib_rules as F, inet_diag as ID, ip_vs as V, neighbour as N, nl80211 as W
from dissectors.generated import rtnetlink as R, xfrm as X

from .build import msg, nla

NLM_F_REQUEST, NLM_F_MULTI = 0x1, 0x2
NL80211_ID, IPVS_ID = 0x1c, 0x1d


def _bad(m):
    return [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]


def _genl(fid, name, cmd, attrs, flags=NLM_F_REQUEST, version=1):
    (m,) = decode_frame(msg(fid, flags, bytes([cmd, version, 0, 0]) + attrs), 16, Context({fid: name}))
    m.tree.to_json()
    return m


# --- nl80211 ------------------------------------------------------------------------------------
def test_nl80211_control_port_ethertype_is_a_u16_in_a_request():
    """wpa_supplicant's wpa_driver_nl80211_try_connect() puts
    nla_put_u16(NL80211_ATTR_CONTROL_PORT_ETHERTYPE, ETH_P_PAE); nl80211_policy declares it
    NLA_U16 and nl80211_crypto_settings() reads it with nla_get_u16()."""
    attrs = nla(W.NL80211_ATTR_IFINDEX, struct.pack("<I", 3)) + nla(W.NL80211_ATTR_SSID, b"nlscope") \
        + nla(W.NL80211_ATTR_CONTROL_PORT, b"") + nla(W.NL80211_ATTR_CONTROL_PORT_ETHERTYPE, struct.pack("<H", 0x888E))
    m = _genl(NL80211_ID, "nl80211", W.NL80211_CMD_CONNECT, attrs)
    assert not _bad(m), _bad(m)
    assert m.tree.first("nl80211.control_port_ethertype.value") == 0x888E
    assert "EAPOL" in m.tree.find("nl80211.control_port_ethertype.value").show


def test_nl80211_control_port_ethertype_is_a_flag_in_the_wiphy_dump():
    """nl80211_send_wiphy() puts it with nla_put_flag() when WIPHY_FLAG_CONTROL_PORT_PROTOCOL is set."""
    attrs = nla(W.NL80211_ATTR_WIPHY, struct.pack("<I", 0)) + nla(W.NL80211_ATTR_CONTROL_PORT_ETHERTYPE, b"")
    m = _genl(NL80211_ID, "nl80211", W.NL80211_CMD_NEW_WIPHY, attrs, flags=NLM_F_MULTI)
    assert not _bad(m) and m.tree.find("nl80211.control_port_ethertype").show == "set"


# --- IPVS ---------------------------------------------------------------------------------------
def test_ipvs_info_reply_has_its_own_attributes():
    """ipvsadm (libipvs ipvs_init -> ipvs_getinfo) sends IPVS_CMD_GET_INFO; ip_vs_genl_get_cmd()
    answers with cmd IPVS_CMD_SET_INFO carrying IPVS_INFO_ATTR_VERSION (IP_VS_VERSION_CODE
    0x010201) and IPVS_INFO_ATTR_CONN_TAB_SIZE at the top level."""
    req = _genl(IPVS_ID, "IPVS", V.IPVS_CMD_GET_INFO, b"")
    assert req.type_name == "IPVS_CMD_GET_INFO" and not _bad(req)
    attrs = nla(V.IPVS_INFO_ATTR_VERSION, struct.pack("<I", 0x010201)) \
        + nla(V.IPVS_INFO_ATTR_CONN_TAB_SIZE, struct.pack("<I", 4096))
    m = _genl(IPVS_ID, "IPVS", V.IPVS_CMD_SET_INFO, attrs, flags=0)
    assert not _bad(m), _bad(m)
    assert m.tree.first("ipvs.info.version") == 0x010201 and m.tree.first("ipvs.info.conn_tab_size") == 4096
    assert m.tree.find("ipvs.info.version").show.startswith("1.2.1")
    assert m.info == "version 1.2.1 conn_tab_size 4096"


# --- sock_diag ----------------------------------------------------------------------------------
def _sockid(sport, dport, src, dst, fam):
    n = 4 if fam == socket.AF_INET else 16
    pad = b"\0" * (16 - n)
    return struct.pack(">HH", sport, dport) + socket.inet_pton(fam, src) + pad + socket.inet_pton(fam, dst) + pad \
        + struct.pack("<I", 0) + b"\xff" * 8


def test_inet6_sockets_show_ipv6_addresses():
    """`ss -K -6 dst 2001:db8::2` sends SOCK_DESTROY with an inet_diag_req_v2 of AF_INET6, and the
    kernel's inet_sk_diag_fill() answers an AF_INET6 dump with the sockid's 16-byte addresses."""
    six = socket.AF_INET6
    req = struct.pack("<BBBxI", six, 6, 0, 1 << 1) + _sockid(40000, 22, "2001:db8::1", "2001:db8::2", six)
    (m,) = dissectors.decode_frame(msg(21, NLM_F_REQUEST, req), 4)
    assert m.tree.find("sock_diag.inet.req.src").show == "2001:db8::1"
    assert m.tree.find("sock_diag.inet.req.dst").show == "2001:db8::2"
    reply = struct.pack("<BBBB", six, 10, 0, 0) + _sockid(22, 0, "fe80::1", "::", six) + struct.pack("<5I", 0, 0, 0, 0, 7)
    (m,) = dissectors.decode_frame(msg(20, NLM_F_MULTI, reply), 4)
    assert m.tree.find("sock_diag.inet.src").show == "fe80::1" and m.tree.find("sock_diag.inet.dst").show == "::"
    assert m.info == "tcp LISTEN [fe80::1]:22 [::]:*"
    # AF_INET stays dotted
    v4 = struct.pack("<BBBB", 2, 10, 0, 0) + _sockid(22, 0, "10.0.0.1", "0.0.0.0", socket.AF_INET) \
        + struct.pack("<5I", 0, 0, 0, 0, 7)
    (m,) = dissectors.decode_frame(msg(20, NLM_F_MULTI, v4), 4)
    assert m.info == "tcp LISTEN 10.0.0.1:22 0.0.0.0:*"


def test_legacy_tcpdiag_getsock_request_and_reply():
    """Old ss (iproute2's tcpdiag, NETLINK_INET_DIAG = NETLINK_SOCK_DIAG) sends TCPDIAG_GETSOCK
    (18) with struct inet_diag_req; inet_diag_rcv_msg_compat() serves it (protocol from the
    type: inet_diag_type2proto) and answers inet_diag_msg with the same type."""
    states = 0xFFF
    req = struct.pack("<BBBB", 2, 0, 0, 1) + _sockid(0, 0, "0.0.0.0", "0.0.0.0", socket.AF_INET) \
        + struct.pack("<II", states, 0)
    (m,) = dissectors.decode_frame(msg(ID.TCPDIAG_GETSOCK, 0x301, req), 4)
    m.tree.to_json()
    assert not _bad(m), _bad(m)
    assert m.type_name == "TCPDIAG_GETSOCK inet request" and m.tree.first("sock_diag.inet.req.states") == states
    assert m.tree.children[1].length == 60 and m.info == "tcp all states"
    (m,) = dissectors.decode_frame(msg(ID.DCCPDIAG_GETSOCK, 0x301, req), 4)
    assert m.info.startswith("dccp ")
    reply = struct.pack("<BBBB", 2, 1, 0, 0) + _sockid(22, 40000, "10.0.0.1", "10.0.0.2", socket.AF_INET) \
        + struct.pack("<5I", 0, 0, 0, 0, 7)
    (m,) = dissectors.decode_frame(msg(ID.TCPDIAG_GETSOCK, NLM_F_MULTI, reply), 4)
    assert not _bad(m) and m.info == "tcp ESTAB 10.0.0.1:22 10.0.0.2:40000"


# --- rtnetlink flags and protocols --------------------------------------------------------------
def test_route_flags_carry_nexthop_flags_and_protocols_are_named():
    """`ip route add 10.9.0.0/24 via 10.0.0.1 dev eth0 onlink proto bird`: fib_dump_info() puts the
    nexthop flags (RTNH_F_ONLINK) in rtm_flags beside RTM_F_* (RTM_F_OFFLOAD when offloaded)."""
    rtmsg = struct.pack("<BBBBBBBBI", 2, 24, 0, 0, R.RT_TABLE_MAIN, R.RTPROT_BIRD, 0, R.RTN_UNICAST,
                        R.RTNH_F_ONLINK | R.RTM_F_OFFLOAD)
    (m,) = dissectors.decode_frame(msg(R.RTM_NEWROUTE, 0, rtmsg + nla(R.RTA_DST, socket.inet_aton("10.9.0.0"))), 0)
    m.tree.to_json()
    flags = m.tree.find("rtnl.route.flags")
    assert "RTNH_F_ONLINK" in flags.show and "RTM_F_OFFLOAD" in flags.show and "unknown" not in flags.show
    assert m.tree.find("rtnl.route.protocol").show == "RTPROT_BIRD (12)"
    for proto in (11, 42, 186, 187, 188, 189, 192, 16, 18, 99, 17, 15, 8, 9, 10, 14):
        body = rtmsg[:5] + bytes([proto]) + rtmsg[6:]
        (m,) = dissectors.decode_frame(msg(R.RTM_NEWROUTE, 0, body), 0)
        assert m.tree.find("rtnl.route.protocol").show.startswith("RTPROT_"), proto


def test_neighbour_and_rule_protocols_are_named():
    """NDA_PROTOCOL (neigh_fill_info) and FRA_PROTOCOL (fib_nl_fill_rule) carry RTPROT_* values."""
    ndmsg = struct.pack("<BxxxiHBB", 2, 3, 0x02, 0, 1)
    (m,) = dissectors.decode_frame(msg(R.RTM_NEWNEIGH, 0, ndmsg + nla(N.NDA_PROTOCOL, bytes([R.RTPROT_ZEBRA]))), 0)
    assert m.tree.find("rtnl.neigh.protocol").show == "RTPROT_ZEBRA (11)"
    hdr = struct.pack("<BBBBBBBBI", 2, 0, 0, 0, 254, 0, 0, 1, 0)
    (m,) = dissectors.decode_frame(msg(R.RTM_NEWRULE, 0, hdr + nla(F.FRA_PROTOCOL, bytes([R.RTPROT_KERNEL]))), 0)
    assert m.tree.find("rtnl.rule.protocol").show == "RTPROT_KERNEL (2)"


# --- xfrm ---------------------------------------------------------------------------------------
def test_xfrm_selector_of_icmp_shows_type_and_code():
    """`ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 proto icmp type 8 code 0 dir out`: iproute2
    stores the type in sel.sport and the code in sel.dport (network order, mask 0xffff), as the
    kernel's xfrm_flowi_sport()/xfrm_flowi_dport() compare them."""
    def policy(proto):
        return POL_INFO.build({"daddr": socket.inet_aton("10.0.0.2") + b"\0" * 12,
                               "saddr": socket.inet_aton("10.0.0.1") + b"\0" * 12, "sport": 8, "sport_mask": 0xFFFF,
                               "dport": 0, "dport_mask": 0xFFFF, "family": 2, "prefixlen_d": 32, "prefixlen_s": 32,
                               "proto": proto, "dir": 1, "priority": 100})
    (m,) = dissectors.decode_frame(msg(X.XFRM_MSG_NEWPOLICY, NLM_F_REQUEST, policy(1)), 6)
    m.tree.to_json()
    sport, dport = m.tree.find("xfrm.policy.sport"), m.tree.find("xfrm.policy.dport")
    assert sport.name == "ICMP type (sport)" and sport.value == 8
    assert dport.name == "ICMP code (dport)" and dport.value == 0
    assert m.tree.find("xfrm.policy.sport_mask").name.startswith("ICMP type mask")
    (m,) = dissectors.decode_frame(msg(X.XFRM_MSG_NEWPOLICY, NLM_F_REQUEST, policy(6)), 6)   # TCP: ports
    m.tree.to_json()
    assert m.tree.find("xfrm.policy.sport").name == "Sport"
