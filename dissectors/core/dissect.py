"""Decoding frames into messages: the cheap header index and the full decode on demand.

`decode_frame()` splits a frame into `Message`s reading headers only (plus the few
body bytes a family needs to name a message); a message's full tree is built the first
time it is asked for.  Nothing here raises on bad input: a bad tail becomes a malformed
message with its offset and raw bytes, and an exception inside a family dissector
becomes a malformed node on that message only.
"""
from __future__ import annotations

import struct

from ..generated import netlink as H
from ..model import FIELDS, MALFORMED, NONE, TRUNCATED, UNKNOWN, Node
from .attrs import FULL, Request, decode_attrs, malformed, summary
from .control import PAYLOAD_FIELD, dissect_done, dissect_error, echo_header, error_code, request_name
from .errors import error_name
from .info import as_info
from .report import ErrorReport, report_of  # noqa: F401 (ErrorReport: the annotation)
from .header import (ACK, CONTROL_NAMES, NLMSG_HDRLEN, NLMSGHDR_FAST, detect_order, flag_names, header_node,
                     split)
from .registry import DIRECTING, ECHOING, PROTOCOLS, RAW_TYPES, Context, MessageType, load_families
from .secrets import reveal
from .wanted import wanted_for

ROOT_FIELD = FIELDS.add("netlink", "Netlink message", NONE, "a netlink message")
_PROTO_NAMES = ("NETLINK_ROUTE", "NETLINK_UNUSED", "NETLINK_USERSOCK", "NETLINK_FIREWALL",
                "NETLINK_SOCK_DIAG", "NETLINK_NFLOG", "NETLINK_XFRM", "NETLINK_SELINUX", "NETLINK_ISCSI",
                "NETLINK_AUDIT", "NETLINK_FIB_LOOKUP", "NETLINK_CONNECTOR", "NETLINK_NETFILTER",
                "NETLINK_IP6_FW", "NETLINK_DNRTMSG", "NETLINK_KOBJECT_UEVENT", "NETLINK_GENERIC",
                "NETLINK_SCSITRANSPORT", "NETLINK_ECRYPTFS", "NETLINK_RDMA", "NETLINK_CRYPTO", "NETLINK_SMC")
PROTOCOL_NAMES = {getattr(H, n): n for n in _PROTO_NAMES}
TO_KERNEL, FROM_KERNEL = "to kernel", "from kernel"


def protocol_name(number: int) -> str:
    """The kernel's name of netlink protocol `number` (NETLINK_ROUTE), or NETLINK_<number>."""
    return PROTOCOL_NAMES.get(number, f"NETLINK_{number}")


def is_control(mtype: int, protocol: int) -> bool:
    """NOOP/ERROR/DONE/OVERRUN and the reserved types below 0x10 — except on a protocol whose
    types are all its own (NETLINK_FIB_LOOKUP)."""
    return mtype < 0x10 and protocol not in RAW_TYPES


def _message_type(buf, off, length, mtype, protocol, order, ctx) -> MessageType | None:
    if is_control(mtype, protocol):
        return None
    proto = PROTOCOLS.get(protocol)
    if proto is None:
        return None
    try:
        return proto.message_type(buf, off, length, mtype, order, ctx)
    except Exception:  # a family must never take the capture down: the type shows as unknown
        return None


