"""The committed constant tables are exactly what the generator makes from the installed headers."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_generated_tables_are_reproducible():
    import importlib.util
    spec = importlib.util.spec_from_file_location("gen_uapi", ROOT / "tools" / "gen_uapi.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    if not Path("/usr/include/linux/netlink.h").exists():
        pytest.fail("kernel UAPI headers missing: apt-get install linux-libc-dev")
    out = gen.generate(Path("/usr/include"))
    for name, src in out.items():
        assert (ROOT / "dissectors" / "generated" / name).read_text() == src, name


def test_enum_parser_handles_defines_inside_enums_and_expressions():
    import importlib.util
    spec = importlib.util.spec_from_file_location("gen_uapi", ROOT / "tools" / "gen_uapi.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    consts, enums = gen.parse_header("""
        enum { A_BASE = 16,
        #define A_BASE A_BASE
          A_NEW = 16, A_DEL, /* comment */ A_X = (1 << 4) | 2, };
        #define B (A_DEL + 1)
    """, {})
    assert consts == {"A_BASE": 16, "A_NEW": 16, "A_DEL": 17, "A_X": 18, "B": 18}
    assert enums == {"A_BASE": ["A_BASE", "A_NEW", "A_DEL", "A_X"]}
