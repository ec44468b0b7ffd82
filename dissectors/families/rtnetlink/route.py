"""Routes: RTM_NEWROUTE/DELROUTE/GETROUTE with struct rtmsg and RTA_* attributes."""
from __future__ import annotations

from construct import Int8ul, Int16ul, Int32sl, Int32ul

from ...core.attrs import AttrSet, a, addr_value, decode_attrs, enum_set, malformed
from ...core.info import info
from ...core.schema import FixedStruct, c_struct, flags_show, member, names_from
from ...model import FIELDS, STRING, Node
from ...generated import lwtunnel as LW, rtnetlink as R
from .common import AF_NUMBERS, RTM_F_NAMES, show_af, show_prot, show_rtn, show_scope, show_table
from .lwtunnel import ENCAPS, label_stack, stack_text
from .link import RTGENMSG
from .protocol import add_types, attr_or_header, is_dump_request, top

RTNH_F_NAMES = names_from(R, "RTNH_F_", exclude=())
# rtm_flags: the route's nexthop flags (RTNH_F_*, low byte: fib_dump_info / rt6_fill_node copy them
# there) and the RTM_F_* request/route flags above them
RTMSG = c_struct(R, "rtmsg", "rtnl.route", strip="rtm_", label="Route message (rtmsg)",
                 show={"family": show_af, "table": show_table, "protocol": show_prot, "scope": show_scope,
                       "type": show_rtn}, flags={"flags": {**RTNH_F_NAMES, **RTM_F_NAMES}})
RTA_CACHEINFO_MEMBERS = None

# RTAX_LOCK: a bit per metric the route locks (1 << RTAX_*, iproute2's "lock"); RTAX_FEATURES:
# RTAX_FEATURE_* bits; RTAX_CC_ALGO: the congestion control's name, a string both ways
# (ip_metrics_convert() reads it with nla_strscpy, rtnetlink_put_metrics() puts it back)
_METRIC_NAMES = [n for n in R.ENUMS["RTAX_UNSPEC"] if n not in ("RTAX_UNSPEC", "__RTAX_MAX")]
RTAX_LOCK_BITS = {1 << getattr(R, n): n for n in _METRIC_NAMES if n != "RTAX_LOCK"}
RTAX_FEATURE_NAMES = names_from(R, "RTAX_FEATURE_", exclude=("MASK",))
_METRIC_TYPES = {"RTAX_LOCK": a("u32", flags=RTAX_LOCK_BITS), "RTAX_FEATURES": a("u32", flags=RTAX_FEATURE_NAMES),
                 "RTAX_CC_ALGO": a("string")}
METRICS_ATTRS = AttrSet("metrics", "rtnl.route.metrics", {
    name: _METRIC_TYPES.get(name) or a("u32") for name in _METRIC_NAMES
}, R, strip="RTAX_", label="route metrics")
ENCAP_NAMES = names_from(LW, "LWTUNNEL_ENCAP_", "lwtunnel_encap_types", exclude=("MAX",))
PREF_NAMES = {0: "medium", 1: "high", 3: "low"}  # ICMPV6_ROUTER_PREF_* as RTA_PREF carries them

CACHEINFO = FixedStruct("rta_cacheinfo", "rtnl.route.cacheinfo_struct", [
    member(n, Int32sl if n == "expires" else Int32ul) for n in
    ("clntref", "lastuse", "expires", "error", "used", "id", "ts", "tsage")], label="rta_cacheinfo")
MFC_STATS = c_struct(R, "rta_mfc_stats", "rtnl.route.mfc_stats", strip="mfcs_", label="rta_mfc_stats")
RTNEXTHOP = FixedStruct("rtnexthop", "rtnl.route.nexthop", [
    member("len", Int16ul), member("flags", Int8ul, flags_show(RTNH_F_NAMES, 2)), member("hops", Int8ul),
    member("ifindex", Int32sl)], label="rtnexthop")
F_VIA = FIELDS.add("rtnl.route.via_addr", "Via", STRING, "RTA_VIA: the gateway of another address family")

