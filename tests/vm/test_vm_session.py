"""How a test session runs its VMs (no VM is booted here): they start when collection ends, and
only if a VM test is selected; a session that ends early stops them; the guest finds the
repository's Python compiled, and never a stale compilation of it."""
import os
import re
import subprocess
import sys
import time
from concurrent.futures import CancelledError
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.vm import conftest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import vm  # noqa: E402


def _session(items, factory, collectonly=False):
    config = SimpleNamespace(stash=pytest.Stash(), _tmp_path_factory=factory,
                             option=SimpleNamespace(collectonly=collectonly))
    return SimpleNamespace(items=items, config=config)


@pytest.fixture
def scenario_runs(monkeypatch):
    """The VM runs replaced by a shell that leaves a scenario.rc of 0: the kernels started."""
    started = []

    def command(kernel, out):
        started.append(kernel)
        return ["sh", "-c", f"echo 0 > {out}/scenario.rc"]
    monkeypatch.setattr(conftest, "scenarios_command", command)
    return started


def test_the_vms_start_when_collection_ends(scenario_runs, tmp_path_factory):
    item = SimpleNamespace(fixturenames=["request", "vm_runs", "vm_kernel", "vm_out"])
    session = _session([SimpleNamespace(fixturenames=["tmp_path"]), item], tmp_path_factory)
    conftest.pytest_collection_finish(session)
    futures = session.config.stash[conftest._RUNS].futures
    for kernel, future in futures.items():   # vm-6.10…, in the session's basetemp
        assert re.fullmatch(rf"vm-{re.escape(kernel)}\d+", future.result(timeout=30).name), kernel
    assert sorted(scenario_runs) == sorted(vm.KERNELS)
    conftest.pytest_sessionfinish(session)


@pytest.mark.parametrize("collectonly", [False, True])
def test_a_selection_without_a_vm_test_starts_nothing(scenario_runs, tmp_path_factory, collectonly):
    items = [SimpleNamespace(fixturenames=["tmp_path"])]
    if collectonly:
        items.append(SimpleNamespace(fixturenames=["vm_runs", "vm_out"]))
    session = _session(items, tmp_path_factory, collectonly)
    conftest.pytest_collection_finish(session)
    conftest.pytest_sessionfinish(session)
    assert conftest._RUNS not in session.config.stash and scenario_runs == []


def test_a_path_or_marker_without_vm_tests_boots_nothing(tmp_path):
    """The real hooks in a real session: `pytest tests/vm/… -m 'not vm'` makes no VM directory."""
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not vm",
                           f"--basetemp={tmp_path / 'bt'}", "tests/vm/test_kernels.py", "tests/vm/test_scenarios.py"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert not list((tmp_path / "bt").glob("vm-*")), sorted(os.listdir(tmp_path / "bt"))


def test_what_tools_vm_says_is_the_failure(tmp_path_factory):
    """A VM that cannot boot fails its tests with tools/vm.py's one line (never a skip)."""
    runs = conftest.VMRuns(tmp_path_factory, lambda kernel, out: [
        "sh", "-c", f"echo 'vm: no {kernel} kernel in /boot; install it: apt-get install -y x' >&2; exit 1"])
    for kernel, future in runs.futures.items():
        with pytest.raises(vm.VMError, match=f"^no {kernel} kernel in /boot; install it"):
            future.result(timeout=30)
    runs.stop()


def test_a_session_that_ends_early_stops_its_vms(tmp_path_factory):
    """A VM still running when the session ends (-x, ^C) is killed, with its process group."""
    runs = conftest.VMRuns(tmp_path_factory, lambda kernel, out: ["sh", "-c", "sleep 600 & wait"])
    end = time.monotonic() + 20
    while len(runs.procs) < min(conftest.VMS_AT_ONCE, len(vm.KERNELS)) and time.monotonic() < end:
        time.sleep(0.05)
    assert runs.procs
    start = time.monotonic()
    runs.stop()
    assert time.monotonic() - start < 10 and not runs.procs
    for future in runs.futures.values():
        with pytest.raises((vm.VMError, CancelledError)):
            future.result(timeout=0)


def test_the_guest_gets_compiled_python_and_never_a_stale_one(tmp_path):
    """Checked-hash bytecode: used while the source is the one compiled; an edit that keeps the
    file's size and time (what a timestamp .pyc trusts) is compiled again, not run stale."""
    pkg = tmp_path / "kmod" / "tools"
    pkg.mkdir(parents=True)
    src = pkg / "s8probe.py"
    src.write_text("VALUE = 1\n")
    vm.compile_python(tmp_path)
    pycs = list((pkg / "__pycache__").glob("s8probe.*.pyc"))
    assert len(pycs) == 1
    flags = int.from_bytes(pycs[0].read_bytes()[4:8], "little")
    assert flags == 0b11, flags   # hash-based, checked

    def value():
        proc = subprocess.run([sys.executable, "-c", "import s8probe; print(s8probe.VALUE)"],
                              cwd=pkg, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        return proc.stdout.split()[0]
    assert value() == "1"
    stat = src.stat()
    src.write_text("VALUE = 2\n")
    os.utime(src, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert value() == "2"
