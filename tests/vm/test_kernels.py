"""Per-kernel overrides of the expected-decoding files (tests/vm/kernels.py); no VM here."""
import json
import sys
from pathlib import Path

from tests.conftest import CAPTURES
from tests.vm.kernels import for_kernel

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import vm  # noqa: E402

DOC = {"capture": "x.pcapng", "expect": [
    {"what": "a", "request": {"type": "RTM_NEWLINK", "fields": {"rtnl.link.ifname": "d0"}}, "reply": {"error": 0},
     "kernels": {"6.12": {"reply": {"error": -95, "errname": "EOPNOTSUPP"}, "request": {"fields": {"x": 1}}}}},
    {"what": "b", "request": {"type": "RTM_GETLINK", "nth": 1}, "kernels": {"6.12": {"request": {"nth": None}}}},
    {"what": "c", "request": {"type": "RTM_DELLINK"}, "kernels": {"6.12": None}},
    {"what": "d", "request": {"type": "RTM_GETADDR"}},
]}


def test_without_an_override_an_entry_holds_everywhere():
    got = for_kernel(DOC, "6.1")
    assert [e["what"] for e in got["expect"]] == ["a", "b", "c", "d"]
    assert got["expect"][0] == {k: v for k, v in DOC["expect"][0].items() if k != "kernels"}
    assert got["capture"] == "x.pcapng"


def test_an_override_merges_replaces_removes_and_drops():
    a, b, d = for_kernel(DOC, "6.12")["expect"]
    assert a["reply"] == {"error": -95, "errname": "EOPNOTSUPP"}
    assert a["request"] == {"type": "RTM_NEWLINK", "fields": {"rtnl.link.ifname": "d0", "x": 1}}
    assert b["request"] == {"type": "RTM_GETLINK"} and d["what"] == "d" and "kernels" not in a
    assert DOC["expect"][0]["reply"] == {"error": 0}  # the document itself is left as it was


def test_every_override_names_a_kernel_the_suite_runs():
    """A misspelt kernel name would make its override silently never apply."""
    for path in sorted(CAPTURES.glob("*.expected.json")):
        for e in json.loads(path.read_text())["expect"]:
            assert set(e.get("kernels", {})) <= set(vm.KERNELS), (path.name, e["what"])
