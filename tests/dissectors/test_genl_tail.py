"""The long tail of generic netlink (issue 17): l2tp, macsec, fou, ila, batadv, TIPCv2,
nl802154, SEG6, IOAM6 and tcp_metrics, decoded from messages built as the kernel and the
tools build them (net/l2tp/l2tp_netlink.c, drivers/net/macsec.c, … and iproute2, batctl,
iwpan); what the host can run is checked on real traffic in test_genl_host_captures.py."""
from __future__ import annotations

import json
import struct

import pytest

import dissectors
from dissectors import Context, decode_frame, format_tree
from tests.dissectors.build import msg, nla

dissectors.load_families()
from dissectors.core import registry  # noqa: E402
from dissectors.families.genl import batadv as B, ila as I, l2tp as L, macsec as M, nl802154 as W  # noqa: E402
from dissectors.families.genl import acpi_event as A, ioam6 as O, nbd as N, seg6 as S, tipc as T  # noqa: E402
from dissectors.families.genl import thermal as TH, vfs_dquot as Q  # noqa: E402

FAMILIES = ["tcp_metrics", "SEG6", "IOAM6", "fou", "ila", "l2tp", "macsec", "batadv", "TIPCv2", "nl802154", "nbd",
            "acpi_event", "VFS_DQUOT", "thermal"]
FID = 0x40
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI = 1, 4, 0x300, 2


def nest(ntype: int, *parts: bytes) -> bytes:
    return nla(ntype, b"".join(parts))


def u8(t, v): return nla(t, struct.pack("<B", v))          # noqa: E704
def u16(t, v): return nla(t, struct.pack("<H", v))         # noqa: E704
def u32(t, v): return nla(t, struct.pack("<I", v))         # noqa: E704
def u64(t, v): return nla(t, struct.pack("<Q", v))         # noqa: E704
def s32(t, v): return nla(t, struct.pack("<i", v))         # noqa: E704
def be64(t, v): return nla(t, struct.pack(">Q", v))        # noqa: E704
def flag(t): return nla(t, b"")                             # noqa: E704
def string(t, s): return nla(t, s.encode() + b"\0")        # noqa: E704


def decode(family: str, cmd: int, body: bytes, flags: int = NLM_F_REQUEST, pid: int = 0):
    """The message decoded in full, checked whole; its Info from a summary (a shallow decode,
    made first) must be the one the full tree makes."""
    frame = msg(FID, flags, bytes([cmd, 1, 0, 0]) + body, pid=pid)
    cheap = decode_frame(frame, protocol=16, ctx=Context({FID: family}))[0].info
    m = decode_frame(frame, protocol=16, ctx=Context({FID: family}))[0]
    assert m.message_type.info is None or cheap == m.message_type.info(m.tree)
    bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
    assert not bad and not m.malformed, bad
    assert m.claimed and m.family == registry.GENL_FAMILIES[family].label
    return m


def _value(spec) -> bytes | None:
    """A payload of each plain attribute type the families use."""
    sizes = {"u8": 1, "s8": 1, "u16": 2, "u32": 4, "s32": 4, "u64": 8, "uint": 4}
    if spec.type in sizes:
        return bytes(range(1, sizes[spec.type] + 1))
    if spec.type == "struct":
        return bytes(spec.struct.max_size)
    if spec.hint in ("ipv4", "mac", "ipv6"):
        return bytes(range(1, {"ipv4": 5, "mac": 7, "ipv6": 17}[spec.hint]))
    return {"string": b"nlscope\0", "flag": b"", "binary": bytes(range(16)), "pad": b"\0\0\0\0",
            "nest": b"", "indexed-array": b""}.get(spec.type)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_command_and_attribute_is_named(family):
    """Each command, with one of each top-level attribute, decodes to named values with
    nothing unknown or malformed (nests empty: their members are checked below)."""
    fam = registry.GENL_FAMILIES[family]
    assert fam.commands
    for cmd, mt in sorted(fam.commands.items()):
        attrs = mt.attrs or fam.attrs
        built = [nla(num, data) for num, spec in sorted(attrs.by_num.items()) if (data := _value(spec)) is not None]
        m = decode(family, cmd, b"".join(built))
        assert m.type_name == mt.name and not mt.name.startswith("cmd ")
        named = [n for n in m.tree.children if n.field.abbrev.startswith(fam.abbrev + ".")]
        assert len(named) == len(built) == len(attrs.by_num), mt.name
        m.info   # noqa: B018  (the Info column makes no traceback on any combination)


