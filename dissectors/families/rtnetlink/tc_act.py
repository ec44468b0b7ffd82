"""tc actions: TCA_ACT_OPTIONS by TCA_ACT_KIND, within filters (TCA_*_ACT) or on their own
(RTM_*ACTION's TCA_ROOT_TAB).

gact, mirred, police, pedit, csum, skbedit, sample, ct, nat, connmark, ctinfo, skbmod, mpls,
gate, vlan, tunnel_key, simple, ife, bpf.  Names from <linux/tc_act/tc_*.h>; the types and
byte orders follow each action's nla_policy and dump function (net/sched/act_*.c): the
addresses, ports and protocols the kernel copies as __be16/__be32 are shown as such.  Every
action's parameters start with the `tc_gen` members (index, capab, action, refcnt, bindcnt).
"""
from __future__ import annotations

from construct import Int8ul, Int16ul, Int32sl, Int32ub, Int32ul, Int64ul

from ...core.attrs import AttrSet, a, by_width_text, struct_array
from ...core.schema import c_struct, flags_show, member, names_from, pad
from ...generated import (pkt_cls as C, tc_bpf as AB, tc_connmark as CM, tc_csum as CS, tc_ct as CT, tc_ctinfo as CI,
                          tc_defact as DF, tc_gact as GA, tc_gate as GT, tc_ife as IF, tc_mirred as MI, tc_mpls as MP,
                          tc_nat as NA, tc_pedit as PE, tc_sample as SA, tc_skbedit as SE, tc_skbmod as SM,
                          tc_tunnel_key as TK, tc_vlan as VL)
from .tc_common import S, TCF_T, handle, ratespec, struct, tc_gen, verdict
from .tc_stats import STATS2

SOCK_FILTER = struct("sock_filter", "rtnl.tc.bpf.insn", [member("code", Int16ul, hex), member("jt", Int8ul),
                                                         member("jf", Int8ul), member("k", Int32ul)])
ETH = a("binary", hint="mac")
V4 = a("binary", hint="ipv4")
V6 = a("binary", hint="ipv6")
BE16 = a("u16", big_endian=True)
BE32 = a("u32", big_endian=True)
ETHERTYPE = a("u16", big_endian=True, show=hex)
HEX32 = a("u32", show=hex)
TM = a("struct", struct=TCF_T)


def _v4(v: int) -> str:
    """A __be32 address member (struct tc_nat's), read in network order."""
    return ".".join(str(b) for b in v.to_bytes(4, "big"))


def _enum_member(names):
    return lambda v: f"{names.get(v, 'unknown')} ({v})"


def _parms(kind, *extra, cname=None):
    return struct(cname or f"tc_{kind}", f"rtnl.tc.{kind}.parms", [*tc_gen(), *extra])


def _act(name, module, enum, strip, types, parms=None):
    """An action's option set: TM and PAD as every action has them, PARMS its struct."""
    common = {"TM": TM, "PAD": "pad"}
    if parms is not None:
        common["PARMS"] = a("struct", struct=parms)
    members = {c[len(strip):] for c in module.ENUMS[enum]}
    return S(name, module, enum, strip, {**{k: v for k, v in common.items() if k in members}, **types})


# --- gact, mirred, police (the first three nlscope knew) -----------------------------------
GACT = _parms("gact")
GACT_P = struct("tc_gact_p", "rtnl.tc.gact.prob", [
    member("ptype", Int16ul, _enum_member({0: "none", 1: "netrand", 2: "determ"})), member("pval", Int16ul),
    member("paction", Int32sl, verdict)])
MIRRED_ACTIONS = {1: "EGRESS_REDIR", 2: "INGRESS_REDIR", 3: "EGRESS_MIRROR", 4: "INGRESS_MIRROR"}
MIRRED = _parms("mirred", member("eaction", Int32sl, _enum_member(MIRRED_ACTIONS)), member("ifindex", Int32ul))
POLICE = struct("tc_police", "rtnl.tc.police.tbf", [
    member("index", Int32ul), member("action", Int32sl, verdict), member("limit", Int32ul), member("burst", Int32ul),
    member("mtu", Int32ul), *ratespec("rate"), *ratespec("peakrate"),
    member("refcnt", Int32sl), member("bindcnt", Int32sl), member("capab", Int32ul)])
