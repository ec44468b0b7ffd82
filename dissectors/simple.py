"""A protocol in a few lines, for scripts: message types by number, a fixed header, attributes.

    import dissectors
    from dissectors import AttrSet, TableProtocol, a

    ATTRS = AttrSet("mine", "mine", {"MINE_NAME": a("string"), "MINE_COUNT": a("u32")},
                    {"MINE_NAME": 1, "MINE_COUNT": 2}, strip="MINE_")
    dissectors.register_protocol(TableProtocol(2, "NETLINK_USERSOCK", {0x10: "MINE_HELLO", 0x11: "MINE_BYE"},
                                               attrs=ATTRS, label="mine"), replace=True)

Generic-netlink families need even less: `register_genl_family(GenlFamily(name, abbrev,
{cmd: MessageType(0, "NAME", attrs=ATTRS)}, ATTRS))`, or a YNL spec and `--spec`.
"""
from __future__ import annotations

from .core.attrs import FULL
from .core.dissect import dissect_body
from .core.header import NLMSG_HDRLEN
from .core.registry import MessageType, Protocol, kind_from_name


class TableProtocol(Protocol):
    """A netlink protocol whose message types are a table: number -> name (or MessageType)."""

    def __init__(self, number: int, name: str, types: dict, header=None, attrs=None, label: str | None = None,
                 info=None):
        self.number = number
        self.name = name
        self.label = label or name.lower().replace("netlink_", "")
        self.abbrev = self.label
        self.types = {n: t if isinstance(t, MessageType) else MessageType(n, t, kind_from_name(t), header, attrs,
                                                                          info=info)
                      for n, t in types.items()}
        self.header = header
        self.attrs = attrs

    def message_type(self, buf, off, length, mtype, order, ctx):
        """The table's MessageType for `mtype`, or None."""
        return self.types.get(mtype)

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        """The body as the message type declares it: its fixed header, then its attributes."""
        return dissect_body(buf, off + NLMSG_HDRLEN, off + length, mt, order, root, family_attrs=self.attrs, req=req)
