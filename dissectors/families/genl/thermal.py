"""thermal: thermal zones, trip points, cooling devices and their events (thermald, tmon, any
listener of the "event" and "sampling" groups), drivers/thermal/thermal_netlink.c.

One attribute set for everything; the nests (TZ, TZ_TRIP, TZ_GOV, CDEV, CPU_CAPABILITY) hold
members of the same set.  The kernel's multicast messages number their commands apart: events
(enum thermal_genl_event) on "event", THERMAL_GENL_SAMPLING_TEMP (0) on "sampling".
"""
from __future__ import annotations

from types import SimpleNamespace

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from

# Constants of <linux/thermal.h> (the same in 6.1 and 6.12), read by tools/gen_uapi.py's parser;
# they move to dissectors/generated/ once it lists the header.
_ENUMS = {
    "thermal_device_mode": {"THERMAL_DEVICE_DISABLED": 0, "THERMAL_DEVICE_ENABLED": 1},
    "thermal_trip_type": {"THERMAL_TRIP_ACTIVE": 0, "THERMAL_TRIP_PASSIVE": 1, "THERMAL_TRIP_HOT": 2,
        "THERMAL_TRIP_CRITICAL": 3},
    "thermal_genl_attr": {"THERMAL_GENL_ATTR_UNSPEC": 0, "THERMAL_GENL_ATTR_TZ": 1, "THERMAL_GENL_ATTR_TZ_ID": 2,
        "THERMAL_GENL_ATTR_TZ_TEMP": 3, "THERMAL_GENL_ATTR_TZ_TRIP": 4, "THERMAL_GENL_ATTR_TZ_TRIP_ID": 5,
        "THERMAL_GENL_ATTR_TZ_TRIP_TYPE": 6, "THERMAL_GENL_ATTR_TZ_TRIP_TEMP": 7, "THERMAL_GENL_ATTR_TZ_TRIP_HYST":
        8, "THERMAL_GENL_ATTR_TZ_MODE": 9, "THERMAL_GENL_ATTR_TZ_NAME": 10, "THERMAL_GENL_ATTR_TZ_CDEV_WEIGHT": 11,
        "THERMAL_GENL_ATTR_TZ_GOV": 12, "THERMAL_GENL_ATTR_TZ_GOV_NAME": 13, "THERMAL_GENL_ATTR_CDEV": 14,
        "THERMAL_GENL_ATTR_CDEV_ID": 15, "THERMAL_GENL_ATTR_CDEV_CUR_STATE": 16, "THERMAL_GENL_ATTR_CDEV_MAX_STATE":
        17, "THERMAL_GENL_ATTR_CDEV_NAME": 18, "THERMAL_GENL_ATTR_GOV_NAME": 19, "THERMAL_GENL_ATTR_CPU_CAPABILITY":
        20, "THERMAL_GENL_ATTR_CPU_CAPABILITY_ID": 21, "THERMAL_GENL_ATTR_CPU_CAPABILITY_PERFORMANCE": 22,
        "THERMAL_GENL_ATTR_CPU_CAPABILITY_EFFICIENCY": 23},
    "thermal_genl_sampling": {"THERMAL_GENL_SAMPLING_TEMP": 0},
    "thermal_genl_event": {"THERMAL_GENL_EVENT_UNSPEC": 0, "THERMAL_GENL_EVENT_TZ_CREATE": 1,
        "THERMAL_GENL_EVENT_TZ_DELETE": 2, "THERMAL_GENL_EVENT_TZ_DISABLE": 3, "THERMAL_GENL_EVENT_TZ_ENABLE": 4,
        "THERMAL_GENL_EVENT_TZ_TRIP_UP": 5, "THERMAL_GENL_EVENT_TZ_TRIP_DOWN": 6,
        "THERMAL_GENL_EVENT_TZ_TRIP_CHANGE": 7, "THERMAL_GENL_EVENT_TZ_TRIP_ADD": 8,
        "THERMAL_GENL_EVENT_TZ_TRIP_DELETE": 9, "THERMAL_GENL_EVENT_CDEV_ADD": 10, "THERMAL_GENL_EVENT_CDEV_DELETE":
        11, "THERMAL_GENL_EVENT_CDEV_STATE_UPDATE": 12, "THERMAL_GENL_EVENT_TZ_GOV_CHANGE": 13,
        "THERMAL_GENL_EVENT_CPU_CAPABILITY_CHANGE": 14},
    "thermal_genl_cmd": {"THERMAL_GENL_CMD_UNSPEC": 0, "THERMAL_GENL_CMD_TZ_GET_ID": 1,
        "THERMAL_GENL_CMD_TZ_GET_TRIP": 2, "THERMAL_GENL_CMD_TZ_GET_TEMP": 3, "THERMAL_GENL_CMD_TZ_GET_GOV": 4,
        "THERMAL_GENL_CMD_TZ_GET_MODE": 5, "THERMAL_GENL_CMD_CDEV_GET": 6},
}
H = SimpleNamespace(ENUMS={t: tuple(m) for t, m in _ENUMS.items()},
                    **{k: v for m in _ENUMS.values() for k, v in m.items()})

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
    v = {c.field.abbrev[len("thermal."):]: c for c in root.children or ()
         if c.field.abbrev.startswith("thermal.") and not c.status}
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
