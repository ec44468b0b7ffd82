"""What NetLabel's four generic netlink families share (net/netlabel/, include/net/netlabel.h).

NLBL_MGMT, NLBL_CIPSOv4, NLBL_CALIPSO and NLBL_UNLBL are no UAPI: their commands and
attributes are enums of net/netlabel/netlabel_*.h, typed here by hand in each family's module,
and what user space knows of them is netlabelctl's (netlabel_tools' libnetlabel).  Each family
has one policy for every command and validates its nests with that same policy, so a nest's
members are attributes of the family's one set.  Two dumps number their parts on from the
request's seq (cb_arg->seq++ in netlbl_mgmt_listall_cb() and netlbl_unlabel_staticlist_gen()):
of an NLBL_MGMT_C_LISTALL or NLBL_UNLABEL_C_STATICLIST[DEF] dump only the first part and the
NLMSG_DONE carry the request's own seq.
"""
from __future__ import annotations

import socket

from ...core.registry import DEL, GET, NEW, MessageType

# include/net/netlabel.h: NETLBL_NLTYPE_* (what NLBL_MGMT_A_PROTOCOL holds); ADDRSELECT is the
# kernel's own type for a mapping by address, never sent (netlbl_mgmt_listentry() sends the
# selectors' own protocols inside NLBL_MGMT_A_SELECTORLIST instead)
NLTYPE = {0: "NETLBL_NLTYPE_NONE", 1: "NETLBL_NLTYPE_MGMT", 2: "NETLBL_NLTYPE_RIPSO", 3: "NETLBL_NLTYPE_CIPSOV4",
          4: "NETLBL_NLTYPE_CIPSOV6", 5: "NETLBL_NLTYPE_UNLABELED", 6: "NETLBL_NLTYPE_ADDRSELECT",
          7: "NETLBL_NLTYPE_CALIPSO"}
NETLBL_NLTYPE_CIPSOV4, NETLBL_NLTYPE_UNLABELED, NETLBL_NLTYPE_CALIPSO = 3, 5, 7
# what netlabelctl calls each protocol: in `map list` (MAP_WORDS) and in `mgmt protocols`
MAP_WORDS = {2: "RIPSO", 3: "CIPSOv4", 4: "CIPSOv6", 5: "UNLABELED", 7: "CALIPSO"}
PROTOCOL_WORDS = {**MAP_WORDS, 3: "CIPSO"}
NETLBL_PROTO_VERSION = 3   # include/net/netlabel.h: 3 since network selectors and CIPSO_V4_MAP_LOCAL


def commands(table: dict[int, str], kinds: dict[str, str], attrs, info) -> dict[int, MessageType]:
    """The family's MessageTypes: `table` number -> the kernel's name, `kinds` the name's last
    word (ADD, LISTALL, …) -> GET/NEW/DEL (for the flags' meanings: a LISTALL is a dump),
    `info` one Info for all or a dict name -> Info."""
    out = {}
    for num, name in table.items():
        word = name.rsplit("_C_", 1)[1]
        out[num] = MessageType(0, name, kinds[word], None, attrs,
                               info=info.get(name) if isinstance(info, dict) else info)
    return out


KINDS = {"ADD": NEW, "ADDDEF": NEW, "STATICADD": NEW, "STATICADDDEF": NEW, "ACCEPT": NEW,
         "REMOVE": DEL, "REMOVEDEF": DEL, "STATICREMOVE": DEL, "STATICREMOVEDEF": DEL,
         "LIST": GET, "LISTALL": GET, "LISTDEF": GET, "STATICLIST": GET, "STATICLISTDEF": GET,
         "PROTOCOLS": GET, "VERSION": GET}


def values(nodes, prefix: str) -> dict:
    """{short name: value} of a run of attribute nodes that decoded (the last of a repeat)."""
    return {c.field.abbrev[len(prefix):]: c.value for c in nodes or () if c.field.abbrev.startswith(prefix)
            and not c.status}


def prefix_text(addr: str, mask: str | None) -> str:
    """`10.9.0.0/16` from an address and its mask, as netlabelctl prints a selector; a mask
    that is no prefix stays a mask (`10.0.0.0/255.0.255.0`)."""
    if mask is None:
        return addr
    fam = socket.AF_INET6 if ":" in mask else socket.AF_INET
    try:
        bits = int.from_bytes(socket.inet_pton(fam, mask), "big")
    except OSError:
        return f"{addr}/{mask}"
    width = 128 if fam == socket.AF_INET6 else 32
    ones = bin(bits).count("1")
    if bits != ((1 << ones) - 1) << (width - ones):
        return f"{addr}/{mask}"
    return f"{addr}/{ones}"


def address_text(v: dict) -> str | None:
    """The address/prefix of a run holding ipv4addr/ipv4mask or ipv6addr/ipv6mask, or None."""
    for af in ("ipv4", "ipv6"):
        if f"{af}addr" in v:
            return prefix_text(v[f"{af}addr"], v.get(f"{af}mask"))
    return None
