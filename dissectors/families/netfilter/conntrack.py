"""ctnetlink (NFNL_SUBSYS_CTNETLINK and _EXP): connection tracking entries, expectations and
statistics, as `conntrack -L/-E/-S` see them.  Names from <linux/netfilter/nfnetlink_conntrack.h>;
every integer attribute is in network byte order."""
from __future__ import annotations

from construct import Int8ul

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.schema import FixedStruct, member, names_from
from ...generated import nf_conntrack_common as CC, nf_conntrack_tcp as TCP, nfnetlink as N, nfnetlink_conntrack as CT
from .protocol import Subsystem, register_subsystem, types

BE8, BE16, BE32, BE64 = a("u8"), a("u16", big_endian=True), a("u32", big_endian=True), a("u64", big_endian=True)
IP_PROTOS = {1: "icmp", 2: "igmp", 6: "tcp", 17: "udp", 33: "dccp", 47: "gre", 58: "icmpv6", 132: "sctp",
             136: "udplite"}
STATUS = {getattr(CC, n): n for n in CC.ENUMS["ip_conntrack_status"]
          if n.startswith("IPS_") and not n.endswith(("_BIT", "_MASK")) and not n.startswith("__")}
TCP_STATES = names_from(TCP, "TCP_CONNTRACK_", "tcp_conntrack", exclude=("MAX", "IGNORE", "RETRANS", "UNACK",
                                                                          "TIMEOUT_MAX"))
TCP_FLAGS = {getattr(TCP, n): n[len("IP_CT_TCP_FLAG_"):] for n in vars(TCP) if n.startswith("IP_CT_TCP_FLAG_")}
TCP_FLAGS_STRUCT = FixedStruct("nf_ct_tcp_flags", "ctnl.protoinfo.tcp.flags_struct", [
    member("flags", Int8ul, flags=TCP_FLAGS), member("mask", Int8ul, flags=TCP_FLAGS)], label="nf_ct_tcp_flags")


def S(name, enum, strip, types_, label, default=BE32):
    return enum_set(name, f"ctnl.{name}", CT, enum, strip, types_, label=label, default=default)


IP = S("ip", "ctattr_ip", "CTA_IP_", {"V4_SRC": a("binary", hint="ipv4"), "V4_DST": a("binary", hint="ipv4"),
                                      "V6_SRC": a("binary", hint="ipv6"), "V6_DST": a("binary", hint="ipv6")},
       "addresses")
PROTO = S("proto", "ctattr_l4proto", "CTA_PROTO_", {
    "NUM": a("u8", enum=IP_PROTOS), "SRC_PORT": BE16, "DST_PORT": BE16, "ICMP_ID": BE16, "ICMP_TYPE": "u8",
    "ICMP_CODE": "u8", "ICMPV6_ID": BE16, "ICMPV6_TYPE": "u8", "ICMPV6_CODE": "u8"}, "layer 4")
TUPLE = S("tuple", "ctattr_tuple", "CTA_TUPLE_", {"IP": a("nest", nested=IP), "PROTO": a("nest", nested=PROTO),
                                                  "ZONE": BE16}, "tuple")
PROTOINFO_TCP = S("protoinfo.tcp", "ctattr_protoinfo_tcp", "CTA_PROTOINFO_TCP_", {
    "STATE": a("u8", enum=TCP_STATES), "WSCALE_ORIGINAL": "u8", "WSCALE_REPLY": "u8",
    "FLAGS_ORIGINAL": a("struct", struct=TCP_FLAGS_STRUCT), "FLAGS_REPLY": a("struct", struct=TCP_FLAGS_STRUCT)},
    "TCP state")
PROTOINFO_DCCP = S("protoinfo.dccp", "ctattr_protoinfo_dccp", "CTA_PROTOINFO_DCCP_", {
    "STATE": "u8", "ROLE": "u8", "HANDSHAKE_SEQ": BE64, "PAD": "pad"}, "DCCP state")
