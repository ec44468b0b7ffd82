"""nf_tables expressions and objects iptables does not make (tproxy, synproxy, dup, fwd, osf,
xfrm, byteorder, flow_offload, inner), `limit over`, ct timeout / ct expectation / synproxy /
secmark objects and the set attributes kernels after 6.12 send; built as nft (libnftnl) sends
them, the attribute types from the kernel's policies and dump functions (net/netfilter/nft_*.c)."""
import struct

import dissectors
from tests.dissectors.build import msg, nla

NESTED = 0x8000
NFT = 10 << 8
NEWRULE, NEWOBJ, NEWSET = NFT | 6, NFT | 18, NFT | 9


def be32(v):
    return struct.pack(">I", v)


def nfgen(family=2):
    return struct.pack("BBH", family, 0, 0)


def rule(name: str, data: bytes, family: int = 2) -> bytes:
    expr = nla(1, name.encode() + b"\0") + nla(2 | NESTED, data)
    body = nfgen(family) + nla(1, b"t\0") + nla(2, b"c\0") + nla(4 | NESTED, nla(1 | NESTED, expr))
    return msg(NEWRULE, 0x0C01, body)


def decode(frame):
    (m,) = dissectors.decode_frame(frame, 12)
    assert not [n for n in m.tree.walk() if n.status], [(n.name, n.status) for n in m.tree.walk() if n.status]
    return m


def show(m, field):
    return m.tree.find(field).show


def test_tproxy_synproxy_dup_fwd():
    m = decode(rule("tproxy", nla(1, be32(2)) + nla(2, be32(1)) + nla(3, be32(2))))
    assert show(m, "nft.tproxy.family") == "NFPROTO_IPV4 (2)" and show(m, "nft.tproxy.reg_port") == "NFT_REG_2 (2)"
    m = decode(rule("synproxy", nla(1, struct.pack(">H", 1460)) + nla(2, b"\x07") + nla(3, be32(0xF))))
    assert m.tree.find("nft.synproxy.mss").value == 1460 and m.tree.find("nft.synproxy.wscale").value == 7
    assert "NF_SYNPROXY_OPT_SACK_PERM" in show(m, "nft.synproxy.flags")
    m = decode(rule("dup", nla(1, be32(1)) + nla(2, be32(2))))
    assert show(m, "nft.dup.sreg_dev") == "NFT_REG_2 (2)"
    m = decode(rule("fwd", nla(1, be32(1)) + nla(2, be32(2)) + nla(3, be32(2)), family=5))
    assert show(m, "nft.fwd.nfproto") == "NFPROTO_IPV4 (2)"


def test_the_expressions_the_6_12_spec_lists_and_the_kernel_registers():
    m = decode(rule("osf", nla(1, be32(1)) + nla(2, b"\x02") + nla(3, be32(1))))
    assert m.tree.find("nft.osf.ttl").value == 2 and "NFT_OSF_F_VERSION" in show(m, "nft.osf.flags")
    m = decode(rule("xfrm", nla(1, be32(1)) + nla(2, be32(5)) + nla(3, b"\x00") + nla(4, be32(0))))
    assert show(m, "nft.xfrm.key") == "NFT_XFRM_KEY_REQID (5)"
    m = decode(rule("byteorder", nla(1, be32(1)) + nla(2, be32(1)) + nla(3, be32(0)) + nla(4, be32(2))
                    + nla(5, be32(2))))
    assert show(m, "nft.byteorder.op") == "NFT_BYTEORDER_NTOH (0)" and m.tree.find("nft.byteorder.len").value == 2
    m = decode(rule("flow_offload", nla(1, b"ft\0")))
    assert m.tree.find("nft.flow_offload.table_name").value == "ft"
    inner_expr = nla(1, b"meta\0") + nla(2 | NESTED, nla(2, be32(16)) + nla(1, be32(1)))
    m = decode(rule("inner", nla(1, be32(0)) + nla(2, be32(1)) + nla(3, be32(0xE)) + nla(4, be32(0))
                    + nla(5 | NESTED, inner_expr)))
    assert show(m, "nft.inner.type") == "NFT_INNER_VXLAN (1)"
    assert show(m, "nft.meta.key") == "NFT_META_L4PROTO (16)"


def test_limit_over_is_said():
    """NFTA_LIMIT_FLAGS NFT_LIMIT_F_INV: `limit rate over 10/second`, as nft lists it."""
    data = nla(1, struct.pack(">Q", 10)) + nla(2, struct.pack(">Q", 1)) + nla(3, be32(5)) + nla(4, be32(0))
    m = decode(rule("limit", data + nla(5, be32(1))))
    assert show(m, "nft.limit.flags") == "0x1 (NFT_LIMIT_F_INV)"
    assert m.info.endswith("limit rate over 10/second")
    assert decode(rule("limit", data + nla(5, be32(0)))).info.endswith("limit rate 10/second")


def obj(kind: int, data: bytes) -> bytes:
    body = nfgen() + nla(1, b"t\0") + nla(2, b"o\0") + nla(3, be32(kind)) + nla(4 | NESTED, data)
    return msg(NEWOBJ, 0x0401, body)


