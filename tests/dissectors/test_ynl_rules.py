"""What a YNL spec says, honoured (issue 16): references in any order, notifications with the
attributes of the operation they name, subsets keeping their parent's numbers, replies named
after the message type the kernel sent, the built-in protocol behind a partial netlink-raw
spec, keys redacted whatever type a spec gives them, and every construct of the schema."""
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from dissectors import Context, decode_frame
from dissectors.core import registry
from dissectors.ynl import SpecProtocol, load_spec, parse_spec
from tests.conftest import CAPTURES, decode_file
from tests.dissectors.build import msg, nla
from tests.dissectors.test_ynl import restore_tables  # noqa: F401  (a fixture)

SPECS = Path(__file__).parent / "specs"
GENL_ID = 0x31


def _genl(cmd: int, attrs: bytes, request: bool = True) -> bytes:
    return msg(GENL_ID, 1 if request else 0, bytes([cmd, 1, 0, 0]) + attrs)


def _shown(tree, abbrev: str) -> str:
    """A field as -V shows it: its text, else its value by the field's format."""
    n = tree.find(abbrev)
    return n.text if n.text is not None else n.field.show(n.value)


def _statuses(m) -> list:
    return [(n.label, n.status, n.text) for n in m.tree.walk() if n.status]


# --- 1. references before what they name, and 7. everything a spec may say ------------
def test_references_resolve_whatever_the_order(restore_tables):
    """Before: `struct outer member perm: enum 'perm' is not defined` — the kernel's rt-addr,
    rt-link, ovs_flow (and rt-neigh, rt-rule, conntrack) name an enum before defining it."""
    fam = load_spec(SPECS / "order-demo.yaml")
    main = fam.attrs
    assert main.name == "main" and main.by_name["ORDER_DEMO_A_MAIN_INNER"].nested is not None
    assert fam.commands[1].name == "ORDER_DEMO_CMD_GET"


def _order_demo_message():
    outer = b"eth0\0\0\0\0" + struct.pack("<H", 7) + struct.pack(">H", 443) + bytes.fromhex("020000000001") \
        + b"\0\0" + struct.pack("<I", 0b110001)
    small = struct.pack("<H", 5) + struct.pack(">H", 6)
    inner = nla(1, b"\x09") + nla(2, struct.pack(">H", 0x1234))
    body = (nla(1, outer) + nla(2, struct.pack("<I", 10)) + nla(3, struct.pack("<I", 0b10001))
            + nla(4, inner) + nla(5, nla(0, struct.pack("<I", 70)) + nla(1, struct.pack("<I", 71)))
            + nla(6, struct.pack("<3H", 1, 2, 3)) + nla(7, socket.inet_pton(socket.AF_INET6, "2001:db8::1"))
            + nla(8, bytes([192, 0, 2, 1])) + nla(9, struct.pack("<I", 255)) + nla(10, bytes(range(0xe0, 0xf0)) * 2)
            + nla(11, b"label\0") + nla(12, b"\x01\x02")
            + nla(13, nla(4, nla(2, nla(1, b"\x05"))))
            + nla(14, b"both\0") + nla(15, small + nla(1, b"\x0b"))
            + nla(16, struct.pack("<I", 0b11000)) + nla(17, struct.pack("<H", 1)) + nla(17, struct.pack("<H", 2)))
    return _genl(1, body)