def test_l2tp_tunnel_and_session_as_ip_l2tp_shows_them():
    """`ip l2tp add tunnel tunnel_id 3000 peer_tunnel_id 4000 encap udp local 10.0.0.1 remote
    10.0.0.2 udp_sport 5000 udp_dport 6000`, then the kernel's reply to a session GET."""
    req = decode("l2tp", L.H.L2TP_CMD_TUNNEL_CREATE, b"".join([
        u32(L.H.L2TP_ATTR_CONN_ID, 3000), u32(L.H.L2TP_ATTR_PEER_CONN_ID, 4000), u8(L.H.L2TP_ATTR_PROTO_VERSION, 3),
        struct.pack("<HHH2x", 6, L.H.L2TP_ATTR_ENCAP_TYPE, 0), nla(L.H.L2TP_ATTR_IP_SADDR, bytes([10, 0, 0, 1])),
        nla(L.H.L2TP_ATTR_IP_DADDR, bytes([10, 0, 0, 2])), u16(L.H.L2TP_ATTR_UDP_SPORT, 5000),
        u16(L.H.L2TP_ATTR_UDP_DPORT, 6000)]), NLM_F_REQUEST | NLM_F_ACK)
    assert req.type_name == "L2TP_CMD_TUNNEL_CREATE" and req.kind == "new"
    assert req.info == "tunnel 3000 peer 4000 from 10.0.0.1 to 10.0.0.2 encap udp sport 5000 dport 6000"
    assert req.tree.find("L2TP_ATTR_ENCAP_TYPE").show == "L2TP_ENCAPTYPE_UDP (0)"
    stats = nest(L.H.L2TP_ATTR_STATS, u64(L.H.L2TP_ATTR_TX_PACKETS, 7), u64(L.H.L2TP_ATTR_RX_BYTES, 1500),
                 u64(L.H.L2TP_ATTR_RX_INVALID, 1))
    rep = decode("l2tp", L.H.L2TP_CMD_SESSION_GET, b"".join([
        u32(L.H.L2TP_ATTR_CONN_ID, 3000), u32(L.H.L2TP_ATTR_SESSION_ID, 1000), u32(L.H.L2TP_ATTR_PEER_CONN_ID, 4000),
        u32(L.H.L2TP_ATTR_PEER_SESSION_ID, 2000), u32(L.H.L2TP_ATTR_DEBUG, 0),
        struct.pack("<HHH2x", 6, L.H.L2TP_ATTR_PW_TYPE, 5), string(L.H.L2TP_ATTR_IFNAME, "l2tpeth0"),
        nla(L.H.L2TP_ATTR_COOKIE, bytes.fromhex("01020304")), u8(L.H.L2TP_ATTR_RECV_SEQ, 1),
        u64(L.H.L2TP_ATTR_RECV_TIMEOUT, 500), stats]), 0, pid=77)
    assert rep.info == "session 1000 tunnel 3000 peer 2000 l2tpeth0"
    assert rep.tree.find("L2TP_ATTR_PW_TYPE").show == "L2TP_PWTYPE_ETH (5)"
    assert rep.tree["L2TP_ATTR_TX_PACKETS"] == 7 and rep.tree["L2TP_ATTR_RX_INVALID"] == 1
    assert rep.tree.find("L2TP_ATTR_RECV_TIMEOUT").show == "500 ms"


