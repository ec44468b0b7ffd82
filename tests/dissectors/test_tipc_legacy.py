"""The legacy TIPC family (net/tipc/netlink_compat.c) from messages built as tipc-config and
tipc_nl_compat_recv() build them: tipc_genlmsghdr, big-endian TLVs, answers in a copy of the
request's header."""
import struct

import dissectors
from dissectors import Context, decode_frame
from dissectors.core.dissect import FROM_KERNEL, TO_KERNEL
from tests.dissectors.build import msg
from tests.dissectors.test_genl_tail import FID, NLM_F_ACK, NLM_F_REQUEST

dissectors.load_families()
from dissectors.families.genl import tipc_legacy as L  # noqa: E402
from dissectors.generated import tipc_config as C  # noqa: E402


def tlv(ttype: int, value: bytes) -> bytes:
    """struct tlv_desc, big-endian, its length counting the header; padded to 4 bytes."""
    n = 4 + len(value)
    return struct.pack(">HH", n, ttype) + value + bytes(-n % 4)


def be32(v: int) -> bytes:
    return struct.pack(">I", v)


def tipc(cmd: int, tlvs: bytes = b"", flags: int = NLM_F_REQUEST, seq: int = 7, pid: int = 4242, dest: int = 0):
    """genlmsghdr (TIPC_GENL_CMD, version 1), tipc_genlmsghdr (host order), the TLVs."""
    body = bytes([C.TIPC_GENL_CMD, C.TIPC_GENL_VERSION, 0, 0]) + struct.pack("<IHH", dest, cmd, 0) + tlvs
    m = decode_frame(msg(FID, flags, body, seq=seq, pid=pid), protocol=16, ctx=Context({FID: "TIPC"}))[0]
    bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
    assert not bad and not m.malformed and m.claimed, bad
    return m


def test_a_query_and_its_answer_in_the_requests_own_header():
    req = tipc(C.TIPC_CMD_GET_LINKS, tlv(C.TIPC_TLV_NET_ADDR, be32(0)))
    link = be32(0x01001001) + be32(1) + b"1.1.1:tl0-1.1.2:tl0".ljust(68, b"\0")
    rep = tipc(C.TIPC_CMD_GET_LINKS, tlv(C.TIPC_TLV_LINK_INFO, link))   # NLM_F_REQUEST kept, as the kernel copies it
    assert (req.direction, rep.direction) == (TO_KERNEL, FROM_KERNEL)
    assert req.type_name == rep.type_name == "TIPC_CMD_GET_LINKS" and req.family == "TIPC (legacy)"
    assert req.info == "GET_LINKS <0.0.0>"
    assert rep.info == "GET_LINKS 1.1.1:tl0-1.1.2:tl0 up"
    assert rep.tree.first("tipc_legacy.link_info.dest") == 0x01001001
    assert rep.tree.find("tipc_legacy.link_info.dest").show == "0x01001001 <1.1.1>"
    assert req.tree.first("tipc_legacy.hdr.cmd") == C.TIPC_CMD_GET_LINKS


def test_names_numbers_and_structs_are_big_endian():
    rep = tipc(C.TIPC_CMD_GET_BEARER_NAMES, tlv(C.TIPC_TLV_BEARER_NAME, b"eth:tl0\0") + tlv(C.TIPC_TLV_BEARER_NAME,
                                                                                           b"udp:u1\0"))
    assert rep.direction == FROM_KERNEL and rep.info == "GET_BEARER_NAMES eth:tl0 udp:u1"
    assert tipc(C.TIPC_CMD_GET_NETID, tlv(C.TIPC_TLV_UNSIGNED, be32(4711))).info == "GET_NETID 4711"
    nodes = tipc(C.TIPC_CMD_GET_NODES, tlv(C.TIPC_TLV_NODE_INFO, be32(0x01001002) + be32(1)))
    assert nodes.direction == FROM_KERNEL and nodes.info == "GET_NODES <1.1.2> up"
    enable = tipc(C.TIPC_CMD_ENABLE_BEARER, tlv(C.TIPC_TLV_BEARER_CONFIG, be32(10) + be32(0) + b"eth:tl0\0"))
    assert enable.direction == TO_KERNEL and enable.tree.first("tipc_legacy.bearer_config.name") == "eth:tl0"
    assert enable.tree.first("tipc_legacy.bearer_config.priority") == 10
    q = tipc(C.TIPC_CMD_SHOW_NAME_TABLE, tlv(C.TIPC_TLV_NAME_TBL_QUERY, be32(C.TIPC_NTQ_ALLTYPES | 4) + bytes(12)))
    assert q.direction == TO_KERNEL and q.tree.find("tipc_legacy.name_tbl_query.depth").show == "4 (all types)"
    text = tipc(C.TIPC_CMD_SHOW_NAME_TABLE, tlv(C.TIPC_TLV_ULTRA_STRING, b"Type Lower Upper\n0 1 1\n\0"))
    assert text.direction == FROM_KERNEL and text.info == "SHOW_NAME_TABLE 2 lines"


def test_an_error_string_and_an_empty_answer_to_a_command_that_takes_a_tlv_are_the_kernels():
    err = tipc(C.TIPC_CMD_SET_NODE_ADDR, tlv(C.TIPC_TLV_ERROR_STRING, b"\x84 unsupported command\0"))
    assert err.direction == FROM_KERNEL and err.info == "SET_NODE_ADDR error TIPC_CFG_NOT_SUPPORTED 'unsupported command'"
    assert tipc(C.TIPC_CMD_SET_NETID, tlv(C.TIPC_TLV_UNSIGNED, be32(4711))).direction == TO_KERNEL
    assert tipc(C.TIPC_CMD_SET_NETID).direction == FROM_KERNEL   # its answer: no TLV
    # a command that takes nothing and got nothing back: the two cannot be told apart
    assert tipc(C.TIPC_CMD_NOOP, flags=NLM_F_REQUEST | NLM_F_ACK).direction == TO_KERNEL


def test_a_bad_tlv_is_malformed_as_the_kernel_refuses_it_and_nothing_raises():
    body = bytes([1, 1, 0, 0]) + struct.pack("<IHH", 0, C.TIPC_CMD_GET_LINKS, 0) + struct.pack(">HH", 40, 17) + be32(0)
    m = decode_frame(msg(FID, NLM_F_REQUEST, body), protocol=16, ctx=Context({FID: "TIPC"}))[0]
    assert [n.status for n in m.tree.walk() if n.status] == ["malformed"]
    short = decode_frame(msg(FID, NLM_F_REQUEST, bytes([1, 1, 0, 0, 9])), protocol=16, ctx=Context({FID: "TIPC"}))[0]
    assert any(n.status == "malformed" for n in short.tree.walk()) and short.direction == TO_KERNEL
    for cut in range(0, 40):
        data = msg(FID, NLM_F_REQUEST, (bytes([1, 1, 0, 0]) + struct.pack("<IHH", 0, 5, 0) + tlv(25, bytes(16)))[:cut])
        for m in decode_frame(data, protocol=16, ctx=Context({FID: "TIPC"})):
            m.tree, m.info, m.direction, m.type_name   # noqa: B018 (each is a decode; none may raise)


def test_every_command_is_named_from_the_header():
    assert L.CMD_NAMES[C.TIPC_CMD_GET_BEARER_NAMES] == "TIPC_CMD_GET_BEARER_NAMES"
    assert all(name.startswith("TIPC_CMD_") for name in L.CMD_NAMES.values()) and len(L.CMD_NAMES) >= 35
    assert set(L.TAKES) | set(L.GIVES) <= set(L.CMD_NAMES)
