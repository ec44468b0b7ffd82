"""A capture that runs for days, accelerated, as recorded on real kernels
(captures/scenarios/longrun.sh: `nlscope capture` with process lookups, decoding and
pairing on, a ring of 3 files of 1 MB and -a duration, under short-lived `ip` processes, a
generic netlink family registered again and again and 100,000+ requests the kernel never
answers, from a new port id every 200).  Not in all.sh: under emulation the capture reads
its 64 MiB ring backlog at ~340 frames/s, 4 minutes per kernel that CI cannot spare; the
recordings in captures/longrun-KERNEL/ are checked here: the counts add up, the ring kept
exactly its newest 3 files, memory stops growing once the bounded tables are full (the
pairing table's 16,384 open transactions and 16 MiB held) and the CPU cost of a second stays
the same however much the capture has seen."""
import re

import pytest

from tests.conftest import CAPTURES
from tests.vm.test_stop_signals import CLOSING

KERNELS = ["6.1", "6.12"]
RING = re.compile(r"longrun_(\d{5})_\d{14}\.pcapng$", re.M)
OPEN_BOUND = 16384     # TransactionTable.max_open
RSS_SLACK_KB = 8192    # the allocator's noise over a bounded state


def _run(kernel):
    d = CAPTURES / f"longrun-{kernel}"
    log = (d / "longrun.log").read_text()
    rows = [tuple(map(int, line.split())) for line in (d / "longrun.samples").read_text().splitlines()
            if len(line.split()) == 3]
    return log, rows


@pytest.mark.parametrize("kernel", KERNELS)
def test_counts_add_up_and_the_bounds_were_reached(kernel):
    log, _ = _run(kernel)
    assert "capture rc=0" in log, log
    written, passed, dropped = map(int, CLOSING.search(log).groups()[:3])
    assert written + dropped == passed and written > 4 * OPEN_BOUND
    unanswered = int(re.search(r"longrun probe: (\d+) unanswered", log).group(1))
    assert unanswered > 4 * OPEN_BOUND
    assert int(re.search(r"module loaded (\d+) times", log).group(1)) >= 10


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_ring_kept_its_newest_three_files(kernel):
    log, _ = _run(kernel)
    numbers = [int(n) for n in RING.findall(log)]
    assert len(numbers) == 3 and numbers == list(range(numbers[0], numbers[0] + 3)) and numbers[0] > 1, numbers


@pytest.mark.parametrize("kernel", KERNELS)
def test_memory_and_cpu_flat_over_the_capture(kernel):
    _, rows = _run(kernel)
    end = rows[-1][0]
    assert len(rows) >= 30 and end >= 60
    mid = [rss for t, rss, _ in rows if t <= end / 2]
    late = [rss for t, rss, _ in rows if t > end / 2]
    assert max(late) <= max(mid) + RSS_SLACK_KB, (max(mid), max(late))

    def rate(lo, hi):
        part = [(t, ticks) for t, _, ticks in rows if lo <= t <= hi]
        (t0, c0), (t1, c1) = part[0], part[-1]
        return (c1 - c0) / max(t1 - t0, 1)
    assert rate(2 * end / 3, end) <= 1.25 * rate(end / 3, 2 * end / 3)
