"""The `nlscope` command line."""
from __future__ import annotations

import argparse
import itertools
import os
import signal
import sys
from struct import error as struct_error

from . import __version__
from .time_text import FORMATS
from .workers import ForkError, OutputError

DESCRIPTION = """\
nlscope shows every netlink message that crossed the sockets: header, flags (with the
meaning that applies to the message), attributes, errors with their extended ACK, each
request paired with its answers.

  nlscope read capture.pcapng              one line per netlink message
  nlscope read -V capture.pcapng           every field of every message
  nlscope read -Y 'netlink.type == NLMSG_ERROR and netlink.error != 0' -T json capture.pcapng
  nlscope -r capture.pcapng -c 20          tshark style: the first 20 frames
  nlscope capture -i nlmon0 -w out.pcapng  live, as root (nlscope nlmon up makes nlmon0)
  nlscope stats capture.pcapng             counts, errors, processes, latency, rate
  nlscope trace -- ip link show            a command's netlink traffic, decoded as it runs
  nlscope fields rtnl.link                 the filter fields, with their types
  nlscope capture.pcapng                   browse it in the TUI (nlscope demo: a bundled one)
"""

READ_EPILOG = """\
columns: No. (frame.message), Time (seconds from the first message), Protocol (netlink
family), Dir (U→K user to kernel, K→U kernel to user: inferred from NLM_F_REQUEST, which
every request carries and the kernel never sets), Port ID, Seq, Type, Flags, Info; each as
wide as its widest value (--columns chooses and orders them); errors red on a terminal.
tshark's options: -c (frames), -x, -O, -E, -T ek, -e (with -T fields or ek), -l, -n,
-2 -R, -z io,stat,INTERVAL[,FILTER] and -z netlink,stat|errors|latency|dumps|processes.
display filters (-Y): see 'nlscope fields' and the README, e.g.
  netlink.flags.dump and rtnl.link.mtu > 1500
  netlink.error == EEXIST || rtnl.route.dst in 10.0.0.0/8
"""


def _output_args(p: argparse.ArgumentParser, read: bool = False) -> None:
    p.add_argument("-V", dest="verbose", action="store_true", help="print the full decoded tree of each message")
    p.add_argument("-O", dest="only", metavar="PROTO[,PROTO…]",
                   help="the full tree of these protocols only (rtnl, genl, nl80211, or Wireshark's netlink-route …), "
                        "one line for each other part of the message")
    p.add_argument("-x", dest="hex", action="store_true",
                   help="the bytes of each message, in hex and ASCII, after its tree (-V, -O), or alone")
    p.add_argument("-T", dest="format", choices=("text", "json", "fields", "ek"), default="text",
                   help="output: text (default), json (NDJSON, one object per message), fields (with -e), "
                        "ek (Elasticsearch/OpenSearch bulk format: an index line and a document per frame)")
    p.add_argument("-e", dest="fields", action="append", default=[], metavar="FIELD",
                   help="a field to print with -T fields or -T ek (repeatable)")
    p.add_argument("-E", dest="field_options", action="append", default=[], metavar="KEY=VALUE",
                   help="-T fields: header=y|n, separator=/t|/s|C, quote=d|s|n, occurrence=f|l|a, "
                        "aggregator=,|/s|C (repeatable)")
    p.add_argument("-Y", dest="filter", metavar="FILTER", help="display filter: show only matching messages")
    if read:
        p.add_argument("-c", dest="count", type=int, metavar="N",
                       help="stop after N frames (as tshark counts: frames read, shown or not; a frame may hold "
                            "several messages)")
        p.add_argument("--max-messages", dest="max_messages", type=int, metavar="N",
                       help="stop after N messages shown")
    else:
        p.add_argument("-c", dest="count", type=int, metavar="N",
                       help="stop after N frames captured (as tshark counts: shown or not; a frame may hold "
                            "several messages)")
    p.add_argument("-t", dest="time_format", choices=tuple(FORMATS), default="r",
                   help="time column, as tshark -t: r since the first message of the capture (default), a the "
                        "local time of day, ad with the date (adoy: day of year), u ud udoy the same in UTC, "
                        "e since the epoch, d since the message before (shown or not), dd since the one shown "
                        "before")
    p.add_argument("-w", dest="write", metavar="OUT",
                   help="also write the frames shown to OUT (pcapng); '-w -' writes them to standard output, "
                        "and prints nothing else there")
    p.add_argument("-q", dest="quiet", action="store_true", help="print no messages (with -w, or for the counts)")
    p.add_argument("-l", dest="line_buffered", action="store_true",
                   help="write each message as soon as it is decoded (the columns then widen as wider values come)")
    p.add_argument("-n", dest="no_resolve", action="store_true",
                   help="accepted for tshark's sake: nlscope resolves no network names")
    p.add_argument("--columns", metavar="COL[,COL…]",
                   help="the summary's columns, in this order: no,time,protocol,dir,portid,seq,type,flags,info"
                        + (",process" if not read else " (and process, from the capture's comments)"))
    p.add_argument("--color", "--colour", dest="color", choices=("auto", "always", "never"), default="auto",
                   help="colour the summary rows (errors red, notifications yellow, dump parts dim): auto (default) "
                        "on a terminal unless NO_COLOR is set")
    _family_args(p)


def _family_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--genl", action="append", default=[], metavar="FAMILY=ID",
                   help="name a generic-netlink family id the capture does not announce "
                        "(e.g. --genl nl80211=0x1c); repeatable")
    p.add_argument("--spec", action="append", default=[], metavar="PATH",
                   help="decode with a YNL spec file, or every *.yaml in a directory (e.g. the kernel's "
                        "Documentation/netlink/specs); replaces a built-in family of the same name; repeatable; "
                        "NLSCOPE_SPECS (paths separated by ':') loads specs before these")
    p.add_argument("--show-secrets", action="store_true",
                   help="print key material as captured (WireGuard private and preshared keys, attributes a spec "
                        "marks secret); without it such values are redacted")


