"""How `nlscope trace` captures a command's traffic: each engine runs the command, yields
its frames as they happen (numbered from 1, as a file of them would be) and gives its status.

An engine has: frames() (until the command and its children have ended), wait() (the
status as a shell gives it), signal(signum) (pass a signal trace received on to the
command), stop() (end the capture now, whatever still runs), note() (one line for stderr
about what the capture could not see, or None).
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import time

from ..sources import CaptureError
from ..sources.strace import StraceRun, shell_status
from .tree import ProcessTree, ProcEvents, TreeFilter

LINGER = 0.2   # seconds the BPF capture goes on after the last process of the tree ended


def signal_command(proc, pid: int | None, signum: int) -> None:
    """Send `signum` to the command: to the whole process group `proc` (the process trace
    started) leads, when it leads one (trace --tui starts it so: its children go too), else
    to process `pid` (None: nobody)."""
    if proc.poll() is not None:
        return
    try:
        if os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signum)
        elif pid is not None:
            os.kill(pid, signum)
    except OSError:   # gone meanwhile
        pass


class StraceEngine:
    """CMD under strace: only its processes' calls are in strace's log (sources/strace.py)."""

    name = "strace"

    def __init__(self, argv: list[str], popen: dict | None = None):
        self.run = StraceRun(argv, popen=popen)

    def frames(self):
        yield from self.run.frames()

    def wait(self) -> int:
        return self.run.wait()

    def signal(self, signum: int) -> None:
        # SIGINT from the terminal reached the command already (one process group); a signal
        # sent to trace alone is passed on to the command (strace would only detach from it)
        import signal as S
        if signum != S.SIGINT:
            signal_command(self.run.proc, self.run.command_pid(), signum)

    def stop(self) -> None:
        """The capture ends now: strace goes (its tracees go on untraced), its log ends."""
        if self.run.proc.poll() is None:
            try:
                self.run.proc.kill()
            except OSError:
                pass

    def note(self) -> str | None:
        n = self.run.bad_lines
        if n:
            return f"{n} dump line{'s' if n > 1 else ''} of strace's log could not be read: their calls are left out"
        return None


def bpf_module():
    """nlscope.sources.bpf, or None if this nlscope has no BPF source."""
    if importlib.util.find_spec("nlscope.sources.bpf") is None:
        return None
    return importlib.import_module("nlscope.sources.bpf")


def kernel_headers_present(release: str | None = None, environ=os.environ) -> bool:
    """Headers bcc could compile against are there: where its loader looks (the running
    kernel's /lib/modules/RELEASE/build or source, $BCC_KERNEL_SOURCE, or CONFIG_IKHEADERS's
    /sys/kernel/kheaders.tar.xz, or the kheaders module that makes it)."""
    release = release or os.uname().release
    mods = f"/lib/modules/{release}"
    if environ.get("BCC_KERNEL_SOURCE") or any(os.path.isdir(f"{mods}/{d}") for d in ("build", "source")):
        return True
    if os.path.exists("/sys/kernel/kheaders.tar.xz"):
        return True
    return any(os.path.exists(f"{mods}/kernel/kernel/kheaders.ko{x}") for x in ("", ".xz", ".zst", ".gz"))


def bpf_usable() -> bool:
    """The BPF source could run here: root, the source present, bcc importable by it (the
    source's own `available()` says, when it has one), kernel headers for bcc to compile
    with: so the default does not try (seconds of compiling) where it must fail."""
    if os.geteuid() != 0 or not kernel_headers_present():
        return False
    try:
        mod = bpf_module()
    except Exception:   # a source that fails to import is not usable; bpf says why when asked for
        return False
    if mod is None or not hasattr(mod, "BpfCapture"):
        return False
    check = getattr(mod, "available", None)
    if callable(check):
        try:
            return bool(check())
        except Exception:
            return False
    return importlib.util.find_spec("bcc") is not None or os.path.isdir("/usr/lib/python3/dist-packages/bcc")


class BpfEngine:
    """Every netlink frame the BPF source sees; kept, those of CMD's process tree.

    The proc connector is listened to before CMD starts and the BPF probes are attached
    before it starts too, so its first frame and its first fork are both seen; a frame is
    judged after every fork event queued by then has been read (tree.py says why that is
    exact).  The capture ends LINGER seconds after the tree's last process exited."""

    name = "bpf"

    def __init__(self, argv: list[str], capture=None, popen: dict | None = None):
        try:
            mod = bpf_module()
        except Exception as exc:
            raise CaptureError(f"bpf source unavailable: {exc}") from None
        if capture is None and (mod is None or not hasattr(mod, "BpfCapture")):
            raise CaptureError("bpf source unavailable: this nlscope has no BPF source (nlscope.sources.bpf); "
                               "use --source strace")
        self.tree = ProcessTree()
        try:
            self.events = ProcEvents(self.tree)
        except OSError as exc:
            raise CaptureError(f"bpf source: the proc connector cannot be listened to ({exc.strerror or exc}); "
                               f"trace follows the command's forks with it (root, in the initial network "
                               f"namespace); use --source strace") from None
        try:
            # nlscope's own traffic (the connector, genl lookups) is left out in the kernel
            self.cap = capture if capture is not None else mod.BpfCapture(exclude_self=True)
        except CaptureError:
            self.events.close()
            raise
        except Exception as exc:   # whatever bcc raises when it cannot load: one line
            self.events.close()
            raise CaptureError(f"bpf source unavailable: {exc}") from None
        try:
            self.proc = subprocess.Popen(argv, **(popen or {}))
        except OSError as exc:
            self._close()
            raise CaptureError(f"cannot run {argv[0]}: {exc.strerror or exc}") from None
        self.tree.set_root(self.proc.pid)
        from ..sources.procs import ProcessTable
        self.procs = ProcessTable()

        def owner(protocol: int, portid: int) -> int | None:
            p = self.procs.lookup(protocol, portid)
            return p.pid if p is not None else None
        self.filter = TreeFilter(self.tree, self.events.drain, owner)
        self.number = 0
        self.status: int | None = None

    def frames(self):
        ended = None
        try:
            for fr in self.cap.frames(idle=True):
                if fr is not None and self.filter.judge(fr):
                    self.number += 1
                    fr.number = self.number
                    yield fr
                if ended is None and self.proc.poll() is not None:
                    self.events.drain()
                    # a process whose exit event was lost (the connector overflowed) is
                    # gone from /proc: it keeps nothing waiting
                    self.tree.alive = {p for p in self.tree.alive if os.path.exists(f"/proc/{p}")}
                    if self.tree.done:
                        ended = time.monotonic()
                if ended is not None and time.monotonic() - ended >= LINGER:
                    self.cap.stop()   # what the ring holds is still yielded, then frames() ends
                    ended = float("inf")
        finally:
            self._close()

    def wait(self) -> int:
        if self.status is None:
            while True:
                try:
                    rc = self.proc.wait()
                    break
                except KeyboardInterrupt:
                    continue
            self.status = shell_status(rc)
        return self.status

    def signal(self, signum: int) -> None:
        import signal as S
        if signum != S.SIGINT:
            signal_command(self.proc, self.proc.pid, signum)

    def stop(self) -> None:
        """The capture ends now (what the ring holds is still read)."""
        self.cap.stop()

    def note(self) -> str | None:
        if self.events.lost:
            return ("the proc connector dropped fork events (its socket overflowed): frames of processes "
                    "forked then may be missing")
        return None

    def _close(self) -> None:
        procs = getattr(self, "procs", None)
        for closer in (getattr(self.cap, "close", None), self.events.close, procs.close if procs else None):
            if closer is not None:
                try:
                    closer()
                except OSError:
                    pass


def open_engine(source: str, argv: list[str], warn=None, popen: dict | None = None):
    """The engine `source` names (auto: bpf where it can run, else strace), running argv
    with `popen`'s Popen arguments (stdin, stdout, stderr, process_group; default ours)."""
    if source == "bpf" or source == "auto" and bpf_usable():
        try:
            return BpfEngine(argv, popen=popen)
        except CaptureError as exc:
            if source == "bpf":
                raise
            if warn is not None:
                warn(f"{exc}; tracing with strace")
    return StraceEngine(argv, popen=popen)
