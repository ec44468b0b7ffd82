"""TIPCv2: the TIPC cluster protocol's configuration and state (the `tipc` tool of iproute2:
bearers, links, media, nodes, sockets, the name table, the link monitor, keys), net/tipc/netlink.c.

Every message carries one top-level nest (TIPC_NLA_BEARER, _LINK, _NODE, …) holding that
object's attributes.  A node key (TIPC_NLA_NODE_KEY, a struct tipc_aead_key with the key
bytes) is shown redacted (core/secrets.py).  The legacy "TIPC" family (tipc-config's
struct tipc_genlmsghdr and TLVs) is a different family, not decoded here.
"""
from __future__ import annotations

from types import SimpleNamespace

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from

# Constants of <linux/tipc_netlink.h> (the same in 6.1 and 6.12), read by tools/gen_uapi.py's
# parser; they move to dissectors/generated/ once it lists the header.  Two nests number their
# attributes from 0 (TIPC_NLA_SOCK_GROUP_ID, TIPC_NLA_SOCK_STAT_RCVQ): the kernel puts type 0.
_ENUMS = {
    "TIPC_NL_UNSPEC": {"TIPC_NL_UNSPEC": 0, "TIPC_NL_LEGACY": 1, "TIPC_NL_BEARER_DISABLE": 2,
        "TIPC_NL_BEARER_ENABLE": 3, "TIPC_NL_BEARER_GET": 4, "TIPC_NL_BEARER_SET": 5, "TIPC_NL_SOCK_GET": 6,
        "TIPC_NL_PUBL_GET": 7, "TIPC_NL_LINK_GET": 8, "TIPC_NL_LINK_SET": 9, "TIPC_NL_LINK_RESET_STATS": 10,
        "TIPC_NL_MEDIA_GET": 11, "TIPC_NL_MEDIA_SET": 12, "TIPC_NL_NODE_GET": 13, "TIPC_NL_NET_GET": 14,
        "TIPC_NL_NET_SET": 15, "TIPC_NL_NAME_TABLE_GET": 16, "TIPC_NL_MON_SET": 17, "TIPC_NL_MON_GET": 18,
        "TIPC_NL_MON_PEER_GET": 19, "TIPC_NL_PEER_REMOVE": 20, "TIPC_NL_BEARER_ADD": 21, "TIPC_NL_UDP_GET_REMOTEIP":
        22, "TIPC_NL_KEY_SET": 23, "TIPC_NL_KEY_FLUSH": 24, "TIPC_NL_ADDR_LEGACY_GET": 25},
    "TIPC_NLA_UNSPEC": {"TIPC_NLA_UNSPEC": 0, "TIPC_NLA_BEARER": 1, "TIPC_NLA_SOCK": 2, "TIPC_NLA_PUBL": 3,
        "TIPC_NLA_LINK": 4, "TIPC_NLA_MEDIA": 5, "TIPC_NLA_NODE": 6, "TIPC_NLA_NET": 7, "TIPC_NLA_NAME_TABLE": 8,
        "TIPC_NLA_MON": 9, "TIPC_NLA_MON_PEER": 10},
    "TIPC_NLA_BEARER_UNSPEC": {"TIPC_NLA_BEARER_UNSPEC": 0, "TIPC_NLA_BEARER_NAME": 1, "TIPC_NLA_BEARER_PROP": 2,
        "TIPC_NLA_BEARER_DOMAIN": 3, "TIPC_NLA_BEARER_UDP_OPTS": 4},
    "TIPC_NLA_UDP_UNSPEC": {"TIPC_NLA_UDP_UNSPEC": 0, "TIPC_NLA_UDP_LOCAL": 1, "TIPC_NLA_UDP_REMOTE": 2,
        "TIPC_NLA_UDP_MULTI_REMOTEIP": 3},
    "TIPC_NLA_SOCK_UNSPEC": {"TIPC_NLA_SOCK_UNSPEC": 0, "TIPC_NLA_SOCK_ADDR": 1, "TIPC_NLA_SOCK_REF": 2,
        "TIPC_NLA_SOCK_CON": 3, "TIPC_NLA_SOCK_HAS_PUBL": 4, "TIPC_NLA_SOCK_STAT": 5, "TIPC_NLA_SOCK_TYPE": 6,
        "TIPC_NLA_SOCK_INO": 7, "TIPC_NLA_SOCK_UID": 8, "TIPC_NLA_SOCK_TIPC_STATE": 9, "TIPC_NLA_SOCK_COOKIE": 10,
        "TIPC_NLA_SOCK_PAD": 11, "TIPC_NLA_SOCK_GROUP": 12},
    "TIPC_NLA_LINK_UNSPEC": {"TIPC_NLA_LINK_UNSPEC": 0, "TIPC_NLA_LINK_NAME": 1, "TIPC_NLA_LINK_DEST": 2,
        "TIPC_NLA_LINK_MTU": 3, "TIPC_NLA_LINK_BROADCAST": 4, "TIPC_NLA_LINK_UP": 5, "TIPC_NLA_LINK_ACTIVE": 6,
        "TIPC_NLA_LINK_PROP": 7, "TIPC_NLA_LINK_STATS": 8, "TIPC_NLA_LINK_RX": 9, "TIPC_NLA_LINK_TX": 10},
    "TIPC_NLA_MEDIA_UNSPEC": {"TIPC_NLA_MEDIA_UNSPEC": 0, "TIPC_NLA_MEDIA_NAME": 1, "TIPC_NLA_MEDIA_PROP": 2},
    "TIPC_NLA_NODE_UNSPEC": {"TIPC_NLA_NODE_UNSPEC": 0, "TIPC_NLA_NODE_ADDR": 1, "TIPC_NLA_NODE_UP": 2,
        "TIPC_NLA_NODE_ID": 3, "TIPC_NLA_NODE_KEY": 4, "TIPC_NLA_NODE_KEY_MASTER": 5, "TIPC_NLA_NODE_REKEYING": 6},
    "TIPC_NLA_NET_UNSPEC": {"TIPC_NLA_NET_UNSPEC": 0, "TIPC_NLA_NET_ID": 1, "TIPC_NLA_NET_ADDR": 2,
        "TIPC_NLA_NET_NODEID": 3, "TIPC_NLA_NET_NODEID_W1": 4, "TIPC_NLA_NET_ADDR_LEGACY": 5},
    "TIPC_NLA_NAME_TABLE_UNSPEC": {"TIPC_NLA_NAME_TABLE_UNSPEC": 0, "TIPC_NLA_NAME_TABLE_PUBL": 1},
    "TIPC_NLA_MON_UNSPEC": {"TIPC_NLA_MON_UNSPEC": 0, "TIPC_NLA_MON_ACTIVATION_THRESHOLD": 1, "TIPC_NLA_MON_REF": 2,
        "TIPC_NLA_MON_ACTIVE": 3, "TIPC_NLA_MON_BEARER_NAME": 4, "TIPC_NLA_MON_PEERCNT": 5, "TIPC_NLA_MON_LISTGEN":
        6},
    "TIPC_NLA_PUBL_UNSPEC": {"TIPC_NLA_PUBL_UNSPEC": 0, "TIPC_NLA_PUBL_TYPE": 1, "TIPC_NLA_PUBL_LOWER": 2,
        "TIPC_NLA_PUBL_UPPER": 3, "TIPC_NLA_PUBL_SCOPE": 4, "TIPC_NLA_PUBL_NODE": 5, "TIPC_NLA_PUBL_REF": 6,
        "TIPC_NLA_PUBL_KEY": 7},
    "TIPC_NLA_MON_PEER_UNSPEC": {"TIPC_NLA_MON_PEER_UNSPEC": 0, "TIPC_NLA_MON_PEER_ADDR": 1,
        "TIPC_NLA_MON_PEER_DOMGEN": 2, "TIPC_NLA_MON_PEER_APPLIED": 3, "TIPC_NLA_MON_PEER_UPMAP": 4,
        "TIPC_NLA_MON_PEER_MEMBERS": 5, "TIPC_NLA_MON_PEER_UP": 6, "TIPC_NLA_MON_PEER_HEAD": 7,
        "TIPC_NLA_MON_PEER_LOCAL": 8, "TIPC_NLA_MON_PEER_PAD": 9},
    "TIPC_NLA_SOCK_GROUP_ID": {"TIPC_NLA_SOCK_GROUP_ID": 0, "TIPC_NLA_SOCK_GROUP_OPEN": 1,
        "TIPC_NLA_SOCK_GROUP_NODE_SCOPE": 2, "TIPC_NLA_SOCK_GROUP_CLUSTER_SCOPE": 3, "TIPC_NLA_SOCK_GROUP_INSTANCE":
        4, "TIPC_NLA_SOCK_GROUP_BC_SEND_NEXT": 5},
    "TIPC_NLA_CON_UNSPEC": {"TIPC_NLA_CON_UNSPEC": 0, "TIPC_NLA_CON_FLAG": 1, "TIPC_NLA_CON_NODE": 2,
        "TIPC_NLA_CON_SOCK": 3, "TIPC_NLA_CON_TYPE": 4, "TIPC_NLA_CON_INST": 5},
    "TIPC_NLA_SOCK_STAT_RCVQ": {"TIPC_NLA_SOCK_STAT_RCVQ": 0, "TIPC_NLA_SOCK_STAT_SENDQ": 1,
        "TIPC_NLA_SOCK_STAT_LINK_CONG": 2, "TIPC_NLA_SOCK_STAT_CONN_CONG": 3, "TIPC_NLA_SOCK_STAT_DROP": 4},
    "TIPC_NLA_PROP_UNSPEC": {"TIPC_NLA_PROP_UNSPEC": 0, "TIPC_NLA_PROP_PRIO": 1, "TIPC_NLA_PROP_TOL": 2,
        "TIPC_NLA_PROP_WIN": 3, "TIPC_NLA_PROP_MTU": 4, "TIPC_NLA_PROP_BROADCAST": 5,
        "TIPC_NLA_PROP_BROADCAST_RATIO": 6},
    "TIPC_NLA_STATS_UNSPEC": {"TIPC_NLA_STATS_UNSPEC": 0, "TIPC_NLA_STATS_RX_INFO": 1,
        "TIPC_NLA_STATS_RX_FRAGMENTS": 2, "TIPC_NLA_STATS_RX_FRAGMENTED": 3, "TIPC_NLA_STATS_RX_BUNDLES": 4,
        "TIPC_NLA_STATS_RX_BUNDLED": 5, "TIPC_NLA_STATS_TX_INFO": 6, "TIPC_NLA_STATS_TX_FRAGMENTS": 7,
        "TIPC_NLA_STATS_TX_FRAGMENTED": 8, "TIPC_NLA_STATS_TX_BUNDLES": 9, "TIPC_NLA_STATS_TX_BUNDLED": 10,
        "TIPC_NLA_STATS_MSG_PROF_TOT": 11, "TIPC_NLA_STATS_MSG_LEN_CNT": 12, "TIPC_NLA_STATS_MSG_LEN_TOT": 13,
        "TIPC_NLA_STATS_MSG_LEN_P0": 14, "TIPC_NLA_STATS_MSG_LEN_P1": 15, "TIPC_NLA_STATS_MSG_LEN_P2": 16,
        "TIPC_NLA_STATS_MSG_LEN_P3": 17, "TIPC_NLA_STATS_MSG_LEN_P4": 18, "TIPC_NLA_STATS_MSG_LEN_P5": 19,
        "TIPC_NLA_STATS_MSG_LEN_P6": 20, "TIPC_NLA_STATS_RX_STATES": 21, "TIPC_NLA_STATS_RX_PROBES": 22,
        "TIPC_NLA_STATS_RX_NACKS": 23, "TIPC_NLA_STATS_RX_DEFERRED": 24, "TIPC_NLA_STATS_TX_STATES": 25,
        "TIPC_NLA_STATS_TX_PROBES": 26, "TIPC_NLA_STATS_TX_NACKS": 27, "TIPC_NLA_STATS_TX_ACKS": 28,
        "TIPC_NLA_STATS_RETRANSMITTED": 29, "TIPC_NLA_STATS_DUPLICATES": 30, "TIPC_NLA_STATS_LINK_CONGS": 31,
        "TIPC_NLA_STATS_MAX_QUEUE": 32, "TIPC_NLA_STATS_AVG_QUEUE": 33},
}
H = SimpleNamespace(ENUMS={t: tuple(m) for t, m in _ENUMS.items()},
                    **{k: v for m in _ENUMS.values() for k, v in m.items()})