def _source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", choices=SOURCES, default="nlmon",
                   help="nlmon: an nlmon interface's eight protocols, as tcpdump sees them (default); bpf: every "
                        "netlink protocol through eBPF (bcc), with the direction and the sending process")
    p.add_argument("--bpf-buffer", dest="bpf_buffer", type=int, default=16, metavar="MIB",
                   help="--source bpf: the BPF ring buffer in MiB (default 16; a power of two is used)")


SOURCES = ("nlmon", "bpf")
BPF_INTERFACE = "bpf"   # the name a BPF capture's pcapng interface gets
# what a BPF capture keeps of root once loaded: its map reads (the drop counters, stop's
# switch) are bpf() calls, which Linux 6.1 allows only with CAP_BPF (kernel/bpf/syscall.c)
BPF_USE = frozenset({38, 39})   # CAP_PERFMON, CAP_BPF


def _check_source(args) -> None:
    """Settle -i / the interface for the source chosen (ValueError says what is wrong)."""
    if args.source == "bpf":
        if args.interface is not None:
            raise ValueError(f"{args.interface}: an nlmon interface, but --source bpf captures without one; "
                             f"drop it, or use --source nlmon")
        if args.create:
            raise ValueError("--create makes an nlmon interface; --source bpf needs none")
        if not 1 <= args.bpf_buffer <= 1024:
            raise ValueError("--bpf-buffer takes 1 to 1024 (MiB)")
        args.interface = BPF_INTERFACE
    elif args.interface is None:
        args.interface = "nlmon0"


