"""Audit text: user messages and the kernel's records, split into key=value fields.

The kernel starts a record with `audit(%llu.%03lu:%u): ` (kernel/audit.c, audit_log_start:
seconds, milliseconds, serial) and writes `key=value` pairs separated by spaces, a value
quoted ("…"), hex-encoded (audit_log_n_untrustedstring) or bare; a user message
(AUDIT_USER_*) relayed by the kernel carries `msg='…'`, itself key=value pairs.  Each pair
is an `audit.record.field` node (key and value below it); a well-known key's value is its
own field (`audit.record.syscall == 257`), any other's `audit.record.field.value`.
"""
from __future__ import annotations

import re

from ...model import FIELDS, INT, STRING, UINT, Node

RECORD_TEXT = FIELDS.add("audit.record.text", "Text", STRING, "an audit record or user message, as text")
STAMP = FIELDS.add("audit.record.time", "time", STRING, "the record's time stamp (seconds.milliseconds)")
SERIAL = FIELDS.add("audit.record.serial", "serial", UINT, "the event's serial number (records of one event "
                                                           "share it)")
PAIR = FIELDS.add("audit.record.field", "field", STRING, "one key=value of a record")
KEY = FIELDS.add("audit.record.field.key", "key", STRING, "a record field's key")
VALUE = FIELDS.add("audit.record.field.value", "value", STRING, "a record field's value (with no field of its own)")
_NUMERIC = {"pid": UINT, "ppid": UINT, "uid": UINT, "auid": UINT, "euid": UINT, "gid": UINT, "ses": UINT,
            "syscall": UINT, "items": UINT, "exit": INT, "argc": UINT, "inode": UINT}
_STRINGS = ("success", "comm", "exe", "key", "op", "res", "msg", "subj", "name", "cwd", "arch", "type", "audit_enabled",
            "tty", "terminal", "hostname", "addr", "proctitle")
KNOWN = {k: FIELDS.add(f"audit.record.{k}", k, kind, f"a record's {k}=") for k, kind in _NUMERIC.items()}
KNOWN.update({k: FIELDS.add(f"audit.record.{k}", k, STRING, f"a record's {k}=") for k in _STRINGS})
_PREFIX = re.compile(rb"audit\((\d+\.\d+):(\d+)\): ?")
_PAIR = re.compile(rb"([A-Za-z0-9_-]+)=(\"[^\"]*\"|'[^']*'|\S*)")
MAX_PAIRS = 1024   # a record holds at most AUDIT_MESSAGE_TEXT_MAX (8560) bytes; a hostile one no more pairs


def _text(b: bytes) -> str:
    return b.decode("utf-8", "backslashreplace")


def _pairs(data: bytes, base: int, depth: int = 0) -> list[Node]:
    out = []
    for m in _PAIR.finditer(data):
        if len(out) >= MAX_PAIRS:
            break
        k, raw = m.group(1), m.group(2)
        key, value = _text(k), _text(raw)
        inner = raw[1:-1] if len(raw) >= 2 and raw[:1] in (b'"', b"'") and raw[-1:] == raw[:1] else None
        vtext = _text(inner) if inner is not None else value
        field = KNOWN.get(key, VALUE)
        v = vtext
        if field.kind in (UINT, INT):
            try:
                v = int(vtext, 10)
                if field.kind == UINT and v < 0:
                    raise ValueError
            except ValueError:
                field, v = VALUE, vtext
        voff = base + m.start(2)
        vnode = Node(field, v, voff, len(raw), vtext, label=key if field is not VALUE else "value")
        kids = [Node(KEY, key, base + m.start(1), len(k)), vnode]
        if inner is not None and raw[:1] == b"'" and depth == 0 and b"=" in inner:
            vnode.children = _pairs(inner, voff + 1, depth + 1)   # msg='op=… res=success'
        out.append(Node(PAIR, f"{key}={vtext}", base + m.start(), m.end() - m.start(), vtext, kids, label=key))
    return out


def record_nodes(buf, body: int, end: int) -> list[Node]:
    """The text node of a record (NULs after it are padding), with its fields below it."""
    raw = bytes(buf[body:end])
    text_b = raw.split(b"\0", 1)[0]
    if not text_b and body >= end:
        return []
    node = Node(RECORD_TEXT, _text(text_b), body, end - body, repr(_text(text_b)), [], label="Text")
    pos = 0
    m = _PREFIX.match(text_b)
    if m:
        node.children.append(Node(STAMP, _text(m.group(1)), body + m.start(1), len(m.group(1))))
        node.children.append(Node(SERIAL, int(m.group(2)), body + m.start(2), len(m.group(2))))
        pos = m.end()
    node.children.extend(_pairs(text_b[pos:], body + pos))
    return [node]
