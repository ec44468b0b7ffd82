"""The netlink message header: its schema, flag meanings, byte order, splitting a frame.

Flags 0x100–0x800 mean different things by the kind of message they ride on
(<linux/netlink.h>): GET requests ROOT/MATCH/ATOMIC, NEW requests REPLACE/EXCL/CREATE/
APPEND, DELETE requests NONREC/BULK, and NLMSG_ERROR/NLMSG_DONE CAPPED/ACK_TLVS.  Only
the reading that applies to the message's kind is shown.
"""
from __future__ import annotations

import struct

from construct import Int16ul, Int32ul

from ..generated import netlink as H
from ..model import FIELDS, UINT, Node
from .registry import DEL, GET, NEW, OTHER
from .attrs import FULL, Request
from .schema import FixedStruct, member

NLMSG_HDRLEN = 16
NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN = H.NLMSG_NOOP, H.NLMSG_ERROR, H.NLMSG_DONE, H.NLMSG_OVERRUN
CONTROL_NAMES = {H.NLMSG_NOOP: "NLMSG_NOOP", H.NLMSG_ERROR: "NLMSG_ERROR", H.NLMSG_DONE: "NLMSG_DONE",
                 H.NLMSG_OVERRUN: "NLMSG_OVERRUN"}
ACK = "ack"  # the kind of NLMSG_ERROR and NLMSG_DONE, for flag meanings

BASE_FLAGS = {H.NLM_F_REQUEST: "REQUEST", H.NLM_F_MULTI: "MULTI", H.NLM_F_ACK: "ACK",
              H.NLM_F_ECHO: "ECHO", H.NLM_F_DUMP_INTR: "DUMP_INTR", H.NLM_F_DUMP_FILTERED: "DUMP_FILTERED"}
MODIFIER_FLAGS = {
    GET: {H.NLM_F_ROOT: "ROOT", H.NLM_F_MATCH: "MATCH", H.NLM_F_ATOMIC: "ATOMIC"},
    NEW: {H.NLM_F_REPLACE: "REPLACE", H.NLM_F_EXCL: "EXCL", H.NLM_F_CREATE: "CREATE", H.NLM_F_APPEND: "APPEND"},
    DEL: {H.NLM_F_NONREC: "NONREC", H.NLM_F_BULK: "BULK"},
    ACK: {H.NLM_F_CAPPED: "CAPPED", H.NLM_F_ACK_TLVS: "ACK_TLVS"},
}

NLMSGHDR = FixedStruct("nlmsghdr", "netlink", [
    member("len", Int32ul, desc="nlmsg_len: length of the message including this header", title="Length"),
    member("type", Int16ul, desc="nlmsg_type", title="Type"),
    member("flags", Int16ul, desc="nlmsg_flags", title="Flags"),
    member("seq", Int32ul, desc="nlmsg_seq: sequence number", title="Sequence"),
    member("pid", Int32ul, desc="nlmsg_pid: port id of the sending (or receiving) socket", title="Port ID"),
], label="Netlink message header")
# nlmsghdr (len, type, flags, seq, pid) by byte order: the one unpacker every module uses
NLMSGHDR_FAST = {"<": struct.Struct("<IHHII"), ">": struct.Struct(">IHHII")}
_FLAG_FIELDS = {}


def nlmsghdr_value(root: Node, member: str) -> int:
    """A decoded message's nlmsghdr member by name ("len", "type", "flags", "seq", "pid"): what an
    Info function reads of the header (the tree's first node), named rather than by position."""
    abbrev = f"netlink.{member}"
    for c in root.children[0].children:
        if c.field.abbrev == abbrev:
            return c.value
    raise KeyError(f"nlmsghdr has no member {member!r}")


def is_request(buf, off: int, order: str) -> bool:
    """NLM_F_REQUEST of the message at `off`, read from its flags' low byte alone."""
    return bool(buf[off + (6 if order == "<" else 7)] & H.NLM_F_REQUEST)


def is_dump(buf, off: int, order: str) -> bool:
    """NLM_F_DUMP (ROOT|MATCH, bits 0x300) of the message at `off`, from the flags' high byte."""
    return buf[off + (7 if order == "<" else 6)] & 0x3 == 0x3


_FLAGS: dict = {}


def _flags_read(flags: int, kind: str | None) -> tuple[tuple[str, ...], str]:
    """(names, header text) of a flag word read as `kind` gives it, worked out once per
    pair: flag words seen are few, and a hostile capture cannot grow the table past 4096."""
    known = _FLAGS.get((flags, kind))
    if known is None:
        names = tuple(_flag_names(flags, kind))
        known = (names, f"{flags:#06x}" + (f" ({', '.join(names)})" if names else ""))
        if len(_FLAGS) < 4096:
            _FLAGS[(flags, kind)] = known
    return known