PROTOINFO_SCTP = S("protoinfo.sctp", "ctattr_protoinfo_sctp", "CTA_PROTOINFO_SCTP_", {"STATE": "u8"}, "SCTP state")
PROTOINFO = S("protoinfo", "ctattr_protoinfo", "CTA_PROTOINFO_", {
    "TCP": a("nest", nested=PROTOINFO_TCP), "DCCP": a("nest", nested=PROTOINFO_DCCP),
    "SCTP": a("nest", nested=PROTOINFO_SCTP)}, "protocol state")
COUNTERS = S("counters", "ctattr_counters", "CTA_COUNTERS", {
    "_PACKETS": BE64, "_BYTES": BE64, "32_PACKETS": BE32, "32_BYTES": BE32, "_PAD": "pad"}, "counters")
TSTAMP = S("timestamp", "ctattr_tstamp", "CTA_TIMESTAMP_", {"START": BE64, "STOP": BE64, "PAD": "pad"}, "timestamps")
PROTONAT = S("protonat", "ctattr_protonat", "CTA_PROTONAT_", {"PORT_MIN": BE16, "PORT_MAX": BE16}, "NAT ports")
NAT = S("nat", "ctattr_nat", "CTA_NAT_", {
    "V4_MINIP": a("binary", hint="ipv4"), "V4_MAXIP": a("binary", hint="ipv4"), "PROTO": a("nest", nested=PROTONAT),
    "V6_MINIP": a("binary", hint="ipv6"), "V6_MAXIP": a("binary", hint="ipv6")}, "NAT")
SEQADJ = S("seqadj", "ctattr_seqadj", "CTA_SEQADJ_", {}, "sequence adjustment")
HELP = S("help", "ctattr_help", "CTA_HELP_", {"NAME": "string", "INFO": "binary"}, "helper")
SECCTX = S("secctx", "ctattr_secctx", "CTA_SECCTX_", {"NAME": "string"}, "security context")
SYNPROXY = S("synproxy", "ctattr_synproxy", "CTA_SYNPROXY_", {}, "synproxy")
FILTER = S("filter", "ctattr_filter", "CTA_FILTER_", {}, "dump filter")
STATS_CPU = S("stats", "ctattr_stats_cpu", "CTA_STATS_", {}, "statistics (per CPU)")
STATS_GLOBAL = S("stats_global", "ctattr_stats_global", "CTA_STATS_GLOBAL_", {}, "statistics")
CTA = S("ct", "ctattr_type", "CTA_", {
    "TUPLE_ORIG": a("nest", nested=TUPLE), "TUPLE_REPLY": a("nest", nested=TUPLE), "STATUS": a("u32", big_endian=True,
                                                                                                 flags=STATUS),
    "PROTOINFO": a("nest", nested=PROTOINFO), "HELP": a("nest", nested=HELP), "NAT_SRC": a("nest", nested=NAT),
    "TIMEOUT": a("u32", big_endian=True, unit="s"), "COUNTERS_ORIG": a("nest", nested=COUNTERS),
    "COUNTERS_REPLY": a("nest", nested=COUNTERS), "ID": a("u32", big_endian=True, show=hex),
    "NAT_DST": a("nest", nested=NAT), "TUPLE_MASTER": a("nest", nested=TUPLE), "SEQ_ADJ_ORIG": a("nest", nested=SEQADJ),
    "SEQ_ADJ_REPLY": a("nest", nested=SEQADJ), "ZONE": BE16, "SECCTX": a("nest", nested=SECCTX),
    "TIMESTAMP": a("nest", nested=TSTAMP), "LABELS": a("binary", hint="hex"), "LABELS_MASK": a("binary", hint="hex"),
    "SYNPROXY": a("nest", nested=SYNPROXY), "FILTER": a("nest", nested=FILTER),
    "STATUS_MASK": a("u32", big_endian=True, flags=STATUS)}, "conntrack")
