"""NETLINK_AUDIT (9): auditctl's commands, the kernel's replies and its audit records.

Types 1000-1099 command the audit system (kernel/audit.c, audit_receive_msg): AUDIT_GET and
AUDIT_SET carry struct audit_status (it grew: 32 bytes, then feature_bitmap,
backlog_wait_time, backlog_wait_time_actual; the kernel reads as much as is sent),
AUDIT_ADD_RULE/DEL_RULE/LIST_RULES struct audit_rule_data, AUDIT_SIGNAL_INFO's reply
struct audit_sig_info (kernel/audit.h: uid, pid, LSM context).  Every other type is text:
user messages (AUDIT_USER, 1100-1199, 2100-2999) and the kernel's records
(`audit(SECONDS.MS:SERIAL): key=value …`), split here into key=value fields.

kauditd sends each record to auditd with nlmsg_len = skb->len - NLMSG_HDRLEN (kauditd_thread:
"see the comments in kauditd_send_multicast_skb() for length quirks"; the multicast copies are
set right): such a record is told by a frame exactly 16 bytes longer than its one message,
and the frame's length is taken as its end.
"""
from __future__ import annotations

import struct

from ...core.attrs import FULL, malformed
from ...core.errors import errno_name
from ...core.header import NLMSG_HDRLEN, NLMSGHDR_FAST, nlmsghdr_value, split
from ...core.registry import GET, NEW, DEL, OTHER, MessageType, Protocol, register_protocol
from ...model import FIELDS, BYTES, NONE, STRING, UINT, UNKNOWN, Node
from . import constants as C
from .records import RECORD_TEXT, record_nodes
from .syscalls import X86_64

_STATUS_MEMBERS = ("mask", "enabled", "failure", "pid", "rate_limit", "backlog_limit", "lost", "backlog",
                   "feature_bitmap", "backlog_wait_time", "backlog_wait_time_actual")
STATUS = FIELDS.add("audit.status", "struct audit_status", NONE, "the audit system's status (AUDIT_GET, AUDIT_SET)")
STATUS_FIELDS = {n: FIELDS.add(f"audit.status.{n}", n, UINT, f"audit_status.{n}") for n in _STATUS_MEMBERS}
RULE = FIELDS.add("audit.rule", "struct audit_rule_data", NONE, "an audit rule")
RULE_FIELDS = {n: FIELDS.add(f"audit.rule.{n}", n, UINT, d) for n, d in (
    ("flags", "the rule's filter list (AUDIT_FILTER_*) and AUDIT_FILTER_PREPEND"),
    ("action", "AUDIT_NEVER, AUDIT_POSSIBLE or AUDIT_ALWAYS"), ("field_count", "how many fields the rule has"),
    ("buflen", "total length of the string fields"))}
MASK = FIELDS.add("audit.rule.mask", "mask", BYTES, "the syscalls the rule applies to (2048 bits)")
SYSCALL = FIELDS.add("audit.rule.syscall", "syscall", UINT, "a syscall the rule applies to")
FIELD_IDS = FIELDS.add("audit.rule.fields", "fields", NONE, "the fields compared (AUDIT_PID …)")
FIELD_ID = FIELDS.add("audit.rule.field", "field", UINT, "a field compared (AUDIT_ARCH, AUDIT_UID, …)")
VALUES = FIELDS.add("audit.rule.values", "values", NONE, "the values compared with")
VALUE = FIELDS.add("audit.rule.value", "value", UINT, "a value compared with (for a string field: its length)")
FLAGS = FIELDS.add("audit.rule.fieldflags", "fieldflags", NONE, "the comparison operators")
OP = FIELDS.add("audit.rule.op", "op", UINT, "a comparison operator (AUDIT_EQUAL, …)")
UNUSED = FIELDS.add("audit.rule.unused", "unused entries", BYTES, "entries past field_count")
BUF = FIELDS.add("audit.rule.buf", "buf", NONE, "the string fields' values")
STRING_VALUE = FIELDS.add("audit.rule.string", "string", STRING, "a string field's value")
RULE_KEY = FIELDS.add("audit.rule.key", "key", STRING, "the rule's key (AUDIT_FILTERKEY, auditctl -k)")
SIG_UID = FIELDS.add("audit.signal_info.uid", "uid", UINT, "audit_sig_info.uid: who signalled auditd")
SIG_PID = FIELDS.add("audit.signal_info.pid", "pid", UINT, "audit_sig_info.pid")
SIG_CTX = FIELDS.add("audit.signal_info.ctx", "ctx", STRING, "audit_sig_info.ctx: the sender's LSM context")
TTY = FIELDS.add("audit.tty", "struct audit_tty_status", NONE, "TTY auditing status")
TTY_FIELDS = {n: FIELDS.add(f"audit.tty.{n}", n, UINT, f"audit_tty_status.{n}") for n in ("enabled", "log_passwd")}
FEATURES = FIELDS.add("audit.features", "struct audit_features", NONE, "audit features")
FEAT_FIELDS = {n: FIELDS.add(f"audit.features.{n}", n, UINT, f"audit_features.{n}")
               for n in ("vers", "mask", "features", "lock")}
