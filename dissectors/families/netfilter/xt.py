"""x_tables extensions inside nf_tables: iptables-nft, ip6tables-nft, ebtables-nft and
arptables-nft keep a match or target they cannot say in nft's own expressions as a `match` or
`target` expression (net/netfilter/nft_compat.c): NFTA_MATCH_NAME / NFTA_TARGET_NAME and
NFTA_*_REV pick the extension's C struct, sent whole in NFTA_*_INFO in host byte order.

The revision picks the struct (conntrack 1-3, SNAT 0-2 …), the rule's family (nfgenmsg)
the ipt/ip6t/ebt/arpt struct where they differ (REJECT, limit, mark …) and how a `union
nf_inet_addr` reads.  The structs are declared below by hand, as C from their UAPI headers
(linux/netfilter/xt_*.h, netfilter_ipv4/ipt_*.h, netfilter_ipv6/ip6t_*.h,
netfilter_bridge/ebt_*.h, netfilter_arp/arpt_*.h), members in the header's order, laid out as
the x86-64 compiler lays them out (`unsigned long` and pointers are 8 bytes).  The kernel
dumps XT_ALIGN(size) bytes with its private tail (pointers) zeroed (nft_extension_dump_info).
An extension not declared here is shown by name and revision with its bytes, never malformed.
"""
from __future__ import annotations

import re
import socket

from construct import Bytes, Int8ul, Int16ub, Int16ul, Int32sl, Int32ub, Int32ul, Int64ul

from ...core.attrs import UNKNOWN, a, c_string, decode_attrs, enum_set, malformed
from ...core.schema import FixedStruct, Member, flags_show, pad
from ...generated import nf_tables_compat as C
from ...model import MAC, STRING, Node

# NFPROTO_* of the rule (nfgenmsg.nfgen_family), in the words the structs are chosen by
IPV4_FAMILY, ARP_FAMILY, BRIDGE_FAMILY, IPV6_FAMILY = 2, 3, 7, 10

# array lengths the headers name by macro
_CONSTS = {"IFNAMSIZ": 16, "XT_MAX_COMMENT_LEN": 256, "NAME_MAX": 255, "XT_RECENT_NAME_LEN": 200, "ETH_ALEN": 6,
           "XT_MULTI_PORTS": 15, "XT_STRING_MAX_ALGO_NAME_SIZE": 16, "XT_STRING_MAX_PATTERN_SIZE": 128,
           "ARPT_DEV_ADDR_LEN_MAX": 16, "EBT_LOG_PREFIX_SIZE": 30, "EBT_NFLOG_PREFIX_SIZE": 64, "IPSET_DIM_MAX": 6}
# C type -> (construct, size, alignment, what it is)
_TYPES = {
    "__u8": (Int8ul, 1, 1, "int"), "unsigned char": (Int8ul, 1, 1, "int"), "char": (Int8ul, 1, 1, "int"),
    "__u16": (Int16ul, 2, 2, "int"), "unsigned short": (Int16ul, 2, 2, "int"), "ip_set_id_t": (Int16ul, 2, 2, "int"),
    "__be16": (Int16ub, 2, 2, "int"), "union nf_conntrack_man_proto": (Int16ub, 2, 2, "int"),
    "__u32": (Int32ul, 4, 4, "int"), "unsigned int": (Int32ul, 4, 4, "int"), "int": (Int32sl, 4, 4, "int"),
    "__be32": (Int32ub, 4, 4, "int"), "enum": (Int32ul, 4, 4, "int"),
    "__u64": (Int64ul, 8, 8, "int"), "unsigned long": (Int64ul, 8, 8, "int"),
    "struct in_addr": (None, 4, 4, "ipv4"), "union nf_inet_addr": (None, 16, 4, "inet"),
}
_DECL = re.compile(r"^(?P<type>(?:unsigned |struct |union |enum )?\w+)\s+(?P<names>[^;]+)$")
_NAME = re.compile(r"^(?P<ptr>\*?)\s*(?P<name>\w+)\s*(?:\[(?P<n>\w+)\])?$")


def _ipv4(b: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET, b[:4])


def _inet(family):
    """How a `union nf_inet_addr` reads in a rule of `family` (unknown: IPv6 unless only its
    first 4 bytes are set)."""
    def show(b: bytes) -> str:
        v6 = family == IPV6_FAMILY or (family not in (IPV4_FAMILY, ARP_FAMILY, BRIDGE_FAMILY) and any(b[4:]))
        return socket.inet_ntop(socket.AF_INET6, b) if v6 else socket.inet_ntop(socket.AF_INET, b[:4])
    return show


