"""Addresses: RTM_NEWADDR/DELADDR/GETADDR with struct ifaddrmsg and IFA_* attributes."""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.info import info
from ...core.schema import c_struct, names_from
from ...generated import if_addr as A
from .common import show_af, show_scope
from .link import RTGENMSG
from .protocol import add_types, is_dump_request, top

IFA_F_NAMES = names_from(A, "IFA_F_", exclude=())
IFADDRMSG = c_struct(A, "ifaddrmsg", "rtnl.addr", strip="ifa_", label="Address message (ifaddrmsg)",
                     show={"family": show_af, "scope": show_scope}, flags={"flags": IFA_F_NAMES})
CACHEINFO = c_struct(A, "ifa_cacheinfo", "rtnl.addr.cacheinfo", label="ifa_cacheinfo")

ADDR_ATTRS = AttrSet("addr", "rtnl.addr", {
    "IFA_ADDRESS": a("addr"),
    "IFA_LOCAL": a("addr"),
    "IFA_LABEL": a("string"),
    "IFA_BROADCAST": a("addr"),
    "IFA_ANYCAST": a("addr"),
    "IFA_CACHEINFO": a("struct", struct=CACHEINFO),
    "IFA_MULTICAST": a("addr"),
    "IFA_FLAGS": a("u32", flags=IFA_F_NAMES),
    "IFA_RT_PRIORITY": a("u32"),
    "IFA_TARGET_NETNSID": a("s32"),
    "IFA_PROTO": a("u8", enum=names_from(A, "IFAPROT_", exclude=())),
}, A, strip="IFA_", label="address")


@info(("rtnl.addr.local", "rtnl.addr.address", "rtnl.addr.label"))   # the rest is ifaddrmsg
def addr_info(root) -> str:
    """`10.0.0.1/24 dev 3 label eth0`."""
    addr = top(root, "rtnl.addr.local") or top(root, "rtnl.addr.address")
    index = top(root, "rtnl.addr.index")
    if addr is None:
        return f"dev {index}" if index else "dump" if is_dump_request(root) else "-"
    out = f"{addr}/{top(root, 'rtnl.addr.prefixlen')} dev {index}"
    label = top(root, "rtnl.addr.label")
    return out + (f" label {label}" if label else "")


add_types(["RTM_NEWADDR", "RTM_DELADDR", "RTM_GETADDR"], IFADDRMSG, ADDR_ATTRS, addr_info, short_header=RTGENMSG)
add_types(["RTM_GETMULTICAST", "RTM_GETANYCAST"], IFADDRMSG, ADDR_ATTRS, addr_info, short_header=RTGENMSG)
