"""TCM-USER: the SCSI target's user-space backstores (tcmu-runner), drivers/target/target_core_user.c.

The kernel tells the daemon of a backstore it made, removed or changed by multicasting
ADDED_DEVICE, REMOVED_DEVICE and RECONFIG_DEVICE on the group "config"
(tcmu_netlink_event_init(): the UIO device's name `tcm-user/<hba>/<name>[/<config>]`, its
minor and the device index; a RECONFIG adds the new config string, size or write cache
setting) and, when the daemon said it replies (SET_FEATURES with SUPP_KERN_CMD_REPLY 1),
waits for the matching *_DONE: the device index and the daemon's status, 0 or a negative
errno (tcmu_genl_cmd_done()).  The commands carry no header of their own.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.errors import errno_name
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import names_from
from ...generated import target_core_user as H


def _status(v: int) -> str:
    """The daemon's status in a *_DONE: 0 or a negative errno, as its handler returned it."""
    return f"{v} (OK)" if v == 0 else f"{v} ({errno_name(v)})" if v < 0 else f"{v} (not an errno)"


# tcmu_attr_policy: DEVICE a string, MINOR and DEVICE_ID u32, CMD_STATUS s32, the feature u8;
# what tcmu_dev_*_store() puts in a RECONFIG: DEV_CFG a string, DEV_SIZE a u64 (padded with
# PAD), WRITECACHE a u8
TCMU = enum_set("tcmu", "tcmu", H, "tcmu_genl_attr", "TCMU_ATTR_", {
    "DEVICE": "string", "MINOR": "u32", "PAD": "pad", "DEV_CFG": "string", "DEV_SIZE": a("u64", unit="bytes"),
    "WRITECACHE": a("u8", enum={0: "off", 1: "on"}), "CMD_STATUS": a("s32", show=_status), "DEVICE_ID": "u32",
    "SUPP_KERN_CMD_REPLY": a("u8", enum={0: "no", 1: "yes"})}, label="tcm-user")


# each attribute's words in the Info column, in the order the kernel and the daemon put them
_WORDS = {
    "tcmu.device": str, "tcmu.minor": lambda v: f"minor {v}", "tcmu.device_id": lambda v: f"id {v}",
    "tcmu.dev_cfg": lambda v: f"config {v}", "tcmu.dev_size": lambda v: f"size {v}",
    "tcmu.writecache": lambda v: f"write cache {'on' if v else 'off'}",
    "tcmu.cmd_status": lambda v: f"status {_status(v)}",
    "tcmu.supp_kern_cmd_reply": lambda v: f"replies {'yes' if v else 'no'}"}


@info()
def tcmu_info(root) -> str:
    """`tcm-user/0/disk0/qcow//tmp/disk0.qcow2 minor 0 id 1`, `status 0 (OK) id 1`, `replies yes`."""
    # a value of the wrong size stays its bytes (shown malformed): not read as a number here
    return " ".join(_WORDS[n.field.abbrev](n.value) for n in root.walk() if n.field.abbrev in _WORDS and not n.status)


CMDS = names_from(H, "TCMU_CMD_", "tcmu_genl_cmd")
KINDS = {"ADDED_DEVICE": "new", "REMOVED_DEVICE": "del", "RECONFIG_DEVICE": "new", "SET_FEATURES": "new"}
register_genl_family(GenlFamily("TCM-USER", "tcmu", {
    n: MessageType(0, name, KINDS.get(name[len("TCMU_CMD_"):], "other"), None, TCMU, info=tcmu_info)
    for n, name in CMDS.items()}, TCMU))
