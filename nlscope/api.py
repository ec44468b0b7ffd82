"""The Python API: open a capture, iterate its messages, pair them, filter them.

    import nlscope
    cap = nlscope.open("captures/rtnl-extack.pcapng")
    for m in cap.filter("netlink.error != 0 && netlink.type == NLMSG_ERROR"):
        t = m.tx[0]                                   # its transaction
        print(m.info, "<-", t.request.type_name, t.latency)
        print(t.offending_node())                     # the attribute the extack blames

A capture is read from a path, a binary file object (sys.stdin.buffer, a socket's file,
gzip or not) or an iterable of bytes chunks.  `stream()` yields the messages as they are
read, each frame as it arrives, and holds only what is still open (memory flat):

    from nlscope.api import stream
    for m in stream(sys.stdin.buffer):   # tcpdump -U -i nlmon0 -w - | python3 this.py
        print(m.type_name, m.info)
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

    def __init__(self, path, genl: dict[int, str] | None = None, show_secrets: bool = False):
        self.path = path   # or the file object, or the iterable of bytes it was read from
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


def stream(source, genl: dict[int, str] | None = None, show_secrets: bool = False):
    """The messages of a capture as they are read from `source` (a path, '-', a binary file
    object, an iterable of bytes chunks), each paired with what came before it (`m.tx`; the
    table keeps only open transactions).  Frames that are not netlink (Frame.fault) are
    skipped; a capture that cannot be read raises CaptureError where it fails."""
    return messages((fr for fr in read_capture(source) if fr.fault is None),
                    Context(genl, show_secrets=show_secrets), TransactionTable(keep=False))


def open_capture(path, genl: dict[int, str] | None = None, show_secrets: bool = False) -> Capture:
    return Capture(path, genl, show_secrets)
