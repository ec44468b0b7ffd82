"""Traffic control: qdiscs, classes, filters, chains (struct tcmsg + TCA_*) and actions
(struct tcamsg + TCA_ROOT_*), with TCA_OPTIONS decoded by TCA_KIND.

Qdiscs: htb, fq_codel, tbf, netem, pfifo_fast/prio, ingress/clsact; filters: u32 (with
its selector keys), flower, matchall, bpf (classic bytecode shown op by op); actions:
gact, mirred, police — within filters (TCA_*_ACT) or on their own (RTM_*ACTION).
Statistics: TCA_STATS2 (basic, rate estimator, queue) and the old struct tc_stats.
Names come from <linux/pkt_sched.h>, <linux/pkt_cls.h>, <linux/gen_stats.h> and the
tc_act headers; struct layouts the header generator cannot read (they use the `tc_gen`
macro or nested structs) are declared here.
"""
from __future__ import annotations

from construct import Bytes, Int8ul, Int16sl, Int16ub, Int16ul, Int32sl, Int32ub, Int32ul, Int64ul

from ...core.attrs import AttrSet, a, enum_set, struct_array
from ...core.schema import FixedStruct, c_struct, member, pad
from ...generated import gen_stats as GS, pkt_cls as C, pkt_sched as P, rtnetlink as R, tc_gact as GA, tc_mirred as MI
from .common import show_af, struct_then_attrs
from .protocol import add_types, is_dump_request, top


def handle(v: int) -> str:
    """A tc handle as tc prints it: `1:10`, `ffff:`, `root`."""
    if v == 0xFFFFFFFF:
        return "root"
    if v == 0:
        return "none"
    major, minor = v >> 16, v & 0xFFFF
    return f"{major:x}:{minor:x}" if minor else f"{major:x}:"


TC_VERDICTS = {-1: "UNSPEC", 0: "OK", 1: "RECLASSIFY", 2: "SHOT", 3: "PIPE", 4: "STOLEN", 5: "QUEUED", 6: "REPEAT",
               7: "REDIRECT", 8: "TRAP"}


def verdict(v: int) -> str:
    if v & 0x10000000 and v & 0x20000000:
        return f"GOTO_CHAIN {v & 0x0FFFFFFF}"
    if v & 0x10000000:
        return f"JUMP {v & 0x0FFFFFFF}"
    return f"{TC_VERDICTS.get(v, 'unknown')} ({v})"


def _rate(v: int) -> str:
    return f"{v * 8} bit/s" if v else "0"


TCMSG = FixedStruct("tcmsg", "rtnl.tc", [
    member("family", Int8ul, show_af), pad(3), member("ifindex", Int32sl),
    member("handle", Int32ul, handle), member("parent", Int32ul, handle), member("info", Int32ul, hex)],
    label="Traffic control message (tcmsg)")
RATESPEC = [member("cell_log", Int8ul), member("linklayer", Int8ul), member("overhead", Int16ul),
            member("cell_align", Int16sl), member("mpu", Int16ul)]
def tc_gen():
    """The members every action's parameters start with (the `tc_gen` macro)."""
    return [member("index", Int32ul), member("capab", Int32ul), member("action", Int32sl, verdict),
            member("refcnt", Int32sl), member("bindcnt", Int32sl)]


def _struct(cname, prefix, members, label=None):
    return FixedStruct(cname, prefix, members, label=label or cname)


HTB_OPT = _struct("tc_htb_opt", "rtnl.tc.htb.parms", [
    *[member(f"rate_{m.name}", m.con) for m in RATESPEC], member("rate", Int32ul, _rate),
    *[member(f"ceil_{m.name}", m.con) for m in RATESPEC], member("ceil", Int32ul, _rate),
    member("buffer", Int32ul), member("cbuffer", Int32ul), member("quantum", Int32ul), member("level", Int32ul),
    member("prio", Int32ul)])
