"""Lightweight-tunnel encapsulations besides ip/ip6 (route.py): what RTA_ENCAP (routes, and
each path of RTA_MULTIPATH) and NHA_ENCAP (nexthop objects) hold, chosen by their ENCAP_TYPE
(LWTUNNEL_ENCAP_*, net/core/lwtunnel.c) — mpls, ila, bpf, seg6, seg6local, rpl, ioam6, xfrm —
and the MPLS label stacks AF_MPLS routes carry (RTA_DST, RTA_NEWDST, net/mpls/af_mpls.c).

The attribute numbers and enums are generated from <linux/seg6_iptunnel.h>,
<linux/seg6_local.h>, <linux/mpls_iptunnel.h>, <linux/rpl_iptunnel.h> and
<linux/ioam6_iptunnel.h>; the structs inside them are those of <linux/seg6.h> (struct
ipv6_sr_hdr), <linux/seg6_hmac.h>, <linux/rpl.h> and <linux/ioam6.h>.
"""
from __future__ import annotations

import socket

from construct import Int8ul, Int16ub, Int32sl, Int32ub

from ...core.attrs import AttrSet, a, enum_set, malformed
from ...core.schema import FixedStruct, flags_show, member, names_from
from ...generated import ila as ILA_H, lwtunnel as LW
from ...generated import (ioam6_iptunnel as IOAM6_H, mpls_iptunnel as MPLS_H, rpl_iptunnel as RPL_H,
                          seg6_iptunnel as SEG6_H, seg6_local as SEG6_LOCAL_H)
from ...model import BYTES, FIELDS, IPV6, STRING, UINT, Node

# --- MPLS labels (struct mpls_label, <linux/mpls.h>: label:20 tc:3 bos:1 ttl:8, big endian) ---
F_LABEL = FIELDS.add("rtnl.mpls.label", "Label", UINT, "an MPLS label of a label stack (struct mpls_label)")


def label_text(v: int) -> str:
    """`100` or `100 (tc 3, ttl 64)`: the label, with the other fields when they are set
    (bos is the stack's end, implied by its position)."""
    rest = [f"{k} {x}" for k, x in (("tc", (v >> 9) & 7), ("ttl", v & 0xFF)) if x]
    return f"{v >> 12}" + (f" ({', '.join(rest)})" if rest else "")


def labels(data: bytes) -> list[int] | None:
    """The entries of a label stack, None unless it is whole 4-byte entries."""
    if not data or len(data) % 4:
        return None
    return [int.from_bytes(data[i:i + 4], "big") for i in range(0, len(data), 4)]


def stack_text(data: bytes) -> str:
    """A label stack as iproute2 prints it: `100/200`."""
    ents = labels(data)
    return "/".join(str(v >> 12) for v in ents) if ents else data.hex()


def label_stack(buf, start, end, order, req):
    """A label stack: one node per 4-byte struct mpls_label (nla_get_labels())."""
    out, p = [], start
    while p + 4 <= end:
        v = int.from_bytes(buf[p:p + 4], "big")
        out.append(Node(F_LABEL, v >> 12, p, 4, label_text(v)))
        p += 4
    if p < end:
        out.append(malformed(buf, p, end, "partial struct mpls_label"))
    return out


ENCAP_MPLS = AttrSet("encap_mpls", "rtnl.route.encap.mpls", {
    "MPLS_IPTUNNEL_DST": a("binary", decode=label_stack), "MPLS_IPTUNNEL_TTL": a("u8"),
}, MPLS_H, strip="MPLS_IPTUNNEL_", label="MPLS encapsulation")

# --- IPv6 segment routing headers (struct ipv6_sr_hdr, <linux/seg6.h>) --------------------------
SR6_FLAGS = {1 << 6: "SR6_FLAG1_PROTECTED", 1 << 5: "SR6_FLAG1_OAM", 1 << 4: "SR6_FLAG1_ALERT",
             1 << 3: "SR6_FLAG1_HMAC"}
