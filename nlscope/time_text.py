"""Times as tshark's -t writes them and Wireshark's Time column shows them: the formats (r a ad
adoy u ud udoy e d dd), a time of day or date in local time or UTC, a relative or epoch time.
Shared by the batch reader's summaries and the TUI's Time column (nlscope/tui/time_display.py)."""
from __future__ import annotations

import math
import time

# code (tshark -t's): (column title, width, what the palette says)
FORMATS = {
    "r": ("Time (rel)", 11, "seconds since the first message or the last time reference"),
    "a": ("Time (local)", 15, "time of day, local"),
    "ad": ("Date, time (local)", 26, "date and time of day, local (YYYY-MM-DD)"),
    "adoy": ("DOY, time (local)", 24, "date as year/day of year and time of day, local"),
    "u": ("Time (UTC)", 15, "time of day, UTC"),
    "ud": ("Date, time (UTC)", 26, "date and time of day, UTC (YYYY-MM-DD)"),
    "udoy": ("DOY, time (UTC)", 24, "date as year/day of year and time of day, UTC"),
    "e": ("Time (epoch)", 17, "seconds since 1970-01-01 00:00:00 UTC"),
    "d": ("Δ time", 11, "since the message captured before"),
    "dd": ("Δ shown", 11, "since the message shown before"),
}
def _split(t: float) -> tuple[int, int]:
    """Whole seconds and microseconds of t (rounded to the microsecond, as pcap's are)."""
    us = round(t * 1_000_000)
    return divmod(us, 1_000_000)


def absolute_text(t: float, code: str) -> str:
    """t as tshark -t a|ad|adoy|u|ud|udoy writes it; "Not representable" where the C
    library's localtime()/gmtime() have no answer, as Wireshark says (set_abs_time)."""
    if not math.isfinite(t):
        return "Not representable"
    sec, usec = _split(t)
    try:
        tm = (time.gmtime if code.startswith("u") else time.localtime)(sec)
    except (OverflowError, OSError, ValueError):
        return "Not representable"
    clock = "%02d:%02d:%02d.%06d" % (tm.tm_hour, tm.tm_min, tm.tm_sec, usec)
    if code.endswith("doy"):
        return "%04d/%03d %s" % (tm.tm_year, tm.tm_yday, clock)
    if code.endswith("d"):
        return "%04d-%02d-%02d %s" % (tm.tm_year, tm.tm_mon, tm.tm_mday, clock)
    return clock


def seconds_text(d: float) -> str:
    """A relative or delta time, or an epoch time, as tshark prints it (microseconds)."""
    if not math.isfinite(d):
        return "Not representable"
    sec, usec = _split(abs(d))
    return ("-" if d < 0 and (sec or usec) else "") + f"{sec}.{usec:06d}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def field_time_text(t: float) -> str:
    """frame.time as tshark -T fields prints it (abs_time_to_str, local time): `Nov  1, 2026
    04:39:15.978362000 UTC` — the day padded to two, nanoseconds of the microseconds a float
    holds; "Not representable" where localtime() has no answer."""
    if not math.isfinite(t):
        return "Not representable"
    sec, usec = _split(t)
    try:
        tm = time.localtime(sec)
    except (OverflowError, OSError, ValueError):
        return "Not representable"
    return "%s %2d, %d %02d:%02d:%02d.%06d000 %s" % (_MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_year, tm.tm_hour,
                                                    tm.tm_min, tm.tm_sec, usec, time.strftime("%Z", tm))


def field_epoch_text(t: float) -> str:
    """frame.time_epoch as tshark -T fields prints it: `1793507955.978362000`."""
    return seconds_text(t) + "000" if math.isfinite(t) else "Not representable"