class XtStruct:
    """One extension's C struct: a FixedStruct, and how its byte members read (strings,
    addresses), which it turns into values."""

    def __init__(self, cname: str, prefix: str, decl: str, family=None, flags: dict | None = None,
                 enums: dict | None = None, mac: tuple = (), raw_arrays: tuple = (), ipv4: tuple = ()):
        flags, enums = flags or {}, enums or {}
        members, pos, align = [], 0, 1
        self.convert: dict[str, object] = {}
        self.shows: dict[str, object] = {}
        decl = re.sub(r"/\*.*?\*/", "", decl, flags=re.S)
        for line in decl.split(";"):
            line = " ".join(line.split())
            if not line:
                continue
            aligned8 = "__attribute__((aligned(8)))" in line
            line = line.replace("__attribute__((aligned(8)))", "").strip()
            m = _DECL.match(line)
            if m is None:
                raise ValueError(f"{cname}: cannot read {line!r}")
            ctype = m["type"]
            if ctype.startswith("enum "):
                ctype = "enum"
            for one in m["names"].split(","):
                n = _NAME.match(one.strip())
                if n is None:
                    raise ValueError(f"{cname}: cannot read {one!r}")
                if n["ptr"]:   # a pointer: the kernel's own, dumped as zeros
                    con, size, al, what = Int64ul, 8, 8, "ptr"
                elif ctype not in _TYPES:
                    raise ValueError(f"{cname}: type {ctype!r} not known")
                else:
                    con, size, al, what = _TYPES[ctype]
                    if n["name"] in ipv4:   # a __be32 holding an IPv4 address
                        what = "ipv4"
                al = 8 if aligned8 else al
                count = n["n"]
                count = None if count is None else int(_CONSTS.get(count, count))
                if pos % al:
                    members.append(pad(al - pos % al))
                    pos += al - pos % al
                align = max(align, al)
                name = n["name"]
                if what == "ptr":
                    members.append(pad(size))
                elif what in ("ipv4", "inet"):
                    if count is not None:
                        raise ValueError(f"{cname}: an array of addresses ({name}) is not supported")
                    members.append(Member(name, Bytes(size), kind=STRING))
                    self.convert[name] = _ipv4 if what == "ipv4" else _inet(family)
                elif count is not None and (ctype == "char" or name in raw_arrays or name in mac):
                    members.append(Member(name, Bytes(size * count), kind=MAC if name in mac else STRING))
                    self.convert[name] = (lambda b: b.hex(":")) if name in mac else _cstr
                    size *= count
                elif count is not None:   # an array of integers: one member each
                    names = ("min", "max") if count == 2 else [str(i) for i in range(count)]
                    for s in names:
                        members.append(Member(f"{name}_{s}", con))
                    size *= count
                else:
                    show = flags_show(flags[name], size * 2) if name in flags else \
                        (_enum_show(enums[name]) if name in enums else None)
                    members.append(Member(name, con, show, flag_names=flags.get(name)))
                    if show is not None:
                        self.shows[name] = show
                pos += size
        if pos % align:
            members.append(pad(align - pos % align))
        self.struct = FixedStruct(cname, prefix, members, label=f"struct {cname}")
        self.cname = cname

    def node(self, buf, start: int, end: int, order: str, req) -> list[Node]:
        st = self.struct
        if end - start < st.size:
            return [malformed(buf, start, end, f"struct {self.cname} needs {st.size} bytes, got {end - start}")]
        top = st.node(buf, start, order, req=req)
        conv, shows = self.convert, self.shows
        for child in top.children:
            member = child.field.abbrev.rsplit(".", 1)[1]
            f = conv.get(member)
            if f is not None and isinstance(child.value, bytes):
                child.value = f(child.value)
            show = shows.get(member)
            if show is not None:   # this struct's names (structs of one name may share a field)
                child.text = show(child.value)
        out = [top]
        rest = bytes(buf[start + st.size:end])
        if any(rest):   # past the struct: XT_ALIGN's zeros, or what this struct does not know
            out.append(Node(st.field, rest, start + st.size, end - start - st.size, rest.hex(),
                            status=UNKNOWN, label="trailing bytes (newer struct?)"))
        return out


def _cstr(b: bytes) -> str:
    return c_string(b, 0, len(b))


def _enum_show(names: dict):
    def show(v):
        n = names.get(v)
        return f"{n} ({v})" if n else str(v)
    return show


# --- the structs ---------------------------------------------------------------------------
# (kind, name, revision) -> {family or None: XtStruct}; None serves every family without its own
EXTENSIONS: dict[tuple[str, str, int], dict] = {}
_ALL_FAMILIES = (None, IPV4_FAMILY, IPV6_FAMILY, ARP_FAMILY, BRIDGE_FAMILY)


def xt(kind: str, name: str, revs, cname: str, decl: str, families=(None,), per_family_addr: bool = False, **kw):
    """Declare an extension's struct for the revisions `revs` and `families`; with
    `per_family_addr`, one struct per family (its nf_inet_addr members read by the family)."""
    prefix = f"xt.{kind}.{name.lower()}"
    for rev in (revs if isinstance(revs, tuple) else (revs,)):
        slot = EXTENSIONS.setdefault((kind, name, rev), {})
        for fam in (_ALL_FAMILIES if per_family_addr else families):
            slot[fam] = XtStruct(cname, prefix, decl, family=fam, **kw)


NF_INET = dict(per_family_addr=True)

# linux/netfilter/xt_comment.h
xt("match", "comment", 0, "xt_comment_info", "char comment[XT_MAX_COMMENT_LEN];")
# linux/netfilter/xt_state.h: XT_STATE_BIT(ctinfo) = 1 << (ctinfo % IP_CT_IS_REPLY + 1)
CT_STATE_BITS = {1: "INVALID", 2: "ESTABLISHED", 4: "RELATED", 8: "NEW", 16: "UNTRACKED"}
xt("match", "state", 0, "xt_state_info", "unsigned int statemask;", flags={"statemask": CT_STATE_BITS})
# linux/netfilter/xt_conntrack.h
CONNTRACK_FLAGS = {1 << 0: "STATE", 1 << 1: "PROTO", 1 << 2: "ORIGSRC", 1 << 3: "ORIGDST", 1 << 4: "REPLSRC",
                   1 << 5: "REPLDST", 1 << 6: "STATUS", 1 << 7: "EXPIRES", 1 << 8: "ORIGSRC_PORT",
                   1 << 9: "ORIGDST_PORT", 1 << 10: "REPLSRC_PORT", 1 << 11: "REPLDST_PORT", 1 << 12: "DIRECTION",
                   1 << 13: "STATE_ALIAS"}
# XT_CONNTRACK_STATE_SNAT/DNAT/UNTRACKED: 1 << (IP_CT_NUMBER + 1 … 3), IP_CT_NUMBER = 5
CONNTRACK_STATES = {1: "INVALID", 2: "ESTABLISHED", 4: "RELATED", 8: "NEW", 64: "SNAT", 128: "DNAT",
                    256: "UNTRACKED"}
CT_STATUS = {1: "EXPECTED", 2: "SEEN_REPLY", 4: "ASSURED", 8: "CONFIRMED"}
_CT_ADDRS = """union nf_inet_addr origsrc_addr, origsrc_mask;
    union nf_inet_addr origdst_addr, origdst_mask;
    union nf_inet_addr replsrc_addr, replsrc_mask;
    union nf_inet_addr repldst_addr, repldst_mask;
    __u32 expires_min, expires_max;
    __u16 l4proto;"""
