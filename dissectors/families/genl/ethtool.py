"""ethtool: the netlink interface of the ethtool tool, names from <linux/ethtool_netlink.h>.

Requests and replies are numbered apart (ETHTOOL_MSG_USER_* / ETHTOOL_MSG_KERNEL_*), so
the command table is directional.  Each message group (LINKINFO, RINGS, FEATURES, …) has
its attribute set; every set starts with the common request header nest, bit sets
(features, link modes, WoL modes, …) are decoded as the kernel's compact or verbose
bitset nests, string sets as their indexed strings.  Scalars are shown by width.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import ethtool_netlink as E

HEADER_FLAGS = names_from(E, "ETHTOOL_FLAG_", exclude=("ALL",))


def S(group, types, label=None):
    return enum_set(group.lower(), f"ethtool.{group.lower()}", E, f"ETHTOOL_A_{group}_UNSPEC", f"ETHTOOL_A_{group}_",
                    types, label=label or group.lower().replace("_", " "), default="uint")


HEADER = S("HEADER", {"DEV_NAME": "string", "FLAGS": a("u32", flags=HEADER_FLAGS), "PHY_INDEX": "u32"},
           label="request header")
BIT = S("BITSET_BIT", {"NAME": "string", "VALUE": "flag"}, label="bit")
BITS = S("BITSET_BITS", {"BIT": a("nest", nested=BIT)}, label="bits")
BITSET = S("BITSET", {"NOMASK": "flag", "BITS": a("nest", nested=BITS), "VALUE": a("binary", hint="hex"),
                      "MASK": a("binary", hint="hex")}, label="bit set")
STRING = S("STRING", {"VALUE": "string"}, label="string")
STRINGS = S("STRINGS", {"STRING": a("nest", nested=STRING)}, label="strings")
STRINGSET = S("STRINGSET", {"STRINGS": a("nest", nested=STRINGS)}, label="string set")
STRINGSETS = S("STRINGSETS", {"STRINGSET": a("nest", nested=STRINGSET)}, label="string sets")
PAUSE_STAT = S("PAUSE_STAT", {"PAD": "pad"})
FEC_STAT = S("FEC_STAT", {"PAD": "pad", "CORRECTED": "binary", "UNCORR": "binary", "CORR_BITS": "binary"})
STATS_GRP = S("STATS_GRP", {"PAD": "pad", "STAT": "binary", "HIST_RX": "binary", "HIST_TX": "binary"})
CABLE_RESULT = S("CABLE_RESULT", {})
CABLE_FAULT = S("CABLE_FAULT_LENGTH", {})
CABLE_NEST = S("CABLE_NEST", {"RESULT": a("nest", nested=CABLE_RESULT), "FAULT_LENGTH": a("nest", nested=CABLE_FAULT)})
CABLE_TDR_CFG = S("CABLE_TEST_TDR_CFG", {})
UDP_ENTRY = S("TUNNEL_UDP_ENTRY", {"PORT": a("u16", big_endian=True)})
UDP_TABLE = S("TUNNEL_UDP_TABLE", {"TYPES": a("nest", nested=BITSET), "ENTRY": a("nest", nested=UDP_ENTRY)})
UDP = S("TUNNEL_UDP", {"TABLE": a("nest", nested=UDP_TABLE)})
IRQ_MODERATION = S("IRQ_MODERATION", {"USEC": "u32", "PKTS": "u32", "COMPS": "u32"}, label="irq moderation")
PROFILE = S("PROFILE", {"IRQ_MODERATION": a("nest", nested=IRQ_MODERATION)}, label="profile")
TS_STAT = S("TS_STAT", {}, label="timestamping stats")
MM_STAT = S("MM_STAT", {"PAD": "pad"}, label="mac merge stats")
C33_PW_LIMIT = enum_set("c33_pse_pw_limit", "ethtool.c33_pse_pw_limit", E, "ETHTOOL_A_C33_PSE_PW_LIMIT_UNSPEC",
                        "ETHTOOL_A_C33_PSE_PW_LIMIT_", {"MIN": "u32"}, label="power limit range", default="uint",
                        extra={"ETHTOOL_A_C33_PSE_PW_LIMIT_MAX": (E.ETHTOOL_A_C33_PSE_PW_LIMIT_MAX, a("u32"))})
_H = {"HEADER": a("nest", nested=HEADER)}
_BS = a("nest", nested=BITSET)
GROUPS = {
    "STRSET": S("STRSET", {**_H, "STRINGSETS": a("nest", nested=STRINGSETS), "COUNTS_ONLY": "flag"}),
    "LINKINFO": S("LINKINFO", _H), "LINKSTATE": S("LINKSTATE", _H),
    "LINKMODES": S("LINKMODES", {**_H, "OURS": _BS, "PEER": _BS}),
    "DEBUG": S("DEBUG", {**_H, "MSGMASK": _BS}),
    "WOL": S("WOL", {**_H, "MODES": _BS, "SOPASS": a("binary", hint="secret")}),
    "FEATURES": S("FEATURES", {**_H, "HW": _BS, "WANTED": _BS, "ACTIVE": _BS, "NOCHANGE": _BS}),
    "PRIVFLAGS": S("PRIVFLAGS", {**_H, "FLAGS": _BS}),
    "RINGS": S("RINGS", _H), "CHANNELS": S("CHANNELS", _H),
    "COALESCE": S("COALESCE", {**_H, "RX_PROFILE": a("nest", nested=PROFILE), "TX_PROFILE": a("nest", nested=PROFILE)}),
    "PAUSE": S("PAUSE", {**_H, "STATS": a("nest", nested=PAUSE_STAT)}),
    "EEE": S("EEE", {**_H, "MODES_OURS": _BS, "MODES_PEER": _BS}),
    "TSINFO": S("TSINFO", {**_H, "TIMESTAMPING": _BS, "TX_TYPES": _BS, "RX_FILTERS": _BS, "PHC_INDEX": "u32",
                          "STATS": a("nest", nested=TS_STAT)}),
    "CABLE_TEST": S("CABLE_TEST", _H),
    "CABLE_TEST_NTF": S("CABLE_TEST_NTF", {**_H, "NEST": a("nest", nested=CABLE_NEST)}),
    "CABLE_TEST_TDR": S("CABLE_TEST_TDR", {**_H, "CFG": a("nest", nested=CABLE_TDR_CFG)}),
    "CABLE_TEST_TDR_NTF": S("CABLE_TEST_TDR_NTF", {**_H, "NEST": "binary"}),
    "TUNNEL_INFO": S("TUNNEL_INFO", {**_H, "UDP_PORTS": a("nest", nested=UDP)}),
    "FEC": S("FEC", {**_H, "MODES": _BS, "AUTO": "u8", "ACTIVE": "u32", "STATS": a("nest", nested=FEC_STAT)}),
    "MODULE_EEPROM": S("MODULE_EEPROM", {**_H, "DATA": "binary"}),
    "STATS": S("STATS", {**_H, "PAD": "pad", "GROUPS": _BS, "GRP": a("nest", nested=STATS_GRP)}),
    "PHC_VCLOCKS": S("PHC_VCLOCKS", {**_H, "INDEX": "binary"}),
    "MODULE": S("MODULE", _H),
    "PSE": enum_set("pse", "ethtool.pse", E, "ETHTOOL_A_PSE_UNSPEC", "ETHTOOL_A_", {"PSE_HEADER": a("nest", nested=HEADER),
                    "C33_PSE_PW_LIMIT_RANGES": a("nest", nested=C33_PW_LIMIT)}, label="pse", default="uint"),
    "RSS": S("RSS", {**_H, "INDIR": a("array", sub="u32"), "HKEY": a("binary", hint="hex")}),
    "PLCA": S("PLCA", _H),
    "MM": S("MM", {**_H, "STATS": a("nest", nested=MM_STAT)}, label="mac merge"),
    "MODULE_FW_FLASH": S("MODULE_FW_FLASH", {**_H, "FILE_NAME": "string", "PASSWORD": "binary",
                                            "STATUS_MSG": "string"}, label="module firmware flash"),
    "PHY": S("PHY", {**_H, "DRVNAME": "string", "NAME": "string", "UPSTREAM_SFP_NAME": "string",
                     "DOWNSTREAM_SFP_NAME": "string"}),
}


def _group(name: str) -> str:
    """ETHTOOL_MSG_RINGS_GET_REPLY -> RINGS; the cable-test notifications have sets of their own."""
    g = name[len("ETHTOOL_MSG_"):]
    ntf = g.endswith("_NTF")
    for suffix in ("_GET_CFG_REPLY", "_GET_STATUS_REPLY", "_GET_CFG", "_SET_CFG", "_GET_STATUS",  # PLCA's
                   "_GET_REPLY", "_SET_REPLY", "_ACT_REPLY", "_GET", "_SET", "_ACT", "_NTF"):
        if g.endswith(suffix):
            g = g[:-len(suffix)]
            break
    return f"{g}_NTF" if ntf and f"{g}_NTF" in GROUPS else g


def ethtool_info(root) -> str:
    parts = []
    for n in root.walk():
        ab = n.field.abbrev
        if ab.endswith(".header.dev_name") or ab.endswith(".header.dev_index") and not parts:
            parts.append(str(n.value) if ab.endswith("dev_name") else f"ifindex {n.value}")
        elif ab == "ethtool.strset.stringsets":
            parts.append("string sets")
    return " ".join(dict.fromkeys(parts))


def _table(enum_key: str) -> dict[int, MessageType]:
    out = {}
    for num, name in names_from(E, "ETHTOOL_MSG_", enum_key, exclude=("NONE", "MAX")).items():
        aset = GROUPS.get(_group(name))
        if aset is None:
            raise KeyError(f"ethtool: no attribute set for {name}")
        out[num] = MessageType(0, name, kind_from_name(name), None, aset, info=ethtool_info)
    return out


register_genl_family(GenlFamily("ethtool", "ethtool", _table("ETHTOOL_MSG_USER_NONE"), None,
                                replies=_table("ETHTOOL_MSG_KERNEL_NONE")))
