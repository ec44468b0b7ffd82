"""The NETLINK_ROUTE protocol entry and its message-type table."""
from __future__ import annotations

from ...core.attrs import FULL, decode_attrs
from ...core.control import PAYLOAD_FIELD
from ...core.dissect import dissect_body
from ...core.header import NLMSG_HDRLEN, nlmsghdr_value, is_request
from ...model import FIELDS, MALFORMED, NONE, Node
from ...core.registry import DEL, GET, NEW, OTHER, MessageType, Protocol, register_protocol
from ...generated import rtnetlink as R


class RouteProtocol(Protocol):
    number = 0
    name = "NETLINK_ROUTE"
    label = "rtnetlink"
    abbrev = "rtnl"
    fields_only_here = True   # no other protocol makes a field named rtnl.…

    def __init__(self):
        self.types: dict[int, MessageType] = {}
        # message types whose requests carry other attributes than the kernel's messages
        # (RTM_NEWMDB/DELMDB: MDBA_SET_ENTRY … in requests, MDBA_MDB … in notifications)
        self.request_types: dict[int, MessageType] = {}
        # message type -> what reads again, as the kernel does, a part of the decoded body
        # that the attribute sets alone cannot place: fix(buf, order, nodes, req)
        self.rereads: dict[int, object] = {}
        # (message type, family byte) -> the layout of another subsystem that shares the type
        # number: the CAN gateway's RTM_*ROUTE of AF_CAN carry a struct rtcanmsg, not an rtmsg
        # (rtnetlink_rcv_msg() dispatches on the family byte: rtnl_get_link(family, type))
        self.family_types: dict[tuple[int, int], MessageType] = {}

    def message_type(self, buf, off, length, mtype, order, ctx):
        if self.family_types and length > NLMSG_HDRLEN and off + NLMSG_HDRLEN < len(buf):
            mt = self.family_types.get((mtype, buf[off + NLMSG_HDRLEN]))
            if mt is not None:
                return mt
        if self.request_types and mtype in self.request_types and is_request(buf, off, order):
            return self.request_types[mtype]
        return self.types.get(mtype)

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        body, end = off + NLMSG_HDRLEN, off + length
        if end == body and mt is not None and is_request(buf, off, order):
            # rtnetlink_rcv_msg(): "All the messages must have at least 1 byte length" — a
            # request without even the family byte is ignored (no error; acked if asked)
            root.add(Node(EMPTY_FIELD, None, body, 0, "", label="Empty body (ignored by the kernel: "
                          "rtnetlink_rcv_msg() needs at least the 1-byte family)"))
            return None
        first = len(root.children)
        attrs = dissect_body(buf, body, end, mt, order, root, req=req)
        reread = self.rereads.get(mt.value) if mt is not None else None
        if reread is not None:
            reread(buf, order, root.children[first:], req)
        if mt is None or mt.kind != GET or end <= body or not is_dump_request(root):
            return attrs
        ours = root.children[first:]
        short = bool(ours) and mt.header is not None and ours[0].field is not mt.header.field
        if mt.name in LEGACY_DUMPS and (short or any(n.status == MALFORMED for c in ours for n in c.walk())):
            # not what a strict-checking socket may send: read it the way the kernel's legacy
            # (non-NETLINK_F_STRICT_CHK) dump path does
            del root.children[first:]
            return legacy_dump(buf, body, end, mt, order, root, req)
        return attrs


EMPTY_FIELD = FIELDS.add("rtnl.empty", "Empty body", NONE, "a request without a body, which the kernel ignores")
ROUTE = register_protocol(RouteProtocol())

# --- dump requests from sockets without NETLINK_F_STRICT_CHK -----------------------------
# rtnetlink_rcv_msg() reads the family byte of any body (struct rtgenmsg); each dump handler's
# legacy path then reads what it reads.  Where the kernel parses attributes there, it does so
# with nlmsg_parse_deprecated(): attributes up to the first that does not fit, the rest ignored.
IGNORED = "ignored by the kernel's legacy dump path"
# the dumps whose handlers check the header only on a strict socket (the others — tc, nexthop,
# stats, vlan — parse it strictly whatever the socket, and refuse what does not fit)
LEGACY_DUMPS = frozenset({
    "RTM_GETLINK",        # rtnl_dump_ifinfo -> rtnl_valid_dump_ifinfo_req
    "RTM_GETNEIGH",       # neigh_dump_info -> neigh_valid_dump_req; AF_BRIDGE: rtnl_fdb_dump
    "RTM_GETROUTE",       # inet_dump_fib, inet6_dump_fib, ipmr/mpls: ip_valid_fib_dump_req if strict
    "RTM_GETADDR", "RTM_GETMULTICAST", "RTM_GETANYCAST",   # inet_dump_ifaddr, inet6_dump_addr
    "RTM_GETRULE",        # fib_nl_dumprule -> fib_valid_dumprule_req if strict
    "RTM_GETNETCONF",     # inet_netconf_dump_devconf, inet6_netconf_dump_devconf
    "RTM_GETNSID",        # rtnl_net_dumpid -> rtnl_valid_dump_net_req if strict
    "RTM_GETADDRLABEL",   # ip6addrlbl_dump -> ip6addrlbl_valid_dump_req if strict
    "RTM_GETNEIGHTBL",    # neightbl_dump_info -> neightbl_valid_dump_info if strict
    "RTM_GETMDB",         # br_mdb_dump -> br_mdb_valid_dump_req if strict
})


