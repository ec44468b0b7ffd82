"""SMBD_GENL: ksmbd, the kernel's SMB server, and its user-space daemon ksmbd.mountd (ksmbd-tools),
fs/smb/server/transport_ipc.c (fs/ksmbd/ in upstream 6.1; Debian's 6.1 has the stable branch's move).

The kernel asks, the daemon answers: each message is one event KSMBD_EVENT_* (genlmsghdr.cmd) whose
one attribute, numbered as the event, holds a C struct of the kernel-internal
fs/smb/server/ksmbd_netlink.h, some with a variable part after it (the interfaces of STARTING_UP,
the veto list and path of a share, an RPC's DCE/RPC bytes, a Kerberos token, supplementary
groups).  A response, numbered as its request's event + 1, carries the request's `handle`.
The kernel sends HEARTBEAT_REQUEST, LOGIN_REQUEST(_EXT), SHARE_CONFIG_REQUEST,
TREE_CONNECT_REQUEST, TREE_DISCONNECT_REQUEST, LOGOUT_REQUEST, RPC_REQUEST and
SPNEGO_AUTHEN_REQUEST, each ipc_msg_alloc(sizeof(struct) [+ payload + 1]); the daemon sends
STARTING_UP and the responses.

Lengths are read as the kernel reads them: ksmbd_nl_policy gives each attribute a minimum
(NLA_UNSPEC with .len = sizeof(struct)), longer is taken and the rest ignored; ipc_validate_msg()
wants a response with a variable part exactly as long as its own size fields say (RPC, SPNEGO,
share config, login ext), and refuses it otherwise (the request then fails).  What the kernel
would refuse is malformed, with its bytes; what it takes but does not read (bytes after a
struct, non-zero `reserved` room) is shown as unknown.

Linux 6.1 (Debian 12's 6.1.0-57, 6.1.192: checked against its module's BTF) and 6.12 lay every
struct out alike: the first layout (5.15) had no `reserved` room, and since it came new members
are carved out of it (max_ip_connections, share_name, payload_sz …), so no size changed.  6.1 has
no LOGIN_REQUEST_EXT/LOGIN_RESPONSE_EXT (events 16, 17: supplementary groups) and no
KSMBD_USER_FLAG_EXTENSION.  A SHARE_CONFIG_RESPONSE whose payload_sz is 0 (ksmbd-tools before
3.5.2, Debian 12's 3.4.7 included) has its payload taken from the attribute's length by 6.12's
ipc_validate_msg(); 6.1.0-57's wants exactly 536 + payload_sz bytes and so refuses every answer
that carries a payload (a path, or a pipe's lone NUL): no tree connect works there with 3.4.7.
The decode follows 6.12 (such an answer is not malformed) and says where the length came from.

Passwords are secrets (core/secrets.py): the login response's password hash (its member is named
password_hash for that; the header's `hash`), SPNEGO tokens and the session key are shown
redacted, as are whole attributes holding them.
"""
from __future__ import annotations

import struct

from construct import Bytes, Int8sl, Int16ul, Int32sl, Int32ul, Int64ul

from ...core.attrs import MALFORMED_FIELD, a, c_string, enum_set, malformed
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import FixedStruct, enum_show, flags_show, member, pad
from ...core.secrets import secret_node
from ...model import BYTES, FIELDS, MALFORMED, STRING, UINT, UNKNOWN, Node
from .cenum import Header

# fs/smb/server/ksmbd_netlink.h (6.12; 6.1's ends at SPNEGO_AUTHEN_RESPONSE)
H = Header("fs/smb/server/ksmbd_netlink.h")
H.enum("ksmbd_event", "UNSPEC HEARTBEAT_REQUEST STARTING_UP SHUTTING_DOWN LOGIN_REQUEST LOGIN_RESPONSE "
       "SHARE_CONFIG_REQUEST SHARE_CONFIG_RESPONSE TREE_CONNECT_REQUEST TREE_CONNECT_RESPONSE "
       "TREE_DISCONNECT_REQUEST LOGOUT_REQUEST RPC_REQUEST RPC_RESPONSE SPNEGO_AUTHEN_REQUEST "
       "SPNEGO_AUTHEN_RESPONSE LOGIN_REQUEST_EXT LOGIN_RESPONSE_EXT __MAX", "KSMBD_EVENT_")
H.enum("KSMBD_TREE_CONN_STATUS", "OK NOMEM NO_SHARE NO_USER INVALID_USER HOST_DENIED CONN_EXIST TOO_MANY_CONNS "
       "TOO_MANY_SESSIONS ERROR", "KSMBD_TREE_CONN_STATUS_")
H.define(KSMBD_GENL_VERSION=1, KSMBD_REQ_MAX_ACCOUNT_NAME_SZ=48, KSMBD_REQ_MAX_HASH_SZ=18,
         KSMBD_REQ_MAX_SHARE_NAME=64)
H.define(KSMBD_GLOBAL_FLAG_INVALID=0, KSMBD_GLOBAL_FLAG_SMB2_LEASES=1 << 0, KSMBD_GLOBAL_FLAG_SMB2_ENCRYPTION=1 << 1,
         KSMBD_GLOBAL_FLAG_SMB3_MULTICHANNEL=1 << 2, KSMBD_GLOBAL_FLAG_SMB2_ENCRYPTION_OFF=1 << 3,
         KSMBD_GLOBAL_FLAG_DURABLE_HANDLE=1 << 4)