def _set(name: str, tag: str, strip: str, types: dict, label: str):
    """A nest of tipc_netlink.h: what the policies (tipc_nl_*_policy) and the dump functions
    put; every member not named in `types` is a u32, as nearly all of TIPC's are."""
    return enum_set(name, f"tipc.{name}", H, tag, strip, types, label=label, default="u32")


def _tipc_addr(v: int) -> str:
    """A 32-bit TIPC node address, also as the legacy <zone.cluster.node> it is made of."""
    return f"{v:#010x} <{v >> 24}.{(v >> 12) & 0xFFF}.{v & 0xFFF}>"


ADDR = a("u32", show=_tipc_addr)
PROP = _set("prop", "TIPC_NLA_PROP_UNSPEC", "TIPC_NLA_PROP_", {"TOL": a("u32", unit="ms")}, "properties")
STATS = _set("stats", "TIPC_NLA_STATS_UNSPEC", "TIPC_NLA_STATS_", {}, "link statistics")
UDP = _set("udp", "TIPC_NLA_UDP_UNSPEC", "TIPC_NLA_UDP_", {   # tipc_nl_udp_policy: struct sockaddr_storage
    "LOCAL": a("binary", hint="sockaddr"), "REMOTE": a("binary", hint="sockaddr"), "MULTI_REMOTEIP": "flag"},
    "UDP options")