def dissect_message(buf, off: int, length: int, protocol: int, order: str, ctx: Context, pos=None,
                    declared_len: int | None = None, header_only: bool = False, req: Request = FULL):
    """Decode one message into a tree, as much of it as `req` asks (core/attrs.Request).

    Returns (root node, MessageType or None, top-level AttrSet or None, status) where
    status is the error summary of an NLMSG_ERROR/NLMSG_DONE (else None).
    """
    load_families()
    end = off + length
    proto = PROTOCOLS.get(protocol)
    if proto is not None and proto.headerless:
        return _dissect_headerless(proto, buf, off, length, order, ctx, req)
    if length < NLMSG_HDRLEN:
        return malformed(buf, off, end, "message shorter than a netlink header"), None, None, None
    _, mtype, flags, _, _ = NLMSGHDR_FAST[order].unpack_from(buf, off)
    mt = _message_type(buf, off, length, mtype, protocol, order, ctx)
    control = is_control(mtype, protocol)
    if control:
        kind = ACK if mtype in (H.NLMSG_ERROR, H.NLMSG_DONE) else None
        tname = f"{CONTROL_NAMES.get(mtype, 'reserved control type')} ({mtype})"
    elif mt is not None:
        kind, tname = mt.kind, PROTOCOLS[protocol].type_text(mtype, mt, ctx)
    else:
        # no body layout known; a protocol may still name the type itself (generic netlink:
        # the family of an id, in the capped header an ACK echoes)
        named = PROTOCOLS[protocol].type_text(mtype, None, ctx) if protocol in PROTOCOLS else None
        kind, tname = None, named if named and named != f"{mtype:#06x}" else f"{mtype:#06x} (unknown)"
    root = Node(ROOT_FIELD, None, off, length, "", label="Netlink message")
    hdr = root.add(header_node(buf, off, order, tname, kind, req))
    if declared_len is not None and declared_len != length:
        hdr.children[0].text = f"{declared_len} ({length} bytes present)"
    top = status = None
    body = off + NLMSG_HDRLEN
    if header_only:
        return root, mt, (mt.attrs if mt is not None else None), None
    try:
        if control and mtype == H.NLMSG_ERROR:
            status = dissect_error(buf, off, length, flags, protocol, order, ctx, root, dissect_message, pos, req)
        elif control and mtype == H.NLMSG_DONE:
            status = dissect_done(buf, off, length, flags, order, root, req)
        elif control or PROTOCOLS.get(protocol) is None:
            if body < end:
                root.add(Node(PAYLOAD_FIELD, bytes(buf[body:end]), body, end - body, None,
                              status=None if control else UNKNOWN,
                              label="Payload" if control else f"Payload ({protocol_name(protocol)})"))
        else:
            top = PROTOCOLS[protocol].dissect(buf, off, length, mt, order, ctx, root, req)
    except Exception as exc:  # a family bug loses nothing: the body is shown as malformed
        root.add(malformed(buf, body, end, f"dissector error ({type(exc).__name__}: {exc})"))
    if getattr(ctx, "show_secrets", False):
        reveal(root, buf)   # the user asked for key material explicitly
    return root, mt, top, status


def _dissect_headerless(proto, buf, off: int, length: int, order: str, ctx, req: Request):
    """A record with no nlmsghdr (Protocol.headerless): the protocol decodes all of it."""
    mt = _message_type(buf, off, length, 0, proto.number, order, ctx)
    root = Node(ROOT_FIELD, None, off, length, "", label="Netlink message")
    top = None
    try:
        top = proto.dissect(buf, off, length, mt, order, ctx, root, req)
    except Exception as exc:  # a family bug loses nothing: the record is shown as malformed
        root.add(malformed(buf, off, off + length, f"dissector error ({type(exc).__name__}: {exc})"))
    return root, mt, top, None


def dissect_body(buf, body: int, end: int, mt: MessageType | None, order: str, root: Node, family_attrs=None,
                 req: Request = FULL):
    """Fixed header (or its short form) then attributes; the common body of table families."""
    header = mt.header if mt is not None else None
    attrs = mt.attrs if mt is not None else family_attrs
    pos = body
    if header is None and attrs is None and mt is not None and body < end:
        root.add(Node(PAYLOAD_FIELD, bytes(buf[body:end]), body, end - body, None, status=UNKNOWN,
                      label=f"Payload ({mt.name} body not decoded)"))
        return None
    if header is not None:
        have = end - body
        if have < header.size:
            short = mt.short_header
            if short is not None and have >= short.size:
                header = short
            else:
                root.add(malformed(buf, body, end, f"{header.cname} needs {header.size} bytes, "
                                                   f"{have} present"))
                return None
        root.add(header.node(buf, body, order, req=req))
        pos = body + ((header.size + 3) & ~3)
        if mt.by_family is not None:  # attributes whose meaning depends on the header's family byte
            attrs = mt.by_family.get(buf[body], attrs)
    if pos < end:
        if attrs is None and mt is None:
            root.add(Node(PAYLOAD_FIELD, bytes(buf[pos:end]), pos, end - pos, None, status=UNKNOWN,
                          label="Payload (unknown message type)"))
        else:
            root.children.extend(decode_attrs(buf, pos, end, attrs, order, 0, req))
    return attrs


