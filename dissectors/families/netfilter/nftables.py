"""nf_tables (NFNL_SUBSYS_NFTABLES): tables, chains, rules and their expressions, sets and
elements, objects, flowtables, generations and traces, as `nft` sends and lists them.

Names from <linux/netfilter/nf_tables.h>; integers are in network byte order.  A rule's
expressions are decoded by expression name (NFTA_EXPR_NAME selects NFTA_EXPR_DATA, as
YNL's sub-message does) and also rendered as one line in nft's own words where the
mapping is clear (`tcp dport 22 counter accept`), with `…` for what it cannot say.
"""
from __future__ import annotations

import socket

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.schema import names_from
from ...generated import nf_tables as T, nfnetlink as N
from .cttimeout import BY_PROTO as TIMEOUTS_BY_PROTO
from .protocol import NFPROTO, Subsystem, register_subsystem, types
from .xt import ARP_FAMILY, BRIDGE_FAMILY, IPV4_FAMILY, IPV6_FAMILY, expression

BE16, BE32, BE64 = a("u16", big_endian=True), a("u32", big_endian=True), a("u64", big_endian=True)
NF_VERDICTS = {0: "drop", 1: "accept", 2: "stolen", 3: "queue", 4: "repeat", 5: "stop",
               (1 << 32) - 1: "continue", (1 << 32) - 2: "break", (1 << 32) - 3: "jump", (1 << 32) - 4: "goto",
               (1 << 32) - 5: "return"}
HOOKS = {0: "prerouting", 1: "input", 2: "forward", 3: "output", 4: "postrouting"}
REGS = names_from(T, "NFT_REG", "nft_registers", exclude=())
CMP_OPS = names_from(T, "NFT_CMP_", "nft_cmp_ops", exclude=())
META_KEYS = names_from(T, "NFT_META_", "nft_meta_keys", exclude=())
CT_KEYS = names_from(T, "NFT_CT_", "nft_ct_keys", exclude=("MAX",))
PAYLOAD_BASES = names_from(T, "NFT_PAYLOAD_", "nft_payload_bases", exclude=())
BITWISE_OPS = names_from(T, "NFT_BITWISE_", "nft_bitwise_ops", exclude=())
RANGE_OPS = names_from(T, "NFT_RANGE_", "nft_range_ops", exclude=())
LIMIT_TYPES = names_from(T, "NFT_LIMIT_", "nft_limit_type", exclude=())
REJECT_TYPES = names_from(T, "NFT_REJECT_", "nft_reject_types", exclude=())
NAT_TYPES = names_from(T, "NFT_NAT_", "nft_nat_types", exclude=())
DYNSET_OPS = names_from(T, "NFT_DYNSET_OP_", "nft_dynset_ops", exclude=())
FIB_RESULTS = names_from(T, "NFT_FIB_RESULT_", "nft_fib_result", exclude=("MAX",))
SOCKET_KEYS = names_from(T, "NFT_SOCKET_", "nft_socket_keys", exclude=("MAX",))
EXTHDR_OPS = names_from(T, "NFT_EXTHDR_OP_", "nft_exthdr_op", exclude=("MAX",))
TRACE_TYPES = names_from(T, "NFT_TRACETYPE_", "nft_trace_types", exclude=("MAX",))
TABLE_FLAGS = names_from(T, "NFT_TABLE_F_", "nft_table_flags", exclude=("MASK",))
CHAIN_FLAGS = names_from(T, "NFT_CHAIN_", "nft_chain_flags", exclude=())
SET_FLAGS = names_from(T, "NFT_SET_", "nft_set_flags", exclude=())
LIMIT_FLAGS = names_from(T, "NFT_LIMIT_F_", "nft_limit_flags", exclude=())
BYTEORDER_OPS = names_from(T, "NFT_BYTEORDER_", "nft_byteorder_ops", exclude=())
OSF_FLAGS = names_from(T, "NFT_OSF_F_", "nft_osf_flags", exclude=())
TUNNEL_KEYS = names_from(T, "NFT_TUNNEL_", "nft_tunnel_keys", exclude=("MAX",))
TUNNEL_MODES = names_from(T, "NFT_TUNNEL_MODE_", "nft_tunnel_mode", exclude=("MAX",))
XFRM_KEYS = names_from(T, "NFT_XFRM_KEY_", "nft_xfrm_keys", exclude=("MAX",))
INNER_TYPES = names_from(T, "NFT_INNER_", "nft_inner_type", exclude=())
INNER_FLAGS = names_from(T, "NFT_INNER_", "nft_inner_flags", exclude=())
# <linux/netfilter/nf_synproxy.h>
SYNPROXY_OPTS = {0x01: "NF_SYNPROXY_OPT_MSS", 0x02: "NF_SYNPROXY_OPT_WSCALE", 0x04: "NF_SYNPROXY_OPT_SACK_PERM",
                 0x08: "NF_SYNPROXY_OPT_TIMESTAMP", 0x10: "NF_SYNPROXY_OPT_ECN"}
