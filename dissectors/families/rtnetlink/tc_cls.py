"""tc filters (classifiers): TCA_OPTIONS of u32, flower, matchall, bpf, fw, route, flow,
cgroup and basic, chosen by TCA_KIND.

Names from <linux/pkt_cls.h>; types from each classifier's nla_policy and the byte order
its dump function writes (net/sched/cls_*.c): flower copies its keys as the packet holds
them (__be16 ports and ethertypes, __be32 addresses, key ids, SPIs), its VLAN ids, CT state
and zone, MPLS label and hash in host order.  u32's selector is struct tc_u32_sel and its
nkeys tc_u32_key; bpf's classic program is shown op by op.
"""
from __future__ import annotations

from construct import Int8ul, Int16sl, Int16ub, Int16ul, Int32sl, Int32ub, Int64ul

from ...core.attrs import a, struct_array
from ...core.schema import c_struct, member, names_from, pad
from ...generated import pkt_cls as C
from .tc_act import ACTIONS, POLICE_OPTS, SOCK_FILTER
from .tc_common import S, handle, struct
from .tc_ematch import EMATCH_TREE

CLASSID = a("u32", show=handle)
HEX32 = a("u32", show=hex)
POLICE = a("nest", nested=POLICE_OPTS)
ETH = a("binary", hint="mac")
V4 = a("binary", hint="ipv4")
V6 = a("binary", hint="ipv6")
BE16 = a("u16", big_endian=True)
BE32 = a("u32", big_endian=True)
ETHERTYPE = a("u16", big_endian=True, show=hex)
CLS_FLAGS = names_from(C, "TCA_CLS_FLAGS_")
FLAGS = a("u32", show=hex)

U32_KEY = struct("tc_u32_key", "rtnl.tc.u32.key", [member("mask", Int32ub, hex), member("val", Int32ub, hex),
                                                   member("off", Int32sl), member("offmask", Int32sl)])
U32_SEL = struct("tc_u32_sel", "rtnl.tc.u32.selector", [
    member("flags", Int8ul, hex), member("offshift", Int8ul), member("nkeys", Int8ul), pad(1),
    member("offmask", Int16ub, hex), member("off", Int16ul),
    member("offoff", Int16sl), member("hoff", Int16sl), member("hmask", Int32ub, hex)])
U32_PCNT = struct("tc_u32_pcnt", "rtnl.tc.u32.counters", [member("rcnt", Int64ul), member("rhit", Int64ul)])
U32_KEY_HITS = struct("key hits", "rtnl.tc.u32.key_hits", [member("hits", Int64ul)])
U32_MARK = c_struct(C, "tc_u32_mark", "rtnl.tc.u32.mark", label="tc_u32_mark")
MATCHALL_PCNT = c_struct(C, "tc_matchall_pcnt", "rtnl.tc.matchall.pcnt", label="tc_matchall_pcnt")
BASIC_PCNT = c_struct(C, "tc_basic_pcnt", "rtnl.tc.basic.pcnt", label="tc_basic_pcnt")

U32 = S("u32", C, "TCA_U32_UNSPEC", "TCA_U32_", {
    "CLASSID": CLASSID, "HASH": HEX32, "LINK": a("u32", show=handle), "DIVISOR": "u32",
    "SEL": a("binary", decode=struct_array(U32_KEY, U32_SEL)), "POLICE": POLICE, "ACT": ACTIONS, "INDEV": "string",
    "PCNT": a("binary", decode=struct_array(U32_KEY_HITS, U32_PCNT)),
    "MARK": a("struct", struct=U32_MARK), "FLAGS": FLAGS, "PAD": "pad"})

# --- flower -------------------------------------------------------------------------------
CT_FLAGS = names_from(C, "TCA_FLOWER_KEY_CT_FLAGS_", "TCA_FLOWER_KEY_CT_FLAGS_NEW")
FL_GENEVE = S("flower_geneve", C, "TCA_FLOWER_KEY_ENC_OPT_GENEVE_UNSPEC", "TCA_FLOWER_KEY_ENC_OPT_GENEVE_", {
    "CLASS": ETHERTYPE, "TYPE": "u8", "DATA": a("binary", hint="hex")}, label="geneve option",
    prefix="rtnl.tc.flower.enc_opts.geneve")
