"""Reading netlink frames from pcap/pcapng files through scapy's raw readers.

Link types understood (the frame's netlink protocol number comes from the cooked header):
  LINKTYPE_NETLINK (253)    16-byte header, big-endian: pkttype, ARPHRD (824), address
                            length, 8 address bytes, netlink protocol.  What tcpdump and
                            nlmon write.
  LINKTYPE_LINUX_SLL (113)  the same 16-byte layout, when ARPHRD is ARPHRD_NETLINK.
  LINKTYPE_LINUX_SLL2 (276) 20 bytes: protocol, reserved, ifindex, ARPHRD, pkttype,
                            address length, 8 address bytes.
Anything wrong with the file becomes a `CaptureError` with one line saying what and what
to do; frames read before the fault have been yielded already.
"""
from __future__ import annotations

import gzip
import io
import logging
import struct
import sys
from dataclasses import dataclass

LINKTYPE_LINUX_SLL = 113
LINKTYPE_NETLINK = 253
LINKTYPE_LINUX_SLL2 = 276
ARPHRD_NETLINK = 824
LINKTYPE_NAMES = {1: "Ethernet", 101: "raw IP", 113: "Linux cooked (SLL)", 253: "netlink", 276: "Linux cooked v2"}

_PCAP_MAGICS = {b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"}
_PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
_GZIP_MAGIC = b"\x1f\x8b"


class CaptureError(Exception):
    """A problem with a capture, said in one line for the user."""


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


def _open(path: str):
    """A binary file object for path ('-' = stdin), gunzipped if need be."""
    if path == "-":
        raw = sys.stdin.buffer.read()
        f = io.BytesIO(raw)
    else:
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            raise CaptureError(f"{path}: no such file; give the path of a pcap or pcapng capture") from None
        except IsADirectoryError:
            raise CaptureError(f"{path}: is a directory; give the path of a pcap or pcapng capture") from None
        except PermissionError:
            raise CaptureError(f"{path}: permission denied; check the file's permissions") from None
    head = f.read(4)
    f.seek(0)
    if head[:2] == _GZIP_MAGIC:
        try:
            data = gzip.GzipFile(fileobj=f).read()
        except (OSError, EOFError):
            # a truncated gzip stream: keep what decompressed
            f.seek(0)
            data = _gunzip_partial(f.read())
        f = io.BytesIO(data)
        head = data[:4]
    return f, head


def _gunzip_partial(blob: bytes) -> bytes:
    import zlib
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return d.decompress(blob)
    except zlib.error:
        return b""


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


class _ShortReads:
    """A file wrapper that notices a read cut short by the end of the file: scapy's readers
    take a record cut in the middle for a clean end, which would hide a truncated file."""

    def __init__(self, f):
        self._f = f
        self.short = False

    def read(self, n=-1):
        data = self._f.read(n)
        if n is not None and n > 0 and 0 < len(data) < n:
            self.short = True
        return data

    def __getattr__(self, name):
        return getattr(self._f, name)


def read_capture(path: str, warn=None):
    """Yield the netlink `Frame`s of a capture file; raise CaptureError at the first fault.

    `warn(msg)` is told once about frames skipped for not being netlink.
    """
    from scapy.error import Scapy_Exception
    from scapy.utils import RawPcapNgReader, RawPcapReader

    f, head = _open(path)
    name = "stdin" if path == "-" else path
    if head in _PCAP_MAGICS:
        reader_cls = RawPcapReader
    elif head == _PCAPNG_MAGIC:
        reader_cls = RawPcapNgReader
    elif not head:
        raise CaptureError(f"{name}: the file is empty; nothing to read")
    else:
        raise CaptureError(f"{name}: not a pcap or pcapng capture (starts with {head.hex()}); "
                           f"record one with 'tcpdump -i nlmon0 -w FILE' or 'nlscope capture'")
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    f = _ShortReads(f)
    try:
        reader = reader_cls(f)
    except (Scapy_Exception, EOFError, struct.error, ValueError) as exc:
        raise CaptureError(f"{name}: capture header unreadable ({exc}); the file is damaged") from None
    ng = isinstance(reader, RawPcapNgReader)
    skipped: dict[int, int] = {}
    number = 0
    while True:
        try:
            data, meta = reader._read_packet()
        except EOFError:
            if f.short:
                raise CaptureError(f"{name}: the file ends inside a record after frame {number}; it was cut short "
                                   f"while being written or copied; the frames before it were read") from None
            break
        except (Scapy_Exception, struct.error, ValueError, OSError) as exc:
            raise CaptureError(f"{name}: damaged record after frame {number} ({exc}); "
                               f"the frames before it were read") from None
        number += 1
        comment = None
        if ng:
            linktype = meta.linktype
            ticks = (meta.tshigh << 32) | meta.tslow
            ts_ns = ticks * (10**9 // meta.tsresol) if 10**9 % meta.tsresol == 0 else ticks * 10**9 // meta.tsresol
            caplen, wirelen = len(data), meta.wirelen
            if meta.comments:
                c = meta.comments[0] if isinstance(meta.comments, list) else meta.comments
                comment = c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c)
        else:
            linktype = reader.linktype
            ts_ns = meta.sec * 10**9 + meta.usec * (1 if getattr(reader, "nano", False) else 1000)
            caplen, wirelen = meta.caplen, meta.wirelen
            if len(data) < caplen:
                raise CaptureError(f"{name}: the file ends inside frame {number} ({len(data)} of {caplen} bytes); "
                                   f"it was cut short while being written or copied; frames before it were read")
        cooked = _strip_cooked(linktype, data)
        if cooked is None:
            skipped[linktype] = skipped.get(linktype, 0) + 1
            if len(skipped) == 1 and skipped[linktype] == 1 and linktype not in (
                    LINKTYPE_NETLINK, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2):
                if not ng:
                    raise CaptureError(
                        f"{name}: link type {linktype} ({LINKTYPE_NAMES.get(linktype, 'unknown')}) is not netlink; "
                        f"capture on an nlmon interface (ip link add nlmon0 type nlmon)")
            continue
        hlen, proto, pkttype = cooked
        yield Frame(number, ts_ns / 1e9, data[hlen:], proto, caplen, wirelen, pkttype, linktype, data[:hlen], ts_ns,
                    comment)
    if skipped and warn is not None:
        desc = ", ".join(f"{n} of link type {lt} ({LINKTYPE_NAMES.get(lt, 'unknown')})" for lt, n in skipped.items())
        warn(f"{name}: skipped {desc}: not netlink")
