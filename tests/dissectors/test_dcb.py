"""RTM_GETDCB/RTM_SETDCB (`dcb`, lldpad): requests as iproute2's dcb sends them (the one in
captures/host-6.18/links.pcapng) and an IEEE_GET answer laid out as dcbnl_ieee_fill() writes it."""
import struct

from dissectors import Context, decode_frame
from dissectors.generated import dcbnl as D, rtnetlink as R
from tests.conftest import CAPTURES, decode_file

from .build import msg, nla


def nest(t, *attrs):
    return nla(t | 0x8000, b"".join(attrs))


def test_the_dcb_tools_request_names_its_command_and_interface():
    (m,) = [m for m in decode_file(CAPTURES / "host-6.18" / "links.pcapng") if m.type_name == "RTM_GETDCB"]
    assert m.claimed and m.info == "IEEE_GET t1"
    assert not [n for n in m.tree.walk() if n.status]


def test_an_ieee_get_answer_with_ets_pfc_apps_and_dcbx():
    ets = struct.pack("<BBB", 1, 8, 0) + bytes([25, 25, 25, 25, 0, 0, 0, 0]) + bytes(8) + bytes([2] * 4 + [0] * 4) \
        + bytes([0, 1, 2, 3, 0, 0, 0, 0]) + bytes(8) + bytes(8) + bytes(8)
    pfc = struct.pack("<BBBxHxx8Q8Q", 8, 0x08, 0, 100, *range(8), *range(8, 16))
    app = struct.pack("<BBH", 5, 3, 46)          # dscp 46 -> priority 3
    body = struct.pack("<BBH", 0, D.DCB_CMD_IEEE_GET, 0) + nla(D.DCB_ATTR_IFNAME, b"eth0\0") + nest(
        D.DCB_ATTR_IEEE, nla(D.DCB_ATTR_IEEE_ETS, ets), nla(D.DCB_ATTR_IEEE_PFC, pfc),
        nest(D.DCB_ATTR_IEEE_APP_TABLE, nla(D.DCB_ATTR_IEEE_APP, app))) + nla(D.DCB_ATTR_DCBX, b"\x0a")
    (m,) = decode_frame(msg(R.RTM_GETDCB, 0, body), protocol=0, ctx=Context())
    assert m.claimed and not m.malformed
    assert not [(n.name, n.status) for n in m.tree.walk() if n.status]
    assert m.info == "IEEE_GET eth0"
    assert m.tree.first("rtnl.dcb.ieee.ets.tc_tsa") == bytes([2] * 4 + [0] * 4)
    assert m.tree.find("rtnl.dcb.ieee.ets.tc_tsa").show.startswith("ets ets ets ets strict")
    assert m.tree.first("rtnl.dcb.ieee.pfc.delay") == 100
    assert m.tree.first("rtnl.dcb.ieee.pfc.indications_7") == 15
    assert m.tree.first("rtnl.dcb.app_struct.protocol") == 46
    assert "dscp" in m.tree.find("rtnl.dcb.app_struct.selector").show
