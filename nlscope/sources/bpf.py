"""Live capture of every netlink protocol through eBPF (bcc), not only the eight nlmon taps.

nlmon sees ROUTE, USERSOCK, SOCK_DIAG, NFLOG, XFRM, FIB_LOOKUP, NETFILTER and GENERIC only
(net/netlink/af_netlink.c netlink_filter_tap); audit, uevent, the connector, SELinux and every
private protocol a module makes with netlink_kernel_create() never reach it.  This source
hooks the two places nlmon taps, for every protocol (bpf_program.py): each skb sent to the
kernel and each skb queued on a user socket becomes one frame, its bytes whole (several
messages per skb kept; audit's unicast records, whose nlmsg_len is 16 short, keep the skb
length as their boundary), with facts nlmon cannot give: the direction, the sending and
receiving port ids or the multicast group, and the process running when it was sent (pid,
thread id and comm, taken in the kernel: short-lived programs are named too; for what the
kernel sends this is whoever was running: the requester for an answer, kauditd for audit
records, the forking process for a connector event).

Frames are ordinary LINKTYPE_NETLINK frames, with the header nlmon's would have; the
direction goes into the pcapng EPB's epb_flags (capture.INBOUND: sent to the kernel,
capture.OUTBOUND: queued on a user socket) and the rest into the packet comment
(capture.Delivery), which older readers still read as `nlscope.process pid=… comm=…`.

Needs: bcc (Debian's python3-bpfcc, whose package lives in /usr/lib/python3/dist-packages,
outside the Python nlscope may run on: it is loaded from there, alone), the kernel's BTF
(field offsets, bpf_btf.py) and its headers (bcc compiles against them), and root or
CAP_BPF with CAP_PERFMON (fentry; kprobes, used where fentry is missing, need
CAP_SYS_ADMIN).  Whatever is missing is said in one line (BpfUnavailable).
"""
from __future__ import annotations

import collections
import ctypes
import importlib.util
import os
import struct
import sys
import tempfile
import time

from . import bpf_btf, bpf_program
from .capture import INBOUND, LINKTYPE_NETLINK, OUTBOUND, CaptureError, Delivery, Frame
from .writer import netlink_header

BCC_DIR = "/usr/lib/python3/dist-packages/bcc"   # Debian's python3-bpfcc
INSTALL = "apt-get install -y python3-bpfcc"
LOCKDOWN = "/sys/kernel/security/lockdown"
CAP_SYS_ADMIN, CAP_PERFMON, CAP_BPF = 21, 38, 39
DEFAULT_RING = 16 << 20     # bytes: a 20,000-change burst measured no drop with it
MIN_RING = 1 << 16
MAX_RING = 1 << 30
HEAD = struct.Struct("<QQIIIIIIIIII16s")   # struct nls_head
assert HEAD.size == bpf_program.HEAD_SIZE
MAX_PARTIAL = 16            # skbs whose chunks are still coming (one with a chunk dropped is given up)
DRAIN_WAIT = 5.0            # seconds a stopped capture waits for the ring to hand over what was counted
HOOKS = ("netlink_unicast", "__netlink_sendskb")


class BpfUnavailable(CaptureError):
    """BPF cannot run here (privileges, bcc, BTF, lockdown, a compile or load failure): one line."""


def import_bcc():
    """bcc's Python package: importable already, or Debian's from BCC_DIR, loaded alone
    (never the whole dist-packages on sys.path: its other packages are for /usr/bin/python3)."""
    mod = sys.modules.get("bcc")
    if mod is not None and hasattr(mod, "BPF"):
        return mod
    try:
        import bcc
        if hasattr(bcc, "BPF"):
            return bcc
    except ImportError:
        pass
    except Exception as exc:   # bcc's own import failing (libbcc missing): said below
        raise BpfUnavailable(f"bcc cannot be loaded ({exc}); install it: {INSTALL}") from None
    init = os.path.join(BCC_DIR, "__init__.py")
    if not os.path.isfile(init):
        raise BpfUnavailable(f"the BPF source needs bcc; install it: {INSTALL}")
    spec = importlib.util.spec_from_file_location("bcc", init, submodule_search_locations=[BCC_DIR])
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bcc"] = mod
    try:
        spec.loader.exec_module(mod)
    except Exception as exc:   # OSError: libbcc.so.0 missing; anything else from a broken install
        sys.modules.pop("bcc", None)
        raise BpfUnavailable(f"bcc cannot be loaded from {BCC_DIR} ({exc}); install it: {INSTALL}") from None
    return mod


