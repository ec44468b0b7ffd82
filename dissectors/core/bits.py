"""Flag bits as fields: `rtnl.link.flags.up`, `ctnl.ct.status.assured`.

A flags value (a struct member or an attribute with a table of bit names) has one boolean
field per named bit and one `unknown_bits` field for the rest.  They are declared with
their parent, when its struct or attribute set is built (`declare_bits`), so that filters
and `nlscope fields` know them before anything has been decoded, as Wireshark's `hf_`
bitmask fields are.
"""
from __future__ import annotations

import os

from ..model import BOOL, FIELDS, UINT, Field, Node

_PREFIXES: dict[int, int] = {}


def bit_field_name(parent: str, names: dict[int, str], name: str) -> str:
    """`rtnl.link.flags.up` for IFF_UP: the names' shared prefix (IFF_) is dropped."""
    cut = _PREFIXES.get(id(names))
    if cut is None:
        common = os.path.commonprefix(list(names.values())) if len(names) > 1 else ""
        cut = _PREFIXES[id(names)] = common.rfind("_") + 1
    return f"{parent}.{name[cut:].lower()}"


def _free_name(parent: str, names: dict[int, str], name: str) -> str:
    """The bit's field name; `<parent>.bit.<name>` where a nest already owns the natural one
    (nl80211: NL80211_ATTR_BANDS is a bitmap of enum nl80211_band, and the nests of
    NL80211_ATTR_WIPHY_BANDS, keyed by the same enum, are `nl80211.bands.2ghz` …)."""
    natural = bit_field_name(parent, names, name)
    old = FIELDS.get(natural)
    if old is not None and old.kind != BOOL:
        return bit_field_name(f"{parent}.bit", names, name)
    return natural


# (parent field, id of its names) -> ((bit, field) per named bit, the named bits together,
# the names, the unknown-bits field)
_BIT_FIELDS: dict = {}


def declare_bits(parent: Field, names: dict[int, str]) -> tuple:
    """Declare the bit fields of a flags field (once per parent and table); return them."""
    key = (parent, id(names))
    got = _BIT_FIELDS.get(key)
    if got is None or got[2] is not names:
        fields = tuple((bit, FIELDS.add(_free_name(parent.abbrev, names, name), name, BOOL,
                                        f"{parent.name}: {name}")) for bit, name in names.items())
        rest = FIELDS.add(f"{parent.abbrev}.unknown_bits", "unknown bits", UINT, "bits with no known name")
        got = _BIT_FIELDS[key] = (fields, sum(names), names, rest)
    return got


def flag_nodes(parent: Field, names: dict[int, str], value: int, off: int, width: int) -> list[Node]:
    """A boolean child per set bit of a flags value (`<parent>.<name>`)."""
    fields, known, _, rest_field = declare_bits(parent, names)
    out = [Node(f, True, off, width) for bit, f in fields if value & bit]
    rest = value & ~known
    if rest:
        out.append(Node(rest_field, rest, off, width, f"{rest:#x}"))
    return out
