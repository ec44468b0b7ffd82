"""What the daemons of captures/scenarios/daemons.sh made the kernel say, decoded by the kernel's
rules (issue 17): bond options and port states by the bonding driver's names, a port's options
sent under iproute2's "bond_slave" kind, RTM_NEWPREFIX, team option types by the kernel's NLA_*
numbers, IPVS service flags, persistence netmask by family, sync daemon states and fwmark
services.  The bytes follow the kernel's fill functions named in each test."""
import socket
import struct

import dissectors
from dissectors import Context, decode_frame
from dissectors.generated import if_link as L, if_team as T, ip_vs as V, rtnetlink as R

from .build import msg, nla

NLM_F_REQUEST, NLM_F_ACK, NLM_F_MULTI = 0x1, 0x4, 0x2
IPVS_ID, TEAM_ID = 0x20, 0x21
AF_INET, AF_INET6 = 2, 10


def _bad(m):
    return [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]


def _route(mtype, body, flags=0):
    (m,) = decode_frame(msg(mtype, flags, body), 0, Context())
    m.tree.to_json()
    return m


def _genl(fid, name, cmd, attrs, flags=NLM_F_REQUEST):
    (m,) = decode_frame(msg(fid, flags, bytes([cmd, 1, 0, 0]) + attrs), 16, Context({fid: name}))
    m.tree.to_json()
    return m


def _ifinfomsg(index=7):
    return struct.pack("<BxHiII", 0, 1, index, 0, 0)


def _linkinfo(*attrs):
    return nla(L.IFLA_LINKINFO | 0x8000, b"".join(attrs))


# --- bonding -------------------------------------------------------------------------------------
def test_bond_options_are_named_as_the_bonding_driver_names_them():
    """bond_fill_info() puts the option values bond_options.c's tables name (`ip -d link`:
    xmit_hash_policy layer3+4 … lacp_rate fast ad_select bandwidth)."""
    data = b"".join([
        nla(L.IFLA_BOND_MODE, bytes([4])), nla(L.IFLA_BOND_XMIT_HASH_POLICY, bytes([1])),
        nla(L.IFLA_BOND_AD_LACP_RATE, bytes([1])), nla(L.IFLA_BOND_AD_SELECT, bytes([1])),
        nla(L.IFLA_BOND_ARP_VALIDATE, struct.pack("<I", 3)), nla(L.IFLA_BOND_ARP_ALL_TARGETS, struct.pack("<I", 1)),
        nla(L.IFLA_BOND_PRIMARY_RESELECT, bytes([1])), nla(L.IFLA_BOND_FAIL_OVER_MAC, bytes([1])),
        nla(L.IFLA_BOND_AD_LACP_ACTIVE, bytes([1])), nla(L.IFLA_BOND_MIIMON, struct.pack("<I", 100))])
    m = _route(R.RTM_NEWLINK, _ifinfomsg() + nla(L.IFLA_IFNAME, b"bd0\0")
               + _linkinfo(nla(L.IFLA_INFO_KIND, b"bond\0"), nla(L.IFLA_INFO_DATA | 0x8000, data)))
    assert not _bad(m), _bad(m)
    shows = {n.field.abbrev.rsplit(".", 1)[1]: n.show for n in m.tree.walk()
             if n.field.abbrev.startswith("rtnl.link.linkinfo.bond.")}
    assert shows["mode"] == "802.3ad (4)" and shows["xmit_hash_policy"] == "layer3+4 (1)"
    assert shows["ad_lacp_rate"] == "fast (1)" and shows["ad_select"] == "bandwidth (1)"
    assert shows["arp_validate"] == "all (3)" and shows["arp_all_targets"] == "all (1)"
    assert shows["primary_reselect"] == "better (1)" and shows["fail_over_mac"] == "active (1)"
    assert shows["ad_lacp_active"] == "on (1)" and shows["miimon"] == "100 ms"


