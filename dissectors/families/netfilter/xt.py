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

from construct import Bytes, Int8sl, Int8ul, Int16ub, Int16ul, Int32sl, Int32ub, Int32ul, Int64ul

from ...core.attrs import UNKNOWN, a, c_string, decode_attrs, enum_set, malformed
from ...core.schema import FixedStruct, Member, flags_show, pad
from ...generated import nf_tables_compat as C
from ...model import BYTES, FIELDS, MAC, STRING, Node

# NFPROTO_* of the rule (nfgenmsg.nfgen_family), in the words the structs are chosen by
IPV4_FAMILY, ARP_FAMILY, BRIDGE_FAMILY, IPV6_FAMILY = 2, 3, 7, 10

# array lengths the headers name by macro
_CONSTS = {"IFNAMSIZ": 16, "XT_MAX_COMMENT_LEN": 256, "NAME_MAX": 255, "XT_RECENT_NAME_LEN": 200, "ETH_ALEN": 6,
           "XT_MULTI_PORTS": 15, "XT_STRING_MAX_ALGO_NAME_SIZE": 16, "XT_STRING_MAX_PATTERN_SIZE": 128,
           "ARPT_DEV_ADDR_LEN_MAX": 16, "EBT_LOG_PREFIX_SIZE": 30, "EBT_NFLOG_PREFIX_SIZE": 64, "IPSET_DIM_MAX": 6,
           "PATH_MAX": 4096, "XT_CGROUP_PATH_MAX": 512, "NFACCT_NAME_MAX": 32, "MAX_IDLETIMER_LABEL_SIZE": 28,
           "MAXGENRELEN": 32, "IP6T_RT_HOPS": 16, "XT_BPF_PATH_MAX": 512}
# C type -> (construct, size, alignment, what it is)
_TYPES = {
    "__u8": (Int8ul, 1, 1, "int"), "unsigned char": (Int8ul, 1, 1, "int"), "char": (Int8ul, 1, 1, "int"),
    "__s8": (Int8sl, 1, 1, "int"),
    "__u16": (Int16ul, 2, 2, "int"), "unsigned short": (Int16ul, 2, 2, "int"), "ip_set_id_t": (Int16ul, 2, 2, "int"),
    "__sum16": (Int16ul, 2, 2, "int"), "__s32": (Int32sl, 4, 4, "int"),
    "__be16": (Int16ub, 2, 2, "int"), "union nf_conntrack_man_proto": (Int16ub, 2, 2, "int"),
    "__u32": (Int32ul, 4, 4, "int"), "unsigned int": (Int32ul, 4, 4, "int"), "int": (Int32sl, 4, 4, "int"),
    "__be32": (Int32ub, 4, 4, "int"), "enum": (Int32ul, 4, 4, "int"),
    "__u64": (Int64ul, 8, 8, "int"), "unsigned long": (Int64ul, 8, 8, "int"),
    "struct in_addr": (None, 4, 4, "ipv4"), "union nf_inet_addr": (None, 16, 4, "inet"),
    "struct in6_addr": (None, 16, 4, "ipv6"),
}
_DECL = re.compile(r"^(?P<type>(?:unsigned |struct |union |enum )?\w+)\s+(?P<names>[^;]+)$")
_NAME = re.compile(r"^(?P<ptr>\*?)\s*(?P<name>\w+)\s*(?:\[(?P<n>\w+)\])?$")


def _ipv4(b: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET, b[:4])