_CT_FLAGS = dict(flags={"match_flags": CONNTRACK_FLAGS, "invert_flags": CONNTRACK_FLAGS,
                        "state_mask": CONNTRACK_STATES, "status_mask": CT_STATUS}, **NF_INET)
xt("match", "conntrack", 1, "xt_conntrack_mtinfo1", _CT_ADDRS + """
    __be16 origsrc_port, origdst_port;
    __be16 replsrc_port, repldst_port;
    __u16 match_flags, invert_flags;
    __u8 state_mask, status_mask;""", **_CT_FLAGS)
xt("match", "conntrack", 2, "xt_conntrack_mtinfo2", _CT_ADDRS + """
    __be16 origsrc_port, origdst_port;
    __be16 replsrc_port, repldst_port;
    __u16 match_flags, invert_flags;
    __u16 state_mask, status_mask;""", **_CT_FLAGS)
xt("match", "conntrack", 3, "xt_conntrack_mtinfo3", _CT_ADDRS + """
    __u16 origsrc_port, origdst_port;
    __u16 replsrc_port, repldst_port;
    __u16 match_flags, invert_flags;
    __u16 state_mask, status_mask;
    __u16 origsrc_port_high, origdst_port_high;
    __u16 replsrc_port_high, repldst_port_high;""", **_CT_FLAGS)
# linux/netfilter/xt_multiport.h
MULTIPORT_FLAGS = {0: "XT_MULTIPORT_SOURCE", 1: "XT_MULTIPORT_DESTINATION", 2: "XT_MULTIPORT_EITHER"}
xt("match", "multiport", 0, "xt_multiport", """__u8 flags; __u8 count; __u16 ports[XT_MULTI_PORTS];""",
   enums={"flags": MULTIPORT_FLAGS})
xt("match", "multiport", 1, "xt_multiport_v1", """__u8 flags; __u8 count; __u16 ports[XT_MULTI_PORTS];
    __u8 pflags[XT_MULTI_PORTS]; __u8 invert;""", enums={"flags": MULTIPORT_FLAGS})
# linux/netfilter/xt_tcpudp.h
xt("match", "tcp", 0, "xt_tcp", """__u16 spts[2]; __u16 dpts[2]; __u8 option; __u8 flg_mask; __u8 flg_cmp;
    __u8 invflags;""", flags={"flg_mask": {1: "FIN", 2: "SYN", 4: "RST", 8: "PSH", 16: "ACK", 32: "URG"},
                              "flg_cmp": {1: "FIN", 2: "SYN", 4: "RST", 8: "PSH", 16: "ACK", 32: "URG"},
                              "invflags": {1: "SRCPT", 2: "DSTPT", 4: "FLAGS", 8: "OPTION"}})
xt("match", "udp", 0, "xt_udp", "__u16 spts[2]; __u16 dpts[2]; __u8 invflags;",
   flags={"invflags": {1: "SRCPT", 2: "DSTPT"}})
# linux/netfilter_ipv4/ip_tables.h, linux/netfilter_ipv6/ip6_tables.h
xt("match", "icmp", 0, "ipt_icmp", "__u8 type; __u8 code[2]; __u8 invflags;", flags={"invflags": {1: "INV"}})
xt("match", "icmp6", 0, "ip6t_icmp", "__u8 type; __u8 code[2]; __u8 invflags;", flags={"invflags": {1: "INV"}})
# linux/netfilter/xt_mark.h, xt_connmark.h
xt("match", "mark", 1, "xt_mark_mtinfo1", "__u32 mark, mask; __u8 invert;")
xt("target", "MARK", 2, "xt_mark_tginfo2", "__u32 mark, mask;")
xt("match", "connmark", 1, "xt_connmark_mtinfo1", "__u32 mark, mask; __u8 invert;")
CONNMARK_MODES = {0: "XT_CONNMARK_SET", 1: "XT_CONNMARK_SAVE", 2: "XT_CONNMARK_RESTORE"}
xt("target", "CONNMARK", 1, "xt_connmark_tginfo1", "__u32 ctmark, ctmask, nfmask; __u8 mode;",
   enums={"mode": CONNMARK_MODES})
xt("target", "CONNMARK", 2, "xt_connmark_tginfo2", "__u32 ctmark, ctmask, nfmask; __u8 shift_dir, shift_bits, mode;",
   enums={"mode": CONNMARK_MODES, "shift_dir": {0: "D_SHIFT_LEFT", 1: "D_SHIFT_RIGHT"}})
# linux/netfilter/xt_limit.h (avg: 1/XT_LIMIT_SCALE seconds between packets); ebt_limit.h
xt("match", "limit", 0, "xt_rateinfo", """__u32 avg; __u32 burst;
    unsigned long prev; __u32 credit; __u32 credit_cap, cost; struct xt_limit_priv *master;""",
   families=(None, IPV4_FAMILY, IPV6_FAMILY, ARP_FAMILY))
xt("match", "limit", 0, "ebt_limit_info", """__u32 avg; __u32 burst;
    unsigned long prev; __u32 credit; __u32 credit_cap, cost;""", families=(BRIDGE_FAMILY,))
# linux/netfilter/xt_LOG.h
LOG_FLAGS = {1: "TCPSEQ", 2: "TCPOPT", 4: "IPOPT", 8: "UID", 16: "NFLOG", 32: "MACDECODE"}
xt("target", "LOG", 0, "xt_log_info", "unsigned char level; unsigned char logflags; char prefix[30];",
   flags={"logflags": LOG_FLAGS})
# linux/netfilter_ipv4/ipt_REJECT.h, linux/netfilter_ipv6/ip6t_REJECT.h
xt("target", "REJECT", 0, "ipt_reject_info", "enum ipt_reject_with with;", families=(None, IPV4_FAMILY),
   enums={"with": {0: "IPT_ICMP_NET_UNREACHABLE", 1: "IPT_ICMP_HOST_UNREACHABLE", 2: "IPT_ICMP_PROT_UNREACHABLE",
                   3: "IPT_ICMP_PORT_UNREACHABLE", 4: "IPT_ICMP_ECHOREPLY", 5: "IPT_ICMP_NET_PROHIBITED",
                   6: "IPT_ICMP_HOST_PROHIBITED", 7: "IPT_TCP_RESET", 8: "IPT_ICMP_ADMIN_PROHIBITED"}})
