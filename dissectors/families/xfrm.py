"""NETLINK_XFRM (6): IPsec security associations and policies (`ip xfrm`, strongSwan, libreswan).

Every XFRM_MSG_* type with its fixed struct (SA info/id, policy info/id, SPI allocation,
acquire, expire, async events, SAD/SPD info, defaults) and the XFRMA_* attributes:
algorithms (name and key length; the key itself only as its length and a digest, never
its bytes), templates, encapsulation, lifetimes, replay state, marks, offload, if_id.
GETSA and GETPOLICY dump requests carry no struct, only attributes (an address filter),
as the kernel parses them.
"""
from __future__ import annotations

from construct import Bytes, Int8ul, Int16ub, Int16ul, Int32sl, Int32ub, Int32ul, Int64ul

from ..core.attrs import FULL, a, enum_set, inet_addr_text, malformed, struct_array
from ..core.dissect import dissect_body
from ..core.header import NLMSG_HDRLEN, is_dump
from ..core.info import info
from ..core.registry import DEL, GET, NEW, OTHER, MessageType, Protocol, register_protocol
from ..core.schema import FixedStruct, c_struct, enum_show, flags_show, member, names_from, pad
from ..core.secrets import secret_node
from ..generated import xfrm as X
from ..model import FIELDS, STRING, UINT, Node

AF = {2: "AF_INET", 10: "AF_INET6", 0: "AF_UNSPEC"}
IPPROTO = {50: "esp", 51: "ah", 108: "comp", 41: "ipv6", 4: "ipip", 255: "any", 6: "tcp", 17: "udp", 1: "icmp",
           58: "icmpv6", 0: "any"}
MODES = names_from(X, "XFRM_MODE_", exclude=("MAX",))
DIRS = {0: "in", 1: "out", 2: "fwd"}
POL_ACTIONS = {0: "allow", 1: "block"}
SA_FLAGS = {getattr(X, n): n[len("XFRM_STATE_"):] for n in vars(X) if n.startswith("XFRM_STATE_")}
POL_FLAGS = {X.XFRM_POLICY_LOCALOK: "LOCALOK", X.XFRM_POLICY_ICMP: "ICMP"}


def _addr(name):
    return member(name, Bytes(16), inet_addr_text)


def selector(p: str = ""):
    """struct xfrm_selector's members (names prefixed with `p` where a struct holds two)."""
    return [_addr(p + "daddr"), _addr(p + "saddr"), member(p + "dport", Int16ub),
            member(p + "dport_mask", Int16ub, hex), member(p + "sport", Int16ub), member(p + "sport_mask", Int16ub, hex),
            member(p + "family", Int16ul, enum_show(AF)), member(p + "prefixlen_d", Int8ul),
            member(p + "prefixlen_s", Int8ul), member(p + "proto", Int8ul, enum_show(IPPROTO)), pad(3),
            member(p + "ifindex", Int32sl), member(p + "user", Int32ul)]


def xid():
    return [_addr("id_daddr"), member("spi", Int32ub, lambda v: f"{v:#010x}"),
            member("id_proto", Int8ul, enum_show(IPPROTO)), pad(3)]


LFT_CFG = [member(n, Int64ul) for n in ("soft_byte_limit", "hard_byte_limit", "soft_packet_limit",
                                         "hard_packet_limit", "soft_add_expires_seconds", "hard_add_expires_seconds",
                                         "soft_use_expires_seconds", "hard_use_expires_seconds")]


def lft_cfg(p: str = ""):
    return [member(p + m.name, m.con) for m in LFT_CFG]


def lft_cur(p: str = ""):
    return [member(p + n, Int64ul) for n in ("bytes", "packets", "add_time", "use_time")]


def sa_info_members():
    return [*selector(), *xid(), _addr("saddr_sa"), *lft_cfg(), *lft_cur(),
            member("stats_replay_window", Int32ul), member("stats_replay", Int32ul),
            member("stats_integrity_failed", Int32ul), member("seq", Int32ul), member("reqid", Int32ul),
            member("sa_family", Int16ul, enum_show(AF)), member("mode", Int8ul, enum_show(MODES)),
            member("replay_window", Int8ul), member("flags", Int8ul, flags_show(SA_FLAGS, 2)), pad(7)]


