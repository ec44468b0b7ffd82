"""NetLabel's four generic netlink families (NLBL_MGMT, NLBL_CIPSOv4, NLBL_CALIPSO, NLBL_UNLBL)
from messages built as net/netlabel/*.c and netlabelctl build them: what the recorded
netlabelctl session (tests/captures/test_netlabel_captures.py) cannot reach — a translated
DOI's nested level and category maps as LIST answers them, an IPv6 selector with a CALIPSO
DOI, masks that are no prefix, wrong sizes."""
from __future__ import annotations

import socket
import struct

import pytest

import dissectors
from tests.dissectors.build import nla
from tests.dissectors.test_genl_tail import NLM_F_MULTI, NLM_F_REQUEST, _value, decode, nest, string, u8, u16, u32

dissectors.load_families()
from dissectors import Context, decode_frame  # noqa: E402
from dissectors.core import registry  # noqa: E402
from dissectors.families.genl import netlabel_cipsov4 as C, netlabel_mgmt as M, netlabel_unlbl as U  # noqa: E402
from dissectors.families.genl.netlabel_common import prefix_text  # noqa: E402
from tests.dissectors.build import msg  # noqa: E402

FAMILIES = ["NLBL_MGMT", "NLBL_CIPSOv4", "NLBL_CALIPSO", "NLBL_UNLBL"]
A = M.ATTRS | C.ATTRS | U.ATTRS   # the kernel's names -> numbers, every family's


def v4(t, text): return nla(A[t], socket.inet_aton(text))                      # noqa: E704
def v6(t, text): return nla(A[t], socket.inet_pton(socket.AF_INET6, text))     # noqa: E704


@pytest.mark.parametrize("family", FAMILIES)
def test_every_command_and_attribute_is_named(family):
    """Each command with one of each attribute decodes named, nothing unknown (nests empty)."""
    fam = registry.GENL_FAMILIES[family]
    for cmd, mt in sorted(fam.commands.items()):
        built = [nla(num, _value(spec)) for num, spec in sorted(fam.attrs.by_num.items())]
        m = decode(family, cmd, b"".join(built))
        assert m.type_name == mt.name
        assert len([n for n in m.tree.children if n.field.abbrev.startswith(fam.abbrev + ".")]) == len(built)


def test_translated_doi_with_its_level_and_category_maps():
    """netlbl_cipsov4_list()'s answer for a CIPSO_V4_MAP_TRANS DOI: MTYPE, the tag list, and
    each level and category pair in its own nest inside its list."""
    def pair(what: str, loc: int, rem: int) -> bytes:   # one NLBL_CIPSOV4_A_MLSLVL / _MLSCAT
        return nest(A[f"NLBL_CIPSOV4_A_MLS{what}"], u32(A[f"NLBL_CIPSOV4_A_MLS{what}LOC"], loc),
                    u32(A[f"NLBL_CIPSOV4_A_MLS{what}REM"], rem))

    lvl = nest(A["NLBL_CIPSOV4_A_MLSLVLLST"], pair("LVL", 0, 3), pair("LVL", 1, 7))
    cat = nest(A["NLBL_CIPSOV4_A_MLSCATLST"], pair("CAT", 5, 200))
    tags = nest(A["NLBL_CIPSOV4_A_TAGLST"], u8(A["NLBL_CIPSOV4_A_TAG"], 1), u8(A["NLBL_CIPSOV4_A_TAG"], 128))
    m = decode("NLBL_CIPSOv4", 3, u32(A["NLBL_CIPSOV4_A_MTYPE"], 1) + tags + lvl + cat, flags=0)
    t = m.tree
    assert m.type_name == "NLBL_CIPSOV4_C_LIST"
    assert [n.value for n in t.find_all("nlbl_cipsov4.mlslvlloc")] == [0, 1]
    assert [n.value for n in t.find_all("nlbl_cipsov4.mlslvlrem")] == [3, 7]
    assert [n.value for n in t.find_all("nlbl_cipsov4.mlscatrem")] == [200]
    assert [n.show for n in t.find_all("nlbl_cipsov4.tag")] == ["CIPSO_V4_TAG_RBITMAP (1)", "CIPSO_V4_TAG_LOCAL (128)"]
    assert t.find("nlbl_cipsov4.mtype").show == "CIPSO_V4_MAP_TRANS (1)"
    # each pair is its own nest two levels down, as netlbl_cipsov4_add_std() reads them
    lst = t.find("nlbl_cipsov4.mlslvllst")
    assert [[c.value for c in pair.children] for pair in lst.children] == [[0, 3], [1, 7]]
    assert m.info == "type:TRANSLATED tags:1,128 levels:0=3,1=7 categories:5=200"


