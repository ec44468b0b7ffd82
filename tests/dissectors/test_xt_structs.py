"""x_tables extensions in nf_tables rules (dissectors/families/netfilter/xt.py): NFTA_MATCH_INFO
and NFTA_TARGET_INFO decoded by name, revision and the rule's family, the rest shown by name
and revision, never malformed, never a traceback.  Messages are built here as iptables-nft
builds them (libnftnl: NAME, REV, INFO); the values are those iptables-nft printed for the
same bytes in captures/host-6.18/iptables-nft (see test_nft_host_captures.py)."""
import socket
import struct

import pytest

import dissectors
from dissectors.core.schema import ALL_STRUCTS
from dissectors.families.netfilter import xt
from tests.dissectors.build import msg, nla

NEWRULE = (10 << 8) | 6    # NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWRULE
NESTED = 0x8000


def be32(v):
    return struct.pack(">I", v)


def rule(family: int, kind: str, name: str, rev: int, info: bytes, order: str = "<") -> bytes:
    """An NFT_MSG_NEWRULE of `family` with one `match` or `target` expression."""
    data = nla(1, name.encode() + b"\0", order) + nla(2, be32(rev), order) + nla(3, info, order)
    expr = nla(1, kind.encode() + b"\0", order) + nla(2 | NESTED, data, order)   # NFTA_EXPR_NAME, NFTA_EXPR_DATA
    body = struct.pack("BBH", family, 0, 0) + nla(1, b"filter\0", order) + nla(2, b"INPUT\0", order) \
        + nla(4 | NESTED, nla(1 | NESTED, expr, order), order)                # NFTA_RULE_EXPRESSIONS / LIST_ELEM
    return msg(NEWRULE, 0x0C01, body, order=order)


def decode(frame: bytes):
    (m,) = dissectors.decode_frame(frame, 12)
    return m


def values(m, prefix: str) -> dict:
    """The struct's members by name (their flag bits, one level down, left out)."""
    return {n.field.abbrev[len(prefix) + 1:]: n.value for n in m.tree.walk()
            if n.field.abbrev.startswith(prefix + ".") and "." not in n.field.abbrev[len(prefix) + 1:]}


def problems(m):
    return [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]


def inet4(a: str) -> bytes:
    return socket.inet_pton(socket.AF_INET, a) + b"\0" * 12


def test_conntrack_revision_3_in_an_ipv4_rule():
    """-m conntrack --ctstate DNAT --ctproto udp --ctorigsrc 10.0.0.0/8 --ctorigdstport 53 --ctdir ORIGINAL"""
    info = (inet4("10.0.0.0") + inet4("255.0.0.0") + b"\0" * 96 + struct.pack("<IIH", 0, 0, 17)
            + struct.pack("<HHHH", 0, 53, 0, 0) + struct.pack("<HH", 0x1207, 0) + struct.pack("<HH", 0x80, 0)
            + struct.pack("<HHHH", 0, 53, 0, 0))
    info += b"\0" * (-len(info) % 8)   # XT_ALIGN
    m = decode(rule(2, "match", "conntrack", 3, info))
    assert not problems(m)
    v = values(m, "xt.match.conntrack")
    assert v["origsrc_addr"] == "10.0.0.0" and v["origsrc_mask"] == "255.0.0.0"
    assert v["l4proto"] == 17 and v["origdst_port"] == 53 and v["origdst_port_high"] == 53
    assert v["state_mask"] == 0x80 and m.tree.find("xt.match.conntrack.state_mask.dnat").value is True
    assert m.tree.find("xt.match.conntrack.match_flags").show == \
        "0x1207 (STATE, PROTO, ORIGSRC, ORIGDST_PORT, DIRECTION)"
    assert m.tree.find("nft.match.info").show == "conntrack revision 3"
    assert m.info == "filter INPUT match conntrack"


