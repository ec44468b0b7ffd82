"""NLBL_MGMT: NetLabel's management family (`netlabelctl mgmt …` and `map …`), net/netlabel/netlabel_mgmt.c.

The protocol version and list, and the LSM domain mappings: a domain (or the default, sent
without NLBL_MGMT_A_DOMAIN by the *DEF commands) mapped to a labeling protocol, with a CIPSO
or CALIPSO DOI, or to one protocol per network address through a selector list
(NLBL_MGMT_A_SELECTORLIST of NLBL_MGMT_A_ADDRSELECTOR nests, each an address, its mask, a
protocol and its DOI: netlbl_mgmt_listentry()).  A request carries one address and mask at the
top level instead (netlbl_mgmt_add_common()).
"""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.info import info
from ...core.registry import GenlFamily, register_genl_family
from .netlabel_common import (KINDS, MAP_WORDS, NETLBL_NLTYPE_CALIPSO, NETLBL_NLTYPE_CIPSOV4,
                              NETLBL_NLTYPE_UNLABELED, NLTYPE, PROTOCOL_WORDS, address_text, commands, values)

# net/netlabel/netlabel_mgmt.h: the commands (enum, NLBL_MGMT_C_UNSPEC = 0)
CMDS = {1: "NLBL_MGMT_C_ADD", 2: "NLBL_MGMT_C_REMOVE", 3: "NLBL_MGMT_C_LISTALL", 4: "NLBL_MGMT_C_ADDDEF",
        5: "NLBL_MGMT_C_REMOVEDEF", 6: "NLBL_MGMT_C_LISTDEF", 7: "NLBL_MGMT_C_PROTOCOLS", 8: "NLBL_MGMT_C_VERSION"}
# net/netlabel/netlabel_mgmt.h: the attributes (enum, NLBL_MGMT_A_UNSPEC = 0)
ATTRS = {"NLBL_MGMT_A_DOMAIN": 1, "NLBL_MGMT_A_PROTOCOL": 2, "NLBL_MGMT_A_VERSION": 3, "NLBL_MGMT_A_CV4DOI": 4,
         "NLBL_MGMT_A_IPV6ADDR": 5, "NLBL_MGMT_A_IPV6MASK": 6, "NLBL_MGMT_A_IPV4ADDR": 7, "NLBL_MGMT_A_IPV4MASK": 8,
         "NLBL_MGMT_A_ADDRSELECTOR": 9, "NLBL_MGMT_A_SELECTORLIST": 10, "NLBL_MGMT_A_FAMILY": 11,
         "NLBL_MGMT_A_CLPDOI": 12}
AF = {0: "AF_UNSPEC", 2: "AF_INET", 10: "AF_INET6"}
AF_WORDS = {2: "IPv4", 10: "IPv6"}   # netlabelctl's ` (IPv4)` after a domain
AF_EXTRA = {2: "4", 10: "6"}         # and its `protocol:unlbl,6` extra

# netlbl_mgmt_genl_policy: DOMAIN NLA_NUL_STRING, PROTOCOL/VERSION/CV4DOI/CLPDOI NLA_U32, FAMILY
# NLA_U16.  The addresses and nests are not in the policy: netlbl_mgmt_add_common() takes an
# address and mask of exactly sizeof(struct in_addr) / sizeof(struct in6_addr) (nla_len checks),
# netlbl_mgmt_listentry() puts them with nla_put_in_addr / nla_put_in6_addr (network order) and
# nests the selectors with nla_nest_start_noflag
MGMT = AttrSet("nlbl_mgmt", "nlbl_mgmt", {
    "NLBL_MGMT_A_DOMAIN": a("string"), "NLBL_MGMT_A_PROTOCOL": a("u32", enum=NLTYPE), "NLBL_MGMT_A_VERSION": a("u32"),
    "NLBL_MGMT_A_CV4DOI": a("u32"), "NLBL_MGMT_A_IPV6ADDR": a("binary", hint="ipv6"),
    "NLBL_MGMT_A_IPV6MASK": a("binary", hint="ipv6"), "NLBL_MGMT_A_IPV4ADDR": a("binary", hint="ipv4"),
    "NLBL_MGMT_A_IPV4MASK": a("binary", hint="ipv4"), "NLBL_MGMT_A_ADDRSELECTOR": a("nest"),
    "NLBL_MGMT_A_SELECTORLIST": a("nest"), "NLBL_MGMT_A_FAMILY": a("u16", enum=AF), "NLBL_MGMT_A_CLPDOI": a("u32")},
    ATTRS, strip="NLBL_MGMT_A_", label="NLBL_MGMT")
