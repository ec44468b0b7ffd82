"""Policy routing rules: RTM_NEWRULE/DELRULE/GETRULE with struct fib_rule_hdr and FRA_*."""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.schema import c_struct, enum_show, names_from
from ...generated import fib_rules as F
from .common import RTPROT_NAMES, TABLE_NAMES, show_af, show_table
from .link import RTGENMSG
from .protocol import add_types, attr_or_header, is_dump_request, top

FR_ACT_NAMES = names_from(F, "FR_ACT_", exclude=("MAX",))
FIB_RULE_NAMES = names_from(F, "FIB_RULE_", exclude=())
RULE_HDR = c_struct(F, "fib_rule_hdr", "rtnl.rule", label="Rule header (fib_rule_hdr)",
                    show={"family": show_af, "table": show_table, "action": enum_show(FR_ACT_NAMES)},
                    flags={"flags": FIB_RULE_NAMES})
UID_RANGE = c_struct(F, "fib_rule_uid_range", "rtnl.rule.uid_range", label="fib_rule_uid_range")
PORT_RANGE = c_struct(F, "fib_rule_port_range", "rtnl.rule.port_range", label="fib_rule_port_range")

# members newer than 6.12's <linux/fib_rules.h>: FRA_FLOWLABEL and FRA_FLOWLABEL_MASK (6.14),
# FRA_SPORT_MASK, FRA_DPORT_MASK, FRA_DSCP_MASK (6.15), numbered after FRA_DSCP as the enum
# goes on; fib_rule_policy reads them as be32, be32, u16, u16, u8 (net/core/fib_rules.c)
_NEWER = ("FRA_FLOWLABEL", "FRA_FLOWLABEL_MASK", "FRA_SPORT_MASK", "FRA_DPORT_MASK", "FRA_DSCP_MASK")
FRA_NUMBERS = {**{k: v for k, v in vars(F).items() if k.startswith("FRA_") and isinstance(v, int)},
               **{n: F.FRA_DSCP + i for i, n in enumerate(_NEWER, 1)}}

RULE_ATTRS = AttrSet("rule", "rtnl.rule", {
    "FRA_DST": a("addr"),
    "FRA_SRC": a("addr"),
    "FRA_IIFNAME": a("string"),
    "FRA_GOTO": a("u32"),
    "FRA_PRIORITY": a("u32"),
    "FRA_FWMARK": a("u32"),
    "FRA_FLOW": a("u32"),
    "FRA_TUN_ID": a("u64", big_endian=True),
    "FRA_SUPPRESS_IFGROUP": a("u32"),
    "FRA_SUPPRESS_PREFIXLEN": a("u32"),
    "FRA_TABLE": a("u32", show=show_table),
    "FRA_FWMASK": a("u32", show=hex),
    "FRA_OIFNAME": a("string"),
    "FRA_PAD": a("pad"),
    "FRA_L3MDEV": a("u8"),
    "FRA_UID_RANGE": a("struct", struct=UID_RANGE),
    "FRA_PROTOCOL": a("u8", enum=RTPROT_NAMES),   # RTPROT_* (fib_nl_fill_rule)
    "FRA_IP_PROTO": a("u8"),
    "FRA_SPORT_RANGE": a("struct", struct=PORT_RANGE),
    "FRA_DPORT_RANGE": a("struct", struct=PORT_RANGE),
    "FRA_DSCP": a("u8"),
    "FRA_FLOWLABEL": a("u32", big_endian=True, show=hex),
    "FRA_FLOWLABEL_MASK": a("u32", big_endian=True, show=hex),
    "FRA_SPORT_MASK": a("u16", show=hex),
    "FRA_DPORT_MASK": a("u16", show=hex),
    "FRA_DSCP_MASK": a("u8", show=hex),
}, FRA_NUMBERS, strip="FRA_", label="rule")


def rule_info(root) -> str:
    """`pref 100 from 10.0.0.0/8 lookup 100`."""
    parts = []
    prio = top(root, "rtnl.rule.priority")
    if prio is not None:
        parts.append(f"pref {prio}")
    src = top(root, "rtnl.rule.src")
    parts.append(f"from {src}/{top(root, 'rtnl.rule.src_len')}" if src else "from all")
    table = attr_or_header(root, "rtnl.rule.table")   # FRA_TABLE wins over the u8 (frh_get_table)
    action = top(root, "rtnl.rule.action")
    if is_dump_request(root):
        return "dump"
    if action == F.FR_ACT_TO_TBL and table is not None:
        name = TABLE_NAMES.get(table)
        parts.append(f"lookup {name[9:].lower() if name else table}")
    elif action in FR_ACT_NAMES:
        parts.append(FR_ACT_NAMES[action][7:].lower())
    return " ".join(parts)


add_types(["RTM_NEWRULE", "RTM_DELRULE", "RTM_GETRULE"], RULE_HDR, RULE_ATTRS, rule_info, short_header=RTGENMSG)
