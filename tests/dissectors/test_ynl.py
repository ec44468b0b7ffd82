"""Families from YNL specs: the loader builds the same model the hand-written families use."""
import struct
import subprocess
import sys

import pytest

import dissectors
from dissectors import Context, decode_frame, format_tree
from dissectors.core import registry
from dissectors.ynl import SpecError, SpecProtocol, load_spec, parse_spec
from tests.conftest import CAPTURES, ROOT, decode_file
from tests.dissectors.build import msg, nla


@pytest.fixture
def restore_tables():
    """Specs replace families in the global tables, and the fields of the families they
    replace: put the built-ins back afterwards."""
    from dissectors.model import FIELDS
    dissectors.load_families()
    genl, protos = dict(registry.GENL_FAMILIES), dict(registry.PROTOCOLS)
    fields = FIELDS.release("")   # every field, kept …
    FIELDS.restore(fields)        # … and declared again at once
    yield
    registry.GENL_FAMILIES.clear()
    registry.GENL_FAMILIES.update(genl)
    registry.PROTOCOLS.clear()
    registry.PROTOCOLS.update(protos)
    FIELDS.release("")            # what the test declared goes, what was there comes back
    FIELDS.restore(fields)
    for number, proto in protos.items():   # the sets registration keeps beside the table
        registry.register_protocol(proto, replace=True)


def _trees(msgs):
    return [[(n.label, n.value, n.text, n.status, n.offset, n.length) for n in m.tree.walk()] for m in msgs]


def test_test_family_spec_decodes_capture_like_the_hand_written_family(restore_tables):
    """kmod/nlscope_test.yaml, loaded, replaces the built-in decoder and gives the same trees
    (names, values, offsets) on the capture of the real module."""
    path = CAPTURES / "nlscope-test.pcapng"
    by_hand = decode_file(path)
    hand_trees = _trees(by_hand)   # now: a message makes its tree when first asked, with what is registered then
    fam = load_spec(ROOT / "kmod" / "nlscope_test.yaml")
    assert registry.GENL_FAMILIES["nlscope_test"] is fam
    from_spec = decode_file(path)
    assert len(from_spec) == len(by_hand) > 300
    assert [m.type_name for m in from_spec] == [m.type_name for m in by_hand]
    assert _trees(from_spec) == hand_trees
    echo = next(m for m in from_spec if m.type_name == "NLSCOPE_TEST_CMD_ECHO" and m.direction == "from kernel")
    assert echo.tree.first("nlscope_test.test.be32") is not None


SPEC = """
name: demo-fam
protocol: genetlink-legacy
definitions:
  - { name: color, type: enum, entries: [ red, green, { name: blue, value: 7 } ] }
  - { name: perm, type: flags, entries: [ read, write, exec ] }
  - { name: mode, type: enum, value-start: 1, entries: [ a, b, c ] }
  - name: hdr
    type: struct
    members:
      - { name: ifindex, type: u32 }
      - { name: port, type: u16, byte-order: big-endian }
      - { name: pad, type: pad, len: 2 }
attribute-sets:
  - name: main
    attributes:
      - { name: color, type: u8, enum: color }
      - { name: perm, type: u32, enum: perm }
      - { name: modes, type: u32, enum: mode, enum-as-flags: true }
      - { name: kind, type: string }
      - { name: data, type: sub-message, sub-message: kind-data, selector: kind }
      - { name: list, type: indexed-array, sub-type: nest, nested-attributes: item }
      - { name: addr, type: binary, display-hint: ipv4 }
      - { name: hdr, type: binary, struct: hdr }
      - { name: ids, type: nest-type-value, nested-attributes: item }
      - { name: skip, value: 20, type: u64, display-hint: hex }
  - name: item
    attributes:
      - { name: id, type: u16 }
      - { name: again, type: nest, nested-attributes: main }
  - name: few
    subset-of: main
    attributes:
      - { name: color }
  - { name: foo-attrs, attributes: [ { name: x, type: s32 } ] }
sub-messages:
  - name: kind-data
    formats:
      - { value: foo, attribute-set: foo-attrs }
      - { value: bar, fixed-header: hdr }
operations:
  enum-model: directional
  list:
    - name: get
      attribute-set: main
      do:
        request: { value: 1, attributes: [ color ] }
        reply: { value: 1, attributes: [ color ] }
    - name: get-reply-only
      attribute-set: few
      do: { reply: { value: 2 } }
    - name: set
      attribute-set: main
      do: { request: { value: 2 } }
mcast-groups:
  list: [ { name: events } ]
"""