def test_a_bond_port_state_mii_status_and_lacp_bits_are_named():
    """bond_fill_slave_info(): IFLA_BOND_SLAVE_STATE (BOND_STATE_*), MII_STATUS (BOND_LINK_*),
    the 802.3ad actor's port state (LACP_STATE_* bits; 71 is what `ip -d link` shows as
    <active,short_timeout,aggregating,defaulted>), IFLA_BOND_SLAVE_PRIO an s32."""
    data = b"".join([nla(L.IFLA_BOND_SLAVE_STATE, bytes([1])), nla(L.IFLA_BOND_SLAVE_MII_STATUS, bytes([0])),
                     nla(L.IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, bytes([71])),
                     nla(L.IFLA_BOND_SLAVE_PRIO, struct.pack("<i", -5))])
    m = _route(R.RTM_NEWLINK, _ifinfomsg() + _linkinfo(
        nla(L.IFLA_INFO_KIND, b"dummy\0"), nla(L.IFLA_INFO_SLAVE_KIND, b"bond\0"),
        nla(L.IFLA_INFO_SLAVE_DATA | 0x8000, data)))
    assert not _bad(m), _bad(m)
    t = m.tree
    assert t.find("rtnl.link.linkinfo.bond_slave.state").show == "BOND_STATE_BACKUP (1)"
    assert t.find("rtnl.link.linkinfo.bond_slave.mii_status").show == "BOND_LINK_UP (0)"
    bits = {n.field.name for n in t.find("rtnl.link.linkinfo.bond_slave.ad_actor_oper_port_state").children}
    assert bits == {"LACP_STATE_LACP_ACTIVITY", "LACP_STATE_LACP_TIMEOUT", "LACP_STATE_AGGREGATION",
                    "LACP_STATE_DEFAULTED"}
    assert t.first("rtnl.link.linkinfo.bond_slave.prio") == -5


def test_iproute2_bond_slave_kind_reads_the_slave_data_by_the_masters_kind():
    """`ip link set bd1a type bond_slave queue_id 2` sends IFLA_INFO_KIND "bond_slave" and
    IFLA_INFO_SLAVE_DATA without IFLA_INFO_SLAVE_KIND; rtnl_newlink() parses the slave data with
    the master's slave_policy (the bond's): IFLA_BOND_SLAVE_QUEUE_ID.  It was 'unknown'."""
    body = _ifinfomsg(10) + _linkinfo(nla(L.IFLA_INFO_KIND, b"bond_slave\0"),
                                      nla(L.IFLA_INFO_SLAVE_DATA | 0x8000,
                                          nla(L.IFLA_BOND_SLAVE_QUEUE_ID, struct.pack("<H", 2))))
    m = _route(R.RTM_NEWLINK, body, NLM_F_REQUEST | NLM_F_ACK)
    assert not _bad(m), _bad(m)
    assert m.tree.first("rtnl.link.linkinfo.bond_slave.queue_id") == 2
    assert m.tree.first("rtnl.link.linkinfo.slave_data") == "bond"
    # a kind no master has: shown as it came, never dropped
    body = _ifinfomsg(10) + _linkinfo(nla(L.IFLA_INFO_KIND, b"nosuch_slave\0"),
                                      nla(L.IFLA_INFO_SLAVE_DATA | 0x8000, nla(1, b"\x02\0\0\0")))
    m = _route(R.RTM_NEWLINK, body, NLM_F_REQUEST | NLM_F_ACK)
    assert [s for _, s, _ in _bad(m)] == ["unknown"]


# --- RTM_NEWPREFIX -------------------------------------------------------------------------------
def _inet_conf(m):
    (conf,) = [n for n in m.tree.walk() if n.field.abbrev == "rtnl.link.inet.conf"]
    return conf


def test_a_setlink_request_sets_ipv4_devconf_as_a_nest():
    """keepalived's VMAC set-up: IFLA_AF_SPEC/AF_INET/IFLA_INET_CONF holding u32 attributes typed
    IPV4_DEVCONF_* (inet_set_link_af: ipv4_devconf_set(nla_type, nla_get_u32)), not the array the
    kernel dumps."""
    conf = nla(19, struct.pack("<I", 1)) + nla(23, struct.pack("<I", 1)) + nla(8, struct.pack("<I", 0))
    body = _ifinfomsg() + nla(L.IFLA_AF_SPEC, nla(AF_INET, nla(1, conf)))
    m = _route(R.RTM_NEWLINK, body, NLM_F_REQUEST | NLM_F_ACK)
    assert not _bad(m)
    assert [(c.name, c.value) for c in _inet_conf(m).children] == [
        ("IPV4_DEVCONF_ARP_IGNORE", 1), ("IPV4_DEVCONF_ACCEPT_LOCAL", 1), ("IPV4_DEVCONF_RP_FILTER", 0)]


def test_the_kernels_link_message_dumps_ipv4_devconf_as_an_array():
    """inet_fill_link_af: the same attribute from the kernel is an array, index 0 FORWARDING."""
    body = _ifinfomsg() + nla(L.IFLA_AF_SPEC, nla(AF_INET, nla(1, struct.pack("<3I", 1, 0, 1))))
    m = _route(R.RTM_NEWLINK, body)
    assert not _bad(m)
    assert [c.name for c in _inet_conf(m).children][:3] == [
        "IPV4_DEVCONF_FORWARDING", "IPV4_DEVCONF_MC_FORWARDING", "IPV4_DEVCONF_PROXY_ARP"]


