"""SEG6: IPv6 segment routing's tunnel source and HMAC keys (`ip sr`), net/ipv6/seg6.c.

An HMAC key's secret (SEG6_ATTR_SECRET, which `ip sr hmac show` prints in clear) is shown
redacted like every other secret (core/secrets.py).
"""
from __future__ import annotations

from types import SimpleNamespace

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from

# Constants of <linux/seg6_genl.h> and <linux/seg6_hmac.h> (the same in 6.1 and 6.12), read by
# tools/gen_uapi.py's parser; they move to dissectors/generated/ once it lists the headers.
H = SimpleNamespace(ENUMS={
    "SEG6_ATTR_UNSPEC": ("SEG6_ATTR_UNSPEC", "SEG6_ATTR_DST", "SEG6_ATTR_DSTLEN", "SEG6_ATTR_HMACKEYID",
        "SEG6_ATTR_SECRET", "SEG6_ATTR_SECRETLEN", "SEG6_ATTR_ALGID", "SEG6_ATTR_HMACINFO", "__SEG6_ATTR_MAX"),
    "SEG6_CMD_UNSPEC": ("SEG6_CMD_UNSPEC", "SEG6_CMD_SETHMAC", "SEG6_CMD_DUMPHMAC", "SEG6_CMD_SET_TUNSRC",
        "SEG6_CMD_GET_TUNSRC", "__SEG6_CMD_MAX"),
    "SEG6_HMAC_ALGO_SHA1": ("SEG6_HMAC_ALGO_SHA1", "SEG6_HMAC_ALGO_SHA256"),
},
    SEG6_ATTR_UNSPEC=0, SEG6_ATTR_DST=1, SEG6_ATTR_DSTLEN=2, SEG6_ATTR_HMACKEYID=3, SEG6_ATTR_SECRET=4,
    SEG6_ATTR_SECRETLEN=5, SEG6_ATTR_ALGID=6, SEG6_ATTR_HMACINFO=7, __SEG6_ATTR_MAX=8, SEG6_CMD_UNSPEC=0,
    SEG6_CMD_SETHMAC=1, SEG6_CMD_DUMPHMAC=2, SEG6_CMD_SET_TUNSRC=3, SEG6_CMD_GET_TUNSRC=4, __SEG6_CMD_MAX=5,
    SEG6_HMAC_ALGO_SHA1=1, SEG6_HMAC_ALGO_SHA256=2)

ALGOS = names_from(H, "SEG6_HMAC_ALGO_", "SEG6_HMAC_ALGO_SHA1")
# seg6_genl_policy: DST exactly an in6_addr, DSTLEN s32, HMACKEYID u32, SECRET binary, SECRETLEN
# and ALGID u8, HMACINFO a nest (declared, read by no command, put by no reply)
SEG6 = enum_set("seg6", "seg6", H, "SEG6_ATTR_UNSPEC", "SEG6_ATTR_", {
    "DST": a("binary", hint="ipv6"), "DSTLEN": "s32", "HMACKEYID": "u32", "SECRET": a("binary", hint="secret"),
    "SECRETLEN": "u8", "ALGID": a("u8", enum=ALGOS), "HMACINFO": "nest"}, label="SEG6")


@info()
def seg6_info(root) -> str:
    """`tunsrc 2001:db8::1`, `hmac 42 algo sha256 secret <14 bytes>`: as `ip sr` prints them."""
    v = {c.field.abbrev[len("seg6."):]: c for c in root.children or ()
         if c.field.abbrev.startswith("seg6.") and not c.status}
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
