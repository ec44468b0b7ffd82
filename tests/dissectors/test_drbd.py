"""drbd (DRBD 8.4, drivers/block/drbd/drbd_nl.c) from messages built as drbdsetup and the kernel
build them: struct drbd_genlmsghdr (a request's flags, the kernel's ret_code), the top-level nests
and their members with DRBD_GENLA_F_MANDATORY in nla_type (a flag, never a byte order), lengths as
each struct's nla_policy takes or refuses them, the state bit fields, the shared secret redacted;
and every number, name and type typed in dissectors/families/genl/drbd.py against drbd_genl.h,
drbd.h, drbd_genl_api.h and genl_magic_struct.h of 6.1 and 6.12 (and 6.12's drbd_strings.c and
drbd_nl.c), which none of tools/gen_uapi.py's UAPI headers hold."""
from __future__ import annotations

import glob
import json
import re
import struct
from pathlib import Path

import pytest

import dissectors
from dissectors import Context, decode_frame, format_tree
from dissectors.model import MALFORMED, UNKNOWN
from tests.dissectors.build import msg, nla
from tests.tools import tool

dissectors.load_families()
from dissectors.families.genl import drbd as D  # noqa: E402

H = D.H
FID = 0x20
NLM_F_REQUEST, NLM_F_ACK = 1, 4
ROOT = tool.ROOT
M = D.MANDATORY
NESTED = 0x8000


def T(tag: str, name: str) -> int:
    """The member's number in the struct of top-level attribute `tag`."""
    return D.SETS[tag].by_name["T_" + name].num


def nest(tag: str, *members: bytes, order: str = "<", flags: int = NESTED) -> bytes:
    return nla(D.TOP.by_name[tag].num | flags, b"".join(members), order)


def u32(num: int, v: int, mandatory=True, order="<") -> bytes:
    return nla(num | (M if mandatory else 0), struct.pack(order + "I", v), order)


def u64(num: int, v: int, mandatory=True, order="<") -> bytes:
    return nla(num | (M if mandatory else 0), struct.pack(order + "Q", v), order)


def u8(num: int, v: int, mandatory=True) -> bytes:
    return nla(num | (M if mandatory else 0), bytes([v]))


def string(num: int, s: str | bytes, mandatory=True, nul=True) -> bytes:
    data = s.encode() if isinstance(s, str) else s
    return nla(num | (M if mandatory else 0), data + (b"\0" if nul else b""))


def sockaddr_in(ip: str, port: int) -> bytes:
    import socket
    return struct.pack("<H", socket.AF_INET) + struct.pack(">H", port) + socket.inet_aton(ip) + bytes(8)


def frame(cmd: int, minor: int, word: int, attrs: bytes, request=True, order="<", pid=0, seq=7,
          drbd_hdr: bytes | None = None) -> bytes:
    hdr = drbd_hdr if drbd_hdr is not None else struct.pack(order + "Ii", minor, word)
    return msg(FID, NLM_F_REQUEST | NLM_F_ACK if request else 0, bytes([cmd, 1, 0, 0]) + hdr + attrs,
               seq=seq, pid=pid, order=order)


def decode(*args, whole=True, **kw):
    """The message decoded in full; `whole`: nothing in it has a status.  Its Info from a fresh
    decode is the one the full tree makes."""
    fr = frame(*args, **kw)
    order = kw.get("order", "<")
    cheap = decode_frame(fr, 16, Context({FID: "drbd"}))[0].info
    (m,) = decode_frame(fr, 16, Context({FID: "drbd"}))
    assert m.claimed and m.family == "drbd" and m.order == order
    assert cheap == m.message_type.info(m.tree)
    if whole:
        bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
        assert not bad and not m.malformed, bad
    return m


def statuses(m) -> list[tuple[str, str]]:
    return [(n.status, n.show) for n in m.tree.walk() if n.status]


def everything(m) -> str:
    values = [repr(n.value) for n in m.tree.walk()] + [n.show for n in m.tree.walk()]
    return "\n".join([format_tree(m.tree), json.dumps(m.to_json())] + values)


CTX = "DRBD_NLA_CFG_CONTEXT"


def ctx(res="r0", volume=None, my=None, peer=None, mandatory=True) -> bytes:
    members = []
    if volume is not None:
        members.append(u32(T(CTX, "ctx_volume"), volume, mandatory))
    if res is not None:
        members.append(string(T(CTX, "ctx_resource_name"), res, mandatory))
    if my is not None:
        members.append(nla(T(CTX, "ctx_my_addr") | (M if mandatory else 0), sockaddr_in(*my)))
    if peer is not None:
        members.append(nla(T(CTX, "ctx_peer_addr") | (M if mandatory else 0), sockaddr_in(*peer)))
    return nest(CTX, *members)


