"""The kernel's own YNL specs, as linux-source-6.12 ships them (issue 16): every one loads;
where nlscope also has the family built in and a committed capture holds it, the spec
decodes the capture to the same values; the faults of a spec are named; families only a
spec describes decode from it alone.

The tree is the one tools/run-tests extracts into `.cache/linux-6.12/` (NLSCOPE_LINUX_612
may point at another extraction); the tests fail, never skip, without it."""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import pytest

import dissectors
from dissectors import Context, decode_frame
from dissectors.core import registry
from dissectors.ynl import SpecProtocol, load_spec, load_specs
from tests.conftest import CAPTURES, ROOT, decode_file
from tests.dissectors.build import msg, nla
from tests.dissectors.test_ynl import restore_tables  # noqa: F401  (a fixture)

SPECS_IN_TREE = Path("Documentation/netlink/specs")


def kernel_specs() -> Path:
    """The 6.12 tree's Documentation/netlink/specs; a test failure when it is missing."""
    places = [Path(os.environ["NLSCOPE_LINUX_612"])] if os.environ.get("NLSCOPE_LINUX_612") else []
    places += [ROOT / ".cache" / "linux-6.12", ROOT / ".cache" / "linux-6.12" / "linux-source-6.12"]
    for place in places:
        if (place / SPECS_IN_TREE).is_dir():
            return place / SPECS_IN_TREE
    pytest.fail("linux-source-6.12's Documentation/netlink/specs is missing: tools/run-tests extracts it into "
                f".cache/linux-6.12/ (looked in {', '.join(str(p) for p in places)}; NLSCOPE_LINUX_612 may name "
                "another extraction)")


# The 6.12 specs of families nlscope has built in and a committed capture holds (checked
# against what the tree and the captures say, below).
BOTH_WAYS = ["devlink", "ethtool", "fou", "mptcp_pm", "nftables", "nlctrl", "ovs_datapath", "ovs_flow", "ovs_vport",
             "rt_addr", "rt_link", "rt_route", "tc", "tcp_metrics", "team"]
# Families of 6.12 that only a spec describes: nlscope has them built in from that spec, kept as
# data (tools/gen_specs.py writes dissectors/generated/spec_*.py).
SPEC_ONLY = ["dpll", "handshake", "netdev", "nfsd"]

_BE = "big-endian in the kernel (NLA_BE*), the spec gives no byte-order"
_RATESPEC = ("struct tc-ratespec has overhead, cell-align and mpu as u8 (the kernel's are u16, s16, u16), "
             "so every member after them is misplaced")
_NO_FORMAT = "the sub-message has no format for it"

# Fields whose values a 6.12 spec reads otherwise than the kernel writes them, and why.
KNOWN_DIFFER = {
    "fou": {f"fou.{m}": "the spec says u32; the kernel puts an in_addr (nla_put_in_addr), shown as an address"
            for m in ("local_v4", "peer_v4")},
    "nftables": {
        "nftables.expr_counter_attrs.bytes": _BE, "nftables.expr_counter_attrs.packets": _BE,
        "nftables.set_attrs.id": _BE, "nftables.setelem_list_attrs.set_id": _BE,
    },
    "rt_link": {
        "rt_link.linkinfo_bridge_attrs.vlan_protocol": _BE, "rt_link.linkinfo_geneve_attrs.port": _BE,
        "rt_link.linkinfo_gre_attrs.oflags": _BE,
        "rt_link.ipv6_devconf.addr_gen_mode": "struct ipv6-devconf has addr-gen-mode as u8 (the kernel's "
                                              "DEVCONF_ADDR_GEN_MODE is one s32 of the array)",
        "rt_link.br_boolopt_multi.optval": "not a fault: the built-in shows IFLA_BR_MULTI_BOOLOPT as a "
                                           "bitfield32 (value, selector), the spec as struct br_boolopt_multi",
        "rt_link.br_boolopt_multi.optmask": "the same",
    },
    "tc": {f"tc.{st}.{m}": _RATESPEC for st in ("tc_htb_opt", "tc_police", "tc_tbf_qopt")
           for m in (("ceil" if st == "tc_htb_opt" else "peakrate") + "_cell_log",
                     ("ceil" if st == "tc_htb_opt" else "peakrate") + "_linklayer",
                     ("ceil" if st == "tc_htb_opt" else "peakrate") + "_overhead",
                     "rate_cell_align", "rate_mpu", "rate_overhead")}
    | {f"tc.tc_flower_attrs.{m}": "the kernel reads and dumps it in host order (nla_get_u16/u32, "
       "nla_put_u16/u32 in cls_flower.c): the spec says big-endian" for m in ("key_vlan_id", "key_cvlan_id",
                                                                            "key_mpls_label")}
    | {"tc.tc_flower_key_enc_opt_geneve_attrs.class": "the kernel copies it as __be16 (nla_get_be16): the spec "
                                                      "says host order"},
}

