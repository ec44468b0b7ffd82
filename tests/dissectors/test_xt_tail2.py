"""The x_tables extensions of issue 17 added to xt.py (u32, policy, bpf: structs holding arrays of
structs; cgroup's union; sctp's chunk bitmap; rt, srh, mh, eui64, NPT of ip6tables; rateest,
HMARK, IDLETIMER, LED, …) from NFTA_MATCH_INFO/NFTA_TARGET_INFO built as iptables-nft fills the
structs (x86-64 layout, XT_ALIGN'd), the values those of the recorded `iptables-nft -S`
(tests/captures/test_genl_tail2_captures.py)."""
import socket
import struct

from dissectors.families.netfilter import xt
from tests.dissectors.test_xt_structs import decode, problems, rule, values


def pad8(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 8)


def u32_test(locs, vals) -> bytes:
    loc = b"".join(struct.pack("<IB3x", n, op) for n, op in locs).ljust(88, b"\0")
    val = b"".join(struct.pack("<II", lo, hi) for lo, hi in vals).ljust(88, b"\0")
    return loc + val + struct.pack("<BB2x", len(locs), len(vals))


def test_u32_shows_the_tests_in_use():
    """-m u32 --u32 "0>>22&0x3C@12>>26&0x3F=0x10": one test of six location steps and one range."""
    test = u32_test([(0, 0), (22, 2), (0x3C, 0), (12, 3), (26, 2), (0x3F, 0)], [(0x10, 0x10)])
    info = (test + bytes(180 * 10)) + struct.pack("<BB2x", 1, 0)
    assert len(info) == 1984
    m = decode(rule(2, "match", "u32", 0, info))
    assert not problems(m)
    t = m.tree
    assert [n.value for n in t.find_all("xt.match.u32.location.number")] == [0, 22, 0x3C, 12, 26, 0x3F]
    assert [n.show for n in t.find_all("xt.match.u32.location.nextop")][3] == "XT_U32_AT (3)"
    assert [(n.value) for n in t.find_all("xt.match.u32.value.min")] == [0x10]
    unused = [n.show for n in t.find_all("xt.match.u32.tests")]
    assert unused == ["10 tests not in use (zeros)"]


def test_u32_with_a_count_past_its_array_stays_within_it():
    info = bytes(1980) + struct.pack("<BB2x", 200, 0)
    m = decode(rule(2, "match", "u32", 0, info))
    assert not problems(m) and len(m.tree.find_all("xt.match.u32.test.nnums")) == 11


def _policy_elem(saddr, daddr, spi, reqid, proto, mode, match, fam=socket.AF_INET):
    a = lambda s: socket.inet_pton(fam, s).ljust(16, b"\0")   # noqa: E731
    full = b"\xff" * (4 if fam == socket.AF_INET else 16)
    return (a(saddr) + full.ljust(16, b"\0") + a(daddr) + full.ljust(16, b"\0")
            + struct.pack(">I", spi) + struct.pack("<IBBBB", reqid, proto, mode, match, 0))


def test_policy_elements_in_use_by_their_count():
    """--dir in --pol ipsec --strict --reqid 5 --spi 0x100 --proto esp --mode tunnel
    --tunnel-src 10.0.0.1 --tunnel-dst 10.0.0.2 --next --proto ah"""
    e0 = _policy_elem("10.0.0.1", "10.0.0.2", 0x100, 5, 50, 1, 0x3F)
    e1 = _policy_elem("0.0.0.0", "0.0.0.0", 0, 0, 51, 0, 0x04)
    info = e0 + e1 + bytes(76 * 2) + struct.pack("<HH", 0x9, 2)
    m = decode(rule(2, "match", "policy", 0, info))
    assert not problems(m)
    v = lambda k: m.tree.find_all(f"xt.match.policy.elem.{k}")   # noqa: E731
    assert [n.value for n in v("saddr")] == ["10.0.0.1", "0.0.0.0"]
    assert [n.value for n in v("spi")] == [0x100, 0] and [n.value for n in v("proto")] == [50, 51]
    assert v("mode")[0].show == "XT_POLICY_MODE_TUNNEL (1)"
    assert m.tree.find("xt.match.policy.elem.match.reqid").value is True
    assert m.tree.find("xt.match.policy.flags").show == "0x0009 (XT_POLICY_MATCH_IN, XT_POLICY_MATCH_STRICT)"
    assert m.tree.find("xt.match.policy.pol").show == "2 pol not in use (zeros)"
    e6 = _policy_elem("2001:db8::1", "2001:db8::2", 0, 0, 50, 1, 0x0F, socket.AF_INET6)
    m = decode(rule(10, "match", "policy", 0, e6 + bytes(76 * 3) + struct.pack("<HH", 1, 1)))
    assert not problems(m) and m.tree.find("xt.match.policy.elem.daddr").value == "2001:db8::2"


def test_bpf_bytecode():
    """--bytecode "4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0": four sock_filter instructions."""
    prog = [(48, 0, 0, 9), (21, 0, 1, 6), (6, 0, 0, 1), (6, 0, 0, 0)]
    info = struct.pack("<H2x", 4) + b"".join(struct.pack("<HBBI", *i) for i in prog).ljust(512, b"\0") + bytes(12)
    m = decode(rule(2, "match", "bpf", 0, info))
    assert not problems(m)
    assert [n.value for n in m.tree.find_all("xt.match.bpf.insn.k")] == [9, 6, 1, 0]
    m = decode(rule(2, "match", "bpf", 1, struct.pack("<HHi", 1, 0, -1) + b"/sys/fs/bpf/p".ljust(512, b"\0")
                    + bytes(8)))
    assert not problems(m) and m.tree.find("xt.match.bpf.path").value == "/sys/fs/bpf/p"
    assert m.tree.find("xt.match.bpf.insn.k") is None


