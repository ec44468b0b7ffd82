"""nfnetlink_acct (NFNL_SUBSYS_ACCT): extended accounting objects (`nfacct`)."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.schema import names_from
from ...generated import nfnetlink as N, nfnetlink_acct as A
from .protocol import Subsystem, register_subsystem, types

FLAGS = names_from(A, "NFACCT_F_", "nfnl_acct_flags", exclude=())
FILTER = enum_set("acct_filter", "nfacct.filter", A, "nfnl_attr_filter_type", "NFACCT_FILTER_", {},
                  label="filter", default=a("u32", big_endian=True))
ACCT = enum_set("acct", "nfacct", A, "nfnl_acct_type", "NFACCT_", {
    "NAME": "string", "PKTS": a("u64", big_endian=True), "BYTES": a("u64", big_endian=True),
    "USE": a("u32", big_endian=True), "FLAGS": a("u32", big_endian=True, flags=FLAGS),
    "QUOTA": a("u64", big_endian=True), "FILTER": a("nest", nested=FILTER), "PAD": "pad"}, label="accounting")


def acct_info(root) -> str:
    name = root.first("nfacct.name")
    return f"{name} {root.first('nfacct.pkts')} packets {root.first('nfacct.bytes')} bytes" \
        if name and root.first("nfacct.pkts") is not None else (name or "")


register_subsystem(Subsystem(N.NFNL_SUBSYS_ACCT, "nfacct",
                             types(names_from(A, "NFNL_MSG_ACCT_", "nfnl_acct_msg_types", exclude=("MAX",)),
                                   ACCT, acct_info), ACCT))
