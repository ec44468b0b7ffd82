"""Who sent it: netlink port ids mapped to processes on the running system.

NETLINK_SOCK_DIAG's netlink_diag dump lists every netlink socket with its protocol, port id
and inode; a socket's inode appears as `socket:[INODE]` among /proc/PID/fd of the process
holding it.  A lookup is made when an unknown port id shows up (a port id found in no
socket is not asked again for `retry_after` seconds) and its answer is cached, so a
short-lived process (ip, ss) seen once keeps its name after it exits.  Since netlink
autobinds a process's first socket to its pid, the process whose pid is the port id is
looked at first: most lookups end there.

A lookup made when a message is read can come too late: a capture reads its frames some
milliseconds after the kernel tapped them, and `nft` or `ip` may have sent, got its answer
and exited by then.  `watch()` therefore starts a thread that reads /proc/net/netlink every
few milliseconds and traces each socket as it appears, before any of its traffic is read;
a socket that lives longer than one interval is then known whenever its messages come.

What the table remembers is bounded, so that a capture running for days stays flat however
many processes come and go: at most `max_sockets` sockets are cached (the oldest traced
goes first: a socket still open is traced again when its next message asks), and sockets
missed are forgotten once their `retry_after` has passed.
"""
from __future__ import annotations

import os
import struct
import threading
import time

SOCK_DIAG_BY_FAMILY, AF_NETLINK, NETLINK_SOCK_DIAG, NDIAG_PROTO_ALL = 20, 16, 4, 255
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300


class Process:
    __slots__ = ("pid", "comm")

    def __init__(self, pid: int, comm: str):
        self.pid, self.comm = pid, comm

    def __str__(self):
        return f"{self.comm}[{self.pid}]"

    def __eq__(self, other):
        """The same process: a comment read back and a lookup name it with equal values."""
        return isinstance(other, Process) and (self.pid, self.comm) == (other.pid, other.comm)

    def __hash__(self):
        return hash((self.pid, self.comm))

    def comment(self) -> str:
        """What goes into a pcapng packet comment (and is read back by `from_comment`)."""
        return f"nlscope.process pid={self.pid} comm={self.comm}"

    @staticmethod
    def from_comment(text: str | None) -> "Process | None":
        if not text or not text.startswith("nlscope.process "):
            return None
        fields = dict(p.split("=", 1) for p in text.split()[1:] if "=" in p)
        try:
            return Process(int(fields["pid"]), fields.get("comm", "?"))
        except (KeyError, ValueError):
            return None


def _likely_pids(portids) -> list[str]:
    """The pids to look at first for sockets with these port ids: netlink gives a process's
    first socket its pid as port id, and libnl keeps the pid in the low 22 bits."""
    return list(dict.fromkeys(str(p) for port in portids for p in (port, port & 0x3FFFFF)))