BEARER = _set("bearer", "TIPC_NLA_BEARER_UNSPEC", "TIPC_NLA_BEARER_", {
    "NAME": "string", "PROP": a("nest", nested=PROP), "DOMAIN": ADDR, "UDP_OPTS": a("nest", nested=UDP)}, "bearer")
CON = _set("con", "TIPC_NLA_CON_UNSPEC", "TIPC_NLA_CON_", {"FLAG": "flag", "NODE": ADDR}, "connection")
SOCK_STAT = _set("sock_stat", "TIPC_NLA_SOCK_STAT_RCVQ", "TIPC_NLA_SOCK_STAT_", {}, "socket statistics")
GROUP = _set("group", "TIPC_NLA_SOCK_GROUP_ID", "TIPC_NLA_SOCK_GROUP_", {
    "OPEN": "flag", "NODE_SCOPE": "flag", "CLUSTER_SCOPE": "flag"}, "socket group")
SOCK = _set("sock", "TIPC_NLA_SOCK_UNSPEC", "TIPC_NLA_SOCK_", {
    "ADDR": ADDR, "CON": a("nest", nested=CON), "HAS_PUBL": "flag", "STAT": a("nest", nested=SOCK_STAT),
    "COOKIE": "u64", "PAD": "pad", "GROUP": a("nest", nested=GROUP)}, "socket")
