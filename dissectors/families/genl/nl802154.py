"""nl802154: IEEE 802.15.4 (WPAN) PHYs and interfaces (iwpan of wpan-tools), net/ieee802154/nl802154.c.

The kernel does not export <net/nl802154.h> as a UAPI header (wpan-tools carries a copy); its
security commands and attributes (NL802154_ATTR_SEC_*, NL802154_KEY_*, …) exist only with
CONFIG_IEEE802154_NL802154_EXPERIMENTAL, which Debian's kernels leave off, so they are not named.
Addresses and PAN ids are little-endian (nla_put_le16/le64): read as such on either byte order.
"""
from __future__ import annotations

from types import SimpleNamespace

from ...core.attrs import AttrSet, a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from .protocol import top_attrs

# Constants of 6.12's include/net/nl802154.h without the EXPERIMENTAL blocks, read by
# tools/gen_uapi.py's parser (6.1's header lacks the scan/beacon/association commands and the
# attributes from NL802154_ATTR_COORDINATOR on: every addition was appended, no number moved).
_ENUMS = {
    "nl802154_commands": {"NL802154_CMD_UNSPEC": 0, "NL802154_CMD_GET_WPAN_PHY": 1, "NL802154_CMD_SET_WPAN_PHY": 2,
        "NL802154_CMD_NEW_WPAN_PHY": 3, "NL802154_CMD_DEL_WPAN_PHY": 4, "NL802154_CMD_GET_INTERFACE": 5,
        "NL802154_CMD_SET_INTERFACE": 6, "NL802154_CMD_NEW_INTERFACE": 7, "NL802154_CMD_DEL_INTERFACE": 8,
        "NL802154_CMD_SET_CHANNEL": 9, "NL802154_CMD_SET_PAN_ID": 10, "NL802154_CMD_SET_SHORT_ADDR": 11,
        "NL802154_CMD_SET_TX_POWER": 12, "NL802154_CMD_SET_CCA_MODE": 13, "NL802154_CMD_SET_CCA_ED_LEVEL": 14,
        "NL802154_CMD_SET_MAX_FRAME_RETRIES": 15, "NL802154_CMD_SET_BACKOFF_EXPONENT": 16,
        "NL802154_CMD_SET_MAX_CSMA_BACKOFFS": 17, "NL802154_CMD_SET_LBT_MODE": 18,
        "NL802154_CMD_SET_ACKREQ_DEFAULT": 19, "NL802154_CMD_SET_WPAN_PHY_NETNS": 20, "NL802154_CMD_SET_SEC_PARAMS":
        21, "NL802154_CMD_GET_SEC_KEY": 22, "NL802154_CMD_NEW_SEC_KEY": 23, "NL802154_CMD_DEL_SEC_KEY": 24,
        "NL802154_CMD_GET_SEC_DEV": 25, "NL802154_CMD_NEW_SEC_DEV": 26, "NL802154_CMD_DEL_SEC_DEV": 27,
        "NL802154_CMD_GET_SEC_DEVKEY": 28, "NL802154_CMD_NEW_SEC_DEVKEY": 29, "NL802154_CMD_DEL_SEC_DEVKEY": 30,
        "NL802154_CMD_GET_SEC_LEVEL": 31, "NL802154_CMD_NEW_SEC_LEVEL": 32, "NL802154_CMD_DEL_SEC_LEVEL": 33,
        "NL802154_CMD_SCAN_EVENT": 34, "NL802154_CMD_TRIGGER_SCAN": 35, "NL802154_CMD_ABORT_SCAN": 36,
        "NL802154_CMD_SCAN_DONE": 37, "NL802154_CMD_SEND_BEACONS": 38, "NL802154_CMD_STOP_BEACONS": 39,
        "NL802154_CMD_ASSOCIATE": 40, "NL802154_CMD_DISASSOCIATE": 41, "NL802154_CMD_SET_MAX_ASSOCIATIONS": 42,
        "NL802154_CMD_LIST_ASSOCIATIONS": 43},
    "nl802154_attrs": {"NL802154_ATTR_UNSPEC": 0, "NL802154_ATTR_WPAN_PHY": 1, "NL802154_ATTR_WPAN_PHY_NAME": 2,
        "NL802154_ATTR_IFINDEX": 3, "NL802154_ATTR_IFNAME": 4, "NL802154_ATTR_IFTYPE": 5, "NL802154_ATTR_WPAN_DEV":
        6, "NL802154_ATTR_PAGE": 7, "NL802154_ATTR_CHANNEL": 8, "NL802154_ATTR_PAN_ID": 9,
        "NL802154_ATTR_SHORT_ADDR": 10, "NL802154_ATTR_TX_POWER": 11, "NL802154_ATTR_CCA_MODE": 12,
        "NL802154_ATTR_CCA_OPT": 13, "NL802154_ATTR_CCA_ED_LEVEL": 14, "NL802154_ATTR_MAX_FRAME_RETRIES": 15,
        "NL802154_ATTR_MAX_BE": 16, "NL802154_ATTR_MIN_BE": 17, "NL802154_ATTR_MAX_CSMA_BACKOFFS": 18,
        "NL802154_ATTR_LBT_MODE": 19, "NL802154_ATTR_GENERATION": 20, "NL802154_ATTR_CHANNELS_SUPPORTED": 21,
        "NL802154_ATTR_SUPPORTED_CHANNEL": 22, "NL802154_ATTR_EXTENDED_ADDR": 23, "NL802154_ATTR_WPAN_PHY_CAPS": 24,
        "NL802154_ATTR_SUPPORTED_COMMANDS": 25, "NL802154_ATTR_ACKREQ_DEFAULT": 26, "NL802154_ATTR_PAD": 27,
        "NL802154_ATTR_PID": 28, "NL802154_ATTR_NETNS_FD": 29, "NL802154_ATTR_COORDINATOR": 30,
        "NL802154_ATTR_SCAN_TYPE": 31, "NL802154_ATTR_SCAN_FLAGS": 32, "NL802154_ATTR_SCAN_CHANNELS": 33,
        "NL802154_ATTR_SCAN_PREAMBLE_CODES": 34, "NL802154_ATTR_SCAN_MEAN_PRF": 35, "NL802154_ATTR_SCAN_DURATION":
        36, "NL802154_ATTR_SCAN_DONE_REASON": 37, "NL802154_ATTR_BEACON_INTERVAL": 38,
        "NL802154_ATTR_MAX_ASSOCIATIONS": 39, "NL802154_ATTR_PEER": 40},
    "nl802154_iftype": {"NL802154_IFTYPE_UNSPEC": 0xFFFFFFFF, "NL802154_IFTYPE_NODE": 0, "NL802154_IFTYPE_MONITOR": 1,
        "NL802154_IFTYPE_COORD": 2},
    "nl802154_wpan_phy_capability_attr": {"NL802154_CAP_ATTR_IFTYPES": 1, "NL802154_CAP_ATTR_CHANNELS": 2,
        "NL802154_CAP_ATTR_TX_POWERS": 3, "NL802154_CAP_ATTR_CCA_ED_LEVELS": 4, "NL802154_CAP_ATTR_CCA_MODES": 5,
        "NL802154_CAP_ATTR_CCA_OPTS": 6, "NL802154_CAP_ATTR_MIN_MINBE": 7, "NL802154_CAP_ATTR_MAX_MINBE": 8,
        "NL802154_CAP_ATTR_MIN_MAXBE": 9, "NL802154_CAP_ATTR_MAX_MAXBE": 10, "NL802154_CAP_ATTR_MIN_CSMA_BACKOFFS":
        11, "NL802154_CAP_ATTR_MAX_CSMA_BACKOFFS": 12, "NL802154_CAP_ATTR_MIN_FRAME_RETRIES": 13,
        "NL802154_CAP_ATTR_MAX_FRAME_RETRIES": 14, "NL802154_CAP_ATTR_LBT": 15},
    "nl802154_coord": {"NL802154_COORD_PANID": 1, "NL802154_COORD_ADDR": 2, "NL802154_COORD_CHANNEL": 3,
        "NL802154_COORD_PAGE": 4, "NL802154_COORD_PREAMBLE_CODE": 5, "NL802154_COORD_MEAN_PRF": 6,
        "NL802154_COORD_SUPERFRAME_SPEC": 7, "NL802154_COORD_LINK_QUALITY": 8, "NL802154_COORD_GTS_PERMIT": 9,
        "NL802154_COORD_PAYLOAD_DATA": 10, "NL802154_COORD_PAD": 11},
    "nl802154_scan_types": {"NL802154_SCAN_ED": 1, "NL802154_SCAN_ACTIVE": 2, "NL802154_SCAN_PASSIVE": 3,
        "NL802154_SCAN_ORPHAN": 4, "NL802154_SCAN_ENHANCED_ACTIVE": 5, "NL802154_SCAN_RIT_PASSIVE": 6},
    "nl802154_scan_done_reasons": {"NL802154_SCAN_DONE_REASON_FINISHED": 1, "NL802154_SCAN_DONE_REASON_ABORTED": 2},
    "nl802154_cca_modes": {"NL802154_CCA_ENERGY": 1, "NL802154_CCA_CARRIER": 2, "NL802154_CCA_ENERGY_CARRIER": 3,
        "NL802154_CCA_ALOHA": 4, "NL802154_CCA_UWB_SHR": 5, "NL802154_CCA_UWB_MULTIPLEXED": 6},
    "nl802154_cca_opts": {"NL802154_CCA_OPT_ENERGY_CARRIER_AND": 0, "NL802154_CCA_OPT_ENERGY_CARRIER_OR": 1},
    "nl802154_supported_bool_states": {"NL802154_SUPPORTED_BOOL_FALSE": 0, "NL802154_SUPPORTED_BOOL_TRUE": 1,
        "NL802154_SUPPORTED_BOOL_BOTH": 3},
    "nl802154_dev_addr_modes": {"NL802154_DEV_ADDR_NONE": 0, "NL802154_DEV_ADDR_SHORT": 2,
        "NL802154_DEV_ADDR_EXTENDED": 3},
    "nl802154_dev_addr_attrs": {"NL802154_DEV_ADDR_ATTR_UNSPEC": 0, "NL802154_DEV_ADDR_ATTR_PAN_ID": 1,
        "NL802154_DEV_ADDR_ATTR_MODE": 2, "NL802154_DEV_ADDR_ATTR_SHORT": 3, "NL802154_DEV_ADDR_ATTR_EXTENDED": 4,
        "NL802154_DEV_ADDR_ATTR_PAD": 5, "NL802154_DEV_ADDR_ATTR_PEER_TYPE": 6},
    "nl802154_peer_type": {"NL802154_PEER_TYPE_UNSPEC": 0, "NL802154_PEER_TYPE_PARENT": 1,
        "NL802154_PEER_TYPE_CHILD": 2},
}
H = SimpleNamespace(ENUMS={t: tuple(m) for t, m in _ENUMS.items()},
                    **{k: v for m in _ENUMS.values() for k, v in m.items()})

