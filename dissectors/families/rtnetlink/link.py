"""Links: RTM_NEWLINK/DELLINK/GETLINK/SETLINK with struct ifinfomsg and IFLA_* attributes."""
from __future__ import annotations

import struct

from ...core.attrs import NLA_F_NET_BYTEORDER, AttrSet, a, c_string, decode_attrs, enum_set, scan_attrs
from ...core.info import info
from ...core.schema import c_struct, enum_show, names_from
from ...generated import if_bridge as BR, if_ as IF, if_arp as ARP, if_link as L, ip as IP, ipv6 as IP6, rtnetlink as R, snmp
from .common import AF_NUMBERS, show_af
from .linkinfo import BRPORT, LINKINFO_ATTRS, SLAVE_DATA_BY_KIND, set_veth_peer
from ...model import Node
from .protocol import ROUTE, add_types, is_dump_request, top

# Attributes newer than the installed UAPI headers (Debian 12's are from Linux 6.1) but sent
# by newer kernels; numbers from the upstream <linux/if_link.h> enum, in order after
# IFLA_ALLMULTI (61).  A name the installed header has wins over these.  67-69 are after 6.12:
# IFLA_NETNS_IMMUTABLE (6.15), IFLA_HEADROOM and IFLA_TAILROOM (6.18: needed_headroom/tailroom,
# nla_put_u16 in rtnl_fill_ifinfo), all sent for every link.
NEWER_IFLA = {"IFLA_DEVLINK_PORT": 62, "IFLA_GSO_IPV4_MAX_SIZE": 63, "IFLA_GRO_IPV4_MAX_SIZE": 64,
              "IFLA_DPLL_PIN": 65, "IFLA_MAX_PACING_OFFLOAD_HORIZON": 66, "IFLA_NETNS_IMMUTABLE": 67,
              "IFLA_HEADROOM": 68, "IFLA_TAILROOM": 69}
IFLA = NEWER_IFLA | {k: v for k, v in vars(L).items() if isinstance(v, int)}
AF_MCTP = 45  # <bits/socket.h>

IFF_NAMES = names_from(IF, "IFF_", "net_device_flags", exclude=())
ARPHRD_NAMES = names_from(ARP, "ARPHRD_", exclude=())
OPER_NAMES = names_from(IF, "IF_OPER_", exclude=())
LINKMODE_NAMES = names_from(IF, "IF_LINK_MODE_", exclude=())
ADDR_GEN_NAMES = names_from(L, "IN6_ADDR_GEN_MODE_", exclude=())

IFINFOMSG = c_struct(R, "ifinfomsg", "rtnl.link", strip="ifi_", label="Interface info (ifinfomsg)",
                     show={"family": show_af, "type": enum_show(ARPHRD_NAMES)},
                     flags={"flags": IFF_NAMES, "change": IFF_NAMES})
RTGENMSG = c_struct(R, "rtgenmsg", "rtnl.gen", strip="rtgen_", label="Generic request (rtgenmsg)",
                    show={"family": show_af})

STATS = c_struct(L, "rtnl_link_stats", "rtnl.link.stats", label="rtnl_link_stats")
STATS64 = c_struct(L, "rtnl_link_stats64", "rtnl.link.stats64", label="rtnl_link_stats64")
IFMAP = c_struct(L, "rtnl_link_ifmap", "rtnl.link.map", label="rtnl_link_ifmap")
CACHEINFO = c_struct(L, "ifla_cacheinfo", "rtnl.link.inet6.cacheinfo", label="ifla_cacheinfo")

# IPV4_DEVCONF_* are numbered from 1 and sent as an array starting at index 0
DEVCONF4 = {k - 1: v for k, v in names_from(IP, "IPV4_DEVCONF_", exclude=("MAX",)).items()}
DEVCONF6 = names_from(IP6, "DEVCONF_", exclude=("MAX",))
IPSTATS = names_from(snmp, "IPSTATS_MIB_", exclude=("MAX",))
ICMP6STATS = names_from(snmp, "ICMP6_MIB_", exclude=("MAX",))

INET_ATTRS = AttrSet("inet", "rtnl.link.inet", {
    "IFLA_INET_CONF": a("array", sub="u32", elem_names=DEVCONF4),
}, L, strip="IFLA_INET_", label="AF_INET link data")

