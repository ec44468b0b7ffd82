"""Dump requests the kernel accepts from sockets without NETLINK_F_STRICT_CHK: decoded as its
legacy paths read them, marked "legacy header", never malformed (issue 17).

rtnetlink_rcv_msg() reads the family byte of any body (struct rtgenmsg); each dump handler's
legacy branch then reads what it reads: rtnl_valid_dump_ifinfo_req() an rtgenmsg or an
ifinfomsg and IFLA_*, neigh_valid_dump_req() an ndmsg and NDA_* (nlmsg_parse_deprecated),
rtnl_fdb_dump()/valid_fdb_dump_legacy() an ifinfomsg for AF_BRIDGE, inet_dump_ifaddr() /
inet6_dump_addr() / fib_nl_dumprule() the family only, inet_dump_fib() rtm_flags only.
"""
import struct

import dissectors
from dissectors.generated import if_link as L, rtnetlink as R

from .build import msg, nla

NLM_F_REQUEST_DUMP = 0x301
AF_UNSPEC, AF_INET, AF_BRIDGE = 0, 2, 7
RTEXT_FILTER_VF = 1


def _one(body: bytes, mtype: int, flags: int = NLM_F_REQUEST_DUMP):
    (m,) = dissectors.decode_frame(msg(mtype, flags, body), 0)
    m.tree.to_json()
    return m


def _bad(m):
    return [n for n in m.tree.walk() if n.status]


def _header(m):
    return m.tree.children[1]


def test_keepalived_getaddr_with_an_ifinfomsg_is_read_as_the_kernel_reads_it():
    """keepalived's netlink_request() (keepalived_netlink.c) sends every dump with a struct
    ifinfomsg after the nlmsghdr, RTM_GETADDR included; the kernel's inet_dump_ifaddr() reads
    nothing but the family of a non-strict socket."""
    ifinfomsg = struct.pack("<BxHiII", AF_INET, 0, 0, 0, 0)
    m = _one(ifinfomsg, R.RTM_GETADDR)
    assert not m.malformed and not _bad(m), [(n.name, n.show) for n in _bad(m)]
    hdr = _header(m)
    assert "legacy header" in hdr.name and "family only" in hdr.name
    assert hdr.field.abbrev == "rtnl.gen" and m.tree.first("rtnl.gen.family") == AF_INET
    rest = m.tree.children[2]
    assert rest.offset == 20 and rest.length == 12 and "ignored by the kernel" in rest.name
    assert m.info == "dump"


def test_libnl_bridge_neighbour_dump_with_an_ifinfomsg_is_an_fdb_dump():
    """libnl's neigh_request_update() dumps AF_BRIDGE neighbours with a struct ifinfomsg (16
    bytes: an ndmsg and 4 more); rtnl_fdb_dump() -> valid_fdb_dump_legacy() reads exactly that
    (an ifinfomsg whenever the body is neither an ndmsg nor an ndmsg and one u32 attribute)."""
    ifinfomsg = struct.pack("<BxHiII", AF_BRIDGE, 0, 0, 0, 0)
    m = _one(ifinfomsg, R.RTM_GETNEIGH)
    assert not m.malformed and not _bad(m), [(n.name, n.show) for n in _bad(m)]
    hdr = _header(m)
    assert hdr.field.abbrev == "rtnl.link" and hdr.length == 16 and "legacy header (ifinfomsg" in hdr.name
    # with IFLA_MASTER, which valid_fdb_dump_legacy() reads as the bridge to dump
    m = _one(ifinfomsg + nla(L.IFLA_MASTER, struct.pack("<I", 5)), R.RTM_GETNEIGH)
    assert not _bad(m) and m.tree.first("rtnl.link.master") == 5


