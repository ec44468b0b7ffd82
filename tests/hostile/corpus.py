"""Crafted hostile capture files for the contract of issue #13, written by `write_corpus(DIR)`.

Deterministic: the same bytes on every run (fixed timestamps, a seeded generator for the
one random key), nothing committed but this script.  Netlink messages are made with the
test builders (tests/dissectors/build.py); pcap and pcapng structure with the small
writers below, on purpose independent of nlscope's own writer, so that a file can be
wrong in exactly the way a test wants (a block length, an interface id, a byte order).

Each file comes with what the contract expects of `read` on it (`Crafted`): the exit
statuses allowed, the summary rows and texts that must be printed (everything decodable
before a fault), and the secrets that must never appear in any output.
`python3 bench/hostile_corpus.py DIR` writes the same files for use by hand.
"""
from __future__ import annotations

import gzip
import random
import struct
from dataclasses import dataclass, field
from pathlib import Path

from tests.dissectors.build import msg, nla

# --- netlink constants (uapi/linux/netlink.h, rtnetlink.h, genetlink.h, sock_diag.h, wireguard.h)
NETLINK_ROUTE, NETLINK_USERSOCK, NETLINK_SOCK_DIAG, NETLINK_GENERIC = 0, 2, 4, 16
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 0x1, 0x2, 0x4
NLM_F_DUMP, NLM_F_CREATE, NLM_F_EXCL = 0x300, 0x400, 0x200
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK = 16
IFLA_IFNAME, IFLA_MTU, IFLA_LINKINFO = 3, 4, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
VETH_INFO_PEER = 1
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
SOCK_DIAG_BY_FAMILY = 20
UNIX_DIAG_NAME = 0
GENL_ID_CTRL = 0x10
CTRL_CMD_NEWFAMILY, CTRL_CMD_GETFAMILY = 1, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_VERSION, CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR = 1, 2, 3, 4, 5
WG_CMD_GET_DEVICE, WG_CMD_SET_DEVICE = 0, 1
WGDEVICE_A_IFINDEX, WGDEVICE_A_IFNAME, WGDEVICE_A_PRIVATE_KEY, WGDEVICE_A_PUBLIC_KEY = 1, 2, 3, 4
WGDEVICE_A_LISTEN_PORT, WGDEVICE_A_PEERS = 6, 8
WGPEER_A_PUBLIC_KEY, WGPEER_A_PRESHARED_KEY = 1, 2
EINVAL, ENOENT = 22, 2

LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_NETLINK = 1, 113, 253
ARPHRD_ETHER, ARPHRD_NETLINK = 1, 824
T0 = 1_700_000_000  # seconds since the epoch of the first frame of every file

# the secrets: a printable one (a leak through an ASCII column or a string shows as text)
# and two random ones (a leak through hex or base64)
_rng = random.Random(13)
WG_PRIVATE_KEY = b"WG-private-key-never-printed-13!"
WG_SET_KEY = bytes(_rng.randrange(256) for _ in range(32))
WG_PRESHARED_KEY = bytes(_rng.randrange(256) for _ in range(32))
WG_PUBLIC_KEY = bytes(range(0x40, 0x60))  # public: may be printed (base64, as wg shows it)

# what a hostile string carries: every C0 control that matters, DEL, a C1 CSI (UTF-8), and
# after the newline a marker that must never start an output line
FORGED = "FORGED"
EVIL_IFNAME = "ev\x1b[31mil\x07t\tc\rr\x7fl\x9b2J\n" + FORGED + "-line\x00tail"
EVIL_EXTACK = "bad\x1b]0;owned\x07 value\r\n" + FORGED + "-extack\x00"
EVIL_UNIX = "\x00abstract\x1b[2J\x07\n" + FORGED + "-unix"
EVIL_FAMILY = "fam\x1b[7m\n" + FORGED + "-family"
UNICODE_IFNAME = "dümmy-网卡"  # printable, but not in latin-1: a non-UTF-8 terminal must not break on it


