"""A script registers a decoder for its own protocol in a few lines (dissectors.TableProtocol)."""
import struct

import dissectors
from dissectors import AttrSet, Context, TableProtocol, a, decode_frame
from dissectors.core import registry
from tests.dissectors.build import msg, nla


def test_script_registered_protocol_decodes_and_can_be_undone():
    dissectors.load_families()
    before = registry.PROTOCOLS[2]
    attrs = AttrSet("mine", "mine", {"MINE_NAME": a("string"), "MINE_COUNT": a("u32")},
                    {"MINE_NAME": 1, "MINE_COUNT": 2}, strip="MINE_")
    try:
        dissectors.register_protocol(TableProtocol(2, "NETLINK_USERSOCK", {0x10: "MINE_HELLO"}, attrs=attrs,
                                                   label="mine"), replace=True)
        m = decode_frame(msg(0x10, 1, nla(1, b"hi\0") + nla(2, struct.pack("<I", 7))), protocol=2, ctx=Context())[0]
        assert m.type_name == "MINE_HELLO" and m.family == "mine"
        assert m.tree.first("mine.name") == "hi" and m.tree.first("mine.count") == 7
        assert m.claimed and m.unknown_count() == 0
        other = decode_frame(msg(0x11, 1, nla(1, b"x\0")), protocol=2, ctx=Context())[0]
        assert not other.claimed   # a type the table does not name is shown, not claimed
    finally:
        registry.PROTOCOLS[2] = before
    assert decode_frame(msg(0x10, 1, b"plain text\0\0"), protocol=2, ctx=Context())[0].info == "'plain text'"
