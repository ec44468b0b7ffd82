"""One VM boot per kernel for every VM test: build kmod/ with that kernel's headers, run
captures/scenarios/all.sh, keep the output.  Every VM test runs on each kernel of
tools/vm.py's KERNELS (6.1, Debian 12's linux-image-amd64; 6.12, linux-image-6.12-amd64).

These tests must run wherever the suite runs (CI included): if a kernel is missing or cannot
boot, its fixture fails with the reason, it never skips.
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import vm  # noqa: E402


# How many kernels boot at once.  The guests' work is mostly one busy thread (a scenario's
# commands, then nlscope reading the capture), so two VMs on two cores finish both kernels in
# little more than the time of one; NLSCOPE_VMS_AT_ONCE=1 boots them one after the other.
VMS_AT_ONCE = max(1, int(os.environ.get("NLSCOPE_VMS_AT_ONCE", "2")))
# seconds one kernel's scenarios may take; sharing the cores makes each run slower
TIMEOUT = 1200 if VMS_AT_ONCE == 1 else 2400


def _scenarios(out: Path, kernel: str) -> Path:
    vm.run_scenarios(str(out), kernel, timeout=TIMEOUT)
    return out


@pytest.fixture(scope="session")
def vm_runs(tmp_path_factory):
    """Every kernel's scenario run, started together when the first VM test asks for one:
    kernel name -> future of its output directory."""
    outs = {k: tmp_path_factory.mktemp(f"vm-{k}") for k in vm.KERNELS}
    with ThreadPoolExecutor(max_workers=VMS_AT_ONCE) as pool:
        yield {k: pool.submit(_scenarios, outs[k], k) for k in vm.KERNELS}


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
