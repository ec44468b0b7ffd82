"""VFS_DQUOT: disk quota warnings (quota_nld of the quota package), fs/quota/netlink.c.

The kernel only sends: QUOTA_NL_C_WARNING to the "events" group, one per quota limit crossed.
"""
from __future__ import annotations

from types import SimpleNamespace

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import names_from

# Constants of <linux/quota.h> (the same in 6.1 and 6.12): the netlink enums and the
# QUOTA_NL_* warning #defines, read by tools/gen_uapi.py's parser; they move to
# dissectors/generated/ once it lists the header.
_ENUMS = {
    "QUOTA_NL_C_UNSPEC": {"QUOTA_NL_C_UNSPEC": 0, "QUOTA_NL_C_WARNING": 1},
    "QUOTA_NL_A_UNSPEC": {"QUOTA_NL_A_UNSPEC": 0, "QUOTA_NL_A_QTYPE": 1, "QUOTA_NL_A_EXCESS_ID": 2,
        "QUOTA_NL_A_WARNING": 3, "QUOTA_NL_A_DEV_MAJOR": 4, "QUOTA_NL_A_DEV_MINOR": 5, "QUOTA_NL_A_CAUSED_ID": 6,
        "QUOTA_NL_A_PAD": 7},
    "QUOTA_NL_NOWARN": {"QUOTA_NL_NOWARN": 0, "QUOTA_NL_IHARDWARN": 1, "QUOTA_NL_ISOFTLONGWARN": 2,
        "QUOTA_NL_ISOFTWARN": 3, "QUOTA_NL_BHARDWARN": 4, "QUOTA_NL_BSOFTLONGWARN": 5, "QUOTA_NL_BSOFTWARN": 6,
        "QUOTA_NL_IHARDBELOW": 7, "QUOTA_NL_ISOFTBELOW": 8, "QUOTA_NL_BHARDBELOW": 9, "QUOTA_NL_BSOFTBELOW": 10},
}
H = SimpleNamespace(ENUMS={t: tuple(m) for t, m in _ENUMS.items()},
                    **{k: v for m in _ENUMS.values() for k, v in m.items()})
WARNINGS = names_from(H, "QUOTA_NL_", "QUOTA_NL_NOWARN", exclude=())
QTYPES = {0: "USRQUOTA", 1: "GRPQUOTA", 2: "PRJQUOTA"}   # <linux/quota.h> #defines
# quota_send_warning(): QTYPE, WARNING, DEV_MAJOR, DEV_MINOR u32; the ids u64 (nla_put_u64_64bit)
QUOTA = enum_set("quota", "vfs_dquot", H, "QUOTA_NL_A_UNSPEC", "QUOTA_NL_A_", {
    "QTYPE": a("u32", enum=QTYPES), "EXCESS_ID": "u64", "WARNING": a("u32", enum=WARNINGS), "DEV_MAJOR": "u32",
    "DEV_MINOR": "u32", "CAUSED_ID": "u64", "PAD": "pad"}, label="VFS_DQUOT")


@info()
def quota_info(root) -> str:
    """`USRQUOTA id 1000 QUOTA_NL_BSOFTWARN dev 8:1`."""
    v = {c.field.abbrev[len("vfs_dquot."):]: c for c in root.children or ()
         if c.field.abbrev.startswith("vfs_dquot.") and not c.status}
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