xt("target", "REJECT", 0, "ip6t_reject_info", "__u32 with;", families=(IPV6_FAMILY,),
   enums={"with": {0: "IP6T_ICMP6_NO_ROUTE", 1: "IP6T_ICMP6_ADM_PROHIBITED", 2: "IP6T_ICMP6_NOT_NEIGHBOUR",
                   3: "IP6T_ICMP6_ADDR_UNREACH", 4: "IP6T_ICMP6_PORT_UNREACH", 5: "IP6T_ICMP6_ECHOREPLY",
                   6: "IP6T_TCP_RESET", 7: "IP6T_ICMP6_POLICY_FAIL", 8: "IP6T_ICMP6_REJECT_ROUTE"}})
# linux/netfilter/nf_nat.h: rev 0 of IPv4's SNAT/DNAT/MASQUERADE/REDIRECT/NETMAP is
# nf_nat_ipv4_multi_range_compat (rangesize, then range[1]: struct nf_nat_ipv4_range); IPv6's
# rev 0 and everyone's rev 1 nf_nat_range, rev 2 nf_nat_range2
NAT_FLAGS = {1: "MAP_IPS", 2: "PROTO_SPECIFIED", 4: "PROTO_RANDOM", 8: "PERSISTENT", 16: "PROTO_RANDOM_FULLY",
             32: "PROTO_OFFSET", 64: "NETMAP"}
_NAT_V4 = """unsigned int rangesize;
    unsigned int flags; __be32 min_ip; __be32 max_ip;
    union nf_conntrack_man_proto min; union nf_conntrack_man_proto max;"""
_NAT_RANGE = """unsigned int flags; union nf_inet_addr min_addr; union nf_inet_addr max_addr;
    union nf_conntrack_man_proto min_proto; union nf_conntrack_man_proto max_proto;"""
for _t in ("SNAT", "DNAT", "MASQUERADE", "REDIRECT", "NETMAP"):
    xt("target", _t, 0, "nf_nat_ipv4_multi_range_compat", _NAT_V4, families=(None, IPV4_FAMILY),
       flags={"flags": NAT_FLAGS}, ipv4=("min_ip", "max_ip"))
    xt("target", _t, 0, "nf_nat_range", _NAT_RANGE, families=(IPV6_FAMILY,), flags={"flags": NAT_FLAGS},
       per_family_addr=False)
    xt("target", _t, 1, "nf_nat_range", _NAT_RANGE, flags={"flags": NAT_FLAGS}, **NF_INET)
    xt("target", _t, 2, "nf_nat_range2", _NAT_RANGE + " union nf_conntrack_man_proto base_proto;",
       flags={"flags": NAT_FLAGS}, **NF_INET)
# linux/netfilter/xt_TPROXY.h
xt("target", "TPROXY", 0, "xt_tproxy_target_info", "__u32 mark_mask; __u32 mark_value; __be32 laddr; __be16 lport;",
   ipv4=("laddr",))
xt("target", "TPROXY", 1, "xt_tproxy_target_info_v1", """__u32 mark_mask; __u32 mark_value;
    union nf_inet_addr laddr; __be16 lport;""", **NF_INET)
# linux/netfilter/xt_addrtype.h (the masks: 1 << RTN_*)
ADDRTYPES = {1 << i: n for i, n in enumerate(("UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
                                               "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"))}
xt("match", "addrtype", 0, "xt_addrtype_info", "__u16 source; __u16 dest; __u32 invert_source; __u32 invert_dest;",
   flags={"source": ADDRTYPES, "dest": ADDRTYPES})
xt("match", "addrtype", 1, "xt_addrtype_info_v1", "__u16 source; __u16 dest; __u32 flags;",
   flags={"source": ADDRTYPES, "dest": ADDRTYPES, "flags": {1: "INVERT_SOURCE", 2: "INVERT_DEST",
                                                           4: "LIMIT_IFACE_IN", 8: "LIMIT_IFACE_OUT"}})
# linux/netfilter/xt_set.h (struct xt_set_info index, dim, flags, inlined per set)
# enum ip_set_kopt (linux/netfilter/ipset/ip_set.h): a bit per dimension taken from the source
IPSET_FLAGS = {1: "IPSET_INV_MATCH", 2: "IPSET_DIM_ONE_SRC", 4: "IPSET_DIM_TWO_SRC", 8: "IPSET_DIM_THREE_SRC",
               128: "IPSET_RETURN_NOMATCH"}
COUNTER_OPS = {0: "IPSET_COUNTER_NONE", 1: "IPSET_COUNTER_EQ", 2: "IPSET_COUNTER_NE", 3: "IPSET_COUNTER_LT",
               4: "IPSET_COUNTER_GT"}
_SET_FLAGS = {f"{s}_flags": IPSET_FLAGS for s in ("match_set", "add_set", "del_set", "map_set")}
_SET = "ip_set_id_t {0}_index; __u8 {0}_dim; __u8 {0}_flags;"
xt("match", "set", 1, "xt_set_info_match_v1", _SET.format("match_set"), flags=_SET_FLAGS)
# struct ip_set_counter_match0 (rev 3): __u8 op; __u64 value; ip_set_counter_match (rev 4): value, op
xt("match", "set", 3, "xt_set_info_match_v3", _SET.format("match_set") + """
    __u8 packets_op; __u64 packets_value; __u8 bytes_op; __u64 bytes_value; __u32 flags;""",
   flags=_SET_FLAGS, enums={"packets_op": COUNTER_OPS, "bytes_op": COUNTER_OPS})
xt("match", "set", 4, "xt_set_info_match_v4", _SET.format("match_set") + """
    __u64 packets_value; __u8 packets_op; __u64 bytes_value; __u8 bytes_op; __u32 flags;""",
   flags=_SET_FLAGS, enums={"packets_op": COUNTER_OPS, "bytes_op": COUNTER_OPS})