@dataclass
class Crafted:
    """A crafted file and what the contract expects of `nlscope read` on it."""
    name: str
    what: str                                  # the item of issue #13 it carries
    data: bytes = field(repr=False)
    exits: frozenset = frozenset({0})          # statuses `read` may end with
    rows: int | None = None                    # summary rows `read` must print
    shown: tuple[str, ...] = ()                # texts the summary output must hold
    verbose: dict = field(default_factory=dict)  # text: times (at least) `read -V` must show it
    warns: bool = False                        # `read` must say something on stderr (a warning)
    secrets: tuple[bytes, ...] = ()            # bytes no output may show, in any encoding
    same_as: str | None = None                 # a file whose summaries these must equal
    big: bool = False                          # size is the point
    cpu: float | None = None                   # seconds of CPU a command may take, if not the rule's
    path: Path | None = None


# --- link layer, pcap, pcapng ---------------------------------------------------------------

def cooked(protocol: int, data: bytes, hatype: int = ARPHRD_NETLINK) -> bytes:
    """The 16-byte LINKTYPE_NETLINK / LINUX_SLL header nlmon frames carry, then the data."""
    return struct.pack(">HHH8sH", 4, hatype, 0, b"", protocol) + data


def pcap(records, linktype: int = LINKTYPE_NETLINK, snaplen: int = 262144) -> bytes:
    """records: (time in µs, frame bytes) or (sec, usec, frame, caplen, wirelen) tuples."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)]
    for r in records:
        if len(r) == 2:
            us, data = r
            r = (us // 10**6, us % 10**6, data, len(data), len(data))
        sec, usec, data, caplen, wirelen = r
        out.append(struct.pack("<IIII", sec, usec, caplen, wirelen) + data)
    return b"".join(out)


def _pad(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def option(code: int, value: bytes, o: str = "<") -> bytes:
    return struct.pack(o + "HH", code, len(value)) + _pad(value)


def options(*opts: bytes, o: str = "<") -> bytes:
    return b"".join(opts) + struct.pack(o + "HH", 0, 0) if opts else b""


def block(btype: int, body: bytes, o: str = "<", total: int | None = None) -> bytes:
    body = _pad(body)
    n = 12 + len(body) if total is None else total
    return struct.pack(o + "II", btype, n) + body + struct.pack(o + "I", n)


def shb(o: str = "<", total: int | None = None) -> bytes:
    return block(0x0A0D0D0A, struct.pack(o + "IHHq", 0x1A2B3C4D, 1, 0, -1), o, total)


def idb(linktype: int = LINKTYPE_NETLINK, snaplen: int = 0, tsresol: int | None = None, o: str = "<") -> bytes:
    opts = options(option(9, bytes([tsresol]), o), o=o) if tsresol is not None else b""
    return block(1, struct.pack(o + "HHI", linktype, 0, snaplen) + opts, o)


def epb(ticks: int, data: bytes, ifid: int = 0, o: str = "<", total: int | None = None) -> bytes:
    body = struct.pack(o + "IIIII", ifid, ticks >> 32, ticks & 0xFFFFFFFF, len(data), len(data)) + _pad(data)
    return block(6, body, o, total)


def spb(data: bytes, o: str = "<") -> bytes:
    return block(3, struct.pack(o + "I", len(data)) + _pad(data), o)


def pcapng(frames, tsresol: int | None = None) -> bytes:
    """One section, one LINKTYPE_NETLINK interface; frames are (time in µs, frame bytes)."""
    return shb() + idb(tsresol=tsresol) + b"".join(epb(us, data) for us, data in frames)


def at(i: int) -> int:
    """Time of the i-th frame of a file, in µs: a millisecond apart."""
    return T0 * 10**6 + i * 1000


# --- netlink messages -----------------------------------------------------------------------

def ifinfomsg(index: int = 0) -> bytes:
    return struct.pack("<BxHiII", 0, 0, index, 0, 0)


def link(name: str, seq: int = 0, pid: int = 0, flags: int = 0, mtu: int | None = 1500, extra: bytes = b"") -> bytes:
    """An RTM_NEWLINK naming `name` (a notification by default: the Info column shows the name)."""
    body = ifinfomsg(1) + nla(IFLA_IFNAME, name.encode("utf-8", "surrogateescape") + b"\0")
    if mtu is not None:
        body += nla(IFLA_MTU, struct.pack("<I", mtu))
    return msg(RTM_NEWLINK, flags, body + extra, seq=seq, pid=pid)


def link_frame(name: str, **kw) -> bytes:
    return cooked(NETLINK_ROUTE, link(name, **kw))


def ack(request: bytes, error: int = 0, pid: int = 4242, tlvs: bytes = b"") -> bytes:
    """NLMSG_ERROR answering `request`, its header echoed (NLM_F_CAPPED)."""
    seq = struct.unpack_from("<I", request, 8)[0]
    flags = NLM_F_CAPPED | (NLM_F_ACK_TLVS if tlvs else 0)
    return msg(NLMSG_ERROR, flags, struct.pack("<i", -error) + request[:16] + tlvs, seq=seq, pid=pid)


def genl(cmd: int, attrs: bytes, version: int = 1) -> bytes:
    return struct.pack("<BBH", cmd, version, 0) + attrs


def cstr(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape") + b"\0"


def new_family(name: str, fid: int, flags: int, seq: int, pid: int) -> bytes:
    attrs = (nla(CTRL_ATTR_FAMILY_ID, struct.pack("<H", fid)) + nla(CTRL_ATTR_FAMILY_NAME, cstr(name))
             + nla(CTRL_ATTR_VERSION, struct.pack("<I", 1)) + nla(CTRL_ATTR_HDRSIZE, struct.pack("<I", 0))
             + nla(CTRL_ATTR_MAXATTR, struct.pack("<I", 8)))
    return msg(GENL_ID_CTRL, flags, genl(CTRL_CMD_NEWFAMILY, attrs, 2), seq=seq, pid=pid)


def nest(ntype: int, payload: bytes) -> bytes:
    return nla(ntype | NLA_F_NESTED, payload)


# --- the files ------------------------------------------------------------------------------

def _done_with_errno() -> Crafted:
    # what `ss -a` gets when the kernel lacks a socket family: a DONE saying -ENOENT
    req = msg(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, struct.pack("<BBBxI", 40, 0, 0, 0xFFFFFFFF) + bytes(16),
              seq=1)
    done = msg(NLMSG_DONE, NLM_F_MULTI, struct.pack("<i", -ENOENT), seq=1, pid=777)
    data = pcapng([(at(0), cooked(NETLINK_SOCK_DIAG, req)), (at(1), cooked(NETLINK_SOCK_DIAG, done)),
                   (at(2), link_frame("after-done"))])
    return Crafted("done-errno.pcapng", "1: NLMSG_DONE carrying an errno (stats crash)", data, rows=3,
                   shown=("after-done",))


def _big_frame_messages() -> tuple[bytes, int]:
    parts, i = [], 0
    while sum(map(len, parts)) < 200_000:
        parts.append(link(f"big{i:05d}", seq=5, pid=999, flags=NLM_F_MULTI))
        i += 1
    parts[-1] = link("big-last", seq=5, pid=999, flags=NLM_F_MULTI)
    return b"".join(parts), i


def _frames_200k() -> list[Crafted]:
    body, n = _big_frame_messages()
    frames = [(at(0), link_frame("before-big")), (at(1), cooked(NETLINK_ROUTE, body)), (at(2), link_frame("after-big"))]
    what = "2: a frame of 200 KB (nft -f sends such batches), read whole"
    return [Crafted("frame-200k.pcap", what + " (pcap)", pcap(frames), rows=n + 2, shown=("big-last", "after-big")),
            Crafted("frame-200k.pcapng", what + " (pcapng)", pcapng(frames), rows=n + 2,
                    shown=("big-last", "after-big"))]


def _wireguard_spoof() -> Crafted:
    wg = 0x20
    get_req = msg(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, genl(CTRL_CMD_GETFAMILY, nla(CTRL_ATTR_FAMILY_NAME,
                                                                                       cstr("wireguard"))), seq=1)
    announce = new_family("wireguard", wg, 0, seq=1, pid=1234)                    # the kernel's answer
    spoof1 = new_family("nlscope_test", wg, NLM_F_REQUEST, seq=2, pid=0)           # a user's request
    spoof2 = new_family("acme_unknown", wg, NLM_F_REQUEST, seq=5, pid=0)
    peer = nest(0, nla(WGPEER_A_PUBLIC_KEY, WG_PUBLIC_KEY) + nla(WGPEER_A_PRESHARED_KEY, WG_PRESHARED_KEY))
    device = (nla(WGDEVICE_A_IFINDEX, struct.pack("<I", 5)) + nla(WGDEVICE_A_IFNAME, cstr("wg0"))
              + nla(WGDEVICE_A_PRIVATE_KEY, WG_PRIVATE_KEY) + nla(WGDEVICE_A_PUBLIC_KEY, WG_PUBLIC_KEY)
              + nla(WGDEVICE_A_LISTEN_PORT, struct.pack("<H", 51820)) + nest(WGDEVICE_A_PEERS, peer))
    dump = msg(wg, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, genl(WG_CMD_GET_DEVICE, nla(WGDEVICE_A_IFNAME, cstr("wg0"))),
               seq=3)
    reply = msg(wg, NLM_F_MULTI, genl(WG_CMD_GET_DEVICE, device), seq=3, pid=1234)
    done = msg(NLMSG_DONE, NLM_F_MULTI, struct.pack("<i", 0), seq=3, pid=1234)
    set_dev = msg(wg, NLM_F_REQUEST | NLM_F_ACK, genl(WG_CMD_SET_DEVICE, nla(WGDEVICE_A_IFNAME, cstr("wg0"))
                                                      + nla(WGDEVICE_A_PRIVATE_KEY, WG_SET_KEY)
                                                      + nest(WGDEVICE_A_PEERS, peer)), seq=6)
    reply2 = msg(wg, NLM_F_MULTI, genl(WG_CMD_GET_DEVICE, device), seq=7, pid=1234)
    msgs = [get_req, announce, spoof1, dump, reply, done, spoof2, set_dev, ack(set_dev, pid=1234), reply2]
    data = pcapng([(at(i), cooked(NETLINK_GENERIC, m)) for i, m in enumerate(msgs)])
    return Crafted("wireguard-spoof.pcapng", "3a: a CTRL_CMD_NEWFAMILY request re-mapping wireguard's id, then "
                   "wireguard messages with private and preshared keys", data, rows=len(msgs),
                   secrets=(WG_PRIVATE_KEY, WG_SET_KEY, WG_PRESHARED_KEY),
                   verbose={"WGDEVICE_A_PRIVATE_KEY": 3})  # still wireguard after each spoof


def _control_chars() -> Crafted:
    req = link("ok0", seq=9, flags=NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, mtu=70000)
    tlvs = nla(NLMSGERR_ATTR_MSG, cstr(EVIL_EXTACK)) + nla(NLMSGERR_ATTR_OFFS, struct.pack("<I", 32))
    unix = msg(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, struct.pack("<BBBxIII", 1, 1, 10, 4242, 0, 0)
               + nla(UNIX_DIAG_NAME, EVIL_UNIX.encode()), seq=12, pid=55)
    fam = new_family(EVIL_FAMILY, 0x30, 0, seq=0, pid=0)
    of_fam = msg(0x30, NLM_F_REQUEST, genl(1, b""), seq=13)
    frames = [cooked(NETLINK_ROUTE, link(EVIL_IFNAME)), cooked(NETLINK_ROUTE, req),
              cooked(NETLINK_ROUTE, ack(req, EINVAL, tlvs=tlvs)), cooked(NETLINK_SOCK_DIAG, unix),
              cooked(NETLINK_GENERIC, fam), cooked(NETLINK_GENERIC, of_fam),
              cooked(NETLINK_ROUTE, link(UNICODE_IFNAME))]
    data = pcapng([(at(i), f) for i, f in enumerate(frames)])
    return Crafted("control-chars.pcapng", "5: ESC, BEL, NUL, CR, TAB, DEL, C1 and newlines in an ifname, an extack "
                   "message, a unix socket name and a genl family name; a non-latin-1 ifname", data, rows=len(frames))


def _rich_markup() -> Crafted:
    req = link("ok1", seq=3, flags=NLM_F_REQUEST | NLM_F_ACK)
    frames = [cooked(NETLINK_ROUTE, link("[/x]")), cooked(NETLINK_ROUTE, req),
              cooked(NETLINK_ROUTE, ack(req, EINVAL, tlvs=nla(NLMSGERR_ATTR_MSG, cstr("[/y] [bold]"))))]
    data = pcapng([(at(i), f) for i, f in enumerate(frames)])
    return Crafted("rich-markup.pcapng", "issue 18 2(b): Rich markup in an ifname and an extack message (the TUI)",
                   data, rows=3, shown=("[/x]",))


def _pcapng_structure() -> list[Crafted]:
    out = []
    data = shb() + idb() + spb(link_frame("spb0")) + epb(at(1), link_frame("epb1"))
    out.append(Crafted("pcapng-spb.pcapng", "6: a pcapng Simple Packet Block", data, rows=2, shown=("spb0", "epb1")))
    data = (shb() + idb() + epb(at(0), link_frame("before7")) + epb(at(1), link_frame("ghost7"), ifid=7)
            + epb(at(2), link_frame("after7")))
    out.append(Crafted("epb-interface-7-of-1.pcapng", "12: an EPB naming interface 7 of 1 (an error in place)", data,
                       exits=frozenset({0, 2}), shown=("before7", "after7")))
    data = (shb() + idb() + epb(at(0), link_frame("le0"))
            + shb(">") + idb(o=">") + epb(at(1), link_frame("be0"), o=">"))
    out.append(Crafted("shb-byte-order.pcapng", "12: a second section header switching byte order (said)", data,
                       exits=frozenset({0, 2}), shown=("le0",), warns=True))
    data = shb() + idb(tsresol=0) + epb(T0, link_frame("tsres0")) + epb(T0 + 1, link_frame("tsres1"))
    out.append(Crafted("tsresol-seconds.pcapng", "6: if_tsresol of seconds (10^0)", data, rows=2,
                       shown=("tsres0", "tsres1", "1.000000")))  # the second frame, a second later
    data = (shb() + idb() + idb(tsresol=0) + epb(at(0), link_frame("ts-ok"))
            + epb(2**64 - 1, link_frame("ts-max-us")) + epb(2**64 - 1, link_frame("ts-max-s"), ifid=1)
            + epb(at(3), link_frame("ts-after")))
    out.append(Crafted("garbage-timestamp.pcapng", "6: garbage timestamps (2^64-1 µs, 2^64-1 s)", data,
                       exits=frozenset({0, 2}), shown=("ts-ok",)))
    late = link_frame("ts-usec-max")
    data = pcap([(at(0), link_frame("ts-ok")), (0xFFFFFFFF, 0xFFFFFFFF, late, len(late), len(late))])
    out.append(Crafted("garbage-timestamp.pcap", "6: a garbage pcap timestamp (usec 2^32-1)", data,
                       exits=frozenset({0, 2}), shown=("ts-ok",)))
    data = shb() + idb() + epb(at(0), link_frame("pre-huge")) + struct.pack("<II", 6, 0xFFFFFFF0) + bytes(64)
    out.append(Crafted("huge-block-length.pcapng", "6: a block length of 4 GiB in a small file", data,
                       exits=frozenset({2}), rows=1, shown=("pre-huge",)))
    data = shb(total=0x7FFFFFF0) + bytes(64)
    out.append(Crafted("huge-section-header.pcapng", "6: a section header block of 2 GiB", data, exits=frozenset({2})))
    data = pcap([(at(0), link_frame("pre-huge"))]) + struct.pack("<IIII", T0, 0, 0xFFFFFFF0, 0xFFFFFFF0) + bytes(64)
    out.append(Crafted("huge-record.pcap", "6: a pcap record of 4 GiB in a small file", data, exits=frozenset({2}),
                       rows=1, shown=("pre-huge",)))
    data = (shb() + idb() + epb(at(0), link_frame("tiny-pre")) + struct.pack("<II", 6, 4) + bytes(8)
            + epb(at(1), link_frame("tiny-after")))
    out.append(Crafted("tiny-block-length.pcapng", "6: a block length of 4 (less than a block header)", data,
                       exits=frozenset({2}), shown=("tiny-pre",)))
    return out


def _truncated() -> list[Crafted]:
    frames = [(at(i), link_frame(f"cut{i}")) for i in range(1, 6)]
    what = "6: the file ends inside the last frame; the four before it are printed"
    return [Crafted("truncated.pcapng", what, pcapng(frames)[:-20], exits=frozenset({2}), rows=4,
                    shown=("cut1", "cut4")),
            Crafted("truncated.pcap", what, pcap(frames)[:-20], exits=frozenset({2}), rows=4, shown=("cut1", "cut4"))]


def _gzip() -> list[Crafted]:
    frames = [(at(i), link_frame(f"gz{i:02d}", mtu=1400 + i)) for i in range(60)]
    plain = pcapng(frames)
    whole = gzip.compress(plain, mtime=0)
    # a bomb: 1.25 GiB inflated from ~1.3 MB, as gzip members (each of 16 MiB of zeros);
    # reading it whole exceeds the memory bound, streaming stops at the first zero block
    zeros = gzip.compress(bytes(16 << 20), 9, mtime=0)
    bomb = gzip.compress(pcapng([(at(0), link_frame("bomb-pre1")), (at(1), link_frame("bomb-pre2"))]), mtime=0)
    return [Crafted("plain.pcapng", "a clean capture (the gzip files' reference)", plain, rows=60),
            Crafted("plain.pcapng.gz", "gzip input", whole, rows=60, same_as="plain.pcapng"),
            Crafted("gzip-truncated.pcapng.gz", "gzip input cut in the middle of its stream", whole[:len(whole) // 2],
                    exits=frozenset({2}), shown=("gz00",)),
            Crafted("gzip-bomb.pcapng.gz", "6/9: a gzip bomb: 1.25 GiB of zeros after two frames", bomb + zeros * 80,
                    exits=frozenset({2}), rows=2, shown=("bomb-pre1", "bomb-pre2"), big=True)]


def _transactions_16k() -> Crafted:
    # 16k dumps from 16k sockets that all use sequence number 1, unanswered until the last
    # is sent; then each socket's first dump part, then their NLMSG_DONEs, latest first:
    # a table that scans every open candidate of (protocol, seq) for each answer does
    # 16k x 16k / 2 steps twice over (the cost must stay proportional to the traffic)
    n = 16384
    first = msg(18, NLM_F_REQUEST | NLM_F_DUMP, ifinfomsg(), seq=1)  # RTM_GETLINK
    part = link("dumped", seq=1, flags=NLM_F_MULTI, pid=0x1000)
    done = msg(NLMSG_DONE, NLM_F_MULTI, struct.pack("<i", 0), seq=1, pid=0x1000)
    # the headers made once (32k builds cost 0.7 s); only the port id differs
    frames = [cooked(NETLINK_ROUTE, first)] * n
    frames += [cooked(NETLINK_ROUTE, part[:12] + struct.pack("<I", 0x1000 + i) + part[16:]) for i in range(n)]
    frames += [cooked(NETLINK_ROUTE, done[:12] + struct.pack("<I", 0x1000 + i) + done[16:])
               for i in reversed(range(n))]
    # bound by the suite's 6 s of CPU per MB (19.7 s here): paired in linear time the heaviest
    # command (-T json) takes 4 s on a quiet machine, 10 s on CI's beside two emulated kernels;
    # the quadratic pairing this file is made to catch makes 268 M steps
    return Crafted("transactions-16k.pcap", "9: 16k unanswered dumps, then their answers (quadratic pairing)",
                   pcap([(at(i), f) for i, f in enumerate(frames)]), rows=3 * n, big=True)


def _depth() -> list[Crafted]:
    inner = b""
    for level in range(150, 0, -1):
        info = nla(IFLA_INFO_KIND, cstr("veth"))
        if inner:
            info += nla(IFLA_INFO_DATA, nla(VETH_INFO_PEER, inner))
        inner = ifinfomsg() + nla(IFLA_IFNAME, cstr(f"v{level}")) + nla(IFLA_LINKINFO, info)
    req = msg(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, inner, seq=1)
    veth = pcapng([(at(0), cooked(NETLINK_ROUTE, req)), (at(1), cooked(NETLINK_ROUTE, ack(req))),
                   (at(2), link_frame("after-veth"))])
    echo = link("deepest", seq=1, flags=NLM_F_REQUEST)
    for _ in range(500):
        echo = msg(NLMSG_ERROR, 0, struct.pack("<i", -EINVAL) + echo, seq=1, pid=4242)
    errs = pcapng([(at(0), cooked(NETLINK_ROUTE, echo)), (at(1), link_frame("after-echo"))])
    # the node at the nesting limit is malformed, what is above it decoded
    return [Crafted("veth-peer-150.pcapng", "10: a veth peer chain 150 deep", veth, rows=3, shown=("after-veth",),
                    verbose={"Malformed": 1, "IFLA_IFNAME: v8": 1, "IFLA_IFNAME: after-veth": 1}),
            Crafted("error-echo-500.pcapng", "10: errors echoing errors 500 deep", errs, rows=2,
                    shown=("after-echo",), verbose={"Malformed": 1, "IFLA_IFNAME: after-echo": 1})]


def _time_and_not_captures() -> list[Crafted]:
    far = pcapng([(at(0), link_frame("far1")), (at(0) + (2**32) * 10**6, link_frame("far2"))])
    eth = pcap([(at(0), b"\xff" * 60)], linktype=LINKTYPE_ETHERNET)
    eth_ng = shb() + idb(LINKTYPE_ETHERNET) + epb(at(0), b"\xff" * 60)
    mixed = (shb() + idb() + idb(LINKTYPE_ETHERNET) + epb(at(0), link_frame("mix1")) + epb(at(1), b"\xff" * 60, 1)
             + epb(at(2), link_frame("mix2")) + epb(at(3), b"\xee" * 60, 1))
    sll = pcap([(at(0), link_frame("sll1")), (at(1), cooked(0x0800, b"\x45" + bytes(39), ARPHRD_ETHER)),
                (at(2), link_frame("sll2"))], linktype=LINKTYPE_LINUX_SLL)
    bad = frozenset({2})
    return [Crafted("far-apart.pcapng", "1: two frames 2^32 s apart (the per-second series)", far, rows=2,
                    shown=("far1", "far2")),
            Crafted("zeros.bin", "a file of zeros", bytes(65536), exits=bad, rows=0),
            Crafted("empty.pcap", "an empty file", b"", exits=bad, rows=0),
            Crafted("not-a-capture.txt", "a file that is not a capture", b"hello, this is not a capture\n" * 20,
                    exits=bad, rows=0),
            Crafted("linktype-ethernet.pcap", "an unsupported link type (pcap)", eth, exits=bad, rows=0),
            Crafted("linktype-ethernet.pcapng", "an unsupported link type (pcapng)", eth_ng, exits=bad, rows=0),
            Crafted("mixed-non-netlink.pcapng", "netlink and Ethernet interfaces in one file", mixed, rows=2,
                    shown=("mix1", "mix2"), warns=True),
            Crafted("mixed-sll.pcap", "LINUX_SLL frames that are not netlink among netlink ones", sll, rows=2,
                    shown=("sll1", "sll2"), warns=True)]


def crafted() -> list[Crafted]:
    """Every crafted file, in memory (paths unset)."""
    return [_done_with_errno(), *_frames_200k(), _wireguard_spoof(), _control_chars(), _rich_markup(),
            *_pcapng_structure(), *_truncated(), *_gzip(), _transactions_16k(), *_depth(), *_time_and_not_captures()]


# The structure of the kernel's Documentation/netlink/specs/wireguard.yaml (Linux 6.12+),
# reduced to what the crafted wireguard messages carry: keys are plain `binary` with a hex
# display hint, nothing marks them secret, so a decoder that trusts the spec prints them
# (issue 13 item 3b).
WIREGUARD_SPEC = """\
name: wireguard
protocol: genetlink-legacy
doc: WireGuard devices, as the kernel's spec declares them (keys binary, hint hex).
c-family-name: wg-genl-name
c-version-name: wg-genl-version
attribute-sets:
  -
    name: wgdevice
    name-prefix: wgdevice-a-
    attributes:
      - { name: unspec, type: unused, value: 0 }
      - { name: ifindex, type: u32 }
      - { name: ifname, type: string }
      - { name: private-key, type: binary, display-hint: hex }
      - { name: public-key, type: binary, display-hint: hex }
      - { name: flags, type: u32 }
      - { name: listen-port, type: u16 }
      - { name: fwmark, type: u32 }
      - { name: peers, type: indexed-array, sub-type: nest, nested-attributes: wgpeer }
  -
    name: wgpeer
    name-prefix: wgpeer-a-
    attributes:
      - { name: unspec, type: unused, value: 0 }
      - { name: public-key, type: binary, display-hint: hex }
      - { name: preshared-key, type: binary, display-hint: hex }
      - { name: flags, type: u32 }
      - { name: endpoint, type: binary }
