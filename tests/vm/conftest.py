"""One VM boot per kernel for every VM test: build kmod/ with that kernel's headers, run
captures/scenarios/all.sh, keep the output.  The VMs boot when collection ends, if a VM test is
selected, and run beside the other tests.  Every VM test runs on each kernel of
tools/vm.py's KERNELS (6.1, Debian 12's linux-image-amd64; 6.12, linux-image-6.12-amd64).

These tests must run wherever the suite runs (CI included): if a kernel is missing or cannot
boot, its fixture fails with the reason, it never skips.
"""
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import vm  # noqa: E402


# How many kernels boot at once, and the virtual CPUs each guest gets.  Side by side on a
# machine of two cores, one each: measured with every scenario on both kernels, two guests of
# two vCPUs took 1,632 s and 1,626 s (the emulator's four vCPU threads, with the tests that need
# no VM, on two cores: a vCPU holding a guest lock is descheduled while the other spins), two
# of one vCPU 869 s and 919 s, and one alone with two 673 s.  NLSCOPE_VMS_AT_ONCE=1 boots
# them one after the other, with two vCPUs each.
VMS_AT_ONCE = max(1, int(os.environ.get("NLSCOPE_VMS_AT_ONCE", "2")))
CPUS_EACH = 1 if VMS_AT_ONCE > 1 else vm.CPUS
# seconds one kernel's scenarios may take; sharing the cores makes each run slower
TIMEOUT = 1200 if VMS_AT_ONCE == 1 else 2400


def scenarios_command(kernel: str, out: Path) -> list[str]:
    """One kernel's scenario run: tools/vm.py in a process of its own, so that what the tests
    running meanwhile patch in this one (vm.BOOT, vm.SRC…: test_kernel_choice.py) is not what
    the VM is booted with."""
    return [sys.executable, str(ROOT / "tools" / "vm.py"), "--kernel", kernel, "--scenarios",
            "--cpus", str(CPUS_EACH), "--timeout", str(TIMEOUT), str(out)]


class VMRuns:
    """Every kernel's scenario run of a session, VMS_AT_ONCE at a time: `futures` maps a kernel
    name to the future of its output directory (raising vm.VMError if the VM could not run)."""

    def __init__(self, tmp_path_factory, command=None):
        self.command = command or scenarios_command
        self.procs: set[subprocess.Popen] = set()
        self.stopped = False
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=VMS_AT_ONCE, thread_name_prefix="vm")
        self.futures = {k: self.pool.submit(self._run, k, tmp_path_factory.mktemp(f"vm-{k}")) for k in vm.KERNELS}

    def _run(self, kernel: str, out: Path) -> Path:
        with self.lock:
            if self.stopped:
                raise vm.VMError("the test session ended before this VM booted")
            # its own process group: stop() ends vng and qemu with it
            proc = subprocess.Popen(self.command(kernel, out), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, start_new_session=True)
            self.procs.add(proc)
        try:
            output = proc.communicate()[0]
        finally:
            with self.lock:
                self.procs.discard(proc)
        said = [line[4:] for line in output.splitlines() if line.startswith("vm: ")]
        if proc.returncode != 0 and (said or not (out / "scenario.rc").exists()):
            raise vm.VMError(" | ".join(said) or f"tools/vm.py ended with status {proc.returncode}: "
                                                 + " | ".join(output.strip().splitlines()[-5:]))
        return out

    def stop(self) -> None:
        """Stop the VMs still running and wait for their threads (a session that ends early)."""
        with self.lock:
            self.stopped = True
            for proc in self.procs:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.pool.shutdown(wait=True, cancel_futures=True)


_RUNS = pytest.StashKey[VMRuns]()


def _runs(config) -> VMRuns:
    if _RUNS not in config.stash:
        # the tmp_path_factory fixture's own object (pytest's tmp_path plugin sets it when it
        # configures): the outputs are in the session's basetemp, as the fixture's would be
        config.stash[_RUNS] = VMRuns(config._tmp_path_factory)
    return config.stash[_RUNS]


def wants_vm(items) -> bool:
    """Whether the tests selected (after paths, -k and -m) include one that needs a VM run."""
    return any("vm_runs" in getattr(item, "fixturenames", ()) for item in items)


def pytest_collection_finish(session):
    """Boot the VMs as soon as the tests are chosen, so that they run while the tests that need
    no VM do (one core for ~10 min; the VM tests come last), not when the first VM test asks
    for its kernel.  A selection without a VM test (a path, -k, -m 'not vm') boots nothing,
    nor does --collect-only."""
    if not session.config.option.collectonly and wants_vm(session.items):
        _runs(session.config)


def pytest_sessionfinish(session):
    """A session that ends before its VM tests ran (-x, ^C) stops the VMs, not waits for them."""
    if _RUNS in session.config.stash:
        session.config.stash[_RUNS].stop()


@pytest.fixture(scope="session")
def vm_runs(request):
    """Every kernel's scenario run (started by pytest_collection_finish): kernel name -> future
    of its output directory."""
    return _runs(request.config).futures


@pytest.fixture(scope="session", params=list(vm.KERNELS))
def vm_kernel(request):
    """The kernel the VM tests of this round run on: a name of vm.KERNELS."""
    return request.param


@pytest.fixture(scope="session")
def vm_out(vm_runs, vm_kernel):
    try:
        out = vm_runs[vm_kernel].result()
    except vm.VMError as exc:
        pytest.fail(f"the VM scenarios could not run on {vm_kernel}: {exc}")
    except Exception as exc:  # timeouts and the like: still a failure, with what happened
        pytest.fail(f"the VM scenarios could not run on {vm_kernel}: {type(exc).__name__}: {exc}")
    rc = (out / "scenario.rc").read_text().strip()
    if rc != "0":
        pytest.fail(f"the scenario script failed on {vm_kernel} (rc {rc}):\n{(out / 'scenario.log').read_text()[-2000:]}")
    return out
