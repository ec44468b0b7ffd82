"""What a live capture keeps of root once its sockets are open: only what it still uses.

A capture decodes bytes any local user can make the kernel carry, so once the packet socket
(and the -w file) are open the process gives up every capability it no longer needs, drops
the rest from its bounding set and sets PR_SET_NO_NEW_PRIVS, so no execve can give them back.
What it still does, and what that needs (Linux 6.1 sources):

- read the ring, take PACKET_STATISTICS, unbind the socket to stop: nothing.  CAP_NET_RAW is
  checked only when a packet socket is created (net/packet/af_packet.c packet_create), not
  by bind, getsockopt or the mmap'd ring, so it goes too.
- ask generic-netlink ids (CTRL_CMD_GETFAMILY dump), read /proc/net/netlink: nothing.
- name the process behind a port id (the Process column): list /proc/PID/fd of every
  process and read its links.  The directory is mode 0500 of the process's owner
  (CAP_DAC_READ_SEARCH for other users' processes) and each link is a ptrace read check
  (fs/proc/fd.c proc_fd_access_allowed, PTRACE_MODE_READ_FSCREDS): another uid, a
  non-dumpable process, or one holding capabilities we no longer have
  (security/commoncap.c cap_ptrace_access_check) needs CAP_SYS_PTRACE.  So process lookups
  keep CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE; `--no-process` keeps nothing.

Capabilities belong to a thread (capset(2) changes the caller's), and a thread starts with
its creator's: so this runs before the capture starts any thread, and refuses otherwise.
The uid stays 0: files root owns stay writable, which is what a capture started by root
expects of its output, but nothing a capability grants (modules, interfaces, raw sockets,
other users' files, mounts) is left.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os

CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_SYS_PTRACE = 1, 2, 19
CAP_NAMES = {CAP_DAC_OVERRIDE: "cap_dac_override", CAP_DAC_READ_SEARCH: "cap_dac_read_search",
             CAP_SYS_PTRACE: "cap_sys_ptrace"}
PROCESS_LOOKUPS = frozenset({CAP_DAC_READ_SEARCH, CAP_SYS_PTRACE})

PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 24, 38, 39, 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class PrivilegeError(OSError):
    pass


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _prctl(libc, *args) -> int:
    return libc.prctl(*(ctypes.c_ulong(a) for a in args + (0,) * (5 - len(args))))


def _mask(caps) -> int:
    m = 0
    for c in caps:
        m |= 1 << c
    return m


def capabilities(status_path: str = "/proc/self/status") -> dict[str, int]:
    """CapInh, CapPrm, CapEff, CapBnd, CapAmb of a process, as masks (for tests and checks)."""
    out = {}
    with open(status_path) as f:
        for line in f:
            if line.startswith("Cap"):
                key, _, val = line.partition(":")
                out[key] = int(val.strip(), 16)
    if "NoNewPrivs" not in out:
        with open(status_path) as f:
            for line in f:
                if line.startswith("NoNewPrivs:"):
                    out["NoNewPrivs"] = int(line.split()[1])
    return out


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def drop_privileges(keep=frozenset()) -> set[int]:
    """Keep only the capabilities in `keep` (those the process has), drop the others from the
    effective, permitted, inheritable, ambient and (where allowed) bounding sets, and set
    no_new_privs.  Returns the capabilities kept.  PrivilegeError if it cannot be done."""
    if _threads() != 1:
        raise PrivilegeError("privileges must be dropped before any thread starts (capabilities are per thread)")
    libc = _libc()
    if _prctl(libc, PR_SET_NO_NEW_PRIVS, 1) != 0:
        err = ctypes.get_errno()
        raise PrivilegeError(err, f"PR_SET_NO_NEW_PRIVS: {os.strerror(err)}")
    hdr, data = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    if libc.capget(ctypes.byref(hdr), data) != 0:
        err = ctypes.get_errno()
        raise PrivilegeError(err, f"capget: {os.strerror(err)}")
    permitted = data[0].permitted | data[1].permitted << 32
    kept = {c for c in keep if permitted >> c & 1}
    try:
        with open("/proc/sys/kernel/cap_last_cap") as f:
            last = int(f.read())
    except (OSError, ValueError):
        last = 40
    for cap in range(last + 1):   # needs CAP_SETPCAP; without it no_new_privs alone bars regaining
        if cap not in kept and _prctl(libc, PR_CAPBSET_DROP, cap) != 0:
            break
    _prctl(libc, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)  # EINVAL before Linux 4.3: nothing to clear
    mask = _mask(kept)
    for i in (0, 1):
        part = mask >> (32 * i) & 0xFFFFFFFF
        data[i].effective = data[i].permitted = part
        data[i].inheritable = 0
    if libc.capset(ctypes.byref(hdr), data) != 0:
        err = ctypes.get_errno()
        raise PrivilegeError(err, f"capset: {os.strerror(err)}")
    return kept


def describe(kept) -> str:
    """'cap_dac_read_search,cap_sys_ptrace' or 'none', for a log line."""
    return ",".join(CAP_NAMES.get(c, str(c)) for c in sorted(kept)) or "none"
