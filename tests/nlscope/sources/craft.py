"""Crafting capture files byte by byte (pcap, pcapng, gzip), and mutating their structure.

Used by the capture tests and by the file-level fuzzer (test_capture_fuzz.py for the
bounded run in CI, bench/fuzz_files.py for a long one).  Every builder takes the byte
order ("<" or ">") so a file can be written as a big-endian machine writes it.
"""
from __future__ import annotations

import gzip
import random
import struct

SHB, IDB, PB, SPB, NRB, ISB, EPB, DSB = 0x0A0D0D0A, 1, 2, 3, 4, 5, 6, 0x0A
CUSTOM, CUSTOM_NOCOPY = 0x00000BAD, 0x40000BAD
OPT_END, OPT_COMMENT, IF_NAME, IF_TSRESOL, IF_TSOFFSET = 0, 1, 2, 9, 14
# an NLMSG_DONE (16-byte header, a 4-byte errno of 0), little-endian as on x86
DONE = struct.pack("<IHHIIi", 20, 3, 2, 1, 0, 0)


def nlmsg(mtype: int, payload: bytes = b"", seq: int = 1) -> bytes:
    """A netlink message (little-endian header), padded to 4 bytes."""
    length = 16 + len(payload)
    return struct.pack("<IHHII", length, mtype, 0, seq, 0) + payload + b"\0" * (-length % 4)


def cooked(payload: bytes, proto: int = 0, pkttype: int = 4) -> bytes:
    """The 16-byte LINKTYPE_NETLINK header nlmon/tcpdump write, then the payload."""
    return struct.pack(">HHH8sH", pkttype, 824, 0, b"", proto) + payload


def opt(code: int, value: bytes, order: str = "<") -> bytes:
    return struct.pack(order + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


def opts(*items: tuple[int, bytes], order: str = "<") -> bytes:
    """Options followed by opt_endofopt."""
    return b"".join(opt(c, v, order) for c, v in items) + opt(OPT_END, b"", order) if items else b""


def block(btype: int, body: bytes, order: str = "<", trailer: int | None = None) -> bytes:
    body += b"\0" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack(order + "II", btype, length) + body + struct.pack(order + "I",
                                                                         length if trailer is None else trailer)


def shb(order: str = "<", major: int = 1, minor: int = 0, options: bytes = b"") -> bytes:
    return block(SHB, struct.pack(order + "IHHq", 0x1A2B3C4D, major, minor, -1) + options, order)


def idb(linktype: int = 253, snaplen: int = 262144, options: bytes = b"", order: str = "<") -> bytes:
    return block(IDB, struct.pack(order + "HHI", linktype, 0, snaplen) + options, order)


def epb(iface: int, ticks: int, data: bytes, wirelen: int | None = None, options: bytes = b"",
        order: str = "<") -> bytes:
    wirelen = len(data) if wirelen is None else wirelen
    body = struct.pack(order + "IIIII", iface, ticks >> 32, ticks & 0xFFFFFFFF, len(data), wirelen)
    return block(EPB, body + data + b"\0" * (-len(data) % 4) + options, order)


def pb(iface: int, ticks: int, data: bytes, order: str = "<") -> bytes:
    """The obsolete Packet Block (type 2): interface and drops as 16-bit fields."""
    body = struct.pack(order + "HHIIII", iface, 0, ticks >> 32, ticks & 0xFFFFFFFF, len(data), len(data))
    return block(PB, body + data, order)


def spb(data: bytes, wirelen: int | None = None, order: str = "<") -> bytes:
    return block(SPB, struct.pack(order + "I", len(data) if wirelen is None else wirelen) + data, order)


def pcapng(frames: list[bytes], order: str = "<", linktype: int = 253, tsresol: int | None = 9,
           t0: int = 1_700_000_000 * 10**9) -> bytes:
    """One section, one interface, an EPB per frame (ticks in the interface's resolution)."""
    o = opts((IF_TSRESOL, bytes([tsresol])), order=order) if tsresol is not None else b""
    out = [shb(order), idb(linktype, options=o, order=order)]
    out += [epb(0, t0 + i, f, order=order) for i, f in enumerate(frames)]
    return b"".join(out)


def pcap(frames: list[bytes], order: str = "<", nano: bool = False, linktype: int = 253, snaplen: int = 262144,
         t0: int = 1_700_000_000) -> bytes:
    """A classic pcap file: the four magics are microsecond/nanosecond x byte order."""
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = [struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)]
    for i, f in enumerate(frames):
        out.append(struct.pack(order + "IIII", t0 + i, 7, len(f), len(f)) + f)
    return b"".join(out)