def _genl(fid, cmd, attrs, request=True):
    return msg(fid, 1 if request else 0, bytes([cmd, 1, 0, 0]) + attrs)


def test_array_nest_is_indexed_array_s_name_before_linux_6_9(restore_tables):
    """Specs of Linux 6.2-6.8 (tc.yaml, ethtool's, devlink's) say `type: array-nest` for what
    6.9 renamed indexed-array with sub-type nest: the same bytes decode the same."""
    new = parse_spec(SPEC, "demo.yaml")
    old = parse_spec(SPEC.replace("type: indexed-array, sub-type: nest,", "type: array-nest,"), "demo.yaml")
    assert "array-nest" in SPEC.replace("type: indexed-array, sub-type: nest,", "type: array-nest,")
    body = nla(6, nla(0, nla(1, struct.pack("<H", 9))) + nla(1, nla(1, b"\x02\x00")))
    trees = []
    for fam in (new, old):
        registry.register_genl_family(fam, replace=True)
        m = decode_frame(_genl(0x30, 1, body), protocol=16, ctx=Context({0x30: "demo-fam"}))[0]
        assert [n.value for n in m.tree.find_all("demo_fam.item.id")] == [9, 2]
        assert not [n for n in m.tree.walk() if n.status]
        trees.append(format_tree(m.tree))
    assert trees[0] == trees[1]


def test_a_struct_members_flags_are_written_as_wide_as_the_member(restore_tables):
    """conntrack.yaml's nf-ct-tcp-flags-mask: two u8 of enum-as-flags showed as 0x00000003."""
    spec = SPEC.replace("      - { name: pad, type: pad, len: 2 }",
                        "      - { name: fl, type: u8, enum: mode, enum-as-flags: true }\n"
                        "      - { name: wide, type: u16, enum: perm }")
    registry.register_genl_family(parse_spec(spec, "demo.yaml"), replace=True)
    body = nla(8, struct.pack("<I", 4) + b"\x01\xbb" + b"\x06" + struct.pack("<H", 5))   # packed, as YNL lays out
    t = decode_frame(_genl(0x30, 1, body), protocol=16, ctx=Context({0x30: "demo-fam"}))[0].tree
    assert t.find("demo_fam.hdr.fl").show == "0x06 (DEMO_FAM_MODE_A, DEMO_FAM_MODE_B)"
    assert t.find("demo_fam.hdr.wide").show == "0x0005 (DEMO_FAM_PERM_READ, DEMO_FAM_PERM_EXEC)"