H.define(KSMBD_USER_FLAG_INVALID=0, KSMBD_USER_FLAG_OK=1 << 0, KSMBD_USER_FLAG_BAD_PASSWORD=1 << 1,
         KSMBD_USER_FLAG_BAD_UID=1 << 2, KSMBD_USER_FLAG_BAD_USER=1 << 3, KSMBD_USER_FLAG_GUEST_ACCOUNT=1 << 4,
         KSMBD_USER_FLAG_DELAY_SESSION=1 << 5, KSMBD_USER_FLAG_EXTENSION=1 << 6)
H.define(KSMBD_SHARE_FLAG_INVALID=0, **{f"KSMBD_SHARE_FLAG_{n}": 1 << i for i, n in enumerate(
    "AVAILABLE BROWSEABLE WRITEABLE READONLY GUEST_OK GUEST_ONLY STORE_DOS_ATTRS OPLOCKS PIPE HIDE_DOT_FILES "
    "INHERIT_OWNER STREAMS FOLLOW_SYMLINKS ACL_XATTR UPDATE CROSSMNT CONTINUOUS_AVAILABILITY".split())})
H.define(KSMBD_TREE_CONN_FLAG_REQUEST_SMB1=0, KSMBD_TREE_CONN_FLAG_REQUEST_IPV6=1 << 0,
         KSMBD_TREE_CONN_FLAG_REQUEST_SMB2=1 << 1)
H.define(KSMBD_TREE_CONN_FLAG_GUEST_ACCOUNT=1 << 0, KSMBD_TREE_CONN_FLAG_READ_ONLY=1 << 1,
         KSMBD_TREE_CONN_FLAG_WRITABLE=1 << 2, KSMBD_TREE_CONN_FLAG_ADMIN_ACCOUNT=1 << 3,
         KSMBD_TREE_CONN_FLAG_UPDATE=1 << 4)
H.define(KSMBD_RPC_METHOD_RETURN=1 << 0, KSMBD_RPC_SRVSVC_METHOD_INVOKE=1 << 1, KSMBD_RPC_SRVSVC_METHOD_RETURN=0x3,
         KSMBD_RPC_WKSSVC_METHOD_INVOKE=1 << 2, KSMBD_RPC_WKSSVC_METHOD_RETURN=0x5, KSMBD_RPC_IOCTL_METHOD=0x9,
         KSMBD_RPC_OPEN_METHOD=1 << 4, KSMBD_RPC_WRITE_METHOD=1 << 5, KSMBD_RPC_READ_METHOD=0x41,
         KSMBD_RPC_CLOSE_METHOD=1 << 7, KSMBD_RPC_RAP_METHOD=0x101, KSMBD_RPC_RESTRICTED_CONTEXT=1 << 9,
         KSMBD_RPC_SAMR_METHOD_INVOKE=1 << 10, KSMBD_RPC_SAMR_METHOD_RETURN=0x401,
         KSMBD_RPC_LSARPC_METHOD_INVOKE=1 << 11, KSMBD_RPC_LSARPC_METHOD_RETURN=0x801)
H.define(KSMBD_RPC_OK=0, KSMBD_RPC_EBAD_FUNC=0x1, KSMBD_RPC_EACCESS_DENIED=0x5, KSMBD_RPC_EBAD_FID=0x6,
         KSMBD_RPC_ENOMEM=0x8, KSMBD_RPC_EBAD_DATA=0xD, KSMBD_RPC_ENOTIMPLEMENTED=0x40,
         KSMBD_RPC_EINVALID_PARAMETER=0x57, KSMBD_RPC_EMORE_DATA=0xEA, KSMBD_RPC_EINVALID_LEVEL=0x7C,
         KSMBD_RPC_SOME_NOT_MAPPED=0x107)
H.define(KSMBD_CONFIG_OPT_DISABLED=0, KSMBD_CONFIG_OPT_ENABLED=1, KSMBD_CONFIG_OPT_AUTO=2,
         KSMBD_CONFIG_OPT_MANDATORY=3)
NGROUPS_MAX = 65536   # include/uapi/linux/limits.h: ipc_validate_msg's bound on a login ext's ngroups


def _bits(prefix: str, without: str = "") -> dict[int, str]:
    """bit -> name of the one-bit #defines starting with `prefix` (less those holding `without`)."""
    return {v: n for n, v in H.names().items()
            if n.startswith(prefix) and v and not v & (v - 1) and not (without and without in n)}


def _values(prefix: str) -> dict[int, str]:
    return {v: n for n, v in H.names().items() if n.startswith(prefix)}


GLOBAL_FLAGS = _bits("KSMBD_GLOBAL_FLAG_")
USER_FLAGS = _bits("KSMBD_USER_FLAG_")
SHARE_FLAGS = _bits("KSMBD_SHARE_FLAG_")
TREE_REQ_FLAGS = _bits("KSMBD_TREE_CONN_FLAG_REQUEST_")
TREE_FLAGS = _bits("KSMBD_TREE_CONN_FLAG_", without="_REQUEST_")
TREE_STATUS = _values("KSMBD_TREE_CONN_STATUS_")
RPC_STATUS = _values("KSMBD_RPC_E") | {H.KSMBD_RPC_OK: "KSMBD_RPC_OK", H.KSMBD_RPC_SOME_NOT_MAPPED:
                                       "KSMBD_RPC_SOME_NOT_MAPPED"}
