"""The legacy "802.15.4 MAC" family (net/ieee802154/nl-phy.c, nl-mac.c) from messages built as
ieee802154_nl_fill_phy() and ieee802154_nl_fill_iface() put them."""
import struct

import dissectors
from tests.dissectors.build import nla
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import NLM_F_MULTI, decode, string, u8, u16, u32

dissectors.load_families()
from dissectors.families.genl import ieee802154_mac as M  # noqa: E402

H = M.H


def test_every_command_and_attribute_is_named():
    assert every_command_named("802.15.4 MAC") == 49


def test_phy_and_interface():
    body = string(H.IEEE802154_ATTR_PHY_NAME, "phy0") + u8(H.IEEE802154_ATTR_PAGE, 0) + u8(
        H.IEEE802154_ATTR_CHANNEL, 13) + nla(H.IEEE802154_ATTR_CHANNEL_PAGE_LIST, struct.pack("<3I", 0x7FFF800, 0, 0))
    m = decode("802.15.4 MAC", H.IEEE802154_LIST_PHY, body, flags=NLM_F_MULTI)
    assert m.type_name == "IEEE802154_LIST_PHY" and m.info == "phy0 page 0 channel 13"
    # nla_put_hwaddr(): swab64() of the little-endian EUI-64 06:59:8f:50:5a:9b:24:27 (as iwpan shows it)
    hw = struct.unpack("<Q", bytes.fromhex("27249b5a508f5906")[::-1])[0]
    body = string(H.IEEE802154_ATTR_DEV_NAME, "wpan0") + u32(H.IEEE802154_ATTR_DEV_INDEX, 2) + string(
        H.IEEE802154_ATTR_PHY_NAME, "phy0") + nla(H.IEEE802154_ATTR_HW_ADDR, struct.pack("<Q", hw)) + u16(
        H.IEEE802154_ATTR_SHORT_ADDR, 0xFFFF) + u16(H.IEEE802154_ATTR_PAN_ID, 0xABCD) + nla(
        H.IEEE802154_ATTR_TXPOWER, b"\xfd")
    m = decode("802.15.4 MAC", H.IEEE802154_LIST_IFACE, body, flags=NLM_F_MULTI)
    assert m.tree.find("ieee802154.hw_addr").show == "0x06598f505a9b2427"
    assert m.info == "wpan0 phy phy0 index 2 hw 0x06598f505a9b2427 pan 0xabcd short 0xffff txpower -3 dBm"


def test_llsec_key_bytes_are_redacted():
    key = bytes(range(16))
    m = decode("802.15.4 MAC", H.IEEE802154_LLSEC_ADD_KEY, string(H.IEEE802154_ATTR_DEV_NAME, "wpan0")
               + nla(H.IEEE802154_ATTR_LLSEC_KEY_BYTES, key) + u8(H.IEEE802154_ATTR_LLSEC_KEY_ID, 1))
    assert key.hex() not in m.tree.find("ieee802154.llsec_key_bytes").show
    assert m.info == "wpan0 key id 1"
