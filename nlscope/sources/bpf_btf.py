"""Field offsets of kernel structs read from BTF (/sys/kernel/btf/vmlinux), for the BPF source.

The BPF source reads a few fields of structs that are private to the kernel (struct
netlink_sock lives in net/netlink/af_netlink.h) or that change between kernels (struct sock,
struct sk_buff): their offsets come from the running kernel's own type information, so no
kernel header is compiled for them and one program text serves every kernel.

The format (Documentation/bpf/btf.rst, include/uapi/linux/btf.h): a header (magic 0xeB9F,
version, flags, hdr_len, then the offset and length of the type and string sections), then
`struct btf_type` records numbered from 1 (name_off, info: vlen in bits 0-15, kind in bits
24-28, kind_flag in bit 31; size or type), each followed by data whose size its kind
fixes.  A struct's members are (name_off, type, offset); the offset is in bits, and with
kind_flag set its low 24 bits are the offset and the high 8 a bitfield's size.
"""
from __future__ import annotations

import struct

BTF_MAGIC = 0xEB9F
BTF_PATH = "/sys/kernel/btf/vmlinux"
(KIND_INT, KIND_PTR, KIND_ARRAY, KIND_STRUCT, KIND_UNION, KIND_ENUM, KIND_FWD, KIND_TYPEDEF, KIND_VOLATILE,
 KIND_CONST, KIND_RESTRICT, KIND_FUNC, KIND_FUNC_PROTO, KIND_VAR, KIND_DATASEC, KIND_FLOAT, KIND_DECL_TAG,
 KIND_TYPE_TAG, KIND_ENUM64) = range(1, 20)
# bytes after the 12-byte btf_type: fixed, or per vlen entry
_EXTRA_FIXED = {KIND_INT: 4, KIND_ARRAY: 12, KIND_VAR: 4, KIND_DECL_TAG: 4}
_EXTRA_PER = {KIND_STRUCT: 12, KIND_UNION: 12, KIND_ENUM: 8, KIND_FUNC_PROTO: 8, KIND_DATASEC: 12, KIND_ENUM64: 12}
_QUALIFIERS = (KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG)
MAX_DEPTH = 8   # anonymous structs and unions nest this deep at most (sk_buff: 3)


class BTFError(Exception):
    """The type information cannot be read, or lacks a struct or field asked for (one line)."""


