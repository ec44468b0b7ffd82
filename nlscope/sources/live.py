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

How a capture ends: whatever stops it (a signal, -a duration, the caller), `stop()` unbinds
the socket, which takes no new packet, and `frames()` then yields what the kernel had already
put in the ring, which it counted as passed: every passed frame is either read or counted as
dropped.  A caller that gives up before the ring is empty (-c, a second ^C) asks
`left_in_ring()` how many it leaves.  When the interface goes down or is deleted, the kernel
unhooks the socket and sets its error (ENETDOWN, net/packet/af_packet.c packet_notifier):
select() then reports it readable forever with an empty ring, so an empty ring after a
wakeup looks at SO_ERROR, drains what is left and ends with a CaptureError, as libpcap says
"The interface went down" / "The interface disappeared".
"""
from __future__ import annotations

import errno
import os
import select
import signal
import socket
import struct
import time

from .capture import LINKTYPE_NETLINK, CaptureError, Frame
from .nlmon import check_capture_interface, interface_type
from .writer import netlink_header

ETH_P_ALL = 0x0003
# stop() rebinds to this protocol.  A bind with protocol 0 keeps the socket's protocol
# (packet_bind: `sll_protocol ? : po->num`), so it stops nothing; a bind to another
# protocol unhooks the socket, waiting for packets in flight (__unregister_prot_hook with
# synchronize_net), and hooks it for that protocol only — which nlmon never sends: its
# frames reach only ETH_P_ALL taps (dev_queue_xmit_nit).  0x88B5: IEEE 802 local experimental.
ETH_P_STOP = 0x88B5
SOL_PACKET, PACKET_STATISTICS, PACKET_RX_RING, PACKET_VERSION, TPACKET_V2 = 263, 6, 5, 10, 1
TP_STATUS_KERNEL, TP_STATUS_USER = 0, 1
RING_FRAME = 1 << 17     # TPACKET_V2 (fallback): one slot holds the largest netlink skb plus headers
RING_FRAMES = 256        # 32 MiB in all
TPACKET_V3 = 2
BLOCK = 1 << 17          # TPACKET_V3: a block holds many packets, and any single skb whole
BLOCKS = 512             # 64 MiB in all
V3_FRAME = 1 << 11       # the kernel's accounting unit within blocks
RETIRE_MS = 50
DRAIN_WAIT = 30.0         # seconds a stopped capture waits for the kernel to hand over what it counted
# seconds an interface whose capture ended with ENETDOWN is given to vanish (deleted) before
# it is called down: deleting one closes it first, then unregisters it
GONE_WAIT = 1.0
_TP3_HDR = struct.Struct("=IIIIIIHH")  # next_offset, sec, nsec, snaplen, len, status, mac, net
_TP2_HDR = struct.Struct("=IIIHHII")   # tp_status, tp_len, tp_snaplen, tp_mac, tp_net, tp_sec, tp_nsec
_SLL = struct.Struct(">HHiHBB8s")      # family, protocol, ifindex, hatype, pkttype, halen, addr (at 32)
SO_TIMESTAMPNS = 35
SO_RCVBUFFORCE = 33
MAX_FRAME = 1 << 18
FLUSH_FRAMES = 64        # without V3 blocks (V2 slots, recvmsg): a flush point every this many frames


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
        self.blocks = 0     # ring blocks read to the end (a point where a writer may flush)
        self.error: str | None = None  # why the capture ended on its own (the interface went away)
        self._stopped = False
        self.abandoned = False

    def ring_text(self) -> str:
        """Which way packets come in, for the first line a capture prints."""
        if self.ring is None:
            return "no ring: recvmsg"
        if self.v3:
            return f"TPACKET_V3 ring, {BLOCKS} blocks of {BLOCK >> 10} KiB"
        return f"TPACKET_V2 ring, {RING_FRAMES} slots of {RING_FRAME >> 10} KiB"

    def stop(self):
        """Stop capturing: the socket takes no new packet (rebound to ETH_P_STOP), and frames()
        still yields what the kernel had already put in the ring, which it counted as passed
        to nlscope: leaving them unread would lose them silently.  Safe in a signal handler."""
        if not self._stopped:
            try:
                self.sock.bind((self.ifname, ETH_P_STOP))
            except OSError:   # the interface is gone: the kernel has unhooked the socket already
                pass
        self._stopped = True

    def abandon(self):
        """Stop, and stop reading what the ring still holds too (frames() ends at once):
        `left_in_ring()` then says how many frames were left.  Safe in a signal handler."""
        self.abandoned = True
        self.stop()

    def left_in_ring(self) -> int:
        """After stop(): the frames the kernel put in the ring (and counted as passed) that were
        not read.  A block still being filled is handed over RETIRE_MS after its last packet."""
        self.stop()
        if self.ring is None:
            left = 0
            while True:
                try:
                    self.sock.recv(MAX_FRAME, socket.MSG_DONTWAIT)
                except (BlockingIOError, InterruptedError):
                    return left
                except OSError:
                    return left
                left += 1
        time.sleep(2 * RETIRE_MS / 1000)
        ring, left = self.ring, 0
        if not self.v3:
            return sum(1 for i in range(RING_FRAMES)
                       if struct.unpack_from("=I", ring, i * RING_FRAME)[0] & TP_STATUS_USER)
        for i in range(BLOCKS):
            base = ((self._block + i) % BLOCKS) * BLOCK
            status, npkts = struct.unpack_from("=II", ring, base + 8)
            if not status & TP_STATUS_USER:
                break
            left += self._left if i == 0 and self._left else npkts
        return left

    def _gone(self) -> bool:
        """select() woke with nothing in the ring: has the kernel unhooked the socket (the
        interface went down or was deleted)?  Sets `error` and stops if so."""
        try:
            err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        except OSError as exc:
            err = exc.errno or errno.EIO
        if not err:
            return False
        self._went_away(err)
        return True

    def _went_away(self, err: int) -> None:
        if err == errno.ENETDOWN:
            # `ip link del` first closes the interface (the ENETDOWN), then unregisters it:
            # give it a moment to vanish before calling it merely down
            deadline = time.monotonic() + GONE_WAIT
            while interface_type(self.ifname) is not None and time.monotonic() < deadline:
                time.sleep(0.02)
            what = "was deleted" if interface_type(self.ifname) is None else "went down"
        else:
            what = f"failed: {os.strerror(err)}"
        self.error = f"the capture ended: {self.ifname} {what} ({errno.errorcode.get(err, err)})"
        self.stop()

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
        with `idle`, yield None whenever `poll` seconds pass without one.  Once stopped (by
        stop(), the duration, or the interface going away) the frames already in the ring
        are yielded too; if the interface went away, CaptureError follows them."""
        deadline = None if duration is None else time.monotonic() + duration
        while not self._stopped and (count is None or self.number < count):
            timeout = poll if deadline is None else max(0.0, min(poll, deadline - time.monotonic()))
            if deadline is not None and time.monotonic() >= deadline:
                self.stop()
                break
            if self.ring is not None:
                fr = self._from_ring()
                if fr is None:
                    ready, _, _ = select.select([self.sock], [], [], timeout)
                    fr = self._from_ring()
                    if fr is None:
                        if ready and self._gone():
                            break
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
            fr = self._from_socket()
            if fr is not None:
                yield fr
        if self._stopped:
            yield from self._drain()
        if self.error:
            raise CaptureError(self.error)

    def _from_socket(self, wait: bool = True) -> Frame | None:
        """The next packet by recvmsg (no ring); None if none is queued (or the socket failed)."""
        try:
            data, anc, flags, addr = self.sock.recvmsg(MAX_FRAME, socket.CMSG_SPACE(16),
                                                       socket.MSG_TRUNC | (0 if wait else socket.MSG_DONTWAIT))
        except (BlockingIOError, InterruptedError):
            return None
        except OSError as exc:
            if not self.abandoned and not self.error:
                self._went_away(exc.errno or errno.EIO)
            return None
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
        if self.number % FLUSH_FRAMES == 0:
            self.blocks += 1
        return Frame(self.number, ts_ns / 1e9, data, proto, len(data), wirelen, pkttype, LINKTYPE_NETLINK,
                     netlink_header(proto, pkttype), ts_ns)

    def _drain(self):
        """After stop(): the frames already in the ring (or the socket's queue).

        stop() unhooks the socket (the kernel's bind waits for packets in flight:
        synchronize_net), so PACKET_STATISTICS is final then: every packet it counted and did
        not drop is in the ring, and the drain reads until it has them all.  A block the
        kernel was still filling is handed over by its retire timer (RETIRE_MS), which under
        load — an emulated VM, a flood — comes much later than RETIRE_MS: waiting for a
        count, not for a time, loses nothing however late it comes (DRAIN_WAIT bounds it; the
        closing line says what was left).  abandon() ends it early."""
        expected = None
        if self.ring is not None:
            try:
                received, dropped = self.statistics()
                expected = received - dropped   # tp_packets counts the drops too
            except OSError:
                pass
        deadline = time.monotonic() + DRAIN_WAIT
        quiet = 0
        while not self.abandoned:
            fr = self._from_ring() if self.ring is not None else self._from_socket(wait=False)
            if fr is None:
                if self.ring is None:
                    return
                if expected is not None:
                    if time.monotonic() > deadline:
                        return
                    if self.number >= expected:
                        # all that was counted is read; once more, in case the kernel counted
                        # more (a packet in flight as the socket was unhooked)
                        try:
                            received, dropped = self.statistics()
                        except OSError:
                            return
                        if received - dropped <= expected:
                            return
                        expected = received - dropped
                elif quiet >= 3:
                    return
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
            self.blocks += 1
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
        if self._slot % FLUSH_FRAMES == 0:
            self.blocks += 1
        return self._ring_frame(sec * 10**9 + nsec, data, proto, snaplen, length, pkttype)


def stop_on_signals(live: "LiveCapture") -> None:
    """SIGINT, SIGTERM and SIGHUP stop a live capture the same way: no new packet, and what the
    ring holds is still read (a KeyboardInterrupt would lose it).  Installed whatever the
    inherited disposition, as tcpdump and dumpcap do: a background job of a non-interactive
    shell starts with SIGINT ignored; only SIGHUP keeps an inherited SIG_IGN (nohup).  A
    second signal stops reading the ring (what is left is counted), a third raises
    KeyboardInterrupt."""
    signals = []

    def on_signal(signum, _frame):
        signals.append(signum)
        if len(signals) == 1:
            live.stop()
        elif len(signals) == 2:
            live.abandon()
        else:
            raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if sig == signal.SIGHUP and signal.getsignal(sig) == signal.SIG_IGN:
            continue
        signal.signal(sig, on_signal)

