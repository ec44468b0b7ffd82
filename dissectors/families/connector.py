"""NETLINK_CONNECTOR (11): struct cn_msg, and the process events connector (cn_proc).

<linux/connector.h>::

    struct cb_id { __u32 idx; __u32 val; };
    struct cn_msg { struct cb_id id; __u32 seq; __u32 ack; __u16 len; __u16 flags; __u8 data[]; };

The kernel sends every cn_msg in a message of type NLMSG_DONE (drivers/connector/connector.c,
cn_netlink_send_mult: `nlmsg_put(skb, 0, msg->seq, NLMSG_DONE, size, 0)`), and listeners
send theirs the same way, so on this protocol types below 0x10 are not netlink's control
messages: every message is a connector message.  For CN_IDX_PROC/CN_VAL_PROC
(<linux/cn_proc.h>) a listener sends enum proc_cn_mcast_op (6.6 and later also accept
struct proc_input: the op and an event filter) and the kernel struct proc_event::

    enum proc_cn_event what; __u32 cpu; __u64 timestamp_ns (aligned 8);
    union { ack, fork, exec, id (uid/gid), sid, ptrace, comm, coredump, exit } event_data;

6.1's `enum what` and 6.12's `enum proc_cn_event` hold the same values (6.12 adds
PROC_EVENT_NONZERO_EXIT, a filter bit only: exit events still say PROC_EVENT_EXIT), and the
layout is the same: 40 bytes.
"""
from __future__ import annotations

import struct

from ..core.attrs import FULL, malformed
from ..core.header import NLMSG_HDRLEN
from ..core.registry import OTHER, MessageType, Protocol, register_protocol
from ..model import FIELDS, BYTES, INT, NONE, STRING, UINT, UNKNOWN, Node

# `#define CN_IDX_PROC 0x1` … `#define CN_VSS_IDX 0xA` (idx, and the val of each)
CN_IDX = {1: "CN_IDX_PROC", 2: "CN_IDX_CIFS", 3: "CN_W1_IDX", 4: "CN_IDX_V86D", 5: "CN_IDX_BB", 6: "CN_DST_IDX",
          7: "CN_IDX_DM", 8: "CN_IDX_DRBD", 9: "CN_KVP_IDX", 10: "CN_VSS_IDX"}
CN_VAL = {(1, 1): "CN_VAL_PROC", (2, 1): "CN_VAL_CIFS", (3, 1): "CN_W1_VAL", (4, 1): "CN_VAL_V86D_UVESAFB",
          (6, 1): "CN_DST_VAL", (7, 1): "CN_VAL_DM_USERSPACE_LOG", (8, 1): "CN_VAL_DRBD", (9, 1): "CN_KVP_VAL",
          (10, 1): "CN_VSS_VAL"}
CN_IDX_PROC = CN_VAL_PROC = 1
# enum proc_cn_mcast_op
MCAST_OPS = {1: "PROC_CN_MCAST_LISTEN", 2: "PROC_CN_MCAST_IGNORE"}
# enum proc_cn_event (6.12; 6.1's enum what lacks NONZERO_EXIT)
EVENTS = {0x0: "PROC_EVENT_NONE", 0x1: "PROC_EVENT_FORK", 0x2: "PROC_EVENT_EXEC", 0x4: "PROC_EVENT_UID",
          0x40: "PROC_EVENT_GID", 0x80: "PROC_EVENT_SID", 0x100: "PROC_EVENT_PTRACE", 0x200: "PROC_EVENT_COMM",
          0x20000000: "PROC_EVENT_NONZERO_EXIT", 0x40000000: "PROC_EVENT_COREDUMP", 0x80000000: "PROC_EVENT_EXIT"}