ENCAP_IP = enum_set("encap_ip", "rtnl.route.encap.ip", LW, "lwtunnel_ip_t", "LWTUNNEL_IP_", {
    "ID": a("u64", big_endian=True), "DST": a("binary", hint="ipv4"), "SRC": a("binary", hint="ipv4"), "TTL": "u8",
    "TOS": "u8", "FLAGS": a("u16", show=hex), "PAD": "pad", "OPTS": "nest"}, label="IP encapsulation")
ENCAP_IP6 = enum_set("encap_ip6", "rtnl.route.encap.ip6", LW, "lwtunnel_ip6_t", "LWTUNNEL_IP6_", {
    "ID": a("u64", big_endian=True), "DST": a("binary", hint="ipv6"), "SRC": a("binary", hint="ipv6"),
    "HOPLIMIT": "u8", "TC": "u8", "FLAGS": a("u16", show=hex), "PAD": "pad", "OPTS": "nest"},
    label="IPv6 encapsulation")
ENCAP_BY_TYPE = {LW.LWTUNNEL_ENCAP_IP: ENCAP_IP, LW.LWTUNNEL_ENCAP_IP6: ENCAP_IP6, **ENCAPS}


def _via(buf, start, end, order, req):
    """struct rtvia: an address family (u16) and an address of that family."""
    if end - start < 2:
        return [malformed(buf, start, end, "RTA_VIA shorter than its family")]
    return [Node(F_VIA, addr_value(bytes(buf[start + 2:end])), start, end - start)]


def _multipath(buf, start, end, order, req):
    """RTA_MULTIPATH: struct rtnexthop per path, each followed by its own RTA_* (gateway …)."""
    out, p, i = [], start, 0
    while p < end:
        if end - p < RTNEXTHOP.size:
            out.append(malformed(buf, p, end, "truncated rtnexthop"))
            break
        ln = int.from_bytes(buf[p:p + 2], "little" if order == "<" else "big")
        if ln < RTNEXTHOP.size or p + ln > end:
            out.append(malformed(buf, p, end, f"rtnexthop length {ln} is invalid"))
            break
        node = RTNEXTHOP.node(buf, p, order, label=f"nexthop [{i}]", req=req)
        node.length = ln
        node.children.extend(decode_attrs(buf, p + RTNEXTHOP.size, p + ln, ROUTE_ATTRS, order, 1, req))
        out.append(node)
        p += (ln + 3) & ~3
        i += 1
    return out


ROUTE_ATTRS = AttrSet("route", "rtnl.route", {
    "RTA_DST": a("addr"),
    "RTA_SRC": a("addr"),
    "RTA_IIF": a("u32"),
    "RTA_OIF": a("u32"),
    "RTA_GATEWAY": a("addr"),
    "RTA_PRIORITY": a("u32"),
    "RTA_PREFSRC": a("addr"),
    "RTA_METRICS": a("nest", nested=METRICS_ATTRS),
    "RTA_MULTIPATH": a("binary", decode=_multipath),
    "RTA_PROTOINFO": a("binary"),
    "RTA_FLOW": a("u32"),
    "RTA_CACHEINFO": a("struct", struct=CACHEINFO),
    "RTA_SESSION": a("binary"),
    "RTA_MP_ALGO": a("u32"),
    "RTA_TABLE": a("u32", show=show_table),
    "RTA_MARK": a("u32"),
    "RTA_MFC_STATS": a("struct", struct=MFC_STATS),   # ipmr/ip6mr dumps (mr_fill_mroute)
    "RTA_VIA": a("binary", decode=_via),
    "RTA_NEWDST": a("binary", decode=label_stack),   # AF_MPLS: the labels swapped in
    "RTA_PREF": a("u8", enum=PREF_NAMES),
    "RTA_ENCAP_TYPE": a("u16", enum=ENCAP_NAMES),
    "RTA_ENCAP": a("submsg", selector="RTA_ENCAP_TYPE", choices=ENCAP_BY_TYPE),
    "RTA_EXPIRES": a("u64"),
    "RTA_PAD": a("pad"),
    "RTA_UID": a("u32"),
    "RTA_TTL_PROPAGATE": a("u8"),
    "RTA_IP_PROTO": a("u8"),
    "RTA_SPORT": a("u16", big_endian=True),
    "RTA_DPORT": a("u16", big_endian=True),
    "RTA_NH_ID": a("u32"),
}, R, strip="RTA_", label="route")


