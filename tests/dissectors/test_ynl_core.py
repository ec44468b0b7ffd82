"""What the YNL loader needs of the core: fields released and restored through the registry,
per-operation fixed headers in genetlink, sub-message selectors in enclosing sets, C arrays
in the byte order a spec gives, specs named by the environment."""
import re
import struct
from pathlib import Path

import pytest

from dissectors import Context, decode_frame
from dissectors.model import BYTES, UINT, FieldRegistry
from dissectors.ynl import SpecError, load_spec, parse_spec, specs_from_env
from tests.conftest import ROOT
from tests.dissectors.build import msg, nla
from tests.dissectors.test_ynl import restore_tables  # noqa: F401  (a fixture)

SPECS = Path(__file__).parent / "specs"
GENL_ID = 0x40


def _genl(family: str, cmd: int, body: bytes, request: bool = True):
    m = decode_frame(msg(GENL_ID, 1 if request else 0, bytes([cmd, 1, 0, 0]) + body), protocol=16,
                     ctx=Context({GENL_ID: family}))[0]
    return m, [(n.field.abbrev, n.value) for n in m.tree.walk() if n.status is None and n.value is not None
               and not n.field.abbrev.startswith(("netlink", "genl"))], [n for n in m.tree.walk() if n.status]


# --- the field registry -------------------------------------------------------------
def test_the_registry_releases_and_restores_the_fields_under_a_prefix():
    reg = FieldRegistry()
    fam, deep, other, near = (reg.add("fam", "Family", BYTES), reg.add("fam.a.b", "B", UINT),
                              reg.add("other.x", "X", UINT), reg.add("family.x", "not under fam", UINT))
    saved = reg.release("fam")
    assert saved == {"fam": fam, "fam.a.b": deep}
    assert "fam.a.b" not in reg and reg.get("other.x") is other and reg.get("family.x") is near
    again = reg.add("fam.a.b", "B as a spec says", BYTES)   # another kind: it is a new declaration
    reg.restore(saved)
    assert reg.get("fam.a.b") is again and reg.get("fam") is fam   # the new one stands
    reg.restore(saved, everything=True)
    assert reg.get("fam.a.b") is deep
    every = reg.release("")
    assert len(reg) == 0 and set(every) == {"fam", "fam.a.b", "other.x", "family.x"}
    reg.restore(every)
    assert [f.abbrev for f in reg] == ["fam", "fam.a.b", "family.x", "other.x"]


def test_nothing_but_the_registry_touches_its_table():
    """ynl.py and the tests' fixture reached into the registry's own dict."""
    users = [str(p.relative_to(ROOT)) for top in ("dissectors", "nlscope", "tests") for p in (ROOT / top).rglob("*.py")
             if p not in (ROOT / "dissectors" / "model.py", Path(__file__))
             and re.search(r"\._fields\b", p.read_text())]
    assert users == []


# --- per-operation fixed headers (genetlink) -----------------------------------------------
def _op_header_messages():
    get = bytes(struct.pack("<I", 7) + struct.pack(">H", 8080) + bytes(2)) + nla(1, b"eth0\0")
    put = struct.pack("<I", 9) + nla(2, struct.pack("<I", 1400))
    return get, put


def test_an_operations_own_fixed_header_is_read_before_its_attributes(restore_tables):
    """The genl dissector read the family's header (4 bytes here) for every command, so the
    attributes of `get`, whose header is 8 bytes, started inside it: malformed."""
    load_spec(SPECS / "op-header.yaml")
    get, put = _op_header_messages()
    m, values, bad = _genl("op-header", 1, get)
    assert not bad and values == [("op_header.port_hdr.ifindex", 7), ("op_header.port_hdr.port", 8080),
                                  ("op_header.main.name", "eth0")]
    assert m.tree.find("op_header.port_hdr").offset == 20
    m, values, bad = _genl("op-header", 2, put)   # the family's header, where the operation names none
    assert not bad and values == [("op_header.fam_hdr.dp_ifindex", 9), ("op_header.main.mtu", 1400)]


def test_an_operations_fixed_header_without_a_family_one(restore_tables):
    """Without a family header, `get`'s 8 header bytes were read as attributes."""
    text = (SPECS / "op-header.yaml").read_text().replace("  fixed-header: fam-hdr\n", "")
    from dissectors.core.registry import register_genl_family
    fam = register_genl_family(parse_spec(text, "op-header-only.yaml"), replace=True)
    assert fam.header is None
    get, put = _op_header_messages()
    _, values, bad = _genl("op-header", 1, get)
    assert not bad and values[-1] == ("op_header.main.name", "eth0") and len(values) == 3
    _, values, bad = _genl("op-header", 2, put[4:])
    assert not bad and values == [("op_header.main.mtu", 1400)]


