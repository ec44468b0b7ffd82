"""NLBL_CIPSOv4: NetLabel's CIPSO/IPv4 DOIs (`netlabelctl cipsov4 …`), net/netlabel/netlabel_cipso_v4.c.

A DOI definition: its mapping type (translated, pass-through, local), the CIPSO tag types to
use in order (NLBL_CIPSOV4_A_TAGLST of NLBL_CIPSOV4_A_TAG), and for a translated DOI the level
and category maps (NLBL_CIPSOV4_A_MLSLVLLST of NLBL_CIPSOV4_A_MLSLVL nests, each a local and a
remote level; NLBL_CIPSOV4_A_MLSCATLST likewise).  LIST answers one DOI without its number
(netlbl_cipsov4_list()), LISTALL each DOI with its type only (netlbl_cipsov4_listall_cb()).
"""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.info import info
from ...core.registry import GenlFamily, register_genl_family
from .netlabel_common import KINDS, commands, values

# net/netlabel/netlabel_cipso_v4.h: the commands (enum, NLBL_CIPSOV4_C_UNSPEC = 0)
CMDS = {1: "NLBL_CIPSOV4_C_ADD", 2: "NLBL_CIPSOV4_C_REMOVE", 3: "NLBL_CIPSOV4_C_LIST", 4: "NLBL_CIPSOV4_C_LISTALL"}
# net/netlabel/netlabel_cipso_v4.h: the attributes (enum, NLBL_CIPSOV4_A_UNSPEC = 0)
ATTRS = {"NLBL_CIPSOV4_A_DOI": 1, "NLBL_CIPSOV4_A_MTYPE": 2, "NLBL_CIPSOV4_A_TAG": 3, "NLBL_CIPSOV4_A_TAGLST": 4,
         "NLBL_CIPSOV4_A_MLSLVLLOC": 5, "NLBL_CIPSOV4_A_MLSLVLREM": 6, "NLBL_CIPSOV4_A_MLSLVL": 7,
         "NLBL_CIPSOV4_A_MLSLVLLST": 8, "NLBL_CIPSOV4_A_MLSCATLOC": 9, "NLBL_CIPSOV4_A_MLSCATREM": 10,
         "NLBL_CIPSOV4_A_MLSCAT": 11, "NLBL_CIPSOV4_A_MLSCATLST": 12}
# include/net/cipso_ipv4.h: the DOI mapping types and the tag types
MAP = {0: "CIPSO_V4_MAP_UNKNOWN", 1: "CIPSO_V4_MAP_TRANS", 2: "CIPSO_V4_MAP_PASS", 3: "CIPSO_V4_MAP_LOCAL"}
TAG = {0: "CIPSO_V4_TAG_INVALID", 1: "CIPSO_V4_TAG_RBITMAP", 2: "CIPSO_V4_TAG_ENUM", 5: "CIPSO_V4_TAG_RANGE",
       6: "CIPSO_V4_TAG_PBITMAP", 7: "CIPSO_V4_TAG_FREEFORM", 128: "CIPSO_V4_TAG_LOCAL"}
MAP_WORDS = {1: "TRANSLATED", 2: "PASS_THROUGH", 3: "LOCAL"}   # netlabelctl's `type:`
_NESTS = ("NLBL_CIPSOV4_A_TAGLST", "NLBL_CIPSOV4_A_MLSLVL", "NLBL_CIPSOV4_A_MLSLVLLST", "NLBL_CIPSOV4_A_MLSCAT",
          "NLBL_CIPSOV4_A_MLSCATLST")

# netlbl_cipsov4_genl_policy: DOI, MTYPE and the levels and categories NLA_U32, TAG NLA_U8, the
# lists and maps NLA_NESTED (checked by nla_validate_nested against this same policy)
CIPSOV4 = AttrSet("nlbl_cipsov4", "nlbl_cipsov4", {
    "NLBL_CIPSOV4_A_DOI": a("u32"), "NLBL_CIPSOV4_A_MTYPE": a("u32", enum=MAP), "NLBL_CIPSOV4_A_TAG": a("u8", enum=TAG),
    "NLBL_CIPSOV4_A_MLSLVLLOC": a("u32"), "NLBL_CIPSOV4_A_MLSLVLREM": a("u32"), "NLBL_CIPSOV4_A_MLSCATLOC": a("u32"),
    "NLBL_CIPSOV4_A_MLSCATREM": a("u32"), **{n: a("nest") for n in _NESTS}},
    ATTRS, strip="NLBL_CIPSOV4_A_", label="NLBL_CIPSOv4")
for _n in _NESTS:
    CIPSOV4.by_name[_n].nested = CIPSOV4

_P = "nlbl_cipsov4."


def _map_text(lst, entry: str, loc: str, rem: str) -> str:
    """`0=0,1=1`: a level or category map's local=remote pairs, as netlabelctl takes them."""
    pairs = []
    for e in lst.children or ():
        if e.field.abbrev == _P + entry and not e.status:
            v = values(e.children, _P)
            pairs.append(f"{v.get(loc, '?')}={v.get(rem, '?')}")
    return ",".join(pairs)


@info(levels=3)
def cipsov4_info(root) -> str:
    """`doi:8 type:TRANSLATED tags:1 levels:0=0,1=1 categories:0=0,1=1`, in netlabelctl's words."""
    top = root.children or ()
    v = values(top, _P)
    parts = [f"doi:{v['doi']}"] if "doi" in v else []
    if "mtype" in v:
        parts.append(f"type:{MAP_WORDS.get(v['mtype'], v['mtype'])}")
    for n in top:
        if n.status:
            continue
        ab = n.field.abbrev[len(_P):]
        if ab == "taglst":
            parts.append("tags:" + ",".join(str(t.value) for t in n.children or ()
                                            if t.field.abbrev == _P + "tag" and not t.status))
        elif ab == "mlslvllst":
            parts.append("levels:" + _map_text(n, "mlslvl", "mlslvlloc", "mlslvlrem"))
        elif ab == "mlscatlst":
            parts.append("categories:" + _map_text(n, "mlscat", "mlscatloc", "mlscatrem"))
    return " ".join(parts)


register_genl_family(GenlFamily("NLBL_CIPSOv4", "nlbl_cipsov4", commands(CMDS, KINDS, CIPSOV4, cipsov4_info),
                                CIPSOV4))
