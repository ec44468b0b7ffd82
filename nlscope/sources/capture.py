"""Reading netlink frames from capture files: pcap and pcapng (pcap.py, pcapng.py), plain or
gzip, from a path, stdin or a file object, as a stream (stream.py).

Link types understood (the frame's netlink protocol number comes from the cooked header):
  LINKTYPE_NETLINK (253)    16-byte header, big-endian: pkttype, ARPHRD (824), address
                            length, 8 address bytes, netlink protocol.  What tcpdump and
                            nlmon write.
  LINKTYPE_LINUX_SLL (113)  the same 16-byte layout, when ARPHRD is ARPHRD_NETLINK.
  LINKTYPE_LINUX_SLL2 (276) 20 bytes: protocol, reserved, ifindex, ARPHRD, pkttype,
                            address length, 8 address bytes.
Every frame is read whole, whatever its size (a record's captured length is what is read,
not the snap length; a record over stream.MAX_RECORD is a fault, never an allocation).
Anything wrong with the file becomes a `CaptureError` with one line saying what and what
to do; frames read before the fault have been yielded already.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from . import pcap, pcapng
from .stream import Input, RecordError

LINKTYPE_LINUX_SLL = 113
LINKTYPE_NETLINK = 253
LINKTYPE_LINUX_SLL2 = 276
ARPHRD_NETLINK = 824
LINKTYPE_NAMES = {1: "Ethernet", 101: "raw IP", 113: "Linux cooked (SLL)", 253: "netlink", 276: "Linux cooked v2"}

COOKED_LENGTH = {LINKTYPE_NETLINK: 16, LINKTYPE_LINUX_SLL: 16, LINKTYPE_LINUX_SLL2: 20}
PCAP_MAGICS = pcap.MAGICS
# a frame with a fault (a packet block naming an interface its section lacks, a frame
# shorter than its link-layer header) has no link type and no netlink protocol: -1 for
# both, values no file and no kernel uses, so nothing takes its bytes for netlink; its
# `data` is the block's packet bytes as they are, `header` empty.
NO_LINKTYPE = NO_PROTOCOL = -1
_u16 = struct.Struct(">H").unpack_from


# the direction of a frame, as the pcapng EPB's epb_flags hold it (bits 0-1: 1 inbound, 2
# outbound).  The capture point is the kernel: INBOUND is an skb a user socket sent to the
# kernel, OUTBOUND one the kernel queued on a user socket (its answers, notifications,
# multicast copies, and user-to-user messages, whose Delivery names a sending port).
INBOUND, OUTBOUND = 1, 2
DIRECTIONS = (INBOUND, OUTBOUND)
_DIRECTION_OF = (None, INBOUND, OUTBOUND, None)   # epb_flags & 3 -> the direction (3 is no direction)
DELIVERY_MARK = "nlscope.process "


class CaptureError(Exception):
    """A problem with a capture, said in one line for the user."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the BPF source records of an skb beside its bytes: the process running when it
    was sent (tgid = its pid, tid, comm), the sending socket's port id and the receiving one's
    (0: the kernel), and the multicast group it went to (0: unicast).  Kept in the packet
    comment as `nlscope.process pid=TGID tid=TID sender=S receiver=R group=G comm=COMM`: the
    process comment nlscope always wrote, extended (an older reader still reads pid and
    comm), comm last so that it may hold any character."""
    tgid: int
    tid: int
    comm: str
    sender: int
    receiver: int
    group: int

    def comment(self) -> str:
        return (f"{DELIVERY_MARK}pid={self.tgid} tid={self.tid} sender={self.sender} receiver={self.receiver} "
                f"group={self.group} comm={self.comm}")

    @staticmethod
    def from_comment(text: str | None) -> "Delivery | None":
        """The Delivery of a comment written by comment(); None for any other comment."""
        if not text or not text.startswith(DELIVERY_MARK) or " sender=" not in text:
            return None
        head, sep, comm = text[len(DELIVERY_MARK):].partition(" comm=")
        if not sep:
            return None
        fields = dict(p.split("=", 1) for p in head.split() if "=" in p)
        try:
            values = [int(fields[k]) for k in ("pid", "tid", "sender", "receiver", "group")]
        except (KeyError, ValueError):
            return None
        if not all(0 <= v < 1 << 32 for v in values):
            return None
        tgid, tid, sender, receiver, group = values
        return Delivery(tgid, tid, comm, sender, receiver, group)


@dataclass(slots=True)
class Frame:
    number: int        # 1-based, as Wireshark counts
    time: float        # seconds since the epoch
    data: bytes        # the netlink payload (cooked header removed)
    protocol: int      # netlink protocol number
    caplen: int
    wirelen: int
    pkttype: int = 4
    linktype: int = 253
    header: bytes = b""        # the link-layer header as read (written back unchanged)
    ts_ns: int = 0             # the timestamp, exact, in nanoseconds
    comment: str | None = None  # pcapng packet comment (nlscope keeps the process there)
    fault: str | None = None    # what is wrong with a frame that cannot be read as netlink (one line), else None
    interface: int | None = None  # the capture's interface number (pcapng: across sections; pcap: 0)
    direction: int | None = None  # INBOUND or OUTBOUND when the capture recorded it (epb_flags), else None
    delivery: Delivery | None = None  # the BPF source's facts (sender, receiver, group, process), else None


def nlmon_header(pkttype: int, protocol: int) -> bytes:
    """The 16-byte cooked header nlmon puts before a frame's messages (LINKTYPE_NETLINK):
    packet type, ARPHRD_NETLINK, no link-layer address, the netlink protocol."""
    return struct.pack(">HHH8xH", pkttype, ARPHRD_NETLINK, 0, protocol)


def _strip_cooked(linktype: int, data: bytes):
    """(header length, protocol, pkttype) or None if the frame is not netlink."""
    if linktype in (LINKTYPE_NETLINK, LINKTYPE_LINUX_SLL):
        if len(data) < 16:
            return None
        pkttype, hatype = struct.unpack_from(">HH", data, 0)
        if linktype == LINKTYPE_LINUX_SLL and hatype != ARPHRD_NETLINK:
            return None
        return 16, struct.unpack_from(">H", data, 14)[0], pkttype
    if linktype == LINKTYPE_LINUX_SLL2:
        if len(data) < 20:
            return None
        # protocol, reserved, ifindex, ARPHRD, pkttype, address length, address[8]
        proto, _ifindex, hatype, pkttype = struct.unpack_from(">H2xIHB", data, 0)
        if hatype != ARPHRD_NETLINK:
            return None
        return 20, proto, pkttype
    return None


def read_capture(source, warn=None):
    """Yield the netlink `Frame`s of a capture; raise CaptureError at the first fault.

    `source` is a path ('-' = stdin) or a binary file object; it is read as a stream (no
    seek: pipes and FIFOs too), gunzipped on the way if it is gzip.  `warn(msg)` is told
    once about frames skipped for not being netlink, and about oddities that do not stop
    the reading (a section in another byte order, options running past their block).
    A packet block that cannot be tied to an interface is yielded with `fault` set.
    """
    src = Input(source, CaptureError)
    try:
        yield from _frames(src, warn)
    finally:
        src.close()


def _frames(src: Input, warn):
    name = src.name
    head = src.head
    if head in PCAP_MAGICS:
        recs = (rec + (0,) for rec in pcap.records(src))   # pcap has no epb_flags
    elif head == pcapng.SHB_MAGIC:
        recs = pcapng.records(src, (lambda msg: warn(f"{name}: {msg}")) if warn is not None else (lambda msg: None))
    elif not head:
        if src.fault:
            raise CaptureError(f"{name}: the gzip stream {src.fault}; nothing decompressed")
        raise CaptureError(f"{name}: the file is empty; nothing to read")
    else:
        raise CaptureError(f"{name}: not a pcap or pcapng capture (starts with {head.hex()}); "
                           f"record one with 'tcpdump -i nlmon0 -w FILE' or 'nlscope capture'")
    ng = head == pcapng.SHB_MAGIC
    skipped: dict[int, int] = {}
    number = read = 0   # the last record's number; frames yielded
    netlink = (LINKTYPE_NETLINK, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2)
    try:
        for number, linktype, ts_ns, wirelen, data, comment, fault, iface, flags in recs:
            direction = _DIRECTION_OF[flags & 3]
            delivery = Delivery.from_comment(comment) if comment is not None else None
            if linktype == LINKTYPE_NETLINK and len(data) >= 16:   # the common case, inline
                read += 1
                yield Frame(number, ts_ns / 1e9, data[16:], _u16(data, 14)[0], len(data), wirelen, _u16(data, 0)[0],
                            LINKTYPE_NETLINK, data[:16], ts_ns, comment, None, iface, direction, delivery)
                continue
            if fault is not None:
                read += 1
                yield Frame(number, ts_ns / 1e9, data, NO_PROTOCOL, len(data), wirelen, NO_PROTOCOL, NO_LINKTYPE,
                            b"", ts_ns, comment, fault)
                continue
            cooked = _strip_cooked(linktype, data)
            if cooked is None and len(data) < COOKED_LENGTH.get(linktype, 0):
                read += 1
                yield Frame(number, ts_ns / 1e9, data, NO_PROTOCOL, len(data), wirelen, NO_PROTOCOL, NO_LINKTYPE,
                            b"", ts_ns, comment, f"a frame of {len(data)} bytes, shorter than the "
                            f"{COOKED_LENGTH[linktype]}-byte header of its link type {linktype}")
                continue
            if cooked is None:
                skipped[linktype] = skipped.get(linktype, 0) + 1
                if not ng and len(skipped) == 1 and skipped[linktype] == 1 and linktype not in netlink:
                    raise CaptureError(
                        f"{name}: link type {linktype} ({LINKTYPE_NAMES.get(linktype, 'unknown')}) is not netlink; "
                        f"capture on an nlmon interface (ip link add nlmon0 type nlmon)")
                continue
            hlen, proto, pkttype = cooked
            read += 1
            yield Frame(number, ts_ns / 1e9, data[hlen:], proto, len(data), wirelen, pkttype, linktype, data[:hlen],
                        ts_ns, comment, None, iface, direction, delivery)
    except RecordError as exc:
        if src.fault:   # the capture looks cut because the gzip stream is
            raise CaptureError(f"{name}: the gzip stream {src.fault} after frame {number}; "
                               f"the frames before it were read") from None
        raise CaptureError(f"{name}: {exc}") from None
    except OSError as exc:    # EIO from a failing disk, a file that cannot be read as one
        raise CaptureError(f"{name}: reading failed after frame {number} ({exc.strerror or exc}); "
                           f"the frames before it were read") from None
    if src.fault:
        raise CaptureError(f"{name}: the gzip stream {src.fault} after frame {number}; the frames before it were read")
    if skipped:
        desc = ", ".join(f"{n} of link type {lt} ({LINKTYPE_NAMES.get(lt, 'unknown')})" for lt, n in skipped.items())
        if read == 0:   # nothing but other link types: as for a pcap of one, an error
            raise CaptureError(f"{name}: no netlink frame in the file (skipped {desc}: not netlink); "
                               f"capture on an nlmon interface (ip link add nlmon0 type nlmon)")
        if warn is not None:
            warn(f"{name}: skipped {desc}: not netlink")
