"""nlscope_test: the project's own test family (kmod/nlscope_test.c), one attribute of every type.

Numbers follow kmod/nlscope_test_uapi.h; kmod/nlscope_test.yaml describes the same family
in the kernel's YNL spec format.
"""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family

CMDS = ["ECHO", "DUMP", "NOTIFY", "FAIL", "REQUIRE", "EVENT"]
ATTRS = ["U8", "U16", "U32", "U64", "S8", "S16", "S32", "S64", "STRING", "NUL_STRING", "BINARY", "FLAG", "BE16",
         "BE32", "NEST", "ARRAY", "BITFIELD32", "IPV4", "IPV6", "MAC", "COUNT", "INDEX", "PAYLOAD", "PAYLOAD_LEN",
         "PAD"]


def _numbers(prefix, names):
    return {f"{prefix}{n}": i for i, n in enumerate(names, 1)}


INNER = AttrSet("inner", "nlscope_test.nest.inner", {
    "NLSCOPE_TEST_INNER_NAME": a("string"),
    "NLSCOPE_TEST_INNER_ID": a("u16"),
}, _numbers("NLSCOPE_TEST_INNER_", ["NAME", "ID"]), strip="NLSCOPE_TEST_INNER_", label="inner nest")

NEST = AttrSet("nest", "nlscope_test.nest", {
    "NLSCOPE_TEST_NEST_VALUE": a("u32"),
    "NLSCOPE_TEST_NEST_INNER": a("nest", nested=INNER),
}, _numbers("NLSCOPE_TEST_NEST_", ["VALUE", "INNER"]), strip="NLSCOPE_TEST_NEST_", label="nest")

TEST_ATTRS = AttrSet("nlscope_test", "nlscope_test", {
    "NLSCOPE_TEST_ATTR_U8": a("u8"), "NLSCOPE_TEST_ATTR_U16": a("u16"), "NLSCOPE_TEST_ATTR_U32": a("u32"),
    "NLSCOPE_TEST_ATTR_U64": a("u64"), "NLSCOPE_TEST_ATTR_S8": a("s8"), "NLSCOPE_TEST_ATTR_S16": a("s16"),
    "NLSCOPE_TEST_ATTR_S32": a("s32"), "NLSCOPE_TEST_ATTR_S64": a("s64"),
    "NLSCOPE_TEST_ATTR_STRING": a("string"), "NLSCOPE_TEST_ATTR_NUL_STRING": a("string"),
    "NLSCOPE_TEST_ATTR_BINARY": a("binary"), "NLSCOPE_TEST_ATTR_FLAG": a("flag"),
    "NLSCOPE_TEST_ATTR_BE16": a("u16", big_endian=True), "NLSCOPE_TEST_ATTR_BE32": a("u32", big_endian=True),
    "NLSCOPE_TEST_ATTR_NEST": a("nest", nested=NEST),
    "NLSCOPE_TEST_ATTR_ARRAY": a("indexed-array", sub="u32"),
    "NLSCOPE_TEST_ATTR_BITFIELD32": a("bitfield32"),
    "NLSCOPE_TEST_ATTR_IPV4": a("binary", hint="ipv4"), "NLSCOPE_TEST_ATTR_IPV6": a("binary", hint="ipv6"),
    "NLSCOPE_TEST_ATTR_MAC": a("binary", hint="mac"),
    "NLSCOPE_TEST_ATTR_COUNT": a("u32"), "NLSCOPE_TEST_ATTR_INDEX": a("u32"),
    "NLSCOPE_TEST_ATTR_PAYLOAD": a("binary"), "NLSCOPE_TEST_ATTR_PAYLOAD_LEN": a("u32"),
    "NLSCOPE_TEST_ATTR_PAD": a("pad"),
}, _numbers("NLSCOPE_TEST_ATTR_", ATTRS), strip="NLSCOPE_TEST_ATTR_", label="nlscope_test")


@info(("nlscope_test.index", "nlscope_test.count", "nlscope_test.u32"))
def test_info(root) -> str:
    parts = []
    for c in root.children or ():
        ab = c.field.abbrev
        if ab in ("nlscope_test.index", "nlscope_test.count"):
            parts.append(f"{ab.rsplit('.', 1)[1]} {c.value}")
        elif ab == "nlscope_test.u32" and not parts:
            parts.append(f"u32 {c.value}")
    return " ".join(parts)


register_genl_family(GenlFamily(
    "nlscope_test", "nlscope_test",
    {i: MessageType(0, f"NLSCOPE_TEST_CMD_{n}", kind_from_name("_GET" if n == "DUMP" else n), None, TEST_ATTRS,
                    info=test_info)
     for i, n in enumerate(CMDS, 1)},
    TEST_ATTRS))
