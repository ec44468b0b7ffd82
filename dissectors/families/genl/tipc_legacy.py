"""The legacy TIPC configuration family "TIPC" (tipc-config's), net/tipc/netlink_compat.c.

Every message is generic-netlink command TIPC_GENL_CMD (1) with struct tipc_genlmsghdr after
genlmsghdr — the destination node and the real command, TIPC_CMD_* of <linux/tipc_config.h>,
in host byte order — and then TLVs: struct tlv_desc { __be16 tlv_len; __be16 tlv_type; }, the
length counting the 4-byte header, each padded to 4 bytes, their values in network byte order
(TIPC_TLV_UNSIGNED, NET_ADDR and PORT_REF a __be32, the names NUL-terminated strings, struct
tipc_node_info, tipc_link_info, tipc_bearer_config, tipc_link_config, tipc_name_table_query).
That is the netlink attribute layout in big-endian, which is how they are read here.

tipc_nl_compat_recv() answers in a copy of the request's own nlmsghdr, genlmsghdr and
tipc_genlmsghdr (NLM_F_REQUEST, seq and port id kept), its TLVs after them: the answer is told
from the request by its TLVs (`answer`): the types the command's reply carries
(TIPC_CMD_GET_BEARER_NAMES: BEARER_NAME; the SHOW commands: ULTRA_STRING) or an ERROR_STRING
are the kernel's; those the command takes (TIPC_CMD_GET_LINKS: NET_ADDR) the program's.  A
message with no TLV of a command that takes one is the kernel's answer (a SET accepted; a
request that leaves its TLV out shows so too); of a command that takes none (NOOP, an empty
bearer list) the answer is byte for byte its request, and shows as one.
"""
from __future__ import annotations

import re

from construct import Int16ul, Int32ub, Int32ul

from ...core.attrs import AttrSet, a, c_string, decode_attrs, malformed
from ...core.header import NLMSG_HDRLEN
from ...core.info import info
from ...core.registry import (GET, HEADER_STRUCTS, OTHER, GenlFamily, MessageType, kind_from_name,
                              register_genl_family)
from ...core.schema import FixedStruct, enum_show, member, names_from
from ...generated import tipc as T, tipc_config as C
from ...model import FIELDS, STRING, Node
from .protocol import GENL_HDRLEN

CMD_NAMES = names_from(C, "TIPC_CMD_", exclude=())
TLV_NAMES = names_from(C, "TIPC_TLV_", exclude=())
# the error string's first byte, when it is one of these codes (TIPC_CFG_*: tipc_get_err_tlv)
ERROR_CODES = {0x80: "TIPC_CFG_TLV_ERROR", 0x81: "TIPC_CFG_NOT_NET_ADMIN", 0x82: "TIPC_CFG_NOT_ZONE_MSTR",
               0x83: "TIPC_CFG_NO_REMOTE", 0x84: "TIPC_CFG_NOT_SUPPORTED", 0x85: "TIPC_CFG_INVALID_VALUE"}


def tipc_addr(v: int) -> str:
    """A TIPC node address as tipc-config prints it, <zone.cluster.node>."""
    return f"<{v >> 24}.{(v >> 12) & 0xFFF}.{v & 0xFFF}>"


def _addr_show(v: int) -> str:
    return f"{v:#010x} {tipc_addr(v)}"


def _error_text(v: str) -> str:
    """An error string, its code byte named (read as text, the byte shows escaped: `\\x84`)."""
    m = re.match(r"\\x([0-9a-f]{2})", v)
    code = ERROR_CODES.get(int(m.group(1), 16)) if m else None
    if code is None:
        return repr(v)
    rest = v[4:].strip()
    return f"{code} {rest!r}" if rest else code


# struct tipc_genlmsghdr { __u32 dest; __u16 cmd; __u16 reserved; } (host byte order)
HEADER = FixedStruct("tipc_genlmsghdr", "tipc_legacy.hdr", [
    member("dest", Int32ul, _addr_show, desc="the node the command is for (0: this one)"),
    member("cmd", Int16ul, enum_show(CMD_NAMES), desc="TIPC_CMD_*"),
    member("reserved", Int16ul)], label="TIPC configuration header (tipc_genlmsghdr)")
NODE_INFO = FixedStruct("tipc_node_info", "tipc_legacy.node_info", [
    member("addr", Int32ub, _addr_show), member("up", Int32ub)], label="node")