REPLACE_PID = FIELDS.add("audit.replace.pid", "pid", UINT, "AUDIT_REPLACE: the pid of the auditd to be replaced")
EQUIV = FIELDS.add("audit.make_equiv.path", "path", STRING, "AUDIT_MAKE_EQUIV: a path")
EQUIV_LEN = FIELDS.add("audit.make_equiv.size", "size", UINT, "AUDIT_MAKE_EQUIV: a path's length")
EXTRA = FIELDS.add("audit.extra", "Extra bytes", BYTES, "bytes past the struct this kernel defines")


def _bits(value: int, names: dict) -> str:
    set_ = [n for b, n in names.items() if value & b]
    rest = value & ~sum(names)
    if rest:
        set_.append(f"{rest:#x}")
    return f"{value:#x}" + (f" ({', '.join(set_)})" if set_ else "")


def _u32s(buf, pos: int, names, fields, order: str, end: int, parent: Node, texts=None) -> int:
    """As many u32 members as the bytes hold (structs that grew: the kernel reads what is sent)."""
    for name in names:
        if pos + 4 > end:
            break
        v = struct.unpack_from(order + "I", buf, pos)[0]
        parent.add(Node(fields[name], v, pos, 4, texts(name, v) if texts else None, label=name))
        pos += 4
    return pos


def _status_text(name: str, v: int) -> str | None:
    if name == "mask":
        return _bits(v, C.STATUS_MASK)
    if name == "feature_bitmap":
        return _bits(v, C.FEATURE_BITMAP)
    if name == "failure":
        return f"{v} ({C.FAILURE[v]})" if v in C.FAILURE else None
    return None


def _struct(buf, body: int, end: int, field, label: str, names, fields, order, root, texts=None):
    node = root.add(Node(field, None, body, 0, None, [], label=label))
    pos = _u32s(buf, body, names, fields, order, end, node, texts)
    node.length = pos - body
    if pos < end:   # members of a later kernel's struct, or a cut one
        root.add(Node(EXTRA, bytes(buf[pos:end]), pos, end - pos, status=UNKNOWN))
    return node


def _status(buf, body, end, order, root):
    _struct(buf, body, end, STATUS, "struct audit_status", _STATUS_MEMBERS, STATUS_FIELDS, order, root,
            _status_text)


def arch_name(v: int) -> str:
    return C.ARCHES.get(v, f"{v:#x}")