def _fd_links(pid: str) -> list[str]:
    """Where a process's file descriptors point ([] if it is gone or not ours to read)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    out = []
    for fd in fds:
        try:
            out.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:  # closed meanwhile (the descriptor listdir itself used, for one)
            continue
    return out


MAX_SOCKETS = 65536   # sockets cached (a pid_max of 4,194,304 would otherwise let it grow to GBs)
WATCH_SHARE = 10      # the socket watcher waits at least this many times what one scan cost


class ProcessTable:
    def __init__(self, retry_after: float = 0.5, max_sockets: int = MAX_SOCKETS):
        self.max_sockets = max_sockets
        self.cache: dict[tuple[int, int], Process] = {}   # oldest traced first (see _keep)
        self.retry_after = retry_after
        self._missed: dict[tuple[int, int], float] = {}
        self.own_portids: set[tuple[int, int]] = set()
        self._sock = None
        self.found = 0   # sockets named by lookups (each counted once)
        self._named: set[tuple[int, int]] = set()
        self.gone = 0    # the socket had closed (its process exited) before we looked
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    @staticmethod
    def _netlink_table() -> bytes:
        """/proc/net/netlink as it reads now (OSError if unreadable)."""
        with open("/proc/net/netlink", "rb") as f:
            return f.read()

    @staticmethod
    def _proc_net_netlink(text: bytes | None = None) -> dict[tuple[int, int], int]:
        """(protocol, portid) -> inode from /proc/net/netlink, or from `text` already read of
        it (OSError/ValueError if unreadable)."""
        if text is None:
            text = ProcessTable._netlink_table()
        out = {}
        for line in text.splitlines()[1:]:
            cols = line.split()
            if len(cols) >= 10:
                out[(int(cols[1]), int(cols[2]))] = int(cols[9])
        return out

    def _sockets(self) -> dict[tuple[int, int], int]:
        """(protocol, portid) -> inode of every netlink socket.

        /proc/net/netlink holds the same rows as a netlink_diag dump and is read without a
        netlink round trip (and without traffic of our own on the capture), which matters
        when racing a process that is about to exit; the dump is the fallback."""
        try:
            return self._proc_net_netlink()
        except (OSError, ValueError):
            return self._dump()

    def watch(self, interval: float = 0.005) -> bool:
        """Trace new netlink sockets as they appear, from a daemon thread, until `close()`.
        False if /proc/net/netlink cannot be read (lookups then stay on demand only)."""
        try:
            self._proc_net_netlink()
        except (OSError, ValueError):
            return False
        if self._watcher is None:
            # the watcher must not wait for the GIL behind a decoding thread for the default
            # 5 ms: that alone is longer than some tools live
            import sys
            sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))
            self._watcher = threading.Thread(target=self._watch, args=(interval,), daemon=True,
                                             name="nlscope-sockets")
            self._watcher.start()
        return True

    def _watch(self, interval: float) -> None:
        seen: dict[tuple[int, int], int] = {}
        last = None
        wait = interval
        while not self._stop.wait(wait):
            started = time.thread_time()
            try:
                text = self._netlink_table()
                # the same rows as last time: no socket came (nothing to parse)
                socks = self._proc_net_netlink(text) if text != last else None
            except (OSError, ValueError):
                return
            last = text
            # the scan's own cost sets how often it comes, so that watching takes at most
            # 1/WATCH_SHARE of a CPU however slow the machine (5 ms on a real one; under
            # emulation, where one read of the table costs milliseconds, it took a third of
            # a CPU while nothing happened); tracing a new socket is not counted: it is the
            # work the watching is for
            wait = max(interval, (time.thread_time() - started) * WATCH_SHARE)
            if socks is None:
                continue
            new = {ino: key for key, ino in socks.items()
                   if key[1] and seen.get(key) != ino and key not in self.own_portids}
            if not new:
                continue
            seen = socks
            self._trace(new, _likely_pids(key[1] for key in new.values()), socks)

    def close(self) -> None:
        """Stop the watcher thread (if any) and close the netlink_diag socket."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(1.0)
            self._watcher = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _dump(self) -> dict[tuple[int, int], int]:
        """(protocol, portid) -> inode of every netlink socket."""
        import socket
        if self._sock is None:
            self._sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, NETLINK_SOCK_DIAG)
            self._sock.bind((0, 0))
            self.own_portids.add((NETLINK_SOCK_DIAG, self._sock.getsockname()[0]))
        s = self._sock
        portid = s.getsockname()[0]
        req = struct.pack("=BBHIIII", AF_NETLINK, NDIAG_PROTO_ALL, 0, 0, 0, 0, 0)
        s.send(struct.pack("=IHHII", 16 + len(req), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, portid) + req)
        out = {}
        while True:
            data = s.recv(1 << 17)
            pos = 0
            while pos + 16 <= len(data):
                ln, ty = struct.unpack_from("=IH", data, pos)
                if ln < 16:
                    return out
                if ty in (2, 3):  # NLMSG_ERROR, NLMSG_DONE
                    return out
                if ln >= 16 + 24:
                    _fam, _typ, proto, _st, port, _dp, _dg, ino = struct.unpack_from("=BBBBIIII", data, pos + 16)
                    out[(proto, port)] = ino
                pos += (ln + 3) & ~3

    def _trace(self, wanted: dict[int, tuple[int, int]], first: list[str], socks: dict) -> None:
        """Find the processes holding the socket inodes in `wanted` in one pass over /proc
        (`first` pids looked at before the rest); every netlink socket of a process found
        is cached too, and what stays unfound is remembered as missed for a while."""
        remaining = dict(wanted)
        netlink = {ino: key for key, ino in socks.items()}
        pids = first + [p for p in os.listdir("/proc") if p.isdigit() and p not in first]
        for pid in pids:
            if not remaining:
                break
            held = {int(x[8:-1]) for x in _fd_links(pid) if x.startswith("socket:[")}
            if not held & remaining.keys():
                continue
            try:
                with open(f"/proc/{pid}/comm") as f:
                    proc = Process(int(pid), f.read().strip())
            except OSError:
                continue
            found = held & netlink.keys()
            # the process's other sockets first, those asked for last: the newest stay cached
            for ino in sorted(found, key=lambda i: i in remaining):
                self._keep(netlink[ino], proc)
            for ino in found:
                remaining.pop(ino, None)
        now = time.monotonic()
        for key in remaining.values():
            self._miss(key, now)

    def _keep(self, key: tuple[int, int], proc: Process) -> None:
        """Cache `proc` as the owner of socket `key`, the oldest cached going past max_sockets."""
        cache = self.cache
        before = cache.pop(key, None)
        if before is not None and before != proc:
            self._named.discard(key)   # another process holds that port id now: named anew
        cache[key] = proc
        self._missed.pop(key, None)
        while len(cache) > self.max_sockets:
            old = next(iter(cache))
            del cache[old]
            self._named.discard(old)

    def _miss(self, key: tuple[int, int], now: float) -> None:
        """Remember that socket `key` was looked for in vain at `now` (for retry_after s)."""
        missed = self._missed
        missed.pop(key, None)   # kept in the order of their times: the oldest first
        missed[key] = now
        # a miss whose retry time has passed says nothing (a lookup is made again): forgotten,
        # and so are the oldest past max_sockets
        while missed:
            oldest = next(iter(missed))
            if len(missed) <= self.max_sockets and now - missed[oldest] < self.retry_after:
                break
            del missed[oldest]

    def prefetch(self, protocol: int) -> None:
        """A request with port id 0 is in: its sender is one of the sockets of that protocol
        we have not traced yet.  Trace them now, while the sender waits for its answer; the
        answer's port id then finds its process in the cache."""
        try:
            socks = self._sockets()
        except OSError:
            return
        now = time.monotonic()
        wanted = {ino: key for key, ino in socks.items()
                  if key[0] == protocol and key[1] and key not in self.cache and key not in self.own_portids
                  and now - self._missed.get(key, -1e9) >= self.retry_after}
        if wanted:
            self._trace(wanted, [], socks)

    def lookup(self, protocol: int, portid: int) -> Process | None:
        """The process owning the socket (protocol, portid), or None (kernel, gone, unknown)."""
        if portid == 0:
            return None
        key = (protocol, portid)
        p = self.cache.get(key)
        if p is None:
            p = self._look(key)
        if p is not None and key not in self._named:
            self._named.add(key)
            self.found += 1
        return p

    def _look(self, key: tuple[int, int]) -> Process | None:
        now = time.monotonic()
        if now - self._missed.get(key, -1e9) < self.retry_after:
            return None
        try:
            socks = self._sockets()
        except OSError:
            return None
        inode = socks.get(key)
        if inode is not None:
            self._trace({inode: key}, _likely_pids([key[1]]), socks)
        p = self.cache.get(key)
        if p is None:
            self._miss(key, now)
            self.gone += 1
        return p
