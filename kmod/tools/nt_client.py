#!/usr/bin/env python3
"""Drive the nlscope_test family: every operation with known inputs, printing what came back.

    nt_client.py all            # GETFAMILY, ECHO, DUMP, NOTIFY (+ the multicast EVENT),
                                # FAIL, REQUIRE without STRING, ECHO with an out-of-range U8
Inputs come from ../test_values.json ("scenario").  Plain sockets, no dependencies.
"""
from __future__ import annotations

import json
import socket
import struct
import sys
from pathlib import Path

VALUES = json.loads((Path(__file__).resolve().parents[1] / "test_values.json").read_text())
NETLINK_GENERIC, SOL_NETLINK, NETLINK_EXT_ACK, NETLINK_ADD_MEMBERSHIP = 16, 270, 11, 1
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE, GENL_ID_CTRL = 2, 3, 0x10
CMD = {n: i for i, n in enumerate(["ECHO", "DUMP", "NOTIFY", "FAIL", "REQUIRE", "EVENT"], 1)}
ATTR = {n: i for i, n in enumerate(["U8", "U16", "U32", "U64", "S8", "S16", "S32", "S64", "STRING", "NUL_STRING",
                                     "BINARY", "FLAG", "BE16", "BE32", "NEST", "ARRAY", "BITFIELD32", "IPV4", "IPV6",
                                     "MAC", "COUNT", "INDEX", "PAYLOAD", "PAYLOAD_LEN", "PAD"], 1)}


def nla(t: int, payload: bytes) -> bytes:
    raw = struct.pack("=HH", 4 + len(payload), t) + payload
    return raw + b"\0" * (-len(raw) % 4)


def attrs(data: bytes):
    pos = 0
    while pos + 4 <= len(data):
        ln, t = struct.unpack_from("=HH", data, pos)
        if ln < 4:
            break
        yield t & 0x3FFF, data[pos + 4:pos + ln]
        pos += (ln + 3) & ~3


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 100

    def send(self, family: int, cmd: int, flags: int, payload: bytes = b"") -> int:
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        self.sock.send(struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST | flags, self.seq, 0) + body)
        return self.seq

    def replies(self, seq: int):
        """Messages answering seq until its ACK/ERROR/DONE; counts the recvmsg buffers used."""
        self.buffers = 0
        while True:
            data = self.sock.recv(65536)
            self.buffers += 1
            pos = 0
            while pos + 16 <= len(data):
                ln, ty, fl, s, pid = struct.unpack_from("=IHHII", data, pos)
                msg = data[pos:pos + ln]
                pos += (ln + 3) & ~3
                if s != seq:
                    continue
                yield ty, fl, msg
                if ty in (NLMSG_ERROR, NLMSG_DONE):
                    return


def error_of(msg: bytes) -> tuple[int, dict]:
    """(errno, extack) of an NLMSG_ERROR."""
    (err,) = struct.unpack_from("=i", msg, 16)
    flags = struct.unpack_from("=H", msg, 6)[0]
    echoed_len = struct.unpack_from("=I", msg, 20)[0]
    tlv = 20 + (16 if flags & 0x100 else (echoed_len + 3) & ~3)
    ext = {}
    for t, v in attrs(msg[tlv:]) if flags & 0x200 else ():
        ext[{1: "msg", 2: "offs", 3: "cookie", 4: "policy", 5: "miss_type", 6: "miss_nest"}.get(t, str(t))] = (
            v.rstrip(b"\0").decode() if t == 1 else (struct.unpack("=I", v)[0] if t in (2, 5, 6) else v.hex()))
    return err, ext


def resolve(g: Genl, name: str) -> tuple[int, dict]:
    seq = g.send(GENL_ID_CTRL, 3, NLM_F_ACK, nla(2, name.encode() + b"\0"))
    fid, groups = None, {}
    for ty, _, msg in g.replies(seq):
        if ty == GENL_ID_CTRL:
            for t, v in attrs(msg[20:]):
                if t == 1:
                    fid = struct.unpack("=H", v[:2])[0]
                elif t == 7:
                    for _, grp in attrs(v):
                        g_attrs = dict(attrs(grp))
                        groups[g_attrs[1].rstrip(b"\0").decode()] = struct.unpack("=I", g_attrs[2])[0]
        elif ty == NLMSG_ERROR and error_of(msg)[0]:
            raise SystemExit(f"family {name} not found: {error_of(msg)}")
    print(f"family {name} id {fid:#x} groups {groups}")
    return fid, groups


def main(argv) -> int:
    sc = VALUES["scenario"]
    g = Genl()
    fid, groups = resolve(g, VALUES["family"])
    listener = Genl()
    listener.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups[VALUES["mcast_group"]])

    seq = g.send(fid, CMD["ECHO"], NLM_F_ACK, nla(ATTR["U32"], struct.pack("=I", sc["echo_u32"]))
                 + nla(ATTR["NUL_STRING"], sc["echo_string"].encode() + b"\0"))
    for ty, fl, msg in g.replies(seq):
        print(f"echo: type {ty:#x} len {len(msg)}" + (f" error {error_of(msg)}" if ty == NLMSG_ERROR else ""))

    seq = g.send(fid, CMD["DUMP"], NLM_F_DUMP, nla(ATTR["COUNT"], struct.pack("=I", sc["dump_count"]))
                 + nla(ATTR["PAYLOAD_LEN"], struct.pack("=I", sc["dump_payload_len"])))
    n = sum(1 for ty, _, _ in g.replies(seq) if ty == fid)
    print(f"dump: {n} entries in {g.buffers} buffers")

    seq = g.send(fid, CMD["NOTIFY"], NLM_F_ACK)
    for ty, fl, msg in g.replies(seq):
        print(f"notify: ack {error_of(msg)}")
    event = listener.sock.recv(65536)
    print(f"event: {len(event)} bytes, cmd {event[16]}")

    seq = g.send(fid, CMD["FAIL"], NLM_F_ACK, nla(ATTR["U8"], b"\x01") + nla(ATTR["U32"], struct.pack("=I", 99)))
    for ty, fl, msg in g.replies(seq):
        print(f"fail: {error_of(msg)}")

    seq = g.send(fid, CMD["REQUIRE"], NLM_F_ACK, nla(ATTR["U16"], struct.pack("=H", 5)))
    for ty, fl, msg in g.replies(seq):
        print(f"require: {error_of(msg)}")

    seq = g.send(fid, CMD["ECHO"], NLM_F_ACK, nla(ATTR["U8"], bytes([sc["policy_u8"]])))
    for ty, fl, msg in g.replies(seq):
        print(f"policy: {error_of(msg)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
