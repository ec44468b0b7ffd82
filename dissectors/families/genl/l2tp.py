"""l2tp: L2TPv2/v3 tunnels and sessions (`ip l2tp`, pyroute2's L2tp, xl2tpd), net/l2tp/l2tp_netlink.c."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import names_from
from ...generated import l2tp as H
from .protocol import top_attrs

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
    v = {k: n.value for k, n in top_attrs(root, "l2tp.").items()}
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