SR6_TLVS = {1: "SR6_TLV_INGRESS", 2: "SR6_TLV_EGRESS", 3: "SR6_TLV_OPAQUE", 4: "SR6_TLV_PADDING",
            5: "SR6_TLV_HMAC"}
SRH = FixedStruct("ipv6_sr_hdr", "rtnl.srh", [
    member("nexthdr", Int8ul), member("hdrlen", Int8ul, desc="8-octet units after the first 8"),
    member("type", Int8ul), member("segments_left", Int8ul),
    member("first_segment", Int8ul, desc="the last entry's index"),
    member("flags", Int8ul, flags_show(SR6_FLAGS, 2), flags=SR6_FLAGS), member("tag", Int16ub)],
    label="Segment routing header (ipv6_sr_hdr)")
F_SEGMENT = FIELDS.add("rtnl.srh.segment", "Segment", IPV6, "a segment of an IPv6 segment routing header")
F_TLV = FIELDS.add("rtnl.srh.tlv", "TLV", BYTES, "a TLV after the segments (struct sr6_tlv)")
F_TLV_TYPE = FIELDS.add("rtnl.srh.tlv.type", "Type", UINT, "sr6_tlv type (SR6_TLV_*)")
F_TLV_LEN = FIELDS.add("rtnl.srh.tlv.len", "Length", UINT, "sr6_tlv length of its data")
F_HMAC_KEYID = FIELDS.add("rtnl.srh.tlv.hmackeyid", "HMAC key id", UINT, "sr6_tlv_hmac hmackeyid")
F_HMAC = FIELDS.add("rtnl.srh.tlv.hmac", "HMAC", BYTES, "sr6_tlv_hmac hmac")


def _srh_nodes(buf, start: int, end: int, order: str, req) -> list:
    """An SRH as seg6_validate_srh() reads it: the header, first_segment + 1 segments, then
    TLVs to the end of its (hdrlen + 1) * 8 bytes; bytes past that are malformed (the kernel
    refuses an SRH whose hdrlen does not match its attribute)."""
    if end - start < SRH.size:
        return [malformed(buf, start, end, "ipv6_sr_hdr needs 8 bytes")]
    out = [SRH.node(buf, start, order, req=req)]
    size = (buf[start + 1] + 1) * 8
    hend = min(end, start + size)
    if hend < start + size:
        out.append(malformed(buf, start + 1, start + 2, f"hdrlen {buf[start + 1]} means {size} bytes, "
                                                        f"{end - start} are here"))
    p = start + SRH.size
    for _ in range(buf[start + 4] + 1):
        if p + 16 > hend:
            break
        out.append(Node(F_SEGMENT, socket.inet_ntop(socket.AF_INET6, bytes(buf[p:p + 16])), p, 16))
        p += 16
    while p < hend:
        if hend - p < 2 or p + 2 + buf[p + 1] > hend:
            out.append(malformed(buf, p, hend, "truncated sr6_tlv"))
            break
        t, ln = buf[p], buf[p + 1]
        kids = [Node(F_TLV_TYPE, t, p, 1, f"{SR6_TLVS[t]} ({t})" if t in SR6_TLVS else None),
                Node(F_TLV_LEN, ln, p + 1, 1)]
        if t == 5 and ln >= 6:   # struct sr6_tlv_hmac: reserved u16, hmackeyid be32, hmac[]
            kids.append(Node(F_HMAC_KEYID, int.from_bytes(buf[p + 4:p + 8], "big"), p + 4, 4))
            kids.append(Node(F_HMAC, bytes(buf[p + 8:p + 2 + ln]), p + 8, ln - 6))
        out.append(Node(F_TLV, bytes(buf[p:p + 2 + ln]), p, 2 + ln, SR6_TLVS.get(t, f"type {t}"), kids))
        p += 2 + ln
    if hend < end:
        out.append(malformed(buf, hend, end, "bytes past the SRH's hdrlen"))
    return out


def _srh(buf, start, end, order, req):
    return _srh_nodes(buf, start, end, order, req)


