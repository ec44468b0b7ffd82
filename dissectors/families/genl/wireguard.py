"""wireguard: WG_CMD_GET_DEVICE / SET_DEVICE (the `wg` tool), names from <linux/wireguard.h>.

Private and preshared keys are shown as their length and a digest, never as bytes;
public keys in base64 as `wg` prints them.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import FixedStruct, member, names_from
from ...generated import wireguard as W
from construct import Int64sl

TIMESPEC = FixedStruct("__kernel_timespec", "wireguard.peer.last_handshake_time",
                       [member("tv_sec", Int64sl), member("tv_nsec", Int64sl)], label="last handshake (timespec)")
PEER_FLAGS = names_from(W, "WGPEER_F_", "wgpeer_flag", exclude=())
DEVICE_FLAGS = names_from(W, "WGDEVICE_F_", "wgdevice_flag", exclude=())
ALLOWEDIP = enum_set("allowedip", "wireguard.allowedip", W, "wgallowedip_attribute", "WGALLOWEDIP_A_", {
    "FAMILY": a("u16", enum={2: "AF_INET", 10: "AF_INET6"}), "IPADDR": "addr", "CIDR_MASK": "u8"}, label="allowed IP")
PEER = enum_set("peer", "wireguard.peer", W, "wgpeer_attribute", "WGPEER_A_", {
    "PUBLIC_KEY": a("binary", hint="base64"), "PRESHARED_KEY": a("binary", hint="secret"),
    "FLAGS": a("u32", flags=PEER_FLAGS), "ENDPOINT": a("binary", hint="sockaddr"),
    "PERSISTENT_KEEPALIVE_INTERVAL": a("u16", unit="s"), "LAST_HANDSHAKE_TIME": a("struct", struct=TIMESPEC),
    "RX_BYTES": "u64", "TX_BYTES": "u64", "ALLOWEDIPS": a("indexed-array", sub="nest", nested=ALLOWEDIP),
    "PROTOCOL_VERSION": "u32"}, label="peer")
DEVICE = enum_set("device", "wireguard", W, "wgdevice_attribute", "WGDEVICE_A_", {
    "IFINDEX": "u32", "IFNAME": "string", "PRIVATE_KEY": a("binary", hint="secret"),
    "PUBLIC_KEY": a("binary", hint="base64"), "FLAGS": a("u32", flags=DEVICE_FLAGS), "LISTEN_PORT": "u16",
    "FWMARK": "u32", "PEERS": a("indexed-array", sub="nest", nested=PEER)}, label="wireguard")


def wg_info(root) -> str:
    parts = []
    for c in root.children or ():
        ab = c.field.abbrev
        if ab == "wireguard.ifname":
            parts.append(c.value)
        elif ab == "wireguard.listen_port":
            parts.append(f"port {c.value}")
        elif ab == "wireguard.peers":
            parts.append(f"{len(c.children or ())} peers" if c.children is not None else "peers")
    return " ".join(parts)


CMDS = names_from(W, "WG_CMD_", "wg_cmd", exclude=("MAX",))
register_genl_family(GenlFamily("wireguard", "wireguard", {
    num: MessageType(0, name, kind_from_name(name), None, DEVICE, info=wg_info) for num, name in CMDS.items()}, DEVICE))