def _open_source(args):
    """The live capture of args.source: LiveCapture (nlmon) or BpfCapture; CaptureError in one line."""
    if args.source == "bpf":
        from .sources.bpf import BpfCapture
        return BpfCapture(args.bpf_buffer << 20)
    from .sources.live import LiveCapture
    return LiveCapture(args.interface)


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
    rp.add_argument("-R", dest="read_filter", metavar="FILTER",
                    help="with -2: keep only the messages matching FILTER after the first pass (their transactions "
                         "are made of every message; frame numbers are not renumbered)")
    rp.add_argument("--follow", action="store_true",
                    help="follow a capture another program is still writing (tcpdump -U, dumpcap, nlscope capture "
                         "-w), as tail -f does, until SIGINT or SIGTERM")
    rp.add_argument("-z", dest="stats", action="append", default=[], metavar="STAT",
                    help="statistics after the messages: io,stat,INTERVAL[,FILTER…] (frames and bytes per interval, "
                         "as tshark's); netlink,stat (all of 'nlscope stats'), netlink,errors, netlink,latency, "
                         "netlink,dumps, netlink,processes; -z help lists them")
    _output_args(rp, read=True)
    cp = sub.add_parser("capture", help="capture live from an nlmon interface or through BPF (root)",
                        description="Capture netlink traffic live from an nlmon interface, or through BPF "
                                    "(--source bpf: every netlink protocol, with direction and sending process).",
                        epilog=READ_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _source_args(cp)
    cp.add_argument("-i", dest="interface", default=None, help="nlmon interface (default nlmon0; not with --source bpf)")
    cp.add_argument("-a", dest="autostop", action="append", default=[], metavar="KEY:VALUE",
                    help="stop, as dumpcap: duration:S after S seconds, packets:N after N frames written "
                         "(without -w: captured), filesize:KB once the file holds KB kB (with -b: the next file), "
                         "files:N after N files of -b; repeatable")
    cp.add_argument("-b", dest="ring", action="append", default=[], metavar="KEY:VALUE",
                    help="with -w PREFIX.pcapng, a ring buffer of files named PREFIX_NNNNN_YYYYmmddHHMMSS.pcapng, "
                         "as dumpcap's: filesize:KB or duration:S or packets:N each file, files:N kept (the oldest "
                         "deleted); repeatable")
    cp.add_argument("--create", action="store_true", help="create the nlmon interface if it is missing")
    cp.add_argument("--no-process", action="store_true", help="do not look up which process owns each socket")
    _output_args(cp)
    np_ = sub.add_parser("nlmon", help="create or remove an nlmon interface (root)")
    np_.add_argument("action", choices=("up", "down"))
    np_.add_argument("name", nargs="?", default="nlmon0")
    op = sub.add_parser("open", help="browse a capture file in the TUI (also: nlscope FILE)")
    op.add_argument("file", help="pcap or pcapng file (gzip allowed); '-' reads stdin as the frames arrive "
                    "(tcpdump -U -w - | nlscope open -)")
    op.add_argument("--follow", action="store_true",
                    help="follow a capture another program is still writing (tcpdump -U, dumpcap, nlscope capture "
                         "-w), as tail -f does; rows appear as frames are written")
    op.add_argument("-Y", dest="display_filter", metavar="FILTER", default="",
                    help="start with this display filter applied")
    op.add_argument("-t", dest="time_format", choices=tuple(FORMATS), default="r",
                    help="time column as tshark -t: r a ad adoy u ud udoy e d dd (T cycles in the TUI)")
    _family_args(op)
    sub.add_parser("demo", help="open a capture bundled with nlscope in the TUI")
    lp = sub.add_parser("live", help="capture live in the TUI (root)")
    _source_args(lp)
    lp.add_argument("interface", nargs="?", default=None, help="nlmon interface (default nlmon0; not with --source bpf)")
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
    from . import trace
    trace.add_parser(sub)
    return ap


def _err(msg: str, pointer: str | None = None) -> None:
    """One line on stderr (then, for a filter, the filter and a caret under the fault): what
    the capture, a file name or a filter put in it is escaped, so it stays one line."""
    text = _escape(f"nlscope: {msg}")
    if pointer is not None:
        text += "".join("\n" + _escape(x) for x in pointer.split("\n"))
    print(text, file=sys.stderr)


def _escape(text: str) -> str:
    """escape_text(text), which leaves printable text as it is: then without importing the
    dissectors (a raw capture's lines, see _FrameOutput)."""
    if text.isprintable():
        return text
    from dissectors.text import escape_text
    return escape_text(text)


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


def _check_output_args(args) -> None:
    """What the output options refuse together, from the options alone (ValueError); '-w -'
    makes the run quiet."""
    if args.fields and args.format not in ("fields", "ek"):
        # as tshark refuses it: -e names columns of -T fields (or the fields of -T ek)
        raise ValueError('output fields were given with -e, but neither -T fields nor -T ek was')
    if args.format == "fields" and not args.fields:
        raise ValueError("-T fields needs at least one -e FIELD")
    if args.field_options and args.format != "fields":
        raise ValueError("-E sets how -T fields prints its fields: add -T fields")
    if args.hex and args.format != "text":
        raise ValueError(f"-x prints the bytes after the summary or the tree, not in -T {args.format}")
    if args.only and args.format != "text":
        raise ValueError(f"-O chooses what the tree shows in full: not with -T {args.format}")
    if args.columns and (args.format != "text" or args.verbose or args.only or args.hex):
        raise ValueError("--columns chooses the summary's columns: not with -V, -O, -x or -T")
    if args.write == "-":
        if not args.quiet and (args.verbose or args.only or args.hex or args.format != "text"):
            raise ValueError("-w - writes the frames to standard output, where no message can be printed too; "
                             "add -q, or write the frames to a file")
        args.quiet = True


class _FrameOutput:
    """Writes frames with -w and prints nothing (-q): what a raw capture needs, without the
    dissectors or the output formats (_Printer adds those).

    Given `source` (the capture being read), -w refuses to write onto that file, and writes
    to a temporary file beside OUT that close() renames over it: an existing OUT is left as
    it was until the run succeeds, and if it fails.  Without it (a live capture) OUT is
    written as the frames come, as dumpcap does.  '-w -' writes the frames to stdout, and
    then nothing else is printed there."""

    def __init__(self, args, source: str | None = None):
        self.args = args
        self.out = sys.stdout
        self.writer = None
        self._file = None
        self._temp = self._target = None   # -w through a temporary file: its path, and the file it replaces
        self.shown = 0
        self.faults, self.first_fault = 0, None
        self._last_frame = None
        self.ring = None   # -b, -a packets or filesize (capture): sources.ring.RingWriter
        _check_output_args(args)
        self._setup()
        limits = getattr(args, "limits", None)
        if args.write and limits is not None and limits.writes:
            import os

            from .sources.ring import RingWriter
            # '-w -' with -a packets: a copy of stdout's descriptor, which the ring closes at the end
            opener = (lambda name: os.fdopen(os.dup(sys.stdout.fileno()), "wb")) if args.write == "-" else None
            try:
                self.writer = self.ring = RingWriter(args.write, limits, getattr(args, "interface", "") or "",
                                                     open_file=opener)
            except OSError as exc:
                raise ValueError(f"cannot write {exc.filename or args.write}: {exc.strerror or exc}") from None
        elif args.write:
            from .sources.writer import PcapngWriter
            self._file = self._open_output(args.write, source)
            try:
                self.writer = PcapngWriter(self._file)
            except OSError as exc:
                self.close(ok=False)
                raise ValueError(f"cannot write {args.write}: {exc.strerror or exc}") from None

    def _setup(self) -> None:
        """The output formats' part of __init__, between the checks and opening -w."""

    def start(self) -> None:
        """What comes before the first message (nothing here)."""

    def end_chunk(self) -> None:
        """What ends the output of the last frame (nothing here)."""

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
        ring, self.ring = self.ring, None
        if ring is not None:
            try:
                ring.close()
            except OSError as exc:
                if ok:
                    raise OutputError(where, exc) from None
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


class _Printer(_FrameOutput):
    """Prints messages in the chosen format and writes their frames with -w (see _FrameOutput)."""

    def __init__(self, args, process_column: bool = False, source: str | None = None, fitted: bool = True):
        self.process_column, self._fitted = process_column, fitted
        super().__init__(args, source)

    def _setup(self) -> None:
        import os

        from . import output as O
        args, process_column, fitted = self.args, self.process_column, self._fitted
        self.tf = O.TimeFormat(args.time_format)
        self.only = None
        if args.only:
            from dissectors import FIELDS, load_families
            load_families()
            self.only = O.protocols_of(args.only, {f.abbrev.partition(".")[0] for f in FIELDS})
        if args.format == "fields":
            self.fields = O.FieldsPrinter(args.fields, O.FieldOptions(args.field_options) if args.field_options
                                          else None, time=self.tf)
        else:
            self.fields = None
        self.ek_fields = None
        if args.format == "ek" and args.fields:
            from .analysis.filter import FieldReader, FilterError, known_field
            for n in args.fields:
                if not known_field(n):
                    raise FilterError(f"unknown field '{n}' given to -e (see 'nlscope fields')", 1, n)
            self.ek_fields = (list(args.fields), FieldReader(args.fields))
        self._ek = None   # the frame whose -T ek document is being made
        if args.format != "text":
            self.mode = args.format
        elif args.verbose or self.only:
            self.mode = "tree"
        elif args.hex:
            self.mode = "hex"
        else:
            self.mode = "summary"
        self.process_column = process_column
        self.columns = None
        if self.mode == "summary":
            if args.columns:
                names = O.parse_columns(args.columns, process=True)
            else:
                names = O.DEFAULT_COLUMNS[:2] + (("process",) if process_column else ()) + O.DEFAULT_COLUMNS[2:]
            self.columns = O.Columns(names, fitted=True, time_mode=args.time_format)
            if not fitted:   # live, or -l: nothing to look ahead at; the TUI's widths to start with
                for n in names[:-1]:
                    self.columns.width[n] = max(self.columns.width[n], O.FIXED_WIDTHS[n])
        self.colour = self.mode == "summary" and O.use_colour(args.color, sys.stdout, os.environ)
        self._row_colour, self._reset = O.row_colour, O.RESET
        self._summary, self._verbose, self._json = O.summary_line, O.verbose_block, O.json_line
        self._fault_summary, self._fault_block, self._fault_json = O.fault_summary, O.fault_block, O.fault_json
        self._O = O

    def start(self) -> None:
        """The column header (summaries), or the -E header=y line of -T fields."""
        a = self.args
        line = None
        if a.quiet:
            return
        if self.mode == "summary":
            line = self._O.header_line(self.process_column, self.columns)
        elif self.mode == "fields":
            line = self.fields.header()
        if line is not None:
            try:
                self._put(line + "\n")
            except OutputError:
                self.close(ok=False)
                raise

    def see(self, m) -> None:
        """Every message of the capture, shown or not, in order: the columns follow the content,
        -T fields' clock (frame.time_relative …) counts it."""
        if self.columns is not None:
            self.columns.fit(m)
        if self.fields is not None:
            self.fields.see(m)

    def see_fault(self, fr) -> None:
        if self.columns is not None:
            self.columns.fit_fault(fr)

    def show(self, m, frame=None) -> None:
        a = self.args
        if self.writer is not None and frame is not None and frame is not self._last_frame:
            self._last_frame = frame
            self.write_frame(frame, m.process.comment() if m.process is not None and not frame.comment else None)
        self.shown += 1
        if a.quiet:
            return
        mode = self.mode
        try:
            if mode == "summary":
                line = self._summary(m, self.tf, self.process_column, self.columns)
                if self.colour:
                    c = self._row_colour(m)
                    if c is not None:
                        line = c + line + self._reset
                self.out.write(line + "\n")
            elif mode == "json":
                self.out.write(self._json(m) + "\n")
            elif mode == "fields":
                self.out.write(self.fields.line(m) + "\n")
            elif mode == "ek":
                ek = self._ek
                if ek is not None and ek.number != m.frame:
                    self.end_chunk()
                    ek = None
                if ek is None:
                    ek = self._ek = self._O.EkFrame(m, self.ek_fields)
                ek.add(m)
            elif mode == "tree":
                if self.only is not None:
                    block = self._verbose(m, self.tf, self.only)
                else:
                    block = self._verbose(m, self.tf)
                if a.hex:
                    block += "\n" + self._O.hex_dump(self._O.message_bytes(m), m.offset) + "\n"
                self.out.write(block + "\n")
            else:   # -x alone: the bytes only, as tshark prints them
                self.out.write(self._O.hex_dump(self._O.message_bytes(m), m.offset) + "\n\n")
            if a.line_buffered:
                self.out.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError("standard output", exc) from None

    def end_chunk(self) -> None:
        """-T ek: the document of the frame being made is written (a frame is never split
        between chunks, nor between the reader and a worker)."""
        ek, self._ek = self._ek, None
        if ek is not None:
            self._put(ek.lines() + "\n")

    def show_fault(self, fr, show: bool = True) -> None:
        """A frame the reader could not read as netlink (Frame.fault), in its place: one row,
        its bytes with -V or -x, an object with a "fault" key in JSON.  -T fields and -T ek
        (whose columns are message fields) and -q count it for fault_note(); so does `show`
        False (a chunk another process prints).  It is not written with -w: it has no netlink
        link type."""
        self.faults += 1
        if self.first_fault is None:
            self.first_fault = fr
        a = self.args
        if not show or a.quiet or self.mode in ("fields", "ek"):
            return
        if self.mode == "json":
            self._put(self._fault_json(fr) + "\n")
        elif self.mode == "tree":
            self._put(self._fault_block(fr, self.tf) + "\n")
        elif self.mode == "hex":
            self._put(self._O.hex_dump(fr.data) + "\n\n")
        else:
            line = self._fault_summary(fr, self.tf, self.process_column, self.columns)
            self._put((self._O.RED + line + self._reset if self.colour else line) + "\n")

    def fault_note(self) -> str | None:
        """One line for stderr about the frames show_fault() could not print or -w could not write."""
        a = self.args
        if not self.faults or not (a.quiet or a.format in ("fields", "ek") or self.writer is not None):
            return None
        fr = self.first_fault
        where = f"; they are not in {a.write}" if self.writer is not None else ""
        return (f"{self.faults} frame{'s' if self.faults > 1 else ''} could not be read as netlink (frame {fr.number}: "
                f"{fr.fault}){where}; 'nlscope read -V' shows their bytes")


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
    if any(z == "help" for z in args.stats):
        return _stats_help()
    if not path:
        _err("no capture file given; usage: nlscope read FILE (or -r FILE)")
        return 2
    if args.count is not None and args.count < 0:
        _err("-c needs a count of 0 or more")
        return 2
    if args.max_messages is not None and args.max_messages < 0:
        _err("--max-messages needs a count of 0 or more")
        return 2
    if args.jobs is not None and args.jobs < 1:
        _err("-j needs 1 process or more")
        return 2
    if args.read_filter and not args.two_pass:
        _err("-R without -2: for one pass filtering use -Y (as tshark says)")
        return 2
    if args.follow and path == "-":
        _err("--follow follows a file another program is writing; a pipe is read as it comes without it")
        return 2
    try:
        ctx = _context(args)
        flt = _filter(args)
        rflt = _compile(args.read_filter) if args.read_filter else None
        taps = _taps(args.stats)
        printer = _Printer(args, process_column=False, source=path, fitted=not args.line_buffered)
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
    wanted = set(args.fields or ()) if args.format in ("fields", "ek") else set()
    pairs = (printer.mode in ("tree", "json") or args.two_pass or taps.pairs or printer.colour
             or any(f is not None and f.fields & TX_FIELDS for f in (flt, rflt))
             or bool(TX_FIELDS & wanted))
    table = TransactionTable(keep=args.two_pass, on_done=taps.transaction if taps.pairs else None) if pairs else None
    # the columns follow the content: the first frames are read ahead (a stream is kept
    # aside to be read again), so the header is as wide as the rows under it
    # a pipe or a FIFO (`tcpdump -U -w - | nlscope read -`) and a file followed are shown as
    # they come: the output is flushed whenever the reading catches up with the writer
    from .sources.stream import Follow, FollowStopped, pipe_input
    follow = None
    if args.follow and os.path.isfile(path):   # a FIFO is read as it comes anyway
        try:
            follow = Follow(path)
        except OSError:
            pass   # read_capture(path) says why
    pipe_in = None if follow is not None else pipe_input(path)
    source = follow or pipe_in or path
    looked = False
    if printer.columns is not None and not args.quiet and not args.line_buffered:
        if follow is None:
            source = _look_ahead(path, args, printer.columns, pipe_in)
        else:
            _look_ahead(path, args, printer.columns)   # what the file holds so far; then it is followed
        looked = True
    # a stream read ahead to its end or to 4,096 frames without waiting long may go to workers
    live = follow is not None or pipe_in is not None and (pipe_in.caught_up or not looked)
    for s_ in (pipe_in, follow):
        if s_ is not None:
            s_.on_idle = lambda: _flush_output(printer.out)
    if follow is not None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: follow.stop())
    progress = _Progress(path, args)
    frames_in = progress.wrap(_first_frames(read_capture(source, warn=_err), args.count))
    if follow is None and pipe_in is None:
        # a file that cannot be read at all (missing, not a capture) is one line on stderr and
        # nothing else: no column header on stdout, no -w file made (or emptied) for it
        try:
            first = next(frames_in, None)
        except CaptureError as exc:
            progress.done()
            _err(str(exc))
            try:
                printer.close(ok=False)   # a -w file being made goes; one that was there stays
            except OutputError:
                pass
            return 2
        frames_in = itertools.chain(() if first is None else (first,), frames_in)
    try:
        printer.start()
    except OutputError as exc:
        return _output_failed(exc)
    except BrokenPipeError:
        _reader_gone()
        return 0
    # more processes than cores print no faster, and each holds a chunk's output: -j is
    # bounded by the cores this process may run on
    jobs = min(args.jobs, available_cores()) if args.jobs is not None else available_cores()
    # a filter that may run out of time (a costly `matches`) stops where it does, and one that
    # reads the time since earlier messages (frame.time_delta…) needs them all in order, as do
    # -T fields' clock fields and -t dd (since the message shown before): one process
    if jobs > 1 and not (args.quiet or args.two_pass or args.write or args.max_messages is not None
                         or args.line_buffered or live or taps or (flt is not None and (flt.may_time_out or flt.stateful))
                         or (printer.fields is not None and printer.fields.stateful) or args.time_format == "dd"):
        try:
            return _read_in_workers(frames_in, Pipeline(ctx, table), printer, flt, jobs)
        finally:
            progress.done()
    frames = {}
    read = [0]   # frames read: a -w file replaces OUT once the input was a capture
    status = 0
    tf = printer.tf
    pipe = Pipeline(ctx, table)
    try:
        def stream_of():
            """Every message in order, and in its place each frame the reader could not read
            as netlink (Frame.fault).  --follow ends here on SIGINT or SIGTERM, cleanly."""
            try:
                yield from frames_of()
            except FollowStopped:
                return

        def frames_of():
            for fr in frames_in:
                read[0] += 1
                if fr.fault is not None:
                    taps.frame(fr, ())
                    yield fr
                    continue
                if printer.writer is not None:
                    if not args.two_pass:  # one pass: the frame before is done with (shown or not)
                        frames.clear()
                    frames[fr.number] = fr
                msgs = pipe.feed(fr)
                if taps:
                    taps.frame(fr, msgs)
                yield from msgs
        stream = stream_of() if follow is not None else frames_of()
        if args.two_pass:
            stream = list(stream)
            table.finish()
        limit = args.max_messages
        for m in stream:
            if limit is not None and printer.shown >= limit:
                break
            tf.see(m.time)
            if type(m) is Frame:
                printer.see_fault(m)
                if rflt is None:
                    printer.show_fault(m)
                continue
            printer.see(m)   # -R too: the columns are the lookahead's, which saw every message
            if rflt is not None and not rflt(m):   # -R: as if the message had not been read
                _let_go(m)
                continue
            if flt is None or flt(m):
                printer.show(m, frames.pop(m.frame, None) if printer.writer is not None else None)
            _let_go(m)
        printer.end_chunk()
    except CaptureError as exc:
        _err(str(exc))
        status = 2
    except FilterError as exc:   # at match time: a filter out of time (FilterTimeout)
        _err(f"the filter stopped: {exc.message}")
        status = 2
    except BrokenPipeError:
        progress.done()
        try:
            printer.close(ok=read[0] > 0)
        except OutputError:
            pass
        _reader_gone()
        return 0
    except OutputError as exc:
        progress.done()
        return _output_failed(exc, printer)
    except KeyboardInterrupt:
        status = 130
    progress.done()
    for s_ in (pipe_in, follow):
        if s_ is not None:
            s_.close()
    if table is not None and not args.two_pass and taps.pairs:
        table.finish()   # the transactions still open are counted
    note = printer.fault_note()
    try:
        if taps and status != 2 or taps and read[0]:
            printer.end_chunk()
            printer._put(taps.report())
        printer.close(ok=status != 2 or read[0] > 0)  # an input that was no capture leaves OUT as it was
    except OutputError as exc:
        return _output_failed(exc, printer)
    except BrokenPipeError:
        _reader_gone()
        return 0
    if note:
        _err(note)
    return status


