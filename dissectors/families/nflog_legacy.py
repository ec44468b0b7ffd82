"""NETLINK_NFLOG (5): the legacy ipt_ULOG target's packets (ulog_packet_msg_t, x86-64 layout).

The target left the kernel in Linux 3.17 (nfnetlink_log, NFNL_SUBSYS_ULOG on
NETLINK_NETFILTER, replaced it), but old captures and out-of-tree users still carry it."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int32ul, Int64ul

from ..core.attrs import FULL, malformed
from ..core.header import NLMSG_HDRLEN
from ..core.registry import HEADER_STRUCTS, OTHER, MessageType, Protocol, register_protocol
from ..core.schema import FixedStruct, member, pad
from .netfilter.packet import decode_ip


def _cstr(b: bytes) -> str:
    return b.split(b"\0", 1)[0].decode("utf-8", "replace")


ULOG = FixedStruct("ulog_packet_msg", "ulog", [
    member("mark", Int64ul), member("timestamp_sec", Int64ul), member("timestamp_usec", Int64ul),
    member("hook", Int32ul), member("indev_name", Bytes(16), _cstr), member("outdev_name", Bytes(16), _cstr), pad(4),
    member("data_len", Int64ul), member("prefix", Bytes(32), _cstr), member("mac_len", Int8ul),
    member("mac", Bytes(80), lambda b: b.hex(":"))], label="ulog_packet_msg_t (payload follows at byte 185)")
HEADER_STRUCTS.add(ULOG)   # the whole body: decoded by hand


def ulog_info(root) -> str:
    prefix = root.first("ulog.prefix")
    return f"ULOG {_cstr(prefix) if isinstance(prefix, bytes) else ''}".strip()


class NflogLegacyProtocol(Protocol):
    number = 5
    name = "NETLINK_NFLOG"
    label = "ulog"
    abbrev = "ulog"
    fields_only_here = True   # no other protocol makes a field named ulog.…
    _mt = MessageType(0, "ULOG packet", OTHER, ULOG, None, info=ulog_info)

    def message_type(self, buf, off, length, mtype, order, ctx):
        return self._mt

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        body, end = off + NLMSG_HDRLEN, off + length
        if end - body < ULOG.size:
            root.add(malformed(buf, body, end, f"ulog_packet_msg_t needs {ULOG.size} bytes"))
            return None
        root.add(ULOG.node(buf, body, order, req=req))
        root.children.extend(decode_ip(buf, body + ULOG.size, end, order, req))
        return None


register_protocol(NflogLegacyProtocol())
