"""IFLA_LINKINFO: the link's kind, and its INFO_DATA / INFO_SLAVE_DATA decoded by kind.

IFLA_INFO_KIND (or IFLA_INFO_SLAVE_KIND) selects the attribute set of the data that
follows it, as YNL's `sub-message` does: veth, vlan, bridge, bridge_slave, bond,
bond_slave, vxlan, geneve, macvlan/macvtap, ipvlan/ipvtap, gre/gretap/erspan,
ip6gre/ip6gretap/ip6erspan, ipip/sit/ip6tnl, vti/vti6, vrf (and its port data), tun,
macsec, xfrm, batadv, bareudp, hsr, rmnet, ipoib, ppp.
Kinds without data of their own (dummy, nlmon, wireguard, ifb, …) carry none.  Every
member of each set is named from <linux/if_link.h> / <linux/if_tunnel.h> /
<linux/veth.h>; the types follow the kernel's policies.
"""
from __future__ import annotations

from ...core.attrs import AttrSet, a, decode_attrs, enum_set
from ...core.schema import c_struct, names_from
from ...generated import batman_adv as BATMAN, if_link as L, if_macsec as M, if_tunnel as T, veth as V


def _bridge_id(data: bytes) -> str:
    """struct ifla_bridge_id: priority (2 bytes) and MAC, shown as `8000.02:00:…`."""
    return f"{data[:2].hex()}.{data[2:8].hex(':')}" if len(data) == 8 else data.hex()


def S(name, enum, strip, types, module=L, label=None, extra=None):
    return enum_set(name, f"rtnl.link.linkinfo.{name}", module, enum, strip, types, label=label or name, extra=extra)


BE16 = a("u16", big_endian=True)
BE32 = a("u32", big_endian=True)
MAC = a("binary", hint="mac")
IPV4 = a("binary", hint="ipv4")
IPV6 = a("binary", hint="ipv6")
BRID = a("binary", show=_bridge_id)
VLAN_FLAGS = c_struct(L, "ifla_vlan_flags", "rtnl.link.linkinfo.vlan.flags_struct", label="ifla_vlan_flags")
VLAN_QOS_MAP = c_struct(L, "ifla_vlan_qos_mapping", "rtnl.link.linkinfo.vlan.qos_mapping", label="qos mapping")
VXLAN_PORTS = c_struct(L, "ifla_vxlan_port_range", "rtnl.link.linkinfo.vxlan.port_range_struct",
                       label="ifla_vxlan_port_range")

VLAN_QOS = S("vlan_qos", "IFLA_VLAN_QOS_UNSPEC", "IFLA_VLAN_QOS_", {"MAPPING": a("struct", struct=VLAN_QOS_MAP)})
VLAN = S("vlan", "IFLA_VLAN_UNSPEC", "IFLA_VLAN_", {
    "ID": "u16", "FLAGS": a("struct", struct=VLAN_FLAGS), "EGRESS_QOS": a("nest", nested=VLAN_QOS),
    "INGRESS_QOS": a("nest", nested=VLAN_QOS), "PROTOCOL": a("u16", big_endian=True, show=hex)})
BR = S("bridge", "IFLA_BR_UNSPEC", "IFLA_BR_", {
    "FORWARD_DELAY": "u32", "HELLO_TIME": "u32", "MAX_AGE": "u32", "AGEING_TIME": "u32", "STP_STATE": "u32",
    "PRIORITY": "u16", "VLAN_FILTERING": "u8", "VLAN_PROTOCOL": a("u16", big_endian=True, show=hex),
    "GROUP_FWD_MASK": "u16", "ROOT_ID": BRID, "BRIDGE_ID": BRID, "ROOT_PORT": "u16", "ROOT_PATH_COST": "u32",
    "TOPOLOGY_CHANGE": "u8", "TOPOLOGY_CHANGE_DETECTED": "u8", "HELLO_TIMER": "u64", "TCN_TIMER": "u64",
    "TOPOLOGY_CHANGE_TIMER": "u64", "GC_TIMER": "u64", "GROUP_ADDR": MAC, "FDB_FLUSH": "flag",
    "MCAST_ROUTER": "u8", "MCAST_SNOOPING": "u8", "MCAST_QUERY_USE_IFADDR": "u8", "MCAST_QUERIER": "u8",
    "MCAST_HASH_ELASTICITY": "u32", "MCAST_HASH_MAX": "u32", "MCAST_LAST_MEMBER_CNT": "u32",
    "MCAST_STARTUP_QUERY_CNT": "u32", "MCAST_LAST_MEMBER_INTVL": "u64", "MCAST_MEMBERSHIP_INTVL": "u64",
    "MCAST_QUERIER_INTVL": "u64", "MCAST_QUERY_INTVL": "u64", "MCAST_QUERY_RESPONSE_INTVL": "u64",
    "MCAST_STARTUP_QUERY_INTVL": "u64", "NF_CALL_IPTABLES": "u8", "NF_CALL_IP6TABLES": "u8",
    "NF_CALL_ARPTABLES": "u8", "VLAN_DEFAULT_PVID": "u16", "PAD": "pad", "VLAN_STATS_ENABLED": "u8",
    "MCAST_STATS_ENABLED": "u8", "MCAST_IGMP_VERSION": "u8", "MCAST_MLD_VERSION": "u8",
    "VLAN_STATS_PER_PORT": "u8", "MULTI_BOOLOPT": "bitfield32", "MCAST_QUERIER_STATE": "binary",
    "FDB_N_LEARNED": "u32", "FDB_MAX_LEARNED": "u32"})
