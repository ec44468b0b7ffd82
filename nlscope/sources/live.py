"""Live capture from an nlmon interface through an AF_PACKET socket.

On nlmon the packet socket delivers each netlink skb with no link header; recvfrom's
address carries the netlink protocol (sll_protocol), the packet type (PACKET_OUTGOING,
4, for everything) and ARPHRD_NETLINK (824).  Frames get the LINKTYPE_NETLINK header
tcpdump would write, and the kernel's receive timestamp (SO_TIMESTAMPNS).  The kernel's
counters (PACKET_STATISTICS) say how many packets reached the socket and how many were
dropped because nlscope did not read fast enough.
"""
from __future__ import annotations

import select
import socket
import struct
import time

from .capture import LINKTYPE_NETLINK, CaptureError, Frame
from .nlmon import check_capture_interface
from .writer import netlink_header

ETH_P_ALL = 0x0003
SOL_PACKET, PACKET_STATISTICS = 263, 6
SO_TIMESTAMPNS = 35
SO_RCVBUFFORCE = 33
MAX_FRAME = 1 << 18


class LiveCapture:
    def __init__(self, ifname: str, buffer_bytes: int = 32 << 20):
        check_capture_interface(ifname)
        try:
            # protocol 0 until bound: no packets from other interfaces slip in before bind
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW | socket.SOCK_CLOEXEC, 0)
        except PermissionError:
            raise CaptureError("capturing needs CAP_NET_RAW: run as root (or setcap cap_net_raw+ep on python)") \
                from None
        try:
            self.sock.bind((ifname, ETH_P_ALL))
        except OSError as exc:
            raise CaptureError(f"cannot capture on {ifname}: {exc.strerror}") from None
        for opt in (SO_RCVBUFFORCE, socket.SO_RCVBUF):
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, opt, buffer_bytes)
                break
            except OSError:
                continue
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.ifname = ifname
        self.received = 0
        self.dropped = 0
        self.number = 0
        self.max_lag = 0.0  # how far behind the kernel's timestamps we read (seconds)
        self._stopped = False

    def stop(self):
        self._stopped = True

    def close(self):
        self.sock.close()

    def statistics(self) -> tuple[int, int]:
        """(packets the kernel passed to the socket, packets it dropped) so far."""
        raw = self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
        packets, drops = struct.unpack("=II", raw)  # reading resets the kernel's counters
        self.received += packets
        self.dropped += drops
        return self.received, self.dropped

    def frames(self, count: int | None = None, duration: float | None = None, poll: float = 0.2,
               idle: bool = False):
        """Yield frames as they arrive until stopped, `count` frames or `duration` seconds;
        with `idle`, yield None whenever `poll` seconds pass without one."""
        deadline = None if duration is None else time.monotonic() + duration
        while not self._stopped and (count is None or self.number < count):
            timeout = poll if deadline is None else max(0.0, min(poll, deadline - time.monotonic()))
            if deadline is not None and time.monotonic() >= deadline:
                break
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                if idle:
                    yield None
                continue
            data, anc, flags, addr = self.sock.recvmsg(MAX_FRAME, socket.CMSG_SPACE(16), socket.MSG_TRUNC)
            ts_ns = None
            for level, ctype, cdata in anc:
                if level == socket.SOL_SOCKET and ctype == SO_TIMESTAMPNS and len(cdata) >= 16:
                    sec, nsec = struct.unpack("=qq", cdata[:16])
                    ts_ns = sec * 10**9 + nsec
            now_ns = time.time_ns()
            if ts_ns is None:
                ts_ns = now_ns
            self.max_lag = max(self.max_lag, (now_ns - ts_ns) / 1e9)
            _, proto, pkttype, _hatype, _addr = addr
            wirelen = len(data)
            self.number += 1
            yield Frame(self.number, ts_ns / 1e9, data, proto, len(data), wirelen, pkttype, LINKTYPE_NETLINK,
                        netlink_header(proto, pkttype), ts_ns)
