"""AF_UNIX sockets (`ss -x`): struct unix_diag_req / unix_diag_msg and UNIX_DIAG_*."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int32ul

from ...core.attrs import a, enum_set
from ...core.schema import FixedStruct, c_struct, flags_show, member, pad
from ...generated import unix_diag as U
from .inet import MEMINFO_NAMES, TCP_STATES, _states
from .protocol import header_values, register_sock_family

TYPES = {1: "u_str", 2: "u_dgr", 5: "u_seq"}
SHOW = {getattr(U, n): n[len("UDIAG_SHOW_"):] for n in vars(U) if n.startswith("UDIAG_SHOW_")}
REQ = FixedStruct("unix_diag_req", "sock_diag.unix.req", [
    member("family", Int8ul), member("protocol", Int8ul), pad(2), member("states", Int32ul, _states),
    member("ino", Int32ul), member("show", Int32ul, flags_show(SHOW)), member("cookie", Bytes(8), lambda b: b.hex())],
    label="unix_diag_req")
MSG = FixedStruct("unix_diag_msg", "sock_diag.unix", [
    member("family", Int8ul), member("type", Int8ul, lambda v: f"{TYPES.get(v, v)} ({v})"),
    member("state", Int8ul, lambda v: f"{TCP_STATES.get(v, v)} ({v})"), pad(1), member("ino", Int32ul),
    member("cookie", Bytes(8), lambda b: b.hex())], label="unix_diag_msg")
UNIX = enum_set("unix", "sock_diag.unix", U, "UNIX_DIAG_NAME", "UNIX_DIAG_", {
    "NAME": a("binary", show=lambda b: ("@" + b[1:].decode("utf-8", "replace")) if b[:1] == b"\0"
              else b.decode("utf-8", "replace")),
    "VFS": a("struct", struct=c_struct(U, "unix_diag_vfs", "sock_diag.unix.vfs_struct", strip="udiag_vfs_")),
    "PEER": "u32", "ICONS": a("array", sub="u32"),
    "RQLEN": a("struct", struct=c_struct(U, "unix_diag_rqlen", "sock_diag.unix.rqlen_struct", strip="udiag_")),
    "MEMINFO": a("array", sub="u32", elem_names={k: v[len("SK_MEMINFO_"):].lower() for k, v in MEMINFO_NAMES.items()}),
    "SHUTDOWN": "u8", "UID": "u32"}, label="unix socket")


def unix_info(root) -> str:
    vals = header_values(root)
    if not vals:
        return ""
    if "states" in vals:
        return "unix dump"
    name = root.find("sock_diag.unix.name")
    text = name.text if name is not None else "*"
    peer = root.first("sock_diag.unix.peer")
    return (f"{TYPES.get(vals['type'], vals['type'])} {TCP_STATES.get(vals['state'], vals['state'])} {text} "
            f"{vals['ino']}" + (f" peer {peer}" if peer else ""))


register_sock_family(1, REQ, None, MSG, UNIX, unix_info)

