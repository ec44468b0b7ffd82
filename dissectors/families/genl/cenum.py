"""C enums typed from a header the generated tables do not hold, in the generated modules' shape.

tools/gen_uapi.py makes dissectors/generated/* from the UAPI headers it lists; a family whose
header is not among them (or is no UAPI: mac80211_hwsim.h, mac802154_hwsim.h, the legacy
<linux/nl802154.h>) types its enums here, members in the header's order, and
tests/dissectors/test_genl_tail2.py checks every UAPI one against the header itself, so a
number that drifts fails there.  A `Header` answers `getattr(H, "NAME")` and `H.ENUMS[tag]`
as a generated module does: enum_set() and names_from() take it unchanged.
"""
from __future__ import annotations


class Header:
    """The enums of one C header: `H.enum(tag, "A B C=5 D")` numbers A 0, B 1, C 5, D 6."""

    def __init__(self, header: str):
        self.HEADER = header    # where the names come from (a path under include/ or the tree)
        self.ENUMS: dict[str, tuple[str, ...]] = {}

    def enum(self, tag: str, members: str, prefix: str = "", start: int = 0) -> "Header":
        """Declare an enum: `members` its names in order (less `prefix`; `/NAME` a member named
        whole, without it), `NAME=N` or `NAME=OTHER` giving a value (an earlier member's, for an
        alias), as C numbers them."""
        names = []
        value = start
        for word in members.split():
            name, _, given = word.partition("=")
            if name.startswith("/"):
                name = name[1:]
            else:
                name = prefix + name if not name.startswith("__") else "__" + prefix + name[2:]
            if given:
                value = int(given, 0) if given[0].isdigit() or given[0] == "-" else getattr(self, prefix + given)
            setattr(self, name, value)
            names.append(name)
            value += 1
        self.ENUMS[tag] = tuple(names)
        return self

    def define(self, **names: int) -> "Header":
        """`#define NAME value` constants."""
        for name, value in names.items():
            setattr(self, name, value)
        return self

    def names(self) -> dict[str, int]:
        """Every constant declared: NAME -> value."""
        return {k: v for k, v in vars(self).items() if k.isupper() and isinstance(v, int)}