# What a 6.12 spec cannot decode of what the kernel (or iproute2) sends, seen in the
# committed captures, and why (none is nlscope's decoder's).
KNOWN_FAULTS = {
    "nftables": {
        "NFTABLES_A_EXPR_ATTRS_DATA: no decoder for NFTABLES_A_EXPR_ATTRS_NAME 'limit'": _NO_FORMAT,
        "NFTABLES_A_EXPR_ATTRS_DATA: no decoder for NFTABLES_A_EXPR_ATTRS_NAME 'log'": _NO_FORMAT,
        "NFTABLES_A_EXPR_ATTRS_DATA: no decoder for NFTABLES_A_EXPR_ATTRS_NAME 'queue'": _NO_FORMAT,
        "NFTABLES_A_EXPR_ATTRS_DATA: no decoder for NFTABLES_A_EXPR_ATTRS_NAME 'dup'": _NO_FORMAT,
        "NFTABLES_A_EXPR_ATTRS_DATA: no decoder for NFTABLES_A_EXPR_ATTRS_NAME 'match'": _NO_FORMAT,
        "NFTABLES_A_OBJ_ATTRS_DATA: no decoder for NFTABLES_A_OBJ_ATTRS_TYPE 4":
            "obj-data has no format for NFT_OBJECT_LIMIT",
        "setelem-list-elem-attrs: attribute 2 unknown":
            "nft numbers the elements of NFTA_SET_ELEM_LIST_ELEMENTS 1, 2, … (the kernel ignores their "
            "type); the spec's setelem-list-elem-attrs names only elem (1)",
        "attribute 1 unknown": "the contents of that unknown nest",
    },
    "rt_link": {
        # host-6.18/genl-tcp_metrics holds ip's link dumps from a 6.18 kernel
        **{f"link-attrs: attribute {n} unknown": "newer than 6.12's spec (IFLA_MAX_PACING_OFFLOAD_HORIZON, "
           "IFLA_NETNS_IMMUTABLE, IFLA_HEADROOM, IFLA_TAILROOM: a 6.18 kernel sends them)" for n in (66, 67, 68, 69)},
        "Malformed: attribute length 0 is shorter than its header":
            "an AF_BRIDGE link's IFLA_AF_SPEC holds IFLA_BRIDGE_* attributes, not per-family nests: the meaning "
            "depends on ifi_family, which a spec cannot say",
        "Malformed: attribute length 6 overruns its container (4 bytes left)": "the same",
        **{f"RT_LINK_A_LINKINFO_ATTRS_DATA: no decoder for RT_LINK_A_LINKINFO_ATTRS_KIND '{k}'": _NO_FORMAT
           for k in ("ip6gre", "ip6tnl", "ipvlan", "macsec", "macvlan", "veth", "vti", "vxlan")},
        "RT_LINK_A_LINKINFO_ATTRS_SLAVE_DATA: no decoder for RT_LINK_A_LINKINFO_ATTRS_SLAVE_KIND 'vrf'": _NO_FORMAT,
        # captures/daemons.pcapng
        **{f"bond-slave-attrs: attribute {n} unknown": "newer than 6.12's spec, which stops at prio (9): "
           "IFLA_BOND_SLAVE_ACTOR_PORT_PRIO and AD_CHURN_ACTOR/PARTNER_STATE, which Debian's 6.1 and 6.12 "
           "stable kernels put (bond_slave_fill_info)" for n in (10, 11, 12)},
        "RT_LINK_A_LINKINFO_ATTRS_SLAVE_DATA: RT_LINK_A_LINKINFO_ATTRS_SLAVE_KIND not seen first":
            "`ip link set DEV type bond_slave …` sends IFLA_INFO_KIND 'bond_slave' and no SLAVE_KIND; "
            "rtnl_newlink() reads the slave data by the master's policy, which a sub-message selector cannot say",
        **{f"RT_LINK_A_IFLA_ATTRS_CONF: struct ipv4-devconf needs 132 bytes, got {n}":
           "a request's IFLA_INET_CONF is a nest of u32 attributes typed IPV4_DEVCONF_* (inet_set_link_af; "
           "keepalived's VMAC set-up), the spec knows only the array the kernel dumps" for n in (16, 32)},
        "struct ifla-icmp6-stats is shorter than the kernel's": "the kernel sends __ICMP6_MIB_MAX u64 counters, "
                                                                 "more than the spec lists",
        "struct ifla-inet6-stats is shorter than the kernel's": "likewise __IPSTATS_MIB_MAX counters",
        "struct ipv6-devconf is shorter than the kernel's": "the kernel sends DEVCONF_MAX s32 values, more than "
                                                            "the spec lists",
        "struct rtnl-link-ifmap is shorter than the kernel's": "the spec omits the struct's 4 bytes of tail "
                                                               "padding (32 bytes, not 28)",
    },
    "rt_addr": {"Malformed: attribute length 0 is shorter than its header":
                # captures/daemons.pcapng: keepalived's netlink_request() sends its RTM_GETADDR dumps
                # with a struct ifinfomsg and IFLA_EXT_MASK (24 bytes); inet_dump_ifaddr() on a
                # non-strict socket reads the family only.  The built-in reads it so; a spec's fixed
                # header is struct ifaddrmsg, and dissectors/ynl.py hands the built-in only headers
                # *shorter* than the spec's, not legacy bodies that are longer
                "a legacy dump header longer than the spec's (keepalived's ifinfomsg): ynl.py does not "
                "fall back to the built-in for it"},
    "rt_route": {"struct rta-cacheinfo is shorter than the kernel's": "the spec stops at rta-used: 5 of "
                                                                       "struct rta_cacheinfo's 8 members"},
    "tc": {
        "TC_A_TCA_STATS_ATTRS_APP: no decoder for TC_A_TC_ATTRS_KIND 'htb'": _NO_FORMAT,
        "TC_A_TC_ATTRS_XSTATS: no decoder for TC_A_TC_ATTRS_KIND 'htb'": _NO_FORMAT,
        "struct gnet-stats-basic is shorter than the kernel's": "the spec omits the 4 bytes of tail padding "
                                                                "after packets (16 bytes, not 12)",
        "struct tc-htb-opt is shorter than the kernel's": _RATESPEC,
        "struct tc-police is shorter than the kernel's": _RATESPEC,
        "struct tc-tbf-qopt is shorter than the kernel's": _RATESPEC,
        "struct tc-stats is shorter than the kernel's": "the spec stops at qlen: no backlog, nor the tail "
                                                        "padding (40 bytes)",
        "struct tc-u32-sel is shorter than the kernel's": "the spec's struct holds one tc_u32_key; the kernel "
                                                          "sends nkeys of them",
        # from captures/tc.pcapng (every kind, as 6.1 dumps it)
        **{f"TC_A_{a}: no decoder for TC_A_TC_ATTRS_KIND '{k}'": _NO_FORMAT
           for a in ("TCA_STATS_ATTRS_APP", "TC_ATTRS_XSTATS") for k in ("drr", "hfsc", "qfq")},
        "TC_A_TC_ATTRS_OPTIONS: no decoder for TC_A_TC_ATTRS_KIND 'skbprio'": _NO_FORMAT,
        **{f"TC_A_{a}: struct tc-fq-qd-stats needs 152 bytes": "6.1's struct tc_fq_qd_stats is shorter than "
           "6.12's (the spec's): the kernel sends sizeof() of its own" for a in ("TCA_STATS_ATTRS_APP",
                                                                               "TC_ATTRS_XSTATS")},
        "TC_A_TC_ATTRS_OPTIONS: struct tc-hfsc-qopt needs 2 bytes": "the spec has one options format for hfsc; "
            "a class's options are TCA_HFSC_* attributes, only the qdisc's are struct tc_hfsc_qopt",
        "struct tc-u32-pcnt is shorter than the kernel's": "the kernel sends struct tc_u32_pcnt and then one u64 "
                                                           "hit count per key (u32_dump)",
    },
}


