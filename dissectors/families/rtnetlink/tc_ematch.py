"""Extended matches (ematch trees) of the basic, cgroup and flow filters: TCA_*_EMATCHES.

The tree is TCA_EMATCH_TREE_HDR (struct tcf_ematch_tree_hdr) and TCA_EMATCH_TREE_LIST, whose
members are numbered 1, 2, … (the kernel's tcf_em_tree_validate() insists on it); each holds
a struct tcf_ematch_hdr, then the match's own data by its kind (<linux/pkt_cls.h> TCF_EM_*,
<linux/tc_ematch/tc_em_*.h>): a container's u32 reference, cmp's tcf_em_cmp, nbyte's
tcf_em_nbyte and pattern, u32's tc_u32_key, meta's attributes, text's tcf_em_text and pattern,
ipt's attributes.  A match flagged TCF_EM_SIMPLE carries a bare u32 instead.
"""
from __future__ import annotations

from construct import Bytes, Int8ul, Int16ul, Int32ul

from ...core.attrs import AttrSet, a, decode_attrs, malformed
from ...core.schema import c_struct, flags_show, member, names_from, pad
from ...generated import pkt_cls as C, tc_em_cmp as EC, tc_em_ipt as EI, tc_em_meta as EM, tc_em_text as ET
from ...model import Node
from .tc_common import S, struct

EM_KINDS = {getattr(C, n): n for n in ("TCF_EM_CONTAINER", "TCF_EM_CMP", "TCF_EM_NBYTE", "TCF_EM_U32", "TCF_EM_META",
                                       "TCF_EM_TEXT", "TCF_EM_VLAN", "TCF_EM_CANID", "TCF_EM_IPSET", "TCF_EM_IPT")}
EM_FLAGS = {C.TCF_EM_REL_AND: "AND", C.TCF_EM_REL_OR: "OR", C.TCF_EM_INVERT: "INVERT", C.TCF_EM_SIMPLE: "SIMPLE"}
LAYERS = names_from(C, "TCF_LAYER_", "TCF_LAYER_LINK")
OPNDS = names_from(C, "TCF_EM_OPND_", "TCF_EM_OPND_EQ")
ALIGNS = names_from(EC, "TCF_EM_ALIGN_", "TCF_EM_ALIGN_U8")

TREE_HDR = c_struct(C, "tcf_ematch_tree_hdr", "rtnl.tc.ematch.tree", label="tcf_ematch_tree_hdr")
EM_HDR = struct("tcf_ematch_hdr", "rtnl.tc.ematch.hdr", [
    member("matchid", Int16ul), member("kind", Int16ul, lambda v: f"{EM_KINDS.get(v, 'unknown')} ({v})"),
    member("flags", Int16ul, flags_show(EM_FLAGS, 4), flags=EM_FLAGS), pad(2)])
CONTAINER = struct("container", "rtnl.tc.ematch.container", [member("ref", Int32ul)], label="container: jump to")
SIMPLE = struct("simple", "rtnl.tc.ematch.simple", [member("value", Int32ul)], label="simple match value")
CMP = struct("tcf_em_cmp", "rtnl.tc.ematch.cmp", [
    member("val", Int32ul, hex), member("mask", Int32ul, hex), member("off", Int16ul),
    member("align_flags", Int8ul, lambda v: f"align {ALIGNS.get(v & 0xF, v & 0xF)}, flags {v >> 4:#x}"),
    member("layer_opnd", Int8ul, lambda v: f"layer {LAYERS.get(v & 0xF, v & 0xF)}, "
                                           f"{OPNDS.get(v >> 4, v >> 4)}")])
NBYTE = struct("tcf_em_nbyte", "rtnl.tc.ematch.nbyte", [
    member("off", Int16ul), member("len_layer", Int16ul, lambda v: f"len {v & 0xFFF}, layer "
                                                                   f"{LAYERS.get(v >> 12, v >> 12)}")])
U32_KEY = c_struct(C, "tc_u32_key", "rtnl.tc.ematch.u32", label="tc_u32_key", show={"mask": hex, "val": hex})
TEXT = struct("tcf_em_text", "rtnl.tc.ematch.text", [
    member("algo", Bytes(ET.TC_EM_TEXT_ALGOSIZ), lambda b: bytes(b).split(b"\0", 1)[0].decode("ascii", "replace")),
    member("from_offset", Int16ul), member("to_offset", Int16ul), member("pattern_len", Int16ul),
    member("layers", Int8ul, lambda v: f"from {LAYERS.get(v & 0xF, v & 0xF)}, to {LAYERS.get(v >> 4, v >> 4)}"),
    pad(1)])
META_IDS = names_from(EM, "TCF_META_ID_", "TCF_META_ID_VALUE")
META_TYPES = names_from(EM, "TCF_META_TYPE_", "TCF_META_TYPE_VAR")


def _meta_val(v: int) -> str:
    kind = v >> 12 & 0xF
    return f"{META_TYPES.get(kind, kind)} {META_IDS.get(v & 0x7FF, v & 0x7FF)}"


