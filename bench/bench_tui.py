#!/usr/bin/env python3
"""Time the TUI on a large capture against issue 18's targets: start to first painted rows
(< 1 s), the whole file indexed (<= 10 s), the index's bytes a message (<= 64), header-field
filters (< 3 s), a body-field filter (< 10 s), and the statistics screen (< 5 s, the UI
answering meanwhile).  Headless, through Textual's test driver; wall times, so a shared
machine's load shows in them (the load average is printed with the results).

    python3 bench/bench_tui.py [--messages 1000000] [--capture FILE]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_read import build_capture  # noqa: E402


async def measure(path: str) -> dict:
    from nlscope.tui.app import NlscopeApp
    from nlscope.tui.widgets.message_list import MessageList
    # the first row drawn with a message in it: that is when the screen shows the capture
    # (waiting for the app to go idle would wait for the whole file: reading keeps it busy)
    painted = []
    draw = MessageList.render_line

    def render_line(self, y):
        strip = draw(self, y)
        if not painted and self._cache:   # a message row's text was made for this drawing
            painted.append(time.perf_counter())
        return strip
    MessageList.render_line = render_line
    rss0 = _rss()
    t0, c0 = time.perf_counter(), time.process_time()
    app = NlscopeApp(path)
    out = {}
    async with app.run_test(size=(160, 45)) as pilot:
        lst = app.query_one(MessageList)
        while not painted:
            await asyncio.sleep(0.01)
        out["first_rows_painted"] = painted[0] - t0
        MessageList.render_line = draw
        while not app.store.done:
            await asyncio.sleep(0.1)
        out["file_read"] = time.perf_counter() - t0
        out["file_read cpu s (this process)"] = time.process_time() - c0
        out["messages"] = len(app.store.messages)
        index = app.store.messages
        frames = sum(index.f_len)
        # what the index holds beyond the frames' bytes: its columns (exact), and the
        # whole process's growth (the columns, the frames, Python's and Textual's own)
        columns = sum(sys.getsizeof(v) for k, v in vars(index).items() if k != "_current") \
            + sum(sys.getsizeof(b) for b in index._blocks) + sys.getsizeof(index._current) - frames
        out["index_bytes_per_message"] = columns / len(index)
        out["rss_growth_beyond_frames_per_message"] = (_rss() - rss0 - frames) / len(index)
        for name, text in FILTERS:
            t1, c1 = time.perf_counter(), time.process_time()
            app.apply_filter(text)
            await app.workers.wait_for_complete()
            out[f"filter {name} s"] = time.perf_counter() - t1
            # the other core's part of a body filter is a forked process's: not counted here
            out[f"filter {name} cpu s (this process)"] = time.process_time() - c1
            out[f"filter {name} matched"] = len(app.store)
        app.apply_filter("")
        await app.workers.wait_for_complete()
        # statistics: the screen counts in a worker; the UI's longest pause meanwhile says
        # whether it was blocked (a timer that should fire every 50 ms)
        from nlscope.tui.screens.stats import StatsScreen
        gaps, last = [0.0], [time.perf_counter()]

        def tick():
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now
        timer = app.set_interval(0.05, tick)
        t3 = time.perf_counter()
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        while not screen.done:
            await asyncio.sleep(0.05)
        out["statistics s"] = time.perf_counter() - t3
        out["UI longest pause during statistics s"] = max(gaps)
        timer.stop()
        await pilot.press("escape")
        # scrolling: the cost of drawing a screen of rows never drawn before (43 rows),
        # pages spread over the whole file, measured without the test driver's own pauses
        pages = 100
        step = max(1, len(app.store) // pages)
        t2 = time.perf_counter()
        drawn = set()
        for p in range(pages):
            lst.scroll_to(y=p * step, animate=False, immediate=True)
            drawn.add(lst.scroll_offset.y)
            for y in range(1, 44):
                lst.render_line(y)
        assert len(drawn) == pages, "scrolling did not move"
        out["ms_per_new_screen"] = (time.perf_counter() - t2) / pages * 1e3
    return out


FILTERS = [
    ("header (netlink.seq == 1)", "netlink.seq == 1"),
    ("header (netlink.type == 16)", "netlink.type == 16"),
    ("header (netlink.seq == 1 && netlink.flags.request)", "netlink.seq == 1 && netlink.flags.request"),
    ("body (rtnl.link.mtu > 1500)", "rtnl.link.mtu > 1500"),
]


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--capture", help="a capture built before (kept): no new one is built")
    args = ap.parse_args()
    if args.capture:
        cap = Path(args.capture)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="nlscope-tui-bench-"))
        cap = tmp / "big.pcap"
        n = build_capture(sorted((ROOT / "captures").glob("*.pcapng")), args.messages, cap)
        print(f"capture: {n} messages, {cap.stat().st_size >> 20} MiB")
    res = asyncio.run(measure(str(cap)))
    for k, v in res.items():
        print(f"{k:<56} {v:.3f}" if isinstance(v, float) else f"{k:<56} {v}")
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.capture:
        cap.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
