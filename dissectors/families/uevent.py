"""NETLINK_KOBJECT_UEVENT (15): the kernel's device events and udev's monitor messages.

Neither carries an nlmsghdr: a datagram is one record.  The kernel's (lib/kobject_uevent.c,
kobject_uevent_env) is `ACTION@DEVPATH\\0` then the environment, `KEY=VALUE\\0` each
(ACTION, DEVPATH, SUBSYSTEM, …, SEQNUM), sent to group 1.  udevd's, to group 2
(systemd's sd-device/device-monitor.c, device_monitor_send_device), start with
struct monitor_netlink_header::

    char prefix[8];                  "libudev"
    unsigned magic;                  htobe32(0xfeedcafe)
    unsigned header_size;            40, host order
    unsigned properties_off, properties_len;
    unsigned filter_subsystem_hash;  htobe32(MurmurHash2(SUBSYSTEM, len, 0))
    unsigned filter_devtype_hash;    the same of DEVTYPE (0 when none)
    unsigned filter_tag_bloom_hi, filter_tag_bloom_lo;   string_bloom64 of each tag, ORed

followed by the properties, `KEY=VALUE\\0` each.  Every property is a `uevent.property`
node (key and value below it); the value of a well-known key is its own field
(`uevent.subsystem == "net"`), any other's `uevent.property.value`.
"""
from __future__ import annotations

import struct

from ..core.attrs import FULL, malformed
from ..core.registry import OTHER, MessageType, Protocol, register_protocol
from ..model import FIELDS, NONE, STRING, UINT, UNKNOWN, Node

UDEV_MONITOR_MAGIC = 0xfeedcafe
LIBUDEV_PREFIX = b"libudev\0"
MONITOR_HEADER_SIZE = 40
# host order but for the magic and the filter words (big-endian)
MONITOR_HEADER = {o: struct.Struct(o + "8sIIIIIIII") for o in "<>"}

HEADER_FIELD = FIELDS.add("uevent.header", "Header", STRING, "ACTION@DEVPATH: the first string of a kernel uevent")
ACTION = FIELDS.add("uevent.action", "ACTION", STRING, "the event: add, remove, change, move, online, offline, "
                                                       "bind, unbind")
DEVPATH = FIELDS.add("uevent.devpath", "DEVPATH", STRING, "the device's path under /sys")
PROPERTY = FIELDS.add("uevent.property", "Property", STRING, "one KEY=VALUE of the event's environment")
KEY = FIELDS.add("uevent.property.key", "Key", STRING, "a property's KEY")
VALUE = FIELDS.add("uevent.property.value", "Value", STRING, "the VALUE of a property with no field of its own")
# the properties the kernel and udev set that have a field of their own (kobject_uevent_env,
# the drivers' uevent callbacks, udevd's device database); numbers are decimal in the text
_KNOWN = {
    "ACTION": ACTION, "DEVPATH": DEVPATH,
    "SUBSYSTEM": FIELDS.add("uevent.subsystem", "SUBSYSTEM", STRING, "the device's subsystem (net, block, …)"),
    "SEQNUM": FIELDS.add("uevent.seqnum", "SEQNUM", UINT, "the kernel's event sequence number"),
    "DEVTYPE": FIELDS.add("uevent.devtype", "DEVTYPE", STRING, "the device type within its subsystem"),
    "DRIVER": FIELDS.add("uevent.driver", "DRIVER", STRING, "the bound driver"),
    "DEVNAME": FIELDS.add("uevent.devname", "DEVNAME", STRING, "the device node's name under /dev"),
    "MAJOR": FIELDS.add("uevent.major", "MAJOR", UINT, "the device node's major number"),
    "MINOR": FIELDS.add("uevent.minor", "MINOR", UINT, "the device node's minor number"),
    "INTERFACE": FIELDS.add("uevent.interface", "INTERFACE", STRING, "a network interface's name"),
    "IFINDEX": FIELDS.add("uevent.ifindex", "IFINDEX", UINT, "a network interface's index"),
    "MODALIAS": FIELDS.add("uevent.modalias", "MODALIAS", STRING, "the module alias that matches the device"),
    "SYNTH_UUID": FIELDS.add("uevent.synth_uuid", "SYNTH_UUID", STRING, "the UUID a synthetic uevent was "
                                                                         "written with"),
    "USEC_INITIALIZED": FIELDS.add("uevent.usec_initialized", "USEC_INITIALIZED", UINT,
                                   "udev: when the device was first seen (CLOCK_MONOTONIC, µs)"),
    "TAGS": FIELDS.add("uevent.tags", "TAGS", STRING, "udev: the device's tags (:a:b:)"),
}
LIBUDEV = FIELDS.add("uevent.libudev", "libudev monitor header", NONE, "struct monitor_netlink_header")
_LIBUDEV_MEMBERS = [
    ("prefix", STRING, 8, 'prefix: "libudev"'), ("magic", UINT, 4, "magic: 0xfeedcafe (big-endian)"),
    ("header_size", UINT, 4, "total length of the header the sender knows"),
    ("properties_off", UINT, 4, "offset of the properties"), ("properties_len", UINT, 4, "length of the properties"),
    ("filter_subsystem_hash", UINT, 4, "MurmurHash2 of SUBSYSTEM (big-endian)"),
    ("filter_devtype_hash", UINT, 4, "MurmurHash2 of DEVTYPE (big-endian; 0: none)"),
    ("filter_tag_bloom_hi", UINT, 4, "tags' bloom filter, high 32 bits (big-endian)"),
    ("filter_tag_bloom_lo", UINT, 4, "tags' bloom filter, low 32 bits (big-endian)")]
