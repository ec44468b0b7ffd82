"""Control messages: NLMSG_ERROR (with the echoed request and extended ACK), NLMSG_DONE,
NLMSG_NOOP and NLMSG_OVERRUN.

struct nlmsgerr is `int error; struct nlmsghdr msg;` followed by the rest of the
request unless NLM_F_CAPPED says only its header was echoed (the kernel always caps
positive ACKs), then, with NLM_F_ACK_TLVS, the extended-ACK attributes (<linux/netlink.h>,
enum nlmsgerr_attrs).  NLMSG_DONE carries `int error` and, with NLM_F_ACK_TLVS, the
same attributes.
"""
from __future__ import annotations

import struct

from ..generated import netlink as H
from ..model import FIELDS, INT, NONE, STRING, Node
from .attrs import FULL, NLA_TYPE_MASK, TOO_DEEP, AttrSet, Request, a, decode_attrs, malformed
from .errors import error_name, errno_text
from .header import NLMSG_HDRLEN, NLMSGHDR_FAST
from .registry import PROTOCOLS
from .schema import names_from

POLICY_TYPES = names_from(H, "NL_ATTR_TYPE_", "netlink_attribute_type", exclude=())
POLICY_ATTRS = AttrSet("policy", "netlink.extack.policy", {
    "NL_POLICY_TYPE_ATTR_TYPE": a("u32", enum=POLICY_TYPES),
    "NL_POLICY_TYPE_ATTR_MIN_VALUE_S": a("s64"),
    "NL_POLICY_TYPE_ATTR_MAX_VALUE_S": a("s64"),
    "NL_POLICY_TYPE_ATTR_MIN_VALUE_U": a("u64"),
    "NL_POLICY_TYPE_ATTR_MAX_VALUE_U": a("u64"),
    "NL_POLICY_TYPE_ATTR_MIN_LENGTH": a("u32"),
    "NL_POLICY_TYPE_ATTR_MAX_LENGTH": a("u32"),
    "NL_POLICY_TYPE_ATTR_POLICY_IDX": a("u32"),
    "NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE": a("u32"),
    "NL_POLICY_TYPE_ATTR_BITFIELD32_MASK": a("u32", show=hex),
    "NL_POLICY_TYPE_ATTR_PAD": a("pad"),
    "NL_POLICY_TYPE_ATTR_MASK": a("u64", show=hex),
}, H, strip="NL_POLICY_TYPE_ATTR_", label="policy")

EXTACK_ATTRS = AttrSet("extack", "netlink.extack", {
    "NLMSGERR_ATTR_MSG": a("string"),
    "NLMSGERR_ATTR_OFFS": a("u32"),
    "NLMSGERR_ATTR_COOKIE": a("binary"),
    "NLMSGERR_ATTR_POLICY": a("nest", nested=POLICY_ATTRS),
    "NLMSGERR_ATTR_MISS_TYPE": a("u32"),
    "NLMSGERR_ATTR_MISS_NEST": a("u32"),
}, H, strip="NLMSGERR_ATTR_", label="extended ACK")

ERROR_FIELD = FIELDS.add("netlink.error", "Error", INT, "NLMSG_ERROR/NLMSG_DONE error code (0 = ACK)",
                         errno_text)
ECHO_FIELD = FIELDS.add("netlink.echo", "Echoed request", NONE, "the request an NLMSG_ERROR answers")
EXTACK_FIELD = FIELDS.add("netlink.extack", "Extended ACK", NONE, "extended ACK attributes")
OFFS_PATH_FIELD = FIELDS.add("netlink.extack.attr", "Offending attribute", STRING,
                             "the attribute NLMSGERR_ATTR_OFFS points at, as a path")
MISS_NAME_FIELD = FIELDS.add("netlink.extack.missing", "Missing attribute", STRING,
                             "name of the attribute NLMSGERR_ATTR_MISS_TYPE says is missing")
PAYLOAD_FIELD = FIELDS.add("netlink.payload", "Payload", "bytes", "message body not decoded further")
CAPPED_NOTE = FIELDS.add("netlink.echo.capped", "Capped", "bool", "only the request's header was echoed")
_I32 = {"<": struct.Struct("<i"), ">": struct.Struct(">i")}
_NLA_TYPE = {"<": struct.Struct("<H"), ">": struct.Struct(">H")}


