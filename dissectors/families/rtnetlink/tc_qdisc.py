"""Qdisc and class options: TCA_OPTIONS chosen by TCA_KIND.

Attributes (names from <linux/pkt_sched.h>, types from each qdisc's nla_policy and dump
function in net/sched/sch_*.c): htb, hfsc/drr/qfq classes, fq_codel, codel, fq, pie,
fq_pie, hhf, cake, red, choke, sfb, gred, ets, cbs, etf, taprio, tbf, netem.  Options that
are a bare struct, read by length as the kernel reads them: pfifo/bfifo/pfifo_head_drop
(tc_fifo_qopt), sfq (tc_sfq_qopt_v1 when long enough, else tc_sfq_qopt), plug, skbprio,
multiq, prio/pfifo_fast (tc_prio_qopt), hfsc's qdisc (tc_hfsc_qopt); mqprio and netem a
struct followed by attributes.  hfsc's qdisc and its classes share the kind: the qdisc's
options are the 2-byte struct, a class's are attributes (each at least 16 bytes).
"""
from __future__ import annotations

from construct import Bytes, Int8ul, Int32sl, Int32ul

from ...core.attrs import AttrSet, a, decode_attrs, malformed, struct_array
from ...core.schema import c_struct, flags_show, member, names_from, pad
from ...generated import pkt_sched as P
from .common import struct_then_attrs
from .tc_common import S, bare_struct, ratespec, struct

# --- structs ------------------------------------------------------------------------------
HTB_OPT = struct("tc_htb_opt", "rtnl.tc.htb.parms", [
    *ratespec("rate"), *ratespec("ceil"),
    member("buffer", Int32ul), member("cbuffer", Int32ul), member("quantum", Int32ul), member("level", Int32ul),
    member("prio", Int32ul)])
HTB_GLOB = c_struct(P, "tc_htb_glob", "rtnl.tc.htb.init", label="tc_htb_glob")
TBF_QOPT = struct("tc_tbf_qopt", "rtnl.tc.tbf.parms", [
    *ratespec("rate"), *ratespec("peakrate"),
    member("limit", Int32ul), member("buffer", Int32ul), member("mtu", Int32ul)])
NETEM_QOPT = c_struct(P, "tc_netem_qopt", "rtnl.tc.netem.qopt", label="tc_netem_qopt")
PRIO_QOPT = struct("tc_prio_qopt", "rtnl.tc.prio", [member("bands", Int32sl), member("priomap", Bytes(16), bytes.hex)])
FIFO_QOPT = c_struct(P, "tc_fifo_qopt", "rtnl.tc.fifo", label="tc_fifo_qopt")
PLUG_ACTIONS = names_from(P, "TCQ_PLUG_")
PLUG_QOPT = c_struct(P, "tc_plug_qopt", "rtnl.tc.plug", label="tc_plug_qopt",
                     show={"action": lambda v: f"{PLUG_ACTIONS.get(v, 'unknown')} ({v})"})
SKBPRIO_QOPT = c_struct(P, "tc_skbprio_qopt", "rtnl.tc.skbprio", label="tc_skbprio_qopt")
MULTIQ_QOPT = c_struct(P, "tc_multiq_qopt", "rtnl.tc.multiq", label="tc_multiq_qopt")
HFSC_QOPT = c_struct(P, "tc_hfsc_qopt", "rtnl.tc.hfsc.qopt", label="tc_hfsc_qopt",
                     show={"defcls": lambda v: f"{v:x}"})
SERVICE_CURVE = c_struct(P, "tc_service_curve", "rtnl.tc.hfsc.curve", label="tc_service_curve")
RED_FLAGS = {P.TC_RED_ECN: "ECN", P.TC_RED_HARDDROP: "HARDDROP", P.TC_RED_ADAPTATIVE: "ADAPTATIVE",
             P.TC_RED_NODROP: "NODROP"}


