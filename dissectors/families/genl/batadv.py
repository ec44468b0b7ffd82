"""batadv: the batman-adv mesh (batctl: meshif, hardifs, originators, neighbors, translation
tables, gateways, BLA, DAT, multicast, VLANs, tp meter), net/batman-adv/netlink.c.

One flat attribute set serves every command (batadv_netlink_policy); batctl's tables are dumps
of one message per row.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import batadv_packet as P
from ...generated import batman_adv as H
from .protocol import top_attrs

TT_FLAGS = names_from(H, "BATADV_TT_CLIENT_", "batadv_tt_client_flags", exclude=())
MCAST_FLAGS = names_from(P, "BATADV_MCAST_", "batadv_mcast_flags", exclude=())
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
    v = top_attrs(root, "batadv.")
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
