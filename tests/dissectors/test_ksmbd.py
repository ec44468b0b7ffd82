"""SMBD_GENL (ksmbd, fs/smb/server/transport_ipc.c) from messages built as the kernel and
ksmbd.mountd build them: every event's struct and what follows it, lengths as the kernel takes or
refuses them (ksmbd_nl_policy, ipc_validate_msg, ksmbd_alloc_user), the layouts of 6.1 and 6.12,
secrets redacted; and the enums, #defines and struct layouts typed in dissectors/families/genl/
ksmbd.py against linux-source-6.12's fs/smb/server/ksmbd_netlink.h."""
from __future__ import annotations

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
from dissectors.families.genl import ksmbd as K  # noqa: E402

H = K.H
FID = 0x40
NLM_F_REQUEST, NLM_F_ACK = 1, 4
ROOT = tool.ROOT
TREES = [ROOT / ".cache" / "linux-6.12", Path("/usr/src/linux-source-6.12")]
HEADER = "fs/smb/server/ksmbd_netlink.h"


def frame(event: int, payload: bytes, flags: int = 0, attr: int | None = None, order: str = "<") -> bytes:
    """One SMBD_GENL message: genlmsghdr (cmd `event`, version 1) and the event's attribute."""
    return msg(FID, flags, bytes([event, H.KSMBD_GENL_VERSION, 0, 0]) + nla(event if attr is None else attr, payload,
                                                                            order), order=order)


def decode(event: int, payload: bytes, flags: int = 0, whole: bool = True, ctx=None, **kw):
    """The message decoded in full; `whole`: nothing in it has a status.  Its Info from a fresh
    decode is the one the full tree makes."""
    fr = frame(event, payload, flags, **kw)
    cheap = decode_frame(fr, 16, ctx or Context({FID: "SMBD_GENL"}))[0].info
    (m,) = decode_frame(fr, 16, ctx or Context({FID: "SMBD_GENL"}))
    assert m.claimed and m.family == "SMBD_GENL"
    assert cheap == m.message_type.info(m.tree)
    if whole:
        bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
        assert not bad and not m.malformed, bad
    return m


def s(text: str, n: int) -> bytes:
    return text.encode().ljust(n, b"\0")


def statuses(m) -> list[tuple[str, str]]:
    return [(n.status, n.show) for n in m.tree.walk() if n.status]


def everything(m) -> str:
    """What -V, JSON and the values a filter reads show of a message."""
    values = [repr(n.value) for n in m.tree.walk()] + [n.show for n in m.tree.walk()]
    return "\n".join([format_tree(m.tree), json.dumps(m.to_json())] + values)


NT_HASH = bytes.fromhex("ad0d2d7a84406df493e8156d6050a551")   # ksmbd.adduser's nlspass1


def login_response(account="nlsuser", status=H.KSMBD_USER_FLAG_OK, hash_sz=16, hash_=NT_HASH, handle=3) -> bytes:
    return K.LOGIN_RESPONSE.build({"handle": handle, "gid": 9999, "uid": 9999, "account": s(account, 48),
                                   "status": status, "hash_sz": hash_sz, "password_hash": hash_.ljust(18, b"\0")})


def share_response(name="docs", flags=0x2cf, veto=b"", path=b"/srv/docs", payload_sz=None) -> bytes:
    payload = (veto + b"\0" if veto else b"") + path + b"\0"
    body = K.SHARE_RESPONSE.build({"handle": 1, "flags": flags, "create_mask": 0o744, "directory_mask": 0o755,
                                   "force_uid": 0xFFFF, "force_gid": 0xFFFF, "share_name": s(name, 64),
                                   "payload_sz": len(payload) if payload_sz is None else payload_sz,
                                   "veto_list_sz": len(veto)})
    return body + payload


# --- every event ---------------------------------------------------------------------------------
def test_every_event_is_a_command_with_its_struct():
    fam = dissectors.GENL_FAMILIES["SMBD_GENL"]
    assert sorted(fam.commands) == list(range(1, 18))
    for cmd, mt in fam.commands.items():
        st, _, _ = K.EVENT_SPECS[mt.name[len("KSMBD_EVENT_"):]]
        payload = bytes(st.size)
        if st is K.SHARE_RESPONSE:
            payload = share_response()   # a valid share has a path
        m = decode(cmd, payload)
        assert m.type_name == mt.name and m.info.startswith(mt.name[len("KSMBD_EVENT_"):])
        assert m.tree.find(st.prefix) is not None, mt.name


