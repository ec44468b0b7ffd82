"""Live capture from an nlmon interface through an AF_PACKET socket with a TPACKET_V2 ring.

On nlmon the packet socket delivers each netlink skb with no link header; its address
carries the netlink protocol (sll_protocol), the packet type (PACKET_OUTGOING, 4, for
everything) and ARPHRD_NETLINK (824).  Frames get the LINKTYPE_NETLINK header tcpdump
would write and the kernel's timestamp.  The kernel's counters (PACKET_STATISTICS) say how
many packets reached the socket and how many were dropped because nlscope fell behind.

Why a ring and not recvmsg: nlmon hands the packet socket a clone of the netlink skb, which
shares its data with the message the kernel is processing, and some handlers write into
it afterwards (WireGuard zeroes the private key of WG_CMD_SET_DEVICE once it has read it).
A plain socket copies the bytes out only when recvmsg runs, by then possibly changed; the
ring copies them when the packet is tapped, as tcpdump does, so both record the same bytes.

Why TPACKET_V3: its blocks hold packets of any size back to back, so 64 MiB of ring hold
hundreds of thousands of small netlink messages and still any 128 KiB skb whole; TPACKET_V2's
fixed slots had to be 128 KiB each, and 256 of them overflowed under a burst of route
changes.  A block not yet full is handed over after RETIRE_MS, which bounds the latency;
the rest of a block handed over early is lost space, so blocks are small (128 KiB) and
many: with 1 MiB blocks a steady 10,000 messages a second filled a tenth of each block,
and a burst of 200,000 frames overflowed what should have held it.
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
SOL_PACKET, PACKET_STATISTICS, PACKET_RX_RING, PACKET_VERSION, TPACKET_V2 = 263, 6, 5, 10, 1
TP_STATUS_KERNEL, TP_STATUS_USER = 0, 1
RING_FRAME = 1 << 17     # TPACKET_V2 (fallback): one slot holds the largest netlink skb plus headers
RING_FRAMES = 256        # 32 MiB in all
TPACKET_V3 = 2
BLOCK = 1 << 17          # TPACKET_V3: a block holds many packets, and any single skb whole
BLOCKS = 512             # 64 MiB in all
V3_FRAME = 1 << 11       # the kernel's accounting unit within blocks
RETIRE_MS = 50
_TP3_HDR = struct.Struct("=IIIIIIHH")  # next_offset, sec, nsec, snaplen, len, status, mac, net
_TP2_HDR = struct.Struct("=IIIHHII")   # tp_status, tp_len, tp_snaplen, tp_mac, tp_net, tp_sec, tp_nsec
_SLL = struct.Struct(">HHiHBB8s")      # family, protocol, ifindex, hatype, pkttype, halen, addr (at 32)
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
        self.ring = None
        self.v3 = False
        import mmap
        try:
            self.sock.setsockopt(SOL_PACKET, PACKET_VERSION, TPACKET_V3)
            self.sock.setsockopt(SOL_PACKET, PACKET_RX_RING, struct.pack(
                "=IIIIIII", BLOCK, BLOCKS, V3_FRAME, BLOCK * BLOCKS // V3_FRAME, RETIRE_MS, 0, 0))
            self.ring = mmap.mmap(self.sock.fileno(), BLOCK * BLOCKS, mmap.MAP_SHARED,
                                  mmap.PROT_READ | mmap.PROT_WRITE)
            self.v3 = True
        except OSError:
            try:
                self.sock.setsockopt(SOL_PACKET, PACKET_VERSION, TPACKET_V2)
                self.sock.setsockopt(SOL_PACKET, PACKET_RX_RING,
                                     struct.pack("=IIII", RING_FRAME, RING_FRAMES, RING_FRAME, RING_FRAMES))
                self.ring = mmap.mmap(self.sock.fileno(), RING_FRAME * RING_FRAMES, mmap.MAP_SHARED,
                                      mmap.PROT_READ | mmap.PROT_WRITE)
            except OSError:
                self.ring = None  # no ring (odd kernel): recvmsg, with the caveat in the docstring
        self._block = 0
        self._left = 0        # packets of the current block not read yet
        self._pos = 0
        self._slot = 0
        self.ifname = ifname
        self.received = 0
        self.dropped = 0
        self.number = 0
        self.max_lag = 0.0  # how far behind the kernel's timestamps we read (seconds)
        self._stopped = False

    def ring_text(self) -> str:
        """Which way packets come in, for the first line a capture prints."""
        if self.ring is None:
            return "no ring: recvmsg"
        if self.v3:
            return f"TPACKET_V3 ring, {BLOCKS} blocks of {BLOCK >> 10} KiB"
        return f"TPACKET_V2 ring, {RING_FRAMES} slots of {RING_FRAME >> 10} KiB"

    def stop(self):
        """Stop capturing: the socket takes no new packet (bound to protocol 0), and frames()
        still yields what the kernel had already put in the ring, which it counted as passed
        to nlscope: leaving them unread would lose them silently."""
        try:
            self.sock.bind((self.ifname, 0))
        except OSError:
            pass
        self._stopped = True

    def close(self):
        if self.ring is not None:
            self.ring.close()
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
            if self.ring is not None:
                fr = self._from_ring()
                if fr is None:
                    select.select([self.sock], [], [], timeout)
                    fr = self._from_ring()
                    if fr is None:
                        if idle:
                            yield None
                        continue
                yield fr
                continue
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
        if self._stopped and self.ring is not None:
            yield from self._drain()

    def _drain(self):
        """After stop(): the frames already in the ring.  A block the kernel was still filling
        is handed over RETIRE_MS after its last packet, so an empty ring is looked at twice
        more before it counts as drained."""
        quiet = 0
        while quiet < 3:
            fr = self._from_ring()
            if fr is None:
                quiet += 1
                time.sleep(2 * RETIRE_MS / 1000)
                continue
            quiet = 0
            yield fr

    def _ring_frame(self, ts_ns: int, data: bytes, proto: int, snaplen: int, length: int, pkttype: int) -> Frame:
        """A Frame for a packet copied out of the ring (either ring version)."""
        self.max_lag = max(self.max_lag, (time.time_ns() - ts_ns) / 1e9)
        self.number += 1
        return Frame(self.number, ts_ns / 1e9, data, proto, snaplen, length, pkttype, LINKTYPE_NETLINK,
                     netlink_header(proto, pkttype), ts_ns)

    def _from_ring(self) -> Frame | None:
        return self._from_v3() if self.v3 else self._from_v2()

    def _from_v3(self) -> Frame | None:
        """The next packet of the blocks the kernel has handed over; a block goes back to the
        kernel once its last packet is copied; None if none is ready."""
        ring = self.ring
        while self._left == 0:
            base = self._block * BLOCK
            status, npkts, first = struct.unpack_from("=III", ring, base + 8)
            if not status & TP_STATUS_USER:
                return None
            if npkts == 0:                      # retired empty: give it back
                struct.pack_into("=I", ring, base + 8, TP_STATUS_KERNEL)
                self._block = (self._block + 1) % BLOCKS
                continue
            self._left, self._pos = npkts, base + first
        pos = self._pos
        nxt, sec, nsec, snaplen, length, _status, mac, _net = _TP3_HDR.unpack_from(ring, pos)
        _fam, proto, _ifindex, _hatype, pkttype, _halen, _addr = _SLL.unpack_from(ring, pos + 48)
        data = ring[pos + mac:pos + mac + snaplen]
        self._left -= 1
        self._pos = pos + nxt
        if self._left == 0:
            struct.pack_into("=I", ring, self._block * BLOCK + 8, TP_STATUS_KERNEL)
            self._block = (self._block + 1) % BLOCKS
        return self._ring_frame(sec * 10**9 + nsec, data, proto, snaplen, length, pkttype)

    def _from_v2(self) -> Frame | None:
        """The next slot the kernel has filled, handed back to it once copied; None if none."""
        base = self._slot * RING_FRAME
        ring = self.ring
        status, length, snaplen, mac, _net, sec, nsec = _TP2_HDR.unpack_from(ring, base)
        if not status & TP_STATUS_USER:
            return None
        _fam, proto, _ifindex, _hatype, pkttype, _halen, _addr = _SLL.unpack_from(ring, base + 32)
        data = ring[base + mac:base + mac + snaplen]
        struct.pack_into("=I", ring, base, TP_STATUS_KERNEL)
        self._slot = (self._slot + 1) % RING_FRAMES
        return self._ring_frame(sec * 10**9 + nsec, data, proto, snaplen, length, pkttype)