def effective_capabilities(status: str = "/proc/self/status") -> int:
    try:
        with open(status) as f:
            for line in f:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16)
    except (OSError, ValueError, IndexError):
        pass
    return 0


def check_privileges(caps: int) -> None:
    if caps >> CAP_SYS_ADMIN & 1 or (caps >> CAP_BPF & 1 and caps >> CAP_PERFMON & 1):
        return
    raise BpfUnavailable("the BPF source needs root (or CAP_BPF and CAP_PERFMON): run as root")


def check_lockdown(path: str = LOCKDOWN) -> None:
    """Lockdown's confidentiality mode refuses BPF reads of kernel memory (bpf_probe_read_kernel)."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return
    if "[confidentiality]" in text:
        raise BpfUnavailable("the kernel is locked down (confidentiality): BPF may not read kernel memory; "
                             "capture with nlmon instead (--source nlmon)")


def ring_pages(ring_bytes: int) -> int:
    """The ring's size in pages: a power of two (the kernel's rule), at least `ring_bytes`."""
    if not MIN_RING <= ring_bytes <= MAX_RING:
        raise ValueError(f"the BPF ring must hold {MIN_RING >> 10} KiB to {MAX_RING >> 20} MiB, "
                         f"not {ring_bytes} bytes")
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    pages = 1
    while pages * page < ring_bytes:
        pages <<= 1
    return pages


def _reason(exc: BaseException, said: str) -> str:
    """One line out of bcc's exception and what libbcc and clang printed meanwhile."""
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    for needle in ("Unable to find kernel headers", "Operation not permitted", "Permission denied",
                   "Failed to load", "cannot attach", "error:"):
        hit = next((line for line in lines if needle in line), None)
        if hit is not None:
            return hit[:300]
    first = str(exc).strip().splitlines()
    return (first[0] if first else type(exc).__name__)[:300]


class _Quiet:
    """fds 1 and 2 into a temporary file while bcc compiles and loads: libbcc and clang write
    there directly (a missing header on stdout, a verifier log on stderr), and the user gets
    one line instead."""

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.saved = [os.dup(1), os.dup(2)]
        self.file = tempfile.TemporaryFile()
        os.dup2(self.file.fileno(), 1)
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc):
        for fd, saved in zip((1, 2), self.saved):
            os.dup2(saved, fd)
            os.close(saved)
        self.file.seek(0)
        self.text = self.file.read(1 << 16).decode("utf-8", "replace")
        self.file.close()
        return False


def kernel_headers() -> bool:
    """Whether bcc finds headers to compile against: the running kernel's build tree, or
    the kernel's own copy (CONFIG_IKHEADERS)."""
    release = os.uname().release
    return os.path.isdir(f"/lib/modules/{release}/build") or os.path.exists("/sys/kernel/kheaders.tar.xz")


def available() -> bool:
    """Whether BpfCapture could start here, judged without compiling: privileges, lockdown,
    the BTF, bcc and the kernel's headers (a compile or load may still fail: BpfUnavailable)."""
    try:
        check_privileges(effective_capabilities())
        check_lockdown()
        if not os.access(bpf_btf.BTF_PATH, os.R_OK):
            return False
        import_bcc()
    except BpfUnavailable:
        return False
    return kernel_headers()


class Assembler:
    """Ring records in, whole skbs out: a record is one chunk of an skb (bpf_program.py); an
    skb is complete when its chunks hold `caplen` bytes.  One whose later chunk the ring
    could not take (the BPF program counted it dropped) is given up after MAX_PARTIAL newer
    ones started, or at the end; `incomplete` counts them, `bad` counts records that make
    no sense (shorter than their header, a chunk past the end)."""

    def __init__(self):
        self.partial: collections.OrderedDict[int, list] = collections.OrderedDict()
        self.incomplete = 0
        self.bad = 0

    def add(self, raw: bytes):
        """(head fields, bytes) when `raw` completes an skb, else None."""
        if len(raw) < HEAD.size:
            self.bad += 1
            return None
        head = HEAD.unpack_from(raw, 0)
        _ts, sid, _len, caplen, offset = head[:5]
        chunk = raw[HEAD.size:]
        if offset == 0 and len(chunk) >= caplen:
            return head, bytes(chunk[:caplen])
        if offset + len(chunk) > caplen or not chunk:
            self.bad += 1
            return None
        part = self.partial.get(sid)
        if part is None:
            if offset != 0:   # its first chunk was never seen: nothing to put it with
                self.bad += 1
                return None
            part = self.partial[sid] = [head, bytearray(caplen), 0]
            while len(self.partial) > MAX_PARTIAL:
                self.partial.popitem(last=False)
                self.incomplete += 1
        part[1][offset:offset + len(chunk)] = chunk
        part[2] += len(chunk)
        if part[2] < caplen:
            return None
        del self.partial[sid]
        return part[0], bytes(part[1])

    def give_up(self) -> int:
        """The end: skbs still incomplete are dropped ones; how many."""
        n = len(self.partial)
        self.incomplete += n
        self.partial.clear()
        return n


