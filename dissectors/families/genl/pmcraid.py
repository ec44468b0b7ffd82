"""pmcraid: the PMC-Sierra MaxRAID adapters' events (drivers/scsi/pmcraid.c).

The driver registers family "pmcraid" at module load, with the id the kernel keeps for it
(GENL_ID_PMCRAID, 0x12: its messages need no announcement), no operations (a request is
refused, EOPNOTSUPP) and one command the kernel multicasts, PMCRAID_AEN_CMD_EVENT
(pmcraid_notify_aen()): one attribute PMCRAID_AEN_ATTR_EVENT holding struct pmcraid_aen_msg
(hostno: the SCSI host's unique id << 16 | the adapter's char device minor; length: the bytes
after the struct), then either the adapter's state (pmcraid_notify_ioastate(): a u32,
PMC_DEVICE_EVENT_*) or a host-controlled async message as the adapter wrote it
(pmcraid_notify_ccn/ldn(): struct pmcraid_hcam_hdr, then for a configuration change the
changed config table entry and the one before it, for a log the error log).  None of this is
UAPI: the layouts are typed here from drivers/scsi/pmcraid.h (6.1 and 6.12 alike).  The HCAM
bytes are the adapter's, little-endian (__le32) whatever the host; read here in the
capture's order, which is the same on every host this driver runs on but a big-endian one.
"""
from __future__ import annotations

from construct import Int8ul, Int16ul, Int32ul

from ...core.attrs import a, enum_set, malformed
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import FixedStruct, enum_show, member, raw
from ...model import BYTES, FIELDS, UINT, UNKNOWN, Node
from .cenum import Header

H = Header("drivers/scsi/pmcraid.c")
H.enum("pmcraid_aen_attr", "PMCRAID_AEN_ATTR_UNSPEC PMCRAID_AEN_ATTR_EVENT __PMCRAID_AEN_ATTR_MAX")
H.enum("pmcraid_aen_cmd", "PMCRAID_AEN_CMD_UNSPEC PMCRAID_AEN_CMD_EVENT __PMCRAID_AEN_CMD_MAX")
H.define(PMCRAID_DEVICE_ID_LEN=8, PMCRAID_LUN_LEN=8)   # pmcraid.h
# pmcraid.h: the adapter states pmcraid_notify_ioastate() sends
IOA_STATES = {0x11000000: "PMC_DEVICE_EVENT_RESET_START", 0x11000001: "PMC_DEVICE_EVENT_RESET_SUCCESS",
              0x11000002: "PMC_DEVICE_EVENT_RESET_FAILED", 0x11000003: "PMC_DEVICE_EVENT_SHUTDOWN_START",
              0x11000004: "PMC_DEVICE_EVENT_SHUTDOWN_SUCCESS", 0x11000005: "PMC_DEVICE_EVENT_SHUTDOWN_FAILED"}
OP_CODES = {0xE1: "HOSTRCB_TYPE_CCN (configuration change)", 0xE2: "HOSTRCB_TYPE_LDN (log data)"}
NOTIFICATIONS = {0x0: "NOTIFICATION_TYPE_ENTRY_CHANGED", 0x1: "NOTIFICATION_TYPE_ENTRY_NEW",
                 0x2: "NOTIFICATION_TYPE_ENTRY_DELETED", 0x3: "NOTIFICATION_TYPE_STATE_CHANGE",
                 0x4: "NOTIFICATION_TYPE_ENTRY_STATECHANGED", 0x10: "NOTIFICATION_TYPE_ERROR_LOG",
                 0x11: "NOTIFICATION_TYPE_INFORMATION_LOG"}
RES_TYPES = {0x00: "RES_TYPE_AF_DASD", 0x01: "RES_TYPE_GSCSI", 0x02: "RES_TYPE_VSET", 0xFF: "RES_TYPE_IOA_FP"}
HCAM_CCN, HCAM_LDN = 0xE1, 0xE2


def _hostno(v: int) -> str:
    return f"{v} (host {v >> 16}, minor {v & 0xFFFF})"


AEN = FixedStruct("pmcraid_aen_msg", "pmcraid.aen", [
    member("hostno", Int32ul, _hostno, "the SCSI host's unique id << 16 | the adapter's minor"),
    member("length", Int32ul, None, "bytes after the struct"), raw("reserved", 8)], label="struct pmcraid_aen_msg")
HCAM = FixedStruct("pmcraid_hcam_hdr", "pmcraid.hcam", [
    member("op_code", Int8ul, enum_show(OP_CODES)), member("notification_type", Int8ul, enum_show(NOTIFICATIONS)),
    member("notification_lost", Int8ul), member("flags", Int8ul, hex), member("overlay_id", Int8ul),
    raw("reserved1", 3), member("ilid", Int32ul, hex), member("timestamp1", Int32ul), member("timestamp2", Int32ul),
    member("data_len", Int32ul, None, "bytes of the message after this header")], label="struct pmcraid_hcam_hdr")


