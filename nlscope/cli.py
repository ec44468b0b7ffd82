"""The `nlscope` command line."""
from __future__ import annotations

import argparse
import signal
import sys

from . import __version__

DESCRIPTION = """\
nlscope shows every netlink message that crossed the sockets: header, flags (with the
meaning that applies to the message), attributes, errors with their extended ACK, each
request paired with its answers.

  nlscope read capture.pcapng              one line per netlink message
  nlscope read -V capture.pcapng           every field of every message
  nlscope read -Y 'netlink.error != 0' -T json capture.pcapng
  nlscope -r capture.pcapng -c 20          tshark style: the first 20 messages
  nlscope capture -i nlmon0 -w out.pcapng  live, as root (nlscope nlmon up makes nlmon0)
  nlscope stats capture.pcapng             counts, errors, processes, latency, rate
  nlscope fields rtnl.link                 the filter fields, with their types
  nlscope capture.pcapng                   browse it in the TUI (nlscope demo: a bundled one)
"""

READ_EPILOG = """\
columns: No. (frame.message), Time (seconds from the first message), Protocol (netlink
family), Dir (U→K user to kernel, K→U kernel to user: inferred from NLM_F_REQUEST, which
every request carries and the kernel never sets), Port ID, Seq, Type, Flags, Info.
display filters (-Y): see 'nlscope fields' and the README, e.g.
  netlink.flags.dump and rtnl.link.mtu > 1500
  netlink.error == EEXIST || rtnl.route.dst in 10.0.0.0/8
"""


def _output_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-V", dest="verbose", action="store_true", help="print the full decoded tree of each message")
    p.add_argument("-T", dest="format", choices=("text", "json", "fields"), default="text",
                   help="output: text (default), json (NDJSON, one object per message), fields (with -e)")
    p.add_argument("-e", dest="fields", action="append", default=[], metavar="FIELD",
                   help="a field to print with -T fields (repeatable)")
    p.add_argument("-Y", dest="filter", metavar="FILTER", help="display filter: show only matching messages")
    p.add_argument("-c", dest="count", type=int, metavar="N", help="stop after N messages")
    p.add_argument("-t", dest="time_format", choices=("r", "a", "d"), default="r",
                   help="time column: r since the first message of the capture (default), a absolute, "
                        "d since the message before (shown or not)")
    p.add_argument("-w", dest="write", metavar="OUT", help="also write the frames shown to OUT (pcapng)")
    p.add_argument("-q", dest="quiet", action="store_true", help="print no messages (with -w, or for the counts)")
    _family_args(p)


