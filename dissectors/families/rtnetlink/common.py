"""Names shared by rtnetlink message groups: address families, route tables, scopes …"""
from __future__ import annotations

from ...core.attrs import decode_attrs, malformed
from ...core.schema import enum_show, names_from
from ...generated import rtnetlink as R

# address families (<bits/socket.h>; the UAPI headers do not carry them)
AF_NAMES = {0: "AF_UNSPEC", 1: "AF_UNIX", 2: "AF_INET", 3: "AF_AX25", 4: "AF_IPX", 5: "AF_APPLETALK",
            7: "AF_BRIDGE", 10: "AF_INET6", 16: "AF_NETLINK", 17: "AF_PACKET", 28: "AF_MPLS", 29: "AF_CAN",
            128: "RTNL_FAMILY_IPMR", 129: "RTNL_FAMILY_IP6MR"}
AF_NUMBERS = {v: k for k, v in AF_NAMES.items()}
show_af = enum_show(AF_NAMES)

RTN_NAMES = names_from(R, "RTN_", "RTN_UNSPEC", exclude=("MAX",))
# routing daemons' protocol numbers the kernel header leaves out: FRR's (zebra/rt_netlink.h; iproute2
# names them from the /etc/iproute2/rt_protos.d/frr.conf FRR installs, 196 as "static")
FRR_RTPROT_NAMES = {190: "RTPROT_RIPNG", 191: "RTPROT_NHRP", 193: "RTPROT_LDP", 194: "RTPROT_SHARP",
                    195: "RTPROT_PBR", 196: "RTPROT_ZSTATIC", 197: "RTPROT_OPENFABRIC", 198: "RTPROT_SRTE"}
RTPROT_NAMES = {**FRR_RTPROT_NAMES, **names_from(R, "RTPROT_", exclude=())}
SCOPE_NAMES = names_from(R, "RT_SCOPE_", "rt_scope_t", exclude=())
TABLE_NAMES = names_from(R, "RT_TABLE_", "rt_class_t", exclude=("MAX",))
RTM_F_NAMES = names_from(R, "RTM_F_", exclude=())
RTNLGRP_NAMES = names_from(R, "RTNLGRP_", "rtnetlink_groups", exclude=("MAX",))

show_rtn = enum_show(RTN_NAMES)
show_prot = enum_show(RTPROT_NAMES)
show_scope = enum_show(SCOPE_NAMES)
show_table = enum_show(TABLE_NAMES)


def struct_then_attrs(st, aset_ref: list):
    """Decode hook for an attribute holding a struct followed by attributes (netem's
    options, an MDB entry's info); `aset_ref[0]` is the set, filled in when declared."""
    def decode(buf, start, end, order, req):
        if end - start < st.size:
            return [malformed(buf, start, end, f"{st.cname} needs {st.size} bytes")]
        p = start + ((st.size + 3) & ~3)
        return [st.node(buf, start, order, req=req)] + decode_attrs(buf, p, end, aset_ref[0], order, 1, req)
    return decode