FL_VXLAN = S("flower_vxlan", C, "TCA_FLOWER_KEY_ENC_OPT_VXLAN_UNSPEC", "TCA_FLOWER_KEY_ENC_OPT_VXLAN_", {
    "GBP": HEX32}, label="vxlan option", prefix="rtnl.tc.flower.enc_opts.vxlan")
FL_ERSPAN = S("flower_erspan", C, "TCA_FLOWER_KEY_ENC_OPT_ERSPAN_UNSPEC", "TCA_FLOWER_KEY_ENC_OPT_ERSPAN_", {
    "VER": "u8", "INDEX": BE32, "DIR": "u8", "HWID": "u8"}, label="erspan option",
    prefix="rtnl.tc.flower.enc_opts.erspan")
FL_GTP = S("flower_gtp", C, "TCA_FLOWER_KEY_ENC_OPT_GTP_UNSPEC", "TCA_FLOWER_KEY_ENC_OPT_GTP_", {
    "PDU_TYPE": "u8", "QFI": "u8"}, label="gtp option", prefix="rtnl.tc.flower.enc_opts.gtp")
FL_PFCP = S("flower_pfcp", C, "TCA_FLOWER_KEY_ENC_OPT_PFCP_UNSPEC", "TCA_FLOWER_KEY_ENC_OPT_PFCP_", {
    "TYPE": "u8", "SEID": a("u64", big_endian=True)}, label="pfcp option", prefix="rtnl.tc.flower.enc_opts.pfcp")
FL_ENC_OPTS = S("flower_enc_opts", C, "TCA_FLOWER_KEY_ENC_OPTS_UNSPEC", "TCA_FLOWER_KEY_ENC_OPTS_", {
    "GENEVE": a("nest", nested=FL_GENEVE), "VXLAN": a("nest", nested=FL_VXLAN), "ERSPAN": a("nest", nested=FL_ERSPAN),
    "GTP": a("nest", nested=FL_GTP), "PFCP": a("nest", nested=FL_PFCP)}, label="tunnel options",
    prefix="rtnl.tc.flower.enc_opts")
FL_LSE = S("flower_mpls_lse", C, "TCA_FLOWER_KEY_MPLS_OPT_LSE_UNSPEC", "TCA_FLOWER_KEY_MPLS_OPT_LSE_", {
    "DEPTH": "u8", "TTL": "u8", "BOS": "u8", "TC": "u8", "LABEL": "u32"}, label="MPLS label stack entry",
    prefix="rtnl.tc.flower.mpls_opts.lse")
FL_MPLS_OPTS = S("flower_mpls_opts", C, "TCA_FLOWER_KEY_MPLS_OPTS_UNSPEC", "TCA_FLOWER_KEY_MPLS_OPTS_", {
    "LSE": a("nest", nested=FL_LSE)}, label="MPLS options", prefix="rtnl.tc.flower.mpls_opts")
FL_CFM = S("flower_cfm", C, "TCA_FLOWER_KEY_CFM_OPT_UNSPEC", "TCA_FLOWER_KEY_CFM_", {
    "MD_LEVEL": "u8", "OPCODE": "u8"}, label="CFM", prefix="rtnl.tc.flower.cfm")
_U8 = ("KEY_ICMPV4_CODE_MASK", "KEY_ICMPV4_TYPE_MASK", "KEY_ICMPV6_CODE", "KEY_ICMPV6_CODE_MASK", "KEY_ICMPV6_TYPE",
       "KEY_ICMPV6_TYPE_MASK", "KEY_ARP_OP", "KEY_ARP_OP_MASK", "KEY_MPLS_TTL", "KEY_MPLS_BOS", "KEY_MPLS_TC",
       "KEY_CVLAN_PRIO", "KEY_ENC_IP_TOS", "KEY_ENC_IP_TOS_MASK", "KEY_ENC_IP_TTL", "KEY_ENC_IP_TTL_MASK", "L2_MISS")