def gz(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=1, mtime=0)


# ---- structure mutations (the file-level fuzzer) ------------------------------------------

def pcapng_blocks(raw: bytes) -> list[bytes] | None:
    """Split a pcapng file into its blocks (None if its lengths do not chain)."""
    out, pos = [], 0
    order = "<"
    while pos + 12 <= len(raw):
        if raw[pos:pos + 4] == b"\x0a\x0d\x0d\x0a":
            order = "<" if raw[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        length = struct.unpack_from(order + "I", raw, pos + 4)[0]
        if length < 12 or pos + length > len(raw):
            return None
        out.append(raw[pos:pos + length])
        pos += length
    return out if pos == len(raw) else None


def pcap_records(raw: bytes) -> list[int]:
    """The offsets of a pcap file's record headers (as far as its lengths chain)."""
    if raw[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif raw[:4] in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        return []
    out, pos = [], 24
    while pos + 16 <= len(raw):
        out.append(pos)
        pos += 16 + struct.unpack_from(order + "I", raw, pos + 8)[0]
    return out


def _order(blk: bytes, default: str = "<") -> str:
    if blk[:4] == b"\x0a\x0d\x0d\x0a" and len(blk) >= 12:
        return "<" if blk[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    return default


INTERESTING_U32 = [0, 1, 3, 4, 7, 8, 11, 12, 16, 20, 27, 28, 31, 32, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, 65536 + 16,
                   0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFC, 0xFFFFFFFF]
BLOCK_TYPES = [SHB, IDB, PB, SPB, NRB, ISB, EPB, DSB, CUSTOM, CUSTOM_NOCOPY, 0, 7, 8, 9, 0x80000001, 0xFFFFFFFF]


class Mutator:
    """Structure-aware mutations of a capture: block types and lengths, options, interfaces,
    timestamps, byte order, pcap record headers, and the compression around it all."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def mutate(self, raw: bytes) -> bytes:
        r = self.r
        blocks = pcapng_blocks(raw)
        for _ in range(r.choice((1, 1, 1, 2, 3, 5))):
            if blocks and r.random() < 0.85:
                self._mutate_blocks(blocks)
            else:
                raw = self._mutate_flat(b"".join(blocks) if blocks is not None else raw)
                blocks = pcapng_blocks(raw)
        out = b"".join(blocks) if blocks is not None else raw
        return self._wrap(out)

    def _wrap(self, out: bytes) -> bytes:
        r = self.r
        x = r.random()
        if x < 0.08:
            out = gz(out)
        elif x < 0.12:                                # a gzip cut short, or with damage inside
            z = gz(out)
            out = z[:r.randrange(1, len(z) + 1)] if r.random() < 0.5 else self._flip(z, 10, len(z))
        elif x < 0.14:                                # gzip members, padding, trailing data
            out = gz(out[:len(out) // 2]) + b"\0" * r.randrange(0, 8) + gz(out[len(out) // 2:]) + \
                  r.choice((b"", b"\0\0\0\0", b"junk"))
        return out

    def _flip(self, data: bytes, lo: int, hi: int) -> bytes:
        if hi <= lo:
            return data
        b = bytearray(data)
        for _ in range(self.r.randrange(1, 4)):
            b[self.r.randrange(lo, hi)] ^= 1 << self.r.randrange(8)
        return bytes(b)

    def _mutate_blocks(self, blocks: list[bytes]) -> None:
        r = self.r
        i = r.randrange(len(blocks))
        blk = bytearray(blocks[i])
        if len(blk) < 12:                             # a block an earlier mutation cut: leave it so
            return
        order = _order(bytes(blk), _order(blocks[0]))
        u32 = order + "I"
        op = r.randrange(16)
        if op == 0:                                   # another block type
            if blk[:4] != b"\x0a\x0d\x0d\x0a":
                struct.pack_into(u32, blk, 0, r.choice(BLOCK_TYPES))
        elif op == 1:                                 # a leading length that lies
            struct.pack_into(u32, blk, 4, r.choice(INTERESTING_U32 + [len(blk) + r.choice((-4, 4, 1, 8))]))
        elif op == 2:                                 # a trailing length that lies
            struct.pack_into(u32, blk, len(blk) - 4, r.choice(INTERESTING_U32))
        elif op == 3:                                 # a packet's captured / original length
            if len(blk) >= 28:
                struct.pack_into(u32, blk, r.choice((20, 24)), r.choice(INTERESTING_U32))
        elif op == 4:                                 # an interface id
            if len(blk) >= 12:
                struct.pack_into(u32, blk, 8, r.choice((0, 1, 2, 255, 0xFFFF, 0xFFFFFFFF)))
        elif op == 5:                                 # a garbage timestamp
            if len(blk) >= 20:
                struct.pack_into(order + "II", blk, 12, r.getrandbits(32), r.getrandbits(32))
        elif op == 6:                                 # drop a block (an IDB, often)
            del blocks[i]
            return
        elif op == 7:                                 # duplicate a block
            blocks.insert(i, bytes(blk))
        elif op == 8:                                 # a new interface: odd link type, resolution, offset
            res = r.choice((0, 1, 6, 9, 10, 19, 38, 127, 0x80, 0x80 | 10, 0x80 | 30, 0xFF))
            o = opts((IF_TSRESOL, bytes([res])), (IF_TSOFFSET, struct.pack(order + "q", r.choice(
                (0, -1, 2**62, -2**63, 2**63 - 1)))), (IF_NAME, b"nl\x1b[0m\0"), order=order)
            blocks.insert(i, idb(r.choice((253, 253, 113, 276, 1, 0xFFFF)), r.choice((0, 16, 100, 65535, 262144)),
                                 o, order))
        elif op == 9:                                 # options: lengths that run past the block
            if len(blk) >= 16:
                at = r.randrange(8, len(blk) - 4) & ~3
                struct.pack_into(order + "HH", blk, at, r.choice((0, 1, 2, 9, 14, 0xFFFF)),
                                 r.choice((0, 1, 4, 8, 0xFFFF, len(blk))))
        elif op == 10:                                # another block of another kind here
            data = blocks[i][28:28 + r.randrange(0, 64)] if len(blocks[i]) > 28 else b""
            blocks.insert(i, r.choice((
                spb(data, order=order), spb(data, r.choice((0, 1, 0xFFFFFFFF)), order),
                pb(r.choice((0, 1, 7)), r.getrandbits(64), data, order),
                block(r.choice((NRB, ISB, DSB, CUSTOM, CUSTOM_NOCOPY, 0x12345678)), data, order),
                epb(r.choice((0, 1, 9)), r.getrandbits(64), data, options=opts((OPT_COMMENT, b"\xff\xfe pid=1"),
                                                                                 order=order), order=order))))
        elif op == 11:                                # a new section, maybe in the other byte order
            blocks.insert(i, shb(r.choice(("<", ">")), r.choice((1, 1, 1, 0, 2)), r.choice((0, 2))))
        elif op == 12:                                # a block's body flipped
            blocks[i] = self._flip(bytes(blk), 8, len(blk) - 4)
            return
        elif op == 13:                                # a block cut (the file's lengths no longer chain)
            blocks[i] = bytes(blk[:r.randrange(0, len(blk))])
            return
        elif op == 14:                                # a huge frame
            blocks.insert(i, epb(0, 0, cooked(DONE * r.choice((4096, 20000))), order=order))
        else:                                         # swap two blocks
            j = r.randrange(len(blocks))
            blocks[i], blocks[j] = blocks[j], bytes(blk)
            return
        blocks[i] = bytes(blk)

    def _mutate_flat(self, raw: bytes) -> bytes:
        """For pcap (and pcapng whose lengths no longer chain): record headers and cuts."""
        r = self.r
        b = bytearray(raw)
        if len(b) < 24:
            return bytes(b) + bytes(r.getrandbits(8) for _ in range(r.randrange(0, 8)))
        records = pcap_records(raw)
        op = r.randrange(8)
        if op >= 6 and records:                       # a record header: lengths, timestamp
            at, order = r.choice(records), "<" if raw[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
            field = r.randrange(4)
            value = r.choice(INTERESTING_U32 + [r.getrandbits(32)])
            if field >= 2 and r.random() < 0.5:       # a length just off the truth
                value = max(0, struct.unpack_from(order + "I", b, at + 8)[0] + r.choice((-4, -1, 1, 4, 16))) \
                    & 0xFFFFFFFF
            struct.pack_into(order + "I", b, at + 4 * field, value)
            return bytes(b)
        if op == 0:                                   # cut anywhere
            return bytes(b[:r.randrange(0, len(b))])
        if op == 1:                                   # a 32-bit field somewhere set to a boundary value
            at = r.randrange(0, len(b) - 3) & ~3
            struct.pack_into(r.choice("<>") + "I", b, at, r.choice(INTERESTING_U32))
        elif op == 2:                                 # the file header: version, snap length, link type
            struct.pack_into("<HH", b, 4, r.choice((2, 1, 3, 0xFFFF)), r.choice((4, 0, 2)))
            struct.pack_into("<I", b, r.choice((16, 20)), r.choice(INTERESTING_U32))
        elif op == 3:                                 # bytes appended
            b += bytes(r.getrandbits(8) for _ in range(r.randrange(1, 40)))
        elif op == 4:
            return self._flip(bytes(b), 0, len(b))
        else:                                         # a big record
            data = cooked(DONE * 8192)
            b += struct.pack("<IIII", 0, 0, len(data), len(data)) + data
        return bytes(b)


# ---- the fuzz loop (bounded in CI by test_capture_fuzz.py, long in bench/fuzz_files.py) ------

def seeds(captures) -> list[bytes]:
    """Real captures as they are, and made on the fly: pcap (four magics), big-endian pcapng,
    several sections, every packet block kind and the blocks that are skipped."""
    from nlscope.sources import read_capture
    out = []
    for path in sorted(captures.glob("*.pcapng")):
        raw = path.read_bytes()
        blocks = pcapng_blocks(raw)
        if len(raw) > 120_000 and blocks:            # a big capture: its first blocks are enough
            raw = b"".join(blocks[:80])
        out.append(raw)
    frames = [fr.header + fr.data for fr in read_capture(str(captures / "rtnl-extack.pcapng"))][:40]
    out += [pcap(frames[:20], order, nano) for order in "<>" for nano in (False, True)]
    out.append(pcapng(frames[:20], order=">"))
    out.append(pcapng(frames[:10], tsresol=0x80 | 20) + pcapng(frames[10:20], order=">", tsresol=0))
    extra = b"".join(block(t, b"\x01" * 12) for t in (NRB, ISB, DSB, CUSTOM, CUSTOM_NOCOPY))
    out.append(shb() + extra + idb(snaplen=100) + idb(113) + spb(frames[0]) + pb(1, 99, frames[1])
               + epb(0, 5, frames[2], options=opts((OPT_COMMENT, b"nlscope.process pid=1 comm=ip"))) + extra)
    out.append(gz(out[1]))
    return out


def check_one(raw: bytes, as_file=None) -> tuple[int, str | None]:
    """Read `raw` (a file object over it, or the file `as_file` holding it); (frames read,
    None) or raise AssertionError / whatever escaped: the contract is Frames then at most one
    CaptureError, every text one line."""
    import io
    from nlscope.sources import CaptureError, Frame, read_capture
    warnings = []
    source = io.BytesIO(raw) if as_file is None else str(as_file)
    if as_file is not None:
        as_file.write_bytes(raw)
    n, last, error = 0, 0, None
    try:
        for fr in read_capture(source, warn=warnings.append):
            assert type(fr) is Frame and isinstance(fr.data, bytes) and fr.number > last, fr
            last = fr.number
            if fr.fault is None:
                assert len(fr.header) + len(fr.data) == fr.caplen and fr.protocol >= 0, fr
            else:
                assert isinstance(fr.fault, str) and "\n" not in fr.fault and fr.linktype == -1, fr.fault
            n += 1
    except CaptureError as exc:
        error = str(exc)
        assert error and "\n" not in error, error
    for w in warnings:
        assert isinstance(w, str) and "\n" not in w, w
    return n, error


def fuzz(inputs: list[bytes], seed: int, executions: int | None = None, seconds: float | None = None,
         tmp=None, per_input: float = 5.0, on_finding=None) -> dict:
    """Mutate and read until `executions` or `seconds` run out; returns counts and findings
    (inputs that broke the contract, or took longer than `per_input` seconds)."""
    import time
    import traceback
    mut = Mutator(seed)
    start = time.monotonic()
    stats = {"executions": 0, "frames": 0, "errors": 0, "findings": [], "slowest": 0.0}
    while True:
        if executions is not None and stats["executions"] >= executions:
            break
        if seconds is not None and time.monotonic() - start >= seconds:
            break
        raw = mut.mutate(mut.r.choice(inputs))
        as_file = tmp / "fuzz.cap" if tmp is not None and mut.r.random() < 0.5 else None
        t = time.monotonic()
        try:
            n, err = check_one(raw, as_file)
            stats["frames"] += n
            stats["errors"] += err is not None
            problem = None
        except BaseException as exc:                  # noqa: B036 - a finding, whatever it is
            if isinstance(exc, KeyboardInterrupt):
                raise
            problem = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
        took = time.monotonic() - t
        stats["slowest"] = max(stats["slowest"], took)
        if problem is None and took > per_input:
            problem = f"took {took:.1f} s"
        if problem is not None:
            stats["findings"].append(problem)
            if on_finding is not None:
                on_finding(raw, problem)
        stats["executions"] += 1
    stats["seconds"] = time.monotonic() - start
    return stats
