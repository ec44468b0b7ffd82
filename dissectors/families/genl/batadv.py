"""batadv: the batman-adv mesh (batctl: meshif, hardifs, originators, neighbors, translation
tables, gateways, BLA, DAT, multicast, VLANs, tp meter), net/batman-adv/netlink.c.

One flat attribute set serves every command (batadv_netlink_policy); batctl's tables are dumps
of one message per row.
"""
from __future__ import annotations

from types import SimpleNamespace

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from

# Constants of <linux/batman_adv.h> and <linux/batadv_packet.h> (6.12's include/uapi; 6.1's
# are the same), read by tools/gen_uapi.py's parser; they move to dissectors/generated/ once it
# lists the headers.
_ENUMS = {
    "batadv_nl_attrs": {"BATADV_ATTR_UNSPEC": 0, "BATADV_ATTR_VERSION": 1, "BATADV_ATTR_ALGO_NAME": 2,
        "BATADV_ATTR_MESH_IFINDEX": 3, "BATADV_ATTR_MESH_IFNAME": 4, "BATADV_ATTR_MESH_ADDRESS": 5,
        "BATADV_ATTR_HARD_IFINDEX": 6, "BATADV_ATTR_HARD_IFNAME": 7, "BATADV_ATTR_HARD_ADDRESS": 8,
        "BATADV_ATTR_ORIG_ADDRESS": 9, "BATADV_ATTR_TPMETER_RESULT": 10, "BATADV_ATTR_TPMETER_TEST_TIME": 11,
        "BATADV_ATTR_TPMETER_BYTES": 12, "BATADV_ATTR_TPMETER_COOKIE": 13, "BATADV_ATTR_PAD": 14,
        "BATADV_ATTR_ACTIVE": 15, "BATADV_ATTR_TT_ADDRESS": 16, "BATADV_ATTR_TT_TTVN": 17,
        "BATADV_ATTR_TT_LAST_TTVN": 18, "BATADV_ATTR_TT_CRC32": 19, "BATADV_ATTR_TT_VID": 20,
        "BATADV_ATTR_TT_FLAGS": 21, "BATADV_ATTR_FLAG_BEST": 22, "BATADV_ATTR_LAST_SEEN_MSECS": 23,
        "BATADV_ATTR_NEIGH_ADDRESS": 24, "BATADV_ATTR_TQ": 25, "BATADV_ATTR_THROUGHPUT": 26,
        "BATADV_ATTR_BANDWIDTH_UP": 27, "BATADV_ATTR_BANDWIDTH_DOWN": 28, "BATADV_ATTR_ROUTER": 29,
        "BATADV_ATTR_BLA_OWN": 30, "BATADV_ATTR_BLA_ADDRESS": 31, "BATADV_ATTR_BLA_VID": 32,
        "BATADV_ATTR_BLA_BACKBONE": 33, "BATADV_ATTR_BLA_CRC": 34, "BATADV_ATTR_DAT_CACHE_IP4ADDRESS": 35,
        "BATADV_ATTR_DAT_CACHE_HWADDRESS": 36, "BATADV_ATTR_DAT_CACHE_VID": 37, "BATADV_ATTR_MCAST_FLAGS": 38,
        "BATADV_ATTR_MCAST_FLAGS_PRIV": 39, "BATADV_ATTR_VLANID": 40, "BATADV_ATTR_AGGREGATED_OGMS_ENABLED": 41,
        "BATADV_ATTR_AP_ISOLATION_ENABLED": 42, "BATADV_ATTR_ISOLATION_MARK": 43, "BATADV_ATTR_ISOLATION_MASK": 44,
        "BATADV_ATTR_BONDING_ENABLED": 45, "BATADV_ATTR_BRIDGE_LOOP_AVOIDANCE_ENABLED": 46,
        "BATADV_ATTR_DISTRIBUTED_ARP_TABLE_ENABLED": 47, "BATADV_ATTR_FRAGMENTATION_ENABLED": 48,
        "BATADV_ATTR_GW_BANDWIDTH_DOWN": 49, "BATADV_ATTR_GW_BANDWIDTH_UP": 50, "BATADV_ATTR_GW_MODE": 51,
        "BATADV_ATTR_GW_SEL_CLASS": 52, "BATADV_ATTR_HOP_PENALTY": 53, "BATADV_ATTR_LOG_LEVEL": 54,
        "BATADV_ATTR_MULTICAST_FORCEFLOOD_ENABLED": 55, "BATADV_ATTR_NETWORK_CODING_ENABLED": 56,
        "BATADV_ATTR_ORIG_INTERVAL": 57, "BATADV_ATTR_ELP_INTERVAL": 58, "BATADV_ATTR_THROUGHPUT_OVERRIDE": 59,
        "BATADV_ATTR_MULTICAST_FANOUT": 60},
    "batadv_nl_commands": {"BATADV_CMD_UNSPEC": 0, "BATADV_CMD_GET_MESH": 1, "BATADV_CMD_GET_MESH_INFO": 1,
        "BATADV_CMD_TP_METER": 2, "BATADV_CMD_TP_METER_CANCEL": 3, "BATADV_CMD_GET_ROUTING_ALGOS": 4,
        "BATADV_CMD_GET_HARDIF": 5, "BATADV_CMD_GET_HARDIFS": 5, "BATADV_CMD_GET_TRANSTABLE_LOCAL": 6,
        "BATADV_CMD_GET_TRANSTABLE_GLOBAL": 7, "BATADV_CMD_GET_ORIGINATORS": 8, "BATADV_CMD_GET_NEIGHBORS": 9,
        "BATADV_CMD_GET_GATEWAYS": 10, "BATADV_CMD_GET_BLA_CLAIM": 11, "BATADV_CMD_GET_BLA_BACKBONE": 12,
        "BATADV_CMD_GET_DAT_CACHE": 13, "BATADV_CMD_GET_MCAST_FLAGS": 14, "BATADV_CMD_SET_MESH": 15,
        "BATADV_CMD_SET_HARDIF": 16, "BATADV_CMD_GET_VLAN": 17, "BATADV_CMD_SET_VLAN": 18},
    "batadv_tt_client_flags": {"BATADV_TT_CLIENT_DEL": 1, "BATADV_TT_CLIENT_ROAM": 2, "BATADV_TT_CLIENT_WIFI": 16,
        "BATADV_TT_CLIENT_ISOLA": 32, "BATADV_TT_CLIENT_NOPURGE": 256, "BATADV_TT_CLIENT_NEW": 512,
        "BATADV_TT_CLIENT_PENDING": 1024, "BATADV_TT_CLIENT_TEMP": 2048},
    "batadv_mcast_flags_priv": {"BATADV_MCAST_FLAGS_BRIDGED": 1, "BATADV_MCAST_FLAGS_QUERIER_IPV4_EXISTS": 2,
        "BATADV_MCAST_FLAGS_QUERIER_IPV6_EXISTS": 4, "BATADV_MCAST_FLAGS_QUERIER_IPV4_SHADOWING": 8,
        "BATADV_MCAST_FLAGS_QUERIER_IPV6_SHADOWING": 16},
    "batadv_gw_modes": {"BATADV_GW_MODE_OFF": 0, "BATADV_GW_MODE_CLIENT": 1, "BATADV_GW_MODE_SERVER": 2},
    "batadv_tp_meter_reason": {"BATADV_TP_REASON_COMPLETE": 3, "BATADV_TP_REASON_CANCEL": 4,
        "BATADV_TP_REASON_DST_UNREACHABLE": 128, "BATADV_TP_REASON_RESEND_LIMIT": 129,
        "BATADV_TP_REASON_ALREADY_ONGOING": 130, "BATADV_TP_REASON_MEMORY_ERROR": 131, "BATADV_TP_REASON_CANT_SEND":
        132, "BATADV_TP_REASON_TOO_MANY": 133},
    # <linux/batadv_packet.h>
    "batadv_mcast_flags": {"BATADV_MCAST_WANT_ALL_UNSNOOPABLES": 1, "BATADV_MCAST_WANT_ALL_IPV4": 2,
        "BATADV_MCAST_WANT_ALL_IPV6": 4, "BATADV_MCAST_WANT_NO_RTR4": 8, "BATADV_MCAST_WANT_NO_RTR6": 16,
        "BATADV_MCAST_HAVE_MC_PTYPE_CAPA": 32},
}
H = SimpleNamespace(ENUMS={t: tuple(m) for t, m in _ENUMS.items()},
                    **{k: v for m in _ENUMS.values() for k, v in m.items()})

