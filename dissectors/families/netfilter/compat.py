"""nft_compat (NFNL_SUBSYS_NFT_COMPAT): iptables-nft asking whether xtables matches and targets
exist, and OSF (NFNL_SUBSYS_OSF): passive OS fingerprints (`nfnl_osf`)."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.schema import names_from
from ...generated import nf_tables_compat as C, nfnetlink as N, nfnetlink_osf as O
from .protocol import Subsystem, register_subsystem, types

COMPAT = enum_set("compat", "nft_compat", C, "NFTA_COMPAT_UNSPEC", "NFTA_COMPAT_", {
    "NAME": "string", "REV": a("u32", big_endian=True), "TYPE": a("u32", big_endian=True,
                                                                 enum={0: "match", 1: "target"})},
    label="xtables extension")
register_subsystem(Subsystem(N.NFNL_SUBSYS_NFT_COMPAT, "nft_compat",
                             types(names_from(C, "NFNL_MSG_COMPAT_", "NFNL_MSG_COMPAT_GET", exclude=("MAX",)),
                                   COMPAT, lambda r: r.first("nft_compat.name") or ""), COMPAT))
OSF = enum_set("osf", "osf", O, "nf_osf_attr_type", "OSF_ATTR_", {"FINGER": "binary"}, label="OS fingerprint")
register_subsystem(Subsystem(N.NFNL_SUBSYS_OSF, "osf",
                             types(names_from(O, "OSF_MSG_", "nf_osf_msg_types", exclude=("MAX",)), OSF), OSF))