HTB_GLOB = c_struct(P, "tc_htb_glob", "rtnl.tc.htb.init", label="tc_htb_glob")
TBF_QOPT = _struct("tc_tbf_qopt", "rtnl.tc.tbf.parms", [
    *[member(f"rate_{m.name}", m.con) for m in RATESPEC], member("rate", Int32ul, _rate),
    *[member(f"peakrate_{m.name}", m.con) for m in RATESPEC], member("peakrate", Int32ul, _rate),
    member("limit", Int32ul), member("buffer", Int32ul), member("mtu", Int32ul)])
NETEM_QOPT = c_struct(P, "tc_netem_qopt", "rtnl.tc.netem.qopt", label="tc_netem_qopt")
PRIO_QOPT = _struct("tc_prio_qopt", "rtnl.tc.prio", [member("bands", Int32sl), member("priomap", Bytes(16), bytes.hex)])
GACT = _struct("tc_gact", "rtnl.tc.gact.parms", tc_gen())
MIRRED_ACTIONS = {1: "EGRESS_REDIR", 2: "INGRESS_REDIR", 3: "EGRESS_MIRROR", 4: "INGRESS_MIRROR"}
MIRRED = _struct("tc_mirred", "rtnl.tc.mirred.parms", [
    *tc_gen(), member("eaction", Int32sl, lambda v: f"{MIRRED_ACTIONS.get(v, 'unknown')} ({v})"),
    member("ifindex", Int32ul)])
POLICE = _struct("tc_police", "rtnl.tc.police.tbf", [
    member("index", Int32ul), member("action", Int32sl, verdict), member("limit", Int32ul), member("burst", Int32ul),
    member("mtu", Int32ul), *[member(f"rate_{m.name}", m.con) for m in RATESPEC], member("rate", Int32ul, _rate),
    *[member(f"peakrate_{m.name}", m.con) for m in RATESPEC], member("peakrate", Int32ul, _rate),
    member("refcnt", Int32sl), member("bindcnt", Int32sl), member("capab", Int32ul)])
TCF_T = c_struct(C, "tcf_t", "rtnl.tc.act.tm", label="tcf_t (times in jiffies)")
TC_STATS = c_struct(P, "tc_stats", "rtnl.tc.stats_struct", label="tc_stats")
ESTIMATOR = _struct("tc_estimator", "rtnl.tc.rate", [member("interval", Int8ul), member("ewma_log", Int8ul), pad(2)])
U32_KEY = _struct("tc_u32_key", "rtnl.tc.u32.key", [member("mask", Int32ub, hex), member("val", Int32ub, hex),
                                                    member("off", Int32sl), member("offmask", Int32sl)])
U32_SEL = _struct("tc_u32_sel", "rtnl.tc.u32.selector", [
    member("flags", Int8ul, hex), member("offshift", Int8ul), member("nkeys", Int8ul), pad(1),
    member("offmask", Int16ub, hex), member("off", Int16ul), member("offoff", Int16sl), member("hoff", Int16sl),
    member("hmask", Int32ub, hex)])
U32_PCNT = _struct("tc_u32_pcnt", "rtnl.tc.u32.counters", [member("rcnt", Int64ul), member("rhit", Int64ul)])
U32_KEY_HITS = _struct("key hits", "rtnl.tc.u32.key_hits", [member("hits", Int64ul)])
U32_MARK = c_struct(C, "tc_u32_mark", "rtnl.tc.u32.mark", label="tc_u32_mark")
MATCHALL_PCNT = c_struct(C, "tc_matchall_pcnt", "rtnl.tc.matchall.pcnt", label="tc_matchall_pcnt")
SOCK_FILTER = _struct("sock_filter", "rtnl.tc.bpf.insn", [member("code", Int16ul, hex), member("jt", Int8ul),
                                                          member("jf", Int8ul), member("k", Int32ul)])
GNET_BASIC = c_struct(GS, "gnet_stats_basic", "rtnl.tc.stats.basic", label="gnet_stats_basic")
GNET_RATE = c_struct(GS, "gnet_stats_rate_est", "rtnl.tc.stats.rate_est", label="gnet_stats_rate_est")
GNET_RATE64 = c_struct(GS, "gnet_stats_rate_est64", "rtnl.tc.stats.rate_est64", label="gnet_stats_rate_est64")
GNET_QUEUE = c_struct(GS, "gnet_stats_queue", "rtnl.tc.stats.queue", label="gnet_stats_queue")


