"""The `nlscope` command line."""
from __future__ import annotations

import argparse
import signal
import sys
from struct import error as struct_error

from . import __version__
from .workers import ForkError, OutputError

DESCRIPTION = """\
nlscope shows every netlink message that crossed the sockets: header, flags (with the
meaning that applies to the message), attributes, errors with their extended ACK, each
request paired with its answers.

  nlscope read capture.pcapng              one line per netlink message
  nlscope read -V capture.pcapng           every field of every message
  nlscope read -Y 'netlink.type == NLMSG_ERROR and netlink.error != 0' -T json capture.pcapng
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
    p.add_argument("-w", dest="write", metavar="OUT",
                   help="also write the frames shown to OUT (pcapng); '-w -' writes them to standard output, "
                        "and prints nothing else there")
    p.add_argument("-q", dest="quiet", action="store_true", help="print no messages (with -w, or for the counts)")
    _family_args(p)


def _family_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--genl", action="append", default=[], metavar="FAMILY=ID",
                   help="name a generic-netlink family id the capture does not announce "
                        "(e.g. --genl nl80211=0x1c); repeatable")
    p.add_argument("--spec", action="append", default=[], metavar="PATH",
                   help="decode with a YNL spec file, or every *.yaml in a directory (e.g. the kernel's "
                        "Documentation/netlink/specs); replaces a built-in family of the same name; repeatable")
    p.add_argument("--show-secrets", action="store_true",
                   help="print key material as captured (WireGuard private and preshared keys, attributes a spec "
                        "marks secret); without it such values are redacted")


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
                    help="processes printing in parallel (default, and at most: the cores this process may "
                         "run on; the output is the same)")
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


def _err(msg: str, pointer: str | None = None) -> None:
    """One line on stderr (then, for a filter, the filter and a caret under the fault): what
    the capture, a file name or a filter put in it is escaped, so it stays one line."""
    from dissectors.text import escape_text
    text = escape_text(f"nlscope: {msg}")
    if pointer is not None:
        text += "".join("\n" + escape_text(x) for x in pointer.split("\n"))
    print(text, file=sys.stderr)


def _bad_filter(exc) -> int:
    """A filter that does not parse: what and where, the filter with a caret; status 2."""
    _err(f"bad filter: {exc.message} (column {exc.column})", exc.pointer())
    return 2


def _same_file(source: str, dest: str) -> bool:
    """dest is the capture being read: the same inode, whatever the names or links say
    ('-': whatever stdin was redirected from)."""
    import os
    import stat
    try:
        d = os.stat(dest)
        s = os.fstat(sys.stdin.fileno()) if source == "-" else os.stat(source)
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISREG(d.st_mode) and (s.st_dev, s.st_ino) == (d.st_dev, d.st_ino)


class _Printer:
    """Prints messages in the chosen format and writes their frames with -w.

    Given `source` (the capture being read), -w refuses to write onto that file, and writes
    to a temporary file beside OUT that close() renames over it: an existing OUT is left as
    it was until the run succeeds, and if it fails.  Without it (a live capture) OUT is
    written as the frames come, as dumpcap does.  '-w -' writes the frames to stdout, and
    then nothing else is printed there."""

    def __init__(self, args, process_column: bool = False, source: str | None = None):
        from .output import (FieldsPrinter, TimeFormat, fault_block, fault_json, fault_summary, header_line, json_line,
                             summary_line, verbose_block)
        self.args = args
        self.tf = TimeFormat(args.time_format)
        self.out = sys.stdout
        self.writer = None
        self._file = None
        self._temp = self._target = None   # -w through a temporary file: its path, and the file it replaces
        self.shown = 0
        self.faults, self.first_fault = 0, None
        if args.format == "fields" and not args.fields:
            raise ValueError("-T fields needs at least one -e FIELD")
        if args.write == "-":
            if not args.quiet and (args.verbose or args.format != "text"):
                raise ValueError("-w - writes the frames to standard output, where no message can be printed too; "
                                 "add -q, or write the frames to a file")
            args.quiet = True
        self.fields = FieldsPrinter(args.fields) if args.format == "fields" else None
        self.process_column = process_column
        self._summary, self._verbose, self._json = summary_line, verbose_block, json_line
        self._fault_summary, self._fault_block, self._fault_json = fault_summary, fault_block, fault_json
        if args.write:
            from .sources.writer import PcapngWriter
            self._file = self._open_output(args.write, source)
            try:
                self.writer = PcapngWriter(self._file)
            except OSError as exc:
                self.close(ok=False)
                raise ValueError(f"cannot write {args.write}: {exc.strerror or exc}") from None
        self._last_frame = None
        if args.format == "text" and not args.verbose and not args.quiet:
            try:
                self._put(header_line(process_column) + "\n")
            except OutputError:
                self.close(ok=False)
                raise

    def _open_output(self, path: str, source: str | None):
        import os
        import stat
        import tempfile
        if path == "-":
            return sys.stdout.buffer
        if source is None:
            try:
                return open(path, "wb")
            except OSError as exc:
                raise ValueError(f"cannot write {path}: {exc.strerror or exc}") from None
        if _same_file(source, path):
            raise ValueError(f"-w {path} is the capture being read: writing it would destroy it; "
                             f"write to another file")
        target = os.path.realpath(path)   # through a symbolic link: the file it names is replaced
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise ValueError(f"cannot write {path}: {exc.strerror or exc}") from None
        try:
            if st is not None and not stat.S_ISREG(st.st_mode):
                return open(path, "wb")   # a device or a FIFO (/dev/null, /dev/stdout): nothing to rename over
            fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".part",
                                        dir=os.path.dirname(target))
        except OSError as exc:
            raise ValueError(f"cannot write {path}: {exc.strerror or exc}") from None
        self._temp, self._target = temp, target
        if st is not None:   # replacing a file: its mode and, where allowed, its owner stay
            mode = stat.S_IMODE(st.st_mode)
            try:
                os.fchown(fd, st.st_uid, st.st_gid)
            except OSError:
                pass
        else:                # a new file: the mode open() would give it
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        return os.fdopen(fd, "wb")

    def _put(self, text: str) -> None:
        try:
            self.out.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError("standard output", exc) from None

    def show(self, m, frame=None) -> None:
        a = self.args
        if self.writer is not None and frame is not None and frame is not self._last_frame:
            self._last_frame = frame
            self.write_frame(frame, m.process.comment() if m.process is not None and not frame.comment else None)
        self.shown += 1
        if a.quiet:
            return
        try:
            if a.format == "json":
                self.out.write(self._json(m) + "\n")
            elif a.format == "fields":
                self.out.write(self.fields.line(m) + "\n")
            elif a.verbose:
                self.out.write(self._verbose(m, self.tf) + "\n")
            else:
                self.out.write(self._summary(m, self.tf, self.process_column) + "\n")
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError("standard output", exc) from None

    def show_fault(self, fr, show: bool = True) -> None:
        """A frame the reader could not read as netlink (Frame.fault), in its place: one row,
        its bytes with -V, an object with a "fault" key in JSON.  -T fields (whose columns
        are message fields) and -q count it for fault_note(); so does `show` False (a chunk
        another process prints).  It is not written with -w: it has no netlink link type."""
        self.faults += 1
        if self.first_fault is None:
            self.first_fault = fr
        a = self.args
        if not show or a.quiet or a.format == "fields":
            return
        if a.format == "json":
            self._put(self._fault_json(fr) + "\n")
        elif a.verbose:
            self._put(self._fault_block(fr, self.tf) + "\n")
        else:
            self._put(self._fault_summary(fr, self.tf, self.process_column) + "\n")

    def fault_note(self) -> str | None:
        """One line for stderr about the frames show_fault() could not print or -w could not write."""
        a = self.args
        if not self.faults or not (a.quiet or a.format == "fields" or self.writer is not None):
            return None
        fr = self.first_fault
        where = f"; they are not in {a.write}" if self.writer is not None else ""
        return (f"{self.faults} frame{'s' if self.faults > 1 else ''} could not be read as netlink (frame {fr.number}: "
                f"{fr.fault}){where}; 'nlscope read -V' shows their bytes")

    def write_frame(self, frame, comment: str | None = None) -> None:
        try:
            self.writer.write(frame, getattr(self.args, "interface", "") or "", comment)
        except OSError as exc:
            raise OutputError(self.args.write if self.args.write != "-" else "standard output", exc) from None
        except (struct_error, OverflowError, ValueError) as exc:  # a value pcapng cannot hold
            raise OutputError(self.args.write if self.args.write != "-" else "standard output",
                              f"frame {frame.number} cannot be written as pcapng ({exc})") from None

    def close(self, ok: bool = True) -> None:
        """Flush stdout and finish -w: with `ok`, the temporary file replaces OUT; else it goes
        and OUT stays as it was (OutputError if either cannot be written)."""
        import os
        f, self._file = self._file, None
        temp, self._temp = self._temp, None
        where = self.args.write if self.args.write != "-" else "standard output"
        if f is not None:
            try:
                if f is sys.stdout.buffer:
                    f.flush()
                else:
                    f.close()
                if temp is not None and ok:
                    os.replace(temp, self._target)
                    temp = None
            except OSError as exc:
                if ok:
                    self._discard(f, temp)
                    raise OutputError(where, exc) from None
            finally:
                if temp is not None:
                    self._discard(f, temp)
        try:
            self.out.flush()
        except BrokenPipeError:
            pass
        except OSError as exc:
            if ok:
                raise OutputError("standard output", exc) from None

    @staticmethod
    def _discard(f, temp: str) -> None:
        import os
        try:
            f.close()
        except OSError:
            pass
        try:
            os.unlink(temp)
        except OSError:
            pass


def _context(args):
    from dissectors import Context

    from .messages import parse_genl_ids
    # key material is redacted unless --show-secrets
    return Context(parse_genl_ids(args.genl), show_secrets=bool(getattr(args, "show_secrets", False)))


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
    try:
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError("standard output", exc) from None
    return io.TextIOWrapper(io.BufferedWriter(io.FileIO(fd, "w", closefd=False), 1 << 16),
                            encoding=out.encoding, errors=out.errors)


def _stdout_to_null() -> None:
    """What is still buffered for stdout goes nowhere (its reader is gone, or it cannot be
    written): no flush at exit complains."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def _reader_gone() -> None:
    """stdout's reader went away (| head): what is still buffered goes nowhere, quietly."""
    _stdout_to_null()
    sys.stderr.close()


