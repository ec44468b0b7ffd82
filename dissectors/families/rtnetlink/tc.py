"""Traffic control: qdiscs, classes, filters, chains (struct tcmsg + TCA_*) and actions
(struct tcamsg + TCA_ROOT_*), with TCA_OPTIONS decoded by TCA_KIND.

The kinds live beside this module, each registering into a table by kind: qdisc and class
options in tc_qdisc.py, filters in tc_cls.py (ematch trees in tc_ematch.py), actions in
tc_act.py, statistics (TCA_STATS2, TCA_XSTATS by kind) in tc_stats.py, what they share in
tc_common.py.  Names come from <linux/pkt_sched.h>, <linux/pkt_cls.h>, <linux/gen_stats.h>
and the tc_act / tc_ematch headers; struct layouts the header generator cannot read (they
use the `tc_gen` macro, arrays or nested structs) are declared in those modules.
"""
from __future__ import annotations

from construct import Int8ul, Int16sl, Int32sl, Int32ul

from ...core.attrs import a, enum_set
from ...core.schema import FixedStruct, c_struct, member, pad
from ...generated import pkt_sched as P, rtnetlink as R
from .common import show_af
from .protocol import add_types, is_dump_request, top
from .tc_act import ACTIONS
from .tc_cls import FILTER_KINDS as _FILTERS
from .tc_common import handle
from .tc_qdisc import QDISC_KINDS
from .tc_stats import ESTIMATOR, STATS2, TC_STATS, XSTATS

TCMSG = FixedStruct("tcmsg", "rtnl.tc", [
    member("family", Int8ul, show_af), pad(3), member("ifindex", Int32sl),
    member("handle", Int32ul, handle), member("parent", Int32ul, handle), member("info", Int32ul, hex)],
    label="Traffic control message (tcmsg)")

# TCA_STAB: the size table (qdisc_get_stab / qdisc_dump_stab): struct tc_sizespec, then tsize u16 slots
SIZESPEC = FixedStruct("tc_sizespec", "rtnl.tc.stab.sizespec", [
    member("cell_log", Int8ul), member("size_log", Int8ul), member("cell_align", Int16sl),
    member("overhead", Int32sl), member("linklayer", Int32ul), member("mpu", Int32ul), member("mtu", Int32ul),
    member("tsize", Int32ul)], label="tc_sizespec")
STAB = enum_set("stab", "rtnl.tc.stab", P, "TCA_STAB_UNSPEC", "TCA_STAB_", {
    "BASE": a("struct", struct=SIZESPEC), "DATA": a("array", sub="u16")}, label="size table")

FILTER_KINDS = set(_FILTERS)
OPTIONS_BY_KIND = {**QDISC_KINDS, **_FILTERS}
TC_ATTRS = enum_set("tc", "rtnl.tc", R, "TCA_UNSPEC", "TCA_", {
    "KIND": "string", "OPTIONS": a("submsg", selector="TCA_KIND", choices=OPTIONS_BY_KIND),
    "STATS": a("struct", struct=TC_STATS), "XSTATS": XSTATS, "RATE": a("struct", struct=ESTIMATOR), "FCNT": "u32",
    "STATS2": a("nest", nested=STATS2), "STAB": a("nest", nested=STAB), "PAD": "pad", "DUMP_INVISIBLE": "flag",
    "CHAIN": "u32",
    "HW_OFFLOAD": "u8", "INGRESS_BLOCK": "u32", "EGRESS_BLOCK": "u32", "DUMP_FLAGS": "bitfield32",
    "EXT_WARN_MSG": "string"}, label="traffic control")
TCAMSG = c_struct(R, "tcamsg", "rtnl.action", strip="tca_", label="tcamsg", show={"family": show_af})
ROOT = enum_set("action_root", "rtnl.action", R, "TCA_ROOT_UNSPEC", "TCA_ROOT_", {
    "TAB": ACTIONS, "FLAGS": "bitfield32", "COUNT": "u32", "TIME_DELTA": a("u32", unit="ms"),
    "EXT_WARN_MSG": "string"}, label="actions")


def tc_info(root) -> str:
    """`htb 1: root dev 3`, `u32 parent ffff:fff2 prio 1 dev 3`, …"""
    kind = top(root, "rtnl.tc.kind")
    parts = [kind or ("dump" if is_dump_request(root) else "")]
    h = top(root, "rtnl.tc.handle")
    if h:
        parts.append(handle(h))
    parent = top(root, "rtnl.tc.parent")
    if parent is not None:
        parts.append("root" if parent == 0xFFFFFFFF else f"parent {handle(parent)}")
    info = top(root, "rtnl.tc.info")
    if info and kind in FILTER_KINDS:
        parts.append(f"prio {info >> 16}")
    ifindex = top(root, "rtnl.tc.ifindex")
    if ifindex:
        parts.append(f"dev {ifindex}")
    chain = top(root, "rtnl.tc.chain")
    if chain:
        parts.append(f"chain {chain}")
    main = _main_parameter(root, kind)
    if main:
        parts.append(main)
    return " ".join(p for p in parts if p)