def test_heartbeat_and_starting_up_with_interfaces():
    m = decode(H.KSMBD_EVENT_HEARTBEAT_REQUEST, K.HEARTBEAT.build({"handle": 0}))
    assert m.info == "HEARTBEAT_REQUEST handle 0"
    ifc = b"eth0\0lo\0"
    body = K.STARTUP.build({"flags": H.KSMBD_GLOBAL_FLAG_SMB2_LEASES | H.KSMBD_GLOBAL_FLAG_DURABLE_HANDLE,
                            "signing": H.KSMBD_CONFIG_OPT_AUTO, "min_prot": s("SMB2_10", 16),
                            "netbios_name": s("NLSCOPE", 16), "work_group": s("WORKGROUP", 64),
                            "server_string": s("srv", 64), "tcp_port": 4445, "ipc_timeout": 2,
                            "sub_auth_0": 7, "max_ip_connections": 3, "ifc_list_sz": len(ifc)})
    m = decode(H.KSMBD_EVENT_STARTING_UP, body + ifc, flags=NLM_F_REQUEST | NLM_F_ACK)
    assert m.info == 'STARTING_UP "NLSCOPE" work_group "WORKGROUP" tcp_port 4445 ifc_list eth0,lo'
    t = m.tree
    assert [n.value for n in t.find_all("ksmbd.startup.interface")] == ["eth0", "lo"]
    assert t.first("ksmbd.startup.min_prot") == "SMB2_10" and t.first("ksmbd.startup.max_prot") == ""
    assert t.find("ksmbd.startup.signing").show == "KSMBD_CONFIG_OPT_AUTO (2)"
    assert t.first("ksmbd.startup.flags.durable_handle") is True
    assert (t.first("ksmbd.startup.max_ip_connections"), t.first("ksmbd.startup.sub_auth_0")) == (3, 7)
    # packed: tcp_port right after server_string, max_ip_connections at 237, ifc_list_sz at 740
    base = t.find("ksmbd.startup").offset
    assert t.find("ksmbd.startup.tcp_port").offset - base == 184
    assert t.find("ksmbd.startup.max_ip_connections").offset - base == 237
    assert t.find("ksmbd.startup.ifc_list_sz").offset - base == 740
    m = decode(H.KSMBD_EVENT_STARTING_UP, K.STARTUP.build({"tcp_port": 445}))
    assert m.info.endswith("tcp_port 445 ifc_list (all)")


def test_login_request_and_ext():
    body = K.LOGIN_REQUEST.build({"handle": 5, "account": s("nlsuser", 48)})
    assert decode(H.KSMBD_EVENT_LOGIN_REQUEST, body).info == 'LOGIN_REQUEST "nlsuser" handle 5'
    assert decode(H.KSMBD_EVENT_LOGIN_REQUEST_EXT, body).info == 'LOGIN_REQUEST_EXT "nlsuser" handle 5'


def test_login_response_ok_and_bad_user():
    m = decode(H.KSMBD_EVENT_LOGIN_RESPONSE, login_response(), flags=NLM_F_REQUEST | NLM_F_ACK)
    assert m.info == 'LOGIN_RESPONSE "nlsuser" OK uid 9999 gid 9999 handle 3'
    assert m.tree.first("ksmbd.login_response.status.ok") is True
    m = decode(H.KSMBD_EVENT_LOGIN_RESPONSE, K.LOGIN_RESPONSE.build({"status": H.KSMBD_USER_FLAG_BAD_USER}))
    assert m.info == 'LOGIN_RESPONSE "" BAD_USER handle 0'


def test_login_response_ext_groups():
    body = K.LOGIN_RESPONSE_EXT.build({"handle": 2, "ngroups": 2}) + struct.pack("<II", 100, 27)
    m = decode(H.KSMBD_EVENT_LOGIN_RESPONSE_EXT, body)
    assert m.info == "LOGIN_RESPONSE_EXT ngroups 2 gids 100,27"
    # ngroups 0: what follows is not read (ipc_validate_msg checks no length then)
    m = decode(H.KSMBD_EVENT_LOGIN_RESPONSE_EXT, K.LOGIN_RESPONSE_EXT.build({}) + b"\x01\0\0\0", whole=False)
    assert [st for st, _ in statuses(m)] == [UNKNOWN]