# the union's members by event: (name, kind) of each 4-byte (comm: 16-byte) member
_UNION = {
    0x0: ("ack", [("err", UINT)]),
    0x1: ("fork", [("parent_pid", INT), ("parent_tgid", INT), ("child_pid", INT), ("child_tgid", INT)]),
    0x2: ("exec", [("process_pid", INT), ("process_tgid", INT)]),
    0x4: ("id", [("process_pid", INT), ("process_tgid", INT), ("ruid", UINT), ("euid", UINT)]),
    0x40: ("id", [("process_pid", INT), ("process_tgid", INT), ("rgid", UINT), ("egid", UINT)]),
    0x80: ("sid", [("process_pid", INT), ("process_tgid", INT)]),
    0x100: ("ptrace", [("process_pid", INT), ("process_tgid", INT), ("tracer_pid", INT), ("tracer_tgid", INT)]),
    0x200: ("comm", [("process_pid", INT), ("process_tgid", INT), ("comm", STRING)]),
    0x40000000: ("coredump", [("process_pid", INT), ("process_tgid", INT), ("parent_pid", INT),
                              ("parent_tgid", INT)]),
    0x80000000: ("exit", [("process_pid", INT), ("process_tgid", INT), ("exit_code", UINT), ("exit_signal", UINT),
                          ("parent_pid", INT), ("parent_tgid", INT)]),
}
CN_MSG_SIZE, PROC_EVENT_SIZE, PROC_EVENT_HEAD = 20, 40, 16

CN_MSG = FIELDS.add("connector.msg", "struct cn_msg", NONE, "a connector message")
CN = {n: FIELDS.add(f"connector.{n}", n, UINT, d) for n, d in (
    ("idx", "cb_id.idx: the connector (CN_IDX_PROC, …)"), ("val", "cb_id.val: the callback of that connector"),
    ("seq", "cn_msg.seq"), ("ack", "cn_msg.ack"), ("len", "cn_msg.len: length of the data"),
    ("flags", "cn_msg.flags"))}
DATA = FIELDS.add("connector.data", "data", BYTES, "a connector message's data, for a connector not decoded here")
OP = FIELDS.add("connector.proc.mcast_op", "mcast_op", UINT, "enum proc_cn_mcast_op: LISTEN or IGNORE")
FILTER = FIELDS.add("connector.proc.event_type", "event_type", UINT, "proc_input.event_type: the events wanted")
EVENT = FIELDS.add("connector.proc.event", "struct proc_event", NONE, "a process event")
WHAT = FIELDS.add("connector.proc.what", "what", UINT, "the event (PROC_EVENT_FORK, …)")
CPU = FIELDS.add("connector.proc.cpu", "cpu", UINT, "the CPU the event happened on")
STAMP = FIELDS.add("connector.proc.timestamp_ns", "timestamp_ns", UINT, "nanoseconds since boot")
MEMBERS = {}
for _what, (_u, _ms) in _UNION.items():
    for _n, _k in _ms:
        MEMBERS[(_u, _n)] = FIELDS.add(f"connector.proc.{_u}.{_n}", _n, _k, f"event_data.{_u}.{_n}")
EXTRA = FIELDS.add("connector.extra", "Extra bytes", BYTES, "bytes past what the lengths say")