NFPROTO_NAMES = NFPROTO
OBJ_TYPES = {1: "counter", 2: "quota", 3: "ct helper", 4: "limit", 5: "connlimit", 6: "tunnel", 7: "ct timeout",
             8: "secmark", 9: "ct expectation", 10: "synproxy"}


def _prio(v: int) -> str:
    return str(v - (1 << 32) if v >= 1 << 31 else v)


def _limit_flags(v: int) -> str:
    """NFTA_LIMIT_FLAGS: `0`, or the bits named (NFT_LIMIT_F_INV: nft's `limit rate over`)."""
    if not v:
        return "0"
    names = [n for b, n in LIMIT_FLAGS.items() if v & b] + ([f"{v & ~sum(LIMIT_FLAGS):#x}"] if v & ~sum(LIMIT_FLAGS)
                                                           else [])
    return f"{v:#x} ({', '.join(names)})"


def _verdict(v: int) -> str:
    return f"{NF_VERDICTS.get(v, 'unknown')} ({v - (1 << 32) if v >= 1 << 31 else v})"


def S(name, enum, strip, types_, label, default=BE32, extra=None):
    return enum_set(name, f"nft.{name}", T, enum, strip, types_, label=label, default=default, extra=extra)


VERDICT = S("verdict", "nft_verdict_attributes", "NFTA_VERDICT_", {
    "CODE": a("u32", big_endian=True, show=_verdict), "CHAIN": "string"}, "verdict")
DATA = S("data", "nft_data_attributes", "NFTA_DATA_", {"VALUE": a("binary", hint="hex"),
                                                       "VERDICT": a("nest", nested=VERDICT)}, "data")