CONFIG_OPT = _values("KSMBD_CONFIG_OPT_")
# RPC method flags: one name a bit, METHOD_RETURN (bit 0) apart — the header's IOCTL, READ and RAP
# methods are their bit with METHOD_RETURN, the *_RETURN ones their INVOKE bit with it
RPC_FLAGS = {1 << 0: "KSMBD_RPC_METHOD_RETURN"} | {
    v & ~1: n for n, v in H.names().items()
    if n.startswith("KSMBD_RPC_") and n.endswith(("_INVOKE", "_METHOD", "_CONTEXT")) and v & ~1}


def _short(name: str) -> str:
    return name.split("_FLAG_", 1)[-1].split("_STATUS_", 1)[-1].removeprefix("KSMBD_RPC_")


def _flag_words(value: int, names: dict[int, str]) -> str:
    """`OK,BAD_PASSWORD`: the names of the bits set, less their prefix (0x… for the unnamed)."""
    words = [_short(n) for b, n in names.items() if value & b]
    rest = value & ~sum(names)
    return ",".join(words + ([f"{rest:#x}"] if rest else [])) or "0"


# --- the structs ---------------------------------------------------------------------------------
A = H.KSMBD_REQ_MAX_ACCOUNT_NAME_SZ
S = H.KSMBD_REQ_MAX_SHARE_NAME


def text(name: str, n: int, title: str | None = None):
    """A char array the kernel reads as a C string (shown as text: the bytes up to its NUL)."""
    return member(name, Bytes(n), kind=STRING, title=title)


def reserved(n: int):
    """`reserved` room: nothing reads it (non-zero bytes there are shown as unknown)."""
    m = pad(n)
    m.desc = "reserved"
    return m


U32, S32, U16 = Int32ul, Int32sl, Int16ul


HEARTBEAT = FixedStruct("ksmbd_heartbeat", "ksmbd.heartbeat", [member("handle", U32)], label="struct ksmbd_heartbeat")
# __packed: tcp_port follows server_string at 184, max_ip_connections (6.12.y/6.1.y stable) sits at 237
STARTUP = FixedStruct("ksmbd_startup_request", "ksmbd.startup", [
    member("flags", U32, flags_show(GLOBAL_FLAGS), flags=GLOBAL_FLAGS),
    member("signing", S32, enum_show(CONFIG_OPT)),
    text("min_prot", 16), text("max_prot", 16), text("netbios_name", 16), text("work_group", 64),
    text("server_string", 64), member("tcp_port", U16), member("ipc_timeout", U16, lambda v: f"{v} s"),
    member("deadtime", U32, lambda v: f"{v} min"), member("file_max", U32), member("smb2_max_write", U32),
    member("smb2_max_read", U32), member("smb2_max_trans", U32), member("share_fake_fscaps", U32, hex),
    member("sub_auth_0", U32), member("sub_auth_1", U32), member("sub_auth_2", U32),
    member("smb2_max_credits", U32), member("smbd_max_io_size", U32), member("max_connections", U32),
    member("bind_interfaces_only", Int8sl), member("max_ip_connections", U32), reserved(499),
    member("ifc_list_sz", U32)], label="struct ksmbd_startup_request")
SHUTDOWN = FixedStruct("ksmbd_shutdown_request", "ksmbd.shutdown", [reserved(64)],
                       label="struct ksmbd_shutdown_request")
LOGIN_REQUEST = FixedStruct("ksmbd_login_request", "ksmbd.login_request", [
    member("handle", U32), text("account", A), reserved(64)], label="struct ksmbd_login_request")
# `hash` is the user's NT hash (the password's MD4): named password_hash so that it is redacted
LOGIN_RESPONSE = FixedStruct("ksmbd_login_response", "ksmbd.login_response", [
    member("handle", U32), member("gid", U32), member("uid", U32), text("account", A),
    member("status", U16, flags_show(USER_FLAGS, 4), flags=USER_FLAGS), member("hash_sz", U16),
    member("password_hash", Bytes(H.KSMBD_REQ_MAX_HASH_SZ), title="Password hash (hash)"), pad(2),
    reserved(64)], label="struct ksmbd_login_response")
LOGIN_RESPONSE_EXT = FixedStruct("ksmbd_login_response_ext", "ksmbd.login_response_ext", [
    member("handle", U32), member("ngroups", S32), reserved(128)], label="struct ksmbd_login_response_ext")
SHARE_REQUEST = FixedStruct("ksmbd_share_config_request", "ksmbd.share_request", [
    member("handle", U32), text("share_name", S), reserved(64)], label="struct ksmbd_share_config_request")
SHARE_RESPONSE = FixedStruct("ksmbd_share_config_response", "ksmbd.share_response", [
    member("handle", U32), member("flags", U32, flags_show(SHARE_FLAGS), flags=SHARE_FLAGS),
    member("create_mask", U16, oct), member("directory_mask", U16, oct), member("force_create_mode", U16, oct),
    member("force_directory_mode", U16, oct), member("force_uid", U16), member("force_gid", U16),
    text("share_name", S), reserved(444), member("payload_sz", U32), member("veto_list_sz", U32)],
    label="struct ksmbd_share_config_response")