GACT_OPTS = _act("gact", GA, "TCA_GACT_UNSPEC", "TCA_GACT_", {"PROB": a("struct", struct=GACT_P)}, GACT)
MIRRED_OPTS = _act("mirred", MI, "TCA_MIRRED_UNSPEC", "TCA_MIRRED_", {}, MIRRED)
POLICE_OPTS = S("police", C, "TCA_POLICE_UNSPEC", "TCA_POLICE_", {
    "TBF": a("struct", struct=POLICE), "RATE": "binary", "PEAKRATE": "binary", "AVRATE": "u32",
    "RESULT": a("u32", show=verdict), "TM": TM, "PAD": "pad", "RATE64": "u64",
    "PEAKRATE64": "u64", "PKTRATE64": "u64", "PKTBURST64": "u64"})

# --- pedit: tc_pedit_sel and its keys, then the extended keys (header type, command) ----------
PEDIT_SEL = struct("tc_pedit_sel", "rtnl.tc.pedit.sel", [*tc_gen(), member("nkeys", Int8ul),
                                                           member("flags", Int8ul, hex), pad(2)])
PEDIT_KEY = c_struct(PE, "tc_pedit_key", "rtnl.tc.pedit.key", label="tc_pedit_key",
                     show={"mask": hex, "val": hex})
PEDIT_HTYPES = names_from(PE, "TCA_PEDIT_KEY_EX_HDR_TYPE_", "pedit_header_type")
PEDIT_CMDS = names_from(PE, "TCA_PEDIT_KEY_EX_CMD_", "pedit_cmd")
PEDIT_KEY_EX = S("pedit_key_ex", PE, "TCA_PEDIT_KEY_EX_HTYPE", "TCA_PEDIT_KEY_EX_", {
    "HTYPE": a("u16", enum=PEDIT_HTYPES), "CMD": a("u16", enum=PEDIT_CMDS)}, label="extended key")
PEDIT_KEYS_EX = AttrSet("pedit_keys_ex", "rtnl.tc.pedit.keys_ex", {"TCA_PEDIT_KEY_EX": a("nest", nested=PEDIT_KEY_EX)},
                        PE, strip="TCA_PEDIT_", label="extended keys")
_SEL = a("binary", decode=struct_array(PEDIT_KEY, PEDIT_SEL))
PEDIT_OPTS = _act("pedit", PE, "TCA_PEDIT_UNSPEC", "TCA_PEDIT_", {
    "PARMS": _SEL, "PARMS_EX": _SEL, "KEYS_EX": a("nest", nested=PEDIT_KEYS_EX),
    "KEY_EX": a("nest", nested=PEDIT_KEY_EX)})

# --- the rest, alphabetically ---------------------------------------------------------------
BPF_OPTS = _act("act_bpf", AB, "TCA_ACT_BPF_UNSPEC", "TCA_ACT_BPF_", {
    "OPS_LEN": "u16", "OPS": a("binary", decode=struct_array(SOCK_FILTER)), "FD": "u32", "NAME": "string",
    "TAG": a("binary", hint="hex"), "ID": "u32"}, _parms("act_bpf", cname="tc_act_bpf"))
CONNMARK_OPTS = _act("connmark", CM, "TCA_CONNMARK_UNSPEC", "TCA_CONNMARK_", {},
                     _parms("connmark", member("zone", Int16ul), pad(2)))
CSUM_FLAGS = names_from(CS, "TCA_CSUM_UPDATE_FLAG_")
CSUM_OPTS = _act("csum", CS, "TCA_CSUM_UNSPEC", "TCA_CSUM_", {},
                 _parms("csum", member("update_flags", Int32ul, flags_show(CSUM_FLAGS), flags=CSUM_FLAGS)))
CT_ACTS = names_from(CT, "TCA_CT_ACT_")
CT_OPTS = _act("ct", CT, "TCA_CT_UNSPEC", "TCA_CT_", {
    "ACTION": a("u16", flags=CT_ACTS), "ZONE": "u16", "MARK": HEX32, "MARK_MASK": HEX32,
    "LABELS": a("binary", hint="hex"), "LABELS_MASK": a("binary", hint="hex"),
    "NAT_IPV4_MIN": V4, "NAT_IPV4_MAX": V4, "NAT_IPV6_MIN": V6, "NAT_IPV6_MAX": V6,
    "NAT_PORT_MIN": BE16, "NAT_PORT_MAX": BE16, "HELPER_NAME": "string", "HELPER_FAMILY": "u8",
    "HELPER_PROTO": "u8"}, _parms("ct"))
CTINFO_OPTS = _act("ctinfo", CI, "TCA_CTINFO_UNSPEC", "TCA_CTINFO_", {
    "ACT": a("struct", struct=_parms("ctinfo")), "ZONE": "u16", "PARMS_DSCP_MASK": HEX32,
    "PARMS_DSCP_STATEMASK": HEX32, "PARMS_CPMARK_MASK": HEX32, "STATS_DSCP_SET": "u64",
    "STATS_DSCP_ERROR": "u64", "STATS_CPMARK_SET": "u64"})