_LIBUDEV_FIELDS = {n: FIELDS.add(f"uevent.libudev.{n}", n, k, d) for n, k, _, d in _LIBUDEV_MEMBERS}


def murmur_hash2(data: bytes, seed: int = 0) -> int:
    """MurmurHash2 (32 bits, little-endian words), as systemd's string_hash32 computes it."""
    m, h = 0x5bd1e995, (seed ^ len(data)) & 0xffffffff
    n = len(data) & ~3
    for (k,) in struct.iter_unpack("<I", data[:n]):
        k = (k * m) & 0xffffffff
        k ^= k >> 24
        k = (k * m) & 0xffffffff
        h = ((h * m) & 0xffffffff) ^ k
    tail = data[n:]
    if tail:
        for i, b in enumerate(tail):
            h ^= b << (8 * i)
        h = (h * m) & 0xffffffff
    h ^= h >> 13
    h = (h * m) & 0xffffffff
    return h ^ (h >> 15)


def string_bloom64(text: bytes) -> int:
    """The 4 bits of udev's tag bloom filter one tag sets (string_bloom64)."""
    h = murmur_hash2(text)
    return (1 << (h & 63)) | (1 << ((h >> 6) & 63)) | (1 << ((h >> 12) & 63)) | (1 << ((h >> 18) & 63))


def is_libudev(buf, off: int, length: int) -> bool:
    return length >= MONITOR_HEADER_SIZE and bytes(buf[off:off + 8]) == LIBUDEV_PREFIX


def _text(b: bytes) -> str:
    return b.decode("utf-8", "backslashreplace")


def _property(buf, off: int, raw: bytes) -> Node:
    """One KEY=VALUE string (its NUL not included) as a property node."""
    key, sep, value = raw.partition(b"=")
    if not sep or not key:
        return Node(PROPERTY, _text(raw), off, len(raw), repr(_text(raw)), status=UNKNOWN,
                    label="Not a KEY=VALUE string")
    k, v = _text(key), _text(value)
    field = _KNOWN.get(k, VALUE)
    vnode_value = v
    status = None
    if field.kind == UINT:
        if value.isdigit() and len(value) <= 20:
            vnode_value = int(value)
        else:
            field, status = VALUE, UNKNOWN
    voff = off + len(key) + 1
    vnode = Node(field, vnode_value, voff, len(value), v, label="Value" if field is VALUE else k, status=status)
    return Node(PROPERTY, f"{k}={v}", off, len(raw), v, [Node(KEY, k, off, len(key)), vnode], label=k)


def _properties(buf, start: int, end: int) -> list[Node]:
    """The NUL-separated KEY=VALUE strings between start and end (empty ones skipped)."""
    data = bytes(buf[start:end])
    out = []
    pos = 0
    while pos < len(data):
        stop = data.find(b"\0", pos)
        if stop < 0:
            stop = len(data)
        if stop > pos:
            out.append(_property(buf, start + pos, data[pos:stop]))
        pos = stop + 1
    return out


def _kernel(buf, off: int, end: int, root: Node) -> None:
    first_end = bytes(buf[off:end]).find(b"\0")
    first_end = end if first_end < 0 else off + first_end
    first = bytes(buf[off:first_end])
    action, at, devpath = first.partition(b"@")
    if at and action and b"=" not in action:
        root.add(Node(HEADER_FIELD, _text(first), off, len(first), None, [
            Node(ACTION, _text(action), off, len(action)),
            Node(DEVPATH, _text(devpath), off + len(action) + 1, len(devpath))], label="ACTION@DEVPATH"))
        root.children.extend(_properties(buf, first_end + 1, end))
    else:
        # no ACTION@DEVPATH: a user program's message to the group (the kernel forwards what
        # a privileged sender writes, uevent_net_rcv) — shown as properties where it has them
        props = _properties(buf, off, end)
        if props and all(p.status is None for p in props):
            for p in props:
                root.add(p)
        else:
            root.add(Node(VALUE, _text(bytes(buf[off:end])), off, end - off, status=UNKNOWN,
                          label="Payload (neither a kernel uevent nor a libudev message)"))


