"""Traffic for longrun.sh until a deadline: requests the kernel never answers (route changes
without NLM_F_ACK: open transactions by the thousand, the pairing table's bound), answered
dumps, a new socket (a new port id) every 200 messages, and the counts printed at the end.

    python3 longrun_probe.py SECONDS
"""
import socket
import struct
import sys
import time

RTM_NEWROUTE, RTM_DELROUTE, RTM_GETLINK = 24, 25, 18
NLM_F_REQUEST, NLM_F_CREATE, NLM_F_REPLACE, NLM_F_DUMP = 0x1, 0x400, 0x100, 0x300
AF_INET, RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_LINK, RTN_UNICAST = 2, 254, 4, 253, 1
RTA_DST, RTA_OIF = 1, 4


def route(mtype: int, flags: int, seq: int, n: int, oif: int) -> bytes:
    body = struct.pack("=BBBBBBBBI", AF_INET, 32, 0, 0, RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_LINK, RTN_UNICAST, 0)
    body += struct.pack("=HH4s", 8, RTA_DST, bytes([172, 18, (n >> 8) & 0xFF, n & 0xFF]))
    body += struct.pack("=HHI", 8, RTA_OIF, oif)
    return struct.pack("=IHHII", 16 + len(body), mtype, flags, seq, 0) + body


def main() -> int:
    end = time.time() + float(sys.argv[1])
    oif = socket.if_nametoindex("long0")
    sent = dumps = sockets = 0
    s = None
    seq = 0
    while time.time() < end:
        if sent % 200 == 0:
            if s is not None:
                s.close()
            s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
            s.bind((0, 0))
            s.setblocking(False)
            sockets += 1
        seq += 1
        n = sent % 4096
        s.send(route(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE, seq, n, oif))
        seq += 1
        s.send(route(RTM_DELROUTE, NLM_F_REQUEST, seq, n, oif))
        sent += 2
        if sent % 100 == 0:   # an answered dump among the silence
            seq += 1
            s.send(struct.pack("=IHHII", 32, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, 0) + bytes(16))
            dumps += 1
            time.sleep(0.002)
            try:
                while s.recv(65536):
                    pass
            except BlockingIOError:
                pass
    print(f"longrun probe: {sent} unanswered route changes, {dumps} dumps, {sockets} sockets", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
