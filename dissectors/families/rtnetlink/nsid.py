"""Network namespace ids: RTM_NEWNSID/DELNSID/GETNSID (struct rtgenmsg, NETNSA_*)."""
from __future__ import annotations

from ...core.attrs import enum_set
from ...generated import net_namespace as NS
from .link import RTGENMSG
from .protocol import add_types, is_dump_request, top

NETNSA = enum_set("nsid", "rtnl.nsid", NS, "NETNSA_NONE", "NETNSA_", {"PID": "u32", "FD": "u32"}, default="s32",
                  label="namespace id")


def nsid_info(root) -> str:
    nsid = top(root, "rtnl.nsid.nsid")
    if nsid is not None:
        return f"nsid {nsid}" + (" (not assigned)" if nsid == -1 else "")
    return "dump" if is_dump_request(root) else ""


add_types(["RTM_NEWNSID", "RTM_DELNSID", "RTM_GETNSID"], RTGENMSG, NETNSA, nsid_info)
