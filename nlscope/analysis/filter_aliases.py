"""Wireshark's own netlink field names, verbatim, with Wireshark 4.0's values and presence.

A Wireshark user types `netlink.hdr_seq == 7` or `netlink-route.ifla_ifname == "dummy0"`;
each such name is an `Alias` of ours: the field of ours it reads (`target`), or a getter
where the value is computed, and, as Wireshark has it, *where* the field is there:
- The header fields (`netlink.hdr_len`, `hdr_flags` and its bits, `hdr_seq`, `hdr_pid`)
  are in every netlink header Wireshark dissects: the message's and the request's header
  echoed in an NLMSG_ERROR.  `hdr_flags` is there twice for a request with a modifier bit
  (NLM_F_REQUEST and 0x0f00): Wireshark adds the GET reading (root, match, atomic) and the
  NEW reading (replace, excl, create, append) of the same flags — those bits are there only
  then (packet-netlink.c, dissect_netlink_header).
- `netlink.hdr_type` is there on control messages (types below 16), on an echoed header,
  and on messages no Wireshark dissector reads (a type of NETLINK_USERSOCK, XFRM …, or a
  message without body).  rtnetlink's type is `netlink-route.nltype`, sock_diag's
  `netlink-sock_diag.nltype`, generic netlink's `genl.family_id`.
- `netlink.error` is an NLMSG_ERROR's (Wireshark reads no error in an NLMSG_DONE).
- rtnetlink's `ifi_*`/`ifa_*`/`rt_*`/`nd_*` are the fixed header's members and `ifla_*`,
  `ifa_*`, `rta_*` the top-level attributes (Wireshark does not descend into IFLA_LINKINFO,
  so a veth peer's IFLA_IFNAME is not `ifla_ifname`); `ifla_linkstats.*` is in both
  rtnl_link_stats and rtnl_link_stats64, as Wireshark shows both.
- `netlink.family` is Wireshark's netlink protocol number (FT_UINT16); ours is the Protocol
  column's text.  One name answers both: a number compares with the protocol number
  (`netlink.family == 16`), text with our label (`netlink.family == "nlctrl"`).

A Wireshark name alone tests presence, as in Wireshark, whatever its kind: the hdr_flags
bits are FT_UINT16 bitmask fields (0 or 1, there wherever their header is), and an
FT_BOOLEAN such as ifi_flags.iff_up is there, true or false, wherever its flags value is.
Where a Wireshark name is ours too (netlink.error, genl.cmd, genl.version) ours wins: it keeps
the meaning nlscope's users know (netlink.error is also an NLMSG_DONE's error).

`WIRESHARK_ALIASES` maps each name to its Alias; `alias_of(our_name)` lists the Wireshark
names that read one of our fields (for `nlscope fields`).  Where a Wireshark field has no
one-to-one field of ours (netlink.attr_data, netlink.attr_index, a netfilter attribute-type
field …) it is not an alias: a filter naming it is refused as an unknown field.
"""
from __future__ import annotations

import json
from typing import Callable, Iterator

__all__ = ["Alias", "WIRESHARK_ALIASES", "alias_of", "FRAME_FIELDS", "PROTOCOL_BYTES"]

NLMSG_ERROR = 2
NLMSG_MIN_TYPE = 0x10          # types below are netlink's own control messages
NLM_F_REQUEST = 0x1
NLM_F_MODIFIERS = 0x0F00       # the GET/NEW modifier bits Wireshark reads both ways
NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_NETFILTER, NETLINK_GENERIC = 0, 4, 12, 16
NETLINK_KOBJECT_UEVENT = 15    # its records carry no nlmsghdr
# the protocols Wireshark 4.0 has a dissector for (netlink.protocol dissector table)
_DISSECTED = frozenset({NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_NETFILTER, NETLINK_GENERIC})
ARPHRD_NETLINK = 824


class Alias:
    """A Wireshark field name: what it reads of ours (`target`, or None where `get` computes
    it), its kind (as our filter kinds: uint, int, bool, string, bytes, ipv4, ipv6, mac, and
    `family` for netlink.family), a description, and get(message) -> [(value, display)]."""

    __slots__ = ("name", "target", "kind", "desc", "get", "header")

    def __init__(self, name: str, target: str | None, kind: str, desc: str, get: Callable,
                 header: bool = False):
        self.name, self.target, self.kind, self.desc, self.get = name, target, kind, desc, get
        self.header = header   # answered from the message header (no body decode but an echo's)

    def __repr__(self):
        return f"Alias({self.name!r} -> {self.target or 'computed'}, {self.kind})"


