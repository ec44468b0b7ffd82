"""Helpers that build netlink messages with the same construct schemas the dissectors declare."""
import struct

from dissectors.core.header import NLMSGHDR


def nla(ntype: int, payload: bytes, order: str = "<") -> bytes:
    raw = struct.pack(order + "HH", 4 + len(payload), ntype) + payload
    return raw + b"\0" * (-len(raw) % 4)


def msg(mtype: int, flags: int, body: bytes, seq: int = 1, pid: int = 0, order: str = "<", length=None) -> bytes:
    body = body + b"\0" * (-len(body) % 4)
    hdr = NLMSGHDR.build({"len": length if length is not None else 16 + len(body), "type": mtype,
                          "flags": flags, "seq": seq, "pid": pid}, order)
    return hdr + body