def test_everything_a_spec_may_say_is_honoured(restore_tables):
    load_spec(SPECS / "order-demo.yaml")
    m = decode_frame(_order_demo_message(), protocol=16, ctx=Context({GENL_ID: "order-demo"}))[0]
    t = m.tree
    assert not _statuses(m), _statuses(m)
    # a struct holding a struct (laid out in place), a string of a const's length, a mac hint
    assert t.first("order_demo.outer.ifname") == b"eth0\0\0\0\0" and _shown(t, "order_demo.outer.ifname") == "eth0"
    assert t.first("order_demo.outer.rate_a") == 7 and t.first("order_demo.outer.rate_b") == 443
    assert _shown(t, "order_demo.outer.mac") == "02:00:00:00:00:01"
    assert "ORDER_DEMO_PERM_READ" in _shown(t, "order_demo.outer.perm")
    # implied values after a value-start given by a const (3, 4), a given one (10) and the next (11)
    assert _shown(t, "order_demo.main.mode") == "ORDER_DEMO_MODE_Z (10)"
    perm = _shown(t, "order_demo.main.perm")          # flags: bit 0 implied, bit 4 given
    assert "ORDER_DEMO_PERM_READ" in perm and "ORDER_DEMO_PERM_EXEC" in perm and "STICKY" not in perm
    modes = _shown(t, "order_demo.main.modes")         # enum-as-flags: bits 3 and 4 are x and y
    assert "ORDER_DEMO_MODE_X" in modes and "ORDER_DEMO_MODE_Y" in modes
    assert [n.value for n in t.find_all("order_demo.inner.x")] == [9, 5, 11]
    assert t.first("order_demo.inner.y") == 0x1234       # byte-order: big-endian
    assert [n.value for n in t.find("order_demo.main.ids").children] == [70, 71]   # indexed-array of u32
    assert _shown(t, "order_demo.main.words") == "3 values"                      # binary sub-type u16
    assert t.first("order_demo.main.addr") == "2001:db8::1"                        # ipv4-or-v6
    assert t.first("order_demo.main.gw") == 0xC0000201 and _shown(t, "order_demo.main.gw") == "192.0.2.1"
    assert _shown(t, "order_demo.main.mark") == "0xff"
    assert t.first("order_demo.main.odd") == b"\x01\x02"   # a hint of a newer schema: the bytes
    assert t.first("order_demo.main.label") == "label"
    # nest-type-value with two levels: policy 4, attribute 2, then the inner set
    policy = t.find("order_demo.main.policy")
    assert policy.children[0].label == "[4]" and policy.children[0].children[0].label == "[2]"
    # a sub-message format with a fixed header and attributes after it
    assert t.first("order_demo.small.a") == 5 and t.first("order_demo.small.b") == 6
    assert [n.value for n in t.find_all("order_demo.main.tags")] == [1, 2]        # multi-attr


KEY_AS_BYTES = """
name: key-demo
attribute-sets:
  - name: dev
    attributes:
      - { name: private-key, type: binary, sub-type: u8 }
      - { name: psk, type: binary, struct: raw-key }
definitions:
  - { name: raw-key, type: struct, members: [ { name: bytes, type: binary, len: 32 } ] }
operations: { list: [ { name: get, value: 1, attribute-set: dev } ] }
"""


def test_a_key_stays_redacted_whatever_type_the_spec_gives_it(restore_tables):
    """`binary` with `sub-type: u8` became an array and printed the key byte by byte; a
    `struct:` one printed it as the struct's member."""
    registry.register_genl_family(parse_spec(KEY_AS_BYTES, "key.yaml"), replace=True)
    key = bytes(range(0xe0, 0x100))
    m = decode_frame(_genl(1, nla(1, key) + nla(2, key)), protocol=16, ctx=Context({GENL_ID: "key-demo"}))[0]
    # a private key shows its digest; a PSK may be made from a passphrase: its length only
    for field, shown in (("key_demo.dev.private_key", "<32 bytes, sha256 "), ("key_demo.dev.psk", "<32 bytes>")):
        n = m.tree.find(field)
        assert n.value.startswith(shown) and not n.children, (field, n.value)
    dump = repr([(n.value, n.text) for n in m.tree.walk()])
    assert "e0e1e2" not in dump and "224, 225" not in dump and "\\xe0\\xe1" not in dump


def test_a_sub_message_format_without_payload_shows_what_is_there(restore_tables):
    load_spec(SPECS / "order-demo.yaml")
    m = decode_frame(_genl(1, nla(14, b"bare\0") + nla(15, nla(1, b"\x01"))), protocol=16,
                     ctx=Context({GENL_ID: "order-demo"}))[0]
    data = m.tree.find("order_demo.main.data")
    assert data.status is None and [c.status for c in data.children] == ["unknown"]


# --- 3. subset-of keeps the parent's numbers --------------------------------------------
SUBSET = """
name: subset-demo
attribute-sets:
  - name: attrs
    attributes:
      - { name: ifindex, type: u32 }
      - { name: frame-type, type: u16, value: 101 }
      - { name: frames, type: nest, nested-attributes: frame-type-attrs }
  - name: frame-type-attrs
    subset-of: attrs
    attributes:
      - { name: frame-type }
operations: { list: [ { name: register, value: 1, attribute-set: attrs } ] }
"""