BRPORT = S("bridge_slave", "IFLA_BRPORT_UNSPEC", "IFLA_BRPORT_", {
    "STATE": "u8", "PRIORITY": "u16", "COST": "u32", "MODE": "u8", "GUARD": "u8", "PROTECT": "u8",
    "FAST_LEAVE": "u8", "LEARNING": "u8", "UNICAST_FLOOD": "u8", "PROXYARP": "u8", "LEARNING_SYNC": "u8",
    "PROXYARP_WIFI": "u8", "ROOT_ID": BRID, "BRIDGE_ID": BRID, "DESIGNATED_PORT": "u16", "DESIGNATED_COST": "u16",
    "ID": "u16", "NO": "u16", "TOPOLOGY_CHANGE_ACK": "u8", "CONFIG_PENDING": "u8", "MESSAGE_AGE_TIMER": "u64",
    "FORWARD_DELAY_TIMER": "u64", "HOLD_TIMER": "u64", "FLUSH": "flag", "MULTICAST_ROUTER": "u8", "PAD": "pad",
    "MCAST_FLOOD": "u8", "MCAST_TO_UCAST": "u8", "VLAN_TUNNEL": "u8", "BCAST_FLOOD": "u8", "GROUP_FWD_MASK": "u16",
    "NEIGH_SUPPRESS": "u8", "ISOLATED": "u8", "BACKUP_PORT": "u32", "MRP_RING_OPEN": "u8", "MRP_IN_OPEN": "u8",
    "MCAST_EHT_HOSTS_LIMIT": "u32", "MCAST_EHT_HOSTS_CNT": "u32", "LOCKED": "u8", "MAB": "u8",
    "MCAST_N_GROUPS": "u32", "MCAST_MAX_GROUPS": "u32", "NEIGH_VLAN_SUPPRESS": "u8", "BACKUP_NHID": "u32"})
BOND_MODES = {0: "balance-rr", 1: "active-backup", 2: "balance-xor", 3: "broadcast", 4: "802.3ad",
              5: "balance-tlb", 6: "balance-alb"}
# The bond's option values by the names the kernel gives them (drivers/net/bonding/
# bond_options.c, the bond_*_tbl tables: what /sys/class/net/BOND/bonding/* and `ip -d link`
# print); the numbers of <linux/if_bonding.h> where it has them (BOND_XMIT_POLICY_*)
BOND_XMIT_HASH = {0: "layer2", 1: "layer3+4", 2: "layer2+3", 3: "encap2+3", 4: "encap3+4", 5: "vlan+srcmac"}
BOND_ARP_VALIDATE = {0: "none", 1: "active", 2: "backup", 3: "all", 4: "filter", 5: "filter_active",
                     6: "filter_backup"}