CMD = {name: num for name, num, _, _ in D.OPS}
NET = "DRBD_NLA_NET_CONF"


# --- requests and replies -----------------------------------------------------------------------
def test_connect_request_as_drbdsetup_sends_it():
    """drbdsetup connect: the addresses in CFG_CONTEXT, NET_CONF's members mandatory, the secret
    a password (its length only, nowhere its text)."""
    net = nest(NET, string(T(NET, "shared_secret"), "nlsSecret84"), string(T(NET, "cram_hmac_alg"), "sha1"),
               u32(T(NET, "wire_protocol"), H.DRBD_PROT_C), u32(T(NET, "after_sb_0p"), H.ASB_DISCARD_ZERO_CHG),
               u32(T(NET, "ping_timeo"), 20), u8(T(NET, "two_primaries"), 0))
    addrs = ctx("r0", my=("127.0.0.1", 7788), peer=("127.0.0.2", 7788))
    m = decode(CMD["DRBD_ADM_CONNECT"], 0xFFFFFFFF, 0, addrs + net)
    t = m.tree
    assert m.type_name == "DRBD_ADM_CONNECT"
    assert t.first("drbd.hdr.minor") == 0xFFFFFFFF and t.first("drbd.hdr.flags") == 0
    assert t.first("drbd.cfg_context.ctx_my_addr") == "127.0.0.1:7788"
    assert t.first("drbd.cfg_context.ctx_peer_addr") == "127.0.0.2:7788"
    assert t.first("drbd.net_conf.cram_hmac_alg") == "sha1"
    assert t.find("drbd.net_conf.after_sb_0p").show == "ASB_DISCARD_ZERO_CHG (3)"
    assert t.find("drbd.net_conf.wire_protocol").show == "DRBD_PROT_C (C) (3)"
    assert t.find("drbd.net_conf.two_primaries").show == "no (0)"
    assert t.first("drbd.net_conf.shared_secret") == "<12 bytes>"
    assert "nlsSecret84" not in everything(m) and "6e6c73536563726574" not in everything(m)
    secret = t.find("drbd.net_conf.shared_secret")
    assert secret.name == "T_shared_secret [mandatory]"
    assert [c.field.abbrev for c in secret.children] == ["drbd.mandatory"]
    assert t.find("drbd.net_conf").name == "DRBD_NLA_NET_CONF [nested]"
    assert m.info == "r0 127.0.0.1:7788 → 127.0.0.2:7788 protocol C"
    assert m.flag_names == ["REQUEST", "ACK"]


def test_mandatory_bit_is_no_byte_order():
    """DRBD_GENLA_F_MANDATORY is NLA_F_NET_BYTEORDER's bit: a member that carries it is still in
    host order (nla_get_u32 after drbd_nla_check_mandatory cleared it)."""
    tag = "DRBD_NLA_DISK_CONF"
    m = decode(CMD["DRBD_ADM_CHG_DISK_OPTS"], 1, 0, nest(tag, u32(T(tag, "al_extents"), 509),
                                                          u32(T(tag, "read_balancing"), 3, mandatory=False)))
    node = m.tree.find("drbd.disk_conf.al_extents")
    assert node.value == 509 and node.name == "T_al_extents [mandatory]" and "net-byteorder" not in format_tree(m.tree)
    rb = m.tree.find("drbd.disk_conf.read_balancing")
    assert rb.show == "RB_LEAST_PENDING (3)" and rb.name == "T_read_balancing" and not rb.children
    assert m.tree.first("drbd.mandatory") is True


def test_set_defaults_flag():
    tag = "DRBD_NLA_RESOURCE_OPTS"
    m = decode(CMD["DRBD_ADM_RESOURCE_OPTS"], 0xFFFFFFFF, 1, ctx("r0") + nest(tag, string(T(tag, "cpu_mask"), "1")))
    assert m.tree.find("drbd.hdr.flags").show == "0x00000001 (DRBD_GENL_F_SET_DEFAULTS)"
    assert m.info == "r0 set-defaults"