def test_ipv6_selector_with_a_calipso_doi():
    """netlbl_mgmt_listentry() of a domain mapped by address: an IPv4 selector with a CIPSO DOI
    and an IPv6 one with a CALIPSO DOI, each in its NLBL_MGMT_A_ADDRSELECTOR."""
    sels = nest(A["NLBL_MGMT_A_SELECTORLIST"],
                nest(A["NLBL_MGMT_A_ADDRSELECTOR"], v4("NLBL_MGMT_A_IPV4ADDR", "10.8.1.0"),
                     v4("NLBL_MGMT_A_IPV4MASK", "255.255.255.0"), u32(A["NLBL_MGMT_A_PROTOCOL"], 3),
                     u32(A["NLBL_MGMT_A_CV4DOI"], 8)),
                nest(A["NLBL_MGMT_A_ADDRSELECTOR"], v6("NLBL_MGMT_A_IPV6ADDR", "2001:db8:5::"),
                     v6("NLBL_MGMT_A_IPV6MASK", "ffff:ffff:ffff::"), u32(A["NLBL_MGMT_A_PROTOCOL"], 7),
                     u32(A["NLBL_MGMT_A_CLPDOI"], 32)))
    body = string(A["NLBL_MGMT_A_DOMAIN"], "baz") + u16(A["NLBL_MGMT_A_FAMILY"], socket.AF_INET6) + sels
    m = decode("NLBL_MGMT", 3, body, flags=NLM_F_MULTI)
    t = m.tree
    v6sel = t.find("nlbl_mgmt.selectorlist").children[1]
    assert [c.field.abbrev for c in v6sel.children] == ["nlbl_mgmt.ipv6addr", "nlbl_mgmt.ipv6mask",
                                                       "nlbl_mgmt.protocol", "nlbl_mgmt.clpdoi"]
    assert [c.value for c in v6sel.children] == ["2001:db8:5::", "ffff:ffff:ffff::", 7, 32]
    assert v6sel.children[2].show == "NETLBL_NLTYPE_CALIPSO (7)"
    assert t.find("nlbl_mgmt.family").show == "AF_INET6 (10)"
    assert m.info == ('domain:"baz",address:10.8.1.0/24,protocol:CIPSOv4,8,'
                      "address:2001:db8:5::/48,protocol:CALIPSO,32")