def error_code(buf, off: int, length: int, order: str) -> int | None:
    """The error int of an NLMSG_ERROR/NLMSG_DONE at `off` (None if the body is too short)."""
    if length < NLMSG_HDRLEN + 4:
        return None
    return _I32[order].unpack_from(buf, off + NLMSG_HDRLEN)[0]


def echo_header(buf, off: int, length: int, flags: int, order: str):
    """The request an NLMSG_ERROR at `off` echoes: (offset, bytes of it to decode, its
    nlmsg_len, type and seq, capped), or None when its header is not all there."""
    eo = off + NLMSG_HDRLEN + 4
    end = off + length
    if end - eo < NLMSG_HDRLEN:
        return None
    e_len, e_type, _, e_seq, _ = NLMSGHDR_FAST[order].unpack_from(buf, eo)
    capped = bool(flags & H.NLM_F_CAPPED)
    avail = NLMSG_HDRLEN if capped else max(NLMSG_HDRLEN, min(e_len, end - eo))
    return eo, avail, e_len, e_type, e_seq, capped


def request_name(e_mt, e_type: int, protocol: int, ctx) -> str:
    """What the error column calls the echoed request: its message type's name, else (a
    capped generic-netlink echo has no command) the family, else the number."""
    if e_mt is not None:
        return e_mt.name
    proto = PROTOCOLS.get(protocol)
    return proto.type_text(e_type, None, ctx) if proto is not None and e_type >= 0x10 else f"{e_type:#06x}"


def dissect_error(buf, off, length, flags, protocol, order, ctx, root, dissect_message, pos, req: Request = FULL):
    """Decode an NLMSG_ERROR body into `root`; return a summary dict for the error column."""
    body = off + NLMSG_HDRLEN
    end = off + length
    if end - body < 4:
        root.add(malformed(buf, body, end, "NLMSG_ERROR body shorter than its error code"))
        return None
    code = _I32[order].unpack_from(buf, body)[0]
    root.add(Node(ERROR_FIELD, code, body, 4))
    info = {"code": code, "name": error_name(code), "extack": None, "request_type": None,
            "request_seq": None}
    echoed = echo_header(buf, off, length, flags, order)
    if echoed is None:
        if end > body + 4:
            root.add(malformed(buf, body + 4, end, "echoed request header truncated"))
        return info
    eo, avail, e_len, e_type, e_seq, capped = echoed
    inner = req.below(0)   # an echoed error may echo an error in turn: one depth limit for all
    if inner is None:
        root.add(malformed(buf, eo, end, f"echoed request: {TOO_DEEP}"))
        return info
    echo, e_mt, e_attrs, _ = dissect_message(buf, eo, avail, protocol, order, ctx, pos, declared_len=e_len,
                                             header_only=capped, req=inner)
    echo.field = ECHO_FIELD
    echo.label = "Echoed request" + (" (header only, NLM_F_CAPPED)" if capped else "")
    root.add(echo)
    info["request_type"] = request_name(e_mt, e_type, protocol, ctx)
    info["request_seq"] = e_seq
    tlv = eo + (NLMSG_HDRLEN if capped else ((avail + 3) & ~3))
    if flags & H.NLM_F_ACK_TLVS and tlv < end:
        info["extack"] = _extack(buf, tlv, end, order, root, echo, eo, e_attrs, req)
    elif tlv < end and any(buf[tlv:end]):
        root.add(Node(PAYLOAD_FIELD, bytes(buf[tlv:end]), tlv, end - tlv, label="Trailing bytes"))
    return info


def dissect_done(buf, off, length, flags, order, root, req: Request = FULL):
    body = off + NLMSG_HDRLEN
    end = off + length
    if end - body < 4:
        # some old senders end dumps with an empty NLMSG_DONE
        return {"code": 0, "name": "OK", "extack": None, "request_type": None, "request_seq": None} \
            if end == body else None
    code = _I32[order].unpack_from(buf, body)[0]
    root.add(Node(ERROR_FIELD, code, body, 4, label="Dump status"))
    info = {"code": code, "name": error_name(code), "extack": None, "request_type": None, "request_seq": None}
    if flags & H.NLM_F_ACK_TLVS and body + 4 < end:
        info["extack"] = _extack(buf, body + 4, end, order, root, None, None, None, req)
    return info


