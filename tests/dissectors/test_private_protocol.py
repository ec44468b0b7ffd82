"""A user's private protocol (the article's NETLINK_MYTEST, unit 17) from a netlink-raw spec."""
import struct

from dissectors import Context, decode_frame
from dissectors.ynl import SpecError, parse_spec
from dissectors.core import registry
from tests.dissectors.test_ynl import restore_tables  # noqa: F401 (the fixture)

import pytest

SPEC = """
name: netlink-exam
protocol: netlink-raw
protonum: 17
doc: The article's private protocol carrying text (kmod/netlink_exam.c's NETLINK_MYTEST).
definitions:
  - { name: exam-text, type: struct, members: [ { name: text, type: string, len: 32 } ] }
attribute-sets:
  -
    name: exam-attrs
    attributes:
      - { name: unspec, type: unused, value: 0 }
      - { name: text, type: string }
operations:
  name-prefix: exam-
  list:
    - { name: send, value: 16, fixed-header: exam-text, attribute-set: exam-attrs, do: { request: { attributes: [ text ] } } }
    - { name: echo, value: 17, attribute-set: exam-attrs, do: { request: { attributes: [ text ] } } }
"""


def test_protocol_17_frames_decode_from_a_spec(restore_tables):  # noqa: F811
    before = decode_frame(struct.pack("<IHHII", 16 + 32, 16, 1, 1, 100) + b"x" * 32, protocol=17)[0]
    assert before.family == "NETLINK_17" and not before.claimed
    registry.register_protocol(parse_spec(SPEC, "exam.yaml"), replace=True)
    text = b"hello from the article".ljust(32, b"\0")
    (m,) = decode_frame(struct.pack("<IHHII", 16 + 32, 16, 1, 1, 100) + text, protocol=17, ctx=Context())
    assert (m.family, m.type_name, m.direction) == ("netlink-exam", "EXAM_SEND", "to kernel")
    assert m.claimed and m.unknown_count() == 0
    assert m.tree.children[1].children[0].show == "hello from the article"
    attr = b"hello\0"
    body = struct.pack("<HH", 4 + len(attr), 1) + attr + b"\0\0"
    (m,) = decode_frame(struct.pack("<IHHII", 16 + len(body), 17, 0, 1, 0) + body, protocol=17, ctx=Context())
    assert m.type_name == "EXAM_ECHO" and m.info == "text=hello" and m.direction == "from kernel"


def test_a_len_less_member_is_a_fixed_headers_last_taking_the_rest_and_nothing_else():
    """A YNL struct member has a len; nlscope reads a netlink-raw fixed-header ending in a
    string or binary without one as taking the rest of the message (kmod/netlink_exam.yaml),
    and refuses it anywhere else: not last, in an attribute's struct, before an attribute-set."""
    bare = SPEC.replace("type: string, len: 32", "type: string")
    with pytest.raises(SpecError, match="no attribute-set can follow"):
        parse_spec(bare, "exam.yaml")   # `send` has exam-attrs after its header
    with pytest.raises(SpecError, match="needs a len"):
        parse_spec(bare.replace("members: [ { name: text, type: string } ]",
                                "members: [ { name: text, type: string }, { name: n, type: u32 } ]"), "exam.yaml")
    in_attr = bare.replace("fixed-header: exam-text, ", "").replace(
        "      - { name: text, type: string }\n", "      - { name: text, type: string }\n"
        "      - { name: blob, type: binary, struct: exam-text }\n")
    assert "struct: exam-text" in in_attr
    with pytest.raises(SpecError, match="needs a len"):
        parse_spec(in_attr, "exam.yaml")


def test_the_articles_spec_decodes_bare_text_of_any_length(restore_tables):  # noqa: F811
    from pathlib import Path
    from dissectors.ynl import load_spec
    load_spec(Path(__file__).resolve().parents[2] / "kmod" / "netlink_exam.yaml")
    for text in (b"hi", b"Hello from user space to the netlink_exam module.\n" * 40):
        (m,) = decode_frame(struct.pack("<IHHII", 16 + len(text), 16, 1, 1, 0) + text, protocol=17, ctx=Context())
        assert m.type_name == "EXAM_MSG_TEXT" and m.claimed and m.unknown_count() == 0
        (node,) = m.tree.children[1:]
        assert node.value == text.decode() and (node.offset, node.length) == (16, len(text))
    (m,) = decode_frame(struct.pack("<IHHII", 16, 18, 0, 1, 0), protocol=17, ctx=Context())
    assert m.type_name == "EXAM_MSG_ANNOUNCE" and m.claimed and len(m.tree.children) == 1
