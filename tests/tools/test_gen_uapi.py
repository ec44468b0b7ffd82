"""The committed constant tables are exactly what the generator makes from linux-source-6.12's
UAPI headers, read as `make headers_install` exports them."""
from pathlib import Path

import pytest

from tests.tools import tool

ROOT = tool.ROOT


def _gen():
    return tool.load("gen_uapi")


def _tables(gen, include: Path) -> dict[str, str]:
    """The generated tables, or a failure (never a skip) saying how to get the source."""
    return tool.generated(gen, include)


def test_generated_tables_are_reproducible():
    gen = _gen()
    for name, src in _tables(gen, gen.INCLUDE).items():
        assert (ROOT / "dissectors" / "generated" / name).read_text() == src, name


def test_missing_source_fails_saying_how_to_get_it(tmp_path):
    with pytest.raises(pytest.fail.Exception, match=r"apt-get install linux-source-6\.12.*tools/run-tests"):
        _tables(_gen(), tmp_path / "include" / "uapi")
    assert _gen().main(["--include", str(tmp_path), "--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []


def test_headers_are_read_as_headers_install_exports_them(tmp_path, monkeypatch):
    """Raw include/uapi keeps `#ifdef __KERNEL__` sections (kernel-only enum members such as
    OVS_ACTION_ATTR_SET_TO_MASKED) that the installed headers do not have; a header's
    INLINE includes (6.12's mptcp.h takes its names from mptcp_pm.h) are read in place."""
    gen = _gen()
    (tmp_path / "linux").mkdir()
    (tmp_path / "linux" / "netlink.h").write_text("""
#ifndef _UAPI__LINUX_T_H
#define _UAPI__LINUX_T_H 1
#include <linux/mptcp_pm.h>
enum t_attr {
    T_A,
#ifdef __KERNEL__
    T_KERNEL_ONLY,   /* kernel-internal */
#else
    T_USER,
#endif
#ifndef __KERNEL__
#if 0
    T_UNDER_IF0,
#endif
    T_NOT_KERNEL,
#endif
};
#if defined(__KERNEL__)
#define T_K 7
#elif 1
#endif
#endif /* _UAPI__LINUX_T_H */
""")
    (tmp_path / "linux" / "mptcp_pm.h").write_text("#define T_FROM_PM 5\n")
    monkeypatch.setattr(gen, "HEADERS", {"netlink": "linux/netlink.h"})
    with pytest.raises(ValueError, match="#elif"):
        gen.generate(tmp_path)
    text = (tmp_path / "linux" / "netlink.h").read_text().replace("#elif 1\n", "")
    (tmp_path / "linux" / "netlink.h").write_text(text)
    ns: dict = {}
    exec(gen.generate(tmp_path)["netlink.py"], ns)
    assert ns["ENUMS"] == {"t_attr": ("T_A", "T_USER", "T_UNDER_IF0", "T_NOT_KERNEL")}
    assert ns["__LINUX_T_H"] == 1 and ns["T_FROM_PM"] == 5
    assert "T_K" not in ns and "T_KERNEL_ONLY" not in ns and "_UAPI__LINUX_T_H" not in ns


@pytest.mark.parametrize("text", ["#endif\n", "#ifdef __KERNEL__\n", "#if defined(__KERNEL__) && X\n#endif\n"])
def test_unbalanced_or_compound_kernel_conditionals_are_refused(text):
    with pytest.raises(ValueError):
        _gen().exported(text)


# What 6.1's headers name that 6.12's do not: qdiscs and classifiers retired from the UAPI
# (CBQ, ATM, DSMARK; RSVP, TCINDEX) and one count renamed by the YNL-generated mptcp_pm.h.
RETIRED = ("TCA_CBQ_", "TCF_CBQ_", "TC_CBQ_", "TCA_ATM_", "TCA_DSMARK_", "TCA_RSVP_", "TCA_TCINDEX_")
RENAMED_COUNTS = {"__MPTCP_PM_ATTR_MAX"}
# Names 6.12 moved to a header no family reads: CAN_RAW_FILTER_MAX, from <linux/can.h> to <linux/can/raw.h>.
MOVED = {"CAN_RAW_FILTER_MAX"}
# Names 6.12 gives another value: masks and versions that grew, and IPSTATS_MIB_OUTPKTS, which
# moved to the end (OutTransmits) when index 5 became IPSTATS_MIB_OUTREQUESTS (OutRequests).
REVALUED = {"RTAX_FEATURE_MASK", "NFT_TABLE_F_MASK", "TASKSTATS_VERSION", "IPSTATS_MIB_OUTPKTS", "__NFT_META_IIFTYPE"}


def _names(src: str) -> dict[str, int]:
    ns: dict = {}
    exec(src, ns)
    return {k: v for k, v in ns.items() if isinstance(v, int)}


def test_tables_hold_what_debian_12s_headers_name():
    """Captures from 6.1 kernels keep their names: every constant of the installed 6.1 headers is
    in the committed tables with the same value, but for the retired, renamed, moved and renumbered
    ones above."""
    gen = _gen()
    if not (Path("/usr/include") / gen.HEADERS["netlink"]).is_file():
        pytest.fail("Debian 12's UAPI headers are missing: apt-get install linux-libc-dev")
    for name, src in gen.generate(Path("/usr/include")).items():
        old, new = _names(src), _names((ROOT / "dissectors" / "generated" / name).read_text())
        gone = {k for k in old.keys() - new.keys() if not k.lstrip("_").startswith(RETIRED)}
        assert gone <= RENAMED_COUNTS | MOVED, (name, sorted(gone))
        bookkeeping = ("MAX", "CNT", "LAST", "NUM_")
        changed = {k for k in old.keys() & new.keys() if old[k] != new[k] and not any(b in k for b in bookkeeping)}
        assert changed <= REVALUED, (name, sorted(changed))


def test_struct_ending_in_an_attribute_is_left_out_without_swallowing_the_next():
    """6.12's tcp.h: a struct closed by `} __attribute__((aligned(8)));` hid tcp_zerocopy_receive."""
    structs = _gen().parse_structs("struct a {\n\t__u32 x;\n} __attribute__((aligned(8)));\n"
                                   "struct b {\n\t__u64 y;\n};\n")
    assert structs == {"b": [("y", "__u64")]}


def test_enum_parser_handles_defines_inside_enums_and_expressions():
    gen = _gen()
    consts, enums = gen.parse_header("""
        enum { A_BASE = 16,
        #define A_BASE A_BASE
          A_NEW = 16, A_DEL, /* comment */ A_X = (1 << 4) | 2, };
        #define B (A_DEL + 1)
    """, {})
    assert consts == {"A_BASE": 16, "A_NEW": 16, "A_DEL": 17, "A_X": 18, "B": 18}
    assert enums == {"A_BASE": ["A_BASE", "A_NEW", "A_DEL", "A_X"]}