def test_reply_ret_code_and_info_text():
    """The kernel's reply (drbd_adm_finish): ret_code in the header, the request's CFG_CONTEXT
    copied without the mandatory bit (cleared in place), DRBD_NLA_CFG_REPLY's text."""
    reply = nest("DRBD_NLA_CFG_REPLY", string(D.SETS["DRBD_NLA_CFG_REPLY"].by_name["T_info_text"].num,
                                              "unknown minor"), flags=0)
    m = decode(CMD["DRBD_ADM_PRIMARY"], 9, H.ERR_MINOR_INVALID, reply, request=False, pid=300)
    assert m.tree.find("drbd.hdr.ret_code").show == "ERR_MINOR_INVALID (127)"
    assert m.tree.first("drbd.cfg_reply.info_text") == "unknown minor"
    assert m.info == 'minor 9 ret ERR_MINOR_INVALID (127) "unknown minor"'
    ok = decode(CMD["DRBD_ADM_NEW_RESOURCE"], 0xFFFFFFFF, H.NO_ERROR, ctx("r0", mandatory=False), request=False)
    assert ok.info == "r0 ret NO_ERROR (101)" and ok.tree.first("drbd.hdr.ret_code") == 101


def test_state_change_refused():
    """drbd_adm_set_role puts enum drbd_state_rv in ret_code: SS_TWO_PRIMARIES is -1, with the
    words drbd_strings.c gives it (what drbdsetup prints)."""
    m = decode(CMD["DRBD_ADM_PRIMARY"], 1, H.SS_TWO_PRIMARIES, b"", request=False)
    assert m.tree.find("drbd.hdr.ret_code").show == "SS_TWO_PRIMARIES (-1): Multiple primaries not allowed by config"
    assert m.info == "minor 1 ret SS_TWO_PRIMARIES (-1)"
    assert decode(CMD["DRBD_ADM_PRIMARY"], 0, H.SS_SUCCESS, b"", request=False).info == "minor 0 ret SS_SUCCESS (1)"


def state(role=1, peer=2, conn=H.C_SYNC_SOURCE, disk=H.D_UP_TO_DATE, pdsk=H.D_INCONSISTENT, susp=0, peer_isp=0):
    return role | peer << 2 | conn << 4 | disk << 9 | pdsk << 13 | susp << 17 | peer_isp << 19


def test_drbd_event_state_bit_fields():
    """DRBD_EVENT (drbd_bcast_event): STATE_INFO with union drbd_state values, their bit fields."""
    tag = "DRBD_NLA_STATE_INFO"
    cur = state(peer_isp=1)
    si = nest(tag, u32(T(tag, "sib_reason"), 2), u32(T(tag, "current_state"), cur, mandatory=False),
              u64(T(tag, "capacity"), 16384), u32(T(tag, "prev_state"), state(conn=H.C_WF_SYNC_UUID)),
              u32(T(tag, "new_state"), cur), flags=0)
    m = decode(CMD["DRBD_EVENT"], 0, H.NO_ERROR, ctx("r0", volume=0) + si, request=False)
    node = m.tree.find("drbd.state_info.current_state")
    assert node.show == f"{cur:#010x} cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent peer_isp"
    kids = {c.field.abbrev.rsplit(".", 1)[1]: c.value for c in node.children}
    assert kids == {"role": 1, "peer": 2, "conn": H.C_SYNC_SOURCE, "disk": H.D_UP_TO_DATE, "pdsk": H.D_INCONSISTENT,
                    "susp": 0, "aftr_isp": 0, "peer_isp": 1, "user_isp": 0, "susp_nod": 0, "susp_fen": 0, "pad": 0}
    assert m.tree.find("drbd.state_info.current_state.conn").show == "SyncSource (16)"
    assert m.tree.find("drbd.state_info.prev_state").show.split(" ")[1] == "cs:WFSyncUUID"
    assert m.tree.find("drbd.state_info.sib_reason").show == "SIB_STATE_CHANGE (2)"
    assert m.info == "minor 0 r0/0 STATE_CHANGE cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent peer_isp"


def test_state_bits_are_the_unions():
    """The bit fields' widths add up to the 32 bits of union drbd_state, in drbd.h's order."""
    text = (_include("6.1") / "drbd.h").read_text()
    little = re.search(r"__LITTLE_ENDIAN_BITFIELD\)(.*?)#elif", text, re.S).group(1)
    fields = re.findall(r"unsigned (\w+):(\d+)", little)
    assert [(n, int(w)) for n, w in fields] == [(n, w) for n, _, w, _ in D.STATE_BITS]
    pos = 0
    for _, shift, width, _ in D.STATE_BITS:
        assert shift == pos
        pos += width
    assert pos == 32


