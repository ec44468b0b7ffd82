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
from .sources import Frame, read_capture


class Capture:
    """Every message of a capture file, decoded lazily, paired into transactions.

    Frames the reader could not read as netlink (a packet block naming an interface its
    section lacks: Frame.fault says what) are kept in `faults`, not decoded.  Key material
    is redacted in the trees unless `show_secrets`."""

    def __init__(self, path: str, genl: dict[int, str] | None = None, show_secrets: bool = False):
        self.path = path
        self.context = Context(genl, show_secrets=show_secrets)
        self.transactions = TransactionTable()
        self.faults: list[Frame] = []
        self.messages: list[Message] = list(messages(self._netlink(read_capture(path)), self.context,
                                                     self.transactions))
        self.transactions.finish()

    def _netlink(self, frames):
        for fr in frames:
            if fr.fault is None:
                yield fr
            else:
                self.faults.append(fr)

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


def open_capture(path: str, genl: dict[int, str] | None = None, show_secrets: bool = False) -> Capture:
    return Capture(path, genl, show_secrets)
