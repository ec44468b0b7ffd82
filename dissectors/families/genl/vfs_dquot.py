"""VFS_DQUOT: disk quota warnings (quota_nld of the quota package), fs/quota/netlink.c.

The kernel only sends: QUOTA_NL_C_WARNING to the "events" group, one per quota limit crossed.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...generated import quota as H
from .protocol import top_attrs

# the QUOTA_NL_* warnings and the quota types are #defines of the header, not enums
WARNINGS = {v: k for k, v in vars(H).items()
            if k.startswith("QUOTA_NL_") and not k.startswith(("QUOTA_NL_A_", "QUOTA_NL_C_"))}
QTYPES = {H.USRQUOTA: "USRQUOTA", H.GRPQUOTA: "GRPQUOTA", H.PRJQUOTA: "PRJQUOTA"}
# quota_send_warning(): QTYPE, WARNING, DEV_MAJOR, DEV_MINOR u32; the ids u64 (nla_put_u64_64bit)
QUOTA = enum_set("quota", "vfs_dquot", H, "QUOTA_NL_A_UNSPEC", "QUOTA_NL_A_", {
    "QTYPE": a("u32", enum=QTYPES), "EXCESS_ID": "u64", "WARNING": a("u32", enum=WARNINGS), "DEV_MAJOR": "u32",
    "DEV_MINOR": "u32", "CAUSED_ID": "u64", "PAD": "pad"}, label="VFS_DQUOT")


@info()
def quota_info(root) -> str:
    """`USRQUOTA id 1000 QUOTA_NL_BSOFTWARN dev 8:1`."""
    v = top_attrs(root, "vfs_dquot.")
    parts = []
    if "qtype" in v:
        parts.append(QTYPES.get(v["qtype"].value, f"type {v['qtype'].value}"))
    if "excess_id" in v:
        parts.append(f"id {v['excess_id'].value}")
    if "warning" in v:
        parts.append(WARNINGS.get(v["warning"].value, str(v["warning"].value)))
    if "dev_major" in v and "dev_minor" in v:
        parts.append(f"dev {v['dev_major'].value}:{v['dev_minor'].value}")
    return " ".join(parts)


register_genl_family(GenlFamily("VFS_DQUOT", "vfs_dquot", {
    H.QUOTA_NL_C_WARNING: MessageType(0, "QUOTA_NL_C_WARNING", "other", None, QUOTA, info=quota_info)}, QUOTA))
