"""psample: packets sampled by tc's `sample` action and by drivers, names from <linux/psample.h>.

The sampled packet (PSAMPLE_ATTR_DATA) is an Ethernet frame; it is shown as bytes here."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import psample as P

TUNNEL = enum_set("tunnel", "psample.tunnel", P, "psample_tunnel_key_attr", "PSAMPLE_TUNNEL_KEY_ATTR_", {
    "ID": a("u64", big_endian=True), "IPV4_SRC": a("binary", hint="ipv4"), "IPV4_DST": a("binary", hint="ipv4"),
    "TOS": "u8", "TTL": "u8", "DONT_FRAGMENT": "flag", "CSUM": "flag", "OAM": "flag", "TP_SRC": a("u16", big_endian=True),
    "TP_DST": a("u16", big_endian=True), "IPV6_SRC": a("binary", hint="ipv6"), "IPV6_DST": a("binary", hint="ipv6"),
    "PAD": "pad", "IPV4_INFO_BRIDGE": "flag"}, label="tunnel key")
PSAMPLE = enum_set("psample", "psample", P, "PSAMPLE_ATTR_IIFINDEX", "PSAMPLE_ATTR_", {
    "IIFINDEX": "u16", "OIFINDEX": "u16", "ORIGSIZE": "u32", "SAMPLE_GROUP": "u32", "GROUP_SEQ": "u32",
    "SAMPLE_RATE": "u32", "DATA": "binary", "GROUP_REFCOUNT": "u32", "TUNNEL": a("nest", nested=TUNNEL), "PAD": "pad",
    "OUT_TC": "u16", "OUT_TC_OCC": "u64", "LATENCY": a("u64", unit="ns"), "TIMESTAMP": a("u64", unit="ns"),
    "PROTO": a("u16", show=hex)}, label="psample")


def psample_info(root) -> str:
    group = root.first("psample.sample_group")
    parts = [f"group {group}" if group is not None else ""]
    size = root.first("psample.origsize")
    if size is not None:
        parts.append(f"{size} bytes, rate 1/{root.first('psample.sample_rate')}")
    refs = root.first("psample.group_refcount")
    if refs is not None:
        parts.append(f"refcount {refs}")
    return " ".join(p for p in parts if p)


CMDS = names_from(P, "PSAMPLE_CMD_", "psample_command", exclude=())
register_genl_family(GenlFamily("psample", "psample", {
    n: MessageType(0, name, kind_from_name(name), None, PSAMPLE, info=psample_info) for n, name in CMDS.items()},
    PSAMPLE))