xt("target", "SET", 2, "xt_set_info_target_v2", _SET.format("add_set") + _SET.format("del_set")
   + "__u32 flags; __u32 timeout;", flags=_SET_FLAGS)
xt("target", "SET", 3, "xt_set_info_target_v3", _SET.format("add_set") + _SET.format("del_set")
   + _SET.format("map_set") + "__u32 flags; __u32 timeout;", flags=_SET_FLAGS)
# linux/netfilter/xt_iprange.h
xt("match", "iprange", 1, "xt_iprange_mtinfo", """union nf_inet_addr src_min, src_max;
    union nf_inet_addr dst_min, dst_max; __u8 flags;""",
   flags={"flags": {1: "SRC", 2: "DST", 16: "SRC_INV", 32: "DST_INV"}}, **NF_INET)
# linux/netfilter/xt_length.h, netfilter_ipv4/ipt_ttl.h, netfilter_ipv6/ip6t_hl.h
xt("match", "length", 0, "xt_length_info", "__u16 min, max; __u8 invert;")
xt("match", "ttl", 0, "ipt_ttl_info", "__u8 mode; __u8 ttl;",
   enums={"mode": {0: "IPT_TTL_EQ", 1: "IPT_TTL_NE", 2: "IPT_TTL_LT", 3: "IPT_TTL_GT"}})
xt("match", "hl", 0, "ip6t_hl_info", "__u8 mode; __u8 hop_limit;",
   enums={"mode": {0: "IP6T_HL_EQ", 1: "IP6T_HL_NE", 2: "IP6T_HL_LT", 3: "IP6T_HL_GT"}})
# linux/netfilter/xt_pkttype.h (PACKET_* of linux/if_packet.h), ebt_pkttype.h
PKTTYPES = {0: "PACKET_HOST", 1: "PACKET_BROADCAST", 2: "PACKET_MULTICAST", 3: "PACKET_OTHERHOST",
            4: "PACKET_OUTGOING"}
xt("match", "pkttype", 0, "xt_pkttype_info", "int pkttype; int invert;", families=(None, IPV4_FAMILY, IPV6_FAMILY),
   enums={"pkttype": PKTTYPES})
xt("match", "pkttype", 0, "ebt_pkttype_info", "__u8 pkt_type; __u8 invert;", families=(BRIDGE_FAMILY,),
   enums={"pkt_type": PKTTYPES})
# linux/netfilter/xt_mac.h, xt_physdev.h, xt_owner.h
xt("match", "mac", 0, "xt_mac_info", "unsigned char srcaddr[ETH_ALEN]; int invert;", mac=("srcaddr",))
PHYSDEV_OPS = {1: "IN", 2: "OUT", 4: "BRIDGED", 8: "ISIN", 16: "ISOUT"}
xt("match", "physdev", 0, "xt_physdev_info", """char physindev[IFNAMSIZ]; char in_mask[IFNAMSIZ];
    char physoutdev[IFNAMSIZ]; char out_mask[IFNAMSIZ]; __u8 invert; __u8 bitmask;""",
   flags={"invert": PHYSDEV_OPS, "bitmask": PHYSDEV_OPS}, raw_arrays=("in_mask", "out_mask"))
OWNER_FLAGS = {1: "UID", 2: "GID", 4: "SOCKET", 8: "SUPPL_GROUPS"}
xt("match", "owner", 1, "xt_owner_match_info", "__u32 uid_min, uid_max; __u32 gid_min, gid_max; __u8 match, invert;",
   flags={"match": OWNER_FLAGS, "invert": OWNER_FLAGS})
# linux/netfilter/xt_recent.h
RECENT_FLAGS = {1: "CHECK", 2: "SET", 4: "UPDATE", 8: "REMOVE", 16: "TTL", 32: "REAP"}
_RECENT = """__u32 seconds; __u32 hit_count; __u8 check_set; __u8 invert; char name[XT_RECENT_NAME_LEN];
    __u8 side;"""
xt("match", "recent", 0, "xt_recent_mtinfo", _RECENT, flags={"check_set": RECENT_FLAGS},
   enums={"side": {0: "XT_RECENT_SOURCE", 1: "XT_RECENT_DEST"}})
xt("match", "recent", 1, "xt_recent_mtinfo_v1", _RECENT + " union nf_inet_addr mask;",
   flags={"check_set": RECENT_FLAGS}, enums={"side": {0: "XT_RECENT_SOURCE", 1: "XT_RECENT_DEST"}}, **NF_INET)
# linux/netfilter/xt_hashlimit.h (struct hashlimit_cfg1/2/3 inlined)
HASHLIMIT_MODES = {1: "HASH_DIP", 2: "HASH_DPT", 4: "HASH_SIP", 8: "HASH_SPT", 16: "INVERT", 32: "BYTES",
                   64: "RATE_MATCH"}
xt("match", "hashlimit", 1, "xt_hashlimit_mtinfo1", """char name[IFNAMSIZ];
    __u32 mode; __u32 avg; __u32 burst; __u32 size; __u32 max; __u32 gc_interval; __u32 expire;
    __u8 srcmask, dstmask;
    struct xt_hashlimit_htable *hinfo __attribute__((aligned(8)));""", flags={"mode": HASHLIMIT_MODES})
_HL2 = """char name[NAME_MAX];
    __u64 avg; __u64 burst; __u32 mode; __u32 size; __u32 max; __u32 gc_interval; __u32 expire;"""
xt("match", "hashlimit", 2, "xt_hashlimit_mtinfo2", _HL2 + """ __u8 srcmask, dstmask;
    struct xt_hashlimit_htable *hinfo __attribute__((aligned(8)));""", flags={"mode": HASHLIMIT_MODES})
xt("match", "hashlimit", 3, "xt_hashlimit_mtinfo3", _HL2 + """ __u32 interval; __u8 srcmask, dstmask;
    struct xt_hashlimit_htable *hinfo __attribute__((aligned(8)));""", flags={"mode": HASHLIMIT_MODES})
