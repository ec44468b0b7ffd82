"""devlink: device-level configuration (the `devlink` tool), names from <linux/devlink.h>.

devlink uses one flat attribute space: its nests (ports, params, resources, info
versions, health reporters, traps, reload statistics …) hold devlink attributes again,
so the set nests into itself.  A parameter's value (DEVLINK_ATTR_PARAM_VALUE_DATA) takes
the type named by its parameter's DEVLINK_ATTR_PARAM_TYPE, one nest up; it is shown by
its length (integers) or as text, and the formatted messages (FMSG) likewise.
"""
from __future__ import annotations

from ...core.attrs import a, by_width_text, enum_set
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import devlink as DL

PORT_TYPES = names_from(DL, "DEVLINK_PORT_TYPE_", "devlink_port_type", exclude=())
FLAVOURS = names_from(DL, "DEVLINK_PORT_FLAVOUR_", "devlink_port_flavour", exclude=())
ESW_MODES = names_from(DL, "DEVLINK_ESWITCH_MODE_", "devlink_eswitch_mode", exclude=())
CMODES = names_from(DL, "DEVLINK_PARAM_CMODE_", "devlink_param_cmode", exclude=("MAX",))
TRAP_ACTIONS = names_from(DL, "DEVLINK_TRAP_ACTION_", "devlink_trap_action", exclude=())
TRAP_TYPES = names_from(DL, "DEVLINK_TRAP_TYPE_", "devlink_trap_type", exclude=())
RELOAD_ACTIONS = names_from(DL, "DEVLINK_RELOAD_ACTION_", "devlink_reload_action", exclude=("MAX",))
RESOURCE_UNITS = names_from(DL, "DEVLINK_RESOURCE_UNIT_", "devlink_resource_unit", exclude=())
PARAM_TYPES = {1: "u8", 2: "u16", 3: "u32", 5: "string", 6: "flag"}   # NLA_* numbers the kernel reports
HEALTH_STATES = {0: "healthy", 1: "error"}