def test_share_config_request_and_responses():
    body = K.SHARE_REQUEST.build({"handle": 4, "share_name": s("docs", 64)})
    assert decode(H.KSMBD_EVENT_SHARE_CONFIG_REQUEST, body).info == 'SHARE_CONFIG_REQUEST "docs" handle 4'
    m = decode(H.KSMBD_EVENT_SHARE_CONFIG_RESPONSE, share_response(veto=b"*.tmp\0secret*\0"))
    t = m.tree
    assert [n.value for n in t.find_all("ksmbd.share_response.veto")] == ["*.tmp", "secret*"]
    assert t.first("ksmbd.share_response.path") == "/srv/docs"
    assert m.info == 'SHARE_CONFIG_RESPONSE "docs" path /srv/docs veto /*.tmp/secret*/ handle 1'
    assert t.find("ksmbd.share_response.create_mask").show == "0o744"
    # IPC$: a pipe, one NUL of payload, nothing read after the struct
    m = decode(H.KSMBD_EVENT_SHARE_CONFIG_RESPONSE, share_response("IPC$", 0x100 | 1, path=b"", payload_sz=0))
    assert m.info == 'SHARE_CONFIG_RESPONSE "IPC$" PIPE handle 1'
    assert m.tree.find("ksmbd.padding").length == 1
    m = decode(H.KSMBD_EVENT_SHARE_CONFIG_RESPONSE, bytes(536))
    assert m.info == "SHARE_CONFIG_RESPONSE INVALID (no such share) handle 0"


def test_share_config_response_of_old_and_new_daemons():
    """ksmbd-tools before 3.5.2 (Debian 12's 3.4.7) leave payload_sz 0: the payload is the bytes
    after the struct, as 6.12 takes it; a newer daemon says it, and the same share decodes."""
    old = decode(H.KSMBD_EVENT_SHARE_CONFIG_RESPONSE, share_response(veto=b"a\0", payload_sz=0))
    new = decode(H.KSMBD_EVENT_SHARE_CONFIG_RESPONSE, share_response(veto=b"a\0"))
    for m in (old, new):
        t = m.tree
        assert (t.first("ksmbd.share_response.path"), t.first("ksmbd.share_response.veto")) == ("/srv/docs", "a")
    assert old.tree.find("ksmbd.share_response.payload_sz").show.startswith("0 (the 13 bytes after the struct")
    assert new.tree.first("ksmbd.share_response.payload_sz") == 13


@pytest.mark.parametrize("payload, why", [
    (share_response(payload_sz=99), "payload_sz 99 but 10 bytes follow the struct"),
    (share_response(veto=b"abc\0", payload_sz=0)[:532] + struct.pack("<I", 40) + b"abc\0\0/x\0",
     "veto_list_sz 40 is more than the 8 bytes of payload"),
    (share_response(path=b"", veto=b"abc\0", payload_sz=0)[:536] + b"abc\0", "no path after the veto list"),
], ids=["payload_sz", "veto_list_sz", "no path"])
def test_share_config_responses_the_kernel_refuses(payload, why):
    m = decode(H.KSMBD_EVENT_SHARE_CONFIG_RESPONSE, payload, whole=False)
    ((status, show),) = statuses(m)
    assert status == MALFORMED and why in show and "at offset" in show


def test_share_name_without_its_nul_is_refused():
    body = share_response(name="x" * 64)
    m = decode(H.KSMBD_EVENT_SHARE_CONFIG_RESPONSE, body, whole=False)
    assert [st for st, show in statuses(m) if "not NUL-terminated" in show] == [MALFORMED]


