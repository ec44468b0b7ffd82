#!/usr/bin/env python3
"""Kernel objects no everyday tool in the VM makes, asked for as their tools would (plain
sockets), each answer printed so the log says what the kernel sent:

    objects_probe.py nfobjects   nfnetlink_cttimeout (a TCP policy, the kernel's UDP defaults),
                                 nfnetlink_acct (an object with a packet quota), nfnetlink_cthelper
                                 (a user-space helper), nft_compat (iptables-nft's questions),
                                 nfnetlink_osf (a fingerprint added and removed)
    objects_probe.py tftp        one TFTP read request over lo (a ct helper makes an expectation)
    objects_probe.py aevent      XFRM_MSG_GETAE for the SA of the scenario, then NEWAE setting
                                 thresholds (and once without NLM_F_REPLACE: the kernel refuses)
"""
from __future__ import annotations

import socket
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kmod" / "tools"))
from nt_client import NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, attrs, error_of, nla  # noqa: E402

NETLINK_XFRM, NETLINK_NETFILTER, NETLINK_EXT_ACK, SOL_NETLINK = 6, 12, 11, 270
NLM_F_REPLACE, NLM_F_CREATE = 0x100, 0x400
AF_INET, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ESP = 2, 6, 17, 50
# nfnetlink subsystems
CTTIMEOUT, ACCT, CTHELPER, COMPAT, OSF = 8, 7, 9, 11, 5


class Netlink:
    def __init__(self, proto: int):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.sock.settimeout(15)
        self.seq = 200

    def ask(self, mtype: int, flags: int, body: bytes) -> tuple[list[bytes], int, dict]:
        """One request; (the messages answering it, errno of its ACK/DONE, extack)."""
        self.seq += 1
        self.sock.send(struct.pack("=IHHII", 16 + len(body), mtype, NLM_F_REQUEST | flags, self.seq, 0) + body)
        out = []
        while True:
            data = self.sock.recv(65536)
            pos = 0
            while pos + 16 <= len(data):
                ln, ty, _, s, _ = struct.unpack_from("=IHHII", data, pos)
                msg = data[pos:pos + ln]
                pos += (ln + 3) & ~3
                if s != self.seq:
                    continue
                if ty == NLMSG_ERROR:
                    err, ext = error_of(msg)
                    return out, err, ext
                if ty == NLMSG_DONE:
                    return out, 0, {}
                out.append(msg)


def nfnl(n: Netlink, subsys: int, msg: int, flags: int, payload: bytes = b"", family: int = AF_INET):
    """An nfnetlink request: nfgenmsg (family, version 0, res_id 0), then attributes."""
    got, err, ext = n.ask((subsys << 8) | msg, flags, struct.pack("=BBH", family, 0, 0) + payload)
    if err:
        print(f"  error {err} {ext}")
    return [dict(attrs(m[20:])) for m in got]


def be32(v: int) -> bytes:
    return struct.pack("!I", v)


def cstr(s: str) -> bytes:
    return s.encode() + b"\0"


def text(v: bytes) -> str:
    return v.rstrip(b"\0").decode()


