"""nft_compat (NFNL_SUBSYS_NFT_COMPAT): iptables-nft asking whether xtables matches and targets
exist, and OSF (NFNL_SUBSYS_OSF): passive OS fingerprints (`nfnl_osf`)."""
from __future__ import annotations

import struct

from construct import Int8ul, Int16ul, Int32ul

from ...core.attrs import a, c_string, enum_set
from ...core.info import info
from ...core.schema import FixedStruct, member, names_from, raw
from ...generated import nf_tables_compat as C, nfnetlink as N, nfnetlink_osf as O
from .protocol import Subsystem, register_subsystem, types

COMPAT = enum_set("compat", "nft_compat", C, "NFTA_COMPAT_UNSPEC", "NFTA_COMPAT_", {
    "NAME": "string", "REV": a("u32", big_endian=True), "TYPE": a("u32", big_endian=True,
                                                                 enum={0: "match", 1: "target"})},
    label="xtables extension")
register_subsystem(Subsystem(N.NFNL_SUBSYS_NFT_COMPAT, "nft_compat",
                             types(names_from(C, "NFNL_MSG_COMPAT_", "NFNL_MSG_COMPAT_GET", exclude=("MAX",)),
                                   COMPAT, lambda r: r.first("nft_compat.name") or ""), COMPAT))


def _name(b: bytes) -> str:
    return c_string(b, 0, len(b))


_OPT = struct.Struct("=HHII")   # struct nf_osf_opt: kind, length, wc (wc, val)


def _options(b: bytes) -> str:
    """The TCP options a fingerprint matches, in order (the unused slots of the 40 left out)."""
    opts = [_OPT.unpack_from(b, i) for i in range(0, len(b) - _OPT.size + 1, _OPT.size)]
    used = [f"kind {k} len {ln}" + (f" wc {wc} val {val}" if wc or val else "") for k, ln, wc, val in opts
            if k or ln or wc or val]
    return "; ".join(used) if used else "none"


# struct nf_osf_user_finger: window size (wildcard kind, value), TTL, DF, SYN size, MSS,
# the count of options, three names of 32 bytes, then 40 struct nf_osf_opt
FINGER = FixedStruct("nf_osf_user_finger", "osf.finger", [
    member("wss_wc", Int32ul), member("wss_val", Int32ul), member("ttl", Int8ul), member("df", Int8ul),
    member("ss", Int16ul), member("mss", Int16ul), member("opt_num", Int16ul), raw("genre", 32, _name),
    raw("version", 32, _name), raw("subtype", 32, _name), raw("opt", 40 * _OPT.size, _options)],
    label="nf_osf_user_finger")
OSF = enum_set("osf", "osf", O, "nf_osf_attr_type", "OSF_ATTR_", {"FINGER": a("struct", struct=FINGER)},
               label="OS fingerprint")


@info(full_tree=True)   # the names are members of the fingerprint's struct
def osf_info(root) -> str:
    """`Linux 2.6 (generic)`: the fingerprint's genre, version and subtype."""
    genre, version, sub = (_name(root.first(f"osf.finger.{k}") or b"") for k in ("genre", "version", "subtype"))
    return " ".join(x for x in (genre, version) if x) + (f" ({sub})" if sub else "")


register_subsystem(Subsystem(N.NFNL_SUBSYS_OSF, "osf",
                             types(names_from(O, "OSF_MSG_", "nf_osf_msg_types", exclude=("MAX",)), OSF, osf_info),
                             OSF))