def test_the_rule_family_picks_how_an_address_reads():
    """union nf_inet_addr: IPv4 in an ip rule, IPv6 in an ip6 rule (--ctorigsrc 2001:db8::/32)."""
    addr6 = socket.inet_pton(socket.AF_INET6, "2001:db8::")
    mask6 = socket.inet_pton(socket.AF_INET6, "ffff:ffff::")
    info = addr6 + mask6 + b"\0" * 96 + b"\0" * 28 + b"\0" * 8
    m = decode(rule(10, "match", "conntrack", 3, info))
    v = values(m, "xt.match.conntrack")
    assert v["origsrc_addr"] == "2001:db8::" and v["origsrc_mask"] == "ffff:ffff::"
    assert v["origdst_addr"] == "::"


def test_reject_reads_by_family():
    """REJECT rev 0: ipt_reject_info in ip rules, ip6t_reject_info in ip6 ones (their enums differ)."""
    m4 = decode(rule(2, "target", "REJECT", 0, struct.pack("<I", 7) + b"\0" * 4))
    m6 = decode(rule(10, "target", "REJECT", 0, struct.pack("<I", 1) + b"\0" * 4))
    assert m4.tree.find("xt.target.reject.with").show == "IPT_TCP_RESET (7)"
    assert m6.tree.find("xt.target.reject.with").show == "IP6T_ICMP6_ADM_PROHIBITED (1)"
    assert m4.info == "filter INPUT target REJECT"


def test_nat_revisions_pick_their_structs():
    """SNAT rev 0 (nf_nat_ipv4_multi_range_compat), DNAT rev 2 (nf_nat_range2)."""
    v0 = struct.pack("<II", 1, 0x9) + socket.inet_aton("10.1.1.1") + socket.inet_aton("10.1.1.9") + b"\0" * 4
    m = decode(rule(2, "target", "SNAT", 0, v0 + b"\0" * 4))
    v = values(m, "xt.target.snat")
    assert (v["rangesize"], v["min_ip"], v["max_ip"]) == (1, "10.1.1.1", "10.1.1.9")
    assert m.tree.find("xt.target.snat.flags").show == "0x00000009 (MAP_IPS, PERSISTENT)"
    v2 = struct.pack("<I", 0x23) + inet4("10.2.2.2") * 2 + struct.pack(">HHH", 8080, 8090, 100)
    m = decode(rule(2, "target", "DNAT", 2, v2 + b"\0" * 2))
    v = values(m, "xt.target.dnat")
    assert (v["min_addr"], v["min_proto"], v["max_proto"], v["base_proto"]) == ("10.2.2.2", 8080, 8090, 100)
    assert not problems(m)


def test_bridge_and_arp_structs():
    """ebtables' dnat (mac, verdict) and arptables' mangle."""
    m = decode(rule(7, "target", "dnat", 0, bytes.fromhex("020000000004") + b"\0\0" + struct.pack("<i", -1)
                    + b"\0" * 4))
    v = values(m, "xt.target.dnat")
    assert v["mac"] == "02:00:00:00:00:04" and m.tree.find("xt.target.dnat.target").show == "EBT_ACCEPT (-1)"
    mangle = (bytes.fromhex("020000000009") + b"\0" * 10 + b"\0" * 16 + socket.inet_aton("10.0.0.9") + b"\0" * 4
              + b"\x05\0\0\0" + struct.pack("<i", -1) + b"\0" * 4)
    m = decode(rule(3, "target", "mangle", 0, mangle))
    v = values(m, "xt.target.mangle")
    assert (v["src_devaddr"], v["src_ip"], v["flags"]) == ("02:00:00:00:00:09", "10.0.0.9", 5)
    assert not problems(m)