def _fault(n) -> str:
    """One line naming what a node of the spec's decode could not decode."""
    text = n.text or ""
    if n.label == "trailing bytes (newer struct?)":
        return f"{n.field.name} is shorter than the kernel's"
    if n.label.startswith("attribute ") and "(unknown)" in n.label:
        owner = n.field.desc.split(":", 1)[0] if n.field.abbrev != "netlink.attr.unknown" else ""
        return f"{owner + ': ' if owner else ''}attribute {n.label.split()[1]} unknown"
    if text.endswith(")") and " (" in text:
        return f"{n.label.split(' [')[0]}: {text.rsplit(' (', 1)[1][:-1]}"
    return f"{n.label.split(' [')[0]}: {text.split(' at offset ')[0].split(': ')[0]}"


@lru_cache(maxsize=None)
def _built_in_decodes():
    """Each capture's messages, decoded by the built-ins (trees made now: a message makes
    its tree when first asked, with whatever is registered then)."""
    dissectors.load_families()
    out = {}
    # and the one capture of a family only 6.18's host had to record (tcp_metrics: ip tcp_metrics)
    for p in sorted(CAPTURES.glob("*.pcapng")) + [CAPTURES / "host-6.18" / "genl-tcp_metrics.pcapng"]:
        name = str(p.relative_to(CAPTURES))
        out[name] = decode_file(p)
        for m in out[name]:
            assert m.tree is not None
    return out


