"""`nlscope trace --tui -- CMD`: the command's traffic browsed in the TUI as it comes.

The engine's frames are written, as they come and from a thread of their own, to a pcapng
file (-w FILE, else a temporary one), which the TUI follows as `nlscope open --follow`
does (tui/stream_store.py): the same rows, tree, transactions and filters as any capture.
The screen and the keyboard are the TUI's, so the command reads no terminal (its stdin is
/dev/null) and its output goes to a file that is printed on stderr once the TUI is closed.
Quitting the TUI before the command has ended sends it SIGTERM; trace then exits with its
status, as without --tui.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading


STOP_WAIT = 5.0   # seconds the command is given to end on SIGTERM, before SIGKILL


class TuiSession:
    """The command running traced, its frames written to `path` as they come."""

    def __init__(self, args, argv: list[str], open_engine=None):
        from ..sources.writer import PcapngWriter
        from .engines import open_engine as default_engine
        self.dir = tempfile.mkdtemp(prefix="nlscope-trace.")
        self.path = args.write or os.path.join(self.dir, "trace.pcapng")
        self.output_path = os.path.join(self.dir, "output.txt")
        self.failure: str | None = None
        self.warnings: list[str] = []
        self.output_text = b""   # what the command printed (read by finish())
        try:
            self.file = open(self.path, "wb")
        except OSError as exc:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise ValueError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        self.writer = PcapngWriter(self.file, application="nlscope trace")
        self.file.flush()   # the section header: the TUI can open the file at once
        self.output = open(self.output_path, "wb")
        try:
            self.engine = (open_engine or default_engine)(
                args.source, argv, warn=self.warnings.append,
                popen={"stdin": subprocess.DEVNULL, "stdout": self.output, "stderr": self.output,
                       "process_group": 0})
        except BaseException:
            self._close_files()
            raise
        self.thread = threading.Thread(target=self._pump, name="nlscope-trace", daemon=True)
        self.thread.start()

    def _pump(self) -> None:
        try:
            for fr in self.engine.frames():
                if self.failure is None:
                    try:
                        self.writer.write(fr)
                        self.file.flush()
                    except OSError as exc:   # a full disk: the command goes on, its frames are not kept
                        self.failure = f"cannot write {self.path}: {exc.strerror or exc}"
        except Exception as exc:   # the capture failed under us: said once the TUI is closed
            self.failure = self.failure or f"the capture stopped: {exc}"

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def finish(self) -> int:
        """The TUI is closed: stop the command if it still runs, wait for it; its status."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not self.thread.is_alive():
                break
            self.engine.signal(sig)
            self.thread.join(STOP_WAIT)
        if self.thread.is_alive():   # children of the command that outlive it: no more waiting
            self.engine.stop()
        self.thread.join()
        status = self.engine.wait()
        self._close_files()
        try:
            with open(self.output_path, "rb") as f:
                self.output_text = f.read()
        except OSError:
            pass
        return status

    def _close_files(self) -> None:
        for f in (self.file, self.output):
            try:
                f.close()
            except OSError:
                pass

    def cleanup(self, keep: bool) -> None:
        """The temporary directory goes (and with it the capture, unless it is -w's)."""
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def run_tui(args, argv: list[str]) -> int:
    from ..analysis.filter import FilterError, compile_filter
    from ..cli import _bad_filter, _err
    from ..messages import parse_genl_ids
    from ..sources import CaptureError
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _err("trace --tui needs a terminal (stdin and stdout); without it, print the traffic (drop --tui) "
             "or write it with -w FILE")
        return 2
    try:
        genl = parse_genl_ids(args.genl)
        if args.filter:
            compile_filter(args.filter)
        session = TuiSession(args, argv)
    except FilterError as exc:
        return _bad_filter(exc)
    except (CaptureError, ValueError) as exc:
        _err(str(exc))
        return 2
    from ..tui.app import NlscopeApp
    from ..tui.stream_store import StreamStore
    try:
        app = NlscopeApp(store=StreamStore(session.path, genl, show_secrets=args.show_secrets),
                         time_format=args.time_format, display_filter=args.filter or "")
        app.run()
    finally:
        status = session.finish()
        out = session.output_text
        if out:
            sys.stderr.flush()
            os.write(sys.stderr.fileno(), out)
        for line in session.warnings:
            _err(line)
        if session.failure:
            _err(session.failure)
        session.cleanup(keep=bool(args.write))
    if session.failure:
        return 2
    return status
