"""The scripting API and the scapy layer."""
import nlscope
from tests.conftest import CAPTURES


def test_open_filter_transactions():
    cap = nlscope.open(str(CAPTURES / "rtnl-extack.pcapng"))
    assert len(cap) == len(cap.messages) > 100
    (m,) = cap.filter("netlink.error == EINVAL")
    t = m.tx[0]
    assert t.request.tree.first("rtnl.link.mtu") == 70000
    assert m.error["extack"]["msg"] == "mtu greater than device maximum"


def test_scapy_layer_decodes_with_our_dissectors():
    import nlscope.scapy_layer  # noqa: F401  (registers LINKTYPE_NETLINK)
    from scapy.utils import rdpcap
    pkts = rdpcap(str(CAPTURES / "nlscope-test.pcapng"))
    assert type(pkts[0]).__name__ == "NetlinkCooked"
    assert pkts[0].protocol == 16 and pkts[0].messages[0].type_name == "CTRL_CMD_GETFAMILY"
    text = pkts[0].show(dump=True)
    assert "CTRL_ATTR_FAMILY_NAME: nlscope_test" in text
    assert "CTRL_CMD_GETFAMILY" in pkts[0].summary()
