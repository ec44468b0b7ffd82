"""nl80211: the wireless configuration family (iw, wpa_supplicant, hostapd, NetworkManager).

Every command and attribute name comes from the installed <linux/nl80211.h> through
`tools/gen_uapi.py` (dissectors/generated/nl80211.py); this module gives their types,
following the kernel's nl80211 policy and the attributes it puts in replies.  Attributes
whose type is not listed are shown named with their raw bytes.  Nests decoded: wiphy
bands (frequencies, bitrates, iftype data), interface combinations, supported and
software iftypes, frame types, regulatory rules, BSS (with information elements parsed
by `ieee80211_ies`), station info (rates, BSS parameters, TID stats), station flags, keys
and their default types, GTK rekey data, survey info, TXQ stats, scan SSIDs and frequencies,
supported commands and vendor commands.  The frames (management frames, SAE authentication
data, EAPOL over the control port) are decoded by `nl80211_frames`.
"""
from __future__ import annotations

from construct import Int32ul

from ...core.attrs import FULL, AttrSet, a, decode_attrs, enum_set, malformed
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import FixedStruct, flags_show, member, names_from
from ...generated import nl80211 as N
from ...model import FIELDS, UINT, Node
from .ieee80211_ies import decode_beacon_head, decode_ies, ssid_of
from .nl80211_frames import (ETH_P_PAE, ETH_P_PREAUTH, decode_eapol, decode_ether_eapol, decode_fils_auth_data,
                             decode_ht_cap, decode_ieee80211_frame, decode_rates, decode_sae_auth_data,
                             decode_vht_cap, eapol_summary, frame_summary)

CMD_NAMES = names_from(N, "NL80211_CMD_", "nl80211_commands", exclude=("UNSPEC", "MAX"))
IFTYPES = names_from(N, "NL80211_IFTYPE_", "nl80211_iftype", exclude=("UNSPECIFIED", "MAX"))
BANDS = names_from(N, "NL80211_BAND_", "nl80211_band", exclude=("ATTR_MAX", "MAX"))
CHAN_WIDTHS = names_from(N, "NL80211_CHAN_WIDTH_", "nl80211_chan_width", exclude=())
CHAN_TYPES = names_from(N, "NL80211_CHAN_", "nl80211_channel_type", exclude=())
BSS_STATUS = names_from(N, "NL80211_BSS_STATUS_", "nl80211_bss_status", exclude=())
BSS_USE_FOR = names_from(N, "NL80211_BSS_USE_FOR_", "nl80211_bss_use_for", exclude=())
BSS_CANNOT_USE = names_from(N, "NL80211_BSS_CANNOT_USE_", "nl80211_bss_cannot_use_reasons", exclude=())
AUTH_TYPES = names_from(N, "NL80211_AUTHTYPE_", "nl80211_auth_type", exclude=("MAX",))
PS_STATES = names_from(N, "NL80211_PS_", "nl80211_ps_state", exclude=())
REG_INITIATORS = names_from(N, "NL80211_REGDOM_SET_BY_", "nl80211_reg_initiator", exclude=())
REG_TYPES = names_from(N, "NL80211_REGDOM_TYPE_", "nl80211_reg_type", exclude=())
DFS_REGIONS = names_from(N, "NL80211_DFS_", "nl80211_dfs_regions", exclude=())
DFS_STATES = names_from(N, "NL80211_DFS_", "nl80211_dfs_state", exclude=())
PLINK_STATES = names_from(N, "NL80211_PLINK_", "nl80211_plink_state", exclude=())
MESH_PM = names_from(N, "NL80211_MESH_POWER_", "nl80211_mesh_power_mode", exclude=("MAX",))
TX_POWER = names_from(N, "NL80211_TX_POWER_", "nl80211_tx_power_setting", exclude=())
KEY_TYPES = names_from(N, "NL80211_KEYTYPE_", "nl80211_key_type", exclude=())
MFP = names_from(N, "NL80211_MFP_", "nl80211_mfp", exclude=())
SMPS = names_from(N, "NL80211_SMPS_", "nl80211_smps_mode", exclude=("MAX",))
USER_REG_HINT = names_from(N, "NL80211_USER_REG_HINT_", "nl80211_user_reg_hint_type", exclude=())
CIPHERS = {0x000FAC01: "WEP-40", 0x000FAC02: "TKIP", 0x000FAC04: "CCMP-128", 0x000FAC05: "WEP-104",
           0x000FAC06: "BIP-CMAC-128", 0x000FAC08: "GCMP-128", 0x000FAC09: "GCMP-256", 0x000FAC0A: "CCMP-256",
           0x000FAC0B: "BIP-GMAC-128", 0x000FAC0C: "BIP-GMAC-256", 0x000FAC0D: "BIP-CMAC-256"}
AKMS = {0x000FAC00 + k: v for k, v in {1: "802.1X", 2: "PSK", 3: "FT-802.1X", 4: "FT-PSK", 5: "802.1X-SHA256",
                                        6: "PSK-SHA256", 8: "SAE", 9: "FT-SAE", 18: "OWE"}.items()}
FEATURE_FLAGS = names_from(N, "NL80211_FEATURE_", "nl80211_feature_flags", exclude=())
PROTOCOL_FEATURES = names_from(N, "NL80211_PROTOCOL_FEATURE_", "nl80211_protocol_features", exclude=())
SCAN_FLAGS = names_from(N, "NL80211_SCAN_FLAG_", "nl80211_scan_flags", exclude=())
RXMGMT_FLAGS = names_from(N, "NL80211_RXMGMT_FLAG_", "nl80211_rxmgmt_flags", exclude=())
EXT_FEATURES = names_from(N, "NL80211_EXT_FEATURE_", "nl80211_ext_feature_index", exclude=("MAX",))


def _mhz(v):
    return f"{v} MHz"


def _mbm(v):
    return f"{v / 100:g} dBm" if isinstance(v, int) else str(v)


F_ETHERTYPE = FIELDS.add("nl80211.control_port_ethertype.value", "Ethertype", UINT,
                         "the control port's ethertype (host order, nla_get_u16)")


def _control_port_ethertype(buf, start, end, order, req):
    """NL80211_ATTR_CONTROL_PORT_ETHERTYPE: a u16 in requests (nl80211_policy: NLA_U16, read by
    nl80211_crypto_settings), an empty flag in the wiphy dump (nl80211_send_wiphy puts it with
    nla_put_flag when WIPHY_FLAG_CONTROL_PORT_PROTOCOL is set)."""
    if end == start:
        return []   # the flag: shown "set" (WIPHY_FLAG_CONTROL_PORT_PROTOCOL)
    if end - start != 2:
        return [malformed(buf, start, end, f"expected 2 bytes (u16) or none (flag), got {end - start}")]
    v = int.from_bytes(buf[start:end], "little" if order == "<" else "big")
    return [Node(F_ETHERTYPE, v, start, 2, f"{v:#06x}" + (" (EAPOL)" if v == 0x888E else ""))]


_CONTROL_PORT_ETHERTYPE = a("binary", decode=_control_port_ethertype, show=lambda d: "" if d else "set")