def _ignored(buf, pos: int, end: int, root) -> None:
    if pos < end:
        root.add(Node(PAYLOAD_FIELD, bytes(buf[pos:end]), pos, end - pos, None,
                      label=f"Rest of the request ({IGNORED})"))


def _attrs_deprecated(buf, pos: int, end: int, aset, order: str, root, req) -> None:
    """Attributes as nlmsg_parse_deprecated() reads them: leftover bytes are not an error."""
    for n in decode_attrs(buf, pos, end, aset, order, 0, req) if pos < end else ():
        if n.status == MALFORMED:
            _ignored(buf, n.offset, end, root)
            return
        root.add(n)


def _header(buf, body: int, st, order: str, why: str, root, req):
    root.add(st.node(buf, body, order, label=f"{st.label}, legacy header ({why})", req=req))
    return body + ((st.size + 3) & ~3)


def legacy_dump(buf, body: int, end: int, mt, order: str, root, req=FULL):
    """A dump request decoded as the kernel's legacy path reads it; never malformed."""
    from .link import RTGENMSG
    have = end - body
    name = mt.name
    link = ROUTE.types[R.RTM_GETLINK]
    if name == "RTM_GETLINK":
        # rtnl_valid_dump_ifinfo_req(): shorter than ifinfomsg means rtgenmsg (iproute2 < 3.9)
        st = link.header if have >= link.header.size else RTGENMSG
        why = "ifinfomsg" if st is link.header else "rtgenmsg: the kernel reads the family, then attributes"
        pos = _header(buf, body, st, order, why, root, req)
        aset = (mt.by_family or {}).get(buf[body], mt.attrs)
        _attrs_deprecated(buf, pos, end, aset, order, root, req)
        return aset
    if name == "RTM_GETNEIGH" and buf[body] == 7 and have not in (12, 20) and have >= link.header.size:
        # AF_BRIDGE: rtnl_fdb_dump() / valid_fdb_dump_legacy() read an ifinfomsg and IFLA_MASTER
        pos = _header(buf, body, link.header, order, "ifinfomsg, as rtnl_fdb_dump reads an AF_BRIDGE dump", root, req)
        _attrs_deprecated(buf, pos, end, link.attrs, order, root, req)
        return link.attrs
    if name == "RTM_GETNEIGH" and have >= mt.header.size and buf[body] != 7:
        # neigh_valid_dump_req(): ndmsg (ndm_flags NTF_PROXY), NDA_* parsed, leftovers ignored
        pos = _header(buf, body, mt.header, order, "ndmsg, attributes parsed leniently", root, req)
        _attrs_deprecated(buf, pos, end, mt.attrs, order, root, req)
        return mt.attrs
    if name == "RTM_GETROUTE" and have >= mt.header.size:
        # ip_valid_fib_dump_req() not called: inet_dump_fib()/inet6_dump_fib() read rtm_flags only
        pos = _header(buf, body, mt.header, order, "the kernel reads rtm_flags only", root, req)
    else:   # inet_dump_ifaddr, inet6_dump_addr, fib_nl_dumprule, neightbl_dump_info … read no more
        size = f"{have}-byte body" + (f", {mt.header.cname} is {mt.header.size}" if mt.header is not None else "")
        pos = _header(buf, body, RTGENMSG, order, f"{size}: the kernel reads the family only", root, req)
    _ignored(buf, pos, end, root)
    return None


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


def add_family_types(names: list[str], family: int, header, attrs, info=None):
    """Register RTM_* message types of one address family whose body is another subsystem's
    layout (its own fixed header and attributes), chosen by the body's first byte."""
    for name in names:
        value = getattr(R, name)
        ROUTE.family_types[(value, family)] = MessageType(value, name, kind_of(name), header, attrs, None, info)


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


def attr_or_header(root, abbrev: str, default=None):
    """A value an attribute and the fixed header both carry under one field name (RTA_TABLE and
    rtm_table, FRA_TABLE and the rule's table): the top-level attribute's when it is there, as
    the kernel reads it (rtm_to_fib_config, frh_get_table), else the header's."""
    for c in root.children or ():
        if c.field.abbrev == abbrev:
            return c.value
    return top(root, abbrev, default)


def is_dump_request(root) -> bool:
    """True for a request with NLM_F_DUMP (its fixed header is a filter, not an object)."""
    flags = nlmsghdr_value(root, "flags")
    return flags & 0x301 == 0x301
