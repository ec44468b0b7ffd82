"""Routing daemons' protocol numbers that <linux/rtnetlink.h> leaves out are named as FRR's
zebra/rt_netlink.h names them (issue 17: FRR's staticd routes, protocol 196, were a bare number)."""
import struct

from dissectors import Context, decode_frame
from dissectors.generated import rtnetlink as R

from .build import msg, nla


def test_a_zebra_static_route_names_its_protocol():
    rtmsg = struct.pack("<BBBBBBBBI", 2, 24, 0, 0, 254, 196, 0, 1, 0)
    (m,) = decode_frame(msg(R.RTM_NEWROUTE, 0x405, rtmsg + nla(R.RTA_DST, bytes([10, 96, 0, 0]))
                            + nla(R.RTA_NH_ID, struct.pack("<I", 8))), protocol=0, ctx=Context())
    assert m.claimed and not m.malformed
    assert m.tree.find("rtnl.route.protocol").show == "RTPROT_ZSTATIC (196)"
    assert m.tree.first("rtnl.route.nh_id") == 8