def _extack(buf, start, end, order, root, echo, echo_off, echo_attrs, req):
    children = decode_attrs(buf, start, end, EXTACK_ATTRS, order, 0, req)
    node = root.add(Node(EXTACK_FIELD, None, start, end - start, "", children, label="Extended ACK"))
    ext = {}
    for c in children:
        name = c.field.abbrev.rsplit(".", 1)[-1]
        if c.status:  # a value of the wrong size: shown malformed, not used to resolve anything
            continue
        if name in ("msg", "offs", "miss_type", "miss_nest"):
            ext[name] = c.value
        elif name == "cookie":
            ext["cookie"] = c.value.hex() if isinstance(c.value, bytes) else c.value
    if echo is not None and "offs" in ext:
        path = attr_path(echo, echo_off + ext["offs"])
        if path:
            ext["attr"] = path
            node.add(Node(OFFS_PATH_FIELD, path, echo_off + ext["offs"], 0, label="Offending attribute"))
    if "miss_type" in ext:
        name = _missing_name(buf, order, echo, echo_off, ext, echo_attrs)
        if name:
            ext["missing"] = name
            node.add(Node(MISS_NAME_FIELD, name, start, 0, label="Missing attribute"))
    # show the resolution next to the raw values
    for c in children:
        if c.field.abbrev.endswith(".offs") and "attr" in ext:
            c.text = f"{c.value} ({ext['attr']})"
        elif c.field.abbrev.endswith(".miss_type") and "missing" in ext:
            c.text = f"{c.value} ({ext['missing']})"
    return ext


def attr_path(echo: Node, abs_off: int) -> str | None:
    """'IFLA_LINKINFO/IFLA_INFO_KIND' for the attribute starting at `abs_off` in the echo."""
    chain = echo.path_to(abs_off)
    if len(chain) < 2 or chain[-1].offset != abs_off:
        return None
    return "/".join(n.field.name for n in chain[1:])


def _missing_name(buf, order, echo, echo_off, ext, top_attrs) -> str | None:
    """Name the missing attribute: MISS_TYPE is a number in the set of the nest MISS_NEST
    points at, or of the message's top level when there is no MISS_NEST."""
    if echo is None:
        return None
    aset = top_attrs
    if "miss_nest" in ext:
        chain = echo.path_to(echo_off + ext["miss_nest"])
        aset = None
        if len(chain) > 1 and chain[-1].offset == echo_off + ext["miss_nest"]:
            aset = set_inside(buf, order, chain[1:], top_attrs)
    if aset is None:
        return None
    spec = aset.by_num.get(ext["miss_type"])
    return spec.name if spec is not None else None


def set_inside(buf, order: str, chain, top) -> AttrSet | None:
    """The attribute set the decode used inside the last attribute of `chain` (attribute
    nodes from the message's top level down), followed from `top`, the set the decode
    used at the top level (the header's family already chose it): each attribute's spec by
    its number in its parent's set, then its nested set, array element set or the
    sub-message its selector chose.  None where the way is not known (a decode hook's
    bytes, an unknown attribute)."""
    aset, elements = top, False
    hdr = _NLA_TYPE[order]
    for node in chain:
        if aset is None or node.offset is None or node.length < 4 or node.offset + 4 > len(buf):
            return None
        if elements:   # an element [i] of an indexed array of nests: its members are `aset`'s
            elements = False
            continue
        spec = aset.by_num.get(hdr.unpack_from(buf, node.offset + 2)[0] & NLA_TYPE_MASK) or aset.default
        if spec is None or spec.field is not node.field:
            return None
        if spec.type == "nest":
            aset = spec.nested
        elif spec.type == "indexed-array" and spec.sub in (None, "nest"):
            aset, elements = spec.nested, True
        elif spec.type == "submsg":
            chosen = spec.choices.get(node.value) if spec.choices and node.value is not None else None
            aset = chosen if isinstance(chosen, AttrSet) else None
        else:
            return None
    return None if elements else aset