def _everything(m) -> str:
    return "\n".join([format_tree(m.tree), json.dumps(m.to_json())] + [repr(n.value) for n in m.tree.walk()]
                     + [n.show for n in m.tree.walk()])


KEY = bytes(range(0xA0, 0xB0))
SALT = bytes(range(0xC0, 0xCC))


def test_macsec_sa_keys_and_salts_are_redacted():
    """`ip macsec add macsec0 tx sa 0 pn 1 on key 01 a0a1…` (MACSEC_CMD_ADD_TXSA); an XPN SA
    with its salt (MACSEC_CMD_ADD_RXSA).  The key id shows; the key and salt never do."""
    sa = nest(M.H.MACSEC_ATTR_SA_CONFIG, u8(M.H.MACSEC_SA_ATTR_AN, 0), u32(M.H.MACSEC_SA_ATTR_PN, 1),
              u8(M.H.MACSEC_SA_ATTR_ACTIVE, 1), nla(M.H.MACSEC_SA_ATTR_KEYID, bytes([1]) + bytes(15)),
              nla(M.H.MACSEC_SA_ATTR_KEY, KEY))
    m = decode("macsec", M.H.MACSEC_CMD_ADD_TXSA, u32(M.H.MACSEC_ATTR_IFINDEX, 7) + sa)
    assert m.info == "ifindex 7 sa 0 pn 1 on key 01000000000000000000000000000000"
    assert m.tree.find("MACSEC_SA_ATTR_KEY").show.startswith("<16 bytes, sha256 ")
    xpn = nest(M.H.MACSEC_ATTR_SA_CONFIG, u8(M.H.MACSEC_SA_ATTR_AN, 1), u64(M.H.MACSEC_SA_ATTR_PN, 1 << 33),
               nla(M.H.MACSEC_SA_ATTR_KEY, KEY + KEY), nla(M.H.MACSEC_SA_ATTR_SALT, SALT),
               nla(M.H.MACSEC_SA_ATTR_SSCI, struct.pack(">I", 0x1020304)))
    rxsc = nest(M.H.MACSEC_ATTR_RXSC_CONFIG, be64(M.H.MACSEC_RXSC_ATTR_SCI, 0x0011223344550002))
    x = decode("macsec", M.H.MACSEC_CMD_ADD_RXSA, u32(M.H.MACSEC_ATTR_IFINDEX, 7) + rxsc + xpn)
    assert x.info == "ifindex 7 rxsc 0011223344550002 sa 1 pn 8589934592"
    assert x.tree.find("MACSEC_SA_ATTR_SALT").show == "<12 bytes>" and x.tree["MACSEC_SA_ATTR_SSCI"] == 0x1020304
    for mm in (m, x):
        text = _everything(mm)
        for secret in (KEY, SALT):
            assert secret.hex() not in text and repr(secret) not in text
    shown = decode_frame(msg(FID, 1, bytes([M.H.MACSEC_CMD_ADD_TXSA, 1, 0, 0]) + sa), protocol=16,
                         ctx=Context({FID: "macsec"}, show_secrets=True))[0]
    assert KEY.hex() in _everything(shown)


