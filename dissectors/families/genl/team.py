"""team: the team driver's options and ports (libteam/teamd), names from <linux/if_team.h>."""
from __future__ import annotations

from ...core.attrs import a, by_width_text, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import if_team as T

# TEAM_ATTR_OPTION_TYPE: the NLA_* policy type of the option's DATA, numbered as the kernel's
# enum in include/net/netlink.h (NLA_U8 1 … NLA_STRING 5, NLA_FLAG 6, NLA_MSECS 7, NLA_NESTED 8,
# NLA_NESTED_ARRAY 9, NLA_NUL_STRING 10, NLA_BINARY 11, NLA_S8 12, NLA_S16 13, NLA_S32 14).
# team_nl_fill_one_option_get() puts one of five, by the option's TEAM_OPTION_TYPE_*: U32 ->
# NLA_U32, STRING -> NLA_STRING, BINARY -> NLA_BINARY, BOOL -> NLA_FLAG, S32 -> NLA_S32; and
# team_nl_options_set_doit() takes only those five (-EINVAL for any other).
OPTION_TYPES = {3: "NLA_U32", 5: "NLA_STRING", 6: "NLA_FLAG", 11: "NLA_BINARY", 14: "NLA_S32"}
OPTION = enum_set("option", "team.option", T, "TEAM_ATTR_OPTION_UNSPEC", "TEAM_ATTR_OPTION_", {
    "NAME": "string", "CHANGED": "flag", "TYPE": a("u8", enum=OPTION_TYPES), "DATA": a("binary", show=by_width_text),
    "REMOVED": "flag", "PORT_IFINDEX": "u32", "ARRAY_INDEX": "u32"}, label="option")
OPTION_ITEM = enum_set("option_item", "team.options", T, "TEAM_ATTR_ITEM_OPTION_UNSPEC", "TEAM_ATTR_ITEM_",
                       {"OPTION": a("nest", nested=OPTION)}, label="options")
PORT = enum_set("port", "team.port", T, "TEAM_ATTR_PORT_UNSPEC", "TEAM_ATTR_PORT_", {
    "IFINDEX": "u32", "CHANGED": "flag", "LINKUP": "flag", "SPEED": a("u32", unit="Mb/s"), "DUPLEX": "u8",
    "REMOVED": "flag"}, label="port")
PORT_ITEM = enum_set("port_item", "team.ports", T, "TEAM_ATTR_ITEM_PORT_UNSPEC", "TEAM_ATTR_ITEM_",
                     {"PORT": a("nest", nested=PORT)}, label="ports")
TEAM = enum_set("team", "team", T, "TEAM_ATTR_UNSPEC", "TEAM_ATTR_", {
    "TEAM_IFINDEX": "u32", "LIST_OPTION": a("nest", nested=OPTION_ITEM), "LIST_PORT": a("nest", nested=PORT_ITEM)},
    label="team")


@info(levels=3)   # option names: list, option, name
def team_info(root) -> str:
    idx = root.first("team.team_ifindex")
    opts = [n.value for n in root.find_all("team.option.name")]
    parts = [f"team ifindex {idx}" if idx else ""]
    if opts:
        parts.append(f"{len(opts)} options")
    return " ".join(p for p in parts if p)


CMDS = names_from(T, "TEAM_CMD_", "TEAM_CMD_NOOP", exclude=("MAX",))
register_genl_family(GenlFamily("team", "team", {
    n: MessageType(0, name, kind_from_name(name), None, TEAM, info=team_info) for n, name in CMDS.items()}, TEAM))
