"""One VM boot for every VM test: build kmod/, run captures/scenarios/all.sh, keep the output.

These tests must run wherever the suite runs (CI included): if the VM cannot boot, the
fixture fails with the reason, it never skips.
"""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import vm  # noqa: E402


@pytest.fixture(scope="session")
def vm_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("vm")
    try:
        vm.run_scenarios(str(out))
    except vm.VMError as exc:
        pytest.fail(f"the VM scenarios could not run: {exc}")
    except Exception as exc:  # timeouts and the like: still a failure, with what happened
        pytest.fail(f"the VM scenarios could not run: {type(exc).__name__}: {exc}")
    rc = (out / "scenario.rc").read_text().strip()
    if rc != "0":
        pytest.fail(f"the scenario script failed (rc {rc}):\n{(out / 'scenario.log').read_text()[-2000:]}")
    return out