def test_uuids_and_notifications():
    tag = "DRBD_NLA_STATE_INFO"
    uuids = [0x19785D4FBD8173A3, 0, 0x8FA1F40FD38BAD7D, 4]
    si = nest(tag, u32(T(tag, "current_state"), state()),
              nla(T(tag, "uuids") | M, struct.pack("<4Q", *uuids)), u32(T(tag, "disk_flags"), 0x13), flags=0)
    m = decode(CMD["DRBD_ADM_GET_STATUS"], 0, H.NO_ERROR, si, request=False)
    node = m.tree.find("drbd.state_info.uuids")
    assert node.show == "19785D4FBD8173A3:0000000000000000:8FA1F40FD38BAD7D:0000000000000004"
    assert [(c.name, c.value) for c in node.children if c.field.abbrev.endswith(".uuid")] == list(
        zip(["UI_CURRENT", "UI_BITMAP", "UI_HISTORY_START", "UI_HISTORY_END"], uuids))
    assert m.tree.find("drbd.state_info.disk_flags").show == \
        "0x13 (MDF_CONSISTENT, MDF_PRIMARY_IND, MDF_WAS_UP_TO_DATE)"
    nh = "DRBD_NLA_NOTIFICATION_HEADER"
    hdr = nest(nh, u32(T(nh, "nh_type"), H.NOTIFY_CREATE | H.NOTIFY_CONTINUES))
    ci = "DRBD_NLA_CONNECTION_INFO"
    n = decode(CMD["DRBD_CONNECTION_STATE"], 0xFFFFFFFF, H.NO_ERROR, ctx("r0", my=("127.0.0.1", 7788),
               peer=("127.0.0.2", 7788)) + hdr + nest(ci, u32(T(ci, "conn_connection_state"), H.C_WF_CONNECTION, False),
                                                      u32(T(ci, "conn_role"), H.R_UNKNOWN, False)), request=False)
    assert n.tree.find("drbd.notification_header.nh_type").show == "NOTIFY_CREATE|NOTIFY_CONTINUES (0x8001)"
    assert n.info == "r0 127.0.0.1:7788 → 127.0.0.2:7788 CREATE (continues) conn WFConnection peer Unknown"
    hi = "DRBD_NLA_HELPER"
    h = decode(CMD["DRBD_HELPER"], 1, H.NO_ERROR, ctx("r1", volume=0)
               + nest(nh, u32(T(nh, "nh_type"), H.NOTIFY_RESPONSE))
               + nest(hi, string(T(hi, "helper_name"), "before-resync-target"), u32(T(hi, "helper_status"), 0x100)),
               request=False)
    assert h.tree.find("drbd.helper.helper_status").show == "256 (exit code 1)"
    assert h.info == "minor 1 r1/0 RESPONSE before-resync-target status 256"


def test_big_endian_host():
    """A capture of a big-endian host: the header and the members in its order."""
    tag = "DRBD_NLA_RESIZE_PARMS"
    m = decode(CMD["DRBD_ADM_RESIZE"], 0, 0, nest(tag, u64(T(tag, "resize_size"), 12288, order=">"), order=">"),
               order=">")
    assert m.tree.first("drbd.resize_parms.resize_size") == 12288 and m.info == "minor 0 size 12288 sectors"


# --- what the kernel takes and refuses ------------------------------------------------------------
def _member(tag: str, raw: bytes, cmd="DRBD_ADM_ATTACH"):
    return decode(CMD[cmd], 0, 0, nest(tag, raw), whole=False)


def test_short_integer_is_refused():
    tag = "DRBD_NLA_DISK_CONF"
    m = _member(tag, nla(T(tag, "al_extents") | M, b"\x01\x02"))
    assert statuses(m) == [(MALFORMED, "NLA_U32 needs 4 bytes, got 2: the kernel refuses it (ERANGE): 0102")]


def test_long_integer_is_taken_its_tail_unread():
    """Liberal validation takes a u32 of 8 bytes (a warning) and nla_get_u32 reads 4."""
    tag = "DRBD_NLA_DISK_CONF"
    m = _member(tag, nla(T(tag, "al_extents") | M, struct.pack("<II", 257, 7)))
    assert m.tree.first("drbd.disk_conf.al_extents") == 257
    assert [s for s, _ in statuses(m)] == [UNKNOWN]
    flag = _member(tag, nla(T(tag, "disk_flushes") | M, b"\x01\x00\x00\x00"))   # zero padding: whole
    assert flag.tree.find("drbd.disk_conf.disk_flushes").show == "yes (1)" and not statuses(flag)


