"""nlctrl (GENL_ID_CTRL, 0x10): families, their operations, multicast groups and policies."""
from __future__ import annotations

import struct

from ...core.attrs import NLA_F_NET_BYTEORDER, Attr, AttrSet, a, c_string, scan_attrs
from ...core.control import POLICY_ATTRS
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import genetlink as G

OP_FLAG_NAMES = {G.GENL_ADMIN_PERM: "ADMIN_PERM", G.GENL_CMD_CAP_DO: "CAP_DO", G.GENL_CMD_CAP_DUMP: "CAP_DUMP",
                 G.GENL_CMD_CAP_HASPOL: "CAP_HASPOL", G.GENL_UNS_ADMIN_PERM: "UNS_ADMIN_PERM"}

OP_ATTRS = AttrSet("op", "genl.ctrl.op", {
    "CTRL_ATTR_OP_ID": a("u32"),
    "CTRL_ATTR_OP_FLAGS": a("u32", flags=OP_FLAG_NAMES),
}, G, strip="CTRL_ATTR_OP_", label="operation")

MCAST_ATTRS = AttrSet("mcast_grp", "genl.ctrl.mcast_grp", {
    "CTRL_ATTR_MCAST_GRP_NAME": a("string"),
    "CTRL_ATTR_MCAST_GRP_ID": a("u32"),
}, G, strip="CTRL_ATTR_MCAST_GRP_", label="multicast group")

OP_POLICY_ATTRS = AttrSet("op_policy", "genl.ctrl.op_policy", {
    "CTRL_ATTR_POLICY_DO": a("u32"),
    "CTRL_ATTR_POLICY_DUMP": a("u32"),
}, G, strip="CTRL_ATTR_POLICY_", label="operation policy")

# CTRL_ATTR_POLICY: { policy index: { attribute number: { NL_POLICY_TYPE_ATTR_* } } }
POLICY_ATTR_SET = AttrSet("policy_attr", "genl.ctrl.policy.attr", {}, {}, label="policy attributes",
                          default=Attr("nest", nested=POLICY_ATTRS))
POLICY_SET = AttrSet("policy", "genl.ctrl.policy", {}, {}, label="policies",
                     default=Attr("nest", nested=POLICY_ATTR_SET))
OP_POLICY_SET = AttrSet("op_policies", "genl.ctrl.op_policies", {}, {}, label="operation policies",
                        default=Attr("nest", nested=OP_POLICY_ATTRS))

CTRL_ATTRS = AttrSet("ctrl", "genl.ctrl", {
    "CTRL_ATTR_FAMILY_ID": a("u16", show=lambda v: f"{v:#06x} ({v})"),
    "CTRL_ATTR_FAMILY_NAME": a("string"),
    "CTRL_ATTR_VERSION": a("u32"),
    "CTRL_ATTR_HDRSIZE": a("u32"),
    "CTRL_ATTR_MAXATTR": a("u32"),
    "CTRL_ATTR_OPS": a("indexed-array", sub="nest", nested=OP_ATTRS),
    "CTRL_ATTR_MCAST_GROUPS": a("indexed-array", sub="nest", nested=MCAST_ATTRS),
    "CTRL_ATTR_POLICY": a("nest", nested=POLICY_SET),
    "CTRL_ATTR_OP_POLICY": a("nest", nested=OP_POLICY_SET),
    "CTRL_ATTR_OP": a("u32"),
}, G, strip="CTRL_ATTR_", label="nlctrl")


def _key(node) -> str:
    """The number of an entry of a set keyed by number (its label is `[n]`)."""
    return (node.label or "").strip("[]")


_U16 = {o: struct.Struct(o + "H") for o in "<>"}


