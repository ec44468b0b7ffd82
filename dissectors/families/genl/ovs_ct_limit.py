"""ovs_ct_limit: Open vSwitch's connection-tracking limits per zone (`ovs-dpctl ct-set-limits`,
`ct-get-limits`, `ct-del-limits`), net/openvswitch/conntrack.c; names from <linux/openvswitch.h>.

OVS_CT_LIMIT_ATTR_ZONE_LIMIT holds struct ovs_zone_limit back to back, no attribute headers
(ovs_ct_limit_set_zone_limit() walks them; the replies put them with nla_put_nohdr()): the
zone (OVS_ZONE_LIMIT_DEFAULT_ZONE, -1, the default), its limit and, in a GET's answer, the
connections counted.  Every message carries struct ovs_header.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set, struct_array
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import openvswitch as O
from .openvswitch import OVS_HEADER, st

ZONE_LIMIT = st("ovs_zone_limit", "ct_limit.zone", label="ovs_zone_limit",
                show={"zone_id": lambda v: "default (-1)" if v == O.OVS_ZONE_LIMIT_DEFAULT_ZONE else str(v)})
CT_LIMIT = enum_set("ct_limit", "ovs.ct_limit", O, "ovs_ct_limit_attr", "OVS_CT_LIMIT_ATTR_", {
    "ZONE_LIMIT": a("binary", decode=struct_array(ZONE_LIMIT, item="zone limit"))}, label="ovs_ct_limit")


@info(full_tree=True)
def ct_limit_info(root) -> str:
    """`default limit 100, zone 5 limit 10 count 0`: ovs-dpctl ct-get-limits' words."""
    out = []
    for z in root.find_all("ovs.ct_limit.zone"):
        v = {n.field.abbrev.rsplit(".", 1)[1]: n.value for n in z.children or ()}
        zone = "default" if v.get("zone_id") == O.OVS_ZONE_LIMIT_DEFAULT_ZONE else f"zone {v.get('zone_id')}"
        out.append(f"{zone} limit {v.get('limit')}" + (f" count {v['count']}" if v.get("count") else ""))
    return ", ".join(out)


CMDS = names_from(O, "OVS_CT_LIMIT_CMD_", "ovs_ct_limit_cmd")
register_genl_family(GenlFamily("ovs_ct_limit", "ovs.ct_limit", {
    n: MessageType(0, name, kind_from_name(name), None, CT_LIMIT, info=ct_limit_info) for n, name in CMDS.items()},
    CT_LIMIT, header=OVS_HEADER))