GATE_ENTRY = S("gate_entry", GT, "TCA_GATE_ENTRY_UNSPEC", "TCA_GATE_ENTRY_", {
    "INDEX": "u32", "GATE": "flag", "INTERVAL": a("u32", unit="ns"), "IPV": "s32", "MAX_OCTETS": "s32"},
    label="gate entry")
GATE_LIST = S("gate_list", GT, "TCA_GATE_ONE_ENTRY_UNSPEC", "TCA_GATE_", {
    "ONE_ENTRY": a("nest", nested=GATE_ENTRY)}, label="gate entries")
GATE_OPTS = _act("gate", GT, "TCA_GATE_UNSPEC", "TCA_GATE_", {
    "PRIORITY": "s32", "ENTRY_LIST": a("nest", nested=GATE_LIST), "BASE_TIME": a("u64", unit="ns"),
    "CYCLE_TIME": a("u64", unit="ns"), "CYCLE_TIME_EXT": a("u64", unit="ns"), "FLAGS": HEX32, "CLOCKID": "s32"},
    _parms("gate"))
# <linux/ife.h>: the metadata IFE carries; a request names one without a value to allow it
IFE_META = AttrSet("ife_meta", "rtnl.tc.ife.meta", {
    n: a("binary", show=by_width_text) for n in ("IFE_META_SKBMARK", "IFE_META_HASHID", "IFE_META_PRIO",
                                                 "IFE_META_QMAP", "IFE_META_TCINDEX")},
    {"IFE_META_SKBMARK": 1, "IFE_META_HASHID": 2, "IFE_META_PRIO": 3, "IFE_META_QMAP": 4, "IFE_META_TCINDEX": 5},
    strip="IFE_META_", label="IFE metadata")
IFE_OPTS = _act("ife", IF, "TCA_IFE_UNSPEC", "TCA_IFE_", {
    "DMAC": ETH, "SMAC": ETH, "TYPE": a("u16", show=hex), "METALST": a("nest", nested=IFE_META)},
    _parms("ife", member("flags", Int16ul, lambda v: {0: "decode (0)", 1: "encode (1)"}.get(v, str(v))), pad(2)))
MPLS_ACTS = names_from(MP, "TCA_MPLS_ACT_")
MPLS_OPTS = _act("mpls", MP, "TCA_MPLS_UNSPEC", "TCA_MPLS_", {
    "PROTO": ETHERTYPE, "LABEL": "u32", "TC": "u8", "TTL": "u8", "BOS": "u8"},
    _parms("mpls", member("m_action", Int32sl, _enum_member(MPLS_ACTS))))
NAT_FLAGS = {NA.TCA_NAT_FLAG_EGRESS: "TCA_NAT_FLAG_EGRESS"}
NAT_OPTS = _act("nat", NA, "TCA_NAT_UNSPEC", "TCA_NAT_", {}, _parms(
    "nat", member("old_addr", Int32ub, _v4), member("new_addr", Int32ub, _v4),
    member("mask", Int32ub, _v4), member("flags", Int32ul, flags_show(NAT_FLAGS), flags=NAT_FLAGS)))
SAMPLE_OPTS = _act("sample", SA, "TCA_SAMPLE_UNSPEC", "TCA_SAMPLE_", {
    "RATE": "u32", "TRUNC_SIZE": "u32", "PSAMPLE_GROUP": "u32"}, _parms("sample"))
SIMPLE_OPTS = _act("simple", DF, "TCA_DEF_UNSPEC", "TCA_DEF_", {"DATA": "string"},
                   _parms("simple", cname="tc_defact"))
SKBEDIT_FLAGS = names_from(SE, "SKBEDIT_F_")
PACKET_TYPES = {0: "host", 1: "broadcast", 2: "multicast", 3: "otherhost"}   # <linux/if_packet.h> PACKET_*
SKBEDIT_OPTS = _act("skbedit", SE, "TCA_SKBEDIT_UNSPEC", "TCA_SKBEDIT_", {
    "PRIORITY": a("u32", show=handle), "QUEUE_MAPPING": "u16", "MARK": HEX32,
    "PTYPE": a("u16", enum=PACKET_TYPES), "MASK": HEX32, "FLAGS": a("u64", flags=SKBEDIT_FLAGS),
    "QUEUE_MAPPING_MAX": "u16"}, _parms("skbedit"))