INET6_ATTRS = AttrSet("inet6", "rtnl.link.inet6", {
    "IFLA_INET6_FLAGS": a("u32", show=hex),
    "IFLA_INET6_CONF": a("array", sub="s32", elem_names=DEVCONF6),
    "IFLA_INET6_STATS": a("array", sub="u64", elem_names=IPSTATS),
    "IFLA_INET6_MCAST": a("binary"),
    "IFLA_INET6_CACHEINFO": a("struct", struct=CACHEINFO),
    "IFLA_INET6_ICMP6STATS": a("array", sub="u64", elem_names=ICMP6STATS),
    "IFLA_INET6_TOKEN": a("binary", hint="ipv6"),
    "IFLA_INET6_ADDR_GEN_MODE": a("u8", enum=ADDR_GEN_NAMES),
    "IFLA_INET6_RA_MTU": a("u32"),
}, L, strip="IFLA_INET6_", label="AF_INET6 link data")

MCTP_ATTRS = AttrSet("mctp", "rtnl.link.mctp", {
    "IFLA_MCTP_NET": a("u32"),
}, L, strip="IFLA_MCTP_", label="AF_MCTP link data")

AF_SPEC_SPECS = {
    "AF_INET": a("nest", nested=INET_ATTRS),
    "AF_INET6": a("nest", nested=INET6_ATTRS),
    "AF_MCTP": a("nest", nested=MCTP_ATTRS),
}
AF_SPEC_NUMBERS = AF_NUMBERS | {"AF_MCTP": AF_MCTP}
AF_SPEC_ATTRS = AttrSet("af_spec", "rtnl.link.af_spec", AF_SPEC_SPECS, AF_SPEC_NUMBERS, strip="AF_",
                        label="per-family link data")
EMPTY_NEST = AttrSet("devlink_port", "rtnl.link.devlink_port", {}, {}, label="devlink port (empty nest)")
# IFLA_DPLL_PIN: the pin's handle as the dpll family writes it (drivers/dpll/dpll_netlink.c,
# dpll_msg_add_pin_handle), DPLL_A_PIN_ID of <linux/dpll.h>'s enum dpll_a_pin; empty when the
# device has no pin
DPLL_PIN = AttrSet("dpll_pin", "rtnl.link.dpll_pin", {"DPLL_A_PIN_ID": a("u32")}, {"DPLL_A_PIN_ID": 1},
                   strip="DPLL_A_PIN_", label="DPLL pin")

PROP_LIST_ATTRS = AttrSet("prop_list", "rtnl.link.prop_list", {
    "IFLA_ALT_IFNAME": a("string"),
}, L, strip="IFLA_", label="property list")

# rtnl_fill_proto_down(): IFLA_PROTO_DOWN_REASON_VALUE, the u32 of reason bits set; requests
# (do_set_proto_down) give a MASK of the bits they change and their VALUE
PROTO_DOWN_REASON = enum_set("proto_down_reason", "rtnl.link.proto_down_reason", L, "IFLA_PROTO_DOWN_REASON_UNSPEC",
                             "IFLA_PROTO_DOWN_REASON_", {"MASK": a("u32", show=hex), "VALUE": a("u32", show=hex)},
                             label="protodown reasons")
XDP_ATTRS = AttrSet("xdp", "rtnl.link.xdp", {
    "IFLA_XDP_FD": a("s32"), "IFLA_XDP_ATTACHED": a("u8"), "IFLA_XDP_FLAGS": a("u32", show=hex),
    "IFLA_XDP_PROG_ID": a("u32"), "IFLA_XDP_DRV_PROG_ID": a("u32"), "IFLA_XDP_SKB_PROG_ID": a("u32"),
    "IFLA_XDP_HW_PROG_ID": a("u32"), "IFLA_XDP_EXPECTED_FD": a("s32"),
}, L, strip="IFLA_XDP_", label="XDP")