def frame_of(number: int, head: tuple, data: bytes, clock_offset_ns: int) -> Frame:
    """The Frame of one whole skb: its bytes with nlmon's LINKTYPE_NETLINK header, the
    direction (INBOUND, OUTBOUND) and the Delivery, also in the frame's comment."""
    ts, _sid, length, caplen, _off, protocol, sender, receiver, group, tgid, tid, outbound, comm = head
    delivery = Delivery(tgid, tid, comm.split(b"\0", 1)[0].decode("utf-8", "replace"), sender, receiver, group)
    ts_ns = ts + clock_offset_ns
    if len(data) < length:   # longer than the program captures: cut, as a snap length cuts
        cap, wire = len(data) + 16, length + 16
    else:
        cap = wire = len(data)
    protocol &= 0xFFFF
    return Frame(number, ts_ns / 1e9, data, protocol, cap, wire, 4, LINKTYPE_NETLINK, netlink_header(protocol, 4),
                 ts_ns, delivery.comment(), direction=OUTBOUND if outbound else INBOUND, delivery=delivery)


class BpfCapture:
    """Every netlink skb of the machine, as Frames; the interface of live.LiveCapture
    (frames(), stop(), abandon(), left_in_ring(), statistics(), close(), ring_text()), so the
    capture command and the TUI use either.  `exclude_self`: nlscope's own traffic (its
    generic-netlink lookups) is left out, by tgid, in the kernel."""

    name = "bpf"

    def __init__(self, ring_bytes: int = DEFAULT_RING, exclude_self: bool = True, btf_path: str = bpf_btf.BTF_PATH):
        pages = ring_pages(ring_bytes)
        check_privileges(effective_capabilities())
        check_lockdown()
        try:
            offsets = bpf_btf.netlink_offsets(bpf_btf.load(btf_path))
        except bpf_btf.BTFError as exc:
            raise BpfUnavailable(f"the BPF source needs the kernel's BTF: {exc}") from None
        bcc = import_bcc()
        if not kernel_headers():
            release = os.uname().release
            raise BpfUnavailable(f"the BPF source compiles against the kernel's headers, missing for {release} "
                                 f"(/lib/modules/{release}/build): apt-get install -y linux-headers-{release}")
        self.ring_bytes = pages * (os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096)
        cflags = [f"-D{k}={v}" for k, v in offsets.items()]
        cflags += [f"-DCHUNK={bpf_program.CHUNK}", f"-DMAX_CHUNKS={bpf_program.MAX_CHUNKS}",
                   f"-DSEEN={bpf_program.SEEN}", f"-DDROPPED={bpf_program.DROPPED}",
                   f"-DSERIAL={bpf_program.SERIAL}", f"-DRING_PAGES={pages}",
                   f"-DSELF_TGID={os.getpid() if exclude_self else 0xFFFFFFFF}"]
        self.bpf = None
        with _Quiet() as said:
            try:
                self.fentry = bool(bcc.BPF.support_kfunc())
                if self.fentry:
                    cflags.append("-DUSE_FENTRY")
                self.bpf = bcc.BPF(text=bpf_program.TEXT.encode(), cflags=cflags)
                if not self.fentry:
                    self.bpf.attach_kprobe(event=HOOKS[0], fn_name=b"kp_netlink_unicast")
                    self.bpf.attach_kprobe(event=HOOKS[1], fn_name=b"kp_netlink_sendskb")
                self.bpf["events"].open_ring_buffer(self._on_record)
            except Exception as exc:   # bcc raises plain Exceptions (compile, load, attach)
                failure = exc
            else:
                failure = None
        if failure is not None:
            if self.bpf is not None:
                self._cleanup()
            raise BpfUnavailable(f"BPF cannot run here: {_reason(failure, said.text)}")
        self._records: list[bytes] = []
        self._ready: collections.deque[Frame] = collections.deque()
        self.assembler = Assembler()
        self.clock_offset = time.time_ns() - time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        self.number = 0
        self.blocks = 0
        self.max_lag = 0.0
        self.error: str | None = None
        self.abandoned = False
        self._stopped = False
        self._set_control(1)

    def _cleanup(self) -> None:
        with _Quiet():
            try:
                self.bpf.cleanup()
            except Exception:
                pass

    def _on_record(self, _ctx, data, size) -> int:
        """bcc's ring callback: the record's bytes, kept for _take (nothing else here: an
        exception in a ctypes callback would only be printed)."""
        self._records.append(ctypes.string_at(data, size))
        return 0

    def _set_control(self, value: int) -> None:
        self.bpf["control"][ctypes.c_int(0)] = ctypes.c_uint(value)

    def ring_text(self) -> str:
        how = "fentry" if self.fentry else "kprobes"
        return f"BPF ring buffer of {self.ring_bytes >> 10} KiB, {how} on {' and '.join(HOOKS)}"

    def _take(self) -> int:
        """The records read so far into frames (in _ready); how many frames."""
        records, self._records = self._records, []
        made = 0
        now = time.time_ns()
        for raw in records:
            whole = self.assembler.add(raw)
            if whole is None:
                continue
            self.number += 1
            fr = frame_of(self.number, whole[0], whole[1], self.clock_offset)
            self.max_lag = max(self.max_lag, (now - fr.ts_ns) / 1e9)
            self._ready.append(fr)
            made += 1
        if made:
            self.blocks += 1
        return made

    def statistics(self) -> tuple[int, int]:
        """(skbs the probes saw, skbs dropped because the ring was full) so far, exact."""
        counts = self.bpf["counts"]
        seen = dropped = 0
        for hook in (0, 1):
            seen += counts.sum(ctypes.c_int(3 * hook + bpf_program.SEEN)).value
            dropped += counts.sum(ctypes.c_int(3 * hook + bpf_program.DROPPED)).value
        return seen, dropped

    def stop(self) -> None:
        """No new skb is recorded; frames() still yields what the ring holds.  Safe in a
        signal handler."""
        if not self._stopped:
            self._stopped = True
            try:
                self._set_control(0)
            except Exception:
                pass

    def abandon(self) -> None:
        self.abandoned = True
        self.stop()

    def left_in_ring(self) -> int:
        """After stop(): the frames the ring still held, not read (now thrown away)."""
        self.stop()
        time.sleep(0.01)   # a program running on another cpu as it stopped finishes its skb
        self.bpf.ring_buffer_consume()
        self._take()
        left = len(self._ready)
        self._ready.clear()
        return left

    def frames(self, count: int | None = None, duration: float | None = None, poll: float = 0.2,
               idle: bool = False):
        """Frames as they come until stopped, `count` frames or `duration` seconds; with
        `idle`, None whenever `poll` seconds pass without one.  Once stopped, what the ring
        holds is read too, until every skb counted is read or counted dropped."""
        deadline = None if duration is None else time.monotonic() + duration
        yielded = 0
        while not self._stopped and (count is None or yielded < count):
            if self._ready:
                yielded += 1
                yield self._ready.popleft()
                continue
            if deadline is not None and time.monotonic() >= deadline:
                self.stop()
                break
            timeout = poll if deadline is None else max(0.0, min(poll, deadline - time.monotonic()))
            self.bpf.ring_buffer_poll(max(1, int(timeout * 1000)))
            if not self._take() and idle:
                yield None
        if self._stopped:
            yield from self._drain()

    def _drain(self):
        time.sleep(0.01)
        deadline = time.monotonic() + DRAIN_WAIT
        while not self.abandoned:
            while self._ready and not self.abandoned:
                yield self._ready.popleft()
            seen, dropped = self.statistics()
            if self.number >= seen - dropped and not self._records:
                # every skb counted is read (an incomplete one was counted dropped too)
                self.bpf.ring_buffer_consume()
                if not self._take():
                    break
                continue
            if time.monotonic() > deadline:
                break
            self.bpf.ring_buffer_poll(20)
            self._take()
        self.assembler.give_up()

    def close(self) -> None:
        if self.bpf is not None:
            self._cleanup()
            self.bpf = None