for _n in ("NLBL_MGMT_A_ADDRSELECTOR", "NLBL_MGMT_A_SELECTORLIST"):   # validated with the same policy
    MGMT.by_name[_n].nested = MGMT

_P = "nlbl_mgmt."


def _protocol(v: dict, family: int | None = None) -> str:
    """`CIPSOv4,16`, `CALIPSO,32`, `UNLABELED,6`: a protocol with its extra (a DOI; the family
    of an unlabeled mapping), as `netlabelctl map list` prints it."""
    proto = v.get("protocol")
    word = MAP_WORDS.get(proto, str(proto))
    extra = {NETLBL_NLTYPE_CIPSOV4: v.get("cv4doi"), NETLBL_NLTYPE_CALIPSO: v.get("clpdoi"),
             NETLBL_NLTYPE_UNLABELED: AF_EXTRA.get(family)}.get(proto)
    return word if extra is None else f"{word},{extra}"


def _mapping(root, default: bool) -> str:
    """`domain:"bar",address:10.8.1.0/24,protocol:CIPSOv4,8`, `domain:"foo",CIPSOv4,16`: what
    `netlabelctl map list` prints of one mapping (a LISTALL/LISTDEF answer's, a request's)."""
    top = root.children or ()
    v = values(top, _P)
    parts = [f'domain:"{v["domain"]}"'] if "domain" in v else (["domain:DEFAULT"] if default else [])
    sels = [s for lst in top if lst.field.abbrev == _P + "selectorlist" and not lst.status
            for s in lst.children or () if s.field.abbrev == _P + "addrselector" and not s.status]
    if "family" in v and "protocol" not in v and not sels and parts:
        parts[-1] += f" ({AF_WORDS.get(v['family'], v['family'])})"   # a LISTDEF request: the family asked
    for sel in sels:
        sv = values(sel.children, _P)
        parts += [f"address:{address_text(sv)}", f"protocol:{_protocol(sv)}"]
    addr = address_text(v)
    if addr is not None:
        parts.append(f"address:{addr}")
    if "protocol" in v:
        parts.append(f"protocol:{_protocol(v)}" if addr is not None else _protocol(v, v.get("family")))
    return ",".join(parts)


@info(levels=3)
def mgmt_info(root) -> str:
    """`domain:"foo",CIPSOv4,16` (a mapping), `version 3`."""
    v = values(root.children, _P)
    if "version" in v:
        return f"version {v['version']}"
    return _mapping(root, default=False)


@info(levels=3)
def mgmt_default_info(root) -> str:
    """The default mapping's (ADDDEF, REMOVEDEF, LISTDEF): `domain:DEFAULT,address:10.9.0.0/16,protocol:UNLABELED`."""
    return _mapping(root, default=True)


@info()
def protocols_info(root) -> str:
    """`CIPSO`: one protocol of `netlabelctl mgmt protocols` (a request has none)."""
    v = values(root.children, _P)
    return PROTOCOL_WORDS.get(v["protocol"], str(v["protocol"])) if "protocol" in v else ""


_INFOS = {"NLBL_MGMT_C_ADDDEF": mgmt_default_info, "NLBL_MGMT_C_REMOVEDEF": mgmt_default_info,
          "NLBL_MGMT_C_LISTDEF": mgmt_default_info, "NLBL_MGMT_C_PROTOCOLS": protocols_info}
register_genl_family(GenlFamily("NLBL_MGMT", "nlbl_mgmt", commands(
    CMDS, KINDS, MGMT, {n: _INFOS.get(n, mgmt_info) for n in CMDS.values()}), MGMT))