NEST = "nest"
TYPES = {
    "BUS_NAME": "string", "DEV_NAME": "string", "PORT_INDEX": "u32", "PORT_TYPE": a("u16", enum=PORT_TYPES),
    "PORT_DESIRED_TYPE": a("u16", enum=PORT_TYPES), "PORT_NETDEV_IFINDEX": "u32", "PORT_NETDEV_NAME": "string",
    "PORT_IBDEV_NAME": "string", "PORT_SPLIT_COUNT": "u32", "PORT_SPLIT_GROUP": "u32", "SB_INDEX": "u32",
    "SB_SIZE": "u32", "SB_INGRESS_POOL_COUNT": "u16", "SB_EGRESS_POOL_COUNT": "u16", "SB_INGRESS_TC_COUNT": "u16",
    "SB_EGRESS_TC_COUNT": "u16", "SB_POOL_INDEX": "u16", "SB_POOL_TYPE": "u8", "SB_POOL_SIZE": "u32",
    "SB_POOL_THRESHOLD_TYPE": "u8", "SB_THRESHOLD": "u32", "SB_TC_INDEX": "u16", "SB_OCC_CUR": "u32",
    "SB_OCC_MAX": "u32", "ESWITCH_MODE": a("u16", enum=ESW_MODES), "ESWITCH_INLINE_MODE": "u8",
    "DPIPE_TABLES": NEST, "DPIPE_TABLE": NEST, "DPIPE_TABLE_NAME": "string", "DPIPE_TABLE_SIZE": "u64",
    "DPIPE_TABLE_MATCHES": NEST, "DPIPE_TABLE_ACTIONS": NEST, "DPIPE_TABLE_COUNTERS_ENABLED": "u8",
    "DPIPE_ENTRIES": NEST, "DPIPE_ENTRY": NEST, "DPIPE_ENTRY_INDEX": "u64", "DPIPE_ENTRY_MATCH_VALUES": NEST,
    "DPIPE_ENTRY_ACTION_VALUES": NEST, "DPIPE_ENTRY_COUNTER": "u64", "DPIPE_MATCH": NEST, "DPIPE_MATCH_VALUE": NEST,
    "DPIPE_MATCH_TYPE": "u32", "DPIPE_ACTION": NEST, "DPIPE_ACTION_VALUE": NEST, "DPIPE_ACTION_TYPE": "u32",
    "DPIPE_VALUE_MAPPING": "u32", "DPIPE_HEADERS": NEST, "DPIPE_HEADER": NEST, "DPIPE_HEADER_NAME": "string",
    "DPIPE_HEADER_ID": "u32", "DPIPE_HEADER_FIELDS": NEST, "DPIPE_HEADER_GLOBAL": "u8", "DPIPE_HEADER_INDEX": "u32",
    "DPIPE_FIELD": NEST, "DPIPE_FIELD_NAME": "string", "DPIPE_FIELD_ID": "u32", "DPIPE_FIELD_BITWIDTH": "u32",
    "DPIPE_FIELD_MAPPING_TYPE": "u32", "PAD": "pad", "ESWITCH_ENCAP_MODE": "u8", "RESOURCE_LIST": NEST,
    "RESOURCE": NEST, "RESOURCE_NAME": "string", "RESOURCE_ID": "u64", "RESOURCE_SIZE": "u64",
    "RESOURCE_SIZE_NEW": "u64", "RESOURCE_SIZE_VALID": "u8", "RESOURCE_SIZE_MIN": "u64", "RESOURCE_SIZE_MAX": "u64",
    "RESOURCE_SIZE_GRAN": "u64", "RESOURCE_UNIT": a("u8", enum=RESOURCE_UNITS), "RESOURCE_OCC": "u64",
    "DPIPE_TABLE_RESOURCE_ID": "u64", "DPIPE_TABLE_RESOURCE_UNITS": "u64", "PORT_FLAVOUR": a("u16", enum=FLAVOURS),
    "PORT_NUMBER": "u32", "PORT_SPLIT_SUBPORT_NUMBER": "u32", "PARAM": NEST, "PARAM_NAME": "string",
    "PARAM_GENERIC": "flag", "PARAM_TYPE": a("u8", enum=PARAM_TYPES), "PARAM_VALUES_LIST": NEST, "PARAM_VALUE": NEST,
    "PARAM_VALUE_DATA": a("binary", show=by_width_text), "PARAM_VALUE_CMODE": a("u8", enum=CMODES),
    "REGION_NAME": "string", "REGION_SIZE": "u64", "REGION_SNAPSHOTS": NEST, "REGION_SNAPSHOT": NEST,
    "REGION_SNAPSHOT_ID": "u32", "REGION_CHUNKS": NEST, "REGION_CHUNK": NEST, "REGION_CHUNK_DATA": "binary",
    "REGION_CHUNK_ADDR": "u64", "REGION_CHUNK_LEN": "u64", "INFO_DRIVER_NAME": "string",
    "INFO_SERIAL_NUMBER": "string", "INFO_VERSION_FIXED": NEST, "INFO_VERSION_RUNNING": NEST,
    "INFO_VERSION_STORED": NEST, "INFO_VERSION_NAME": "string", "INFO_VERSION_VALUE": "string",
    "SB_POOL_CELL_SIZE": "u32", "FMSG": NEST, "FMSG_OBJ_NEST_START": "flag", "FMSG_PAIR_NEST_START": "flag",
    "FMSG_ARR_NEST_START": "flag", "FMSG_NEST_END": "flag", "FMSG_OBJ_NAME": "string", "FMSG_OBJ_VALUE_TYPE": "u8",
    "FMSG_OBJ_VALUE_DATA": a("binary", show=by_width_text), "HEALTH_REPORTER": NEST, "HEALTH_REPORTER_NAME": "string",
    "HEALTH_REPORTER_STATE": a("u8", enum=HEALTH_STATES), "HEALTH_REPORTER_ERR_COUNT": "u64",
    "HEALTH_REPORTER_RECOVER_COUNT": "u64", "HEALTH_REPORTER_DUMP_TS": "u64",
    "HEALTH_REPORTER_GRACEFUL_PERIOD": a("u64", unit="ms"), "HEALTH_REPORTER_AUTO_RECOVER": "u8",
    "FLASH_UPDATE_FILE_NAME": "string", "FLASH_UPDATE_COMPONENT": "string", "FLASH_UPDATE_STATUS_MSG": "string",
    "FLASH_UPDATE_STATUS_DONE": "u64", "FLASH_UPDATE_STATUS_TOTAL": "u64", "PORT_PCI_PF_NUMBER": "u16",
    "PORT_PCI_VF_NUMBER": "u16", "STATS": NEST, "TRAP_NAME": "string", "TRAP_ACTION": a("u8", enum=TRAP_ACTIONS),
    "TRAP_TYPE": a("u8", enum=TRAP_TYPES), "TRAP_GENERIC": "flag", "TRAP_METADATA": NEST,
    "TRAP_GROUP_NAME": "string", "RELOAD_FAILED": "u8", "HEALTH_REPORTER_DUMP_TS_NS": "u64", "NETNS_FD": "u32",
    "NETNS_PID": "u32", "NETNS_ID": "u32", "HEALTH_REPORTER_AUTO_DUMP": "u8", "TRAP_POLICER_ID": "u32",
    "TRAP_POLICER_RATE": "u64", "TRAP_POLICER_BURST": "u64", "PORT_FUNCTION": NEST,
    "INFO_BOARD_SERIAL_NUMBER": "string", "PORT_LANES": "u32", "PORT_SPLITTABLE": "u8", "PORT_EXTERNAL": "u8",
    "PORT_CONTROLLER_NUMBER": "u32", "FLASH_UPDATE_STATUS_TIMEOUT": "u64", "FLASH_UPDATE_OVERWRITE_MASK": "bitfield32",
    "RELOAD_ACTION": a("u8", enum=RELOAD_ACTIONS), "RELOAD_ACTIONS_PERFORMED": "bitfield32",
    "RELOAD_LIMITS": "bitfield32", "DEV_STATS": NEST, "RELOAD_STATS": NEST, "RELOAD_STATS_ENTRY": NEST,
    "RELOAD_STATS_LIMIT": "u8", "RELOAD_STATS_VALUE": "u32", "REMOTE_RELOAD_STATS": NEST, "RELOAD_ACTION_INFO": NEST,
    "RELOAD_ACTION_STATS": NEST, "PORT_PCI_SF_NUMBER": "u32", "RATE_TYPE": "u16", "RATE_TX_SHARE": "u64",
    "RATE_TX_MAX": "u64", "RATE_NODE_NAME": "string", "RATE_PARENT_NODE_NAME": "string",
    "REGION_MAX_SNAPSHOTS": "u32", "LINECARD_INDEX": "u32", "LINECARD_STATE": "u8", "LINECARD_TYPE": "string",
    "LINECARD_SUPPORTED_TYPES": NEST, "NESTED_DEVLINK": NEST, "SELFTESTS": "binary",
}
DEVLINK = enum_set("devlink", "devlink", DL, "devlink_attr", "DEVLINK_ATTR_", TYPES, label="devlink")
STATS = enum_set("stats", "devlink.stats_entry", DL, "DEVLINK_ATTR_STATS_RX_PACKETS", "DEVLINK_ATTR_STATS_",
                 {}, default="u64", label="statistics")
