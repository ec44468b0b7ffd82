#!/usr/bin/env python3
"""Small helpers for the monitors scenario, plain sockets:
    udp HOST PORT    send one datagram (traffic for nft trace and the xfrm ACQUIRE)
    fib ADDR [TABLE] ask NETLINK_FIB_LOOKUP which route ADDR takes in TABLE (0: main), print
                     the answer
"""
from __future__ import annotations

import socket
import struct
import sys

NETLINK_FIB_LOOKUP = 10
# struct fib_result_nl: fl_addr (be32), fl_fwmark, fl_tos, fl_scope, tb_id_in, tb_id,
# prefixlen, nh_sel, type, scope, err (s32) — 20 bytes
FIB = struct.Struct("=4sIBBBBBBBBi")


def udp(host: str, port: int) -> None:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.sendto(b"nlscope", (host, port))
        print(f"udp {host}:{port} sent")
    except OSError as exc:   # an IPsec policy with no SA yet: the kernel asks (ACQUIRE) and refuses
        print(f"udp {host}:{port}: {exc.strerror}")


def fib(addr: str, table: int = 0) -> None:
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_FIB_LOOKUP)
    s.bind((0, 0))
    body = FIB.pack(socket.inet_aton(addr), 0, 0, 0, table, 0, 0, 0, 0, 0, 0)
    s.send(struct.pack("=IHHII", 16 + len(body), 0, 1, 1, 0) + body)   # NLM_F_REQUEST
    data = s.recv(4096)
    _addr, _mark, _tos, _scope, _tb_in, tb_id, plen, _nh, rtype, rscope, err = FIB.unpack_from(data, 16)
    print(f"fib {addr}: table {tb_id} prefixlen {plen} type {rtype} scope {rscope} err {err}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "udp":
        udp(sys.argv[2], int(sys.argv[3]))
    elif cmd == "fib":
        fib(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    else:
        sys.exit(f"unknown command {cmd}")