# AF_MPLS routes (net/mpls/af_mpls.c, rtm_mpls_policy): RTA_DST is the incoming label (one
# struct mpls_label), RTA_NEWDST the labels put in its place; the others as for IP routes
MPLS_ROUTE_ATTRS = AttrSet("route_mpls", "rtnl.route.mpls", {
    "RTA_DST": a("binary", decode=label_stack),
    "RTA_NEWDST": a("binary", decode=label_stack),
    "RTA_VIA": a("binary", decode=_via),
    "RTA_OIF": a("u32"),
    "RTA_MULTIPATH": a("binary", decode=_multipath),
    "RTA_TTL_PROPAGATE": a("u8"),
    "RTA_TABLE": a("u32", show=show_table),
    "RTA_PAD": a("pad"),
}, R, strip="RTA_", label="MPLS route")


def _mpls_route_info(root) -> str:
    """`label 100 as 200 via 10.9.0.2 dev 3`, as `ip -M route` shows it."""
    dst = top(root, "rtnl.route.mpls.dst")
    if dst is None and is_dump_request(root):
        return "dump"
    parts = [f"label {stack_text(dst)}" if isinstance(dst, bytes) else "label ?"]
    new = top(root, "rtnl.route.mpls.newdst")
    if isinstance(new, bytes):
        parts.append(f"as {stack_text(new)}")
    via = top(root, "rtnl.route.mpls.via")   # struct rtvia: family, then the address
    if isinstance(via, bytes) and len(via) > 2:
        parts.append(f"via {addr_value(via[2:])}")
    oif = top(root, "rtnl.route.mpls.oif")
    if oif:
        parts.append(f"dev {oif}")
    return " ".join(parts)


@info(("rtnl.route.dst", "rtnl.route.gateway", "rtnl.route.oif", "rtnl.route.table", "rtnl.route.mpls.dst",
       "rtnl.route.mpls.newdst", "rtnl.route.mpls.via", "rtnl.route.mpls.oif"))
def route_info(root) -> str:
    """`10.9.0.0/24 via 10.0.0.1 dev 3 table main`."""
    if top(root, "rtnl.route.family") == AF_NUMBERS["AF_MPLS"]:
        return _mpls_route_info(root)
    dst = top(root, "rtnl.route.dst")
    dst_len = top(root, "rtnl.route.dst_len", 0)
    if dst is None and is_dump_request(root):
        return "dump" + (f" dev {top(root, 'rtnl.route.oif')}" if top(root, "rtnl.route.oif") else "")
    parts = [f"{dst}/{dst_len}" if dst is not None else ("default" if dst_len == 0 else f"/{dst_len}")]
    gw = top(root, "rtnl.route.gateway")
    if gw:
        parts.append(f"via {gw}")
    oif = top(root, "rtnl.route.oif")
    if oif:
        parts.append(f"dev {oif}")
    table = attr_or_header(root, "rtnl.route.table")  # RTA_TABLE (32-bit) wins over rtm_table
    if table is not None:
        from .common import TABLE_NAMES
        t = TABLE_NAMES.get(table)
        parts.append(f"table {t[9:].lower() if t else table}")
    return " ".join(parts)


add_types(["RTM_NEWROUTE", "RTM_DELROUTE", "RTM_GETROUTE"], RTMSG, ROUTE_ATTRS, route_info, short_header=RTGENMSG,
          by_family={AF_NUMBERS["AF_MPLS"]: MPLS_ROUTE_ATTRS})
