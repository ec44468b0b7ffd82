"""Which frames are a command's: its process tree, from fork events recorded as they happen.

A capture that sees every process's netlink traffic (the BPF source) names each frame's
process as the kernel saw it when the frame was sent (its tgid), but a child that forked,
sent and exited in a millisecond is gone before anyone can ask /proc who its parent was.
So the tree is built from the proc connector's fork events (PROC_EVENT_FORK,
<linux/cn_proc.h>), recorded from before the command starts: the kernel queues a fork's
event on our socket in the forking task (proc_fork_connector, called from copy_process)
before the child first runs, hence before the child can send anything.  Reading every
event queued when a frame is judged is therefore enough to know whether the frame's
process descends from the command — exactly, however short-lived it was.  Only a lost
event (the connector socket overflowed: ENOBUFS) leaves a doubt, and then it is said.

Limits: the connector's kernel socket lives in the initial network namespace only
(drivers/connector/connector.c, cn_init), and it needs CAP_NET_ADMIN; pids are those of the
initial pid namespace, as BPF's bpf_get_current_pid_tgid gives them.
"""
from __future__ import annotations

import errno
import os
import socket
import struct
from collections import deque

from ..sources.capture import INBOUND
from ..sources.procs import Process

# <linux/connector.h>, <linux/cn_proc.h>
NETLINK_CONNECTOR, CN_IDX_PROC, CN_VAL_PROC = 11, 0x1, 0x1
PROC_CN_MCAST_LISTEN, PROC_CN_MCAST_IGNORE = 1, 2
PROC_EVENT_FORK, PROC_EVENT_EXIT = 0x00000001, 0x80000000
NLMSG_DONE = 3
_CN_MSG = struct.Struct("=IIIIHH")      # cb_id.idx, cb_id.val, seq, ack, len, flags
_EVENT = struct.Struct("=IIQ")           # what, cpu, timestamp_ns (aligned(8): the union starts at 16)
_IDS = struct.Struct("=iiii")            # fork: parent_pid, parent_tgid, child_pid, child_tgid; exit: pid, tgid, …
EARLY_FORKS = 1 << 16                    # forks kept before the root is known


class ProcessTree:
    """The command's processes: its root and every process forked from one of them.

    fork() is told every fork of the system in the order the kernel made them; a child is
    a member when its parent is (so a pid reused by a process outside the tree is not).
    A member is never dropped at its exit: frames it sent may still be judged later."""

    def __init__(self, root: int | None = None):
        self.members: set[int] = set()
        self.alive: set[int] = set()
        self.root: int | None = None
        self._born = False   # the fork that made the root was seen (its parent is no member)
        self._early: deque[tuple[int, int]] = deque(maxlen=EARLY_FORKS)
        if root is not None:
            self.set_root(root)

    def set_root(self, pid: int) -> None:
        """The command's pid; forks recorded before it was known are applied now."""
        self.root = pid
        self.members.add(pid)
        self.alive.add(pid)
        early, self._early = self._early, deque(maxlen=EARLY_FORKS)
        for parent, child in early:
            self.fork(parent, child)

    def fork(self, parent_tgid: int, child_tgid: int) -> None:
        if self.root is None:
            self._early.append((parent_tgid, child_tgid))
            return
        if parent_tgid == child_tgid:   # a new thread of the same process
            return
        if child_tgid == self.root and not self._born:
            self._born = True   # the root's own fork (by us), read after set_root: it stays
            return
        if parent_tgid in self.members:
            self.members.add(child_tgid)
            self.alive.add(child_tgid)
        else:
            self.members.discard(child_tgid)   # the pid was reused outside the tree
            self.alive.discard(child_tgid)

    def exit(self, tgid: int) -> None:
        self.alive.discard(tgid)

    @property
    def done(self) -> bool:
        """Every process of the tree has exited (the root was set)."""
        return self.root is not None and not self.alive

    def __contains__(self, tgid) -> bool:
        return tgid in self.members


def parse_proc_events(data: bytes):
    """(what, (ids…)) for each proc connector event in a datagram; anything short or not
    the connector's is skipped (the socket is ours, but its bytes are the kernel's)."""
    pos = 0
    while pos + 16 <= len(data):
        length = struct.unpack_from("=I", data, pos)[0]
        if length < 16 or pos + length > len(data):
            return
        body = data[pos + 16:pos + length]
        pos += (length + 3) & ~3
        if len(body) < _CN_MSG.size + _EVENT.size + _IDS.size:
            continue
        idx, val, _seq, _ack, ln, _flags = _CN_MSG.unpack_from(body, 0)
        if (idx, val) != (CN_IDX_PROC, CN_VAL_PROC) or ln < _EVENT.size + _IDS.size:
            continue
        what = _EVENT.unpack_from(body, _CN_MSG.size)[0]
        yield what, _IDS.unpack_from(body, _CN_MSG.size + _EVENT.size)