TREE_REQUEST = FixedStruct("ksmbd_tree_connect_request", "ksmbd.tree_request", [
    member("handle", U32), member("account_flags", U16, flags_show(USER_FLAGS, 4)),
    member("flags", U16, flags_show(TREE_REQ_FLAGS, 4), flags=TREE_REQ_FLAGS), member("session_id", Int64ul),
    member("connect_id", Int64ul), text("account", A), text("share", S), text("peer_addr", 64), reserved(64)],
    label="struct ksmbd_tree_connect_request")
TREE_RESPONSE = FixedStruct("ksmbd_tree_connect_response", "ksmbd.tree_response", [
    member("handle", U32), member("status", U16, enum_show(TREE_STATUS)),
    member("connection_flags", U16, flags_show(TREE_FLAGS, 4), flags=TREE_FLAGS), reserved(64)],
    label="struct ksmbd_tree_connect_response")
TREE_DISCONNECT = FixedStruct("ksmbd_tree_disconnect_request", "ksmbd.tree_disconnect", [
    member("session_id", Int64ul), member("connect_id", Int64ul), reserved(64)],
    label="struct ksmbd_tree_disconnect_request")
LOGOUT = FixedStruct("ksmbd_logout_request", "ksmbd.logout", [
    text("account", A), member("account_flags", U32, flags_show(USER_FLAGS), flags=USER_FLAGS), reserved(64)],
    label="struct ksmbd_logout_request")
# one struct ksmbd_rpc_command both ways: a request's flags are the method, a response's its status
RPC_REQUEST = FixedStruct("ksmbd_rpc_command", "ksmbd.rpc_request", [
    member("handle", U32), member("flags", U32, flags_show(RPC_FLAGS), flags=RPC_FLAGS), member("payload_sz", U32)],
    label="struct ksmbd_rpc_command")
RPC_RESPONSE = FixedStruct("ksmbd_rpc_command", "ksmbd.rpc_response", [
    member("handle", U32), member("flags", U32, enum_show(RPC_STATUS), title="Flags (status)"),
    member("payload_sz", U32)], label="struct ksmbd_rpc_command")
# sizeof is 8 (2 bytes of tail padding) but spnego_blob[] starts at 6
SPNEGO_REQUEST = FixedStruct("ksmbd_spnego_authen_request", "ksmbd.spnego_request", [
    member("handle", U32), member("spnego_blob_len", U16)], label="struct ksmbd_spnego_authen_request")
# handle, then a whole struct ksmbd_login_response (decoded with LOGIN_RESPONSE), then the lengths
SPNEGO_RESPONSE = FixedStruct("ksmbd_spnego_authen_response", "ksmbd.spnego_response", [
    member("handle", U32), pad(LOGIN_RESPONSE.size), member("session_key_len", U16),
    member("spnego_blob_len", U16)], label="struct ksmbd_spnego_authen_response")
SPNEGO_REQUEST_SIZEOF = 8
LOGIN_IN_SPNEGO = 4   # offsetof(struct ksmbd_spnego_authen_response, login_response)

# what follows the structs
_F = {}


def _field(abbrev: str, name: str, kind: str, desc: str) -> None:
    _F[abbrev] = FIELDS.add(f"ksmbd.{abbrev}", name, kind, desc)


_field("startup.interface", "Interface", STRING, "an interface ksmbd binds (KSMBD_STARTUP_CONFIG_INTERFACES)")
_field("share_response.veto", "Veto pattern", STRING, "a veto files pattern (KSMBD_SHARE_CONFIG_VETO_LIST)")
_field("share_response.path", "Path", STRING, "the share's path (ksmbd_share_config_path)")
_field("rpc_request.payload", "Payload", BYTES, "the DCE/RPC bytes of the request")
_field("rpc_response.payload", "Payload", BYTES, "the DCE/RPC bytes of the response")
_field("spnego_request.spnego_blob", "SPNEGO blob", STRING, "the client's GSS token (redacted)")
_field("spnego_response.session_key", "Session key", STRING, "the session key (redacted)")
_field("spnego_response.spnego_blob", "SPNEGO blob", STRING, "the GSS token of the answer, AP_REP (redacted)")
_field("login_response_ext.gid", "Supplementary group", UINT, "a supplementary group id")
_field("padding", "Padding", BYTES, "zero bytes the sender allocated past what it wrote")
_field("ignored", "Ignored bytes", BYTES, "bytes the kernel takes but does not read")
_field("redacted", "Bytes (redacted)", STRING, "undecodable bytes of an attribute holding secrets (redacted)")


# --- decoding the variable parts ------------------------------------------------------------------
def _bytes(n: int, what: str = "") -> str:
    return f"{n} {what}byte" + ("" if n == 1 else "s")


def _strings_to_text(top: Node) -> None:
    for child in top.children:
        if child.field.kind == STRING and isinstance(child.value, bytes):
            child.value = c_string(child.value, 0, len(child.value))


def _reserved_nodes(st: FixedStruct, buf, start: int, secret: bool = False) -> list[Node]:
    """Non-zero bytes in a struct's reserved room: a newer layout's members, shown unknown
    (redacted in an attribute holding secrets)."""
    out, pos = [], start
    for m in st.members:
        width = m.con.sizeof()
        if m.desc == "reserved" and any(buf[pos:pos + width]):
            data = bytes(buf[pos:pos + width])
            if secret:
                out.append(Node(_F["ignored"], None, pos, width, f"reserved, not zero ({width} bytes, redacted)",
                                [secret_node(_F["redacted"], buf, pos, pos + width, label="bytes", digest=False)], status=UNKNOWN,
                                label="reserved (not zero: a newer struct?)"))
            else:
                out.append(Node(_F["ignored"], data, pos, width, f"reserved, not zero: {data.rstrip(bytes(1)).hex()}",
                                status=UNKNOWN, label="reserved (not zero: a newer struct?)"))
        pos += width
    return out


