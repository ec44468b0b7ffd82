"""MAC80211_HWSIM: mac80211_hwsim's simulated radios (wmediumd's medium, hwsim_mgmt's and iw's
`NEW_RADIO`), drivers/net/wireless/virtual/mac80211_hwsim.c.

Radios are made, listed and removed (NEW_RADIO, GET_RADIO, DEL_RADIO: announced to the
"config" group too); a medium daemon that REGISTERs receives every frame a radio sends
(HWSIM_CMD_FRAME: transmitter, the 802.11 frame, flags, TX rates, a cookie) and answers with
TX_INFO_FRAME (ACK status, signal) and FRAMEs it delivers to receivers (with their frequency
and signal).  The header is no UAPI (drivers/net/wireless/virtual/mac80211_hwsim.h); the
commands' and attributes' numbers are its enums'.
"""
from __future__ import annotations

import struct

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import DEL, GET, NEW, OTHER, GenlFamily, MessageType, register_genl_family
from .cenum import Header
from .nl80211 import CIPHERS, IFTYPES
from .nl80211_frames import decode_ieee80211_frame
from .protocol import top_attrs

# drivers/net/wireless/virtual/mac80211_hwsim.h (6.12; 6.1 lacks PMSR_* and MULTI_RADIO, appended)
H = Header("drivers/net/wireless/virtual/mac80211_hwsim.h")
H.enum("hwsim_commands", "UNSPEC REGISTER FRAME TX_INFO_FRAME NEW_RADIO DEL_RADIO GET_RADIO ADD_MAC_ADDR "
       "DEL_MAC_ADDR START_PMSR ABORT_PMSR REPORT_PMSR __MAX", "HWSIM_CMD_")
H.enum("hwsim_attrs", "UNSPEC ADDR_RECEIVER ADDR_TRANSMITTER FRAME FLAGS RX_RATE SIGNAL TX_INFO COOKIE CHANNELS "
       "RADIO_ID REG_HINT_ALPHA2 REG_CUSTOM_REG REG_STRICT_REG SUPPORT_P2P_DEVICE USE_CHANCTX "
       "DESTROY_RADIO_ON_CLOSE RADIO_NAME NO_VIF FREQ PAD TX_INFO_FLAGS PERM_ADDR IFTYPE_SUPPORT CIPHER_SUPPORT "
       "MLO_SUPPORT PMSR_SUPPORT PMSR_REQUEST PMSR_RESULT MULTI_RADIO __MAX", "HWSIM_ATTR_")
# enum hwsim_tx_control_flags; enum hwsim_tx_rate_flags (MAC80211_HWSIM_TX_RC_*)
TX_CONTROL = {1: "HWSIM_TX_CTL_REQ_TX_STATUS", 2: "HWSIM_TX_CTL_NO_ACK", 4: "HWSIM_TX_STAT_ACK"}
RATE_FLAGS = {1 << i: n for i, n in enumerate((
    "USE_RTS_CTS", "USE_CTS_PROTECT", "USE_SHORT_PREAMBLE", "MCS", "GREEN_FIELD", "40_MHZ_WIDTH", "DUP_DATA",
    "SHORT_GI", "VHT_MCS", "80_MHZ_WIDTH", "160_MHZ_WIDTH"))}
IFTYPE_BITS = {1 << n: name[len("NL80211_IFTYPE_"):] for n, name in IFTYPES.items()}


def _rates(data: bytes) -> str:
    """struct hwsim_tx_rate[IEEE80211_TX_MAX_RATES]: {s8 idx; u8 count} packed; idx -1 ends."""
    out = []
    for i in range(0, len(data) - 1, 2):
        idx, count = struct.unpack_from("bB", data, i)
        if idx < 0:
            break
        out.append(f"{idx}x{count}")
    return ", ".join(out) or "none"


def _rate_flags(data: bytes) -> str:
    """struct hwsim_tx_rate_flag[IEEE80211_TX_MAX_RATES]: {s8 idx; u16 flags} packed (3 bytes)."""
    out = []
    for i in range(0, len(data) - 2, 3):
        idx, flags = struct.unpack_from("<bH", data, i)
        if idx < 0:
            break
        names = [n for b, n in RATE_FLAGS.items() if flags & b]
        out.append(f"{idx}: {'|'.join(names) or '0'}")
    return ", ".join(out) or "none"


