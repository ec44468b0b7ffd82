"""AF_VSOCK sockets (`ss --vsock`, module vsock_diag): struct vsock_diag_req / vsock_diag_msg
from <linux/vm_sockets_diag.h>; the kernel adds no attributes."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int32ul

from ...core.info import info
from ...core.schema import FixedStruct, member, pad
from .inet import TCP_STATES, _states
from .protocol import header_values, register_sock_family

AF_VSOCK = 40   # <bits/socket.h>
TYPES = {1: "v_str", 2: "v_dgr", 5: "v_seq"}   # SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, as ss names them
VMADDR_CID_ANY = VMADDR_PORT_ANY = 0xFFFFFFFF


def _cid(v: int) -> str:
    return "*" if v == VMADDR_CID_ANY else str(v)


# struct vsock_diag_req { __u8 sdiag_family, sdiag_protocol; __u16 pad; __u32 vdiag_states,
#                         vdiag_ino, vdiag_show; __u32 vdiag_cookie[2]; }
REQ = FixedStruct("vsock_diag_req", "sock_diag.vsock.req", [
    member("family", Int8ul), member("protocol", Int8ul), pad(2), member("states", Int32ul, _states),
    member("ino", Int32ul), member("show", Int32ul, hex), member("cookie", Bytes(8), lambda b: b.hex())],
    label="vsock_diag_req")
# struct vsock_diag_msg { __u8 vdiag_family, vdiag_type, vdiag_state, vdiag_shutdown; __u32 vdiag_src_cid,
#                         vdiag_src_port, vdiag_dst_cid, vdiag_dst_port, vdiag_ino; __u32 vdiag_cookie[2]; }
MSG = FixedStruct("vsock_diag_msg", "sock_diag.vsock", [
    member("family", Int8ul), member("type", Int8ul, lambda v: f"{TYPES.get(v, v)} ({v})"),
    member("state", Int8ul, lambda v: f"{TCP_STATES.get(v, v)} ({v})"), member("shutdown", Int8ul),
    member("src_cid", Int32ul, _cid), member("src_port", Int32ul, _cid), member("dst_cid", Int32ul, _cid),
    member("dst_port", Int32ul, _cid), member("ino", Int32ul), member("cookie", Bytes(8), lambda b: b.hex())],
    label="vsock_diag_msg")


@info(full_tree=True)   # everything is in the struct
def vsock_info(root) -> str:
    """`v_str LISTEN 3:1024 *:*` (ss --vsock's columns) or `vsock dump` for a request."""
    vals = header_values(root)
    if not vals:
        return ""
    if "states" in vals:
        return "vsock dump"
    state = TCP_STATES.get(vals["state"], vals["state"])
    return (f"{TYPES.get(vals['type'], vals['type'])} {state} {_cid(vals['src_cid'])}:{_cid(vals['src_port'])} "
            f"{_cid(vals['dst_cid'])}:{_cid(vals['dst_port'])}")


register_sock_family(AF_VSOCK, REQ, None, MSG, None, vsock_info)