EXP_NAT = S("expect.nat", "ctattr_expect_nat", "CTA_EXPECT_NAT_", {"TUPLE": a("nest", nested=TUPLE)}, "expectation NAT")
EXP = S("expect", "ctattr_expect", "CTA_EXPECT_", {
    "MASTER": a("nest", nested=TUPLE), "TUPLE": a("nest", nested=TUPLE), "MASK": a("nest", nested=TUPLE),
    "TIMEOUT": a("u32", big_endian=True, unit="s"), "HELP_NAME": "string", "ZONE": BE16,
    "NAT": a("nest", nested=EXP_NAT), "FN": "string"}, "expectation")
EXP_STATS = S("expect.stats", "ctattr_expect_stats", "CTA_STATS_EXP_", {}, "expectation statistics")


def _tuple_text(t) -> str:
    if t is None:
        return ""
    src = t.first("ctnl.ip.v4_src") or t.first("ctnl.ip.v6_src")
    dst = t.first("ctnl.ip.v4_dst") or t.first("ctnl.ip.v6_dst")
    sport, dport = t.first("ctnl.proto.src_port"), t.first("ctnl.proto.dst_port")
    return f"{src}:{sport} → {dst}:{dport}" if sport is not None else f"{src} → {dst}"


@info(levels=3)   # the tuples' addresses and the TCP state are two nests down
def ct_info(root) -> str:
    """`tcp ESTABLISHED 127.0.0.1:40000 → 127.0.0.1:5555` (as much as the summary decoded)."""
    orig = root.find("ctnl.ct.tuple_orig")
    if orig is None:
        entries = root.first("ctnl.stats_global.entries")
        if entries is not None:
            return f"{entries} entries"
        searched = root.find("ctnl.stats.searched")
        return "per-CPU statistics" if searched is not None else ""
    proto = orig.find("ctnl.proto.num")
    parts = [IP_PROTOS.get(proto.value, str(proto.value)) if proto is not None else ""]
    state = root.find("ctnl.protoinfo.tcp.state")
    if state is not None:
        parts.append(TCP_STATES.get(state.value, str(state.value))[len("TCP_CONNTRACK_"):])
    parts.append(_tuple_text(orig))
    return " ".join(p for p in parts if p)


@info(levels=3)   # as ct_info: the tuples' addresses are two nests down
def exp_info(root) -> str:
    """`udp 127.0.0.1:0 → 127.0.0.1:35961 helper tftp, master 127.0.0.1:35961 → 127.0.0.1:69`:
    the connection expected, by which helper, for which connection."""
    tup = root.find("ctnl.expect.tuple")
    if tup is None:
        return ""
    proto = tup.find("ctnl.proto.num")
    parts = [IP_PROTOS.get(proto.value, str(proto.value)) if proto is not None else "", _tuple_text(tup)]
    helper = root.first("ctnl.expect.help_name")
    if helper:
        parts.append(f"helper {helper}")
    master = root.find("ctnl.expect.master")
    text = " ".join(p for p in parts if p)
    return f"{text}, master {_tuple_text(master)}" if master is not None else text


CT_TYPES = names_from(CT, "IPCTNL_MSG_CT_", "cntl_msg_types", exclude=("MAX",))
EXP_TYPES = names_from(CT, "IPCTNL_MSG_EXP_", "ctnl_exp_msg_types", exclude=("MAX",))
ct_types = types(CT_TYPES, CTA, ct_info)
ct_types[CT.IPCTNL_MSG_CT_GET_STATS_CPU].attrs = STATS_CPU
ct_types[CT.IPCTNL_MSG_CT_GET_STATS].attrs = STATS_GLOBAL
exp_types = types(EXP_TYPES, EXP, exp_info)
exp_types[CT.IPCTNL_MSG_EXP_GET_STATS_CPU].attrs = EXP_STATS
register_subsystem(Subsystem(N.NFNL_SUBSYS_CTNETLINK, "ctnetlink", ct_types, CTA))
register_subsystem(Subsystem(N.NFNL_SUBSYS_CTNETLINK_EXP, "ctnetlink_exp", exp_types, EXP))