def _compile(text: str):
    from .analysis.filter import compile_filter
    return compile_filter(text)


def _first_frames(frames, count: int | None):
    """The first `count` frames (all without a count): -c counts frames read, as tshark's;
    the frame after the last is never read (a fault there is not this run's)."""
    if count is None:
        yield from frames
        return
    n = 0
    try:
        while n < count:
            try:
                fr = next(frames)
            except StopIteration:
                return
            n += 1
            yield fr
    finally:
        frames.close()


LOOKAHEAD_FRAMES = 4096        # frames read ahead to fit the columns
LOOKAHEAD_BYTES = 32 << 20     # … and at most these bytes of them


def _flush_output(out) -> None:
    """What was printed goes out now (the input is waiting for its writer)."""
    try:
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError("standard output", exc) from None


class _CaughtUp(Exception):
    """The read-ahead reached what a stream's writer has written so far: it stops there."""


LOOKAHEAD_WAIT = 0.5   # seconds a stream's read-ahead waits for its writer, in all


def _wait_for_writer(stream):
    """A stream.Pipe's on_idle for the read-ahead: wait for the writer while the read-ahead
    has waited less than LOOKAHEAD_WAIT in all, then stop it (_CaughtUp).  A writer that keeps
    up (`cat FILE |`) waits microseconds at a time, so the columns are the file's; one that
    writes frames as they happen (`tcpdump -U`) has them shown half a second later."""
    import select
    import time
    left = [LOOKAHEAD_WAIT]

    def wait() -> None:
        t = time.monotonic()
        try:
            ready = left[0] > 0 and select.select([stream.fd], [], [], left[0])[0]
        except (OSError, ValueError):
            ready = True
        left[0] -= time.monotonic() - t
        if not ready:
            stream.caught_up = True
            raise _CaughtUp
    return wait