class Message:
    """One netlink message of a frame: header values at once, the tree when asked for."""

    __slots__ = ("frame", "index", "time", "protocol", "buf", "offset", "length", "type", "flags", "seq",
                 "pid", "order", "pos", "ctx", "malformed", "_mt", "_tree", "_top", "_status", "_decoded",
                 "process", "tx", "_summary", "truncated", "frame_len", "frame_cap_len", "comment", "interface_id",
                 "frame_header", "recorded_direction")

    def __init__(self, frame, index, time, protocol, buf, offset, length, mtype, flags, seq, pid, order,
                 ctx, pos, bad=False):
        self.frame = frame
        self.index = index
        self.time = time
        self.protocol = protocol
        self.buf = buf
        self.offset = offset
        self.length = length
        self.type = mtype
        self.flags = flags
        self.seq = seq
        self.pid = pid
        self.order = order
        self.ctx = ctx
        self.pos = pos
        self.malformed = bad
        self.truncated = False   # cut by the capture's snap length: decoded as far as it goes
        self._mt = False
        self._decoded = False
        self._summary = None
        self.process = None  # filled in by the application when it knows the sending process
        # the capture record's lengths (link-layer header included), pcapng comment,
        # interface and link-layer header, when the application knows them (Wireshark's
        # frame.len, frame.cap_len, frame.comment, frame.interface_id; `frame` and `netlink`
        # as bytes)
        self.frame_len = self.frame_cap_len = self.comment = self.interface_id = self.frame_header = None
        self.tx = None       # the application's transaction record, if it pairs messages
        self.recorded_direction = None   # TO_KERNEL or FROM_KERNEL when the capture recorded it
        self._tree = self._top = self._status = None

    # --- cheap: header and type ---------------------------------------------------
    @property
    def message_type(self) -> MessageType | None:
        """What the message's type is to its protocol's dissector (name, kind, body layout), or None."""
        if self._mt is False:
            self._mt = None if self.malformed else _message_type(
                self.buf, self.offset, self.length, self.type, self.protocol, self.order, self.ctx)
        return self._mt

    @property
    def type_name(self) -> str:
        """The type's name (RTM_NEWLINK, NLMSG_ERROR, a genl family's command), MALFORMED, or a number."""
        if self.malformed:
            return "MALFORMED"
        if is_control(self.type, self.protocol):
            return CONTROL_NAMES.get(self.type, f"control {self.type}")
        mt = self.message_type
        return mt.name if mt is not None else f"{self.type:#06x}"

    @property
    def kind(self) -> str | None:
        """get, new, del, other or ack: what the type does, which decides what its flags mean."""
        if self.type in (H.NLMSG_ERROR, H.NLMSG_DONE) and is_control(self.type, self.protocol):
            return ACK
        mt = self.message_type
        return mt.kind if mt is not None else None

    @property
    def family(self) -> str:
        """What the Protocol column shows: the protocol's label, or the genl family's or
        netfilter subsystem's name."""
        proto = PROTOCOLS.get(self.protocol)
        if proto is None:
            return protocol_name(self.protocol)
        if self.malformed or is_control(self.type, self.protocol):
            return proto.label
        try:
            return proto.family_label(self.buf, self.offset, self.length, self.type, self.order, self.ctx)
        except Exception:
            return proto.label

    @property
    def flag_names(self) -> list[str]:
        """The names of the flags set, with the meaning they have for this kind of message."""
        return [] if self.malformed else flag_names(self.flags, self.kind)

    @property
    def direction(self) -> str:
        """The recorded direction when the capture has one (the BPF source's: `recorded_direction`,
        set by the application); else inferred: requests carry NLM_F_REQUEST, the kernel never sets it.

        nlmon records every message with the same packet type, so the capture does not say
        which way a message went; NLM_F_REQUEST is set by every request a program sends
        (the kernel rejects requests without it) and never by the kernel — except where
        the kernel answers in the request's own header (NETLINK_FIB_LOOKUP): such a
        protocol (`echoes`) tells its answers by their body.
        """
        if self.recorded_direction is not None:
            return self.recorded_direction
        if self.protocol in DIRECTING and not self.malformed:
            try:
                to_kernel = PROTOCOLS[self.protocol].direction(self.buf, self.offset, self.length, self.order)
            except Exception:
                to_kernel = None
            if to_kernel is not None:
                return TO_KERNEL if to_kernel else FROM_KERNEL
        if self.flags & H.NLM_F_REQUEST:
            if self.protocol in ECHOING and not self.malformed:
                # the kernel answered in the request's own header: the body tells
                try:
                    if PROTOCOLS[self.protocol].answer(self.buf, self.offset, self.length, self.order, self.ctx):
                        return FROM_KERNEL
                except Exception:
                    pass
            return TO_KERNEL
        return FROM_KERNEL

    @property
    def claimed(self) -> bool:
        """True when a registered dissector declares this message's body: control messages
        always (for an NLMSG_ERROR, when its echoed request is claimed too)."""
        if self.malformed:
            return False
        proto = PROTOCOLS.get(self.protocol)
        if not is_control(self.type, self.protocol):
            return proto is not None and proto.claims(self.buf, self.offset, self.length, self.type, self.order,
                                                       self.ctx)
        if self.type != H.NLMSG_ERROR or self.length < NLMSG_HDRLEN + 4 + NLMSG_HDRLEN:
            return True
        eo = self.offset + NLMSG_HDRLEN + 4
        e_len, e_type = NLMSGHDR_FAST[self.order].unpack_from(self.buf, eo)[:2]
        if e_type < 0x10:
            return True
        avail = NLMSG_HDRLEN if self.flags & H.NLM_F_CAPPED else max(NLMSG_HDRLEN, min(e_len, self.offset + self.length - eo))
        return proto is not None and proto.claims(self.buf, eo, avail, e_type, self.order, self.ctx)

    # --- full decode --------------------------------------------------------------
    def _decode(self):
        if self._decoded:
            return
        self._decoded = True
        if self.malformed:
            end = self.offset + self.length
            why = ("frame shorter than a netlink header" if self.length < NLMSG_HDRLEN else
                   f"nlmsg_len {self.type_len()} is invalid ({self.length} bytes left in the frame)")
            self._tree = malformed(self.buf, self.offset, end, why)
            return
        self._tree, self._mt, self._top, status = dissect_message(
            self.buf, self.offset, self.length, self.protocol, self.order, self.ctx, self.pos)
        if self._status is None:  # after forget(): the status kept what was learned since
            self._status = status
        if self.truncated:
            self._mark_truncated(self._tree)

    def _mark_truncated(self, tree: Node) -> None:
        """What ends at the snap length's cut is missing, not wrong."""
        end = self.offset + self.length
        tree.status = TRUNCATED
        tree.label = (f"Netlink message (cut by the capture's snap length: {self.length} of "
                      f"{self.type_len()} bytes captured)")
        for n in tree.walk():
            if n.status == MALFORMED and n.offset is not None and n.offset + n.length >= end:
                n.status = TRUNCATED

    def forget(self) -> None:
        """Drop the decoded trees (a stream that has shown a message keeps memory flat);
        they are decoded again if asked for.  The error status stays: a transaction may
        have resolved its extack against the request."""
        self._tree = self._top = self._summary = None
        self._decoded = False

    def type_len(self) -> int:
        """nlmsg_len as the header says (it may differ from `length`, the bytes the message spans)."""
        if self.length >= 4:
            return struct.unpack_from(self.order + "I", self.buf, self.offset)[0]
        return 0

    @property
    def tree(self) -> Node:
        """The whole decoded tree (header, fixed header, attributes), built on first use."""
        self._decode()
        return self._tree

    @property
    def error(self) -> dict | None:
        """{code, name, extack, request_type, request_seq} of an NLMSG_ERROR (ACK: code 0),
        or of an NLMSG_DONE that reports an error; else None."""
        if self.type not in (H.NLMSG_ERROR, H.NLMSG_DONE) or self.malformed \
                or not is_control(self.type, self.protocol):
            return None
        self._decode()
        st = self._status
        if st is None:
            return None
        if self.type == H.NLMSG_DONE and not st["code"] and not st["extack"]:
            return None
        return st

    @property
    def report(self) -> "ErrorReport | None":
        """`error` as typed values (core/report.py): errno, name, the request answered, and the
        extended ACK with the node of the echoed request it blames; None where `error` is."""
        return report_of(self.error, self.tree) if self.error is not None else None

    # --- access by name, for scripts -------------------------------------------------------
    def find(self, key: str) -> Node | None:
        """The first node of a field, by filter name (`rtnl.link.mtu`) or by the kernel's name
        (`IFLA_MTU`); None when the message has none.  Nodes chain: m.find("IFLA_LINKINFO")
        .find("IFLA_INFO_KIND")."""
        return self.tree.find(key)

    def find_all(self, key: str) -> list[Node]:
        """Every node of a field (by filter name or kernel name), in byte order."""
        return self.tree.find_all(key)

    def get(self, key: str, default=None):
        """The value of the first node of a field (by filter name or kernel name), or `default`."""
        return self.tree.get(key, default)

    def __getitem__(self, key: str):
        """m["IFLA_IFNAME"], m["rtnl.link.mtu"]: the value of the first node; KeyError if none."""
        return self.tree[key]

    @property
    def error_code(self) -> int:
        """The errno of an NLMSG_ERROR or NLMSG_DONE (0: ACK, or none), read without decoding."""
        if self.type not in (H.NLMSG_ERROR, H.NLMSG_DONE) or self.malformed \
                or not is_control(self.type, self.protocol):
            return 0
        return error_code(self.buf, self.offset, self.length, self.order) or 0

    def _summary_tree(self, levels: int = 1, wanted: frozenset | None = None):
        """The full tree if built, else a shallow one (`levels` levels of nests below the
        top, no arrays or structs; with `wanted`, only those attributes)."""
        if self._decoded:
            return self._tree
        key = (levels, wanted)
        if self._summary is None or self._summary[0] != key:
            self._summary = (key, dissect_message(self.buf, self.offset, self.length, self.protocol,
                                                  self.order, self.ctx, self.pos, req=summary(levels, wanted))[0])
        return self._summary[1]

    def decode(self, fields=None) -> Node:
        """The decoded tree: all of it without `fields` (what `tree` holds), or, with `fields`
        (field names, e.g. those a display filter or `-T fields` reads), a tree in which every
        node of those fields is there exactly as in the whole tree, and little else is
        decoded (the attributes that hold them; see core/wanted.py).  Nodes of other fields
        may be missing from it.  The whole tree when it is built already, or when a field
        is one whose place the declarations do not tell."""
        if fields is None or self._decoded or self.malformed:
            return self.tree
        wanted = wanted_for(fields)
        if wanted is None:
            return self.tree
        key = ("fields", wanted)
        if self._summary is None or self._summary[0] != key:
            tree = dissect_message(self.buf, self.offset, self.length, self.protocol, self.order, self.ctx,
                                   self.pos, req=Request(wanted=wanted))[0]
            if self.truncated:
                self._mark_truncated(tree)
            self._summary = (key, tree)
        return self._summary[1]

    @property
    def info(self) -> str:
        """The Info column: the most telling values of the message."""
        if not self.malformed and not is_control(self.type, self.protocol):
            mt = self.message_type
            if mt is not None and mt.info is not None:
                try:
                    # what the Info function declared (core/info.py): full_tree needs structs
                    # or deep nests (a rule's expressions), `levels` that many levels of nests,
                    # `reads` those attributes; a `fast` twin may answer from the bytes
                    # (None: ask the tree)
                    info = as_info(mt.info)
                    if info.fast is not None and not self._decoded:
                        text = info.fast(self.buf, self.offset, self.length, self.order, self.flags)
                        if text is not None:
                            return text
                    if info.full_tree:
                        return info(self.tree)
                    return info(self._summary_tree(info.levels, info.wanted))
                except Exception:
                    return ""
        elif not self.malformed and not self._decoded and not self.flags & H.NLM_F_ACK_TLVS:
            text = _control_info_fast(self)  # an ACK or DONE without extack: from its headers
            if text is not None:
                return text
        self._decode()
        if self.malformed:
            return self._tree.text
        control = is_control(self.type, self.protocol)
        if control and self.type == H.NLMSG_ERROR:
            return _error_info(self._status, self.seq)
        if control and self.type == H.NLMSG_DONE:
            st = self._status
            if st is None:
                return "DONE (malformed)"
            text = "DONE" if not st["code"] else f"DONE {st['name']} ({st['code']})"
            return text + _extack_info(st.get("extack"))
        mt = self.message_type
        if mt is not None and mt.info is not None:
            try:
                return mt.info(self._tree)
            except Exception:
                return ""
        if control:
            return CONTROL_NAMES.get(self.type, "")
        return "" if mt is not None else f"type {self.type:#06x} unknown to {self.family}"

    def unknown_count(self) -> int:
        """How many nodes of the tree the dissectors did not know."""
        return sum(1 for n in self.tree.walk() if n.status == UNKNOWN)

    def to_json(self, tree: bool = True) -> dict:
        """The message as `-T json` writes it (with its tree unless `tree` is False)."""
        d = {"frame": self.frame, "msg": self.index, "time": self.time,
             "protocol": protocol_name(self.protocol), "family": self.family, "type": self.type_name,
             "type_value": self.type, "flags": self.flag_names, "flags_value": self.flags, "seq": self.seq,
             "portid": self.pid, "direction": self.direction, "length": self.length,
             "malformed": self.malformed, "error": self.error, "info": self.info}
        if tree:
            d["tree"] = self.tree.to_json()
        return d


