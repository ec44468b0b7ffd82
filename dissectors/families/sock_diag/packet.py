"""AF_PACKET sockets (`ss -0`, and tcpdump's own socket): struct packet_diag_req /
packet_diag_msg and PACKET_DIAG_* (info, rings, fanout, classic BPF filter op by op)."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int16ul, Int32ul

from ...core.attrs import a, enum_set, struct_array
from ...core.schema import FixedStruct, c_struct, flags_show, member, pad
from ...generated import packet_diag as P
from .inet import MEMINFO_NAMES
from .protocol import header_values, register_sock_family

SHOW = {getattr(P, n): n[len("PACKET_SHOW_"):] for n in vars(P) if n.startswith("PACKET_SHOW_")}
PDI_FLAGS = {getattr(P, n): n[len("PDI_"):] for n in vars(P) if n.startswith("PDI_")}
TYPES = {1: "SOCK_STREAM", 2: "SOCK_DGRAM", 3: "SOCK_RAW", 10: "SOCK_PACKET"}
REQ = FixedStruct("packet_diag_req", "sock_diag.packet.req", [
    member("family", Int8ul), member("protocol", Int8ul), pad(2), member("ino", Int32ul),
    member("show", Int32ul, flags_show(SHOW)), member("cookie", Bytes(8), lambda b: b.hex())], label="packet_diag_req")
MSG = FixedStruct("packet_diag_msg", "sock_diag.packet", [
    member("family", Int8ul), member("type", Int8ul, lambda v: f"{TYPES.get(v, v)} ({v})"),
    member("num", Int16ul, hex), member("ino", Int32ul), member("cookie", Bytes(8), lambda b: b.hex())],
    label="packet_diag_msg")
INFO = FixedStruct("packet_diag_info", "sock_diag.packet.info_struct", [
    member("index", Int32ul), member("version", Int32ul), member("reserve", Int32ul), member("copy_thresh", Int32ul),
    member("tstamp", Int32ul), member("flags", Int32ul, flags_show(PDI_FLAGS))], label="packet_diag_info")
MCLIST = FixedStruct("packet_diag_mclist", "sock_diag.packet.mclist_struct", [
    member("index", Int32ul), member("count", Int32ul), member("type", Int16ul), member("alen", Int16ul),
    member("addr", Bytes(32), lambda b: b.hex())], label="packet_diag_mclist")
SOCK_FILTER = FixedStruct("sock_filter", "sock_diag.packet.insn", [
    member("code", Int16ul, hex), member("jt", Int8ul), member("jf", Int8ul), member("k", Int32ul)],
    label="sock_filter")


RING = c_struct(P, "packet_diag_ring", "sock_diag.packet.ring", strip="pdr_", label="packet_diag_ring")
PACKET = enum_set("packet", "sock_diag.packet", P, "PACKET_DIAG_INFO", "PACKET_DIAG_", {
    "INFO": a("struct", struct=INFO), "MCLIST": a("struct", struct=MCLIST), "RX_RING": a("struct", struct=RING),
    "TX_RING": a("struct", struct=RING), "FANOUT": a("u32", show=hex), "UID": "u32",
    "MEMINFO": a("array", sub="u32", elem_names={k: v[len("SK_MEMINFO_"):].lower() for k, v in MEMINFO_NAMES.items()}),
    "FILTER": a("binary", decode=struct_array(SOCK_FILTER, item="insn"))}, label="packet socket")


def packet_info(root) -> str:
    vals = header_values(root)
    if not vals:
        return ""
    if "show" in vals:
        return "packet dump"
    return f"{TYPES.get(vals['type'], vals['type'])} proto {vals['num']:#06x} ino {vals['ino']}"


register_sock_family(17, REQ, None, MSG, PACKET, packet_info)
