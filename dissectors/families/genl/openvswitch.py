"""Open vSwitch kernel datapath: ovs_datapath, ovs_vport, ovs_flow and ovs_packet, names from
<linux/openvswitch.h>.  Every message carries struct ovs_header (the datapath's ifindex)
after the generic netlink header; flow keys and masks are decoded attribute by attribute
with their structs (Ethernet, IPv4, TCP/UDP/ICMP, conntrack tuple …)."""
from __future__ import annotations

import socket

from construct import Bytes, Int8ul, Int16ub, Int32ub

from ...core.attrs import a, addr_value, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import FixedStruct, c_struct, member, names_from, pad, raw
from ...generated import openvswitch as O

OVS_HEADER = c_struct(O, "ovs_header", "ovs.header", label="Open vSwitch header (ovs_header)")


def _ip4(v: int) -> str:
    return socket.inet_ntop(socket.AF_INET, v.to_bytes(4, "big"))


def S(name, enum, strip, types, label, default="binary"):
    return enum_set(name, f"ovs.{name}", O, enum, strip, types, label=label, default=default)


def st(cname, prefix, label=None, show=None):
    return c_struct(O, cname, f"ovs.{prefix}", label=label or cname, show=show)


ETHERNET = FixedStruct("ovs_key_ethernet", "ovs.key.ethernet_struct", [
    member("eth_src", Bytes(6), addr_value), member("eth_dst", Bytes(6), addr_value)],
    label="ovs_key_ethernet")
KEY_IPV4 = st("ovs_key_ipv4", "key.ipv4_struct", show={"ipv4_src": _ip4, "ipv4_dst": _ip4})
KEY_TCP = st("ovs_key_tcp", "key.tcp_struct")
KEY_UDP = st("ovs_key_udp", "key.udp_struct")
KEY_ICMP = st("ovs_key_icmp", "key.icmp_struct")
KEY_MPLS = st("ovs_key_mpls", "key.mpls_struct", show={"mpls_lse": hex})
KEY_SCTP = st("ovs_key_sctp", "key.sctp_struct")
KEY_ICMPV6 = st("ovs_key_icmpv6", "key.icmpv6_struct")


# the structs with arrays (the generated layouts hold scalar members only); their 16- and
# 6-byte members are IPv6 and MAC addresses, as addr_value reads them
KEY_IPV6 = FixedStruct("ovs_key_ipv6", "ovs.key.ipv6_struct", [
    raw("ipv6_src", 16, addr_value), raw("ipv6_dst", 16, addr_value), member("ipv6_label", Int32ub, hex),
    member("ipv6_proto", Int8ul), member("ipv6_tclass", Int8ul), member("ipv6_hlimit", Int8ul),
    member("ipv6_frag", Int8ul)], label="ovs_key_ipv6")
KEY_ARP = FixedStruct("ovs_key_arp", "ovs.key.arp_struct", [
    member("arp_sip", Int32ub, _ip4), member("arp_tip", Int32ub, _ip4), member("arp_op", Int16ub),
    raw("arp_sha", 6, addr_value), raw("arp_tha", 6, addr_value), pad(2)], label="ovs_key_arp")
KEY_ND = FixedStruct("ovs_key_nd", "ovs.key.nd_struct", [
    raw("nd_target", 16, addr_value), raw("nd_sll", 6, addr_value), raw("nd_tll", 6, addr_value)], label="ovs_key_nd")
CT_TUPLE6 = FixedStruct("ovs_key_ct_tuple_ipv6", "ovs.key.ct_tuple6_struct", [
    raw("ipv6_src", 16, addr_value), raw("ipv6_dst", 16, addr_value), member("src_port", Int16ub), member("dst_port", Int16ub),
    member("ipv6_proto", Int8ul), pad(3)], label="ovs_key_ct_tuple_ipv6")
CT_TUPLE4 = st("ovs_key_ct_tuple_ipv4", "key.ct_tuple4_struct", show={"ipv4_src": _ip4, "ipv4_dst": _ip4})
VPORT_TYPES = names_from(O, "OVS_VPORT_TYPE_", "ovs_vport_type", exclude=("UNSPEC", "MAX"))
DP_FEATURES = names_from(O, "OVS_DP_F_", exclude=())

TUNNEL_OPTS = S("vport.options", "OVS_TUNNEL_ATTR_UNSPEC", "OVS_TUNNEL_ATTR_", {"DST_PORT": "u16",
                "EXTENSION": "nest"}, "tunnel options")