def _red_qopt(prefix):
    """struct tc_red_qopt (red and choke take it as TCA_*_PARMS)."""
    return struct("tc_red_qopt", prefix, [
        member("limit", Int32ul), member("qth_min", Int32ul), member("qth_max", Int32ul), member("Wlog", Int8ul),
        member("Plog", Int8ul), member("Scell_log", Int8ul),
        member("flags", Int8ul, flags_show(RED_FLAGS, 2), flags=RED_FLAGS)])


SFQ_V0 = [member(n, Int32sl if n == "perturb_period" else Int32ul)
          for n in ("quantum", "perturb_period", "limit", "divisor", "flows")]
SFQ_QOPT = struct("tc_sfq_qopt", "rtnl.tc.sfq", SFQ_V0)
SFQ_QOPT_V1 = struct("tc_sfq_qopt_v1", "rtnl.tc.sfq", [
    *SFQ_V0, member("depth", Int32ul), member("headdrop", Int32ul),
    member("red_limit", Int32ul, desc="SFQRED: hard maximal flow queue length (the struct's second `limit`)"),
    member("qth_min", Int32ul), member("qth_max", Int32ul), member("Wlog", Int8ul), member("Plog", Int8ul),
    member("Scell_log", Int8ul), member("flags", Int8ul, flags_show(RED_FLAGS, 2), flags=RED_FLAGS),
    member("max_P", Int32ul),
    *[member(n, Int32ul) for n, _ in P.STRUCTS["tc_sfqred_stats"]]])


def _u16s(data: bytes) -> str:
    """tc_mqprio_qopt's count[] and offset[]: 16 host-order u16 (little-endian hosts)."""
    return " ".join(str(int.from_bytes(data[i:i + 2], "little")) for i in range(0, len(data), 2))


MQPRIO_QOPT = struct("tc_mqprio_qopt", "rtnl.tc.mqprio.qopt", [
    member("num_tc", Int8ul), member("prio_tc_map", Bytes(P.TC_QOPT_BITMASK + 1), lambda b: " ".join(map(str, b))),
    member("hw", Int8ul), member("count", Bytes(2 * P.TC_QOPT_MAX_QUEUE), _u16s),
    member("offset", Bytes(2 * P.TC_QOPT_MAX_QUEUE), _u16s)])
CBS_QOPT = struct("tc_cbs_qopt", "rtnl.tc.cbs.parms", [
    member("offload", Int8ul), pad(3), member("hicredit", Int32sl), member("locredit", Int32sl),
    member("idleslope", Int32sl), member("sendslope", Int32sl)])
ETF_FLAGS = {1: "DEADLINE_MODE_ON", 2: "OFFLOAD_ON", 4: "SKIP_SOCK_CHECK"}   # TC_ETF_* (_BITUL(0..2))
ETF_QOPT = struct("tc_etf_qopt", "rtnl.tc.etf.parms", [
    member("delta", Int32sl), member("clockid", Int32sl),
    member("flags", Int32ul, flags_show(ETF_FLAGS), flags=ETF_FLAGS)])
SFB_QOPT = c_struct(P, "tc_sfb_qopt", "rtnl.tc.sfb.parms", label="tc_sfb_qopt")
GRED_QOPT = c_struct(P, "tc_gred_qopt", "rtnl.tc.gred.qopt", label="tc_gred_qopt")
GRED_SOPT = c_struct(P, "tc_gred_sopt", "rtnl.tc.gred.dps", label="tc_gred_sopt")

# --- attribute sets ---------------------------------------------------------------------------
US = a("u32", unit="us")
HTB = S("htb", P, "TCA_HTB_UNSPEC", "TCA_HTB_", {
    "PARMS": a("struct", struct=HTB_OPT), "INIT": a("struct", struct=HTB_GLOB), "CTAB": "binary", "RTAB": "binary",
    "DIRECT_QLEN": "u32", "RATE64": "u64", "CEIL64": "u64", "PAD": "pad", "OFFLOAD": "flag"})
FQ_CODEL = S("fq_codel", P, "TCA_FQ_CODEL_UNSPEC", "TCA_FQ_CODEL_", {
    "TARGET": US, "INTERVAL": US, "CE_THRESHOLD": US,
    "CE_THRESHOLD_SELECTOR": "u8", "CE_THRESHOLD_MASK": "u8"}, default="u32")