def _ext_features(data: bytes) -> str:
    names = [EXT_FEATURES[i][len("NL80211_EXT_FEATURE_"):] if i in EXT_FEATURES else str(i)
             for i in range(len(data) * 8) if data[i // 8] >> (i % 8) & 1]
    return ", ".join(names) or "none"


def S(name, strip, types, enum=None, label=None):
    return enum_set(name, f"nl80211.{name}", N, enum or f"nl80211_{name}", strip, types, label=label)


# --- nests ----------------------------------------------------------------------------
WMM = S("wmm_rule", "NL80211_WMMR_", {"CW_MIN": "u16", "CW_MAX": "u16", "AIFSN": "u8", "TXOP": "u16"})
FREQ = S("frequency_attr", "NL80211_FREQUENCY_ATTR_", {
    "FREQ": a("u32", show=_mhz), "DISABLED": "flag", "NO_IR": "flag", "NO_IBSS": "flag", "RADAR": "flag",
    "MAX_TX_POWER": a("u32", show=_mbm), "DFS_STATE": a("u32", enum=DFS_STATES), "DFS_TIME": a("u32", unit="ms"),
    "NO_HT40_MINUS": "flag", "NO_HT40_PLUS": "flag", "NO_80MHZ": "flag", "NO_160MHZ": "flag",
    "DFS_CAC_TIME": a("u32", unit="ms"), "INDOOR_ONLY": "flag", "IR_CONCURRENT": "flag", "NO_20MHZ": "flag",
    "NO_10MHZ": "flag", "WMM": a("indexed-array", sub="nest", nested=WMM), "NO_HE": "flag", "OFFSET": a("u32", unit="kHz"),
    "1MHZ": "flag", "2MHZ": "flag", "4MHZ": "flag", "8MHZ": "flag", "16MHZ": "flag", "NO_320MHZ": "flag",
    "NO_EHT": "flag", "PSD": a("s8", unit="dBm/MHz"), "DFS_CONCURRENT": "flag", "NO_6GHZ_VLP_CLIENT": "flag",
    "NO_6GHZ_AFC_CLIENT": "flag", "CAN_MONITOR": "flag", "ALLOW_6GHZ_VLP_AP": "flag", "ALLOW_20MHZ_ACTIVITY": "flag"},
    label="frequency")
BITRATE = S("bitrate_attr", "NL80211_BITRATE_ATTR_", {
    "RATE": a("u32", show=lambda v: f"{v / 10:g} Mb/s"), "2GHZ_SHORTPREAMBLE": "flag"}, label="bitrate")
IFTYPE_FLAGS = enum_set("iftypes", "nl80211.iftypes", N, "nl80211_iftype", "NL80211_IFTYPE_", {}, default="flag",
                        label="interface types")
IFTYPE_DATA = S("band_iftype_attr", "NL80211_BAND_IFTYPE_ATTR_", {
    "IFTYPES": a("nest", nested=IFTYPE_FLAGS), "HE_CAP_MAC": "binary", "HE_CAP_PHY": "binary",
    "HE_CAP_MCS_SET": "binary", "HE_CAP_PPE": "binary", "HE_6GHZ_CAPA": "u16", "VENDOR_ELEMS": a("binary", decode=decode_ies),
    "EHT_CAP_MAC": "binary", "EHT_CAP_PHY": "binary", "EHT_CAP_MCS_SET": "binary", "EHT_CAP_PPE": "binary"},
    label="iftype data")
BAND = S("band_attr", "NL80211_BAND_ATTR_", {
    "FREQS": a("indexed-array", sub="nest", nested=FREQ), "RATES": a("indexed-array", sub="nest", nested=BITRATE),
    "HT_MCS_SET": "binary", "HT_CAPA": a("u16", show=hex), "HT_AMPDU_FACTOR": "u8", "HT_AMPDU_DENSITY": "u8",
    "VHT_MCS_SET": "binary", "VHT_CAPA": a("u32", show=hex),
    "IFTYPE_DATA": a("indexed-array", sub="nest", nested=IFTYPE_DATA), "EDMG_CHANNELS": "u8", "EDMG_BW_CONFIG": "u8",
    "S1G_MCS_NSS_SET": "binary", "S1G_CAPA": "binary"},   # 802.11ah elements' fields, as the header says
    label="band")
BANDS_SET = enum_set("bands", "nl80211.bands", N, "nl80211_band", "NL80211_BAND_", {}, default="nest", label="bands")
for _s in BANDS_SET.by_num.values():
    _s.nested = BAND
IFACE_LIMIT = S("iface_limit_attrs", "NL80211_IFACE_LIMIT_", {
    "MAX": "u32", "TYPES": a("nest", nested=IFTYPE_FLAGS)}, label="interface limit")
COMB = S("if_combination_attrs", "NL80211_IFACE_COMB_", {
    "LIMITS": a("indexed-array", sub="nest", nested=IFACE_LIMIT), "MAXNUM": "u32", "STA_AP_BI_MATCH": "flag",
    "NUM_CHANNELS": "u32", "RADAR_DETECT_WIDTHS": "u32", "RADAR_DETECT_REGIONS": "u32", "BI_MIN_GCD": "u32"},
    label="interface combination")
FRAME_TYPES_ONE = AttrSet("frame_types", "nl80211.frame_types", {"NL80211_ATTR_FRAME_TYPE": a("u16", show=hex)}, N,
                          strip="NL80211_ATTR_", label="frame types")
FRAME_TYPES = enum_set("iftype_frames", "nl80211.iftype_frames", N, "nl80211_iftype", "NL80211_IFTYPE_", {},
                       default="nest", label="frame types by interface type")
for _s in FRAME_TYPES.by_num.values():
    _s.nested = FRAME_TYPES_ONE
REG_RULE = S("reg_rule_attr", "NL80211_ATTR_", {
    "REG_RULE_FLAGS": "u32", "FREQ_RANGE_START": a("u32", unit="kHz"), "FREQ_RANGE_END": a("u32", unit="kHz"),
    "FREQ_RANGE_MAX_BW": a("u32", unit="kHz"), "POWER_RULE_MAX_ANT_GAIN": a("u32", show=_mbm),
    "POWER_RULE_MAX_EIRP": a("u32", show=_mbm), "DFS_CAC_TIME": a("u32", unit="ms"),
    "POWER_RULE_PSD": a("s8", unit="dBm/MHz")},
    label="regulatory rule")
BSS = S("bss", "NL80211_BSS_", {
    "BSSID": a("binary", hint="mac"), "FREQUENCY": a("u32", show=_mhz), "TSF": "u64", "BEACON_INTERVAL": "u16",
    "CAPABILITY": a("u16", show=hex), "INFORMATION_ELEMENTS": a("binary", decode=decode_ies),
    "SIGNAL_MBM": a("s32", show=_mbm), "SIGNAL_UNSPEC": "u8", "STATUS": a("u32", enum=BSS_STATUS),
    "SEEN_MS_AGO": a("u32", unit="ms"), "BEACON_IES": a("binary", decode=decode_ies),
    "CHAN_WIDTH": "u32", "BEACON_TSF": "u64", "PRESP_DATA": "flag", "LAST_SEEN_BOOTTIME": a("u64", unit="ns"),
    "PAD": "pad", "PARENT_TSF": "u64", "PARENT_BSSID": a("binary", hint="mac"),
    "CHAIN_SIGNAL": a("indexed-array", sub="s8"), "FREQUENCY_OFFSET": a("u32", unit="kHz"),
    "MLO_LINK_ID": "u8", "MLD_ADDR": a("binary", hint="mac"), "USE_FOR": a("u32", flags=BSS_USE_FOR),
    "CANNOT_USE_REASONS": a("u64", flags=BSS_CANNOT_USE)}, label="BSS")
# what the wiphy advertises (MAX_INTERFACES, MAX_EMA_PROFILE_PERIODICITY) and an AP's
# configuration; types from nl80211_mbssid_config_policy
MBSSID_CONFIG = S("mbssid_config", "NL80211_MBSSID_CONFIG_ATTR_", {
    "MAX_INTERFACES": "u8", "MAX_EMA_PROFILE_PERIODICITY": "u8", "INDEX": "u8", "TX_IFINDEX": "u32", "EMA": "flag"},
    enum="nl80211_mbssid_config_attributes", label="multiple BSSID")
RATE = S("rate_info", "NL80211_RATE_INFO_", {
    "BITRATE": a("u16", show=lambda v: f"{v / 10:g} Mb/s"), "MCS": "u8", "40_MHZ_WIDTH": "flag", "SHORT_GI": "flag",
    "BITRATE32": a("u32", show=lambda v: f"{v / 10:g} Mb/s"), "VHT_MCS": "u8", "VHT_NSS": "u8",
    "80_MHZ_WIDTH": "flag", "80P80_MHZ_WIDTH": "flag", "160_MHZ_WIDTH": "flag", "10_MHZ_WIDTH": "flag",
    "5_MHZ_WIDTH": "flag", "HE_MCS": "u8", "HE_NSS": "u8", "HE_GI": "u8", "HE_DCM": "u8", "HE_RU_ALLOC": "u8",
    "320_MHZ_WIDTH": "flag", "EHT_MCS": "u8", "EHT_NSS": "u8", "EHT_GI": "u8", "EHT_RU_ALLOC": "u8",
    "S1G_MCS": "u8", "S1G_NSS": "u8", "1_MHZ_WIDTH": "flag", "2_MHZ_WIDTH": "flag", "4_MHZ_WIDTH": "flag",
    "8_MHZ_WIDTH": "flag", "16_MHZ_WIDTH": "flag"},
    label="rate")
STA_BSS = S("sta_bss_param", "NL80211_STA_BSS_PARAM_", {
    "CTS_PROT": "flag", "SHORT_PREAMBLE": "flag", "SHORT_SLOT_TIME": "flag", "DTIM_PERIOD": "u8",
    "BEACON_INTERVAL": "u16"}, label="BSS parameters")
TXQ_STATS = S("txq_stats", "NL80211_TXQ_STATS_", {
    "BACKLOG_BYTES": "u32", "BACKLOG_PACKETS": "u32", "FLOWS": "u32", "DROPS": "u32", "ECN_MARKS": "u32",
    "OVERLIMIT": "u32", "OVERMEMORY": "u32", "COLLISIONS": "u32", "TX_BYTES": "u32", "TX_PACKETS": "u32",
    "MAX_FLOWS": "u32"}, label="TXQ stats")
TID_STATS = S("tid_stats", "NL80211_TID_STATS_", {
    "RX_MSDU": "u64", "TX_MSDU": "u64", "TX_MSDU_RETRIES": "u64", "TX_MSDU_FAILED": "u64", "PAD": "pad",
    "TXQ_STATS": a("nest", nested=TXQ_STATS)}, label="TID stats")
# struct nl80211_sta_flag_update: which station flags the message speaks of, and which are set
# (bit n: NL80211_STA_FLAG_* n)
STA_FLAG_BITS = {1 << n: name[len("NL80211_STA_FLAG_"):] for n, name in
                 names_from(N, "NL80211_STA_FLAG_", exclude=("MAX",)).items() if n}
STA_FLAG_UPDATE = FixedStruct("nl80211_sta_flag_update", "nl80211.sta_flag_update", [
    member("mask", Int32ul, flags_show(STA_FLAG_BITS), flags=STA_FLAG_BITS),
    member("set", Int32ul, flags_show(STA_FLAG_BITS), flags=STA_FLAG_BITS)], label="nl80211_sta_flag_update")
STA_INFO = S("sta_info", "NL80211_STA_INFO_", {
    "INACTIVE_TIME": a("u32", unit="ms"), "RX_BYTES": "u32", "TX_BYTES": "u32", "LLID": "u16", "PLID": "u16",
    "PLINK_STATE": a("u8", enum=PLINK_STATES), "SIGNAL": a("s8", unit="dBm"), "TX_BITRATE": a("nest", nested=RATE),
    "RX_PACKETS": "u32", "TX_PACKETS": "u32", "TX_RETRIES": "u32", "TX_FAILED": "u32",
    "SIGNAL_AVG": a("s8", unit="dBm"), "RX_BITRATE": a("nest", nested=RATE), "BSS_PARAM": a("nest", nested=STA_BSS),
    "CONNECTED_TIME": a("u32", unit="s"), "STA_FLAGS": a("struct", struct=STA_FLAG_UPDATE), "BEACON_LOSS": "u32",
    "T_OFFSET": "s64",
    "LOCAL_PM": a("u32", enum=MESH_PM), "PEER_PM": a("u32", enum=MESH_PM), "NONPEER_PM": a("u32", enum=MESH_PM),
    "RX_BYTES64": "u64", "TX_BYTES64": "u64", "CHAIN_SIGNAL": a("indexed-array", sub="s8"),
    "CHAIN_SIGNAL_AVG": a("indexed-array", sub="s8"), "EXPECTED_THROUGHPUT": a("u32", unit="kbit/s"),
    "RX_DROP_MISC": "u64", "BEACON_RX": "u64", "BEACON_SIGNAL_AVG": a("s8", unit="dBm"),
    "TID_STATS": a("indexed-array", sub="nest", nested=TID_STATS), "RX_DURATION": a("u64", unit="us"),
    "PAD": "pad", "ACK_SIGNAL": a("s8", unit="dBm"), "ACK_SIGNAL_AVG": a("s8", unit="dBm"), "RX_MPDUS": "u32",
    "FCS_ERROR_COUNT": "u32", "CONNECTED_TO_GATE": "u8", "TX_DURATION": a("u64", unit="us"),
    "AIRTIME_WEIGHT": "u16", "AIRTIME_LINK_METRIC": "u32", "ASSOC_AT_BOOTTIME": a("u64", unit="ns"),
    "CONNECTED_TO_AS": "u8"}, label="station info")
# flags of nl80211_key_default_policy (NLA_FLAG): the default key for unicast, for multicast
KEY_DEFAULT_TYPES = enum_set("key_default_types", "nl80211.key_default_types", N, "nl80211_key_default_types",
                             "NL80211_KEY_DEFAULT_TYPE_", {}, default="flag", label="key default types")


def _pn(data: bytes) -> str:
    """NL80211_KEY_SEQ: "each six bytes in little endian" (nl80211.h), the key's IV/PN."""
    return f"{int.from_bytes(data, 'little')} ({data.hex()})" if data else "(empty)"


_KEY_SEQ = a("binary", show=_pn)
KEY = S("key_attributes", "NL80211_KEY_", {
    "DATA": a("binary", show=None), "IDX": "u8", "CIPHER": a("u32", enum=CIPHERS), "SEQ": _KEY_SEQ,
    "DEFAULT": "flag", "DEFAULT_MGMT": "flag", "TYPE": a("u32", enum=KEY_TYPES),
    "DEFAULT_TYPES": a("nest", nested=KEY_DEFAULT_TYPES), "MODE": "u8", "DEFAULT_BEACON": "flag"}, label="key")
# NL80211_ATTR_STA_FLAGS, the old API: a flag per NL80211_STA_FLAG_* set (sta_flags_policy,
# parse_station_flags)
STA_FLAGS = enum_set("sta_flags", "nl80211.sta_flags", N, "nl80211_sta_flags", "NL80211_STA_FLAG_", {},
                     default="flag", label="station flags")
# GTK rekey offload (nl80211_rekey_policy): KEK and KCK are key material (secrets.py redacts
# them by name); the replay counter is EAPOL-Key's, big endian (802.11-2020 12.7.2)
REKEY_DATA = S("rekey_data", "NL80211_REKEY_DATA_", {
    "KEK": "binary", "KCK": "binary", "REPLAY_CTR": a("binary", show=lambda d: str(int.from_bytes(d, "big"))),
    "AKM": a("u32", enum=AKMS)}, label="GTK rekey data")
# struct nl80211_vendor_cmd_info: what the wiphy lists in VENDOR_DATA and VENDOR_EVENTS, one
# attribute per command numbered from 1 (nl80211_send_wiphy, nla_nest_start_noflag)
VENDOR_CMD_INFO = FixedStruct("nl80211_vendor_cmd_info", "nl80211.vendor_cmd_info", [
    member("vendor_id", Int32ul, lambda v: f"{v:06x}"), member("subcmd", Int32ul)], label="vendor command")
VENDOR_CMDS = AttrSet("vendor_cmds", "nl80211.vendor_cmds", {}, {}, label="vendor commands",
                      default=a("struct", struct=VENDOR_CMD_INFO))


def _vendor_cmds(buf, start, end, order="<", req=FULL):
    """The wiphy's vendor commands or events; a hook, so that VENDOR_DATA stays the bytes it
    is in the VENDOR command (the vendor's own data)."""
    return decode_attrs(buf, start, end, VENDOR_CMDS, order, 0, req)


_VENDOR_CMDS = a("binary", decode=_vendor_cmds)
SURVEY = S("survey_info", "NL80211_SURVEY_INFO_", {
    "FREQUENCY": a("u32", show=_mhz), "NOISE": a("s8", unit="dBm"), "IN_USE": "flag", "TIME": a("u64", unit="ms"),
    "TIME_BUSY": a("u64", unit="ms"), "TIME_EXT_BUSY": a("u64", unit="ms"), "TIME_RX": a("u64", unit="ms"),
    "TIME_TX": a("u64", unit="ms"), "TIME_SCAN": a("u64", unit="ms"), "PAD": "pad",
    "TIME_BSS_RX": a("u64", unit="ms"), "FREQUENCY_OFFSET": a("u32", unit="kHz")}, label="survey")
TXQ_PARAMS = S("txq_attr", "NL80211_TXQ_ATTR_", {
    "AC": "u8", "TXOP": "u16", "CWMIN": "u16", "CWMAX": "u16", "AIFS": "u8"}, label="TX queue parameters")
SCHED_MATCH = S("sched_scan_match_attr", "NL80211_SCHED_SCAN_MATCH_", {
    "ATTR_SSID": "binary", "ATTR_RSSI": "s32", "ATTR_RELATIVE_RSSI": "s32", "ATTR_RSSI_ADJUST": "binary",
    "ATTR_BSSID": a("binary", hint="mac"), "PER_BAND_RSSI": "nest"}, label="scheduled scan match")
SCHED_PLAN = S("sched_scan_plan", "NL80211_SCHED_SCAN_PLAN_", {"INTERVAL": a("u32", unit="s"), "ITERATIONS": "u32"},
               label="scheduled scan plan")
MNTR_FLAGS = enum_set("mntr_flags", "nl80211.mntr_flags", N, "nl80211_mntr_flags", "NL80211_MNTR_FLAG_", {},
                      default="flag", label="monitor flags")
STA_WME = S("sta_wme_attr", "NL80211_STA_WME_", {"UAPSD_QUEUES": "u8", "MAX_SP": "u8"}, label="station WME")
# NL80211_ATTR_MESH_CONFIG: the types of nl80211_meshconf_params_policy, which
# nl80211_get_mesh_config() (GET_MESH_CONFIG's answer) puts the same way; units as
# <linux/nl80211.h> documents them (and iw prints them)
MPATH_FLAGS = names_from(N, "NL80211_MPATH_FLAG_", "nl80211_mpath_flags", exclude=())
_MESHCONF_TYPES = {
    "RETRY_TIMEOUT": a("u16", unit="ms"), "CONFIRM_TIMEOUT": a("u16", unit="ms"), "HOLDING_TIMEOUT": a("u16", unit="ms"),
    "MAX_PEER_LINKS": "u16", "MAX_RETRIES": "u8", "TTL": "u8", "ELEMENT_TTL": "u8", "AUTO_OPEN_PLINKS": "u8",
    "HWMP_MAX_PREQ_RETRIES": "u8", "PATH_REFRESH_TIME": a("u32", unit="ms"),
    "MIN_DISCOVERY_TIMEOUT": a("u16", unit="ms"), "HWMP_ACTIVE_PATH_TIMEOUT": a("u32", unit="TU"),
    "HWMP_PREQ_MIN_INTERVAL": a("u16", unit="TU"), "HWMP_NET_DIAM_TRVS_TIME": a("u16", unit="TU"),
    "HWMP_ROOTMODE": "u8", "HWMP_RANN_INTERVAL": a("u16", unit="TU"), "GATE_ANNOUNCEMENTS": "u8",
    "HWMP_PERR_MIN_INTERVAL": a("u16", unit="TU"), "FORWARDING": "u8", "RSSI_THRESHOLD": a("s32", unit="dBm"),
    "SYNC_OFFSET_MAX_NEIGHBOR": "u32", "HT_OPMODE": a("u16", show=hex),
    "HWMP_PATH_TO_ROOT_TIMEOUT": a("u32", unit="TU"), "HWMP_ROOT_INTERVAL": a("u16", unit="TU"),
    "HWMP_CONFIRMATION_INTERVAL": a("u16", unit="TU"), "POWER_MODE": a("u32", enum=MESH_PM),
    "AWAKE_WINDOW": a("u16", unit="TU"), "PLINK_TIMEOUT": a("u32", unit="s"), "CONNECTED_TO_GATE": "u8",
    "NOLEARN": "u8", "CONNECTED_TO_AS": "u8"}
MESHCONF = S("meshconf", "NL80211_MESHCONF_", _MESHCONF_TYPES, enum="nl80211_meshconf_params", label="mesh configuration")
# nl80211_get_mesh_config() opens the NL80211_ATTR_MESH_CONFIG nest and puts NL80211_ATTR_IFINDEX
# (a u32) in it before the NL80211_MESHCONF_* values: inside the nest its number, 3, is
# NL80211_MESHCONF_HOLDING_TIMEOUT's (a u16), which follows later.  A reader that parses the nest
# (iw: nla_parse_nested) keeps the last of the two, the real holding timeout; the first is
# shown for what it is, the interface index (a payload of 4 bytes, where the timeout's is 2)
MESHCONF_REPLY = S("meshconf", "NL80211_MESHCONF_", {**_MESHCONF_TYPES, "HOLDING_TIMEOUT": a(
    "u16", unit="ms", sized={4: (
    "ifindex", "NL80211_ATTR_IFINDEX (put in the nest by nl80211_get_mesh_config)", a("u32"))})},
    enum="nl80211_meshconf_params", label="mesh configuration")


def _mesh_config(buf, start, end, order, req):
    """NL80211_ATTR_MESH_CONFIG of a request (SET_MESH_CONFIG, JOIN_MESH): NL80211_MESHCONF_*."""
    return decode_attrs(buf, start, end, MESHCONF, order, 1, req)


def _mesh_config_reply(buf, start, end, order, req):
    """NL80211_ATTR_MESH_CONFIG of a GET_MESH_CONFIG answer: MESHCONF_REPLY, its 4-byte
    attribute 3 the interface index."""
    return decode_attrs(buf, start, end, MESHCONF_REPLY, order, 1, req)


def _ssid_text(d: bytes) -> str:
    """A mesh id (up to 32 bytes, no terminator) as iw prints it: its text."""
    return d.decode("utf-8", "backslashreplace")


_MESH_CONFIG_SHOW = lambda d: f"{len(d)} bytes"   # noqa: E731 (the members are its children)
# NL80211_ATTR_MESH_SETUP of JOIN_MESH (nl80211_mesh_setup_params_policy, nl80211_parse_mesh_setup)
MESH_SETUP = S("mesh_setup", "NL80211_MESH_SETUP_", {
    "ENABLE_VENDOR_PATH_SEL": "u8", "ENABLE_VENDOR_METRIC": "u8", "IE": a("binary", decode=decode_ies), "USERSPACE_AUTH": "flag",
    "USERSPACE_AMPE": "flag", "ENABLE_VENDOR_SYNC": "u8", "USERSPACE_MPM": "flag", "AUTH_PROTOCOL": "u8"},
    enum="nl80211_mesh_setup_params", label="mesh setup")
# NL80211_ATTR_MPATH_INFO: what nl80211_send_mpath() puts for a mesh path
MPATH_INFO = S("mpath_info", "NL80211_MPATH_INFO_", {
    "FRAME_QLEN": "u32", "SN": "u32", "METRIC": "u32", "EXPTIME": a("u32", unit="ms"),
    "FLAGS": a("u8", flags=MPATH_FLAGS), "DISCOVERY_TIMEOUT": a("u32", unit="ms"), "DISCOVERY_RETRIES": "u8",
    "HOP_COUNT": "u8", "PATH_CHANGE": "u32"}, label="mesh path")
CQM = S("attr_cqm", "NL80211_ATTR_CQM_", {
    "RSSI_THOLD": "binary", "RSSI_HYST": "u32", "RSSI_THRESHOLD_EVENT": "u32", "PKT_LOSS_EVENT": "u32",
    "TXE_RATE": "u32", "TXE_PKTS": "u32", "TXE_INTVL": "u32", "BEACON_LOSS_EVENT": "flag", "RSSI_LEVEL": "s32"},
    label="connection quality monitor")

# --- the top level --------------------------------------------------------------------
_IES = a("binary", decode=decode_ies)
_RATES = a("binary", decode=decode_rates)
_HT_CAP, _VHT_CAP = a("binary", decode=decode_ht_cap), a("binary", decode=decode_vht_cap)
# AUTH_DATA: an Authentication frame's body from its sequence number on, for the algorithms
# that need it (nl80211_authenticate refuses it with any other NL80211_ATTR_AUTH_TYPE)
_AUTH_DATA = a("submsg", selector="NL80211_ATTR_AUTH_TYPE", choices={
    N.NL80211_AUTHTYPE_SAE: decode_sae_auth_data, N.NL80211_AUTHTYPE_FILS_SK: decode_fils_auth_data,
    N.NL80211_AUTHTYPE_FILS_SK_PFS: decode_fils_auth_data, N.NL80211_AUTHTYPE_FILS_PK: decode_fils_auth_data})
NL80211_TYPES = {
    "WIPHY": "u32", "WIPHY_NAME": "string", "IFINDEX": "u32", "IFNAME": "string",
    "IFTYPE": a("u32", enum=IFTYPES), "MAC": a("binary", hint="mac"), "KEY_DATA": "binary", "KEY_IDX": "u8",
    "KEY_CIPHER": a("u32", enum=CIPHERS), "KEY_SEQ": _KEY_SEQ, "KEY_DEFAULT": "flag", "BEACON_INTERVAL": "u32",
    "DTIM_PERIOD": "u32", "BEACON_HEAD": a("binary", decode=decode_beacon_head), "BEACON_TAIL": _IES, "STA_AID": "u16",
    "STA_FLAGS": a("nest", nested=STA_FLAGS), "STA_LISTEN_INTERVAL": "u16",
    "STA_SUPPORTED_RATES": _RATES, "STA_VLAN": "u32",
    "STA_INFO": a("nest", nested=STA_INFO), "WIPHY_BANDS": a("nest", nested=BANDS_SET),
    "MNTR_FLAGS": a("nest", nested=MNTR_FLAGS), "MESH_ID": a("binary", show=_ssid_text), "STA_PLINK_ACTION": "u8",
    "MPATH_NEXT_HOP": a("binary", hint="mac"), "MPATH_INFO": a("nest", nested=MPATH_INFO), "BSS_CTS_PROT": "u8",
    "BSS_SHORT_PREAMBLE": "u8", "BSS_SHORT_SLOT_TIME": "u8", "HT_CAPABILITY": _HT_CAP,
    "SUPPORTED_IFTYPES": a("nest", nested=IFTYPE_FLAGS), "REG_ALPHA2": "string",
    "REG_RULES": a("indexed-array", sub="nest", nested=REG_RULE), "MESH_CONFIG": a("binary", decode=_mesh_config, show=_MESH_CONFIG_SHOW), "BSS_BASIC_RATES": _RATES,
    "WIPHY_TXQ_PARAMS": a("indexed-array", sub="nest", nested=TXQ_PARAMS), "WIPHY_FREQ": a("u32", show=_mhz),
    "WIPHY_CHANNEL_TYPE": a("u32", enum=CHAN_TYPES), "KEY_DEFAULT_MGMT": "flag", "MGMT_SUBTYPE": "u8", "IE": _IES,
    "MAX_NUM_SCAN_SSIDS": "u8", "SCAN_FREQUENCIES": a("indexed-array", sub="u32"),
    "SCAN_SSIDS": a("indexed-array", sub="binary"), "GENERATION": "u32", "BSS": a("nest", nested=BSS),
    "REG_INITIATOR": a("u8", enum=REG_INITIATORS), "REG_TYPE": a("u8", enum=REG_TYPES),
    "SUPPORTED_COMMANDS": a("indexed-array", sub="u32", enum=CMD_NAMES),
    "FRAME": a("binary", decode=decode_ieee80211_frame),
    "SSID": "string",
    "AUTH_TYPE": a("u32", enum=AUTH_TYPES), "REASON_CODE": "u16", "KEY_TYPE": a("u32", enum=KEY_TYPES),
    "MAX_SCAN_IE_LEN": "u16", "CIPHER_SUITES": a("array", sub="u32"), "FREQ_BEFORE": "nest", "FREQ_AFTER": "nest",
    "FREQ_FIXED": "flag", "WIPHY_RETRY_SHORT": "u8", "WIPHY_RETRY_LONG": "u8", "WIPHY_FRAG_THRESHOLD": "u32",
    "WIPHY_RTS_THRESHOLD": "u32", "TIMED_OUT": "flag", "USE_MFP": a("u32", enum=MFP),
    "STA_FLAGS2": a("struct", struct=STA_FLAG_UPDATE),
    "CONTROL_PORT": "flag", "TESTDATA": "binary", "PRIVACY": "flag", "DISCONNECTED_BY_AP": "flag",
    "STATUS_CODE": "u16", "CIPHER_SUITES_PAIRWISE": a("array", sub="u32"), "CIPHER_SUITE_GROUP": a("u32", enum=CIPHERS),
    "WPA_VERSIONS": "u32", "AKM_SUITES": a("array", sub="u32"), "REQ_IE": _IES, "RESP_IE": _IES,
    "PREV_BSSID": a("binary", hint="mac"), "KEY": a("nest", nested=KEY),
    "KEYS": a("indexed-array", sub="nest", nested=KEY), "PID": "u32", "4ADDR": "u8",
    "SURVEY_INFO": a("nest", nested=SURVEY), "PMKID": "binary", "MAX_NUM_PMKIDS": "u8", "DURATION": a("u32", unit="ms"),
    "COOKIE": a("u64", show=hex), "WIPHY_COVERAGE_CLASS": "u8", "TX_RATES": "nest", "FRAME_MATCH": "binary",
    "ACK": "flag", "PS_STATE": a("u32", enum=PS_STATES), "CQM": a("nest", nested=CQM), "LOCAL_STATE_CHANGE": "flag",
    "AP_ISOLATE": "u8", "WIPHY_TX_POWER_SETTING": a("u32", enum=TX_POWER), "WIPHY_TX_POWER_LEVEL": a("u32", show=_mbm),
    "TX_FRAME_TYPES": a("nest", nested=FRAME_TYPES), "RX_FRAME_TYPES": a("nest", nested=FRAME_TYPES),
    "FRAME_TYPE": a("u16", show=hex), "CONTROL_PORT_ETHERTYPE": _CONTROL_PORT_ETHERTYPE, "CONTROL_PORT_NO_ENCRYPT": "flag",
    "SUPPORT_IBSS_RSN": "flag", "WIPHY_ANTENNA_TX": a("u32", show=hex), "WIPHY_ANTENNA_RX": a("u32", show=hex),
    "MCAST_RATE": "u32", "OFFCHANNEL_TX_OK": "flag", "BSS_HT_OPMODE": "u16", 
    "KEY_DEFAULT_TYPES": a("nest", nested=KEY_DEFAULT_TYPES),
    "MAX_REMAIN_ON_CHANNEL_DURATION": a("u32", unit="ms"), "MESH_SETUP": a("nest", nested=MESH_SETUP),
    "WIPHY_ANTENNA_AVAIL_TX": a("u32", show=hex), "WIPHY_ANTENNA_AVAIL_RX": a("u32", show=hex),
    "SUPPORT_MESH_AUTH": "flag", "STA_PLINK_STATE": a("u8", enum=PLINK_STATES), "WOWLAN_TRIGGERS": "nest",
    "WOWLAN_TRIGGERS_SUPPORTED": "nest", "SCHED_SCAN_INTERVAL": a("u32", unit="ms"),
    "INTERFACE_COMBINATIONS": a("indexed-array", sub="nest", nested=COMB),
    "SOFTWARE_IFTYPES": a("nest", nested=IFTYPE_FLAGS), "REKEY_DATA": a("nest", nested=REKEY_DATA),
    "MAX_NUM_SCHED_SCAN_SSIDS": "u8",
    "MAX_SCHED_SCAN_IE_LEN": "u16", "SCAN_SUPP_RATES": "nest", "HIDDEN_SSID": "u32", "IE_PROBE_RESP": _IES,
    "IE_ASSOC_RESP": _IES, "STA_WME": a("nest", nested=STA_WME), "SUPPORT_AP_UAPSD": "flag", "ROAM_SUPPORT": "flag",
    "SCHED_SCAN_MATCH": a("indexed-array", sub="nest", nested=SCHED_MATCH), "MAX_MATCH_SETS": "u8",
    "PMKSA_CANDIDATE": "nest", "TX_NO_CCK_RATE": "flag", "TDLS_ACTION": "u8", "TDLS_DIALOG_TOKEN": "u8",
    "TDLS_OPERATION": "u8", "TDLS_SUPPORT": "flag", "TDLS_EXTERNAL_SETUP": "flag", "DEVICE_AP_SME": "u32",
    "DONT_WAIT_FOR_ACK": "flag", "FEATURE_FLAGS": a("u32", flags=FEATURE_FLAGS), "PROBE_RESP_OFFLOAD": "u32",
    "PROBE_RESP": a("binary", decode=decode_beacon_head), "DFS_REGION": a("u8", enum=DFS_REGIONS), "DISABLE_HT": "flag",
    "HT_CAPABILITY_MASK": _HT_CAP, "NOACK_MAP": "u16", "INACTIVITY_TIMEOUT": a("u16", unit="s"),
    "RX_SIGNAL_DBM": a("u32", show=lambda v: f"{v - (1 << 32) if v >= 1 << 31 else v} dBm"),
    "BG_SCAN_PERIOD": "u16", "WDEV": a("u64", show=hex), "USER_REG_HINT_TYPE": a("u32", enum=USER_REG_HINT),
    "CONN_FAILED_REASON": "u32", "AUTH_DATA": _AUTH_DATA, "VHT_CAPABILITY": _VHT_CAP,
    "SCAN_FLAGS": a("u32", flags=SCAN_FLAGS), "CHANNEL_WIDTH": a("u32", enum=CHAN_WIDTHS),
    "CENTER_FREQ1": a("u32", show=_mhz), "CENTER_FREQ2": a("u32", show=_mhz), "P2P_CTWINDOW": "u8", "P2P_OPPPS": "u8",
    "LOCAL_MESH_POWER_MODE": a("u32", enum=MESH_PM), "ACL_POLICY": "u32",
    "MAC_ADDRS": a("indexed-array", sub="binary", hint="mac"), "MAC_ACL_MAX": "u32", "RADAR_EVENT": "u32",
    "EXT_CAPA": "binary", "EXT_CAPA_MASK": "binary", "STA_CAPABILITY": "u16", "STA_EXT_CAPABILITY": "binary",
    "PROTOCOL_FEATURES": a("u32", flags=PROTOCOL_FEATURES), "SPLIT_WIPHY_DUMP": "flag", "DISABLE_VHT": "flag",
    "VHT_CAPABILITY_MASK": _VHT_CAP, "MDID": "u16", "IE_RIC": "binary", "CRIT_PROT_ID": "u16",
    "MAX_CRIT_PROT_DURATION": "u16", "PEER_AID": "u16", "COALESCE_RULE": "nest", "CH_SWITCH_COUNT": "u32",
    "CH_SWITCH_BLOCK_TX": "flag", "CSA_IES": "nest", "CNTDWN_OFFS_BEACON": "binary", "CNTDWN_OFFS_PRESP": "binary",
    "RXMGMT_FLAGS": a("u32", flags=RXMGMT_FLAGS), "STA_SUPPORTED_CHANNELS": "binary",
    "STA_SUPPORTED_OPER_CLASSES": "binary", "HANDLE_DFS": "flag", "SUPPORT_5_MHZ": "flag", "SUPPORT_10_MHZ": "flag",
    "OPMODE_NOTIF": "u8", "VENDOR_ID": a("u32", show=lambda v: f"{v:06x}"), "VENDOR_SUBCMD": "u32",
    "VENDOR_DATA": "binary", "VENDOR_EVENTS": _VENDOR_CMDS, "QOS_MAP": "binary", "MAC_HINT": a("binary", hint="mac"),
    "WIPHY_FREQ_HINT": a("u32", show=_mhz), "MAX_AP_ASSOC_STA": "u32", "TDLS_PEER_CAPABILITY": "u32",
    "SOCKET_OWNER": "flag", "CSA_C_OFFSETS_TX": "binary", "MAX_CSA_COUNTERS": "u8", "TDLS_INITIATOR": "flag",
    "USE_RRM": "flag", "WIPHY_DYN_ACK": "flag", "TSID": "u8", "USER_PRIO": "u8", "ADMITTED_TIME": "u16",
    "SMPS_MODE": a("u8", enum=SMPS), "OPER_CLASS": "u8", "MAC_MASK": a("binary", hint="mac"),
    "WIPHY_SELF_MANAGED_REG": "flag", "EXT_FEATURES": a("binary", show=None), "SURVEY_RADIO_STATS": "flag",
    "NETNS_FD": "u32", "SCHED_SCAN_DELAY": a("u32", unit="s"), "REG_INDOOR": "flag", "MAX_NUM_SCHED_SCAN_PLANS": "u32",
    "MAX_SCAN_PLAN_INTERVAL": a("u32", unit="s"), "MAX_SCAN_PLAN_ITERATIONS": "u32",
    "SCHED_SCAN_PLANS": a("indexed-array", sub="nest", nested=SCHED_PLAN), "PBSS": "flag", "BSS_SELECT": "nest",
    "STA_SUPPORT_P2P_PS": "u8", "PAD": "pad", "IFTYPE_EXT_CAPA": "nest", "MU_MIMO_GROUP_DATA": "binary",
    "MU_MIMO_FOLLOW_MAC_ADDR": a("binary", hint="mac"), "SCAN_START_TIME_TSF": "u64",
    "SCAN_START_TIME_TSF_BSSID": a("binary", hint="mac"), "MEASUREMENT_DURATION": "u16",
    "MEASUREMENT_DURATION_MANDATORY": "flag", "MESH_PEER_AID": "u16", "NAN_MASTER_PREF": "u8",
    "BANDS": a("u32", flags={1 << v: n for v, n in BANDS.items()}), "NAN_FUNC": "nest", "NAN_MATCH": "nest",
    "FILS_KEK": "binary", "FILS_NONCES": "binary", "MULTICAST_TO_UNICAST_ENABLED": "flag",
    "BSSID": a("binary", hint="mac"), "SCHED_SCAN_RELATIVE_RSSI": "s8", "SCHED_SCAN_RSSI_ADJUST": "binary",
    "TIMEOUT_REASON": "u32", "FILS_ERP_USERNAME": "binary", "FILS_ERP_REALM": "binary",
    "FILS_ERP_NEXT_SEQ_NUM": "u16", "FILS_ERP_RRK": "binary", "FILS_CACHE_ID": "u16", "PMK": "binary",
    "SCHED_SCAN_MULTI": "flag", "SCHED_SCAN_MAX_REQS": "u32", "WANT_1X_4WAY_HS": "flag", "PMKR0_NAME": "binary",
    "PORT_AUTHORIZED": a("binary", hint="mac"), "EXTERNAL_AUTH_ACTION": "u32", "EXTERNAL_AUTH_SUPPORT": "flag",
    "NSS": "u8", "ACK_SIGNAL": "s32", "CONTROL_PORT_OVER_NL80211": "flag", "TXQ_STATS": a("nest", nested=TXQ_STATS),
    "TXQ_LIMIT": "u32", "TXQ_MEMORY_LIMIT": "u32", "TXQ_QUANTUM": "u32", "HE_CAPABILITY": "binary",
    "FTM_RESPONDER": "nest", "FTM_RESPONDER_STATS": "nest", "TIMEOUT": "u32", "PEER_MEASUREMENTS": "nest",
    "AIRTIME_WEIGHT": "u16", "STA_TX_POWER_SETTING": "u8", "STA_TX_POWER": "s16", "SAE_PASSWORD": "binary",
    "TWT_RESPONDER": "flag", "HE_OBSS_PD": "nest", "WIPHY_EDMG_CHANNELS": "u8", "WIPHY_EDMG_BW_CONFIG": "u8",
    "VLAN_ID": "u16", "HE_BSS_COLOR": "nest", "IFTYPE_AKM_SUITES": "nest", "TID_CONFIG": "nest",
    "CONTROL_PORT_NO_PREAUTH": "flag", "PMK_LIFETIME": "u32", "PMK_REAUTH_THRESHOLD": "u8",
    "RECEIVE_MULTICAST": "flag", "WIPHY_FREQ_OFFSET": a("u32", unit="kHz"), "CENTER_FREQ1_OFFSET": a("u32", unit="kHz"),
    "SCAN_FREQ_KHZ": a("indexed-array", sub="u32"), "HE_6GHZ_CAPABILITY": "binary", "FILS_DISCOVERY": "nest",
    "UNSOL_BCAST_PROBE_RESP": "nest", "S1G_CAPABILITY": "binary", "S1G_CAPABILITY_MASK": "binary",
    "SAE_PWE": "u8", "RECONNECT_REQUESTED": "flag", "SAR_SPEC": "nest", "DISABLE_HE": "flag",
    "OBSS_COLOR_BITMAP": "u64", "COLOR_CHANGE_COUNT": "u8", "COLOR_CHANGE_COLOR": "u8", "COLOR_CHANGE_ELEMS": "nest",
    "MBSSID_CONFIG": a("nest", nested=MBSSID_CONFIG), "MBSSID_ELEMS": "nest", "RADAR_BACKGROUND": "flag", "AP_SETTINGS_FLAGS": "u32",
    "EHT_CAPABILITY": "binary", "DISABLE_EHT": "flag", "MLO_LINKS": "nest", "MLO_LINK_ID": "u8",
    "MLD_ADDR": a("binary", hint="mac"), "MLO_SUPPORT": "flag", "MAX_NUM_AKM_SUITES": "u16",
    "MLO_LINK_DISABLED": "flag", "BSS_DUMP_INCLUDE_USE_DATA": "flag", "MLO_TTLM_DLINK": a("array", sub="u16"),
    "MLO_TTLM_ULINK": a("array", sub="u16"), "ASSOC_SPP_AMSDU": "flag", "VIF_RADIO_MASK": a("u32", show=hex),
}
NL80211_TYPES["EXT_FEATURES"].show = _ext_features
for _cipher in ("CIPHER_SUITES", "CIPHER_SUITES_PAIRWISE"):
    NL80211_TYPES[_cipher].enum = CIPHERS
NL80211_TYPES["AKM_SUITES"].enum = AKMS


def _top_level(**types) -> AttrSet:
    """The message's attributes, with `types` where one command gives an attribute another meaning."""
    return enum_set("attrs", "nl80211", N, "nl80211_attrs", "NL80211_ATTR_", {**NL80211_TYPES, **types},
                    label="nl80211")


ATTRS = _top_level()
# what NL80211_ATTR_FRAME and VENDOR_DATA hold in the commands where they are not an 802.11
# frame or a vendor command's data (see nl80211_frames; nl80211_send_wiphy for the wiphy's list)
ATTRS_BY_CMD = {
    N.NL80211_CMD_CONTROL_PORT_FRAME: _top_level(FRAME=a("binary", decode=decode_eapol)),
    N.NL80211_CMD_CONTROL_PORT_FRAME_TX_STATUS: _top_level(FRAME=a("binary", decode=decode_ether_eapol)),
    N.NL80211_CMD_NEW_WIPHY: _top_level(VENDOR_DATA=_VENDOR_CMDS),
    N.NL80211_CMD_GET_MESH_CONFIG: _top_level(MESH_CONFIG=a("binary", decode=_mesh_config_reply, show=_MESH_CONFIG_SHOW)),
}


@info(("nl80211.wiphy_name", "nl80211.ifname", "nl80211.reg_alpha2", "nl80211.ssid", "nl80211.iftype",
       "nl80211.wiphy_freq", "nl80211.mac", "nl80211.bss.bssid", "nl80211.bss.frequency",
       "nl80211.bss.information_elements", "nl80211.ps_state", "nl80211.sta_info.signal",
       "nl80211.ifindex", "nl80211.frame"))
def nl80211_info(root) -> str:
    """`phy0`, `wlan0 (ifindex 3) STATION`, `BSS 02:00:00:00:01:00 2412 MHz "nlscope-ap"`,
    `02:00:00:00:01:00 signal -30 dBm`, `Authentication 02:00:00:00:01:00 → 02:00:00:00:00:00
    2437 MHz` …; `ifindex 3` when the message names nothing else."""
    parts = []
    ifindex = None
    for c in root.children or ():
        ab = c.field.abbrev
        if ab == "nl80211.frame" and isinstance(c.value, bytes):
            parts.insert(0, frame_summary(c.value))
        elif ab in ("nl80211.wiphy_name", "nl80211.ifname", "nl80211.reg_alpha2", "nl80211.ssid"):
            parts.append(str(c.value))
        elif ab == "nl80211.iftype":
            parts.append(IFTYPES.get(c.value, str(c.value))[len("NL80211_IFTYPE_"):])
        elif ab == "nl80211.wiphy_freq":
            parts.append(f"{c.value} MHz")
        elif ab == "nl80211.mac" and isinstance(c.value, str):
            parts.append(c.value)
        elif ab == "nl80211.bss":
            for b in c.children or ():
                if b.field.abbrev in ("nl80211.bss.bssid",):
                    parts.append(f"BSS {b.value}")
                elif b.field.abbrev == "nl80211.bss.frequency":
                    parts.append(f"{b.value} MHz")
                elif b.field.abbrev == "nl80211.bss.information_elements" and isinstance(b.value, bytes):
                    ssid = ssid_of(b.value, 0, len(b.value))
                    if ssid is not None:
                        parts.append(f'"{ssid}"')
        elif ab == "nl80211.ps_state":
            parts.append(c.text or str(c.value))
        elif ab == "nl80211.sta_info":
            signal = c.first("nl80211.sta_info.signal")
            if signal is not None:
                parts.append(f"signal {signal} dBm")
        elif ab == "nl80211.ifindex":
            ifindex = c.value
    if not parts and ifindex is not None:
        parts.append(f"ifindex {ifindex}")
    return " ".join(dict.fromkeys(parts))


@info(("nl80211.frame", "nl80211.mac"))
def control_port_info(root) -> str:
    """`EAPOL-Key 1/4 02:00:00:00:01:00`: the packet and the peer (NL80211_ATTR_MAC: the
    destination of a request, the source of an event)."""
    frame, mac = root.first("nl80211.frame"), root.first("nl80211.mac")
    return " ".join(p for p in (eapol_summary(frame) if isinstance(frame, bytes) else "", mac) if p)


@info(("nl80211.frame",))
def control_port_status_info(root) -> str:
    """`EAPOL-Key 1/4 02:00:00:00:01:00`: the 802.3 frame's packet and destination."""
    frame = root.first("nl80211.frame")
    if not isinstance(frame, bytes) or len(frame) < 14:
        return ""
    eapol = int.from_bytes(frame[12:14], "big") in (ETH_P_PAE, ETH_P_PREAUTH)
    return " ".join(p for p in (eapol_summary(frame[14:]) if eapol else "", frame[:6].hex(":")) if p)


INFOS_BY_CMD = {N.NL80211_CMD_CONTROL_PORT_FRAME: control_port_info,
                N.NL80211_CMD_CONTROL_PORT_FRAME_TX_STATUS: control_port_status_info}
COMMANDS = {num: MessageType(0, name, kind_from_name(name), None, ATTRS_BY_CMD.get(num, ATTRS),
                             info=INFOS_BY_CMD.get(num, nl80211_info))
            for num, name in CMD_NAMES.items()}
NL80211 = register_genl_family(GenlFamily("nl80211", "nl80211", COMMANDS, ATTRS))
