"""NLMSG_ERROR, ACK and NLMSG_DONE with extended ACK, built byte by byte."""
import struct

import dissectors
from dissectors.generated import if_bridge as BR, if_link as L, netlink as H, rtnetlink as R

from .build import msg, nla

IFINFO = struct.pack("<BxHiII", 0, 0, 7, 0, 0)


def _request(seq=17):
    return msg(R.RTM_NEWLINK, 0x5, IFINFO + nla(L.IFLA_IFNAME, b"d0\0") + nla(L.IFLA_MTU, struct.pack("<I", 70000)),
               seq=seq)


def _error(code, request, flags, tlvs=b""):
    body = struct.pack("<i", code) + (request[:16] if flags & H.NLM_F_CAPPED else request) + tlvs
    return msg(H.NLMSG_ERROR, flags, body, seq=17, pid=99)


def test_ack_is_capped_and_named():
    (m,) = dissectors.decode_frame(_error(0, _request(), H.NLM_F_CAPPED), 0)
    assert m.type_name == "NLMSG_ERROR" and m.flag_names == ["CAPPED"]
    assert m.error["code"] == 0 and m.error["request_type"] == "RTM_NEWLINK"
    assert m.info == "ACK for RTM_NEWLINK seq 17"
    echo = m.tree.find("netlink.echo")
    assert "header only" in echo.label and echo.find("rtnl.link.mtu") is None
    assert echo.children[0].children[0].text == f"{len(_request())} (16 bytes present)"


def test_error_with_full_echo_and_extack_offset():
    req = _request()
    mtu_off = 16 + 16 + 8  # header, ifinfomsg, IFLA_IFNAME padded to 8
    tlvs = (nla(H.NLMSGERR_ATTR_MSG, b"mtu greater than device maximum\0") + nla(H.NLMSGERR_ATTR_OFFS, struct.pack("<I", mtu_off))
            + nla(H.NLMSGERR_ATTR_COOKIE, b"\xca\xfe"))
    (m,) = dissectors.decode_frame(_error(-22, req, H.NLM_F_ACK_TLVS, tlvs), 0)
    assert m.flag_names == ["ACK_TLVS"]
    ext = m.error["extack"]
    assert (m.error["name"], ext["msg"], ext["offs"], ext["attr"], ext["cookie"]) == (
        "EINVAL", "mtu greater than device maximum", mtu_off, "IFLA_MTU", "cafe")
    assert m.info == 'EINVAL for RTM_NEWLINK seq 17: "mtu greater than device maximum" [IFLA_MTU]'
    assert m.tree.find("netlink.echo").find("rtnl.link.mtu").value == 70000
    offs = m.tree.find("netlink.extack.offs")
    assert offs.show == f"{mtu_off} (IFLA_MTU)"


def test_missing_attribute_named_from_the_request_set():
    tlvs = nla(H.NLMSGERR_ATTR_MSG, b"missing\0") + nla(H.NLMSGERR_ATTR_MISS_TYPE, struct.pack("<I", L.IFLA_IFNAME))
    (m,) = dissectors.decode_frame(_error(-22, _request(), H.NLM_F_ACK_TLVS, tlvs), 0)
    assert m.error["extack"]["missing"] == "IFLA_IFNAME"
    assert "[missing IFLA_IFNAME]" in m.info


def test_missing_attribute_inside_a_nest():
    req = msg(R.RTM_NEWLINK, 0x5, IFINFO + nla(L.IFLA_LINKINFO | 0x8000, nla(L.IFLA_INFO_DATA, b"")), seq=17)
    nest_off = 32
    tlvs = (nla(H.NLMSGERR_ATTR_MISS_TYPE, struct.pack("<I", L.IFLA_INFO_KIND))
            + nla(H.NLMSGERR_ATTR_MISS_NEST, struct.pack("<I", nest_off)))
    (m,) = dissectors.decode_frame(_error(-22, req, H.NLM_F_ACK_TLVS, tlvs), 0)
    assert m.error["extack"]["missing"] == "IFLA_INFO_KIND"


def test_capped_error_with_extack_tlvs_after_header():
    tlvs = nla(H.NLMSGERR_ATTR_MSG, b"nope\0")
    (m,) = dissectors.decode_frame(_error(-1, _request(), H.NLM_F_CAPPED | H.NLM_F_ACK_TLVS, tlvs), 0)
    assert m.error["name"] == "EPERM" and m.error["extack"]["msg"] == "nope"
    assert m.flag_names == ["CAPPED", "ACK_TLVS"]


def test_done_with_error_and_extack():
    body = struct.pack("<i", -16) + nla(H.NLMSGERR_ATTR_MSG, b"dump busy\0")
    (m,) = dissectors.decode_frame(msg(H.NLMSG_DONE, H.NLM_F_MULTI | H.NLM_F_ACK_TLVS, body), 0)
    assert m.error["name"] == "EBUSY" and m.error["extack"]["msg"] == "dump busy"
    assert m.info == 'DONE EBUSY (-16): "dump busy"'
    (ok,) = dissectors.decode_frame(msg(H.NLMSG_DONE, H.NLM_F_MULTI, struct.pack("<i", 0)), 0)
    assert ok.error is None and ok.info == "DONE"