def test_macsec_dump_of_a_secy():
    """dump_secy(): the SecY, its TX SAs and RX SCs as lists of nests numbered from 1."""
    secy = nest(M.H.MACSEC_ATTR_SECY, be64(M.H.MACSEC_SECY_ATTR_SCI, 0x0011223344550001),
                u64(M.H.MACSEC_SECY_ATTR_CIPHER_SUITE, 0x0080C20001000001), u8(M.H.MACSEC_SECY_ATTR_ICV_LEN, 16),
                u8(M.H.MACSEC_SECY_ATTR_OPER, 1), u8(M.H.MACSEC_SECY_ATTR_PROTECT, 1),
                u8(M.H.MACSEC_SECY_ATTR_REPLAY, 0), u8(M.H.MACSEC_SECY_ATTR_VALIDATE, 2),
                u8(M.H.MACSEC_SECY_ATTR_ENCRYPT, 1), u8(M.H.MACSEC_SECY_ATTR_INC_SCI, 1),
                u8(M.H.MACSEC_SECY_ATTR_ES, 0), u8(M.H.MACSEC_SECY_ATTR_SCB, 0), u8(M.H.MACSEC_SECY_ATTR_ENCODING_SA, 0))
    txsa = nest(M.H.MACSEC_ATTR_TXSA_LIST, nest(1, nest(M.H.MACSEC_SA_ATTR_STATS,
                                                        u32(M.H.MACSEC_SA_STATS_ATTR_OUT_PKTS_PROTECTED, 3)),
                                                u8(M.H.MACSEC_SA_ATTR_AN, 0), u32(M.H.MACSEC_SA_ATTR_PN, 4),
                                                nla(M.H.MACSEC_SA_ATTR_KEYID, bytes(16)),
                                                u8(M.H.MACSEC_SA_ATTR_ACTIVE, 1)))
    rxsc = nest(M.H.MACSEC_ATTR_RXSC_LIST, nest(1, u8(M.H.MACSEC_RXSC_ATTR_ACTIVE, 1),
                                                be64(M.H.MACSEC_RXSC_ATTR_SCI, 0x0011223344550002),
                                                nest(M.H.MACSEC_RXSC_ATTR_STATS,
                                                     u64(M.H.MACSEC_RXSC_STATS_ATTR_IN_PKTS_OK, 9)),
                                                nest(M.H.MACSEC_RXSC_ATTR_SA_LIST, nest(1, u8(M.H.MACSEC_SA_ATTR_AN, 0)))))
    off = nest(M.H.MACSEC_ATTR_OFFLOAD, u8(M.H.MACSEC_OFFLOAD_ATTR_TYPE, 0))
    stats = nest(M.H.MACSEC_ATTR_SECY_STATS, u64(M.H.MACSEC_SECY_STATS_ATTR_IN_PKTS_NO_TAG, 2))
    m = decode("macsec", M.H.MACSEC_CMD_GET_TXSC, u32(M.H.MACSEC_ATTR_IFINDEX, 7) + off + secy + stats + txsa + rxsc,
               NLM_F_MULTI, pid=9)
    assert m.info == ("ifindex 7 offload off protect on validate strict encrypt on replay off GCM-AES-128 icv 16 "
                      "TXSC 0011223344550001 SA 0, 1 TXSA 1 RXSC")
    assert m.tree.find("MACSEC_RXSC_ATTR_SCI").show == "0011223344550002"
    assert m.tree["MACSEC_SA_STATS_ATTR_OUT_PKTS_PROTECTED"] == 3 and m.tree["MACSEC_RXSC_STATS_ATTR_IN_PKTS_OK"] == 9


def test_fou_and_ila():
    loc = 0x20010DB800010002
    m = decode("ila", I.H.ILA_CMD_ADD, b"".join([be64(I.H.ILA_ATTR_LOCATOR_MATCH, loc),
                                                 be64(I.H.ILA_ATTR_LOCATOR, 0x20010DB800030004),
                                                 u32(I.H.ILA_ATTR_IFINDEX, 3), u8(I.H.ILA_ATTR_CSUM_MODE, 1)]))
    assert m.info == "2001:db8:1:2 -> 2001:db8:3:4 dev 3 csum-mode neutral-map"
    assert m.tree["ILA_ATTR_LOCATOR_MATCH"] == loc


