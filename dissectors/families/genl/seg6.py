"""SEG6: IPv6 segment routing's tunnel source and HMAC keys (`ip sr`), net/ipv6/seg6.c.

An HMAC key's secret (SEG6_ATTR_SECRET, which `ip sr hmac show` prints in clear) is shown
redacted like every other secret (core/secrets.py).
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import seg6_genl as H
from ...generated import seg6_hmac as HMAC
from .protocol import top_attrs

ALGOS = names_from(HMAC, "SEG6_HMAC_ALGO_", "SEG6_HMAC_ALGO_SHA1")
# seg6_genl_policy: DST exactly an in6_addr, DSTLEN s32, HMACKEYID u32, SECRET binary, SECRETLEN
# and ALGID u8, HMACINFO a nest (declared, read by no command, put by no reply)
SEG6 = enum_set("seg6", "seg6", H, "SEG6_ATTR_UNSPEC", "SEG6_ATTR_", {
    "DST": a("binary", hint="ipv6"), "DSTLEN": "s32", "HMACKEYID": "u32", "SECRET": a("binary", hint="secret"),
    "SECRETLEN": "u8", "ALGID": a("u8", enum=ALGOS), "HMACINFO": "nest"}, label="SEG6")


@info()
def seg6_info(root) -> str:
    """`tunsrc 2001:db8::1`, `hmac 42 algo sha256 secret <14 bytes>`: as `ip sr` prints them."""
    v = top_attrs(root, "seg6.")
    parts = []
    if "dst" in v:
        parts.append(f"tunsrc {v['dst'].value}")
    if "hmackeyid" in v:
        parts.append(f"hmac {v['hmackeyid'].value}")
    if "algid" in v:
        alg = ALGOS.get(v["algid"].value)
        parts.append(f"algo {alg[len('SEG6_HMAC_ALGO_'):].lower() if alg else v['algid'].value}")
    if "secret" in v:
        parts.append(f"secret {v['secret'].show}")
    elif "secretlen" in v and v["secretlen"].value == 0:
        parts.append("no secret (delete)")
    return " ".join(parts)


CMDS = names_from(H, "SEG6_CMD_", "SEG6_CMD_UNSPEC")
# SETHMAC and DUMPHMAC: a set and a get, as their names do not say to kind_from_name()
KINDS = {"SEG6_CMD_SETHMAC": "new", "SEG6_CMD_DUMPHMAC": "get"}
register_genl_family(GenlFamily("SEG6", "seg6", {
    n: MessageType(0, name, KINDS.get(name) or kind_from_name(name), None, SEG6, info=seg6_info)
    for n, name in CMDS.items()}, SEG6))