def _ipv6(b: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET6, b[:16])


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
                 enums: dict | None = None, mac: tuple = (), raw_arrays: tuple = (), ipv4: tuple = (),
                 converters: dict | None = None, fixup=None, shows: dict | None = None):
        """`converters`: member -> bytes -> value, for a byte array that is no string (a bitmap);
        `shows`: member -> value -> text; `fixup`: called with the struct's members by name after
        decoding, for what one member says of another (a union read by a flag)."""
        flags, enums, converters = flags or {}, enums or {}, converters or {}
        self.fixup = fixup
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
                elif what in ("ipv4", "inet", "ipv6"):
                    read = _ipv4 if what == "ipv4" else (_ipv6 if what == "ipv6" else _inet(family))
                    for one_name in ([name] if count is None else [f"{name}_{i}" for i in range(count)]):
                        members.append(Member(one_name, Bytes(size), kind=STRING))
                        self.convert[one_name] = read
                    size *= count or 1
                elif count is not None and (ctype == "char" or name in raw_arrays or name in mac
                                            or name in converters):
                    members.append(Member(name, Bytes(size * count), kind=MAC if name in mac else STRING))
                    self.convert[name] = converters.get(name) or ((lambda b: b.hex(":")) if name in mac else _cstr)
                    size *= count
                elif count is not None:   # an array of integers: one member each
                    names = ("min", "max") if count == 2 else [str(i) for i in range(count)]
                    for s in names:
                        members.append(Member(f"{name}_{s}", con))
                    size *= count
                else:
                    show = flags_show(flags[name], size * 2) if name in flags else \
                        (_enum_show(enums[name]) if name in enums else (shows or {}).get(name))
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
        if self.fixup is not None:
            self.fixup({c.field.abbrev.rsplit(".", 1)[1]: c for c in top.children})
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


# --- structs holding arrays of structs -------------------------------------------------------
class XtLayout:
    """A struct holding arrays of structs (xt_u32's tests, xt_policy_info's elements, xt_bpf's
    instructions), laid out by offset: plain members as XtStructs at their offsets, and arrays
    of an element struct (an XtStruct or an XtLayout) of which a member says how many are in
    use.  The elements in use are decoded, one node each; the rest — zeros as iptables leaves
    them, never read by the kernel — one node of their bytes.  `when`: a part decoded only when
    the members decoded before it say so (a union read by a mode)."""

    def __init__(self, cname: str, prefix: str, size: int, parts: list, label: str | None = None):
        self.cname = cname
        self.size = size
        self.parts = parts      # (offset, XtStruct, when) or (offset, name, element, count, stride, used, when)
        self.field = FIELDS.add(prefix, label or f"struct {cname}", "none", f"struct {cname}")
        self.array_fields = {p[1]: FIELDS.add(f"{prefix}.{p[1]}", p[1], BYTES, f"{cname}.{p[1]}[]")
                             for p in parts if len(p) == 7}
        # the FixedStruct of its plain members (what the registry of structs knows it by; its
        # size is not the layout's, `self.size` is)
        self.struct = next(p[1].struct for p in parts if len(p) == 3)

    def node(self, buf, start: int, end: int, order: str, req) -> list[Node]:
        if end - start < self.size:
            return [malformed(buf, start, end, f"struct {self.cname} needs {self.size} bytes, got {end - start}")]
        values: dict = {}
        children: list[Node] = []
        # plain members first: the arrays' counts are among them
        for part in sorted(self.parts, key=lambda p: len(p)):
            if len(part) == 3:
                off, st, when = part
                if when is not None and not when(values):
                    continue
                nodes = st.node(buf, start + off, start + off + st.struct.size, order, req)
                for n in nodes[0].children or ():
                    values[n.field.abbrev.rsplit(".", 1)[1]] = n.value
                children += nodes[0].children or []
                children += nodes[1:]
                continue
            off, name, elem, count, stride, used, when = part
            if when is not None and not when(values):
                continue
            n_used = max(0, min(count, used(values) if isinstance(values, dict) else 0))
            for i in range(n_used):
                pos = start + off + i * stride
                got = elem.node(buf, pos, pos + stride, order, req)
                got[0].label = f"{name}[{i}]"
                children += got
            if n_used < count:
                pos = start + off + n_used * stride
                rest = bytes(buf[pos:start + off + count * stride])
                what = "zeros" if not any(rest) else "not read by the kernel"
                children.append(Node(self.array_fields[name], rest, pos, len(rest),
                                     f"{count - n_used} {name} not in use ({what})", label=f"{name}[{n_used}…]"))
        children.sort(key=lambda n: n.offset)
        out = [Node(self.field, None, start, self.size, "", children, label=f"struct {self.cname}")]
        tail = bytes(buf[start + self.size:end])
        if any(tail):
            out.append(Node(self.field, tail, start + self.size, end - start - self.size, tail.hex(),
                            status=UNKNOWN, label="trailing bytes (newer struct?)"))
        return out