def test_batadv_originators_and_mesh():
    """batctl o: one BATADV_CMD_GET_ORIGINATORS reply per row; batctl meshif bat0 …: SET_MESH."""
    row = decode("batadv", B.H.BATADV_CMD_GET_ORIGINATORS, b"".join([
        nla(B.H.BATADV_ATTR_ORIG_ADDRESS, bytes.fromhex("020000000100")),
        nla(B.H.BATADV_ATTR_NEIGH_ADDRESS, bytes.fromhex("020000000200")), u32(B.H.BATADV_ATTR_HARD_IFINDEX, 4),
        u32(B.H.BATADV_ATTR_LAST_SEEN_MSECS, 120), u8(B.H.BATADV_ATTR_TQ, 255), flag(B.H.BATADV_ATTR_FLAG_BEST)]),
        NLM_F_MULTI, pid=5)
    assert row.info == "02:00:00:00:01:00 02:00:00:00:02:00 hardif 4 tq 255 last seen 120 ms best"
    mesh = decode("batadv", B.H.BATADV_CMD_SET_MESH, b"".join([
        u32(B.H.BATADV_ATTR_MESH_IFINDEX, 6), u8(B.H.BATADV_ATTR_GW_MODE, 2),
        u32(B.H.BATADV_ATTR_GW_BANDWIDTH_DOWN, 100), u32(B.H.BATADV_ATTR_MCAST_FLAGS, 0x21),
        u8(B.H.BATADV_ATTR_BONDING_ENABLED, 1), nla(B.H.BATADV_ATTR_DAT_CACHE_IP4ADDRESS, bytes([10, 1, 2, 3]))]))
    assert mesh.tree.find("BATADV_ATTR_GW_MODE").show == "BATADV_GW_MODE_SERVER (2)"
    assert "BATADV_MCAST_HAVE_MC_PTYPE_CAPA" in mesh.tree.find("BATADV_ATTR_MCAST_FLAGS").show
    assert mesh.tree["BATADV_ATTR_DAT_CACHE_IP4ADDRESS"] == "10.1.2.3"


def test_tipc_link_node_and_key():
    """`tipc link list` (TIPC_NL_LINK_GET dump), a node, and `tipc node set key` whose key is redacted."""
    link = decode("TIPCv2", T.H.TIPC_NL_LINK_GET, nest(T.H.TIPC_NLA_LINK, string(T.H.TIPC_NLA_LINK_NAME, "broadcast-link"),
                                                       flag(T.H.TIPC_NLA_LINK_UP), u32(T.H.TIPC_NLA_LINK_MTU, 1500),
                                                       nest(T.H.TIPC_NLA_LINK_PROP, u32(T.H.TIPC_NLA_PROP_WIN, 50)),
                                                       nest(T.H.TIPC_NLA_LINK_STATS,
                                                            u32(T.H.TIPC_NLA_STATS_RX_INFO, 3))), NLM_F_MULTI, pid=5)
    assert link.info == "link broadcast-link up"
    node = decode("TIPCv2", T.H.TIPC_NL_NODE_GET, nest(T.H.TIPC_NLA_NODE, u32(T.H.TIPC_NLA_NODE_ADDR, 0x01001001),
                                                       flag(T.H.TIPC_NLA_NODE_UP)), NLM_F_MULTI, pid=5)
    assert node.info == "node 0x01001001 <1.1.1> up"
    sock = decode("TIPCv2", T.H.TIPC_NL_SOCK_GET, nest(T.H.TIPC_NLA_SOCK, u32(T.H.TIPC_NLA_SOCK_REF, 42),
                                                       nest(T.H.TIPC_NLA_SOCK_GROUP, u32(T.H.TIPC_NLA_SOCK_GROUP_ID, 9)),
                                                       nest(T.H.TIPC_NLA_SOCK_STAT,
                                                            u32(T.H.TIPC_NLA_SOCK_STAT_RCVQ, 0))), NLM_F_MULTI, pid=5)
    assert sock.tree["TIPC_NLA_SOCK_GROUP_ID"] == 9 and sock.tree["TIPC_NLA_SOCK_STAT_RCVQ"] == 0   # type 0
    key = b"gcm(aes)".ljust(32, b"\0") + struct.pack("<I", 32) + KEY + KEY
    k = decode("TIPCv2", T.H.TIPC_NL_KEY_SET, nest(T.H.TIPC_NLA_NODE, nla(T.H.TIPC_NLA_NODE_KEY, key),
                                                   flag(T.H.TIPC_NLA_NODE_KEY_MASTER)), NLM_F_REQUEST | NLM_F_ACK)
    assert k.tree.find("TIPC_NLA_NODE_KEY").show.startswith("<68 bytes, sha256 ")
    assert KEY.hex() not in _everything(k)


