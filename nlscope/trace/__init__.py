"""`nlscope trace [options] -- CMD ARGS…`: run a command, show its netlink conversation.

The command's netlink traffic, and its children's, is printed as it happens, decoded and
paired as `nlscope read` prints a capture (requests, answers, errors with their extack and
the attribute they blame); then trace exits with the command's status (128+N if signal N
killed it, as shells say).  Two engines (engines.py):

  strace  the command runs under strace, whose log of the netlink calls becomes frames
          (nlscope.sources.strace): any user, no module; only the command's own calls exist
          in the log, by construction.
  bpf     the BPF source (nlscope.sources.bpf) sees every process's netlink traffic; the
          command's frames are those whose process is in its tree, known from fork events
          recorded as they happen (tree.py), so a child that lived a millisecond is named.

The default is bpf where it can run (root, the BPF source, bcc and kernel headers for it to
compile with), else strace.
The command's standard output goes to trace's standard error, so that what trace prints
(a JSON stream, a pcapng with '-w -') is never mixed with it; its stdin and stderr are left.
With --tui the traffic is browsed in the TUI as it comes (tui.py).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

DESCRIPTION = """\
Run CMD and show the netlink messages it and its children exchange with the kernel, decoded
and paired as 'nlscope read' shows a capture; exit with CMD's status (128+N if killed by
signal N).  Messages of other processes are never shown.  CMD's standard output goes to
standard error, so that trace's own output stays whole.

  nlscope trace -- ip link add dummy0 type dummy
  nlscope trace -V -- nft -f ruleset.nft
  nlscope trace -T json -Y 'netlink.error != 0' -- ip -batch cmds.txt
  nlscope trace -q -w ip.pcapng -- ip route get 127.0.0.1
"""

EPILOG = """\
sources: strace (CMD runs under 'strace -f'; any user; the calls of CMD's processes only),
bpf (root and bcc: every socket, then CMD's process tree by the fork events the proc
connector reports); auto (default): bpf where it can run, else strace.
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    """The `trace` subcommand, with the output options `read` and `capture` have."""
    from ..cli import _output_args
    p = subparsers.add_parser("trace", help="run a command and show its netlink traffic, decoded",
                              description=DESCRIPTION, epilog=EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", choices=("auto", "strace", "bpf"), default="auto",
                   help="how the traffic is captured: strace, bpf, or auto (default: bpf where it can run, "
                        "else strace)")
    p.add_argument("--tui", action="store_true",
                   help="browse the traffic in the TUI as it comes (with -w FILE, kept there; -Y: the TUI's "
                        "filter); CMD's output is printed once the TUI is closed, and q before CMD ends stops it")
    _output_args(p)
    p.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD ARGS",
                   help="the command to run, after '--'")
    return p


def _command(args) -> list[str]:
    argv = list(args.argv or ())
    if argv and argv[0] == "--":
        argv = argv[1:]
    return argv


def run(args) -> int:
    """Run `args.argv` traced; its status, or 2 if nlscope could not do what it was asked."""
    from ..analysis.filter import FilterError
    from ..analysis.transactions import TransactionTable
    from ..cli import _bad_filter, _context, _err, _filter, _let_go, _Printer
    from ..messages import Pipeline
    from ..sources import CaptureError
    from ..sources.strace import find_command
    from ..workers import OutputError
    from .engines import open_engine

    argv = _command(args)
    if not argv:
        _err("trace needs a command: nlscope trace [options] -- CMD ARGS…")
        return 2
    if args.count is not None and args.count < 1:
        _err("-c needs a count of 1 or more")
        return 2
    if find_command(argv[0])[0] is None:
        status = find_command(argv[0])[1]
        _err(f"{argv[0]}: {'command not found' if status == 127 else 'cannot be run (permission denied)'}")
        return status
    if args.tui:
        if args.write == "-":
            _err("trace --tui shows the traffic on the terminal: -w - has no standard output to write to; "
                 "give -w FILE")
            return 2
        from .tui import run_tui
        return run_tui(args, argv)
    try:
        ctx = _context(args)
        flt = _filter(args)
        printer = _Printer(args, process_column=True, fitted=False)
    except FilterError as exc:
        return _bad_filter(exc)
    except ValueError as exc:
        _err(str(exc))
        return 2
    try:
        printer.start()
    except OutputError as exc:
        _err(str(exc))
        return 2
    import dissectors
    dissectors.load_families()   # before the command starts: the first frames are shown at once
    out = printer.out
    if hasattr(out, "reconfigure"):
        out.reconfigure(line_buffering=True)   # each message as it comes, through a pipe too
    try:
        # the command's standard output goes to our standard error: what trace prints stays
        # whole (a JSON stream, '-w -'), and on a terminal both show as before
        fd = _stderr_fd()
        engine = open_engine(args.source, argv, warn=_err, popen={"stdout": fd} if fd is not None else None)
    except CaptureError as exc:
        printer.close(ok=False)
        _err(str(exc))
        return 2
    # ^C and kill reach the command (the terminal's process group; a kill of ours is passed
    # on): trace goes on reading until it has ended, as a shell waits for its job
    previous = {sig: signal.signal(sig, lambda signum, _f: engine.signal(signum))
                for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)}
    pipe = Pipeline(ctx, TransactionTable(keep=False))
    failure = None
    taken = 0
    try:
        for fr in engine.frames():
            if failure is not None or args.count is not None and taken >= args.count:
                continue   # read on, so the command is never held up by a full log
            taken += 1
            try:
                for m in pipe.feed(fr):
                    printer.tf.see(m.time)
                    printer.see(m)
                    if flt is None or flt(m):
                        printer.show(m, fr)
                    _let_go(m)
            except BrokenPipeError:   # | head: the rest is read and dropped
                failure = ""
                _quiet_stdout()
            except OutputError as exc:
                failure = str(exc)
            except FilterError as exc:
                failure = f"the filter stopped: {exc.message}"
        if failure is None:
            printer.end_chunk()
    except BrokenPipeError:
        failure = failure or ""
        _quiet_stdout()
    except OutputError as exc:
        failure = failure or str(exc)
    finally:
        status = engine.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    try:
        printer.close(ok=failure is None)
    except OutputError as exc:
        failure = failure or str(exc)
    except BrokenPipeError:
        _quiet_stdout()
    note = engine.note()
    if note:
        _err(note)
    if failure:
        _err(failure)
        return 2
    return status


def _stderr_fd() -> int | None:
    try:
        sys.stderr.flush()
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):   # not a file (a test's StringIO): ours
        return None


def _quiet_stdout() -> None:
    """stdout's reader is gone: what is still printed goes nowhere."""
    from ..cli import _stdout_to_null
    _stdout_to_null()
    try:
        sys.stdout = open(os.devnull, "w")
    except OSError:
        pass
