"""nfc: the NFC subsystem's devices, polling, targets, LLCP and secure elements (neard's
`nfctool`), net/nfc/netlink.c.

A device (nfc0, an index) is brought up and down, polls for targets with the protocols it
supports (initiator IM_PROTOCOLS, target TM_PROTOCOLS), reports TARGETS_FOUND and each
target's identifiers (SENS_RES, SEL_RES, NFCID1, SENSB/SENSF_RES, ISO 15693 DSFID/UID) to the
"events" group, holds LLCP parameters (LTO, RW, MIUX) and service discovery results, and
lists and talks to secure elements (SE_INDEX, SE_TYPE, APDUs).
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import DEL, GET, NEW, OTHER, GenlFamily, MessageType, register_genl_family
from .cenum import Header
from .protocol import top_attrs

# <linux/nfc.h>
H = Header("linux/nfc.h")
H.enum("nfc_commands", "UNSPEC GET_DEVICE DEV_UP DEV_DOWN DEP_LINK_UP DEP_LINK_DOWN START_POLL STOP_POLL GET_TARGET "
       "/NFC_EVENT_TARGETS_FOUND /NFC_EVENT_DEVICE_ADDED /NFC_EVENT_DEVICE_REMOVED /NFC_EVENT_TARGET_LOST /NFC_EVENT_TM_ACTIVATED "
       "/NFC_EVENT_TM_DEACTIVATED LLC_GET_PARAMS LLC_SET_PARAMS ENABLE_SE DISABLE_SE LLC_SDREQ /NFC_EVENT_LLC_SDRES "
       "FW_DOWNLOAD /NFC_EVENT_SE_ADDED /NFC_EVENT_SE_REMOVED /NFC_EVENT_SE_CONNECTIVITY /NFC_EVENT_SE_TRANSACTION GET_SE SE_IO "
       "ACTIVATE_TARGET VENDOR DEACTIVATE_TARGET __AFTER_LAST", "NFC_CMD_")
H.enum("nfc_attrs", "UNSPEC DEVICE_INDEX DEVICE_NAME PROTOCOLS TARGET_INDEX TARGET_SENS_RES TARGET_SEL_RES "
       "TARGET_NFCID1 TARGET_SENSB_RES TARGET_SENSF_RES COMM_MODE RF_MODE DEVICE_POWERED IM_PROTOCOLS TM_PROTOCOLS "
       "LLC_PARAM_LTO LLC_PARAM_RW LLC_PARAM_MIUX SE LLC_SDP FIRMWARE_NAME SE_INDEX SE_TYPE SE_AID "
       "FIRMWARE_DOWNLOAD_STATUS SE_APDU TARGET_ISO15693_DSFID TARGET_ISO15693_UID SE_PARAMS VENDOR_ID "
       "VENDOR_SUBCMD VENDOR_DATA __AFTER_LAST", "NFC_ATTR_")
H.enum("nfc_sdp_attr", "UNSPEC URI SAP __AFTER_LAST", "NFC_SDP_ATTR_")

# NFC_PROTO_* (bit n of a protocols mask is protocol n); the names nfctool prints
PROTOCOLS = {1: "Jewel", 2: "MIFARE", 3: "Felica", 4: "ISO-DEP", 5: "NFC-DEP", 6: "ISO14443-B", 7: "ISO15693"}
PROTO_BITS = {1 << n: name for n, name in PROTOCOLS.items()}
COMM_MODES = {0: "NFC_COMM_ACTIVE", 1: "NFC_COMM_PASSIVE"}
RF_MODES = {0: "NFC_RF_INITIATOR", 1: "NFC_RF_TARGET", 2: "NFC_RF_NONE"}
SE_TYPES = {1: "NFC_SE_UICC", 2: "NFC_SE_EMBEDDED"}

# nfc_sdp_genl_policy: URI a string, SAP u8
SDP = enum_set("sdp", "nfc.sdp", H, "nfc_sdp_attr", "NFC_SDP_ATTR_", {"URI": "string", "SAP": "u8"},
               label="service")
# nfc_genl_policy, and what nfc_genl_send_target()/send_device()/send_se() put: the targets'
# identifiers as bytes (SENS_RES an u16, SEL_RES and DSFID u8), LLC_SDP an array of services
# numbered from 1 (nfc_genl_llc_send_sdres), SE (a u8 of SE_ENABLED/DISABLED, unused by the
# kernel's messages)
NFC = enum_set("nfc", "nfc", H, "nfc_attrs", "NFC_ATTR_", {
    "DEVICE_INDEX": "u32", "DEVICE_NAME": "string", "PROTOCOLS": a("u32", flags=PROTO_BITS), "TARGET_INDEX": "u32",
    "TARGET_SENS_RES": a("u16", show=lambda v: f"{v:#06x}"), "TARGET_SEL_RES": a("u8", show=lambda v: f"{v:#04x}"),
    "TARGET_NFCID1": a("binary", hint="hex"), "TARGET_SENSB_RES": a("binary", hint="hex"),
    "TARGET_SENSF_RES": a("binary", hint="hex"), "COMM_MODE": a("u8", enum=COMM_MODES),
    "RF_MODE": a("u8", enum=RF_MODES), "DEVICE_POWERED": "u8", "IM_PROTOCOLS": a("u32", flags=PROTO_BITS),
    "TM_PROTOCOLS": a("u32", flags=PROTO_BITS), "LLC_PARAM_LTO": "u8", "LLC_PARAM_RW": "u8", "LLC_PARAM_MIUX": "u16",
    "SE": "u8", "LLC_SDP": a("indexed-array", sub="nest", nested=SDP), "FIRMWARE_NAME": "string", "SE_INDEX": "u32",
    "SE_TYPE": a("u8", enum=SE_TYPES), "SE_AID": a("binary", hint="hex"), "FIRMWARE_DOWNLOAD_STATUS": "u32",
    "SE_APDU": a("binary", hint="hex"), "TARGET_ISO15693_DSFID": "u8", "TARGET_ISO15693_UID": a("binary", hint="hex"),
    "SE_PARAMS": a("binary", hint="hex"), "VENDOR_ID": a("u32", show=lambda v: f"{v:#08x}"), "VENDOR_SUBCMD": "u32",
    "VENDOR_DATA": a("binary", hint="hex")}, label="nfc")


def _protocols(v: int) -> str:
    return " ".join(n for b, n in PROTO_BITS.items() if v & b)


@info()
def nfc_info(root) -> str:
    """`nfc0: Protocols: [ Jewel MIFARE Felica ISO-DEP NFC-DEP ] Powered: No RF Mode: None`, as
    `nfctool -l` prints a device; a target, an SE or LLCP parameters by their own words."""
    v = top_attrs(root, "nfc.")
    parts = []
    if "device_name" in v:
        parts.append(f"{v['device_name'].value}:")
    elif "device_index" in v:
        parts.append(f"nfc{v['device_index'].value}:")
    for key, word in (("protocols", "Protocols"), ("im_protocols", "Initiator"), ("tm_protocols", "Target")):
        if key in v:
            parts.append(f"{word}: [ {_protocols(v[key].value)} ]")
    if "device_powered" in v:
        parts.append(f"Powered: {'Yes' if v['device_powered'].value else 'No'}")
    if "rf_mode" in v:
        parts.append(f"RF Mode: {RF_MODES.get(v['rf_mode'].value, '?')[len('NFC_RF_'):].capitalize()}")
    for key, word in (("target_index", "target"), ("se_index", "se"), ("llc_param_lto", "lto"),
                      ("llc_param_rw", "rw"), ("llc_param_miux", "miux"), ("firmware_name", "firmware")):
        if key in v:
            parts.append(f"{word} {v[key].value}")
    return " ".join(parts)


_KINDS = {"GET_DEVICE": GET, "GET_TARGET": GET, "GET_SE": GET, "LLC_GET_PARAMS": GET, "DEV_UP": NEW,
          "START_POLL": NEW, "DEP_LINK_UP": NEW, "LLC_SET_PARAMS": NEW, "ENABLE_SE": NEW, "ACTIVATE_TARGET": NEW,
          "DEV_DOWN": DEL, "STOP_POLL": DEL, "DEP_LINK_DOWN": DEL, "DISABLE_SE": DEL, "DEACTIVATE_TARGET": DEL}
CMDS = {getattr(H, c): c for c in H.ENUMS["nfc_commands"] if not c.startswith("__") and not c.endswith("UNSPEC")}
register_genl_family(GenlFamily("nfc", "nfc", {
    n: MessageType(0, name, _KINDS.get(name[len("NFC_CMD_"):], OTHER), None, NFC, info=nfc_info)
    for n, name in CMDS.items()}, NFC))
