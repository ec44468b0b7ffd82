#!/usr/bin/env python3
"""Send a text file to the netlink_exam module as one netlink message; print the echo.

    exam_send.py FILE [--proto N]      (N: the module's proto parameter, default 17)
"""
import argparse
import os
import socket
import struct
import sys

EXAM_MSG_TEXT, EXAM_MSG_ECHO = 0x10, 0x11


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--proto", type=int, default=17)
    args = ap.parse_args()
    text = open(args.file, "rb").read()
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, args.proto)
    s.bind((0, 0))
    s.settimeout(10)
    msg = struct.pack("=IHHII", 16 + len(text), EXAM_MSG_TEXT, 1, 1, os.getpid()) + text
    s.sendto(msg + b"\0" * (-len(msg) % 4), (0, 0))
    data = s.recv(65536)
    ln, ty = struct.unpack_from("=IH", data)
    print(f"echo type {ty:#x}: {data[16:ln].decode(errors='replace')!r}")
    return 0 if ty == EXAM_MSG_ECHO and data[16:ln] == text else 1


if __name__ == "__main__":
    sys.exit(main())