def test_strings_by_their_policy():
    """NLA_NUL_STRING, .len = maxlen - 1: a NUL within, at most maxlen - 1 bytes before it."""
    num = T(CTX, "ctx_resource_name")
    assert decode(CMD["DRBD_ADM_NEW_RESOURCE"], 0, 0, nest(CTX, string(num, "r" * 127))).tree.first(
        "drbd.cfg_context.ctx_resource_name") == "r" * 127
    too_long = _member(CTX, string(num, "r" * 128), "DRBD_ADM_NEW_RESOURCE")   # its NUL is byte 129
    assert statuses(too_long)[0][1].startswith("NLA_NUL_STRING without a NUL in its first 128 bytes: the kernel "
                                               "refuses it (EINVAL)")
    no_nul = _member(CTX, string(num, "r0xx", nul=False), "DRBD_ADM_NEW_RESOURCE")
    assert statuses(no_nul)[0][1].startswith("NLA_NUL_STRING without a NUL in its first 4 bytes")
    past = _member(CTX, string(num, b"r0\0" + b"x" * 200, nul=False), "DRBD_ADM_NEW_RESOURCE")
    assert statuses(past)[0][1].startswith("string of 203 bytes, at most 127: the kernel refuses it (ERANGE)")
    info = D.SETS["DRBD_NLA_CFG_REPLY"].by_name["T_info_text"].num   # maxlen 0: no bound
    assert decode(CMD["DRBD_ADM_ATTACH"], 0, 101, nest("DRBD_NLA_CFG_REPLY", string(info, "x" * 300)),
                  request=False).tree.first("drbd.cfg_reply.info_text") == "x" * 300


def test_binary_longer_than_its_maxlen():
    num = T(CTX, "ctx_my_addr")
    m = _member(CTX, nla(num | M, bytes(129)), "DRBD_ADM_CONNECT")
    assert statuses(m)[0][1].startswith("NLA_BINARY of 129 bytes, at most 128: the kernel refuses it (ERANGE)")


def test_unknown_members():
    """drbd_nla_check_mandatory: a mandatory member past the struct's last is refused (EOPNOTSUPP);
    one not mandatory, or in a hole of the policy (disk_conf 22), is ignored; all shown unknown."""
    tag = "DRBD_NLA_DISK_CONF"
    refused = _member(tag, u32(40, 1))
    assert statuses(refused) == [(UNKNOWN, "01000000 (mandatory, and no member of the struct: the kernel "
                                           "refuses the request (EOPNOTSUPP))")]
    assert refused.tree.find("drbd.disk_conf.unknown").name == "attribute 40 (unknown) [mandatory]"
    for raw in (u32(40, 1, mandatory=False), u32(22, 1)):
        assert statuses(_member(tag, raw))[0][1].endswith("(no member of the struct: the kernel ignores it)")


def test_unknown_top_level_and_short_header():
    m = decode(CMD["DRBD_ADM_DOWN"], 0, 0, nla(14 | NESTED, b"") + nla(30, b"\1\2\3\4"), whole=False)
    assert [s for s, _ in statuses(m)] == [UNKNOWN, UNKNOWN]
    short = decode(CMD["DRBD_ADM_DOWN"], 0, 0, b"", drbd_hdr=b"\0\0\0\0", whole=False)
    assert statuses(short)[0][0] == MALFORMED and "drbd_genlmsghdr needs 8 bytes" in statuses(short)[0][1]
    truncated = decode(CMD["DRBD_ADM_DOWN"], 0, 0, nest(CTX, struct.pack("<HH", 40, 2) + b"r0\0\0"), whole=False)
    assert "overruns its container" in statuses(truncated)[0][1]


def test_padding_attribute_zero():
    """nla_put_u64_0pad pads with attribute 0 where 64-bit values need alignment."""
    tag = "DRBD_NLA_DEVICE_STATISTICS"
    m = decode(CMD["DRBD_DEVICE_STATE"], 0, 101, nest(tag, nla(0, b""), u64(T(tag, "dev_size"), 16384, False)),
               request=False)
    assert m.tree.find("drbd.pad").show == "0 bytes of padding"
    assert m.tree.first("drbd.device_statistics.dev_size") == 16384


def test_unknown_command_still_decodes():
    """A command number drbd_genl.h does not name (genl answers EOPNOTSUPP): not claimed, its
    drbd_genlmsghdr and nests decoded all the same."""
    (m,) = decode_frame(frame(60, 0, 0, ctx("r0")), 16, Context({FID: "drbd"}))
    assert not m.claimed and m.type_name == "cmd 60"
    assert m.tree.first("drbd.cfg_context.ctx_resource_name") == "r0" and m.tree.first("drbd.hdr.minor") == 0