def test_tree_connect_disconnect_logout():
    body = K.TREE_REQUEST.build({"handle": 1, "account_flags": 1, "flags": 3, "session_id": 1, "connect_id": 2,
                                 "account": s("nlsuser", 48), "share": s("nlsshare", 64),
                                 "peer_addr": s("10.1.2.3", 64)})
    m = decode(H.KSMBD_EVENT_TREE_CONNECT_REQUEST, body)
    assert m.info == 'TREE_CONNECT_REQUEST share "nlsshare" user "nlsuser" from 10.1.2.3'
    assert m.tree.first("ksmbd.tree_request.flags.smb2") is True
    body = K.TREE_RESPONSE.build({"handle": 1, "status": H.KSMBD_TREE_CONN_STATUS_OK,
                                  "connection_flags": H.KSMBD_TREE_CONN_FLAG_WRITABLE})
    assert decode(H.KSMBD_EVENT_TREE_CONNECT_RESPONSE, body).info == "TREE_CONNECT_RESPONSE OK WRITABLE handle 1"
    body = K.TREE_RESPONSE.build({"status": H.KSMBD_TREE_CONN_STATUS_NO_SHARE})
    m = decode(H.KSMBD_EVENT_TREE_CONNECT_RESPONSE, body)
    assert m.info == "TREE_CONNECT_RESPONSE NO_SHARE 0 handle 0"
    assert m.tree.find("ksmbd.tree_response.status").show == "KSMBD_TREE_CONN_STATUS_NO_SHARE (2)"
    body = K.TREE_DISCONNECT.build({"session_id": 1, "connect_id": 2})
    assert decode(H.KSMBD_EVENT_TREE_DISCONNECT_REQUEST, body).info == "TREE_DISCONNECT_REQUEST session 1 tree 2"
    body = K.LOGOUT.build({"account": s("nlsuser", 48), "account_flags": 3})
    assert decode(H.KSMBD_EVENT_LOGOUT_REQUEST, body).info == 'LOGOUT_REQUEST "nlsuser" OK,BAD_PASSWORD'


def test_rpc_request_and_response():
    dce = bytes(range(72))
    # ksmbd_rpc_ioctl(): ipc_msg_alloc(sizeof + payload_sz + 1)
    body = K.RPC_REQUEST.build({"handle": 0, "flags": H.KSMBD_RPC_SRVSVC_METHOD_INVOKE | H.KSMBD_RPC_IOCTL_METHOD,
                                "payload_sz": len(dce)}) + dce + b"\0"
    m = decode(H.KSMBD_EVENT_RPC_REQUEST, body)
    assert m.info == "RPC_REQUEST handle 0 METHOD_RETURN,SRVSVC_METHOD_INVOKE,IOCTL_METHOD 72 bytes"
    assert m.tree.first("ksmbd.rpc_request.payload") == dce and m.tree.find("ksmbd.padding").length == 1
    body = K.RPC_REQUEST.build({"flags": H.KSMBD_RPC_OPEN_METHOD})   # open, close, read: no payload
    assert decode(H.KSMBD_EVENT_RPC_REQUEST, body).info == "RPC_REQUEST handle 0 OPEN_METHOD 0 bytes"
    body = K.RPC_RESPONSE.build({"handle": 0, "flags": H.KSMBD_RPC_EMORE_DATA, "payload_sz": 4}) + b"abcd"
    m = decode(H.KSMBD_EVENT_RPC_RESPONSE, body)
    assert m.info == "RPC_RESPONSE handle 0 EMORE_DATA 4 bytes"
    assert m.tree.find("ksmbd.rpc_response.flags").show == "KSMBD_RPC_EMORE_DATA (234)"
    # a response is exactly sizeof + payload_sz (ipc_validate_msg): one byte more is refused
    m = decode(H.KSMBD_EVENT_RPC_RESPONSE, body + b"\0", whole=False)
    ((status, show),) = statuses(m)
    assert status == MALFORMED and "payload_sz 4 but 5 bytes follow" in show
    # a request whose payload_sz runs past the attribute
    m = decode(H.KSMBD_EVENT_RPC_REQUEST, K.RPC_REQUEST.build({"payload_sz": 9}) + b"ab", whole=False)
    assert [st for st, _ in statuses(m)] == [MALFORMED]