# struct seg6_iptunnel_encap (<linux/seg6_iptunnel.h>): int mode, then the SRH
SEG6_MODES = names_from(SEG6_H, "SEG6_IPTUN_MODE_")
SEG6_ENCAP_HEAD = FixedStruct("seg6_iptunnel_encap", "rtnl.route.encap.seg6.encap", [
    member("mode", Int32sl, lambda v: f"{SEG6_MODES.get(v, 'unknown mode')} ({v})")],
    label="seg6_iptunnel_encap")


def _seg6_encap(buf, start, end, order, req):
    if end - start < SEG6_ENCAP_HEAD.size:
        return [malformed(buf, start, end, "seg6_iptunnel_encap needs its mode")]
    return [SEG6_ENCAP_HEAD.node(buf, start, order, req=req)] + _srh_nodes(buf, start + 4, end, order, req)


ENCAP_SEG6 = AttrSet("encap_seg6", "rtnl.route.encap.seg6", {
    "SEG6_IPTUNNEL_SRH": a("binary", decode=_seg6_encap)}, SEG6_H,
    strip="SEG6_IPTUNNEL_", label="seg6 encapsulation")

# --- seg6local (<linux/seg6_local.h>, net/ipv6/seg6_local.c seg6_local_policy) ------------------
SEG6_LOCAL_ACTIONS = names_from(SEG6_LOCAL_H, "SEG6_LOCAL_ACTION_")
# SEG6_LOCAL_FLV_OPERATION is a bit mask of the SEG6_LOCAL_FLV_OP_* numbers
SEG6_LOCAL_FLV_OPS = {1 << v: k for v, k in names_from(SEG6_LOCAL_H, "SEG6_LOCAL_FLV_OP_").items()}
SEG6_LOCAL_BPF = AttrSet("seg6local_bpf", "rtnl.route.encap.seg6local.bpf", {
    "SEG6_LOCAL_BPF_PROG": a("u32"), "SEG6_LOCAL_BPF_PROG_NAME": a("string")},
    SEG6_LOCAL_H, strip="SEG6_LOCAL_BPF_", label="End.BPF program")
SEG6_LOCAL_CNT = AttrSet("seg6local_counters", "rtnl.route.encap.seg6local.counters", {
    "SEG6_LOCAL_CNT_PAD": a("pad"), "SEG6_LOCAL_CNT_PACKETS": a("u64"), "SEG6_LOCAL_CNT_BYTES": a("u64"),
    "SEG6_LOCAL_CNT_ERRORS": a("u64")},
    SEG6_LOCAL_H, strip="SEG6_LOCAL_CNT_", label="seg6local counters")
SEG6_LOCAL_FLV = AttrSet("seg6local_flavors", "rtnl.route.encap.seg6local.flavors", {
    "SEG6_LOCAL_FLV_OPERATION": a("u32", flags=SEG6_LOCAL_FLV_OPS), "SEG6_LOCAL_FLV_LCBLOCK_BITS": a("u8"),
    "SEG6_LOCAL_FLV_LCNODE_FN_BITS": a("u8")},
    SEG6_LOCAL_H, strip="SEG6_LOCAL_FLV_", label="seg6local flavors")
ENCAP_SEG6_LOCAL = AttrSet("encap_seg6local", "rtnl.route.encap.seg6local", {
    "SEG6_LOCAL_ACTION": a("u32", enum=SEG6_LOCAL_ACTIONS), "SEG6_LOCAL_SRH": a("binary", decode=_srh),
    "SEG6_LOCAL_TABLE": a("u32"), "SEG6_LOCAL_NH4": a("binary", hint="ipv4"),
    "SEG6_LOCAL_NH6": a("binary", hint="ipv6"), "SEG6_LOCAL_IIF": a("u32"), "SEG6_LOCAL_OIF": a("u32"),
    "SEG6_LOCAL_BPF": a("nest", nested=SEG6_LOCAL_BPF), "SEG6_LOCAL_VRFTABLE": a("u32"),
    "SEG6_LOCAL_COUNTERS": a("nest", nested=SEG6_LOCAL_CNT), "SEG6_LOCAL_FLAVORS": a("nest", nested=SEG6_LOCAL_FLV),
}, SEG6_LOCAL_H, strip="SEG6_LOCAL_", label="seg6local encapsulation")

