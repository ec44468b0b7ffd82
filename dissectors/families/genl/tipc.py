"""TIPCv2: the TIPC cluster protocol's configuration and state (the `tipc` tool of iproute2:
bearers, links, media, nodes, sockets, the name table, the link monitor, keys), net/tipc/netlink.c.

Every message carries one top-level nest (TIPC_NLA_BEARER, _LINK, _NODE, …) holding that
object's attributes.  A node key (TIPC_NLA_NODE_KEY, a struct tipc_aead_key with the key
bytes) is shown redacted (core/secrets.py).  The legacy "TIPC" family (tipc-config's
struct tipc_genlmsghdr and TLVs) is another family: tipc_legacy.py.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import tipc_netlink as H



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
# two nests number their attributes from 0 (TIPC_NLA_SOCK_STAT_RCVQ, TIPC_NLA_SOCK_GROUP_ID):
# the kernel puts type 0
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