def test_spnego_request_and_response_keep_their_secrets():
    token = bytes(range(0x80, 0xA0))
    # ksmbd_ipc_spnego_authen_request(): sizeof (8: the blob at 6) + blob_len + 1
    body = K.SPNEGO_REQUEST.build({"handle": 9, "spnego_blob_len": len(token)}) + token + b"\0\0\0"
    m = decode(H.KSMBD_EVENT_SPNEGO_AUTHEN_REQUEST, body)
    assert m.info == "SPNEGO_AUTHEN_REQUEST handle 9 blob 32 bytes"
    assert m.tree.find("ksmbd.spnego_request.spnego_blob").offset - m.tree.find("ksmbd.spnego_request").offset == 6
    assert token.hex() not in everything(m)
    key = bytes(range(0x40, 0x50))
    body = (K.SPNEGO_RESPONSE.build({"handle": 9, "session_key_len": 16, "spnego_blob_len": len(token)})[:4]
            + login_response(handle=9) + struct.pack("<HH", 16, len(token)) + key + token)
    m = decode(H.KSMBD_EVENT_SPNEGO_AUTHEN_RESPONSE, body)
    assert m.info == 'SPNEGO_AUTHEN_RESPONSE "nlsuser" OK uid 9999 gid 9999 session_key 16 bytes'
    inner = m.tree.find("ksmbd.spnego_response")
    assert [c.name for c in inner.children][:2] == ["Handle", "login_response"]
    for secret in (key, token, NT_HASH):
        assert secret.hex() not in everything(m)
    shown = decode(H.KSMBD_EVENT_SPNEGO_AUTHEN_RESPONSE, body, ctx=Context({FID: "SMBD_GENL"}, show_secrets=True))
    assert shown.tree.first("ksmbd.spnego_response.session_key") == key
    assert shown.tree.first("ksmbd.spnego_response.spnego_blob") == token
    # lengths that do not add up to the attribute are refused by ipc_validate_msg
    m = decode(H.KSMBD_EVENT_SPNEGO_AUTHEN_RESPONSE, body[:-1], whole=False)
    assert [st for st, show in statuses(m) if "session_key_len 16 + spnego_blob_len 32" in show] == [MALFORMED]
    assert key.hex() not in everything(m)


def test_the_password_hash_is_a_secret():
    m = decode(H.KSMBD_EVENT_LOGIN_RESPONSE, login_response(), flags=NLM_F_REQUEST | NLM_F_ACK)
    text = everything(m)
    assert NT_HASH.hex() not in text and NT_HASH[:8].hex() not in text
    node = m.tree.find("ksmbd.login_response.password_hash")
    # made from the password (MD4 of it): its length only, no digest a dictionary could match
    assert node.value == "<18 bytes>"
    assert m.tree.first("ksmbd.event.login_response") == "<148 bytes>"   # the whole attribute
    shown = decode(H.KSMBD_EVENT_LOGIN_RESPONSE, login_response(), ctx=Context({FID: "SMBD_GENL"}, show_secrets=True))
    assert shown.tree.first("ksmbd.login_response.password_hash")[:16] == NT_HASH


def test_unknown_bytes_of_an_attribute_holding_secrets_are_redacted_too():
    """Bytes after a login response, or in its reserved room, are shown unknown, never raw: the
    attribute holds the hash (a newer struct might put more there)."""
    extra = bytes(range(0xA0, 0xB4))
    body = bytearray(login_response() + extra)
    body[100:104] = b"\xde\xad\xbe\xef"   # inside reserved[16]
    m = decode(H.KSMBD_EVENT_LOGIN_RESPONSE, bytes(body), whole=False)
    assert [st for st, _ in statuses(m)] == [UNKNOWN, UNKNOWN]
    text = everything(m)
    assert extra.hex() not in text and "deadbeef" not in text and NT_HASH.hex() not in text
    shown = decode(H.KSMBD_EVENT_LOGIN_RESPONSE, bytes(body), whole=False,
                   ctx=Context({FID: "SMBD_GENL"}, show_secrets=True))
    reserved = bytes(16) + b"\xde\xad\xbe\xef" + bytes(44)
    assert [n.value for n in shown.tree.find_all("ksmbd.redacted")] == [reserved, extra]


def test_hash_sz_beyond_the_hash_is_refused():
    """ksmbd_alloc_user() (6.1.0-57 and 6.12 alike) refuses hash_sz > KSMBD_REQ_MAX_HASH_SZ."""
    m = decode(H.KSMBD_EVENT_LOGIN_RESPONSE, login_response(hash_sz=19), whole=False)
    ((status, show),) = statuses(m)
    assert status == MALFORMED and "hash_sz 19" in show
    assert NT_HASH.hex() not in everything(m)


# --- lengths ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("event, st, secret", [(getattr(H, "KSMBD_EVENT_" + n), st, secret)
                                               for n, (st, _, secret) in K.EVENT_SPECS.items() if st.size],
                         ids=lambda x: getattr(x, "cname", str(x)))