# --- where a node is, as Wireshark dissects it ------------------------------------------------
def _body(m) -> Iterator:
    """Every node of the message's own body, depth first (not the request an error echoes)."""
    stack = list(reversed(m.tree.children or ()))
    while stack:
        n = stack.pop()
        if n.field.abbrev == "netlink.echo":
            continue
        yield n
        if n.children:
            stack.extend(reversed(n.children))


def _pairs(nodes) -> list:
    return [(n.value, n.show) for n in nodes]


def _anywhere(field: str):
    """The field wherever it is in the body (Wireshark decodes these nests)."""
    return lambda m: _pairs(n for n in _body(m) if n.field.abbrev == field)


def _top(field: str, parent: str | None = None):
    """The field at the top of the body (an attribute, not one in a nest), or a member of
    the top-level node `parent` (a fixed header, a struct attribute such as IFLA_MAP)."""
    def get(m):
        out = []
        for top in m.tree.children or ():
            ab = top.field.abbrev
            if parent is None:
                if ab == field:
                    out.append((top.value, top.show))
            elif ab == parent:
                out.extend((c.value, c.show) for c in top.children or () if c.field.abbrev == field)
        return out
    return get


def _bits(flags: str, bit: str, parent: str | None = None):
    """A bit of a flags value, there (True or False) wherever the flags value is, as Wireshark
    shows every bit of a bitmask; `parent`: only the flags of that top-level node."""
    def get(m):
        if parent is None:
            nodes = [n for n in _body(m) if n.field.abbrev == flags]
        else:
            nodes = [c for top in m.tree.children or () if top.field.abbrev == parent
                     for c in top.children or () if c.field.abbrev == flags]
        out = []
        for n in nodes:
            on = any(c.field.abbrev == bit for c in n.children or ())
            out.append((on, "True" if on else "False"))
        return out
    return get


def _either(*getters):
    def get(m):
        out = []
        for g in getters:
            out.extend(g(m))
        return out
    return get


def _only(get, keep):
    return lambda m: [p for p in get(m) if keep(p)]


def _when(cond, get):
    return lambda m: get(m) if cond(m) else []


# --- the netlink headers of a message: its own, and the one an NLMSG_ERROR echoes -----------
def _is_error(m) -> bool:
    return not m.malformed and m.type == NLMSG_ERROR


def _echo_header(m):
    """The echoed request's header node, or None."""
    if not _is_error(m):
        return None
    for top in m.tree.children or ():
        if top.field.abbrev == "netlink.echo":
            for c in top.children or ():
                if c.field.abbrev == "netlink":
                    return c
    return None


def _echo_value(m, field: str):
    hdr = _echo_header(m)
    if hdr is None:
        return None
    for c in hdr.children or ():
        if c.field.abbrev == field:
            return c.value
    return None


def _headers(m) -> list[tuple]:
    """(len, type, flags, seq, pid, echoed) of each header Wireshark dissects in the message:
    none in a record of a protocol without nlmsghdr (a uevent), and nlmsg_len as written
    (audit's unicast records are 16 bytes longer than theirs)."""
    if m.protocol == NETLINK_KOBJECT_UEVENT:
        return []
    length = m.length
    if not m.malformed and m.length >= 16:
        length = int.from_bytes(m.buf[m.offset:m.offset + 4], "little" if m.order == "<" else "big")
    out = [(length, m.type, m.flags, m.seq, m.pid, False)]
    if _is_error(m):
        vals = [_echo_value(m, f) for f in ("netlink.len", "netlink.type", "netlink.flags", "netlink.seq",
                                            "netlink.pid")]
        if None not in vals:
            out.append((*vals, True))
    return out


def _twice(flags: int) -> bool:
    return bool(flags & NLM_F_REQUEST and flags & NLM_F_MODIFIERS)


def _hdr_len(m):
    return [(h[0], str(h[0])) for h in _headers(m)]


def _hdr_seq(m):
    return [(h[3], str(h[3])) for h in _headers(m)]


def _hdr_pid(m):
    return [(h[4], str(h[4])) for h in _headers(m)]


def _hdr_flags(m):
    out = []
    for h in _headers(m):
        out.extend([(h[2], f"{h[2]:#06x}")] * (2 if _twice(h[2]) else 1))
    return out


def _flag_bit(bit: int, modifier: bool):
    """A bit of hdr_flags: in every header (twice where hdr_flags is), or, for a GET/NEW
    modifier, only where Wireshark reads the modifiers (a request with one of them set)."""
    def get(m):
        out = []
        for h in _headers(m):
            flags = h[2]
            if modifier and not _twice(flags):
                continue
            n = 1 if modifier or not _twice(flags) else 2
            on = 1 if flags & bit else 0   # FT_UINT16 with a bitmask: 0 or 1, there when its header is
            out.extend([(on, str(on))] * n)
        return out
    return get


