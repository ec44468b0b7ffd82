"""pmcraid (drivers/scsi/pmcraid.c) from events built as pmcraid_notify_aen() builds them: the
adapter's state after struct pmcraid_aen_msg, a configuration change (HCAM header, the entry
now and before), a log (HCAM header, error log bytes); lengths the driver would never send shown
as malformed or unknown, never dropped; the id the kernel keeps for the family (no announcement
needed).  The numbers and layouts against 6.12's drivers/scsi/pmcraid.[ch] (tools/run-tests
extracts them; 6.1's are the same structs, its source is not on the machine).  Real traffic (the lookup, refused requests): captures/pmcraid.pcapng."""
from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

import dissectors
from dissectors import Context, decode_frame, format_tree
from tests.dissectors.build import msg, nla

dissectors.load_families()
from dissectors.families.genl import pmcraid as P  # noqa: E402

GENL_ID_PMCRAID = 0x12


def event(body: bytes, length: int | None = None, ctx: Context | None = None):
    aen = struct.pack("<II8x", 2 << 16 | 1, len(body) if length is None else length) + body
    frame = msg(GENL_ID_PMCRAID, 0, bytes([P.H.PMCRAID_AEN_CMD_EVENT, 1, 0, 0]) + nla(P.H.PMCRAID_AEN_ATTR_EVENT, aen),
                seq=0, pid=0)
    return decode_frame(frame, protocol=16, ctx=ctx or Context())[0]


def hcam(op: int, ntype: int, data: bytes) -> bytes:
    return struct.pack("<BBBBB3xIIII", op, ntype, 0, 0, 0, 0x1234, 7, 8, len(data)) + data


def entry(res_type: int, handle: int) -> bytes:
    return struct.pack("<BBHBBBBII8s8s", res_type, 1, 3, 0, 0, 0, 0, handle, 0x00010002, b"ABCDEFGH", bytes(8))


def whole(m) -> None:
    bad = [(n.name, n.status) for n in m.tree.walk() if n.status]
    assert m.claimed and not m.malformed and not bad, bad


def test_the_adapter_state_event_needs_no_announcement():
    m = event(struct.pack("<I", 0x11000001))
    whole(m)
    assert (m.family, m.type_name, m.direction) == ("pmcraid", "PMCRAID_AEN_CMD_EVENT", "from kernel")
    assert m.info == "host 2 minor 1 PMC_DEVICE_EVENT_RESET_SUCCESS"
    assert m.tree.first("pmcraid.aen.length") == 4 and m.tree.first("pmcraid.ioa_state") == 0x11000001
    assert "Hostno: 131073 (host 2, minor 1)" in format_tree(m.tree)
    # an id the capture taught (an nlctrl answer) wins over the reserved one
    ctx = Context()
    ctx.learn_genl(GENL_ID_PMCRAID, "nlscope_test", 0)
    assert event(struct.pack("<I", 0x11000001), ctx=ctx).family != "pmcraid"


def test_a_configuration_change_shows_the_entry_now_and_before():
    m = event(hcam(P.HCAM_CCN, 1, entry(2, 0xAB) + entry(0xFF, 0xCD)))
    whole(m)
    assert m.tree.first("pmcraid.ccn.cfg_entry.resource_handle") == 0xAB
    assert m.tree.first("pmcraid.ccn.cfg_entry_old.resource_type") == 0xFF
    assert m.tree.first("pmcraid.hcam.data_len") == 64
    assert m.info == "host 2 minor 1 HOSTRCB_TYPE_CCN NOTIFICATION_TYPE_ENTRY_NEW RES_TYPE_VSET"


def test_a_log_keeps_the_adapters_error_log_bytes():
    log = bytes(range(40))
    m = event(hcam(P.HCAM_LDN, 0x10, log))
    whole(m)
    assert m.tree.first("pmcraid.ldn.error_log") == log
    assert m.info.endswith("HOSTRCB_TYPE_LDN NOTIFICATION_TYPE_ERROR_LOG")


