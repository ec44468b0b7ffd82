"""Charts drawn with block characters, for the statistics screen (no UI imports: plain text)."""
from __future__ import annotations

EIGHTHS = " ▏▎▍▌▋▊▉█"
LEVELS = " ▁▂▃▄▅▆▇█"


def hbar(n: int, top: int, width: int) -> str:
    """A horizontal bar `n/top` of `width` cells, to an eighth of a cell; a non-zero count
    is never drawn empty."""
    if top <= 0 or n <= 0 or width <= 0:
        return ""
    eighths = max(1, round(n * width * 8 / top))
    full, part = divmod(min(eighths, width * 8), 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def column_chart(counts: list[int], height: int = 6) -> list[str]:
    """Vertical bars, one column a count, `height` rows (top row first), to an eighth of a
    row; a non-zero count shows at least its lowest eighth."""
    top = max(counts, default=0)
    if top <= 0 or height <= 0:
        return [" " * len(counts)] * max(height, 0)
    levels = [0 if c <= 0 else max(1, round(c * height * 8 / top)) for c in counts]
    rows = []
    for r in range(height - 1, -1, -1):
        base = r * 8
        rows.append("".join(LEVELS[max(0, min(8, lv - base))] for lv in levels))
    return rows


def duration_text(s: float) -> str:
    """A bucket bound: 10 µs, 1 ms, 1 s, 100 s."""
    if s < 1e-3:
        return f"{s * 1e6:g} µs"
    if s < 1:
        return f"{s * 1e3:g} ms"
    return f"{s:g} s"