def pol_info_members(p: str = ""):
    return [*selector(p), *lft_cfg(p), *lft_cur(p), member(p + "priority", Int32ul), member(p + "index", Int32ul),
            member(p + "dir", Int8ul, enum_show(DIRS)), member(p + "action", Int8ul, enum_show(POL_ACTIONS)),
            member(p + "flags", Int8ul, flags_show(POL_FLAGS, 2)), member(p + "share", Int8ul), pad(4)]


SA_INFO = FixedStruct("xfrm_usersa_info", "xfrm.sa", sa_info_members(), label="xfrm_usersa_info")
SA_ID = FixedStruct("xfrm_usersa_id", "xfrm.sa_id", [
    _addr("daddr"), member("spi", Int32ub, lambda v: f"{v:#010x}"), member("family", Int16ul, enum_show(AF)),
    member("proto", Int8ul, enum_show(IPPROTO)), pad(1)], label="xfrm_usersa_id")
POL_INFO = FixedStruct("xfrm_userpolicy_info", "xfrm.policy", pol_info_members(), label="xfrm_userpolicy_info")
POL_ID = FixedStruct("xfrm_userpolicy_id", "xfrm.policy_id", [
    *selector(), member("index", Int32ul), member("dir", Int8ul, enum_show(DIRS)), pad(3)],
    label="xfrm_userpolicy_id")
SPI_INFO = FixedStruct("xfrm_userspi_info", "xfrm.spi", [*sa_info_members(), member("min", Int32ul),
                                                          member("max", Int32ul)], label="xfrm_userspi_info")
EXPIRE = FixedStruct("xfrm_user_expire", "xfrm.expire", [*sa_info_members(), member("hard", Int8ul), pad(7)],
                     label="xfrm_user_expire")
POLEXPIRE = FixedStruct("xfrm_user_polexpire", "xfrm.polexpire", [*pol_info_members(), member("hard", Int8ul),
                                                                  pad(7)], label="xfrm_user_polexpire")
ACQUIRE = FixedStruct("xfrm_user_acquire", "xfrm.acquire", [
    *xid(), _addr("saddr_acq"), *selector(), *pol_info_members("policy_"), member("aalgos", Int32ul, hex),
    member("ealgos", Int32ul, hex), member("calgos", Int32ul, hex), member("seqno", Int32ul)],
    label="xfrm_user_acquire")
AE_FLAGS = names_from(X, "XFRM_AE_", exclude=("UNSPEC",))
AEVENT = FixedStruct("xfrm_aevent_id", "xfrm.aevent", [
    _addr("daddr"), member("spi", Int32ub, lambda v: f"{v:#010x}"), member("family", Int16ul, enum_show(AF)),
    member("proto", Int8ul, enum_show(IPPROTO)), pad(1), _addr("saddr"),
    member("flags", Int32ul, flags_show(AE_FLAGS), flags=AE_FLAGS),
    member("reqid", Int32ul)], label="xfrm_aevent_id")
FLUSH = c_struct(X, "xfrm_usersa_flush", "xfrm.flush", label="xfrm_usersa_flush", show={"proto": enum_show(IPPROTO)})
U32_HDR = FixedStruct("u32 flags", "xfrm.info_flags", [member("flags", Int32ul, hex)], label="flags (u32)")
REPORT = FixedStruct("xfrm_user_report", "xfrm.report", [member("report_proto", Int8ul, enum_show(IPPROTO)), pad(3),
                                                         *selector()], label="xfrm_user_report")
DEFAULT = FixedStruct("xfrm_userpolicy_default", "xfrm.default", [
    member("in", Int8ul, enum_show({0: "unspec", 1: "block", 2: "accept"})),
    member("fwd", Int8ul, enum_show({0: "unspec", 1: "block", 2: "accept"})),
    member("out", Int8ul, enum_show({0: "unspec", 1: "block", 2: "accept"}))], label="xfrm_userpolicy_default")
MAPPING = FixedStruct("xfrm_user_mapping", "xfrm.mapping", [
    _addr("daddr"), member("spi", Int32ub, hex), member("family", Int16ul, enum_show(AF)),
    member("proto", Int8ul, enum_show(IPPROTO)), pad(1), member("reqid", Int32ul), _addr("old_saddr"),
    _addr("new_saddr"), member("old_sport", Int16ub), member("new_sport", Int16ub)], label="xfrm_user_mapping")
