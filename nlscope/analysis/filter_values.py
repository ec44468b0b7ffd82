"""What a display filter may compare a field with: the field's kind, the symbolic names it
knows, and the nearest names when a filter misspells one ("did you mean …?").

As in Wireshark, a filter that names a value its field cannot have is refused when it is
compiled, not run to zero matches: `netlink.type == RTM_BOGUS` ("cannot be found among the
possible values"), `rtnl.link.mtu == "abc"` (a number cannot be a string).  The names a
field is known to have are exact for the header's type (every message type a dissector
declares, and netlink's own control types) and for `netlink.error` (errno names); for other
fields a name is compared with the names in the field's display, as before.
"""
from __future__ import annotations

import difflib
import re
import sys

from dissectors import FIELDS, GENL_FAMILIES, PROTOCOLS
from dissectors.core.errors import ERRNO_VALUES
from dissectors.core.header import CONTROL_NAMES
from dissectors.core.registry import MessageType

NUMBER_KINDS = frozenset({"uint", "int", "float"})

# the symbolic names in a display: RTM_NEWLINK, EEXIST, IF_OPER_UP, ACK
NAME_RE = re.compile(r"\b[A-Z][A-Z0-9_]{1,}\b")


def nearest(word: str, names, n: int = 3) -> list[str]:
    """The names closest to `word` (difflib's ratio, case-insensitive), best first."""
    names = list(names)
    by_upper: dict[str, str] = {}
    for name in names:
        by_upper.setdefault(name.upper(), name)
    close = difflib.get_close_matches(word.upper(), list(by_upper), n=n, cutoff=0.6)
    return [by_upper[c] for c in close]


def did_you_mean(word: str, names) -> str:
    """"; did you mean X?" / "; did you mean X or Y?", or "" when nothing is close."""
    close = nearest(word, names)
    if not close:
        return ""
    return "; did you mean " + (close[0] if len(close) == 1 else ", ".join(close[:-1]) + " or " + close[-1]) + "?"


# (the dissector tables it was read from, the names): a spec loaded later registers more
_TYPE_NAMES: tuple = ((), frozenset())


def _message_types(obj, seen: set, out: set, depth: int = 0) -> None:
    """Every MessageType reachable from `obj` through dicts, lists, tuples and objects."""
    if depth > 6 or id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, MessageType):
        out.add(obj.name)
        return
    if isinstance(obj, dict):
        for v in obj.values():
            _message_types(v, seen, out, depth + 1)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for v in obj:
            _message_types(v, seen, out, depth + 1)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type) and type(obj).__module__.startswith("dissectors"):
        for v in vars(obj).values():
            _message_types(v, seen, out, depth + 1)
        for cls in type(obj).__mro__:   # tables kept on the class (a Protocol's types)
            if cls.__module__.startswith("dissectors"):
                _message_types(dict(vars(cls)), seen, out, depth + 1)


def message_type_names() -> frozenset:
    """Every name `netlink.type` can show: the message types (and generic-netlink commands) of
    every dissector, netlink's control types, and the words of those names."""
    global _TYPE_NAMES
    tables = tuple(map(id, PROTOCOLS.values())) + tuple(map(id, GENL_FAMILIES.values()))
    if _TYPE_NAMES[0] != tables:
        found: set[str] = set(CONTROL_NAMES.values())
        seen: set[int] = set()
        for proto in PROTOCOLS.values():
            _message_types(proto, seen, found)
        for fam in GENL_FAMILIES.values():
            _message_types(fam, seen, found)
        for name, module in list(sys.modules.items()):   # the tables the dissectors keep as globals
            if name.startswith("dissectors.") and module is not None:
                _message_types(dict(vars(module)), seen, found)
        words = {w for n in found for w in NAME_RE.findall(n)}
        _TYPE_NAMES = (tables, frozenset(found | words))
    return _TYPE_NAMES[1]


def known_names(field: str) -> frozenset | None:
    """The symbolic names a numeric field can have, when they are known exactly (None: the
    names of its display, whatever they are)."""
    if field == "netlink.type":
        return message_type_names()
    if field == "netlink.error":
        return frozenset(ERRNO_VALUES)
    return None


def field_names() -> list[str]:
    return [f.abbrev for f in FIELDS]