EVENT_NAMES = names_from(L, "IFLA_EVENT_", exclude=())
LINK_SPECS = {
    "IFLA_ADDRESS": a("binary", hint="mac"),
    "IFLA_BROADCAST": a("binary", hint="mac"),
    "IFLA_IFNAME": a("string"),
    "IFLA_MTU": a("u32"),
    "IFLA_LINK": a("s32"),
    "IFLA_QDISC": a("string"),
    "IFLA_STATS": a("struct", struct=STATS),
    "IFLA_COST": a("binary"),
    "IFLA_PRIORITY": a("binary"),
    "IFLA_MASTER": a("u32"),
    "IFLA_WIRELESS": a("binary"),
    "IFLA_PROTINFO": a("nest", nested=INET6_ATTRS),
    "IFLA_TXQLEN": a("u32"),
    "IFLA_MAP": a("struct", struct=IFMAP),
    "IFLA_WEIGHT": a("u32"),
    "IFLA_OPERSTATE": a("u8", enum=OPER_NAMES),
    "IFLA_LINKMODE": a("u8", enum=LINKMODE_NAMES),
    "IFLA_LINKINFO": a("nest", nested=LINKINFO_ATTRS),
    "IFLA_NET_NS_PID": a("u32"),
    "IFLA_IFALIAS": a("string"),
    "IFLA_NUM_VF": a("u32"),
    "IFLA_VFINFO_LIST": a("binary"),
    "IFLA_STATS64": a("struct", struct=STATS64),
    "IFLA_VF_PORTS": a("binary"),
    "IFLA_PORT_SELF": a("binary"),
    "IFLA_AF_SPEC": a("nest", nested=AF_SPEC_ATTRS),
    "IFLA_GROUP": a("u32"),
    "IFLA_NET_NS_FD": a("u32"),
    "IFLA_EXT_MASK": a("u32", show=hex),
    "IFLA_PROMISCUITY": a("u32"),
    "IFLA_NUM_TX_QUEUES": a("u32"),
    "IFLA_NUM_RX_QUEUES": a("u32"),
    "IFLA_CARRIER": a("u8"),
    "IFLA_PHYS_PORT_ID": a("binary"),
    "IFLA_CARRIER_CHANGES": a("u32"),
    "IFLA_PHYS_SWITCH_ID": a("binary"),
    "IFLA_LINK_NETNSID": a("s32"),
    "IFLA_PHYS_PORT_NAME": a("string"),
    "IFLA_PROTO_DOWN": a("u8"),
    "IFLA_GSO_MAX_SEGS": a("u32"),
    "IFLA_GSO_MAX_SIZE": a("u32"),
    "IFLA_PAD": a("pad"),
    "IFLA_XDP": a("nest", nested=XDP_ATTRS),
    "IFLA_EVENT": a("u32", enum=EVENT_NAMES),
    "IFLA_NEW_NETNSID": a("s32"),
    "IFLA_IF_NETNSID": a("s32"),
    "IFLA_CARRIER_UP_COUNT": a("u32"),
    "IFLA_CARRIER_DOWN_COUNT": a("u32"),
    "IFLA_NEW_IFINDEX": a("s32"),
    "IFLA_MIN_MTU": a("u32"),
    "IFLA_MAX_MTU": a("u32"),
    "IFLA_PROP_LIST": a("nest", nested=PROP_LIST_ATTRS),
    "IFLA_ALT_IFNAME": a("string"),
    "IFLA_PERM_ADDRESS": a("binary", hint="mac"),
    "IFLA_PROTO_DOWN_REASON": a("nest", nested=PROTO_DOWN_REASON),
    "IFLA_PARENT_DEV_NAME": a("string"),
    "IFLA_PARENT_DEV_BUS_NAME": a("string"),
    "IFLA_GRO_MAX_SIZE": a("u32"),
    "IFLA_TSO_MAX_SIZE": a("u32"),
    "IFLA_TSO_MAX_SEGS": a("u32"),
    "IFLA_ALLMULTI": a("u32"),
    "IFLA_DEVLINK_PORT": a("nest", nested=EMPTY_NEST),
    "IFLA_GSO_IPV4_MAX_SIZE": a("u32"),
    "IFLA_GRO_IPV4_MAX_SIZE": a("u32"),
    "IFLA_DPLL_PIN": a("nest", nested=DPLL_PIN),
    "IFLA_MAX_PACING_OFFLOAD_HORIZON": a("uint", unit="ns"),
    "IFLA_NETNS_IMMUTABLE": a("u8"),
    "IFLA_HEADROOM": a("u16"),
    "IFLA_TAILROOM": a("u16"),
}
LINK_ATTRS = AttrSet("link", "rtnl.link", LINK_SPECS, IFLA, strip="IFLA_", label="link")

