"""SMC_PNETID: SMC-R/SMC-D's physical network ids (smc-tools' `smc_pnet`), net/smc/smc_pnet.c.

A PNET id groups an Ethernet device with the RoCE (ib) device and port, or ISM device, that
reach the same physical network; user space adds, deletes, lists and flushes the table.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import DEL, GET, NEW, GenlFamily, MessageType, register_genl_family
from .cenum import Header
from .protocol import top_attrs

# <linux/smc.h>
H = Header("linux/smc.h")
H.enum("SMC_PNETID_UNSPEC", "UNSPEC NAME ETHNAME IBNAME IBPORT __MAX", "SMC_PNETID_")
H.enum("SMC_PNETID_GET", "GET=1 ADD DEL FLUSH", "SMC_PNETID_")

# smc_pnet_policy: NAME a string of SMC_MAX_PNETID_LEN (16, net/smc/smc_pnet.h), ETHNAME and IBNAME strings, IBPORT u8
# (smc_pnet_set_nla puts the same, 255 for "no port")
PNETID = enum_set("smc_pnetid", "smc_pnetid", H, "SMC_PNETID_UNSPEC", "SMC_PNETID_", {
    "NAME": "string", "ETHNAME": "string", "IBNAME": "string", "IBPORT": "u8"}, label="SMC_PNETID")


@info()
def pnetid_info(root) -> str:
    """`NLSCOPE1 veth0 n/a 255`: smc_pnet's columns (pnetid, ethernet, ib device, port)."""
    v = top_attrs(root, "smc_pnetid.")
    if not v:
        return ""
    return " ".join(str(v[k].value) if k in v else "n/a" for k in ("name", "ethname", "ibname", "ibport"))


CMDS = {H.SMC_PNETID_GET: ("SMC_PNETID_GET", GET), H.SMC_PNETID_ADD: ("SMC_PNETID_ADD", NEW),
        H.SMC_PNETID_DEL: ("SMC_PNETID_DEL", DEL), H.SMC_PNETID_FLUSH: ("SMC_PNETID_FLUSH", DEL)}
register_genl_family(GenlFamily("SMC_PNETID", "smc_pnetid", {
    n: MessageType(0, name, kind, None, PNETID, info=pnetid_info) for n, (name, kind) in CMDS.items()}, PNETID))