CMDS = names_from(H, "NL802154_CMD_", "nl802154_commands")
IFTYPES = names_from(H, "NL802154_IFTYPE_", "nl802154_iftype", exclude=("MAX",))
CCA_MODES = names_from(H, "NL802154_CCA_", "nl802154_cca_modes")
CCA_OPTS = names_from(H, "NL802154_CCA_OPT_", "nl802154_cca_opts")
BOOL_STATES = names_from(H, "NL802154_SUPPORTED_BOOL_", "nl802154_supported_bool_states")
SCAN_TYPES = names_from(H, "NL802154_SCAN_", "nl802154_scan_types")
SCAN_DONE = names_from(H, "NL802154_SCAN_DONE_REASON_", "nl802154_scan_done_reasons")
ADDR_MODES = names_from(H, "NL802154_DEV_ADDR_", "nl802154_dev_addr_modes", exclude=("MAX",))
PEER_TYPES = names_from(H, "NL802154_PEER_TYPE_", "nl802154_peer_type")


def _named(attr, name: str):
    attr.name = name
    return attr


def _flags(name: str, names: dict[int, str], entry: str, label: str) -> AttrSet:
    """A nest of flags whose attribute numbers are bit numbers (nl802154_put_flags())."""
    return AttrSet(name, f"nl802154.{name}", {n: a("flag") for n in names.values()},
                   {n: v for v, n in names.items()}, strip="NL802154_", label=label, default=_named(a("flag"), entry))