def xt_layout(kind: str, name: str, revs, make, families=(None,)):
    """Declare an extension whose struct is an XtLayout: `make(family)` builds it."""
    for rev in (revs if isinstance(revs, tuple) else (revs,)):
        slot = EXTENSIONS.setdefault((kind, name, rev), {})
        for fam in families:
            slot[fam] = make(fam)


# linux/netfilter/xt_u32.h: up to XT_U32_MAXSIZE + 1 tests, each of up to as many location
# steps (a number and the operator that applies it: &, <<, >>, @) and value ranges
U32_OPS = {0: "XT_U32_AND", 1: "XT_U32_LEFTSH", 2: "XT_U32_RIGHTSH", 3: "XT_U32_AT"}
_U32_LOC = XtStruct("xt_u32_location_element", "xt.match.u32.location", "__u32 number; __u8 nextop;",
                    enums={"nextop": U32_OPS})
_U32_VAL = XtStruct("xt_u32_value_element", "xt.match.u32.value", "__u32 min; __u32 max;")
_U32_TEST = XtLayout("xt_u32_test", "xt.match.u32.test", 180, [
    (0, "location", _U32_LOC, 11, 8, lambda v: v.get("nnums", 0), None),
    (88, "value", _U32_VAL, 11, 8, lambda v: v.get("nvalues", 0), None),
    (176, XtStruct("xt_u32_test", "xt.match.u32.test", "__u8 nnums; __u8 nvalues;"), None)])
xt_layout("match", "u32", 0, lambda fam: XtLayout("xt_u32", "xt.match.u32", 1984, [
    (0, "tests", _U32_TEST, 11, 180, lambda v: v.get("ntests", 0), None),
    (1980, XtStruct("xt_u32", "xt.match.u32", "__u8 ntests; __u8 invert;"), None)]))
# linux/netfilter/xt_policy.h: up to XT_POLICY_MAX_ELEM elements (--next), `len` of them in
# use; the addresses a union xt_policy_addr (in_addr or in6_addr), read by the rule's family;
# match and invert the bit fields of struct xt_policy_spec (saddr:1 … reqid:1, low bit first);
# spi a __be32 the kernel compares with the packet's as it is (iptables' libxt_policy fills it
# in host order: its `--spi 0x100` shows here, as the kernel reads it, as 0x10000)
POLICY_SPEC = {1: "saddr", 2: "daddr", 4: "proto", 8: "mode", 16: "spi", 32: "reqid"}
POLICY_FLAGS = {1: "XT_POLICY_MATCH_IN", 2: "XT_POLICY_MATCH_OUT", 4: "XT_POLICY_MATCH_NONE",
                8: "XT_POLICY_MATCH_STRICT"}
xt_layout("match", "policy", 0, lambda fam: XtLayout("xt_policy_info", "xt.match.policy", 308, [
    (0, "pol", XtStruct("xt_policy_elem", "xt.match.policy.elem", """union nf_inet_addr saddr; union nf_inet_addr smask;
        union nf_inet_addr daddr; union nf_inet_addr dmask; __be32 spi; __u32 reqid; __u8 proto; __u8 mode;
        __u8 match; __u8 invert;""", family=fam, flags={"match": POLICY_SPEC, "invert": POLICY_SPEC},
                        enums={"mode": {0: "XT_POLICY_MODE_TRANSPORT", 1: "XT_POLICY_MODE_TUNNEL"}}),
     4, 76, lambda v: v.get("len", 0), None),
    (304, XtStruct("xt_policy_info", "xt.match.policy", "__u16 flags; __u16 len;", flags={"flags": POLICY_FLAGS}),
     None)]), families=_ALL_FAMILIES)
