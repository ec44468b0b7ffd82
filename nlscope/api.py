"""The Python API: open a capture, iterate its messages, pair them, filter them.

    import nlscope
    cap = nlscope.open("captures/rtnl-extack.pcapng")
    for m in cap.filter("netlink.error != 0 && netlink.type == NLMSG_ERROR"):
        t = m.tx[0]                                   # its transaction
        print(m.info, "<-", t.request.type_name, t.latency)
        print(t.offending_node())                     # the attribute the extack blames
"""
from __future__ import annotations

from dissectors import Context, Message

from .analysis.filter import compile_filter
from .analysis.transactions import TransactionTable
from .messages import messages
from .sources import read_capture


class Capture:
    """Every message of a capture file, decoded lazily, paired into transactions."""

    def __init__(self, path: str, genl: dict[int, str] | None = None):
        self.path = path
        self.context = Context(genl)
        self.transactions = TransactionTable()
        self.messages: list[Message] = list(messages(read_capture(path), self.context, self.transactions))
        self.transactions.finish()

    def __iter__(self):
        return iter(self.messages)

    def __len__(self):
        return len(self.messages)

    def __getitem__(self, i):
        return self.messages[i]

    def filter(self, expression: str) -> list[Message]:
        """Messages matching a display filter (FilterError on a bad expression)."""
        f = compile_filter(expression)
        return [m for m in self.messages if f(m)]


def open_capture(path: str, genl: dict[int, str] | None = None) -> Capture:
    return Capture(path, genl)
