"""Netlink frames from strace: the bytes a program's netlink calls carried, as it runs.

Where no nlmon interface can be made (a container, a machine without the module, a user
who is not root) the bytes a program sends and receives still cross its system calls.
strace run as

    strace -f -ttt -yy -qq -e trace=%network,execve,… -e write=all -e read=all CMD…

prints each call with its pid and time, names each socket `NETLINK:[PROTOCOL:portid]`
(-yy) and hex-dumps every buffer (-e write/read=all).  `StraceParser` turns those lines
into frames: each sendmsg/sendto/write on a netlink socket becomes one frame, each
recvmsg/recvfrom/read with data one frame, in the log's order, as LINKTYPE_NETLINK frames
with the protocol number, the time strace printed and the process (`nlscope.process pid=…
comm=…` in the comment, the comm from the traced execve).  Calls that peek (MSG_PEEK) or
fail are left out: the same bytes come again, or never came.  sendmmsg/recvmmsg are not
read (no netlink user we know of calls them).

`StraceRun` runs a command under strace and yields its frames while it runs (strace writes
into a FIFO that nothing but strace holds: the command inherits no descriptor of ours).
What strace cannot give is a kernel-side view: multicast copies to other sockets, messages
no traced program read.  Only the traced processes' own calls are seen, by construction.
"""
from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import tempfile

from dissectors.generated import netlink as N

from .capture import INBOUND, OUTBOUND, CaptureError, Frame
from .procs import Process
from .writer import netlink_header

# <linux/netlink.h>'s protocol numbers by the names strace prints in NETLINK:[NAME:portid]
# (NETLINK_ROUTE -> ROUTE; the header's socket options share the prefix but no strace name)
PROTOCOLS = {k[len("NETLINK_"):]: v for k, v in vars(N).items() if k.startswith("NETLINK_") and isinstance(v, int)}
MAX_LINKS = 32   # <linux/netlink.h>: protocol numbers are below it
SENDS = {"sendmsg", "sendto", "write", "send"}
RECEIVES = {"recvmsg", "recvfrom", "read", "recv"}
# what strace is asked to show: the network calls, and what names processes (execve, forks)
TRACE_CALLS = "%network,execve,execveat,clone,clone3,fork,vfork"
STRACE_OPTIONS = ("-f", "-ttt", "-yy", "-qq", "-e", f"trace={TRACE_CALLS}", "-e", "write=all", "-e", "read=all")

_CALL = re.compile(r"^(?P<pid>\d+)\s+(?P<ts>\d+\.\d+)\s+(?P<name>\w+)\((?P<fd>\d+)<NETLINK:\[(?P<proto>\w+)(?P<port>:\d+)?\]>"
                   r"(?P<rest>.*)$")
_RESULT = re.compile(r"\)\s+=\s+(-?\d+)")
_EXEC = re.compile(r'^(?P<pid>\d+)\s+\S+\s+execve(?:at)?\((?:\d+<[^>]*>, )?"(?P<path>[^"]*)"')
_CLONE = re.compile(r"^(?P<pid>\d+)\s+\S+\s+(?:clone|clone3|fork|vfork)\(.*\)\s+=\s+(?P<child>\d+)")
# a socket not yet bound is shown by its inode (NETLINK:[404111]): its protocol is the socket() call's
_SOCKET = re.compile(r"socket\(AF_NETLINK, [^,]+, (?P<proto>\w+)\)\s+=\s+\d+<NETLINK:\[(?P<ino>\d+)\]>")
_UNFINISHED = re.compile(r"^(?P<pid>\d+)\s+\S+\s+(?P<name>\w+)\(.*<unfinished \.\.\.>$")
_RESUMED = re.compile(r"^(?P<pid>\d+)\s+(?P<ts>\d+\.\d+)\s+<\.\.\. (?P<name>\w+) resumed>(?P<rest>.*)$")
_HEX = re.compile(r"^ \| [0-9a-f]{5}  ")   # then 16 bytes in hex (8, two spaces, 8), then the text
_FORKS = {"clone", "clone3", "fork", "vfork"}


def protocol_number(name: str) -> int | None:
    """The netlink protocol strace names NAME (ROUTE, NETLINK_ROUTE, or a number), or None."""
    name = name.removeprefix("NETLINK_")
    if name.isdigit():
        return int(name) if int(name) < MAX_LINKS else None
    return PROTOCOLS.get(name)


_DEST_PORT = re.compile(r"nl_pid=(\d+)")


def _direction(name: str, args: str) -> int | None:
    """What a call's frame recorded as its direction (Frame.direction): a receive's bytes were
    queued on the program's socket (OUTBOUND, as the BPF source says); a send's go to the
    kernel (INBOUND) unless its address names a user port (user to user: not said)."""
    if name in RECEIVES:
        return OUTBOUND
    m = _DEST_PORT.search(args)
    return INBOUND if m is None or m.group(1) == "0" else None


