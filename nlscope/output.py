"""How `nlscope read` prints messages: summary columns, the full tree, NDJSON."""
from __future__ import annotations

import json

from dissectors import Message, format_tree
from dissectors.core.dissect import TO_KERNEL, protocol_name

COLUMNS = ("No.", "Time", "Protocol", "Dir", "Port ID", "Seq", "Type", "Flags", "Info")
ARROWS = {TO_KERNEL: "U→K"}


class TimeFormat:
    """Time column: relative to the first message (r), absolute (a), or delta (d)."""

    def __init__(self, mode: str = "r"):
        self.mode = mode
        self.first = None
        self.prev = None

    def __call__(self, t: float) -> str:
        if self.first is None:
            self.first = self.prev = t
        if self.mode == "a":
            import datetime
            return datetime.datetime.fromtimestamp(t).strftime("%H:%M:%S.%f")
        if self.mode == "d":
            d, self.prev = t - self.prev, t
            return f"{d:.6f}"
        return f"{t - self.first:.6f}"


def header_line() -> str:
    return f"{'No.':>8} {'Time':>11} {'Protocol':<10} {'Dir':<3} {'Port ID':>10} {'Seq':>10} {'Type':<22} " \
           f"{'Flags':<18} Info"


def summary_line(m: Message, tf: TimeFormat) -> str:
    no = f"{m.frame}.{m.index}"
    flags = ",".join(m.flag_names) or "-"
    arrow = ARROWS.get(m.direction, "K→U")
    return (f"{no:>8} {tf(m.time):>11} {m.family:<10} {arrow:<3} {m.pid:>10} {m.seq:>10} {m.type_name:<22} "
            f"{flags:<18} {m.info}")


def verbose_block(m: Message, tf: TimeFormat) -> str:
    head = (f"Message {m.frame}.{m.index}: {m.length} bytes, time {tf(m.time)}, {protocol_name(m.protocol)} "
            f"({m.family}), {m.direction}")
    return head + "\n" + format_tree(m.tree, 1) + "\n"


def json_line(m: Message) -> str:
    return json.dumps(m.to_json(), separators=(",", ":"), ensure_ascii=False)