def _rule(buf, body: int, end: int, order: str, root: Node) -> None:
    fixed = 12 + 4 * (C.AUDIT_BITMASK_SIZE + 3 * C.AUDIT_MAX_FIELDS) + 4
    if end - body < fixed:
        root.add(malformed(buf, body, end, f"struct audit_rule_data needs {fixed} bytes, {end - body} present"))
        return
    u32 = struct.Struct(order + "I").unpack_from
    rule = root.add(Node(RULE, None, body, end - body, None, [], label="struct audit_rule_data"))
    flags, action, count = (u32(buf, body + 4 * i)[0] for i in range(3))
    listname = C.FILTER_LISTS.get(flags & ~C.AUDIT_FILTER_PREPEND & 0xff, f"list {flags & 0xff}")
    rule.add(Node(RULE_FIELDS["flags"], flags, body, 4, f"{flags:#x} ({listname}"
                  + (", prepend)" if flags & C.AUDIT_FILTER_PREPEND else ")"), label="flags"))
    rule.add(Node(RULE_FIELDS["action"], action, body + 4, 4, f"{action} ({C.ACTIONS.get(action, '?')})",
                  label="action"))
    rule.add(Node(RULE_FIELDS["field_count"], count, body + 8, 4, label="field_count"))
    n = min(count, C.AUDIT_MAX_FIELDS)
    moff, foff = body + 12, body + 12 + 4 * C.AUDIT_BITMASK_SIZE
    voff, ffoff = foff + 4 * C.AUDIT_MAX_FIELDS, foff + 8 * C.AUDIT_MAX_FIELDS
    ids = [u32(buf, foff + 4 * i)[0] for i in range(n)]
    vals = [u32(buf, voff + 4 * i)[0] for i in range(n)]
    ops = [u32(buf, ffoff + 4 * i)[0] for i in range(n)]
    arch = next((v for f, v in zip(ids, vals) if f == C.AUDIT_ARCH), None)
    names = X86_64 if arch == 0xc000003e else {}
    words = [u32(buf, moff + 4 * i)[0] for i in range(C.AUDIT_BITMASK_SIZE)]
    mask = rule.add(Node(MASK, bytes(buf[moff:foff]), moff, foff - moff, _mask_text(words, names), [], label="mask"))
    if not all(w == 0xffffffff for w in words):
        for i, w in enumerate(words):
            for b in range(32):
                if w >> b & 1:
                    nr = i * 32 + b
                    mask.add(Node(SYSCALL, nr, moff + 4 * i, 4, f"{names[nr]} ({nr})" if nr in names else None,
                                  label="syscall"))
    for field, off, items, texts in (
            (FIELD_IDS, foff, ids, [f"{C.RULE_FIELDS.get(f, '?')} ({f})" for f in ids]),
            (VALUES, voff, vals, [_value_text(f, v) for f, v in zip(ids, vals)]),
            (FLAGS, ffoff, ops, [_op_text(o) for o in ops])):
        elem = {FIELD_IDS: FIELD_ID, VALUES: VALUE, FLAGS: OP}[field]
        arr = rule.add(Node(field, None, off, 4 * C.AUDIT_MAX_FIELDS, None, [], label=field.name))
        for i, (v, t) in enumerate(zip(items, texts)):
            arr.add(Node(elem, v, off + 4 * i, 4, t, label=f"{field.name}[{i}]"))
        if n < C.AUDIT_MAX_FIELDS:
            arr.add(Node(UNUSED, bytes(buf[off + 4 * n:off + 4 * C.AUDIT_MAX_FIELDS]), off + 4 * n,
                         4 * (C.AUDIT_MAX_FIELDS - n), f"{C.AUDIT_MAX_FIELDS - n} entries past field_count",
                         label="unused"))
    boff = ffoff + 4 * C.AUDIT_MAX_FIELDS
    buflen = u32(buf, boff)[0]
    rule.add(Node(RULE_FIELDS["buflen"], buflen, boff, 4, label="buflen"))
    sbuf = boff + 4
    strings = rule.add(Node(BUF, None, sbuf, end - sbuf, None, [], label="buf"))
    pos = sbuf
    for f, v in zip(ids, vals):
        if f not in C.STRING_FIELDS:
            continue
        if v > end - pos:
            strings.add(malformed(buf, pos, end, f"{C.RULE_FIELDS.get(f, f)} needs {v} bytes"))
            pos = end
            break
        text = bytes(buf[pos:pos + v]).decode("utf-8", "backslashreplace")
        strings.add(Node(RULE_KEY if f == C.AUDIT_FILTERKEY else STRING_VALUE, text, pos, v, repr(text),
                         label=C.RULE_FIELDS.get(f, str(f))))
        pos += v
    if pos < end:
        strings.add(Node(EXTRA, bytes(buf[pos:end]), pos, end - pos, status=UNKNOWN if any(buf[pos:end]) else None,
                         label="Padding" if not any(buf[pos:end]) else "Bytes past buflen's strings"))


def _mask_text(words, names) -> str:
    if all(w == 0xffffffff for w in words):
        return "all syscalls"
    nrs = [i * 32 + b for i, w in enumerate(words) for b in range(32) if w >> b & 1]
    if not nrs:
        return "no syscall"
    shown = [names.get(nr, str(nr)) for nr in nrs[:16]]
    return ",".join(shown) + ("…" if len(nrs) > 16 else "")


def _op_text(o: int) -> str:
    return f"{C.OPERATOR_NAMES[o]} ({C.OPERATORS[o]})" if o in C.OPERATORS else f"{o:#x}"


def _value_text(f: int, v: int) -> str | None:
    if f == C.AUDIT_ARCH:
        return f"{arch_name(v)} ({v:#x})"
    if f in C.STRING_FIELDS:
        return f"{v} (length of the string in buf)"
    if f == C.AUDIT_EXIT and v & 0x80000000:   # a syscall's return value: signed, often -errno
        sv = v - (1 << 32)
        return f"{sv} (-{errno_name(-sv)})" if errno_name(-sv)[:1] == "E" else str(sv)
    return None