# linux/netfilter/xt_bpf.h: a classic BPF program (struct sock_filter, <linux/filter.h>) of
# bpf_program_num_elem instructions; revision 1 also a pinned program's path (mode 1, 2)
_BPF_INSN = XtStruct("sock_filter", "xt.match.bpf.insn", "__u16 code; __u8 jt; __u8 jf; __u32 k;")
BPF_MODES = {0: "XT_BPF_MODE_BYTECODE", 1: "XT_BPF_MODE_FD_PINNED", 2: "XT_BPF_MODE_FD_ELF"}
xt_layout("match", "bpf", 0, lambda fam: XtLayout("xt_bpf_info", "xt.match.bpf", 528, [
    (0, XtStruct("xt_bpf_info", "xt.match.bpf", "__u16 bpf_program_num_elem;"), None),
    (4, "bpf_program", _BPF_INSN, 64, 8, lambda v: v.get("bpf_program_num_elem", 0), None)]))
xt_layout("match", "bpf", 1, lambda fam: XtLayout("xt_bpf_info_v1", "xt.match.bpf", 528, [
    (0, XtStruct("xt_bpf_info_v1", "xt.match.bpf", "__u16 mode; __u16 bpf_program_num_elem; __s32 fd;",
                 enums={"mode": BPF_MODES}), None),
    (8, "bpf_program", _BPF_INSN, 64, 8, lambda v: v.get("bpf_program_num_elem", 0), lambda v: v.get("mode") == 0),
    (8, XtStruct("xt_bpf_info_v1", "xt.match.bpf", "char path[XT_BPF_PATH_MAX];"), lambda v: v.get("mode") != 0)]))

# linux/netfilter/xt_sctp.h: chunkmap a bitmap of 256 chunk types (SCTP_CHUNKMAP_SET: bit
# type % 32 of word type / 32); the chunk types' names as iptables' libxt_sctp spells them
SCTP_CHUNKS = {0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT", 5: "HEARTBEAT_ACK", 6: "ABORT",
               7: "SHUTDOWN", 8: "SHUTDOWN_ACK", 9: "ERROR", 10: "COOKIE_ECHO", 11: "COOKIE_ACK", 12: "ECN_ECNE",
               13: "ECN_CWR", 14: "SHUTDOWN_COMPLETE", 15: "AUTH", 64: "I_DATA", 128: "ASCONF_ACK",
               130: "RE_CONFIG", 192: "FORWARD_TSN", 193: "ASCONF", 194: "I_FORWARD_TSN"}


