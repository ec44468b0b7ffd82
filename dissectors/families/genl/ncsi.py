"""NCSI: the Network Controller Sideband Interface of a BMC's NIC (OpenBMC's `ncsi-netlink`),
net/ncsi/ncsi-netlink.c.

PKG_INFO answers the packages of an interface, each with its channels (version, link state,
active/forced, VLAN filters); SET_INTERFACE/CLEAR_INTERFACE force or release a package and
channel, SET_PACKAGE_MASK/SET_CHANNEL_MASK whitelist them, SEND_CMD passes a raw NC-SI
command (DATA) through and answers its response.  Debian's kernels are built without
CONFIG_NET_NCSI: the family is decoded from the UAPI header for captures of kernels that have it.
"""
from __future__ import annotations

from ...core.attrs import AttrSet, a, enum_set
from ...core.info import info
from ...core.registry import DEL, GET, NEW, OTHER, GenlFamily, MessageType, register_genl_family
from .cenum import Header
from .protocol import top_attrs

# <linux/ncsi.h> (NCSI_PKG_ATTR and NCSI_CHANNEL_ATTR, the nests' own members, have no
# trailing word: the names are spelled out whole)
H = Header("linux/ncsi.h")
H.enum("ncsi_nl_commands", "UNSPEC PKG_INFO SET_INTERFACE CLEAR_INTERFACE SEND_CMD SET_PACKAGE_MASK "
       "SET_CHANNEL_MASK __AFTER_LAST", "NCSI_CMD_")
H.enum("ncsi_nl_attrs", "UNSPEC IFINDEX PACKAGE_LIST PACKAGE_ID CHANNEL_ID DATA MULTI_FLAG PACKAGE_MASK "
       "CHANNEL_MASK __AFTER_LAST", "NCSI_ATTR_")
H.enum("ncsi_nl_pkg_attrs", "NCSI_PKG_ATTR_UNSPEC NCSI_PKG_ATTR NCSI_PKG_ATTR_ID NCSI_PKG_ATTR_FORCED "
       "NCSI_PKG_ATTR_CHANNEL_LIST __NCSI_PKG_ATTR_AFTER_LAST")
H.enum("ncsi_nl_channel_attrs", "NCSI_CHANNEL_ATTR_UNSPEC NCSI_CHANNEL_ATTR NCSI_CHANNEL_ATTR_ID "
       "NCSI_CHANNEL_ATTR_VERSION_MAJOR NCSI_CHANNEL_ATTR_VERSION_MINOR NCSI_CHANNEL_ATTR_VERSION_STR "
       "NCSI_CHANNEL_ATTR_LINK_STATE NCSI_CHANNEL_ATTR_ACTIVE NCSI_CHANNEL_ATTR_FORCED NCSI_CHANNEL_ATTR_VLAN_LIST "
       "NCSI_CHANNEL_ATTR_VLAN_ID __NCSI_CHANNEL_ATTR_AFTER_LAST")

_CH = "ncsi_nl_channel_attrs"
# ncsi_write_channel_info(): ID, versions, LINK_STATE (the Get Link Status response's link
# bits) u32, VERSION_STR a string, ACTIVE/FORCED flags, VLAN_LIST a nest of VLAN_ID u16s
VLANS = AttrSet("vlans", "ncsi.vlans", {"NCSI_CHANNEL_ATTR_VLAN_ID": a("u16")}, H, strip="NCSI_CHANNEL_ATTR_",
                label="VLAN filters")
CHANNEL = enum_set("channel", "ncsi.channel", H, _CH, "NCSI_CHANNEL_ATTR_", {
    "ID": "u32", "VERSION_MAJOR": a("u32", show=lambda v: f"{v:#010x}"),
    "VERSION_MINOR": a("u32", show=lambda v: f"{v:#010x}"), "VERSION_STR": "string",
    "LINK_STATE": a("u32", show=lambda v: f"{v:#010x}"), "ACTIVE": "flag", "FORCED": "flag",
    "VLAN_LIST": a("nest", nested=VLANS), "VLAN_ID": "u16"}, label="channel")
# the lists: one nest per channel (NCSI_CHANNEL_ATTR) and per package (NCSI_PKG_ATTR)
CHANNELS = AttrSet("channels", "ncsi.channels", {"NCSI_CHANNEL_ATTR": a("nest", nested=CHANNEL)}, H,
                   strip="NCSI_", label="channel list")
PACKAGE = enum_set("package", "ncsi.package", H, "ncsi_nl_pkg_attrs", "NCSI_PKG_ATTR_", {
    "ID": "u32", "FORCED": "flag", "CHANNEL_LIST": a("nest", nested=CHANNELS)}, label="package")
PACKAGES = AttrSet("packages", "ncsi.packages", {"NCSI_PKG_ATTR": a("nest", nested=PACKAGE)}, H, strip="NCSI_",
                   label="package list")
# ncsi_genl_policy: IFINDEX, PACKAGE_ID, CHANNEL_ID, the masks u32, DATA binary (an NC-SI
# packet, up to 2048 bytes), MULTI_FLAG a flag
NCSI = enum_set("ncsi", "ncsi", H, "ncsi_nl_attrs", "NCSI_ATTR_", {
    "IFINDEX": "u32", "PACKAGE_LIST": a("nest", nested=PACKAGES), "PACKAGE_ID": "u32", "CHANNEL_ID": "u32",
    "DATA": a("binary", hint="hex"), "MULTI_FLAG": "flag", "PACKAGE_MASK": a("u32", show=hex),
    "CHANNEL_MASK": a("u32", show=hex)}, label="NCSI")


@info(levels=4)
def ncsi_info(root) -> str:
    """`ifindex 2 package 0 channel 0 active`, a PKG_INFO answer as its packages and channels."""
    v = top_attrs(root, "ncsi.")
    parts = [f"{k.split('_')[0]} {v[k].text or v[k].value}" if k != "ifindex" else f"ifindex {v[k].value}"
             for k in ("ifindex", "package_id", "channel_id") if k in v]
    for k in ("package_mask", "channel_mask"):
        if k in v:
            parts.append(f"{k.replace('_', ' ')} {v[k].text}")
    if "multi_flag" in v:
        parts.append("multi")
    for node in root.walk():
        ab = node.field.abbrev
        if ab == "ncsi.package.id":
            parts.append(f"package {node.value}")
        elif ab == "ncsi.channel.id":
            parts.append(f"channel {node.value}")
        elif ab == "ncsi.channel.active":
            parts.append("active")
        elif ab in ("ncsi.channel.forced", "ncsi.package.forced"):
            parts.append("forced")
    if "data" in v:
        parts.append(f"{len(bytes.fromhex(v['data'].value)) if isinstance(v['data'].value, str) else len(v['data'].value)} "
                     "bytes of NC-SI")
    return " ".join(parts)


_KINDS = {"PKG_INFO": GET, "SET_INTERFACE": NEW, "CLEAR_INTERFACE": DEL, "SET_PACKAGE_MASK": NEW,
          "SET_CHANNEL_MASK": NEW, "SEND_CMD": OTHER}
CMDS = {getattr(H, c): c for c in H.ENUMS["ncsi_nl_commands"] if not c.startswith("__") and not c.endswith("UNSPEC")}
register_genl_family(GenlFamily("NCSI", "ncsi", {
    n: MessageType(0, name, _KINDS[name[len("NCSI_CMD_"):]], None, NCSI, info=ncsi_info) for n, name in CMDS.items()},
    NCSI))