def _bad(buf, start: int, end: int, why: str, secret: bool = False) -> Node:
    """Bytes the kernel would refuse, with why and where; in an attribute holding secrets (a
    hash, a token, a session key may be among them) the bytes are shown redacted."""
    if not secret:
        return malformed(buf, start, end, why)
    return Node(MALFORMED_FIELD, None, start, end - start, f"{why} at offset {start} ({end - start} bytes, redacted: "
                f"the attribute holds secrets)", [secret_node(_F["redacted"], buf, start, end, label="bytes", digest=False)],
                status=MALFORMED, label="Malformed")


def _rest(buf, start: int, end: int, why: str, padding: str = "", secret: bool = False) -> list[Node]:
    """Bytes past what is read: zeros are `padding` (when the sender's allocation explains them),
    anything else unknown (redacted in an attribute holding secrets)."""
    if start >= end:
        return []
    data = bytes(buf[start:end])
    if padding and not any(data):
        return [Node(_F["padding"], data, start, end - start, f"{_bytes(end - start, 'zero ')} ({padding})",
                     label="padding")]
    if secret:
        return [Node(_F["ignored"], None, start, end - start, f"{end - start} bytes, redacted ({why})",
                     [secret_node(_F["redacted"], buf, start, end, label="bytes", digest=False)], status=UNKNOWN,
                     label="bytes after the struct")]
    return [Node(_F["ignored"], data, start, end - start, f"{data[:32].hex()}" + ("…" if len(data) > 32 else "")
                 + f" ({why})", status=UNKNOWN, label="bytes after the struct")]


def _c_strings(buf, start: int, end: int, field, label: str) -> tuple[list[Node], int]:
    """NUL-terminated names back to back, read as the kernel walks them (ksmbd_tcp_set_interfaces,
    parse_veto_list: until the bytes end or an empty name); returns the nodes and where it stopped."""
    out, p, i = [], start, 0
    while p < end:
        nul = bytes(buf[p:end]).find(b"\0")
        stop = end if nul < 0 else p + nul
        if stop == p:   # an empty name ends the list
            break
        out.append(Node(field, c_string(buf, p, stop), p, min(stop + 1, end) - p, label=f"{label} [{i}]"))
        p, i = stop + 1, i + 1
    return out, min(p, end)


def _fixed(st: FixedStruct, after=None, ignored: str = "ignored by the kernel", secret: bool = False):
    """The decode hook of an attribute holding struct `st` (at least sizeof bytes, as
    ksmbd_nl_policy and the kernel's own allocations have it), then `after(buf, start, end,
    order, values, top)` for its variable part (`values`: the struct's members by name, `top`
    its node), else the bytes past it as ignored; `secret`: the attribute holds secrets, whose
    bytes no malformed or unknown node shows."""
    def decode(buf, start, end, order, req):
        n = end - start
        if n < st.size:
            return [_bad(buf, start, end, f"struct {st.cname} needs {st.size} bytes, got {n} (ksmbd_nl_policy)",
                         secret)]
        top = st.node(buf, start, order, req=req)
        _strings_to_text(top)
        out = [top] + _reserved_nodes(st, buf, start, secret)
        if after is None:
            return out + _rest(buf, start + st.size, end, ignored, secret=secret)
        values = {c.field.abbrev.rsplit(".", 1)[1]: c.value for c in top.children}
        return out + after(buf, start, end, order, values, top)
    return decode


def _startup_after(buf, start, end, order, v, top):
    """The interfaces ksmbd binds (bind interfaces only): ifc_list_sz bytes of NUL-terminated
    names; none means every interface."""
    base = start + STARTUP.size
    size = v["ifc_list_sz"]
    stop = min(base + size, end)
    names, p = _c_strings(buf, base, stop, _F["startup.interface"], "interface")
    out = names
    if base + size > end:
        out.append(malformed(buf, stop, end, f"ifc_list_sz {size} runs past the attribute "
                                             f"({end - base} bytes after the struct)"))
        return out
    return out + _rest(buf, p, end, "after the interfaces: the kernel stops there", "the list's own NUL")


