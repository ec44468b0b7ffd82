"""The CAN gateway (net/can/gw.c, `cangw` of can-utils): RTM_NEWROUTE / DELROUTE / GETROUTE
whose body is a struct rtcanmsg of family AF_CAN, not an rtmsg, and CGW_* attributes.

cgw_create_job() and cgw_remove_job() read the request with nlmsg_parse_deprecated(nlh,
sizeof(struct rtcanmsg), …, cgw_policy) (cgw_parse_attr); cgw_dump_jobs() answers a dump with one
RTM_NEWROUTE per job, filled by cgw_put_job().  The constants and structs are those of
<linux/can/gw.h> and <linux/can.h> (tools/gen_uapi.py's can_gw and can).
"""
from __future__ import annotations

from construct import Bytes, Int8sl, Int8ul, Int16ul, Int32ul

from ...core.attrs import AttrSet, a
from ...core.header import nlmsghdr_value
from ...core.info import info
from ...core.schema import FixedStruct, enum_show, flags_show, member, names_from, pad, raw
from ...generated import can as CAN, can_gw as G, rtnetlink as R
from .common import AF_NUMBERS, show_af
from .protocol import add_family_types, is_dump_request, top

AF_CAN = AF_NUMBERS["AF_CAN"]


def _named(module, *names: str) -> dict[int, str]:
    """value -> NAME for the constants listed (where a prefix is shared, as CGW_MOD_ is by the
    attribute numbers and the modtype bits, the header's names are listed, not matched)."""
    return {getattr(module, n): n for n in names}


# enum of the rtcanmsg gwtype
CGW_TYPE_NAMES = names_from(G, "CGW_TYPE_", "CGW_TYPE_UNSPEC")
# rtcanmsg flags
CGW_FLAGS = names_from(G, "CGW_FLAGS_CAN_")
# modtype of struct cgw_frame_mod / cgw_fdframe_mod: the frame elements the modification touches
# (CGW_MOD_LEN is CGW_MOD_DLC's value for CAN FD frames)
CGW_MOD_ELEMENTS = _named(G, "CGW_MOD_ID", "CGW_MOD_DLC", "CGW_MOD_DATA", "CGW_MOD_FLAGS")
CGW_FD_MOD_ELEMENTS = {**CGW_MOD_ELEMENTS, **_named(G, "CGW_MOD_LEN")}
CGW_CRC8PRF_NAMES = names_from(G, "CGW_CRC8PRF_", "CGW_CRC8PRF_UNSPEC", exclude=("MAX",))
# canid_t's flag bits (<linux/can.h>); in a struct can_filter's can_id, CAN_INV_FILTER (the
# value of CAN_ERR_FLAG) inverts the match
CAN_ID_FLAGS = _named(CAN, "CAN_EFF_FLAG", "CAN_RTR_FLAG", "CAN_ERR_FLAG")
CAN_FILTER_FLAGS = _named(CAN, "CAN_EFF_FLAG", "CAN_RTR_FLAG", "CAN_INV_FILTER")
CANFD_FLAGS = names_from(CAN, "CANFD_", exclude=("DLC", "DLEN"))
# the attribute numbers (the enum after CGW_UNSPEC)
CGW = {name: getattr(G, name) for name in G.ENUMS["CGW_UNSPEC"] if not name.startswith("__")}
CAN_EFF_MASK = CAN.CAN_EFF_MASK   # the identifier bits of a canid_t (29; 11 in a standard frame)


def _can_id(names: dict):
    """A canid_t: its identifier bits, then the flags above them (not "unknown bits")."""
    def show(v: int) -> str:
        words = [f"id {v & CAN_EFF_MASK:#x}"] + [n for b, n in names.items() if v & b]
        return f"{v:#010x} ({', '.join(words)})"
    return show


def _hex8(v: int) -> str:
    return f"{v:#04x}"


def _data(b: bytes) -> str:
    return b.hex().upper()


# struct rtcanmsg { __u8 can_family; __u8 gwtype; __u16 flags; }
RTCANMSG = FixedStruct("rtcanmsg", "rtnl.cgw", [
    member("can_family", Int8ul, show_af), member("gwtype", Int8ul, enum_show(CGW_TYPE_NAMES)),
    member("flags", Int16ul, flags_show(CGW_FLAGS, 4), flags=CGW_FLAGS)], label="CAN gateway message (rtcanmsg)")


def _frame_mod(prefix: str, what: str) -> FixedStruct:
    """struct cgw_frame_mod { struct can_frame cf; __u8 modtype; } __attribute__((packed)), with
    struct can_frame { canid_t can_id; __u8 len; __u8 __pad; __u8 __res0; __u8 len8_dlc;
    __u8 data[8]; }: the operand of one modification (17 bytes, CGW_MODATTR_LEN)."""
    return FixedStruct("cgw_frame_mod", prefix, [
        member("can_id", Int32ul, _can_id(CAN_ID_FLAGS)), member("len", Int8ul),
        pad(2), member("len8_dlc", Int8ul), raw("data", 8, _data),
        member("modtype", Int8ul, flags_show(CGW_MOD_ELEMENTS, 2), flags=CGW_MOD_ELEMENTS)], label=what)