REG = a("u32", big_endian=True, enum=REGS)
D = a("nest", nested=DATA)
EXPRS = {
    "meta": S("meta", "nft_meta_attributes", "NFTA_META_", {"DREG": REG, "KEY": a("u32", big_endian=True,
                                                                                   enum=META_KEYS), "SREG": REG},
              "meta"),
    "cmp": S("cmp", "nft_cmp_attributes", "NFTA_CMP_", {"SREG": REG, "OP": a("u32", big_endian=True, enum=CMP_OPS),
                                                       "DATA": D}, "cmp"),
    "payload": S("payload", "nft_payload_attributes", "NFTA_PAYLOAD_", {
        "DREG": REG, "SREG": REG, "BASE": a("u32", big_endian=True, enum=PAYLOAD_BASES)}, "payload"),
    "immediate": S("immediate", "nft_immediate_attributes", "NFTA_IMMEDIATE_", {"DREG": REG, "DATA": D}, "immediate"),
    "bitwise": S("bitwise", "nft_bitwise_attributes", "NFTA_BITWISE_", {
        "SREG": REG, "DREG": REG, "MASK": D, "XOR": D, "OP": a("u32", big_endian=True, enum=BITWISE_OPS), "DATA": D},
        "bitwise"),
    "lookup": S("lookup", "nft_lookup_attributes", "NFTA_LOOKUP_", {"SET": "string", "SREG": REG, "DREG": REG},
                "lookup"),
    "ct": S("ct", "nft_ct_attributes", "NFTA_CT_", {"DREG": REG, "KEY": a("u32", big_endian=True, enum=CT_KEYS),
                                                    "DIRECTION": "u8", "SREG": REG}, "ct"),
    "counter": S("counter", "nft_counter_attributes", "NFTA_COUNTER_", {"BYTES": BE64, "PACKETS": BE64, "PAD": "pad"},
                 "counter"),
    "nat": S("nat", "nft_nat_attributes", "NFTA_NAT_", {
        "TYPE": a("u32", big_endian=True, enum=NAT_TYPES), "REG_ADDR_MIN": REG, "REG_ADDR_MAX": REG,
        "REG_PROTO_MIN": REG, "REG_PROTO_MAX": REG}, "nat"),
    "reject": S("reject", "nft_reject_attributes", "NFTA_REJECT_", {
        "TYPE": a("u32", big_endian=True, enum=REJECT_TYPES), "ICMP_CODE": "u8"}, "reject"),
    "limit": S("limit", "nft_limit_attributes", "NFTA_LIMIT_", {
        "RATE": BE64, "UNIT": a("u64", big_endian=True, unit="s"), "TYPE": a("u32", big_endian=True, enum=LIMIT_TYPES),
        "FLAGS": a("u32", big_endian=True, show=_limit_flags), "PAD": "pad"}, "limit"),
    # net/netfilter/nft_tproxy.c, nft_synproxy.c, nft_dup_netdev.c / ipv4|6/nft_dup_ipv*.c, nft_fwd_netdev.c
    "tproxy": S("tproxy", "nft_tproxy_attributes", "NFTA_TPROXY_", {
        "FAMILY": a("u32", big_endian=True, enum=NFPROTO_NAMES), "REG_ADDR": REG, "REG_PORT": REG}, "tproxy"),
    "synproxy": S("synproxy", "nft_synproxy_attributes", "NFTA_SYNPROXY_", {
        "MSS": BE16, "WSCALE": "u8", "FLAGS": a("u32", big_endian=True, flags=SYNPROXY_OPTS)}, "synproxy"),
    "dup": S("dup", "nft_dup_attributes", "NFTA_DUP_", {"SREG_ADDR": REG, "SREG_DEV": REG}, "dup"),
    # nft_byteorder.c, nft_flow_offload.c, nft_osf.c, nft_tunnel.c, nft_xfrm.c (their NLA_U32
    # registers are big-endian, as nft_parse_register reads them)
    "byteorder": S("byteorder", "nft_byteorder_attributes", "NFTA_BYTEORDER_", {
        "SREG": REG, "DREG": REG, "OP": a("u32", big_endian=True, enum=BYTEORDER_OPS)}, "byteorder"),
    "flow_offload": S("flow_offload", "nft_offload_attributes", "NFTA_FLOW_", {"TABLE_NAME": "string"},
                      "flow offload"),
    "osf": S("osf", "nft_osf_attributes", "NFTA_OSF_", {"DREG": REG, "TTL": "u8", "FLAGS": a(
        "u32", big_endian=True, flags=OSF_FLAGS)}, "osf"),
    "tunnel": S("tunnel", "nft_tunnel_attributes", "NFTA_TUNNEL_", {
        "KEY": a("u32", big_endian=True, enum=TUNNEL_KEYS), "DREG": REG,
        "MODE": a("u32", big_endian=True, enum=TUNNEL_MODES)}, "tunnel"),
    "xfrm": S("xfrm", "nft_xfrm_attributes", "NFTA_XFRM_", {
        "DREG": REG, "KEY": a("u32", big_endian=True, enum=XFRM_KEYS), "DIR": "u8"}, "xfrm"),
    "fwd": S("fwd", "nft_fwd_attributes", "NFTA_FWD_", {
        "SREG_DEV": REG, "SREG_ADDR": REG, "NFPROTO": a("u32", big_endian=True, enum=NFPROTO_NAMES)}, "fwd"),
    "log": S("log", "nft_log_attributes", "NFTA_LOG_", {"GROUP": BE16, "PREFIX": "string", "QTHRESHOLD": BE16},
             "log"),
    "range": S("range", "nft_range_attributes", "NFTA_RANGE_", {
        "SREG": REG, "OP": a("u32", big_endian=True, enum=RANGE_OPS), "FROM_DATA": D, "TO_DATA": D}, "range"),
    "fib": S("fib", "nft_fib_attributes", "NFTA_FIB_", {"DREG": REG, "RESULT": a("u32", big_endian=True,
                                                                                  enum=FIB_RESULTS)}, "fib"),
    "socket": S("socket", "nft_socket_attributes", "NFTA_SOCKET_", {
        "KEY": a("u32", big_endian=True, enum=SOCKET_KEYS), "DREG": REG}, "socket"),
    "exthdr": S("exthdr", "nft_exthdr_attributes", "NFTA_EXTHDR_", {
        "DREG": REG, "TYPE": "u8", "OP": a("u32", big_endian=True, enum=EXTHDR_OPS), "SREG": REG}, "exthdr"),
    "quota": S("quota", "nft_quota_attributes", "NFTA_QUOTA_", {"BYTES": BE64, "CONSUMED": BE64, "PAD": "pad"},
               "quota"),
    "queue": S("queue", "nft_queue_attributes", "NFTA_QUEUE_", {"NUM": BE16, "TOTAL": BE16, "FLAGS": BE16,
                                                                "SREG_QNUM": REG}, "queue"),
    "masq": S("masq", "nft_masq_attributes", "NFTA_MASQ_", {"REG_PROTO_MIN": REG, "REG_PROTO_MAX": REG}, "masq"),
    "redir": S("redir", "nft_redir_attributes", "NFTA_REDIR_", {"REG_PROTO_MIN": REG, "REG_PROTO_MAX": REG},
               "redir"),
    "objref": S("objref", "nft_objref_attributes", "NFTA_OBJREF_", {"IMM_NAME": "string", "SET_SREG": REG,
                                                                    "SET_NAME": "string"}, "objref"),
    "connlimit": S("connlimit", "nft_connlimit_attributes", "NFTA_CONNLIMIT_", {}, "connlimit"),
    "rt": S("rt", "nft_rt_attributes", "NFTA_RT_", {"DREG": REG}, "rt"),
    "hash": S("hash", "nft_hash_attributes", "NFTA_HASH_", {"SREG": REG, "DREG": REG, "SET_NAME": "string"}, "hash"),
    "numgen": S("numgen", "nft_ng_attributes", "NFTA_NG_", {"DREG": REG}, "numgen"),
    "last": S("last", "nft_last_attributes", "NFTA_LAST_", {"MSECS": BE64, "PAD": "pad"}, "last"),
}
# iptables-nft's x_tables extensions (xt.py); a rule of a family its own (by_family below)
EXPRS["match"], EXPRS["target"] = expression("match", None), expression("target", None)
EXPR = S("expr", "nft_expr_attributes", "NFTA_EXPR_", {
    "NAME": "string", "DATA": a("submsg", selector="NFTA_EXPR_NAME", choices=EXPRS)}, "expression")
