"""NLBL_CALIPSO: NetLabel's CALIPSO/IPv6 DOIs (`netlabelctl calipso …`), net/netlabel/netlabel_calipso.c.

A DOI and its mapping type, pass-through the only one (netlbl_calipso_add() refuses any
other); LIST answers the type of one DOI (netlbl_calipso_list()), LISTALL each DOI with its
type (netlbl_calipso_listall_cb()).
"""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.info import info
from ...core.registry import GenlFamily, register_genl_family
from .netlabel_common import KINDS, commands, values

# net/netlabel/netlabel_calipso.h: the commands (enum, NLBL_CALIPSO_C_UNSPEC = 0)
CMDS = {1: "NLBL_CALIPSO_C_ADD", 2: "NLBL_CALIPSO_C_REMOVE", 3: "NLBL_CALIPSO_C_LIST", 4: "NLBL_CALIPSO_C_LISTALL"}
# net/netlabel/netlabel_calipso.h: the attributes (enum, NLBL_CALIPSO_A_UNSPEC = 0)
ATTRS = {"NLBL_CALIPSO_A_DOI": 1, "NLBL_CALIPSO_A_MTYPE": 2}
# include/net/calipso.h: the DOI mapping types
MAP = {0: "CALIPSO_MAP_UNKNOWN", 2: "CALIPSO_MAP_PASS"}
MAP_WORDS = {2: "PASS_THROUGH"}   # netlabelctl's `type:`

# calipso_genl_policy: DOI and MTYPE NLA_U32
CALIPSO = AttrSet("nlbl_calipso", "nlbl_calipso", {
    "NLBL_CALIPSO_A_DOI": a("u32"), "NLBL_CALIPSO_A_MTYPE": a("u32", enum=MAP)},
    ATTRS, strip="NLBL_CALIPSO_A_", label="NLBL_CALIPSO")


@info()
def calipso_info(root) -> str:
    """`doi:32 type:PASS_THROUGH`, in netlabelctl's words."""
    v = values(root.children, "nlbl_calipso.")
    parts = [f"doi:{v['doi']}"] if "doi" in v else []
    if "mtype" in v:
        parts.append(f"type:{MAP_WORDS.get(v['mtype'], v['mtype'])}")
    return " ".join(parts)


register_genl_family(GenlFamily("NLBL_CALIPSO", "nlbl_calipso", commands(CMDS, KINDS, CALIPSO, calipso_info),
                                CALIPSO))