NAME_TBL_QUERY = FixedStruct("tipc_name_table_query", "tipc_legacy.name_tbl_query", [
    member("depth", Int32ub, lambda v: f"{v & 0x7FFFFFFF}" + (" (all types)" if v & C.TIPC_NTQ_ALLTYPES else "")),
    member("type", Int32ub), member("lowbound", Int32ub), member("upbound", Int32ub)], label="name table query")


def _named_struct(cname: str, prefix: str, first: list, name: str, size: int, label: str, what: str):
    """A struct of __be32 members then a name, `char name[size]` (its field `prefix.name`, `what`
    it names): the kernel reads as many of the name's bytes as the TLV holds
    (tipc_nl_compat_bearer_enable, _link_set), so the name is what the bytes after the numbers
    hold, to its NUL."""
    head = FixedStruct(cname, prefix, first, label=label)
    name_field = FIELDS.add(f"{prefix}.name", "Name", STRING, what)

    def decode(buf, start, end, order, req):
        if end - start < head.size:
            return [head.node(buf, start, ">", length=end - start, req=req)]
        out = [head.node(buf, start, ">", req=req)]
        n = min(end - start - head.size, size)
        out.append(Node(name_field, c_string(buf, start + head.size, start + head.size + n),
                        start + head.size, n, label=name))
        return out
    return decode


LINK_INFO = _named_struct("tipc_link_info", "tipc_legacy.link_info", [
    member("dest", Int32ub, _addr_show), member("up", Int32ub)], "str", T.TIPC_MAX_LINK_NAME, "link",
    "the link's name (struct tipc_link_info.str)")
BEARER_CONFIG = _named_struct("tipc_bearer_config", "tipc_legacy.bearer_config", [
    member("priority", Int32ub), member("disc_domain", Int32ub, _addr_show)], "name", T.TIPC_MAX_BEARER_NAME,
    "bearer configuration", "the bearer's name, media:interface (tipc_bearer_config.name)")
LINK_CONFIG = _named_struct("tipc_link_config", "tipc_legacy.link_config", [
    member("value", Int32ub)], "name", T.TIPC_MAX_LINK_NAME, "link configuration",
    "the link's or bearer's name (tipc_link_config.name)")

# the TLV types, read as big-endian attributes (TIPC_TLV_NONE, 0, is "no TLV": unknown if sent)
TLVS = AttrSet("tipc_legacy_tlv", "tipc_legacy.tlv", {
    "TIPC_TLV_VOID": a("flag"), "TIPC_TLV_UNSIGNED": a("u32"), "TIPC_TLV_STRING": a("string"),
    "TIPC_TLV_LARGE_STRING": a("string"), "TIPC_TLV_ULTRA_STRING": a("string"),
    "TIPC_TLV_ERROR_STRING": a("string"), "TIPC_TLV_NET_ADDR": a("u32", show=_addr_show),
    "TIPC_TLV_MEDIA_NAME": a("string"), "TIPC_TLV_BEARER_NAME": a("string"), "TIPC_TLV_LINK_NAME": a("string"),
    "TIPC_TLV_NODE_INFO": a("struct", struct=NODE_INFO),
    "TIPC_TLV_LINK_INFO": a("binary", decode=LINK_INFO, show=lambda d: c_string(d, 8, len(d))),
    "TIPC_TLV_BEARER_CONFIG": a("binary", decode=BEARER_CONFIG, show=lambda d: c_string(d, 8, len(d))),
    "TIPC_TLV_LINK_CONFIG": a("binary", decode=LINK_CONFIG, show=lambda d: c_string(d, 4, len(d))),
    "TIPC_TLV_NAME_TBL_QUERY": a("struct", struct=NAME_TBL_QUERY), "TIPC_TLV_PORT_REF": a("u32"),
}, {n: getattr(C, n) for n in TLV_NAMES.values()}, strip="TIPC_TLV_", label="TIPC TLV")

