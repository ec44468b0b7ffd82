"""The enums the issue-17 families type by hand (dissectors/families/genl/cenum.py: their headers
are not among tools/gen_uapi.py's) against the headers themselves: every member of every enum,
in order and with its value, as linux-source-6.12's UAPI header numbers it, and as Debian 12's
6.1 headers (/usr/include/linux) do for the members they have.  A member typed wrong, left out
or added fails here.  The non-UAPI ones (mac80211_hwsim.h, mac802154_hwsim.h, the legacy
<linux/nl802154.h>) are checked where a kernel tree holding them is at hand."""
from __future__ import annotations

from pathlib import Path

import pytest

from dissectors.families.genl import (gtp, hsr, ieee802154_mac, mac80211_hwsim, mac802154_hwsim, ncsi,  # noqa: F401
                                      smc_gen_netlink, smc_pnetid, vdpa)
from dissectors.families.genl.cenum import Header
from tests.tools import tool

ROOT = tool.ROOT
INCLUDE_612 = ROOT / ".cache" / "linux-6.12" / "include" / "uapi"
INCLUDE_61 = Path("/usr/include")
UAPI = [vdpa.H, gtp.H, hsr.H, smc_pnetid.H, smc_gen_netlink.H, ncsi.H]
# trees that may hold the non-UAPI headers (a kernel source extracted for reading)
TREES = [ROOT / ".cache" / "linux-6.12", Path("/usr/src/linux-source-6.12")]
NOT_UAPI = [mac80211_hwsim.H, mac802154_hwsim.H, ieee802154_mac.H]
# where Debian 12's 6.1 headers number a member otherwise, and why the 6.12 number is the one
KNOWN_61 = {"linux/vdpa.h": {"VDPA_ATTR_VDPA_DEV_SUPPORTED_FEATURES":
                             "6.1's header has it at 22, where 6.12 has VDPA_ATTR_DEV_BLK_CFG_CAPACITY (upstream "
                             "dropped it in 6.2); Debian's 6.1 kernel has no vDPA (CONFIG_VDPA unset), so no 6.1 "
                             "traffic carries it"}}


def _parse(path: Path) -> tuple[dict, dict]:
    gen = tool.load("gen_uapi")
    return gen.parse_header(gen.exported(path.read_text()), {"IFNAMSIZ": 16})


def _check(h: Header, consts: dict, enums: dict, whole: bool) -> list[str]:
    """What differs; `whole`: every enum must be the header's, member for member; else only
    the members both have, less the counts (__X_MAX, X_MAX: an older header's are smaller)."""
    wrong = [f"{n} = {v}, header {consts[n]}" for n, v in h.names().items() if n in consts and consts[n] != v
             and (whole or not (n.startswith("__") or n.endswith(("_MAX", "AFTER_LAST"))))]
    if not whole:
        return wrong
    by_first = {tuple(m)[0]: m for m in enums.values()}
    for tag, members in h.ENUMS.items():
        theirs = enums.get(tag) or by_first.get(members[0])
        if theirs and theirs[-1].endswith("_MAX") and not theirs[-1].startswith("__") and len(theirs) > 1 \
                and consts.get(theirs[-1]) == consts.get(theirs[-2], 0) - 1:
            theirs = theirs[:-1]   # `X_MAX = __X_MAX - 1` closing the enum: bookkeeping, not typed
        if theirs is None:
            wrong.append(f"enum {tag}: not in the header")
        elif whole and list(members) != [m for m in theirs if m in consts]:
            wrong.append(f"enum {tag}: {list(members)} != {theirs}")
        elif not whole and list(members)[:len(theirs)] != list(theirs)[:len(members)]:
            wrong.append(f"enum {tag}: {list(members)} differs from {theirs}")
    return wrong


@pytest.mark.parametrize("h", UAPI, ids=lambda h: h.HEADER)
def test_uapi_enums_are_the_612_headers(h):
    path = INCLUDE_612 / h.HEADER
    if not path.exists():
        pytest.fail(f"{path} missing: {tool.load('gen_uapi').HOW_TO_GET}")
    consts, enums = _parse(path)
    assert not _check(h, consts, enums, whole=True)
    missing = [n for n in h.names() if n not in consts]
    assert not missing, missing


@pytest.mark.parametrize("h", UAPI, ids=lambda h: h.HEADER)
def test_uapi_enums_agree_with_debian_61_headers(h):
    """6.1's headers hold a prefix of each enum (vdpa's and hsr's whole header is newer than
    6.1's exports for some members): what they hold has the same numbers."""
    path = INCLUDE_61 / h.HEADER
    if not path.exists():
        pytest.skip(f"{path}: not installed (linux-libc-dev)")
    consts, enums = _parse(path)
    for name, why in KNOWN_61.get(h.HEADER, {}).items():
        assert name in consts, why    # still as described: the exception is checked too
        consts.pop(name)
    wrong = _check(h, consts, enums, whole=False)
    assert not wrong, wrong


@pytest.mark.parametrize("h", NOT_UAPI, ids=lambda h: h.HEADER)
def test_kernel_internal_enums(h):
    tree = next((t for t in TREES if (t / h.HEADER).exists()), None)
    if tree is None:
        pytest.fail(f"{h.HEADER} (no UAPI) is in no kernel tree here: tools/run-tests extracts it from "
                    "linux-source-6.12 into .cache/linux-6.12")
    consts, enums = _parse(tree / h.HEADER)
    assert not _check(h, consts, enums, whole=True)


def test_a_wrong_number_is_caught():
    """The check itself can fail: a header with one member numbered differently."""
    h = Header("x.h").enum("x_attrs", "UNSPEC A B", "X_")
    assert _check(h, {"X_UNSPEC": 0, "X_A": 1, "X_B": 3}, {"x_attrs": ["X_UNSPEC", "X_A", "X_B"]}, True)
    assert _check(h, {"X_UNSPEC": 0, "X_A": 1, "X_C": 2, "X_B": 3},
                  {"x_attrs": ["X_UNSPEC", "X_A", "X_C", "X_B"]}, True)
    assert not _check(h, {"X_UNSPEC": 0, "X_A": 1, "X_B": 2}, {"x_attrs": ["X_UNSPEC", "X_A", "X_B"]}, True)


def test_header_numbers_as_c_does():
    h = Header("y.h").enum("e", "A B=5 C D=B", "Y_")
    assert (h.Y_A, h.Y_B, h.Y_C, h.Y_D) == (0, 5, 6, 5)
    assert h.ENUMS["e"] == ("Y_A", "Y_B", "Y_C", "Y_D")