def _own_type(m) -> bool:
    """Does a Wireshark dissector give this message's type its own field?"""
    return (not m.malformed and m.type >= NLMSG_MIN_TYPE and m.length > 16
            and m.protocol in _DISSECTED and m.protocol != NETLINK_NETFILTER)


def _hdr_type(m):
    out = []
    for h in _headers(m):
        if h[5] or not _own_type(m):
            out.append((h[1], f"{h[1]:#06x}"))
    return out


def _typed(protocol: int):
    """netlink-route.nltype, netlink-sock_diag.nltype, genl.family_id: the message's own type."""
    return lambda m: [(m.type, f"{m.type_name} ({m.type})")] if _own_type(m) and m.protocol == protocol else []


def _error(m):
    if not _is_error(m):
        return []
    return _pairs(n for n in m.tree.children or () if n.field.abbrev == "netlink.error")


# --- attributes -----------------------------------------------------------------------------------
def _attributes(m, top_only: bool = False):
    """(nla_len, nla_type) of the body's attributes, read from the bytes at each node that is
    one (a node whose first 16 bits are its own length: how an attribute begins)."""
    buf, order = m.buf, m.order
    out = []
    nodes = (m.tree.children or ()) if top_only else _body(m)
    for n in nodes:
        if n.field.abbrev == "netlink.echo" or n.offset is None or n.length < 4 or n.offset + 4 > len(buf):
            continue
        nla_len = int.from_bytes(buf[n.offset:n.offset + 2], "little" if order == "<" else "big")
        if nla_len != n.length:
            continue
        nla_type = int.from_bytes(buf[n.offset + 2:n.offset + 4], "little" if order == "<" else "big")
        out.append((nla_len, nla_type))
    return out


def _attr(pick, show):
    return lambda m: [(pick(a), show(pick(a))) for a in _attributes(m)]


def _attr_types_of(kinds: tuple, protocol: int = NETLINK_ROUTE):
    """The top-level attribute types (NLA_TYPE_MASK) of messages of the given type range."""
    def get(m):
        if m.protocol != protocol or not _own_type(m) or not any(lo <= m.type <= hi for lo, hi in kinds):
            return []
        return [(t & 0x3FFF, str(t & 0x3FFF)) for _, t in _attributes(m, top_only=True)]
    return get


def _genl_family(*labels, invert=False):
    def cond(m):
        return m.protocol == NETLINK_GENERIC and (m.family in labels) != invert
    return cond


# --- the frame (data the Message carries) ----------------------------------------------------------
def _attr_of(m, name):
    v = getattr(m, name, None)
    return [] if v is None else [(v, str(v))]


FRAME_FIELDS = {
    # name: (kind, description, getter); time_relative/time_delta/time_delta_displayed are
    # computed by the filter itself (they depend on the frames before this one)
    "frame.number": ("uint", "frame number in the capture", lambda m: [(m.frame, str(m.frame))]),
    "frame.time": ("float", "capture time, seconds since the epoch", lambda m: [(m.time, str(m.time))]),
    "frame.time_epoch": ("float", "capture time, seconds since the epoch", lambda m: [(m.time, str(m.time))]),
    "frame.len": ("uint", "bytes of the frame on the wire, link-layer header included",
                  lambda m: _attr_of(m, "frame_len")),
    "frame.cap_len": ("uint", "bytes of the frame captured, link-layer header included",
                      lambda m: _attr_of(m, "frame_cap_len")),
    "frame.interface_id": ("uint", "the pcapng interface the frame was captured on",
                           lambda m: _attr_of(m, "interface_id")),
    "frame.comment": ("string", "the frame's pcapng comment", lambda m: _attr_of(m, "comment")),
}


# --- protocols as the bytes they cover (Wireshark: a protocol's value is its bytes) ----------------
# `frame contains "eth0"`, `frame[16:4] == 2c:00:00:00`, `netlink-route[4:2] == 10:00`,
# `len(netlink-route) > 1000`: as Wireshark, `frame` is the whole frame (link-layer header
# included), `netlink` the cooked header alone (what packet-netlink.c's protocol item covers),
# netlink-route/-netfilter/-sock_diag each message of theirs, its header included (one item a
# message, as Wireshark adds them); -T fields prints their names, as tshark does.
def _whole_frame(m) -> bytes | None:
    """The frame's bytes, its link-layer header included (None where the application kept
    no header: a message made without a capture)."""
    header = getattr(m, "frame_header", None)
    return None if header is None else header + bytes(m.buf)


def _frame_bytes(m):
    data = _whole_frame(m)
    if data is None:
        return []
    wire = m.frame_len or len(data)
    return [(data, f"Frame {m.frame}: {wire} bytes on wire ({wire * 8} bits), "
                   f"{len(data)} bytes captured ({len(data) * 8} bits)")]