def _proc_data(buf, pos: int, end: int, order: str, parent: Node, request: bool) -> None:
    if request:
        # a listener's enum proc_cn_mcast_op, or 6.6's struct proc_input
        if end - pos >= 4:
            op = struct.unpack_from(order + "I", buf, pos)[0]
            parent.add(Node(OP, op, pos, 4, f"{MCAST_OPS.get(op, '?')} ({op})", label="mcast_op"))
            if end - pos >= 8:
                ev = struct.unpack_from(order + "I", buf, pos + 4)[0]
                names = [n for b, n in EVENTS.items() if b and ev & b]
                parent.add(Node(FILTER, ev, pos + 4, 4, f"{ev:#x}" + (f" ({', '.join(names)})" if names else ""),
                                label="event_type"))
            used = 8 if end - pos >= 8 else 4
            if pos + used < end:
                parent.add(Node(EXTRA, bytes(buf[pos + used:end]), pos + used, end - pos - used, status=UNKNOWN))
        else:
            parent.add(malformed(buf, pos, end, "a proc connector request needs 4 bytes"))
        return
    if end - pos < PROC_EVENT_HEAD:
        parent.add(malformed(buf, pos, end, f"struct proc_event needs {PROC_EVENT_SIZE} bytes, {end - pos} present"))
        return
    what, cpu, ts = struct.unpack_from(order + "IIQ", buf, pos)
    ev = parent.add(Node(EVENT, None, pos, min(end - pos, PROC_EVENT_SIZE), None, [], label="struct proc_event"))
    ev.add(Node(WHAT, what, pos, 4, f"{EVENTS.get(what, 'unknown event')} ({what:#x})", label="what"))
    ev.add(Node(CPU, cpu, pos + 4, 4, label="cpu"))
    ev.add(Node(STAMP, ts, pos + 8, 8, f"{ts} ({ts / 1e9:.9f} s since boot)", label="timestamp_ns"))
    union = _UNION.get(what)
    upos, uend = pos + PROC_EVENT_HEAD, min(end, pos + PROC_EVENT_SIZE)
    if union is None:
        ev.add(Node(EXTRA, bytes(buf[upos:uend]), upos, uend - upos, status=UNKNOWN, label="event_data"))
    else:
        uname, members = union
        p = upos
        for n, kind in members:
            size = 16 if kind == STRING else 4
            if p + size > uend:
                ev.add(malformed(buf, p, uend, f"event_data.{uname}.{n} is cut"))
                p = uend
                break
            if kind == STRING:
                raw = bytes(buf[p:p + 16])
                v = raw.split(b"\0", 1)[0].decode("utf-8", "backslashreplace")
                ev.add(Node(MEMBERS[(uname, n)], v, p, 16, repr(v), label=f"{uname}.{n}"))
            else:
                v = struct.unpack_from(order + ("i" if kind == INT else "I"), buf, p)[0]
                ev.add(Node(MEMBERS[(uname, n)], v, p, 4, label=f"{uname}.{n}"))
            p += size
        if p < uend:   # the union's room past this member (40 bytes whatever the event)
            ev.add(Node(EXTRA, bytes(buf[p:uend]), p, uend - p, None if not any(buf[p:uend]) else UNKNOWN,
                        label="event_data (rest of the union)"))
    if uend < end:
        parent.add(Node(EXTRA, bytes(buf[uend:end]), uend, end - uend, status=UNKNOWN))


def dissect_cn(buf, body: int, end: int, order: str, root: Node, request: bool) -> None:
    pos = body
    while pos < end:
        if end - pos < CN_MSG_SIZE:
            if any(buf[pos:end]):
                root.add(malformed(buf, pos, end, f"struct cn_msg needs {CN_MSG_SIZE} bytes, {end - pos} present"))
            else:
                root.add(Node(EXTRA, bytes(buf[pos:end]), pos, end - pos, label="Padding"))
            return
        idx, val, seq, ack, ln, flags = struct.unpack_from(order + "IIIIHH", buf, pos)
        dend = pos + CN_MSG_SIZE + ln
        msg = root.add(Node(CN_MSG, None, pos, min(dend, end) - pos, None, [], label="struct cn_msg"))
        msg.add(Node(CN["idx"], idx, pos, 4, f"{CN_IDX.get(idx, 'unknown')} ({idx})", label="idx"))
        msg.add(Node(CN["val"], val, pos + 4, 4, f"{CN_VAL.get((idx, val), 'unknown')} ({val})", label="val"))
        for i, (n, v) in enumerate((("seq", seq), ("ack", ack))):
            msg.add(Node(CN[n], v, pos + 8 + 4 * i, 4, label=n))
        msg.add(Node(CN["len"], ln, pos + 16, 2, label="len"))
        msg.add(Node(CN["flags"], flags, pos + 18, 2, f"{flags:#06x}", label="flags"))
        dpos = pos + CN_MSG_SIZE
        if dend > end:
            msg.add(malformed(buf, dpos, end, f"cn_msg.len {ln} runs past the message ({end - dpos} bytes left)"))
            return
        if (idx, val) == (CN_IDX_PROC, CN_VAL_PROC):
            _proc_data(buf, dpos, dend, order, msg, request)
        elif ln:
            msg.add(Node(DATA, bytes(buf[dpos:dend]), dpos, ln, status=UNKNOWN,
                         label=f"data ({CN_IDX.get(idx, f'connector {idx}')}: not decoded)"))
        pos = dend
        if pos < end and not any(buf[pos:end]):   # alignment padding after the last one
            root.add(Node(EXTRA, bytes(buf[pos:end]), pos, end - pos, label="Padding"))
            return


