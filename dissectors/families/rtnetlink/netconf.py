"""Per-device IP configuration: RTM_NEWNETCONF/GETNETCONF/DELNETCONF (struct netconfmsg, NETCONFA_*)."""
from __future__ import annotations

from ...core.attrs import enum_set
from ...core.info import info
from ...core.schema import c_struct
from ...generated import netconf as NC
from .common import show_af
from .protocol import add_types, is_dump_request, top

NETCONFMSG = c_struct(NC, "netconfmsg", "rtnl.netconf", strip="ncm_", label="netconfmsg", show={"family": show_af})
# NETCONFA_IFINDEX is -1 (NETCONFA_IFINDEX_ALL) or -2 (NETCONFA_IFINDEX_DEFAULT) for the global settings
_IFINDEX = {-1: "all", -2: "default"}
NETCONFA = enum_set("netconf", "rtnl.netconf", NC, "NETCONFA_UNSPEC", "NETCONFA_", {}, default="s32",
                    label="netconf")
NETCONFA.by_name["NETCONFA_IFINDEX"].show = lambda v: _IFINDEX.get(v, str(v))


@info(("rtnl.netconf.ifindex", "rtnl.netconf.forwarding"))
def netconf_info(root) -> str:
    idx = top(root, "rtnl.netconf.ifindex")
    if idx is None:
        return "dump" if is_dump_request(root) else ""
    parts = [f"dev {_IFINDEX.get(idx, idx)}"]
    fwd = top(root, "rtnl.netconf.forwarding")
    if fwd is not None:
        parts.append(f"forwarding {'on' if fwd else 'off'}")
    return " ".join(parts)


add_types(["RTM_NEWNETCONF", "RTM_DELNETCONF", "RTM_GETNETCONF"], NETCONFMSG, NETCONFA, netconf_info)
