"""The NETLINK_GENERIC protocol entry: dispatch by family name, ids learned from nlctrl.

A generic-netlink message's type is its family's id, allocated at run time; the family
is found by the name the capture's CTRL_CMD_NEWFAMILY messages (or the user) gave that
id, then its command (genlmsghdr.cmd) picks the message type.  A family nobody declared
still shows its genlmsghdr and its attributes, raw and labelled unknown.
"""
from __future__ import annotations

import struct

from ...core.attrs import FULL, decode_attrs, malformed
from ...core.dissect import dissect_body
from ...core.header import NLMSG_HDRLEN, is_request
from ...core.registry import (GENL_FAMILIES, HEADER_STRUCTS, MessageType, Protocol, kind_from_name,
                              register_protocol)
from ...core.schema import c_struct
from ...generated import genetlink as G
from ...generated.netlink import NLM_F_REQUEST

GENLMSGHDR = c_struct(G, "genlmsghdr", "genl", label="Generic netlink header (genlmsghdr)")
HEADER_STRUCTS.add(GENLMSGHDR)   # decoded by hand before every family's attributes
GENL_HDRLEN = 4
_U16 = {"<": struct.Struct("<H"), ">": struct.Struct(">H")}
_U32 = {"<": struct.Struct("<I"), ">": struct.Struct(">I")}
_NLA = {"<": struct.Struct("<HH"), ">": struct.Struct(">HH")}


def top_attrs(root, prefix: str) -> dict:
    """A family message's top-level attributes that decoded, by field name less `prefix`
    (`"fou."` -> {"port": node, …}): what the families' Info functions read."""
    return {c.field.abbrev[len(prefix):]: c for c in root.children or ()
            if c.field.abbrev.startswith(prefix) and not c.status}


