#!/usr/bin/env python3
"""Turn the netlink traffic an strace log shows into a pcapng capture nlscope and Wireshark read.

Where no nlmon interface can be made (a container, a machine without the module) the bytes a
program sends and receives still cross its system calls.  Record them with

    strace -f -ttt -yy -e trace=%network -e write=all -e read=all -o LOG CMD…

(-yy names each socket `NETLINK:[PROTOCOL:portid]`; -e write/read=all hex-dump every buffer),
then `tools/strace2pcap.py LOG OUT.pcapng`.  Each sendmsg/sendto/write on a netlink socket
becomes one frame, each recvmsg/recvfrom/read with data one frame, in the log's order, as
LINKTYPE_NETLINK frames with the protocol number, the time strace printed and the process
(`nlscope.process pid=… comm=…`, the comm from the traced execve).  Calls that peek (MSG_PEEK)
or fail are left out: the same bytes come again, or never came.  The messages are the
program's and the kernel's own; what strace cannot give is an exact kernel-side view
(multicast copies to other sockets, messages no traced program read).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dissectors.generated import netlink as N  # noqa: E402
from nlscope.sources.capture import Frame  # noqa: E402
from nlscope.sources.procs import Process  # noqa: E402
from nlscope.sources.writer import PcapngWriter, netlink_header  # noqa: E402

# <linux/netlink.h>'s protocol numbers by the names strace prints in NETLINK:[NAME:portid]
# (NETLINK_ROUTE -> ROUTE; the header's socket options share the prefix but no strace name)
PROTOCOLS = {k[len("NETLINK_"):]: v for k, v in vars(N).items() if k.startswith("NETLINK_") and isinstance(v, int)}
SENDS = {"sendmsg", "sendto", "write", "send"}
RECEIVES = {"recvmsg", "recvfrom", "read", "recv"}

_CALL = re.compile(r"^(?P<pid>\d+)\s+(?P<ts>\d+\.\d+)\s+(?P<name>\w+)\((?P<fd>\d+)<NETLINK:\[(?P<proto>\w+)(?P<port>:\d+)?\]>"
                   r"(?P<rest>.*)$")
_RESULT = re.compile(r"\)\s+=\s+(-?\d+)")
_EXEC = re.compile(r'^(?P<pid>\d+)\s+\S+\s+execve\("(?P<path>[^"]*)"')
_CLONE = re.compile(r"^(?P<pid>\d+)\s+\S+\s+(?:clone|clone3|fork|vfork)\(.*\)\s+=\s+(?P<child>\d+)")
# a socket not yet bound is shown by its inode (NETLINK:[404111]): its protocol is the socket() call's
_SOCKET = re.compile(r"socket\(AF_NETLINK, [^,]+, (?P<proto>\w+)\)\s+=\s+\d+<NETLINK:\[(?P<ino>\d+)\]>")
_RESUMED = re.compile(r"^(?P<pid>\d+)\s+(?P<ts>\d+\.\d+)\s+<\.\.\. (?P<name>\w+) resumed>(?P<rest>.*)$")
_HEX = re.compile(r"^ \| [0-9a-f]{5}  ")   # then 16 bytes in hex (8, two spaces, 8), then the text


def _protocol(name: str) -> int | None:
    name = name.removeprefix("NETLINK_")
    if name.isdigit():
        return int(name) if int(name) < 32 else None   # MAX_LINKS
    return PROTOCOLS.get(name)


def frames(lines, first_comm: str = "?"):
    """(Frame, Process) for every netlink call with data, in the log's order."""
    comm: dict[int, str] = {}
    call = None   # (pid, time, protocol, data) of the call whose dump lines follow
    unfinished: dict[int, tuple[str, int]] = {}   # pid -> (call, protocol) strace printed in two parts
    by_inode: dict[str, int | None] = {}

    def protocol_of(m) -> int | None:
        return _protocol(m.group("proto")) if m.group("port") else by_inode.get(m.group("proto"))

    def done():
        if call is not None and call[3]:
            pid, ts, proto, data = call
            proc = Process(pid, comm.get(pid, first_comm))
            sec, _, frac = ts.partition(".")
            ns = int(sec) * 1_000_000_000 + int((frac + "000000000")[:9])   # exact: no float on the way
            return Frame(0, ns / 1e9, bytes(data), proto, len(data), len(data), 4, 253,
                         netlink_header(proto, 4), ns, comment=proc.comment())
        return None

    for line in lines:
        line = line.rstrip("\n")
        hx = _HEX.match(line)
        if hx:
            if call is not None:
                call[3].extend(bytes.fromhex(line[10:10 + 16 * 3 + 1]))
            continue
        if line.startswith(" * "):    # " * N bytes in buffer K": the next iovec of the same call
            continue
        fr = done()
        if fr is not None:
            yield fr
        call = None
        m = _EXEC.match(line)
        if m and "= 0" in line[-6:]:
            comm[int(m.group("pid"))] = os.path.basename(m.group("path"))[:15]
            continue
        m = _CLONE.match(line)
        if m:
            comm.setdefault(int(m.group("child")), comm.get(int(m.group("pid")), first_comm))
            continue
        m = _SOCKET.search(line)
        if m:
            by_inode[m.group("ino")] = _protocol(m.group("proto"))
            continue
        m = _RESUMED.match(line)
        if m:
            name, proto = unfinished.pop(int(m.group("pid")), (None, None))
            res = _RESULT.search(m.group("rest"))
            if name == m.group("name") and res and int(res.group(1)) > 0 and "MSG_PEEK" not in m.group("rest"):
                call = (int(m.group("pid")), m.group("ts"), proto, bytearray())
            continue
        m = _CALL.match(line)
        if m and m.group("rest").endswith("<unfinished ...>"):
            proto = protocol_of(m)
            if proto is not None and "MSG_PEEK" not in m.group("rest"):
                unfinished[int(m.group("pid"))] = (m.group("name"), proto)
            continue
        if not m or (m.group("name") not in SENDS and m.group("name") not in RECEIVES):
            continue
        res = _RESULT.search(m.group("rest"))
        proto = protocol_of(m)
        if res is None or int(res.group(1)) <= 0 or "MSG_PEEK" in m.group("rest") or proto is None:
            continue
        call = (int(m.group("pid")), m.group("ts"), proto, bytearray())
    fr = done()
    if fr is not None:
        yield fr


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log", help="strace output (-f -ttt -yy -e write=all -e read=all)")
    ap.add_argument("out", help="the pcapng file to write")
    ap.add_argument("--comm", default="?", help="the process name for pids with no execve in the log")
    args = ap.parse_args(argv)
    n = 0
    try:
        with open(args.log, encoding="utf-8", errors="replace") as src, open(args.out, "wb") as out:
            w = PcapngWriter(out, application="nlscope tools/strace2pcap.py")
            for n, fr in enumerate(frames(src, args.comm), 1):
                w.write(fr, "strace")
    except ValueError as exc:   # a dump line that is not hex: not strace's output
        print(f"strace2pcap: {args.log}: not an strace -e write/read=all dump after frame {n} ({exc})",
              file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"strace2pcap: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {n} frames", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