EXPRS["dynset"] = S("dynset", "nft_dynset_attributes", "NFTA_DYNSET_", {
    "SET_NAME": "string", "OP": a("u32", big_endian=True, enum=DYNSET_OPS), "SREG_KEY": REG, "SREG_DATA": REG,
    "TIMEOUT": a("u64", big_endian=True, unit="ms"), "EXPR": a("nest", nested=EXPR), "PAD": "pad",
    "EXPRESSIONS": "nest"}, "dynset")
# nft_inner.c: an expression run on the inner headers of a tunnel
EXPRS["inner"] = S("inner", "nft_inner_attributes", "NFTA_INNER_", {
    "TYPE": a("u32", big_endian=True, enum=INNER_TYPES), "FLAGS": a("u32", big_endian=True, flags=INNER_FLAGS),
    "EXPR": a("nest", nested=EXPR)}, "inner")
LIST = S("list", "nft_list_attributes", "NFTA_LIST_", {"ELEM": a("nest", nested=EXPR)}, "expressions")
EXPRS["dynset"].by_name["NFTA_DYNSET_EXPRESSIONS"].nested = LIST
COUNTERS = EXPRS["counter"]
DEVICES = S("devices", "nft_devices_attributes", "NFTA_DEVICE_", {"NAME": "string"}, "devices")
HOOK = S("hook", "nft_hook_attributes", "NFTA_HOOK_", {
    "HOOKNUM": a("u32", big_endian=True, enum=HOOKS), "PRIORITY": a("u32", big_endian=True, show=_prio),
    "DEV": "string", "DEVS": a("nest", nested=DEVICES)}, "hook")
TABLE = S("table", "nft_table_attributes", "NFTA_TABLE_", {
    "NAME": "string", "FLAGS": a("u32", big_endian=True, flags=TABLE_FLAGS), "HANDLE": BE64, "PAD": "pad",
    "USERDATA": "binary"}, "table")
CHAIN = S("chain", "nft_chain_attributes", "NFTA_CHAIN_", {
    "TABLE": "string", "HANDLE": BE64, "NAME": "string", "HOOK": a("nest", nested=HOOK),
    "POLICY": a("u32", big_endian=True, show=_verdict), "TYPE": "string", "COUNTERS": a("nest", nested=COUNTERS),
    "PAD": "pad", "FLAGS": a("u32", big_endian=True, flags=CHAIN_FLAGS), "USERDATA": "binary"}, "chain")
COMPAT = S("rule_compat", "nft_rule_compat_attributes", "NFTA_RULE_COMPAT_", {}, "compat")


def _rule(expressions):
    return S("rule", "nft_rule_attributes", "NFTA_RULE_", {
        "TABLE": "string", "CHAIN": "string", "HANDLE": BE64, "EXPRESSIONS": a("nest", nested=expressions),
        "COMPAT": a("nest", nested=COMPAT), "POSITION": BE64, "USERDATA": "binary", "PAD": "pad"}, "rule")


def _family_rule(family):
    """A rule of `family`, whose x_tables structs read by that family (ipt, ip6t, ebt, arpt)."""
    choices = {**EXPRS, "match": expression("match", family), "target": expression("target", family)}
    expr = S("expr", "nft_expr_attributes", "NFTA_EXPR_", {
        "NAME": "string", "DATA": a("submsg", selector="NFTA_EXPR_NAME", choices=choices)}, "expression")
    return _rule(S("list", "nft_list_attributes", "NFTA_LIST_", {"ELEM": a("nest", nested=expr)}, "expressions"))


RULE = _rule(LIST)
RULE_BY_FAMILY = {f: _family_rule(f) for f in (IPV4_FAMILY, IPV6_FAMILY, ARP_FAMILY, BRIDGE_FAMILY)}
FIELD = S("set_field", "nft_set_field_attributes", "NFTA_SET_FIELD_", {}, "field")
FIELDS_LIST = S("set_fields", "nft_list_attributes", "NFTA_LIST_", {"ELEM": a("nest", nested=FIELD)}, "fields")
DESC = S("set_desc", "nft_set_desc_attributes", "NFTA_SET_DESC_", {"CONCAT": a("nest", nested=FIELDS_LIST)},
         "description")
SET = S("set", "nft_set_attributes", "NFTA_SET_", {
    "TABLE": "string", "NAME": "string", "FLAGS": a("u32", big_endian=True, flags=SET_FLAGS),
    "DESC": a("nest", nested=DESC), "TIMEOUT": a("u64", big_endian=True, unit="ms"), "USERDATA": "binary",
    "PAD": "pad", "HANDLE": BE64, "EXPR": a("nest", nested=EXPR), "EXPRESSIONS": a("nest", nested=LIST)}, "set",
    # newer than 6.12's header (6.16: the set's backend and its element count)
    extra={"NFTA_SET_TYPE": (19, a("string")), "NFTA_SET_COUNT": (20, BE32)})
