"""Data center bridging (`dcb`, lldpad): RTM_GETDCB / RTM_SETDCB, struct dcbmsg and DCB_ATTR_*
from <linux/dcbnl.h>.  The command in dcbmsg says what the attributes are for (DCB_CMD_IEEE_GET,
DCB_CMD_GSTATE, …); the kernel answers with the request's type and command (net/dcb/dcbnl.c).
Structs with arrays, which the header generator does not lay out, are declared here."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int16ul, Int32ul, Int64ul

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.schema import FixedStruct, c_struct, enum_show, member, names_from, pad
from ...generated import dcbnl as D
from .protocol import add_types, top

TCS = D.IEEE_8021QAZ_MAX_TCS   # 8
COMMANDS = names_from(D, "DCB_CMD_", "dcbnl_commands", exclude=("UNDEFINED", "MAX"))
TSA = {D.IEEE_8021QAZ_TSA_STRICT: "strict", D.IEEE_8021QAZ_TSA_CB_SHAPER: "cb_shaper",
       D.IEEE_8021QAZ_TSA_ETS: "ets", D.IEEE_8021QAZ_TSA_VENDOR: "vendor"}
SELECTORS = {1: "ethtype", 2: "stream-port", 3: "dgram-port", 4: "port", 5: "dscp"}   # IEEE_8021QAZ_APP_SEL_*
DCBX_MODES = {0x01: "LLD_MANAGED", 0x02: "HOST", 0x04: "VER_CEE", 0x08: "VER_IEEE", 0x10: "STATIC"}  # DCB_CAP_DCBX_*


def _u8s(b: bytes) -> str:
    return " ".join(str(x) for x in b)


def _tsas(b: bytes) -> str:
    return " ".join(TSA.get(x, str(x)) for x in b)


def _array(name, con, n, show=None):
    """`n` members name_0 … name_{n-1}: an array of the C struct, one field each."""
    return [member(f"{name}_{i}", con, show) for i in range(n)]


DCBMSG = c_struct(D, "dcbmsg", "rtnl.dcb", strip="dcb_", label="Data center bridging (dcbmsg)",
                  show={"cmd": enum_show(COMMANDS)})
# struct ieee_ets { __u8 willing, ets_cap, cbs; __u8 tc_tx_bw[8], tc_rx_bw[8], tc_tsa[8], prio_tc[8],
#                   tc_reco_bw[8], tc_reco_tsa[8], reco_prio_tc[8]; }
IEEE_ETS = FixedStruct("ieee_ets", "rtnl.dcb.ieee.ets", [
    member("willing", Int8ul), member("ets_cap", Int8ul), member("cbs", Int8ul),
    member("tc_tx_bw", Bytes(TCS), _u8s), member("tc_rx_bw", Bytes(TCS), _u8s), member("tc_tsa", Bytes(TCS), _tsas),
    member("prio_tc", Bytes(TCS), _u8s), member("tc_reco_bw", Bytes(TCS), _u8s),
    member("tc_reco_tsa", Bytes(TCS), _tsas), member("reco_prio_tc", Bytes(TCS), _u8s)], label="ieee_ets")
# struct ieee_pfc { __u8 pfc_cap, pfc_en, mbc; __u16 delay; __u64 requests[8], indications[8]; }
IEEE_PFC = FixedStruct("ieee_pfc", "rtnl.dcb.ieee.pfc", [
    member("pfc_cap", Int8ul), member("pfc_en", Int8ul, lambda v: f"{v:#04x}"), member("mbc", Int8ul), pad(1),
    member("delay", Int16ul), pad(2), *_array("requests", Int64ul, TCS), *_array("indications", Int64ul, TCS)],
    label="ieee_pfc")
# struct ieee_maxrate { __u64 tc_maxrate[8]; }
IEEE_MAXRATE = FixedStruct("ieee_maxrate", "rtnl.dcb.ieee.maxrate",
                           _array("tc_maxrate", Int64ul, TCS), label="ieee_maxrate (bytes/s)")
# struct ieee_qcn { __u8 rpg_enable[8]; __u32 rppp_max_rps[8], rpg_time_reset[8], … cndd_state_machine[8]; }
QCN_U32 = ("rppp_max_rps", "rpg_time_reset", "rpg_byte_reset", "rpg_threshold", "rpg_max_rate", "rpg_ai_rate",
           "rpg_hai_rate", "rpg_gd", "rpg_min_dec_fac", "rpg_min_rate", "cndd_state_machine")
IEEE_QCN = FixedStruct("ieee_qcn", "rtnl.dcb.ieee.qcn", [
    member("rpg_enable", Bytes(TCS), _u8s), *[m for n in QCN_U32 for m in _array(n, Int32ul, TCS)]],
    label="ieee_qcn")
# struct ieee_qcn_stats { __u64 rppp_rp_centiseconds[8]; __u32 rppp_created_rps[8]; }
IEEE_QCN_STATS = FixedStruct("ieee_qcn_stats", "rtnl.dcb.ieee.qcn_stats", [
    *_array("rppp_rp_centiseconds", Int64ul, TCS), *_array("rppp_created_rps", Int32ul, TCS)], label="ieee_qcn_stats")
# struct dcbnl_buffer { __u8 prio2buffer[8]; __u32 buffer_size[8]; __u32 total_size; }
BUFFER = FixedStruct("dcbnl_buffer", "rtnl.dcb.ieee.buffer", [
    member("prio2buffer", Bytes(8), _u8s), *_array("buffer_size", Int32ul, 8), member("total_size", Int32ul)],
    label="dcbnl_buffer")
APP = c_struct(D, "dcb_app", "rtnl.dcb.app_struct", label="dcb_app",
               show={"selector": lambda v: f"{SELECTORS.get(v, 'unknown')} ({v})"})
# struct cee_pg { __u8 willing, error, pg_en, tcs_supported; __u8 pg_bw[8]; __u8 prio_pg[8]; }
CEE_PG = FixedStruct("cee_pg", "rtnl.dcb.cee.pg", [
    member("willing", Int8ul), member("error", Int8ul), member("pg_en", Int8ul), member("tcs_supported", Int8ul),
    member("pg_bw", Bytes(8), _u8s), member("prio_pg", Bytes(8), _u8s)], label="cee_pg")
CEE_PFC = c_struct(D, "cee_pfc", "rtnl.dcb.cee.pfc", label="cee_pfc")
PEER_APP_INFO = c_struct(D, "dcb_peer_app_info", "rtnl.dcb.cee.peer_app_info", label="dcb_peer_app_info")


def S(name, enum, strip, types, default="u8", label=None):
    return enum_set(name, f"rtnl.dcb.{name}", D, enum, strip, types, label=label or name, default=default)


# the CEE-era nests: a u8 per priority / traffic class, an _ALL flag asking for all of them
PFC_UP = S("pfc_up", "dcbnl_pfc_up_attrs", "DCB_PFC_UP_ATTR_", {"ALL": "flag"})
TC_PARAM = S("tc_param", "dcbnl_tc_attrs", "DCB_TC_ATTR_PARAM_", {"ALL": "flag"})
PG = S("pg", "dcbnl_pg_attrs", "DCB_PG_ATTR_", {
    **{f"TC_{i}": a("nest", nested=TC_PARAM) for i in range(8)}, "TC_ALL": a("nest", nested=TC_PARAM),
    "BW_ID_ALL": "flag"})
CAP = S("cap", "dcbnl_cap_attrs", "DCB_CAP_ATTR_", {"ALL": "flag", "DCBX": a("u8", flags=DCBX_MODES)})
NUMTCS = S("numtcs", "dcbnl_numtcs_attrs", "DCB_NUMTCS_ATTR_", {"ALL": "flag"})
BCN = S("bcn", "dcbnl_bcn_attrs", "DCB_BCN_ATTR_", {
    "RP_ALL": "flag", "ALL": "flag", **{n: "u32" for n in ("BCNA_0", "BCNA_1", "ALPHA", "BETA", "GD", "GI", "TMAX",
                                                            "TD", "RMIN", "W", "RD", "RU", "WRTT", "RI", "C")}})
APP_ATTRS = S("app", "dcbnl_app_attrs", "DCB_APP_ATTR_", {"ID": "u16"})
FEATCFG = S("featcfg", "dcbnl_featcfg_attrs", "DCB_FEATCFG_ATTR_", {"ALL": "flag"})
IEEE_APP = S("ieee.app_table", "ieee_attrs_app", "DCB_ATTR_", {
    "IEEE_APP": a("struct", struct=APP), "DCB_APP": a("struct", struct=APP)}, default="binary", label="app table")
IEEE = S("ieee", "ieee_attrs", "DCB_ATTR_", {
    "IEEE_ETS": a("struct", struct=IEEE_ETS), "IEEE_PFC": a("struct", struct=IEEE_PFC),
    "IEEE_APP_TABLE": a("nest", nested=IEEE_APP), "IEEE_PEER_ETS": a("struct", struct=IEEE_ETS),
    "IEEE_PEER_PFC": a("struct", struct=IEEE_PFC), "IEEE_PEER_APP": a("nest", nested=IEEE_APP),
    "IEEE_MAXRATE": a("struct", struct=IEEE_MAXRATE), "IEEE_QCN": a("struct", struct=IEEE_QCN),
    "IEEE_QCN_STATS": a("struct", struct=IEEE_QCN_STATS), "DCB_BUFFER": a("struct", struct=BUFFER),
    # APP_TRUST_TABLE: the selectors trusted, in order (one DCB_ATTR_DCB_APP_TRUST u8 each, dcbnl.c)
    "DCB_APP_TRUST_TABLE": a("nest", nested=S("ieee.app_trust", "ieee_attrs_app", "DCB_ATTR_", {}, default="u8")),
    "DCB_REWR_TABLE": a("nest", nested=IEEE_APP)}, default="binary", label="IEEE 802.1Qaz")
PEER_APP = S("cee.peer_app", "peer_app_attr", "DCB_ATTR_CEE_PEER_", {
    "APP_INFO": a("struct", struct=PEER_APP_INFO), "APP": a("struct", struct=APP)}, default="binary")
CEE_APP = S("cee.app_table", "cee_attrs_app", "DCB_ATTR_CEE_", {"APP": a("nest", nested=APP_ATTRS)}, default="binary")
CEE = S("cee", "cee_attrs", "DCB_ATTR_CEE_", {
    "PEER_PG": a("struct", struct=CEE_PG), "PEER_PFC": a("struct", struct=CEE_PFC),
    "PEER_APP_TABLE": a("nest", nested=PEER_APP), "TX_PG": a("nest", nested=PG), "RX_PG": a("nest", nested=PG),
    "PFC": a("nest", nested=PFC_UP), "APP_TABLE": a("nest", nested=CEE_APP), "FEAT": a("nest", nested=FEATCFG)},
    default="binary", label="CEE")
DCB_ATTRS = enum_set("dcb", "rtnl.dcb", D, "dcbnl_attrs", "DCB_ATTR_", {
    "IFNAME": "string", "STATE": "u8", "PFC_STATE": "u8", "PFC_CFG": a("nest", nested=PFC_UP),
    "NUM_TC": a("nest", nested=NUMTCS), "PG_CFG": a("nest", nested=PG), "SET_ALL": "u8",
    "PERM_HWADDR": a("binary", hint="mac"), "CAP": a("nest", nested=CAP), "NUMTCS": a("nest", nested=NUMTCS),
    "BCN": a("nest", nested=BCN), "APP": a("nest", nested=APP_ATTRS), "IEEE": a("nest", nested=IEEE),
    "DCBX": a("u8", flags=DCBX_MODES), "FEATCFG": a("nest", nested=FEATCFG), "CEE": a("nest", nested=CEE)},
    label="data center bridging")


@info(("rtnl.dcb.ifname",))   # the command is in dcbmsg
def dcb_info(root) -> str:
    """`IEEE_GET t1` (dcbmsg's command and the interface)."""
    cmd = top(root, "rtnl.dcb.cmd")
    name = COMMANDS.get(cmd, str(cmd)).removeprefix("DCB_CMD_") if cmd is not None else ""
    return " ".join(p for p in (name, top(root, "rtnl.dcb.ifname")) if p)


add_types(["RTM_GETDCB", "RTM_SETDCB"], DCBMSG, DCB_ATTRS, dcb_info)
