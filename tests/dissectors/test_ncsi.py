"""NCSI (net/ncsi/ncsi-netlink.c; no Debian kernel has it) from messages built as
ncsi_write_package_info() puts a PKG_INFO answer: packages, channels, VLAN filters."""
import dissectors
from tests.dissectors.build import nla
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import NLM_F_MULTI, decode, flag, nest, string, u16, u32

dissectors.load_families()
from dissectors.families.genl import ncsi as N  # noqa: E402

H = N.H


def test_every_command_and_attribute_is_named():
    assert every_command_named("NCSI") == 6


def test_package_info():
    channel = nest(H.NCSI_CHANNEL_ATTR, u32(H.NCSI_CHANNEL_ATTR_ID, 0), u32(H.NCSI_CHANNEL_ATTR_VERSION_MAJOR, 1),
                   u32(H.NCSI_CHANNEL_ATTR_VERSION_MINOR, 2), string(H.NCSI_CHANNEL_ATTR_VERSION_STR, "fw 1.2"),
                   u32(H.NCSI_CHANNEL_ATTR_LINK_STATE, 1), flag(H.NCSI_CHANNEL_ATTR_ACTIVE),
                   nest(H.NCSI_CHANNEL_ATTR_VLAN_LIST, u16(H.NCSI_CHANNEL_ATTR_VLAN_ID, 5),
                        u16(H.NCSI_CHANNEL_ATTR_VLAN_ID, 6)))
    pkg = nest(H.NCSI_PKG_ATTR, u32(H.NCSI_PKG_ATTR_ID, 0), flag(H.NCSI_PKG_ATTR_FORCED),
               nest(H.NCSI_PKG_ATTR_CHANNEL_LIST, channel))
    body = u32(H.NCSI_ATTR_IFINDEX, 2) + nest(H.NCSI_ATTR_PACKAGE_LIST, pkg)
    m = decode("NCSI", H.NCSI_CMD_PKG_INFO, body, flags=NLM_F_MULTI)
    assert [n.value for n in m.tree.find_all("ncsi.vlans.vlan_id")] == [5, 6]
    assert m.tree.find("ncsi.channel.version_str").value == "fw 1.2"
    assert m.info == "ifindex 2 package 0 forced channel 0 active"


def test_send_cmd_data():
    m = decode("NCSI", H.NCSI_CMD_SEND_CMD, u32(H.NCSI_ATTR_IFINDEX, 2) + u32(H.NCSI_ATTR_PACKAGE_ID, 0)
               + u32(H.NCSI_ATTR_CHANNEL_ID, 1) + nla(H.NCSI_ATTR_DATA, bytes(16)))
    assert m.info == "ifindex 2 package 0 channel 1 16 bytes of NC-SI"