def _chunkmap(b: bytes) -> str:
    words = [int.from_bytes(b[i:i + 4], "little") for i in range(0, len(b), 4)]
    types = [t for t in range(len(words) * 32) if words[t // 32] >> (t % 32) & 1]
    if len(types) == len(words) * 32:
        return "ALL"
    return ",".join(SCTP_CHUNKS.get(t, str(t)) for t in types) or "NONE"


def _sctp_flags(b: bytes) -> str:
    """struct xt_sctp_flag_info[XT_NUM_SCTP_FLAGS] {chunktype, flag, flag_mask}."""
    out = [f"{SCTP_CHUNKS.get(b[i], b[i])} flag {b[i + 1]:#x}/{b[i + 2]:#x}" for i in range(0, len(b) - 2, 3)
           if b[i] or b[i + 1] or b[i + 2]]
    return ", ".join(out) or "none"


SCTP_FLAGS = {1: "XT_SCTP_SRC_PORTS", 2: "XT_SCTP_DEST_PORTS", 4: "XT_SCTP_CHUNK_TYPES"}
xt("match", "sctp", 0, "xt_sctp_info", """__u16 dpts[2]; __u16 spts[2]; __u32 chunkmap[64]; __u32 chunk_match_type;
    __u8 flag_info[12]; int flag_count; __u32 flags; __u32 invflags;""",
   converters={"chunkmap": _chunkmap, "flag_info": _sctp_flags},
   enums={"chunk_match_type": {1: "SCTP_CHUNK_MATCH_ANY", 2: "SCTP_CHUNK_MATCH_ALL", 4: "SCTP_CHUNK_MATCH_ONLY"}},
   flags={"flags": SCTP_FLAGS, "invflags": SCTP_FLAGS})
# linux/netfilter/xt_dccp.h: typemask bit per DCCP packet type (<linux/dccp.h> DCCP_PKT_*)
DCCP_FLAGS = {1: "XT_DCCP_SRC_PORTS", 2: "XT_DCCP_DEST_PORTS", 4: "XT_DCCP_TYPE", 8: "XT_DCCP_OPTION"}
DCCP_TYPES = {1 << i: n for i, n in enumerate(("REQUEST", "RESPONSE", "DATA", "ACK", "DATAACK", "CLOSEREQ", "CLOSE",
                                               "RESET", "SYNC", "SYNCACK", "INVALID"))}
xt("match", "dccp", 0, "xt_dccp_info", "__u16 dpts[2]; __u16 spts[2]; __u16 flags; __u16 invflags; __u16 typemask; "
   "__u8 option;", flags={"flags": DCCP_FLAGS, "invflags": DCCP_FLAGS, "typemask": DCCP_TYPES})
# linux/netfilter/xt_ipcomp.h, xt_cluster.h, xt_connlabel.h, xt_l2tp.h
xt("match", "ipcomp", 0, "xt_ipcomp", "__u32 spis[2]; __u8 invflags; __u8 hdrres;",
   flags={"invflags": {1: "XT_IPCOMP_INV_SPI"}})
xt("match", "cluster", 0, "xt_cluster_match_info", "__u32 total_nodes; __u32 node_mask; __u32 hash_seed; __u32 flags;",
   flags={"flags": {1: "XT_CLUSTER_F_INV"}}, shows={"node_mask": hex, "hash_seed": hex})
xt("match", "connlabel", 0, "xt_connlabel_mtinfo", "__u16 bit; __u16 options;",
   flags={"options": {1: "XT_CONNLABEL_OP_INVERT", 2: "XT_CONNLABEL_OP_SET"}})
xt("match", "l2tp", 0, "xt_l2tp_info", "__u32 tid; __u32 sid; __u8 version; __u8 type; __u8 flags;",
   enums={"type": {0: "XT_L2TP_TYPE_CONTROL", 1: "XT_L2TP_TYPE_DATA"}},
   flags={"flags": {1: "XT_L2TP_TID", 2: "XT_L2TP_SID", 4: "XT_L2TP_VERSION", 8: "XT_L2TP_TYPE"}})
# linux/netfilter/xt_ipvs.h (fwd_method: IP_VS_CONN_F_FWD_MASK's values, <linux/ip_vs.h>)
IPVS_BITS = {1: "XT_IPVS_IPVS_PROPERTY", 2: "XT_IPVS_PROTO", 4: "XT_IPVS_VADDR", 8: "XT_IPVS_VPORT", 16: "XT_IPVS_DIR",
             32: "XT_IPVS_METHOD", 64: "XT_IPVS_VPORTCTL"}
xt("match", "ipvs", 0, "xt_ipvs_mtinfo", """union nf_inet_addr vaddr, vmask; __be16 vport; __u8 l4proto;
    __u8 fwd_method; __be16 vportctl; __u8 invert; __u8 bitmask;""", flags={"invert": IPVS_BITS, "bitmask": IPVS_BITS},
   enums={"fwd_method": {0: "IP_VS_CONN_F_MASQ", 1: "IP_VS_CONN_F_LOCALNODE", 2: "IP_VS_CONN_F_TUNNEL",
                         3: "IP_VS_CONN_F_DROUTE", 4: "IP_VS_CONN_F_BYPASS"}}, **NF_INET)
# linux/netfilter/nfnetlink_osf.h (xt_osf_info is nf_osf_info)
xt("match", "osf", 0, "xt_osf_info", "char genre[MAXGENRELEN]; __u32 len; __u32 flags; __u32 loglevel; __u32 ttl;",
   flags={"flags": {1: "XT_OSF_GENRE", 2: "XT_OSF_TTL", 4: "XT_OSF_LOG", 8: "XT_OSF_INVERT"}},
   enums={"loglevel": {0: "XT_OSF_LOGLEVEL_ALL", 1: "XT_OSF_LOGLEVEL_FIRST", 2: "XT_OSF_LOGLEVEL_ALL_KNOWN"},
          "ttl": {0: "XT_OSF_TTL_TRUE", 1: "XT_OSF_TTL_LESS", 2: "XT_OSF_TTL_NOCHECK"}})
# linux/netfilter/xt_cgroup.h: v0 a net_cls classid; v1 a path or a classid; v2 the same with a
# shorter path sharing its bytes with the classid (a union: has_classid says which)
xt("match", "cgroup", 0, "xt_cgroup_info_v0", "__u32 id; __u32 invert;", shows={"id": hex})
xt("match", "cgroup", 1, "xt_cgroup_info_v1", """__u8 has_path; __u8 has_classid; __u8 invert_path;
    __u8 invert_classid; char path[PATH_MAX]; __u32 classid; void *priv __attribute__((aligned(8)));""",
   shows={"classid": hex})


def _cgroup_union(m: dict) -> None:
    path = m.get("path")
    if path is None or not isinstance(path.value, bytes):
        return
    raw = path.value
    if m.get("has_classid") is not None and m["has_classid"].value and not (m["has_path"].value if "has_path" in m else 0):
        v = int.from_bytes(raw[:4], "little")
        path.value, path.text, path.label = f"{v:#x}", f"{v:#x}", "classid (union with path)"
    else:
        path.value = c_string(raw, 0, len(raw))


xt("match", "cgroup", 2, "xt_cgroup_info_v2", """__u8 has_path; __u8 has_classid; __u8 invert_path;
    __u8 invert_classid; char path[XT_CGROUP_PATH_MAX]; void *priv __attribute__((aligned(8)));""",
   converters={"path": lambda b: b}, fixup=_cgroup_union)
# linux/netfilter/xt_nfacct.h (the accounting object by name: nfacct add NAME first)
xt("match", "nfacct", (0, 1), "xt_nfacct_match_info", "char name[NFACCT_NAME_MAX]; struct nf_acct *nfacct;")
# linux/netfilter/xt_rateest.h, xt_RATEEST.h (interval: 2^(interval+2) / 4 s, iptables' ewma_log)
RATEEST_FLAGS = {1: "XT_RATEEST_MATCH_INVERT", 2: "XT_RATEEST_MATCH_ABS", 4: "XT_RATEEST_MATCH_REL",
                 8: "XT_RATEEST_MATCH_DELTA", 16: "XT_RATEEST_MATCH_BPS", 32: "XT_RATEEST_MATCH_PPS"}
xt("match", "rateest", 0, "xt_rateest_match_info", """char name1[IFNAMSIZ]; char name2[IFNAMSIZ]; __u16 flags;
    __u16 mode; __u32 bps1; __u32 pps1; __u32 bps2; __u32 pps2;
    struct xt_rateest *est1 __attribute__((aligned(8))); struct xt_rateest *est2 __attribute__((aligned(8)));""",
   flags={"flags": RATEEST_FLAGS}, enums={"mode": {0: "XT_RATEEST_MATCH_NONE", 1: "XT_RATEEST_MATCH_EQ",
                                                   2: "XT_RATEEST_MATCH_LT", 3: "XT_RATEEST_MATCH_GT"}})
xt("target", "RATEEST", 0, "xt_rateest_target_info", """char name[IFNAMSIZ]; __s8 interval; __u8 ewma_log;
    struct xt_rateest *est __attribute__((aligned(8)));""")
# linux/netfilter/xt_HMARK.h: the ports a union hmark_ports (src, dst in network order, as
# the kernel masks the packet's own)
HMARK_FLAGS = {1 << i: n for i, n in enumerate(("SADDR_MASK", "DADDR_MASK", "SPI", "SPI_MASK", "SPORT", "DPORT",
                                                "SPORT_MASK", "DPORT_MASK", "PROTO_MASK", "RND", "MODULUS",
                                                "OFFSET", "CT", "METHOD_L3", "METHOD_L3_4"))}
xt("target", "HMARK", 0, "xt_hmark_info", """union nf_inet_addr src_mask; union nf_inet_addr dst_mask;
    __be16 port_mask_src, port_mask_dst; __be16 port_set_src, port_set_dst; __u32 flags; __u16 proto_mask;
    __u32 hashrnd; __u32 hmodulus; __u32 hoffset;""", flags={"flags": HMARK_FLAGS}, shows={"hashrnd": hex}, **NF_INET)
# linux/netfilter/xt_IDLETIMER.h, xt_LED.h
xt("target", "IDLETIMER", 0, "idletimer_tg_info", """__u32 timeout; char label[MAX_IDLETIMER_LABEL_SIZE];
    struct idletimer_tg *timer __attribute__((aligned(8)));""")
xt("target", "IDLETIMER", 1, "idletimer_tg_info_v1", """__u32 timeout; char label[MAX_IDLETIMER_LABEL_SIZE];
    __u8 send_nl_msg; __u8 timer_type; struct idletimer_tg *timer __attribute__((aligned(8)));""",
   flags={"timer_type": {1: "XT_IDLETIMER_ALARM"}})
xt("target", "LED", 0, "xt_led_info", """char id[27]; __u8 always_blink; __u32 delay;
    void *internal_data __attribute__((aligned(8)));""")
# targets without a struct (targetsize 0): xt_TRACE.c, xt_CT.c's NOTRACK
xt("target", "TRACE", 0, "xt_trace", "")
xt("target", "NOTRACK", 0, "xt_notrack", "")
# linux/netfilter_ipv6/ip6t_rt.h, ip6t_mh.h, ip6t_srh.h, ip6t_NPT.h; ip6t_eui64.c's int (unused)
RT_FLAGS = {1: "IP6T_RT_TYP", 2: "IP6T_RT_SGS", 4: "IP6T_RT_LEN", 8: "IP6T_RT_RES", 0x10: "IP6T_RT_FST",
            0x20: "IP6T_RT_FST_NSTRICT"}
xt("match", "rt", 0, "ip6t_rt", """__u32 rt_type; __u32 segsleft[2]; __u32 hdrlen; __u8 flags; __u8 invflags;
    struct in6_addr addrs[IP6T_RT_HOPS]; __u8 addrnr;""", flags={"flags": RT_FLAGS,
   "invflags": {1: "IP6T_RT_INV_TYP", 2: "IP6T_RT_INV_SGS", 4: "IP6T_RT_INV_LEN"}})
xt("match", "mh", 0, "ip6t_mh", "__u8 types[2]; __u8 invflags;", flags={"invflags": {1: "IP6T_MH_INV_TYPE"}})
SRH_FLAGS = {1 << i: n for i, n in enumerate(("NEXTHDR", "LEN_EQ", "LEN_GT", "LEN_LT", "SEGS_EQ", "SEGS_GT", "SEGS_LT",
                                              "LAST_EQ", "LAST_GT", "LAST_LT", "TAG", "PSID", "NSID", "LSID"))}
_SRH = "__u8 next_hdr; __u8 hdr_len; __u8 segs_left; __u8 last_entry; __u16 tag;"
xt("match", "srh", 0, "ip6t_srh", _SRH + " __u16 mt_flags; __u16 mt_invflags;",
   flags={"mt_flags": SRH_FLAGS, "mt_invflags": SRH_FLAGS})
xt("match", "srh", 1, "ip6t_srh1", _SRH + """ struct in6_addr psid_addr; struct in6_addr nsid_addr;
    struct in6_addr lsid_addr; struct in6_addr psid_msk; struct in6_addr nsid_msk; struct in6_addr lsid_msk;
    __u16 mt_flags; __u16 mt_invflags;""", flags={"mt_flags": SRH_FLAGS, "mt_invflags": SRH_FLAGS})
xt("match", "eui64", 0, "ip6t_eui64", "int reserved;")
for _t in ("DNPT", "SNPT"):
    xt("target", _t, 0, "ip6t_npt_tginfo", """union nf_inet_addr src_pfx; union nf_inet_addr dst_pfx;
        __u8 src_pfx_len; __u8 dst_pfx_len; __sum16 adjustment;""", **NF_INET)


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
