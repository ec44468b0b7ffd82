"""A small blocking netlink client for nlscope's own requests (nlmon up/down, genl ids,
socket owners).  Answers are decoded with our own dissectors."""
from __future__ import annotations

import os
import socket
import struct

import dissectors

SOL_NETLINK, NETLINK_EXT_ACK, NETLINK_CAP_ACK = 270, 11, 10
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300


def nla(ntype: int, payload: bytes) -> bytes:
    raw = struct.pack("=HH", 4 + len(payload), ntype) + payload
    return raw + b"\0" * (-len(raw) % 4)


class NetlinkError(OSError):
    """A request the kernel refused: errno, its name and the extended-ACK message."""

    def __init__(self, code: int, name: str, msg: str = ""):
        super().__init__(-code, f"{name}" + (f": {msg}" if msg else ""))
        self.code, self.name, self.msg = code, name, msg


class NetlinkSocket:
    def __init__(self, protocol: int):
        self.protocol = protocol
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, protocol)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.portid = self.sock.getsockname()[0]
        self.seq = int.from_bytes(os.urandom(2), "little") << 8
        self.ctx = dissectors.Context()

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def request(self, mtype: int, flags: int, body: bytes) -> list:
        """Send one request; return the decoded answers (dump parts or the reply), raise on error."""
        self.seq += 1
        msg = struct.pack("=IHHII", 16 + len(body), mtype, NLM_F_REQUEST | flags, self.seq, self.portid) + body
        self.sock.send(msg)
        out = []
        while True:
            data = self.sock.recv(1 << 17)
            for m in dissectors.decode_frame(data, self.protocol, self.ctx):
                if m.seq != self.seq:
                    continue
                if m.type_name == "NLMSG_ERROR":
                    err = m.error
                    if err and err["code"]:
                        ext = err.get("extack") or {}
                        raise NetlinkError(err["code"], err["name"], ext.get("msg", ""))
                    return out
                if m.type_name == "NLMSG_DONE":
                    return out
                out.append(m)
                if not (m.flags & 0x2) and not (flags & NLM_F_ACK):
                    return out