# AF_BRIDGE links (`bridge link`, `bridge vlan`, port notifications): IFLA_AF_SPEC holds
# IFLA_BRIDGE_* and IFLA_PROTINFO the port's IFLA_BRPORT_* settings
BRIDGE_FLAGS = {BR.BRIDGE_FLAGS_MASTER: "MASTER", BR.BRIDGE_FLAGS_SELF: "SELF"}
BRIDGE_VLAN_INFO = c_struct(BR, "bridge_vlan_info", "rtnl.link.bridge.vlan_info_struct", label="bridge_vlan_info",
                            flags={"flags": {1: "MASTER", 2: "PVID", 4: "UNTAGGED", 8: "RANGE_BEGIN", 16: "RANGE_END",
                                             32: "BRENTRY", 64: "ONLINK"}})
BRIDGE_AF = enum_set("bridge_af", "rtnl.link.bridge", BR, "IFLA_BRIDGE_FLAGS", "IFLA_BRIDGE_", {
    "FLAGS": a("u16", flags=BRIDGE_FLAGS), "MODE": a("u16", enum={0: "VEB", 1: "VEPA"}),
    "VLAN_INFO": a("struct", struct=BRIDGE_VLAN_INFO), "VLAN_TUNNEL_INFO": "nest", "MRP": "nest", "CFM": "nest",
    "MST": "nest"}, label="bridge link data")
LINK_ATTRS_BRIDGE = AttrSet("link_bridge", "rtnl.link", LINK_SPECS | {
    "IFLA_AF_SPEC": a("nest", nested=BRIDGE_AF), "IFLA_PROTINFO": a("nest", nested=BRPORT)},
    IFLA, strip="IFLA_", label="link (AF_BRIDGE)")

# What a request sets (RTM_NEWLINK/RTM_SETLINK to the kernel): IFLA_INET_CONF is then no array
# but a nest of u32 attributes typed by IPV4_DEVCONF_* (from 1): inet_validate_link_af() checks
# each with nla_for_each_nested (type 1..IPV4_DEVCONF_MAX, at least 4 bytes) and
# inet_set_link_af() sets ipv4_devconf_set(in_dev, nla_type(a), nla_get_u32(a)) — keepalived
# sets a VMAC's arp_ignore/arp_filter/accept_local/rp_filter so.  The kernel's messages carry the
# array (inet_fill_link_af).  IFLA_INET6_* are set as they are dumped (inet6_set_link_af: TOKEN,
# ADDR_GEN_MODE).
DEVCONF4_SET = enum_set("inet_conf_set", "rtnl.link.inet.conf", IP, "IPV4_DEVCONF_FORWARDING", "IPV4_DEVCONF_", {},
                        default="u32", label="IPv4 devconf values to set")
INET_ATTRS_SET = AttrSet("inet_set", "rtnl.link.inet", {
    "IFLA_INET_CONF": a("nest", nested=DEVCONF4_SET),
}, L, strip="IFLA_INET_", label="AF_INET link data to set")
AF_SPEC_ATTRS_SET = AttrSet("af_spec_set", "rtnl.link.af_spec",
                            AF_SPEC_SPECS | {"AF_INET": a("nest", nested=INET_ATTRS_SET)}, AF_SPEC_NUMBERS,
                            strip="AF_", label="per-family link data to set")
LINK_ATTRS_SET = AttrSet("link_set", "rtnl.link", LINK_SPECS | {"IFLA_AF_SPEC": a("nest", nested=AF_SPEC_ATTRS_SET)},
                         IFLA, strip="IFLA_", label="link")

_IFF_UP = IF.IFF_UP


_IFINFO = {o: struct.Struct(o + "BxHiII") for o in "<>"}
_U32 = {o: struct.Struct(o + "I") for o in "<>"}


