"""IPv6 prefixes learnt from router advertisements: RTM_NEWPREFIX (struct prefixmsg, PREFIX_*).

The kernel sends one to RTNLGRP_IPV6_PREFIX for each prefix information option of an RA it
accepts (net/ipv6/addrconf.c, inet6_prefix_notify -> inet6_fill_prefix): the option's type
(ND_OPT_PREFIX_INFO, 3), its prefix length and flags, the prefix in PREFIX_ADDRESS and its
lifetimes, in seconds and host order, in struct prefix_cacheinfo.  prefix_flags is the
option's own flags byte (RFC 4861 4.6.2: L 0x80, A 0x40; RFC 6275: R 0x20) since commit
bd4a816752ba "net: ipv6: support reporting otherwise unknown prefix flags in RTM_NEWPREFIX"
(6.7, and the 6.1/6.6 stable trees of December 2023: both kernels recorded here); before
it the kernel sent IF_PREFIX_ONLINK 0x01 and IF_PREFIX_AUTOCONF 0x02 instead.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.schema import c_struct, flags_show
from ...generated import rtnetlink as R
from .common import show_af
from .protocol import add_types, top

# the prefix information option's flags (<netinet/icmp6.h> names them so)
PI_FLAGS = {0x80: "ND_OPT_PI_FLAG_ONLINK", 0x40: "ND_OPT_PI_FLAG_AUTO", 0x20: "ND_OPT_PI_FLAG_RADDR"}
# the ND option the prefix came in (include/net/ndisc.h: ND_OPT_PREFIX_INFO)
ND_OPT_NAMES = {3: "ND_OPT_PREFIX_INFO"}
PREFIXMSG = c_struct(R, "prefixmsg", "rtnl.prefix", strip="prefix_", label="prefixmsg",
                     show={"family": show_af, "type": lambda v: f"{ND_OPT_NAMES.get(v, 'unknown option')} ({v})",
                           "flags": flags_show(PI_FLAGS, 2)},
                     flags={"flags": PI_FLAGS})
PREFIX_CACHEINFO = c_struct(R, "prefix_cacheinfo", "rtnl.prefix.cacheinfo", label="prefix_cacheinfo",
                            show={"preferred_time": lambda v: f"{v} s", "valid_time": lambda v: f"{v} s"})
PREFIX_ATTRS = enum_set("prefix", "rtnl.prefix", R, "PREFIX_UNSPEC", "PREFIX_", {
    "ADDRESS": a("binary", hint="ipv6"), "CACHEINFO": a("struct", struct=PREFIX_CACHEINFO)}, label="prefix")


@info(("rtnl.prefix.address", "rtnl.prefix.len", "rtnl.prefix.ifindex"))
def prefix_info(root) -> str:
    """`2001:db8:80::/64 ifindex 19`."""
    addr, plen, idx = top(root, "rtnl.prefix.address"), top(root, "rtnl.prefix.len"), top(root, "rtnl.prefix.ifindex")
    return " ".join(p for p in (f"{addr}/{plen}" if addr is not None else "", f"ifindex {idx}" if idx else "") if p)


add_types(["RTM_NEWPREFIX"], PREFIXMSG, PREFIX_ATTRS, prefix_info)
