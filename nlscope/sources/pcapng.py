"""The pcapng format (draft-ietf-opsawg-pcapng): blocks of sections, each in its own byte order.

Every block is type, total length, body, total length again; a block whose two lengths
differ, that is shorter than its fixed part, not a multiple of 4, over `MAX_RECORD` or
longer than the rest of the file is a RecordError.  Read: the section header (SHB; its
byte-order magic sets the order of its section, and a new section forgets the interfaces
of the one before), interface descriptions (IDB: link type, snap length, if_name,
if_tsresol, if_tsoffset), enhanced packet blocks (EPB: interface, 64-bit timestamp,
captured and original lengths, opt_comment, epb_flags), simple packet blocks (SPB: the section's
first interface, the original length, no timestamp, as tshark reads them) and the
obsolete packet block (type 2).  Every other block (name resolution, interface
statistics, decryption secrets, custom, unknown) is skipped by its length, as the
specification says.
"""
from __future__ import annotations

import struct

from .stream import CHUNK, MAX_RECORD, RecordError, read_exact

SHB_MAGIC = b"\x0a\x0d\x0d\x0a"   # the SHB's block type, the same in either byte order
IDB, PB, SPB, EPB = 1, 2, 3, 6
OPT_END, OPT_COMMENT, EPB_FLAGS = 0, 1, 2
IF_NAME, IF_TSRESOL, IF_TSOFFSET = 2, 9, 14
MAX_INTERFACES = 1 << 16          # per section; each costs a small tuple
_BYTE_ORDER = {b"\x4d\x3c\x2b\x1a": "<", b"\x1a\x2b\x3c\x4d": ">"}
_ORDER_NAME = {"<": "little-endian", ">": "big-endian"}
_MIN_LENGTH = {IDB: 20, PB: 32, SPB: 16, EPB: 32}
DEFAULT_TSRESOL = 6               # microseconds, when an interface has no if_tsresol


def ts_scale(tsresol: int) -> tuple[int, int]:
    """(multiplier, divisor) turning timestamp units into nanoseconds, exactly: if_tsresol's
    high bit clear means units of 10^-v s (v = 0: seconds), set means 2^-v s."""
    v = tsresol & 0x7F
    if tsresol & 0x80:
        return 10**9, 1 << v
    return (10 ** (9 - v), 1) if v <= 9 else (1, 10 ** (v - 9))