def S(name, module, enum, strip, types, label=None, default="binary"):
    return enum_set(name, f"rtnl.tc.{name}", module, enum, strip, types, label=label or name, default=default)


STATS2 = S("stats", GS, "TCA_STATS_UNSPEC", "TCA_STATS_", {
    "BASIC": a("struct", struct=GNET_BASIC), "RATE_EST": a("struct", struct=GNET_RATE),
    "QUEUE": a("struct", struct=GNET_QUEUE), "APP": "binary", "RATE_EST64": a("struct", struct=GNET_RATE64),
    "PAD": "pad", "BASIC_HW": a("struct", struct=GNET_BASIC), "PKT64": "u64"}, label="statistics")

# --- actions -----------------------------------------------------------------------
GACT_OPTS = S("gact", GA, "TCA_GACT_UNSPEC", "TCA_GACT_", {
    "TM": a("struct", struct=TCF_T), "PARMS": a("struct", struct=GACT), "PROB": "binary", "PAD": "pad"})
MIRRED_OPTS = S("mirred", MI, "TCA_MIRRED_UNSPEC", "TCA_MIRRED_", {
    "TM": a("struct", struct=TCF_T), "PARMS": a("struct", struct=MIRRED), "PAD": "pad"})
POLICE_OPTS = S("police", C, "TCA_POLICE_UNSPEC", "TCA_POLICE_", {
    "TBF": a("struct", struct=POLICE), "RATE": "binary", "PEAKRATE": "binary", "AVRATE": "u32",
    "RESULT": a("u32", show=verdict), "TM": a("struct", struct=TCF_T), "PAD": "pad", "RATE64": "u64",
    "PEAKRATE64": "u64", "PKTRATE64": "u64", "PKTBURST64": "u64"})
ACT = S("act", C, "TCA_ACT_UNSPEC", "TCA_ACT_", {
    "KIND": "string",
    "OPTIONS": a("submsg", selector="TCA_ACT_KIND",
                 choices={"gact": GACT_OPTS, "mirred": MIRRED_OPTS, "police": POLICE_OPTS}),
    "INDEX": "u32", "STATS": a("nest", nested=STATS2), "PAD": "pad", "COOKIE": "binary",
    "FLAGS": "bitfield32", "HW_STATS": "bitfield32", "USED_HW_STATS": "bitfield32", "IN_HW_COUNT": "u32"},
    label="action")
ACTIONS = a("indexed-array", sub="nest", nested=ACT)   # TCA_*_ACT and TCA_ROOT_TAB: actions by order

# --- qdisc and class options ------------------------------------------------------------
HTB = S("htb", P, "TCA_HTB_UNSPEC", "TCA_HTB_", {
    "PARMS": a("struct", struct=HTB_OPT), "INIT": a("struct", struct=HTB_GLOB), "CTAB": "binary", "RTAB": "binary",
    "DIRECT_QLEN": "u32", "RATE64": "u64", "CEIL64": "u64", "PAD": "pad", "OFFLOAD": "flag"})
FQ_CODEL = S("fq_codel", P, "TCA_FQ_CODEL_UNSPEC", "TCA_FQ_CODEL_", {
    "TARGET": a("u32", unit="us"), "INTERVAL": a("u32", unit="us"), "CE_THRESHOLD": a("u32", unit="us"),
    "CE_THRESHOLD_SELECTOR": "u8", "CE_THRESHOLD_MASK": "u8"}, default="u32")
TBF = S("tbf", P, "TCA_TBF_UNSPEC", "TCA_TBF_", {
    "PARMS": a("struct", struct=TBF_QOPT), "RTAB": "binary", "PTAB": "binary", "RATE64": "u64", "PRATE64": "u64",
    "BURST": "u32", "PBURST": "u32", "PAD": "pad"})