def _family_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--genl", action="append", default=[], metavar="FAMILY=ID",
                   help="name a generic-netlink family id the capture does not announce "
                        "(e.g. --genl nl80211=0x1c); repeatable")
    p.add_argument("--spec", action="append", default=[], metavar="PATH",
                   help="decode with a YNL spec file, or every *.yaml in a directory (e.g. the kernel's "
                        "Documentation/netlink/specs); replaces a built-in family of the same name; repeatable")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="nlscope", description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"nlscope {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    rp = sub.add_parser("read", help="decode a capture file", description="Decode a netlink capture file.",
                        epilog=READ_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    rp.add_argument("file", nargs="?", help="pcap or pcapng file (gzip allowed), '-' for stdin")
    rp.add_argument("-r", dest="rfile", metavar="FILE", help="same as FILE (tshark style)")
    rp.add_argument("-j", "--jobs", type=int, metavar="N",
                    help="processes printing in parallel (default: every core; the output is the same)")
    rp.add_argument("-2", dest="two_pass", action="store_true",
                    help="read everything first, so filters on transaction fields (nlscope.latency) see answers "
                         "that come later")
    _output_args(rp)
    cp = sub.add_parser("capture", help="capture live from an nlmon interface (root)",
                        description="Capture netlink traffic live from an nlmon interface.",
                        epilog=READ_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    cp.add_argument("-i", dest="interface", default="nlmon0", help="nlmon interface (default nlmon0)")
    cp.add_argument("-a", dest="autostop", metavar="duration:S", help="stop after S seconds (duration:S)")
    cp.add_argument("--create", action="store_true", help="create the nlmon interface if it is missing")
    cp.add_argument("--no-process", action="store_true", help="do not look up which process owns each socket")
    _output_args(cp)
    np_ = sub.add_parser("nlmon", help="create or remove an nlmon interface (root)")
    np_.add_argument("action", choices=("up", "down"))
    np_.add_argument("name", nargs="?", default="nlmon0")
    op = sub.add_parser("open", help="browse a capture file in the TUI (also: nlscope FILE)")
    op.add_argument("file")
    _family_args(op)
    sub.add_parser("demo", help="open a capture bundled with nlscope in the TUI")
    lp = sub.add_parser("live", help="capture live in the TUI (root)")
    lp.add_argument("interface", nargs="?", default="nlmon0")
    lp.add_argument("--create", action="store_true", help="create the nlmon interface if it is missing")
    lp.add_argument("--limit", type=int, metavar="N", help="keep only the newest N messages (ring buffer)")
    lp.add_argument("-w", dest="write", metavar="OUT", help="where 'w' saves (default nlscope-saved.pcapng)")
    _family_args(lp)
    fp = sub.add_parser("fields", help="list the fields display filters and -e know")
    fp.add_argument("prefix", nargs="?", default="", help="only fields starting with this")
    fp.add_argument("--spec", action="append", default=[], metavar="PATH", help="also the fields of a YNL spec")
    sp = sub.add_parser("stats", help="statistics of a capture file")
    sp.add_argument("file")
    sp.add_argument("-Y", dest="filter", metavar="FILTER", help="count only matching messages")
    _family_args(sp)
    return ap


def _err(msg: str) -> None:
    print(f"nlscope: {msg}", file=sys.stderr)


def _bad_filter(exc) -> int:
    """A filter that does not parse: what and where, the filter with a caret; status 2."""
    _err(f"bad filter: {exc.message} (column {exc.column})\n{exc.pointer()}")
    return 2


class _Printer:
    """Prints messages in the chosen format and writes their frames with -w."""

    def __init__(self, args, process_column: bool = False):
        from .output import FieldsPrinter, TimeFormat, header_line, json_line, summary_line, verbose_block
        self.args = args
        self.tf = TimeFormat(args.time_format)
        self.out = sys.stdout
        self.writer = None
        self._file = None
        self.shown = 0
        self.fields = FieldsPrinter(args.fields) if args.format == "fields" else None
        if args.format == "fields" and not args.fields:
            raise ValueError("-T fields needs at least one -e FIELD")
        self.process_column = process_column
        self._summary, self._verbose, self._json = summary_line, verbose_block, json_line
        if args.write:
            from .sources.writer import PcapngWriter
            try:
                self._file = open(args.write, "wb")
            except OSError as exc:
                raise ValueError(f"cannot write {args.write}: {exc.strerror}") from None
            self.writer = PcapngWriter(self._file)
        self._last_frame = None
        if args.format == "text" and not args.verbose and not args.quiet:
            self.out.write(header_line(process_column) + "\n")

    def show(self, m, frame=None) -> None:
        a = self.args
        if self.writer is not None and frame is not None and frame is not self._last_frame:
            self._last_frame = frame
            self.write_frame(frame, m.process.comment() if m.process is not None and not frame.comment else None)
        self.shown += 1
        if a.quiet:
            return
        if a.format == "json":
            self.out.write(self._json(m) + "\n")
        elif a.format == "fields":
            self.out.write(self.fields.line(m) + "\n")
        elif a.verbose:
            self.out.write(self._verbose(m, self.tf) + "\n")
        else:
            self.out.write(self._summary(m, self.tf, self.process_column) + "\n")

    def write_frame(self, frame, comment: str | None = None) -> None:
        self.writer.write(frame, getattr(self.args, "interface", "") or "", comment)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        try:
            self.out.flush()
        except BrokenPipeError:
            pass


def _context(args):
    from dissectors import Context

    from .messages import parse_genl_ids
    return Context(parse_genl_ids(args.genl))


def _filter(args):
    if not getattr(args, "filter", None):
        return None
    from .analysis.filter import compile_filter
    return compile_filter(args.filter)


def _batch_gc() -> None:
    """For a batch job over a whole file: the families' tables (built once, kept for the
    run) leave the collector's view, and it runs less often; decoding allocates many
    short-lived, acyclic objects that reference counting alone frees."""
    import gc

    import dissectors
    dissectors.load_families()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _block_buffered(out):
    """`out` (stdout) buffered by blocks, whatever PYTHONUNBUFFERED says: a batch job prints
    a line a message, and a write per line costs more than making the line."""
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (tests give a StringIO)
        return out
    import io
    out.flush()
    return io.TextIOWrapper(io.BufferedWriter(io.FileIO(fd, "w", closefd=False), 1 << 16),
                            encoding=out.encoding, errors=out.errors)


def _reader_gone() -> None:
    """stdout's reader went away (| head): what is still buffered goes nowhere, quietly."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.stderr.close()


def _let_go(m) -> None:
    """A streamed message is done with: its trees go, and so does its transaction link, so
    no message -> transaction -> message cycle is left waiting for the collector."""
    m.forget()
    m.tx = None


def cmd_read(args) -> int:
    from .analysis.filter import FilterError
    from .analysis.transactions import TransactionTable
    from .messages import Pipeline, messages
    from .sources import CaptureError, read_capture
    from .workers import available_cores

    path = args.rfile or args.file
    if not path:
        _err("no capture file given; usage: nlscope read FILE (or -r FILE)")
        return 2
    if args.count is not None and args.count < 0:
        _err("-c needs a count of 0 or more")
        return 2
    if args.jobs is not None and args.jobs < 1:
        _err("-j needs 1 process or more")
        return 2
    try:
        ctx = _context(args)
        flt = _filter(args)
        printer = _Printer(args, process_column=False)
    except FilterError as exc:
        return _bad_filter(exc)
    except ValueError as exc:
        _err(str(exc))
        return 2
    _batch_gc()
    printer.out = _block_buffered(printer.out)
    # one pass: only open transactions are held, and a shown message's trees are dropped,
    # so memory stays flat on a capture of any size (-2 keeps everything, as tshark's does).
    # Summaries show no pairing: without -V, JSON, -2 or a transaction field, none is made.
    from .analysis.filter import TX_FIELDS
    pairs = (args.verbose or args.format == "json" or args.two_pass
             or bool(flt is not None and flt.fields & TX_FIELDS)
             or bool(args.format == "fields" and TX_FIELDS & set(args.fields or ())))
    table = TransactionTable(keep=args.two_pass) if pairs else None
    jobs = args.jobs if args.jobs is not None else available_cores()
    if jobs > 1 and not (args.quiet or args.two_pass or args.write or args.count is not None):
        return _read_in_workers(read_capture(path, warn=_err), Pipeline(ctx, table), printer, flt, jobs)
    frames = {}
    status = 0
    tf = printer.tf
    try:
        def source():
            for fr in read_capture(path, warn=_err):
                if printer.writer is not None:
                    if not args.two_pass:  # one pass: the frame before is done with (shown or not)
                        frames.clear()
                    frames[fr.number] = fr
                yield fr
        stream = messages(source(), ctx, table)
        if args.two_pass:
            stream = list(stream)
            table.finish()
        for m in stream:
            if args.count is not None and printer.shown >= args.count:
                break
            tf.see(m.time)
            if flt is None or flt(m):
                printer.show(m, frames.pop(m.frame, None) if printer.writer is not None else None)
            _let_go(m)
    except CaptureError as exc:
        printer.close()
        _err(str(exc))
        status = 2
    except BrokenPipeError:
        _reader_gone()
        return 0
    except KeyboardInterrupt:
        status = 130
    printer.close()
    return status


def _read_in_workers(frames, pipe, printer, flt, jobs: int) -> int:
    """`read` on every core (see workers.py): chunks of frames printed by forked workers that
    start from the one-pass state at their first frame; the output is what one process prints.

    The reader prints a chunk itself (into memory, queued in order with the workers') when
    that costs less than a fork: the last chunk, and — with a filter on header fields, which
    the reader evaluates anyway — a chunk after one where the filter kept few messages."""
    import io

    from . import workers as W
    from .analysis.filter import HEADER_FIELDS
    from .sources import CaptureError

    import dissectors
    tf = printer.tf
    cheap = flt is not None and flt.fields <= HEADER_FIELDS
    stdout = printer.out

    def advance(chunk, show: bool) -> tuple[int, int]:
        """Feed the chunk; print what the filter keeps if `show`; (messages, kept)."""
        seen = kept = 0
        test = show or cheap
        for fr in chunk:
            for m in pipe.feed(fr):
                seen += 1
                tf.see(m.time)
                if test and (flt is None or flt(m)):
                    kept += 1
                    if show:
                        printer.show(m)
                _let_go(m)
        return seen, kept

    def work(text, chunk) -> None:
        printer.out = text
        advance(chunk, True)

    # what families load on first use is loaded once, before the first fork, not in every worker
    workers = W.ChunkWorkers(jobs, stdout, prepare=lambda: dissectors.load_families(deferred=True))
    fault = None
    size = W.FIRST_CHUNK
    few = cheap
    status = 0
    try:
        while fault is None:
            chunk = []
            try:
                for fr in frames:
                    chunk.append(fr)
                    if len(chunk) == size:
                        break
            except CaptureError as exc:  # what was read before the fault is still shown
                fault = exc
            last = len(chunk) < size or fault is not None
            if last or few:
                printer.out = io.StringIO()
                seen, kept = advance(chunk, True)
                workers.add_done(printer.out.getvalue())
                printer.out = stdout
            else:
                workers.start(lambda text, chunk=chunk: work(text, chunk),
                              f"frames {chunk[0].number}-{chunk[-1].number}")
                seen, kept = advance(chunk, False)
            if last:
                break
            few = cheap and kept * 8 < seen
            size = min(size * 2, W.MAX_CHUNK)
        workers.finish()
    except BrokenPipeError:
        workers.kill()
        _reader_gone()
        return 0
    except KeyboardInterrupt:
        workers.kill()
        status = 130
    printer.out = stdout
    printer.close()
    if workers.failed:
        _err(f"a worker failed on {', '.join(workers.failed)} (its traceback is above); "
             f"'-j 1' reads in one process")
        status = status or 1
    if fault is not None:
        _err(str(fault))
        status = 2
    return status


def cmd_capture(args) -> int:
    from collections import deque

    from .analysis.filter import FilterError
    from .analysis.transactions import TransactionTable
    from .messages import Pipeline
    from .sources import CaptureError
    from .sources.genl_ids import KernelGenlIds
    from .sources.live import LiveCapture
    from .sources.nlmon import nlmon_up
    from .sources.procs import ProcessTable

    duration = None
    if args.autostop:
        key, _, val = args.autostop.partition(":")
        try:
            if key != "duration":
                raise ValueError
            duration = float(val)
        except ValueError:
            _err(f"-a {args.autostop}: write duration:SECONDS, e.g. -a duration:10")
            return 2
    try:
        ctx = _context(args)
        flt = _filter(args)
        if args.create:
            nlmon_up(args.interface)
        live = LiveCapture(args.interface)
        printer = _Printer(args, process_column=not args.no_process)
    except FilterError as exc:
        return _bad_filter(exc)
    except (CaptureError, ValueError) as exc:
        _err(str(exc))
        return 2
    import dissectors
    dissectors.load_families()  # before the first frame, so reading never starts behind
    print(f"nlscope: listening on {args.interface} ({live.ring_text()})", file=sys.stderr, flush=True)
    procs = None if args.no_process else ProcessTable()
    if procs is not None:
        procs.watch()
    own = procs.own_portids if procs is not None else set()
    ctx.resolver = KernelGenlIds(own)
    pipe = Pipeline(ctx, TransactionTable(), procs)
    signal.signal(signal.SIGTERM, lambda *_: live.stop())
    # A request's sender is known only from its answer (requests may carry port id 0), so a
    # request waits here until it is answered, or HOLD seconds, before it is shown or saved.
    HOLD = 0.25
    pending: deque = deque()

    def ready(m, since, now) -> bool:
        if not m.tx or m.tx[1] != "request":
            return True
        t = m.tx[0]
        return bool(t.responses) or t.status != "open" or now - since > HOLD

    def release(force: bool = False) -> bool:
        import time
        now = time.monotonic()
        while pending and (force or ready(pending[0][0], pending[0][2], now)):
            m, frame, _ = pending.popleft()
            if args.count is not None and printer.shown >= args.count:
                return False
            printer.tf.see(m.time)
            if flt is None or flt(m):
                printer.show(m, frame)
        return args.count is None or printer.shown < args.count

    # -q -w with nothing to show, filter, count or attribute: frames go to the file as
    # they come, undecoded (as dumpcap does), which keeps up with bursts the decoder cannot
    raw = args.quiet and flt is None and procs is None and args.count is None and printer.writer is not None
    try:
        import time
        for fr in live.frames(duration=duration, idle=True):
            if raw:
                if fr is not None:
                    printer.write_frame(fr)
                continue
            if fr is not None and not _own(fr, own):
                for m in pipe.feed(fr):
                    pending.append((m, fr, time.monotonic()))
            if not release():
                break
        release(force=True)
    except KeyboardInterrupt:
        release(force=True)
    except BrokenPipeError:
        return 0
    finally:
        received, dropped = live.statistics()
        printer.close()
        live.close()
        if procs is not None:
            procs.close()
    print(f"nlscope: {live.number} frames captured on {args.interface}; the kernel passed {received} and dropped "
          f"{dropped} (PACKET_STATISTICS)", file=sys.stderr)
    if procs is not None:
        print(f"nlscope: sockets traced to their process: {procs.found}; closed before they could be: "
              f"{procs.gone}; frames read at most {live.max_lag:.3f} s after they arrived", file=sys.stderr)
    return 0


def _own(frame, own: set) -> bool:
    import struct
    if len(frame.data) < 16 or not own:
        return False
    pid = struct.unpack_from("=I", frame.data, 12)[0]
    return (frame.protocol, pid) in own


def cmd_nlmon(args) -> int:
    from .sources import CaptureError
    from .sources.nlmon import nlmon_down, nlmon_up
    try:
        if args.action == "up":
            created = nlmon_up(args.name)
            print(f"{args.name} {'created and up' if created else 'already exists'}")
        else:
            nlmon_down(args.name)
            print(f"{args.name} removed")
    except CaptureError as exc:
        _err(str(exc))
        return 2
    return 0


def cmd_fields(args) -> int:
    from dissectors import FIELDS, load_families

    from .analysis.filter import APP_FIELDS, INDEX_FIELDS
    load_families()
    rows = {}
    for f in FIELDS:
        rows[f.abbrev] = (f.kind, f.desc or f.name)
    for name, (kind, desc) in APP_FIELDS.items():
        rows[name] = (kind, desc)
    for name in INDEX_FIELDS:
        rows.setdefault(name, ("bool" if name.startswith("netlink.flags.") else "uint", name))
    try:
        for name in sorted(rows):
            if name.startswith(args.prefix):
                kind, desc = rows[name]
                print(f"{name}\t{kind}\t{desc}")
    except BrokenPipeError:
        sys.stderr.close()
    return 0


def cmd_stats(args) -> int:
    from .analysis.filter import FilterError
    from .analysis.stats import Stats
    from .analysis.transactions import TransactionTable
    from .messages import messages
    from .sources import CaptureError, read_capture
    try:
        ctx = _context(args)
        flt = _filter(args)
    except FilterError as exc:
        return _bad_filter(exc)
    except ValueError as exc:
        _err(str(exc))
        return 2
    st = Stats()
    _batch_gc()
    # a stream: each transaction is counted when it ends, and only open ones are held
    table = TransactionTable(keep=False, on_done=st.add_transaction)
    status = 0
    try:
        for m in messages(read_capture(args.file, warn=_err), ctx, table):
            if flt is None or flt(m):
                st.add(m)
            _let_go(m)
    except CaptureError as exc:
        _err(str(exc))
        status = 2
    table.finish()
    print(st.report())
    return status


def demo_capture() -> str:
    """Path of the capture bundled in the package (an ip session with extack errors)."""
    from pathlib import Path
    return str(Path(__file__).resolve().parent / "data" / "demo.pcapng")


def cmd_open(args) -> int:
    from .messages import parse_genl_ids
    from .sources import CaptureError, read_capture
    path = demo_capture() if args.command == "demo" else args.file
    try:
        genl = parse_genl_ids(getattr(args, "genl", []))
        next(iter(read_capture(path)), None)  # a bad file is one line here, before the screen is taken
    except (CaptureError, ValueError) as exc:
        _err(str(exc))
        return 2
    from .tui.app import NlscopeApp
    NlscopeApp(path, genl).run()
    return 0


def cmd_live(args) -> int:
    from .messages import parse_genl_ids
    from .sources import CaptureError
    from .sources.nlmon import nlmon_up
    try:
        genl = parse_genl_ids(args.genl)
        if args.create:
            nlmon_up(args.interface)
        from .tui.live_store import LiveStore
        store = LiveStore(args.interface, args.limit, genl)
    except (CaptureError, ValueError) as exc:
        _err(str(exc))
        return 2
    from .tui.app import NlscopeApp
    NlscopeApp(store=store, save_path=args.write).run()
    return 0


COMMANDS = {"live": cmd_live, "read": cmd_read, "capture": cmd_capture, "nlmon": cmd_nlmon, "fields": cmd_fields, "stats": cmd_stats,
            "open": cmd_open, "demo": cmd_open}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # tshark style: `nlscope -r FILE …` means `nlscope read -r FILE …`; `nlscope FILE` opens the TUI
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        if argv[0].startswith("-"):
            argv = ["read"] + argv
        else:
            argv = ["open"] + argv
    ap = build_parser()
    args = ap.parse_args(argv)
    if getattr(args, "spec", None):
        from dissectors.ynl import SpecError, load_specs
        try:
            load_specs(args.spec)
        except SpecError as e:
            _err(f"{e} (see https://docs.kernel.org/userspace-api/netlink/specs.html)")
            return 2
    if args.command in COMMANDS:
        return COMMANDS[args.command](args)
    ap.print_help()
    return 2
