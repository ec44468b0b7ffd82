"""mptcp_pm: the MPTCP path manager (`ip mptcp`), and its events; names from <linux/mptcp.h>."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import mptcp as M

AF = {2: "AF_INET", 10: "AF_INET6"}
ADDR_FLAGS = names_from(M, "MPTCP_PM_ADDR_FLAG_", exclude=())
ADDR = enum_set("addr", "mptcp_pm.addr", M, "MPTCP_PM_ADDR_ATTR_UNSPEC", "MPTCP_PM_ADDR_ATTR_", {
    "FAMILY": a("u16", enum=AF), "ID": "u8", "ADDR4": a("binary", hint="ipv4"), "ADDR6": a("binary", hint="ipv6"),
    "PORT": "u16", "FLAGS": a("u32", flags=ADDR_FLAGS), "IF_IDX": "s32"}, label="address")
PM = enum_set("pm", "mptcp_pm", M, "MPTCP_PM_ATTR_UNSPEC", "MPTCP_PM_ATTR_", {
    "ADDR": a("nest", nested=ADDR), "RCV_ADD_ADDRS": "u32", "SUBFLOWS": "u32", "TOKEN": a("u32", show=hex),
    "LOC_ID": "u8", "ADDR_REMOTE": a("nest", nested=ADDR)}, label="mptcp_pm")
EVENT = enum_set("event", "mptcp_pm.event", M, "mptcp_event_attr", "MPTCP_ATTR_", {
    "TOKEN": a("u32", show=hex), "FAMILY": a("u16", enum=AF), "LOC_ID": "u8", "REM_ID": "u8",
    "SADDR4": a("binary", hint="ipv4"), "SADDR6": a("binary", hint="ipv6"), "DADDR4": a("binary", hint="ipv4"),
    "DADDR6": a("binary", hint="ipv6"), "SPORT": a("u16", big_endian=True), "DPORT": a("u16", big_endian=True),
    "BACKUP": "u8", "ERROR": "u8", "FLAGS": "u16", "TIMEOUT": "u32", "IF_IDX": "s32", "RESET_REASON": "u32",
    "RESET_FLAGS": "u32", "SERVER_SIDE": "u8"}, label="mptcp event")


def pm_info(root) -> str:
    parts = []
    for n in root.walk():
        ab = n.field.abbrev
        if ab in ("mptcp_pm.addr.addr4", "mptcp_pm.addr.addr6"):
            parts.append(str(n.value))
        elif ab == "mptcp_pm.addr.id":
            parts.append(f"id {n.value}")
        elif ab in ("mptcp_pm.subflows", "mptcp_pm.rcv_add_addrs"):
            parts.append(f"{ab.rsplit('.', 1)[1]} {n.value}")
        elif ab == "mptcp_pm.addr.flags" and n.text:
            parts.append(n.text.split("(", 1)[-1].rstrip(")").lower().replace("mptcp_pm_addr_flag_", ""))
    return " ".join(parts)


CMDS = names_from(M, "MPTCP_PM_CMD_", "MPTCP_PM_CMD_UNSPEC", exclude=("UNSPEC",))
EVENTS = names_from(M, "MPTCP_EVENT_", "mptcp_event_type", exclude=("UNSPEC",))
requests = {num: MessageType(0, name, kind_from_name(name), None, PM, info=pm_info) for num, name in CMDS.items()}
# the kernel's event notifications on the "mptcp_pm_events" group use their own numbers
events = {num: MessageType(0, name, "other", None, EVENT) for num, name in EVENTS.items()}
register_genl_family(GenlFamily("mptcp_pm", "mptcp_pm", requests, PM, events=events))
