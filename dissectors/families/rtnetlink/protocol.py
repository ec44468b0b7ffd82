"""The NETLINK_ROUTE protocol entry and its message-type table."""
from __future__ import annotations

from ...core.dissect import dissect_body
from ...core.header import NLMSG_HDRLEN, is_request
from ...core.registry import DEL, GET, NEW, OTHER, MessageType, Protocol, register_protocol
from ...generated import rtnetlink as R


class RouteProtocol(Protocol):
    number = 0
    name = "NETLINK_ROUTE"
    label = "rtnetlink"
    abbrev = "rtnl"

    def __init__(self):
        self.types: dict[int, MessageType] = {}
        # message types whose requests carry other attributes than the kernel's messages
        # (RTM_NEWMDB/DELMDB: MDBA_SET_ENTRY … in requests, MDBA_MDB … in notifications)
        self.request_types: dict[int, MessageType] = {}

    def message_type(self, buf, off, length, mtype, order, ctx):
        if self.request_types and mtype in self.request_types and is_request(buf, off, order):
            return self.request_types[mtype]
        return self.types.get(mtype)

    def dissect(self, buf, off, length, mt, order, ctx, root):
        return dissect_body(buf, off + NLMSG_HDRLEN, off + length, mt, order, root)


ROUTE = register_protocol(RouteProtocol())


def kind_of(name: str) -> str:
    """RTM_NEWx/SETx create or change, RTM_DELx delete, RTM_GETx query."""
    verb = name[4:7]
    return {"NEW": NEW, "SET": NEW, "DEL": DEL, "GET": GET}.get(verb, OTHER)


def add_types(names: list[str], header=None, attrs=None, info=None, short_header=None,
              headers: dict | None = None, by_family: dict | None = None, requests: bool = False):
    """Register RTM_* message types (numbers from <linux/rtnetlink.h>) sharing one layout;
    with `requests`, the layout of those types' requests only."""
    for name in names:
        value = getattr(R, name)
        hdr = (headers or {}).get(name, header)
        table = ROUTE.request_types if requests else ROUTE.types
        table[value] = MessageType(value, name, kind_of(name), hdr, attrs, short_header, info, by_family)


def all_type_names() -> list[str]:
    """Every RTM_* message type the installed header defines."""
    return [n for n in R.ENUMS["RTM_BASE"] if n.startswith("RTM_") and n != "RTM_BASE" and not n.startswith("__")]


def top(root, abbrev: str, default=None):
    """Value of a field among a message's top-level nodes, or one level below them
    (the fixed header's members, a nest's direct members)."""
    for c in root.children or ():
        fa = c.field.abbrev
        if fa == abbrev:
            return c.value
        if c.children and abbrev.startswith(fa + "."):
            for cc in c.children:
                if cc.field.abbrev == abbrev:
                    return cc.value
    return default


def is_dump_request(root) -> bool:
    """True for a request with NLM_F_DUMP (its fixed header is a filter, not an object)."""
    flags = root.children[0].children[2].value
    return flags & 0x301 == 0x301