def test_a_subset_keeps_its_parents_numbers(restore_tables):
    """nl80211's frame-type-attrs is a subset of nl80211-attrs: its frame-type (101) was
    renumbered 1, so every frame type a REGISTER_FRAME dump lists was unknown."""
    registry.register_genl_family(parse_spec(SUBSET, "subset.yaml"), replace=True)
    m = decode_frame(_genl(1, nla(102, nla(101, struct.pack("<H", 0xd0)))), protocol=16,   # frames: 102
                     ctx=Context({GENL_ID: "subset-demo"}))[0]
    assert m.tree.first("subset_demo.frame_type_attrs.frame_type") == 0xd0 and not _statuses(m)


def test_a_subset_naming_what_its_parent_lacks_is_one_error():
    from dissectors.ynl import SpecError
    with pytest.raises(SpecError, match="'nope' is not an attribute of attrs"):
        parse_spec(SUBSET.replace("- { name: frame-type }", "- { name: nope }").replace("subset-demo", "subset-bad"),
                   "s.yaml")


# --- 2. notifications, and 5. replies named after the type the kernel sent ---------------
def _ndmsg(mtype: int, request: bool) -> bytes:
    body = struct.pack("<B3xiHBB", 2, 3, 2, 0, 1) + nla(1, bytes([192, 0, 2, 7])) + nla(2, bytes(6))
    return msg(mtype, 1 if request else 0, body)


def test_notifications_carry_the_attributes_of_the_operation_they_name(restore_tables):
    """Before: a kernel RTM_DELNEIGH was `RTM_DELNEIGH_NTF`, its attributes unknown (a
    notify operation took no attribute set); a reply was named after its request
    (RTM_GETNEIGH for the kernel's type 28)."""
    load_spec(SPECS / "rt-neigh-mini.yaml")
    for mtype, name in ((28, "RTM_NEWNEIGH"), (29, "RTM_DELNEIGH")):
        m = decode_frame(_ndmsg(mtype, request=False), protocol=0, ctx=Context())[0]
        assert m.type_name == name and m.family == "rt-neigh-mini"
        assert m.tree.first("rt_neigh_mini.neighbour_attrs.dst") == "192.0.2.7" and not _statuses(m)
        assert m.tree.first("rt_neigh_mini.ndmsg.ndm_ifindex") == 3
    req = decode_frame(_ndmsg(30, request=True), protocol=0, ctx=Context())[0]
    assert req.type_name == "RTM_GETNEIGH"


RT_ROUTE_612 = """
name: rt-route-612
protocol: netlink-raw
protonum: 0
definitions:
  - name: rtmsg
    type: struct
    members:
      - { name: rtm-family, type: u8 }
      - { name: rtm-dst-len, type: u8 }
      - { name: rtm-src-len, type: u8 }
      - { name: rtm-tos, type: u8 }
      - { name: rtm-table, type: u8 }
      - { name: rtm-protocol, type: u8 }
      - { name: rtm-scope, type: u8 }
      - { name: rtm-type, type: u8 }
      - { name: rtm-flags, type: u32 }
attribute-sets:
  - { name: route-attrs, name-prefix: rta-, attributes: [ { name: dst, type: binary, display-hint: ipv4 } ] }
operations:
  enum-model: directional
  name-prefix: rtm-
  list:
    - name: getroute
      attribute-set: route-attrs
      fixed-header: rtmsg
      do: { request: { value: 26 }, reply: { value: 24 } }
"""


def test_a_reply_no_operation_requests_is_named_by_the_protocol_it_extends(restore_tables):
    """6.12's rt_route.yaml has only getroute: its replies (type 24) were RTM_GETROUTE."""
    registry.register_protocol(parse_spec(RT_ROUTE_612, "rt-route-612.yaml"), replace=True)
    body = struct.pack("<8BI", 2, 24, 0, 0, 254, 4, 0, 1, 0) + nla(1, bytes([10, 1, 0, 0]))
    m = decode_frame(msg(24, 2, body), protocol=0, ctx=Context())[0]
    assert m.type_name == "RTM_NEWROUTE" and m.tree.first("rt_route_612.route_attrs.dst") == "10.1.0.0"