ELEM = S("elem", "nft_set_elem_attributes", "NFTA_SET_ELEM_", {
    "KEY": D, "DATA": D, "TIMEOUT": a("u64", big_endian=True, unit="ms"),
    "EXPIRATION": a("u64", big_endian=True, unit="ms"), "USERDATA": "binary", "EXPR": a("nest", nested=EXPR),
    "PAD": "pad", "OBJREF": "string", "KEY_END": D, "EXPRESSIONS": a("nest", nested=LIST)}, "element")
ELEM_LIST = S("setelem", "nft_set_elem_list_attributes", "NFTA_SET_ELEM_LIST_", {
    "TABLE": "string", "SET": "string",
    # the kernel numbers the elements NFTA_LIST_ELEM; libnftnl numbers them 1, 2, 3 …
    "ELEMENTS": a("indexed-array", sub="nest", nested=ELEM)}, "set elements")
GEN = S("gen", "nft_gen_attributes", "NFTA_GEN_", {"PROC_NAME": "string"}, "generation")
OBJ_DATA = {1: EXPRS["counter"], 2: EXPRS["quota"], 4: EXPRS["limit"], 5: EXPRS["connlimit"],
            3: S("ct_helper", "nft_ct_helper_attributes", "NFTA_CT_HELPER_", {"NAME": "string", "L3PROTO": BE16,
                                                                              "L4PROTO": "u8"}, "ct helper"),
            # nft_ct.c, nft_ct_timeout_obj_dump: the timeouts as nfnetlink_cttimeout's per-protocol
            # CTA_TIMEOUT_* (seconds), chosen by the policy's layer-4 protocol
            7: S("ct_timeout", "nft_ct_timeout_timeout_attributes", "NFTA_CT_TIMEOUT_", {
                "L3PROTO": BE16, "L4PROTO": "u8",
                "DATA": a("submsg", selector="NFTA_CT_TIMEOUT_L4PROTO", choices=TIMEOUTS_BY_PROTO)}, "ct timeout"),
            9: S("ct_expect", "nft_ct_expectation_attributes", "NFTA_CT_EXPECT_", {
                "L3PROTO": BE16, "L4PROTO": "u8", "DPORT": BE16,
                # nft_ct_expect_obj_dump: nla_put_u32, host order, milliseconds
                "TIMEOUT": a("u32", unit="ms"), "SIZE": "u8"}, "ct expectation"),
            10: EXPRS["synproxy"],
            8: S("secmark", "nft_secmark_attributes", "NFTA_SECMARK_", {"CTX": "string"}, "secmark")}
OBJ = S("obj", "nft_object_attributes", "NFTA_OBJ_", {
    "TABLE": "string", "NAME": "string", "TYPE": a("u32", big_endian=True, enum=OBJ_TYPES),
    "DATA": a("submsg", selector="NFTA_OBJ_TYPE", choices=OBJ_DATA), "HANDLE": BE64, "PAD": "pad",
    "USERDATA": "binary"}, "object")
FT_HOOK = S("flowtable_hook", "nft_flowtable_hook_attributes", "NFTA_FLOWTABLE_HOOK_", {
    "NUM": a("u32", big_endian=True, enum=HOOKS), "PRIORITY": a("u32", big_endian=True, show=_prio),
    "DEVS": a("nest", nested=DEVICES)}, "flowtable hook")
FLOWTABLE = S("flowtable", "nft_flowtable_attributes", "NFTA_FLOWTABLE_", {
    "TABLE": "string", "NAME": "string", "HOOK": a("nest", nested=FT_HOOK), "HANDLE": BE64, "PAD": "pad"},
    "flowtable")
TRACE = S("trace", "nft_trace_attributes", "NFTA_TRACE_", {
    "TABLE": "string", "CHAIN": "string", "RULE_HANDLE": BE64, "TYPE": a("u32", big_endian=True, enum=TRACE_TYPES),
    "VERDICT": a("nest", nested=VERDICT), "LL_HEADER": "binary", "NETWORK_HEADER": "binary",
    "TRANSPORT_HEADER": "binary", "IIFTYPE": BE16, "OIFTYPE": BE16, "POLICY": a("u32", big_endian=True,
                                                                               show=_verdict), "PAD": "pad"},
    "trace")


# --- one line, in nft's words ------------------------------------------------------------
_TRANSPORT = {(0, 2): "sport", (2, 2): "dport"}
_ICMP = {(0, 1): "type", (1, 1): "code"}
ICMP_TYPES = {0: "echo-reply", 3: "destination-unreachable", 5: "redirect", 8: "echo-request", 11: "time-exceeded"}
CT_STATES = {1: "invalid", 2: "established", 4: "related", 8: "new", 64: "untracked"}
NFPROTOS = {2: "ipv4", 10: "ipv6"}
_NETWORK4 = {(12, 4): "saddr", (16, 4): "daddr", (9, 1): "protocol", (8, 1): "ttl"}
_L4 = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6", 132: "sctp"}


