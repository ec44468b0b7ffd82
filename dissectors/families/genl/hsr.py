"""HSR: High-availability Seamless Redundancy / PRP nodes of an hsr device, net/hsr/hsr_netlink.c.

The device itself is made over rtnetlink (`ip link add … type hsr slave1 … slave2 …`); this
family answers the node table — GET_NODE_LIST (every node's MAC address), GET_NODE_STATUS (a
node's second address, its age and last sequence number on each slave) — and multicasts
RING_ERROR (a frame seen on one slave only) and NODE_DOWN (a node forgotten) to group
"hsr-network".  No Debian tool speaks it.  Linux 6.12 (CONFIG_HSR=m); Debian's 6.1 has no HSR.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.registry import GET, OTHER
from ...core.schema import names_from
from .cenum import Header
from .protocol import top_attrs

# <linux/hsr_netlink.h>
H = Header("linux/hsr_netlink.h")
H.enum("HSR_A_UNSPEC", "UNSPEC NODE_ADDR IFINDEX IF1_AGE IF2_AGE NODE_ADDR_B IF1_SEQ IF2_SEQ IF1_IFINDEX IF2_IFINDEX "
       "ADDR_B_IFINDEX __MAX", "HSR_A_")
H.enum("HSR_C_UNSPEC", "UNSPEC RING_ERROR NODE_DOWN GET_NODE_STATUS SET_NODE_STATUS GET_NODE_LIST SET_NODE_LIST "
       "__MAX", "HSR_C_")

# hsr_genl_policy: NODE_ADDR(_B) ETH_ALEN, IFINDEX, IF1/2_AGE u32, IF1/2_SEQ u16; the slaves'
# ifindexes u32 (hsr_get_node_status); an age in ms (jiffies_to_msecs), a sequence number that
# is that of the last frame
HSR = enum_set("hsr", "hsr", H, "HSR_A_UNSPEC", "HSR_A_", {
    "NODE_ADDR": a("binary", hint="mac"), "IFINDEX": "u32", "IF1_AGE": a("u32", unit="ms"),
    "IF2_AGE": a("u32", unit="ms"), "NODE_ADDR_B": a("binary", hint="mac"), "IF1_SEQ": "u16", "IF2_SEQ": "u16",
    "IF1_IFINDEX": "u32", "IF2_IFINDEX": "u32", "ADDR_B_IFINDEX": "u32"}, label="HSR")


@info()
def hsr_info(root) -> str:
    """`ifindex 5 node 02:00:00:00:00:02 b 02:00:00:00:00:02 if1 age 100 ms seq 7 …`, the list
    as its node addresses."""
    v = top_attrs(root, "hsr.")
    parts = [f"ifindex {v['ifindex'].value}"] if "ifindex" in v else []
    nodes = [c.value for c in root.children or () if c.field.abbrev == "hsr.node_addr" and not c.status]
    if len(nodes) > 1:
        return " ".join(parts + [f"{len(nodes)} nodes", ", ".join(nodes)])
    if nodes:
        parts.append(f"node {nodes[0]}")
    if "node_addr_b" in v:
        parts.append(f"b {v['node_addr_b'].value}")
    for i in ("1", "2"):
        for key, word in ((f"if{i}_ifindex", "ifindex"), (f"if{i}_age", "age"), (f"if{i}_seq", "seq")):
            if key in v:
                parts.append(f"if{i} {word} {v[key].text or v[key].value}" if word == "age"
                             else f"if{i} {word} {v[key].value}")
    return " ".join(parts)


CMDS = names_from(H, "HSR_C_", "HSR_C_UNSPEC")
# SET_NODE_STATUS and SET_NODE_LIST are the kernel's answers to the two GETs, RING_ERROR and
# NODE_DOWN its events: none of them changes anything
register_genl_family(GenlFamily("HSR", "hsr", {
    n: MessageType(0, name, GET if "_GET_" in name else OTHER, None, HSR, info=hsr_info)
    for n, name in CMDS.items()}, HSR))