class BTF:
    """The types of one BTF blob, indexed enough to find a struct's members by name."""

    def __init__(self, blob: bytes):
        if len(blob) < 24:
            raise BTFError("BTF too short for its header")
        magic, _version, _flags, hdr_len = struct.unpack_from("<HBBI", blob, 0)
        if magic != BTF_MAGIC:
            raise BTFError(f"not BTF (magic {magic:#06x})")
        type_off, type_len, str_off, str_len = struct.unpack_from("<IIII", blob, 8)
        self.types_at = hdr_len + type_off
        self.strings_at = hdr_len + str_off
        if self.types_at + type_len > len(blob) or self.strings_at + str_len > len(blob):
            raise BTFError("BTF sections run past its end")
        self.blob = blob
        self.strings_end = self.strings_at + str_len
        self.offsets = [0]       # the byte offset of each type id's record (id 0 is void)
        pos, end = self.types_at, self.types_at + type_len
        unpack = struct.Struct("<III").unpack_from
        while pos + 12 <= end:
            self.offsets.append(pos)
            _name, info, _size = unpack(blob, pos)
            kind, vlen = info >> 24 & 0x1F, info & 0xFFFF
            pos += 12 + _EXTRA_FIXED.get(kind, 0) + _EXTRA_PER.get(kind, 0) * vlen
        if pos != end:
            raise BTFError("BTF type section does not end on a type")

    def name(self, off: int) -> str:
        start = self.strings_at + off
        if not self.strings_at <= start < self.strings_end:
            return ""
        stop = self.blob.find(b"\0", start, self.strings_end)
        return self.blob[start:stop if stop >= 0 else self.strings_end].decode("ascii", "replace")

    def record(self, tid: int) -> tuple[int, int, int, int, int]:
        """(kind, kind_flag, vlen, name_off, size or type) of a type id."""
        if not 0 < tid < len(self.offsets):
            raise BTFError(f"BTF type id {tid} out of range")
        name, info, size = struct.unpack_from("<III", self.blob, self.offsets[tid])
        return info >> 24 & 0x1F, info >> 31, info & 0xFFFF, name, size

    def struct_id(self, name: str) -> int:
        """The id of the (complete) struct called `name`."""
        want = name.encode()
        unpack = struct.Struct("<III").unpack_from
        for tid in range(1, len(self.offsets)):
            name_off, info, _size = unpack(self.blob, self.offsets[tid])
            if info >> 24 & 0x1F == KIND_STRUCT and name_off and self._name_is(name_off, want):
                return tid
        raise BTFError(f"no struct {name} in the kernel's BTF")

    def _name_is(self, off: int, want: bytes) -> bool:
        start = self.strings_at + off
        return self.blob[start:start + len(want) + 1] == want + b"\0"

    def members(self, tid: int):
        """(name, type id, bit offset, bitfield size) of a struct or union's members."""
        kind, kflag, vlen, _name, _size = self.record(tid)
        if kind not in (KIND_STRUCT, KIND_UNION):
            raise BTFError(f"BTF type {tid} is not a struct or union")
        pos = self.offsets[tid] + 12
        for i in range(vlen):
            name_off, mtype, offset = struct.unpack_from("<III", self.blob, pos + 12 * i)
            bits = offset >> 24 if kflag else 0
            yield self.name(name_off), mtype, (offset & 0xFFFFFF) if kflag else offset, bits

    def resolve(self, tid: int) -> int:
        """The type behind typedefs and qualifiers."""
        for _ in range(32):
            kind, _kf, _vlen, _name, ref = self.record(tid)
            if kind not in _QUALIFIERS:
                return tid
            tid = ref
        raise BTFError("BTF typedef chain too long")

    def size(self, tid: int) -> int:
        tid = self.resolve(tid)
        kind, _kf, _vlen, _name, size = self.record(tid)
        if kind == KIND_PTR:
            return 8
        if kind == KIND_ARRAY:
            elem, _index, count = struct.unpack_from("<III", self.blob, self.offsets[tid] + 12)
            return self.size(elem) * count
        return size

    def member(self, struct_name: str, field: str) -> tuple[int, int]:
        """(byte offset, byte size) of `field` in struct `struct_name`, looking into its
        anonymous structs and unions; BTFError for a bitfield or a field not there."""
        found = self._find(self.struct_id(struct_name), field, 0, 0)
        if found is None:
            raise BTFError(f"struct {struct_name} has no field {field} in the kernel's BTF")
        bit_offset, bits, tid = found
        if bits or bit_offset % 8:
            raise BTFError(f"{struct_name}.{field} is a bitfield in this kernel")
        return bit_offset // 8, self.size(tid)

    def _find(self, tid: int, field: str, base: int, depth: int):
        if depth > MAX_DEPTH:
            return None
        anonymous = []
        for name, mtype, offset, bits in self.members(tid):
            if name == field:
                return base + offset, bits, mtype
            if not name:
                inner = self.resolve(mtype)
                if self.record(inner)[0] in (KIND_STRUCT, KIND_UNION):
                    anonymous.append((inner, base + offset))
        for inner, at in anonymous:
            found = self._find(inner, field, at, depth + 1)
            if found is not None:
                return found
        return None


def load(path: str = BTF_PATH) -> BTF:
    try:
        with open(path, "rb") as f:
            return BTF(f.read())
    except OSError as exc:
        raise BTFError(f"cannot read {path} ({exc.strerror or exc}): the kernel needs CONFIG_DEBUG_INFO_BTF") from None


# the fields the BPF program reads: (macro it is compiled with, struct, field, size it must have)
FIELDS = (
    ("OFF_SKB_LEN", "sk_buff", "len", 4),
    ("OFF_SKB_DATA_LEN", "sk_buff", "data_len", 4),
    ("OFF_SKB_DATA", "sk_buff", "data", 8),
    ("OFF_SKB_CB", "sk_buff", "cb", 48),
    ("OFF_SK_PROTOCOL", "sock", "sk_protocol", 2),
    ("OFF_NLK_PORTID", "netlink_sock", "portid", 4),
    ("OFF_NLK_SK", "netlink_sock", "sk", None),
    ("OFF_CB_PORTID", "netlink_skb_parms", "portid", 4),
    ("OFF_CB_DST_GROUP", "netlink_skb_parms", "dst_group", 4),
)


def netlink_offsets(btf: BTF) -> dict[str, int]:
    """The offsets the BPF program is compiled with; BTFError if one is missing or not as
    the program reads it (a field of another size, netlink_sock not starting with its sock)."""
    out = {}
    for macro, struct_name, field, size in FIELDS:
        offset, have = btf.member(struct_name, field)
        if size is not None and have != size:
            raise BTFError(f"{struct_name}.{field} is {have} bytes in this kernel, not {size}")
        out[macro] = offset
    if out["OFF_NLK_SK"] != 0:
        raise BTFError("struct netlink_sock does not start with its struct sock in this kernel")
    _cb, cb_size = btf.member("sk_buff", "cb")
    if out["OFF_CB_DST_GROUP"] + 4 > cb_size:
        raise BTFError("struct netlink_skb_parms does not fit in sk_buff.cb in this kernel")
    return out