def _val(node) -> bytes | None:
    v = node.first("nft.data.value") if node is not None else None
    return v if isinstance(v, bytes) else None


def _verdict_text(node) -> str | None:
    code = node.first("nft.verdict.code") if node is not None else None
    if code is None:
        return None
    word = NF_VERDICTS.get(code, str(code))
    chain = node.first("nft.verdict.chain")
    return f"{word} {chain}" if chain else word


def _drop_deps(out: list[str], what: str) -> None:
    """nft leaves implied dependencies unsaid (`meta nfproto ipv4`, `meta l4proto tcp` before
    `ip saddr …` or `tcp dport …`): drop them once the expression that implies them comes."""
    while out and ((out[-1].startswith("meta nfproto ") and what.startswith(("ip ", "ip6 ", "icmp", "tcp", "udp")))
                   or (out[-1].startswith("meta l4proto ") and what.startswith(out[-1].rsplit(" ", 1)[1] + " "))):
        out.pop()


def rule_text(rule) -> str:
    """The expressions of a rule node (or of a message tree) as nft would print them."""
    regs: dict[int, tuple[str, int]] = {}   # register -> (what was loaded, its length)
    loaded: dict[int, int] = {}   # register -> where in `out` the immediate that loaded it was said
    out: list[str] = []
    l4 = None
    for expr in rule.find_all("nft.list.elem"):
        name = expr.first("nft.expr.name")
        data = expr.find("nft.expr.data")
        if data is None:
            out.append(name or "…")
            continue
        if name == "meta":
            key = META_KEYS.get(data.first("nft.meta.key"), "?")[len("NFT_META_"):].lower()
            dreg = data.first("nft.meta.dreg")
            if dreg is not None:
                regs[dreg] = (f"meta {key}", 1 if key == "l4proto" else 4)
            else:
                src = regs.get(data.first("nft.meta.sreg"), ("…", 0))[0]
                said = src if isinstance(src, str) and src.startswith(_GENERATORS) else "…"
                out.append(f"meta {key} set {said}")
        elif name == "payload":
            base = data.first("nft.payload.base")
            off, ln = data.first("nft.payload.offset"), data.first("nft.payload.len")
            if base == 2 and l4 in ("tcp", "udp", "sctp") and (off, ln) in _TRANSPORT:
                what = f"{l4} {_TRANSPORT[(off, ln)]}"
            elif base == 2 and l4 in ("icmp", "icmpv6") and (off, ln) in _ICMP:
                what = f"{l4} {_ICMP[(off, ln)]}"
            elif base == 1 and (off, ln) in _NETWORK4:
                what = f"ip {_NETWORK4[(off, ln)]}"
            else:
                what = f"@{['ll', 'nh', 'th', 'ih'][base] if base is not None and base < 4 else base},{off * 8},{ln * 8}"
            regs[data.first("nft.payload.dreg")] = (what, ln or 0)
        elif name == "bitwise":
            what, ln = regs.get(data.first("nft.bitwise.sreg"), ("…", 0))
            mask = _val(data.find("nft.bitwise.mask"))
            regs[data.first("nft.bitwise.dreg")] = (f"{what} & 0x{mask.hex() if mask else '?'}", ln)
        elif name == "ct":
            key = CT_KEYS.get(data.first("nft.ct.key"), "?")[len("NFT_CT_"):].lower()
            regs[data.first("nft.ct.dreg")] = (f"ct {key}", 4)
        elif name == "cmp":
            what, ln = regs.get(data.first("nft.cmp.sreg"), ("…", 0))
            op = {0: "", 1: "!= ", 2: "< ", 3: "<= ", 4: "> ", 5: ">= "}.get(data.first("nft.cmp.op"), "? ")
            raw = _val(data.find("nft.cmp.data"))
            if raw is None:
                out.append(f"{what} {op}…")
                continue
            if what == "meta l4proto" and len(raw) == 1 and raw[0] in _L4 and not op:
                l4 = _L4[raw[0]]
                out.append(f"meta l4proto {l4}")
                continue
            if what == "meta nfproto" and len(raw) == 1 and raw[0] in NFPROTOS and not op:
                out.append(f"meta nfproto {NFPROTOS[raw[0]]}")
                continue
            if what.startswith("ct state & 0x") and op == "!= " and not any(raw):
                bits = int(what.rsplit("0x", 1)[1], 16)
                bits = int.from_bytes(bits.to_bytes(4, "big"), "little") if bits > 0xFF else bits
                out.append("ct state " + ",".join(n for b, n in CT_STATES.items() if bits & b))
                continue
            if what.endswith("icmp type") and len(raw) == 1 and not op:
                _drop_deps(out, what)
                out.append(f"{what} {ICMP_TYPES.get(raw[0], raw[0])}")
                continue
            if what.startswith("ip ") and what.endswith("addr") and len(raw) == 4:
                value = socket.inet_ntop(socket.AF_INET, raw)
            elif len(raw) <= 8 and (what.endswith("port") or what.startswith("ip ") or what.startswith("meta ")):
                value = str(int.from_bytes(raw, "big" if what.endswith("port") or what.startswith("ip ") else "little"))
            else:
                value = "0x" + raw.hex()
            _drop_deps(out, what)
            out.append(f"{what} {op}{value}")
        elif name == "immediate":
            v = _verdict_text(data.find("nft.data.verdict"))
            raw = _val(data.find("nft.immediate.data"))
            dreg = data.first("nft.immediate.dreg")
            if v is None and raw is not None and dreg is not None:
                # a value for a later expression: said there if it reads it (tproxy, dup, fwd)
                regs[dreg] = (raw, len(raw))
                loaded[dreg] = len(out)
            out.append(v if v is not None else "immediate …")
        elif name in ("tproxy", "dup", "fwd"):
            out.append(_redirect_text(name, data, regs, loaded, out, rule.first("nfnl.family")))
        elif name == "synproxy":
            out.append(_synproxy_text(data))
        elif name in ("numgen", "hash"):
            regs[data.first(f"nft.{name}.dreg")] = (_generator_text(name, data), 4)
        elif name == "objref" and data.first("nft.objref.imm_type") in _OBJREF_WORDS:
            out.append(f"{_OBJREF_WORDS[data.first('nft.objref.imm_type')]} {data.first('nft.objref.imm_name')}")
        elif name == "counter":
            out.append("counter")
        elif name == "log":
            prefix = data.first("nft.log.prefix")
            group = data.first("nft.log.group")
            out.append("log" + (f' prefix "{prefix}"' if prefix else "") + (f" group {group}" if group is not None else ""))
        elif name == "limit":
            rate, unit = data.first("nft.limit.rate"), data.first("nft.limit.unit")
            per = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}.get(unit, f"{unit}s")
            over = "over " if (data.first("nft.limit.flags") or 0) & 1 else ""   # NFT_LIMIT_F_INV
            out.append(f"limit rate {over}{rate}/{per}")
        elif name == "lookup":
            what, _ = regs.get(data.first("nft.lookup.sreg"), ("…", 0))
            _drop_deps(out, what)
            out.append(f"{what} @{data.first('nft.lookup.set')}")
        elif name == "reject":
            out.append("reject")
        elif name == "queue":
            out.append(f"queue num {data.first('nft.queue.num')}")
        elif name in ("match", "target"):   # an x_tables extension (iptables-nft)
            out.append(f"{name} {data.first(f'nft.{name}.name') or '…'}")
        else:
            out.append(f"{name} …")
    return " ".join(w for w in out if w is not None)


