"""MAC80211_HWSIM (drivers/net/wireless/virtual/mac80211_hwsim.c) from messages built as
append_radio_msg(), mac80211_hwsim_tx_frame_nl() and wmediumd build them."""
import struct

import dissectors
from tests.dissectors.build import nla
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import decode, flag, string, u32

dissectors.load_families()
from dissectors.families.genl import mac80211_hwsim as W  # noqa: E402

H = W.H
TX = bytes.fromhex("020000000000")
PROBE_REQ = bytes.fromhex("40000000ffffffffffff020000000000ffffffffffff1000") + b"\x00\x07nlscope"


def test_every_command_and_attribute_is_named():
    assert every_command_named("MAC80211_HWSIM") == 11


def test_a_radio_as_get_radio_answers_it():
    body = u32(H.HWSIM_ATTR_RADIO_ID, 2) + nla(H.HWSIM_ATTR_RADIO_NAME, b"phy2") + u32(H.HWSIM_ATTR_CHANNELS, 1) \
        + flag(H.HWSIM_ATTR_SUPPORT_P2P_DEVICE) + string(H.HWSIM_ATTR_REG_HINT_ALPHA2, "DE") \
        + nla(H.HWSIM_ATTR_CIPHER_SUPPORT, struct.pack("<II", 0x000FAC04, 0x000FAC02))
    m = decode("MAC80211_HWSIM", H.HWSIM_CMD_GET_RADIO, body, flags=0)
    assert m.info == "radio 2 name phy2 channels 1 alpha2 DE p2p"
    assert m.tree.find("hwsim.radio_name").value == "phy2"   # put without its NUL


def test_a_frame_to_the_medium_and_its_tx_status():
    """HWSIM_CMD_FRAME with the 802.11 frame decoded, the rates {idx, count}; the medium's
    TX_INFO_FRAME with ACK set and a negative signal."""
    rates = struct.pack("bBbBbBbB", 0, 1, -1, 0, -1, 0, -1, 0)
    body = nla(H.HWSIM_ATTR_ADDR_TRANSMITTER, TX) + nla(H.HWSIM_ATTR_FRAME, PROBE_REQ) \
        + u32(H.HWSIM_ATTR_FLAGS, 2) + u32(H.HWSIM_ATTR_FREQ, 2412) + nla(H.HWSIM_ATTR_TX_INFO, rates) \
        + nla(H.HWSIM_ATTR_COOKIE, struct.pack("<Q", 1))
    m = decode("MAC80211_HWSIM", H.HWSIM_CMD_FRAME, body, flags=0)
    assert m.tree.find("hwsim.tx_info").show == "0x1"
    assert m.tree.find("hwsim.flags").show == "0x2 (HWSIM_TX_CTL_NO_ACK)"
    assert m.tree.find("ieee80211.frame.type_subtype") is not None
    assert m.info == "from 02:00:00:00:00:00 freq 2412 MHz cookie 0x1"
    body = nla(H.HWSIM_ATTR_ADDR_TRANSMITTER, TX) + u32(H.HWSIM_ATTR_FLAGS, 6) + nla(
        H.HWSIM_ATTR_SIGNAL, struct.pack("<i", -50)) + nla(H.HWSIM_ATTR_COOKIE, struct.pack("<Q", 1))
    m = decode("MAC80211_HWSIM", H.HWSIM_CMD_TX_INFO_FRAME, body)
    assert m.tree.find("hwsim.signal").show == "-50 dBm"
    assert m.info == "from 02:00:00:00:00:00 signal -50 dBm cookie 0x1 ack"