def test_spec_features_decode(restore_tables):
    fam = parse_spec(SPEC, "demo.yaml")
    registry.register_genl_family(fam, replace=True)
    ctx = Context({0x30: "demo-fam"})
    body = (nla(1, b"\x07") + nla(2, struct.pack("<I", 5)) + nla(3, struct.pack("<I", 0b110))
            + nla(4, b"foo\0") + nla(5, nla(1, struct.pack("<i", -3)))
            + nla(6, nla(0, nla(1, struct.pack("<H", 9)) + nla(2, nla(1, b"\x01"))) + nla(1, nla(1, b"\x02\x00")))
            + nla(7, bytes([10, 0, 0, 1])) + nla(8, struct.pack("<I", 4) + b"\x01\xbb\0\0")
            + nla(20, struct.pack("<Q", 255)) + nla(9, nla(3, nla(1, b"\x05\x00"))))
    m = decode_frame(_genl(0x30, 1, body), protocol=16, ctx=ctx)[0]
    t = m.tree
    assert m.type_name == "DEMO_FAM_CMD_GET"
    assert t.first("demo_fam.main.color") == 7
    assert t.find("demo_fam.main.color").text == "DEMO_FAM_COLOR_BLUE (7)"
    assert "DEMO_FAM_PERM_READ" in t.find("demo_fam.main.perm").text and "EXEC" in t.find("demo_fam.main.perm").text
    modes = t.find("demo_fam.main.modes").text   # bits 1 and 2: values b (2) and a (1) as flags
    assert "DEMO_FAM_MODE_A" in modes and "DEMO_FAM_MODE_B" in modes and "DEMO_FAM_MODE_C" not in modes
    assert t.first("demo_fam.foo_attrs.x") == -3          # sub-message chosen by kind "foo"
    assert t.find_all("demo_fam.item.id") and [n.value for n in t.find_all("demo_fam.item.id")] == [9, 2, 5]
    assert t.first("demo_fam.main.addr") == "10.0.0.1"
    assert t.first("demo_fam.hdr.ifindex") == 4 and t.first("demo_fam.hdr.port") == 443
    assert t.find("demo_fam.main.skip").text == "0xff"
    assert not [n for n in t.walk() if n.status]
    # directional ids: command 2 is SET in a request, GET_REPLY_ONLY in a reply
    assert decode_frame(_genl(0x30, 2, b""), protocol=16, ctx=ctx)[0].type_name == "DEMO_FAM_CMD_SET"
    reply = decode_frame(_genl(0x30, 2, nla(1, b"\x00")), protocol=16, ctx=ctx)[0]
    # …with the reply flag-less: built by hand, NLM_F_REQUEST clear
    reply = decode_frame(msg(0x30, 0, bytes([2, 1, 0, 0]) + nla(1, b"\x00")), protocol=16, ctx=ctx)[0]
    assert reply.type_name == "DEMO_FAM_CMD_GET_REPLY_ONLY"
    assert reply.tree.find("demo_fam.few.color").text == "DEMO_FAM_COLOR_RED (0)"
    assert fam.mcast_groups == ["events"]
    # the sub-message with a fixed header
    m = decode_frame(_genl(0x30, 1, nla(4, b"bar\0") + nla(5, struct.pack("<I", 3) + b"\x00\x16\0\0")),
                     protocol=16, ctx=ctx)[0]
    assert m.tree.first("demo_fam.hdr.port") == 22


RAW = """
name: rt-demo
protocol: netlink-raw
protonum: 0
definitions:
  - name: ifaddrmsg
    type: struct
    members:
      - { name: family, type: u8 }
      - { name: prefixlen, type: u8 }
      - { name: flags, type: u8 }
      - { name: scope, type: u8 }
      - { name: index, type: u32 }
attribute-sets:
  - name: addr-attrs
    attributes:
      - { name: address, type: binary, display-hint: ipv4 }
      - { name: local, type: binary, display-hint: ipv4 }
      - { name: label, type: string }
operations:
  fixed-header: ifaddrmsg
  list:
    - { name: newaddr, value: 20, attribute-set: addr-attrs }
"""


def test_netlink_raw_spec_covers_part_of_a_protocol(restore_tables):
    """A netlink-raw spec decodes the message types it names; the others still go to the
    built-in rtnetlink dissector."""
    proto = parse_spec(RAW, "rt-demo.yaml")
    assert isinstance(proto, SpecProtocol)
    registry.register_protocol(proto, replace=True)
    body = struct.pack("<BBBBI", 2, 24, 0, 0, 3) + nla(1, bytes([192, 0, 2, 1])) + nla(3, b"eth9\0")
    m = decode_frame(msg(20, 0, body), protocol=0, ctx=Context())[0]
    assert m.type_name == "RT_DEMO_CMD_NEWADDR"
    assert m.tree.first("rt_demo.ifaddrmsg.index") == 3 and m.tree.first("rt_demo.addr_attrs.address") == "192.0.2.1"
    assert m.tree.first("rt_demo.addr_attrs.label") == "eth9"
    link = decode_frame(msg(18, 0x301, struct.pack("<BxHiII", 0, 0, 0, 0, 0)), protocol=0, ctx=Context())[0]
    assert link.type_name == "RTM_GETLINK"