def test_what_the_driver_never_sends_is_shown_as_such():
    short = decode_frame(msg(GENL_ID_PMCRAID, 0, bytes([1, 1, 0, 0]) + nla(1, b"\1\2\3"), seq=0), 16, Context())[0]
    assert [n.status for n in short.tree.walk() if n.status] == ["malformed"]
    past = event(struct.pack("<I", 0x11000000), length=64)   # length beyond the attribute
    assert "malformed" in [n.status for n in past.tree.walk() if n.status]
    odd = event(b"\1\2\3\4\5\6")   # neither a u32 state nor an HCAM header
    assert [n.status for n in odd.tree.walk() if n.status] == ["malformed"]
    trailing = decode_frame(msg(GENL_ID_PMCRAID, 0, bytes([1, 1, 0, 0]) + nla(1, struct.pack("<II8x", 1, 4)
                                + struct.pack("<I", 0x11000000) + b"\xee\xee\xee\xee"), seq=0), 16, Context())[0]
    assert trailing.unknown_count() == 1 and "eeeeeeee" in format_tree(trailing.tree)
    # cut at every byte: never an exception
    full = msg(GENL_ID_PMCRAID, 0, bytes([1, 1, 0, 0]) + nla(1, struct.pack("<II8x", 1, 84)
               + hcam(P.HCAM_CCN, 0, entry(2, 1) + entry(2, 2))), seq=0)
    for n in range(len(full)):
        cut = bytearray(full[:n])
        if n >= 4:
            cut[0:4] = struct.pack("<I", n)
        for m in decode_frame(bytes(cut), 16, Context()):
            format_tree(m.tree)


SRC = Path(__file__).resolve().parents[2] / ".cache" / "linux-6.12" / "drivers" / "scsi"


def _source(name: str) -> str:
    if not (SRC / name).exists():
        pytest.fail(f"drivers/scsi/{name} is not here: tools/run-tests extracts it from linux-source-6.12")
    return (SRC / name).read_text()


def test_numbers_and_layouts_are_the_drivers():
    h, c = _source("pmcraid.h"), _source("pmcraid.c")
    defines = {k: int(v, 0) for k, v in re.findall(r"#define\s+(\w+)\s+(0x[0-9A-Fa-f]+|\d+)\b", h)}
    for names in (P.IOA_STATES, P.NOTIFICATIONS, P.RES_TYPES):
        for value, name in names.items():
            assert defines[name] == value, name
    for value, text in P.OP_CODES.items():
        assert defines[text.split()[0]] == value
    assert (defines["PMCRAID_DEVICE_ID_LEN"], defines["PMCRAID_LUN_LEN"]) == (8, 8)
    assert '.name = "pmcraid"' in c and re.search(r"PMCRAID_AEN_ATTR_UNSPEC,\s*PMCRAID_AEN_ATTR_EVENT,", c)
    assert re.search(r"PMCRAID_AEN_CMD_UNSPEC,\s*PMCRAID_AEN_CMD_EVENT,", c)
    # struct members in the header's order, with the widths typed here
    widths = {"__u8": 1, "u8": 1, "__le16": 2, "__le32": 4, "u32": 4}
    for cname, st in (("pmcraid_aen_msg", P.AEN), ("pmcraid_hcam_hdr", P.HCAM),
                      ("pmcraid_config_table_entry", P.CFG_ENTRY)):
        body = re.search(r"struct " + cname + r" \{(.*?)\}", h, re.S).group(1)
        members = []
        for ctype, name, count in re.findall(r"(\w+)\s+(\w+)(?:\[(\w+)\])?;", body):
            n = (defines.get(count) or int(count)) if count else 1
            members.append((name, widths[ctype] * n))
        if cname == "pmcraid_aen_msg":
            members = [(n, w) for n, w in members if n != "data"]   # the flexible array: what follows
        ours = [(m.name, st.construct.subcons[i].sizeof()) for i, m in enumerate(st.members)]
        assert ours == members, cname