def _look_ahead(path: str, args, columns, stream=None):
    """Fit `columns` to the capture's first frames (at most LOOKAHEAD_FRAMES and _BYTES,
    and no more than -c), decoding their headers only; then the reading starts over.  A
    file is opened again; a stream (stdin, a FIFO) is kept aside as it is read ahead, in a
    temporary file, and read again from there, then on from the stream; given `stream` (a
    stream.Pipe), the read-ahead ends where the stream has to wait for its writer, so what
    arrived is shown now.  What goes wrong ahead (a fault, a file that is no capture) is left
    to the reading proper to say.  Returns what the reading proper reads."""
    import os
    import stat
    from .messages import Pipeline
    from .output import Columns
    from .sources import CaptureError, read_capture
    source = path
    replay = None
    try:
        st = os.fstat(0) if path == "-" else os.stat(path)
    except (OSError, ValueError):
        if stream is None:
            return path
    if stream is not None:
        stream.on_idle = _wait_for_writer(stream)
        replay = _Replay(stream, stream.name)
        ahead = source = replay
    elif path == "-" and stat.S_ISREG(st.st_mode):
        try:
            start = os.lseek(0, 0, os.SEEK_CUR)
        except OSError:
            return path
        ahead = "-"
    elif not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            return path
        try:
            raw = sys.stdin.buffer if path == "-" else open(path, "rb")
        except OSError:
            return path
        replay = _Replay(raw, "stdin" if path == "-" else path)
        ahead = source = replay
    else:
        ahead = path
    fit = Columns(columns.names, fitted=True, time_mode=columns.mode)
    pipe = Pipeline(_context(args), None)
    limit = LOOKAHEAD_FRAMES if args.count is None else min(args.count, LOOKAHEAD_FRAMES)
    frames = read_capture(ahead)
    size = n = 0
    try:
        while n < limit and size < LOOKAHEAD_BYTES:
            fr = next(frames)
            n += 1
            size += len(fr.data)
            if fr.fault is not None:
                fit.fit_fault(fr)
                continue
            for m in pipe.feed(fr):
                fit.fit(m)
                m.forget()
    except (StopIteration, CaptureError, ValueError, OverflowError, MemoryError, _CaughtUp):
        pass
    finally:
        frames.close()
        if stream is not None:
            stream.on_idle = None
    columns.copy_widths(fit)
    if replay is not None:
        return replay.again()
    if ahead == "-":
        try:
            sys.stdin.buffer.seek(start)
        except (OSError, ValueError):
            pass
    return source