BOND_ARP_ALL_TARGETS = {0: "any", 1: "all"}
BOND_PRIMARY_RESELECT = {0: "always", 1: "better", 2: "failure"}
BOND_FAIL_OVER_MAC = {0: "none", 1: "active", 2: "follow"}
BOND_LACP_RATE = {0: "slow", 1: "fast"}
BOND_AD_SELECT = {0: "stable", 1: "bandwidth", 2: "count"}
BOND_LACP_ACTIVE = {0: "off", 1: "on"}
# a port's state and MII status (<linux/if_bonding.h> BOND_STATE_*, BOND_LINK_*), its LACP
# actor/partner state bits (LACP_STATE_*)
BOND_SLAVE_STATES = {0: "BOND_STATE_ACTIVE", 1: "BOND_STATE_BACKUP"}
BOND_LINK_STATES = {0: "BOND_LINK_UP", 1: "BOND_LINK_FAIL", 2: "BOND_LINK_DOWN", 3: "BOND_LINK_BACK"}
LACP_STATE_BITS = {0x1: "LACP_STATE_LACP_ACTIVITY", 0x2: "LACP_STATE_LACP_TIMEOUT", 0x4: "LACP_STATE_AGGREGATION",
                   0x8: "LACP_STATE_SYNCHRONIZATION", 0x10: "LACP_STATE_COLLECTING", 0x20: "LACP_STATE_DISTRIBUTING",
                   0x40: "LACP_STATE_DEFAULTED", 0x80: "LACP_STATE_EXPIRED"}
BOND_AD = S("bond_ad_info", "IFLA_BOND_AD_INFO_UNSPEC", "IFLA_BOND_AD_INFO_", {
    "AGGREGATOR": "u16", "NUM_PORTS": "u16", "ACTOR_KEY": "u16", "PARTNER_KEY": "u16", "PARTNER_MAC": MAC})
BOND = S("bond", "IFLA_BOND_UNSPEC", "IFLA_BOND_", {
    "MODE": a("u8", enum=BOND_MODES), "ACTIVE_SLAVE": "u32", "MIIMON": a("u32", unit="ms"),
    "UPDELAY": a("u32", unit="ms"), "DOWNDELAY": a("u32", unit="ms"), "USE_CARRIER": "u8",
    "ARP_INTERVAL": a("u32", unit="ms"),
    "ARP_IP_TARGET": a("indexed-array", sub="binary", hint="ipv4"),
    "ARP_VALIDATE": a("u32", enum=BOND_ARP_VALIDATE), "ARP_ALL_TARGETS": a("u32", enum=BOND_ARP_ALL_TARGETS),
    "PRIMARY": "u32", "PRIMARY_RESELECT": a("u8", enum=BOND_PRIMARY_RESELECT),
    "FAIL_OVER_MAC": a("u8", enum=BOND_FAIL_OVER_MAC), "XMIT_HASH_POLICY": a("u8", enum=BOND_XMIT_HASH),
    "RESEND_IGMP": "u32", "NUM_PEER_NOTIF": "u8", "ALL_SLAVES_ACTIVE": "u8", "MIN_LINKS": "u32",
    "LP_INTERVAL": a("u32", unit="s"), "PACKETS_PER_SLAVE": "u32", "AD_LACP_RATE": a("u8", enum=BOND_LACP_RATE),
    "AD_SELECT": a("u8", enum=BOND_AD_SELECT),
    "AD_INFO": a("nest", nested=BOND_AD), "AD_ACTOR_SYS_PRIO": "u16", "AD_USER_PORT_KEY": "u16",
    "AD_ACTOR_SYSTEM": MAC, "TLB_DYNAMIC_LB": "u8", "PEER_NOTIF_DELAY": a("u32", unit="ms"),
    "AD_LACP_ACTIVE": a("u8", enum=BOND_LACP_ACTIVE),
    "MISSED_MAX": "u8", "NS_IP6_TARGET": a("indexed-array", sub="binary", hint="ipv6"), "COUPLED_CONTROL": "u8"})
BOND_SLAVE = S("bond_slave", "IFLA_BOND_SLAVE_UNSPEC", "IFLA_BOND_SLAVE_", {
    "STATE": a("u8", enum=BOND_SLAVE_STATES), "MII_STATUS": a("u8", enum=BOND_LINK_STATES),
    "LINK_FAILURE_COUNT": "u32", "PERM_HWADDR": MAC, "QUEUE_ID": "u16",
    "AD_AGGREGATOR_ID": "u16", "AD_ACTOR_OPER_PORT_STATE": a("u8", flags=LACP_STATE_BITS),
    "AD_PARTNER_OPER_PORT_STATE": a("u16", flags=LACP_STATE_BITS), "PRIO": "s32", "ACTOR_PORT_PRIO": "u16",
    "AD_CHURN_ACTOR_STATE": "u8", "AD_CHURN_PARTNER_STATE": "u8"})