# --- selectors in enclosing sets --------------------------------------------------------------
_APP = nla(2, nla(1, struct.pack("<I", 3)))
_STATS = nla(2, nla(1, struct.pack("<Q", 99)) + _APP)


def _app(body):
    _, values, bad = _genl("outer-sel", 1, body)
    return [v for v in values if v[0].endswith(("app", "drops", "hits"))], [(n.field.abbrev, n.text) for n in bad]


@pytest.mark.parametrize("body, want", [
    pytest.param(nla(1, b"fq\0") + _STATS, "fq", id="one level up"),
    pytest.param(nla(1, b"fq\0") + nla(3, nla(1, _STATS[4:])), "fq", id="through a set with no sub-message"),
    pytest.param(_STATS + nla(1, b"fq\0"), "fq", id="sent after the nest"),
    pytest.param(nla(1, b"u32\0") + nla(4, nla(1, nla(1, b"gact\0") + _STATS)), "gact",
                 id="the nearest set declaring it, inside a sub-message"),
])
def test_a_sub_message_finds_its_selector_in_an_enclosing_set(body, want, restore_tables):
    """tc's stats `app` is chosen by the qdisc's `kind` one level up; it was "… not seen
    first" (the decoder looked among siblings only)."""
    load_spec(SPECS / "outer-selector.yaml")
    leaf = "outer_sel.fq_app.drops" if want == "fq" else "outer_sel.gact_app.hits"
    assert _app(body) == ([("outer_sel.stats.app", want), (leaf, 3)], [])


def test_the_nearest_set_declaring_the_selector_decides_even_without_a_value(restore_tables):
    """As the kernel's YNL (SpaceAttrs.lookup): an action that does not say its kind leaves
    its stats undecided, never chosen by the filter's kind."""
    load_spec(SPECS / "outer-selector.yaml")
    values, bad = _app(nla(1, b"u32\0") + nla(4, nla(1, _STATS)))
    assert values == []
    assert bad == [("outer_sel.stats.app", f"{_APP[4:].hex()} (OUTER_SEL_A_ACTION_KIND not seen first)")]


# --- C arrays in the byte order a spec gives --------------------------------------------------
BE_ARRAYS = """
name: be-arrays
protocol: genetlink
attribute-sets:
  - name: main
    attributes:
      - { name: ports, type: binary, sub-type: u16, byte-order: big-endian }
      - { name: targets, type: indexed-array, sub-type: u32, byte-order: big-endian, display-hint: ipv4 }
      - { name: counts, type: binary, sub-type: u16 }
operations: { list: [ { name: get, value: 1, attribute-set: main, do: { request: { attributes: [ ports ] } } } ] }
"""


def test_a_binary_array_and_an_indexed_array_declared_big_endian(restore_tables):
    """`byte-order: big-endian` on a binary sub-type array (and rt-link's bond arp-ip-target,
    an indexed array of them) was dropped: the values were read little-endian."""
    from dissectors.core.registry import register_genl_family
    register_genl_family(parse_spec(BE_ARRAYS, "be-arrays.yaml"), replace=True)
    body = (nla(1, struct.pack(">HH", 8080, 443)) + nla(2, nla(0, bytes([10, 0, 0, 1])))
            + nla(3, struct.pack("<HH", 8080, 443)))
    _, values, bad = _genl("be-arrays", 1, body)
    assert not bad and values == [("be_arrays.main.ports.value", 8080), ("be_arrays.main.ports.value", 443),
                                  ("be_arrays.main.targets.value", 0x0A000001),
                                  ("be_arrays.main.counts.value", 8080), ("be_arrays.main.counts.value", 443)]


# --- NLSCOPE_SPECS --------------------------------------------------------------------------
def test_specs_from_the_environment_are_a_path_list(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text("name: x\n")
    assert specs_from_env({}) == [] and specs_from_env({"NLSCOPE_SPECS": ""}) == []
    assert specs_from_env({"NLSCOPE_SPECS": f"{SPECS}::{one}:"}) == [SPECS, one]
    assert specs_from_env({"PATH": str(SPECS)}) == []
    for bad in (str(tmp_path / "gone.yaml"), "x" * 5000):
        with pytest.raises(SpecError, match="named by NLSCOPE_SPECS") as e:
            specs_from_env({"NLSCOPE_SPECS": f"{one}:{bad}"})
        assert "\n" not in str(e.value)