NETEM_ATTRS = S("netem", P, "TCA_NETEM_UNSPEC", "TCA_NETEM_", {
    "ECN": "u32", "RATE64": "u64", "PAD": "pad", "LATENCY64": a("s64", unit="ns"), "JITTER64": a("s64", unit="ns"),
    "PRNG_SEED": "u64"})
EMPTY = AttrSet("none", "rtnl.tc.none", {}, {}, label="no options")

# --- filter options ---------------------------------------------------------------------
U32 = S("u32", C, "TCA_U32_UNSPEC", "TCA_U32_", {
    "CLASSID": a("u32", show=handle), "HASH": a("u32", show=hex), "LINK": a("u32", show=handle), "DIVISOR": "u32",
    "SEL": a("binary", decode=struct_array(U32_KEY, U32_SEL)), "POLICE": "nest", "ACT": ACTIONS, "INDEV": "string",
    "PCNT": a("binary", decode=struct_array(U32_KEY_HITS, U32_PCNT)),
    "MARK": a("struct", struct=U32_MARK), "FLAGS": a("u32", show=hex), "PAD": "pad"})
ETH = a("binary", hint="mac")
V4 = a("binary", hint="ipv4")
V6 = a("binary", hint="ipv6")
BE16 = a("u16", big_endian=True)
FLOWER = S("flower", C, "TCA_FLOWER_UNSPEC", "TCA_FLOWER_", {
    "CLASSID": a("u32", show=handle), "INDEV": "string", "ACT": ACTIONS, "KEY_ETH_DST": ETH, "KEY_ETH_DST_MASK": ETH,
    "KEY_ETH_SRC": ETH, "KEY_ETH_SRC_MASK": ETH, "KEY_ETH_TYPE": a("u16", big_endian=True, show=hex),
    "KEY_IP_PROTO": a("u8", enum={1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6", 132: "sctp"}),
    "KEY_IPV4_SRC": V4, "KEY_IPV4_SRC_MASK": V4, "KEY_IPV4_DST": V4, "KEY_IPV4_DST_MASK": V4,
    "KEY_IPV6_SRC": V6, "KEY_IPV6_SRC_MASK": V6, "KEY_IPV6_DST": V6, "KEY_IPV6_DST_MASK": V6,
    "KEY_TCP_SRC": BE16, "KEY_TCP_DST": BE16, "KEY_UDP_SRC": BE16, "KEY_UDP_DST": BE16,
    "FLAGS": a("u32", show=hex), "KEY_VLAN_ID": "u16", "KEY_VLAN_PRIO": "u8", "KEY_VLAN_ETH_TYPE": BE16,
    "KEY_TCP_SRC_MASK": BE16, "KEY_TCP_DST_MASK": BE16, "KEY_UDP_SRC_MASK": BE16, "KEY_UDP_DST_MASK": BE16,
    "KEY_SCTP_SRC": BE16, "KEY_SCTP_DST": BE16, "KEY_FLAGS": a("u32", big_endian=True, show=hex),
    "KEY_FLAGS_MASK": a("u32", big_endian=True, show=hex), "KEY_ICMPV4_CODE": "u8", "KEY_ICMPV4_TYPE": "u8",
    "KEY_IP_TOS": "u8", "KEY_IP_TOS_MASK": "u8", "KEY_IP_TTL": "u8", "KEY_IP_TTL_MASK": "u8",
    "KEY_TCP_FLAGS": BE16, "KEY_TCP_FLAGS_MASK": BE16, "IN_HW_COUNT": "u32", "KEY_ENC_KEY_ID": "u32",
    "KEY_CT_STATE": "u16", "KEY_CT_ZONE": "u16", "KEY_CT_MARK": "u32", "KEY_NUM_OF_VLANS": "u8"})
MATCHALL = S("matchall", C, "TCA_MATCHALL_UNSPEC", "TCA_MATCHALL_", {
    "CLASSID": a("u32", show=handle), "ACT": ACTIONS, "FLAGS": a("u32", show=hex),
    "PCNT": a("struct", struct=MATCHALL_PCNT), "PAD": "pad"})
BPF = S("bpf", C, "TCA_BPF_UNSPEC", "TCA_BPF_", {
    "ACT": ACTIONS, "POLICE": "nest", "CLASSID": a("u32", show=handle), "OPS_LEN": "u16",
    "OPS": a("binary", decode=struct_array(SOCK_FILTER)), "FD": "u32", "NAME": "string", "FLAGS": a("u32", show=hex),
    "FLAGS_GEN": a("u32", show=hex), "TAG": a("binary", hint="hex"), "ID": "u32"})

FILTER_KINDS = {"u32", "flower", "matchall", "bpf"}
OPTIONS_BY_KIND = {"htb": HTB, "fq_codel": FQ_CODEL, "tbf": TBF, "u32": U32, "flower": FLOWER,
                   "matchall": MATCHALL, "bpf": BPF, "ingress": EMPTY, "clsact": EMPTY,
                   "pfifo_fast": PRIO_QOPT, "prio": PRIO_QOPT,
                   "netem": struct_then_attrs(NETEM_QOPT, [NETEM_ATTRS])}
TC_ATTRS = enum_set("tc", "rtnl.tc", R, "TCA_UNSPEC", "TCA_", {
    "KIND": "string", "OPTIONS": a("submsg", selector="TCA_KIND", choices=OPTIONS_BY_KIND),
    "STATS": a("struct", struct=TC_STATS), "XSTATS": "binary", "RATE": a("struct", struct=ESTIMATOR), "FCNT": "u32",
    "STATS2": a("nest", nested=STATS2), "STAB": "nest", "PAD": "pad", "DUMP_INVISIBLE": "flag", "CHAIN": "u32",
    "HW_OFFLOAD": "u8", "INGRESS_BLOCK": "u32", "EGRESS_BLOCK": "u32", "DUMP_FLAGS": "bitfield32",
    "EXT_WARN_MSG": "string"}, label="traffic control")
TCAMSG = c_struct(R, "tcamsg", "rtnl.action", strip="tca_", label="tcamsg", show={"family": show_af})
ROOT = enum_set("action_root", "rtnl.action", R, "TCA_ROOT_UNSPEC", "TCA_ROOT_", {
    "TAB": ACTIONS, "FLAGS": "bitfield32", "COUNT": "u32", "TIME_DELTA": a("u32", unit="ms"),
    "EXT_WARN_MSG": "string"}, label="actions")


def tc_info(root) -> str:
    """`htb 1: root dev 3`, `u32 parent ffff:fff2 prio 1 dev 3`, …"""
    kind = top(root, "rtnl.tc.kind")
    parts = [kind or ("dump" if is_dump_request(root) else "")]
    h = top(root, "rtnl.tc.handle")
    if h:
        parts.append(handle(h))
    parent = top(root, "rtnl.tc.parent")
    if parent is not None:
        parts.append("root" if parent == 0xFFFFFFFF else f"parent {handle(parent)}")
    info = top(root, "rtnl.tc.info")
    if info and kind in FILTER_KINDS:
        parts.append(f"prio {info >> 16}")
    ifindex = top(root, "rtnl.tc.ifindex")
    if ifindex:
        parts.append(f"dev {ifindex}")
    chain = top(root, "rtnl.tc.chain")
    if chain:
        parts.append(f"chain {chain}")
    return " ".join(p for p in parts if p)


def action_info(root) -> str:
    kinds = [n.value for n in root.find_all("rtnl.tc.act.kind")]
    return " ".join(kinds) or ("dump" if is_dump_request(root) else "")


add_types(["RTM_NEWQDISC", "RTM_DELQDISC", "RTM_GETQDISC", "RTM_NEWTCLASS", "RTM_DELTCLASS", "RTM_GETTCLASS",
           "RTM_NEWTFILTER", "RTM_DELTFILTER", "RTM_GETTFILTER", "RTM_NEWCHAIN", "RTM_DELCHAIN", "RTM_GETCHAIN"],
          TCMSG, TC_ATTRS, tc_info)
add_types(["RTM_NEWACTION", "RTM_DELACTION", "RTM_GETACTION"], TCAMSG, ROOT, action_info)