# linux/netfilter/xt_string.h (the union u: v0.invert, v1.flags)
_STRING = """__u16 from_offset; __u16 to_offset; char algo[XT_STRING_MAX_ALGO_NAME_SIZE];
    char pattern[XT_STRING_MAX_PATTERN_SIZE]; __u8 patlen; __u8 {};
    struct ts_config __attribute__((aligned(8))) *config;"""
xt("match", "string", 0, "xt_string_info", _STRING.format("invert"))
xt("match", "string", 1, "xt_string_info", _STRING.format("flags"), flags={"flags": {1: "INVERT", 2: "IGNORECASE"}})
# linux/netfilter/xt_NFLOG.h, xt_NFQUEUE.h, xt_CT.h, xt_TCPMSS.h, xt_DSCP.h, xt_CLASSIFY.h, xt_CHECKSUM.h
xt("target", "NFLOG", 0, "xt_nflog_info", """__u32 len; __u16 group; __u16 threshold; __u16 flags; __u16 pad;
    char prefix[64];""", flags={"flags": {1: "XT_NFLOG_F_COPY_LEN"}})
xt("target", "NFQUEUE", 0, "xt_NFQ_info", "__u16 queuenum;")
xt("target", "NFQUEUE", 1, "xt_NFQ_info_v1", "__u16 queuenum; __u16 queues_total;")
xt("target", "NFQUEUE", 2, "xt_NFQ_info_v2", "__u16 queuenum; __u16 queues_total; __u16 bypass;")
xt("target", "NFQUEUE", 3, "xt_NFQ_info_v3", "__u16 queuenum; __u16 queues_total; __u16 flags;",
   flags={"flags": {1: "NFQ_FLAG_BYPASS", 2: "NFQ_FLAG_CPU_FANOUT"}})
CT_FLAGS = {1: "NOTRACK", 2: "NOTRACK_ALIAS", 4: "ZONE_DIR_ORIG", 8: "ZONE_DIR_REPL", 16: "ZONE_MARK"}
xt("target", "CT", 0, "xt_ct_target_info", """__u16 flags; __u16 zone; __u32 ct_events; __u32 exp_events;
    char helper[16]; struct nf_conn *ct __attribute__((aligned(8)));""", flags={"flags": CT_FLAGS})
xt("target", "CT", (1, 2), "xt_ct_target_info_v1", """__u16 flags; __u16 zone; __u32 ct_events; __u32 exp_events;
    char helper[16]; char timeout[32]; struct nf_conn *ct __attribute__((aligned(8)));""", flags={"flags": CT_FLAGS})
xt("target", "TCPMSS", 0, "xt_tcpmss_info", "__u16 mss;", enums={"mss": {0xFFFF: "XT_TCPMSS_CLAMP_PMTU"}})
xt("target", "DSCP", 0, "xt_DSCP_info", "__u8 dscp;")
xt("target", "TOS", 1, "xt_tos_target_info", "__u8 tos_value; __u8 tos_mask;")
xt("target", "CLASSIFY", 0, "xt_classify_target_info", "__u32 priority;")
xt("target", "CHECKSUM", 0, "xt_CHECKSUM_info", "__u8 operation;", flags={"operation": {1: "XT_CHECKSUM_OP_FILL"}})
# linux/netfilter/xt_socket.h, xt_helper.h, xt_connlimit.h, xt_statistic.h, xt_time.h
SOCKET_FLAGS = {1: "TRANSPARENT", 2: "NOWILDCARD", 4: "RESTORESKMARK"}
for _rev in (1, 2, 3):
    xt("match", "socket", _rev, f"xt_socket_mtinfo{_rev}", "__u8 flags;", flags={"flags": SOCKET_FLAGS})
xt("match", "helper", 0, "xt_helper_info", "int invert; char name[30];")
# the union of mask (nf_inet_addr) with v4_mask / v6_mask[4]: read as the address
xt("match", "connlimit", 1, "xt_connlimit_info", """union nf_inet_addr mask; unsigned int limit; __u32 flags;
    struct nf_conncount_data *data __attribute__((aligned(8)));""",
   flags={"flags": {1: "XT_CONNLIMIT_INVERT", 2: "XT_CONNLIMIT_DADDR"}}, **NF_INET)
# the union u: random.probability (of 2^31), or nth.every (less one), nth.packet, nth.count
xt("match", "statistic", 0, "xt_statistic_info", """__u16 mode; __u16 flags; __u32 probability_or_every; __u32 packet;
    __u32 count; struct xt_statistic_priv *master __attribute__((aligned(8)));""",
   enums={"mode": {0: "XT_STATISTIC_MODE_RANDOM", 1: "XT_STATISTIC_MODE_NTH"}},
   flags={"flags": {1: "XT_STATISTIC_INVERT"}})
xt("match", "time", 0, "xt_time_info", """__u32 date_start; __u32 date_stop; __u32 daytime_start;
    __u32 daytime_stop; __u32 monthdays_match; __u8 weekdays_match; __u8 flags;""",
   flags={"flags": {1: "XT_TIME_LOCAL_TZ", 2: "XT_TIME_CONTIGUOUS"}})
# xt_ecn.h, xt_dscp.h, xt_tcpmss.h, xt_devgroup.h, xt_cpu.h, xt_quota.h, xt_realm.h, xt_esp.h
xt("match", "ecn", 0, "xt_ecn_info", "__u8 operation; __u8 invert; __u8 ip_ect; __u8 ect;",
   flags={"operation": {1: "MATCH_IP", 0x10: "MATCH_ECE", 0x20: "MATCH_CWR"}})
xt("match", "dscp", 0, "xt_dscp_info", "__u8 dscp; __u8 invert;")
xt("match", "tos", 1, "xt_tos_match_info", "__u8 tos_mask; __u8 tos_value; __u8 invert;")
xt("match", "tcpmss", 0, "xt_tcpmss_match_info", "__u16 mss_min, mss_max; __u8 invert;")
xt("match", "devgroup", 0, "xt_devgroup_info", "__u32 flags; __u32 src_group; __u32 src_mask; __u32 dst_group; "
   "__u32 dst_mask;", flags={"flags": {1: "MATCH_SRC", 2: "INVERT_SRC", 4: "MATCH_DST", 8: "INVERT_DST"}})