def _output_failed(exc: OutputError, printer=None) -> int:
    """stdout or -w could not be written: one line, status 2; a -w file not finished is
    removed (OUT stays as it was), and what stdout still buffers is dropped."""
    if printer is not None:
        try:
            printer.close(ok=False)
        except OutputError:
            pass
    _err(str(exc))
    _stdout_to_null()
    return 2


def _let_go(m) -> None:
    """A streamed message is done with: its trees go, and so does its transaction link, so
    no message -> transaction -> message cycle is left waiting for the collector."""
    m.forget()
    m.tx = None


def cmd_read(args) -> int:
    from .analysis.filter import FilterError
    from .analysis.transactions import TransactionTable
    from .messages import Pipeline
    from .sources import CaptureError, Frame, read_capture
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
        printer = _Printer(args, process_column=False, source=path)
    except FilterError as exc:
        return _bad_filter(exc)
    except ValueError as exc:
        _err(str(exc))
        return 2
    except OutputError as exc:
        return _output_failed(exc)
    _batch_gc()
    try:
        printer.out = _block_buffered(printer.out)
    except OutputError as exc:
        return _output_failed(exc, printer)
    # one pass: only open transactions are held, and a shown message's trees are dropped,
    # so memory stays flat on a capture of any size (-2 keeps everything, as tshark's does).
    # Summaries show no pairing: without -V, JSON, -2 or a transaction field, none is made.
    from .analysis.filter import TX_FIELDS
    pairs = (args.verbose or args.format == "json" or args.two_pass
             or bool(flt is not None and flt.fields & TX_FIELDS)
             or bool(args.format == "fields" and TX_FIELDS & set(args.fields or ())))
    table = TransactionTable(keep=args.two_pass) if pairs else None
    # more processes than cores print no faster, and each holds a chunk's output: -j is
    # bounded by the cores this process may run on
    jobs = min(args.jobs, available_cores()) if args.jobs is not None else available_cores()
    # a filter that may run out of time (a costly `matches`) stops where it does: one process
    if jobs > 1 and not (args.quiet or args.two_pass or args.write or args.count is not None
                         or (flt is not None and flt.may_time_out)):
        return _read_in_workers(read_capture(path, warn=_err), Pipeline(ctx, table), printer, flt, jobs)
    frames = {}
    read = [0]   # frames read: a -w file replaces OUT once the input was a capture
    status = 0
    tf = printer.tf
    pipe = Pipeline(ctx, table)
    try:
        def stream_of():
            """Every message in order, and in its place each frame the reader could not read
            as netlink (Frame.fault)."""
            for fr in read_capture(path, warn=_err):
                read[0] += 1
                if fr.fault is not None:
                    yield fr
                    continue
                if printer.writer is not None:
                    if not args.two_pass:  # one pass: the frame before is done with (shown or not)
                        frames.clear()
                    frames[fr.number] = fr
                yield from pipe.feed(fr)
        stream = stream_of()
        if args.two_pass:
            stream = list(stream)
            table.finish()
        for m in stream:
            if args.count is not None and printer.shown >= args.count:
                break
            tf.see(m.time)
            if type(m) is Frame:
                printer.show_fault(m)
                continue
            if flt is None or flt(m):
                printer.show(m, frames.pop(m.frame, None) if printer.writer is not None else None)
            _let_go(m)
    except CaptureError as exc:
        _err(str(exc))
        status = 2
    except FilterError as exc:   # at match time: a filter out of time (FilterTimeout)
        _err(f"the filter stopped: {exc.message}")
        status = 2
    except BrokenPipeError:
        try:
            printer.close(ok=read[0] > 0)
        except OutputError:
            pass
        _reader_gone()
        return 0
    except OutputError as exc:
        return _output_failed(exc, printer)
    except KeyboardInterrupt:
        status = 130
    note = printer.fault_note()
    try:
        printer.close(ok=status != 2 or read[0] > 0)  # an input that was no capture leaves OUT as it was
    except OutputError as exc:
        return _output_failed(exc)
    except BrokenPipeError:
        _reader_gone()
        return 0
    if note:
        _err(note)
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
            if fr.fault is not None:  # in its place (counted by the reader, printed by whoever prints the chunk)
                tf.see(fr.time)
                printer.show_fault(fr, show)
                continue
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
    except OutputError as exc:
        workers.kill()
        printer.out = stdout
        return _output_failed(exc, printer)
    except ForkError as exc:
        workers.kill()
        printer.out = stdout
        printer.close(ok=False)
        _err(str(exc))
        return 2
    except KeyboardInterrupt:
        workers.kill()
        status = 130
    printer.out = stdout
    try:
        printer.close()
    except OutputError as exc:
        return _output_failed(exc)
    note = printer.fault_note()
    if note:
        _err(note)
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
    from .sources.live import LiveCapture, stop_on_signals
    from .sources.nlmon import nlmon_up
    from .sources.privileges import PROCESS_LOOKUPS, PrivilegeError, drop_privileges
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
    # -q -w with nothing to show, filter, count or attribute: frames go to the file as
    # they come, undecoded (as dumpcap does), which keeps up with bursts the decoder cannot
    raw = args.quiet and flt is None and args.no_process and args.count is None and printer.writer is not None
    if not raw:
        import dissectors
        dissectors.load_families()  # before the first frame, so reading never starts behind
    # the socket and the -w file are open: keep of root only what process lookups read
    # (sources/privileges.py says why), before any thread starts
    try:
        drop_privileges(frozenset() if args.no_process else PROCESS_LOOKUPS)
    except PrivilegeError as exc:
        _err(f"warning: could not drop privileges ({exc}); capturing with them")
    stop_on_signals(live)
    out = printer.out
    if hasattr(out, "reconfigure"):
        out.reconfigure(line_buffering=True)   # `nlscope capture | cat` shows each line as it comes
    print(f"nlscope: listening on {args.interface} ({live.ring_text()})", file=sys.stderr, flush=True)
    procs = None if args.no_process else ProcessTable()
    if procs is not None:
        procs.watch()
    own = procs.own_portids if procs is not None else set()
    ctx.resolver = KernelGenlIds(own)
    # a stream's table: only open transactions are held, so a capture that runs for days stays flat
    pipe = Pipeline(ctx, TransactionTable(keep=False), procs)
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
            if m.process is None and m.tx and m.tx[1] == "request" and m.tx[0].request is not None:
                m.process = m.tx[0].request.process   # learned from the answer, on the table's copy
            if flt is None or flt(m):
                printer.show(m, frame)
        return args.count is None or printer.shown < args.count

    def release_rest() -> None:
        """What still waits for an answer is shown now (the capture is ending)."""
        nonlocal failure, status
        try:
            release(force=True)
        except OutputError as exc:
            failure, status = failure or str(exc), 2
        except BrokenPipeError:
            pass

    # -w is flushed whenever a ring block has been read and when the ring is idle, so a
    # capture killed outright (kill -9, a crash) leaves a valid file up to a recent point;
    # every write is a whole pcapng block, and so is every flush
    writer, flushed, left, status, failure = printer.writer, 0, 0, 0, None
    try:
        import time
        for fr in live.frames(duration=duration, idle=True):
            if raw:
                if fr is not None:
                    printer.write_frame(fr)
            else:
                if fr is not None and not _own(fr, own):
                    for m in pipe.feed(fr):
                        pending.append((m, fr, time.monotonic()))
                if not release():
                    left = live.left_in_ring()   # -c reached: what the ring still held is not read
                    break
            if writer is not None and (live.blocks != flushed or fr is None):
                flushed = live.blocks
                try:
                    writer.flush()
                except OSError as exc:
                    raise OutputError(args.write, exc) from None
        release(force=True)
    except CaptureError as exc:   # the interface went down or was deleted (the ring was drained first)
        failure, status = str(exc), 2
        release_rest()
    except FilterError as exc:    # at match time: a filter out of time (FilterTimeout)
        failure, status = f"the filter stopped: {exc.message}", 2
    except KeyboardInterrupt:     # a third signal: give up at once
        left = live.left_in_ring()
        release_rest()
    except BrokenPipeError:
        return 0
    except OutputError as exc:    # -w or stdout cannot be written (a full disk): stop, and say so
        live.stop()
        left = live.left_in_ring()
        failure, status = str(exc), 2
    finally:
        if live.abandoned and not left:   # a second signal: what the ring still held is counted
            left = live.left_in_ring()
        received, dropped = live.statistics()
        try:
            printer.close(ok=failure is None)
        except OutputError as exc:
            failure, status = failure or str(exc), 2
        live.close()
        if procs is not None:
            procs.close()
    unread = f"; {left} left unread in the ring" if left else ""
    print(f"nlscope: {live.number} frames captured on {args.interface}; the kernel passed {received} and dropped "
          f"{dropped} (PACKET_STATISTICS){unread}", file=sys.stderr)
    if procs is not None:
        print(f"nlscope: sockets traced to their process: {procs.found}; closed before they could be: "
              f"{procs.gone}; frames read at most {live.max_lag:.3f} s after they arrived", file=sys.stderr)
    if failure:
        _err(failure)
    return status


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
    from dissectors.text import escape_text
    try:
        for name in sorted(rows):
            if name.startswith(args.prefix):
                kind, desc = rows[name]  # a spec file's names and docs are its writer's text
                print(f"{escape_text(name)}\t{escape_text(kind)}\t{escape_text(desc)}")
    except BrokenPipeError:
        sys.stderr.close()
    except OSError as exc:
        raise OutputError("standard output", exc) from None
    return 0


