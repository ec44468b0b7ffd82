"""Neighbour tables: RTM_NEWNEIGHTBL/GETNEIGHTBL/SETNEIGHTBL (struct ndtmsg, NDTA_*, NDTPA_*)."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.schema import c_struct
from ...generated import neighbour as N
from .common import show_af
from .protocol import add_types, is_dump_request, top

NDTMSG = c_struct(N, "ndtmsg", "rtnl.neightbl", strip="ndtm_", label="ndtmsg", show={"family": show_af})
NDT_CONFIG = c_struct(N, "ndt_config", "rtnl.neightbl.config", strip="ndtc_", label="ndt_config")
NDT_STATS = c_struct(N, "ndt_stats", "rtnl.neightbl.stats", strip="ndts_", label="ndt_stats")
MS = {"unit": "ms"}
PARMS = enum_set("neightbl_parms", "rtnl.neightbl.parms", N, "NDTPA_UNSPEC", "NDTPA_", {
    "IFINDEX": "u32", "REFCNT": "u32", "REACHABLE_TIME": a("u64", **MS), "BASE_REACHABLE_TIME": a("u64", **MS),
    "RETRANS_TIME": a("u64", **MS), "GC_STALETIME": a("u64", **MS), "DELAY_PROBE_TIME": a("u64", **MS),
    "QUEUE_LEN": "u32", "APP_PROBES": "u32", "UCAST_PROBES": "u32", "MCAST_PROBES": "u32",
    "ANYCAST_DELAY": a("u64", **MS), "PROXY_DELAY": a("u64", **MS), "PROXY_QLEN": "u32", "LOCKTIME": a("u64", **MS),
    "QUEUE_LENBYTES": "u32", "MCAST_REPROBES": "u32", "PAD": "pad", "INTERVAL_PROBE_TIME_MS": a("u64", **MS)},
    label="table parameters")
NDTA = enum_set("neightbl", "rtnl.neightbl", N, "NDTA_UNSPEC", "NDTA_", {
    "NAME": "string", "THRESH1": "u32", "THRESH2": "u32", "THRESH3": "u32",
    "CONFIG": a("struct", struct=NDT_CONFIG), "PARMS": a("nest", nested=PARMS), "STATS": a("struct", struct=NDT_STATS),
    "GC_INTERVAL": a("u64", **MS), "PAD": "pad"}, label="neighbour table")


@info(("rtnl.neightbl.name", "rtnl.neightbl.parms.ifindex"))
def neightbl_info(root) -> str:
    name = top(root, "rtnl.neightbl.name")
    dev = root.first("rtnl.neightbl.parms.ifindex")
    parts = [name or ("dump" if is_dump_request(root) else "")]
    if dev:
        parts.append(f"dev {dev}")
    return " ".join(p for p in parts if p)


add_types(["RTM_NEWNEIGHTBL", "RTM_GETNEIGHTBL", "RTM_SETNEIGHTBL"], NDTMSG, NDTA, neightbl_info)