PORT_FN = enum_set("port_function", "devlink.port_function", DL, "devlink_port_function_attr", "DEVLINK_PORT_",
                   {"FUNCTION_ATTR_HW_ADDR": a("binary", hint="mac"), "FN_ATTR_STATE": "u8", "FN_ATTR_OPSTATE": "u8"},
                   label="port function")
for _spec in DEVLINK.by_num.values():
    if _spec.type == "nest":
        _spec.nested = DEVLINK      # devlink's nests hold devlink attributes
DEVLINK.by_name["DEVLINK_ATTR_STATS"].nested = STATS
DEVLINK.by_name["DEVLINK_ATTR_PORT_FUNCTION"].nested = PORT_FN


def devlink_info(root) -> str:
    bus = dev = None
    parts = []
    for c in root.children or ():
        ab = c.field.abbrev
        if ab == "devlink.bus_name":
            bus = c.value
        elif ab == "devlink.dev_name":
            dev = c.value
        elif ab == "devlink.port_index":
            parts.append(f"port {c.value}")
        elif ab in ("devlink.port_netdev_name", "devlink.info_driver_name", "devlink.health_reporter"):
            parts.append(str(c.value) if c.value is not None else "")
    for n in root.walk():
        if n.field.abbrev in ("devlink.param_name", "devlink.resource_name", "devlink.health_reporter_name",
                              "devlink.trap_name"):
            parts.append(str(n.value))
            break
    head = f"{bus}/{dev}" if bus and dev else ""
    return " ".join(p for p in [head, *parts] if p)


CMDS = names_from(DL, "DEVLINK_CMD_", "devlink_command", exclude=("UNSPEC", "MAX"))
register_genl_family(GenlFamily("devlink", "devlink", {
    num: MessageType(0, name, kind_from_name(name), None, DEVLINK, info=devlink_info) for num, name in CMDS.items()},
    DEVLINK))
