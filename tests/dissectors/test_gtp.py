"""gtp (drivers/net/gtp.c) from messages built as gtp_genl_fill_info() and libgtpnl build them."""
import socket
import struct

import dissectors
from dissectors import Context, decode_frame
from tests.dissectors.build import msg, nla
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import FID, NLM_F_MULTI, decode, u16, u32, u64

dissectors.load_families()
from dissectors.families.genl import gtp as G  # noqa: E402

H = G.H


def v4(t, a): return nla(t, socket.inet_aton(a))   # noqa: E704


def test_every_command_and_attribute_is_named():
    assert every_command_named("gtp") == 4


def test_v1_and_v0_contexts():
    body = u32(H.GTPA_LINK, 7) + u32(H.GTPA_VERSION, 1) + u32(H.GTPA_I_TEI, 200) + u32(H.GTPA_O_TEI, 100) \
        + v4(H.GTPA_PEER_ADDRESS, "10.41.0.2") + v4(H.GTPA_MS_ADDRESS, "10.42.0.2")
    m = decode("gtp", H.GTP_CMD_NEWPDP, body)
    assert m.info == "link 7 version 1 tei 200/100 ms_addr 10.42.0.2 sgsn_addr 10.41.0.2"
    assert m.tree.find("gtp.version").show == "GTP_V1 (1)"
    body = u32(H.GTPA_LINK, 7) + u32(H.GTPA_VERSION, 0) + u64(H.GTPA_TID, 1) + u16(H.GTPA_FLOW, 7) \
        + nla(H.GTPA_PEER_ADDR6, socket.inet_pton(socket.AF_INET6, "2001:db8::2")) + nla(H.GTPA_FAMILY, b"\x0a")
    m = decode("gtp", H.GTP_CMD_DELPDP, body)
    assert m.info == "link 7 version 0 tid 0x1 flow 7 sgsn_addr 2001:db8::2"
    assert m.tree.find("gtp.family").show == "AF_INET6 (10)"


def test_an_answer_carries_the_family_id_as_its_command():
    """gtp_genl_get_pdp()/gtp_genl_dump_pdp() pass nlmsg_type as the command: the answer of a
    family at id 0x40 says cmd 0x40, and is the GETPDP answer; a request of that cmd is not."""
    body = u32(H.GTPA_LINK, 7) + u32(H.GTPA_VERSION, 1) + u32(H.GTPA_I_TEI, 200) + u32(H.GTPA_O_TEI, 100)
    m = decode("gtp", FID, body, flags=NLM_F_MULTI)
    assert m.type_name == "GTP_CMD_GETPDP" and m.info == "link 7 version 1 tei 200/100"
    frame = msg(FID, 1, bytes([FID, 1, 0, 0]) + body)
    assert decode_frame(frame, protocol=16, ctx=Context({FID: "gtp"}))[0].type_name == f"cmd {FID}"


def test_an_address_of_two_bytes_is_shown_raw():
    frame = msg(FID, 1, bytes([0, 1, 0, 0]) + nla(H.GTPA_MS_ADDRESS, b"\x0a\x2a"))
    m = decode_frame(frame, protocol=16, ctx=Context({FID: "gtp"}))[0]
    assert m.tree.find("gtp.ms_address").value == b"\x0a\x2a"
