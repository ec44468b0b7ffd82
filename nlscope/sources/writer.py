"""Writing captures: pcapng that Wireshark, tshark and tcpdump open.

Frames keep the link-layer header they were read (or captured) with, so a file read and
written again holds the same frame bytes and timestamps.  Live frames get the 16-byte
LINKTYPE_NETLINK header exactly as libpcap builds it for tcpdump on an nlmon interface:
packet type, ARPHRD_NETLINK (824), address length 0, 8 zero address bytes, the netlink
protocol, all big-endian.  Timestamps are written in nanoseconds (if_tsresol = 9), clamped
to what 64 bits hold (0 … 2^64 - 1 ns: a garbage time read from a hostile file); the
process that sent a message, when known, goes into the packet's comment, and a recorded
direction (capture.INBOUND, OUTBOUND: the BPF source's) into the EPB's epb_flags.
"""
from __future__ import annotations

import struct
from typing import BinaryIO

from .capture import ARPHRD_NETLINK, DIRECTIONS, LINKTYPE_NETLINK, Frame

SNAPLEN = 262144
TS_MAX = (1 << 64) - 1   # nanoseconds: the largest timestamp an EPB holds (if_tsresol 9)
_SHB, _IDB, _EPB = 0x0A0D0D0A, 0x00000001, 0x00000006
_OPT_COMMENT, _OPT_END, _IF_NAME, _IF_TSRESOL, _SHB_USERAPPL, _EPB_FLAGS = 1, 0, 2, 9, 4, 2


def netlink_header(protocol: int, pkttype: int = 4) -> bytes:
    """The LINKTYPE_NETLINK pseudo-header libpcap writes for an nlmon packet."""
    return struct.pack(">HHH8sH", pkttype, ARPHRD_NETLINK, 0, b"", protocol)


def _timestamp(frame: Frame) -> int:
    """The frame's time in nanoseconds as an EPB holds it (64 bits, unsigned): a garbage time
    read from a hostile file is clamped, before 1970 to 0 and past 2554 to 2^64 - 1 ns, and
    the frame kept."""
    ts = frame.ts_ns
    if not ts:
        t = frame.time
        ts = int(round(t * 1e9)) if t == t and abs(t) < 1e30 else 0   # NaN or infinite: 0
    return min(max(ts, 0), TS_MAX)


def _opt(code: int, value: bytes) -> bytes:
    return struct.pack("<HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def _block(btype: int, body: bytes) -> bytes:
    length = 12 + len(body)
    return struct.pack("<II", btype, length) + body + struct.pack("<I", length)


class PcapngWriter:
    """Append frames to a pcapng stream; one interface per (link type, name)."""

    def __init__(self, f: BinaryIO, application: str = "nlscope"):
        self.f = f
        self._ifaces: dict[tuple[int, str], int] = {}
        opts = _opt(_SHB_USERAPPL, application.encode()) + _opt(_OPT_END, b"")
        # byte-order magic, version 1.0, section length unknown (-1)
        f.write(_block(_SHB, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opts))

    def interface(self, linktype: int, name: str) -> int:
        """The interface block of (link type, name), written the first time it is asked for."""
        key = (linktype, name)
        idx = self._ifaces.get(key)
        if idx is None:
            idx = self._ifaces[key] = len(self._ifaces)
            opts = b""
            if name:
                opts += _opt(_IF_NAME, name.encode())
            opts += _opt(_IF_TSRESOL, bytes([9])) + _opt(_OPT_END, b"")
            self.f.write(_block(_IDB, struct.pack("<HHI", linktype, 0, SNAPLEN) + opts))
        return idx

    def write(self, frame: Frame, ifname: str = "", comment: str | None = None) -> None:
        """Append one frame.  A frame with a `fault` (its packet block named no interface the
        file had) has no link type to be written with: it is left out (the reader said why)."""
        if frame.fault is not None:
            return
        header = frame.header or netlink_header(frame.protocol, frame.pkttype)
        linktype = frame.linktype if frame.header else LINKTYPE_NETLINK
        data = header + frame.data
        idx = self.interface(linktype, ifname)
        ts = _timestamp(frame)
        wirelen = max(frame.wirelen, len(data))
        body = struct.pack("<IIIII", idx, ts >> 32, ts & 0xFFFFFFFF, len(data), wirelen)
        body += data + b"\0" * (-len(data) % 4)
        comment = comment if comment is not None else frame.comment
        opts = b""
        if comment:
            opts += _opt(_OPT_COMMENT, comment.encode())
        if frame.direction in DIRECTIONS:
            opts += _opt(_EPB_FLAGS, struct.pack("<I", frame.direction))
        if opts:
            body += opts + _opt(_OPT_END, b"")
        self.f.write(_block(_EPB, body))

    def flush(self) -> None:
        self.f.flush()