def _valued_leaves(m) -> list:
    """(offset, length, value, node) of each leaf holding a value; the bits of a flags
    value (`…flags.invert`, read from the value itself) are left out."""
    out = []
    stack = [(m.tree, None)]
    while stack:
        n, parent = stack.pop()
        if n.children:
            stack.extend((c, n) for c in n.children)
        elif n.value is not None and not n.status and not (isinstance(n.value, bool) and parent is not None
                                                          and isinstance(parent.value, int)):
            out.append((n.offset, n.length, n.value, n))
    return out


def _forms(v, length: int) -> set:
    """A value in every spelling it may have in one decode or the other: an integer signed
    or not, an address as text or bytes, a string with or without its NUL."""
    import socket
    if isinstance(v, bool):
        return {("bool", v)}
    out = {("v", v)}
    if isinstance(v, int):
        for width in {w for w in (length, length - 4) if w in (1, 2, 4, 8)} or {8}:   # a member, an attribute
            u = v % (1 << (8 * width))
            out.add(("int", u))
            if width == 4:
                out.add(("bytes", u.to_bytes(4, "big")))
    elif isinstance(v, (bytes, bytearray)):
        out.add(("bytes", bytes(v)))
        if len(v) in (1, 2, 4, 8):
            out.add(("int", int.from_bytes(v, "little")))
        out.add(("str", bytes(v).split(b"\0", 1)[0].decode("utf-8", "backslashreplace")))
    elif isinstance(v, str):
        out.add(("str", v))
        for fam in (socket.AF_INET, socket.AF_INET6):
            try:
                out.add(("bytes", socket.inet_pton(fam, v)))
            except OSError:
                pass
        if len(v) == 17 and v.count(":") == 5:
            out.add(("bytes", bytes.fromhex(v.replace(":", ""))))
    return out