def test_nl802154_interface_and_phy():
    """iwpan dev: an interface (little-endian PAN id and addresses); iwpan phy: capabilities
    whose nests are numbered by page, bit and index."""
    iface = decode("nl802154", W.H.NL802154_CMD_GET_INTERFACE, b"".join([
        u32(W.H.NL802154_ATTR_IFINDEX, 5), string(W.H.NL802154_ATTR_IFNAME, "wpan0"), u32(W.H.NL802154_ATTR_WPAN_PHY, 0),
        u32(W.H.NL802154_ATTR_IFTYPE, 0), u64(W.H.NL802154_ATTR_WPAN_DEV, 1 << 32),
        u64(W.H.NL802154_ATTR_EXTENDED_ADDR, 0x1122334455667788), u16(W.H.NL802154_ATTR_SHORT_ADDR, 0xFFFF),
        u16(W.H.NL802154_ATTR_PAN_ID, 0xABCD), struct.pack("<HHb3x", 5, W.H.NL802154_ATTR_MAX_FRAME_RETRIES, -1)]),
        NLM_F_MULTI, pid=3)
    assert iface.info == "wpan0 node phy 0 pan_id 0xabcd short_addr 0xffff extended_addr 0x1122334455667788"
    assert iface.tree["NL802154_ATTR_MAX_FRAME_RETRIES"] == -1
    caps = nest(W.H.NL802154_ATTR_WPAN_PHY_CAPS,
                nest(W.H.NL802154_CAP_ATTR_CHANNELS, nest(0, flag(11), flag(26))),
                nest(W.H.NL802154_CAP_ATTR_TX_POWERS, s32(0, -1000), s32(1, 500)),
                nest(W.H.NL802154_CAP_ATTR_CCA_MODES, flag(1), flag(3)),
                nest(W.H.NL802154_CAP_ATTR_IFTYPES, flag(0), flag(1)),
                u32(W.H.NL802154_CAP_ATTR_LBT, 3))
    phy = decode("nl802154", W.H.NL802154_CMD_NEW_WPAN_PHY, b"".join([
        u32(W.H.NL802154_ATTR_WPAN_PHY, 0), string(W.H.NL802154_ATTR_WPAN_PHY_NAME, "wpan-phy0"),
        u8(W.H.NL802154_ATTR_PAGE, 0), u8(W.H.NL802154_ATTR_CHANNEL, 11),
        nest(W.H.NL802154_ATTR_CHANNELS_SUPPORTED, u32(W.H.NL802154_ATTR_SUPPORTED_CHANNEL, 0x7FFF800)),
        s32(W.H.NL802154_ATTR_TX_POWER, 300), caps,
        nest(W.H.NL802154_ATTR_SUPPORTED_COMMANDS, u32(0, W.H.NL802154_CMD_SET_CHANNEL))]), 0, pid=3)
    assert phy.info == "wpan-phy0 page 0 channel 11 tx_power 300 mBm (3 dBm)"
    assert [n.name for n in phy.tree.find("NL802154_CAP_ATTR_IFTYPES").children] == [
        "NL802154_IFTYPE_NODE", "NL802154_IFTYPE_MONITOR"]
    assert phy.tree.find("NL802154_CAP_ATTR_LBT").show == "NL802154_SUPPORTED_BOOL_BOTH (3)"
    assert phy.tree.find("nl802154.supported_commands.command").show == "NL802154_CMD_SET_CHANNEL (9)"


