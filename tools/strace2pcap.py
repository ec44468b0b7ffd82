#!/usr/bin/env python3
"""Turn the netlink traffic an strace log shows into a pcapng capture nlscope and Wireshark read.

Where no nlmon interface can be made (a container, a machine without the module) the bytes a
program sends and receives still cross its system calls.  Record them with

    strace -f -ttt -yy -e trace=%network,execve -e write=all -e read=all -o LOG CMD…

(-yy names each socket `NETLINK:[PROTOCOL:portid]`; -e write/read=all hex-dump every buffer;
--help prints the options `nlscope trace` gives strace), then `tools/strace2pcap.py LOG
OUT.pcapng`.  Each sendmsg/sendto/write on a netlink socket becomes one frame, each
recvmsg/recvfrom/read with data one frame, in the log's order, as LINKTYPE_NETLINK frames
with the protocol number, the time strace printed and the process (`nlscope.process pid=…
comm=…`, the comm from the traced execve).  Calls that peek (MSG_PEEK) or fail are left
out: the same bytes come again, or never came.  The messages are the program's and the
kernel's own; what strace cannot give is an exact kernel-side view (multicast copies to
other sockets, messages no traced program read).  The reading is nlscope.sources.strace's,
which `nlscope trace -- CMD` uses to show a command's netlink traffic as it runs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nlscope.sources.strace import STRACE_OPTIONS, frames  # noqa: E402
from nlscope.sources.strace import protocol_number as _protocol  # noqa: E402,F401
from nlscope.sources.writer import PcapngWriter  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 epilog=f"record LOG with: strace {' '.join(STRACE_OPTIONS)} -o LOG CMD…")
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