def rule_info(root) -> str:
    """The rule as `auditctl -l` prints it: `-a always,exit -F arch=b64 -S openat -F key=nlscope`."""
    rule = next((c for c in root.children or () if c.field is RULE), None)
    if rule is None:
        return ""
    kids = {c.field: c for c in rule.children}
    flags, action = kids[RULE_FIELDS["flags"]].value, kids[RULE_FIELDS["action"]].value
    listname = C.FILTER_LISTS.get(flags & 0x0f, str(flags & 0x0f))
    verb = "-d" if nlmsghdr_value(root, "type") == C.AUDIT_DEL_RULE else "-a"
    out = [f"{verb} {C.ACTIONS.get(action, action)},{listname}"]
    ids = [c.value for c in kids[FIELD_IDS].children if c.field is FIELD_ID]
    vals = [c.value for c in kids[VALUES].children if c.field is VALUE]
    ops = [c.value for c in kids[FLAGS].children if c.field is OP]
    strings = [c.value for c in kids[BUF].children if c.field in (STRING_VALUE, RULE_KEY)]
    mask = kids[MASK]
    syscalls = f"-S {mask.text}" if mask.text not in ("no syscall", "") else ""
    keys = []
    si = 0
    for f, v, o in zip(ids, vals, ops):
        name = C.AUDITCTL_NAMES.get(f, C.RULE_FIELDS.get(f, str(f)).removeprefix("AUDIT_").lower())
        op = C.OPERATORS.get(o, "?")
        if f in C.STRING_FIELDS:
            value = strings[si] if si < len(strings) else "?"
            si += 1
        elif f == C.AUDIT_ARCH:
            value = "b64" if v & C.__AUDIT_ARCH_64BIT else "b32"
        elif f == C.AUDIT_EXIT:   # a syscall's return value: signed, an errno as auditctl names it
            sv = v - (1 << 32) if v & 0x80000000 else v
            value = f"-{errno_name(-sv)}" if sv < 0 and errno_name(-sv)[:1] == "E" else str(sv)
        elif f == C.AUDIT_PERM:
            value = "".join(c for b, c in ((4, "r"), (2, "w"), (1, "x"), (8, "a")) if v & b)
        else:
            value = str(v)
        (keys if f == C.AUDIT_FILTERKEY else out).append(f"-F {name}{op}{value}")
        if f == C.AUDIT_ARCH and syscalls:
            out.append(syscalls)
            syscalls = ""
    watch = [w for w in out if w.startswith(("-F path=", "-F dir="))]
    if watch and listname == "exit" and action == 2 and len(out) <= 3:
        # a watch (auditctl -w PATH -p PERMS -k KEY): how auditctl -l shows it
        perms = next((w.removeprefix("-F perm=") for w in out if w.startswith("-F perm=")), "")
        text = f"{'-W' if verb == '-d' else '-w'} {watch[0].split('=', 1)[1]}" + (f" -p {perms}" if perms else "")
        return " ".join([text] + [k.replace("-F key=", "-k ") for k in keys])
    if syscalls and listname in ("exit", "entry", "io_uring"):
        out.append(syscalls)
    return " ".join(out + keys)


def status_info(root) -> str:
    st = next((c for c in root.children or () if c.field is STATUS), None)
    if st is None:
        return ""
    v = {c.label: c.value for c in st.children}
    if nlmsghdr_value(root, "flags") & 1:   # a request (AUDIT_SET): what its mask sets
        names = [n.lower() for b, n in C.STATUS_MASK.items() if v.get("mask", 0) & b]
        return "set " + " ".join(f"{n} {v[n]}" for n in names if n in v) if names else "set nothing"
    return " ".join(f"{n} {v[n]}" for n in _STATUS_MEMBERS[1:] if n in v)


def _text_info(root) -> str:
    node = next((c for c in root.children or () if c.field is RECORD_TEXT), None)
    if node is None:
        return ""
    t = node.value
    return t if len(t) <= 120 else t[:119] + "…"


def _signal_info(root) -> str:
    uid, pid, ctx = (root.first(f"audit.signal_info.{n}") for n in ("uid", "pid", "ctx"))
    return "" if uid is None else f"uid {uid} pid {pid}" + (f" {ctx}" if ctx else "")