VXLAN_LABEL_POLICIES = names_from(L, "VXLAN_LABEL_", "ifla_vxlan_label_policy", exclude=("MAX",))
VXLAN = S("vxlan", "IFLA_VXLAN_UNSPEC", "IFLA_VXLAN_", {
    "ID": "u32", "GROUP": IPV4, "LINK": "u32", "LOCAL": IPV4, "TTL": "u8", "TOS": "u8", "LEARNING": "u8",
    "AGEING": a("u32", unit="s"), "LIMIT": "u32", "PORT_RANGE": a("struct", struct=VXLAN_PORTS), "PROXY": "u8",
    "RSC": "u8", "L2MISS": "u8", "L3MISS": "u8", "PORT": BE16, "GROUP6": IPV6, "LOCAL6": IPV6, "UDP_CSUM": "u8",
    "UDP_ZERO_CSUM6_TX": "u8", "UDP_ZERO_CSUM6_RX": "u8", "REMCSUM_TX": "u8", "REMCSUM_RX": "u8", "GBP": "flag",
    "REMCSUM_NOPARTIAL": "flag", "COLLECT_METADATA": "u8", "LABEL": BE32, "GPE": "flag", "TTL_INHERIT": "u8",
    "DF": "u8", "VNIFILTER": "u8", "LOCALBYPASS": "u8", "LABEL_POLICY": a("u32", enum=VXLAN_LABEL_POLICIES)},
    # newer than 6.12's header: the VXLAN header bits a received packet may set (6.14; struct
    # vxlanhdr, two big-endian u32, sent for every vxlan link) and the multicast-route flag (6.16)
    extra={"IFLA_VXLAN_RESERVED_BITS": (33, a("binary", hint="hex")), "IFLA_VXLAN_MC_ROUTE": (34, a("u8"))})
GENEVE = S("geneve", "IFLA_GENEVE_UNSPEC", "IFLA_GENEVE_", {
    "ID": "u32", "REMOTE": IPV4, "TTL": "u8", "TOS": "u8", "PORT": BE16, "COLLECT_METADATA": "flag",
    "REMOTE6": IPV6, "UDP_CSUM": "u8", "UDP_ZERO_CSUM6_TX": "u8", "UDP_ZERO_CSUM6_RX": "u8", "LABEL": BE32,
    "TTL_INHERIT": "u8", "DF": "u8", "INNER_PROTO_INHERIT": "flag"})
MACVLAN_MODES = names_from(L, "MACVLAN_MODE_", "macvlan_mode", exclude=())
MACVLAN = S("macvlan", "IFLA_MACVLAN_UNSPEC", "IFLA_MACVLAN_", {
    "MODE": a("u32", enum=MACVLAN_MODES), "FLAGS": "u16", "MACADDR_MODE": "u32", "MACADDR": MAC,
    "MACADDR_DATA": a("indexed-array", sub="binary", hint="mac"), "MACADDR_COUNT": "u32", "BC_QUEUE_LEN": "u32",
    "BC_QUEUE_LEN_USED": "u32"})
IPVLAN_MODES = names_from(L, "IPVLAN_MODE_", "ipvlan_mode", exclude=())
IPVLAN = S("ipvlan", "IFLA_IPVLAN_UNSPEC", "IFLA_IPVLAN_", {"MODE": a("u16", enum=IPVLAN_MODES), "FLAGS": "u16"})
GRE = S("gre", "IFLA_GRE_UNSPEC", "IFLA_GRE_", {
    "LINK": "u32", "IFLAGS": a("u16", big_endian=True, show=hex), "OFLAGS": a("u16", big_endian=True, show=hex),
    "IKEY": BE32, "OKEY": BE32, "LOCAL": "addr", "REMOTE": "addr", "TTL": "u8", "TOS": "u8", "PMTUDISC": "u8",
    "ENCAP_LIMIT": "u8", "FLOWINFO": BE32, "FLAGS": "u32", "ENCAP_TYPE": "u16", "ENCAP_FLAGS": "u16",
    "ENCAP_SPORT": BE16, "ENCAP_DPORT": BE16, "COLLECT_METADATA": "flag", "IGNORE_DF": "u8", "FWMARK": "u32",
    "ERSPAN_INDEX": "u32", "ERSPAN_VER": "u8", "ERSPAN_DIR": "u8", "ERSPAN_HWID": "u16"}, module=T)