BE16 = a("u16", big_endian=True)
# a flow's tunnel metadata (OVS_KEY_ATTR_TUNNEL, in keys, masks and set actions): numbered from 0
TUNNEL_KEY = S("key.tunnel", "ovs_tunnel_key_attr", "OVS_TUNNEL_KEY_ATTR_", {
    "ID": a("u64", big_endian=True, show=hex), "IPV4_SRC": a("binary", hint="ipv4"),
    "IPV4_DST": a("binary", hint="ipv4"), "TOS": "u8", "TTL": "u8", "DONT_FRAGMENT": "flag", "CSUM": "flag",
    "OAM": "flag", "GENEVE_OPTS": "binary", "TP_SRC": BE16, "TP_DST": BE16, "VXLAN_OPTS": "nest",
    "IPV6_SRC": a("binary", hint="ipv6"), "IPV6_DST": a("binary", hint="ipv6"), "PAD": "pad",
    "ERSPAN_OPTS": "binary", "IPV4_INFO_BRIDGE": "flag"}, "tunnel key")
KEY = S("key", "ovs_key_attr", "OVS_KEY_ATTR_", {
    "ENCAP": "nest", "PRIORITY": "u32", "IN_PORT": "u32", "ETHERNET": a("struct", struct=ETHERNET),
    "VLAN": a("u16", big_endian=True), "ETHERTYPE": a("u16", big_endian=True, show=hex),
    "IPV4": a("struct", struct=KEY_IPV4), "TCP": a("struct", struct=KEY_TCP), "UDP": a("struct", struct=KEY_UDP),
    "ICMP": a("struct", struct=KEY_ICMP), "SKB_MARK": "u32", "TUNNEL": a("nest", nested=TUNNEL_KEY),
    "SCTP": a("struct", struct=KEY_SCTP), "IPV6": a("struct", struct=KEY_IPV6), "ICMPV6": a("struct", struct=KEY_ICMPV6),
    "ARP": a("struct", struct=KEY_ARP), "ND": a("struct", struct=KEY_ND),
    "CT_ORIG_TUPLE_IPV6": a("struct", struct=CT_TUPLE6),
    "TCP_FLAGS": a("u16", big_endian=True, show=hex), "DP_HASH": "u32", "RECIRC_ID": "u32",
    "MPLS": a("struct", struct=KEY_MPLS), "CT_STATE": a("u32", show=hex), "CT_ZONE": "u16", "CT_MARK": "u32",
    "CT_LABELS": "binary", "CT_ORIG_TUPLE_IPV4": a("struct", struct=CT_TUPLE4), "PACKET_TYPE": a("u32", show=hex),
    "IPV6_EXTHDRS": "u16"}, "flow key")
KEY.by_name["OVS_KEY_ATTR_ENCAP"].nested = KEY
ACTION = S("action", "ovs_action_attr", "OVS_ACTION_ATTR_", {
    "OUTPUT": "u32", "USERSPACE": "nest", "SET": a("nest", nested=KEY), "POP_VLAN": "flag", "SAMPLE": "nest",
    "RECIRC": "u32", "POP_MPLS": a("u16", big_endian=True, show=hex), "SET_MASKED": a("nest", nested=KEY),
    "CT": "nest", "TRUNC": "u32", "POP_ETH": "flag", "CT_CLEAR": "flag", "POP_NSH": "flag", "METER": "u32",
    "CLONE": "nest", "CHECK_PKT_LEN": "nest", "DEC_TTL": "nest"}, "actions")
DP = S("datapath", "ovs_datapath_attr", "OVS_DP_ATTR_", {
    "NAME": "string", "UPCALL_PID": "u32", "STATS": a("struct", struct=st("ovs_dp_stats", "datapath.stats_struct")),
    "MEGAFLOW_STATS": a("struct", struct=st("ovs_dp_megaflow_stats", "datapath.megaflow_struct")),
    "USER_FEATURES": a("u32", flags=DP_FEATURES), "PAD": "pad", "MASKS_CACHE_SIZE": "u32",
    "PER_CPU_PIDS": a("array", sub="u32"), "IFINDEX": "u32"}, "datapath")
# numbered from 0; the u64 counters are padded with OVS_VPORT_ATTR_PAD (vport.c,
# ovs_vport_get_upcall_stats)
UPCALL_STATS = enum_set("vport.upcall_stats", "ovs.vport.upcall_stats", O, "ovs_vport_upcall_attr",
                        "OVS_VPORT_UPCALL_ATTR_", {"SUCCESS": "u64", "FAIL": "u64"}, label="upcall stats",
                        extra={"OVS_VPORT_ATTR_PAD": (O.OVS_VPORT_ATTR_PAD, a("pad"))})