def _link_info_fast(buf, off: int, length: int, order: str, nl_flags: int) -> str | None:
    """link_info read straight from the bytes (a link dump is most of many captures); None
    for anything unusual — a short header, a bad or odd-sized attribute — which the tree
    then decides.  Held equal to link_info on every message of every capture by a test."""
    body, end = off + 16, off + length
    if end - body < 16:
        return None
    _, _, index, flags, change = _IFINFO[order].unpack_from(buf, body)
    found = scan_attrs(buf, body + 16, end, order, _LINK_FAST)
    if found is None:
        return None
    name = mtu = master = kind = None
    for t, spans in found.items():   # as in the tree, the first of each counts
        start, stop, ty = spans[0]
        if ty & NLA_F_NET_BYTEORDER:  # let the tree say what that means
            return None
        if t == L.IFLA_IFNAME:
            name = c_string(buf, start, stop)
        elif t == L.IFLA_LINKINFO:
            for start, stop, _ in spans:
                inner = scan_attrs(buf, start, stop, order, _KIND)
                if inner is None:
                    return None
                if inner:
                    k_start, k_stop, k_ty = inner[L.IFLA_INFO_KIND][0]
                    if k_ty & NLA_F_NET_BYTEORDER:
                        return None
                    kind = c_string(buf, k_start, k_stop)
                    break
        else:  # IFLA_MTU, IFLA_MASTER: u32
            if stop - start != 4:
                return None
            v = _U32[order].unpack_from(buf, start)[0]
            if t == L.IFLA_MTU:
                mtu = v
            else:
                master = v
    if name:
        parts = [name, f"index {index}"] if index else [name]
    else:
        parts = [f"index {index}" if index else ("dump" if nl_flags & 0x301 == 0x301 else "no interface")]
    if flags or change:
        parts.append("UP" if flags & _IFF_UP else "DOWN")
    if mtu is not None:
        parts.append(f"mtu {mtu}")
    if kind:
        parts.append(kind)
    if master:
        parts.append(f"master {master}")
    return " ".join(parts)


_LINK_FAST = frozenset({L.IFLA_IFNAME, L.IFLA_MTU, L.IFLA_MASTER, L.IFLA_LINKINFO})
_KIND = frozenset({L.IFLA_INFO_KIND})


# what link_info reads (besides the fixed header): a summary decodes these attributes alone
@info(("rtnl.link.ifname", "rtnl.link.mtu", "rtnl.link.linkinfo.kind", "rtnl.link.master"), fast=_link_info_fast)
def link_info(root) -> str:
    """`dummy0 UP mtu 1500 dummy` (or `index 3` when a request names no interface)."""
    name = top(root, "rtnl.link.ifname")
    index = top(root, "rtnl.link.index")
    parts = [name if name else (f"index {index}" if index else ("dump" if is_dump_request(root) else "no interface"))]
    if name and index:
        parts.append(f"index {index}")
    flags = top(root, "rtnl.link.flags")
    change = top(root, "rtnl.link.change")
    if flags is not None and (flags or change):
        parts.append("UP" if flags & _IFF_UP else "DOWN")
    mtu = top(root, "rtnl.link.mtu")
    if mtu is not None:
        parts.append(f"mtu {mtu}")
    kind = top(root, "rtnl.link.linkinfo.kind")
    if kind:
        parts.append(kind)
    master = top(root, "rtnl.link.master")
    if master:
        parts.append(f"master {master}")
    return " ".join(parts)



_LINKINFO = LINK_ATTRS.by_name["IFLA_LINKINFO"].field
_INFO = LINKINFO_ATTRS.by_name
_SLAVE = "_slave"