class _Replay:
    """A stream read twice: what is read the first time is kept in a temporary file; again()
    reads that, then goes on with the stream.  `name` is the stream's, for messages."""

    def __init__(self, raw, name: str):
        import tempfile
        self.raw, self.name = raw, name
        self.kept = tempfile.TemporaryFile()

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        if data:
            self.kept.write(data)
        return data

    def again(self) -> "_Chain":
        self.kept.seek(0)
        return _Chain(self.kept, self.raw, self.name)


class _Chain:
    """What was kept, then the rest of the stream."""

    def __init__(self, first, rest, name: str):
        self.first, self.rest, self.name = first, rest, name

    def read(self, n: int = -1) -> bytes:
        if self.first is None:
            return self.rest.read(n)
        data = self.first.read(n)
        if n >= 0 and len(data) == n:
            return data
        self.first.close()
        self.first = None
        more = self.rest.read(n - len(data) if n >= 0 else -1)
        return data + (more or b"")


class _Progress:
    """A line on stderr saying how far a long read has gone: only when stderr is a terminal
    and stdout is not the same screen (-q, or output sent elsewhere); after a second, twice
    a second, cleared at the end."""

    def __init__(self, path: str, args):
        import os
        import time
        self.on = False
        try:
            self.on = sys.stderr.isatty() and (args.quiet or not sys.stdout.isatty())
        except (AttributeError, ValueError, OSError):
            pass
        self.size = None
        if self.on and path != "-":
            try:
                with open(path, "rb") as f:
                    if f.read(2) != b"\x1f\x8b":   # of a gzip file only the inflated bytes are counted
                        self.size = os.fstat(f.fileno()).st_size
            except OSError:
                pass
        self.clock = time.monotonic
        self.next = self.clock() + 1.0
        self.frames = self.bytes = 0
        self.shown = False

    def wrap(self, frames):
        if not self.on:
            return frames
        return self._ticks(frames)

    def _ticks(self, frames):
        try:
            for fr in frames:
                self.frames += 1
                self.bytes += len(fr.data) + 32   # a record's header, about
                if not self.frames & 63 and self.clock() >= self.next:
                    self.next = self.clock() + 0.5
                    self._say()
                yield fr
        finally:
            if hasattr(frames, "close"):
                frames.close()

    def _say(self) -> None:
        pct = f", {min(99, self.bytes * 100 // self.size)} %" if self.size else ""
        try:
            sys.stderr.write(f"\rnlscope: {self.frames} frames read{pct}\x1b[K")
            sys.stderr.flush()
            self.shown = True
        except (OSError, ValueError):
            self.on = False

    def done(self) -> None:
        if self.shown:
            self.shown = False
            try:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
            except (OSError, ValueError):
                pass


def _stats_help() -> int:
    from .output import TAPS_HELP
    try:
        print(TAPS_HELP)
    except BrokenPipeError:
        _reader_gone()
    return 0