operations:
  name-prefix: wg-cmd-
  list:
    -
      name: get-device
      value: 0
      attribute-set: wgdevice
      dump:
        request: { attributes: [ifindex, ifname] }
        reply: { attributes: [ifindex, ifname, private-key, public-key, flags, listen-port, fwmark, peers] }
    -
      name: set-device
      value: 1
      attribute-set: wgdevice
      do:
        request: { attributes: [ifindex, ifname, private-key, public-key, flags, listen-port, fwmark, peers] }
"""


def write_corpus(directory) -> list[Crafted]:
    """Write every crafted file into `directory` (and specs/wireguard.yaml); the files, with their paths set."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    files = crafted()
    for c in files:
        c.path = d / c.name
        c.path.write_bytes(c.data)
    (d / "specs").mkdir(exist_ok=True)
    (d / "specs" / "wireguard.yaml").write_text(WIREGUARD_SPEC)
    return files


def secret_forms(secret: bytes) -> list[bytes]:
    """Every way a secret could be printed: raw, hex (plain, spaced, coloned, \\x, either
    case) of every 8-byte window, and base64 (standard and URL-safe, at every alignment)."""
    import base64
    forms = [secret]
    for i in range(len(secret) - 7):
        w = secret[i:i + 8]
        forms.append(w)
        for h in (w.hex(), w.hex().upper()):
            forms += [h.encode(), " ".join(h[j:j + 2] for j in range(0, 16, 2)).encode(),
                      ":".join(h[j:j + 2] for j in range(0, 16, 2)).encode(),
                      "".join("\\x" + h[j:j + 2] for j in range(0, 16, 2)).encode()]
    for s in range(3):
        chunk = secret[s:s + 3 * ((len(secret) - s) // 3)]
        forms += [base64.b64encode(chunk), base64.urlsafe_b64encode(chunk)]
    return forms