def slave_data_by_kind(buf, order: str, nodes, req) -> None:
    """IFLA_INFO_SLAVE_DATA sent with no IFLA_INFO_SLAVE_KIND, read as the kernel reads it.

    iproute2's `ip link set DEV type bond_slave …` sends IFLA_INFO_KIND "bond_slave" and the
    port's options in IFLA_INFO_SLAVE_DATA (iplink.c: a type ending in "_slave" fills the slave
    data), no IFLA_INFO_SLAVE_KIND.  rtnl_newlink() parses IFLA_INFO_SLAVE_DATA with the
    policy of the device's master (m_ops->slave_policy, netdev_master_upper_dev_get()),
    whatever the kinds say, and ignores a kind no driver has; the master's kind is the one
    the type names before "_slave"."""
    for n in nodes:
        if n.field is not _LINKINFO or not n.children:
            continue
        kinds = {c.field: c.value for c in n.children}
        kind = kinds.get(_INFO["IFLA_INFO_KIND"].field)
        if not isinstance(kind, str) or not kind.endswith(_SLAVE) or _INFO["IFLA_INFO_SLAVE_KIND"].field in kinds:
            continue
        master = kind[:-len(_SLAVE)]
        aset = SLAVE_DATA_BY_KIND.get(master)
        if aset is None:
            continue
        for i, c in enumerate(n.children):
            if c.field is _INFO["IFLA_INFO_SLAVE_DATA"].field and c.status:
                kids = decode_attrs(buf, c.offset + 4, c.offset + c.length, aset, order, 2, req)
                n.children[i] = Node(c.field, master, c.offset, c.length,
                                     f"({master}: the master's kind, as IFLA_INFO_KIND {kind!r} names it)", kids,
                                     label=c.label)


_CHANGE = next(m.field for m in IFINFOMSG.shown if m.name == "change")
_ALL_CHANGED = 0xFFFFFFFF


def all_flags_changed(nodes) -> None:
    """ifi_change ~0U: the kernel's "every flag may have changed", not 32 flag bits.

    rtmsg_ifinfo(RTM_NEWLINK, dev, ~0U, …) announces a link whole (register_netdevice,
    netdev_state_change and the like; rtnl_fill_ifinfo copies it into ifi_change), as
    rtnl_delete_link/unregister announce RTM_DELLINK; the bits past IFF_ECHO are set by that
    ~0, not by any flag: they are not shown as unknown bits."""
    header = nodes[0] if nodes else None
    for c in (header.children or ()) if header is not None else ():
        if c.field is _CHANGE and c.value == _ALL_CHANGED:
            c.text = f"{_ALL_CHANGED:#010x} (~0U: every flag may have changed)"
            if c.children:
                c.children = [k for k in c.children if not k.field.abbrev.endswith(".unknown_bits")]


def reread_link(buf, order: str, nodes, req) -> None:
    all_flags_changed(nodes)
    slave_data_by_kind(buf, order, nodes, req)


set_veth_peer(IFINFOMSG, LINK_ATTRS)
add_types(["RTM_NEWLINK", "RTM_DELLINK", "RTM_GETLINK", "RTM_SETLINK"], IFINFOMSG, LINK_ATTRS, link_info,
          short_header=RTGENMSG, by_family={AF_NUMBERS["AF_BRIDGE"]: LINK_ATTRS_BRIDGE})
add_types(["RTM_NEWLINK", "RTM_SETLINK"], IFINFOMSG, LINK_ATTRS_SET, link_info, short_header=RTGENMSG,
          by_family={AF_NUMBERS["AF_BRIDGE"]: LINK_ATTRS_BRIDGE}, requests=True)
ROUTE.rereads.update({getattr(R, t): reread_link for t in ("RTM_NEWLINK", "RTM_DELLINK", "RTM_SETLINK")})


@info(("rtnl.link.ifname", "rtnl.link.prop_list.alt_ifname"), full_tree=True)   # the names are one nest down
def linkprop_info(root) -> str:
    """`altname tapalt for t1` (`ip link property add dev t1 altname tapalt`)."""
    alt = [n.value for n in root.find_all("rtnl.link.prop_list.alt_ifname")]
    name = top(root, "rtnl.link.ifname")
    index = top(root, "rtnl.link.index")
    dev = name or (f"index {index}" if index else "no interface")
    return " ".join([*(f"altname {v}" for v in alt), "for" if alt else "", dev]).strip()


# `ip link property add/del` (rtnl_newlinkprop/rtnl_dellinkprop): an ifinfomsg naming the link
# by index or IFLA_IFNAME/IFLA_ALT_IFNAME, and IFLA_PROP_LIST holding the IFLA_ALT_IFNAMEs;
# the kernel registers no handler for RTM_GETLINKPROP (the names come back in RTM_NEWLINK)
add_types(["RTM_NEWLINKPROP", "RTM_DELLINKPROP", "RTM_GETLINKPROP"], IFINFOMSG, LINK_ATTRS, linkprop_info)