class Covered(bytes):
    """A protocol's bytes, which slices and len() read, and `searched`, what `contains` and
    `matches` look through: Wireshark's `netlink` item is the 16-byte cooked header, but the
    data it holds (and searches) runs to the end of the frame."""

    searched: bytes


def _cooked_header(m):
    header = getattr(m, "frame_header", None)
    if not header:
        return []
    value = Covered(header)
    value.searched = _whole_frame(m)
    return [(value, "Linux netlink (cooked header)")]


def _message_bytes(number: int, label: str):
    def get(m):
        # the control messages are netlink's own (as the protocol's name alone has it)
        if m.protocol != number or m.type < NLMSG_MIN_TYPE:
            return []
        return [(bytes(m.buf[m.offset:m.offset + max(m.length, 0)]), label)]
    return get


PROTOCOL_BYTES = {
    "frame": ("bytes", "the frame's bytes, link-layer header included", _frame_bytes),
    "netlink": ("bytes", "the frame's cooked header (16 bytes: packet type, ARPHRD_NETLINK, protocol)",
                _cooked_header),
    "netlink-route": ("bytes", "an rtnetlink message's bytes, its header included",
                      _message_bytes(0, "Linux rtnetlink (route netlink) protocol")),
    "netlink-sock_diag": ("bytes", "a sock_diag message's bytes, its header included",
                          _message_bytes(4, "Linux netlink sock diag protocol")),
    "netlink-netfilter": ("bytes", "a netfilter netlink message's bytes, its header included",
                          _message_bytes(12, "Linux netlink netfilter protocol")),
}
FRAME_FIELDS.update(PROTOCOL_BYTES)