# --- the headers -----------------------------------------------------------------------------------
HEADERS = ("drbd.h", "drbd_genl.h", "drbd_genl_api.h", "genl_magic_struct.h", "genl_magic_func.h")
SOURCES = ("drbd_strings.c", "drbd_nl.c")
CACHE = ROOT / ".cache" / "linux-6.12"   # tools/run-tests extracts these from linux-source-6.12
EXTRACTED = "tools/run-tests extracts it from linux-source-6.12 into .cache/linux-6.12"


def _trees(kernel: str) -> list[Path]:
    if kernel == "6.1":
        return [Path(p).parents[1] for p in sorted(glob.glob("/usr/src/linux-headers-6.1.*-common/include/linux"))]
    return [CACHE] + [Path(p).parents[1] for p in sorted(glob.glob("/usr/src/linux-headers-6.12*-common/include/linux"))]


def _include(kernel: str) -> Path:
    """include/linux of `kernel` holding every drbd header: Debian's linux-headers (6.1, 6.12) or
    the repository's .cache/linux-6.12; missing, a failure (tools/run-tests installs both)."""
    for t in _trees(kernel):
        if all((t / "include" / "linux" / h).exists() for h in HEADERS):
            return t / "include" / "linux"
    pytest.fail(f"{kernel}'s drbd headers are in no kernel tree here: linux-headers-{kernel} gives them, or {EXTRACTED}")


def _source(name: str) -> str:
    path = CACHE / "drivers" / "block" / "drbd" / name
    if not path.exists():
        pytest.fail(f"drivers/block/drbd/{name} is not here: {EXTRACTED}")
    return path.read_text()


def _uncomment(text: str) -> str:
    return re.sub(r"//[^\n]*", " ", re.sub(r"/\*.*?\*/", " ", text, flags=re.S))


def _eval(expr: str, names: dict) -> int:
    """A header's small integer expression (flags ORed, sizes multiplied)."""
    expr = expr.replace("sizeof(__u64)", "8")
    expr = re.sub(r"[A-Za-z_]\w*", lambda m: str(names[m.group(0)]), expr)
    assert re.fullmatch(r"[\d\s()|*+<-]+", expr), expr
    return eval(expr)   # noqa: S307 - digits and operators only, checked above