VPORT = S("vport", "ovs_vport_attr", "OVS_VPORT_ATTR_", {
    "PORT_NO": "u32", "TYPE": a("u32", enum=VPORT_TYPES), "NAME": "string", "OPTIONS": a("nest", nested=TUNNEL_OPTS),
    "UPCALL_PID": a("array", sub="u32"), "STATS": a("struct", struct=st("ovs_vport_stats", "vport.stats_struct")),
    "PAD": "pad", "IFINDEX": "u32", "NETNSID": "s32", "UPCALL_STATS": a("nest", nested=UPCALL_STATS)}, "vport")
FLOW = S("flow", "ovs_flow_attr", "OVS_FLOW_ATTR_", {
    "KEY": a("nest", nested=KEY), "ACTIONS": a("nest", nested=ACTION),
    "STATS": a("struct", struct=st("ovs_flow_stats", "flow.stats_struct")), "TCP_FLAGS": a("u8", show=hex),
    "USED": a("u64", unit="ms"), "CLEAR": "flag", "MASK": a("nest", nested=KEY), "PROBE": "flag",
    "UFID": a("binary", hint="uuid"), "UFID_FLAGS": a("u32", show=hex), "PAD": "pad"}, "flow")
PACKET = S("packet", "ovs_packet_attr", "OVS_PACKET_ATTR_", {
    "PACKET": "binary", "KEY": a("nest", nested=KEY), "ACTIONS": a("nest", nested=ACTION), "USERDATA": "binary",
    "EGRESS_TUN_KEY": "nest", "PROBE": "flag", "MRU": "u16", "LEN": "u32", "HASH": "u64"}, "packet")


def ovs_info(root) -> str:
    parts = []
    for c in root.children or ():
        ab = c.field.abbrev
        if ab in ("ovs.datapath.name", "ovs.vport.name"):
            parts.append(str(c.value))
        elif ab == "ovs.vport.type":
            parts.append((c.text or "").split(" ")[0].replace("OVS_VPORT_TYPE_", "").lower())
        elif ab == "ovs.vport.port_no":
            parts.append(f"port {c.value}")
    dp = root.first("ovs.header.dp_ifindex")
    if dp:
        parts.append(f"dp ifindex {dp}")
    return " ".join(parts)


def _key_text(key) -> str:
    """`in_port 1 10.60.0.1 → 10.60.0.2 proto 1` from a flow key's nodes."""
    parts = []
    port = key.first("ovs.key.in_port")
    if port is not None:
        parts.append(f"in_port {port}")
    for v in ("ipv4", "ipv6"):
        src = key.find(f"ovs.key.{v}_struct.{v}_src")
        if src is not None:
            dst = key.find(f"ovs.key.{v}_struct.{v}_dst")
            parts.append(f"{src.show} → {dst.show if dst is not None else '?'}")
            parts.append(f"proto {key.first(f'ovs.key.{v}_struct.{v}_proto')}")
            break
    else:
        ethertype = key.first("ovs.key.ethertype")
        if ethertype is not None:
            parts.append(f"ethertype {ethertype:#06x}")
    return " ".join(parts)


def _either(root, name: str):
    node = root.find(f"ovs.flow.{name}")
    return node if node is not None else root.find(f"ovs.packet.{name}")


@info(full_tree=True)   # the key's addresses are members of its structs
def flow_info(root) -> str:
    """`in_port 1 10.60.0.1 → 10.60.0.2 proto 1 actions output 0` (a dump part, an upcall …);
    the datapath when the message names no flow."""
    parts = []
    key = _either(root, "key")
    if key is not None:
        parts.append(_key_text(key))
    else:
        ufid = root.find("ovs.flow.ufid")
        if ufid is not None:
            parts.append(f"ufid {ufid.show}")
    actions = _either(root, "actions")
    if actions is not None:
        acts = [f"{c.field.abbrev.rsplit('.', 1)[1]}" + (f" {c.value}" if isinstance(c.value, int) else "")
                for c in actions.children or ()]
        parts.append("actions " + (", ".join(acts) if acts else "drop"))
    return " ".join(p for p in parts if p) or ovs_info(root)


for family, enum, prefix, aset in (("ovs_datapath", "ovs_datapath_cmd", "OVS_DP_CMD_", DP),
                                    ("ovs_vport", "ovs_vport_cmd", "OVS_VPORT_CMD_", VPORT),
                                    ("ovs_flow", "ovs_flow_cmd", "OVS_FLOW_CMD_", FLOW),
                                    ("ovs_packet", "ovs_packet_cmd", "OVS_PACKET_CMD_", PACKET)):
    cmds = names_from(O, prefix, enum, exclude=("UNSPEC",))
    register_genl_family(GenlFamily(family, family.replace("_", "."), {
        n: MessageType(0, name, kind_from_name(name) if "MISS" not in name else "other", None, aset,
                       info=flow_info if family in ("ovs_flow", "ovs_packet") else ovs_info)
        for n, name in cmds.items()}, aset, header=OVS_HEADER))

