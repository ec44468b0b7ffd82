"""TCM-USER (drivers/target/target_core_user.c) from messages built as the kernel and
tcmu-runner build them: the kernel's device events (tcmu_netlink_event_init(): UIO name,
minor, device index; a RECONFIG's one changed setting), the daemon's *_DONE answers (status 0
or a negative errno) and SET_FEATURES; what tcmu_attr_policy does not know shown as unknown,
a payload of the wrong size as malformed.  Real traffic: tests/captures (tcm-user.pcapng)."""
from __future__ import annotations

import struct

import dissectors
from dissectors import Context, decode_frame, format_tree
from tests.dissectors.build import msg, nla

dissectors.load_families()
from dissectors.families.genl import tcm_user as T  # noqa: E402

H = T.H
FID = 0x20
NAME = "tcm-user/1/disk0/qcow//tmp/disk0.qcow2"


def _decode(cmd: int, body: bytes, flags: int = 0, pid: int = 0):
    frame = msg(FID, flags, bytes([cmd, 2, 0, 0]) + body, pid=pid, seq=0 if pid == 0 else 7)
    m = decode_frame(frame, protocol=16, ctx=Context({FID: "TCM-USER"}))[0]
    # the summary's Info (a shallow decode, made first) is the one the full tree makes
    mt = m.message_type
    if mt is not None and mt.info is not None:
        assert m.info == mt.info(m.tree)
    return m


def _event(cmd: int, *extra: bytes):
    """The kernel's multicast: DEVICE, MINOR, DEVICE_ID, then what a RECONFIG adds."""
    return _decode(cmd, b"".join([nla(H.TCMU_ATTR_DEVICE, NAME.encode() + b"\0"),
                                  nla(H.TCMU_ATTR_MINOR, struct.pack("<I", 1)),
                                  nla(H.TCMU_ATTR_DEVICE_ID, struct.pack("<I", 2)), *extra]))


def _whole(m) -> None:
    bad = [(n.name, n.status) for n in m.tree.walk() if n.status]
    assert m.claimed and not m.malformed and not bad and m.unknown_count() == 0, bad


def test_device_events_of_the_kernel():
    m = _event(H.TCMU_CMD_ADDED_DEVICE)
    _whole(m)
    assert (m.family, m.type_name) == ("TCM-USER", "TCMU_CMD_ADDED_DEVICE")
    assert m.info == f"{NAME} minor 1 id 2"
    assert (m.tree.first("tcmu.device"), m.tree.first("tcmu.minor"), m.tree.first("tcmu.device_id")) == (NAME, 1, 2)
    # a RECONFIG carries the one setting changed: the config string, the size (a u64 the
    # kernel puts with nla_put_u64_64bit: a PAD attribute first where it would be unaligned)
    cfg = _event(H.TCMU_CMD_RECONFIG_DEVICE, nla(H.TCMU_ATTR_DEV_CFG, b"qcow//tmp/other.qcow2\0"))
    _whole(cfg)
    assert cfg.info.endswith("config qcow//tmp/other.qcow2")
    size = _event(H.TCMU_CMD_RECONFIG_DEVICE, nla(H.TCMU_ATTR_PAD, b""), nla(H.TCMU_ATTR_DEV_SIZE, struct.pack("<Q", 1 << 33)))
    _whole(size)
    assert size.tree.first("tcmu.dev_size") == 1 << 33 and size.info.endswith(f"size {1 << 33}")
    wc = _event(H.TCMU_CMD_RECONFIG_DEVICE, nla(H.TCMU_ATTR_WRITECACHE, b"\1"))
    _whole(wc)
    assert wc.tree.find("tcmu.writecache").show == "on (1)" and wc.info.endswith("write cache on")
    assert _event(H.TCMU_CMD_REMOVED_DEVICE).type_name == "TCMU_CMD_REMOVED_DEVICE"


def test_the_daemons_answers_name_their_errno():
    def done(cmd, status):
        return _decode(cmd, nla(H.TCMU_ATTR_CMD_STATUS, struct.pack("<i", status))
                       + nla(H.TCMU_ATTR_DEVICE_ID, struct.pack("<I", 2)), flags=5, pid=4242)
    ok = done(H.TCMU_CMD_ADDED_DEVICE_DONE, 0)
    _whole(ok)
    assert ok.info == "status 0 (OK) id 2" and ok.direction == "to kernel"
    no = done(H.TCMU_CMD_RECONFIG_DEVICE_DONE, -95)
    assert no.tree.first("tcmu.cmd_status") == -95
    assert "-95 (EOPNOTSUPP)" in format_tree(no.tree) and no.info.startswith("status -95 (EOPNOTSUPP)")
    assert done(H.TCMU_CMD_REMOVED_DEVICE_DONE, -2).info.startswith("status -2 (ENOENT)")
    # not an errno: whatever the daemon's handler returned, said so
    assert "not an errno" in done(H.TCMU_CMD_ADDED_DEVICE_DONE, 3).info
    feat = _decode(H.TCMU_CMD_SET_FEATURES, nla(H.TCMU_ATTR_SUPP_KERN_CMD_REPLY, b"\1"), flags=5, pid=4242)
    _whole(feat)
    assert feat.info == "replies yes" and feat.tree.find("tcmu.supp_kern_cmd_reply").show == "yes (1)"


def test_what_the_policy_does_not_know_is_shown_not_dropped():
    # an attribute number past TCMU_ATTR_MAX: shown as unknown with its bytes
    m = _decode(H.TCMU_CMD_ADDED_DEVICE_DONE, nla(H.TCMU_ATTR_MAX + 1, b"\xde\xad\xbe\xef"), flags=5, pid=1)
    assert m.unknown_count() == 1 and f"attribute {H.TCMU_ATTR_MAX + 1} (unknown): deadbeef" in format_tree(m.tree)
    # a u32 of two bytes (nla_get_u32 would read past it: the policy refuses it)
    bad = _decode(H.TCMU_CMD_ADDED_DEVICE_DONE, nla(H.TCMU_ATTR_DEVICE_ID, b"\1\0"), flags=5, pid=1)
    assert [n.status for n in bad.tree.walk() if n.status] == ["malformed"]
    # a value of the wrong size: malformed, and the Info does not read its bytes as a number
    wide = _decode(H.TCMU_CMD_ADDED_DEVICE_DONE, nla(H.TCMU_ATTR_CMD_STATUS, struct.pack("<q", -95))
                   + nla(H.TCMU_ATTR_DEVICE_ID, struct.pack("<I", 2)), flags=5, pid=1)
    assert wide.info == "id 2" and "malformed" in [n.status for n in wide.tree.walk() if n.status]
    # a command number the family does not have: named by its number, not claimed
    other = _decode(H.TCMU_CMD_MAX + 1, b"", flags=5, pid=1)
    assert (other.type_name, other.claimed) == (f"cmd {H.TCMU_CMD_MAX + 1}", False)


def test_every_command_is_declared():
    fam = dissectors.core.registry.GENL_FAMILIES["TCM-USER"]
    assert sorted(mt.name for mt in fam.commands.values()) == sorted(
        k for k in vars(H) if k.startswith("TCMU_CMD_") and k not in ("TCMU_CMD_UNSPEC", "TCMU_CMD_MAX"))
    assert {spec.name for spec in T.TCMU.by_num.values()} == {
        k for k in vars(H) if k.startswith("TCMU_ATTR_") and k not in ("TCMU_ATTR_UNSPEC", "TCMU_ATTR_MAX")}
