"""nfc (net/nfc/netlink.c) from messages built as nfc_genl_send_device(), nfc_genl_send_target()
and nfc_genl_llc_send_sdres() put them."""
import dissectors
from tests.dissectors.build import nla
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import NLM_F_MULTI, decode, nest, string, u8, u16, u32

dissectors.load_families()
from dissectors.families.genl import nfc as F  # noqa: E402

H = F.H


def test_every_command_and_attribute_is_named():
    assert every_command_named("nfc") == 30


def test_a_device_as_nfctool_lists_it():
    body = string(H.NFC_ATTR_DEVICE_NAME, "nfc0") + u32(H.NFC_ATTR_DEVICE_INDEX, 0) + u32(
        H.NFC_ATTR_PROTOCOLS, 0x3E) + u8(H.NFC_ATTR_DEVICE_POWERED, 0) + u8(H.NFC_ATTR_RF_MODE, 2)
    m = decode("nfc", H.NFC_CMD_GET_DEVICE, body, flags=NLM_F_MULTI)
    assert m.info == "nfc0: Protocols: [ Jewel MIFARE Felica ISO-DEP NFC-DEP ] Powered: No RF Mode: None"
    assert m.tree.find("nfc.protocols.nfc-dep").value is True


def test_target_event_and_service_discovery():
    body = u32(H.NFC_ATTR_TARGET_INDEX, 1) + u32(H.NFC_ATTR_PROTOCOLS, 1 << 5) + u16(H.NFC_ATTR_TARGET_SENS_RES, 4) \
        + u8(H.NFC_ATTR_TARGET_SEL_RES, 0x40) + nla(H.NFC_ATTR_TARGET_NFCID1, bytes.fromhex("01020304"))
    m = decode("nfc", H.NFC_CMD_GET_TARGET, body, flags=NLM_F_MULTI)
    assert m.tree.find("nfc.target_sel_res").show == "0x40" and m.info == "Protocols: [ NFC-DEP ] target 1"
    sdp = nest(H.NFC_ATTR_LLC_SDP, nest(1, u8(H.NFC_SDP_ATTR_SAP, 32), string(H.NFC_SDP_ATTR_URI, "urn:nfc:sn:snep")))
    m = decode("nfc", H.NFC_EVENT_LLC_SDRES, u32(H.NFC_ATTR_DEVICE_INDEX, 0) + sdp, flags=0)
    assert m.type_name == "NFC_EVENT_LLC_SDRES"
    assert m.tree.find("nfc.sdp.uri").value == "urn:nfc:sn:snep"