def _members_info(prefix: str, field):
    """`tty enabled 1 log_passwd 0`: a small struct's members as they are."""
    def info(root) -> str:
        node = next((c for c in root.children or () if c.field is field), None)
        return " ".join([prefix] + [f"{c.label} {c.value}" for c in node.children]) if node is not None else ""
    return info


_BODIES = {C.AUDIT_GET: "status", C.AUDIT_SET: "status", C.AUDIT_ADD_RULE: "rule", C.AUDIT_DEL_RULE: "rule",
           C.AUDIT_LIST_RULES: "rule", C.AUDIT_SIGNAL_INFO: "signal", C.AUDIT_TTY_GET: "tty",
           C.AUDIT_TTY_SET: "tty", C.AUDIT_GET_FEATURE: "features", C.AUDIT_SET_FEATURE: "features",
           C.AUDIT_REPLACE: "replace", C.AUDIT_TRIM: "empty", C.AUDIT_MAKE_EQUIV: "equiv"}
# the deprecated commands (struct audit_rule, watches): the kernel refuses them (EINVAL/
# EOPNOTSUPP) and no struct of theirs is in the UAPI header any more
_OPAQUE = {C.AUDIT_LIST, C.AUDIT_ADD, C.AUDIT_DEL, C.AUDIT_WATCH_INS, C.AUDIT_WATCH_REM, C.AUDIT_WATCH_LIST}
_KINDS = {C.AUDIT_GET: GET, C.AUDIT_LIST_RULES: GET, C.AUDIT_SIGNAL_INFO: GET, C.AUDIT_TTY_GET: GET,
          C.AUDIT_GET_FEATURE: GET, C.AUDIT_SET: NEW, C.AUDIT_ADD_RULE: NEW, C.AUDIT_TTY_SET: NEW,
          C.AUDIT_SET_FEATURE: NEW, C.AUDIT_DEL_RULE: DEL}
# what a GET request says (its body is empty, or auditctl's zeroed struct: AUDIT_GET_FEATURE)
_GET_WORDS = {C.AUDIT_GET: "get status", C.AUDIT_LIST_RULES: "list rules", C.AUDIT_SIGNAL_INFO: "get signal info",
              C.AUDIT_TTY_GET: "get tty status", C.AUDIT_GET_FEATURE: "get features"}
_INFOS = {"status": status_info, "rule": rule_info, "signal": _signal_info, "text": _text_info,
          "tty": _members_info("tty", TTY), "features": _members_info("features", FEATURES),
          "replace": lambda r: f"replace auditd pid {r.first('audit.replace.pid')}", "empty": lambda r: "trim",
          "equiv": lambda r: " ≡ ".join(n.value for n in r.find_all("audit.make_equiv.path"))}


def _kind_of(mtype: int) -> str:
    if mtype in _BODIES:
        return _BODIES[mtype]
    return "opaque" if mtype in _OPAQUE else "text"


def _info_for(mtype: int, body: str):
    base = _INFOS.get(body)
    words = _GET_WORDS.get(mtype)
    if base is None or words is None:
        return base

    def info(root) -> str:
        if nlmsghdr_value(root, "flags") & 1:   # NLM_F_REQUEST: the question, not an answer
            return words
        return base(root)
    return info


