"""Traffic-control statistics: TCA_STATS2 (basic, rate estimator, queue, and the qdisc's own
TCA_STATS_APP), the old struct tc_stats, and each qdisc's extended statistics.

TCA_XSTATS and TCA_STATS_APP hold the same bytes, chosen by the qdisc's TCA_KIND: what the
kind's dump_stats / dump_class_stats gives gnet_stats_copy_app() (net/sched/sch_*.c) — a
struct for most, attributes for cake (TCA_CAKE_STATS_*, per tin a nest) and taprio
(TCA_TAPRIO_OFFLOAD_STATS_*).  fq_codel's starts with a type saying which of its union
follows (qdisc or class statistics); fq's struct grew (6.1 stops at horizon_caps).
"""
from __future__ import annotations

from construct import Int8ul, Int32sl, Int32ul, Int64sl, Int64ul

from ...core.attrs import a, malformed
from ...core.schema import c_struct, member, pad
from ...generated import gen_stats as GS, pkt_sched as P
from .tc_common import S, bare_struct, struct

TC_STATS = c_struct(P, "tc_stats", "rtnl.tc.stats_struct", label="tc_stats")
ESTIMATOR = struct("tc_estimator", "rtnl.tc.rate", [member("interval", Int8ul), member("ewma_log", Int8ul), pad(2)])
GNET_BASIC = c_struct(GS, "gnet_stats_basic", "rtnl.tc.stats.basic", label="gnet_stats_basic")
GNET_RATE = c_struct(GS, "gnet_stats_rate_est", "rtnl.tc.stats.rate_est", label="gnet_stats_rate_est")
GNET_RATE64 = c_struct(GS, "gnet_stats_rate_est64", "rtnl.tc.stats.rate_est64", label="gnet_stats_rate_est64")
GNET_QUEUE = c_struct(GS, "gnet_stats_queue", "rtnl.tc.stats.queue", label="gnet_stats_queue")


def _x(cname, kind):
    return c_struct(P, cname, f"rtnl.tc.xstats.{kind}", label=cname)


_C = {"__u32": Int32ul, "__s32": Int32sl}
FQ_CODEL_TYPES = {P.TCA_FQ_CODEL_XSTATS_QDISC: "qdisc", P.TCA_FQ_CODEL_XSTATS_CLASS: "class"}
_TYPE = member("type", Int32ul, lambda v: f"{FQ_CODEL_TYPES.get(v, 'unknown')} ({v})")
FQ_CODEL_QD = struct("tc_fq_codel_xstats", "rtnl.tc.xstats.fq_codel", [
    _TYPE, *[member(n, _C[t]) for n, t in P.STRUCTS["tc_fq_codel_qd_stats"]]], label="tc_fq_codel_xstats (qdisc_stats)")
FQ_CODEL_CL = struct("tc_fq_codel_xstats", "rtnl.tc.xstats.fq_codel_class", [
    _TYPE, *[member(n, _C[t]) for n, t in P.STRUCTS["tc_fq_codel_cl_stats"]], pad(36 - 24)], label="tc_fq_codel_xstats (class_stats)")


def _fq_codel(buf, start, end, order, req):
    """struct tc_fq_codel_xstats: the type, then the union member it names."""
    if end - start < 4:
        return [malformed(buf, start, end, "tc_fq_codel_xstats needs 4 bytes")]
    kind = int.from_bytes(buf[start:start + 4], "little" if order == "<" else "big")
    st = FQ_CODEL_CL if kind == P.TCA_FQ_CODEL_XSTATS_CLASS else FQ_CODEL_QD
    return bare_struct(st)(buf, start, end, order, req)


# struct tc_fq_qd_stats: 6.1's ends at horizon_caps; 6.7 added fastpath_packets and the bands
FQ_QD = struct("tc_fq_qd_stats", "rtnl.tc.xstats.fq", [
    *[member(n, Int64ul) for n in ("gc_flows", "highprio_packets", "tcp_retrans", "throttled", "flows_plimit",
                                   "pkts_too_long", "allocation_errors")],
    member("time_next_delayed_flow", Int64sl),
    *[member(n, Int32ul) for n in ("flows", "inactive_flows", "throttled_flows", "unthrottle_latency_ns")],
    *[member(n, Int64ul) for n in ("ce_mark", "horizon_drops", "horizon_caps", "fastpath_packets")],
    *[member(f"band_drops_{i}", Int64ul) for i in range(P.FQ_BANDS)],
    *[member(f"band_pkt_count_{i}", Int32ul) for i in range(P.FQ_BANDS)], pad(4)],
    optional_from="fastpath_packets")

