"""The CAN gateway (net/can/gw.c, can-utils' cangw): RTM_*ROUTE of family AF_CAN carry a struct
rtcanmsg and CGW_* attributes, not an rtmsg; rtnetlink_rcv_msg() dispatches on the family byte
(rtnl_get_link(family, type)) to cgw_create_job / cgw_remove_job / cgw_dump_jobs.  A request as
cangw -A sends it and a dump answer as cgw_put_job() fills it."""
import struct

from dissectors import Context, decode_frame
from dissectors.generated import rtnetlink as R

from .build import msg, nla

AF_CAN = 29
ECHO, FD = 0x01, 0x08
MOD_AND, CS_XOR, CS_CRC8, HANDLED, SRC_IF, DST_IF, FILTER, LIM_HOPS, MOD_UID, FDMOD_OR = 1, 5, 6, 7, 9, 10, 11, 13, 14, 16


def rtcanmsg(flags: int) -> bytes:
    return struct.pack("<BBH", AF_CAN, 1, flags)


def frame_mod(can_id: int, dlc: int, data: bytes, modtype: int) -> bytes:
    """struct cgw_frame_mod: struct can_frame, then modtype (packed, 17 bytes)."""
    return struct.pack("<IBBBB", can_id, dlc, 0, 0, 0) + data + bytes([modtype])


def decode(mtype, flags, body):
    (m,) = decode_frame(msg(mtype, flags, body), protocol=0, ctx=Context())
    assert m.claimed and not m.malformed, m.info
    assert not [(n.name, n.status) for n in m.tree.walk() if n.status]
    return m


def test_a_cangw_add_request_with_a_filter_a_modification_and_checksums():
    crc = struct.pack("<bbbBB", 0, 6, 7, 0xFF, 0) + bytes(range(256)) + bytes([1]) + b"\xab" + bytes(19)
    body = rtcanmsg(ECHO) + nla(MOD_AND, frame_mod(0x7FF, 8, bytes.fromhex("FF00FF00FF00FF00"), 0x05)) \
        + nla(CS_XOR, struct.pack("<bbbB", 0, 3, 7, 0xAA)) + nla(CS_CRC8, crc) + nla(MOD_UID, struct.pack("<I", 0x77)) \
        + nla(LIM_HOPS, b"\x02") + nla(FILTER, struct.pack("<II", 0x123, 0xC00007FF)) \
        + nla(SRC_IF, struct.pack("<I", 5)) + nla(DST_IF, struct.pack("<I", 6))
    m = decode(R.RTM_NEWROUTE, 0x605, body)
    t = m.tree
    assert m.type_name == "RTM_NEWROUTE" and m.info == "can 5 -> 6 ECHO mod AND"
    assert t.first("rtnl.cgw.can_family") == AF_CAN and t.find("rtnl.cgw.gwtype").show == "CGW_TYPE_CAN_CAN (1)"
    assert t.find("rtnl.cgw.flags").show == "0x0001 (CGW_FLAGS_CAN_ECHO)"
    assert t.first("rtnl.cgw.mod_and.can_id") == 0x7FF and t.first("rtnl.cgw.mod_and.data") == bytes.fromhex("FF00FF00FF00FF00")
    assert t.find("rtnl.cgw.mod_and.modtype").show == "0x05 (CGW_MOD_ID, CGW_MOD_DATA)"
    assert (t.first("rtnl.cgw.cs_xor.from_idx"), t.first("rtnl.cgw.cs_xor.to_idx"),
            t.first("rtnl.cgw.cs_xor.result_idx"), t.first("rtnl.cgw.cs_xor.init_xor_val")) == (0, 3, 7, 0xAA)
    assert t.find("rtnl.cgw.cs_crc8.profile").show == "CGW_CRC8PRF_1U8 (1)"
    assert t.first("rtnl.cgw.cs_crc8.profile_data")[0] == 0xAB
    assert (t.first("rtnl.cgw.filter.can_id"), t.first("rtnl.cgw.filter.can_mask")) == (0x123, 0xC00007FF)
    assert t.first("rtnl.cgw.lim_hops") == 2 and t.first("rtnl.cgw.mod_uid") == 0x77


def test_a_dump_request_and_an_fd_job_of_the_answer():
    req = decode(R.RTM_GETROUTE, 0x301, rtcanmsg(0))
    assert req.info == "dump" and req.tree.find("rtnl.route.family") is None
    fd = struct.pack("<IBBBB", 1, 0x10, 0x01, 0, 0) + bytes(63) + b"\xff" + bytes([0x0B])
    body = rtcanmsg(ECHO | FD) + nla(HANDLED, struct.pack("<I", 3)) + nla(FDMOD_OR, fd) \
        + nla(SRC_IF, struct.pack("<I", 5)) + nla(DST_IF, struct.pack("<I", 6))
    m = decode(R.RTM_NEWROUTE, 0x2, body)
    assert m.info == "can 5 -> 6 ECHO FD mod OR handled 3"
    t = m.tree
    assert t.first("rtnl.cgw.fdmod_or.len") == 0x10
    assert t.find("rtnl.cgw.fdmod_or.flags").show == "0x01 (CANFD_BRS)"
    assert t.find("rtnl.cgw.fdmod_or.modtype").show == "0x0b (CGW_MOD_ID, CGW_MOD_LEN, CGW_MOD_FLAGS)"
    assert t.first("rtnl.cgw.fdmod_or.data")[-1] == 0xFF


def test_a_delroute_naming_no_interface_is_a_flush():
    body = rtcanmsg(0) + nla(SRC_IF, struct.pack("<I", 0)) + nla(DST_IF, struct.pack("<I", 0))
    assert decode(R.RTM_DELROUTE, 0x5, body).info == "every job (flush)"


def test_an_ip_route_is_still_an_rtmsg():
    rtmsg = struct.pack("<BBBBBBBBI", 2, 24, 0, 0, 254, 4, 0, 1, 0)
    m = decode(R.RTM_NEWROUTE, 0x605, rtmsg + nla(R.RTA_DST, bytes([10, 1, 2, 0])))
    assert m.tree.first("rtnl.route.dst") == "10.1.2.0" and m.tree.find("rtnl.cgw.can_family") is None