def test_directional_ids_are_numbered_as_the_kernels_ynl_numbers_them():
    """ethtool.yaml gives no ids: requests and replies count apart, a notification takes
    only a reply id, an op without reply none (ETHTOOL_MSG_LINKINFO_NTF is 3, not 4)."""
    text = """
name: dir-demo
operations:
  enum-model: directional
  list:
    - { name: a-get, do: { request: { attributes: [] }, reply: { attributes: [] } } }
    - { name: a-set, do: { request: { attributes: [] } } }
    - { name: a-ntf, notify: a-get }
    - { name: b-get, do: { request: { attributes: [] }, reply: { attributes: [] } } }
"""
    fam = parse_spec(text, "dir.yaml")
    assert {v: mt.name for v, mt in fam.commands.items()} == {1: "DIR_DEMO_CMD_A_GET", 2: "DIR_DEMO_CMD_A_SET",
                                                              3: "DIR_DEMO_CMD_B_GET"}
    assert {v: mt.name for v, mt in fam.replies.items()} == {1: "DIR_DEMO_CMD_A_GET", 2: "DIR_DEMO_CMD_A_NTF",
                                                             3: "DIR_DEMO_CMD_B_GET"}


# --- 4. a partial netlink-raw spec leaves the rest to the built-in protocol --------------
def _summaries(*extra) -> list[str]:
    r = subprocess.run([sys.executable, "-m", "nlscope", "read", "-j", "1", str(CAPTURES / "rtnl-extack.pcapng"),
                        *extra], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return [line.split() for line in r.stdout.splitlines()]   # columns (their widths follow the labels)


def test_a_partial_raw_spec_keeps_the_built_in_for_the_rest_in_a_fresh_process():
    """Before, errors and ACKs of the whole protocol were labelled after the spec
    (`rt-neigh-mini  NLMSG_ERROR`): a spec naming some message types owns only those."""
    plain = _summaries()
    spec = _summaries("--spec", str(SPECS / "rt-neigh-mini.yaml"))
    assert len(plain) == len(spec) > 10
    def neigh(cols):   # the Type column
        return len(cols) > 6 and "NEIGH" in cols[6]
    assert [c for c in spec if not neigh(c)] == [c for c in plain if not neigh(c)]
    assert [c[2] for c in spec if neigh(c)] == ["rt-neigh-mini"] * 3   # …and the ACK of one is rtnetlink's


def test_a_spec_loaded_twice_falls_back_to_the_built_in_not_to_itself(restore_tables):
    builtin = registry.PROTOCOLS[0]
    load_spec(SPECS / "rt-neigh-mini.yaml")
    again = load_spec(SPECS / "rt-neigh-mini.yaml")
    assert isinstance(again, SpecProtocol) and again.fallback is builtin
    route = registry.register_protocol(parse_spec(RT_ROUTE_612, "r.yaml"), replace=True)
    assert route.fallback is again   # specs of one protocol chain, each on the one before


def test_ynl_no_longer_fills_the_field_keyed_nest_table():
    import dissectors.ynl as ynl
    assert not hasattr(ynl, "NESTED_BY_FIELD")


# --- a spec newer than 6.12's tree ----------------------------------------------------
def test_a_newer_kernel_spec_decodes_the_committed_conntrack_messages_like_the_built_in(restore_tables):
    """conntrack.yaml (netlink-raw over nfnetlink, after 6.12) names an enum before it
    defines it and an attribute with a space; its messages are named as the kernel sent
    them (IPCTNL_MSG_CT_NEW for a reply to a GET) and read value for value as the built-in."""
    from tests.dissectors.test_ynl_kernel import _built_in_decodes, _compare, _fault
    built_in = _built_in_decodes()
    proto = load_spec(SPECS / "conntrack-mini.yaml")
    assert "CONNTRACK_MINI_A_CONNTRACK_ATTRS_LABELS_MASK" in proto.replies[0x100].attrs
    messages = values = 0
    for name, before in built_in.items():
        if not any(m.protocol == 12 for m in before):
            continue
        for old, new in zip(before, decode_file(CAPTURES / name), strict=True):
            if new.family != "conntrack-mini":
                continue
            messages += 1
            if new.direction == "from kernel":   # a request is named by its operation (…_CMD_GET)
                assert new.type_name == old.type_name
            assert not [_fault(n) for n in new.tree.walk() if n.status]
            n_values, differ = _compare(old, new)
            assert not differ, (name, new.frame, differ)
            values += n_values
    assert messages >= 10 and values > 200
