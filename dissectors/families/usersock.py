"""NETLINK_USERSOCK (2): a protocol for user programs and private kernel modules.

Nothing says what its messages hold, so the body is shown as text when it is printable
(the classic netlink example sends text) and as hex otherwise.  Scripts that know their
own message types register a richer dissector for protocol 2 in place of this one.
"""
from __future__ import annotations

from ..core.attrs import FULL
from ..core.header import NLMSG_HDRLEN
from ..core.registry import OTHER, MessageType, Protocol, register_protocol
from ..model import FIELDS, STRING, BYTES, Node

TEXT_FIELD = FIELDS.add("usersock.text", "Text", STRING, "message body, printable text")
DATA_FIELD = FIELDS.add("usersock.data", "Data", BYTES, "message body, binary")


def printable(data: bytes) -> str | None:
    """The body as text if it is (NUL-padded) printable UTF-8, else None."""
    body = data.rstrip(b"\0")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(c.isprintable() or c in "\n\r\t" for c in text) else None


class UsersockProtocol(Protocol):
    number = 2
    name = "NETLINK_USERSOCK"
    label = "usersock"
    abbrev = "usersock"
    fields_only_here = True   # no other protocol makes a field named usersock.…

    def __init__(self):
        self._types: dict[int, MessageType] = {}

    def message_type(self, buf, off, length, mtype, order, ctx):
        mt = self._types.get(mtype)
        if mt is None:
            mt = self._types[mtype] = MessageType(mtype, f"type {mtype:#06x}", OTHER, info=_info)
        return mt

    def claims(self, buf, off, length, mtype, order, ctx):
        return True  # text or bytes is all this protocol can be

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        body, end = off + NLMSG_HDRLEN, off + length
        if body < end:
            data = bytes(buf[body:end])
            text = printable(data)
            if text is not None:
                root.add(Node(TEXT_FIELD, text, body, end - body, repr(text), label="Text"))
            else:
                root.add(Node(DATA_FIELD, data, body, end - body, label="Data"))
        return None


def _info(root) -> str:
    for c in root.children or ():
        if c.field is TEXT_FIELD:
            t = c.value if len(c.value) <= 60 else c.value[:59] + "…"
            return repr(t)
        if c.field is DATA_FIELD:
            return f"{len(c.value)} bytes"
    return ""


register_protocol(UsersockProtocol())