class ProcEvents:
    """The proc connector, listened to from construction on; drain() applies to `tree` every
    event queued so far (never blocking).  OSError if the connector cannot be listened to."""

    def __init__(self, tree: ProcessTree, rcvbuf: int = 8 << 20):
        self.tree = tree
        self.lost = False
        s = self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC, NETLINK_CONNECTOR)
        try:
            try:
                s.setsockopt(socket.SOL_SOCKET, 33, rcvbuf)   # SO_RCVBUFFORCE (root): a fork storm fits
            except OSError:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            s.bind((0, CN_IDX_PROC))
            self._subscribe(PROC_CN_MCAST_LISTEN)
        except OSError:
            s.close()
            raise
        s.setblocking(False)

    def _subscribe(self, op: int) -> None:
        data = struct.pack("=I", op)
        cn = _CN_MSG.pack(CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(data), 0) + data
        # the layout cn_proc's users send: cn_msg in a message of type NLMSG_DONE
        self.sock.send(struct.pack("=IHHII", 16 + len(cn), NLMSG_DONE, 0, 0, os.getpid()) + cn)

    @property
    def portid(self) -> int:
        return self.sock.getsockname()[0]

    def drain(self) -> None:
        tree = self.tree
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except BlockingIOError:
                return
            except OSError as exc:
                if exc.errno == errno.ENOBUFS:   # events were dropped: some frames may be misjudged
                    self.lost = True
                    continue
                return
            for what, ids in parse_proc_events(data):
                if what == PROC_EVENT_FORK:
                    tree.fork(ids[1], ids[3])
                elif what == PROC_EVENT_EXIT and ids[0] == ids[1]:   # a process, not one of its threads
                    tree.exit(ids[1])

    def close(self) -> None:
        try:
            self._subscribe(PROC_CN_MCAST_IGNORE)
        except OSError:
            pass
        self.sock.close()


def frame_process(fr) -> int | None:
    """The process (tgid) running when a frame was sent: what the capture recorded (the BPF
    source's Frame.delivery), else the process in the frame's comment (strace's)."""
    d = getattr(fr, "delivery", None)
    if d is not None:
        return d.tgid
    proc = Process.from_comment(fr.comment)
    return proc.pid if proc is not None else None


class TreeFilter:
    """Frames in, in capture order; judge() says whether a frame is the command's.

    What a process sends to the kernel (the BPF source's INBOUND frames) is the tree's when
    the process running then is in the tree; its sending socket is then known as the tree's
    (or as another's).  What the kernel queues on a socket is the tree's when the receiving
    socket is: known from what it sent, else — for a socket that only listens — asked of
    `owner(protocol, portid)` (the process holding it, procs.ProcessTable).  The process
    running when the kernel queued a message is not the receiver's for a multicast copy (it
    is whoever caused the event), so it decides only for unicast to a socket never seen
    sending.  Frames without the BPF source's facts are judged by the process in their
    comment.  `sync()` (ProcEvents.drain) is called before a process not yet known as the
    tree's is judged, so the fork events that came before the frame are known."""

    def __init__(self, tree: ProcessTree, sync=lambda: None, owner=None):
        self.tree, self.sync, self.owner = tree, sync, owner
        self.ours: set[tuple[int, int]] = set()
        self.theirs: set[tuple[int, int]] = set()
        self.kept = self.left = 0   # frames kept; frames of other processes left out

    def member(self, pid: int | None) -> bool:
        if pid is None:
            return False
        if pid not in self.tree:
            self.sync()
        return pid in self.tree

    def judge(self, fr) -> bool:
        keep = self._judge(fr)
        if keep:
            self.kept += 1
        else:
            self.left += 1
        return keep

    def _judge(self, fr) -> bool:
        d = getattr(fr, "delivery", None)
        if d is None:
            return self.member(frame_process(fr))
        if fr.direction == INBOUND or not d.receiver:
            keep = self.member(d.tgid)
            if d.sender:
                key = (fr.protocol, d.sender)
                (self.ours if keep else self.theirs).add(key)
                (self.theirs if keep else self.ours).discard(key)
            return keep
        key = (fr.protocol, d.receiver)
        if key in self.ours:
            return True
        if key in self.theirs:
            return False
        if not d.group:
            return self.member(d.tgid)
        pid = self.owner(*key) if self.owner is not None else None
        keep = self.member(pid)
        if pid is not None:
            (self.ours if keep else self.theirs).add(key)
        return keep