def test_a_struct_shorter_than_sizeof_is_malformed_with_its_bytes(event, st, secret):
    """ksmbd_nl_policy takes sizeof(struct) at least: one byte short is shown, not guessed; in
    an attribute holding secrets (a hash, a token) the bytes are there redacted, and revealed
    only when asked."""
    payload = bytes(i & 0xFF for i in range(st.size - 1))
    m = decode(event, payload, whole=False)
    (bad,) = [n for n in m.tree.walk() if n.status]
    assert bad.status == MALFORMED and f"needs {st.size} bytes" in bad.show
    assert bad.offset == 16 + 4 + 4 and bad.length == len(payload)   # nlmsghdr, genlmsghdr, nlattr
    assert m.info.endswith("(malformed)")
    if not secret:
        assert bad.value == payload
        return
    assert bad.value is None and payload[-8:].hex() not in everything(m)
    shown = decode(event, payload, whole=False, ctx=Context({FID: "SMBD_GENL"}, show_secrets=True))
    assert shown.tree.first("ksmbd.redacted") == payload


def test_pre_5_17_layouts_without_reserved_room_are_too_short():
    """Before the reserved room (v5.15's first layout) a login request was 52 bytes: 6.1 and
    6.12 want 116, so it is shown malformed, as their policy refuses it."""
    m = decode(H.KSMBD_EVENT_LOGIN_REQUEST, struct.pack("<I", 1) + s("nlsuser", 48), whole=False)
    assert [st for st, _ in statuses(m)] == [MALFORMED]


def test_bytes_past_a_struct_and_reserved_room_not_zero_are_unknown():
    """The kernel takes more than sizeof and ignores it; a newer layout's member in reserved room."""
    m = decode(H.KSMBD_EVENT_TREE_CONNECT_RESPONSE, K.TREE_RESPONSE.build({}) + b"\x01\x02", whole=False)
    ((status, show),) = statuses(m)
    assert status == UNKNOWN and show.startswith("0102")
    body = bytearray(K.LOGIN_REQUEST.build({"account": s("u", 48)}))
    body[60] = 7   # inside reserved[16]
    m = decode(H.KSMBD_EVENT_LOGIN_REQUEST, bytes(body), whole=False)
    ((status, show),) = statuses(m)
    assert status == UNKNOWN and "reserved" in show and m.info == 'LOGIN_REQUEST "u" handle 0'


def test_startup_interface_list_lengths():
    body = K.STARTUP.build({"ifc_list_sz": 10}) + b"lo\0"
    m = decode(H.KSMBD_EVENT_STARTING_UP, body, whole=False)
    assert [n.value for n in m.tree.find_all("ksmbd.startup.interface")] == ["lo"]
    assert [st for st, show in statuses(m) if "ifc_list_sz 10 runs past" in show] == [MALFORMED]
    # an empty name ends the kernel's walk (ksmbd_tcp_set_interfaces); zeros after it are padding
    m = decode(H.KSMBD_EVENT_STARTING_UP, K.STARTUP.build({"ifc_list_sz": 6}) + b"lo\0\0\0\0")
    assert [n.value for n in m.tree.find_all("ksmbd.startup.interface")] == ["lo"]


def test_login_response_ext_lengths_the_kernel_refuses():
    for ngroups, tail, why in ((-1, b"", "ngroups -1 is outside"), (2, b"\0" * 4, "ngroups 2 wants 8 bytes")):
        m = decode(H.KSMBD_EVENT_LOGIN_RESPONSE_EXT, K.LOGIN_RESPONSE_EXT.build({"ngroups": ngroups}) + tail,
                   whole=False)
        assert [st for st, show in statuses(m) if why in show] == [MALFORMED]


def test_an_attribute_of_another_number_is_decoded_by_its_number():
    """The kernel reads info->attrs[cmd]; each attribute number has its struct whatever the cmd."""
    body = K.LOGIN_REQUEST.build({"account": s("x", 48)})
    m = decode(H.KSMBD_EVENT_HEARTBEAT_REQUEST, body, attr=H.KSMBD_EVENT_LOGIN_REQUEST)
    assert m.tree.first("ksmbd.login_request.account") == "x"
    m = decode(H.KSMBD_EVENT_HEARTBEAT_REQUEST, b"\0" * 4, attr=0, whole=False)   # KSMBD_EVENT_UNSPEC
    assert [st for st, _ in statuses(m)] == [UNKNOWN]


def test_big_endian_host():
    body = K.LOGIN_RESPONSE_EXT.build({"ngroups": 1}, ">") + struct.pack(">I", 100)
    (m,) = decode_frame(frame(H.KSMBD_EVENT_LOGIN_RESPONSE_EXT, body, order=">"), 16, Context({FID: "SMBD_GENL"}))
    assert m.info == "LOGIN_RESPONSE_EXT ngroups 1 gids 100"