def test_ioam6_trace_event_and_seg6_secret():
    ev = decode("IOAM6", O.H.IOAM6_EVENT_TRACE, b"".join([
        u16(O.H.IOAM6_EVENT_ATTR_TRACE_NAMESPACE, 1), u8(O.H.IOAM6_EVENT_ATTR_TRACE_NODELEN, 2),
        u32(O.H.IOAM6_EVENT_ATTR_TRACE_TYPE, 0x800000), nla(O.H.IOAM6_EVENT_ATTR_TRACE_DATA, bytes(8))]), 0, pid=0)
    assert ev.type_name == "IOAM6_EVENT_TRACE" and ev.tree["IOAM6_EVENT_ATTR_TRACE_NAMESPACE"] == 1
    secret = b"\x01\x02\x03\x04" * 8
    m = decode("SEG6", S.H.SEG6_CMD_SETHMAC, b"".join([u32(S.H.SEG6_ATTR_HMACKEYID, 5), u8(S.H.SEG6_ATTR_ALGID, 2),
                                                       u8(S.H.SEG6_ATTR_SECRETLEN, 32),
                                                       nla(S.H.SEG6_ATTR_SECRET, secret)]))
    assert m.info.startswith("hmac 5 algo sha256 secret <32 bytes, sha256 ")
    assert secret.hex() not in _everything(m)


def test_acpi_event_quota_warning_and_nbd():
    """What acpid, quota_nld and nbd-client read or send."""
    ev = b"ac_adapter".ljust(20, b"\0") + b"ACPI0003:00".ljust(15, b"\0") + b"\0" + struct.pack("<II", 0x80, 1)
    m = decode("acpi_event", A.H.ACPI_GENL_CMD_EVENT, nla(A.H.ACPI_GENL_ATTR_EVENT, ev), 0, pid=0)
    assert m.info == "ac_adapter ACPI0003:00 00000080 00000001"
    assert m.tree.find("acpi_event.event.type").show == "0x00000080"
    q = decode("VFS_DQUOT", Q.H.QUOTA_NL_C_WARNING, b"".join([
        u32(Q.H.QUOTA_NL_A_QTYPE, 0), u64(Q.H.QUOTA_NL_A_EXCESS_ID, 1000), u32(Q.H.QUOTA_NL_A_WARNING, 6),
        u32(Q.H.QUOTA_NL_A_DEV_MAJOR, 8), u32(Q.H.QUOTA_NL_A_DEV_MINOR, 1), u64(Q.H.QUOTA_NL_A_CAUSED_ID, 1000)]), 0)
    assert q.info == "USRQUOTA id 1000 QUOTA_NL_BSOFTWARN dev 8:1"
    c = decode("nbd", N.H.NBD_CMD_CONNECT, b"".join([
        u32(N.H.NBD_ATTR_INDEX, 0), u64(N.H.NBD_ATTR_SIZE_BYTES, 1 << 30), u64(N.H.NBD_ATTR_BLOCK_SIZE_BYTES, 4096),
        u64(N.H.NBD_ATTR_SERVER_FLAGS, 0x10D), u64(N.H.NBD_ATTR_TIMEOUT, 30),
        nest(N.H.NBD_ATTR_SOCKETS, nest(N.H.NBD_SOCK_ITEM, u32(N.H.NBD_SOCK_FD, 3)))]), NLM_F_REQUEST | NLM_F_ACK)
    assert c.info == "nbd0 size 1073741824 block 4096 1 socket"
    assert "NBD_FLAG_CAN_MULTI_CONN" in c.tree.find("NBD_ATTR_SERVER_FLAGS").show
    st = decode("nbd", N.H.NBD_CMD_STATUS, nest(N.H.NBD_ATTR_DEVICE_LIST, nest(N.H.NBD_DEVICE_ITEM,
                u32(N.H.NBD_DEVICE_INDEX, 0), u8(N.H.NBD_DEVICE_CONNECTED, 1))), 0, pid=4)
    assert st.info == "nbd0 connected"


