"""Errno names (Linux numbering, from the UAPI headers) for NLMSG_ERROR and NLMSG_DONE."""
from __future__ import annotations

import os

from ..generated import errno as E, errno_base as EB

ERRNO_NAMES: dict[int, str] = {}
for _mod in (EB, E):
    for _k, _v in vars(_mod).items():
        if _k.startswith("E") and _k.isupper() and isinstance(_v, int):
            ERRNO_NAMES.setdefault(_v, _k)
ERRNO_VALUES: dict[str, int] = {}
for _mod in (EB, E):
    for _k, _v in vars(_mod).items():
        if _k.startswith("E") and _k.isupper() and isinstance(_v, int):
            ERRNO_VALUES[_k] = _v


def errno_name(code: int) -> str:
    """-17 -> 'EEXIST'; 0 -> 'OK'; unknown -> 'errno 4242'."""
    if code == 0:
        return "OK"
    return ERRNO_NAMES.get(-code if code < 0 else code, f"errno {abs(code)}")


def errno_text(code: int) -> str:
    """-17 -> '-17 (EEXIST: File exists)'."""
    if code == 0:
        return "0 (ACK)"
    n = abs(code)
    try:
        msg = os.strerror(n)  # Linux numbering on Linux; the name is what counts elsewhere
    except ValueError:
        msg = ""
    name = ERRNO_NAMES.get(n)
    if name is None:
        return f"{code} (unknown errno)"
    return f"{code} ({name}: {msg})" if msg and not msg.startswith("Unknown") else f"{code} ({name})"
