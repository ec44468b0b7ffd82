import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PYROUTE2_PCAP = CORPUS / "peer" / "pyroute2-nl0.pcap"
CAPTURES = ROOT / "captures"
# each kernel's recordings of the scenarios: captures/ holds 6.1's, captures/6.12/ 6.12's
KERNEL_CAPTURES = {"6.1": CAPTURES, "6.12": CAPTURES / "6.12"}


def pytest_sessionstart(session):
    """Byte-compile nlscope and the dissectors before any test starts a process of them: the suite
    starts hundreds (the CLI, workers, VM guests) and, with no __pycache__ (a fresh clone, or
    PYTHONDONTWRITEBYTECODE), each compiled 1.5 MB of source first (0.3 s here, ~30 s in a VM)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import vm
    vm.compile_python()


def decode_file(path, genl=None):
    """All messages of a capture, decoded with one context, as the CLI does."""
    from dissectors import Context
    from nlscope.messages import messages
    from nlscope.sources import read_capture
    return list(messages(read_capture(str(path)), Context(genl)))


def assert_decodes_whole(msgs) -> None:
    """Every message of a real capture claimed, not malformed, no node with a status, nothing
    unknown and no value outside its enum: what the kernel and real programs sent, decoded whole."""
    for m in msgs:
        bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
        assert m.claimed and not m.malformed and not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"
        assert m.unknown_count() == 0, f"{m.frame}.{m.index} {m.type_name}"
        assert not [n.show for n in m.tree.walk() if n.show and "unknown value" in str(n.show)], m.frame


def scenario_runs(log) -> list[tuple[str, list[str]]]:
    """The commands a scenario ran through lib.sh's `run` and what each printed: `+ CMD` opens a
    run, its `rc=N` closes it, and lines outside a run (section marks, the capture's own lines,
    what a step printed without `run`) belong to none."""
    runs, cur = [], None
    for line in Path(log).read_text().splitlines():
        if line.startswith("+ "):
            cur = (line[2:], [])
            runs.append(cur)
        elif cur is not None and line.startswith("rc=") and line[3:].isdigit():
            cur = None
        elif cur is not None:
            cur[1].append(line)
    return runs


@pytest.fixture(scope="session")
def pyroute2_msgs():
    assert PYROUTE2_PCAP.exists(), f"the shared corpus is missing: {PYROUTE2_PCAP}"
    return decode_file(PYROUTE2_PCAP)
