"""The classic pcap format (libpcap's savefile): a 24-byte file header, then records.

Four magics: a1b2c3d4 (microsecond timestamps) and a1b23c4d (nanosecond), each in either
byte order.  A record is its 16-byte header (seconds, fraction, captured length, original
length) and `caplen` bytes; the file header's snap length is not a cap on what is read.
"""
from __future__ import annotations

import struct

from .stream import MAX_RECORD, RecordError, read_exact

# magic as read from the file -> (byte order, nanoseconds per timestamp fraction unit)
MAGICS = {b"\xd4\xc3\xb2\xa1": ("<", 1000), b"\xa1\xb2\xc3\xd4": (">", 1000),
          b"\x4d\x3c\xb2\xa1": ("<", 1), b"\xa1\xb2\x3c\x4d": (">", 1)}
LINKTYPE_MASK = 0x03FFFFFF   # libpcap's LT_LINKTYPE(): the upper bits of the field carry FCS information


def records(src):
    """Yield (number, linktype, ts_ns, wirelen, data, comment, fault) for each record of `src`
    (a stream.Input whose first four bytes, the magic, are read); RecordError at a fault."""
    order, unit = MAGICS[src.head]
    read = src.read
    head = read(20)
    if len(head) < 20:
        raise RecordError(f"capture header unreadable (the file ends at byte {4 + len(head)} of its 24-byte "
                          f"header); the file is damaged")
    major, minor, _zone, _sigfigs, _snaplen, network = struct.unpack(order + "HHiIII", head)
    if major != 2:
        raise RecordError(f"capture header unreadable (pcap version {major}.{minor}; only 2.x exists); "
                          f"the file is damaged")
    linktype = network & LINKTYPE_MASK
    left = src.size - 20 if src.size is not None else None
    unpack = struct.Struct(order + "IIII").unpack
    n = 0
    while True:
        h = read(16)
        if len(h) < 16:
            if not h:
                return
            raise _cut_record(n)
        sec, frac, caplen, wirelen = unpack(h)
        if caplen > MAX_RECORD:
            raise RecordError(f"damaged record after frame {n} (a captured length of {caplen} bytes, "
                              f"over the {MAX_RECORD >> 20} MiB limit); the frames before it were read")
        if left is not None:
            left -= 16 + caplen
            if left < 0:
                raise _cut_frame(n + 1, caplen + left, caplen)
        data = read(caplen) if caplen <= 65536 else read_exact(read, caplen)
        if len(data) < caplen:
            raise _cut_frame(n + 1, len(data), caplen)
        n += 1
        yield n, linktype, sec * 1_000_000_000 + frac * unit, wirelen, data, None, None, 0


def _cut_record(after: int) -> RecordError:
    return RecordError(f"the file ends inside a record after frame {after}; it was cut short while being written "
                       f"or copied; the frames before it were read")


def _cut_frame(number: int, got: int, caplen: int) -> RecordError:
    return RecordError(f"the file ends inside frame {number} ({max(got, 0)} of {caplen} bytes); it was cut short "
                       f"while being written or copied; the frames before it were read")