def _opnd(v: int) -> str:
    return OPNDS.get(v, str(v))


META_HDR = struct("tcf_meta_hdr", "rtnl.tc.ematch.meta.hdr", [
    member("left_kind", Int16ul, _meta_val), member("left_shift", Int8ul), member("left_op", Int8ul, _opnd),
    member("right_kind", Int16ul, _meta_val), member("right_shift", Int8ul), member("right_op", Int8ul, _opnd)])
META = S("em_meta", EM, "TCA_EM_META_UNSPEC", "TCA_EM_META_", {
    "HDR": a("struct", struct=META_HDR), "LVALUE": "binary", "RVALUE": "binary"},
    label="meta match", prefix="rtnl.tc.ematch.meta")
IPT = S("em_ipt", EI, "TCA_EM_IPT_UNSPEC", "TCA_EM_IPT_", {
    "HOOK": "u32", "MATCH_NAME": "string", "MATCH_REVISION": "u8", "NFPROTO": "u8", "MATCH_DATA": "binary"},
    label="xtables match", prefix="rtnl.tc.ematch.ipt")


def _data(buf, p: int, end: int, order: str, req, kind: int, flags: int) -> list:
    """The match's data after its tcf_ematch_hdr."""
    if flags & C.TCF_EM_SIMPLE or kind == C.TCF_EM_CONTAINER:
        st = SIMPLE if flags & C.TCF_EM_SIMPLE else CONTAINER
        if end - p < 4:
            return [malformed(buf, p, end, f"{st.label} needs 4 bytes")]
        return [st.node(buf, p, order, req=req)]
    if kind == C.TCF_EM_IPT:
        return decode_attrs(buf, p, end, IPT, order, 1, req)
    if kind == C.TCF_EM_META:
        return _meta(decode_attrs(buf, p, end, META, order, 1, req), order)
    st = {C.TCF_EM_CMP: CMP, C.TCF_EM_NBYTE: NBYTE, C.TCF_EM_U32: U32_KEY, C.TCF_EM_TEXT: TEXT}.get(kind)
    if st is None:   # canid, ipset, … : their bytes
        return [Node(EM_DATA_FIELD, bytes(buf[p:end]), p, end - p, None, label="match data")] if end > p else []
    if end - p < st.size:
        return [malformed(buf, p, end, f"{st.cname} needs {st.size} bytes")]
    out = [st.node(buf, p, order, req=req)]
    q = p + st.size
    if q < end:   # nbyte's and text's pattern
        out.append(Node(EM_DATA_FIELD, bytes(buf[q:end]), q, end - q, None, label="pattern"))
    return out


_LVALUE, _RVALUE = META.by_name["TCA_EM_META_LVALUE"].field, META.by_name["TCA_EM_META_RVALUE"].field


def _meta(nodes: list, order: str) -> list:
    """The operands of a meta match shown as the header's types say (em_meta.c's
    meta_var_change / meta_int_change): TCF_META_TYPE_INT a u32 in the sender's order (a
    value or a mask), TCF_META_TYPE_VAR bytes (a device name, …)."""
    hdr = next((n for n in nodes if n.field is META.by_name["TCA_EM_META_HDR"].field and n.children), None)
    if hdr is None:
        return nodes
    types = {_LVALUE: hdr.children[0].value >> 12 & 0xF, _RVALUE: hdr.children[3].value >> 12 & 0xF}
    for n in nodes:
        kind = types.get(n.field)
        if kind is None or not isinstance(n.value, bytes) or n.status:
            continue
        if kind == EM.TCF_META_TYPE_INT and len(n.value) == 4:
            n.text = str(int.from_bytes(n.value, "little" if order == "<" else "big"))
        elif kind == EM.TCF_META_TYPE_VAR:
            text = n.value.rstrip(b"\0")
            if text and all(32 <= c < 127 for c in text):
                n.text = repr(text.decode())
    return nodes


def _one(buf, start: int, end: int, order: str, req) -> list:
    """One member of TCA_EMATCH_TREE_LIST."""
    if end - start < EM_HDR.size:
        return [malformed(buf, start, end, f"tcf_ematch_hdr needs {EM_HDR.size} bytes")]
    hdr = EM_HDR.node(buf, start, order, req=req)
    kind, flags = hdr.children[1].value, hdr.children[2].value
    return [hdr, *_data(buf, start + EM_HDR.size, end, order, req, kind, flags)]


LIST = AttrSet("ematch_list", "rtnl.tc.ematch.list", {}, {}, label="ematches",
               default=a("binary", decode=_one))
EM_DATA_FIELD = LIST.default.field
EMATCHES = S("ematches", C, "TCA_EMATCH_TREE_UNSPEC", "TCA_EMATCH_TREE_", {
    "HDR": a("struct", struct=TREE_HDR), "LIST": a("nest", nested=LIST)}, label="ematch tree",
    prefix="rtnl.tc.ematch")
EMATCH_TREE = a("nest", nested=EMATCHES)