TMPL = FixedStruct("xfrm_user_tmpl", "xfrm.tmpl", [
    *xid(), member("family", Int16ul, enum_show(AF)), pad(2), _addr("saddr"), member("reqid", Int32ul),
    member("mode", Int8ul, enum_show(MODES)), member("share", Int8ul), member("optional", Int8ul), pad(1),
    member("aalgos", Int32ul, hex), member("ealgos", Int32ul, hex), member("calgos", Int32ul, hex)],
    label="xfrm_user_tmpl")
ENCAP = FixedStruct("xfrm_encap_tmpl", "xfrm.encap", [
    member("type", Int16ul, enum_show({1: "espinudp-nonike", 2: "espinudp", 7: "espintcp"})),
    member("sport", Int16ub), member("dport", Int16ub), pad(2), _addr("oa")], label="xfrm_encap_tmpl")

F_ALG_NAME = FIELDS.add("xfrm.alg.name", "Algorithm", STRING, "the algorithm's name")
F_KEY_BITS = FIELDS.add("xfrm.alg.key_len", "Key length (bits)", UINT, "")
F_KEY = FIELDS.add("xfrm.alg.key", "Key", STRING, "the key: its length and a digest only, never its bytes")
F_ICV = FIELDS.add("xfrm.alg.icv_len", "ICV / truncation length (bits)", UINT, "")


def _alg(extra: bool):
    """xfrm_algo (name[64], key_len bits, key) or, with `extra`, the auth/aead form with one
    more u32 (trunc_len / icv_len) before the key."""
    def decode(buf, start, end, order, req):
        head = 68 + (4 if extra else 0)
        if end - start < head:
            return [malformed(buf, start, end, f"algorithm shorter than its {head}-byte head")]
        name = bytes(buf[start:start + 64]).split(b"\0", 1)[0].decode("ascii", "replace")
        bits = int.from_bytes(buf[start + 64:start + 68], "little" if order == "<" else "big")
        out = [Node(F_ALG_NAME, name, start, 64), Node(F_KEY_BITS, bits, start + 64, 4)]
        if extra:
            out.append(Node(F_ICV, int.from_bytes(buf[start + 68:start + 72], "little" if order == "<" else "big"),
                            start + 68, 4))
        out.append(secret_node(F_KEY, buf, start + head, end, zeros=False))
        return out
    return decode


REPLAY = c_struct(X, "xfrm_replay_state", "xfrm.replay", label="xfrm_replay_state")
ADDRESS_FILTER = FixedStruct("xfrm_address_filter", "xfrm.filter", [
    _addr("saddr"), _addr("daddr"), member("family", Int16ul, enum_show(AF)), member("splen", Int8ul),
    member("dplen", Int8ul)], label="xfrm_address_filter")
LTIME = c_struct(X, "xfrm_lifetime_cur", "xfrm.lifetime_cur", label="xfrm_lifetime_cur")
SECRET = "secret"
SA_DIRS = names_from(X, "XFRM_SA_DIR_", exclude=())
XFRMA = enum_set("xfrm", "xfrm.attr", X, "xfrm_attr_type_t", "XFRMA_", {
    "ALG_AUTH": a("binary", hint=SECRET, decode=_alg(False)), "ALG_CRYPT": a("binary", hint=SECRET, decode=_alg(False)),
    "ALG_COMP": a("binary", hint=SECRET, decode=_alg(False)), "ENCAP": a("struct", struct=ENCAP),
    "TMPL": a("binary", decode=struct_array(TMPL, item="template")), "SA": a("struct", struct=SA_INFO), "POLICY": a("struct", struct=POL_INFO),
    "SEC_CTX": "binary", "LTIME_VAL": a("struct", struct=LTIME), "REPLAY_VAL": a("struct", struct=REPLAY),
    "REPLAY_THRESH": "u32", "ETIMER_THRESH": "u32", "SRCADDR": a("binary", show=inet_addr_text),
    "COADDR": a("binary", show=inet_addr_text), "LASTUSED": "u64",
    "POLICY_TYPE": a("struct", struct=c_struct(X, "xfrm_userpolicy_type", "xfrm.policy_type")),
    "ALG_AEAD": a("binary", hint=SECRET, decode=_alg(True)),
    "ALG_AUTH_TRUNC": a("binary", hint=SECRET, decode=_alg(True)),
    "MARK": a("struct", struct=c_struct(X, "xfrm_mark", "xfrm.mark", show={"v": hex, "m": hex})),
    "TFCPAD": "u32", "REPLAY_ESN_VAL": "binary", "SA_EXTRA_FLAGS": a("u32", show=hex),
    "PROTO": a("u8", enum=IPPROTO), "PAD": "pad", "ADDRESS_FILTER": a("struct", struct=ADDRESS_FILTER),
    "OFFLOAD_DEV": a("struct", struct=c_struct(X, "xfrm_user_offload", "xfrm.offload")), "SET_MARK": a("u32", show=hex),
    "SET_MARK_MASK": a("u32", show=hex), "IF_ID": "u32", "MTIMER_THRESH": "u32",
    "SA_DIR": a("u8", enum=SA_DIRS), "NAT_KEEPALIVE_INTERVAL": a("u32", unit="s"), "SA_PCPU": "u32"}, label="xfrm")