# objects a rule names (objref NFTA_OBJREF_IMM_TYPE), in nft's words
_OBJREF_WORDS = {1: "counter name", 2: "quota name", 4: "limit name", 7: "ct timeout set", 3: "ct helper set",
                 9: "ct expectation set", 10: "synproxy name"}


def _addr(raw) -> str:
    if not isinstance(raw, bytes):
        return "…"
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw)
    if len(raw) == 16:
        return f"[{socket.inet_ntop(socket.AF_INET6, raw)}]"
    return "0x" + raw.hex()


_GENERATORS = ("numgen ", "jhash ", "symhash ")


def _redirect_text(name, data, regs, loaded, out, table_family=None) -> str:
    """`tproxy to 127.0.0.1:3128`, `dup to 10.0.0.2 device 1`, `fwd ip to 10.0.0.6 device 1`:
    the values the immediates before it loaded, which are then not said again."""
    def take(field):
        reg = data.first(field)
        if reg is None or reg not in regs:
            return None
        if reg in loaded:
            out[loaded.pop(reg)] = None
        return regs[reg][0]
    if name == "tproxy":
        addr, port = take("nft.tproxy.reg_addr"), take("nft.tproxy.reg_port")
        # the family is said in an inet table only (`tproxy ip to …`), as nft lists it
        fam = {2: "ip ", 10: "ip6 "}.get(data.first("nft.tproxy.family"), "") if table_family == 1 else ""
        where = (_addr(addr) if addr is not None else "") + \
            (f":{int.from_bytes(port, 'big')}" if isinstance(port, bytes) and len(port) == 2 else "")
        return f"tproxy {fam}to {where}".rstrip()
    addr = take(f"nft.{name}.sreg_addr")
    dev = take(f"nft.{name}.sreg_dev")
    devtext = f"device {int.from_bytes(dev, 'little')}" if isinstance(dev, bytes) and len(dev) == 4 else None
    proto = {2: "ip ", 10: "ip6 "}.get(data.first("nft.fwd.nfproto"), "") if name == "fwd" else ""
    if addr is not None:
        return f"{name} {proto}to {_addr(addr)}" + (f" {devtext}" if devtext else "")
    return f"{name} to {devtext.split(' ', 1)[1] if devtext else '…'}"


