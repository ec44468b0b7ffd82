"""MAC802154_HWSIM: mac802154_hwsim's simulated IEEE 802.15.4 radios and the links between them
(wpan-tools' `wpan-hwsim add|del|edge …`), drivers/net/ieee802154/mac802154_hwsim.c.

A radio is a phy numbered by RADIO_ID; an edge is a one-way link from a radio to another
(ENDPOINT_ID) with its link quality (LQI).  GET_RADIO answers a radio with its edges
(RADIO_EDGES, a nest of RADIO_EDGE nests).  The header is no UAPI
(drivers/net/ieee802154/mac802154_hwsim.h); the numbers are its enums'.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import DEL, GET, NEW, GenlFamily, MessageType, register_genl_family
from .cenum import Header

H = Header("drivers/net/ieee802154/mac802154_hwsim.h")
H.enum("MAC802154_HWSIM_CMD_UNSPEC", "UNSPEC GET_RADIO SET_RADIO NEW_RADIO DEL_RADIO GET_EDGE SET_EDGE DEL_EDGE "
       "NEW_EDGE __MAX", "MAC802154_HWSIM_CMD_")
H.enum("MAC802154_HWSIM_ATTR_UNSPEC", "UNSPEC RADIO_ID RADIO_EDGE RADIO_EDGES __MAX", "MAC802154_HWSIM_ATTR_")
H.enum("MAC802154_HWSIM_EDGE_ATTR_UNSPEC", "UNSPEC ENDPOINT_ID LQI __MAX", "MAC802154_HWSIM_EDGE_ATTR_")

# hwsim_edge_policy: ENDPOINT_ID u32, LQI u8; hwsim_genl_policy: RADIO_ID u32, the edges nests
EDGE = enum_set("edge", "mac802154_hwsim.edge", H, "MAC802154_HWSIM_EDGE_ATTR_UNSPEC", "MAC802154_HWSIM_EDGE_ATTR_",
                {"ENDPOINT_ID": "u32", "LQI": "u8"}, label="edge")
# RADIO_EDGES (append_radio_msg): one RADIO_EDGE nest per edge, numbered as the top level's
EDGES = enum_set("edges", "mac802154_hwsim.edges", H, "MAC802154_HWSIM_ATTR_UNSPEC", "MAC802154_HWSIM_ATTR_",
                 {"RADIO_EDGE": a("nest", nested=EDGE)}, label="edges", skip=("RADIO_ID", "RADIO_EDGES"))
HWSIM = enum_set("mac802154_hwsim", "mac802154_hwsim", H, "MAC802154_HWSIM_ATTR_UNSPEC", "MAC802154_HWSIM_ATTR_",
                 {"RADIO_ID": "u32", "RADIO_EDGE": a("nest", nested=EDGE), "RADIO_EDGES": a("nest", nested=EDGES)},
                 label="MAC802154_HWSIM")


@info(levels=3)
def hwsim_info(root) -> str:
    """`phy0 edges 1 (lqi 255)`, `phy0 -> 1 lqi 200`: wpan-hwsim's words (it names radio n `phyn`)."""
    parts = []
    for c in root.children or ():
        ab = c.field.abbrev
        if ab == "mac802154_hwsim.radio_id":
            parts.append(f"phy{c.value}")
        elif ab == "mac802154_hwsim.radio_edge":
            e = {n.field.abbrev.rsplit(".", 1)[1]: n.value for n in c.children or ()}
            if "endpoint_id" in e:
                parts.append(f"-> {e['endpoint_id']}")
            if "lqi" in e:
                parts.append(f"lqi {e['lqi']}")
        elif ab == "mac802154_hwsim.radio_edges":
            edges = []
            for edge in c.children or ():
                e = {n.field.abbrev.rsplit(".", 1)[1]: n.value for n in edge.children or ()}
                edges.append(f"{e.get('endpoint_id', '?')} (lqi {e.get('lqi', '?')})")
            parts.append("edges " + ", ".join(edges) if edges else "no edges")
    return " ".join(parts)


_KINDS = {"GET": GET, "SET": NEW, "NEW": NEW, "DEL": DEL}
CMDS = {getattr(H, c): c for c in H.ENUMS["MAC802154_HWSIM_CMD_UNSPEC"] if not c.startswith("__")
        and not c.endswith("UNSPEC")}
register_genl_family(GenlFamily("MAC802154_HWSIM", "mac802154_hwsim", {
    n: MessageType(0, name, _KINDS[name.split("_")[3]], None, HWSIM, info=hwsim_info) for n, name in CMDS.items()},
    HWSIM))