PUBL = _set("publ", "TIPC_NLA_PUBL_UNSPEC", "TIPC_NLA_PUBL_", {"NODE": ADDR}, "publication")
LINK = _set("link", "TIPC_NLA_LINK_UNSPEC", "TIPC_NLA_LINK_", {
    "NAME": "string", "DEST": ADDR, "BROADCAST": "flag", "UP": "flag", "ACTIVE": "flag",
    "PROP": a("nest", nested=PROP), "STATS": a("nest", nested=STATS)}, "link")
MEDIA = _set("media", "TIPC_NLA_MEDIA_UNSPEC", "TIPC_NLA_MEDIA_", {
    "NAME": "string", "PROP": a("nest", nested=PROP)}, "media")
NODE = _set("node", "TIPC_NLA_NODE_UNSPEC", "TIPC_NLA_NODE_", {   # ID: 16 bytes, KEY: a struct tipc_aead_key
    "ADDR": ADDR, "UP": "flag", "ID": a("binary", hint="hex"), "KEY": a("binary", hint="secret"),
    "KEY_MASTER": "flag"}, "node")
NET = _set("net", "TIPC_NLA_NET_UNSPEC", "TIPC_NLA_NET_", {
    "ADDR": ADDR, "NODEID": a("u64", show=lambda v: f"{v:016x}"), "NODEID_W1": a("u64", show=lambda v: f"{v:016x}"),
    "ADDR_LEGACY": "flag"}, "network")