TBF = S("tbf", P, "TCA_TBF_UNSPEC", "TCA_TBF_", {
    "PARMS": a("struct", struct=TBF_QOPT), "RTAB": "binary", "PTAB": "binary", "RATE64": "u64", "PRATE64": "u64",
    "BURST": "u32", "PBURST": "u32", "PAD": "pad"})
NETEM_LOSS = S("netem_loss", P, "NETEM_LOSS_UNSPEC", "NETEM_LOSS_", {
    "GI": a("struct", struct=c_struct(P, "tc_netem_gimodel", "rtnl.tc.netem.loss.gi", label="tc_netem_gimodel")),
    "GE": a("struct", struct=c_struct(P, "tc_netem_gemodel", "rtnl.tc.netem.loss.ge", label="tc_netem_gemodel"))},
    label="loss model", prefix="rtnl.tc.netem.loss")


def _netem(cname):
    return a("struct", struct=c_struct(P, cname, f"rtnl.tc.netem.{cname[len('tc_netem_'):]}", label=cname))


NETEM_ATTRS = S("netem", P, "TCA_NETEM_UNSPEC", "TCA_NETEM_", {
    "CORR": _netem("tc_netem_corr"), "DELAY_DIST": a("array", sub="s16"), "REORDER": _netem("tc_netem_reorder"),
    "CORRUPT": _netem("tc_netem_corrupt"), "LOSS": a("nest", nested=NETEM_LOSS), "RATE": _netem("tc_netem_rate"),
    "SLOT": _netem("tc_netem_slot"), "SLOT_DIST": a("array", sub="s16"), "ECN": "u32", "RATE64": "u64", "PAD": "pad",
    "LATENCY64": a("s64", unit="ns"), "JITTER64": a("s64", unit="ns"),
    "PRNG_SEED": "u64"})
CODEL = S("codel", P, "TCA_CODEL_UNSPEC", "TCA_CODEL_", {
    "TARGET": US, "LIMIT": "u32", "INTERVAL": US, "ECN": "u32", "CE_THRESHOLD": US})
FQ = S("fq", P, "TCA_FQ_UNSPEC", "TCA_FQ_", {
    "PLIMIT": "u32", "FLOW_PLIMIT": "u32", "QUANTUM": "u32", "INITIAL_QUANTUM": "u32", "RATE_ENABLE": "u32",
    "FLOW_DEFAULT_RATE": "u32", "FLOW_MAX_RATE": "u32", "BUCKETS_LOG": "u32", "FLOW_REFILL_DELAY": US,
    "ORPHAN_MASK": a("u32", show=hex), "LOW_RATE_THRESHOLD": "u32", "CE_THRESHOLD": US,
    "TIMER_SLACK": a("u32", unit="ns"), "HORIZON": US, "HORIZON_DROP": "u8",
    "PRIOMAP": a("struct", struct=PRIO_QOPT), "WEIGHTS": a("array", sub="s32")})
PIE = S("pie", P, "TCA_PIE_UNSPEC", "TCA_PIE_", {
    "TARGET": US, "LIMIT": "u32", "TUPDATE": US, "ALPHA": "u32", "BETA": "u32", "ECN": "u32", "BYTEMODE": "u32",
    "DQ_RATE_ESTIMATOR": "u32"})
FQ_PIE = S("fq_pie", P, "TCA_FQ_PIE_UNSPEC", "TCA_FQ_PIE_", {
    "LIMIT": "u32", "FLOWS": "u32", "TARGET": US, "TUPDATE": US, "ALPHA": "u32", "BETA": "u32", "QUANTUM": "u32",
    "MEMORY_LIMIT": "u32", "ECN_PROB": "u32", "ECN": "u32", "BYTEMODE": "u32", "DQ_RATE_ESTIMATOR": "u32"})