def _control_info_fast(m: Message) -> str | None:
    """The Info of an NLMSG_ERROR or NLMSG_DONE without extack TLVs, from the error code and
    the echoed request's header — what dissect_error/dissect_done would make of them, without
    decoding the echoed request; None when anything is short (the decode then says it)."""
    if m.type == H.NLMSG_DONE:
        if m.length < NLMSG_HDRLEN + 4:
            return None
        code = m.error_code
        return "DONE" if not code else f"DONE {error_name(code)} ({code})"
    echoed = echo_header(m.buf, m.offset, m.length, m.flags, m.order) if m.type == H.NLMSG_ERROR else None
    if echoed is None:
        return None
    eo, avail, _, e_type, e_seq, _ = echoed
    e_mt = _message_type(m.buf, eo, avail, e_type, m.protocol, m.order, m.ctx)  # as dissect_message finds it
    req = request_name(e_mt, e_type, m.protocol, m.ctx)
    code = m.error_code
    return f"{'ACK' if code == 0 else error_name(code)} for {req or 'request'} seq {e_seq}"


def _extack_info(ext) -> str:
    if not ext:
        return ""
    parts = []
    if ext.get("msg"):
        parts.append(f': "{ext["msg"]}"')
    if ext.get("attr"):
        parts.append(f" [{ext['attr']}]")
    elif "offs" in ext:
        parts.append(f" [offset {ext['offs']}]")
    if ext.get("missing"):
        parts.append(f" [missing {ext['missing']}]")
    elif "miss_type" in ext:
        parts.append(f" [missing attribute {ext['miss_type']}]")
    return "".join(parts)