def test_libnl_rtgenmsg_dumps_are_legacy_headers():
    """libnl's nl_rtgen_request() (rtnl_neigh_alloc_cache, rtnl_addr_alloc_cache …) sends a
    struct rtgenmsg padded to 4 bytes: shorter than ndmsg/ifaddrmsg, which the strict checks
    (neigh_valid_dump_req, inet_valid_dump_ifaddr_req) would refuse; the legacy path reads the family."""
    rtgenmsg = struct.pack("<Bxxx", AF_UNSPEC)
    for mtype, name in ((R.RTM_GETNEIGH, "ndmsg is 12"), (R.RTM_GETADDR, "ifaddrmsg is 8"),
                        (R.RTM_GETROUTE, "rtmsg is 12"), (R.RTM_GETRULE, "fib_rule_hdr is 12")):
        m = _one(rtgenmsg, mtype)
        assert not _bad(m), mtype
        hdr = _header(m)
        assert hdr.field.abbrev == "rtnl.gen" and "legacy header (4-byte body, " + name in hdr.name, hdr.name
        assert len(m.tree.children) == 2   # the 3 pad bytes are alignment, not a payload


def test_old_iproute2_link_dump_rtgenmsg_then_attributes():
    """iproute2 < 3.9 (rtnl_wilddump_req_filter) sends an rtgenmsg then IFLA_EXT_MASK:
    rtnl_valid_dump_ifinfo_req() takes a body shorter than ifinfomsg as rtgenmsg and parses
    the attributes after it."""
    body = struct.pack("<Bxxx", AF_UNSPEC) + nla(L.IFLA_EXT_MASK, struct.pack("<I", RTEXT_FILTER_VF))
    m = _one(body, R.RTM_GETLINK)
    assert not _bad(m)
    assert "legacy header (rtgenmsg" in _header(m).name
    assert m.tree.first("rtnl.link.ext_mask") == RTEXT_FILTER_VF


def test_neighbour_dump_leftover_after_attributes_is_ignored_not_malformed():
    """neigh_valid_dump_req() parses NDA_* with nlmsg_parse_deprecated() on a legacy socket:
    bytes that are no attribute end the parse, they are not an error."""
    ndmsg = struct.pack("<BxxxiHBB", AF_INET, 0, 0, 0, 0)
    m = _one(ndmsg + nla(0x9, struct.pack("<I", 3)) + b"\0" * 4, R.RTM_GETNEIGH)   # NDA_MASTER, then 4 zeros
    assert not _bad(m)
    assert "legacy header (ndmsg" in _header(m).name and m.tree.first("rtnl.neigh.master") == 3
    assert "ignored by the kernel" in m.tree.children[-1].name and m.tree.children[-1].length == 4


def test_strict_requests_are_untouched():
    """iproute2 >= 4.20 sets NETLINK_F_STRICT_CHK and sends the full family struct: no legacy mark."""
    ifaddrmsg = struct.pack("<BBBBI", AF_INET, 0, 0, 0, 0)
    m = _one(ifaddrmsg, R.RTM_GETADDR)
    assert _header(m).name == "Address message (ifaddrmsg)" and not _bad(m)
    # a non-dump request keeps its decoding (and a truncated one stays malformed)
    m = _one(struct.pack("<BxHiII", AF_INET, 0, 0, 0, 0), R.RTM_GETADDR, flags=0x1)
    assert _bad(m)


def test_dumps_the_kernel_checks_strictly_stay_malformed():
    """tc_dump_qdisc() parses its tcmsg with nlmsg_parse_deprecated() and returns the error on
    any socket, rtnl_stats_dump() refuses a body shorter than if_stats_msg: not legacy."""
    for mtype in (R.RTM_GETQDISC, R.RTM_GETSTATS):
        m = _one(struct.pack("<Bxxx", AF_UNSPEC), mtype)
        assert _bad(m) and "legacy" not in "".join(n.name for n in m.tree.walk()), mtype


def test_a_request_without_a_body_is_what_the_kernel_ignores_not_malformed():
    """rtnetlink_rcv_msg() returns 0 for a message shorter than its 1-byte family: accepted
    (acked if asked), never an error, so never shown as malformed.  From the kernel, an
    empty body would be wrong and stays malformed."""
    import struct
    import dissectors
    from dissectors.model import MALFORMED
    (req,) = dissectors.decode_frame(struct.pack("<IHHII", 16, 18, 0x301, 1, 0), 0)
    assert req.type_name == "RTM_GETLINK" and not any(n.status == MALFORMED for n in req.tree.walk())
    assert req.tree.find("rtnl.empty") is not None
    (sent,) = dissectors.decode_frame(struct.pack("<IHHII", 16, 16, 0, 1, 0), 0)
    assert any(n.status == MALFORMED for n in sent.tree.walk())