SAD = enum_set("sad", "xfrm.sad", X, "xfrm_sadattr_type_t", "XFRMA_SAD_", {
    "CNT": "u32", "HINFO": a("struct", struct=c_struct(X, "xfrmu_sadhinfo", "xfrm.sad.hinfo_struct"))},
    label="SA database")
SPD = enum_set("spd", "xfrm.spd", X, "xfrm_spdattr_type_t", "XFRMA_SPD_", {
    "INFO": a("struct", struct=c_struct(X, "xfrmu_spdinfo", "xfrm.spd.info_struct")),
    "HINFO": a("struct", struct=c_struct(X, "xfrmu_spdhinfo", "xfrm.spd.hinfo_struct")),
    "IPV4_HTHRESH": a("struct", struct=c_struct(X, "xfrmu_spdhthresh", "xfrm.spd.hthresh4")),
    "IPV6_HTHRESH": a("struct", struct=c_struct(X, "xfrmu_spdhthresh", "xfrm.spd.hthresh6"))}, label="SP database")


@info(full_tree=True)   # the algorithm names are in structs; a dump request is all attributes
def xfrm_info(root) -> str:
    """`esp spi 0x00001000 10.40.0.1 → 10.40.0.2 tunnel` / `policy out 10.40.0.0/24 → 10.41.0.0/24`."""
    hdr = root.children[1] if root.children and len(root.children) > 1 and root.children[1].children else None
    if hdr is None or hdr.field.abbrev.startswith("xfrm.attr"):   # a dump request: attributes only
        return "dump" if hdr is not None else ""
    v = {c.field.abbrev.rsplit(".", 1)[1]: c for c in hdr.children}
    parts = []
    if "saddr_acq" in v:   # ACQUIRE: the SA wanted, for the flow that needs it
        proto = v.get("id_proto")
        return (f"acquire {IPPROTO.get(proto.value, proto.value) if proto is not None else ''} "
                f"{inet_addr_text(v['saddr_acq'].value)} → {inet_addr_text(v['id_daddr'].value)} for "
                f"{inet_addr_text(v['saddr'].value)} → {inet_addr_text(v['daddr'].value)} "
                f"{IPPROTO.get(v['proto'].value, v['proto'].value)}")
    if "hard" in v:   # EXPIRE: the state's soft or hard limit was reached
        parts.append("expired hard" if v["hard"].value else "expired soft")
    if "spi" in v:
        proto = v.get("id_proto") or v.get("proto")
        if proto is not None:
            parts.append(IPPROTO.get(proto.value, str(proto.value)))
        parts.append(f"spi {v['spi'].value:#010x}")
    if "saddr_sa" in v and "id_daddr" in v:
        parts.append(f"{inet_addr_text(v['saddr_sa'].value)} → {inet_addr_text(v['id_daddr'].value)}")
    elif "daddr" in v and "prefixlen_d" not in v:
        parts.append(f"dst {inet_addr_text(v['daddr'].value)}")
    if "mode" in v:
        parts.append(MODES.get(v["mode"].value, str(v["mode"].value))[len("XFRM_MODE_"):].lower())
    if "dir" in v and "prefixlen_d" in v:
        parts.insert(0, f"policy {DIRS.get(v['dir'].value, v['dir'].value)}")
        parts.append(f"{inet_addr_text(v['saddr'].value)}/{v['prefixlen_s'].value} → "
                     f"{inet_addr_text(v['daddr'].value)}/{v['prefixlen_d'].value}")
    alg = root.first("xfrm.alg.name")
    if alg:
        parts.append(alg)
    return " ".join(parts)