# what each command takes ("tx") and what its answer carries ("rx"), as <linux/tipc_config.h>
# lists them and netlink_compat.c does
_TX = {"GET_NODES": "NET_ADDR", "GET_LINKS": "NET_ADDR", "SHOW_NAME_TABLE": "NAME_TBL_QUERY",
       "SHOW_LINK_STATS": "LINK_NAME", "SHOW_STATS": "UNSIGNED", "ENABLE_BEARER": "BEARER_CONFIG",
       "DISABLE_BEARER": "BEARER_NAME", "SET_LINK_TOL": "LINK_CONFIG", "SET_LINK_PRI": "LINK_CONFIG",
       "SET_LINK_WINDOW": "LINK_CONFIG", "SET_LOG_SIZE": "UNSIGNED", "RESET_LINK_STATS": "LINK_NAME",
       "SET_NODE_ADDR": "NET_ADDR", "SET_REMOTE_MNG": "UNSIGNED", "SET_MAX_PORTS": "UNSIGNED",
       "SET_MAX_PUBL": "UNSIGNED", "SET_MAX_SUBSCR": "UNSIGNED", "SET_MAX_ZONES": "UNSIGNED",
       "SET_MAX_CLUSTERS": "UNSIGNED", "SET_MAX_NODES": "UNSIGNED", "SET_MAX_SLAVES": "UNSIGNED",
       "SET_NETID": "UNSIGNED"}
_RX = {"GET_NODES": "NODE_INFO", "GET_MEDIA_NAMES": "MEDIA_NAME", "GET_BEARER_NAMES": "BEARER_NAME",
       "GET_LINKS": "LINK_INFO", "SHOW_NAME_TABLE": "ULTRA_STRING", "SHOW_PORTS": "ULTRA_STRING",
       "SHOW_LINK_STATS": "ULTRA_STRING", "SHOW_STATS": "ULTRA_STRING", "GET_REMOTE_MNG": "UNSIGNED",
       "GET_MAX_PORTS": "UNSIGNED", "GET_MAX_PUBL": "UNSIGNED", "GET_MAX_SUBSCR": "UNSIGNED",
       "GET_MAX_ZONES": "UNSIGNED", "GET_MAX_CLUSTERS": "UNSIGNED", "GET_MAX_NODES": "UNSIGNED",
       "GET_MAX_SLAVES": "UNSIGNED", "GET_NETID": "UNSIGNED", "DUMP_LOG": "ULTRA_STRING"}
_CMD = {v: k for k, v in CMD_NAMES.items()}
TAKES = {_CMD["TIPC_CMD_" + c]: getattr(C, "TIPC_TLV_" + t) for c, t in _TX.items() if "TIPC_CMD_" + c in _CMD}
GIVES = {_CMD["TIPC_CMD_" + c]: getattr(C, "TIPC_TLV_" + t) for c, t in _RX.items() if "TIPC_CMD_" + c in _CMD}
PAYLOAD = NLMSG_HDRLEN + GENL_HDRLEN + HEADER.size   # where the TLVs start


def _tlv_types(buf, off: int, length: int) -> list[int]:
    """The types of the TLVs a message holds, as far as their lengths chain (a SHOW answer's
    text, whose tlv_len leaves out its header, included: see _sprintf_text)."""
    out, p, end = [], off + PAYLOAD, off + length
    while end - p >= 4:
        ln, ty = int.from_bytes(buf[p:p + 2], "big"), int.from_bytes(buf[p + 2:p + 4], "big")
        if ty in _SPRINTF and p + 4 + ln == end:
            return out + [ty]
        if ln < 4 or p + ln > end:
            break
        out.append(ty)
        p += (ln + 3) & ~3
    return out


def _cmd(buf, off: int, order: str) -> int:
    return int.from_bytes(buf[off + NLMSG_HDRLEN + GENL_HDRLEN + 4:off + NLMSG_HDRLEN + GENL_HDRLEN + 6],
                          "big" if order == ">" else "little")


def _summary(n: Node) -> str:
    """One TLV in the Info column's words."""
    ab = n.field.abbrev
    if ab == "tipc_legacy.tlv.net_addr":
        return tipc_addr(n.value)
    if ab == "tipc_legacy.tlv.node_info":
        v = {c.field.abbrev.rsplit(".", 1)[1]: c.value for c in n.children or ()}
        return f"{tipc_addr(v.get('addr', 0))} {'up' if v.get('up') else 'down'}"
    if ab == "tipc_legacy.tlv.link_info":
        v = {c.field.abbrev.rsplit(".", 1)[1]: c.value for c in n.walk() if c is not n}
        return f"{v.get('name', '?')} {'up' if v.get('up') else 'down'}"
    if ab == "tipc_legacy.tlv.error_string" and isinstance(n.value, str):
        return "error " + _error_text(n.value)
    if isinstance(n.value, bytes) and n.text:   # a struct with a name: the name
        return n.text
    if ab in ("tipc_legacy.tlv.ultra_string", "tipc_legacy.tlv.large_string") and isinstance(n.value, str):
        lines = n.value.strip("\n").splitlines()
        return f"{len(lines)} lines" if len(lines) != 1 else repr(lines[0])
    if isinstance(n.value, (str, int)) and not isinstance(n.value, bool):
        return str(n.value) if not isinstance(n.value, str) or n.value else '""'
    return n.name