def _synproxy_text(data) -> str:
    """`synproxy mss 1460 wscale 7 timestamp sack-perm`, as nft lists it."""
    words = ["synproxy"]
    flags = data.first("nft.synproxy.flags") or 0
    if flags & 0x01 and data.first("nft.synproxy.mss") is not None:
        words.append(f"mss {data.first('nft.synproxy.mss')}")
    if flags & 0x02 and data.first("nft.synproxy.wscale") is not None:
        words.append(f"wscale {data.first('nft.synproxy.wscale')}")
    words += [w for b, w in ((0x08, "timestamp"), (0x04, "sack-perm")) if flags & b]
    return " ".join(words)


def _generator_text(name, data) -> str:
    """What numgen and hash load: `numgen inc mod 4 offset 10`, `jhash … mod 8 seed 0xabc`."""
    if name == "numgen":
        kind = {0: "inc", 1: "random"}.get(data.first("nft.numgen.type"), "?")
        text = f"numgen {kind} mod {data.first('nft.numgen.modulus')}"
    else:
        sym = data.first("nft.hash.type") == 1   # NFT_HASH_SYM
        text = "symhash" if sym else "jhash …"
        text += f" mod {data.first('nft.hash.modulus')}"
        seed = data.first("nft.hash.seed")
        if seed and not sym:
            text += f" seed {seed:#x}"
    off = data.first(f"nft.{name}.offset")
    return text + (f" offset {off}" if off else "")


@info(("nft.table.name", "nft.chain.table", "nft.rule.table", "nft.set.table", "nft.setelem.table",
       "nft.obj.table", "nft.flowtable.table", "nft.chain.name", "nft.rule.chain", "nft.set.name",
       "nft.setelem.set", "nft.obj.name", "nft.flowtable.name", "nft.gen.id", "nft.chain.hook", "nft.flowtable.hook", "nft.hook.hooknum",
       "nft.hook.priority"))
def nft_info(root) -> str:
    # one walk: the first value of each field (what root.first() would find, field by field)
    vals: dict = {}
    for n in root.walk():
        vals.setdefault(n.field.abbrev, n.value)
    parts = []
    for ab in ("nft.table.name", "nft.chain.table", "nft.rule.table", "nft.set.table", "nft.setelem.table",
               "nft.obj.table", "nft.flowtable.table"):
        v = vals.get(ab)
        if v:
            parts.append(v)
            break
    for ab in ("nft.chain.name", "nft.rule.chain", "nft.set.name", "nft.setelem.set", "nft.obj.name",
               "nft.flowtable.name"):
        v = vals.get(ab)
        if v:
            parts.append(v)
            break
    gen = vals.get("nft.gen.id")
    if gen is not None:
        parts.append(f"generation {gen}")
    hook = vals.get("nft.hook.hooknum")
    if hook is not None:
        parts.append(f"hook {HOOKS.get(hook, hook)} priority {_prio(vals.get('nft.hook.priority') or 0)}")
    if "nft.rule.expressions" in vals and "nft.list.elem" in vals:
        parts.append(rule_text(root))
    return " ".join(parts)


MSG_NAMES = names_from(T, "NFT_MSG_", "nf_tables_msg_types", exclude=("MAX",))
SETS = {"TABLE": TABLE, "CHAIN": CHAIN, "RULE": RULE, "SETELEM": ELEM_LIST, "SET": SET, "GEN": GEN,
        "OBJ": OBJ, "FLOWTABLE": FLOWTABLE, "TRACE": TRACE}


def _set_of(name: str):
    word = name[len("NFT_MSG_"):]
    for verb in ("NEW", "GET", "DEL", "DESTROY"):
        if word.startswith(verb):
            word = word[len(verb):]
    word = word.replace("_RESET", "")
    return SETS.get(word)


@info(full_tree=True)   # the expressions are three nests down: the Info column decodes them
def rule_info(root) -> str:
    return nft_info(root)


@info(levels=2)   # the verdict code is inside NFTA_TRACE_VERDICT
def trace_info(root) -> str:
    """`trace 0xa3a69e6e rule nlsm out handle 5 accept` (what `nft monitor trace` prints)."""
    v = {c.field.abbrev: c for c in root.children or ()}
    tid, kind = v.get("nft.trace.id"), v.get("nft.trace.type")
    parts = [f"trace {tid.value:#010x}" if tid is not None else "trace"]
    if kind is not None:
        parts.append(TRACE_TYPES.get(kind.value, str(kind.value))[len("NFT_TRACETYPE_"):].lower())
    parts += [v[k].value for k in ("nft.trace.table", "nft.trace.chain") if k in v]
    if "nft.trace.rule_handle" in v:
        parts.append(f"handle {v['nft.trace.rule_handle'].value}")
    verdict = _verdict_text(v.get("nft.trace.verdict"))
    if verdict:
        parts.append(verdict)
    return " ".join(str(p) for p in parts)


nft_types = types(MSG_NAMES, None, nft_info)
for _n, _mt in nft_types.items():
    _mt.attrs = _set_of(_mt.name)
    if _mt.attrs is RULE:
        _mt.info = rule_info
        _mt.by_family = RULE_BY_FAMILY
    elif _mt.attrs is TRACE:
        _mt.info = trace_info
register_subsystem(Subsystem(N.NFNL_SUBSYS_NFTABLES, "nftables", nft_types, None))
