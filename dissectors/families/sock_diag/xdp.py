"""AF_XDP sockets (`ss --xdp`, module xsk_diag): struct xdp_diag_req / xdp_diag_msg and
XDP_DIAG_* (info, rings, umem, stats) from <linux/xdp_diag.h>."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int32ul, Int64ul

from ...core.attrs import AttrSet, a
from ...core.info import info
from ...core.schema import FixedStruct, flags_show, member, pad
from .inet import MEMINFO_NAMES
from .protocol import header_values, register_sock_family

AF_XDP = 44   # <bits/socket.h>
SHOW = {1: "INFO", 2: "RING_CFG", 4: "UMEM", 8: "MEMINFO", 16: "STATS"}   # XDP_SHOW_*
XDP_DU_F = {1: "ZEROCOPY"}
REQ = FixedStruct("xdp_diag_req", "sock_diag.xdp.req", [
    member("family", Int8ul), member("protocol", Int8ul), pad(2), member("ino", Int32ul),
    member("show", Int32ul, flags_show(SHOW)), member("cookie", Bytes(8), lambda b: b.hex())], label="xdp_diag_req")
MSG = FixedStruct("xdp_diag_msg", "sock_diag.xdp", [
    member("family", Int8ul), member("type", Int8ul), pad(2), member("ino", Int32ul),
    member("cookie", Bytes(8), lambda b: b.hex())], label="xdp_diag_msg")
INFO = FixedStruct("xdp_diag_info", "sock_diag.xdp.info_struct", [
    member("ifindex", Int32ul), member("queue_id", Int32ul)], label="xdp_diag_info")
RING = FixedStruct("xdp_diag_ring", "sock_diag.xdp.ring", [member("entries", Int32ul)], label="xdp_diag_ring")
UMEM = FixedStruct("xdp_diag_umem", "sock_diag.xdp.umem_struct", [
    member("size", Int64ul), member("id", Int32ul), member("num_pages", Int32ul), member("chunk_size", Int32ul),
    member("headroom", Int32ul), member("ifindex", Int32ul), member("queue_id", Int32ul),
    member("flags", Int32ul, flags_show(XDP_DU_F)), member("refs", Int32ul)], label="xdp_diag_umem")
STATS = FixedStruct("xdp_diag_stats", "sock_diag.xdp.stats_struct", [
    member(n, Int64ul) for n in ("n_rx_dropped", "n_rx_invalid", "n_rx_full", "n_fill_ring_empty",
                                 "n_tx_invalid", "n_tx_ring_empty")], label="xdp_diag_stats")
# enum { XDP_DIAG_NONE, XDP_DIAG_INFO, XDP_DIAG_UID, XDP_DIAG_RX_RING, XDP_DIAG_TX_RING, XDP_DIAG_UMEM,
#        XDP_DIAG_UMEM_FILL_RING, XDP_DIAG_UMEM_COMPLETION_RING, XDP_DIAG_MEMINFO, XDP_DIAG_STATS }
NUMBERS = {n: i for i, n in enumerate(
    ("XDP_DIAG_NONE", "XDP_DIAG_INFO", "XDP_DIAG_UID", "XDP_DIAG_RX_RING", "XDP_DIAG_TX_RING", "XDP_DIAG_UMEM",
     "XDP_DIAG_UMEM_FILL_RING", "XDP_DIAG_UMEM_COMPLETION_RING", "XDP_DIAG_MEMINFO", "XDP_DIAG_STATS"))}
XDP = AttrSet("xdp", "sock_diag.xdp", {
    "XDP_DIAG_INFO": a("struct", struct=INFO), "XDP_DIAG_UID": a("u32"),
    "XDP_DIAG_RX_RING": a("struct", struct=RING), "XDP_DIAG_TX_RING": a("struct", struct=RING),
    "XDP_DIAG_UMEM": a("struct", struct=UMEM), "XDP_DIAG_UMEM_FILL_RING": a("struct", struct=RING),
    "XDP_DIAG_UMEM_COMPLETION_RING": a("struct", struct=RING),
    "XDP_DIAG_MEMINFO": a("array", sub="u32",
                          elem_names={k: v[len("SK_MEMINFO_"):].lower() for k, v in MEMINFO_NAMES.items()}),
    "XDP_DIAG_STATS": a("struct", struct=STATS)}, NUMBERS, strip="XDP_DIAG_", label="xdp socket")


@info(full_tree=True)
def xdp_info(root) -> str:
    """`xdp ino 4321 dev 2 queue 0` or `xdp dump` for a request."""
    vals = header_values(root)
    if not vals:
        return ""
    if "show" in vals:
        return "xdp dump"
    text = f"xdp ino {vals['ino']}"
    ifindex, queue = root.first("sock_diag.xdp.info_struct.ifindex"), root.first("sock_diag.xdp.info_struct.queue_id")
    if ifindex is not None:
        text += f" dev {ifindex} queue {queue}"
    return text


register_sock_family(AF_XDP, REQ, None, MSG, XDP, xdp_info)