def _entry(prefix: str, label: str) -> FixedStruct:
    return FixedStruct("pmcraid_config_table_entry", prefix, [
        member("resource_type", Int8ul, enum_show(RES_TYPES)), member("bus_protocol", Int8ul),
        member("array_id", Int16ul), member("common_flags0", Int8ul, hex), member("common_flags1", Int8ul, hex),
        member("unique_flags0", Int8ul, hex), member("unique_flags1", Int8ul, hex),
        member("resource_handle", Int32ul, hex), member("resource_address", Int32ul, hex),
        raw("device_id", H.PMCRAID_DEVICE_ID_LEN), raw("lun", H.PMCRAID_LUN_LEN)], label=label)


CFG_ENTRY = _entry("pmcraid.ccn.cfg_entry", "cfg_entry (the entry now)")
CFG_ENTRY_OLD = _entry("pmcraid.ccn.cfg_entry_old", "cfg_entry_old (the entry before)")
IOA_STATE = FIELDS.add("pmcraid.ioa_state", "ioa_state", UINT, "the adapter's state (PMC_DEVICE_EVENT_*)")
_ioa_state = enum_show(IOA_STATES)
ERROR_LOG = FIELDS.add("pmcraid.ldn.error_log", "error_log", BYTES, "struct pmcraid_hostrcb_error, as the adapter wrote it")
HCAM_DATA = FIELDS.add("pmcraid.hcam.data", "HCAM data", BYTES, "what follows the HCAM header, as the adapter wrote it")
TRAILING = FIELDS.add("pmcraid.trailing", "bytes past length", BYTES, "bytes of the attribute after aen.length")


def _event(buf, start, end, order, req):
    """struct pmcraid_aen_msg and the `length` bytes after it, as pmcraid_notify_aen() puts them."""
    if end - start < AEN.size:
        return [malformed(buf, start, end, f"struct pmcraid_aen_msg needs {AEN.size} bytes, got {end - start}")]
    top = AEN.node(buf, start, order, req=req)
    length = next(c.value for c in top.children if c.field.abbrev == "pmcraid.aen.length")
    base, stop = start + AEN.size, min(start + AEN.size + length, end)
    out = [top]
    if length == 4 and stop - base == 4:
        state = int.from_bytes(buf[base:stop], "little" if order == "<" else "big")
        out.append(Node(IOA_STATE, state, base, 4, _ioa_state(state), label="ioa_state"))
    elif stop - base >= HCAM.size:
        hcam = HCAM.node(buf, base, order, req=req)
        out.append(hcam)
        op = next(c.value for c in hcam.children if c.field.abbrev == "pmcraid.hcam.op_code")
        p = base + HCAM.size
        if op == HCAM_CCN:
            for st in (CFG_ENTRY, CFG_ENTRY_OLD):
                if stop - p >= st.size:
                    out.append(st.node(buf, p, order, req=req))
                    p += st.size
        if p < stop:
            ldn = op == HCAM_LDN
            out.append(Node(ERROR_LOG if ldn else HCAM_DATA, bytes(buf[p:stop]), p, stop - p, f"{stop - p} bytes"
                            + (" (struct pmcraid_hostrcb_error)" if ldn else " (the adapter's)"),
                            label="error log" if ldn else "HCAM data"))
    elif stop > base:
        out.append(malformed(buf, base, stop, f"{stop - base} bytes: neither a u32 state nor a "
                                              f"{HCAM.size}-byte struct pmcraid_hcam_hdr"))
    if start + AEN.size + length > end:
        out.append(malformed(buf, stop, end, f"length {length} runs past the attribute ({end - base} bytes after the struct)"))
    elif stop < end:
        out.append(Node(TRAILING, bytes(buf[stop:end]), stop, end - stop, bytes(buf[stop:end]).hex(), status=UNKNOWN, label="bytes past length"))
    return out


PMCRAID = enum_set("pmcraid", "pmcraid", H, "pmcraid_aen_attr", "PMCRAID_AEN_ATTR_", {
    "EVENT": a("binary", decode=_event, show=lambda d: f"struct pmcraid_aen_msg, {len(d)} bytes")},
    label="pmcraid")


def _first_word(names: dict[int, str]):
    return lambda v: names.get(v, f"{v:#x}").split()[0]


# each member's words in the Info column
_WORDS = {"pmcraid.aen.hostno": lambda v: f"host {v >> 16} minor {v & 0xFFFF}",
          "pmcraid.ioa_state": lambda v: IOA_STATES.get(v, f"state {v:#x}"),
          "pmcraid.hcam.op_code": _first_word(OP_CODES), "pmcraid.hcam.notification_type": _first_word(NOTIFICATIONS),
          "pmcraid.ccn.cfg_entry.resource_type": lambda v: RES_TYPES.get(v, f"resource {v:#x}")}


@info(full_tree=True)   # the values are the event struct's members, made by the attribute's decode hook
def pmcraid_info(root) -> str:
    """`host 1 minor 0 PMC_DEVICE_EVENT_RESET_START`, `host 1 minor 0 HOSTRCB_TYPE_CCN … RES_TYPE_VSET`."""
    return " ".join(_WORDS[n.field.abbrev](n.value) for n in root.walk() if n.field.abbrev in _WORDS)


register_genl_family(GenlFamily("pmcraid", "pmcraid", {
    H.PMCRAID_AEN_CMD_EVENT: MessageType(0, "PMCRAID_AEN_CMD_EVENT", "other", None, PMCRAID, info=pmcraid_info)},
    PMCRAID))