_HEADERS = {
    "NEWSA": SA_INFO, "UPDSA": SA_INFO, "DELSA": SA_ID, "GETSA": SA_ID, "NEWPOLICY": POL_INFO, "UPDPOLICY": POL_INFO,
    "DELPOLICY": POL_ID, "GETPOLICY": POL_ID, "ALLOCSPI": SPI_INFO, "ACQUIRE": ACQUIRE, "EXPIRE": EXPIRE,
    "POLEXPIRE": POLEXPIRE, "FLUSHSA": FLUSH, "FLUSHPOLICY": None, "NEWAE": AEVENT, "GETAE": AEVENT,
    "REPORT": REPORT, "MIGRATE": POL_ID, "NEWSADINFO": U32_HDR, "GETSADINFO": U32_HDR, "NEWSPDINFO": U32_HDR,
    "GETSPDINFO": U32_HDR, "MAPPING": MAPPING, "SETDEFAULT": DEFAULT, "GETDEFAULT": DEFAULT}
_DUMPED = ("GETSA", "GETPOLICY")   # their dump requests: attributes only


def _kind(word: str) -> str:
    return NEW if word.startswith(("NEW", "UPD", "ALLOC", "SET")) else DEL if word.startswith(("DEL", "FLUSH")) \
        else GET if word.startswith("GET") else OTHER


class XfrmProtocol(Protocol):
    number = 6
    name = "NETLINK_XFRM"
    label = "xfrm"
    abbrev = "xfrm"
    fields_only_here = True   # no other protocol makes a field named xfrm.…

    def __init__(self):
        self.types: dict[int, MessageType] = {}
        self.dumps: dict[int, MessageType] = {}
        for name in X.ENUMS["XFRM_MSG_BASE"]:
            if not name.startswith("XFRM_MSG_") or name == "XFRM_MSG_BASE":
                continue
            word = name[len("XFRM_MSG_"):]
            attrs = SAD if "SADINFO" in word else SPD if "SPDINFO" in word else XFRMA
            value = getattr(X, name)
            self.types[value] = MessageType(value, name, _kind(word), _HEADERS.get(word), attrs, info=xfrm_info)
            if word in _DUMPED:
                self.dumps[value] = MessageType(value, name, GET, None, XFRMA, info=xfrm_info)

    def message_type(self, buf, off, length, mtype, order, ctx):
        dump = self.dumps.get(mtype)
        if dump is not None and is_dump(buf, off, order):
            return dump
        return self.types.get(mtype)

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        attrs = dissect_body(buf, off + NLMSG_HDRLEN, off + length, mt, order, root, req=req)
        name_icmp_ports(root)
        return attrs


ICMP_PROTOS = (1, 58)   # IPPROTO_ICMP, IPPROTO_ICMPV6
ICMP_PORT_LABELS = {"sport": "ICMP type (sport)", "sport_mask": "ICMP type mask (sport_mask)",
                    "dport": "ICMP code (dport)", "dport_mask": "ICMP code mask (dport_mask)"}


def name_icmp_ports(root) -> None:
    """A selector of proto ICMP/ICMPv6 holds the ICMP type in sport and the code in dport
    (the kernel's xfrm_flowi_sport/xfrm_flowi_dport; `ip xfrm` prints them "type T code C")."""
    for node in root.walk():
        kids = node.children
        if not kids or node.field.abbrev == "netlink":
            continue
        by_abbrev = {c.field.abbrev: c for c in kids}
        for c in kids:
            ab = c.field.abbrev
            if not ab.endswith("sport") or c.value is None:
                continue
            prefix = ab[:-len("sport")]
            proto = by_abbrev.get(prefix + "proto")
            if proto is None or proto.value not in ICMP_PROTOS:
                continue
            for suffix, label in ICMP_PORT_LABELS.items():
                n = by_abbrev.get(prefix + suffix)
                if n is not None:
                    n.label = label


XFRM = register_protocol(XfrmProtocol())
