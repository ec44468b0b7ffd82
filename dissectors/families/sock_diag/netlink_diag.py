"""AF_NETLINK sockets (`ss -A netlink`, and nlscope's own process lookups): struct
netlink_diag_req / netlink_diag_msg and NETLINK_DIAG_*, with the multicast groups a socket
joined named by its protocol (RTNLGRP_* for NETLINK_ROUTE)."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int32ul

from ...core.attrs import a, enum_set
from ...core.schema import FixedStruct, c_struct, flags_show, member, names_from, pad
from ...generated import netlink as NL, netlink_diag as N, nfnetlink as NF, rtnetlink as R
from ...model import FIELDS, STRING, Node
from .inet import MEMINFO_NAMES
from .protocol import header_values, register_sock_family

PROTOCOLS = {getattr(NL, n): n for n in vars(NL) if n.startswith("NETLINK_") and isinstance(getattr(NL, n), int)
             and n not in ("NETLINK_ADD_MEMBERSHIP", "NETLINK_DROP_MEMBERSHIP", "NETLINK_PKTINFO",
                           "NETLINK_BROADCAST_ERROR", "NETLINK_NO_ENOBUFS", "NETLINK_RX_RING", "NETLINK_TX_RING",
                           "NETLINK_LISTEN_ALL_NSID", "NETLINK_LIST_MEMBERSHIPS", "NETLINK_CAP_ACK",
                           "NETLINK_EXT_ACK", "NETLINK_GET_STRICT_CHK", "NETLINK_UNCONNECTED", "NETLINK_CONNECTED",
                           "NETLINK_INET_DIAG")} | {4: "NETLINK_SOCK_DIAG"}
SHOW = {getattr(N, n): n[len("NDIAG_SHOW_"):] for n in vars(N) if n.startswith("NDIAG_SHOW_")}
FLAGS = {getattr(N, n): n[len("NDIAG_FLAG_"):] for n in vars(N) if n.startswith("NDIAG_FLAG_")}
RTNLGRP = names_from(R, "RTNLGRP_", "rtnetlink_groups", exclude=("NONE", "MAX"))
NFNLGRP = names_from(NF, "NFNLGRP_", "nfnetlink_groups", exclude=("NONE", "MAX"))
GROUP_NAMES = {0: RTNLGRP, 12: NFNLGRP}   # by protocol: group number -> name


def _proto(v):
    return f"{PROTOCOLS.get(v, v)} ({v})"


REQ = FixedStruct("netlink_diag_req", "sock_diag.netlink.req", [
    member("family", Int8ul), member("protocol", Int8ul, lambda v: "all" if v == N.NDIAG_PROTO_ALL else _proto(v)),
    pad(2), member("ino", Int32ul), member("show", Int32ul, flags_show(SHOW)),
    member("cookie", Bytes(8), lambda b: b.hex())], label="netlink_diag_req")
MSG = FixedStruct("netlink_diag_msg", "sock_diag.netlink", [
    member("family", Int8ul), member("type", Int8ul), member("protocol", Int8ul, _proto), member("state", Int8ul),
    member("portid", Int32ul), member("dst_portid", Int32ul), member("dst_group", Int32ul), member("ino", Int32ul),
    member("cookie", Bytes(8), lambda b: b.hex())], label="netlink_diag_msg")
F_GROUP = FIELDS.add("sock_diag.netlink.group", "Group", STRING, "a multicast group the socket joined")


def _groups(buf, start, end, order, req):
    """The groups bitmap (u32 words): one node per group joined (bit n = group n + 1)."""
    words = [int.from_bytes(buf[p:p + 4], "little" if order == "<" else "big") for p in range(start, end - 3, 4)]
    out = []
    for w, word in enumerate(words):
        for bit in range(32):
            if word >> bit & 1:
                g = w * 32 + bit + 1
                out.append(Node(F_GROUP, str(g), start + w * 4, 4, label="group"))
    return out


def name_groups(root, buf, body) -> None:
    """A socket's groups are numbers of its own protocol: name them (RTNLGRP_* for ROUTE)."""
    names = GROUP_NAMES.get(buf[body + 2]) if buf[body] == 16 else None
    if names:
        for n in root.find_all("sock_diag.netlink.group"):
            n.value = names.get(int(n.value), n.value)
            n.text = None
NETLINK = enum_set("netlink", "sock_diag.netlink", N, "NETLINK_DIAG_MEMINFO", "NETLINK_DIAG_", {
    "MEMINFO": a("array", sub="u32", elem_names={k: v[len("SK_MEMINFO_"):].lower() for k, v in MEMINFO_NAMES.items()}),
    "GROUPS": a("binary", decode=_groups),
    "RX_RING": a("struct", struct=c_struct(N, "netlink_diag_ring", "sock_diag.netlink.ring", strip="ndr_")),
    "TX_RING": a("struct", struct=c_struct(N, "netlink_diag_ring", "sock_diag.netlink.ring", strip="ndr_")),
    "FLAGS": a("u32", flags=FLAGS)}, label="netlink socket")


def netlink_info(root) -> str:
    vals = header_values(root)
    if not vals:
        return ""
    if "show" in vals:
        return "netlink dump"
    proto = PROTOCOLS.get(vals["protocol"], str(vals["protocol"]))
    return f"{proto[len('NETLINK_'):].lower() if proto.startswith('NETLINK_') else proto} portid {vals['portid']}" + \
        (f" ino {vals['ino']}" if vals.get("ino") else "")


register_sock_family(16, REQ, None, MSG, NETLINK, netlink_info, post=name_groups)