# hwsim_genl_policy: addresses ETH_ADDR_COMPAT, FRAME binary (an 802.11 frame), FLAGS, RX_RATE,
# SIGNAL (a dBm value, negative: read as s32), CHANNELS, RADIO_ID, REG_CUSTOM_REG, FREQ (MHz),
# IFTYPE_SUPPORT (BIT(NL80211_IFTYPE_*)) u32, COOKIE u64, ALPHA2 and RADIO_NAME strings (the
# kernel puts the name without its NUL), the booleans flags, CIPHER_SUPPORT an array of u32
# suites, the PMSR capabilities, request and result nests of nl80211's peer measurement
HWSIM = enum_set("hwsim", "hwsim", H, "hwsim_attrs", "HWSIM_ATTR_", {
    "ADDR_RECEIVER": a("binary", hint="mac"), "ADDR_TRANSMITTER": a("binary", hint="mac"),
    "FRAME": a("binary", decode=decode_ieee80211_frame), "FLAGS": a("u32", flags=TX_CONTROL), "RX_RATE": "u32",
    "SIGNAL": a("s32", unit="dBm"), "TX_INFO": a("binary", show=_rates), "COOKIE": a("u64", show=hex),
    "CHANNELS": "u32", "RADIO_ID": "u32", "REG_HINT_ALPHA2": "string", "REG_CUSTOM_REG": "u32",
    "REG_STRICT_REG": "flag", "SUPPORT_P2P_DEVICE": "flag", "USE_CHANCTX": "flag", "DESTROY_RADIO_ON_CLOSE": "flag",
    "RADIO_NAME": "string", "NO_VIF": "flag", "FREQ": a("u32", unit="MHz"), "PAD": "pad",
    "TX_INFO_FLAGS": a("binary", show=_rate_flags), "PERM_ADDR": a("binary", hint="mac"),
    "IFTYPE_SUPPORT": a("u32", flags=IFTYPE_BITS), "CIPHER_SUPPORT": a("array", sub="u32", enum=CIPHERS),
    "MLO_SUPPORT": "flag", "PMSR_SUPPORT": a("binary", hint="hex"), "PMSR_REQUEST": a("binary", hint="hex"),
    "PMSR_RESULT": a("binary", hint="hex"), "MULTI_RADIO": "flag"}, label="MAC80211_HWSIM")


@info()
def hwsim_info(root) -> str:
    """`radio 2 name phy2 channels 1 p2p chanctx`, `frame from 02:00:00:00:00:00 freq 2412 MHz
    signal -50 dBm`, `tx status 02:00:00:00:01:00 ack cookie 0x1`."""
    v = top_attrs(root, "hwsim.")
    parts = []
    for key, word in (("radio_id", "radio"), ("radio_name", "name"), ("channels", "channels"),
                      ("reg_hint_alpha2", "alpha2"), ("reg_custom_reg", "custom_reg"), ("perm_addr", "addr"),
                      ("addr_transmitter", "from"), ("addr_receiver", "to"), ("freq", "freq"), ("signal", "signal"),
                      ("rx_rate", "rate"), ("cookie", "cookie")):
        if key in v:
            parts.append(f"{word} {v[key].text or v[key].value}")
    for key, word in (("support_p2p_device", "p2p"), ("use_chanctx", "chanctx"), ("reg_strict_reg", "strict"),
                      ("destroy_radio_on_close", "destroy_on_close"), ("no_vif", "no_vif"), ("mlo_support", "mlo"),
                      ("multi_radio", "multi_radio")):
        if key in v:
            parts.append(word)
    if "flags" in v and v["flags"].value & 4:
        parts.append("ack")
    return " ".join(parts)


_KINDS = {"NEW_RADIO": NEW, "ADD_MAC_ADDR": NEW, "DEL_RADIO": DEL, "DEL_MAC_ADDR": DEL, "GET_RADIO": GET,
          "START_PMSR": NEW, "ABORT_PMSR": DEL}
CMDS = {getattr(H, c): c for c in H.ENUMS["hwsim_commands"] if not c.startswith("__") and not c.endswith("UNSPEC")}
register_genl_family(GenlFamily("MAC80211_HWSIM", "hwsim", {
    n: MessageType(0, name, _KINDS.get(name[len("HWSIM_CMD_"):], OTHER), None, HWSIM, info=hwsim_info)
    for n, name in CMDS.items()}, HWSIM))
