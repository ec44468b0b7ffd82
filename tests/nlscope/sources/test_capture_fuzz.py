"""The file-level fuzzer, bounded for CI: capture *structure* mutated (block types and lengths,
options, interfaces, timestamps, byte order, pcap records, gzip), read_capture held to its
contract — Frames, then at most one CaptureError, every text one line — in bounded time and
memory.  Seeded, so a run is repeatable; the long run is bench/fuzz_files.py."""
import json
import subprocess
import sys

from tests.conftest import CAPTURES
from tests.nlscope.sources import craft

ROOT = CAPTURES.parent
EXECUTIONS = 1500
LIMIT = 1 << 30      # bytes of address space for the child
BUDGET = 120         # seconds for the whole run (a few seconds on an idle machine)

_CHILD = f"""
import json, resource, sys, tempfile
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))
from tests.nlscope.sources import craft
with tempfile.TemporaryDirectory() as tmp:
    stats = craft.fuzz(craft.seeds(Path("captures")), int(sys.argv[1]), executions={EXECUTIONS}, tmp=Path(tmp))
# the peak of this process's own memory (VmHWM): ru_maxrss keeps, across execve, the peak of the
# process that forked it (the test runner, hundreds of MiB late in a suite), so it measured that
hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:")]
stats["rss_mib"] = int(hwm[0].split()[1]) >> 10 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
print(json.dumps(stats))
"""


def test_structure_mutations_keep_the_contract_in_bounded_memory_and_time():
    r = subprocess.run([sys.executable, "-c", _CHILD, "13"], capture_output=True, text=True, cwd=ROOT,
                       timeout=BUDGET)
    assert r.returncode == 0, r.stderr[-3000:]
    stats = json.loads(r.stdout)
    assert stats["executions"] == EXECUTIONS and stats["findings"] == [], stats["findings"][:5]
    assert stats["frames"] > 10 * EXECUTIONS and 0 < stats["errors"] < EXECUTIONS   # both paths exercised
    assert stats["slowest"] < 5, stats["slowest"]
    assert stats["rss_mib"] < 700, stats["rss_mib"]


def test_the_mutator_is_deterministic():
    inputs = craft.seeds(CAPTURES)
    a, b = craft.Mutator(5), craft.Mutator(5)
    assert [a.mutate(inputs[i % len(inputs)]) for i in range(50)] == [b.mutate(inputs[i % len(inputs)])
                                                                    for i in range(50)]


def test_a_finding_is_reported_not_swallowed():
    """The loop itself can fail: an input that breaks the contract is a finding."""
    from unittest import mock
    with mock.patch.object(craft, "check_one", side_effect=struct_error):
        stats = craft.fuzz(craft.seeds(CAPTURES)[:2], 1, executions=3)
    assert len(stats["findings"]) == 3 and "struct.error" in stats["findings"][0]


def struct_error(*_a, **_k):
    import struct
    raise struct.error("unpack requires a buffer of 4 bytes")