BAD = {
    "not yaml": ("name: [unclosed", "not valid YAML at line"),
    "a list": ("- a\n- b\n", "top level is not a mapping"),
    "no name": ("protocol: genetlink\n", "the spec has no name"),
    "python tag": ("name: !!python/object/apply:os.system ['true']\n", "not valid YAML"),
    "bad protocol": ("name: x\nprotocol: carrier-pigeon\n", "protocol 'carrier-pigeon'"),
    "bad type": ("name: x\nattribute-sets: [ {name: a, attributes: [ {name: b, type: wat} ]} ]\n", "type 'wat'"),
    "no nested set": ("name: x\nattribute-sets: [ {name: a, attributes: [ {name: b, type: nest, "
                      "nested-attributes: nope} ]} ]\n", "nested-attributes 'nope' is not defined"),
    "no enum": ("name: x\nattribute-sets: [ {name: a, attributes: [ {name: b, type: u8, enum: e} ]} ]\n",
                "enum 'e' is not defined"),
    "number too big": ("name: x\nattribute-sets: [ {name: a, attributes: [ {name: b, type: u8, value: 70000} ]} ]\n",
                       "out of range"),
    "duplicate number": ("name: x\nattribute-sets: [ {name: a, attributes: [ {name: b, type: u8, value: 1}, "
                         "{name: c, type: u8, value: 1} ]} ]\n", "share number 1"),
    "bad selector": ("name: x\nsub-messages: [ {name: s, formats: []} ]\nattribute-sets: [ {name: a, attributes: "
                     "[ {name: b, type: sub-message, sub-message: s, selector: nope} ]} ]\n", "selector 'nope'"),
    "string value": ("name: x\nattribute-sets: [ {name: a, attributes: [ {name: b, type: u8, value: one} ]} ]\n",
                     "is not an integer"),
    "raw without protonum": ("name: x\nprotocol: netlink-raw\n", "protonum"),
    "bad op set": ("name: x\noperations: { list: [ { name: a, attribute-set: nope } ] }\n",
                   "attribute-set 'nope'"),
    "struct in itself": ("name: x\ndefinitions: [ { name: s, type: struct, members: [ { name: m, type: binary, "
                         "struct: s } ] } ]\n", "struct s contains itself"),
    "len of no const": ("name: x\ndefinitions: [ { name: s, type: struct, members: [ { name: m, type: binary, "
                        "len: nope } ] } ]\n", "const 'nope' is not defined"),
    "notify loop": ("name: x\noperations: { list: [ { name: a, notify: b }, { name: b, notify: a } ] }\n",
                    "refers back to itself"),
    "subset loop": ("name: x\nattribute-sets: [ { name: a, subset-of: b, attributes: [ { name: y } ] }, "
                    "{ name: b, subset-of: a, attributes: [ { name: y } ] } ]\n", "is a subset of itself"),
    "struct bomb": ("name: x\ndefinitions:\n" + "".join(
        f"  - {{ name: s{i}, type: struct, members: [ " + ", ".join(
            f"{{ name: m{j}, type: binary, struct: s{i + 1} }}" for j in range(4)) + " ] }\n" for i in range(12))
        + "  - { name: s12, type: struct, members: [ { name: v, type: u8 } ] }\n", "members, nested structs laid out"),
    "bad type-value": ("name: x\nattribute-sets: [ { name: a, attributes: [ { name: p, type: nest-type-value, "
                       "type-value: 3, nested-attributes: a } ] } ]\n", "type-value must be a list"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_spec_is_one_clear_error(case):
    text, expected = BAD[case]
    text = text.replace("name: x\n", f"name: bad-{case.replace(' ', '-')}\n")  # fields are global: one family each
    with pytest.raises(SpecError) as e:
        parse_spec(text, "bad.yaml")
    assert str(e.value).startswith("spec bad.yaml: ") and expected in str(e.value), str(e.value)
    assert "\n" not in str(e.value)


def test_cli_spec_option(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "nlscope", "read", str(CAPTURES / "nlscope-test.pcapng"), "-c", "4",
                         "--spec", str(ROOT / "kmod")], capture_output=True, text=True)
    assert ok.returncode == 0 and "NLSCOPE_TEST_CMD_ECHO" in ok.stdout, ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nattribute-sets: [ {name: a, attributes: [ {name: b, type: wat} ]} ]\n")
    r = subprocess.run([sys.executable, "-m", "nlscope", "read", str(CAPTURES / "nlscope-test.pcapng"),
                        "--spec", str(bad)], capture_output=True, text=True)
    assert r.returncode == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1
    assert "type 'wat'" in r.stderr


# --- a spec file is loaded in bounded time and memory (issue 13 item 11) --------------
def _bounded(code: str, timeout: float = 60):
    """Run `code` in a fresh interpreter with 1 GiB of address space and a time limit (on
    the code before the fix, these cases ran out of memory or never ended)."""
    import resource

    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limits, cwd=ROOT)