HEX16 = a("u16", show=lambda v: f"{v:#06x}")
HEX64 = a("u64", show=lambda v: f"{v:#018x}")
def _mbm():
    return a("s32", show=lambda v: f"{v} mBm ({v / 100:g} dBm)")
# CHANNELS: a nest per channel page (attribute number = page), each a nest of channel flags
CHANNEL_FLAGS = AttrSet("channel_flags", "nl802154.channels", {}, {}, label="channels",
                        default=_named(a("flag"), "channel"))
PAGES = AttrSet("pages", "nl802154.pages", {}, {}, label="channel pages",
                default=_named(a("nest", nested=CHANNEL_FLAGS), "page"))
CAPS = enum_set("caps", "nl802154.caps", H, "nl802154_wpan_phy_capability_attr", "NL802154_CAP_ATTR_", {
    "IFTYPES": a("nest", nested=_flags("iftypes", IFTYPES, "iftype", "interface types")),
    "CHANNELS": a("nest", nested=PAGES),
    "TX_POWERS": a("nest", nested=AttrSet("tx_powers", "nl802154.tx_powers", {}, {}, label="TX powers",
                                          default=_named(_mbm(), "power"))),
    "CCA_ED_LEVELS": a("nest", nested=AttrSet("ed_levels", "nl802154.cca_ed_levels", {}, {}, label="CCA ED levels",
                                              default=_named(_mbm(), "level"))),
    "CCA_MODES": a("nest", nested=_flags("cca_modes", CCA_MODES, "mode", "CCA modes")),
    "CCA_OPTS": a("nest", nested=_flags("cca_opts", CCA_OPTS, "opt", "CCA options")),
    "MIN_MINBE": "u8", "MAX_MINBE": "u8", "MIN_MAXBE": "u8", "MAX_MAXBE": "u8", "MIN_CSMA_BACKOFFS": "u8",
    "MAX_CSMA_BACKOFFS": "u8", "MIN_FRAME_RETRIES": "s8", "MAX_FRAME_RETRIES": "s8",
    "LBT": a("u32", enum=BOOL_STATES)}, label="capabilities")
