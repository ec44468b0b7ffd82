"""Neighbours: RTM_NEWNEIGH/DELNEIGH/GETNEIGH with struct ndmsg and NDA_* attributes."""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.info import info
from ...core.schema import c_struct, names_from
from ...generated import neighbour as N
from .common import RTPROT_NAMES, show_af, show_rtn
from .link import RTGENMSG
from .protocol import add_types, is_dump_request, top

NUD_NAMES = names_from(N, "NUD_", exclude=())
NTF_NAMES = names_from(N, "NTF_", exclude=())
NTF_EXT_NAMES = names_from(N, "NTF_EXT_", exclude=())
NTF_NAMES = {k: v for k, v in NTF_NAMES.items() if not v.startswith("NTF_EXT_")}
NDMSG = c_struct(N, "ndmsg", "rtnl.neigh", strip="ndm_", label="Neighbour message (ndmsg)",
                 show={"family": show_af, "type": show_rtn}, flags={"state": NUD_NAMES, "flags": NTF_NAMES})
CACHEINFO = c_struct(N, "nda_cacheinfo", "rtnl.neigh.cacheinfo", label="nda_cacheinfo")

NEIGH_ATTRS = AttrSet("neigh", "rtnl.neigh", {
    "NDA_DST": a("addr"),
    "NDA_LLADDR": a("binary", hint="mac"),
    "NDA_CACHEINFO": a("struct", struct=CACHEINFO),
    "NDA_PROBES": a("u32"),
    "NDA_VLAN": a("u16"),
    "NDA_PORT": a("u16", big_endian=True),
    "NDA_VNI": a("u32"),
    "NDA_IFINDEX": a("u32"),
    "NDA_MASTER": a("u32"),
    "NDA_LINK_NETNSID": a("s32"),
    "NDA_SRC_VNI": a("u32"),
    "NDA_PROTOCOL": a("u8", enum=RTPROT_NAMES),   # RTPROT_* (neigh_fill_info, iproute2 "proto")
    "NDA_NH_ID": a("u32"),
    "NDA_FDB_EXT_ATTRS": a("binary"),
    "NDA_FLAGS_EXT": a("u32", flags=NTF_EXT_NAMES),
    "NDA_NDM_STATE_MASK": a("u16", flags=NUD_NAMES),
    "NDA_NDM_FLAGS_MASK": a("u8", flags=NTF_NAMES),
}, N, strip="NDA_", label="neighbour")


@info(("rtnl.neigh.dst", "rtnl.neigh.lladdr"))   # ifindex and state are in ndmsg
def neigh_info(root) -> str:
    """`10.0.0.2 lladdr 02:00:00:00:00:01 dev 3 REACHABLE`."""
    dst = top(root, "rtnl.neigh.dst")
    parts = [dst if dst else "dump" if is_dump_request(root) else "-"]
    ll = top(root, "rtnl.neigh.lladdr")
    if ll:
        parts.append(f"lladdr {ll}")
    idx = top(root, "rtnl.neigh.ifindex")
    if idx:
        parts.append(f"dev {idx}")
    state = top(root, "rtnl.neigh.state")
    if state:
        parts.append("|".join(n[4:] for b, n in NUD_NAMES.items() if state & b))
    return " ".join(parts)


add_types(["RTM_NEWNEIGH", "RTM_DELNEIGH", "RTM_GETNEIGH"], NDMSG, NEIGH_ATTRS, neigh_info, short_header=RTGENMSG)