class AuditProtocol(Protocol):
    number = 9
    name = "NETLINK_AUDIT"
    label = "audit"
    abbrev = "audit"
    fields_only_here = True   # no other protocol makes a field named audit.…

    def __init__(self):
        self._types: dict[int, MessageType] = {}
        # every named type made now, not on first sight: the filters know their names
        # (netlink.type == AUDIT_GET) before a capture shows them
        for mtype in (*C.MESSAGE_TYPES, *C.USER_MESSAGE_TYPES):
            self.message_type(None, 0, 0, mtype, "<", None)

    def answers_after_ack(self, mtype):
        """The GETs: kernel/audit.c answers them from a kernel thread (audit_send_reply,
        audit_list_rules_send), after audit_receive() acked the request, in a header of port
        id 0 (audit_make_reply)."""
        return _KINDS.get(mtype) == GET

    def records(self, data, order):
        """One record whose nlmsg_len is 16 short of the frame (kauditd's unicast copies)."""
        if len(data) < 2 * NLMSG_HDRLEN:
            return None
        ln, ty, fl, seq, pid = NLMSGHDR_FAST[order].unpack_from(data, 0)
        if ln + NLMSG_HDRLEN != len(data) or ty < 0x10 or _kind_of(ty) != "text":
            return None
        chain = list(split(data, order))
        if all(n >= 0 for _, n, *_ in chain) and sum((n + 3) & ~3 for _, n, *_ in chain[:-1]) + chain[-1][1] \
                == len(data):
            return None   # the frame is a whole chain of messages (a record followed by a 16-byte one)
        return [(0, len(data), ty, fl, seq, pid)]

    def message_type(self, buf, off, length, mtype, order, ctx):
        mt = self._types.get(mtype)
        if mt is None:
            if not 1000 <= mtype <= 2999:   # the audit system's blocks (<linux/audit.h>'s comment)
                return None
            name = C.MESSAGE_TYPES.get(mtype) or C.USER_MESSAGE_TYPES.get(mtype, f"audit type {mtype}")
            body = _kind_of(mtype)
            mt = MessageType(mtype, name, _KINDS.get(mtype, OTHER), info=_info_for(mtype, body))
            if len(self._types) < 4096:
                self._types[mtype] = mt
        return mt

    def claims(self, buf, off, length, mtype, order, ctx):
        return self.message_type(buf, off, length, mtype, order, ctx) is not None and mtype not in _OPAQUE

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        body, end = off + NLMSG_HDRLEN, off + length
        declared = struct.unpack_from(order + "I", buf, off)[0]
        if declared + NLMSG_HDRLEN == length and root.children:
            root.children[0].children[0].text = (f"{declared} (the record's {length} bytes: kauditd's unicast "
                                                 f"copies count no header)")
        if mt is None:
            if body < end:
                root.add(Node(EXTRA, bytes(buf[body:end]), body, end - body, status=UNKNOWN,
                              label="Payload (not an audit message type)"))
            return None
        kind = _kind_of(mt.value)
        if body >= end and kind != "text":
            return None
        if kind == "status":
            _status(buf, body, end, order, root)
        elif kind == "rule":
            _rule(buf, body, end, order, root)
        elif kind == "signal":
            _u32s(buf, body, ("uid", "pid"), {"uid": SIG_UID, "pid": SIG_PID}, order, end, root)
            if end - body > 8:
                ctx_b = bytes(buf[body + 8:end])
                text = ctx_b.split(b"\0", 1)[0].decode("utf-8", "backslashreplace")
                root.add(Node(SIG_CTX, text, body + 8, end - body - 8, repr(text), label="ctx"))
        elif kind == "tty":
            _struct(buf, body, end, TTY, "struct audit_tty_status", ("enabled", "log_passwd"), TTY_FIELDS,
                    order, root)
        elif kind == "features":
            _struct(buf, body, end, FEATURES, "struct audit_features", ("vers", "mask", "features", "lock"),
                    FEAT_FIELDS, order, root, lambda n, v: _bits(v, C.FEATURES) if n != "vers" else None)
        elif kind == "replace":
            _u32s(buf, body, ("pid",), {"pid": REPLACE_PID}, order, end, root)
        elif kind == "equiv":
            _equiv(buf, body, end, order, root)
        elif kind == "opaque":
            root.add(Node(EXTRA, bytes(buf[body:end]), body, end - body, status=UNKNOWN,
                          label=f"Payload ({mt.name}: deprecated, no longer in <linux/audit.h>)"))
        else:
            root.children.extend(record_nodes(buf, body, end))
        return None




def _equiv(buf, body, end, order, root):
    """AUDIT_MAKE_EQUIV: u32 sizes[2], then the two paths (kernel/audit.c, audit_receive_msg)."""
    if end - body < 8:
        root.add(malformed(buf, body, end, "AUDIT_MAKE_EQUIV needs two u32 sizes"))
        return
    sizes = struct.unpack_from(order + "II", buf, body)
    for i, s in enumerate(sizes):
        root.add(Node(EQUIV_LEN, s, body + 4 * i, 4, label=f"size[{i}]"))
    pos = body + 8
    for s in sizes:
        if s > end - pos:
            root.add(malformed(buf, pos, end, f"a path of {s} bytes does not fit"))
            return
        text = bytes(buf[pos:pos + s]).decode("utf-8", "backslashreplace")
        root.add(Node(EQUIV, text, pos, s, repr(text), label="path"))
        pos += s
    if pos < end:
        root.add(Node(EXTRA, bytes(buf[pos:end]), pos, end - pos, status=UNKNOWN if any(buf[pos:end]) else None,
                      label="Padding"))


register_protocol(AuditProtocol())
