"""thermal: thermal zones, trip points, cooling devices and their events (thermald, tmon, any
listener of the "event" and "sampling" groups), drivers/thermal/thermal_netlink.c.

One attribute set for everything; the nests (TZ, TZ_TRIP, TZ_GOV, CDEV, CPU_CAPABILITY) hold
members of the same set.  The kernel's multicast messages number their commands apart: events
(enum thermal_genl_event) on "event", THERMAL_GENL_SAMPLING_TEMP (0) on "sampling".
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import thermal as H
from .protocol import top_attrs

TRIP_TYPES = names_from(H, "THERMAL_TRIP_", "thermal_trip_type", exclude=())
MODES = names_from(H, "THERMAL_DEVICE_", "thermal_device_mode", exclude=())
MILLI_C = {"show": lambda v: f"{v} m°C ({v / 1000:g} °C)"}   # ints put with nla_put_u32
_NESTS = ("TZ", "TZ_TRIP", "TZ_GOV", "CDEV", "CPU_CAPABILITY")
# thermal_genl_policy
THERMAL = enum_set("thermal", "thermal", H, "thermal_genl_attr", "THERMAL_GENL_ATTR_", {
    **{n: "nest" for n in _NESTS}, "TZ_ID": "u32", "TZ_TEMP": a("s32", **MILLI_C), "TZ_TRIP_ID": "u32",
    "TZ_TRIP_TYPE": a("u32", enum=TRIP_TYPES), "TZ_TRIP_TEMP": a("s32", **MILLI_C),
    "TZ_TRIP_HYST": a("s32", **MILLI_C), "TZ_MODE": a("u32", enum=MODES), "TZ_NAME": "string",
    "TZ_CDEV_WEIGHT": "u32", "TZ_GOV_NAME": "string", "CDEV_ID": "u32", "CDEV_CUR_STATE": "u32",
    "CDEV_MAX_STATE": "u32", "CDEV_NAME": "string", "GOV_NAME": "string", "CPU_CAPABILITY_ID": "u32",
    "CPU_CAPABILITY_PERFORMANCE": "u32", "CPU_CAPABILITY_EFFICIENCY": "u32"}, label="thermal")
for _n in _NESTS:   # the nests hold the set's own attributes
    THERMAL.by_name[f"THERMAL_GENL_ATTR_{_n}"].nested = THERMAL

_WORDS = (("tz_id", "tz"), ("tz_name", ""), ("tz_temp", "temp"), ("tz_trip_id", "trip"), ("tz_trip_type", ""),
          ("tz_trip_temp", "temp"), ("cdev_id", "cdev"), ("cdev_name", ""), ("cdev_cur_state", "state"),
          ("gov_name", "governor"), ("tz_gov_name", "governor"))


@info()
def thermal_info(root) -> str:
    """`tz 1 x86_pkg_temp temp 45000`, `tz 1 trip 0 THERMAL_TRIP_PASSIVE temp 95000`."""
    v = top_attrs(root, "thermal.")
    parts = []
    for k, word in _WORDS:
        if k in v:
            val = v[k].value if v[k].text is None or k == "tz_temp" or k == "tz_trip_temp" else v[k].text
            if k == "tz_trip_type":
                val = TRIP_TYPES.get(v[k].value, str(v[k].value))
            parts.append(f"{word} {val}" if word else str(val))
    nests = [c.field.abbrev[len("thermal."):] for c in root.children or ()
             if c.field.abbrev.startswith("thermal.") and c.children is not None]
    if nests:
        parts.append(f"{len(nests)} {nests[0]}")
    return " ".join(parts)


CMDS = names_from(H, "THERMAL_GENL_CMD_", "thermal_genl_cmd")
EVENTS = names_from(H, "THERMAL_GENL_EVENT_", "thermal_genl_event")
EVENTS[H.THERMAL_GENL_SAMPLING_TEMP] = "THERMAL_GENL_SAMPLING_TEMP"
register_genl_family(GenlFamily("thermal", "thermal", {
    n: MessageType(0, name, kind_from_name(name), None, THERMAL, info=thermal_info) for n, name in CMDS.items()},
    THERMAL, events={n: MessageType(0, name, "other", None, THERMAL, info=thermal_info) for n, name in EVENTS.items()}))
