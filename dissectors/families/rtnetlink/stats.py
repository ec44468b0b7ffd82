"""Link statistics: RTM_NEWSTATS/GETSTATS/SETSTATS (struct if_stats_msg, IFLA_STATS_*), as `ip stats` asks."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.schema import c_struct, flags_show
from ...generated import if_link as L
from .common import show_af
from .link import AF_SPEC_ATTRS, STATS64
from .protocol import add_types, top

# filter_mask bits are 1 << (IFLA_STATS_* - 1)
FILTER_BITS = {1 << (v - 1): n for n, v in ((n, getattr(L, n)) for n in L.ENUMS["IFLA_STATS_UNSPEC"])
               if n.startswith("IFLA_STATS_") and v > 0 and not n.startswith("__")}
IF_STATS_MSG = c_struct(L, "if_stats_msg", "rtnl.stats", label="if_stats_msg",
                        show={"family": show_af, "filter_mask": flags_show(FILTER_BITS)})
HW_S_INFO = enum_set("hw_s_info", "rtnl.stats.offload.hw_s_info", L, "IFLA_OFFLOAD_XSTATS_HW_S_INFO_UNSPEC",
                     "IFLA_OFFLOAD_XSTATS_HW_S_INFO_", {"REQUEST": "u8", "USED": "u8"}, label="hardware stats info")
OFFLOAD = enum_set("offload", "rtnl.stats.offload", L, "IFLA_OFFLOAD_XSTATS_UNSPEC", "IFLA_OFFLOAD_XSTATS_", {
    "CPU_HIT": a("struct", struct=STATS64), "HW_S_INFO": a("indexed-array", sub="nest", nested=HW_S_INFO),
    "L3_STATS": "binary"}, label="offload statistics")
XSTATS = enum_set("xstats", "rtnl.stats.xstats", L, "LINK_XSTATS_TYPE_UNSPEC", "LINK_XSTATS_TYPE_", {},
                  label="extended statistics")
GETSET = enum_set("getset", "rtnl.stats.getset", L, "IFLA_STATS_GETSET_UNSPEC", "IFLA_STATS_", {
    "GET_FILTERS": "binary", "SET_OFFLOAD_XSTATS_L3_STATS": "u8"}, label="stats get/set")
IFLA_STATS = enum_set("stats", "rtnl.stats", L, "IFLA_STATS_UNSPEC", "IFLA_STATS_", {
    "LINK_64": a("struct", struct=STATS64), "LINK_XSTATS": a("nest", nested=XSTATS),
    "LINK_XSTATS_SLAVE": a("nest", nested=XSTATS), "LINK_OFFLOAD_XSTATS": a("nest", nested=OFFLOAD),
    "AF_SPEC": a("nest", nested=AF_SPEC_ATTRS)}, label="link statistics")


def stats_info(root) -> str:
    idx = top(root, "rtnl.stats.ifindex")
    mask = top(root, "rtnl.stats.filter_mask")
    parts = [f"index {idx}" if idx else "all links"]
    if mask:
        parts.append(", ".join(n[len("IFLA_STATS_"):].lower() for b, n in FILTER_BITS.items() if mask & b))
    return " ".join(parts)


add_types(["RTM_NEWSTATS", "RTM_GETSTATS", "RTM_SETSTATS"], IF_STATS_MSG, IFLA_STATS, stats_info)
