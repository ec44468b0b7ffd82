"""`nlscope trace -- CMD` on a real kernel (captures/scenarios/trace.sh, run by all.sh): one
trace per engine (bpf, strace) of a shell running, in turn, an `ip link add` the kernel refuses
with an extack naming the attribute, a link kind no module provides, `ip -batch`, `nft -f`,
three `iw`, a shell forking two `ip`, an `ip route get` that lives under a millisecond, and
killing itself with -9; an `ip monitor all` and a loop of `ip link show lo` run beside it.
Each trace must show the commands' processes and nothing else, exit with the shell's status
(137), pair every request, and the two engines must agree message for message.  The same
commands traced one by one are captures/trace-KERNEL/ (tests/captures/test_trace_captures.py)."""
import json
from collections import Counter

import pytest

from nlscope.sources import read_capture
from nlscope.sources.capture import INBOUND, OUTBOUND

pytestmark = pytest.mark.vm
ENGINES = ["bpf", "strace"]
# processes of trace-cases.sh that send netlink messages: ip (link-error, link-kind, -batch,
# the fork's two, route get, link show lo), nft (-f, delete table), iw (dev, dev wlan0 info, reg get)
COMMS = {"ip": 7, "nft": 2, "iw": 3}


def _msgs(vm_out, engine) -> list[dict]:
    lines = (vm_out / f"trace-all.{engine}.json").read_text().splitlines()
    assert lines, (vm_out / f"trace-all.{engine}.err").read_text()[-2000:]
    return [json.loads(line) for line in lines]


def _by_process(msgs) -> dict[int, list[dict]]:
    """pid -> its messages in order (pids in the order the processes started)."""
    out: dict[int, list[dict]] = {}
    for m in msgs:
        out.setdefault(m["process"]["pid"], []).append(m)
    return dict(sorted(out.items()))


def _process(msgs, comm: str, pred) -> list[dict]:
    """The messages of the one process named `comm` whose messages satisfy `pred`."""
    found = [ms for ms in _by_process(msgs).values() if ms[0]["process"]["comm"] == comm and pred(ms)]
    assert len(found) == 1, [[(m["type"], m["info"]) for m in ms] for ms in found]
    return found[0]


def _types(ms, direction) -> list[str]:
    return [m["type"] for m in ms if m["direction"] == direction]


def test_the_trace_scenario_ran(vm_out):
    log = (vm_out / "scenario.log").read_text()
    assert "trace rc=0" in log, log
    trace_log = (vm_out / "trace.log").read_text()
    assert "mac80211_hwsim unavailable" not in trace_log, trace_log


@pytest.mark.parametrize("engine", ENGINES)
def test_trace_exits_with_the_commands_status(vm_out, engine):
    """The shell killed itself with -9: 128 + 9, as a shell reports it."""
    assert (vm_out / f"trace-all.{engine}.rc").read_text().strip() == "137"
    err = (vm_out / f"trace-all.{engine}.err").read_text()
    assert "Traceback" not in err and "Error: integer out of range." in err, err[-2000:]
    assert "ifindex" in err   # `iw dev`'s own output went to stderr, trace's stdout stays whole


@pytest.mark.parametrize("engine", ENGINES)
def test_a_trace_shows_the_commands_processes_only(vm_out, engine):
    msgs = _msgs(vm_out, engine)
    procs = _by_process(msgs)
    assert Counter(ms[0]["process"]["comm"] for ms in procs.values()) == COMMS, \
        {pid: (ms[0]["process"]["comm"], [m["type"] for m in ms][:4]) for pid, ms in procs.items()}
    others = {int(p) for p in (vm_out / "trace-others.pids").read_text().split()}
    assert not others & procs.keys()
    # the loop's `ip link show lo` is a GETLINK for lo like the shell's last command: only one
    # process's dump of lo is there
    lo = [ms for ms in procs.values() if any(m["type"] == "RTM_GETLINK" and m["direction"] == "to kernel"
                                             and m["info"] == "lo" for m in ms)]
    assert len(lo) == 1, [ms[0]["process"] for ms in lo]


def test_bpf_frames_are_the_processes_own_deliveries(vm_out):
    """No multicast copy (the monitor's groups got the notifications, the traced command none);
    each frame goes to the kernel from a traced socket or comes back to one."""
    frames = list(read_capture(str(vm_out / "trace-all.bpf.pcapng")))
    assert frames and all(fr.delivery is not None and fr.delivery.group == 0 for fr in frames)
    for fr in frames:
        port = fr.delivery.sender if fr.direction == INBOUND else fr.delivery.receiver
        assert fr.direction in (INBOUND, OUTBOUND) and port != 0


