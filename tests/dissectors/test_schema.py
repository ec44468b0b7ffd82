"""Every fixed struct: construct parse/build/size agree, compiled equals interpreted, and the
fast struct.Struct path gives the same values in both byte orders."""

import pytest

import dissectors
from dissectors.core.schema import ALL_STRUCTS

dissectors.load_families()


@pytest.mark.parametrize("st", ALL_STRUCTS, ids=lambda s: f"{s.prefix}:{s.cname}")
@pytest.mark.parametrize("order", ["<", ">"])
def test_struct_roundtrip(st, order):
    data = bytes((i * 37 + 11) & 0xFF for i in range(st.max_size))   # with every optional member
    con = st.construct if order == "<" else st.construct_be
    assert con.sizeof() == st.max_size
    parsed = con.parse(data)
    rebuilt = con.build(parsed)  # padding comes back as zeros, every member as it was
    assert len(rebuilt) == st.max_size
    assert {m.name: con.parse(rebuilt)[m.name] for m in st.shown} == {m.name: parsed[m.name] for m in st.shown}
    compiled = con.compile()
    cparsed = compiled.parse(data)
    fast = st.values(data, 0, order, length=st.max_size)
    for m in st.shown:
        assert parsed[m.name] == cparsed[m.name] == fast[m.name], m.name
    # build then parse gives the values back
    assert st.parse(st.build(fast, order), order) == fast


def test_network_order_member_is_big_endian_in_both_orders():
    from construct import Int16ub, Int32ul
    from dissectors.core.schema import FixedStruct, member
    st = FixedStruct("t", "test.schema.t", [member("port", Int16ub), member("x", Int32ul)])
    data = b"\x00\x16\x01\x00\x00\x00"
    assert st.values(data, 0, "<") == {"port": 22, "x": 1}
    assert st.values(data, 0, ">")["port"] == 22