def _ns(ts: str) -> int:
    """strace's -ttt time (seconds.micro) in nanoseconds, exact: no float on the way."""
    sec, _, frac = ts.partition(".")
    return int(sec) * 1_000_000_000 + int((frac + "000000000")[:9])


class StraceParser:
    """strace's lines in, frames out: feed() returns the frames a line completes (a call's
    frame is complete when its dump holds the bytes the call returned, or when a line that
    is not its dump comes); finish() the last one.  A dump line that is not hex raises
    ValueError (the input is not strace's output)."""

    def __init__(self, first_comm: str = "?"):
        self.first_comm = first_comm
        self.number = 0   # frames made
        self.comm: dict[int, str] = {}
        self._call = None    # [pid, ns, protocol, data, result, direction] of the call whose dump lines follow
        # pid -> (call, protocol, direction) printed in two parts
        self._unfinished: dict[int, tuple[str, int | None, int | None]] = {}
        self._exec: dict[int, str] = {}   # pid -> the path of an execve printed in two parts
        self._by_inode: dict[str, int | None] = {}

    def _protocol_of(self, m) -> int | None:
        return protocol_number(m.group("proto")) if m.group("port") else self._by_inode.get(m.group("proto"))

    def _done(self) -> list[Frame]:
        call, self._call = self._call, None
        if call is None or not call[3]:
            return []
        pid, ns, proto, data, _, direction = call
        self.number += 1
        data = bytes(data)
        comment = Process(pid, self.comm.get(pid, self.first_comm)).comment()
        return [Frame(self.number, ns / 1e9, data, proto, len(data), len(data), 4, 253, netlink_header(proto, 4), ns,
                      comment=comment, direction=direction)]

    def _open(self, pid: int, ts: str, proto: int, result: int, direction: int | None) -> None:
        self._call = [pid, _ns(ts), proto, bytearray(), result, direction]

    def feed(self, line: str) -> list[Frame]:
        line = line.rstrip("\n")
        if _HEX.match(line):
            call = self._call
            if call is None:
                return []
            call[3].extend(bytes.fromhex(line[10:10 + 16 * 3 + 1]))
            if len(call[3]) >= call[4]:
                # the bytes the call returned (netlink sends take all or nothing; a receive's
                # dump stops at what it returned): the frame is complete, shown now
                del call[3][call[4]:]
                return self._done()
            return []
        if line.startswith(" * "):    # " * N bytes in buffer K": the next iovec of the same call
            return []
        out = self._done()
        self._line(line)
        return out

    def flush(self) -> list[Frame]:
        """The frame of the call being dumped, as it is (strace has been quiet a while: its
        dump is whole, though shorter than the call's result, as a MSG_TRUNC receive's)."""
        return self._done()

    def finish(self) -> list[Frame]:
        return self._done()

    def drop(self) -> None:
        """Leave out the call being dumped (its dump could not be read)."""
        self._call = None

    def _line(self, line: str) -> None:
        m = _EXEC.match(line)
        if m:
            pid = int(m.group("pid"))
            if line.endswith("<unfinished ...>"):
                self._exec[pid] = m.group("path")
            elif _RESULT.search(line) and _RESULT.search(line).group(1) == "0":
                self.comm[pid] = os.path.basename(m.group("path"))[:15]
            return
        m = _CLONE.match(line)
        if m:
            self.comm.setdefault(int(m.group("child")), self.comm.get(int(m.group("pid")), self.first_comm))
            return
        m = _SOCKET.search(line)
        if m:
            self._by_inode[m.group("ino")] = protocol_number(m.group("proto"))
            return
        m = _RESUMED.match(line)
        if m:
            pid, name, rest = int(m.group("pid")), m.group("name"), m.group("rest")
            res = _RESULT.search(rest)
            if name in ("execve", "execveat"):
                path = self._exec.pop(pid, None)
                if path is not None and res and res.group(1) == "0":
                    self.comm[pid] = os.path.basename(path)[:15]
                return
            if name in _FORKS:
                if res and int(res.group(1)) > 0:
                    self.comm.setdefault(int(res.group(1)), self.comm.get(pid, self.first_comm))
                return
            called, proto, direction = self._unfinished.pop(pid, (None, None, None))
            if called == name and res and int(res.group(1)) > 0 and "MSG_PEEK" not in rest:
                self._open(pid, m.group("ts"), proto, int(res.group(1)),
                           direction if name in SENDS else _direction(name, rest))
            return
        m = _CALL.match(line)
        if m and m.group("rest").endswith("<unfinished ...>"):
            proto = self._protocol_of(m)
            if proto is not None and "MSG_PEEK" not in m.group("rest"):
                self._unfinished[int(m.group("pid"))] = (m.group("name"), proto,
                                                         _direction(m.group("name"), m.group("rest")))
            return
        if not m or (m.group("name") not in SENDS and m.group("name") not in RECEIVES):
            return
        res = _RESULT.search(m.group("rest"))
        proto = self._protocol_of(m)
        if res is None or int(res.group(1)) <= 0 or "MSG_PEEK" in m.group("rest") or proto is None:
            return
        self._open(int(m.group("pid")), m.group("ts"), proto, int(res.group(1)),
                   _direction(m.group("name"), m.group("rest")))


