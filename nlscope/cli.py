"""The `nlscope` command line."""
from __future__ import annotations

import argparse
import sys

from . import __version__

DESCRIPTION = """\
nlscope shows every netlink message that crossed the sockets: header, flags (with the
meaning that applies to the message), attributes, errors with their extended ACK.

Read a capture made on an nlmon interface:
  nlscope read capture.pcapng            one line per netlink message
  nlscope read -V capture.pcapng         every field of every message
  nlscope read -T json capture.pcapng    one JSON object per message (NDJSON)
  nlscope -r capture.pcapng -c 20        tshark-style: the first 20 messages

Record one (as root):  ip link add nlmon0 type nlmon && ip link set nlmon0 up
                       tcpdump -i nlmon0 -w capture.pcapng
"""

READ_EPILOG = """\
columns: No. (frame.message), Time (seconds from the first message), Protocol (netlink
family), Dir (U→K user to kernel, K→U kernel to user: inferred from NLM_F_REQUEST, which
every request carries and the kernel never sets), Port ID, Seq, Type, Flags, Info.
"""


def _read_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", help="pcap or pcapng file (gzip allowed), '-' for stdin")
    p.add_argument("-r", dest="rfile", metavar="FILE", help="same as FILE (tshark style)")
    p.add_argument("-V", dest="verbose", action="store_true", help="print the full decoded tree of each message")
    p.add_argument("-T", dest="format", choices=("text", "json"), default="text",
                   help="output format: text (default) or json (NDJSON, one object per message)")
    p.add_argument("-c", dest="count", type=int, metavar="N", help="stop after N messages")
    p.add_argument("-t", dest="time_format", choices=("r", "a", "d"), default="r",
                   help="time column: r relative to the first message (default), a absolute, d delta")
    p.add_argument("--genl", action="append", default=[], metavar="FAMILY=ID",
                   help="name a generic-netlink family id the capture does not announce "
                        "(e.g. --genl nl80211=0x1c); repeatable")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="nlscope", description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"nlscope {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    rp = sub.add_parser("read", help="decode a capture file", description="Decode a netlink capture file.",
                        epilog=READ_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _read_args(rp)
    return ap


def _err(msg: str) -> None:
    print(f"nlscope: {msg}", file=sys.stderr)


def cmd_read(args) -> int:
    from dissectors import Context

    from .messages import messages, parse_genl_ids
    from .output import TimeFormat, header_line, json_line, summary_line, verbose_block
    from .sources import CaptureError, read_capture

    path = args.rfile or args.file
    if not path:
        _err("no capture file given; usage: nlscope read FILE (or -r FILE)")
        return 2
    try:
        ctx = Context(parse_genl_ids(args.genl))
    except ValueError as exc:
        _err(str(exc))
        return 2
    if args.count is not None and args.count < 0:
        _err("-c needs a count of 0 or more")
        return 2
    tf = TimeFormat(args.time_format)
    out = sys.stdout
    write = out.write
    shown = 0
    status = 0
    try:
        if args.format == "text" and not args.verbose:
            write(header_line() + "\n")
        for m in messages(read_capture(path, warn=_err), ctx):
            if args.count is not None and shown >= args.count:
                break
            if args.format == "json":
                write(json_line(m) + "\n")
            elif args.verbose:
                write(verbose_block(m, tf) + "\n")
            else:
                write(summary_line(m, tf) + "\n")
            shown += 1
    except CaptureError as exc:
        out.flush()
        _err(str(exc))
        status = 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    try:
        out.flush()
    except BrokenPipeError:
        pass
    return status


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # tshark style: `nlscope -r FILE …` means `nlscope read -r FILE …`
    if argv and argv[0] not in ("read", "-h", "--help", "--version") and not argv[0].startswith("--") \
            and (argv[0].startswith("-") or argv[0].endswith((".pcap", ".pcapng", ".gz"))):
        argv = ["read"] + argv
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.command == "read":
        return cmd_read(args)
    ap.print_help()
    return 2