class GenericProtocol(Protocol):
    number = 16
    name = "NETLINK_GENERIC"
    label = "genl"
    abbrev = "genl"
    fields_only_here = True   # no other protocol makes a field named genl.…
    echoes = True   # a family may answer in a copy of the request's header (GenlFamily.echoes)

    def __init__(self):
        self._unknown: dict[tuple, MessageType] = {}

    def family(self, mtype, ctx):
        name = ctx.genl_name(mtype) if ctx is not None else (("nlctrl" if mtype == G.GENL_ID_CTRL else None))
        return name, (GENL_FAMILIES.get(name) if name else None)

    def message_type(self, buf, off, length, mtype, order, ctx):
        if length < NLMSG_HDRLEN + GENL_HDRLEN:
            return None
        cmd = buf[off + NLMSG_HDRLEN]
        name, fam = self.family(mtype, ctx)
        if fam is not None:
            mt = self._command(fam, buf, off, length, order)
            if mt is not None:
                return mt
        key = (name or mtype, cmd)
        mt = self._unknown.get(key)
        if mt is None:
            mt = MessageType(mtype, f"cmd {cmd}", kind_from_name(""), None, fam.attrs if fam else None)
            self._unknown[key] = mt
        return mt

    def claims(self, buf, off, length, mtype, order, ctx):
        _, fam = self.family(mtype, ctx)
        if fam is None:
            return False
        if length < NLMSG_HDRLEN + GENL_HDRLEN:
            return True  # a capped echo: the family is all there is to know
        return self._command(fam, buf, off, length, order) is not None

    @staticmethod
    def _command(fam, buf, off, length, order):
        """The family's message type for genlmsghdr.cmd, by direction and port id (replies
        and multicast events may number their commands apart), or by the family's own header
        (GenlFamily.body_command)."""
        mt = fam.body_command(buf, off, length, order)
        if mt is not None:
            return mt
        return fam.command(buf[off + NLMSG_HDRLEN], is_request(buf, off, order),
                           _U32[order].unpack_from(buf, off + 12)[0])

    def answer(self, buf, off, length, order, ctx=None) -> bool:
        if length < NLMSG_HDRLEN + GENL_HDRLEN:
            return False
        _, fam = self.family(_U16[order].unpack_from(buf, off + 4)[0], ctx)
        return fam is not None and fam.echoes and fam.answer(buf, off, length, order)

    def type_text(self, mtype, mt, ctx):
        name, _ = self.family(mtype, ctx)
        return f"{name or 'unknown family'} ({mtype:#x})"

    def family_label(self, buf, off, length, mtype, order, ctx):
        name, fam = self.family(mtype, ctx)
        if fam is not None:
            return fam.label
        return name if name else f"genl {mtype:#x}"

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        body = off + NLMSG_HDRLEN
        end = off + length
        if end - body < GENL_HDRLEN:
            root.add(malformed(buf, body, end, "genlmsghdr truncated"))
            return None
        mtype = _U16[order].unpack_from(buf, off + 4)[0]
        name, fam = self.family(mtype, ctx)
        hdr = root.add(GENLMSGHDR.node(buf, body, order, req=req))
        if mt is not None and fam is not None and not mt.name.startswith("cmd "):
            hdr.children[0].text = f"{mt.name} ({hdr.children[0].value})"
        attrs = (mt.attrs if mt is not None else None) or (fam.attrs if fam is not None else None)
        if fam is None:
            root.label = f"Netlink message (genl family {name or hex(mtype)}: no dissector, attributes raw)"
        pos = body + GENL_HDRLEN
        if fam is not None and fam.dissect_payload(buf, pos, end, mt, order, root, req):
            return None
        # a fixed header after genlmsghdr: the command's own (a YNL spec's per-operation
        # `fixed-header`), else the family's
        hdr = mt.header if mt is not None and mt.header is not None else (fam.header if fam is not None else None)
        if hdr is not None:
            return dissect_body(buf, pos, end, MessageType(mtype, "", header=hdr, attrs=attrs), order, root,
                                req=req)
        root.children.extend(decode_attrs(buf, pos, end, attrs, order, 0, req))
        return attrs

    def observe(self, buf, off, length, mtype, flags, order, ctx, pos):
        """Learn family ids from nlctrl NEWFAMILY messages the kernel sent (GETFAMILY
        replies, notifications).

        What the kernel sends never carries NLM_F_REQUEST, names an id it allocates in
        [GENL_MIN_ID, GENL_MAX_ID] and a name shorter than GENL_NAMSIZ; anything else is a
        program's own message (a NEWFAMILY *request* an unprivileged user sends is tapped
        by nlmon although the kernel rejects it) and teaches nothing.

        What stays forgeable, and why: a program may also send a NEWFAMILY with
        NLM_F_REQUEST clear — to the kernel (netlink_rcv_skb() skips it unanswered, nlmon
        taps it) or to another program's port id (user-to-user unicast needs no
        privilege).  Its header and body are whatever the sender wrote, nlmsg_pid
        included: the requester's port id of a real reply or the 0 of a notification are
        as easy to write as anything else.  And the capture does not say who sent a
        message: nlmon's frames all carry PACKET_OUTGOING (the tap's own packet type is
        overwritten when the frame leaves the nlmon device).  So such a forgery is not
        told apart from the kernel's announcement.  Secrets do not rest on this where a
        dissector knows the attribute: they are redacted by name whichever family decodes
        them (core/secrets.py); an id mapped to no dissector shows its attributes raw.
        """
        if mtype != G.GENL_ID_CTRL or length < NLMSG_HDRLEN + GENL_HDRLEN or flags & NLM_F_REQUEST:
            return
        if buf[off + NLMSG_HDRLEN] != G.CTRL_CMD_NEWFAMILY:
            return
        p = off + NLMSG_HDRLEN + GENL_HDRLEN
        end = off + length
        fid = fname = None
        nla = _NLA[order]
        while p + 4 <= end:
            ln, ty = nla.unpack_from(buf, p)
            if ln < 4 or p + ln > end:
                break
            ty &= 0x3FFF
            if ty == G.CTRL_ATTR_FAMILY_ID and ln >= 6:
                fid = _U16[order].unpack_from(buf, p + 4)[0]
            elif ty == G.CTRL_ATTR_FAMILY_NAME:
                fname = bytes(buf[p + 4:p + ln]).split(b"\0", 1)[0].decode("ascii", "replace")
            if fid is not None and fname is not None:
                if G.GENL_MIN_ID <= fid <= G.GENL_MAX_ID and 0 < len(fname) < G.GENL_NAMSIZ:
                    ctx.learn_genl(fid, fname, pos)
                return
            p += (ln + 3) & ~3


GENERIC = register_protocol(GenericProtocol())