TT_FLAGS = names_from(H, "BATADV_TT_CLIENT_", "batadv_tt_client_flags", exclude=())
MCAST_FLAGS = names_from(H, "BATADV_MCAST_", "batadv_mcast_flags", exclude=())
MCAST_PRIV = names_from(H, "BATADV_MCAST_FLAGS_", "batadv_mcast_flags_priv", exclude=())
GW_MODES = names_from(H, "BATADV_GW_MODE_", "batadv_gw_modes", exclude=())
TP_REASONS = names_from(H, "BATADV_TP_REASON_", "batadv_tp_meter_reason", exclude=())
MAC = a("binary", hint="mac")   # { .len = ETH_ALEN }
BOOL8 = a("u8", enum={0: "disabled", 1: "enabled"})
_TYPES = {
    "VERSION": "string", "ALGO_NAME": "string", "MESH_IFINDEX": "u32", "MESH_IFNAME": "string", "MESH_ADDRESS": MAC,
    "HARD_IFINDEX": "u32", "HARD_IFNAME": "string", "HARD_ADDRESS": MAC, "ORIG_ADDRESS": MAC,
    "TPMETER_RESULT": a("u8", enum=TP_REASONS), "TPMETER_TEST_TIME": a("u32", unit="ms"), "TPMETER_BYTES": "u64",
    "TPMETER_COOKIE": "u32", "PAD": "pad", "ACTIVE": "flag", "TT_ADDRESS": MAC, "TT_TTVN": "u8",
    "TT_LAST_TTVN": "u8", "TT_CRC32": a("u32", show=lambda v: f"{v:#010x}"), "TT_VID": "u16",
    "TT_FLAGS": a("u32", flags=TT_FLAGS), "FLAG_BEST": "flag", "LAST_SEEN_MSECS": a("u32", unit="ms"),
    "NEIGH_ADDRESS": MAC, "TQ": "u8", "THROUGHPUT": a("u32", unit="x 100 kbit/s"),
    "BANDWIDTH_UP": a("u32", unit="x 100 kbit/s"), "BANDWIDTH_DOWN": a("u32", unit="x 100 kbit/s"), "ROUTER": MAC,
    "BLA_OWN": "flag", "BLA_ADDRESS": MAC, "BLA_VID": "u16", "BLA_BACKBONE": MAC,
    "BLA_CRC": a("u16", show=lambda v: f"{v:#06x}"),
    "DAT_CACHE_IP4ADDRESS": a("binary", hint="ipv4"),   # NLA_U32 holding a __be32 (nla_put_in_addr)
    "DAT_CACHE_HWADDRESS": MAC, "DAT_CACHE_VID": "u16", "MCAST_FLAGS": a("u32", flags=MCAST_FLAGS),
    "MCAST_FLAGS_PRIV": a("u32", flags=MCAST_PRIV), "VLANID": "u16", "AGGREGATED_OGMS_ENABLED": BOOL8,
    "AP_ISOLATION_ENABLED": BOOL8, "ISOLATION_MARK": a("u32", show=hex), "ISOLATION_MASK": a("u32", show=hex),
    "BONDING_ENABLED": BOOL8, "BRIDGE_LOOP_AVOIDANCE_ENABLED": BOOL8, "DISTRIBUTED_ARP_TABLE_ENABLED": BOOL8,
    "FRAGMENTATION_ENABLED": BOOL8, "GW_BANDWIDTH_DOWN": a("u32", unit="x 100 kbit/s"),
    "GW_BANDWIDTH_UP": a("u32", unit="x 100 kbit/s"), "GW_MODE": a("u8", enum=GW_MODES), "GW_SEL_CLASS": "u32",
    "HOP_PENALTY": "u8", "LOG_LEVEL": a("u32", show=hex), "MULTICAST_FORCEFLOOD_ENABLED": BOOL8,
    "MULTICAST_FANOUT": "u32", "NETWORK_CODING_ENABLED": BOOL8, "ORIG_INTERVAL": a("u32", unit="ms"),
    "ELP_INTERVAL": a("u32", unit="ms"), "THROUGHPUT_OVERRIDE": a("u32", unit="x 100 kbit/s")}
