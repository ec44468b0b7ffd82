"""Open vSwitch kernel datapath: ovs_datapath, ovs_vport, ovs_flow and ovs_packet, names from
<linux/openvswitch.h>.  Every message carries struct ovs_header (the datapath's ifindex)
after the generic netlink header; flow keys and masks are decoded attribute by attribute
with their structs (Ethernet, IPv4, TCP/UDP/ICMP, conntrack tuple …)."""
from __future__ import annotations

import socket

from construct import Bytes

from ...core.attrs import a, enum_set
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import FixedStruct, c_struct, member, names_from
from ...generated import openvswitch as O

OVS_HEADER = c_struct(O, "ovs_header", "ovs.header", label="Open vSwitch header (ovs_header)")


def _ip4(v: int) -> str:
    return socket.inet_ntop(socket.AF_INET, v.to_bytes(4, "big"))


def S(name, enum, strip, types, label, default="binary"):
    return enum_set(name, f"ovs.{name}", O, enum, strip, types, label=label, default=default)


def st(cname, prefix, label=None, show=None):
    return c_struct(O, cname, f"ovs.{prefix}", label=label or cname, show=show)


ETHERNET = FixedStruct("ovs_key_ethernet", "ovs.key.ethernet_struct", [
    member("eth_src", Bytes(6), lambda b: b.hex(":")), member("eth_dst", Bytes(6), lambda b: b.hex(":"))],
    label="ovs_key_ethernet")
KEY_IPV4 = st("ovs_key_ipv4", "key.ipv4_struct", show={"ipv4_src": _ip4, "ipv4_dst": _ip4})
KEY_TCP = st("ovs_key_tcp", "key.tcp_struct")
KEY_UDP = st("ovs_key_udp", "key.udp_struct")
KEY_ICMP = st("ovs_key_icmp", "key.icmp_struct")
KEY_MPLS = st("ovs_key_mpls", "key.mpls_struct", show={"mpls_lse": hex})
CT_TUPLE4 = st("ovs_key_ct_tuple_ipv4", "key.ct_tuple4_struct", show={"ipv4_src": _ip4, "ipv4_dst": _ip4})
VPORT_TYPES = names_from(O, "OVS_VPORT_TYPE_", "ovs_vport_type", exclude=("UNSPEC", "MAX"))
DP_FEATURES = names_from(O, "OVS_DP_F_", exclude=())

TUNNEL_OPTS = S("vport.options", "OVS_TUNNEL_ATTR_UNSPEC", "OVS_TUNNEL_ATTR_", {"DST_PORT": "u16",
                "EXTENSION": "nest"}, "tunnel options")
KEY = S("key", "ovs_key_attr", "OVS_KEY_ATTR_", {
    "ENCAP": "nest", "PRIORITY": "u32", "IN_PORT": "u32", "ETHERNET": a("struct", struct=ETHERNET),
    "VLAN": a("u16", big_endian=True), "ETHERTYPE": a("u16", big_endian=True, show=hex),
    "IPV4": a("struct", struct=KEY_IPV4), "TCP": a("struct", struct=KEY_TCP), "UDP": a("struct", struct=KEY_UDP),
    "ICMP": a("struct", struct=KEY_ICMP), "SKB_MARK": "u32", "TUNNEL": "nest", "SCTP": "binary",
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
VPORT = S("vport", "ovs_vport_attr", "OVS_VPORT_ATTR_", {
    "PORT_NO": "u32", "TYPE": a("u32", enum=VPORT_TYPES), "NAME": "string", "OPTIONS": a("nest", nested=TUNNEL_OPTS),
    "UPCALL_PID": a("array", sub="u32"), "STATS": a("struct", struct=st("ovs_vport_stats", "vport.stats_struct")),
    "PAD": "pad", "IFINDEX": "u32", "NETNSID": "s32"}, "vport")
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


for family, enum, prefix, aset in (("ovs_datapath", "ovs_datapath_cmd", "OVS_DP_CMD_", DP),
                                    ("ovs_vport", "ovs_vport_cmd", "OVS_VPORT_CMD_", VPORT),
                                    ("ovs_flow", "ovs_flow_cmd", "OVS_FLOW_CMD_", FLOW),
                                    ("ovs_packet", "ovs_packet_cmd", "OVS_PACKET_CMD_", PACKET)):
    cmds = names_from(O, prefix, enum, exclude=("UNSPEC",))
    register_genl_family(GenlFamily(family, family.replace("_", "."), {
        n: MessageType(0, name, kind_from_name(name) if "MISS" not in name else "other", None, aset, info=ovs_info)
        for n, name in cmds.items()}, aset, header=OVS_HEADER))