def _compare(old, new) -> tuple[int, list]:
    """How many values the spec's decode shows, and the fields whose value differs from
    the built-in's for the same bytes (or that split a value the built-in reads whole)."""
    was: dict = {}
    spans = []
    for off, ln, v, _ in _valued_leaves(old):
        was.setdefault((off, ln), []).append(v)
        spans.append((off, off + ln, v))
    values, differ = 0, []
    for off, ln, v, n in _valued_leaves(new):
        values += 1
        mine = _forms(v, ln)
        same = was.get((off, ln))
        if same is not None:
            if not any(mine & _forms(w, ln) for w in same):
                differ.append(n.field.abbrev)
        else:
            # inside bytes the built-in shows whole (a struct it keeps raw; the value is the
            # node's tail, after an attribute's header): the same bytes; inside a number of
            # the built-in's: another layout
            around = [(b - len(w) if isinstance(w, (bytes, bytearray)) else a, w)
                      for a, b, w in spans if a <= off and off + ln <= b]
            if around and not any(isinstance(w, (bytes, bytearray)) and 0 <= off - a
                                  and mine & _forms(w[off - a:off - a + ln], ln) for a, w in around):
                differ.append(n.field.abbrev)
        # else: bytes the built-in shows no value for (padding it hides, a nest it leaves raw)
    return values, differ


def test_every_spec_of_the_kernel_loads(restore_tables):
    """Before: 6 of the tree's files were refused (an enum used before it is defined, a
    struct member holding a struct, a nest-type-value of two levels …)."""
    specs = sorted(kernel_specs().glob("*.yaml"))
    assert len(specs) == 19
    loaded = load_specs([kernel_specs()])
    assert sorted(o.spec_name if isinstance(o, SpecProtocol) else o.name for o in loaded) == sorted(
        p.stem.replace("_", "-") if p.stem.startswith("rt_") else p.stem for p in specs)


def test_the_lists_of_families_say_what_the_tree_and_the_captures_hold(restore_tables):
    dissectors.load_families()
    genl, protos = dict(registry.GENL_FAMILIES), dict(registry.PROTOCOLS)
    captured = {(m.protocol, m.family) for ms in _built_in_decodes().values() for m in ms}
    both, only = [], []
    for path in sorted(kernel_specs().glob("*.yaml")):
        obj = load_spec(path)
        if isinstance(obj, SpecProtocol):
            if protos.get(obj.number) is not None and any(p == obj.number for p, _ in captured):
                both.append(path.stem)
        elif getattr(genl.get(obj.name), "origin", "") == f"the kernel's {path.name} (Linux 6.12)":
            only.append(path.stem)
        elif obj.name in genl:
            if any(f == genl[obj.name].label for _, f in captured):
                both.append(path.stem)
    assert both == BOTH_WAYS and only == SPEC_ONLY


# fixed headers of another subsystem that shares a protocol's message types, chosen by the
# family byte as rtnetlink_rcv_msg() does (rtnl_get_link(family, type)); a spec names one
# layout per message type, so these messages are not its to decode: the CAN gateway's
# RTM_*ROUTE of AF_CAN carry struct rtcanmsg (net/can/gw.c; captures/tools.pcapng's cangw)
OTHER_SUBSYSTEMS = {"rtnl.cgw"}


def _another_subsystems(m) -> bool:
    return any(c.field.abbrev in OTHER_SUBSYSTEMS for c in m.tree.children or ())