# nl802154_send_wpan_phy_channels(): one SUPPORTED_CHANNEL (a page's channel mask) per page
SUPPORTED = AttrSet("supported", "nl802154.channels_supported",
                    {"NL802154_ATTR_SUPPORTED_CHANNEL": a("u32", show=lambda v: f"{v:#010x}")},
                    {"NL802154_ATTR_SUPPORTED_CHANNEL": H.NL802154_ATTR_SUPPORTED_CHANNEL},
                    strip="NL802154_ATTR_", label="channels supported")
# nl802154_send_wpan_phy(): SUPPORTED_COMMANDS, a nest of u32 command numbers numbered from 0
COMMANDS = AttrSet("commands", "nl802154.supported_commands", {}, {}, label="supported commands",
                   default=_named(a("u32", enum=CMDS), "command"))
# nl802154_prep_scan_event_msg(): PANID 2 bytes, ADDR 2 or 8 (short or extended, little-endian)
COORD = enum_set("coord", "nl802154.coord", H, "nl802154_coord", "NL802154_COORD_", {
    "PANID": a("binary", hint="hex"), "ADDR": a("binary", hint="hex"), "CHANNEL": "u8", "PAGE": "u8",
    "PREAMBLE_CODE": "u8", "MEAN_PRF": "u8", "SUPERFRAME_SPEC": HEX16, "LINK_QUALITY": "u8", "GTS_PERMIT": "flag",
    "PAYLOAD_DATA": "binary", "PAD": "pad"}, label="coordinator")
