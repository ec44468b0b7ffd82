"""nbd: network block devices configured over netlink (nbd-client), drivers/block/nbd.c."""
from __future__ import annotations

from types import SimpleNamespace

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import names_from

# Constants of <linux/nbd-netlink.h> (the same in 6.1 and 6.12) and the flag #defines of
# <linux/nbd.h>, read by tools/gen_uapi.py's parser; they move to dissectors/generated/ once it
# lists the headers.
_ENUMS = {
    "NBD_ATTR_UNSPEC": {"NBD_ATTR_UNSPEC": 0, "NBD_ATTR_INDEX": 1, "NBD_ATTR_SIZE_BYTES": 2,
        "NBD_ATTR_BLOCK_SIZE_BYTES": 3, "NBD_ATTR_TIMEOUT": 4, "NBD_ATTR_SERVER_FLAGS": 5, "NBD_ATTR_CLIENT_FLAGS":
        6, "NBD_ATTR_SOCKETS": 7, "NBD_ATTR_DEAD_CONN_TIMEOUT": 8, "NBD_ATTR_DEVICE_LIST": 9,
        "NBD_ATTR_BACKEND_IDENTIFIER": 10},
    "NBD_DEVICE_ITEM_UNSPEC": {"NBD_DEVICE_ITEM_UNSPEC": 0, "NBD_DEVICE_ITEM": 1},
    "NBD_DEVICE_UNSPEC": {"NBD_DEVICE_UNSPEC": 0, "NBD_DEVICE_INDEX": 1, "NBD_DEVICE_CONNECTED": 2},
    "NBD_SOCK_ITEM_UNSPEC": {"NBD_SOCK_ITEM_UNSPEC": 0, "NBD_SOCK_ITEM": 1},
    "NBD_SOCK_UNSPEC": {"NBD_SOCK_UNSPEC": 0, "NBD_SOCK_FD": 1},
    "NBD_CMD_UNSPEC": {"NBD_CMD_UNSPEC": 0, "NBD_CMD_CONNECT": 1, "NBD_CMD_DISCONNECT": 2, "NBD_CMD_RECONFIGURE": 3,
        "NBD_CMD_LINK_DEAD": 4, "NBD_CMD_STATUS": 5},
    "NBD_FLAG_HAS_FLAGS": {"NBD_FLAG_HAS_FLAGS": 1, "NBD_FLAG_READ_ONLY": 2, "NBD_FLAG_SEND_FLUSH": 4,
        "NBD_FLAG_SEND_FUA": 8, "NBD_FLAG_ROTATIONAL": 16, "NBD_FLAG_SEND_TRIM": 32, "NBD_FLAG_SEND_WRITE_ZEROES": 64,
        "NBD_FLAG_CAN_MULTI_CONN": 256},
    "NBD_CFLAG_DESTROY_ON_DISCONNECT": {"NBD_CFLAG_DESTROY_ON_DISCONNECT": 1, "NBD_CFLAG_DISCONNECT_ON_CLOSE": 2},
}
H = SimpleNamespace(ENUMS={t: tuple(m) for t, m in _ENUMS.items()},
                    **{k: v for m in _ENUMS.values() for k, v in m.items()})

SOCK = enum_set("sock", "nbd.sock", H, "NBD_SOCK_UNSPEC", "NBD_SOCK_", {"FD": "u32"}, label="socket")
SOCK_ITEM = enum_set("sock_item", "nbd.sockets", H, "NBD_SOCK_ITEM_UNSPEC", "NBD_", {
    "SOCK_ITEM": a("nest", nested=SOCK)}, label="sockets")
DEVICE = enum_set("device", "nbd.device", H, "NBD_DEVICE_UNSPEC", "NBD_DEVICE_", {
    "INDEX": "u32", "CONNECTED": "u8"}, label="device")
DEVICE_ITEM = enum_set("device_item", "nbd.device_list", H, "NBD_DEVICE_ITEM_UNSPEC", "NBD_", {
    "DEVICE_ITEM": a("nest", nested=DEVICE)}, label="devices")
# nbd_attr_policy: sizes and timeouts u64 (TIMEOUT and DEAD_CONN_TIMEOUT in seconds)
NBD = enum_set("nbd", "nbd", H, "NBD_ATTR_UNSPEC", "NBD_ATTR_", {
    "INDEX": "u32", "SIZE_BYTES": "u64", "BLOCK_SIZE_BYTES": "u64", "TIMEOUT": a("u64", unit="s"),
    "SERVER_FLAGS": a("u64", flags=names_from(H, "NBD_FLAG_", "NBD_FLAG_HAS_FLAGS", exclude=())),
    "CLIENT_FLAGS": a("u64", flags=names_from(H, "NBD_CFLAG_", "NBD_CFLAG_DESTROY_ON_DISCONNECT", exclude=())),
    "SOCKETS": a("nest", nested=SOCK_ITEM), "DEAD_CONN_TIMEOUT": a("u64", unit="s"),
    "DEVICE_LIST": a("nest", nested=DEVICE_ITEM), "BACKEND_IDENTIFIER": "string"}, label="nbd")


@info(levels=3)
def nbd_info(root) -> str:
    """`nbd0 size 1073741824 block 4096 1 socket`, `nbd0 connected`."""
    parts = []
    for n in root.walk():
        ab = n.field.abbrev
        if ab == "nbd.index":
            parts.append(f"nbd{n.value}")
        elif ab == "nbd.size_bytes":
            parts.append(f"size {n.value}")
        elif ab == "nbd.block_size_bytes":
            parts.append(f"block {n.value}")
        elif ab == "nbd.sockets":
            parts.append(f"{len(n.children or ())} socket" + ("s" if len(n.children or ()) != 1 else ""))
        elif ab == "nbd.device.index":
            parts.append(f"nbd{n.value}")
        elif ab == "nbd.device.connected":
            parts.append("connected" if n.value else "not connected")
    return " ".join(parts)


CMDS = names_from(H, "NBD_CMD_", "NBD_CMD_UNSPEC")
KINDS = {"CONNECT": "new", "DISCONNECT": "del", "RECONFIGURE": "new", "STATUS": "get", "LINK_DEAD": "other"}
register_genl_family(GenlFamily("nbd", "nbd", {
    n: MessageType(0, name, KINDS[name[len("NBD_CMD_"):]], None, NBD, info=nbd_info) for n, name in CMDS.items()},
    NBD))
