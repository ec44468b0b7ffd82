"""802.15.4 MAC: the legacy IEEE 802.15.4 family (the old lowpan-tools' `iz listphy|list|add|del`),
net/ieee802154/netlink.c, nl-phy.c, nl-mac.c; nl802154 replaced it, but the kernel still
registers it (CONFIG_IEEE802154_SOCKET's ieee802154 module).

One flat attribute set (ieee802154_policy in nl_policy.c) for every command: the phys with
their pages and channels, interfaces with their addresses, the MAC's parameters and its
link-layer security (keys, devices, levels: LLSEC_*).  A 64-bit hardware address is sent
as an u64 (nla_put_hwaddr() swaps the little-endian address), short address and PAN id as
u16; the key bytes are redacted (core/secrets.py).  The enums are those of
include/linux/nl802154.h, no UAPI.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import DEL, GET, NEW, OTHER, GenlFamily, MessageType, register_genl_family
from .cenum import Header
from .protocol import top_attrs

H = Header("include/linux/nl802154.h")
H.enum("IEEE802154_ATTR", "__INVALID DEV_NAME DEV_INDEX STATUS SHORT_ADDR HW_ADDR PAN_ID CHANNEL COORD_SHORT_ADDR "
       "COORD_HW_ADDR COORD_PAN_ID SRC_SHORT_ADDR SRC_HW_ADDR SRC_PAN_ID DEST_SHORT_ADDR DEST_HW_ADDR DEST_PAN_ID "
       "CAPABILITY REASON SCAN_TYPE CHANNELS DURATION ED_LIST BCN_ORD SF_ORD PAN_COORD BAT_EXT COORD_REALIGN SEC "
       "PAGE CHANNEL_PAGE_LIST PHY_NAME DEV_TYPE TXPOWER LBT_ENABLED CCA_MODE CCA_ED_LEVEL CSMA_RETRIES "
       "CSMA_MIN_BE CSMA_MAX_BE FRAME_RETRIES LLSEC_ENABLED LLSEC_SECLEVEL LLSEC_KEY_MODE LLSEC_KEY_SOURCE_SHORT "
       "LLSEC_KEY_SOURCE_EXTENDED LLSEC_KEY_ID LLSEC_FRAME_COUNTER LLSEC_KEY_BYTES LLSEC_KEY_USAGE_FRAME_TYPES "
       "LLSEC_KEY_USAGE_COMMANDS LLSEC_FRAME_TYPE LLSEC_CMD_FRAME_ID LLSEC_SECLEVELS LLSEC_DEV_OVERRIDE "
       "LLSEC_DEV_KEY_MODE PAD __MAX", "IEEE802154_ATTR_")
H.enum("IEEE802154_COMMAND", "__COMMAND_INVALID ASSOCIATE_REQ ASSOCIATE_CONF DISASSOCIATE_REQ DISASSOCIATE_CONF "
       "GET_REQ GET_CONF RESET_REQ RESET_CONF SCAN_REQ SCAN_CONF SET_REQ SET_CONF START_REQ START_CONF SYNC_REQ "
       "POLL_REQ POLL_CONF ASSOCIATE_INDIC ASSOCIATE_RESP DISASSOCIATE_INDIC BEACON_NOTIFY_INDIC ORPHAN_INDIC "
       "ORPHAN_RESP COMM_STATUS_INDIC SYNC_LOSS_INDIC GTS_REQ GTS_INDIC GTS_CONF RX_ENABLE_REQ RX_ENABLE_CONF "
       "LIST_IFACE LIST_PHY ADD_IFACE DEL_IFACE SET_MACPARAMS LLSEC_GETPARAMS LLSEC_SETPARAMS LLSEC_LIST_KEY "
       "LLSEC_ADD_KEY LLSEC_DEL_KEY LLSEC_LIST_DEV LLSEC_ADD_DEV LLSEC_DEL_DEV LLSEC_LIST_DEVKEY LLSEC_ADD_DEVKEY "
       "LLSEC_DEL_DEVKEY LLSEC_LIST_SECLEVEL LLSEC_ADD_SECLEVEL LLSEC_DEL_SECLEVEL __CMD_MAX", "IEEE802154_")
DEV_TYPES = {0: "IEEE802154_DEV_WPAN", 1: "IEEE802154_DEV_MONITOR"}


def _hwaddr(v: int) -> str:
    """The EUI-64 as nl802154's EXTENDED_ADDR and iwpan show it (`0x…`): nla_put_hwaddr() sent
    swab64() of the little-endian address, so the u64 read is the address byte-swapped."""
    return f"{int.from_bytes(v.to_bytes(8, 'little'), 'big'):#018x}"


HWADDR = a("u64", show=_hwaddr)
SHORT = a("u16", show=lambda v: f"{v:#06x}")
# ieee802154_policy (net/ieee802154/nl_policy.c): every member typed as there; SEC (no policy
# entry, never sent) and PAD as the kernel leaves them
MAC = enum_set("ieee802154", "ieee802154", H, "IEEE802154_ATTR", "IEEE802154_ATTR_", {
    "DEV_NAME": "string", "DEV_INDEX": "u32", "STATUS": "u8", "SHORT_ADDR": SHORT, "HW_ADDR": HWADDR,
    "PAN_ID": SHORT, "CHANNEL": "u8", "COORD_SHORT_ADDR": SHORT, "COORD_HW_ADDR": HWADDR, "COORD_PAN_ID": SHORT,
    "SRC_SHORT_ADDR": SHORT, "SRC_HW_ADDR": HWADDR, "SRC_PAN_ID": SHORT, "DEST_SHORT_ADDR": SHORT,
    "DEST_HW_ADDR": HWADDR, "DEST_PAN_ID": SHORT, "CAPABILITY": "u8", "REASON": "u8", "SCAN_TYPE": "u8",
    "CHANNELS": a("u32", show=lambda v: f"{v:#010x}"), "DURATION": "u8", "ED_LIST": a("binary", hint="hex"),
    "BCN_ORD": "u8", "SF_ORD": "u8", "PAN_COORD": "u8", "BAT_EXT": "u8", "COORD_REALIGN": "u8",
    "SEC": "u8", "PAGE": "u8", "CHANNEL_PAGE_LIST": a("array", sub="u32"), "PHY_NAME": "string",
    "DEV_TYPE": a("u8", enum=DEV_TYPES), "TXPOWER": a("s8", unit="dBm"), "LBT_ENABLED": "u8", "CCA_MODE": "u8",
    "CCA_ED_LEVEL": "s32", "CSMA_RETRIES": "u8", "CSMA_MIN_BE": "u8", "CSMA_MAX_BE": "u8", "FRAME_RETRIES": "s8",
    "LLSEC_ENABLED": "u8", "LLSEC_SECLEVEL": "u8", "LLSEC_KEY_MODE": "u8", "LLSEC_KEY_SOURCE_SHORT": "u32",
    "LLSEC_KEY_SOURCE_EXTENDED": HWADDR, "LLSEC_KEY_ID": "u8", "LLSEC_FRAME_COUNTER": "u32",
    "LLSEC_KEY_BYTES": a("binary", hint="secret"), "LLSEC_KEY_USAGE_FRAME_TYPES": "u8",
    "LLSEC_KEY_USAGE_COMMANDS": a("binary", hint="hex"), "LLSEC_FRAME_TYPE": "u8", "LLSEC_CMD_FRAME_ID": "u8",
    "LLSEC_SECLEVELS": "u8", "LLSEC_DEV_OVERRIDE": "u8", "LLSEC_DEV_KEY_MODE": "u8", "PAD": "pad"},
    label="802.15.4 MAC")


@info()
def mac_info(root) -> str:
    """`wpan-phy0 page 0 channel 11`, `wpan0 phy wpan-phy0 hw 7e:…:2a pan 0xffff short 0xfffd`."""
    v = top_attrs(root, "ieee802154.")
    parts = [str(v[k].value) for k in ("dev_name",) if k in v]
    if "phy_name" in v:
        parts.append(f"phy {v['phy_name'].value}" if parts else str(v["phy_name"].value))
    for key, word in (("dev_index", "index"), ("page", "page"), ("channel", "channel"), ("hw_addr", "hw"),
                      ("pan_id", "pan"), ("short_addr", "short"), ("txpower", "txpower"),
                      ("llsec_enabled", "llsec"), ("llsec_key_id", "key id"), ("status", "status")):
        if key in v:
            parts.append(f"{word} {v[key].text or v[key].value}")
    return " ".join(parts)


def _kind(name: str) -> str:
    word = name[len("IEEE802154_"):]
    if word.startswith(("LIST", "LLSEC_LIST", "LLSEC_GET", "GET")):
        return GET
    if word.startswith(("ADD", "LLSEC_ADD", "SET", "LLSEC_SET", "START", "ASSOCIATE_REQ")):
        return NEW
    if word.startswith(("DEL", "LLSEC_DEL", "DISASSOCIATE_REQ")):
        return DEL
    return OTHER


CMDS = {getattr(H, c): c for c in H.ENUMS["IEEE802154_COMMAND"] if not c.startswith("__")}
register_genl_family(GenlFamily("802.15.4 MAC", "ieee802154", {
    n: MessageType(0, name, _kind(name), None, MAC, info=mac_info) for n, name in CMDS.items()}, MAC))