def _libudev(buf, off: int, end: int, root: Node, order: str) -> None:
    vals = MONITOR_HEADER[order].unpack_from(buf, off)
    prefix, _, hsize, poff, plen = vals[:5]
    be = struct.unpack_from(">I12xIIII", buf, off + 8)
    magic, shash, dhash, bhi, blo = be
    values = {"prefix": _text(prefix.rstrip(b"\0")), "magic": magic, "header_size": hsize, "properties_off": poff,
              "properties_len": plen, "filter_subsystem_hash": shash, "filter_devtype_hash": dhash,
              "filter_tag_bloom_hi": bhi, "filter_tag_bloom_lo": blo}
    node = Node(LIBUDEV, None, off, MONITOR_HEADER_SIZE, None, [], label="libudev monitor header")
    pos = off
    for name, kind, size, _ in _LIBUDEV_MEMBERS:
        v = values[name]
        text = f"{v:#010x}" if kind == UINT and name not in ("header_size", "properties_off", "properties_len") \
            else None
        node.children.append(Node(_LIBUDEV_FIELDS[name], v, pos, size, text))
        pos += size
    node.children[1].status = None if magic == UDEV_MONITOR_MAGIC else UNKNOWN
    root.add(node)
    start, stop = off + poff, off + poff + plen
    if poff < MONITOR_HEADER_SIZE or stop > end:
        root.add(malformed(buf, off + MONITOR_HEADER_SIZE, end,
                           f"properties at {poff}+{plen} do not fit the {end - off}-byte message"))
        return
    if start > off + MONITOR_HEADER_SIZE:
        gap = off + MONITOR_HEADER_SIZE
        root.add(Node(VALUE, bytes(buf[gap:start]).hex(), gap, start - gap, status=UNKNOWN,
                      label="Header bytes this version does not know"))
    props = _properties(buf, start, stop)
    root.children.extend(props)
    # what the filter words say, checked against the properties they were made from
    by_key = {p.label: p.text for p in props if p.status is None}
    for i, name in ((5, "SUBSYSTEM"), (6, "DEVTYPE")):
        h = node.children[i]
        if name in by_key and h.value == murmur_hash2(by_key[name].encode()):
            h.text += f" (MurmurHash2 of {name} {by_key[name]!r})"
        elif h.value == 0 and name not in by_key:
            h.text += " (none)"
    if "TAGS" in by_key or "CURRENT_TAGS" in by_key:
        bloom = 0
        for tag in filter(None, (by_key.get("TAGS") or "").split(":")):
            bloom |= string_bloom64(tag.encode())
        if bloom == (bhi << 32 | blo):
            node.children[7].text += " (the tags' bloom bits)"
            node.children[8].text += " (the tags' bloom bits)"
    if stop < end:
        root.add(Node(VALUE, bytes(buf[stop:end]).hex(), stop, end - stop, status=UNKNOWN,
                      label="Bytes after the properties"))


def uevent_info(root) -> str:
    """`add /devices/virtual/net/t0 (net)`, as udevadm monitor prints it; `udev …` for udevd's."""
    action = devpath = subsystem = None
    udev = False
    for c in root.children or ():
        if c.field is LIBUDEV:
            udev = True
        elif c.field is HEADER_FIELD:
            action, devpath = c.children[0].value, c.children[1].value
        elif c.field is PROPERTY and c.children:
            k, v = c.label, c.children[1].value
            if k == "ACTION" and action is None:
                action = v
            elif k == "DEVPATH" and devpath is None:
                devpath = v
            elif k == "SUBSYSTEM" and subsystem is None:
                subsystem = v
    if action is None and devpath is None:
        return ""
    text = f"{'udev ' if udev else ''}{action or '?'} {devpath or '?'}"
    return text + (f" ({subsystem})" if subsystem else "")


class UeventProtocol(Protocol):
    number = 15
    name = "NETLINK_KOBJECT_UEVENT"
    label = "uevent"
    abbrev = "uevent"
    fields_only_here = True   # no other protocol makes a field named uevent.…
    control_types = False
    headerless = True
    _kernel_mt = MessageType(0, "uevent", OTHER, info=uevent_info)
    _udev_mt = MessageType(0, "libudev", OTHER, info=uevent_info)

    def records(self, data, order):
        return [(0, len(data), 0, 0, 0, 0)] if len(data) else []

    def message_type(self, buf, off, length, mtype, order, ctx):
        return self._udev_mt if is_libudev(buf, off, length) else self._kernel_mt

    def type_text(self, mtype, mt, ctx):
        return mt.name if mt is not None else "uevent"

    def claims(self, buf, off, length, mtype, order, ctx):
        return True

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        end = off + length
        if mt is self._udev_mt:
            root.label = "libudev monitor message"
            _libudev(buf, off, end, root, order)
        else:
            root.label = "Kernel uevent"
            _kernel(buf, off, end, root)
        return None


register_protocol(UeventProtocol())