def _bandwidth(v: int) -> str:
    return f"{v * 8}bit"


# kind -> (the option tc qdisc/class show prints first, its word, how to show it): only
# what a summary decodes — an integer attribute of the options, or a member of options that
# are a bare struct (a struct inside an attribute is not decoded for the Info column)
MAIN_PARAMETER = {
    "sfq": ("rtnl.tc.sfq.perturb_period", "perturb", str), "pfifo": ("rtnl.tc.fifo.limit", "limit", str),
    "bfifo": ("rtnl.tc.fifo.limit", "limit", str), "pfifo_head_drop": ("rtnl.tc.fifo.limit", "limit", str),
    "plug": ("rtnl.tc.plug.limit", "limit", str), "skbprio": ("rtnl.tc.skbprio.limit", "limit", str),
    "multiq": ("rtnl.tc.multiq.bands", "bands", str), "mqprio": ("rtnl.tc.mqprio.qopt.num_tc", "tc", str),
    "hfsc": ("rtnl.tc.hfsc.qopt.defcls", "default", lambda v: f"{v:x}"),
    "pie": ("rtnl.tc.pie.limit", "limit", str), "fq_pie": ("rtnl.tc.fq_pie.limit", "limit", str),
    "codel": ("rtnl.tc.codel.limit", "limit", str), "fq": ("rtnl.tc.fq.plimit", "limit", str),
    "hhf": ("rtnl.tc.hhf.backlog_limit", "limit", str), "cake": ("rtnl.tc.cake.base_rate64", "bandwidth", _bandwidth),
    "ets": ("rtnl.tc.ets.nbands", "bands", str), "gred": ("rtnl.tc.gred.limit", "limit", str),
    "drr": ("rtnl.tc.drr.quantum", "quantum", str), "qfq": ("rtnl.tc.qfq.weight", "weight", str),
}


TCQ_PLUG_LIMIT = P.TCQ_PLUG_LIMIT
PLUG_WORDS = {P.TCQ_PLUG_BUFFER: "block", P.TCQ_PLUG_RELEASE_ONE: "release",
              P.TCQ_PLUG_RELEASE_INDEFINITE: "release_indefinite"}   # what tc calls them


def _main_parameter(root, kind) -> str | None:
    """`perturb 10` for sfq, `limit 1000` for pfifo, … (the Info's last word; kinds nlscope
    showed before keep the Info they had)."""
    want = MAIN_PARAMETER.get(kind)
    if want is None:
        return None
    field, word, show = want
    if kind == "plug":   # a struct tc_plug_qopt says what to do; only TCQ_PLUG_LIMIT has a number
        vals = {cc.field.abbrev: cc.value for c in root.children or () if c.field.abbrev == "rtnl.tc.options"
                for cc in c.children or ()}
        action = vals.get("rtnl.tc.plug.action")
        if action is not None and action != TCQ_PLUG_LIMIT:
            return PLUG_WORDS.get(action, f"action {action}")
    for c in root.children or ():
        if c.field.abbrev == "rtnl.tc.options":
            for cc in c.children or ():
                if cc.field.abbrev == field and isinstance(cc.value, int):
                    return f"{word} {show(cc.value)}"
                if field.startswith(cc.field.abbrev + ".") and cc.children:   # options starting with a struct
                    for m in cc.children:
                        if m.field.abbrev == field and isinstance(m.value, int):
                            return f"{word} {show(m.value)}"
    return None


def action_info(root) -> str:
    kinds = [n.value for n in root.find_all("rtnl.tc.act.kind")]
    return " ".join(kinds) or ("dump" if is_dump_request(root) else "")


add_types(["RTM_NEWQDISC", "RTM_DELQDISC", "RTM_GETQDISC", "RTM_NEWTCLASS", "RTM_DELTCLASS", "RTM_GETTCLASS",
           "RTM_NEWTFILTER", "RTM_DELTFILTER", "RTM_GETTFILTER", "RTM_NEWCHAIN", "RTM_DELCHAIN", "RTM_GETCHAIN"],
          TCMSG, TC_ATTRS, tc_info)
add_types(["RTM_NEWACTION", "RTM_DELACTION", "RTM_GETACTION"], TCAMSG, ROOT, action_info)
