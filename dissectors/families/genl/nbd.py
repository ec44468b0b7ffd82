"""nbd: network block devices configured over netlink (nbd-client), drivers/block/nbd.c."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import names_from
from ...generated import nbd as NBD_H
from ...generated import nbd_netlink as H

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
    "SERVER_FLAGS": a("u64", flags=names_from(NBD_H, "NBD_FLAG_", exclude=())),
    "CLIENT_FLAGS": a("u64", flags=names_from(NBD_H, "NBD_CFLAG_", exclude=())),
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