PEER = enum_set("peer", "nl802154.peer", H, "nl802154_dev_addr_attrs", "NL802154_DEV_ADDR_ATTR_", {
    "PAN_ID": HEX16, "MODE": a("u32", enum=ADDR_MODES), "SHORT": HEX16, "EXTENDED": HEX64, "PAD": "pad",
    "PEER_TYPE": a("u8", enum=PEER_TYPES)}, label="peer")
# nl802154_policy
NL802154 = enum_set("nl802154", "nl802154", H, "nl802154_attrs", "NL802154_ATTR_", {
    "WPAN_PHY": "u32", "WPAN_PHY_NAME": "string", "IFINDEX": "u32", "IFNAME": "string",
    "IFTYPE": a("u32", enum=IFTYPES), "WPAN_DEV": a("u64", show=hex), "PAGE": "u8", "CHANNEL": "u8",
    "PAN_ID": HEX16, "SHORT_ADDR": HEX16, "TX_POWER": _mbm(), "CCA_MODE": a("u32", enum=CCA_MODES),
    "CCA_OPT": a("u32", enum=CCA_OPTS), "CCA_ED_LEVEL": _mbm(), "MAX_FRAME_RETRIES": "s8", "MAX_BE": "u8",
    "MIN_BE": "u8", "MAX_CSMA_BACKOFFS": "u8", "LBT_MODE": "u8", "GENERATION": "u32",
    "CHANNELS_SUPPORTED": a("nest", nested=SUPPORTED), "SUPPORTED_CHANNEL": a("u32", show=lambda v: f"{v:#010x}"),
    "EXTENDED_ADDR": HEX64, "WPAN_PHY_CAPS": a("nest", nested=CAPS), "SUPPORTED_COMMANDS": a("nest", nested=COMMANDS),
    "ACKREQ_DEFAULT": "u8", "PAD": "pad", "PID": "u32", "NETNS_FD": "u32", "COORDINATOR": a("nest", nested=COORD),
    "SCAN_TYPE": a("u8", enum=SCAN_TYPES), "SCAN_FLAGS": a("u32", show=hex), "SCAN_CHANNELS": a("u32", show=hex),
    "SCAN_PREAMBLE_CODES": a("u64", show=hex), "SCAN_MEAN_PRF": "u32", "SCAN_DURATION": "u8",
    "SCAN_DONE_REASON": a("u8", enum=SCAN_DONE), "BEACON_INTERVAL": "u8", "MAX_ASSOCIATIONS": "u32",
    "PEER": a("nest", nested=PEER)}, label="nl802154")


@info()
def nl802154_info(root) -> str:
    """`wpan0 node wpan-phy0 page 0 channel 11 pan_id 0xffff short_addr 0xffff`: the words of iwpan."""
    v = top_attrs(root, "nl802154.")
    parts = []
    if "ifname" in v:
        parts.append(v["ifname"].value)
    elif "ifindex" in v:
        parts.append(f"ifindex {v['ifindex'].value}")
    if "iftype" in v:
        parts.append(IFTYPES.get(v["iftype"].value, str(v["iftype"].value))[len("NL802154_IFTYPE_"):].lower())
    if "wpan_phy_name" in v:
        parts.append(v["wpan_phy_name"].value)
    elif "wpan_phy" in v:
        parts.append(f"phy {v['wpan_phy'].value}")
    for k in ("page", "channel", "pan_id", "short_addr", "extended_addr", "tx_power", "cca_ed_level"):
        if k in v:
            parts.append(f"{k} {v[k].show}")
    if "scan_type" in v:
        parts.append(f"scan {v['scan_type'].show}")
    return " ".join(parts)


register_genl_family(GenlFamily("nl802154", "nl802154", {
    n: MessageType(0, name, kind_from_name(name), None, NL802154, info=nl802154_info) for n, name in CMDS.items()},
    NL802154))
