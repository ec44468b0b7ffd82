"""AF_TIPC sockets (`ss --tipc`, module tipc): struct tipc_sock_diag_req of
<linux/tipc_sockets_diag.h>.  The kernel's answers (net/tipc/diag.c, __tipc_add_sock_diag)
carry no family header — TIPC_NLA_SOCK attributes right after nlmsghdr — so nothing in them
says they are TIPC's; only the request is recognised by its sdiag_family."""
from __future__ import annotations

from construct import Int8ul, Int32ul

from ...core.info import info
from ...core.schema import FixedStruct, member, pad
from .protocol import header_values, register_sock_family

AF_TIPC = 30   # <bits/socket.h>
# struct tipc_sock_diag_req { __u8 sdiag_family; __u8 sdiag_protocol; __u16 pad; __u32 tidiag_states; }
REQ = FixedStruct("tipc_sock_diag_req", "sock_diag.tipc.req", [
    member("family", Int8ul), member("protocol", Int8ul), pad(2),
    member("states", Int32ul, lambda v: f"{v:#x}", desc="a bit per TIPC socket state (1 << state)")],
    label="tipc_sock_diag_req")


@info(full_tree=True)   # everything is in the struct
def tipc_info(root) -> str:
    """`tipc dump states 0xffffffff` for a request."""
    vals = header_values(root)
    return f"tipc dump states {vals['states']:#x}" if "states" in vals else ""


register_sock_family(AF_TIPC, REQ, None, None, None, tipc_info)