def test_newprefix_carries_the_prefix_its_flags_and_lifetimes():
    """inet6_fill_prefix(): struct prefixmsg (prefix_type ND_OPT_PREFIX_INFO, prefix_flags the
    option's own L/A byte since bd4a816752ba), PREFIX_ADDRESS, PREFIX_CACHEINFO (host order,
    seconds).  Both attributes were 'unknown'."""
    body = struct.pack("<BBHiBBBB", AF_INET6, 0, 0, 19, 3, 64, 0xC0, 0) \
        + nla(R.PREFIX_ADDRESS, socket.inet_pton(socket.AF_INET6, "2001:db8:80::")) \
        + nla(R.PREFIX_CACHEINFO, struct.pack("<II", 1800, 3600))
    m = _route(R.RTM_NEWPREFIX, body)
    assert not _bad(m), _bad(m)
    t = m.tree
    assert t.first("rtnl.prefix.address") == "2001:db8:80::" and t.first("rtnl.prefix.len") == 64
    assert t.first("rtnl.prefix.cacheinfo.preferred_time") == 1800
    assert t.first("rtnl.prefix.cacheinfo.valid_time") == 3600
    assert t.find("rtnl.prefix.flags").show == "0xc0 (ND_OPT_PI_FLAG_ONLINK, ND_OPT_PI_FLAG_AUTO)"
    assert t.find("rtnl.prefix.type").show == "ND_OPT_PREFIX_INFO (3)"
    assert m.info == "2001:db8:80::/64 ifindex 19"


# --- team ----------------------------------------------------------------------------------------
def _team_option(name: bytes, nla_type: int, data: bytes | None) -> bytes:
    inner = nla(T.TEAM_ATTR_OPTION_NAME, name + b"\0") + nla(T.TEAM_ATTR_OPTION_TYPE, bytes([nla_type]))
    if data is not None:
        inner += nla(T.TEAM_ATTR_OPTION_DATA, data)
    return nla(T.TEAM_ATTR_ITEM_OPTION | 0x8000, inner)


def test_team_option_types_are_the_kernels_nla_numbers():
    """team_nl_fill_one_option_get() puts NLA_U32 (3), NLA_STRING (5), NLA_FLAG (6),
    NLA_BINARY (11) or NLA_S32 (14) (include/net/netlink.h); a port's `priority` is an s32
    option and was 'unknown value' (the table had NLA_S16's 13 and NLA_MSECS's 7)."""
    opts = _team_option(b"mode", 5, b"activebackup\0") + _team_option(b"priority", 14, struct.pack("<i", 10)) \
        + _team_option(b"enabled", 6, b"") + _team_option(b"activeport", 3, struct.pack("<I", 14)) \
        + _team_option(b"bpf_hash_func", 11, b"\x01\x02")
    m = _genl(TEAM_ID, "team", T.TEAM_CMD_OPTIONS_GET,
              nla(T.TEAM_ATTR_TEAM_IFINDEX, struct.pack("<I", 16)) + nla(T.TEAM_ATTR_LIST_OPTION | 0x8000, opts),
              flags=0)
    assert not _bad(m), _bad(m)
    assert [n.show for n in m.tree.find_all("team.option.type")] == [
        "NLA_STRING (5)", "NLA_S32 (14)", "NLA_FLAG (6)", "NLA_U32 (3)", "NLA_BINARY (11)"]


# --- IPVS ----------------------------------------------------------------------------------------
def _service(af: int, netmask: bytes, flags: int = 0x3, extra: bytes = b"") -> bytes:
    svc = nla(V.IPVS_SVC_ATTR_AF, struct.pack("<H", af)) + extra \
        + nla(V.IPVS_SVC_ATTR_SCHED_NAME, b"wlc\0") \
        + nla(V.IPVS_SVC_ATTR_FLAGS, struct.pack("<II", flags, 0xFFFFFFFF)) \
        + nla(V.IPVS_SVC_ATTR_TIMEOUT, struct.pack("<I", 60)) + nla(V.IPVS_SVC_ATTR_NETMASK, netmask)
    return nla(V.IPVS_CMD_ATTR_SERVICE | 0x8000, svc)