def _taps(items: list[str]):
    from .output import Taps
    return Taps(items, _compile)


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
                printer.see_fault(fr)
                printer.show_fault(fr, show)
                continue
            for m in pipe.feed(fr):
                seen += 1
                tf.see(m.time)
                printer.see(m)   # the reader too: the columns are the same wherever a chunk is printed
                if test and (flt is None or flt(m)):
                    kept += 1
                    if show:
                        printer.show(m)
                _let_go(m)
        if show:
            printer.end_chunk()
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

    from .sources import CaptureError
    from .sources.live import stop_on_signals
    from .sources.nlmon import nlmon_up
    from .sources.privileges import PROCESS_LOOKUPS, PrivilegeError, drop_privileges

    try:
        _check_source(args)
    except ValueError as exc:
        _err(str(exc))
        return 2
    bpf = args.source == "bpf"
    # the BPF source records the sending process itself: no lookups
    lookups = not args.no_process and not bpf
    # -q -w with nothing to show, filter or attribute: frames go to the file as
    # they come, undecoded (as dumpcap does), which keeps up with bursts the decoder cannot
    raw = (args.quiet or args.write == "-") and not args.filter and not lookups and bool(args.write)
    # and then nothing of the decoder is imported (most of a start under emulation), unless
    # an option to check needs it
    bare = raw and not (args.genl or args.only or args.fields or args.field_options or args.columns)
    if bare:
        FilterError = _NoFilter
    else:
        from .analysis.filter import FilterError

    from .sources.ring import parse_limits
    try:
        limits = parse_limits(args.ring, args.autostop)
    except ValueError as exc:
        _err(str(exc))
        return 2
    if args.ring and (not args.write or args.write == "-"):
        _err("-b writes a ring buffer of files named after -w's: give -w FILE (e.g. -w out.pcapng)")
        return 2
    if limits.stop_kb is not None and not args.write:
        _err("-a filesize:KB stops when the -w file holds KB kB: give -w FILE")
        return 2
    if args.count is not None and args.count < 1:
        _err("-c needs a count of 1 or more")
        return 2
    count = args.count
    if limits.stop_packets is not None and not args.write:   # nothing written: the frames captured
        count = min(count or limits.stop_packets, limits.stop_packets)
    args.limits = limits
    try:
        ctx = None if bare else _context(args)
        flt = None if bare else _filter(args)
        if args.create:
            nlmon_up(args.interface)
        live = _open_source(args)
        printer = _FrameOutput(args) if bare else _Printer(args, process_column=not args.no_process, fitted=False)
    except FilterError as exc:
        return _bad_filter(exc)
    except (CaptureError, ValueError) as exc:
        _err(str(exc))
        return 2
    try:
        printer.start()
    except OutputError as exc:
        live.close()
        return _output_failed(exc)
    if not raw:
        import dissectors
        dissectors.load_families()  # before the first frame, so reading never starts behind
    # the socket and the -w file are open: keep of root only what process lookups read
    # (sources/privileges.py says why), before any thread starts
    try:
        drop_privileges((BPF_USE if bpf else frozenset()) | (PROCESS_LOOKUPS if lookups else frozenset()))
    except PrivilegeError as exc:
        _err(f"warning: could not drop privileges ({exc}); capturing with them")
    stop_on_signals(live)
    out = printer.out
    if hasattr(out, "reconfigure"):
        out.reconfigure(line_buffering=True)   # `nlscope capture | cat` shows each line as it comes
    where = "every netlink socket through BPF" if bpf else args.interface
    print(f"nlscope: listening on {where} ({live.ring_text()})", file=sys.stderr, flush=True)
    procs = pipe = None
    if lookups:
        from .sources.procs import ProcessTable
        procs = ProcessTable()
        procs.watch()
    own = procs.own_portids if procs is not None else set()
    if not raw:
        from .analysis.transactions import TransactionTable
        from .messages import Pipeline
        from .sources.genl_ids import KernelGenlIds
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

    def release(force: bool = False) -> None:
        import time
        now = time.monotonic()
        while pending and (force or ready(pending[0][0], pending[0][2], now)):
            m, frame, _ = pending.popleft()
            printer.tf.see(m.time)
            printer.see(m)
            if m.process is None and m.tx and m.tx[1] == "request" and m.tx[0].request is not None:
                m.process = m.tx[0].request.process   # learned from the answer, on the table's copy
            if flt is None or flt(m):
                printer.show(m, frame)

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
    ring = printer.ring
    taken = 0   # frames captured (-c counts them, as tshark's: shown or not; not nlscope's own)
    try:
        import time
        for fr in live.frames(duration=limits.stop_seconds, idle=True):
            if raw:
                if fr is not None:
                    taken += 1
                    printer.write_frame(fr)
            else:
                if fr is not None and not _own(fr, own):
                    taken += 1
                    for m in pipe.feed(fr):
                        pending.append((m, fr, time.monotonic()))
                release()
            if ring is not None:
                try:
                    ring.tick()   # -b duration: the next file on time, the capture idle or not
                except OSError as exc:
                    raise OutputError(args.write, exc) from None
            if count is not None and taken >= count or ring is not None and ring.stopped:
                left = live.left_in_ring()   # -c or -a reached: what the ring still held is not read
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
            if failure is None:
                printer.end_chunk()   # -T ek: the last frame's document
            printer.close(ok=failure is None)
        except OutputError as exc:
            failure, status = failure or str(exc), 2
        live.close()
        if procs is not None:
            procs.close()
    unread = f"; {left} left unread in the ring" if left else ""
    if bpf:
        print(f"nlscope: {live.number} frames captured through BPF; the probes saw {received} skbs and dropped "
              f"{dropped} (BPF ring full){unread}", file=sys.stderr)
    else:
        print(f"nlscope: {live.number} frames captured on {args.interface}; the kernel passed {received} and "
              f"dropped {dropped} (PACKET_STATISTICS){unread}", file=sys.stderr)
    if procs is not None:
        print(f"nlscope: sockets traced to their process: {procs.found}; closed before they could be: "
              f"{procs.gone}; frames read at most {live.max_lag:.3f} s after they arrived", file=sys.stderr)
    if failure:
        _err(failure)
    return status


class _NoFilter(Exception):
    """FilterError where no filter runs (a raw capture, which does not import the filters)."""


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
    """Every field filters and -e know: name, kind, description, and the Wireshark names that
    read the same field (a Wireshark name nlscope computes, with no one field of its own, is
    a row of its own, marked "wireshark")."""
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
    aliases, alias_rows = _wireshark_names(rows)
    from dissectors.text import escape_text
    prefix = args.prefix
    try:
        for name in sorted(set(rows) | set(alias_rows)):
            theirs = aliases.get(name, ())
            if not (name.startswith(prefix) or any(a.startswith(prefix) for a in theirs)):
                continue
            if name in rows:
                kind, desc = rows[name]  # a spec file's names and docs are its writer's text
                also = ",".join(theirs)
            else:
                kind, desc = alias_rows[name]
                also = "wireshark"
            print(f"{escape_text(name)}\t{escape_text(kind)}\t{escape_text(desc)}\t{escape_text(also)}".rstrip("\t"))
    except BrokenPipeError:
        sys.stderr.close()
    except OSError as exc:
        raise OutputError("standard output", exc) from None
    return 0


