"""SMC_GEN_NETLINK: the state of SMC (shared memory communications over RoCE or ISM) — system
info, link groups, links, devices, statistics, fallback reasons, the user and system EIDs and
the handshake limitation (smc-tools' `smcr`/`smcd` info, linkgroup, device, stats, ueid, seid),
net/smc/smc_netlink.c and the fill functions of smc_core.c, smc_ib.c, smc_ism.c, smc_stats.c.

Every command is a dump without attributes (smc_gen_nl_policy rejects them) but ADD_UEID and
REMOVE_UEID (one EID_TABLE_ENTRY); the answers of the GETs carry one SMC_GEN_* nest each,
those of DUMP_UEID, DUMP_SEID and DUMP_HS_LIMITATION plain attributes numbered from 1 in
their own enums — so each command has its own top-level set.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import DEL, GET, NEW, GenlFamily, MessageType, register_genl_family
from .cenum import Header

# <linux/smc.h>
H = Header("linux/smc.h")
H.enum("SMC_NETLINK_GET_SYS_INFO", "GET_SYS_INFO=1 GET_LGR_SMCR GET_LINK_SMCR GET_LGR_SMCD GET_DEV_SMCD "
       "GET_DEV_SMCR GET_STATS GET_FBACK_STATS DUMP_UEID ADD_UEID REMOVE_UEID FLUSH_UEID DUMP_SEID ENABLE_SEID "
       "DISABLE_SEID DUMP_HS_LIMITATION ENABLE_HS_LIMITATION DISABLE_HS_LIMITATION", "SMC_NETLINK_")
H.enum("SMC_GEN_UNSPEC", "UNSPEC SYS_INFO LGR_SMCR LINK_SMCR LGR_SMCD DEV_SMCD DEV_SMCR STATS FBACK_STATS __MAX",
       "SMC_GEN_")
H.enum("SMC_NLA_SYS_UNSPEC", "UNSPEC VER REL IS_ISM_V2 LOCAL_HOST SEID IS_SMCR_V2 __MAX", "SMC_NLA_SYS_")
H.enum("SMC_NLA_LGR_V2_VER", "VER REL OS NEG_EID PEER_HOST __MAX", "SMC_NLA_LGR_V2_")
H.enum("SMC_NLA_LGR_R_V2_UNSPEC", "UNSPEC DIRECT MAX_CONNS MAX_LINKS __MAX", "SMC_NLA_LGR_R_V2_")
H.enum("SMC_NLA_LGR_R_UNSPEC", "UNSPEC ID ROLE TYPE PNETID VLAN_ID CONNS_NUM V2_COMMON V2 NET_COOKIE PAD BUF_TYPE "
       "SNDBUF_ALLOC RMB_ALLOC __MAX", "SMC_NLA_LGR_R_")
H.enum("SMC_NLA_LINK_UNSPEC", "UNSPEC ID IB_DEV IB_PORT GID PEER_GID CONN_CNT NET_DEV UID PEER_UID STATE __MAX",
       "SMC_NLA_LINK_")
H.enum("SMC_NLA_LGR_D_UNSPEC", "UNSPEC ID GID PEER_GID VLAN_ID CONNS_NUM PNETID CHID PAD V2_COMMON EXT_GID "
       "PEER_EXT_GID SNDBUF_ALLOC DMB_ALLOC __MAX", "SMC_NLA_LGR_D_")
H.enum("SMC_NLA_DEV_PORT_UNSPEC", "UNSPEC PNET_USR PNETID NETDEV STATE VALID LNK_CNT __MAX", "SMC_NLA_DEV_PORT_")
H.enum("SMC_NLA_DEV_UNSPEC", "UNSPEC USE_CNT IS_CRIT PCI_FID PCI_CHID PCI_VENDOR PCI_DEVICE PCI_ID PORT PORT2 "
       "IB_NAME __MAX", "SMC_NLA_DEV_")
H.enum("SMC_NLA_STATS_PLOAD_PAD", "PAD 8K 16K 32K 64K 128K 256K 512K 1024K G_1024K __MAX", "SMC_NLA_STATS_PLOAD_")
H.enum("SMC_NLA_STATS_RMB_PAD", "PAD SIZE_SM_PEER_CNT SIZE_SM_CNT FULL_PEER_CNT FULL_CNT REUSE_CNT ALLOC_CNT "
       "DGRADE_CNT __MAX", "SMC_NLA_STATS_RMB_")
H.enum("SMC_NLA_STATS_T_PAD", "PAD TX_RMB_SIZE RX_RMB_SIZE TXPLOAD_SIZE RXPLOAD_SIZE TX_RMB_STATS RX_RMB_STATS "
       "CLNT_V1_SUCC CLNT_V2_SUCC SRV_V1_SUCC SRV_V2_SUCC SENDPAGE_CNT SPLICE_CNT CORK_CNT NDLY_CNT URG_DATA_CNT "
       "RX_BYTES TX_BYTES RX_CNT TX_CNT RX_RMB_USAGE TX_RMB_USAGE __MAX", "SMC_NLA_STATS_T_")
H.enum("SMC_NLA_STATS_PAD", "PAD SMCD_TECH SMCR_TECH CLNT_HS_ERR_CNT SRV_HS_ERR_CNT __MAX", "SMC_NLA_STATS_")
H.enum("SMC_NLA_FBACK_STATS_PAD", "PAD TYPE SRV_CNT CLNT_CNT RSN_CODE RSN_CNT __MAX", "SMC_NLA_FBACK_STATS_")
H.enum("SMC_NLA_EID_TABLE_UNSPEC", "UNSPEC ENTRY __MAX", "SMC_NLA_EID_TABLE_")
H.enum("SMC_NLA_SEID_UNSPEC", "UNSPEC ENTRY ENABLED __TABLE_MAX", "SMC_NLA_SEID_")
H.enum("SMC_NLA_HS_LIMITATION_UNSPEC", "UNSPEC ENABLED __MAX", "SMC_NLA_HS_LIMITATION_")


def _set(tag: str, strip: str, types: dict, label: str, default: str = "u64"):
    name = strip[len("SMC_NLA_"):].rstrip("_").lower() if strip.startswith("SMC_NLA_") else strip.rstrip("_").lower()
    return enum_set(name, f"smc_gen.{name}", H, tag, strip, types, label=label, default=default)


# net/smc/smc_core.h: enum smc_lgr_role, enum smc_lgr_type, enum smc_link_state; smc.h's
# SMC_TYPE_* and SMC_CLC_* are the fallback reasons' own (smc_clc.h), shown as numbers
ROLES = {0: "SMC_CLNT", 1: "SMC_SERV"}
LGR_TYPES = {0: "SMC_LGR_NONE", 1: "SMC_LGR_SINGLE", 2: "SMC_LGR_SYMMETRIC", 3: "SMC_LGR_ASYMMETRIC_PEER",
             4: "SMC_LGR_ASYMMETRIC_LOCAL"}
LINK_STATES = {0: "SMC_LNK_UNUSED", 1: "SMC_LNK_INACTIVE", 2: "SMC_LNK_ACTIVATING", 3: "SMC_LNK_ACTIVE"}
BUF_TYPES = {0: "SMCR_VIRT_CONT_BUFS", 1: "SMCR_PHYS_CONT_BUFS", 2: "SMCR_MIXED_BUFS"}
HEX32 = a("u32", show=lambda v: f"{v:08x}")

SYS = _set("SMC_NLA_SYS_UNSPEC", "SMC_NLA_SYS_", {
    "VER": "u8", "REL": "u8", "IS_ISM_V2": "u8", "LOCAL_HOST": "string", "SEID": "string", "IS_SMCR_V2": "u8"},
    "system info")
LGR_V2 = _set("SMC_NLA_LGR_V2_VER", "SMC_NLA_LGR_V2_", {   # numbered from 0: SMC_NLA_LGR_V2_VER is 0
    "VER": "u8", "REL": "u8", "OS": "u8", "NEG_EID": "string", "PEER_HOST": "string"}, "link group v2")
LGR_R_V2 = _set("SMC_NLA_LGR_R_V2_UNSPEC", "SMC_NLA_LGR_R_V2_", {
    "DIRECT": "u8", "MAX_CONNS": "u8", "MAX_LINKS": "u8"}, "SMC-R v2")
LGR_R = _set("SMC_NLA_LGR_R_UNSPEC", "SMC_NLA_LGR_R_", {
    "ID": HEX32, "ROLE": a("u8", enum=ROLES), "TYPE": a("u8", enum=LGR_TYPES), "PNETID": "string", "VLAN_ID": "u8",
    "CONNS_NUM": "u32", "V2_COMMON": a("nest", nested=LGR_V2), "V2": a("nest", nested=LGR_R_V2),
    "NET_COOKIE": "u64", "PAD": "pad", "BUF_TYPE": a("u8", enum=BUF_TYPES), "SNDBUF_ALLOC": "uint",
    "RMB_ALLOC": "uint"}, "SMC-R link group")
LINK = _set("SMC_NLA_LINK_UNSPEC", "SMC_NLA_LINK_", {
    "ID": "u8", "IB_DEV": "string", "IB_PORT": "u8", "GID": "string", "PEER_GID": "string", "CONN_CNT": "u32",
    "NET_DEV": "u32", "UID": HEX32, "PEER_UID": HEX32, "STATE": a("u32", enum=LINK_STATES)}, "SMC-R link")
LGR_D = _set("SMC_NLA_LGR_D_UNSPEC", "SMC_NLA_LGR_D_", {
    "ID": HEX32, "GID": a("u64", show=lambda v: f"{v:016x}"), "PEER_GID": a("u64", show=lambda v: f"{v:016x}"),
    "VLAN_ID": "u8", "CONNS_NUM": "u32", "PNETID": "string", "CHID": "u32", "PAD": "pad",
    "V2_COMMON": a("nest", nested=LGR_V2), "EXT_GID": a("u64", show=lambda v: f"{v:016x}"),
    "PEER_EXT_GID": a("u64", show=lambda v: f"{v:016x}"), "SNDBUF_ALLOC": "uint", "DMB_ALLOC": "uint"},
    "SMC-D link group")
DEV_PORT = _set("SMC_NLA_DEV_PORT_UNSPEC", "SMC_NLA_DEV_PORT_", {
    "PNET_USR": "u8", "PNETID": "string", "NETDEV": "u32", "STATE": "u8", "VALID": "u8", "LNK_CNT": "u32"}, "port")
DEV = _set("SMC_NLA_DEV_UNSPEC", "SMC_NLA_DEV_", {
    "USE_CNT": "u32", "IS_CRIT": "u8", "PCI_FID": "u32", "PCI_CHID": "u16", "PCI_VENDOR": a("u16", show=hex),
    "PCI_DEVICE": a("u16", show=hex), "PCI_ID": "string", "PORT": a("nest", nested=DEV_PORT),
    "PORT2": a("nest", nested=DEV_PORT), "IB_NAME": "string"}, "device")
PLOAD = _set("SMC_NLA_STATS_PLOAD_PAD", "SMC_NLA_STATS_PLOAD_", {"PAD": "pad"}, "size histogram")
RMB = _set("SMC_NLA_STATS_RMB_PAD", "SMC_NLA_STATS_RMB_", {"PAD": "pad"}, "buffer statistics")
TECH = _set("SMC_NLA_STATS_T_PAD", "SMC_NLA_STATS_T_", {
    "PAD": "pad", "TX_RMB_SIZE": a("nest", nested=PLOAD), "RX_RMB_SIZE": a("nest", nested=PLOAD),
    "TXPLOAD_SIZE": a("nest", nested=PLOAD), "RXPLOAD_SIZE": a("nest", nested=PLOAD),
    "TX_RMB_STATS": a("nest", nested=RMB), "RX_RMB_STATS": a("nest", nested=RMB), "RX_RMB_USAGE": "uint",
    "TX_RMB_USAGE": "uint"}, "per technology")
STATS = _set("SMC_NLA_STATS_PAD", "SMC_NLA_STATS_", {
    "PAD": "pad", "SMCD_TECH": a("nest", nested=TECH), "SMCR_TECH": a("nest", nested=TECH)}, "statistics")
FBACK = _set("SMC_NLA_FBACK_STATS_PAD", "SMC_NLA_FBACK_STATS_", {
    "PAD": "pad", "TYPE": "u8", "RSN_CODE": a("u32", show=lambda v: f"{v:#010x}"), "RSN_CNT": "u16"},
    "fallback reason")

GEN = enum_set("smc_gen", "smc_gen", H, "SMC_GEN_UNSPEC", "SMC_GEN_", {
    "SYS_INFO": a("nest", nested=SYS), "LGR_SMCR": a("nest", nested=LGR_R), "LINK_SMCR": a("nest", nested=LINK),
    "LGR_SMCD": a("nest", nested=LGR_D), "DEV_SMCD": a("nest", nested=DEV), "DEV_SMCR": a("nest", nested=DEV),
    "STATS": a("nest", nested=STATS), "FBACK_STATS": a("nest", nested=FBACK)}, label="SMC_GEN_NETLINK")
# smc_gen_ueid_policy: ENTRY a string of SMC_MAX_EID_LEN (32)
EID = _set("SMC_NLA_EID_TABLE_UNSPEC", "SMC_NLA_EID_TABLE_", {"ENTRY": "string"}, "EID table")
SEID = _set("SMC_NLA_SEID_UNSPEC", "SMC_NLA_SEID_", {"ENTRY": "string", "ENABLED": "u8"}, "system EID")
HS = _set("SMC_NLA_HS_LIMITATION_UNSPEC", "SMC_NLA_HS_LIMITATION_", {"ENABLED": "u8"}, "handshake limitation")


def _values(root) -> dict:
    return {n.field.abbrev[len("smc_gen."):]: n for n in root.walk()
            if n.field.abbrev.startswith("smc_gen.") and n.children is None and not n.status}


@info(levels=3)
def smc_info(root) -> str:
    """`SMC-Rv2 ver 2 rel 1 host vm` (system info), `lgr 00000100 SMC_SERV conns 1`, `ueid NLSCOPE`,
    `seid … enabled 1`, `hs_limitation enabled 1`: what smcr/smcd print, in short."""
    v = _values(root)
    parts = []
    if "sys.ver" in v:
        parts.append(f"ver {v['sys.ver'].value} rel {v.get('sys.rel').value if 'sys.rel' in v else '?'}")
        if "sys.local_host" in v:
            parts.append(f"host {v['sys.local_host'].value}")
        for key, word in (("sys.is_ism_v2", "SMC-Dv2"), ("sys.is_smcr_v2", "SMC-Rv2")):
            if key in v:
                parts.append(f"{word} {'yes' if v[key].value else 'no'}")
    for key, word in (("lgr_r.id", "lgr"), ("lgr_d.id", "lgr"), ("lgr_r.role", ""), ("lgr_r.conns_num", "conns"),
                      ("lgr_d.conns_num", "conns"), ("link.ib_dev", "dev"), ("link.state", "state"),
                      ("dev.pci_id", "pci"), ("dev.ib_name", "dev"), ("eid_table.entry", "ueid"),
                      ("seid.entry", "seid"), ("seid.enabled", "enabled"), ("hs_limitation.enabled", "hs_limitation")):
        if key in v:
            text = v[key].text if v[key].text and key.endswith(("role", "state", "id")) else v[key].value
            if key.endswith("role") or key.endswith("state"):
                text = str(text).split(" ")[0]
            parts.append(f"{word} {text}".strip())
    for tech in root.walk():
        if tech.field.abbrev in ("smc_gen.stats.smcd_tech", "smc_gen.stats.smcr_tech"):
            t = {n.field.abbrev.rsplit(".", 1)[1]: n.value for n in tech.children or () if not n.children}
            parts.append(f"{'SMC-D' if tech.field.abbrev.endswith('smcd_tech') else 'SMC-R'} "
                         f"rx {t.get('rx_bytes', '?')} B tx {t.get('tx_bytes', '?')} B")
    return " ".join(parts)


_TOP = {"DUMP_UEID": EID, "ADD_UEID": EID, "REMOVE_UEID": EID, "FLUSH_UEID": EID, "DUMP_SEID": SEID,
        "ENABLE_SEID": SEID, "DISABLE_SEID": SEID, "DUMP_HS_LIMITATION": HS, "ENABLE_HS_LIMITATION": HS,
        "DISABLE_HS_LIMITATION": HS}
_KINDS = {"ADD": NEW, "ENABLE": NEW, "DISABLE": NEW, "REMOVE": DEL, "FLUSH": DEL}
CMDS = {getattr(H, c): c for c in H.ENUMS["SMC_NETLINK_GET_SYS_INFO"]}
register_genl_family(GenlFamily("SMC_GEN_NETLINK", "smc_gen", {
    n: MessageType(0, name, _KINDS.get(name.split("_")[2], GET), None, _TOP.get(name[len("SMC_NETLINK_"):], GEN),
                   info=smc_info) for n, name in CMDS.items()}, GEN))
