"""From frames to analysed messages: decode, process, transaction — shared by CLI, TUI, API."""
from __future__ import annotations

from typing import Iterable, Iterator

import dissectors
from dissectors import Context, Message
from dissectors.core.dissect import FROM_KERNEL, TO_KERNEL

from .analysis.transactions import TransactionTable
from .sources import Frame
from .sources.capture import INBOUND, OUTBOUND, Delivery
from .sources.procs import Process

# a frame's recorded direction (capture.INBOUND, OUTBOUND) as Message.direction says it
_DIRECTION = {INBOUND: TO_KERNEL, OUTBOUND: FROM_KERNEL}


def recorded_direction(direction: int | None) -> str | None:
    """What a message's `recorded_direction` is for a frame's recorded direction (Frame.direction)."""
    return _DIRECTION.get(direction)


def process_of(comment: str | None, delivery: Delivery | None = None) -> Process | None:
    """The sending process a frame's comment (or its Delivery, already read) names: the BPF
    source's Delivery whole (a comm may hold spaces), else the `nlscope.process` comment."""
    if delivery is None and comment:
        delivery = Delivery.from_comment(comment)
    if delivery is not None:
        return Process(delivery.tgid, delivery.comm)
    return Process.from_comment(comment)


class Pipeline:
    """Frames in, analysed messages out: decoded (headers now, trees on demand), given the
    sending process (recorded by the BPF source, from the frame's saved comment or, live, from
    `procs`) and the frame's recorded direction, paired into `table`'s transactions."""

    def __init__(self, ctx: Context | None = None, table: TransactionTable | None = None, procs=None):
        self.ctx = ctx if ctx is not None else Context()
        self.table = table
        self.procs = procs
        self.pos = 0

    def feed(self, fr: Frame) -> list[Message]:
        if fr.fault is not None:
            # a frame the reader could not read as netlink (no interface, no link header):
            # nothing to decode; whoever shows frames shows its fault in its place
            return []
        msgs = dissectors.decode_frame(fr.data, fr.protocol, self.ctx, frame=fr.number, time=fr.time, pos=self.pos,
                                       cut=fr.caplen < fr.wirelen)
        self.pos += len(msgs)
        proc = process_of(fr.comment, fr.delivery)
        if proc is None and self.procs is not None and msgs and not msgs[0].malformed:
            if msgs[0].pid:
                proc = self.procs.lookup(fr.protocol, msgs[0].pid)
            elif msgs[0].direction == "to kernel":
                self.procs.prefetch(fr.protocol)
        direction = recorded_direction(fr.direction)
        for m in msgs:
            m.process = proc
            m.recorded_direction = direction
            # what Wireshark's frame.len / frame.cap_len / frame.comment read (filter_aliases)
            m.frame_len, m.frame_cap_len, m.comment, m.interface_id = fr.wirelen, fr.caplen, fr.comment, fr.interface
            m.frame_header = fr.header
            if self.table is not None:
                self.table.add(m)
        return msgs


def messages(frames: Iterable[Frame], ctx: Context | None = None, table: TransactionTable | None = None,
             procs=None) -> Iterator[Message]:
    """Every netlink message of every frame, in order (see Pipeline)."""
    pipe = Pipeline(ctx, table, procs)
    for fr in frames:
        yield from pipe.feed(fr)


def parse_genl_ids(items: list[str]) -> dict[int, str]:
    """['nl80211=0x24', 'ethtool=21'] -> {0x24: 'nl80211', 21: 'ethtool'}; ValueError says what is wrong."""
    out = {}
    for item in items or ():
        name, sep, num = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--genl {item!r}: write FAMILY=ID, e.g. --genl nl80211=0x1c")
        try:
            out[int(num, 0)] = name
        except ValueError:
            raise ValueError(f"--genl {item!r}: the id must be a number (decimal or 0x hex)") from None
    return out
