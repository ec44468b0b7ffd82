"""HSR (net/hsr/hsr_netlink.c) from messages built as hsr_get_node_list() and
hsr_get_node_status() answer, and as the RING_ERROR/NODE_DOWN events go out."""
import dissectors
from tests.dissectors.build import nla
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import decode, u16, u32

dissectors.load_families()
from dissectors.families.genl import hsr as R  # noqa: E402

H = R.H


def mac(t, text): return nla(t, bytes.fromhex(text.replace(":", "")))   # noqa: E704


def test_every_command_and_attribute_is_named():
    assert every_command_named("HSR") == 6


def test_node_list_and_status():
    body = u32(H.HSR_A_IFINDEX, 5) + mac(H.HSR_A_NODE_ADDR, "02:00:00:00:00:01") + mac(H.HSR_A_NODE_ADDR,
                                                                                         "02:00:00:00:00:02")
    m = decode("HSR", H.HSR_C_SET_NODE_LIST, body, flags=0)
    assert m.type_name == "HSR_C_SET_NODE_LIST"
    assert m.info == "ifindex 5 2 nodes 02:00:00:00:00:01, 02:00:00:00:00:02"
    body = u32(H.HSR_A_IFINDEX, 5) + mac(H.HSR_A_NODE_ADDR, "02:00:00:00:00:02") + mac(
        H.HSR_A_NODE_ADDR_B, "02:00:00:00:00:12") + u32(H.HSR_A_ADDR_B_IFINDEX, 0) + u32(H.HSR_A_IF1_AGE, 120) \
        + u16(H.HSR_A_IF1_SEQ, 7) + u32(H.HSR_A_IF1_IFINDEX, 3) + u32(H.HSR_A_IF2_AGE, 130) + u16(H.HSR_A_IF2_SEQ, 7) \
        + u32(H.HSR_A_IF2_IFINDEX, 4)
    m = decode("HSR", H.HSR_C_SET_NODE_STATUS, body, flags=0)
    assert m.tree.find("hsr.if1_age").show == "120 ms"
    assert m.info == ("ifindex 5 node 02:00:00:00:00:02 b 02:00:00:00:00:12 if1 ifindex 3 if1 age 120 ms if1 seq 7 "
                      "if2 ifindex 4 if2 age 130 ms if2 seq 7")


def test_ring_error_event():
    m = decode("HSR", H.HSR_C_RING_ERROR, mac(H.HSR_A_NODE_ADDR, "02:00:00:00:00:02") + u32(H.HSR_A_IFINDEX, 3),
               flags=0)
    assert m.type_name == "HSR_C_RING_ERROR" and m.info == "ifindex 3 node 02:00:00:00:00:02"