def records(src, warn):
    """Yield (number, linktype, ts_ns, wirelen, data, comment, fault, interface, flags) for each packet block
    of `src` (a stream.Input whose first four bytes, the SHB's type, are read); RecordError
    at a fault.  `warn(line)` hears of a section changing byte order and of bad options.

    A packet block naming an interface its section does not have is yielded with linktype
    -1 and `fault` saying what is wrong, its timestamp read at the default resolution.
    `interface`: the block's interface, numbered across sections as Wireshark's
    frame.interface_id numbers them (None where the block names none that exists).  `flags`:
    the EPB's epb_flags (0 without it; bits 0-1 are the direction, 1 inbound, 2 outbound)."""
    read = src.read
    left = src.size + 4 if src.size is not None else None   # bytes from the start of the next block
    n = 0
    section = 0
    base = 0                        # interfaces of the sections before this one
    first_order = None
    told_order = told_options = False
    ifaces: list[tuple] = []        # (linktype, snaplen, ts multiplier, ts divisor, offset ns, name)
    order = "<"
    head = src.head + read(4)
    while True:
        if len(head) < 8:
            if not head:
                return
            raise _cut(n, section)
        if head[:4] == SHB_MAGIC:
            bom = read(4)
            if len(bom) < 4:
                raise _cut(n, section)
            order = _BYTE_ORDER.get(bom)
            if order is None:
                raise _damaged(n, section, f"a section header with byte-order magic {bom.hex()}")
            blk = struct.Struct(order + "II").unpack
            u32 = struct.Struct(order + "I").unpack_from
            epb = struct.Struct(order + "IIIII").unpack_from
            pb = struct.Struct(order + "HHIIII").unpack_from
            opt = struct.Struct(order + "HH").unpack_from
            btype, length = blk(head)
            if length < 28 or length % 4 or length > MAX_RECORD:
                raise _damaged(n, section, f"a section header of length {length}")
            if left is not None:
                left -= length
                if left < 0:
                    raise _cut(n, section)
            body = _body(read, length, 12, n, section)
            if body[-4:] != head[4:8]:
                raise _mismatch(n, section, btype, length, u32(body, len(body) - 4)[0])
            major, minor = struct.unpack_from(order + "HH", body, 0)
            if major != 1:
                raise _damaged(n, section, f"a section of pcapng version {major}.{minor}; only 1.x exists")
            section += 1
            base += len(ifaces)   # interfaces are numbered across sections, as Wireshark numbers them
            ifaces = []
            if first_order is None:
                first_order = order
            elif order != first_order and not told_order:
                told_order = True
                warn(f"section {section} is {_ORDER_NAME[order]} (section 1 is {_ORDER_NAME[first_order]}); "
                     f"each section is read in its own byte order")
            head = read(8)
            continue
        btype, length = blk(head)
        if length < _MIN_LENGTH.get(btype, 12) or length % 4 or length > MAX_RECORD:
            raise _damaged(n, section, f"a block of type {btype:#x} with length {length}")
        if left is not None:
            left -= length
            if left < 0:
                raise _cut(n, section)
        if btype not in _MIN_LENGTH:                 # not for us: skipped by its length
            tail = _skip(read, length - 8)
            if len(tail) < 4:
                raise _cut(n, section)
            if tail != head[4:8]:
                raise _mismatch(n, section, btype, length, u32(tail, 0)[0])
            head = read(8)
            continue
        body = _body(read, length, 8, n, section)
        end = length - 12                            # options end where the trailing length starts
        if body[end:] != head[4:8]:
            raise _mismatch(n, section, btype, length, u32(body, end)[0])
        if btype == EPB or btype == PB:
            if btype == EPB:
                iface, hi, lo, caplen, wirelen = epb(body, 0)
            else:
                iface, _drops, hi, lo, caplen, wirelen = pb(body, 0)
            if caplen > end - 20:
                raise _damaged(n, section, f"a packet block whose captured length {caplen} runs past its end")
            data = body[20:20 + caplen]
            comment, flags = None, 0
            at = 20 + caplen + (-caplen % 4)
            if at < end:
                comment, flags, bad = _options(body, at, end, opt, u32 if btype == EPB else None)
                if bad and not told_options:
                    told_options = True
                    warn(f"frame {n + 1}: an option runs past the end of its block; the options after it "
                         f"were ignored (further ones are not reported)")
            n += 1
            ticks = (hi << 32) | lo
            if iface < len(ifaces):
                linktype, _snap, mul, div, offset, _name = ifaces[iface]
                yield n, linktype, (ticks * mul if div == 1 else ticks * mul // div) + offset, wirelen, data, \
                    comment, None, base + iface, flags
            else:
                yield n, -1, ticks * 1000, wirelen, data, comment, \
                    f"its packet block names interface {iface}, but section {section} has {_interfaces(len(ifaces))}", \
                    None, flags
        elif btype == SPB:
            wirelen = u32(body, 0)[0]
            caplen = min(wirelen, end - 4)
            n += 1
            if ifaces:
                linktype, snap, _mul, _div, _offset, _name = ifaces[0]
                if snap:
                    caplen = min(caplen, snap)
                yield n, linktype, 0, wirelen, body[4:4 + caplen], None, None, base, 0
            else:
                yield n, -1, 0, wirelen, body[4:4 + caplen], None, \
                    f"a simple packet block, but section {section} has no interface", None, 0
        else:                                        # IDB
            if len(ifaces) >= MAX_INTERFACES:
                raise _damaged(n, section, f"more than {MAX_INTERFACES} interfaces in one section")
            linktype, _reserved, snaplen = struct.unpack_from(order + "HHI", body, 0)
            name, tsresol, offset = "", DEFAULT_TSRESOL, 0
            at = 8
            while at + 4 <= end:
                code, olen = opt(body, at)
                if code == OPT_END:
                    break
                value = body[at + 4:at + 4 + olen]
                if at + 4 + olen > end:
                    if not told_options:
                        told_options = True
                        warn(f"interface {len(ifaces)} of section {section}: an option runs past the end of its "
                             f"block; the options after it were ignored (further ones are not reported)")
                    break
                if code == IF_NAME:
                    name = value.rstrip(b"\0").decode("utf-8", "replace")
                elif code == IF_TSRESOL and olen >= 1:
                    tsresol = value[0]
                elif code == IF_TSOFFSET and olen >= 8:
                    offset = struct.unpack_from(order + "q", value, 0)[0] * 1_000_000_000
                at += 4 + olen + (-olen % 4)
            mul, div = ts_scale(tsresol)
            ifaces.append((linktype, snaplen, mul, div, offset, name))
        head = read(8)


def _body(read, length: int, done: int, n: int, section: int) -> bytes:
    """The rest of a block of `length` bytes, `done` of them read; RecordError if cut short."""
    want = length - done
    body = read(want) if want <= CHUNK else read_exact(read, want)
    if len(body) < want:
        raise _cut(n, section)
    return body


def _skip(read, n: int) -> bytes:
    """Read past n bytes without holding them; the last four (the trailing length)."""
    if n <= CHUNK:
        return read(n)[-4:] if n >= 4 else b""
    tail = b""
    while n > 0:
        part = read(min(CHUNK, n))
        if not part:
            return b""
        n -= len(part)
        tail = (tail + part)[-4:]
    return tail


def _options(body: bytes, at: int, end: int, opt, u32) -> tuple[str | None, int, bool]:
    """(the first opt_comment, UTF-8 with replacement, or None; the first epb_flags, 0 if
    none (`u32` None: not an EPB, whose options those are); whether an option ran past `end`)."""
    comment, flags, got_flags = None, 0, False
    while at + 4 <= end:
        code, olen = opt(body, at)
        if code == OPT_END:
            break
        if at + 4 + olen > end:
            return comment, flags, True
        if code == OPT_COMMENT and comment is None:
            comment = body[at + 4:at + 4 + olen].decode("utf-8", "replace")
        elif code == EPB_FLAGS and u32 is not None and olen == 4 and not got_flags:
            flags, got_flags = u32(body, at + 4)[0], True
        at += 4 + olen + (-olen % 4)
    return comment, flags, False


def _interfaces(count: int) -> str:
    return "no interface" if count == 0 else "1 interface (0)" if count == 1 else f"{count} interfaces (0-{count - 1})"


def _cut(after: int, section: int) -> RecordError:
    if section == 0:
        return RecordError("capture header unreadable (the file ends inside its section header); the file is damaged")
    return RecordError(f"the file ends inside a record after frame {after}; it was cut short while being written "
                       f"or copied; the frames before it were read")


def _damaged(after: int, section: int, what: str) -> RecordError:
    if section == 0:
        return RecordError(f"capture header unreadable ({what}); the file is damaged")
    return RecordError(f"damaged record after frame {after} ({what}); the frames before it were read")


def _mismatch(after: int, section: int, btype: int, length: int, trailing: int) -> RecordError:
    return _damaged(after, section, f"a block of type {btype:#x} whose trailing length {trailing} differs from "
                                    f"its leading length {length}")