def test_default_mapping_and_requests():
    """The *DEF commands carry no domain (netlbl_mgmt_adddef()): their Info says DEFAULT; a
    request's one address sits at the top level (netlbl_mgmt_add_common())."""
    body = u32(A["NLBL_MGMT_A_PROTOCOL"], 5) + v4("NLBL_MGMT_A_IPV4ADDR", "10.9.0.0") + v4("NLBL_MGMT_A_IPV4MASK",
                                                                                           "255.255.0.0")
    assert decode("NLBL_MGMT", 4, body).info == "domain:DEFAULT,address:10.9.0.0/16,protocol:UNLABELED"
    body = string(A["NLBL_MGMT_A_DOMAIN"], "foo") + u32(A["NLBL_MGMT_A_PROTOCOL"], 3) + u32(A["NLBL_MGMT_A_CV4DOI"], 16)
    assert decode("NLBL_MGMT", 1, body).info == 'domain:"foo",CIPSOv4,16'
    assert decode("NLBL_MGMT", 8, u32(A["NLBL_MGMT_A_VERSION"], 3), flags=0).info == "version 3"
    assert decode("NLBL_MGMT", 7, u32(A["NLBL_MGMT_A_PROTOCOL"], 3), flags=NLM_F_MULTI).info == "CIPSO"
    body = string(A["NLBL_MGMT_A_DOMAIN"], "qux") + u16(A["NLBL_MGMT_A_FAMILY"], socket.AF_INET6) + u32(
        A["NLBL_MGMT_A_PROTOCOL"], 5)
    assert decode("NLBL_MGMT", 3, body, flags=NLM_F_MULTI).info == 'domain:"qux",UNLABELED,6'
    assert decode("NLBL_MGMT", 6, u16(A["NLBL_MGMT_A_FAMILY"], socket.AF_INET)).info == "domain:DEFAULT (IPv4)"


def test_unlabeled_static_labels():
    """netlbl_unlabel_staticlist_gen(): interface, address, mask and the context (its NUL kept
    by SELinux) — the default entry has no interface; an IPv6 one its own attributes."""
    ctx = nla(A["NLBL_UNLABEL_A_SECCTX"], b"system_u:object_r:foo_t:s0\0")
    body = string(A["NLBL_UNLABEL_A_IFACE"], "lo") + v6("NLBL_UNLABEL_A_IPV6ADDR", "::1") + v6(
        "NLBL_UNLABEL_A_IPV6MASK", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") + ctx
    m = decode("NLBL_UNLBL", 5, body, flags=NLM_F_MULTI)
    assert m.tree.first("nlbl_unlbl.secctx") == "system_u:object_r:foo_t:s0"
    assert m.info == 'interface:lo,address:::1/128,label:"system_u:object_r:foo_t:s0"'
    body = v4("NLBL_UNLABEL_A_IPV4ADDR", "10.7.0.0") + v4("NLBL_UNLABEL_A_IPV4MASK", "255.255.0.0") + ctx
    assert decode("NLBL_UNLBL", 8, body, flags=NLM_F_MULTI).info.startswith("interface:DEFAULT,address:10.7.0.0/16,")
    assert decode("NLBL_UNLBL", 1, u8(A["NLBL_UNLABEL_A_ACPTFLG"], 0)).info == "accept:off"


@pytest.mark.parametrize("addr, mask, text", [
    ("10.0.0.0", "255.0.255.0", "10.0.0.0/255.0.255.0"), ("10.1.2.3", "255.255.255.255", "10.1.2.3/32"),
    ("0.0.0.0", "0.0.0.0", "0.0.0.0/0"), ("2001:db8::", "ffff:ff00::", "2001:db8::/24"),
    ("2001:db8::", "ffff::ffff", "2001:db8::/ffff::ffff")])
def test_masks_as_prefixes_and_not(addr, mask, text):
    assert prefix_text(addr, mask) == text


def test_wrong_sizes_are_malformed():
    """A u32 DOI of 2 bytes, or a u8 tag of 4 with something in its padding, is malformed and
    says so (the kernel's policy refuses both)."""
    frame = msg(0x40, NLM_F_REQUEST, bytes([1, 3, 0, 0]) + nla(A["NLBL_CIPSOV4_A_DOI"], b"\x08\x00")
                + nest(A["NLBL_CIPSOV4_A_TAGLST"], nla(A["NLBL_CIPSOV4_A_TAG"], struct.pack("<I", 0x0101))))
    m = decode_frame(frame, protocol=16, ctx=Context({0x40: "NLBL_CIPSOv4"}))[0]
    bad = [n.field.abbrev for n in m.tree.walk() if n.status]
    assert bad == ["nlbl_cipsov4.doi", "nlbl_cipsov4.tag"]