xt("match", "cpu", 0, "xt_cpu_info", "__u32 cpu; __u32 invert;")
xt("match", "quota", 0, "xt_quota_info", "__u32 flags; __u32 pad; __u64 quota; struct xt_quota_priv *master;",
   flags={"flags": {1: "XT_QUOTA_INVERT"}})
xt("match", "realm", 0, "xt_realm_info", "__u32 id; __u32 mask; __u8 invert;")
xt("match", "esp", 0, "xt_esp", "__u32 spis[2]; __u8 invflags;", flags={"invflags": {1: "XT_ESP_INV_SPI"}})
xt("match", "connbytes", 0, "xt_connbytes_info", "__u64 from; __u64 to; __u8 what; __u8 direction;",
   enums={"what": {0: "XT_CONNBYTES_PKTS", 1: "XT_CONNBYTES_BYTES", 2: "XT_CONNBYTES_AVGPKT"},
          "direction": {0: "XT_CONNBYTES_DIR_ORIGINAL", 1: "XT_CONNBYTES_DIR_REPLY", 2: "XT_CONNBYTES_DIR_BOTH"}})
xt("match", "rpfilter", 0, "xt_rpfilter_info", "__u8 flags;",
   flags={"flags": {1: "LOOSE", 2: "VALID_MARK", 4: "ACCEPT_LOCAL", 8: "INVERT"}})
# linux/netfilter_ipv4/ipt_ah.h, netfilter_ipv6/ip6t_ah.h, ip6t_frag.h, ip6t_opts.h (hbh, dst), ip6t_ipv6header.h
xt("match", "ah", 0, "ipt_ah", "__u32 spis[2]; __u8 invflags;", families=(None, IPV4_FAMILY),
   flags={"invflags": {1: "IPT_AH_INV_SPI"}})
xt("match", "ah", 0, "ip6t_ah", "__u32 spis[2]; __u32 hdrlen; __u8 hdrres; __u8 invflags;", families=(IPV6_FAMILY,),
   flags={"invflags": {1: "IP6T_AH_INV_SPI", 2: "IP6T_AH_INV_LEN"}})
xt("match", "frag", 0, "ip6t_frag", "__u32 ids[2]; __u32 hdrlen; __u8 flags; __u8 invflags;",
   flags={"flags": {1: "IDS", 2: "LEN", 4: "RES", 8: "FST", 16: "MF", 32: "NMF"}, "invflags": {1: "IDS", 2: "LEN"}})
for _n in ("hbh", "dst"):
    xt("match", _n, 0, "ip6t_opts", "__u32 hdrlen; __u8 flags; __u8 invflags; __u16 opts[16]; __u8 optsnr;",
       flags={"flags": {1: "LEN", 2: "OPTS", 4: "NSTRICT"}, "invflags": {1: "LEN"}})
IPV6_HEADERS = {128: "HOPOPTS", 64: "DSTOPTS", 32: "ROUTING", 16: "FRAGMENT", 8: "AH", 4: "ESP", 2: "NONE", 1: "PROTO"}
xt("match", "ipv6header", 0, "ip6t_ipv6header_info", "__u8 matchflags; __u8 invflags; __u8 modeflag;",
   flags={"matchflags": IPV6_HEADERS, "invflags": IPV6_HEADERS})
# targets: netfilter_ipv4/ipt_TTL.h, ipt_ECN.h (the bits ece:1, cwr:1 in one byte), netfilter_ipv6/ip6t_HL.h,
# linux/netfilter/xt_TEE.h, nf_synproxy.h (xt_synproxy_info), xt_TCPOPTSTRIP.h, xt_AUDIT.h, xt_SECMARK.h,
# xt_CONNSECMARK.h
xt("target", "TTL", 0, "ipt_TTL_info", "__u8 mode; __u8 ttl;",
   enums={"mode": {0: "IPT_TTL_SET", 1: "IPT_TTL_INC", 2: "IPT_TTL_DEC"}})
xt("target", "HL", 0, "ip6t_HL_info", "__u8 mode; __u8 hop_limit;",
   enums={"mode": {0: "IP6T_HL_SET", 1: "IP6T_HL_INC", 2: "IP6T_HL_DEC"}})
xt("target", "ECN", 0, "ipt_ECN_info", "__u8 operation; __u8 ip_ect; __u8 tcp_ece_cwr;",
   flags={"operation": {1: "SET_IP", 0x10: "SET_ECE", 0x20: "SET_CWR"}, "tcp_ece_cwr": {1: "ece", 2: "cwr"}})
xt("target", "TEE", 1, "xt_tee_tginfo", """union nf_inet_addr gw; char oif[16];
    struct xt_tee_priv *priv __attribute__((aligned(8)));""", **NF_INET)
xt("target", "SYNPROXY", 0, "nf_synproxy_info", "__u8 options; __u8 wscale; __u16 mss;",
   flags={"options": {1: "MSS", 2: "WSCALE", 4: "SACK_PERM", 8: "TIMESTAMP", 16: "ECN"}})
xt("target", "TCPOPTSTRIP", 0, "xt_tcpoptstrip_target_info", "__u32 strip_bmap[8];")
xt("target", "AUDIT", 0, "xt_audit_info", "__u8 type;",
   enums={"type": {0: "XT_AUDIT_TYPE_ACCEPT", 1: "XT_AUDIT_TYPE_DROP", 2: "XT_AUDIT_TYPE_REJECT"}})
xt("target", "SECMARK", 0, "xt_secmark_target_info", "__u8 mode; __u32 secid; char secctx[256];")
xt("target", "SECMARK", 1, "xt_secmark_target_info_v1", "__u8 mode; char secctx[256]; __u32 secid;")
xt("target", "CONNSECMARK", 0, "xt_connsecmark_target_info", "__u8 mode;",
   enums={"mode": {1: "CONNSECMARK_SAVE", 2: "CONNSECMARK_RESTORE"}})
