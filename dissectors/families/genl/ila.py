"""ila: Identifier-Locator Addressing mappings (`ip ila add|del|list`), net/ipv6/ila/ila_xlat.c.

Still in 6.12 (CONFIG_IPV6_ILA=m on Debian); the locators are 64-bit values in network order,
shown as `ip ila` prints them: four groups of hex digits (2001:db8:1:2).
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import ila as H
from .protocol import top_attrs

CSUM_MODES = names_from(H, "ILA_CSUM_", "ILA_CSUM_ADJUST_TRANSPORT")
IDENT_TYPES = names_from(H, "ILA_ATYPE_", "ILA_ATYPE_IID")
HOOK_TYPES = names_from(H, "ILA_HOOK_", "ILA_HOOK_ROUTE_OUTPUT")
DIRS = names_from(H, "ILA_DIR_", exclude=())   # the ILA_ATTR_DIR bits, #defines of the header


def _locator(v: int) -> str:
    """A 64-bit locator or identifier as `ip ila` prints it (print_addr64(): 4 groups of 16 bits)."""
    return ":".join(f"{(v >> s) & 0xFFFF:x}" for s in (48, 32, 16, 0))


# ila_nl_policy: LOCATOR and LOCATOR_MATCH u64 (the __be64 as it is), IFINDEX u32 (an s32 in
# replies, ila_fill_info()), CSUM_MODE and IDENT_TYPE u8; IDENTIFIER, DIR and HOOK_TYPE are the
# ILA lwtunnel's (ila_lwt.c), named here for completeness
ILA = enum_set("ila", "ila", H, "ILA_ATTR_UNSPEC", "ILA_ATTR_", {
    "LOCATOR": a("u64", big_endian=True, show=_locator), "IDENTIFIER": a("u64", big_endian=True, show=_locator),
    "LOCATOR_MATCH": a("u64", big_endian=True, show=_locator), "IFINDEX": "s32",
    "DIR": a("u32", flags=DIRS), "PAD": "pad",
    "CSUM_MODE": a("u8", enum=CSUM_MODES), "IDENT_TYPE": a("u8", enum=IDENT_TYPES),
    "HOOK_TYPE": a("u8", enum=HOOK_TYPES)}, label="ila")


@info()
def ila_info(root) -> str:
    """`2001:db8:1:2 -> 2001:db8:3:4 dev 3 csum-mode neutral-map`: what ip ila list prints."""
    v = {k: n.value for k, n in top_attrs(root, "ila.").items()}
    parts = []
    if "locator_match" in v:
        parts.append(_locator(v["locator_match"]))
    if "locator" in v:
        parts.append(f"-> {_locator(v['locator'])}")
    if v.get("ifindex"):
        parts.append(f"dev {v['ifindex']}")
    if "csum_mode" in v:
        name = CSUM_MODES.get(v["csum_mode"], str(v["csum_mode"]))
        parts.append("csum-mode " + name.replace("ILA_CSUM_", "").lower().replace("_", "-"))
    if "ident_type" in v:
        name = IDENT_TYPES.get(v["ident_type"], str(v["ident_type"]))
        parts.append("ident-type " + name.replace("ILA_ATYPE_", "").lower().replace("_", "-"))
    return " ".join(parts)


CMDS = names_from(H, "ILA_CMD_", "ILA_CMD_UNSPEC")
register_genl_family(GenlFamily("ila", "ila", {
    n: MessageType(0, name, kind_from_name(name.replace("FLUSH", "DEL_ALL")), None, ILA, info=ila_info)
    for n, name in CMDS.items()}, ILA))
