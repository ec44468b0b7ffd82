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


def test_a_body_of_bare_text_cannot_be_said_in_a_spec():
    """The article's messages are text right after the header, of any length: a YNL struct
    member needs a len, and a spec has no 'rest of the message' member (what ynl.py would
    need: a string/binary member without len as the last one, taking what is left)."""
    with pytest.raises(SpecError, match="needs a len"):
        parse_spec(SPEC.replace("type: string, len: 32", "type: string"), "exam.yaml")