def _error_info(st, seq) -> str:
    if st is None:
        return "ERROR (malformed)"
    req = st["request_type"] or "request"
    rseq = st["request_seq"] if st["request_seq"] is not None else seq
    if st["code"] == 0:
        return f"ACK for {req} seq {rseq}" + _extack_info(st["extack"])
    return f"{st['name']} for {req} seq {rseq}" + _extack_info(st["extack"])


def decode_frame(data, protocol: int, ctx: Context | None = None, frame: int = 0, time: float = 0.0,
                 pos: int = 0, order: str | None = None, cut: bool = False) -> list[Message]:
    """Split one frame's netlink payload into messages (headers only; trees on demand).

    `pos` is the running message number, used to place generic-netlink id learning.
    `cut`: the capture kept fewer bytes than the frame had (snap length); a message that
    runs past the end is then truncated, not malformed, and decoded as far as it goes.
    """
    load_families()
    if ctx is None:
        ctx = Context()
    if order is None:
        order = detect_order(data)
    proto = PROTOCOLS.get(protocol)
    out = []
    records = None
    if proto is not None:
        try:
            records = proto.records(data, order)
        except Exception:
            records = None  # a family bug: the frame splits as any other
    for i, (off, ln, ty, fl, seq, pid) in enumerate(split(data, order) if records is None else records, 1):
        if ln < 0 and not any(data[off:]):
            # zeros after the last message: senders pad their buffers (iproute2 does) and the
            # kernel stops at a zero nlmsg_len without complaint (netlink_rcv_skb); not a message
            break
        if ln < 0:
            have = len(data) - off
            if cut and have >= NLMSG_HDRLEN and struct.unpack_from(order + "I", data, off)[0] > have:
                m = Message(frame, i, time, protocol, data, off, have, ty, fl, seq, pid, order, ctx, pos + i - 1)
                m.truncated = True
                out.append(m)
                break
            out.append(Message(frame, i, time, protocol, data, off, have, ty, fl, seq, pid, order,
                               ctx, pos + i - 1, bad=True))
            break
        if proto is not None and not is_control(ty, protocol):
            try:
                proto.observe(data, off, ln, ty, fl, order, ctx, pos + i - 1)
            except Exception:
                pass  # learning is best effort; the message itself still decodes or shows as bad
        out.append(Message(frame, i, time, protocol, data, off, ln, ty, fl, seq, pid, order, ctx, pos + i - 1))
    return out
