"""Hex and ASCII of the selected message, the bytes of the selected field highlighted."""
from __future__ import annotations

from rich.text import Text
from textual.message import Message as TMessage
from textual.widgets import Static


class HexView(Static):
    class ByteClicked(TMessage):
        def __init__(self, offset: int):
            super().__init__()
            self.offset = offset

    def __init__(self, **kw):
        super().__init__("", **kw)
        self.msg = None
        self.span = (0, 0)

    def show(self, msg, start: int | None = None, length: int = 0) -> None:
        self.msg = msg
        self.span = (start if start is not None else -1, length)
        self.update(self.render_hex())

    def render_hex(self) -> Text:
        m = self.msg
        if m is None:
            return Text("")
        data = bytes(m.buf[m.offset:m.offset + max(m.length, 0)])
        lo, n = self.span
        hi = lo + n
        out = Text()
        for row in range(0, len(data), 16):
            chunk = data[row:row + 16]
            out.append(f"{m.offset + row:06x}  ", style="dim")
            for i, b in enumerate(chunk):
                absolute = m.offset + row + i
                out.append(f"{b:02x}", style="reverse" if lo <= absolute < hi else "")
                out.append(" " if i != 7 else "  ")
            out.append("   " * (16 - len(chunk)) + (" " if len(chunk) <= 8 else ""))
            out.append(" ")
            for i, b in enumerate(chunk):
                absolute = m.offset + row + i
                out.append(chr(b) if 32 <= b < 127 else ".", style="reverse" if lo <= absolute < hi else "")
            out.append("\n")
        return out

    def on_click(self, event) -> None:
        if self.msg is None:
            return
        where = event.get_content_offset(self)   # inside the border (the top line is one)
        if where is None:
            return
        i = byte_at(where.x)
        line = where.y + round(self.scroll_offset.y)
        if i is None or line < 0:
            return
        rel = line * 16 + i
        if rel < max(self.msg.length, 0):   # not the blank past the last byte
            self.post_message(self.ByteClicked(self.msg.offset + rel))


def byte_at(col: int) -> int | None:
    """Which byte of a hex line (0-15) column `col` shows, in the hex or the ASCII part.
    A line is "oooooo  " then "xx " per byte (a second space after the 8th), " ", the ASCII."""
    hexcol = col - 8
    if 0 <= hexcol < 24:
        return hexcol // 3 if hexcol % 3 != 2 else None
    if 25 <= hexcol < 49:
        return 8 + (hexcol - 25) // 3 if (hexcol - 25) % 3 != 2 else None
    if 58 <= col < 74:
        return col - 58
    return None