def _share_after(buf, start, end, order, v, top):
    """The veto list (veto_list_sz bytes of patterns) and, after its NUL, the path; payload_sz
    their length (0 from ksmbd-tools before 3.5.2: the attribute's, as 6.12 takes it)."""
    base = start + SHARE_RESPONSE.size
    have = end - base
    size = v["payload_sz"] or have
    flags, veto = v["flags"], v["veto_list_sz"]
    out = []
    if not v["payload_sz"] and have:
        node = next(c for c in top.children if c.field.abbrev.endswith(".payload_sz"))
        node.text = f"0 (the {_bytes(have)} after the struct, as 6.12 takes it)"
    if v["payload_sz"] and v["payload_sz"] != have:
        return [malformed(buf, base, end, f"payload_sz {v['payload_sz']} but {have} bytes follow the struct: "
                                          f"ipc_validate_msg() refuses the response")]
    if 0 not in bytes(buf[start + 20:start + 20 + S]):
        out.append(malformed(buf, start + 20, start + 20 + S, "share_name is not NUL-terminated: "
                                                              "ipc_validate_msg() refuses the response"))
    if veto > size and not flags & H.KSMBD_SHARE_FLAG_PIPE:   # (a pipe's is not looked at)
        return out + [malformed(buf, base, end, f"veto_list_sz {veto} is more than the {size} bytes of payload: "
                                                f"ipc_validate_msg() refuses the response")]
    if flags == H.KSMBD_SHARE_FLAG_INVALID or flags & H.KSMBD_SHARE_FLAG_PIPE:
        # no such share, or IPC$: nothing after the struct is read
        return out + _rest(buf, base, end, "not read for this share", "an empty path")
    if size <= veto:
        return out + [malformed(buf, base, end, f"no path after the veto list (payload {size} bytes, veto_list_sz "
                                                f"{veto}): ipc_validate_msg() refuses the response")]
    names, _ = _c_strings(buf, base, base + veto, _F["share_response.veto"], "veto")
    out += names
    # ksmbd_share_config_path(): after the list and its NUL; share_config_request() reads at most
    # payload_sz - veto_list_sz (- 1 with a list) bytes of it, up to a NUL
    p = base + veto + (1 if veto else 0)
    limit = min(p + size - veto - (1 if veto else 0), end)
    if limit <= p:
        return out + [malformed(buf, base, end, "no path after the veto list: the share is refused")]
    nul = bytes(buf[p:limit]).find(b"\0")
    path_end = limit if nul < 0 else p + nul + 1
    out.append(Node(_F["share_response.path"], c_string(buf, p, limit), p, path_end - p, label="path"))
    return out + _rest(buf, path_end, end, "after the path", "after the path's NUL")


def _payload(field, sent_plus_one: bool, validated: bool):
    """An RPC command's payload_sz bytes of DCE/RPC: a request carries one byte more (the kernel
    allocates sizeof + payload_sz + 1 for write, ioctl and rap), a response exactly those
    (ipc_validate_msg)."""
    def after(buf, start, end, order, v, top):
        base = start + RPC_REQUEST.size
        size = v["payload_sz"]
        if validated and base + size != end:
            return [malformed(buf, base, end, f"payload_sz {size} but {end - base} bytes follow the struct: "
                                              f"ipc_validate_msg() refuses the response")]
        if base + size > end:
            return [malformed(buf, base, end, f"payload_sz {size} runs past the attribute ({end - base} bytes)")]
        data = bytes(buf[base:base + size])
        out = [Node(field, data, base, size, f"{size} bytes", label="payload")] if size else []
        return out + _rest(buf, base + size, end, "after the payload",
                           "the kernel's allocation: payload_sz + 1" if sent_plus_one else "")
    return after


def _spnego_request_after(buf, start, end, order, v, top):
    """spnego_blob_len bytes of GSS token at offset 6; the kernel sends sizeof (8) + blob_len + 1."""
    base = start + SPNEGO_REQUEST.size
    size = v["spnego_blob_len"]
    if base + size > end:
        return [_bad(buf, base, end, f"spnego_blob_len {size} runs past the attribute ({end - base} bytes)", True)]
    out = [secret_node(_F["spnego_request.spnego_blob"], buf, base, base + size, label="spnego_blob", digest=False)] if size else []
    return out + _rest(buf, base + size, end, "after the blob", "the struct's tail padding and the kernel's + 1",
                       secret=True)


def _spnego_response_after(buf, start, end, order, v, top):
    """The login response inside, then session_key_len bytes of session key and spnego_blob_len
    of token (ipc_validate_msg: exactly those)."""
    login = LOGIN_RESPONSE.node(buf, start + LOGIN_IN_SPNEGO, order, label="login_response")
    _strings_to_text(login)
    top.children.insert(1, login)   # in its place, between handle and session_key_len
    out = _reserved_nodes(LOGIN_RESPONSE, buf, start + LOGIN_IN_SPNEGO, True)
    out += _hash_check(buf, start + LOGIN_IN_SPNEGO, {c.field.abbrev.rsplit(".", 1)[1]: c.value
                                                      for c in login.children})
    base = start + SPNEGO_RESPONSE.size
    key, blob = v["session_key_len"], v["spnego_blob_len"]
    if base + key + blob != end:
        return out + [_bad(buf, base, end, f"session_key_len {key} + spnego_blob_len {blob} but {end - base} bytes "
                                           f"follow the struct: ipc_validate_msg() refuses the response", True)]
    if key:
        out.append(secret_node(_F["spnego_response.session_key"], buf, base, base + key, label="session_key", digest=False))
    if blob:
        out.append(secret_node(_F["spnego_response.spnego_blob"], buf, base + key, end, label="spnego_blob", digest=False))
    return out


def _hash_check(buf, start, v) -> list[Node]:
    """ksmbd_alloc_user() refuses a hash_sz larger than the hash (6.1 and 6.12 alike)."""
    if v["hash_sz"] > H.KSMBD_REQ_MAX_HASH_SZ:
        return [malformed(buf, start + 62, start + 64, f"hash_sz {v['hash_sz']} is more than the "
                                                       f"{H.KSMBD_REQ_MAX_HASH_SZ}-byte hash: the login is refused")]
    return []


def _login_after(buf, start, end, order, v, top):
    return _hash_check(buf, start, v) + _rest(buf, start + LOGIN_RESPONSE.size, end, "ignored by the kernel",
                                              secret=True)