FLOWER = S("flower", C, "TCA_FLOWER_UNSPEC", "TCA_FLOWER_", {
    "CLASSID": CLASSID, "INDEV": "string", "ACT": ACTIONS, "KEY_ETH_DST": ETH, "KEY_ETH_DST_MASK": ETH,
    "KEY_ETH_SRC": ETH, "KEY_ETH_SRC_MASK": ETH, "KEY_ETH_TYPE": ETHERTYPE,
    "KEY_IP_PROTO": a("u8", enum={1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6", 132: "sctp"}),
    "KEY_IPV4_SRC": V4, "KEY_IPV4_SRC_MASK": V4, "KEY_IPV4_DST": V4, "KEY_IPV4_DST_MASK": V4,
    "KEY_IPV6_SRC": V6, "KEY_IPV6_SRC_MASK": V6, "KEY_IPV6_DST": V6, "KEY_IPV6_DST_MASK": V6,
    "KEY_TCP_SRC": BE16, "KEY_TCP_DST": BE16, "KEY_UDP_SRC": BE16, "KEY_UDP_DST": BE16,
    "FLAGS": FLAGS, "KEY_VLAN_ID": "u16", "KEY_VLAN_PRIO": "u8", "KEY_VLAN_ETH_TYPE": ETHERTYPE,
    "KEY_TCP_SRC_MASK": BE16, "KEY_TCP_DST_MASK": BE16, "KEY_UDP_SRC_MASK": BE16, "KEY_UDP_DST_MASK": BE16,
    "KEY_SCTP_SRC": BE16, "KEY_SCTP_DST": BE16, "KEY_FLAGS": a("u32", big_endian=True, show=hex),
    "KEY_FLAGS_MASK": a("u32", big_endian=True, show=hex), "KEY_ICMPV4_CODE": "u8", "KEY_ICMPV4_TYPE": "u8",
    "KEY_IP_TOS": "u8", "KEY_IP_TOS_MASK": "u8", "KEY_IP_TTL": "u8", "KEY_IP_TTL_MASK": "u8",
    "KEY_TCP_FLAGS": BE16, "KEY_TCP_FLAGS_MASK": BE16, "IN_HW_COUNT": "u32",
    "KEY_ENC_KEY_ID": BE32,   # __be32: fl_set_key_val() copies it (0.x read it in host order)
   
    "KEY_CT_STATE": a("u16", flags=CT_FLAGS), "KEY_CT_ZONE": "u16", "KEY_CT_MARK": "u32", "KEY_NUM_OF_VLANS": "u8",
    # the keys nlscope 0.x left as bytes, typed by cls_flower.c's fl_policy and fl_dump_key
    **{k: "u8" for k in _U8},
    "KEY_ENC_IPV4_SRC": V4, "KEY_ENC_IPV4_SRC_MASK": V4, "KEY_ENC_IPV4_DST": V4, "KEY_ENC_IPV4_DST_MASK": V4,
    "KEY_ENC_IPV6_SRC": V6, "KEY_ENC_IPV6_SRC_MASK": V6, "KEY_ENC_IPV6_DST": V6, "KEY_ENC_IPV6_DST_MASK": V6,
    "KEY_SCTP_SRC_MASK": BE16, "KEY_SCTP_DST_MASK": BE16, "KEY_ENC_UDP_SRC_PORT": BE16,
    "KEY_ENC_UDP_SRC_PORT_MASK": BE16, "KEY_ENC_UDP_DST_PORT": BE16, "KEY_ENC_UDP_DST_PORT_MASK": BE16,
    "KEY_ARP_SIP": V4, "KEY_ARP_SIP_MASK": V4, "KEY_ARP_TIP": V4, "KEY_ARP_TIP_MASK": V4,
    "KEY_ARP_SHA": ETH, "KEY_ARP_SHA_MASK": ETH, "KEY_ARP_THA": ETH, "KEY_ARP_THA_MASK": ETH,
    "KEY_MPLS_LABEL": "u32", "KEY_CVLAN_ID": "u16", "KEY_CVLAN_ETH_TYPE": ETHERTYPE,
    "KEY_ENC_OPTS": a("nest", nested=FL_ENC_OPTS), "KEY_ENC_OPTS_MASK": a("nest", nested=FL_ENC_OPTS),
    "KEY_PORT_SRC_MIN": BE16, "KEY_PORT_SRC_MAX": BE16, "KEY_PORT_DST_MIN": BE16, "KEY_PORT_DST_MAX": BE16,
    "KEY_CT_STATE_MASK": a("u16", flags=CT_FLAGS), "KEY_CT_ZONE_MASK": "u16", "KEY_CT_MARK_MASK": HEX32,
    "KEY_CT_LABELS": a("binary", hint="hex"), "KEY_CT_LABELS_MASK": a("binary", hint="hex"),
    "KEY_MPLS_OPTS": a("nest", nested=FL_MPLS_OPTS), "KEY_HASH": HEX32, "KEY_HASH_MASK": HEX32,
    "KEY_PPPOE_SID": BE16, "KEY_PPP_PROTO": ETHERTYPE, "KEY_L2TPV3_SID": BE32, "KEY_CFM": a("nest", nested=FL_CFM),
    "KEY_SPI": a("u32", big_endian=True, show=hex), "KEY_SPI_MASK": a("u32", big_endian=True, show=hex),
    "KEY_ENC_FLAGS": a("u32", big_endian=True, show=hex), "KEY_ENC_FLAGS_MASK": a("u32", big_endian=True, show=hex)})
MATCHALL = S("matchall", C, "TCA_MATCHALL_UNSPEC", "TCA_MATCHALL_", {
    "CLASSID": CLASSID, "ACT": ACTIONS, "FLAGS": FLAGS, "PCNT": a("struct", struct=MATCHALL_PCNT), "PAD": "pad"})
BPF = S("bpf", C, "TCA_BPF_UNSPEC", "TCA_BPF_", {
    "ACT": ACTIONS, "POLICE": POLICE, "CLASSID": CLASSID, "OPS_LEN": "u16",
    "OPS": a("binary", decode=struct_array(SOCK_FILTER)), "FD": "u32", "NAME": "string", "FLAGS": FLAGS,
    "FLAGS_GEN": FLAGS, "TAG": a("binary", hint="hex"), "ID": "u32"})

# --- fw, route, flow, cgroup, basic --------------------------------------------------------
FW = S("fw", C, "TCA_FW_UNSPEC", "TCA_FW_", {
    "CLASSID": CLASSID, "POLICE": POLICE, "INDEV": "string", "ACT": ACTIONS, "MASK": HEX32})
ROUTE = S("route", C, "TCA_ROUTE4_UNSPEC", "TCA_ROUTE4_", {
    "CLASSID": CLASSID, "TO": "u32", "FROM": "u32", "IIF": "u32", "POLICE": POLICE, "ACT": ACTIONS},
    label="route4")
FLOW_KEYS = {1 << getattr(C, n): n for n in C.ENUMS["FLOW_KEY_SRC"] if not n.startswith("__")}
FLOW_MODES = names_from(C, "FLOW_MODE_", "FLOW_MODE_MAP")
FLOW = S("flow", C, "TCA_FLOW_UNSPEC", "TCA_FLOW_", {
    "KEYS": a("u32", flags=FLOW_KEYS), "MODE": a("u32", enum=FLOW_MODES), "BASECLASS": CLASSID, "RSHIFT": "u32",
    "ADDEND": HEX32, "MASK": HEX32, "XOR": HEX32, "DIVISOR": "u32", "ACT": ACTIONS, "POLICE": POLICE,
    "EMATCHES": EMATCH_TREE, "PERTURB": a("u32", unit="s")})
CGROUP = S("cgroup", C, "TCA_CGROUP_UNSPEC", "TCA_CGROUP_", {
    "ACT": ACTIONS, "POLICE": POLICE, "EMATCHES": EMATCH_TREE})
BASIC = S("basic", C, "TCA_BASIC_UNSPEC", "TCA_BASIC_", {
    "CLASSID": CLASSID, "EMATCHES": EMATCH_TREE, "ACT": ACTIONS, "POLICE": POLICE,
    "PCNT": a("struct", struct=BASIC_PCNT), "PAD": "pad"})

FILTER_KINDS = {"u32": U32, "flower": FLOWER, "matchall": MATCHALL, "bpf": BPF, "fw": FW, "route": ROUTE,
                "flow": FLOW, "cgroup": CGROUP, "basic": BASIC}
