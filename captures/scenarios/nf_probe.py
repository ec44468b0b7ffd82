#!/usr/bin/env python3
"""Netfilter helpers for the nf-diag scenario, plain sockets only:

    nf_probe.py queue N     bind NFQUEUE N, take one packet, print its IP header, accept it
    nf_probe.py log G       bind NFLOG group G, print the first logged packet
    nf_probe.py traffic     a TCP connection to 127.0.0.1:5555 (served here), UDP to :5556, TCP SYN to :5557
    nf_probe.py diag        sock_diag dumps ss does not make: netlink sockets with their groups, packet sockets
"""
from __future__ import annotations

import socket
import struct
import sys
import threading
import time

NETLINK_NETFILTER, NFNL_SUBSYS_QUEUE, NFNL_SUBSYS_ULOG = 12, 3, 4
NLM_F_REQUEST, NLM_F_ACK = 1, 4


def nla(t: int, payload: bytes) -> bytes:
    raw = struct.pack("=HH", 4 + len(payload), t) + payload
    return raw + b"\0" * (-len(raw) % 4)


def attrs(data: bytes) -> dict:
    out, pos = {}, 0
    while pos + 4 <= len(data):
        ln, t = struct.unpack_from("=HH", data, pos)
        if ln < 4:
            break
        out[t & 0x3FFF] = data[pos + 4:pos + ln]
        pos += (ln + 3) & ~3
    return out


PACKET_WAIT = 120  # seconds a consumer waits for its packet


class Nfnl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.bind((0, 0))
        self.sock.settimeout(15)
        self.seq = 0

    def send(self, subsys: int, msg: int, res_id: int, payload: bytes, family: int = 0) -> None:
        self.seq += 1
        body = struct.pack("=BBH", family, 0, socket.htons(res_id)) + payload
        self.sock.send(struct.pack("=IHHII", 16 + len(body), (subsys << 8) | msg, NLM_F_REQUEST | NLM_F_ACK,
                                   self.seq, 0) + body)

    def recv(self):
        data = self.sock.recv(65536)
        ln, ty = struct.unpack_from("=IH", data)
        return ty, data[:ln]


def ip_summary(pkt: bytes) -> str:
    proto = pkt[9]
    src, dst = socket.inet_ntoa(pkt[12:16]), socket.inet_ntoa(pkt[16:20])
    ihl = (pkt[0] & 15) * 4
    sport, dport = struct.unpack_from("!HH", pkt, ihl)
    return f"proto {proto} {src}:{sport} -> {dst}:{dport} len {len(pkt)}"


def queue(num: int) -> int:
    n = Nfnl()
    n.send(NFNL_SUBSYS_QUEUE, 2, num, nla(1, struct.pack("=BBH", 1, 0, socket.htons(2))))      # CFG_CMD BIND, AF_INET
    n.send(NFNL_SUBSYS_QUEUE, 2, num, nla(2, struct.pack("!IB", 0xFFFF, 2)))                     # PARAMS copy packet
    print(f"queue {num} bound", flush=True)
    # the packet comes from another Python (traffic), started once this one is bound: under
    # emulation beside other busy VMs its start alone has taken over 15 s
    n.sock.settimeout(PACKET_WAIT)
    while True:
        ty, msg = n.recv()
        if ty == (NFNL_SUBSYS_QUEUE << 8):                                                       # NFQNL_MSG_PACKET
            a = attrs(msg[20:])
            pid = struct.unpack("!I", a[1][:4])[0]
            print(f"queued packet {pid}: {ip_summary(a[10])}", flush=True)
            n.send(NFNL_SUBSYS_QUEUE, 1, num, nla(2, struct.pack("!II", 1, pid)))                  # VERDICT ACCEPT
            return 0


def log(group: int) -> int:
    n = Nfnl()
    n.send(NFNL_SUBSYS_ULOG, 1, group, nla(1, struct.pack("=B", 1)))                              # CFG_CMD BIND
    n.send(NFNL_SUBSYS_ULOG, 1, group, nla(2, struct.pack("!IBB", 0xFFFF, 2, 0)))                 # MODE copy packet
    print(f"log group {group} bound", flush=True)
    # the packet comes from another Python (traffic), started once this one is bound: under
    # emulation beside other busy VMs its start alone has taken over 15 s
    n.sock.settimeout(PACKET_WAIT)
    while True:
        ty, msg = n.recv()
        if ty == (NFNL_SUBSYS_ULOG << 8):                                                        # NFULNL_MSG_PACKET
            a = attrs(msg[20:])
            prefix = a.get(10, b"").rstrip(b"\0").decode()
            print(f"logged packet prefix {prefix!r}: {ip_summary(a[9])}", flush=True)
            return 0


def traffic() -> int:
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 5555))
    srv.listen()

    def serve():
        c, _ = srv.accept()
        c.sendall(c.recv(100).upper())
        time.sleep(12)
        c.close()
    threading.Thread(target=serve, daemon=True).start()
    cli = socket.create_connection(("127.0.0.1", 5555), timeout=5)
    cli.sendall(b"nlscope")
    print(f"tcp 5555 answered {cli.recv(100)!r}", flush=True)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"queued by nlscope", ("127.0.0.1", 5556))
    t = socket.socket()
    t.settimeout(1)
    try:
        t.connect(("127.0.0.1", 5557))
    except OSError as exc:
        print(f"tcp 5557: {exc.__class__.__name__} (logged, nobody listens)", flush=True)
    time.sleep(12)  # the connection stays up while conntrack -L and ss look at it (slowly, under emulation)
    cli.close()
    return 0


def diag() -> int:
    """NETLINK_SOCK_DIAG dumps of netlink sockets (groups, memory) and packet sockets (tcpdump's)."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)
    s.bind((0, 0))
    s.settimeout(10)
    for seq, req in ((1, struct.pack("=BBHIIII", 16, 255, 0, 0, 0x1 | 0x2 | 0x8, 0, 0)),       # AF_NETLINK, all
                     (2, struct.pack("=BBHIIII", 17, 0, 0, 0, 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20, 0, 0))):
        s.send(struct.pack("=IHHII", 16 + len(req), 20, NLM_F_REQUEST | 0x300, seq, 0) + req)
        n = 0
        done = False
        while not done:
            data = s.recv(1 << 16)
            pos = 0
            while pos + 16 <= len(data):
                ln, ty = struct.unpack_from("=IH", data, pos)
                if ty in (2, 3):
                    done = True
                    break
                n += 1
                pos += (ln + 3) & ~3
        print(f"sock_diag family {16 if seq == 1 else 17}: {n} sockets", flush=True)
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    sys.exit(queue(int(sys.argv[2])) if cmd == "queue" else log(int(sys.argv[2])) if cmd == "log"
             else diag() if cmd == "diag" else traffic())