NAME_TABLE = _set("name_table", "TIPC_NLA_NAME_TABLE_UNSPEC", "TIPC_NLA_NAME_TABLE_", {
    "PUBL": a("nest", nested=PUBL)}, "name table")
MON = _set("mon", "TIPC_NLA_MON_UNSPEC", "TIPC_NLA_MON_", {"ACTIVE": "flag", "BEARER_NAME": "string"}, "monitor")
MON_PEER = _set("mon_peer", "TIPC_NLA_MON_PEER_UNSPEC", "TIPC_NLA_MON_PEER_", {
    "ADDR": ADDR, "UPMAP": a("u64", show=hex), "MEMBERS": a("binary", hint="hex"), "UP": "flag", "HEAD": "flag",
    "LOCAL": "flag", "PAD": "pad"}, "monitor peer")
TIPC = enum_set("tipc", "tipc", H, "TIPC_NLA_UNSPEC", "TIPC_NLA_", {
    "BEARER": a("nest", nested=BEARER), "SOCK": a("nest", nested=SOCK), "PUBL": a("nest", nested=PUBL),
    "LINK": a("nest", nested=LINK), "MEDIA": a("nest", nested=MEDIA), "NODE": a("nest", nested=NODE),
    "NET": a("nest", nested=NET), "NAME_TABLE": a("nest", nested=NAME_TABLE), "MON": a("nest", nested=MON),
    "MON_PEER": a("nest", nested=MON_PEER)}, label="TIPCv2")

# the attribute that names an object of each top-level nest, for the Info column
_NAMES = {"tipc.bearer.name": "bearer", "tipc.link.name": "link", "tipc.media.name": "media",
          "tipc.node.addr": "node", "tipc.net.id": "net id", "tipc.net.addr": "addr", "tipc.sock.ref": "socket",
          "tipc.publ.type": "type", "tipc.publ.lower": "lower", "tipc.publ.upper": "upper",
          "tipc.mon.bearer_name": "bearer", "tipc.mon_peer.addr": "peer", "tipc.link.up": "up",
          "tipc.node.up": "up", "tipc.mon.activation_threshold": "threshold"}


@info(levels=2)
def tipc_info(root) -> str:
    """`link broadcast-link up`, `bearer eth:eth0`, `node 0x01001001 <1.1.1> up`."""
    parts = []
    for n in root.walk():
        word = _NAMES.get(n.field.abbrev)
        if word is None:
            continue
        if n.value is True:
            parts.append(word)
        else:
            text = n.text if n.text is not None else str(n.value)
            parts.append(f"{word} {text}")
    return " ".join(parts)


CMDS = names_from(H, "TIPC_NL_", "TIPC_NL_UNSPEC")
register_genl_family(GenlFamily("TIPCv2", "tipc", {
    n: MessageType(0, name, kind_from_name(name.replace("ENABLE", "NEW").replace("DISABLE", "DEL")
                                           .replace("REMOVE", "DEL").replace("FLUSH", "DEL")), None, TIPC,
                   info=tipc_info) for n, name in CMDS.items()}, TIPC))
