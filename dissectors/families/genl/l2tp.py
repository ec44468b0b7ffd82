"""l2tp: L2TPv2/v3 tunnels and sessions (`ip l2tp`, pyroute2's L2tp, xl2tpd), net/l2tp/l2tp_netlink.c."""
from __future__ import annotations

from types import SimpleNamespace

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from

# Constants of <linux/l2tp.h> (the same in 6.1 and 6.12), read by tools/gen_uapi.py's parser;
# they move to dissectors/generated/ once it lists the header.
_ENUMS = {
    "L2TP_CMD_NOOP": {"L2TP_CMD_NOOP": 0, "L2TP_CMD_TUNNEL_CREATE": 1, "L2TP_CMD_TUNNEL_DELETE": 2,
        "L2TP_CMD_TUNNEL_MODIFY": 3, "L2TP_CMD_TUNNEL_GET": 4, "L2TP_CMD_SESSION_CREATE": 5,
        "L2TP_CMD_SESSION_DELETE": 6, "L2TP_CMD_SESSION_MODIFY": 7, "L2TP_CMD_SESSION_GET": 8},
    "L2TP_ATTR_NONE": {"L2TP_ATTR_NONE": 0, "L2TP_ATTR_PW_TYPE": 1, "L2TP_ATTR_ENCAP_TYPE": 2, "L2TP_ATTR_OFFSET":
        3, "L2TP_ATTR_DATA_SEQ": 4, "L2TP_ATTR_L2SPEC_TYPE": 5, "L2TP_ATTR_L2SPEC_LEN": 6,
        "L2TP_ATTR_PROTO_VERSION": 7, "L2TP_ATTR_IFNAME": 8, "L2TP_ATTR_CONN_ID": 9, "L2TP_ATTR_PEER_CONN_ID": 10,
        "L2TP_ATTR_SESSION_ID": 11, "L2TP_ATTR_PEER_SESSION_ID": 12, "L2TP_ATTR_UDP_CSUM": 13, "L2TP_ATTR_VLAN_ID":
        14, "L2TP_ATTR_COOKIE": 15, "L2TP_ATTR_PEER_COOKIE": 16, "L2TP_ATTR_DEBUG": 17, "L2TP_ATTR_RECV_SEQ": 18,
        "L2TP_ATTR_SEND_SEQ": 19, "L2TP_ATTR_LNS_MODE": 20, "L2TP_ATTR_USING_IPSEC": 21, "L2TP_ATTR_RECV_TIMEOUT":
        22, "L2TP_ATTR_FD": 23, "L2TP_ATTR_IP_SADDR": 24, "L2TP_ATTR_IP_DADDR": 25, "L2TP_ATTR_UDP_SPORT": 26,
        "L2TP_ATTR_UDP_DPORT": 27, "L2TP_ATTR_MTU": 28, "L2TP_ATTR_MRU": 29, "L2TP_ATTR_STATS": 30,
        "L2TP_ATTR_IP6_SADDR": 31, "L2TP_ATTR_IP6_DADDR": 32, "L2TP_ATTR_UDP_ZERO_CSUM6_TX": 33,
        "L2TP_ATTR_UDP_ZERO_CSUM6_RX": 34, "L2TP_ATTR_PAD": 35},
    "L2TP_ATTR_STATS_NONE": {"L2TP_ATTR_STATS_NONE": 0, "L2TP_ATTR_TX_PACKETS": 1, "L2TP_ATTR_TX_BYTES": 2,
        "L2TP_ATTR_TX_ERRORS": 3, "L2TP_ATTR_RX_PACKETS": 4, "L2TP_ATTR_RX_BYTES": 5, "L2TP_ATTR_RX_SEQ_DISCARDS":
        6, "L2TP_ATTR_RX_OOS_PACKETS": 7, "L2TP_ATTR_RX_ERRORS": 8, "L2TP_ATTR_STATS_PAD": 9,
        "L2TP_ATTR_RX_COOKIE_DISCARDS": 10, "L2TP_ATTR_RX_INVALID": 11},
    "l2tp_pwtype": {"L2TP_PWTYPE_NONE": 0, "L2TP_PWTYPE_ETH_VLAN": 4, "L2TP_PWTYPE_ETH": 5, "L2TP_PWTYPE_PPP": 7,
        "L2TP_PWTYPE_PPP_AC": 8, "L2TP_PWTYPE_IP": 11},
    "l2tp_l2spec_type": {"L2TP_L2SPECTYPE_NONE": 0, "L2TP_L2SPECTYPE_DEFAULT": 1},
    "l2tp_encap_type": {"L2TP_ENCAPTYPE_UDP": 0, "L2TP_ENCAPTYPE_IP": 1},
    "l2tp_seqmode": {"L2TP_SEQ_NONE": 0, "L2TP_SEQ_IP": 1, "L2TP_SEQ_ALL": 2},
    "l2tp_debug_flags": {"L2TP_MSG_DEBUG": 1, "L2TP_MSG_CONTROL": 2, "L2TP_MSG_SEQ": 4, "L2TP_MSG_DATA": 8},
}
H = SimpleNamespace(ENUMS={t: tuple(m) for t, m in _ENUMS.items()},
                    **{k: v for m in _ENUMS.values() for k, v in m.items()})