IPTUN = S("iptun", "IFLA_IPTUN_UNSPEC", "IFLA_IPTUN_", {
    "LINK": "u32", "LOCAL": "addr", "REMOTE": "addr", "TTL": "u8", "TOS": "u8", "ENCAP_LIMIT": "u8",
    "FLOWINFO": BE32, "FLAGS": a("uint", show=hex), "PROTO": "u8", "PMTUDISC": "u8", "6RD_PREFIX": IPV6,
    "6RD_RELAY_PREFIX": IPV4, "6RD_PREFIXLEN": "u16", "6RD_RELAY_PREFIXLEN": "u16", "ENCAP_TYPE": "u16",
    "ENCAP_FLAGS": "u16", "ENCAP_SPORT": BE16, "ENCAP_DPORT": BE16, "COLLECT_METADATA": "flag",
    "FWMARK": "u32"}, module=T)
VTI = S("vti", "IFLA_VTI_UNSPEC", "IFLA_VTI_", {
    "LINK": "u32", "IKEY": BE32, "OKEY": BE32, "LOCAL": "addr", "REMOTE": "addr", "FWMARK": "u32"}, module=T)
VRF = S("vrf", "IFLA_VRF_UNSPEC", "IFLA_VRF_", {"TABLE": "u32"})
VRF_PORT = S("vrf_port", "IFLA_VRF_PORT_UNSPEC", "IFLA_VRF_PORT_", {"TABLE": "u32"})
TUN_TYPES = {1: "tun", 2: "tap"}
TUN = S("tun", "IFLA_TUN_UNSPEC", "IFLA_TUN_", {
    "OWNER": "u32", "GROUP": "u32", "TYPE": a("u8", enum=TUN_TYPES), "PI": "u8", "VNET_HDR": "u8",
    "PERSIST": "u8", "MULTI_QUEUE": "u8", "NUM_QUEUES": "u32", "NUM_DISABLED_QUEUES": "u32"})
# macsec_fill_info (drivers/net/macsec.c): the SCI is a u64 in network order (sci_t; ip prints
# it as 16 hex digits), the cipher suite a u64 id, the rest u8 switches; PORT (be16) in requests
MACSEC_CIPHERS = {M.MACSEC_CIPHER_ID_GCM_AES_128: "GCM-AES-128", M.MACSEC_CIPHER_ID_GCM_AES_256: "GCM-AES-256",
                  M.MACSEC_CIPHER_ID_GCM_AES_XPN_128: "GCM-AES-XPN-128",
                  M.MACSEC_CIPHER_ID_GCM_AES_XPN_256: "GCM-AES-XPN-256",
                  M.MACSEC_DEFAULT_CIPHER_ID: "GCM-AES-128 (deprecated id)"}
MACSEC_VALIDATE = names_from(L, "MACSEC_VALIDATE_", "macsec_validation_type")
MACSEC_OFFLOADS = names_from(L, "MACSEC_OFFLOAD_", "macsec_offload")
MACSEC = S("macsec", "IFLA_MACSEC_UNSPEC", "IFLA_MACSEC_", {
    "SCI": a("u64", big_endian=True, show=lambda v: f"{v:016x}"), "PORT": BE16, "ICV_LEN": "u8",
    "CIPHER_SUITE": a("u64", enum=MACSEC_CIPHERS), "WINDOW": "u32", "ENCODING_SA": "u8", "ENCRYPT": "u8",
    "PROTECT": "u8", "INC_SCI": "u8", "ES": "u8", "SCB": "u8", "REPLAY_PROTECT": "u8",
    "VALIDATION": a("u8", enum=MACSEC_VALIDATE), "PAD": "pad", "OFFLOAD": a("u8", enum=MACSEC_OFFLOADS)})
# xfrm interfaces (net/xfrm/xfrm_interface_core.c, xfrmi_fill_info): the underlying link and the if_id
XFRM = S("xfrm", "IFLA_XFRM_UNSPEC", "IFLA_XFRM_", {"LINK": "u32", "IF_ID": "u32", "COLLECT_METADATA": "flag"})
# batman-adv soft interfaces (net/batman-adv/soft-interface.c, batadv_ifla_policy): the routing
# algorithm's name, as `ip link add … type batadv` and networkd's [BatmanAdvanced] give it
BATADV = S("batadv", "batadv_ifla_attrs", "IFLA_BATADV_", {"ALGO_NAME": "string"}, module=BATMAN)
# drivers/net/bareudp.c (bareudp_policy: u16s; port and ethertype are kept as sent, in network
# order, as iproute2 puts them: htons), net/hsr/hsr_netlink.c (hsr_policy), rmnet_config.c
# (rmnet_policy: struct ifla_rmnet_flags), ipoib_netlink.c (ipoib_policy), ppp_generic.c
BAREUDP = S("bareudp", "IFLA_BAREUDP_UNSPEC", "IFLA_BAREUDP_", {
    "PORT": BE16, "ETHERTYPE": a("u16", big_endian=True, show=lambda v: f"{v:#06x}"), "SRCPORT_MIN": "u16",
    "MULTIPROTO_MODE": "flag"})
