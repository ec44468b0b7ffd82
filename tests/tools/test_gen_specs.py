"""The spec data committed for the families nlscope decodes from the kernel's spec alone is
exactly what tools/gen_specs.py makes from linux-source-6.12, and each becomes the family
`--spec` with the same file would make."""
from pathlib import Path

import pytest

import dissectors
from dissectors.core import registry
from dissectors.ynl import parse_spec
from tests.dissectors.test_ynl import restore_tables  # noqa: F401  (a fixture)
from tests.tools import tool

ROOT = tool.ROOT


def _gen():
    return tool.load("gen_specs")


def test_generated_spec_data_is_reproducible():
    gen = _gen()
    modules = tool.generated(gen, gen.SOURCE)
    assert sorted(modules) == [f"spec_{n}.py" for n in gen.SPECS]
    for name, src in modules.items():
        assert (ROOT / "dissectors" / "generated" / name).read_text() == src, name


def test_missing_source_fails_saying_how_to_get_it(tmp_path):
    with pytest.raises(pytest.fail.Exception, match=r"apt-get install linux-source-6\.12.*tools/run-tests"):
        tool.generated(_gen(), tmp_path)
    assert _gen().main(["--source", str(tmp_path), "--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", _gen().SPECS)
def test_each_built_in_family_is_what_its_spec_file_makes(name, restore_tables):
    """Same commands, attribute sets and multicast groups as parsing the .yaml (restore_tables:
    parse_spec releases and declares the family's fields again)."""
    dissectors.load_families()
    built_in = registry.GENL_FAMILIES[name]
    from_file = parse_spec((_gen().SOURCE / f"{name}.yaml").read_text(), f"{name}.yaml")
    assert built_in.origin == f"the kernel's {name}.yaml (Linux 6.12)"
    def shape(fam):
        return {c: (t.name, t.kind, t.attrs and [(n, a.name, a.type) for n, a in t.attrs.by_num.items()])
                for c, t in fam.commands.items()}
    assert shape(built_in) == shape(from_file) and len(built_in.commands) >= 3
    assert built_in.mcast_groups == from_file.mcast_groups