def test_an_ebtables_limit_is_not_read_as_xt_rateinfo():
    """limit rev 0 is struct ebt_limit_info in a bridge rule (32 bytes), xt_rateinfo elsewhere (40)."""
    assert xt.struct_for("match", "limit", 0, 7).cname == "ebt_limit_info"
    assert xt.struct_for("match", "limit", 0, 2).cname == "xt_rateinfo"
    m = decode(rule(7, "match", "limit", 0, struct.pack("<II", 1000, 3) + b"\0" * 24))
    assert not problems(m) and values(m, "xt.match.limit")["burst"] == 3


def test_an_extension_not_declared_is_shown_by_name_and_revision_not_malformed():
    # (u32 was the example until xt.py declared it: an out-of-tree extension now)
    m = decode(rule(2, "match", "condition", 0, b"\x01\x02\x03\x04"))
    (info,) = m.tree.find_all("nft.match.info")
    assert info.status == "unknown" and "'condition' revision 0: not decoded: 01020304" in info.show
    assert not m.malformed and [p[1] for p in problems(m)] == ["unknown"]
    assert m.info == "filter INPUT match condition"


def test_an_unknown_revision_is_not_guessed():
    m = decode(rule(2, "match", "conntrack", 9, b"\0" * 168))
    assert m.tree.find("nft.match.info").status == "unknown" and m.tree.find("xt.match.conntrack") is None


def test_a_short_info_is_malformed_and_trailing_bytes_are_shown():
    m = decode(rule(2, "match", "comment", 0, b"abc\0"))
    assert [p[1] for p in problems(m)] == ["malformed"]
    m = decode(rule(2, "target", "TCPMSS", 0, struct.pack("<H", 0xFFFF) + b"\0" * 6 + b"\x01"))
    assert m.tree.find("xt.target.tcpmss.mss").show == "XT_TCPMSS_CLAMP_PMTU (65535)"
    assert [p[1] for p in problems(m)] == ["unknown"]
    m = decode(rule(2, "target", "TCPMSS", 0, struct.pack("<H", 1400) + b"\0" * 6))   # XT_ALIGN's zeros
    assert not problems(m)


@pytest.mark.parametrize("cut", range(0, 80, 3))
def test_truncated_rules_never_raise(cut):
    frame = rule(2, "target", "DNAT", 2, b"\x01" * 48)
    data = bytearray(frame[:len(frame) - cut])
    struct.pack_into("<I", data, 0, len(data))
    m = decode(bytes(data))
    list(m.tree.walk())
    assert m.info is not None


def test_declared_sizes_match_the_kernel():
    """XT_ALIGN(sizeof) of the structs as iptables-nft sent them on x86-64 (the capture's lengths)."""
    sizes = {("match", "conntrack", 3): 168, ("match", "hashlimit", 3): 312, ("match", "iprange", 1): 72,
             ("match", "recent", 1): 232, ("match", "string", 1): 160, ("match", "physdev", 0): 72,
             ("match", "multiport", 1): 48, ("match", "owner", 1): 24, ("target", "CT", 2): 72,
             ("target", "DNAT", 2): 48, ("target", "TPROXY", 1): 32, ("target", "LOG", 0): 32,
             ("target", "mangle", 0): 48, ("target", "log", 0): 40, ("target", "nflog", 0): 80,
             ("match", "ip", 0): 32, ("match", "mark_m", 0): 24, ("target", "mark", 0): 16,
             ("match", "mac", 0): 16, ("target", "MASQUERADE", 0): 24}
    for (kind, name, rev), want in sizes.items():
        fam = {"mangle": 3, "log": 7, "nflog": 7, "ip": 7, "mark_m": 7, "mark": 7}.get(name, 2)
        st = xt.struct_for(kind, name, rev, fam)
        assert (st.struct.size + 7) // 8 * 8 == want, (kind, name, rev)
    assert xt.struct_for("target", "MASQUERADE", 0, 10).cname == "nf_nat_range"
    assert all(s in ALL_STRUCTS for slot in xt.EXTENSIONS.values() for s in (x.struct for x in slot.values()))
