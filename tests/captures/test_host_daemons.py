"""captures/host-6.18/daemons.pcapng: libnl's tools, pyroute2 and BIRD 2 on a 6.18 kernel
(captures/host-6.18/daemons.sh).  Values are the ones daemons.out shows the programs set."""
import pytest

from tests.conftest import CAPTURES, decode_file

PATH = CAPTURES / "host-6.18" / "daemons.pcapng"
RTPROT_BIRD, RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE = 12, 1, 6, 7


@pytest.fixture(scope="module")
def msgs():
    return decode_file(PATH)


def routes(msgs, kind):
    return [m for m in msgs if m.type_name == kind]


def test_bird_installs_its_static_routes_with_its_protocol_and_metric(msgs):
    """BIRD's kernel protocol exports 10.40/16 via 10.9.0.2, 10.41/16 blackhole, 10.42/16
    unreachable, all metric 32 (`ip route show` in daemons.out)."""
    sent = {(m.tree.first("rtnl.route.dst"), m.tree.first("rtnl.route.type")) for m in routes(msgs, "RTM_NEWROUTE")
            if m.tree.first("rtnl.route.protocol") == RTPROT_BIRD and m.direction == "to kernel"}
    assert {("10.40.0.0", RTN_UNICAST), ("10.41.0.0", RTN_BLACKHOLE), ("10.42.0.0", RTN_UNREACHABLE)} <= sent
    assert {m.tree.first("rtnl.route.priority") for m in routes(msgs, "RTM_NEWROUTE")
            if m.tree.first("rtnl.route.protocol") == RTPROT_BIRD} == {32}


def test_pyroute2_and_libnl_requests_carry_what_they_were_asked(msgs):
    dsts = {(m.tree.first("rtnl.route.dst"), m.tree.first("rtnl.route.priority")) for m in routes(msgs, "RTM_NEWROUTE")}
    assert ("10.30.0.0", 50) in dsts                               # pyroute2: ipr.route("add", …, priority=50)
    assert any(d == "10.20.0.0" for d, _ in dsts)                  # nl-route-add --dst 10.20.0.0/16
    rules = [m for m in msgs if m.type_name == "RTM_NEWRULE"]
    assert any(m.tree.first("rtnl.rule.priority") == 2000 and m.tree.first("rtnl.rule.table") == 200 for m in rules)


def test_every_message_is_claimed_and_fully_decoded(msgs):
    assert len(msgs) == 287
    for m in msgs:
        assert m.claimed and not m.malformed, f"{m.frame}.{m.index}: {m.info}"
        bad = [(n.name, n.status) for n in m.tree.walk() if n.status]
        assert not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"