def cmd_stats(args) -> int:
    from .analysis.filter import FilterError
    from .analysis.stats import Stats
    from .analysis.transactions import TransactionTable
    from dissectors.text import escape_text

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
    faults = []   # frames the reader could not read as netlink: counted, said once at the end

    def netlink_frames():
        for fr in read_capture(args.file, warn=_err):
            if fr.fault is None:
                yield fr
            elif faults:
                faults[0] += 1
            else:
                faults[:] = [1, fr]
    try:
        for m in messages(netlink_frames(), ctx, table):
            if flt is None or flt(m):
                st.add(m)
            _let_go(m)
    except CaptureError as exc:
        _err(str(exc))
        status = 2
    except FilterError as exc:   # at match time: a filter out of time (FilterTimeout)
        _err(f"the filter stopped: {exc.message}")
        status = 2
    table.finish()
    report = st.report()
    try:
        # the report quotes the capture's text (errors' extack, process names): escaped, line by line
        print(report if report.replace("\n", "").isprintable() else "\n".join(map(escape_text, report.split("\n"))))
        sys.stdout.flush()
    except BrokenPipeError:
        _reader_gone()
        return status
    except OSError as exc:
        raise OutputError("standard output", exc) from None
    if faults:
        n, fr = faults
        _err(f"{n} frame{'s' if n > 1 else ''} could not be read as netlink and are not counted (frame {fr.number}: "
             f"{fr.fault}); 'nlscope read -V' shows their bytes")
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
    app = NlscopeApp(path, genl, show_secrets=getattr(args, "show_secrets", False))
    app.run()
    return app.return_code or 0   # a crash inside the TUI is one line (printed by the app) and status 1