def test_thermal_zones_trips_and_events():
    """THERMAL_GENL_CMD_TZ_GET_ID's dump (TZ nests of the set's own attributes), a trip-up
    event and a temperature sample, both multicast (port id 0) and numbered apart."""
    tz = decode("thermal", TH.H.THERMAL_GENL_CMD_TZ_GET_ID, b"".join([
        nest(TH.H.THERMAL_GENL_ATTR_TZ, u32(TH.H.THERMAL_GENL_ATTR_TZ_ID, 0),
             string(TH.H.THERMAL_GENL_ATTR_TZ_NAME, "acpitz")),
        nest(TH.H.THERMAL_GENL_ATTR_TZ, u32(TH.H.THERMAL_GENL_ATTR_TZ_ID, 1),
             string(TH.H.THERMAL_GENL_ATTR_TZ_NAME, "x86_pkg_temp"))]), 0, pid=6)
    assert tz.info == "2 tz" and [n.value for n in tz.tree.find_all("THERMAL_GENL_ATTR_TZ_NAME")] == [
        "acpitz", "x86_pkg_temp"]
    up = decode("thermal", TH.H.THERMAL_GENL_EVENT_TZ_TRIP_UP, b"".join([
        u32(TH.H.THERMAL_GENL_ATTR_TZ_ID, 1), u32(TH.H.THERMAL_GENL_ATTR_TZ_TRIP_ID, 0),
        s32(TH.H.THERMAL_GENL_ATTR_TZ_TEMP, 95000)]), 0, pid=0)
    assert up.type_name == "THERMAL_GENL_EVENT_TZ_TRIP_UP" and up.info == "tz 1 temp 95000 trip 0"
    sample = decode("thermal", TH.H.THERMAL_GENL_SAMPLING_TEMP, u32(TH.H.THERMAL_GENL_ATTR_TZ_ID, 1)
                    + s32(TH.H.THERMAL_GENL_ATTR_TZ_TEMP, -5000), 0, pid=0)
    assert sample.type_name == "THERMAL_GENL_SAMPLING_TEMP"
    assert sample.tree.find("THERMAL_GENL_ATTR_TZ_TEMP").show == "-5000 m°C (-5 °C)"
    trips = decode("thermal", TH.H.THERMAL_GENL_CMD_TZ_GET_TRIP, u32(TH.H.THERMAL_GENL_ATTR_TZ_ID, 1) + nest(
        TH.H.THERMAL_GENL_ATTR_TZ_TRIP, u32(TH.H.THERMAL_GENL_ATTR_TZ_TRIP_ID, 0),
        u32(TH.H.THERMAL_GENL_ATTR_TZ_TRIP_TYPE, 1), s32(TH.H.THERMAL_GENL_ATTR_TZ_TRIP_TEMP, 95000)), 0, pid=6)
    assert trips.tree.find("THERMAL_GENL_ATTR_TZ_TRIP_TYPE").show == "THERMAL_TRIP_PASSIVE (1)"
    deep = nla(TH.H.THERMAL_GENL_ATTR_TZ, b"")
    for _ in range(40):   # nests of the set itself: bounded like any other
        deep = nla(TH.H.THERMAL_GENL_ATTR_TZ, deep)
    m = decode_frame(msg(FID, 0, bytes([1, 1, 0, 0]) + deep), protocol=16, ctx=Context({FID: "thermal"}))[0]
    assert any(n.status for n in m.tree.walk()) and m.info is not None