def nfobjects() -> None:
    n = Netlink(NETLINK_NETFILTER)
    # cttimeout: a TCP policy with two timeouts, dumped, deleted; UDP's defaults
    tcp = nla(1, be32(90)) + nla(3, be32(7200))               # CTA_TIMEOUT_TCP_SYN_SENT, _ESTABLISHED
    nfnl(n, CTTIMEOUT, 0, NLM_F_ACK, nla(1, cstr("nlstmo")) + nla(2, struct.pack("!H", AF_INET))
         + nla(3, bytes([IPPROTO_TCP])) + nla(4 | 0x8000, tcp))               # IPCTNL_MSG_TIMEOUT_NEW
    for a in nfnl(n, CTTIMEOUT, 1, NLM_F_DUMP):                               # IPCTNL_MSG_TIMEOUT_GET
        data = dict(attrs(a[4]))
        print(f"cttimeout {text(a[1])} l4proto {a[3][0]} syn_sent {struct.unpack('!I', data[1])[0]} "
              f"established {struct.unpack('!I', data[3])[0]} use {struct.unpack('!I', a[5])[0]}")
    for a in nfnl(n, CTTIMEOUT, 4, NLM_F_ACK, nla(2, struct.pack("!H", AF_INET))
                  + nla(3, bytes([IPPROTO_UDP]))):                            # IPCTNL_MSG_TIMEOUT_DEFAULT_GET
        data = dict(attrs(a[4]))
        print(f"cttimeout default udp unreplied {struct.unpack('!I', data[1])[0]} "
              f"replied {struct.unpack('!I', data[2])[0]}")
    nfnl(n, CTTIMEOUT, 2, NLM_F_ACK, nla(1, cstr("nlstmo")))                   # IPCTNL_MSG_TIMEOUT_DELETE
    # nfacct: an object counting packets with a quota, dumped, dumped and zeroed, deleted
    nfnl(n, ACCT, 0, NLM_F_ACK, nla(1, cstr("nlsacct")) + nla(5, be32(1))      # NFNL_MSG_ACCT_NEW, QUOTA_PKTS
         + nla(6, struct.pack("!Q", 1000)))
    for msg in (1, 2):                                                        # NFNL_MSG_ACCT_GET, _GET_CTRZERO
        for a in nfnl(n, ACCT, msg, NLM_F_DUMP):
            print(f"nfacct {text(a[1])} pkts {struct.unpack('!Q', a[2])[0]} bytes {struct.unpack('!Q', a[3])[0]} "
                  f"flags {struct.unpack('!I', a[5])[0]} quota {struct.unpack('!Q', a[6])[0]}")
    nfnl(n, ACCT, 3, NLM_F_ACK, nla(1, cstr("nlsacct")))                       # NFNL_MSG_ACCT_DEL
    # cthelper: a user-space helper for TCP port-less expectations, dumped, deleted
    policy = nla(1, cstr("nlspol")) + nla(2, be32(8)) + nla(3, be32(300))
    nfnl(n, CTHELPER, 0, NLM_F_ACK, nla(1, cstr("nlshelp"))                     # NFNL_MSG_CTHELPER_NEW
         + nla(2 | 0x8000, nla(1, struct.pack("!H", AF_INET)) + nla(2, bytes([IPPROTO_TCP])))
         + nla(3, be32(5)) + nla(4 | 0x8000, nla(1, be32(1)) + nla(2 | 0x8000, policy)) + nla(5, be32(0)))
    for a in nfnl(n, CTHELPER, 1, NLM_F_DUMP):                                # NFNL_MSG_CTHELPER_GET
        pol = dict(attrs(dict(attrs(a[4]))[2]))
        print(f"cthelper {text(a[1])} queue {struct.unpack('!I', a[3])[0]} policy {text(pol[1])} "
              f"max {struct.unpack('!I', pol[2])[0]} timeout {struct.unpack('!I', pol[3])[0]} "
              f"status {struct.unpack('!I', a[6])[0]}")
    nfnl(n, CTHELPER, 2, NLM_F_ACK, nla(1, cstr("nlshelp")))                    # NFNL_MSG_CTHELPER_DEL
    # nft_compat: does the kernel have these xtables extensions (iptables-nft asks so)
    for name, rev, kind in (("conntrack", 3, 0), ("LOG", 0, 1), ("nlsnosuch", 0, 0)):
        for a in nfnl(n, COMPAT, 0, NLM_F_ACK, nla(1, cstr(name)) + nla(2, be32(rev)) + nla(3, be32(kind))):
            print(f"nft_compat {text(a[1])} rev {struct.unpack('!I', a[2])[0]} type {struct.unpack('!I', a[3])[0]}")
    # nfnetlink_osf: one fingerprint (struct nf_osf_user_finger) added, then removed
    finger = (struct.pack("=IIBBHHH", 0, 8192, 64, 1, 60, 0, 1) + b"nlsgenre".ljust(32, b"\0")
              + b"1.0".ljust(32, b"\0") + b"nlssub".ljust(32, b"\0")
              + struct.pack("=HHII", 2, 4, 0, 1460) + b"\0" * 12 * 39)
    nfnl(n, OSF, 0, NLM_F_ACK | NLM_F_CREATE, nla(1, finger))                                # OSF_MSG_ADD
    nfnl(n, OSF, 1, NLM_F_ACK, nla(1, finger))                                  # OSF_MSG_REMOVE
    print("osf added and removed")


TFTP_CLIENT_PORT = 35961   # fixed, so that every run's expectation is the same


def tftp() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.bind(("127.0.0.1", TFTP_CLIENT_PORT))
        u.sendto(b"\0\x01nlscope.txt\0octet\0", ("127.0.0.1", 69))
        print(f"tftp read request from port {u.getsockname()[1]}")


def aevent(src: str, dst: str, spi: int) -> None:
    n = Netlink(NETLINK_XFRM)
    # struct xfrm_aevent_id: sa_id (daddr, spi, family, proto), saddr, flags, reqid
    sa_id = socket.inet_aton(dst).ljust(16, b"\0") + struct.pack("!I", spi) + struct.pack("=HBx", AF_INET, IPPROTO_ESP)

    def ae(flags: int) -> bytes:
        return sa_id + socket.inet_aton(src).ljust(16, b"\0") + struct.pack("=II", flags, 0)
    got, err, ext = n.ask(0x1F, NLM_F_ACK, ae(1 | 2 | 4 | 8))                           # GETAE: RTHR|RVAL|LVAL|ETHR
    for m in got:
        a = dict(attrs(m[16 + 48:]))
        oseq, seq, bitmap = struct.unpack("=III", a[10])                          # XFRMA_REPLAY_VAL
        print(f"aevent replay oseq {oseq} seq {seq} bitmap {bitmap:#x} "
              f"replay_thresh {struct.unpack('=I', a[11])[0]} etimer {struct.unpack('=I', a[12])[0]} "
              f"lifetime bytes {struct.unpack_from('=Q', a[9])[0]}")
    thresholds = nla(11, struct.pack("=I", 5)) + nla(12, struct.pack("=I", 20))  # XFRMA_REPLAY_THRESH, ETIMER_THRESH
    _, err, ext = n.ask(0x1E, NLM_F_ACK, ae(1 | 8) + thresholds)                 # NEWAE without NLM_F_REPLACE
    print(f"newae without replace: error {err} {ext}")
    _, err, ext = n.ask(0x1E, NLM_F_ACK | NLM_F_REPLACE, ae(1 | 8) + thresholds)
    print(f"newae: error {err}")


def main(argv) -> int:
    step = argv[0] if argv else ""
    if step == "nfobjects":
        nfobjects()
    elif step == "tftp":
        tftp()
    elif step == "aevent":
        aevent(argv[1], argv[2], int(argv[3], 0))
    else:
        print(f"objects_probe.py: unknown step {step!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
