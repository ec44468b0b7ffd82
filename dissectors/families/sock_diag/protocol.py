"""The NETLINK_SOCK_DIAG protocol entry.  SOCK_DIAG_BY_FAMILY requests and replies share one
message type; the first byte of the body (sdiag_family) says which address family's request
or message struct follows, and the request flag which of the two: the family modules register
both in a table keyed by family, as a dissector table does."""
from __future__ import annotations

from ...core.attrs import FULL
from ...core.dissect import dissect_body
from ...core.header import NLMSG_HDRLEN, is_request
from ...core.registry import GET, OTHER, MessageType, Protocol, register_protocol
from ...generated import sock_diag as SD

AF_NAMES = {1: "unix", 2: "inet", 10: "inet6", 16: "netlink", 17: "packet", 40: "vsock", 44: "xdp", 43: "smc",
            30: "tipc"}
TYPE_NAMES = {SD.SOCK_DIAG_BY_FAMILY: "SOCK_DIAG_BY_FAMILY", SD.SOCK_DESTROY: "SOCK_DESTROY",
              18: "TCPDIAG_GETSOCK", 19: "DCCPDIAG_GETSOCK"}


class SockFamily:
    """What one address family sends: request header and attributes, reply header and attributes."""

    def __init__(self, af: int, request: MessageType, reply: MessageType, post=None):
        self.af, self.request, self.reply = af, request, reply
        self.post = post    # callable(root, buf, body) run after the body is decoded


FAMILIES: dict[int, SockFamily] = {}


def header_values(root) -> dict:
    """The members of a message's family header (the struct after nlmsghdr) by short name:
    {"family": 1, "states": …}; {} when the body held no header."""
    hdr = root.children[1] if root.children and len(root.children) > 1 else None
    if hdr is None or not hdr.children:
        return {}
    return {c.field.abbrev.rsplit(".", 1)[1]: c.value for c in hdr.children}


def register_sock_family(af: int, req_header, req_attrs, msg_header, msg_attrs, info=None, short=None,
                         post=None) -> SockFamily:
    name = AF_NAMES.get(af, str(af))
    fam = SockFamily(af, MessageType(SD.SOCK_DIAG_BY_FAMILY, f"SOCK_DIAG_BY_FAMILY {name} request", GET, req_header,
                                     req_attrs, info=info, short_header=short),
                     MessageType(SD.SOCK_DIAG_BY_FAMILY, f"SOCK_DIAG_BY_FAMILY {name}", OTHER, msg_header, msg_attrs,
                                 info=info), post)
    if af in FAMILIES:
        raise ValueError(f"sock_diag family {af} registered twice")
    FAMILIES[af] = fam
    return fam


# the legacy inet requests (TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK: struct inet_diag_req) and the
# replies the kernel sends with the same type (inet_diag_rcv_msg_compat): (type, family) -> (request, reply)
LEGACY: dict[tuple, tuple] = {}


def register_legacy(mtype: int, af: int, request: MessageType, reply: MessageType) -> None:
    LEGACY[(mtype, af)] = (request, reply)


class SockDiagProtocol(Protocol):
    number = 4
    name = "NETLINK_SOCK_DIAG"
    label = "sock_diag"
    abbrev = "sock_diag"
    fields_only_here = True   # no other protocol makes a field named sock_diag.…
    label_from_body = True   # `sock_diag AF_INET`: the body's first byte

    def __init__(self):
        self._other: dict[tuple, MessageType] = {}

    def message_type(self, buf, off, length, mtype, order, ctx):
        body = off + NLMSG_HDRLEN
        request = is_request(buf, off, order)
        if mtype in (SD.SOCK_DIAG_BY_FAMILY, SD.SOCK_DESTROY) and body < off + length:
            fam = FAMILIES.get(buf[body])
            if fam is not None:
                mt = fam.request if request else fam.reply
                if mtype == SD.SOCK_DESTROY:
                    key = ("destroy", buf[body])
                    if key not in self._other:
                        self._other[key] = MessageType(mtype, f"SOCK_DESTROY {AF_NAMES.get(buf[body])}", "del",
                                                       fam.request.header, fam.request.attrs, info=mt.info)
                    return self._other[key]
                return mt
        legacy = LEGACY.get((mtype, buf[body])) if body < off + length else None
        if legacy is not None:
            return legacy[0] if request else legacy[1]
        key = (mtype, request)
        if key not in self._other:
            self._other[key] = MessageType(mtype, TYPE_NAMES.get(mtype, f"type {mtype}"), GET if request else OTHER)
        return self._other[key]

    def claims(self, buf, off, length, mtype, order, ctx):
        body = off + NLMSG_HDRLEN
        if body < off + length and (mtype, buf[body]) in LEGACY:
            return True
        if mtype in (SD.SOCK_DIAG_BY_FAMILY, SD.SOCK_DESTROY) and length == NLMSG_HDRLEN:
            # a header without its body: what an ACK echoes under NLM_F_CAPPED (`ss -K`'s
            # SOCK_DESTROY); the header is the whole of it, decoded
            return True
        return mtype in (SD.SOCK_DIAG_BY_FAMILY, SD.SOCK_DESTROY) and body < off + length and buf[body] in FAMILIES

    def family_label(self, buf, off, length, mtype, order, ctx):
        body = off + NLMSG_HDRLEN
        return f"sock_diag {AF_NAMES.get(buf[body], '?')}" if body < off + length else self.label

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        body = off + NLMSG_HDRLEN
        top = dissect_body(buf, body, off + length, mt, order, root, req=req)
        fam = FAMILIES.get(buf[body]) if body < off + length else None
        if fam is not None and fam.post is not None:
            fam.post(root, buf, body)
        return top


SOCK_DIAG = register_protocol(SockDiagProtocol())