def test_ct_timeout_object_timeouts_are_named_by_their_protocol():
    """add ct timeout ip t tcpto { protocol tcp; l3proto ip; policy = { established: 120, close: 20 } }"""
    tcp = nla(3, be32(120)) + nla(8, be32(20))   # CTA_TIMEOUT_TCP_ESTABLISHED, CTA_TIMEOUT_TCP_CLOSE
    m = decode(obj(7, nla(1, struct.pack(">H", 2)) + nla(2, b"\x06") + nla(3 | NESTED, tcp)))
    assert m.tree.find("cttimeout.tcp.established").show == "120 s"
    assert m.tree.find("cttimeout.tcp.close").value == 20
    udp = nla(1, be32(15)) + nla(2, be32(60))
    m = decode(obj(7, nla(1, struct.pack(">H", 2)) + nla(2, b"\x11") + nla(3 | NESTED, udp)))
    assert m.tree.find("cttimeout.udp.unreplied").value == 15 and m.tree.find("cttimeout.udp.replied").value == 60


def test_ct_expectation_timeout_is_host_order_milliseconds():
    """nft_ct_expect_obj_dump: nla_put_u32(NFTA_CT_EXPECT_TIMEOUT), not a be32 (timeout 1m: 60000)."""
    data = (nla(1, struct.pack(">H", 2)) + nla(2, b"\x06") + nla(3, struct.pack(">H", 5060))
            + nla(4, struct.pack("<I", 60000)) + nla(5, b"\x0c"))
    m = decode(obj(9, data))
    assert m.tree.find("nft.ct_expect.timeout").show == "60000 ms"
    assert m.tree.find("nft.ct_expect.dport").value == 5060 and m.tree.find("nft.ct_expect.size").value == 12


def test_synproxy_and_secmark_objects():
    m = decode(obj(10, nla(1, struct.pack(">H", 1400)) + nla(2, b"\x05") + nla(3, be32(0xB))))
    assert m.tree.find("nft.synproxy.mss").value == 1400
    m = decode(obj(8, nla(1, b"system_u:object_r:ssh_server_packet_t:s0\0")))
    assert m.tree.find("nft.secmark.ctx").value == "system_u:object_r:ssh_server_packet_t:s0"


def test_set_type_and_count_of_newer_kernels():
    """NFTA_SET_TYPE (19, the backend) and NFTA_SET_COUNT (20, the elements), after 6.12's header."""
    body = nfgen() + nla(1, b"t\0") + nla(2, b"ports\0") + nla(19, b"nft_set_hash\0") + nla(20, be32(2))
    (m,) = dissectors.decode_frame(msg(NEWSET, 2, body), 12)
    assert m.tree.find("nft.set.type").value == "nft_set_hash" and m.tree.find("nft.set.count").value == 2
    assert not [n for n in m.tree.walk() if n.status]


def imm(dreg: int, value: bytes) -> bytes:
    data = nla(1, be32(dreg)) + nla(2 | NESTED, nla(1, value))   # NFTA_IMMEDIATE_DREG, _DATA / NFTA_DATA_VALUE
    return nla(1 | NESTED, nla(1, b"immediate\0") + nla(2 | NESTED, data))


def rule_of(*exprs: bytes, family: int = 2) -> bytes:
    body = nfgen(family) + nla(1, b"t\0") + nla(2, b"c\0") + nla(4 | NESTED, b"".join(exprs))
    return msg(NEWRULE, 0x0C01, body)


def elem(name: str, data: bytes) -> bytes:
    return nla(1 | NESTED, nla(1, name.encode() + b"\0") + nla(2 | NESTED, data))


def test_rule_info_says_the_values_tproxy_and_fwd_read():
    """The immediates loading tproxy's address and port (fwd's address and device) are said in
    the words of the expression that reads them, as `nft list ruleset` does."""
    tproxy = elem("tproxy", nla(1, be32(2)) + nla(2, be32(1)) + nla(3, be32(2)))
    m = decode(rule_of(imm(1, bytes([127, 0, 0, 1])), imm(2, struct.pack(">H", 3128)), tproxy))
    assert m.info == "t c tproxy to 127.0.0.1:3128"
    m = decode(rule_of(imm(1, bytes([127, 0, 0, 1])), imm(2, struct.pack(">H", 3128)), tproxy, family=1))
    assert m.info == "t c tproxy ip to 127.0.0.1:3128"     # an inet table says the family
    fwd = elem("fwd", nla(1, be32(2)) + nla(2, be32(1)) + nla(3, be32(2)))
    m = decode(rule_of(imm(1, bytes([10, 0, 0, 6])), imm(2, struct.pack("<I", 1)), fwd, family=5))
    assert m.info == "t c fwd ip to 10.0.0.6 device 1"
    m = decode(rule_of(imm(1, struct.pack("<I", 1)), elem("dup", nla(2, be32(1))), family=5))
    assert m.info == "t c dup to 1"


def test_rule_info_of_generators_and_synproxy():
    ng = elem("numgen", nla(1, be32(1)) + nla(2, be32(4)) + nla(3, be32(0)) + nla(4, be32(10)))
    meta_set = elem("meta", nla(2, be32(3)) + nla(3, be32(1)))   # NFTA_META_KEY mark, NFTA_META_SREG
    assert decode(rule_of(ng, meta_set)).info == "t c meta mark set numgen inc mod 4 offset 10"
    sym = elem("hash", nla(2, be32(1)) + nla(4, be32(2)) + nla(7, be32(1)))
    assert decode(rule_of(sym, meta_set)).info == "t c meta mark set symhash mod 2"
    syn = elem("synproxy", nla(1, struct.pack(">H", 1460)) + nla(2, b"\x07") + nla(3, be32(0xF)))
    assert decode(rule_of(syn)).info == "t c synproxy mss 1460 wscale 7 timestamp sack-perm"
    objref = elem("objref", nla(1, be32(7)) + nla(2, b"tcpto\0"))
    assert decode(rule_of(objref)).info == "t c ct timeout set tcpto"