# ebtables (linux/netfilter_bridge/ebt_*.h); their targets' `int target` is a verdict
# (EBT_ACCEPT -1, EBT_DROP -2, EBT_CONTINUE -3, EBT_RETURN -4)
EBT_VERDICTS = {-1: "EBT_ACCEPT", -2: "EBT_DROP", -3: "EBT_CONTINUE", -4: "EBT_RETURN"}
BR = dict(families=(BRIDGE_FAMILY,))
xt("match", "802_3", 0, "ebt_802_3_info", "__u8 sap; __be16 type; __u8 bitmask; __u8 invflags;",
   flags={"bitmask": {1: "SAP", 2: "TYPE"}, "invflags": {1: "SAP", 2: "TYPE"}}, **BR)
EBT_IP_BITS = {1: "SOURCE", 2: "DEST", 4: "TOS", 8: "PROTO", 16: "SPORT", 32: "DPORT", 64: "ICMP", 128: "IGMP"}
# the unions: sport[2] / icmp_type[2] / igmp_type[2], dport[2] / icmp_code[2]
xt("match", "ip", 0, "ebt_ip_info", """__be32 saddr; __be32 daddr; __be32 smsk; __be32 dmsk; __u8 tos;
    __u8 protocol; __u8 bitmask; __u8 invflags; __u16 sport[2]; __u16 dport[2];""",
   flags={"bitmask": EBT_IP_BITS, "invflags": EBT_IP_BITS}, ipv4=("saddr", "daddr", "smsk", "dmsk"), **BR)
xt("match", "vlan", 0, "ebt_vlan_info", "__u16 id; __u8 prio; __be16 encap; __u8 bitmask; __u8 invflags;",
   flags={"bitmask": {1: "ID", 2: "PRIO", 4: "ENCAP"}, "invflags": {1: "ID", 2: "PRIO", 4: "ENCAP"}}, **BR)
xt("match", "mark_m", 0, "ebt_mark_m_info", "unsigned long mark, mask; __u8 invert; __u8 bitmask;",
   flags={"bitmask": {1: "EBT_MARK_AND", 2: "EBT_MARK_OR"}}, **BR)
xt("target", "mark", 0, "ebt_mark_t_info", "unsigned long mark; int target;", **BR)
xt("target", "snat", 0, "ebt_nat_info", "unsigned char mac[ETH_ALEN]; int target;", mac=("mac",), **BR)
xt("target", "dnat", 0, "ebt_nat_info", "unsigned char mac[ETH_ALEN]; int target;", mac=("mac",), **BR)
xt("target", "redirect", 0, "ebt_redirect_info", "int target;", **BR)
xt("target", "log", 0, "ebt_log_info", "__u8 loglevel; char prefix[EBT_LOG_PREFIX_SIZE]; __u32 bitmask;",
   flags={"bitmask": {1: "EBT_LOG_IP", 2: "EBT_LOG_ARP", 4: "EBT_LOG_NFLOG", 8: "EBT_LOG_IP6"}}, **BR)
xt("target", "nflog", 0, "ebt_nflog_info", """__u32 len; __u16 group; __u16 threshold; __u16 flags; __u16 pad;
    char prefix[EBT_NFLOG_PREFIX_SIZE];""", **BR)
# arptables (linux/netfilter_arp/arpt_mangle.h; the unions u_s.src_ip, u_t.tgt_ip)
xt("target", "mangle", 0, "arpt_mangle", """char src_devaddr[ARPT_DEV_ADDR_LEN_MAX];
    char tgt_devaddr[ARPT_DEV_ADDR_LEN_MAX]; struct in_addr src_ip; struct in_addr tgt_ip; __u8 flags; int target;""",
   families=(ARP_FAMILY,), flags={"flags": {1: "SDEV", 2: "TDEV", 4: "SIP", 8: "TIP"}},
   raw_arrays=("src_devaddr", "tgt_devaddr"))
for _st in EXTENSIONS[("target", "mangle", 0)].values():   # hardware addresses: 6 of their 16 bytes for Ethernet
    _st.convert["src_devaddr"] = _st.convert["tgt_devaddr"] = lambda b: b[:6].hex(":")
for _v in ("mark", "snat", "dnat", "redirect"):
    for _st in EXTENSIONS[("target", _v, 0)].values():
        _st.shows["target"] = _enum_show(EBT_VERDICTS)


def struct_for(kind: str, name, rev, family):
    slot = EXTENSIONS.get((kind, name, rev))
    if slot is None:
        return None
    return slot.get(family) or slot.get(None)


# --- the expressions ------------------------------------------------------------------------
def _attrs(kind: str):
    up = kind.upper()
    return enum_set(kind, f"nft.{kind}", C, f"nft_{kind}_attributes", f"NFTA_{up}_", {
        "NAME": "string", "REV": a("u32", big_endian=True), "INFO": a("binary", hint="hex")}, label=f"xt {kind}")


_SETS = {k: _attrs(k) for k in ("match", "target")}


def expression(kind: str, family):
    """The decode hook of a `match` or `target` expression's data in a rule of `family`."""
    aset = _SETS[kind]
    name_f, rev_f, info_f = (aset.by_name[f"NFTA_{kind.upper()}_{k}"].field for k in ("NAME", "REV", "INFO"))

    def decode(buf, start, end, order, req):
        nodes = decode_attrs(buf, start, end, aset, order, 0, req)
        vals = {n.field: n.value for n in nodes}
        name, rev = vals.get(name_f), vals.get(rev_f)
        for n in nodes:
            if n.field is not info_f or n.status:
                continue
            st = struct_for(kind, name, rev, family)
            if st is None:
                n.status = UNKNOWN
                n.text = f"{kind} {name!r} revision {rev}: not decoded: {n.value.hex()}"
                continue
            n.children = st.node(buf, n.offset + 4, n.offset + n.length, order, req)
            n.text = f"{name} revision {rev}"
        return nodes
    return decode
