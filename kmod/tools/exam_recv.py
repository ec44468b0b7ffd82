#!/usr/bin/env python3
"""Listen on netlink_exam's multicast group 1 and print the messages announced.

    exam_recv.py [--proto N] [--count 1] [--timeout 20]
"""
import argparse
import socket
import struct
import sys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--proto", type=int, default=17)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20)
    args = ap.parse_args()
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, args.proto)
    s.bind((0, 1))  # groups bitmask: group 1
    s.settimeout(args.timeout)
    print("listening", flush=True)
    for _ in range(args.count):
        data = s.recv(65536)
        ln, ty = struct.unpack_from("=IH", data)
        print(f"announce type {ty:#x}: {data[16:ln].decode(errors='replace')!r}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