# --- the table ------------------------------------------------------------------------------------
def _build() -> dict[str, Alias]:
    table: dict[str, Alias] = {}

    def add(name, target, kind, desc, get=None, header=False):
        if get is None:
            get = _anywhere(target)
        table[name] = Alias(name, target, kind, desc, get, header)

    def route(name, target, kind, desc, parent=None):
        add(f"netlink-route.{name}", target, kind, desc, _top(target, parent))

    # netlink (packet-netlink.c)
    add("netlink.family", "netlink.family", "family",
        "netlink protocol: a number compares with the protocol number, text with the Protocol column",
        lambda m: [(m.protocol, m.family)], header=True)
    add("netlink.hatype", None, "uint", "link-layer address type of the cooked header (ARPHRD_NETLINK, 824)",
        lambda m: [(ARPHRD_NETLINK, str(ARPHRD_NETLINK))], header=True)
    add("netlink.hdr_len", "netlink.len", "uint", "nlmsg_len of each header (the message's and an echoed one)",
        _hdr_len, header=True)
    add("netlink.hdr_type", "netlink.type", "uint",
        "nlmsg_type of control messages, echoed headers and messages Wireshark does not dissect", _hdr_type,
        header=True)
    add("netlink.hdr_flags", "netlink.flags", "uint", "nlmsg_flags of each header (twice for a request with "
        "modifier bits, read as GET and as NEW)", _hdr_flags, header=True)
    for bit, name in ((0x1, "request"), (0x2, "multi"), (0x4, "ack"), (0x8, "echo"), (0x10, "dump_intr"),
                      (0x20, "dump_filtered")):
        add(f"netlink.hdr_flags.{name}", f"netlink.flags.{name}", "uint", f"NLM_F_{name.upper()} of each header",
            _flag_bit(bit, False), header=True)
    for bit, name in ((0x100, "root"), (0x200, "match"), (0x400, "atomic"), (0x100, "replace"), (0x200, "excl"),
                      (0x400, "create"), (0x800, "append")):
        add(f"netlink.hdr_flags.{name}", f"netlink.flags.{name}", "uint",
            f"NLM_F_{name.upper()} of a request with modifier bits", _flag_bit(bit, True), header=True)
    add("netlink.hdr_seq", "netlink.seq", "uint", "nlmsg_seq of each header", _hdr_seq, header=True)
    add("netlink.hdr_pid", "netlink.pid", "uint", "nlmsg_pid of each header", _hdr_pid, header=True)
    add("netlink.error", "netlink.error", "int", "error code of an NLMSG_ERROR (0: ACK)", _error)
    add("netlink.attr_len", None, "uint", "nla_len of each attribute", _attr(lambda a: a[0], str))
    add("netlink.attr_type", None, "uint", "nla_type of each attribute, flag bits included",
        _attr(lambda a: a[1], lambda v: f"{v:#06x}"))
    add("netlink.attr_type.nested", None, "bool", "NLA_F_NESTED of each attribute",
        _attr(lambda a: bool(a[1] & 0x8000), str))
    add("netlink.attr_type.net_byteorder", None, "bool", "NLA_F_NET_BYTEORDER of each attribute",
        _attr(lambda a: bool(a[1] & 0x4000), str))

    # rtnetlink (packet-netlink-route.c)
    add("netlink-route.nltype", "netlink.type", "uint", "an rtnetlink message's type", _typed(NETLINK_ROUTE),
        header=True)
    for ws, ours, kind in (("ifi_family", "family", "uint"), ("ifi_type", "type", "uint"),
                           ("ifi_index", "index", "int"), ("ifi_flags", "flags", "uint"),
                           ("ifi_change", "change", "uint")):
        route(ws, f"rtnl.link.{ours}", kind, f"ifinfomsg {ws}", "rtnl.link")
    for ws, ours in (("iff_up", "up"), ("iff_broadcast", "broadcast")):
        add(f"netlink-route.ifi_flags.{ws}", f"rtnl.link.flags.{ours}", "bool", f"IFF_{ours.upper()} of ifi_flags",
            _bits("rtnl.link.flags", f"rtnl.link.flags.{ours}", "rtnl.link"))
    for ws, ours, kind in (("ifname", "ifname", "string"), ("mtu", "mtu", "uint"), ("txqlen", "txqlen", "uint"),
                           ("operstate", "operstate", "uint"), ("promiscuity", "promiscuity", "uint"),
                           ("txqnum", "num_tx_queues", "uint"), ("rxqnum", "num_rx_queues", "uint"),
                           ("group", "group", "uint"), ("gso_maxsize", "gso_max_size", "uint"),
                           ("gso_maxsegs", "gso_max_segs", "uint"), ("carrier", "carrier", "uint"),
                           ("qdisc", "qdisc", "string"), ("carrier_changes", "carrier_changes", "uint"),
                           ("hwaddr", "address", "mac"), ("broadcast", "broadcast", "mac"),
                           ("carrier_up_count", "carrier_up_count", "uint"),
                           ("carrier_down_count", "carrier_down_count", "uint"),
                           ("min_mtu", "min_mtu", "uint"), ("max_mtu", "max_mtu", "uint")):
        route(f"ifla_{ws}", f"rtnl.link.{ours}", kind, f"IFLA_{ws.upper()}")
    for ws in ("mem_start", "mem_end", "base_addr", "irq", "dma", "port"):
        route(f"ifla_map.{ws}", f"rtnl.link.map.{ws}", "uint", f"struct rtnl_link_ifmap {ws}", "rtnl.link.map")
    stats = (("rxpackets", "rx_packets"), ("txpackets", "tx_packets"), ("rxbytes", "rx_bytes"),
             ("txbytes", "tx_bytes"), ("rxerrors", "rx_errors"), ("txerrors", "tx_errors"),
             ("rxdropped", "rx_dropped"), ("txdropped", "tx_dropped"), ("multicast", "multicast"),
             ("collisions", "collisions"), ("rx_errors.length_errs", "rx_length_errors"),
             ("rx_errors.over_errs", "rx_over_errors"), ("rx_errors.crc_errs", "rx_crc_errors"),
             ("rx_errors.frame_errs", "rx_frame_errors"), ("rx_errors.fifo_errs", "rx_fifo_errors"),
             ("rx_errors.miss_errs", "rx_missed_errors"), ("rx_errors.abort_errs", "tx_aborted_errors"),
             ("rx_errors.carrier_errs", "tx_carrier_errors"), ("rx_errors.heartbeat_errs", "tx_heartbeat_errors"),
             ("rx_errors.window_errs", "tx_window_errors"))
    for ws, ours in stats:
        if ws == "rx_errors.fifo_errs":   # Wireshark gives rx_fifo_errors and tx_fifo_errors one name
            add(f"netlink-route.ifla_linkstats.{ws}", "rtnl.link.stats64.rx_fifo_errors", "uint",
                "rx_fifo_errors and tx_fifo_errors of IFLA_STATS and IFLA_STATS64",
                _either(*(_top(f"rtnl.link.{s}.{d}_fifo_errors", f"rtnl.link.{s}")
                          for s in ("stats", "stats64") for d in ("rx", "tx"))))
            continue
        add(f"netlink-route.ifla_linkstats.{ws}", f"rtnl.link.stats64.{ours}", "uint",
            f"{ours} of IFLA_STATS and IFLA_STATS64",
            _either(_top(f"rtnl.link.stats.{ours}", "rtnl.link.stats"),
                    _top(f"rtnl.link.stats64.{ours}", "rtnl.link.stats64")))
    link_types, addr_types, route_types, neigh_types = ((16, 19),), ((20, 22),), ((24, 26),), ((28, 30),)
    add("netlink-route.ifla_attr_type", None, "uint", "the type of each top-level IFLA_* attribute",
        _attr_types_of(link_types))
    for ws, ours, kind in (("ifa_family", "family", "uint"), ("ifa_prefixlen", "prefixlen", "uint"),
                           ("ifa_flags", "flags", "uint"), ("ifa_scope", "scope", "uint"),
                           ("ifa_index", "index", "uint")):
        route(ws, f"rtnl.addr.{ours}", kind, f"ifaddrmsg {ws}", "rtnl.addr")
    add("netlink-route.ifa_attr_type", None, "uint", "the type of each top-level IFA_* attribute",
        _attr_types_of(addr_types))
    route("ifa_label", "rtnl.addr.label", "string", "IFA_LABEL")
    route("ifa_flags32", "rtnl.addr.flags", "uint", "IFA_FLAGS (32-bit address flags)")
    # packet-netlink-route.c gives IFA_ADDRESS, IFA_LOCAL and IFA_BROADCAST one field (by length)
    ifa_addresses = _either(_top("rtnl.addr.address"), _top("rtnl.addr.local"), _top("rtnl.addr.broadcast"))
    add("netlink-route.ifa_address.ipv4", "rtnl.addr.address", "ipv4", "IFA_ADDRESS, IFA_LOCAL and IFA_BROADCAST, "
        "IPv4", _only(ifa_addresses, lambda p: ":" not in str(p[0])))
    add("netlink-route.ifa_address.ipv6", "rtnl.addr.address", "ipv6", "IFA_ADDRESS, IFA_LOCAL and IFA_BROADCAST, "
        "IPv6", _only(ifa_addresses, lambda p: ":" in str(p[0])))
    for ws, ours in (("rt_family", "family"), ("rt_dst_len", "dst_len"), ("rt_src_len", "src_len"),
                     ("rt_tos", "tos"), ("rt_table", "table"), ("rt_protocol", "protocol"), ("rt_scope", "scope"),
                     ("rt_type", "type"), ("rt_flags", "flags")):
        route(ws, f"rtnl.route.{ours}", "uint", f"rtmsg {ws}", "rtnl.route")
    add("netlink-route.rta_attr_type", None, "uint", "the type of each top-level RTA_* attribute",
        _attr_types_of(route_types))
    route("rta_iif", "rtnl.route.iif", "uint", "RTA_IIF")
    route("rta_oif", "rtnl.route.oif", "uint", "RTA_OIF")
    for ws, ours, kind in (("nd_family", "family", "uint"), ("nd_index", "ifindex", "int"),
                           ("nd_state", "state", "uint"), ("nd_flags", "flags", "uint"), ("nd_type", "type", "uint")):
        route(ws, f"rtnl.neigh.{ours}", kind, f"ndmsg {ws}", "rtnl.neigh")
    del neigh_types

    # generic netlink (packet-netlink-generic.c); 4.0 also dissects nl80211, net_dm and psample
    # with fields of their own, so genl.cmd is the command of the other families
    own_cmd = ("nlctrl", "nl80211", "NET_DM", "psample")
    add("genl.family_id", "netlink.type", "uint", "a generic-netlink message's type (its family id)",
        _typed(NETLINK_GENERIC), header=True)
    add("genl.version", "genl.version", "uint", "genlmsghdr version", _top("genl.version", "genl"))
    add("genl.cmd", "genl.cmd", "uint", "genlmsghdr cmd of a family Wireshark has no dissector for",
        _when(_genl_family(*own_cmd, invert=True), _top("genl.cmd", "genl")))
    add("genl.ctrl.cmd", "genl.cmd", "uint", "an nlctrl message's command",
        _when(_genl_family("nlctrl"), _top("genl.cmd", "genl")))
    add("genl.ctrl_attr", None, "uint", "the type of each top-level CTRL_ATTR_* attribute",
        _when(_genl_family("nlctrl"), lambda m: [(t & 0x3FFF, str(t & 0x3FFF))
                                                for _, t in _attributes(m, top_only=True)]))
    for ws, ours, kind in (("family_id", "family_id", "uint"), ("family_name", "family_name", "string"),
                           ("version", "version", "uint"), ("hdrsize", "hdrsize", "uint"),
                           ("maxattr", "maxattr", "uint"), ("op_id", "op.id", "uint"), ("op_flags", "op.flags", "uint"),
                           ("group_name", "mcast_grp.name", "string"), ("group_id", "mcast_grp.id", "uint")):
        add(f"genl.ctrl.{ws}", f"genl.ctrl.{ours}", kind, f"CTRL_ATTR_{ours.upper().replace('.', '_')}")
    for ws, ours in (("admin_perm", "admin_perm"), ("cmd_cap_do", "cap_do"), ("cmd_cap_dump", "cap_dump"),
                     ("cmd_cap_haspol", "cap_haspol"), ("uns_admin_perm", "uns_admin_perm")):
        add(f"genl.ctrl.op_flags.{ws}", f"genl.ctrl.op.flags.{ours}", "bool", f"GENL_{ours.upper()} of an operation",
            _bits("genl.ctrl.op.flags", f"genl.ctrl.op.flags.{ours}"))

    # netfilter and sock_diag (packet-netlink-netfilter.c, packet-netlink-sock_diag.c)
    for ws, ours in (("family", "family"), ("version", "version"), ("res_id", "res_id")):
        add(f"netlink-netfilter.{ws}", f"nfnl.{ours}", "uint", f"nfgenmsg {ws}", _top(f"nfnl.{ours}", "nfnl"))
    for ws, ours, kind in (("ipset.setname", "ipset.setname", "string"),
                           ("ipset.typename", "ipset.typename", "string"),
                           ("ipset.family", "ipset.family", "uint"),
                           ("nfct_tuple.proto.num", "ctnl.proto.num", "uint"),
                           ("nfct_tuple.proto.src_port", "ctnl.proto.src_port", "uint"),
                           ("nfct_tuple.proto.dst_port", "ctnl.proto.dst_port", "uint"),
                           ("nfct_tuple.zone", "ctnl.tuple.zone", "uint"),
                           ("nfexp.timeout", "ctnl.expect.timeout", "uint"),
                           ("nfexp.id", "ctnl.expect.id", "uint"),
                           ("nfexp.class", "ctnl.expect.class", "uint"),
                           ("nfexp.zone", "ctnl.expect.zone", "uint"),
                           ("nfexp.fn", "ctnl.expect.fn", "string"),
                           ("nfexp.flags", "ctnl.expect.flags", "uint"),
                           ("nfexp.nat.dir", "ctnl.expect.nat.dir", "uint"),
                           ("queue.config.queue_maxlen", "nfq.cfg.queue_maxlen", "uint"),
                           ("queue.config.mask", "nfq.cfg.mask", "uint"),
                           ("queue.config.flags", "nfq.cfg.flags", "uint"),
                           ("queue.config.command.command", "nfq.cfg.cmd_struct.command", "uint"),
                           ("queue.config.command.pf", "nfq.cfg.cmd_struct.pf", "uint"),
                           ("queue.config.params.copy_range", "nfq.cfg.params_struct.copy_range", "uint"),
                           ("queue.config.params.copy_mode", "nfq.cfg.params_struct.copy_mode", "uint"),
                           ("queue.verdict.verdict", "nfq.verdict_hdr.verdict", "uint"),
                           ("queue.verdict.id", "nfq.verdict_hdr.id", "uint"),
                           ("queue.packet.id", "nfq.packet_hdr.packet_id", "uint"),
                           ("queue.packet.protocol", "nfq.packet_hdr.hw_protocol", "uint"),
                           ("queue.packet.hook", "nfq.packet_hdr.hook", "uint"),
                           ("queue.nfmark", "nfq.mark", "uint"),
                           ("queue.ifindex_indev", "nfq.ifindex_indev", "uint"),
                           ("queue.ifindex_outdev", "nfq.ifindex_outdev", "uint"),
                           ("queue.ifindex_physindev", "nfq.ifindex_physindev", "uint"),
                           ("queue.ifindex_physoutdev", "nfq.ifindex_physoutdev", "uint"),
                           ("queue.ct_info", "nfq.ct_info", "uint"),
                           ("queue.caplen", "nfq.cap_len", "uint"),
                           ("queue.uid", "nfq.uid", "uint"),
                           ("queue.gid", "nfq.gid", "uint")):
        add(f"netlink-netfilter.{ws}", ours, kind, f"{ours} (nfnetlink)")
    for ws, ours in (("ct_attr.timeout", "ctnl.ct.timeout"), ("ct_attr.id", "ctnl.ct.id"),
                     ("ct_attr.status", "ctnl.ct.status"), ("ct_help_attr.help_name", "ctnl.help.name"),
                     ("ct_seqadj_correction_pos", "ctnl.seqadj.correction_pos"),
                     ("ct_seqadj_offset_before", "ctnl.seqadj.offset_before"),
                     ("ct_seqadj_offset_after", "ctnl.seqadj.offset_after")):
        add(f"netlink-netfilter.{ws}", ours, "string" if ours.endswith("name") else "uint", f"{ours} (conntrack)")
    for bit in ("expected", "seen_reply", "assured", "confirmed", "src_nat", "dst_nat", "seq_adjust", "src_nat_done",
                "dst_nat_done", "dying", "fixed_timeout", "template", "untracked", "helper", "offload"):
        # FT_UINT32 bitmask fields: 0 or 1, there wherever CTA_STATUS is
        add(f"netlink-netfilter.ct_attr.status.{bit}", f"ctnl.ct.status.{bit}", "uint", f"IPS_{bit.upper()} of CTA_STATUS",
            _bits("ctnl.ct.status", f"ctnl.ct.status.{bit}"))
    add("netlink-netfilter.nfct_tuple.ip.ip_addr", "ctnl.ip.v4_src", "ipv4", "CTA_IP_V4_SRC and CTA_IP_V4_DST",
        _either(_anywhere("ctnl.ip.v4_src"), _anywhere("ctnl.ip.v4_dst")))
    add("netlink-netfilter.nfct_tuple.ip.ip6_addr", "ctnl.ip.v6_src", "ipv6", "CTA_IP_V6_SRC and CTA_IP_V6_DST",
        _either(_anywhere("ctnl.ip.v6_src"), _anywhere("ctnl.ip.v6_dst")))
    add("netlink-sock_diag.nltype", "netlink.type", "uint", "a sock_diag message's type",
        _typed(NETLINK_SOCK_DIAG), header=True)
    for ws, ours, kind in (("inet_sport", "sock_diag.inet.sport", "uint"),
                           ("inet_dport", "sock_diag.inet.dport", "uint"),
                           ("inet_protocol", "sock_diag.inet.protocol", "uint"),
                           ("inet_interface", "sock_diag.inet.if", "uint"),
                           ("netlink_protocol", "sock_diag.netlink.protocol", "uint"),
                           ("netlink_portid", "sock_diag.netlink.portid", "uint"),
                           ("netlink_dst_portid", "sock_diag.netlink.dst_portid", "uint"),
                           ("unix_peer_inode", "sock_diag.unix.peer", "uint")):
        # a request's socket id is read as the reply's (inet_diag_req_v2 / inet_diag_msg)
        request = ours.replace(".inet.", ".inet.req.").replace(".netlink.", ".netlink.req.")
        if request == ours:
            add(f"netlink-sock_diag.{ws}", ours, kind, f"{ours} (sock_diag)")
        else:
            add(f"netlink-sock_diag.{ws}", ours, kind, f"{ours} of a reply, {request} of a request",
                _either(_anywhere(ours), _anywhere(request)))
    # not netlink-sock_diag.inet_states: Wireshark 4.0 reads idiag_states big-endian (4095 shows
    # as 4279173120), so no value of ours means what it shows
    add("netlink-sock_diag.inet_extended", "sock_diag.inet.req.ext", "uint", "idiag_ext of an inet request")
    return table