@info(full_tree=True)   # the TLVs' structs and names are made by decode hooks
def tipc_legacy_info(root) -> str:
    """`GET_LINKS <0.0.0>`, `GET_BEARER_NAMES eth:tl0`, `SHOW_STATS 12 lines`,
    `SET_NODE_ADDR error TIPC_CFG_NOT_SUPPORTED '…'`: the command and what its TLVs say."""
    cmd = root.first("tipc_legacy.hdr.cmd")
    name = CMD_NAMES.get(cmd, f"command {cmd:#06x}" if isinstance(cmd, int) else "?")
    parts = [name.removeprefix("TIPC_CMD_")]
    tlvs = [c for c in root.children or () if c.field.abbrev.startswith("tipc_legacy.tlv.")]
    words = [_summary(c) for c in tlvs[:8]]
    parts += words + ([f"… {len(tlvs) - 8} more"] if len(tlvs) > 8 else [])
    return " ".join(parts)


def _kind(name: str) -> str:
    return GET if ("_GET_" in name or "_SHOW_" in name) else kind_from_name(name)


TYPES = {v: MessageType(v, n, _kind(n), None, TLVS, info=tipc_legacy_info) for v, n in CMD_NAMES.items()}
HEADER_STRUCTS.add(HEADER)   # read with every message, as a family's fixed header is


class TipcLegacyFamily(GenlFamily):
    """One generic-netlink command; the real one in tipc_genlmsghdr, the TLVs big-endian, the
    answers in a copy of the request's header (see the module's docstring)."""

    echoes = True

    def body_command(self, buf, off, length, order):
        if length < PAYLOAD:
            return None
        cmd = _cmd(buf, off, order)
        mt = TYPES.get(cmd)
        if mt is None:
            mt = TYPES[cmd] = MessageType(cmd, f"command {cmd:#06x}", OTHER, None, TLVS, info=tipc_legacy_info) \
                if len(TYPES) < 256 else None
        return mt

    def answer(self, buf, off, length, order):
        if length < PAYLOAD:
            return False
        cmd, types = _cmd(buf, off, order), _tlv_types(buf, off, length)
        if C.TIPC_TLV_ERROR_STRING in types or (cmd in GIVES and GIVES[cmd] in types):
            return True
        if types or length > PAYLOAD:   # TLVs, or bytes that are none: the program's
            return False
        return cmd in TAKES   # nothing where the command takes a TLV: the kernel's answer

    def dissect_payload(self, buf, start, end, mt, order, root, req):
        if end - start < HEADER.size:
            root.add(malformed(buf, start, end, f"tipc_genlmsghdr needs {HEADER.size} bytes"))
            return True
        root.add(HEADER.node(buf, start, order, req=req))
        p = start + HEADER.size
        text = _sprintf_text(buf, p, end)
        if text is not None:
            root.add(text)
        else:
            root.children.extend(decode_attrs(buf, p, end, TLVS, ">", 0, req))
        return True


_SPRINTF = (C.TIPC_TLV_LARGE_STRING, C.TIPC_TLV_ULTRA_STRING)


def _sprintf_text(buf, p: int, end: int) -> Node | None:
    """The one TLV of a SHOW command's answer as the kernel writes it: tipc_tlv_init() sets its
    tlv_len to 0 and tipc_tlv_sprintf() adds the text's length alone, not the 4-byte header, so
    the text runs 4 bytes past tlv_len, to the message's end (no NUL, no padding).  None when
    the TLV there is not such a string, or its length says otherwise."""
    if end - p < 4:
        return None
    ln, ty = int.from_bytes(buf[p:p + 2], "big"), int.from_bytes(buf[p + 2:p + 4], "big")
    if ty not in _SPRINTF or p + 4 + ln != end:
        return None
    spec = TLVS.by_num[ty]
    return Node(spec.field, c_string(buf, p + 4, end), p, end - p, None, None, None,
                f"{spec.name} (tlv_len {ln}: the text alone, as tipc_tlv_sprintf() counts it)")


register_genl_family(TipcLegacyFamily("TIPC", "tipc_legacy", {C.TIPC_GENL_CMD: MessageType(
    C.TIPC_GENL_CMD, "TIPC_GENL_CMD", OTHER, None, TLVS)}, TLVS, label="TIPC (legacy)"))