def test_ipvs_service_flags_and_the_persistence_netmask_by_family():
    """ip_vs_genl_fill_service(): IPVS_SVC_ATTR_FLAGS is struct ip_vs_flags (IP_VS_SVC_F_* and
    the mask, ~0 from the kernel); IPVS_SVC_ATTR_NETMASK's four bytes are an IPv4 netmask in
    network order, or for AF_INET6 a prefix length in host order (ip_vs_add_service checks
    1..128 on the raw value: ipvsadm -L printed `mask 255.255.255.0`, an IPv6 service /128)."""
    v4 = nla(V.IPVS_SVC_ATTR_PROTOCOL, struct.pack("<H", 17)) \
        + nla(V.IPVS_SVC_ATTR_ADDR, socket.inet_pton(socket.AF_INET, "10.60.0.1") + b"\0" * 12) \
        + nla(V.IPVS_SVC_ATTR_PORT, struct.pack(">H", 53))
    m = _genl(IPVS_ID, "IPVS", V.IPVS_CMD_NEW_SERVICE, _service(AF_INET, bytes([255, 255, 255, 0]), extra=v4),
              flags=NLM_F_MULTI)
    assert not _bad(m), _bad(m)
    t = m.tree
    assert t.first("ipvs.svc.netmask.ipv4") == "255.255.255.0"
    assert t.find("ipvs.svc.flags_struct.flags").show == "0x00000003 (IP_VS_SVC_F_PERSISTENT, IP_VS_SVC_F_HASHED)"
    assert t.first("ipvs.svc.flags_struct.mask") == 0xFFFFFFFF
    assert m.info == "UDP 10.60.0.1:53 wlc"
    m = _genl(IPVS_ID, "IPVS", V.IPVS_CMD_NEW_SERVICE, _service(AF_INET6, struct.pack("<I", 128), flags=0x1A),
              flags=NLM_F_MULTI)
    assert not _bad(m), _bad(m)
    assert m.tree.first("ipvs.svc.netmask.prefix_len") == 128
    assert {n.field.name for n in m.tree.find("ipvs.svc.flags_struct.flags").children} == {
        "IP_VS_SVC_F_HASHED", "IP_VS_SVC_F_SCHED1", "IP_VS_SVC_F_SCHED2"}


def test_ipvs_fwmark_service_sync_daemon_and_tunnel_type():
    """A fwmark service (ipvsadm -A -f 9: `FWM  9 lc`), the sync daemon's state
    (IP_VS_STATE_MASTER) and a destination's tunnel type (IP_VS_CONN_F_TUNNEL_TYPE_*)."""
    fw = nla(V.IPVS_SVC_ATTR_FWMARK, struct.pack("<I", 9))
    svc = nla(V.IPVS_SVC_ATTR_AF, struct.pack("<H", AF_INET)) + fw + nla(V.IPVS_SVC_ATTR_SCHED_NAME, b"lc\0")
    m = _genl(IPVS_ID, "IPVS", V.IPVS_CMD_NEW_SERVICE, nla(V.IPVS_CMD_ATTR_SERVICE | 0x8000, svc))
    assert not _bad(m) and m.info == "FWM 9 lc"
    daemon = nla(V.IPVS_DAEMON_ATTR_STATE, struct.pack("<I", 1)) + nla(V.IPVS_DAEMON_ATTR_MCAST_IFN, b"kv0\0") \
        + nla(V.IPVS_DAEMON_ATTR_SYNC_ID, struct.pack("<I", 5))
    m = _genl(IPVS_ID, "IPVS", V.IPVS_CMD_NEW_DAEMON, nla(V.IPVS_CMD_ATTR_DAEMON | 0x8000, daemon), flags=NLM_F_MULTI)
    assert not _bad(m) and m.tree.find("ipvs.daemon.state").show == "IP_VS_STATE_MASTER (1)"
    dest = nla(V.IPVS_DEST_ATTR_ADDR, socket.inet_pton(socket.AF_INET, "10.60.1.5") + b"\0" * 12) \
        + nla(V.IPVS_DEST_ATTR_FWD_METHOD, struct.pack("<I", V.IP_VS_CONN_F_TUNNEL)) \
        + nla(V.IPVS_DEST_ATTR_TUN_TYPE, bytes([V.IP_VS_CONN_F_TUNNEL_TYPE_IPIP]))
    m = _genl(IPVS_ID, "IPVS", V.IPVS_CMD_NEW_DEST, nla(V.IPVS_CMD_ATTR_DEST | 0x8000, dest), flags=NLM_F_MULTI)
    assert not _bad(m), _bad(m)
    assert m.tree.find("ipvs.dest.tun_type").show == "IP_VS_CONN_F_TUNNEL_TYPE_IPIP (0)"


dissectors.load_families()