HHF = S("hhf", P, "TCA_HHF_UNSPEC", "TCA_HHF_", {
    "BACKLOG_LIMIT": "u32", "QUANTUM": "u32", "HH_FLOWS_LIMIT": "u32", "RESET_TIMEOUT": US,
    "ADMIT_BYTES": "u32", "EVICT_TIMEOUT": US, "NON_HH_WEIGHT": "u32"})
CAKE_FLOW_MODES = names_from(P, "CAKE_FLOW_", "CAKE_FLOW_NONE")
CAKE_DIFFSERV = names_from(P, "CAKE_DIFFSERV_", "CAKE_DIFFSERV_DIFFSERV3")
CAKE_ACK = names_from(P, "CAKE_ACK_", "CAKE_ACK_NONE")
CAKE_ATM = names_from(P, "CAKE_ATM_", "CAKE_ATM_NONE")
CAKE = S("cake", P, "TCA_CAKE_UNSPEC", "TCA_CAKE_", {
    "PAD": "pad", "BASE_RATE64": "u64", "DIFFSERV_MODE": a("u32", enum=CAKE_DIFFSERV), "ATM": a("u32", enum=CAKE_ATM),
    "FLOW_MODE": a("u32", enum=CAKE_FLOW_MODES), "OVERHEAD": "s32", "RTT": US, "TARGET": US, "AUTORATE": "u32",
    "MEMORY": "u32", "NAT": "u32", "RAW": "u32", "WASH": "u32", "MPU": "u32", "INGRESS": "u32",
    "ACK_FILTER": a("u32", enum=CAKE_ACK), "SPLIT_GSO": "u32", "FWMARK": a("u32", show=hex)})
RED = S("red", P, "TCA_RED_UNSPEC", "TCA_RED_", {
    "PARMS": a("struct", struct=_red_qopt("rtnl.tc.red.parms")), "STAB": "binary", "MAX_P": "u32",
    "FLAGS": a("bitfield32", flags=RED_FLAGS), "EARLY_DROP_BLOCK": "u32", "MARK_BLOCK": "u32"})
CHOKE = S("choke", P, "TCA_CHOKE_UNSPEC", "TCA_CHOKE_", {
    "PARMS": a("struct", struct=_red_qopt("rtnl.tc.choke.parms")), "STAB": "binary", "MAX_P": "u32"})
SFB = S("sfb", P, "TCA_SFB_UNSPEC", "TCA_SFB_", {"PARMS": a("struct", struct=SFB_QOPT)})
GRED_VQ = S("gred_vq", P, "TCA_GRED_VQ_UNSPEC", "TCA_GRED_VQ_", {
    "PAD": "pad", "DP": "u32", "STAT_BYTES": "u64", "STAT_PACKETS": "u32", "STAT_BACKLOG": "u32",
    "STAT_PROB_DROP": "u32", "STAT_PROB_MARK": "u32", "STAT_FORCED_DROP": "u32", "STAT_FORCED_MARK": "u32",
    "STAT_PDROP": "u32", "STAT_OTHER": "u32", "FLAGS": a("u32", flags=RED_FLAGS)}, label="virtual queue")
GRED_VQ_LIST = S("gred_vq_list", P, "TCA_GRED_VQ_ENTRY_UNSPEC", "TCA_GRED_VQ_", {
    "ENTRY": a("nest", nested=GRED_VQ)}, label="virtual queues")
GRED = S("gred", P, "TCA_GRED_UNSPEC", "TCA_GRED_", {
    # a request's PARMS is one tc_gred_qopt; a dump's holds MAX_DPS of them (gred_dump appends each)
    "PARMS": a("binary", decode=struct_array(GRED_QOPT)), "STAB": "binary", "DPS": a("struct", struct=GRED_SOPT),
    "MAX_P": a("array", sub="u32"), "LIMIT": "u32", "VQ_LIST": a("nest", nested=GRED_VQ_LIST)})
# ets: TCA_ETS_QUANTA and _PRIOMAP nest repeated members of the same enum
ETS_QUANTA = AttrSet("ets_quanta", "rtnl.tc.ets.quanta", {"TCA_ETS_QUANTA_BAND": a("u32")}, P, strip="TCA_ETS_",
                     label="quanta")