def test_garbage_never_raises():
    for event in range(0, 20):
        for n in (0, 1, 5, 11, 135, 147, 535, 537, 743, 745):
            payload = bytes((i * 7 + event) & 0xFF for i in range(n))
            for m in decode_frame(frame(event, payload), 16, Context({FID: "SMBD_GENL"})):
                format_tree(m.tree)
                assert "dissector error" not in format_tree(m.tree)
                m.info   # noqa: B018


# --- 6.1 and 6.12 --------------------------------------------------------------------------------
# sizeof and the offsets that moved over the years, as pahole reads them from the BTF of Debian
# 12's 6.1.0-57-amd64 fs/smb/server/ksmbd.ko (6.1.192): the same as 6.12's header
BTF_61 = {
    "ksmbd_startup_request": (744, {"tcp_port": 184, "smbd_max_io_size": 228, "max_connections": 232,
                                    "bind_interfaces_only": 236, "max_ip_connections": 237, "ifc_list_sz": 740}),
    "ksmbd_login_request": (116, {"account": 4}),
    "ksmbd_login_response": (148, {"status": 60, "hash_sz": 62, "password_hash": 64}),
    "ksmbd_share_config_request": (132, {"share_name": 4}),
    "ksmbd_share_config_response": (536, {"share_name": 20, "payload_sz": 528, "veto_list_sz": 532}),
    "ksmbd_tree_connect_request": (264, {"session_id": 8, "account": 24, "share": 72, "peer_addr": 136}),
    "ksmbd_tree_connect_response": (72, {"connection_flags": 6}),
    "ksmbd_tree_disconnect_request": (80, {"connect_id": 8}),
    "ksmbd_logout_request": (116, {"account_flags": 48}),
    "ksmbd_rpc_command": (12, {"payload_sz": 8}),
    "ksmbd_spnego_authen_response": (156, {"session_key_len": 152, "spnego_blob_len": 154}),
}
# 6.1.0-57's enum ksmbd_event ends at SPNEGO_AUTHEN_RESPONSE (KSMBD_EVENT_MAX 15): no login ext
EVENT_MAX_61 = 15


def _layout(st) -> tuple[int, dict]:
    offs, pos = {}, 0
    for mem in st.members:
        if not mem.hidden:
            offs[mem.name] = pos
        pos += mem.con.sizeof()
    return pos, offs


def test_structs_are_6_1s_layout_too():
    mine = {st.cname: st for st in (K.STARTUP, K.LOGIN_REQUEST, K.LOGIN_RESPONSE, K.SHARE_REQUEST, K.SHARE_RESPONSE,
                                    K.TREE_REQUEST, K.TREE_RESPONSE, K.TREE_DISCONNECT, K.LOGOUT, K.RPC_REQUEST,
                                    K.SPNEGO_RESPONSE)}
    for cname, (size, offsets) in BTF_61.items():
        got_size, got = _layout(mine[cname])
        assert got_size == size, cname
        assert {k: got[k] for k in offsets} == offsets, cname


def test_6_1_lacks_the_login_extension_events():
    assert H.KSMBD_EVENT_SPNEGO_AUTHEN_RESPONSE == EVENT_MAX_61
    assert {H.KSMBD_EVENT_LOGIN_REQUEST_EXT, H.KSMBD_EVENT_LOGIN_RESPONSE_EXT} == {EVENT_MAX_61 + 1, EVENT_MAX_61 + 2}
    assert H.KSMBD_USER_FLAG_EXTENSION == 1 << 6


# --- the header itself ---------------------------------------------------------------------------
_SIZES = {"__u8": 1, "__s8": 1, "char": 1, "__u16": 2, "__s16": 2, "__u32": 4, "__s32": 4, "__u64": 8, "__s64": 8}


def _header_text() -> str:
    tree = next((t for t in TREES if (t / HEADER).exists()), None)
    if tree is None:
        pytest.fail(f"{HEADER} (no UAPI) is in no kernel tree here: tools/run-tests extracts it from "
                    "linux-source-6.12 into .cache/linux-6.12")
    return (tree / HEADER).read_text()