BATADV = enum_set("batadv", "batadv", H, "batadv_nl_attrs", "BATADV_ATTR_", _TYPES, label="batadv")

# what batctl shows first in a row of each table, after the mesh interface
_ROW = ("orig_address", "neigh_address", "tt_address", "bla_address", "bla_backbone", "dat_cache_ip4address",
        "hard_ifname", "algo_name", "router", "tt_vid", "vlanid")


@info()
def batadv_info(root) -> str:
    """`bat0 02:00:00:00:01:00 BATMAN_IV` for the mesh, a table row's addresses otherwise."""
    v = {c.field.abbrev[len("batadv."):]: c for c in root.children or ()
         if c.field.abbrev.startswith("batadv.") and not c.status}
    parts = []
    if "mesh_ifname" in v:
        parts.append(v["mesh_ifname"].value)
    elif "mesh_ifindex" in v:
        parts.append(f"mesh {v['mesh_ifindex'].value}")
    if "mesh_address" in v and "orig_address" not in v and "tt_address" not in v:
        parts.append(str(v["mesh_address"].value))
    for k in _ROW:
        if k in v:
            parts.append(("vid " if k in ("tt_vid", "vlanid") else "via " if k == "router" else "") + str(v[k].value))
    if "hard_ifindex" in v and "hard_ifname" not in v:
        parts.append(f"hardif {v['hard_ifindex'].value}")
    for k, word in (("tq", "tq"), ("throughput", "throughput"), ("last_seen_msecs", "last seen")):
        if k in v:
            parts.append(f"{word} {v[k].show}")
    if "flag_best" in v:
        parts.append("best")
    if "active" in v:
        parts.append("active")
    if "tpmeter_result" in v:
        parts.append(v["tpmeter_result"].show)
    return " ".join(parts)


CMDS = names_from(H, "BATADV_CMD_", "batadv_nl_commands")
register_genl_family(GenlFamily("batadv", "batadv", {
    n: MessageType(0, name, kind_from_name(name), None, BATADV, info=batadv_info) for n, name in CMDS.items()},
    BATADV))