# --- RPL source routing header (struct ipv6_rpl_sr_hdr, <linux/rpl.h>; RFC 6554) --------------
RPL_HDR = FixedStruct("ipv6_rpl_sr_hdr", "rtnl.rpl", [
    member("nexthdr", Int8ul), member("hdrlen", Int8ul), member("type", Int8ul), member("segments_left", Int8ul),
    member("cmpr_pad", Int32ub, lambda v: f"cmpri {v >> 28}, cmpre {(v >> 24) & 15}, pad {(v >> 20) & 15}",
           desc="CmprI:4 CmprE:4 Pad:4 Reserved:20, as sent")], label="RPL source routing header (ipv6_rpl_sr_hdr)")
F_RPL_SEGMENT = FIELDS.add("rtnl.rpl.segment", "Segment", STRING,
                           "an RPL segment: an IPv6 address, or its last 16 - CmprI (CmprE) bytes")
F_RPL_PAD = FIELDS.add("rtnl.rpl.pad", "Pad", BYTES, "the RPL header's padding")


def _rpl_srh(buf, start, end, order, req):
    """The header, then n segments of 16 - CmprI bytes and a last one of 16 - CmprE, then Pad
    bytes (ipv6_rpl_srh_size()); the segment count follows from hdrlen, as the kernel's."""
    if end - start < RPL_HDR.size:
        return [malformed(buf, start, end, "ipv6_rpl_sr_hdr needs 8 bytes")]
    out = [RPL_HDR.node(buf, start, order, req=req)]
    w = int.from_bytes(buf[start + 4:start + 8], "big")
    cmpri, cmpre, padn = w >> 28, (w >> 24) & 15, (w >> 20) & 15
    hend = min(end, start + 8 + buf[start + 1] * 8)
    send = max(hend - padn, start + RPL_HDR.size)
    p = start + RPL_HDR.size
    while p < send:
        w = 16 - cmpre if send - p <= 16 - cmpre else 16 - cmpri
        if p + w > send:
            break
        seg = bytes(buf[p:p + w])
        out.append(Node(F_RPL_SEGMENT, socket.inet_ntop(socket.AF_INET6, seg) if w == 16 else seg.hex(), p, w))
        p += w
    if p < send:
        out.append(malformed(buf, p, send, "segments that do not fit CmprI/CmprE"))
    if send < hend:
        out.append(Node(F_RPL_PAD, bytes(buf[send:hend]), send, hend - send))
    if hend < end:
        out.append(malformed(buf, hend, end, "bytes past the RPL header's hdrlen"))
    return out


ENCAP_RPL = AttrSet("encap_rpl", "rtnl.route.encap.rpl", {
    "RPL_IPTUNNEL_SRH": a("binary", decode=_rpl_srh)}, RPL_H,
    strip="RPL_IPTUNNEL_", label="rpl encapsulation")

# --- IOAM (<linux/ioam6_iptunnel.h>; struct ioam6_trace_hdr of <linux/ioam6.h>) ---------------
IOAM6_MODES = names_from(IOAM6_H, "IOAM6_IPTUNNEL_MODE_", exclude=("UNSPEC", "MAX", "MIN"))
# on the wire (either bitfield order): namespace id, nodelen:5 overflow:1 (2 unused), remlen:7,
# then the 24-bit trace type (bit 0 the most significant) and 8 reserved bits
IOAM6_TRACE = FixedStruct("ioam6_trace_hdr", "rtnl.route.encap.ioam6.trace_hdr", [
    member("namespace_id", Int16ub),
    member("nodelen_overflow", Int8ul, lambda v: f"nodelen {v >> 3} (4-octet units), overflow {(v >> 2) & 1}",
           title="Nodelen, overflow"),
    member("remlen", Int8ul, lambda v: f"{v & 0x7F} (4-octet units free)"),
    member("type_be32", Int32ub, lambda v: f"{v >> 8:#08x}", desc="the 24-bit trace type: bit 0 is the top bit",
           title="Trace type")],
    label="IOAM trace header (ioam6_trace_hdr)")