def _balanced(text: str, start: int) -> str:
    """The text inside the parenthesis opening at text[start]."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1:i]
    raise AssertionError("unbalanced")


def parse_genl(text: str, names: dict):
    """(structs, ops, multicast groups) of a drbd_genl.h, in the shapes drbd.py types them."""
    text = _uncomment(text)
    structs, ops = [], []
    for m in re.finditer(r"\bGENL_(struct|op|notification|mc_group)\s*\(", text):
        body = _balanced(text, m.end() - 1)
        if m.group(1) == "struct":
            tag, num, sname, fields = [x.strip() for x in body.split(",", 3)]
            members = []
            for f in re.finditer(r"__(flg|u32|s32|u64|str|bin)_field(_def)?\s*\(", fields):
                args = [x.strip() for x in _balanced(fields, f.end() - 1).split(",")]
                kind = f.group(1)
                item = (int(args[0]), _eval(args[1], names), kind, args[2])
                if kind in ("str", "bin"):
                    item += (_eval(args[3], names),)
                members.append(item)
            structs.append((tag, int(num), sname, tuple(members)))
        elif m.group(1) in ("op", "notification"):
            name, num, rest = [x.strip() for x in body.split(",", 2)]
            if m.group(1) == "notification":
                group, _, rest = rest.partition(",")
                how = group.strip()
            else:
                how = "+".join(h for h in ("doit", "dumpit") if re.search(rf"GENL_{h}\(|\.{h}\s*=", rest))
            tlas = tuple((t, _eval(f, names)) for t, f in re.findall(r"GENL_tla_expected\((\w+),\s*(\w+)\)", rest))
            ops.append((name, int(num), how, tlas))
        else:
            structs.append(("mc_group", body.strip()))
    groups = tuple(g for kind, *g in structs if kind == "mc_group" for g in g)
    return [s for s in structs if s[0] != "mc_group"], ops, groups


def _flag_names(include: Path) -> dict:
    gen = tool.load("gen_uapi")
    consts, _ = gen.parse_header(gen.exported((include / "genl_magic_struct.h").read_text()), {})
    return {k: consts[k] for k in ("DRBD_GENLA_F_MANDATORY", "DRBD_F_REQUIRED", "DRBD_F_SENSITIVE",
                                   "DRBD_F_INVARIANT")}


def _drbd_h(include: Path):
    gen = tool.load("gen_uapi")
    return gen.parse_header(gen.exported((include / "drbd.h").read_text()), {})


def _typed_structs():
    return [(tag, num, sname, tuple(f if f[2] in ("str", "bin") else f[:4] for f in fields))
            for tag, num, sname, fields in D.STRUCTS]


@pytest.mark.parametrize("kernel", ["6.1", "6.12"])
def test_structs_ops_and_groups_are_drbd_genl_h(kernel):
    """Every GENL_struct (its number, name, and each member's number, flags, kind, name and maxlen),
    every GENL_op and GENL_notification (number, handlers, expected top-level attributes) and the
    multicast group, as the kernel's drbd_genl.h writes them."""
    include = _include(kernel)
    consts, _ = _drbd_h(include)
    names = {**consts, **_flag_names(include), "UI_SIZE": H.UI_SIZE, "0": 0}
    structs, ops, groups = parse_genl((include / "drbd_genl.h").read_text(), names)
    assert structs == _typed_structs()
    assert ops == [(n, num, how, tuple((t, f) for t, f in tlas)) for n, num, how, tlas in D.OPS]
    assert groups == D.MCAST_GROUPS


def test_the_header_parse_can_fail():
    """parse_genl reads what it is given: one member renumbered, one flag dropped, one op moved are
    each a difference."""
    include = _include("6.1")
    consts, _ = _drbd_h(include)
    names = {**consts, **_flag_names(include), "UI_SIZE": H.UI_SIZE}
    text = (include / "drbd_genl.h").read_text()
    for old, new in (("__u32_field(1, DRBD_GENLA_F_MANDATORY,\tctx_volume)",
                      "__u32_field(5, DRBD_GENLA_F_MANDATORY,\tctx_volume)"),
                     ("DRBD_GENLA_F_MANDATORY | DRBD_F_SENSITIVE", "DRBD_F_SENSITIVE"),
                     ("DRBD_ADM_DOWN,\t\t27", "DRBD_ADM_DOWN,\t\t26")):
        assert old in text, old
        structs, ops, _ = parse_genl(text.replace(old, new), names)
        assert (structs, ops) != (_typed_structs(), [tuple(o) for o in D.OPS])


@pytest.mark.parametrize("kernel", ["6.1", "6.12"])
def test_flags_and_kinds_are_genl_magic_struct_h(kernel):
    """DRBD_GENLA_F_MANDATORY and the DRBD_F_* flags, and each __<kind>_field's nla_policy type."""
    include = _include(kernel)
    assert _flag_names(include) == {"DRBD_GENLA_F_MANDATORY": D.MANDATORY, "DRBD_F_REQUIRED": D.F_REQUIRED,
                                    "DRBD_F_SENSITIVE": D.F_SENSITIVE, "DRBD_F_INVARIANT": D.F_INVARIANT}
    text = re.sub(r"\\\n", " ", _uncomment((include / "genl_magic_struct.h").read_text()))
    kinds = dict(re.findall(r"#define __(\w+)_field\(attr_nr, attr_flag, name(?:, maxlen)?\)\s+__(?:field|array)"
                            r"\(attr_nr, attr_flag, name, (NLA_\w+)", text))
    assert {k: kinds[k] for k in D.KINDS} == {k: t for k, (t, _) in D.KINDS.items()}
    func = _uncomment((include / "genl_magic_func.h").read_text())
    # the nested policies: .len = maxlen - 1 for a NUL string (what _policy_error bounds it by)
    assert ".len = maxlen - (nla_type == NLA_NUL_STRING)" in " ".join(func.split())
    assert ".hdrsize = NLA_ALIGN(GENL_MAGIC_FAMILY_HDRSZ)" in " ".join(func.split())


@pytest.mark.parametrize("kernel", ["6.1", "6.12"])
def test_drbd_genlmsghdr_and_api(kernel):
    """struct drbd_genlmsghdr: minor, then flags and ret_code sharing 4 bytes; the family's name and
    header size; DRBD_GENL_F_SET_DEFAULTS and the broadcast reasons (6.1 names the version
    API_VERSION, drbd.h's 1; 6.12 writes 1: the genlmsghdr version both send)."""
    from tests.dissectors.test_genl_tail2_headers import _check
    include = _include(kernel)
    text = _uncomment((include / "drbd_genl_api.h").read_text())
    body = " ".join(re.search(r"struct drbd_genlmsghdr\s*\{(.*?)\n\};", text, re.S).group(1).split())
    assert body == "__u32 minor; union { __u32 flags; __s32 ret_code; };"
    assert [m.name for m in D.REQUEST_HEADER.members] == ["minor", "flags"]
    assert [m.name for m in D.KERNEL_HEADER.members] == ["minor", "ret_code"]
    assert D.REQUEST_HEADER.size == D.KERNEL_HEADER.size == D.HDRSIZE == 8
    assert re.search(r"#define GENL_MAGIC_FAMILY\s+drbd\b", text)
    assert re.search(r"#define GENL_MAGIC_FAMILY_HDRSZ\s+sizeof\(struct drbd_genlmsghdr\)", text)
    version = re.search(r"#define GENL_MAGIC_VERSION\s+(\w+)", text).group(1)
    consts, _ = _drbd_h(include)
    assert (version, consts.get("API_VERSION")) == (("API_VERSION", 1) if kernel == "6.1" else ("1", None))
    gen = tool.load("gen_uapi")
    api_consts, api_enums = gen.parse_header(gen.exported(text), {})
    assert not _check(D.API, api_consts, api_enums, whole=True)
    assert {k: api_consts[k] for k in D.API.names()} == D.API.names()


@pytest.mark.parametrize("kernel", ["6.1", "6.12"])
def test_enums_and_defines_are_drbd_h(kernel):
    from tests.dissectors.test_genl_tail2_headers import _check
    consts, enums = _drbd_h(_include(kernel))
    assert not _check(H, consts, enums, whole=True)
    assert set(H.ENUMS) == set(enums)   # every enum of the header typed
    assert {k: consts[k] for k in H.names()} == H.names()


def test_words_and_peer_flags_are_the_kernels():
    """The words drbd_strings.c gives states and refusals, and drbd_nl.c's enum mdf_peer_flag."""
    text = _source("drbd_strings.c")

    def table(name):
        body = re.search(rf"{name}\[\] = \{{(.*?)\}};", text, re.S).group(1)
        return dict(re.findall(r"\[(-?\w+)\]\s*=\s*\"([^\"]*)\"", body))
    conns, roles, disks = table("drbd_conn_s_names"), table("drbd_role_s_names"), table("drbd_disk_s_names")
    assert {getattr(H, k): v for k, v in conns.items()} == dict(enumerate(D.CONN_WORDS))
    assert {getattr(H, k): v for k, v in roles.items()} == dict(enumerate(D.ROLE_WORDS))
    assert {getattr(H, k): v for k, v in disks.items()} == dict(enumerate(D.DISK_WORDS))
    errors = table("drbd_state_sw_errors")
    assert {getattr(H, k.lstrip("-")): v for k, v in errors.items()} == D.STATE_ERRORS   # [-SS_X]: SS_X < 0
    nl = _uncomment(_source("drbd_nl.c"))
    body = re.search(r"enum mdf_peer_flag \{(.*?)\};", nl, re.S).group(1)
    assert {n: _eval(v, {}) for n, v in re.findall(r"(\w+)\s*=\s*([^,]+),", body)} == D.NL_C.names()


def test_every_member_is_declared_once():
    """Each member's field is its struct's (`drbd.disk_conf.backing_dev`), with its policy."""
    for tag, num, sname, fields in D.STRUCTS:
        aset = D.SETS[tag]
        assert D.TOP.by_num[num].nested is aset
        assert sorted(aset.by_num) == sorted(f[0] for f in fields) and aset.maxtype == max(f[0] for f in fields)
        for f in fields:
            assert aset.by_num[f[0]].field.abbrev == f"drbd.{tag[9:].lower()}.{f[3]}"
    assert D.TOP_MAXTYPE == 24 and 14 not in D.TOP.by_num   # 14: no GENL_struct


def test_mutated_real_messages_never_raise():
    """The drbd frames of captures/drbd.pcapng with bytes flipped, lengths and types changed, cut
    short: each decodes (tree, Info, -V, JSON) without an exception, what it cannot read shown."""
    import random

    from nlscope.sources import read_capture
    from tests.conftest import CAPTURES
    frames = [bytes(f.data) for f in read_capture(str(CAPTURES / "drbd.pcapng")) if f.protocol == 16]
    seeds = [d for d in frames if len(d) > 24 and struct.unpack_from("<H", d, 4)[0] not in (0x10, 2, 3)]
    fid = struct.unpack_from("<H", seeds[0], 4)[0]
    rng = random.Random(84)
    broken = 0
    for _ in range(3000):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(16, len(data))
            data[i] = rng.choice((0, 0xFF, 0x40, 0x80, rng.randrange(256)))
        if rng.random() < 0.3:
            data = data[:rng.randrange(16, len(data))]
        for m in decode_frame(bytes(data), 16, Context({fid: "drbd"})):
            m.info, format_tree(m.tree), json.dumps(m.to_json())
            broken += bool(statuses(m) or m.malformed)
    assert broken > 500