PW_TYPES = names_from(H, "L2TP_PWTYPE_", "l2tp_pwtype")
ENCAP_TYPES = names_from(H, "L2TP_ENCAPTYPE_", "l2tp_encap_type", exclude=())
L2SPEC_TYPES = names_from(H, "L2TP_L2SPECTYPE_", "l2tp_l2spec_type", exclude=())
SEQ_MODES = names_from(H, "L2TP_SEQ_", "l2tp_seqmode", exclude=())
DEBUG = names_from(H, "L2TP_MSG_", "l2tp_debug_flags", exclude=())
ON_OFF = {0: "off", 1: "on"}

# the statistics of a tunnel or session (l2tp_nl_tunnel_send(), l2tp_nl_session_send()): u64 each
STATS = enum_set("stats", "l2tp.stats", H, "L2TP_ATTR_STATS_NONE", "L2TP_ATTR_", {"STATS_PAD": "pad"},
                 label="statistics", default="u64", skip=("STATS_NONE",))
# l2tp_nl_policy; ports are put in host order (ntohs(inet->inet_sport)), addresses as they are;
# RECV_TIMEOUT is an NLA_MSECS (u64); COOKIE and PEER_COOKIE 0, 4 or 8 bytes
L2TP = enum_set("l2tp", "l2tp", H, "L2TP_ATTR_NONE", "L2TP_ATTR_", {
    "PW_TYPE": a("u16", enum=PW_TYPES), "ENCAP_TYPE": a("u16", enum=ENCAP_TYPES), "OFFSET": "u16",
    "DATA_SEQ": a("u8", enum=SEQ_MODES), "L2SPEC_TYPE": a("u8", enum=L2SPEC_TYPES), "L2SPEC_LEN": "u8",
    "PROTO_VERSION": "u8", "IFNAME": "string", "CONN_ID": "u32", "PEER_CONN_ID": "u32", "SESSION_ID": "u32",
    "PEER_SESSION_ID": "u32", "UDP_CSUM": a("u8", enum=ON_OFF), "VLAN_ID": "u16",
    "COOKIE": a("binary", hint="hex"), "PEER_COOKIE": a("binary", hint="hex"), "DEBUG": a("u32", flags=DEBUG),
    "RECV_SEQ": a("u8", enum=ON_OFF), "SEND_SEQ": a("u8", enum=ON_OFF), "LNS_MODE": a("u8", enum=ON_OFF),
    "USING_IPSEC": a("u8", enum=ON_OFF), "RECV_TIMEOUT": a("u64", unit="ms"), "FD": "u32",
    "IP_SADDR": a("binary", hint="ipv4"), "IP_DADDR": a("binary", hint="ipv4"), "UDP_SPORT": "u16",
    "UDP_DPORT": "u16", "MTU": "u16", "MRU": "u16", "STATS": a("nest", nested=STATS),
    "IP6_SADDR": a("binary", hint="ipv6"), "IP6_DADDR": a("binary", hint="ipv6"), "UDP_ZERO_CSUM6_TX": "flag",
    "UDP_ZERO_CSUM6_RX": "flag", "PAD": "pad"}, label="l2tp", skip=("NONE",))


@info()
def l2tp_info(root) -> str:
    """`tunnel 3000 peer 4000 from 10.0.0.1 to 10.0.0.2 encap udp sport 5000 dport 6000`, or
    `session 1000 tunnel 3000 peer 2000 l2tpeth0`: the words of `ip l2tp show`."""
    v = {c.field.abbrev[len("l2tp."):]: c.value for c in root.children or ()
         if c.field.abbrev.startswith("l2tp.") and not c.status}
    parts = []
    if "session_id" in v:
        parts.append(f"session {v['session_id']}")
        if "conn_id" in v:
            parts.append(f"tunnel {v['conn_id']}")
        if "peer_session_id" in v:
            parts.append(f"peer {v['peer_session_id']}")
    elif "conn_id" in v:
        parts.append(f"tunnel {v['conn_id']}")
        if "peer_conn_id" in v:
            parts.append(f"peer {v['peer_conn_id']}")
    for key, word in (("ip_saddr", "from"), ("ip6_saddr", "from"), ("ip_daddr", "to"), ("ip6_daddr", "to")):
        if key in v:
            parts.append(f"{word} {v[key]}")
    if "encap_type" in v and "session_id" not in v:
        parts.append("encap " + ENCAP_TYPES.get(v["encap_type"], str(v["encap_type"]))[len("L2TP_ENCAPTYPE_"):].lower())
    if v.get("udp_sport"):
        parts.append(f"sport {v['udp_sport']}")
    if v.get("udp_dport"):
        parts.append(f"dport {v['udp_dport']}")
    if "ifname" in v:
        parts.append(v["ifname"])
    return " ".join(parts)


CMDS = names_from(H, "L2TP_CMD_", "L2TP_CMD_NOOP", exclude=())
KINDS = {"CREATE": "new", "DELETE": "del", "MODIFY": "new", "GET": "get", "NOOP": "other"}
register_genl_family(GenlFamily("l2tp", "l2tp", {
    n: MessageType(0, name, KINDS[name.rsplit("_", 1)[1]], None, L2TP, info=l2tp_info) for n, name in CMDS.items()},
    L2TP))