def frames(lines, first_comm: str = "?"):
    """Every netlink call with data of an strace log (an iterable of lines), as a Frame, in
    the log's order."""
    parser = StraceParser(first_comm)
    for line in lines:
        yield from parser.feed(line)
    yield from parser.finish()


def shell_status(returncode: int) -> int:
    """A child's status as a shell gives it: its exit code, or 128+N if signal N killed it."""
    return 128 - returncode if returncode < 0 else returncode


def find_command(argv0: str) -> tuple[str | None, int]:
    """(the program execvp would run, 0), or (None, 127) if there is none, (None, 126) if it
    cannot be run — a shell's statuses for a command not found and not executable."""
    if "/" in argv0:
        if not os.path.exists(argv0):
            return None, 127
        return (argv0, 0) if os.access(argv0, os.X_OK) and not os.path.isdir(argv0) else (None, 126)
    found = shutil.which(argv0)
    return (found, 0) if found else (None, 127)


IDLE = 0.2   # seconds strace may be quiet before the call it is dumping is taken as whole


class StraceRun:
    """`argv` run under strace; frames() yields the frames of its netlink calls (it and
    every process it starts) as they happen, then `status` is its status as a shell gives it.
    `popen`: Popen's arguments for strace and so the command (stdin, stdout, stderr,
    process_group; default ours).

    Raises CaptureError if strace is missing.  strace writes its log into a FIFO in a
    private temporary directory, opened by strace alone (close-on-exec), so the traced
    programs inherit nothing of ours and the log ends when strace exits."""

    def __init__(self, argv: list[str], strace: str = "strace", first_comm: str | None = None,
                 popen: dict | None = None):
        tool = shutil.which(strace)
        if tool is None:
            raise CaptureError(f"{strace} not found: install it (apt-get install strace), or trace with --source bpf")
        self._dir = tempfile.mkdtemp(prefix="nlscope-trace.")
        fifo = os.path.join(self._dir, "strace.log")
        os.mkfifo(fifo, 0o600)
        # ours opened first (no writer: open would block without O_NONBLOCK), and a writer of
        # ours too, so the FIFO reads no end of file before strace has opened it; that one is
        # closed once strace has written (the end of file is then strace's closing it)
        self._fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        self._hold = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        self.parser = StraceParser(first_comm or os.path.basename(argv[0])[:15])
        self.status: int | None = None
        self.bad_lines = 0   # dump lines of strace's log that could not be read (their calls left out)
        try:
            self.proc = subprocess.Popen([tool, *STRACE_OPTIONS, "-o", fifo, "--", *argv], **(popen or {}))
        except OSError as exc:
            self.close()
            raise CaptureError(f"cannot run {tool}: {exc.strerror or exc}") from None

    def frames(self):
        """The frames as strace prints their calls, until strace has exited and its log is read."""
        parser, buf, eof = self.parser, b"", False
        try:
            while not eof:
                ready = select.select([self._fd], [], [], IDLE)[0]
                if not ready:
                    yield from parser.flush()
                    if self._hold is not None and self.proc.poll() is not None:
                        os.close(self._hold)   # strace is gone: what it wrote is read, then the end
                        self._hold = None
                    continue
                try:
                    chunk = os.read(self._fd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    eof = True
                    chunk = b"\n" if buf else b""
                elif self._hold is not None:
                    os.close(self._hold)
                    self._hold = None
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    try:
                        yield from parser.feed(line.decode("utf-8", "replace"))
                    except ValueError:   # a dump line that is not hex: that call is left out
                        parser.drop()
                        self.bad_lines += 1
            yield from parser.finish()
        finally:
            self.wait()

    def wait(self) -> int:
        """strace's end (it exits with the command's status, or kills itself with the signal
        that killed the command); the command's status as a shell gives it."""
        if self.status is None:
            while True:
                try:
                    rc = self.proc.wait()
                    break
                except KeyboardInterrupt:   # ^C reached strace and the command too: they end
                    continue
            self.status = shell_status(rc)
            self.close()
        return self.status

    def command_pid(self) -> int | None:
        """The command's pid (strace's child), or None once it is gone."""
        pid = self.proc.pid
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                children = f.read().split()
        except OSError:
            return None
        return int(children[0]) if children else None

    def close(self) -> None:
        for name in ("_hold", "_fd"):
            fd = getattr(self, name, None)
            if fd is not None:
                os.close(fd)
                setattr(self, name, None)
        d, self._dir = getattr(self, "_dir", None), None
        if d is not None:
            shutil.rmtree(d, ignore_errors=True)