def test_noop_and_overrun_and_unknown_protocol():
    a, b = dissectors.decode_frame(msg(H.NLMSG_NOOP, 0, b"") + msg(H.NLMSG_OVERRUN, 0, b"abcd"), 0)
    assert (a.type_name, b.type_name) == ("NLMSG_NOOP", "NLMSG_OVERRUN")
    (u,) = dissectors.decode_frame(msg(0x20, 1, b"hello"), 22)
    assert u.type_name == "0x0020" and u.tree.find("netlink.payload").value == b"hello\0\0\0"


def _miss_in(req, nest_off, miss_type):
    tlvs = (nla(H.NLMSGERR_ATTR_MISS_TYPE, struct.pack("<I", miss_type))
            + nla(H.NLMSGERR_ATTR_MISS_NEST, struct.pack("<I", nest_off)))
    (m,) = dissectors.decode_frame(_error(-22, req, H.NLM_F_ACK_TLVS, tlvs), 0)
    return m.error["extack"].get("missing")


def test_missing_attribute_is_named_from_the_set_the_decode_used_by_family():
    """The missing attribute's set was looked up by the nest's field name, and the bridge's
    IFLA_AF_SPEC set (AF_BRIDGE links) overwrote that of every other link: a MISS_TYPE inside
    an AF_UNSPEC link's IFLA_AF_SPEC was named as a bridge attribute."""
    from dissectors.families.rtnetlink.link import AF_SPEC_ATTRS, BRIDGE_AF
    assert BRIDGE_AF.by_num[BR.IFLA_BRIDGE_VLAN_INFO].name != AF_SPEC_ATTRS.by_num[BR.IFLA_BRIDGE_VLAN_INFO].name
    spec = nla(L.IFLA_AF_SPEC | 0x8000, nla(10 | 0x8000, b""))   # AF_INET6 {}
    unspec = msg(R.RTM_NEWLINK, 0x5, IFINFO + spec, seq=17)
    assert _miss_in(unspec, 32, 2) == AF_SPEC_ATTRS.by_num[2].name == "AF_INET"
    bridge = msg(R.RTM_SETLINK, 0x5, bytes([7]) + IFINFO[1:] + spec, seq=17)   # ifi_family AF_BRIDGE
    assert _miss_in(bridge, 32, BR.IFLA_BRIDGE_VLAN_INFO) == "IFLA_BRIDGE_VLAN_INFO"


def test_missing_attribute_in_a_sub_message_and_in_a_nest_below_it():
    """IFLA_INFO_DATA's set is the one IFLA_INFO_KIND chose (vlan here)."""
    data = nla(L.IFLA_INFO_DATA | 0x8000, nla(L.IFLA_VLAN_INGRESS_QOS | 0x8000, b""))
    info = nla(L.IFLA_LINKINFO | 0x8000, nla(L.IFLA_INFO_KIND, b"vlan\0") + data)
    req = msg(R.RTM_NEWLINK, 0x5, IFINFO + info, seq=17)
    data_off = 32 + 4 + 12
    assert _miss_in(req, data_off, L.IFLA_VLAN_ID) == "IFLA_VLAN_ID"
    assert _miss_in(req, data_off + 4, L.IFLA_VLAN_QOS_MAPPING) == "IFLA_VLAN_QOS_MAPPING"
    assert _miss_in(req, data_off + 1, L.IFLA_VLAN_ID) is None   # not where an attribute starts


def test_no_table_of_nested_sets_by_field_name_is_left():
    import dissectors.core.attrs as attrs
    assert not hasattr(attrs, "NESTED_BY_FIELD")


def test_capped_genl_ack_names_the_family_of_its_echoed_header():
    """A genl ACK echoes only the request's header, whose type is a family id: the tree names
    the family (the Info already did), not `0x0010 (unknown)`."""
    req = msg(0x10, 0x5, struct.pack("<BBH", 3, 2, 0), seq=17)   # CTRL_CMD_GETFAMILY, header only
    (m,) = dissectors.decode_frame(_error(0, req, H.NLM_F_CAPPED), 16)
    assert m.info == "ACK for nlctrl (0x10) seq 17"
    echo = m.tree.find("netlink.echo")
    types = [n.text for n in echo.walk() if n.field.abbrev == "netlink.type"]
    assert types == ["nlctrl (0x10)"], types


def test_a_positive_code_is_the_handlers_value_not_an_errno():
    """netlink_rcv_skb acks what a doit returned as it came: HWSIM_CMD_NEW_RADIO returns the new
    radio's id (captures/genl-tail2: +1, +2 on both kernels). It was shown as EPERM and ENOENT."""
    for flags in (H.NLM_F_CAPPED, 0):
        (m,) = dissectors.decode_frame(_error(1, _request(), flags), 0)
        assert m.info == "+1 for RTM_NEWLINK seq 17" and m.error["name"] == "+1"
        assert m.tree.find("netlink.error").show == "1 (positive: a value the handler returned, not an errno)"
    done = msg(H.NLMSG_DONE, H.NLM_F_MULTI, struct.pack("<i", 3), seq=17)
    (m,) = dissectors.decode_frame(done, 0)
    assert m.info == "DONE +3 (3)"
    assert dissectors.errno_name(1) == "EPERM"   # the errno of a positive number, for callers that negate


def test_new_radio_answers_carry_the_radio_id_on_both_kernels():
    from tests.conftest import CAPTURES, decode_file
    for d in (CAPTURES, CAPTURES / "6.12"):
        answers = [m.info for m in decode_file(d / "genl-tail2.pcapng") if m.error and m.error["code"] > 0]
        assert answers and all(i.startswith("+") and "_CMD_NEW_RADIO seq" in i for i in answers), answers
