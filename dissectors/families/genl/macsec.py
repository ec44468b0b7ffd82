"""macsec: MACsec secure channels and associations (`ip macsec`), drivers/net/macsec.c.

MACSEC_CMD_GET_TXSC dumps one SecY per MACsec device: its configuration, statistics, the
transmit SAs and the receive SCs with their SAs (dump_secy(); each list a nest of nests
numbered from 1).  Requests carry one RXSC or SA configuration (macsec_genl_rxsc_policy,
macsec_genl_sa_policy).  An SA's key (MACSEC_SA_ATTR_KEY) and XPN salt are key material,
shown redacted (core/secrets.py); its key id is not.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import if_link as L
from ...generated import if_macsec as H

# the cipher suites (#defines of the header, IEEE 802.1AE-2018 table 14-1), and the one
# MACSEC_DEFAULT_CIPHER_ID, the deprecated id of GCM-AES-128
CIPHERS = {H.MACSEC_CIPHER_ID_GCM_AES_128: "GCM-AES-128", H.MACSEC_CIPHER_ID_GCM_AES_256: "GCM-AES-256",
           H.MACSEC_CIPHER_ID_GCM_AES_XPN_128: "GCM-AES-XPN-128",
           H.MACSEC_CIPHER_ID_GCM_AES_XPN_256: "GCM-AES-XPN-256",
           H.MACSEC_DEFAULT_CIPHER_ID: "GCM-AES-128 (deprecated id)"}
VALIDATE = names_from(L, "MACSEC_VALIDATE_", "macsec_validation_type")
OFFLOAD_TYPES = names_from(L, "MACSEC_OFFLOAD_", "macsec_offload")


def _sci(v: int) -> str:
    """An SCI as `ip macsec` prints it: 16 hex digits, MAC address then port."""
    return f"{v:016x}"


# sci_t and ssci_t are big-endian (__be64, __be32), put as they are (nla_put_sci, nla_put_ssci)
SCI = a("u64", big_endian=True, show=_sci)
ON_OFF = {0: "off", 1: "on"}


def _stats(tag: str, strip: str, name: str, width: str = "u64"):
    pad = {"PAD": "pad"} if f"{strip}PAD" in H.ENUMS[tag] else {}
    return enum_set(name, f"macsec.{name}", H, tag, strip, pad, label=name.replace("_", " "), default=width)


SA_STATS = _stats("macsec_sa_stats_attr", "MACSEC_SA_STATS_ATTR_", "sa_stats", "u32")  # nla_put_u32 each
RXSC_STATS = _stats("macsec_rxsc_stats_attr", "MACSEC_RXSC_STATS_ATTR_", "rxsc_stats")
TXSC_STATS = _stats("macsec_txsc_stats_attr", "MACSEC_TXSC_STATS_ATTR_", "txsc_stats")
SECY_STATS = _stats("macsec_secy_stats_attr", "MACSEC_SECY_STATS_ATTR_", "secy_stats")
SA = enum_set("sa", "macsec.sa", H, "macsec_sa_attrs", "MACSEC_SA_ATTR_", {
    "AN": "u8", "ACTIVE": a("u8", enum=ON_OFF),
    "PN": "uint",   # NLA_POLICY_MIN_LEN(4): a u32, or a u64 on an XPN cipher
    "KEY": a("binary", hint="secret"), "KEYID": a("binary", hint="hex"), "STATS": a("nest", nested=SA_STATS),
    "PAD": "pad", "SSCI": a("u32", big_endian=True), "SALT": a("binary", hint="secret")}, label="SA")
RXSC = enum_set("rxsc", "macsec.rxsc", H, "macsec_rxsc_attrs", "MACSEC_RXSC_ATTR_", {
    "SCI": SCI, "ACTIVE": a("u8", enum=ON_OFF), "SA_LIST": a("indexed-array", sub="nest", nested=SA),
    "STATS": a("nest", nested=RXSC_STATS), "PAD": "pad"}, label="RXSC")
SECY = enum_set("secy", "macsec.secy", H, "macsec_secy_attrs", "MACSEC_SECY_ATTR_", {
    "SCI": SCI, "ENCODING_SA": "u8", "WINDOW": "u32", "CIPHER_SUITE": a("u64", enum=CIPHERS), "ICV_LEN": "u8",
    "PROTECT": a("u8", enum=ON_OFF), "REPLAY": a("u8", enum=ON_OFF), "OPER": a("u8", enum=ON_OFF),
    "VALIDATE": a("u8", enum=VALIDATE), "ENCRYPT": a("u8", enum=ON_OFF), "INC_SCI": a("u8", enum=ON_OFF),
    "ES": a("u8", enum=ON_OFF), "SCB": a("u8", enum=ON_OFF), "PAD": "pad"}, label="SecY")
OFFLOAD = enum_set("offload", "macsec.offload", H, "macsec_offload_attrs", "MACSEC_OFFLOAD_ATTR_", {
    "TYPE": a("u8", enum=OFFLOAD_TYPES), "PAD": "pad"}, label="offload")
MACSEC = enum_set("macsec", "macsec", H, "macsec_attrs", "MACSEC_ATTR_", {
    "IFINDEX": "u32", "RXSC_CONFIG": a("nest", nested=RXSC), "SA_CONFIG": a("nest", nested=SA),
    "SECY": a("nest", nested=SECY), "TXSA_LIST": a("indexed-array", sub="nest", nested=SA),
    "RXSC_LIST": a("indexed-array", sub="nest", nested=RXSC), "TXSC_STATS": a("nest", nested=TXSC_STATS),
    "SECY_STATS": a("nest", nested=SECY_STATS), "OFFLOAD": a("nest", nested=OFFLOAD)}, label="macsec")


def _on(node) -> str:
    return ON_OFF.get(node.value, str(node.value))


@info(levels=3)
def macsec_info(root) -> str:
    """`ifindex 7 rxsc 0011223344550002 on`, `ifindex 7 txsa 0 pn 1 on key 01000000…`, and for
    a dump `ifindex 7 protect on validate strict encrypt on GCM-AES-128 icv 16 TXSC
    0011223344550001 SA 0, 1 TXSA, 1 RXSC`: the words of `ip macsec`."""
    parts = []
    for c in root.children or ():
        ab = c.field.abbrev
        if ab == "macsec.ifindex":
            parts.append(f"ifindex {c.value}")
        elif ab == "macsec.rxsc_config":
            for n in c.children or ():
                if n.field.abbrev == "macsec.rxsc.sci":
                    parts.append(f"rxsc {_sci(n.value)}")
                elif n.field.abbrev == "macsec.rxsc.active":
                    parts.append(_on(n))
        elif ab == "macsec.sa_config":
            for n in c.children or ():
                k = n.field.abbrev.rsplit(".", 1)[1]
                if k == "an":
                    parts.append(f"sa {n.value}")
                elif k == "pn":
                    parts.append(f"pn {n.value}")
                elif k == "active":
                    parts.append(_on(n))
                elif k == "keyid":
                    parts.append(f"key {bytes(n.value).hex()}")
        elif ab == "macsec.secy":
            v = {n.field.abbrev.rsplit(".", 1)[1]: n for n in c.children or ()}
            for k in ("protect", "validate", "encrypt", "replay"):
                if k in v:
                    val = VALIDATE.get(v[k].value, "?")[len("MACSEC_VALIDATE_"):].lower() if k == "validate" \
                        else _on(v[k])
                    parts.append(f"{k} {val}")
            if "cipher_suite" in v:
                parts.append(CIPHERS.get(v["cipher_suite"].value, f"cipher {v['cipher_suite'].value:#x}"))
            if "icv_len" in v:
                parts.append(f"icv {v['icv_len'].value}")
            if "sci" in v:
                parts.append(f"TXSC {_sci(v['sci'].value)}")
            if "encoding_sa" in v:
                parts.append(f"SA {v['encoding_sa'].value},")
        elif ab in ("macsec.txsa_list", "macsec.rxsc_list"):
            parts.append(f"{len(c.children or ())} {'TXSA' if ab.endswith('txsa_list') else 'RXSC'}")
        elif ab == "macsec.offload":
            for n in c.children or ():
                if n.field.abbrev == "macsec.offload.type":
                    parts.append(f"offload {OFFLOAD_TYPES.get(n.value, str(n.value))[len('MACSEC_OFFLOAD_'):].lower()}")
    return " ".join(parts).rstrip(",")


CMDS = names_from(H, "MACSEC_CMD_", "macsec_nl_commands", exclude=())
register_genl_family(GenlFamily("macsec", "macsec", {
    n: MessageType(0, name, kind_from_name(name.replace("_UPD_", "_SET_")), None, MACSEC, info=macsec_info)
    for n, name in CMDS.items()}, MACSEC))
