"""Crafted generic-netlink frames around WireGuard's keys (no capture holds a real key)."""
import struct

from dissectors.generated import genetlink as G
from dissectors.generated import wireguard as W
from dissectors.generated.netlink import NLM_F_MULTI, NLM_F_REQUEST
from tests.dissectors.build import msg, nla

WG_ID = 0x15
PRIVATE_KEY = bytes(range(0xe0, 0x100))    # 32 bytes, easy to spot in any output (and, like a real key, not text)
PRESHARED_KEY = bytes(range(0xa0, 0xc0))
PUBLIC_KEY = bytes(range(0x10, 0x30))


def newfamily(fid: int, name: str, flags: int = 0, pid: int = 0) -> bytes:
    """CTRL_CMD_NEWFAMILY: the kernel's (flags 0) or a program's forgery."""
    body = bytes([G.CTRL_CMD_NEWFAMILY, 2, 0, 0]) + nla(G.CTRL_ATTR_FAMILY_ID, struct.pack("<H", fid)) \
        + nla(G.CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    return msg(G.GENL_ID_CTRL, flags, body, pid=pid)


def wg_device(fid: int = WG_ID) -> bytes:
    """A WG_CMD_GET_DEVICE reply holding a private key and a peer with a preshared key."""
    peer = nla(W.WGPEER_A_PUBLIC_KEY, PUBLIC_KEY) + nla(W.WGPEER_A_PRESHARED_KEY, PRESHARED_KEY)
    body = bytes([W.WG_CMD_GET_DEVICE, 1, 0, 0]) + nla(W.WGDEVICE_A_IFNAME, b"wg0\0") \
        + nla(W.WGDEVICE_A_PRIVATE_KEY, PRIVATE_KEY) + nla(W.WGDEVICE_A_PUBLIC_KEY, PUBLIC_KEY) \
        + nla(W.WGDEVICE_A_LISTEN_PORT, struct.pack("<H", 51820)) \
        + nla(W.WGDEVICE_A_PEERS | 0x8000, nla(0 | 0x8000, peer))
    return msg(fid, NLM_F_MULTI, body, pid=4242)


def leaks(text: str, secret: bytes) -> bool:
    """Does the text show the secret's bytes in any usual spelling?"""
    import base64
    spellings = (secret.hex(), secret.hex(":"), secret.hex(" "), base64.b64encode(secret).decode(), repr(secret))
    return any(s in text for s in spellings) or secret[:8].hex() in text


__all__ = ["NLM_F_REQUEST", "PRESHARED_KEY", "PRIVATE_KEY", "PUBLIC_KEY", "WG_ID", "leaks", "newfamily", "wg_device"]
