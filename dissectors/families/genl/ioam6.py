"""IOAM6: IPv6 In-situ OAM namespaces and schemas (`ip ioam`), and trace events; net/ipv6/ioam6.c."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import ioam6_genl as H
from .protocol import top_attrs

# ioam6_genl_policy_*: NS_ID u16, NS_DATA u32, NS_DATA_WIDE u64, SC_ID u32, SC_DATA binary of at
# most 255 * 4 bytes, SC_NONE a flag; replies put the same (__ioam6_genl_dumpns_element(),
# __ioam6_genl_dumpsc_element()), leaving out data the namespace has none of (all ones)
IOAM6 = enum_set("ioam6", "ioam6", H, "IOAM6_ATTR_UNSPEC", "IOAM6_ATTR_", {
    "NS_ID": "u16", "NS_DATA": a("u32", show=lambda v: f"{v:#010x}"),
    "NS_DATA_WIDE": a("u64", show=lambda v: f"{v:#018x}"),
    "SC_ID": "u32", "SC_DATA": a("binary", hint="hex"), "SC_NONE": "flag", "PAD": "pad"}, label="IOAM6")
# ioam6_event(): what a node's trace showed, to the "ioam6_events" group (6.12; 6.1's
# <linux/ioam6_genl.h> has no trace events)
EVENT = enum_set("event", "ioam6.event", H, "ioam6_event_attr", "IOAM6_EVENT_ATTR_", {
    "TRACE_NAMESPACE": "u16", "TRACE_NODELEN": a("u8", unit="x 4 bytes"),
    "TRACE_TYPE": a("u32", show=lambda v: f"{v:#08x}"), "TRACE_DATA": a("binary", hint="hex")}, label="IOAM6 event")


@info()
def ioam6_info(root) -> str:
    """`namespace 1 [schema 7], data 0xdeadbeef, wide 0x1122334455667788`, `schema 7
    [namespace 1], data: 68 65 6c 6c 6f 00 00 00`: as `ip ioam` prints them."""
    v = top_attrs(root, "ioam6.")
    if "sc_data" in v or ("sc_id" in v and "ns_id" not in v):
        out = f"schema {v['sc_id'].value}" if "sc_id" in v else "schema"
        if "ns_id" in v:
            out += f" [namespace {v['ns_id'].value}]"
        if "sc_data" in v:
            out += ", data: " + bytes(v["sc_data"].value).hex(" ")
        return out
    out = f"namespace {v['ns_id'].value}" if "ns_id" in v else ""
    if "sc_id" in v:
        out += f" [schema {v['sc_id'].value}]"
    elif "sc_none" in v:
        out += " [schema none]"
    if "ns_data" in v:
        out += f", data {v['ns_data'].value:#010x}"
    if "ns_data_wide" in v:
        out += f", wide {v['ns_data_wide'].value:#018x}"
    return out


CMDS = names_from(H, "IOAM6_CMD_", "IOAM6_CMD_UNSPEC")
EVENTS = names_from(H, "IOAM6_EVENT_", "ioam6_event_type")
register_genl_family(GenlFamily("IOAM6", "ioam6", {
    n: MessageType(0, name, kind_from_name(name.replace("_DUMP_", "_GET_")), None, IOAM6, info=ioam6_info)
    for n, name in CMDS.items()},
    IOAM6, events={n: MessageType(0, name, "other", None, EVENT) for n, name in EVENTS.items()}))