ENCAP_IOAM6 = AttrSet("encap_ioam6", "rtnl.route.encap.ioam6", {
    "IOAM6_IPTUNNEL_MODE": a("u8", enum=IOAM6_MODES), "IOAM6_IPTUNNEL_DST": a("binary", hint="ipv6"),
    "IOAM6_IPTUNNEL_TRACE": a("struct", struct=IOAM6_TRACE), "IOAM6_IPTUNNEL_FREQ_K": a("u32"),
    "IOAM6_IPTUNNEL_FREQ_N": a("u32"), "IOAM6_IPTUNNEL_SRC": a("binary", hint="ipv6"),
}, IOAM6_H, strip="IOAM6_IPTUNNEL_", label="ioam6 encapsulation")

# --- bpf, xfrm (<linux/lwtunnel.h>) and ila (<linux/ila.h>, net/ipv6/ila/ila_lwt.c) -------------
BPF_PROG = enum_set("encap_bpf_prog", "rtnl.route.encap.bpf.prog", LW, "LWT_BPF_PROG_UNSPEC", "LWT_BPF_PROG_", {
    "FD": "u32", "NAME": "string"}, label="BPF program")
ENCAP_BPF = enum_set("encap_bpf", "rtnl.route.encap.bpf", LW, "LWT_BPF_UNSPEC", "LWT_BPF_", {
    "IN": a("nest", nested=BPF_PROG), "OUT": a("nest", nested=BPF_PROG), "XMIT": a("nest", nested=BPF_PROG),
    "XMIT_HEADROOM": "u32"}, label="bpf encapsulation")
ENCAP_XFRM = enum_set("encap_xfrm", "rtnl.route.encap.xfrm", LW, "LWT_XFRM_UNSPEC", "LWT_XFRM_", {
    "IF_ID": "u32", "LINK": "u32"}, label="xfrm encapsulation")
_CSUM = names_from(ILA_H, "ILA_CSUM_", "ILA_CSUM_ADJUST_TRANSPORT")
_IDENT = names_from(ILA_H, "ILA_ATYPE_", "ILA_ATYPE_IID")
_HOOK = names_from(ILA_H, "ILA_HOOK_", "ILA_HOOK_ROUTE_OUTPUT")
# ila_nl_policy: LOCATOR u64 (the __be64 as given), CSUM_MODE, IDENT_TYPE, HOOK_TYPE u8
ENCAP_ILA = enum_set("encap_ila", "rtnl.route.encap.ila", ILA_H, "ILA_ATTR_UNSPEC", "ILA_ATTR_", {
    "LOCATOR": a("u64", big_endian=True, show=lambda v: ":".join(f"{(v >> s) & 0xFFFF:x}" for s in (48, 32, 16, 0))),
    "IDENTIFIER": a("u64", big_endian=True), "LOCATOR_MATCH": a("u64", big_endian=True), "IFINDEX": "s32",
    "DIR": "u32", "PAD": "pad", "CSUM_MODE": a("u8", enum=_CSUM), "IDENT_TYPE": a("u8", enum=_IDENT),
    "HOOK_TYPE": a("u8", enum=_HOOK)}, label="ila encapsulation")

# LWTUNNEL_ENCAP_* -> set (ip and ip6 are route.py's)
ENCAPS = {LW.LWTUNNEL_ENCAP_MPLS: ENCAP_MPLS, LW.LWTUNNEL_ENCAP_ILA: ENCAP_ILA, LW.LWTUNNEL_ENCAP_BPF: ENCAP_BPF,
          LW.LWTUNNEL_ENCAP_SEG6: ENCAP_SEG6, LW.LWTUNNEL_ENCAP_SEG6_LOCAL: ENCAP_SEG6_LOCAL,
          LW.LWTUNNEL_ENCAP_RPL: ENCAP_RPL, LW.LWTUNNEL_ENCAP_IOAM6: ENCAP_IOAM6, LW.LWTUNNEL_ENCAP_XFRM: ENCAP_XFRM}