@pytest.mark.parametrize("stem", BOTH_WAYS)
def test_the_kernels_spec_decodes_the_captures_like_the_built_in(stem, restore_tables):
    """Each message of the spec's family: every value the spec's decode shows is the one the
    built-in shows for the same bytes (names may differ); whatever it cannot decode is a
    fault of the spec, named in KNOWN_FAULTS."""
    built_in = _built_in_decodes()
    genl = dict(registry.GENL_FAMILIES)
    obj = load_spec(kernel_specs() / f"{stem}.yaml")
    raw = isinstance(obj, SpecProtocol)
    label = obj.spec_name if raw else obj.label
    messages = values = 0
    differ, faults = set(), set()
    for name, before in built_in.items():
        if not any((m.protocol == obj.number) if raw else (m.family == genl[obj.name].label) for m in before):
            continue   # no message of the family: the same decode, nothing to compare
        for old, new in zip(before, decode_file(CAPTURES / name), strict=True):
            if new.family != label or _another_subsystems(old):
                continue
            messages += 1
            faults.update(_fault(n) for n in new.tree.walk() if n.status)
            n_values, wrong = _compare(old, new)
            values += n_values
            differ.update(wrong)
    assert messages > 0 and values > messages
    known = KNOWN_DIFFER.get(stem, {})
    assert differ == set(known), (f"new: {sorted(differ - set(known))}", f"gone: {sorted(set(known) - differ)}")
    known = KNOWN_FAULTS.get(stem, {})
    assert faults == set(known), (f"new: {sorted(faults - set(known))}", f"gone: {sorted(set(known) - faults)}")


def _scalar(t: str) -> bytes | None:
    sizes = {"u8": 1, "s8": 1, "u16": 2, "s16": 2, "u32": 4, "s32": 4, "uint": 4, "sint": 4, "u64": 8, "s64": 8,
             "bitfield32": 8}
    if t in sizes:
        return bytes(range(1, sizes[t] + 1))
    return {"string": b"spec\0", "flag": b"", "binary": bytes(range(16)), "addr": bytes(range(4))}.get(t)


@pytest.mark.parametrize("stem", SPEC_ONLY)
def test_a_family_only_a_spec_describes_decodes_from_it(stem, restore_tables):
    """Nothing hand-written: each command, with one of each plain attribute of its set,
    decodes to named values with nothing unknown or malformed."""
    fam = load_spec(kernel_specs() / f"{stem}.yaml")
    assert registry.GENL_FAMILIES[fam.name] is fam
    ctx = Context({0x40: fam.name})
    checked = 0
    for cmd, mt in sorted(fam.commands.items()):
        attrs = mt.attrs or fam.attrs
        built = [nla(num, data) for num, spec in sorted(attrs.by_num.items())
                 if (data := _scalar(spec.type)) is not None]
        m = decode_frame(msg(0x40, 1, bytes([cmd, 1, 0, 0]) + b"".join(built)), protocol=16, ctx=ctx)[0]
        assert m.family == fam.label and m.type_name == mt.name
        bad = [(n.label, n.status, n.text) for n in m.tree.walk() if n.status]
        assert not bad, (mt.name, bad)
        named = [n for n in m.tree.children if n.field.abbrev.startswith(fam.abbrev + ".")]
        assert len(named) == len(built), mt.name
        checked += len(named)
    assert checked > 0


@pytest.mark.parametrize("stem,mtype,capture", [("rt_addr", 22, "mixed.pcapng"), ("rt_link", 18, "monitors.pcapng")])
def test_a_legacy_header_the_kernel_takes_is_not_malformed_under_a_spec(stem, mtype, capture, restore_tables):
    """iproute2's dump requests carry a 4-byte rtgenmsg where the spec's fixed header is longer;
    the kernel reads the family only.  The spec cannot say so: the built-in dissector decodes
    that message (it used to show as "Malformed: ifaddrmsg needs 8 bytes, 4 present")."""
    load_spec(kernel_specs() / f"{stem}.yaml")
    short = [m for m in decode_file(CAPTURES / capture)
             if m.protocol == 0 and m.type == mtype and "DUMP" in m.flag_names and m.length == 20]
    assert short
    for m in short:
        assert not m.malformed and not [n for n in m.tree.walk() if n.status], m.info
        assert [n for n in m.tree.children if n.label.startswith("Generic request (rtgenmsg), legacy header")]
        assert m.type_name.startswith("RT_")   # the message is still the spec's (its names)


