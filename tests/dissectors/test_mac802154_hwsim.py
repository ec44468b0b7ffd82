"""MAC802154_HWSIM (drivers/net/ieee802154/mac802154_hwsim.c) from messages built as
append_radio_msg() and wpan-hwsim build them: a radio with its edges nested twice."""
import dissectors
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import decode, nest, u8, u32

dissectors.load_families()
from dissectors.families.genl import mac802154_hwsim as Z  # noqa: E402

H = Z.H


def edge(endpoint, lqi=None):
    return nest(H.MAC802154_HWSIM_ATTR_RADIO_EDGE, u32(H.MAC802154_HWSIM_EDGE_ATTR_ENDPOINT_ID, endpoint),
                *([u8(H.MAC802154_HWSIM_EDGE_ATTR_LQI, lqi)] if lqi is not None else []))


def test_every_command_and_attribute_is_named():
    assert every_command_named("MAC802154_HWSIM") == 8


def test_radio_with_edges_and_an_edge_request():
    body = u32(H.MAC802154_HWSIM_ATTR_RADIO_ID, 0) + nest(H.MAC802154_HWSIM_ATTR_RADIO_EDGES, edge(1, 255), edge(2, 200))
    m = decode("MAC802154_HWSIM", H.MAC802154_HWSIM_CMD_GET_RADIO, body, flags=0)
    assert [n.value for n in m.tree.find_all("mac802154_hwsim.edge.lqi")] == [255, 200]
    assert m.info == "phy0 edges 1 (lqi 255), 2 (lqi 200)"
    m = decode("MAC802154_HWSIM", H.MAC802154_HWSIM_CMD_SET_EDGE, u32(H.MAC802154_HWSIM_ATTR_RADIO_ID, 0) + edge(2, 100))
    assert m.type_name == "MAC802154_HWSIM_CMD_SET_EDGE" and m.info == "phy0 -> 2 lqi 100"
