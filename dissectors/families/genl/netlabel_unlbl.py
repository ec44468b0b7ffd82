"""NLBL_UNLBL: NetLabel's unlabeled traffic (`netlabelctl unlbl …`), net/netlabel/netlabel_unlabeled.c.

The accept flag (ACCEPT sets it, LIST answers it) and the static (fallback) labels of
unlabeled packets, by receiving interface and source network: an interface name (none for the
default entry: the *DEF commands), an IPv4 or IPv6 address with its mask, and the LSM's
security context (netlbl_unlabel_staticlist_gen()).
"""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.info import info
from ...core.registry import GenlFamily, register_genl_family
from .netlabel_common import KINDS, address_text, commands, values

# net/netlabel/netlabel_unlabeled.h: the commands (enum, NLBL_UNLABEL_C_UNSPEC = 0)
CMDS = {1: "NLBL_UNLABEL_C_ACCEPT", 2: "NLBL_UNLABEL_C_LIST", 3: "NLBL_UNLABEL_C_STATICADD",
        4: "NLBL_UNLABEL_C_STATICREMOVE", 5: "NLBL_UNLABEL_C_STATICLIST", 6: "NLBL_UNLABEL_C_STATICADDDEF",
        7: "NLBL_UNLABEL_C_STATICREMOVEDEF", 8: "NLBL_UNLABEL_C_STATICLISTDEF"}
# net/netlabel/netlabel_unlabeled.h: the attributes (enum, NLBL_UNLABEL_A_UNSPEC = 0)
ATTRS = {"NLBL_UNLABEL_A_ACPTFLG": 1, "NLBL_UNLABEL_A_IPV6ADDR": 2, "NLBL_UNLABEL_A_IPV6MASK": 3,
         "NLBL_UNLABEL_A_IPV4ADDR": 4, "NLBL_UNLABEL_A_IPV4MASK": 5, "NLBL_UNLABEL_A_IFACE": 6,
         "NLBL_UNLABEL_A_SECCTX": 7}

# netlbl_unlabel_genl_policy: ACPTFLG NLA_U8; the addresses and masks NLA_BINARY of at most
# sizeof(struct in_addr) / sizeof(struct in6_addr) (exactly that where the kernel has the fix
# that made them NLA_POLICY_EXACT_LEN, before it netlbl_unlabel_addrinfo_get() checked them);
# IFACE NLA_NUL_STRING of at most IFNAMSIZ - 1; SECCTX NLA_BINARY: the LSM's context text, with
# its NUL when the LSM counts it (SELinux's security_sid_to_context() does)
UNLBL = AttrSet("nlbl_unlbl", "nlbl_unlbl", {
    "NLBL_UNLABEL_A_ACPTFLG": a("u8", show=lambda v: "on (1)" if v == 1 else ("off (0)" if v == 0 else str(v))),
    "NLBL_UNLABEL_A_IPV6ADDR": a("binary", hint="ipv6"), "NLBL_UNLABEL_A_IPV6MASK": a("binary", hint="ipv6"),
    "NLBL_UNLABEL_A_IPV4ADDR": a("binary", hint="ipv4"), "NLBL_UNLABEL_A_IPV4MASK": a("binary", hint="ipv4"),
    "NLBL_UNLABEL_A_IFACE": a("string"), "NLBL_UNLABEL_A_SECCTX": a("string")},
    ATTRS, strip="NLBL_UNLABEL_A_", label="NLBL_UNLBL")


def _static(root, default: bool) -> str:
    """`interface:lo,address:127.0.0.1/32,label:"system_u:object_r:foo_t:s0"` or `accept:on`:
    what `netlabelctl unlbl list` prints of one entry."""
    v = values(root.children, "nlbl_unlbl.")
    parts = []
    if "acptflg" in v:
        parts.append(f"accept:{'on' if v['acptflg'] else 'off'}")
    addr = address_text(v)
    if "iface" in v:
        parts.append(f"interface:{v['iface']}")
    elif default and addr is not None:
        parts.append("interface:DEFAULT")
    if addr is not None:
        parts.append(f"address:{addr}")
    if "secctx" in v:
        parts.append(f'label:"{v["secctx"]}"')
    return ",".join(parts)


@info()
def unlbl_info(root) -> str:
    """`accept:on`, `interface:lo,address:127.0.0.1/32,label:"…"`, in netlabelctl's words."""
    return _static(root, default=False)


@info()
def unlbl_default_info(root) -> str:
    """The default entry's (STATICADDDEF, STATICREMOVEDEF, STATICLISTDEF): `interface:DEFAULT,address:…`."""
    return _static(root, default=True)


_DEF = ("NLBL_UNLABEL_C_STATICADDDEF", "NLBL_UNLABEL_C_STATICREMOVEDEF", "NLBL_UNLABEL_C_STATICLISTDEF")
register_genl_family(GenlFamily("NLBL_UNLBL", "nlbl_unlbl", commands(
    CMDS, KINDS, UNLBL, {n: unlbl_default_info if n in _DEF else unlbl_info for n in CMDS.values()}), UNLBL))
