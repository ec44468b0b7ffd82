"""IPv6 address labels: RTM_NEWADDRLABEL/DELADDRLABEL/GETADDRLABEL (struct ifaddrlblmsg, IFAL_*)."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.schema import c_struct
from ...generated import if_addrlabel as AL
from .common import show_af
from .protocol import add_types, is_dump_request, top

IFADDRLBLMSG = c_struct(AL, "ifaddrlblmsg", "rtnl.addrlabel", strip="ifal_", label="ifaddrlblmsg",
                        show={"family": show_af})
IFAL = enum_set("addrlabel", "rtnl.addrlabel", AL, "IFAL_ADDRESS", "IFAL_", {
    "ADDRESS": a("binary", hint="ipv6"), "LABEL": "u32"}, label="address label")


def addrlabel_info(root) -> str:
    addr = top(root, "rtnl.addrlabel.address")
    if addr is None:
        return "dump" if is_dump_request(root) else ""
    return f"prefix {addr}/{top(root, 'rtnl.addrlabel.prefixlen')} label {top(root, 'rtnl.addrlabel.label')}"


add_types(["RTM_NEWADDRLABEL", "RTM_DELADDRLABEL", "RTM_GETADDRLABEL"], IFADDRLBLMSG, IFAL, addrlabel_info)