def _fdframe_mod(prefix: str, what: str) -> FixedStruct:
    """struct cgw_fdframe_mod { struct canfd_frame cf; __u8 modtype; } (packed), with struct
    canfd_frame { canid_t can_id; __u8 len; __u8 flags; __u8 __res0; __u8 __res1; __u8 data[64]; }
    (73 bytes, CGW_FDMODATTR_LEN)."""
    return FixedStruct("cgw_fdframe_mod", prefix, [
        member("can_id", Int32ul, _can_id(CAN_ID_FLAGS)), member("len", Int8ul),
        member("flags", Int8ul, flags_show(CANFD_FLAGS, 2), flags=CANFD_FLAGS), pad(2),
        raw("data", 64, _data),
        member("modtype", Int8ul, flags_show(CGW_FD_MOD_ELEMENTS, 2), flags=CGW_FD_MOD_ELEMENTS)], label=what)


# struct cgw_csum_xor { __s8 from_idx, to_idx, result_idx; __u8 init_xor_val; } (packed)
CSUM_XOR = FixedStruct("cgw_csum_xor", "rtnl.cgw.cs_xor", [
    member("from_idx", Int8sl), member("to_idx", Int8sl), member("result_idx", Int8sl),
    member("init_xor_val", Int8ul, _hex8)], label="XOR checksum (cgw_csum_xor)")
# struct cgw_csum_crc8 { __s8 from_idx, to_idx, result_idx; __u8 init_crc_val, final_xor_val;
#                        __u8 crctab[256]; __u8 profile; __u8 profile_data[20]; } (packed)
CSUM_CRC8 = FixedStruct("cgw_csum_crc8", "rtnl.cgw.cs_crc8", [
    member("from_idx", Int8sl), member("to_idx", Int8sl), member("result_idx", Int8sl),
    member("init_crc_val", Int8ul, _hex8), member("final_xor_val", Int8ul, _hex8),
    member("crctab", Bytes(256), _data), member("profile", Int8ul, enum_show(CGW_CRC8PRF_NAMES)),
    member("profile_data", Bytes(20), _data)], label="CRC8 checksum (cgw_csum_crc8)")
# struct can_filter { canid_t can_id; canid_t can_mask; }
CAN_FILTER = FixedStruct("can_filter", "rtnl.cgw.filter", [
    member("can_id", Int32ul, _can_id(CAN_FILTER_FLAGS)),
    member("can_mask", Int32ul, _can_id(CAN_ID_FLAGS))], label="can_filter")

_OPS = ("AND", "OR", "XOR", "SET")
CGW_ATTRS = AttrSet("cgw", "rtnl.cgw", {
    **{f"CGW_MOD_{op}": a("struct", struct=_frame_mod(f"rtnl.cgw.mod_{op.lower()}", f"CAN frame {op}"))
       for op in _OPS},
    "CGW_CS_XOR": a("struct", struct=CSUM_XOR),
    "CGW_CS_CRC8": a("struct", struct=CSUM_CRC8),
    "CGW_HANDLED": a("u32"),
    "CGW_DROPPED": a("u32"),
    "CGW_SRC_IF": a("u32"),
    "CGW_DST_IF": a("u32"),
    "CGW_FILTER": a("struct", struct=CAN_FILTER),
    "CGW_DELETED": a("u32"),
    "CGW_LIM_HOPS": a("u8"),
    "CGW_MOD_UID": a("u32", show=lambda v: f"{v:#x}"),
    **{f"CGW_FDMOD_{op}": a("struct", struct=_fdframe_mod(f"rtnl.cgw.fdmod_{op.lower()}", f"CAN FD frame {op}"))
       for op in _OPS},
}, CGW, strip="CGW_", label="CAN gateway")


@info(("rtnl.cgw.src_if", "rtnl.cgw.dst_if", "rtnl.cgw.flags", "rtnl.cgw.handled", "rtnl.cgw.dropped",
       "rtnl.cgw.deleted", *(f"rtnl.cgw.{k}_{op.lower()}" for k in ("mod", "fdmod") for op in _OPS)))
def cgw_info(root) -> str:
    """`can 5 -> 6 ECHO handled 2`, as `cangw -L` lists a rule."""
    src, dst = top(root, "rtnl.cgw.src_if"), top(root, "rtnl.cgw.dst_if")
    if is_dump_request(root):
        return "dump"
    if not src and not dst:
        # cgw_remove_job(): a RTM_DELROUTE naming neither interface removes every job
        flush = nlmsghdr_value(root, "type") == R.RTM_DELROUTE
        return "every job (flush)" if flush else "no interfaces"
    parts = [f"can {src} -> {dst}"]
    flags = top(root, "rtnl.cgw.flags") or 0
    parts += [n.removeprefix("CGW_FLAGS_CAN_") for b, n in CGW_FLAGS.items() if flags & b]
    mods = [op for op in _OPS if top(root, f"rtnl.cgw.mod_{op.lower()}", False) is not False
            or top(root, f"rtnl.cgw.fdmod_{op.lower()}", False) is not False]
    if mods:
        parts.append("mod " + ",".join(mods))
    for k in ("handled", "dropped", "deleted"):
        v = top(root, f"rtnl.cgw.{k}")
        if v is not None:
            parts.append(f"{k} {v}")
    return " ".join(parts)


add_family_types(["RTM_NEWROUTE", "RTM_DELROUTE", "RTM_GETROUTE"], AF_CAN, RTCANMSG, CGW_ATTRS, cgw_info)
