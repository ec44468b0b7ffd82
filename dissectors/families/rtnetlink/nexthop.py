"""Nexthop objects: RTM_NEWNEXTHOP/DELNEXTHOP/GETNEXTHOP (+ buckets) with struct nhmsg and NHA_*."""
from __future__ import annotations

from ...core.attrs import a, enum_set, struct_array
from ...core.info import info
from ...core.schema import c_struct, flags_show, names_from
from ...generated import nexthop as NH, rtnetlink as R
from .common import show_af, show_prot, show_scope, struct_then_attrs  # noqa: F401
from .route import ENCAP_BY_TYPE, ENCAP_NAMES
from .protocol import add_types, is_dump_request, top

RTNH_F = names_from(R, "RTNH_F_", exclude=())
NHMSG = c_struct(NH, "nhmsg", "rtnl.nexthop", strip="nh_", label="Nexthop message (nhmsg)",
                 show={"family": show_af, "scope": show_scope, "protocol": show_prot, "flags": flags_show(RTNH_F)})
GROUP_ENTRY = c_struct(NH, "nexthop_grp", "rtnl.nexthop.group.entry", label="group member (nexthop_grp)")
GROUP_TYPES = names_from(NH, "NEXTHOP_GRP_TYPE_", exclude=("MAX",))


RES_GROUP = enum_set("res_group", "rtnl.nexthop.res_group", NH, "NHA_RES_GROUP_UNSPEC", "NHA_RES_GROUP_", {
    "PAD": "pad", "BUCKETS": "u16", "IDLE_TIMER": "u32", "UNBALANCED_TIMER": "u32", "UNBALANCED_TIME": "u64"},
    label="resilient group")
RES_BUCKET = enum_set("res_bucket", "rtnl.nexthop.res_bucket", NH, "NHA_RES_BUCKET_UNSPEC", "NHA_RES_BUCKET_", {
    "PAD": "pad", "INDEX": "u16", "IDLE_TIME": "u64", "NH_ID": "u32"}, label="resilient bucket")
# NHA_OP_FLAGS bits, #defines of <linux/nexthop.h> written BIT(n), which the generator does not read
OP_FLAGS = {1 << 0: "NHA_OP_FLAG_DUMP_STATS", 1 << 1: "NHA_OP_FLAG_DUMP_HW_STATS",
            1 << 31: "NHA_OP_FLAG_RESP_GRP_RESVD_0"}
GROUP_STATS_ENTRY = enum_set("group_stats_entry", "rtnl.nexthop.group_stats.entry", NH,
                             "NHA_GROUP_STATS_ENTRY_UNSPEC", "NHA_GROUP_STATS_ENTRY_", {
                                 "ID": "u32", "PACKETS": "uint", "PACKETS_HW": "uint"}, label="group member stats")
GROUP_STATS = enum_set("group_stats", "rtnl.nexthop.group_stats", NH, "NHA_GROUP_STATS_UNSPEC", "NHA_GROUP_STATS_", {
    "ENTRY": a("nest", nested=GROUP_STATS_ENTRY)}, label="group stats")
NHA = enum_set("nexthop", "rtnl.nexthop", NH, "NHA_UNSPEC", "NHA_", {
    "ID": "u32", "GROUP": a("binary", decode=struct_array(GROUP_ENTRY, item="member")), "GROUP_TYPE": a("u16", enum=GROUP_TYPES),
    "BLACKHOLE": "flag", "OIF": "u32", "GATEWAY": "addr", "ENCAP_TYPE": a("u16", enum=ENCAP_NAMES),
    # nh_create_ipv4/ipv6 build it as a route's RTA_ENCAP (lwtunnel_build_state)
    "ENCAP": a("submsg", selector="NHA_ENCAP_TYPE", choices=ENCAP_BY_TYPE),
    "GROUPS": "flag", "MASTER": "u32", "FDB": "flag", "RES_GROUP": a("nest", nested=RES_GROUP),
    "RES_BUCKET": a("nest", nested=RES_BUCKET), "OP_FLAGS": a("u32", flags=OP_FLAGS),
    "GROUP_STATS": a("nest", nested=GROUP_STATS), "HW_STATS_ENABLE": "u32", "HW_STATS_USED": "u32"}, label="nexthop")


@info(full_tree=True)   # the group members are structs
def nexthop_info(root) -> str:
    nid = top(root, "rtnl.nexthop.id")
    parts = [f"id {nid}" if nid is not None else ("dump" if is_dump_request(root) else "")]
    gw = top(root, "rtnl.nexthop.gateway")
    if gw:
        parts.append(f"via {gw}")
    grp = root.find("rtnl.nexthop.group")
    if grp is not None and grp.children:
        parts.append("group " + "/".join(str(c.children[0].value) for c in grp.children if c.children))
    oif = top(root, "rtnl.nexthop.oif")
    if oif:
        parts.append(f"dev {oif}")
    return " ".join(p for p in parts if p)


add_types(["RTM_NEWNEXTHOP", "RTM_DELNEXTHOP", "RTM_GETNEXTHOP", "RTM_NEWNEXTHOPBUCKET", "RTM_DELNEXTHOPBUCKET",
           "RTM_GETNEXTHOPBUCKET"], NHMSG, NHA, nexthop_info)