def _login_ext_after(buf, start, end, order, v, top):
    """ngroups supplementary group ids (gid_t) after the struct; with ngroups 0 the rest is not read."""
    base = start + LOGIN_RESPONSE_EXT.size
    n = v["ngroups"]
    if n < 0 or n > NGROUPS_MAX:
        return [malformed(buf, start + 4, start + 8, f"ngroups {n} is outside 0..{NGROUPS_MAX}: "
                                                     f"ipc_validate_msg() refuses the response")]
    if not n:
        return _rest(buf, base, end, "ngroups is 0: not read")
    if base + 4 * n != end:
        return [malformed(buf, base, end, f"ngroups {n} wants {4 * n} bytes of gids, {end - base} follow: "
                                          f"ipc_validate_msg() refuses the response")]
    u32 = "<I" if order == "<" else ">I"
    return [Node(_F["login_response_ext.gid"], struct.unpack_from(u32, buf, base + 4 * i)[0], base + 4 * i, 4,
                 label=f"gid [{i}]") for i in range(n)]


def _summary(st: FixedStruct, what: str):
    def show(data: bytes) -> str:
        extra = len(data) - st.size
        return f"{what} ({st.size} bytes" + (f" + {extra}" if extra > 0 else "") + ")"
    return show


E = "KSMBD_EVENT_"
# (struct, decode hook, secret): the attribute of each event number
EVENT_SPECS = {
    "HEARTBEAT_REQUEST": (HEARTBEAT, _fixed(HEARTBEAT), False),
    "STARTING_UP": (STARTUP, _fixed(STARTUP, _startup_after), False),
    "SHUTTING_DOWN": (SHUTDOWN, _fixed(SHUTDOWN), False),
    "LOGIN_REQUEST": (LOGIN_REQUEST, _fixed(LOGIN_REQUEST), False),
    "LOGIN_RESPONSE": (LOGIN_RESPONSE, _fixed(LOGIN_RESPONSE, _login_after, secret=True), True),
    "SHARE_CONFIG_REQUEST": (SHARE_REQUEST, _fixed(SHARE_REQUEST), False),
    "SHARE_CONFIG_RESPONSE": (SHARE_RESPONSE, _fixed(SHARE_RESPONSE, _share_after), False),
    "TREE_CONNECT_REQUEST": (TREE_REQUEST, _fixed(TREE_REQUEST), False),
    "TREE_CONNECT_RESPONSE": (TREE_RESPONSE, _fixed(TREE_RESPONSE), False),
    "TREE_DISCONNECT_REQUEST": (TREE_DISCONNECT, _fixed(TREE_DISCONNECT), False),
    "LOGOUT_REQUEST": (LOGOUT, _fixed(LOGOUT), False),
    "RPC_REQUEST": (RPC_REQUEST, _fixed(RPC_REQUEST, _payload(_F["rpc_request.payload"], True, False)), False),
    "RPC_RESPONSE": (RPC_RESPONSE, _fixed(RPC_RESPONSE, _payload(_F["rpc_response.payload"], False, True)), False),
    "SPNEGO_AUTHEN_REQUEST": (SPNEGO_REQUEST, _fixed(SPNEGO_REQUEST, _spnego_request_after, secret=True), True),
    "SPNEGO_AUTHEN_RESPONSE": (SPNEGO_RESPONSE, _fixed(SPNEGO_RESPONSE, _spnego_response_after, secret=True), True),
    "LOGIN_REQUEST_EXT": (LOGIN_REQUEST, _fixed(LOGIN_REQUEST), False),
    "LOGIN_RESPONSE_EXT": (LOGIN_RESPONSE_EXT, _fixed(LOGIN_RESPONSE_EXT, _login_ext_after), False),
}
# an attribute holding a secret is redacted whole, by its length alone (its children still
# decode): what it holds is made from the user's password (an NT hash; NTLM's session key), so
# a digest would let a dictionary find the password; the others show their struct's name and size
EVENTS = enum_set("ksmbd", "ksmbd.event", H, "ksmbd_event", E, {
    name: a("binary", decode=hook, hint="password") if secret else
    a("binary", decode=hook, show=_summary(st, f"struct {st.cname}"))
    for name, (st, hook, secret) in EVENT_SPECS.items()}, label="ksmbd")


# --- Info --------------------------------------------------------------------------------------
def _q(s) -> str:
    return '"' + str(s).replace('"', '\\"') + '"'