def connector_info(root) -> str:
    """`fork parent 123 child 456`, `exit pid 456 code 0 signal 17`, `PROC_CN_MCAST_LISTEN`."""
    parts = []
    for msg in root.children or ():
        if msg.field is not CN_MSG:
            continue
        kids = {c.field: c for c in msg.children}
        if OP in kids:
            parts.append(MCAST_OPS.get(kids[OP].value, f"op {kids[OP].value}"))
            continue
        ev = kids.get(EVENT)
        if ev is None:
            parts.append(f"{CN_IDX.get(kids[CN['idx']].value, 'idx ' + str(kids[CN['idx']].value))}")
            continue
        v = {c.label: c.value for c in ev.children if c.label and "." in c.label}
        what = ev.children[0].value
        u = _UNION.get(what, ("?", []))[0]
        g = lambda n: v.get(f"{u}.{n}")  # noqa: E731
        if what == 0x1:
            parts.append(f"fork parent {g('parent_pid')} child {g('child_pid')}")
        elif what == 0x0:
            parts.append(f"ack err {g('err')}")
        elif what == 0x80000000:
            parts.append(f"exit pid {g('process_pid')} code {g('exit_code')} signal {g('exit_signal')}")
        elif what in (0x4, 0x40):
            r, e = ("ruid", "euid") if what == 0x4 else ("rgid", "egid")
            parts.append(f"{'uid' if what == 0x4 else 'gid'} pid {g('process_pid')} {r} {g(r)} {e} {g(e)}")
        elif what == 0x100:
            parts.append(f"ptrace pid {g('process_pid')} tracer {g('tracer_pid')}")
        elif what == 0x200:
            parts.append(f"comm pid {g('process_pid')} {g('comm')!r}")
        elif what in _UNION:
            parts.append(f"{u} pid {g('process_pid')}")
        else:
            parts.append(f"event {what:#x}")
    return "; ".join(parts)


class ConnectorProtocol(Protocol):
    number = 11
    name = "NETLINK_CONNECTOR"
    label = "connector"
    abbrev = "connector"
    fields_only_here = True   # no other protocol makes a field named connector.…
    control_types = False   # cn_msg rides in NLMSG_DONE (3): see the module's docstring

    def __init__(self):
        self._types: dict[int, MessageType] = {}

    def message_type(self, buf, off, length, mtype, order, ctx):
        mt = self._types.get(mtype)
        if mt is None:
            name = "cn_msg" if mtype == 3 else f"cn_msg (type {mtype})"
            mt = MessageType(mtype, name, OTHER, info=connector_info)
            if len(self._types) < 1024:
                self._types[mtype] = mt
        return mt

    def type_text(self, mtype, mt, ctx):
        return f"{mt.name} (NLMSG_DONE, {mtype})" if mtype == 3 else f"{mt.name}"

    tells_direction = True

    def direction(self, buf, off, length, order):
        """A proc connector request (4 or 8 bytes of data) goes to the kernel; the kernel's
        proc events are 40 bytes.  cn_proc users send theirs without NLM_F_REQUEST."""
        return _proc_request(buf, off, length, order)

    def claims(self, buf, off, length, mtype, order, ctx):
        return True

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        request = bool(_proc_request(buf, off, length, order))
        dissect_cn(buf, off + NLMSG_HDRLEN, off + length, order, root, request)
        return None


def _proc_request(buf, off: int, length: int, order: str) -> bool | None:
    """True for a proc connector request, False for a proc event, None for other connectors."""
    body = off + NLMSG_HDRLEN
    if length < NLMSG_HDRLEN + CN_MSG_SIZE:
        return None
    idx, val, _, _, ln, _ = struct.unpack_from(order + "IIIIHH", buf, body)
    if (idx, val) != (CN_IDX_PROC, CN_VAL_PROC):
        return None
    return ln in (4, 8)


register_protocol(ConnectorProtocol())