SKBMOD_FLAGS = names_from(SM, "SKBMOD_F_")
SKBMOD_OPTS = _act("skbmod", SM, "TCA_SKBMOD_UNSPEC", "TCA_SKBMOD_", {
    "DMAC": ETH, "SMAC": ETH, "ETYPE": a("u16", show=hex)},
    _parms("skbmod", pad(4), member("flags", Int64ul, flags_show(SKBMOD_FLAGS), flags=SKBMOD_FLAGS)))
TK_GENEVE = S("tunnel_key_geneve", TK, "TCA_TUNNEL_KEY_ENC_OPT_GENEVE_UNSPEC", "TCA_TUNNEL_KEY_ENC_OPT_GENEVE_", {
    "CLASS": a("u16", big_endian=True, show=hex), "TYPE": "u8", "DATA": a("binary", hint="hex")},
    label="geneve option")
TK_VXLAN = S("tunnel_key_vxlan", TK, "TCA_TUNNEL_KEY_ENC_OPT_VXLAN_UNSPEC", "TCA_TUNNEL_KEY_ENC_OPT_VXLAN_", {
    "GBP": HEX32}, label="vxlan option")
TK_ERSPAN = S("tunnel_key_erspan", TK, "TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_UNSPEC", "TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_", {
    "VER": "u8", "INDEX": BE32, "DIR": "u8", "HWID": "u8"}, label="erspan option")
TK_OPTS = S("tunnel_key_opts", TK, "TCA_TUNNEL_KEY_ENC_OPTS_UNSPEC", "TCA_TUNNEL_KEY_ENC_OPTS_", {
    "GENEVE": a("nest", nested=TK_GENEVE), "VXLAN": a("nest", nested=TK_VXLAN),
    "ERSPAN": a("nest", nested=TK_ERSPAN)}, label="tunnel options")
TUNNEL_KEY_ACTS = names_from(TK, "TCA_TUNNEL_KEY_ACT_")
TUNNEL_KEY_OPTS = _act("tunnel_key", TK, "TCA_TUNNEL_KEY_UNSPEC", "TCA_TUNNEL_KEY_", {
    "ENC_IPV4_SRC": V4, "ENC_IPV4_DST": V4, "ENC_IPV6_SRC": V6, "ENC_IPV6_DST": V6, "ENC_KEY_ID": BE32,
    "ENC_DST_PORT": BE16, "NO_CSUM": "u8", "ENC_OPTS": a("nest", nested=TK_OPTS), "ENC_TOS": "u8",
    "ENC_TTL": "u8", "NO_FRAG": "flag"},
    _parms("tunnel_key", member("t_action", Int32sl, _enum_member(TUNNEL_KEY_ACTS))))
VLAN_ACTS = names_from(VL, "TCA_VLAN_ACT_")
VLAN_OPTS = _act("vlan", VL, "TCA_VLAN_UNSPEC", "TCA_VLAN_", {
    "PUSH_VLAN_ID": "u16", "PUSH_VLAN_PROTOCOL": ETHERTYPE, "PUSH_VLAN_PRIORITY": "u8",
    "PUSH_ETH_DST": ETH, "PUSH_ETH_SRC": ETH}, _parms("vlan", member("v_action", Int32sl, _enum_member(VLAN_ACTS))))


ACTION_KINDS = {
    "gact": GACT_OPTS, "mirred": MIRRED_OPTS, "police": POLICE_OPTS, "pedit": PEDIT_OPTS, "csum": CSUM_OPTS,
    "skbedit": SKBEDIT_OPTS, "sample": SAMPLE_OPTS, "ct": CT_OPTS, "nat": NAT_OPTS, "connmark": CONNMARK_OPTS,
    "ctinfo": CTINFO_OPTS, "skbmod": SKBMOD_OPTS, "mpls": MPLS_OPTS, "gate": GATE_OPTS, "vlan": VLAN_OPTS,
    "tunnel_key": TUNNEL_KEY_OPTS, "simple": SIMPLE_OPTS, "ife": IFE_OPTS, "bpf": BPF_OPTS,
}
ACT = S("act", C, "TCA_ACT_UNSPEC", "TCA_ACT_", {
    "KIND": "string", "OPTIONS": a("submsg", selector="TCA_ACT_KIND", choices=ACTION_KINDS),
    "INDEX": "u32", "STATS": a("nest", nested=STATS2), "PAD": "pad", "COOKIE": "binary",
    "FLAGS": "bitfield32", "HW_STATS": "bitfield32", "USED_HW_STATS": "bitfield32", "IN_HW_COUNT": "u32"},
    label="action")
ACTIONS = a("indexed-array", sub="nest", nested=ACT)   # TCA_*_ACT and TCA_ROOT_TAB: actions by order