def test_a_netlink_raw_spec_keeps_its_protocols_way_of_writing_types(restore_tables):
    """nfnetlink writes a type as subsystem:message (IPSET_CMD_CREATE (6:2)); with 6.12's
    nftables spec loaded every NETLINK_NETFILTER type was written as one number (1538), the
    spec's own (NFTABLES_CMD_NEWTABLE (2560)) and the other subsystems' alike; the batch
    messages are written as the built-in writes them (NFNL_MSG_BATCH_BEGIN (16))."""
    before = {(m.frame, m.index): m.tree.find("netlink.type").text for m in decode_file(CAPTURES / "nf-diag.pcapng")
              if m.protocol == 12}
    load_spec(kernel_specs() / "nftables.yaml")
    after = {(m.frame, m.index): (m.type_name, m.tree.find("netlink.type").text)
             for m in decode_file(CAPTURES / "nf-diag.pcapng") if m.protocol == 12}
    assert before.keys() == after.keys() and len(before) > 50
    spec_own = [text for name, text in after.values() if name.startswith("NFTABLES_CMD_")]
    assert spec_own and all(re.fullmatch(r"NFTABLES_CMD_\w+ \((10:\d+|16|17)\)", t) for t in spec_own), spec_own[:3]
    others = {k: text for k, (name, text) in after.items() if not name.startswith("NFTABLES_CMD_")}
    assert others and all(before[k] == text for k, text in others.items())


# --- what a spec falls back to does not depend on what was imported before it (issue 14) -----
_ORDER_PROBE = r"""
import hashlib, json, sys
from pathlib import Path
first = sys.argv[1]
if first == "built-ins":
    import dissectors
    dissectors.load_families()
elif first == "a-decode":
    from tests.conftest import decode_file
    decode_file(Path(sys.argv[3]))       # the built-ins loaded by a decode, as a script would
from dissectors.core import registry
from dissectors.ynl import load_spec
spec = load_spec(sys.argv[2])
below = spec.fallback
from tests.conftest import decode_file
msgs = decode_file(Path(sys.argv[3]))
h = hashlib.sha256()
for m in msgs:
    h.update(json.dumps([m.family, m.info, m.to_json()], sort_keys=True, default=str).encode())
print(json.dumps({"fallback": type(below).__module__ + "." + type(below).__name__ if below else None,
                  "registered": registry.PROTOCOLS[spec.number] is spec, "families": sorted({m.family for m in msgs}),
                  "hash": h.hexdigest()}))
"""


def test_a_raw_spec_falls_back_to_the_built_in_whatever_was_loaded_before():
    """rt_addr.yaml names RTM_*ADDR only: the links and routes of the same capture are the
    built-in rtnetlink's to decode, whether the spec is loaded in a fresh interpreter, after
    load_families() or after a decode; the three decodes are one."""
    import json
    import subprocess
    import sys
    spec, cap = kernel_specs() / "rt_addr.yaml", CAPTURES / "rtnl-deep.pcapng"
    outs = []
    for first in ("nothing", "built-ins", "a-decode"):
        r = subprocess.run([sys.executable, "-c", _ORDER_PROBE, first, str(spec), str(cap)], capture_output=True,
                           text=True, timeout=300, cwd=ROOT)
        assert r.returncode == 0, r.stderr[-2000:]
        outs.append(json.loads(r.stdout))
    assert outs[0]["fallback"] == "dissectors.families.rtnetlink.protocol.RouteProtocol", outs[0]
    assert outs[0]["registered"] and {"rtnetlink", "rt-addr"} <= set(outs[0]["families"]), outs[0]
    assert outs[0] == outs[1] == outs[2]
