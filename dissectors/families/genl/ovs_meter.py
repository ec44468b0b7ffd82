"""ovs_meter: Open vSwitch datapath meters (`ovs-dpctl` / ovs-vswitchd's meter table),
net/openvswitch/meter.c; names from <linux/openvswitch.h>.

FEATURES answers the datapath's limits (meters, bands per meter) and its band types; SET,
GET and DEL a meter by id, with its rate unit (KBPS), statistics and bands — each band a nest
of attribute type 0 (OVS_BAND_ATTR_UNSPEC: ovs_meter_cmd_reply_stats() and
ovs_meter_cmd_features() start it so) with its type, rate, burst and statistics.  Every
message carries struct ovs_header (the datapath's ifindex), as the other ovs families'.
"""
from __future__ import annotations

from ...core.attrs import AttrSet, a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import openvswitch as O
from .openvswitch import OVS_HEADER, st
from .protocol import top_attrs

FLOW_STATS = st("ovs_flow_stats", "meter.stats_struct", label="ovs_flow_stats")
BAND_TYPES = names_from(O, "OVS_METER_BAND_TYPE_", "ovs_meter_band_type", exclude=("MAX",))
# band_policy: TYPE, RATE, BURST u32, STATS a struct ovs_flow_stats
BAND = enum_set("meter.band", "ovs.meter.band", O, "ovs_band_attr", "OVS_BAND_ATTR_", {
    "TYPE": a("u32", enum=BAND_TYPES), "RATE": "u32", "BURST": "u32",
    "STATS": a("struct", struct=FLOW_STATS)}, label="band")
BANDS = AttrSet("meter.bands", "ovs.meter.bands", {"OVS_BAND_ATTR_UNSPEC": a("nest", nested=BAND)}, O,
                strip="OVS_BAND_ATTR_", label="bands")
# meter_policy: ID, MAX_METERS, MAX_BANDS u32, KBPS and CLEAR flags, STATS a struct, BANDS the
# nest, USED an u64 (ms, nla_put_u64_64bit with its PAD)
METER = enum_set("meter", "ovs.meter", O, "ovs_meter_attr", "OVS_METER_ATTR_", {
    "ID": "u32", "KBPS": "flag", "STATS": a("struct", struct=FLOW_STATS), "BANDS": a("nest", nested=BANDS),
    "USED": a("u64", unit="ms"), "CLEAR": "flag", "MAX_METERS": "u32", "MAX_BANDS": "u32", "PAD": "pad"},
    label="ovs_meter")


@info(levels=3)
def meter_info(root) -> str:
    """`meter 1 kbps band drop rate 1000 burst 100`, `max_meters 200000 max_bands 1`."""
    v = top_attrs(root, "ovs.meter.")
    parts = [f"dp ifindex {root.first('ovs.header.dp_ifindex')}"] if root.first("ovs.header.dp_ifindex") else []
    if "id" in v:
        parts.append(f"meter {v['id'].value}")
    if "kbps" in v:
        parts.append("kbps")
    for key, word in (("max_meters", "max_meters"), ("max_bands", "max_bands")):
        if key in v:
            parts.append(f"{word} {v[key].value}")
    for band in root.find_all("ovs.meter.bands.unspec"):
        b = {n.field.abbrev.rsplit(".", 1)[1]: n for n in band.children or ()}
        words = ["band"]
        if "type" in b:
            words.append(BAND_TYPES.get(b["type"].value, str(b["type"].value))[len("OVS_METER_BAND_TYPE_"):].lower())
        words += [f"{k} {b[k].value}" for k in ("rate", "burst") if k in b]
        parts.append(" ".join(words))
    return " ".join(parts)


CMDS = names_from(O, "OVS_METER_CMD_", "ovs_meter_cmd")
register_genl_family(GenlFamily("ovs_meter", "ovs.meter", {
    n: MessageType(0, name, kind_from_name(name.replace("FEATURES", "GET")), None, METER, info=meter_info)
    for n, name in CMDS.items()}, METER, header=OVS_HEADER))