def test_cgroup_v2_union_read_by_its_flags():
    path = struct.pack("<BBBB", 1, 0, 0, 0) + b"/".ljust(512, b"\0") + bytes(12)
    m = decode(rule(2, "match", "cgroup", 2, path))
    assert not problems(m) and m.tree.find("xt.match.cgroup.path").value == "/"
    classid = struct.pack("<BBBB", 0, 1, 0, 0) + struct.pack("<I", 0x100001).ljust(512, b"\0") + bytes(12)
    m = decode(rule(2, "match", "cgroup", 2, classid))
    node = m.tree.find("xt.match.cgroup.path")
    assert node.value == "0x100001" and node.label.startswith("classid")


def test_sctp_chunk_types():
    """--sport 100:200 --dport 80 --chunk-types any INIT,DATA"""
    chunkmap = bytearray(256)
    chunkmap[0] = 0b11                                       # DATA (0), INIT (1)
    info = struct.pack("<HHHH", 80, 80, 100, 200) + bytes(chunkmap) + struct.pack("<I", 1) + bytes(12) \
        + struct.pack("<iII", 0, 7, 0)
    assert len(info) == 292
    m = decode(rule(2, "match", "sctp", 0, pad8(info)))
    assert not problems(m)
    v = values(m, "xt.match.sctp")
    assert v["chunkmap"] == "DATA,INIT" and v["spts_min"] == 100 and v["dpts_max"] == 80
    assert m.tree.find("xt.match.sctp.chunk_match_type").show == "SCTP_CHUNK_MATCH_ANY (1)"


def test_ip6t_rt_with_its_addresses():
    addrs = socket.inet_pton(socket.AF_INET6, "::1") + socket.inet_pton(socket.AF_INET6, "::2") + bytes(16 * 14)
    info = struct.pack("<IIIIBB2x", 0, 1, 3, 40, 0x2F, 0) + addrs + struct.pack("<B3x", 2)
    m = decode(rule(10, "match", "rt", 0, pad8(info)))
    assert not problems(m)
    v = values(m, "xt.match.rt")
    assert v["addrs_0"] == "::1" and v["addrs_1"] == "::2" and v["addrnr"] == 2 and v["hdrlen"] == 40
    assert m.tree.find("xt.match.rt.flags").show == "0x2f (IP6T_RT_TYP, IP6T_RT_SGS, IP6T_RT_LEN, IP6T_RT_RES, " \
                                                    "IP6T_RT_NSTRICT)".replace("IP6T_RT_NSTRICT", "IP6T_RT_FST_NSTRICT")


def test_hmark_and_targets_without_a_struct():
    info = (b"\xff" * 4).ljust(16, b"\0") + (b"\xff" * 4).ljust(16, b"\0") + b"\xff\xff\xff\xff" + bytes(4) \
        + struct.pack("<IH2xIII", 0x0E37, 0, 0xFEEDCAFE, 10, 1)
    m = decode(rule(2, "target", "HMARK", 0, pad8(info)))
    assert not problems(m)
    v = values(m, "xt.target.hmark")
    assert v["hmodulus"] == 10 and v["hoffset"] == 1 and v["src_mask"] == "255.255.255.255"
    assert m.tree.find("xt.target.hmark.hashrnd").show == "0xfeedcafe"
    for name in ("TRACE", "NOTRACK"):
        assert not problems(decode(rule(2, "target", name, 0, b"")))


def test_a_struct_too_short_is_malformed_and_an_unknown_revision_unknown():
    m = decode(rule(2, "match", "u32", 0, bytes(100)))
    assert [n.status for n in m.tree.walk() if n.status] == ["malformed"]
    m = decode(rule(2, "match", "srh", 7, bytes(24)))
    assert [n.status for n in m.tree.walk() if n.status] == ["unknown"]


def test_sizes_are_the_kernels():
    """XT_ALIGN(sizeof) of each struct as x86-64 lays it out (checked by hand against the headers)."""
    sizes = {("match", "u32", 0): 1984, ("match", "policy", 0): 308, ("match", "bpf", 0): 528,
             ("match", "bpf", 1): 528, ("match", "sctp", 0): 292, ("match", "cgroup", 2): 528,
             ("match", "cgroup", 1): 4112, ("match", "rt", 0): 280, ("target", "HMARK", 0): 60,
             ("match", "rateest", 0): 72, ("target", "LED", 0): 40, ("target", "RATEEST", 0): 32,
             ("target", "IDLETIMER", 1): 48, ("match", "nfacct", 1): 40, ("match", "ipvs", 0): 40,
             ("match", "srh", 1): 108, ("target", "DNPT", 0): 36, ("match", "osf", 0): 48,
             ("match", "dccp", 0): 16, ("match", "l2tp", 0): 12, ("match", "cluster", 0): 16}
    got = {}
    for key in sizes:
        st = xt.struct_for(*key, 2 if key[1] not in ("rt", "srh", "DNPT") else 10)
        got[key] = st.size if isinstance(st, xt.XtLayout) else st.struct.size
    assert got == sizes