def _ctrl_info_fast(buf, off: int, length: int, order: str, nl_flags: int) -> str | None:
    """ctrl_info from the bytes for a family (name, id, how many ops and groups: every
    `genl ctrl list` and every program's family lookup); None for a policy dump or anything
    unusual, which the tree then decides."""
    if length < 20:
        return None
    found = scan_attrs(buf, off + 20, off + length, order, _CTRL_FAST)   # after nlmsghdr, genlmsghdr
    if found is None or any(t in _CTRL_TREE or any(ty & NLA_F_NET_BYTEORDER for _, _, ty in spans)
                            for t, spans in found.items()):
        return None
    name = id_ = None
    ops = groups = 0
    for t, spans in found.items():   # as in the tree, the last of each counts
        start, stop, _ = spans[-1]
        if t == G.CTRL_ATTR_FAMILY_NAME:
            if stop == start:
                return None
            name = c_string(buf, start, stop)
        elif t == G.CTRL_ATTR_FAMILY_ID:
            if stop - start != 2:
                return None
            id_ = _U16[order].unpack_from(buf, start)[0]
        else:
            entries = scan_attrs(buf, start, stop, order)
            if entries is None:
                return None
            count = sum(len(v) for v in entries.values())
            if t == G.CTRL_ATTR_OPS:
                ops = count
            else:
                groups = count
    return _family_text(name, id_, ops, groups)


_CTRL_TREE = frozenset({G.CTRL_ATTR_POLICY, G.CTRL_ATTR_OP_POLICY})
_CTRL_FAST = frozenset({G.CTRL_ATTR_FAMILY_NAME, G.CTRL_ATTR_FAMILY_ID, G.CTRL_ATTR_OPS,
                        G.CTRL_ATTR_MCAST_GROUPS}) | _CTRL_TREE


@info(("genl.ctrl.family_name", "genl.ctrl.family_id", "genl.ctrl.ops", "genl.ctrl.mcast_groups",
       "genl.ctrl.policy", "genl.ctrl.policy.entry", "genl.ctrl.policy.attr.entry",
       "genl.ctrl.op_policy", "netlink.extack.policy.type", "genl.ctrl.op_policies.entry",
       "genl.ctrl.op_policy.do", "genl.ctrl.op_policy.dump"),
      levels=3,   # a policy dump part: policy, attribute, its rule
      fast=_ctrl_info_fast)
def ctrl_info(root) -> str:
    """`nl80211 id 0x1c 114 ops 6 groups`; a policy dump part: `policy 0 attr 3 NLA_U32`."""
    name = id_ = None
    ops = groups = 0
    policy = op_policy = None
    for c in root.children or ():
        ab = c.field.abbrev
        if ab == "genl.ctrl.family_name":
            name = c.value
        elif ab == "genl.ctrl.family_id" and isinstance(c.value, int):   # a wrong-sized one is raw bytes
            id_ = c.value
        elif ab == "genl.ctrl.ops":
            ops = len(c.children or ())
        elif ab == "genl.ctrl.mcast_groups":
            groups = len(c.children or ())
        elif ab == "genl.ctrl.policy":
            policy = c
        elif ab == "genl.ctrl.op_policy":
            op_policy = c
    if policy is not None and policy.children:
        idx = policy.children[0]
        attr = idx.children[0] if idx.children else None
        # the rule's type, wherever the kernel put it among the rule's attributes
        kind = next((c.text for c in (attr.children or ()) if c.field.abbrev == "netlink.extack.policy.type"),
                    "") if attr is not None else ""
        where = f"policy {_key(idx)}" + (f" attr {_key(attr)} {(kind or '').split(' (')[0]}" if attr is not None else "")
        return f"id {id_:#x} {where}" if id_ is not None else where
    if op_policy is not None and op_policy.children:
        op = op_policy.children[0]
        rules = " ".join(f"{c.field.abbrev.rsplit('.', 1)[1]} {c.value}" for c in op.children or ())
        return f"id {id_:#x} op {_key(op)} {rules}".strip() if id_ is not None else f"op {_key(op)} {rules}"
    return _family_text(name, id_, ops, groups)


def _family_text(name, id_, ops: int, groups: int) -> str:
    parts = [name or "all families"]
    if id_ is not None:
        parts.append(f"id {id_:#x}")
    if ops:
        parts.append(f"{ops} ops")
    if groups:
        parts.append(f"{groups} groups")
    return " ".join(parts)



CMD_NAMES = names_from(G, "CTRL_CMD_", exclude=("UNSPEC", "MAX"))
NLCTRL = register_genl_family(GenlFamily(
    "nlctrl", "genl.ctrl",
    {cmd: MessageType(G.GENL_ID_CTRL, name, kind_from_name(name), None, CTRL_ATTRS, info=ctrl_info)
     for cmd, name in CMD_NAMES.items()},
    CTRL_ATTRS))