ETS_PRIOMAP = AttrSet("ets_priomap", "rtnl.tc.ets.priomap", {"TCA_ETS_PRIOMAP_BAND": a("u8")}, P, strip="TCA_ETS_",
                      label="priomap")
ETS = S("ets", P, "TCA_ETS_UNSPEC", "TCA_ETS_", {
    "NBANDS": "u8", "NSTRICT": "u8", "QUANTA": a("nest", nested=ETS_QUANTA), "QUANTA_BAND": "u32",
    "PRIOMAP": a("nest", nested=ETS_PRIOMAP), "PRIOMAP_BAND": "u8"})
CBS = S("cbs", P, "TCA_CBS_UNSPEC", "TCA_CBS_", {"PARMS": a("struct", struct=CBS_QOPT)})
ETF = S("etf", P, "TCA_ETF_UNSPEC", "TCA_ETF_", {"PARMS": a("struct", struct=ETF_QOPT)})
HFSC = S("hfsc", P, "TCA_HFSC_UNSPEC", "TCA_HFSC_", {
    "RSC": a("struct", struct=SERVICE_CURVE), "FSC": a("struct", struct=SERVICE_CURVE),
    "USC": a("struct", struct=SERVICE_CURVE)})
DRR = S("drr", P, "TCA_DRR_UNSPEC", "TCA_DRR_", {"QUANTUM": "u32"})
QFQ = S("qfq", P, "TCA_QFQ_UNSPEC", "TCA_QFQ_", {"WEIGHT": "u32", "LMAX": "u32"})
FP = names_from(P, "TC_FP_", "TC_FP_EXPRESS")
MQPRIO_TC = S("mqprio_tc_entry", P, "TCA_MQPRIO_TC_ENTRY_UNSPEC", "TCA_MQPRIO_TC_ENTRY_", {
    "INDEX": "u32", "FP": a("u32", enum=FP)}, label="traffic class")
MQPRIO_RATES = AttrSet("mqprio_rates", "rtnl.tc.mqprio.rate", {"TCA_MQPRIO_MIN_RATE64": a("u64")}, P,
                       strip="TCA_MQPRIO_", label="rates (one per traffic class)")
MQPRIO_MAX_RATES = AttrSet("mqprio_max_rates", "rtnl.tc.mqprio.max_rate", {"TCA_MQPRIO_MAX_RATE64": a("u64")}, P,
                           strip="TCA_MQPRIO_", label="rates (one per traffic class)")
MQPRIO_MODES = names_from(P, "TC_MQPRIO_MODE_", "TC_MQPRIO_MODE_DCB")
MQPRIO_SHAPERS = names_from(P, "TC_MQPRIO_SHAPER_", "TC_MQPRIO_SHAPER_DCB")
MQPRIO = S("mqprio", P, "TCA_MQPRIO_UNSPEC", "TCA_MQPRIO_", {
    "MODE": a("u16", enum=MQPRIO_MODES), "SHAPER": a("u16", enum=MQPRIO_SHAPERS),
    "MIN_RATE64": a("nest", nested=MQPRIO_RATES), "MAX_RATE64": a("nest", nested=MQPRIO_MAX_RATES),
    "TC_ENTRY": a("nest", nested=MQPRIO_TC)})
TAPRIO_CMDS = names_from(P, "TC_TAPRIO_CMD_", "TC_TAPRIO_CMD_SET_GATES")
TAPRIO_ENTRY = S("taprio_entry", P, "TCA_TAPRIO_SCHED_ENTRY_UNSPEC", "TCA_TAPRIO_SCHED_ENTRY_", {
    "INDEX": "u32", "CMD": a("u8", enum=TAPRIO_CMDS), "GATE_MASK": a("u32", show=hex),
    "INTERVAL": a("u32", unit="ns")}, label="schedule entry")