WIRESHARK_ALIASES: dict[str, Alias] = _build()

_BY_TARGET: dict[str, list[str]] = {}
for _a in WIRESHARK_ALIASES.values():
    if _a.target is not None:
        _BY_TARGET.setdefault(_a.target, []).append(_a.name)


def alias_of(our_name: str) -> list[str]:
    """The Wireshark names that read our field `our_name` (sorted), for `nlscope fields`."""
    return sorted(_BY_TARGET.get(our_name, ()))


# A protocol's name alone is a filter in Wireshark (`-Y netlink-route`): the messages that
# protocol's dissector reads.  Wireshark's netlink protocols read a protocol's own types (16
# and up, not the control messages: tshark 4.0 on rtnl-extack, 78 frames of 114, as here),
# and a generic-netlink family's dissector that family's messages.  Each term is written as
# the filter it means, so that everything a filter is (the index's plans, -2) holds for it.
_PROTOCOL_NUMBERS = {"netlink-route": 0, "rtnl": 0, "netlink-sock_diag": 4, "sock_diag": 4,
                     "netlink-netfilter": 12, "xfrm": 6, "audit": 9}


def protocol_term(word: str) -> str | None:
    """The filter a protocol's name stands for (None: `word` names no protocol): Wireshark's
    names (netlink-route, netlink-netfilter, netlink-sock_diag, nl80211) and ours (the first
    part of field names: rtnl, nl80211, devlink, ovs …).  Not `wg`: Wireshark's is WireGuard
    over UDP (its filter matches no netlink frame); nlscope's family is `wireguard`."""
    from dissectors import GENL_FAMILIES, load_families
    number = _PROTOCOL_NUMBERS.get(word)
    if number is not None:
        return f"(netlink.protocol == {number} && netlink.type >= 16)"
    load_families()
    labels = sorted({f.label for f in GENL_FAMILIES.values() if word in (f.name, f.abbrev.partition(".")[0])})
    if not labels:
        return None
    return "(netlink.family in {" + ", ".join(json.dumps(label) for label in labels) + "})"