@info(full_tree=True)   # the values are struct members, made by the attributes' decode hooks
def ksmbd_info(root) -> str:
    """What ksmbd.mountd would log of the event: `LOGIN_REQUEST "nlsuser"`, `TREE_CONNECT_REQUEST
    share "nlsshare" from 127.0.0.1`, `STARTING_UP "NLSCOPE" … tcp_port 445 ifc_list lo`."""
    attr = next((c for c in root.children or () if c.field.abbrev.startswith("ksmbd.event.")), None)
    if attr is None:
        return ""
    event = attr.field.abbrev[len("ksmbd.event."):].upper()
    f = root.first
    if attr.children and attr.children[0].status == MALFORMED:
        return f"{event} (malformed)"
    parts = [event]
    if event == "STARTING_UP" and f("ksmbd.startup.tcp_port") is not None:
        ifcs = [n.value for n in root.find_all("ksmbd.startup.interface")]
        parts += [_q(f("ksmbd.startup.netbios_name")), "work_group", _q(f("ksmbd.startup.work_group")),
                  "tcp_port", str(f("ksmbd.startup.tcp_port")), "ifc_list", ",".join(ifcs) if ifcs else "(all)"]
    elif event in ("LOGIN_REQUEST", "LOGIN_REQUEST_EXT") and f("ksmbd.login_request.account") is not None:
        parts += [_q(f("ksmbd.login_request.account")), "handle", str(f("ksmbd.login_request.handle"))]
    elif event in ("LOGIN_RESPONSE", "SPNEGO_AUTHEN_RESPONSE") and f("ksmbd.login_response.status") is not None:
        parts += [_q(f("ksmbd.login_response.account")), _flag_words(f("ksmbd.login_response.status"), USER_FLAGS)]
        if f("ksmbd.login_response.status") & H.KSMBD_USER_FLAG_OK:
            parts += ["uid", str(f("ksmbd.login_response.uid")), "gid", str(f("ksmbd.login_response.gid"))]
        if event == "SPNEGO_AUTHEN_RESPONSE":
            parts += ["session_key", f"{f('ksmbd.spnego_response.session_key_len')} bytes"]
        else:
            parts += ["handle", str(f("ksmbd.login_response.handle"))]
    elif event == "LOGIN_RESPONSE_EXT" and f("ksmbd.login_response_ext.ngroups") is not None:
        gids = [str(n.value) for n in root.find_all("ksmbd.login_response_ext.gid")]
        parts += ["ngroups", str(f("ksmbd.login_response_ext.ngroups"))] + (["gids", ",".join(gids)] if gids else [])
    elif event == "SHARE_CONFIG_REQUEST" and f("ksmbd.share_request.share_name") is not None:
        parts += [_q(f("ksmbd.share_request.share_name")), "handle", str(f("ksmbd.share_request.handle"))]
    elif event == "SHARE_CONFIG_RESPONSE" and f("ksmbd.share_response.flags") is not None:
        flags = f("ksmbd.share_response.flags")
        if flags == H.KSMBD_SHARE_FLAG_INVALID:
            parts.append("INVALID (no such share)")
        else:
            parts.append(_q(f("ksmbd.share_response.share_name")))
            if flags & H.KSMBD_SHARE_FLAG_PIPE:
                parts.append("PIPE")
            path = f("ksmbd.share_response.path")
            if path is not None:
                parts += ["path", path]
            vetos = [n.value for n in root.find_all("ksmbd.share_response.veto")]
            if vetos:
                parts += ["veto", "/" + "/".join(vetos) + "/"]
        parts += ["handle", str(f("ksmbd.share_response.handle"))]
    elif event == "TREE_CONNECT_REQUEST" and f("ksmbd.tree_request.share") is not None:
        parts += ["share", _q(f("ksmbd.tree_request.share")), "user", _q(f("ksmbd.tree_request.account")),
                  "from", f("ksmbd.tree_request.peer_addr")]
    elif event == "TREE_CONNECT_RESPONSE" and f("ksmbd.tree_response.status") is not None:
        status = f("ksmbd.tree_response.status")
        parts += [_short(TREE_STATUS.get(status, str(status))),
                  _flag_words(f("ksmbd.tree_response.connection_flags"), TREE_FLAGS),
                  "handle", str(f("ksmbd.tree_response.handle"))]
    elif event == "TREE_DISCONNECT_REQUEST" and f("ksmbd.tree_disconnect.session_id") is not None:
        parts += ["session", str(f("ksmbd.tree_disconnect.session_id")),
                  "tree", str(f("ksmbd.tree_disconnect.connect_id"))]
    elif event == "LOGOUT_REQUEST" and f("ksmbd.logout.account") is not None:
        parts += [_q(f("ksmbd.logout.account")), _flag_words(f("ksmbd.logout.account_flags"), USER_FLAGS)]
    elif event == "RPC_REQUEST" and f("ksmbd.rpc_request.flags") is not None:
        parts += ["handle", str(f("ksmbd.rpc_request.handle")), _flag_words(f("ksmbd.rpc_request.flags"), RPC_FLAGS),
                  f"{f('ksmbd.rpc_request.payload_sz')} bytes"]
    elif event == "RPC_RESPONSE" and f("ksmbd.rpc_response.flags") is not None:
        status = f("ksmbd.rpc_response.flags")
        parts += ["handle", str(f("ksmbd.rpc_response.handle")), _short(RPC_STATUS.get(status, hex(status))),
                  f"{f('ksmbd.rpc_response.payload_sz')} bytes"]
    elif event == "SPNEGO_AUTHEN_REQUEST" and f("ksmbd.spnego_request.spnego_blob_len") is not None:
        parts += ["handle", str(f("ksmbd.spnego_request.handle")),
                  "blob", f"{f('ksmbd.spnego_request.spnego_blob_len')} bytes"]
    elif event == "HEARTBEAT_REQUEST" and f("ksmbd.heartbeat.handle") is not None:
        parts += ["handle", str(f("ksmbd.heartbeat.handle"))]
    return " ".join(parts)


COMMANDS = {getattr(H, E + name): MessageType(0, E + name, "other", None, EVENTS, info=ksmbd_info)
            for name in EVENT_SPECS}
register_genl_family(GenlFamily("SMBD_GENL", "ksmbd", COMMANDS, EVENTS))
