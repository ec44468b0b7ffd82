"""From capture frames to decoded messages, numbered and timed (shared by CLI and TUI)."""
from __future__ import annotations

from typing import Iterable, Iterator

import dissectors
from dissectors import Context, Message

from .sources import Frame


def messages(frames: Iterable[Frame], ctx: Context | None = None) -> Iterator[Message]:
    """Every netlink message of every frame, in order; generic-netlink ids learned as we go."""
    ctx = ctx if ctx is not None else Context()
    pos = 0
    for fr in frames:
        msgs = dissectors.decode_frame(fr.data, fr.protocol, ctx, frame=fr.number, time=fr.time, pos=pos)
        pos += len(msgs)
        yield from msgs


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
