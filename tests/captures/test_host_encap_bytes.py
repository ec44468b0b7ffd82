"""The lightweight-tunnel decoders (dissectors/families/rtnetlink/lwtunnel.py) on bytes the
kernel would refuse: the encapsulations of captures/host-6.18/ip-extras.pcapng cut short,
with lengths that overrun, and mutated at random.  Never an exception, every byte shown."""
import random
import struct

import pytest

from dissectors.core.attrs import FULL, decode_attrs
from dissectors.families.rtnetlink import lwtunnel as L
from dissectors.families.rtnetlink.route import ROUTE_ATTRS
from tests.conftest import CAPTURES, decode_file
from tests.dissectors.build import nla


def seg6_encap(mode: int, segments: list[bytes], tlvs: bytes = b"", hdrlen: int | None = None,
               first: int | None = None) -> bytes:
    body = b"".join(segments) + tlvs
    hl = len(body) // 8 if hdrlen is None else hdrlen
    fs = len(segments) - 1 if first is None else first
    return struct.pack("<i", mode) + struct.pack(">BBBBBBH", 0, hl, 4, fs, fs, 0, 0) + body


SEG = bytes.fromhex("20010db8000000000000000000000002")


def bad(nodes):
    return [(n.name, n.status) for top in nodes for n in top.walk() if n.status]


def test_a_whole_srh_with_an_hmac_tlv():
    hmac = struct.pack(">BBHI", 5, 38, 0, 42) + bytes(32)
    nodes = L._seg6_encap(seg6_encap(0, [bytes(16), SEG], hmac), 0, 4 + 8 + 32 + 40, "<", FULL)
    assert not bad(nodes)
    segs = [n.value for n in nodes if n.field is L.F_SEGMENT]
    assert segs == ["::", "2001:db8::2"]
    (tlv,) = [n for n in nodes if n.field is L.F_TLV]
    assert tlv.show == "SR6_TLV_HMAC" and [c.value for c in tlv.children][2] == 42


@pytest.mark.parametrize("data, why", [
    (seg6_encap(1, [SEG])[:10], "ipv6_sr_hdr needs 8 bytes"),
    (seg6_encap(1, [SEG], hdrlen=6), "hdrlen 6 means 56 bytes, 24 are here"),   # the kernel refuses it
    (seg6_encap(1, [SEG]) + bytes(8), "bytes past the SRH's hdrlen"),
    (seg6_encap(1, [SEG], tlvs=b"\x05\x30" + bytes(6)), "truncated sr6_tlv"),   # a TLV longer than the rest
    (seg6_encap(1, [SEG] * 2, first=9), None),                          # first_segment past the bytes: fewer
])
def test_srh_faults_are_malformed_not_exceptions(data, why):
    nodes = L._seg6_encap(data, 0, len(data), "<", FULL)
    faults = [n.show for top in nodes for n in top.walk() if n.status == "malformed"]
    if why is None:
        assert len([n for n in nodes if n.field is L.F_SEGMENT]) == 2
    else:
        assert any(why in f for f in faults), faults
    assert all(n.offset + n.length <= len(data) for top in nodes for n in top.walk() if n.offset is not None)


def test_rpl_segments_compressed_and_not():
    # hdrlen 4: two full segments; then cmpri 8, cmpre 4: one 8-byte segment and a 12-byte last, pad 4
    full = struct.pack(">BBBBI", 0, 4, 3, 2, 0) + SEG + SEG
    nodes = L._rpl_srh(full, 0, len(full), "<", FULL)
    assert not bad(nodes) and [n.value for n in nodes[1:]] == ["2001:db8::2"] * 2
    comp = struct.pack(">BBBBI", 0, 3, 3, 2, (8 << 28) | (4 << 24) | (4 << 20)) + bytes(8) + bytes(12) + bytes(4)
    nodes = L._rpl_srh(comp, 0, len(comp), "<", FULL)
    assert not bad(nodes)
    assert [n.length for n in nodes[1:]] == [8, 12, 4] and nodes[-1].field is L.F_RPL_PAD
    odd = struct.pack(">BBBBI", 0, 3, 3, 2, (3 << 28)) + bytes(24)      # 24 bytes are no n * 13 + 16
    assert [n.status for n in L._rpl_srh(odd, 0, len(odd), "<", FULL) if n.status] == ["malformed"]


def test_label_stacks():
    data = struct.pack(">II", (100 << 12) | (3 << 9), (200 << 12) | 0x100 | 64) + b"\x01"
    nodes = L.label_stack(data, 0, len(data), "<", FULL)
    assert [n.value for n in nodes[:2]] == [100, 200] and nodes[0].show == "100 (tc 3)"
    assert nodes[1].show == "200 (ttl 64)" and nodes[2].status == "malformed"
    assert L.stack_text(data[:8]) == "100/200" and L.labels(data) is None


def encaps_of_the_capture():
    """(encap type, the RTA_ENCAP payload) of every route request in ip-extras.pcapng."""
    out = []
    for m in decode_file(CAPTURES / "host-6.18" / "ip-extras.pcapng"):
        t = m.tree.first("rtnl.route.encap_type")
        enc = m.tree.find("rtnl.route.encap")
        if t in L.ENCAPS and enc is not None and m.direction == "to kernel":
            out.append((t, bytes(m.buf[enc.offset + 4:enc.offset + enc.length])))
    return out


def test_the_captures_encapsulations_cut_and_mutated():
    """Every prefix of every real encapsulation, and 300 random mutations of each, decode
    without an exception, inside their bytes."""
    seen = encaps_of_the_capture()
    assert {t for t, _ in seen} >= {1, 5, 7, 8, 9, 10}   # mpls seg6 seg6local rpl ioam6 xfrm
    rng = random.Random(17)
    for t, payload in seen:
        aset = L.ENCAPS[t]
        for cut in range(len(payload) + 1):
            nodes = decode_attrs(payload[:cut], 0, cut, aset, "<", 1, FULL)
            assert all(n.offset + n.length <= cut for top in nodes for n in top.walk() if n.offset is not None)
        for _ in range(300):
            data = bytearray(payload)
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            decode_attrs(bytes(data), 0, len(data), aset, "<", 1, FULL)


def test_a_route_with_an_encap_of_every_type_nests_inside_multipath():
    """RTA_MULTIPATH paths carry their own RTA_ENCAP_TYPE/RTA_ENCAP (ip route … nexthop … encap)."""
    enc = nla(1, struct.pack(">I", 5 << 12 | 0x100))                      # MPLS_IPTUNNEL_DST: label 5
    path_attrs = nla(21, struct.pack("<H", 1)) + nla(22 | 0x8000, enc)    # RTA_ENCAP_TYPE mpls, RTA_ENCAP
    rtnh = struct.pack("<HBBi", 8 + len(path_attrs), 0, 0, 2) + path_attrs
    data = nla(9, rtnh)                                                   # RTA_MULTIPATH
    nodes = decode_attrs(data, 0, len(data), ROUTE_ATTRS, "<", 0, FULL)
    assert not bad(nodes)
    assert [n.value for top in nodes for n in top.walk() if n.field is L.F_LABEL] == [5]