def cmd_live(args) -> int:
    from .messages import parse_genl_ids
    from .sources import CaptureError
    from .sources.nlmon import nlmon_up
    try:
        genl = parse_genl_ids(args.genl)
        if args.create:
            nlmon_up(args.interface)
        from .tui.live_store import LiveStore
        store = LiveStore(args.interface, args.limit, genl, show_secrets=getattr(args, "show_secrets", False))
    except (CaptureError, ValueError) as exc:
        _err(str(exc))
        return 2
    from .tui.app import NlscopeApp
    app = NlscopeApp(store=store, save_path=args.write)
    # the socket is open: keep of root what process lookups read, and CAP_DAC_OVERRIDE while
    # 'w' opens its file only when pressed, in a directory root may not own (sources/privileges.py)
    from .sources.privileges import CAP_DAC_OVERRIDE, PROCESS_LOOKUPS, PrivilegeError, drop_privileges
    try:
        drop_privileges(PROCESS_LOOKUPS | {CAP_DAC_OVERRIDE})
    except PrivilegeError as exc:
        _err(f"warning: could not drop privileges ({exc}); capturing with them")
    app.run()
    return app.return_code or 0


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
    closed = _standard_streams()
    ap = build_parser()
    args = ap.parse_args(argv)
    if 1 in closed and not (args.command in ("read", "capture") and args.quiet and args.write != "-"):
        _err("standard output is closed: nothing could be printed; send it somewhere (> FILE, > /dev/null), "
             "or add -q to read or capture")
        return 2
    if getattr(args, "spec", None):
        from dissectors.ynl import SpecError, load_specs
        try:
            load_specs(args.spec)
        except SpecError as e:
            _err(f"{e} (see https://docs.kernel.org/userspace-api/netlink/specs.html)")
            return 2
    if args.command in COMMANDS:
        try:
            status = COMMANDS[args.command](args)
        except OutputError as exc:
            return _output_failed(exc)
        except BrokenPipeError:
            _reader_gone()
            return 0
        try:
            sys.stdout.flush()   # what a command printed is written now, while a failure can still be said
        except BrokenPipeError:
            _reader_gone()
            return 0
        except OSError as exc:   # a full disk, /dev/full
            return _output_failed(OutputError("standard output", exc))
        return status
    ap.print_help()
    return 2


def _standard_streams() -> set[int]:
    """Make stdin, stdout and stderr safe to use; the ones that were closed (`>&-`).

    A closed descriptor would be the next one a file opens: the capture read or the -w
    file would take fd 1, and what is printed would go into it.  So each closed one gets
    /dev/null.  Text that stdout's encoding cannot hold (PYTHONIOENCODING=latin-1, a
    non-UTF-8 locale) is written as backslash escapes instead of raising."""
    import os
    closed = set()
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.add(fd)
    for fd in sorted(closed):  # the lowest free descriptor first: os.open gives exactly that one
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    if 1 in closed and sys.stdout is None:
        sys.stdout = open(1, "w", closefd=False)
    if 2 in closed and sys.stderr is None:
        sys.stderr = open(2, "w", closefd=False)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (OSError, ValueError):
                pass
    return closed