def flag_names(flags: int, kind: str | None) -> list[str]:
    """Names of the set flags, with the modifier bits read as `kind` gives them."""
    return list(_flags_read(flags, kind)[0])


def _flag_names(flags: int, kind: str | None) -> list[str]:
    out = [n for b, n in BASE_FLAGS.items() if flags & b]
    if kind in (None, OTHER) and flags & H.NLM_F_REQUEST and flags & H.NLM_F_DUMP == H.NLM_F_DUMP:
        # a request of a type we cannot classify: the kernel (rtnetlink_rcv_msg, genl_family_rcv_msg)
        # treats ROOT|MATCH as a dump request whatever the command, so read it as one
        kind = GET
    mods = MODIFIER_FLAGS.get(kind)
    if mods:
        if kind == GET and flags & H.NLM_F_DUMP == H.NLM_F_DUMP:
            out.append("DUMP")
            out.extend(n for b, n in mods.items() if flags & b and b not in (H.NLM_F_ROOT, H.NLM_F_MATCH))
        else:
            out.extend(n for b, n in mods.items() if flags & b)
        known = sum(BASE_FLAGS) | sum(mods)
    else:
        known = sum(BASE_FLAGS)
    rest = flags & ~known
    if rest:
        out.append(f"{rest:#x}")
    return out


def flag_nodes(names: list[str], off: int) -> list[Node]:
    """One boolean node per set flag name: netlink.flags.ack, netlink.flags.dump …"""
    out = []
    for name in names:
        f = _FLAG_FIELDS.get(name)
        if f is None:
            if name.startswith("0x"):
                f = FIELDS.add("netlink.flags.unknown_bits", "unknown bits", UINT, "flag bits with no meaning here")
            else:
                f = FIELDS.add(f"netlink.flags.{name.lower()}", f"NLM_F_{name}", "bool", f"NLM_F_{name} is set")
            _FLAG_FIELDS[name] = f
        out.append(Node(f, int(name, 16) if name.startswith("0x") else True, off, 2))
    return out


def _declare_flag_fields():
    for table in (BASE_FLAGS, *MODIFIER_FLAGS.values(), {0: "DUMP"}):
        for name in table.values():
            _FLAG_FIELDS[name] = FIELDS.add(f"netlink.flags.{name.lower()}", f"NLM_F_{name}", "bool",
                                            f"NLM_F_{name} is set")
    FIELDS.add("netlink.flags.unknown_bits", "unknown bits", UINT, "flag bits with no meaning here")


_declare_flag_fields()


def detect_order(buf, start: int = 0) -> str:
    """'<' or '>': the byte order in which the frame's message lengths make sense.

    Netlink is in the capturing host's order and nothing in the capture says which, so,
    like Wireshark and tcpdump, we try both: the order whose chain of nlmsg_len values
    walks the frame exactly to its end wins; failing that, the one whose first length
    fits the frame; failing that, little-endian (every common host).
    """
    end = len(buf)
    if end - start < NLMSG_HDRLEN:
        return "<"
    fits = []
    for order in ("<", ">"):
        fmt = NLMSGHDR_FAST[order]
        pos = start
        ok = True
        first = True
        while pos + NLMSG_HDRLEN <= end:
            ln = fmt.unpack_from(buf, pos)[0]
            if ln < NLMSG_HDRLEN or pos + ln > end:
                ok = False
                break
            if first:
                fits.append(order)
                first = False
            pos += (ln + 3) & ~3
        if ok and pos >= end:
            return order
    return fits[0] if fits else "<"


def split(buf, order: str, start: int = 0):
    """Yield (offset, len, type, flags, seq, pid) of each message; a bad tail as len = -1.

    A message whose length is below the header size or overruns the frame stops the walk:
    the rest of the frame is reported once as (offset, -1, …) for the caller to show as
    malformed.  Only headers are read: this is the cheap indexing pass.
    """
    fmt = NLMSGHDR_FAST[order].unpack_from
    end = len(buf)
    pos = start
    while pos < end:
        if end - pos < NLMSG_HDRLEN:
            yield (pos, -1, 0, 0, 0, 0)
            return
        ln, ty, fl, seq, pid = fmt(buf, pos)
        if ln < NLMSG_HDRLEN or pos + ln > end:
            yield (pos, -1, ty, fl, seq, pid)
            return
        yield (pos, ln, ty, fl, seq, pid)
        pos += (ln + 3) & ~3


def header_node(buf, off: int, order: str, type_text: str, kind: str | None, req: Request = FULL) -> Node:
    """The decoded nlmsghdr with type name and flag meanings (the flags' boolean children
    only in a full decode: a summary never needs them)."""
    node = NLMSGHDR.node(buf, off, order)
    ln, ty, fl, seq, pid = node.children
    ty.text = type_text
    names, fl.text = _flags_read(fl.value, kind)
    if fl.value and req.full:
        fl.children = flag_nodes(names, off + 6)
    return node