def c_layouts(text: str, consts: dict) -> dict[str, tuple[int, list]]:
    """struct name -> (sizeof, [(member, offset, size)]) as the compiler lays them out: natural
    alignment, or none for __packed; a flexible array member sits at the end, size 0."""
    aligns: dict[str, int] = {}
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    out: dict = {}
    for m in re.finditer(r"^struct\s+(\w+)\s*\{(.*?)^\}\s*(__packed)?\s*;", text, flags=re.S | re.M):
        packed, pos, align, members = bool(m.group(3)), 0, 1, []
        for decl in m.group(2).split(";"):
            decl = " ".join(decl.split())
            if not decl:
                continue
            d = re.fullmatch(r"(struct \w+|\w+) (\w+)(?:\[(\w*)\])?", decl)
            assert d, decl
            ctype, name, count = d.groups()
            if ctype.startswith("struct "):   # a struct inside: its size and its alignment
                size, al = out[ctype[7:]][0], aligns[ctype[7:]]
            else:
                size = al = _SIZES[ctype]
            al = 1 if packed else al
            pos += -pos % al
            n = 0 if count == "" else (1 if count is None else int(consts.get(count, count)))
            members.append((name, pos, size * n))
            pos += size * n
            align = max(align, al)
        pos += -pos % align
        out[m.group(1)] = (pos, members)
        aligns[m.group(1)] = align
    return out


def _parsed():
    gen = tool.load("gen_uapi")
    text = re.sub(r"\bBIT\((\d+)\)", r"(1 << \1)", _header_text())
    consts, enums = gen.parse_header(gen.exported(text), {})
    return text, consts, enums


def test_enums_and_defines_are_the_headers():
    """Every enum member and #define of the header, with its value, and nothing more."""
    from tests.dissectors.test_genl_tail2_headers import _check
    _, consts, enums = _parsed()
    assert not _check(H, consts, enums, whole=True)
    theirs = {n: v for n, v in consts.items() if "KSMBD_" in n and n != "KSMBD_EVENT_MAX"}   # MAX: bookkeeping
    assert theirs == H.names()


# header member -> ours, where ours differs
RENAMED = {("ksmbd_login_response", "hash"): "password_hash"}


def test_struct_layouts_are_the_headers():
    text, consts, _ = _parsed()
    layouts = c_layouts(text, consts)
    mine = [K.HEARTBEAT, K.STARTUP, K.SHUTDOWN, K.LOGIN_REQUEST, K.LOGIN_RESPONSE, K.LOGIN_RESPONSE_EXT,
            K.SHARE_REQUEST, K.SHARE_RESPONSE, K.TREE_REQUEST, K.TREE_RESPONSE, K.TREE_DISCONNECT, K.LOGOUT,
            K.RPC_REQUEST, K.RPC_RESPONSE, K.SPNEGO_REQUEST, K.SPNEGO_RESPONSE]
    assert {st.cname for st in mine} == set(layouts)
    for st in mine:
        sizeof, members = layouts[st.cname]
        flex = [(n, off) for n, off, size in members if size == 0]
        if st is K.SPNEGO_REQUEST:   # the blob at 6, sizeof 8 with the tail padding
            assert (sizeof, flex) == (K.SPNEGO_REQUEST_SIZEOF, [("spnego_blob", st.size)])
        else:
            assert sizeof == st.size and all(off == st.size for _, off in flex), st.cname
        ours, pos = [], 0
        for mem in st.members:
            width = mem.con.sizeof()
            if not mem.hidden or mem.desc == "reserved":
                ours.append(("reserved" if mem.hidden else mem.name, pos, width))
            pos += width
        theirs = []
        for name, off, size in members:
            if size == 0:
                continue
            if name == "sub_auth":   # __u32 sub_auth[3]: one member each
                theirs += [(f"sub_auth_{i}", off + 4 * i, 4) for i in range(3)]
            elif name == "login_response":   # decoded with struct ksmbd_login_response
                assert (off, size) == (K.LOGIN_IN_SPNEGO, K.LOGIN_RESPONSE.size)
            else:
                theirs.append((RENAMED.get((st.cname, name), name), off, size))
        assert ours == theirs, st.cname


def test_the_layout_check_can_fail():
    """c_layouts computes offsets as the compiler does: a struct moved by one member is caught."""
    layouts = c_layouts("struct t {\n\t__u16 a;\n\t__u32 b;\n};\nstruct p {\n\t__u16 a;\n\t__u32 b;\n} __packed;\n", {})
    assert layouts["t"] == (8, [("a", 0, 2), ("b", 4, 4)])
    assert layouts["p"] == (6, [("a", 0, 2), ("b", 2, 4)])