CAKE_TIN_STATS = S("cake_tin_stats", P, "__TCA_CAKE_TIN_STATS_INVALID", "TCA_CAKE_TIN_STATS_", {
    "PAD": "pad", **{k: "u64" for k in ("SENT_BYTES64", "DROPPED_BYTES64", "ACKS_DROPPED_BYTES64",
                                        "ECN_MARKED_BYTES64", "THRESHOLD_RATE64")},
    **{k: "u32" for k in ("SENT_PACKETS", "DROPPED_PACKETS", "ACKS_DROPPED_PACKETS", "ECN_MARKED_PACKETS",
                          "BACKLOG_PACKETS", "BACKLOG_BYTES", "WAY_INDIRECT_HITS", "WAY_MISSES",
                          "WAY_COLLISIONS", "SPARSE_FLOWS", "BULK_FLOWS", "UNRESPONSIVE_FLOWS", "MAX_SKBLEN",
                          "FLOW_QUANTUM")},
    **{k: a("u32", unit="us") for k in ("TARGET_US", "INTERVAL_US", "PEAK_DELAY_US", "AVG_DELAY_US",
                                        "BASE_DELAY_US")}},
    label="cake tin statistics", prefix="rtnl.tc.xstats.cake.tin")
CAKE_STATS = S("cake_stats", P, "__TCA_CAKE_STATS_INVALID", "TCA_CAKE_STATS_", {
    "PAD": "pad", "CAPACITY_ESTIMATE64": "u64", "MEMORY_LIMIT": "u32", "MEMORY_USED": "u32", "AVG_NETOFF": "u32",
    "MIN_NETLEN": "u32", "MAX_NETLEN": "u32", "MIN_ADJLEN": "u32", "MAX_ADJLEN": "u32",
    "TIN_STATS": a("indexed-array", sub="nest", nested=CAKE_TIN_STATS),   # tins numbered from 1
    "DEFICIT": "s32", "COBALT_COUNT": "u32", "DROPPING": "u32", "DROP_NEXT_US": a("s32", unit="us"),
    "P_DROP": "u32", "BLUE_TIMER_US": a("s32", unit="us")}, label="cake statistics", prefix="rtnl.tc.xstats.cake")
TAPRIO_STATS = S("taprio_stats", P, "TCA_TAPRIO_OFFLOAD_STATS_PAD", "TCA_TAPRIO_OFFLOAD_STATS_", {
    "PAD": "pad", "WINDOW_DROPS": "u64", "TX_OVERRUNS": "u64"}, label="taprio offload statistics",
    prefix="rtnl.tc.xstats.taprio")

# kind -> what its TCA_XSTATS / TCA_STATS_APP holds
XSTATS_BY_KIND = {
    "htb": bare_struct(_x("tc_htb_xstats", "htb")),            # classes
    "hfsc": bare_struct(_x("tc_hfsc_stats", "hfsc")),          # classes
    "drr": bare_struct(_x("tc_drr_stats", "drr")),             # classes
    "qfq": bare_struct(_x("tc_qfq_stats", "qfq")),             # classes
    "sfq": bare_struct(_x("tc_sfq_xstats", "sfq")),            # classes (flows)
    "codel": bare_struct(_x("tc_codel_xstats", "codel")),
    "red": bare_struct(_x("tc_red_xstats", "red")),
    "choke": bare_struct(_x("tc_choke_xstats", "choke")),
    "sfb": bare_struct(_x("tc_sfb_xstats", "sfb")),
    "hhf": bare_struct(_x("tc_hhf_xstats", "hhf")),
    "pie": bare_struct(_x("tc_pie_xstats", "pie")),
    "fq_pie": bare_struct(_x("tc_fq_pie_xstats", "fq_pie")),
    "fq_codel": _fq_codel,
    "fq": bare_struct(FQ_QD),
    "cake": CAKE_STATS,
    "taprio": TAPRIO_STATS,
}
XSTATS = a("submsg", selector="TCA_KIND", choices=XSTATS_BY_KIND)

STATS2 = S("stats", GS, "TCA_STATS_UNSPEC", "TCA_STATS_", {
    "BASIC": a("struct", struct=GNET_BASIC), "RATE_EST": a("struct", struct=GNET_RATE),
    "QUEUE": a("struct", struct=GNET_QUEUE), "APP": XSTATS, "RATE_EST64": a("struct", struct=GNET_RATE64),
    "PAD": "pad", "BASIC_HW": a("struct", struct=GNET_BASIC), "PKT64": "u64"}, label="statistics")