def _wireshark_names(rows: dict) -> tuple[dict, dict]:
    """({our field: [Wireshark names reading it]}, {Wireshark name with no field of ours:
    (kind, description)}), from analysis/filter_aliases.py; empty where it is not there."""
    try:
        from .analysis.filter_aliases import WIRESHARK_ALIASES, alias_of
    except ImportError:
        return {}, {}
    aliases = {}
    for name in rows:
        theirs = alias_of(name)
        if theirs:
            aliases[name] = list(theirs)
    computed = {}
    for name, alias in WIRESHARK_ALIASES.items():
        target = getattr(alias, "target", None)
        if (target is None or target not in rows) and name not in rows:
            computed[name] = (getattr(alias, "kind", ""), getattr(alias, "desc", ""))
    try:
        from .analysis.filter_aliases import FRAME_FIELDS
        for name, spec in FRAME_FIELDS.items():
            if name not in rows:
                computed.setdefault(name, (spec[0], spec[1]))
    except (ImportError, TypeError, IndexError):
        pass
    return aliases, computed


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
    from .analysis.filter import FilterError, compile_filter
    from .messages import parse_genl_ids
    from .sources import CaptureError, read_capture
    from .tui.stream_store import NoTerminal, StreamStore, take_stdin
    path = demo_capture() if args.command == "demo" else args.file
    display_filter = getattr(args, "display_filter", "")
    follow = getattr(args, "follow", False)
    if follow and path == "-":
        _err("--follow follows a file another program is writing; stdin is read as it comes without it")
        return 2
    fd = None
    try:
        genl = parse_genl_ids(getattr(args, "genl", []))
        # a bad file is one line here, before the screen is taken (stdin is not read before the
        # app reads it; a file to follow may not hold a frame yet)
        if path != "-" and not (follow and os.path.isfile(path) and os.path.getsize(path) == 0):
            next(iter(read_capture(path)), None)
        if display_filter.strip():
            compile_filter(display_filter)    # and a bad filter
        if path == "-":
            fd = take_stdin()   # the capture off fd 0, the terminal on it: Textual reads the keys there
    except FilterError as exc:
        return _bad_filter(exc)
    except (CaptureError, ValueError, NoTerminal) as exc:
        _err(str(exc))
        return 2
    from .tui.app import NlscopeApp
    show_secrets = getattr(args, "show_secrets", False)
    store = StreamStore(path, genl, show_secrets=show_secrets, fd=fd) if path == "-" or follow else None
    app = NlscopeApp(path, genl, show_secrets=show_secrets, time_format=getattr(args, "time_format", "r"),
                     display_filter=display_filter, store=store)
    app.run()
    return app.return_code or 0   # a crash inside the TUI is one line (printed by the app) and status 1


def cmd_live(args) -> int:
    from .messages import parse_genl_ids
    from .sources import CaptureError
    from .sources.nlmon import nlmon_up
    try:
        genl = parse_genl_ids(args.genl)
        _check_source(args)
        if args.create:
            nlmon_up(args.interface)
        from .tui.live_store import LiveStore
        extra = {}
        if args.source == "bpf":
            extra["capture"] = _open_source(args)
        store = LiveStore(args.interface, args.limit, genl, show_secrets=getattr(args, "show_secrets", False),
                          **extra)
    except (CaptureError, ValueError) as exc:
        _err(str(exc))
        return 2
    from .tui.app import NlscopeApp
    app = NlscopeApp(store=store, save_path=args.write)
    # the socket is open: keep of root what process lookups read, and CAP_DAC_OVERRIDE while
    # 'w' opens its file only when pressed, in a directory root may not own (sources/privileges.py)
    from .sources.privileges import CAP_DAC_OVERRIDE, PROCESS_LOOKUPS, PrivilegeError, drop_privileges
    try:
        drop_privileges(PROCESS_LOOKUPS | {CAP_DAC_OVERRIDE} | (BPF_USE if args.source == "bpf" else frozenset()))
    except PrivilegeError as exc:
        _err(f"warning: could not drop privileges ({exc}); capturing with them")
    app.run()
    return app.return_code or 0


def cmd_trace(args) -> int:
    from .trace import run
    return run(args)


COMMANDS = {"trace": cmd_trace, "live": cmd_live, "read": cmd_read, "capture": cmd_capture, "nlmon": cmd_nlmon, "fields": cmd_fields, "stats": cmd_stats,
            "open": cmd_open, "demo": cmd_open}


FILTER_OPTIONS = ("-Y", "-R")


def _filters_attached(argv: list[str]) -> list[str]:
    """`-Y '-netlink.seq < 1'`: a filter may begin with '-' (a unary minus), which argparse
    would take for an option; as tshark's getopt does, the word after -Y or -R is the filter
    whatever it begins with (attached to it: `-Y-netlink…`).  Nothing after `--` is touched."""
    out, i = [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return out + argv[i:]
        if arg in FILTER_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-") and argv[i + 1] != "--":
            out.append(arg + argv[i + 1])
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


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
    args = ap.parse_args(_filters_attached(argv))
    if 1 in closed and not (args.command in ("read", "capture", "trace") and args.quiet and args.write != "-"):
        _err("standard output is closed: nothing could be printed; send it somewhere (> FILE, > /dev/null), "
             "or add -q to read or capture")
        return 2
    if hasattr(args, "spec") and (args.spec or os.environ.get("NLSCOPE_SPECS")):
        from dissectors.ynl import SpecError, load_specs, specs_from_env
        try:
            # NLSCOPE_SPECS (a path list, as PATH) first, the command line's --spec over them
            load_specs(specs_from_env(os.environ) + list(args.spec))
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