@pytest.mark.parametrize("engine", ENGINES)
def test_the_errors_name_what_the_kernel_blamed(vm_out, engine):
    msgs = _msgs(vm_out, engine)
    errors = [m for m in msgs if m["type"] == "NLMSG_ERROR" and m["error"]]
    (erange,) = [m for m in errors if m["error"]["code"] == -34]
    assert "integer out of range" in erange["info"] and "IFLA_GSO_MAX_SIZE" in erange["info"], erange["info"]
    (kind,) = [m for m in errors if m["error"]["code"] == -95]   # EOPNOTSUPP: no such link kind
    assert "Unknown device type" in kind["info"], kind["info"]
    for m in (erange, kind):   # each paired with the NEWLINK it answers
        assert m["transaction"]["role"] == "response"
        (req,) = [r for r in msgs if f'{r["frame"]}.{r["msg"]}' == m["transaction"]["request"]]
        assert req["type"] == "RTM_NEWLINK" and req["process"] == m["process"]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_request_that_asks_for_an_answer_has_one(vm_out, engine):
    msgs = _msgs(vm_out, engine)
    answered = {m["transaction"]["request"] for m in msgs
                if m["direction"] == "from kernel" and m.get("transaction") and m["transaction"]["role"] == "response"}
    asking = [m for m in msgs if m["direction"] == "to kernel" and ({"ACK", "DUMP"} & set(m["flags"])
                                                                    or m["type"].startswith("RTM_GET"))]
    assert asking
    missing = [(m["process"]["comm"], m["type"], m["seq"]) for m in asking if f'{m["frame"]}.{m["msg"]}' not in answered]
    assert not missing


@pytest.mark.parametrize("engine", ENGINES)
def test_ip_batch_is_one_process_with_every_command_acked(vm_out, engine):
    ms = _process(_msgs(vm_out, engine), "ip", lambda ms: "RTM_NEWROUTE" in _types(ms, "to kernel"))
    sent = _types(ms, "to kernel")
    for t in ("RTM_NEWLINK", "RTM_NEWADDR", "RTM_NEWROUTE", "RTM_DELLINK"):
        assert t in sent, sent
    # every command ACKed; the only error is the answer to ip's start-up probe (a NEWLINK of
    # no interface, seq 0: ENODEV), which every ip of iproute2 6.x sends first
    acks = [m for m in ms if m["type"] == "NLMSG_ERROR" and m["error"]["request_seq"] != 0]
    assert len(acks) == 5 and all(m["error"]["code"] == 0 for m in acks), [m["info"] for m in acks]


@pytest.mark.parametrize("engine", ENGINES)
def test_nft_f_sends_its_ruleset_in_one_batch(vm_out, engine):
    ms = _process(_msgs(vm_out, engine), "nft", lambda ms: "NFT_MSG_NEWRULE" in _types(ms, "to kernel"))
    sent = _types(ms, "to kernel")
    begin, end = sent.index("NFNL_MSG_BATCH_BEGIN"), sent.index("NFNL_MSG_BATCH_END")
    assert begin < end and {"NFT_MSG_NEWTABLE", "NFT_MSG_NEWSET", "NFT_MSG_NEWCHAIN", "NFT_MSG_NEWRULE"} \
        <= set(sent[begin:end]), sent
    assert not [m for m in ms if m["type"] == "NLMSG_ERROR" and m["error"]["code"] != 0]


@pytest.mark.parametrize("engine", ENGINES)
def test_iw_is_three_processes_each_naming_nl80211(vm_out, engine):
    procs = [ms for ms in _by_process(_msgs(vm_out, engine)).values() if ms[0]["process"]["comm"] == "iw"]
    assert len(procs) == 3
    for ms in procs:   # each resolves the family first, then speaks nl80211 by name
        assert ms[0]["type"] == "CTRL_CMD_GETFAMILY", ms[0]
        assert any(m["family"] == "nl80211" and m["type"].startswith("NL80211_CMD_") for m in ms)
    assert any(m["type"] == "NL80211_CMD_NEW_INTERFACE" and m["info"].startswith("wlan0")
               for ms in procs for m in ms)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_fork_and_a_sub_millisecond_command_are_named(vm_out, engine):
    msgs = _msgs(vm_out, engine)
    def dumps(ms):
        return [m["type"] for m in ms if m["direction"] == "to kernel" and "DUMP" in m["flags"]]
    link = _process(msgs, "ip", lambda ms: dumps(ms) == ["RTM_GETLINK"])
    addr = _process(msgs, "ip", lambda ms: dumps(ms) == ["RTM_GETLINK", "RTM_GETADDR"])
    # the fork's two children: each its own socket (the kernel's answers carry its port id)
    ports = [{m["portid"] for m in ms if m["direction"] == "from kernel"} for ms in (link, addr)]
    assert all(len(p) == 1 for p in ports) and ports[0] != ports[1]
    route = _process(msgs, "ip", lambda ms: "RTM_GETROUTE" in _types(ms, "to kernel"))
    (answer,) = [m for m in route if m["type"] == "RTM_NEWROUTE"]   # then ip names dev 1: a GETLINK
    assert answer["direction"] == "from kernel" and answer["info"].startswith("127.0.0.1/32 dev 1")


def test_both_engines_saw_the_same_conversation(vm_out):
    """strace records what the calls passed, BPF what the kernel delivered: for one command the
    same messages, in the same order, process by process (only seq numbers, from the clock,
    and pids differ between the two runs)."""
    def shape(msgs):
        return [[(m["direction"], m["type"], m["flags_value"], m["length"] if m["direction"] == "to kernel" else None)
                 for m in ms] for ms in _by_process(msgs).values()]
    bpf, strace = (shape(_msgs(vm_out, e)) for e in ENGINES)
    assert len(bpf) == len(strace)
    for a, b in zip(bpf, strace):
        assert a == b
