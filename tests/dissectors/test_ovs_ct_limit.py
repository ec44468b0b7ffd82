"""ovs_ct_limit (net/openvswitch/conntrack.c): OVS_CT_LIMIT_ATTR_ZONE_LIMIT holds struct
ovs_zone_limit back to back, without attribute headers (nla_put_nohdr)."""
import struct

import dissectors
from dissectors import Context, decode_frame
from tests.dissectors.build import msg, nla
from tests.dissectors.test_genl_tail import FID, decode

dissectors.load_families()
from dissectors.generated import openvswitch as O  # noqa: E402

HDR = struct.pack("<i", 7)


def zones(*z):
    return nla(O.OVS_CT_LIMIT_ATTR_ZONE_LIMIT | 0x8000, b"".join(struct.pack("<iII", *one) for one in z))


def test_the_default_zone_and_one_more():
    m = decode("ovs_ct_limit", O.OVS_CT_LIMIT_CMD_GET, HDR + zones((-1, 100, 0), (5, 10, 2)), flags=0)
    assert [n.value for n in m.tree.find_all("ovs.ct_limit.zone.limit")] == [100, 10]
    assert m.tree.find("ovs.ct_limit.zone.zone_id").show == "default (-1)"
    assert m.info == "default limit 100, zone 5 limit 10 count 2"


def test_a_partial_struct_is_malformed():
    frame = msg(FID, 1, bytes([O.OVS_CT_LIMIT_CMD_SET, 1, 0, 0]) + HDR + nla(O.OVS_CT_LIMIT_ATTR_ZONE_LIMIT,
                                                                             struct.pack("<iI", 5, 10)))
    m = decode_frame(frame, protocol=16, ctx=Context({FID: "ovs_ct_limit"}))[0]
    assert [n.status for n in m.tree.walk() if n.status] == ["malformed"]