HSR = S("hsr", "IFLA_HSR_UNSPEC", "IFLA_HSR_", {
    "SLAVE1": "u32", "SLAVE2": "u32", "MULTICAST_SPEC": "u8", "SUPERVISION_ADDR": MAC, "SEQ_NR": "u16",
    "VERSION": "u8", "PROTOCOL": a("u8", enum=names_from(L, "HSR_PROTOCOL_", "HSR_PROTOCOL_HSR")), "INTERLINK": "u32"})
RMNET_FLAGS = c_struct(L, "ifla_rmnet_flags", "rtnl.link.linkinfo.rmnet.flags_struct", label="ifla_rmnet_flags")
RMNET = S("rmnet", "IFLA_RMNET_UNSPEC", "IFLA_RMNET_", {"MUX_ID": "u16", "FLAGS": a("struct", struct=RMNET_FLAGS)})
IPOIB = S("ipoib", "IFLA_IPOIB_UNSPEC", "IFLA_IPOIB_", {
    "PKEY": a("u16", show=hex), "MODE": a("u16", enum=names_from(L, "IPOIB_MODE_", "IPOIB_MODE_DATAGRAM")),
    "UMCAST": "u16"})
PPP = S("ppp", "IFLA_PPP_UNSPEC", "IFLA_PPP_", {"DEV_FD": "s32"})
VETH = AttrSet("veth", "rtnl.link.linkinfo.veth", {"VETH_INFO_PEER": a("binary")}, V, strip="VETH_INFO_",
               label="veth")

DATA_BY_KIND = {
    "veth": VETH, "vlan": VLAN, "bridge": BR, "bond": BOND, "vxlan": VXLAN, "geneve": GENEVE,
    "macvlan": MACVLAN, "macvtap": MACVLAN, "ipvlan": IPVLAN, "ipvtap": IPVLAN,
    "gre": GRE, "gretap": GRE, "erspan": GRE, "ip6gre": GRE, "ip6gretap": GRE, "ip6erspan": GRE,
    "ipip": IPTUN, "sit": IPTUN, "ip6tnl": IPTUN, "vti": VTI, "vti6": VTI, "vrf": VRF, "tun": TUN,
    "macsec": MACSEC, "xfrm": XFRM, "batadv": BATADV, "bareudp": BAREUDP, "hsr": HSR, "rmnet": RMNET,
    "ipoib": IPOIB, "ppp": PPP,
}
SLAVE_DATA_BY_KIND = {"bridge": BRPORT, "bond": BOND_SLAVE, "vrf": VRF_PORT}

LINKINFO_ATTRS = AttrSet("linkinfo", "rtnl.link.linkinfo", {
    "IFLA_INFO_KIND": a("string"),
    "IFLA_INFO_DATA": a("submsg", selector="IFLA_INFO_KIND", choices=DATA_BY_KIND),
    "IFLA_INFO_XSTATS": a("binary"),
    "IFLA_INFO_SLAVE_KIND": a("string"),
    "IFLA_INFO_SLAVE_DATA": a("submsg", selector="IFLA_INFO_SLAVE_KIND", choices=SLAVE_DATA_BY_KIND),
}, L, strip="IFLA_INFO_", label="link info")


def set_veth_peer(ifinfomsg, link_attrs) -> None:
    """VETH_INFO_PEER holds a whole link: struct ifinfomsg, then IFLA_* attributes (set by
    link.py, which declares both, to keep the import order one way)."""
    def peer(buf, start, end, order, req):
        if end - start < ifinfomsg.size:
            from ...core.attrs import malformed
            return [malformed(buf, start, end, "peer shorter than struct ifinfomsg")]
        return [ifinfomsg.node(buf, start, order, req=req)] + decode_attrs(buf, start + ifinfomsg.size, end,
                                                                           link_attrs, order, 1, req)
    VETH.by_name["VETH_INFO_PEER"].decode = peer
