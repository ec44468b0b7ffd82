"""What the issue-17 family tests (test_vdpa.py, test_gtp.py, …) share: every command of a
family decoded with one of each attribute its set declares, named, nothing unknown."""
from __future__ import annotations

from dissectors.core import registry
from tests.dissectors.build import nla
from tests.dissectors.test_genl_tail import _value, decode


def every_command_named(family: str) -> int:
    """Each command with one of each top-level attribute of its set; returns how many decoded."""
    fam = registry.GENL_FAMILIES[family]
    assert fam.commands
    done = 0
    for cmd, mt in sorted(fam.commands.items()):
        attrs = mt.attrs or fam.attrs
        # (a binary attribute with a protocol inside, an 802.11 frame, is left to its own tests)
        built = [nla(num, data) for num, spec in sorted(attrs.by_num.items())
                 if spec.decode is None and (data := _value(spec)) is not None]
        m = decode(family, cmd, b"".join(built))
        assert m.type_name == mt.name and not mt.name.startswith("cmd ")
        named = [n for n in m.tree.children if n.field.abbrev.startswith(fam.abbrev + ".")]
        assert len(named) == len(built), mt.name
        m.info   # noqa: B018  (no traceback on any combination)
        done += 1
    return done