TAPRIO_LIST = S("taprio_list", P, "TCA_TAPRIO_SCHED_UNSPEC", "TCA_TAPRIO_SCHED_", {
    "ENTRY": a("nest", nested=TAPRIO_ENTRY)}, label="schedule")
TAPRIO_TC = S("taprio_tc_entry", P, "TCA_TAPRIO_TC_ENTRY_UNSPEC", "TCA_TAPRIO_TC_ENTRY_", {
    "INDEX": "u32", "MAX_SDU": "u32", "FP": a("u32", enum=FP)}, label="traffic class")
TAPRIO_FLAGS = {1: "TXTIME_ASSIST", 2: "FULL_OFFLOAD"}   # TCA_TAPRIO_ATTR_FLAG_* (BIT(0), BIT(1))
TAPRIO = S("taprio", P, "TCA_TAPRIO_ATTR_UNSPEC", "TCA_TAPRIO_", {
    "ATTR_PRIOMAP": a("struct", struct=MQPRIO_QOPT), "ATTR_SCHED_ENTRY_LIST": a("nest", nested=TAPRIO_LIST),
    "ATTR_SCHED_BASE_TIME": a("s64", unit="ns"), "ATTR_SCHED_SINGLE_ENTRY": a("nest", nested=TAPRIO_ENTRY),
    "ATTR_SCHED_CLOCKID": "s32", "PAD": "pad", "ATTR_ADMIN_SCHED": "nest",
    "ATTR_SCHED_CYCLE_TIME": a("s64", unit="ns"), "ATTR_SCHED_CYCLE_TIME_EXTENSION": a("s64", unit="ns"),
    "ATTR_FLAGS": a("u32", flags=TAPRIO_FLAGS), "ATTR_TXTIME_DELAY": a("u32", unit="ns"),
    "ATTR_TC_ENTRY": a("nest", nested=TAPRIO_TC)})
TAPRIO.by_name["TCA_TAPRIO_ATTR_ADMIN_SCHED"].nested = TAPRIO   # the pending schedule, in the same attributes
EMPTY = AttrSet("none", "rtnl.tc.none", {}, {}, label="no options")


def _hfsc(buf, start, end, order, req):
    """hfsc's qdisc options are a bare tc_hfsc_qopt (2 bytes: hfsc_dump_qdisc), a class's are
    TCA_HFSC_* attributes (hfsc_dump_class_opts)."""
    if end == start:
        return []
    if end - start < 4:
        return bare_struct(HFSC_QOPT)(buf, start, end, order, req)
    return decode_attrs(buf, start, end, HFSC, order, 1, req)


def _mqprio(buf, start, end, order, req):
    if end - start < MQPRIO_QOPT.size:
        return [malformed(buf, start, end, f"tc_mqprio_qopt needs {MQPRIO_QOPT.size} bytes")]
    return struct_then_attrs(MQPRIO_QOPT, [MQPRIO])(buf, start, end, order, req)


FIFO = bare_struct(FIFO_QOPT)
QDISC_KINDS = {
    "htb": HTB, "fq_codel": FQ_CODEL, "tbf": TBF, "ingress": EMPTY, "clsact": EMPTY,
    "pfifo_fast": PRIO_QOPT, "prio": PRIO_QOPT, "netem": struct_then_attrs(NETEM_QOPT, [NETEM_ATTRS]),
    "pfifo": FIFO, "bfifo": FIFO, "pfifo_head_drop": FIFO, "plug": bare_struct(PLUG_QOPT),
    "skbprio": bare_struct(SKBPRIO_QOPT), "multiq": bare_struct(MULTIQ_QOPT),
    "sfq": bare_struct(SFQ_QOPT, SFQ_QOPT_V1), "mqprio": _mqprio, "hfsc": _hfsc,
    "codel": CODEL, "fq": FQ, "pie": PIE, "fq_pie": FQ_PIE, "hhf": HHF, "cake": CAKE, "red": RED, "choke": CHOKE,
    "sfb": SFB, "gred": GRED, "ets": ETS, "cbs": CBS, "etf": ETF, "taprio": TAPRIO, "drr": DRR, "qfq": QFQ,
}
