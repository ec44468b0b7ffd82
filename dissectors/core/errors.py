"""Errno names (Linux numbering, from the UAPI headers) for NLMSG_ERROR and NLMSG_DONE."""
from __future__ import annotations

import os

from ..generated import errno as E, errno_base as EB

# name -> number, every E* constant (aliases like EWOULDBLOCK included)
ERRNO_VALUES: dict[str, int] = {k: v for mod in (EB, E) for k, v in vars(mod).items()
                                if k.startswith("E") and k.isupper() and isinstance(v, int)}
# number -> name, the first name the headers give it
ERRNO_NAMES: dict[int, str] = {}
for _k, _v in ERRNO_VALUES.items():
    ERRNO_NAMES.setdefault(_v, _k)


def errno_name(code: int) -> str:
    """-17 -> 'EEXIST'; 0 -> 'OK'; unknown -> 'errno 4242'."""
    if code == 0:
        return "OK"
    return ERRNO_NAMES.get(-code if code < 0 else code, f"errno {abs(code)}")


def error_name(code: int) -> str:
    """The name of an NLMSG_ERROR or NLMSG_DONE code: 0 -> 'OK', -17 -> 'EEXIST'; a positive
    code -> '+1'.  The kernel acks what a handler returned as it came (netlink_rcv_skb), and a
    few handlers return a value, not an error (HWSIM_CMD_NEW_RADIO the new radio's id): a
    positive code names no errno."""
    return f"+{code}" if code > 0 else errno_name(code)


def errno_text(code: int) -> str:
    """-17 -> '-17 (EEXIST: File exists)'; 1 -> '1 (positive: a value the handler returned, not an errno)'."""
    if code == 0:
        return "0 (ACK)"
    if code > 0:
        return f"{code} (positive: a value the handler returned, not an errno)"
    n = abs(code)
    name = ERRNO_NAMES.get(n)
    if name is None:  # any other int, -2**31 too (strerror takes a C int)
        return f"{code} (unknown errno)"
    try:
        msg = os.strerror(n)  # Linux numbering on Linux; the name is what counts elsewhere
    except (ValueError, OverflowError):
        msg = ""
    return f"{code} ({name}: {msg})" if msg and not msg.startswith("Unknown") else f"{code} ({name})"