def _one_spec_error(r, expected: str):
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert r.stdout.startswith("SpecError: spec ") and expected in r.stdout and r.stdout.count("\n") == 1, r.stdout


_PARSE = """
from dissectors.ynl import SpecError, parse_spec
try:
    parse_spec({text!r}, "hostile.yaml")
    print("loaded")
except SpecError as e:
    print("SpecError:", e)
"""


def _laughs(levels: int = 9, where: str = "repr") -> str:
    """The "billion laughs": each alias nine of the one before, 9**levels strings in all."""
    lines = ["name: lol", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    last = f"*l{levels - 1}"
    if where == "repr":   # an attribute that is not a mapping: its repr went into the error message
        lines.append(f"attribute-sets: [ {{ name: a, attributes: [ {last} ] }} ]")
    else:                 # a list the loader walks
        lines.append(f"definitions: {last}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("where", ["repr", "walk"])
def test_yaml_alias_amplification_is_refused(where):
    r = _bounded(_PARSE.format(text=_laughs(9, where)))
    _one_spec_error(r, "aliases expand it past")


def test_the_kernels_few_aliases_still_load(restore_tables):
    """The kernel's wireguard.yaml reuses an attribute list by alias: counted, not refused."""
    from tests.dissectors.test_secrets import WIREGUARD_YAML
    assert "&all-attrs" in WIREGUARD_YAML and parse_spec(WIREGUARD_YAML, "wireguard.yaml").name == "wireguard"


def test_a_recursive_alias_is_refused():
    with pytest.raises(SpecError, match="an alias refers to a node that holds it"):
        parse_spec("name: rec\nattribute-sets: &a [ { name: x, attributes: *a } ]\n", "rec.yaml")


@pytest.mark.parametrize("value", [1 << 40, 1 << 63, 64])
def test_a_flag_bit_number_out_of_range_is_refused(value):
    """`1 << value` of a flag's bit number 2**40 asked for a 128 GiB integer."""
    text = ("name: flagbomb\ndefinitions: [ { name: f, type: flags, entries: [ { name: a, value: %d } ] } ]\n"
            % value)
    _one_spec_error(_bounded(_PARSE.format(text=text)), "out of range [0, 64)")


def test_flag_value_start_and_enum_values_out_of_range_are_refused():
    with pytest.raises(SpecError, match="value-start: 64 out of range"):
        parse_spec("name: vs\ndefinitions: [ { name: f, type: flags, value-start: 64, entries: [ a ] } ]\n", "v.yaml")
    with pytest.raises(SpecError, match="out of range"):
        parse_spec("name: ev\ndefinitions: [ { name: e, type: enum, entries: [ { name: a, value: %d } ] } ]\n"
                   % (1 << 64), "v.yaml")
    with pytest.raises(SpecError, match="out of range"):
        parse_spec("name: ov\noperations: { list: [ { name: a, value: 70000 } ] }\n", "v.yaml")
    assert parse_spec("name: neg\ndefinitions: [ { name: e, type: enum, entries: [ { name: a, value: -2 } ] } ]\n",
                      "v.yaml").name == "neg"


def test_an_integer_too_long_to_convert_is_one_error():
    r = _bounded(_PARSE.format(text="name: digits\nprotonum: " + "9" * 5000 + "\n"))
    _one_spec_error(r, "a value cannot be read")


def test_subset_of_reads_its_parent_once(monkeypatch):
    """Every subset numbered its parent's attributes again: quadratic in subsets × parent."""
    from dissectors import ynl
    walks = []
    real = ynl._Loader._list

    def counting(self, d, key, where):
        walks.append(where)
        return real(self, d, key, where)
    monkeypatch.setattr(ynl._Loader, "_list", counting)
    parent = ", ".join(f"{{ name: a{i}, type: u32 }}" for i in range(400))
    subsets = "\n".join(f"  - {{ name: s{i}, subset-of: main, attributes: [ {{ name: a{i} }} ] }}" for i in range(300))
    parse_spec(f"name: subsets\nattribute-sets:\n  - {{ name: main, attributes: [ {parent} ] }}\n{subsets}\n", "s.yaml")
    assert walks.count("attribute set main") == 1   # once, as a set and as every subset's parent


def test_a_sub_message_selector_enum_is_not_scanned_per_format():
    """Each format looked its value up by scanning the selector's whole enum: quadratic."""
    import time

    from dissectors import ynl
    n = 4000   # formats naming no entry (the worst case: each scanned the whole enum), and two that do
    formats = [{"value": f"x{i}", "attribute-set": "inner"} for i in range(n)] \
        + [{"value": "k0", "attribute-set": "inner"}, {"value": f"k{n - 1}", "attribute-set": "inner"}]
    doc = {"name": "manyfmt",
           "definitions": [{"name": "kinds", "type": "enum", "entries": [f"k{i}" for i in range(n)]}],
           "attribute-sets": [{"name": "inner", "attributes": [{"name": "x", "type": "u8"}]},
                              {"name": "main", "attributes": [
                                  {"name": "kind", "type": "u32", "enum": "kinds"},
                                  {"name": "data", "type": "sub-message", "sub-message": "fmt", "selector": "kind"}]}],
           "sub-messages": [{"name": "fmt", "formats": formats}]}
    loader = ynl._Loader(doc, "fmt.yaml")
    t0 = time.process_time()
    loader.load()
    assert time.process_time() - t0 < 2
    data = loader.sets["main"].by_name["MANYFMT_A_MAIN_DATA"]
    assert len(data.choices) == n + 2 and data.choices[0] is data.choices[n - 1] is loader.sets["inner"]
    assert "x7" in data.choices and 7 not in data.choices


def test_spec_from_dev_zero_is_refused_after_a_bounded_read():
    code = ("from dissectors.ynl import SpecError, load_spec\ntry:\n    load_spec('/dev/zero')\n"
            "except SpecError as e:\n    print('SpecError:', e)\n")
    _one_spec_error(_bounded(code, timeout=60), "larger than 1 MiB")


def test_spec_that_is_a_directory_or_not_utf8(tmp_path):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SpecError, match="not UTF-8 text"):
        load_spec(bad)
    with pytest.raises(SpecError, match="cannot be read|not a file"):
        load_spec(tmp_path)


CLASH = """
name: wireguard
protocol: genetlink
attribute-sets:
  - name: wireguard
    attributes: [ { name: ifindex, type: u32 }, { name: ifname, type: u32 } ]
operations: { list: [ { name: get, value: 0, attribute-set: wireguard } ] }
"""


def test_a_spec_redeclares_the_fields_of_the_family_it_replaces_in_a_fresh_process():
    """The spec's fields were declared before the built-in families loaded: a built-in's
    own declaration then raised ValueError (a traceback) from load_families().  The spec is
    the newer truth for the family it replaces (the kernel's devlink.yaml makes
    `devlink.selftests` a nest where the built-in has bytes), so its fields win."""
    code = _PARSE.format(text=CLASH).replace('print("loaded")', 'from dissectors import FIELDS\n'
                                              '    print("loaded", FIELDS.get("wireguard.ifname").kind)')
    r = _bounded(code)
    assert r.returncode == 0 and r.stdout == "loaded uint\n", r.stdout + r.stderr[-2000:]


# a spec whose name is no registered family's, with a field of another family's name
CLASH_OTHER = """
name: rtnl
attribute-sets:
  - name: link
    name-prefix: ifla-
    attributes: [ { name: ifname, type: u32, value: 3 } ]
operations: { list: [ { name: get, value: 0, attribute-set: link } ] }
"""


def test_a_field_clashing_with_another_familys_is_one_error_in_a_fresh_process():
    r = _bounded(_PARSE.format(text=CLASH_OTHER))
    _one_spec_error(r, "rtnl.link.ifname declared as string and as uint")


def test_a_failed_spec_gives_the_replaced_familys_fields_back(restore_tables):
    from dissectors.model import FIELDS
    before = FIELDS.get("wireguard.ifname")
    with pytest.raises(SpecError, match="type 'wat'"):
        parse_spec(CLASH.replace("type: u32 } ]", "type: wat } ]"), "bad-wg.yaml")
    assert FIELDS.get("wireguard.ifname") is before


def test_cli_one_line_for_a_hostile_spec(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_laughs(9, "walk"))
    for spec in (bomb, "/dev/zero"):
        r = subprocess.run([sys.executable, "-m", "nlscope", "read", str(CAPTURES / "nlscope-test.pcapng"), "-c", "1",
                            "--spec", str(spec)], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and r.stdout == "" and len(r.stderr.splitlines()) == 1, r.stderr[-2000:]
