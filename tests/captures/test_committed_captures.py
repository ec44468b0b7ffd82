"""Committed captures decode to the values their scenario chose (see captures/*.expected.json).
captures/NAME.pcapng was recorded on 6.1 (Debian 12's kernel), captures/6.12/NAME.pcapng on
6.12; one expected file serves both, with what differs on a kernel in its "kernels" overrides."""
import json

import pytest

from tests.conftest import CAPTURES, decode_file
from tests.expect import check
from tests.vm.kernels import for_kernel

EXPECTED = sorted(CAPTURES.glob("*.expected.json"))
# (kernel, capture) for the captures recorded on a kernel other than 6.1
OTHER_KERNELS = [(p.parent.name, p) for p in sorted(CAPTURES.glob("6.*/*.pcapng"))]


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_capture_matches_expected(path):
    exp = for_kernel(json.loads(path.read_text()), "6.1")
    msgs = decode_file(CAPTURES / exp["capture"])
    assert msgs, "capture decoded to nothing"
    check(msgs, exp)


@pytest.mark.parametrize("kernel, capture", OTHER_KERNELS, ids=[f"{k}/{p.name}" for k, p in OTHER_KERNELS])
def test_other_kernels_capture_matches_expected(kernel, capture):
    """The same expectations, with the kernel's overrides, on the capture that kernel made."""
    exp = for_kernel(json.loads((CAPTURES / f"{capture.stem}.expected.json").read_text()), kernel)
    msgs = decode_file(capture)
    assert msgs, "capture decoded to nothing"
    check(msgs, exp)


ALL_CAPTURES = (sorted(CAPTURES.glob("*.pcapng")) + sorted(CAPTURES.glob("6.*/*.pcapng"))
                + sorted(CAPTURES.glob("host-*/*.pcapng")) + sorted(CAPTURES.glob("trace-*/*.pcapng")))


# messages no built-in dissector may claim, by capture and netlink protocol, and why
UNCLAIMED = {("bpf.pcapng", 17): "kmod/netlink_exam.ko's private protocol: decoded with its spec "
                                 "(tests/kmod/test_netlink_exam_spec.py), not by the built-in"}


# captures whose scenario sends malformed requests on purpose, to record what the kernel says:
# such a request, and the NLMSG_ERROR echoing it, are malformed where the kernel refused it
REFUSED = {"tipc-legacy.pcapng": "the probe's TLV whose length runs past the message and its truncated "
                                 "tipc_genlmsghdr: the kernel answers EOPNOTSUPP and EINVAL"}


def _refused(m, errors: set) -> bool:
    """A request the kernel answered with an errno (an NLMSG_ERROR of its seq and port id), or
    that NLMSG_ERROR (which echoes it)."""
    return (m.protocol, m.seq, m.pid) in errors or (m.error_code != 0 and m.type == 2)


@pytest.mark.parametrize("path", ALL_CAPTURES, ids=lambda p: str(p.relative_to(CAPTURES)))
def test_every_message_decodes_fully(path):
    """Every message claimed by a dissector (but those UNCLAIMED names), none malformed, no
    unknown or undecoded part in any (issue 17: zero over every scenario, on every kernel),
    but the requests of REFUSED that the kernel refused, malformed as it found them."""
    refused = 0
    msgs = decode_file(path)
    errors = {(m.protocol, m.seq, m.pid) for m in msgs if m.type == 2 and m.error_code}
    for m in msgs:
        if not m.claimed and (path.name, m.protocol) in UNCLAIMED:
            continue
        if path.name in REFUSED and any(n.status for n in m.tree.walk()) and _refused(m, errors):
            refused += 1
            continue
        assert m.claimed, f"{m.frame}.{m.index}: no dissector claims protocol {m.protocol} type {m.type_name}"
        assert not m.malformed, f"{m.frame}.{m.index} malformed: {m.info}"
        assert m.unknown_count() == 0, f"{m.frame}.{m.index} {m.type_name}: {m.unknown_count()} unknown parts"
        bad = [n for n in m.tree.walk() if n.status]
        assert not bad, f"{m.frame}.{m.index} {m.type_name}: {[(n.name, n.status, n.show) for n in bad]}"
    assert bool(refused) == (path.name in REFUSED), refused   # each listed capture holds such requests


@pytest.mark.parametrize("name", ["rtnl-extack", "nlscope-test", "classic", "nl80211", "rtnl-deep", "genl-more", "nf-diag",
                                  "mixed", "monitors", "objects", "stations"])
def test_supported_captures_are_claimed_whole(name):
    """Every message of these captures belongs to a family nlscope declares in full."""
    msgs = decode_file(CAPTURES / f"{name}.pcapng")
    assert msgs and all(m.claimed for m in msgs)


def test_unwritten_families_are_not_claimed():
    """A protocol or generic-netlink family nobody declared is shown, not claimed."""
    from dissectors import Context, decode_frame
    from tests.dissectors.build import msg
    assert not decode_frame(msg(0x10, 1, b"\0" * 8), protocol=31, ctx=Context())[0].claimed
    assert not decode_frame(msg(0x7F, 1, b"\x01\x01\0\0"), protocol=16, ctx=Context({0x7F: "no_such"}))[0].claimed
    msgs = decode_file(CAPTURES / "mixed.pcapng")
    assert any(m.claimed and m.family == "nlctrl" for m in msgs)


def test_genl_families_claimed_and_counted():
    """The generic-netlink families of the mixed capture (wg, ip mptcp, …) are declared, and
    the count of unknown attributes over the written ones is zero."""
    msgs = (decode_file(CAPTURES / "mixed.pcapng") + decode_file(CAPTURES / "nl80211.pcapng")
            + decode_file(CAPTURES / "genl-more.pcapng"))
    written = {"nl80211", "wireguard", "mptcp_pm", "ethtool", "nlctrl", "devlink", "TASKSTATS", "NET_DM", "team",
               "psample", "ovs_datapath", "ovs_vport", "ovs_flow"}
    seen = {m.family for m in msgs if m.protocol == 16 and m.family in written}
    assert seen == written
    unknown = sum(m.unknown_count() for m in msgs if m.protocol == 16 and m.family in written)
    assert unknown == 0
