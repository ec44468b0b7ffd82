"""NET_DM: the drop monitor (dropwatch, perf tools), names from <linux/net_dropmon.h>."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import net_dropmon as D

ALERT_MODES = names_from(D, "NET_DM_ALERT_MODE_", "net_dm_alert_mode", exclude=())
ORIGINS = names_from(D, "NET_DM_ORIGIN_", "net_dm_origin", exclude=())
PORT = enum_set("port", "net_dm.port", D, "NET_DM_ATTR_PORT_NETDEV_IFINDEX", "NET_DM_ATTR_PORT_", {
    "NETDEV_IFINDEX": "u32", "NETDEV_NAME": "string"}, label="port")
STATS = enum_set("stats", "net_dm.stats", D, "NET_DM_ATTR_STATS_DROPPED", "NET_DM_ATTR_STATS_", {"DROPPED": "u64"},
                 label="statistics")
NET_DM = enum_set("net_dm", "net_dm", D, "net_dm_attr", "NET_DM_ATTR_", {
    "ALERT_MODE": a("u8", enum=ALERT_MODES), "PC": a("u64", show=hex), "SYMBOL": "string",
    "IN_PORT": a("nest", nested=PORT), "TIMESTAMP": a("u64", unit="ns"), "PROTO": a("u16", show=hex),
    "PAYLOAD": "binary", "PAD": "pad", "TRUNC_LEN": "u32", "ORIG_LEN": "u32", "QUEUE_LEN": "u32",
    "STATS": a("nest", nested=STATS), "HW_STATS": a("nest", nested=STATS), "ORIGIN": a("u16", enum=ORIGINS),
    "HW_TRAP_GROUP_NAME": "string", "HW_TRAP_NAME": "string", "HW_ENTRIES": "nest", "HW_ENTRY": "nest",
    "HW_TRAP_COUNT": "u32", "SW_DROPS": "flag", "HW_DROPS": "flag", "FLOW_ACTION_COOKIE": "binary",
    "REASON": "string"}, label="drop monitor")


def net_dm_info(root) -> str:
    parts = []
    for c in root.children or ():
        ab = c.field.abbrev
        if ab in ("net_dm.symbol", "net_dm.reason"):
            parts.append(str(c.value))
        elif ab == "net_dm.alert_mode":
            parts.append((c.text or "").split(" ")[0].replace("NET_DM_ALERT_MODE_", "mode ").lower())
        elif ab == "net_dm.stats":
            parts.append(f"dropped {root.first('net_dm.stats.dropped')}")
    return " ".join(p for p in parts if p)


CMDS = names_from(D, "NET_DM_CMD_", "NET_DM_CMD_UNSPEC", exclude=("UNSPEC", "MAX"))
register_genl_family(GenlFamily("NET_DM", "net_dm", {
    n: MessageType(0, name, kind_from_name(name), None, NET_DM, info=net_dm_info) for n, name in CMDS.items()},
    NET_DM))
