"""captures/{,6.12/}ynl.pcapng: the kernel's own YNL command line asking the generic netlink
families only a YNL spec describes (captures/scenarios/ynl.sh, recorded in the VM).  On 6.12
each answer decodes, with nlscope's built-in families (no --spec), to the values ynl printed
as JSON in the log; on 6.1, where none of the families exists, each lookup ends at nlctrl's
ENOENT.  Every message decoding whole is test_committed_captures.py's test."""
import json
import re

import pytest

from tests.conftest import KERNEL_CAPTURES as KERNELS, decode_file

FAMILIES = ("netdev", "dpll", "handshake", "nfsd")


def _answers(log: str) -> dict[str, tuple[int, str]]:
    """`ynl FAMILY ARGS` -> (its exit status, what it printed first), from the scenario log."""
    out = {}
    for m in re.finditer(r"^\+ ynl (.+)\nrc=(\d+)\n(.*)$", log, re.M):
        out[m.group(1)] = (int(m.group(2)), m.group(3))
    return out


def _recording(kernel: str):
    d = KERNELS[kernel]
    return kernel, decode_file(d / "ynl.pcapng"), _answers((d / "ynl.log").read_text())


@pytest.fixture(scope="module", params=list(KERNELS))
def recorded(request):
    return _recording(request.param)


@pytest.fixture(scope="module")
def on_612():
    """6.12's recording: the kernel that has the four families."""
    return _recording("6.12")


def _replies(msgs, request_type: str):
    """The answers to each request of `request_type`, in order (one list per request)."""
    out = []
    for m in msgs:
        if m.type_name == request_type and m.direction == "to kernel":
            answers = [r for r in msgs if r.direction == "from kernel" and r.seq == m.seq and r.pid and
                       r.pos > m.pos and r.protocol == 16]
            out.append(answers)
    return out


def _bits(m, field: str) -> list[str]:
    """The names of the bits set in a flags field (NETDEV_XDP_ACT_RX_SG), lower case with
    dashes (netdev-xdp-act-rx-sg)."""
    node = m.tree.find(field)
    return [c.name.lower().replace("_", "-") for c in (node.children or []) if c.value is True] if node else []


def _same_bits(m, field: str, printed: list[str]) -> bool:
    """The bits set are the ones ynl printed (`rx-sg`: the spec's entry, our name's end)."""
    names = _bits(m, field)
    return len(names) == len(printed) and all(any(n.endswith("-" + p) for n in names) for p in printed)


def _families_listed(msgs) -> set[str]:
    """The families nlctrl's dumps named (ynl dumps every family to find its own)."""
    return {m.tree.first("genl.ctrl.family_name") for m in msgs
            if m.type_name == "CTRL_CMD_NEWFAMILY" and m.direction == "from kernel"}


def test_ynl_asked_every_family(recorded):
    kernel, msgs, answers = recorded
    assert {a.split()[0] for a in answers} == set(FAMILIES)
    dumps = [m for m in msgs if m.type_name == "CTRL_CMD_GETFAMILY" and m.direction == "to kernel"
             and m.flags & 0x300 == 0x300]
    assert len(dumps) == len(answers)   # one family dump per ynl run: how it finds its family's id
    listed = _families_listed(msgs)
    assert {"nlctrl", "ethtool", "devlink"} <= listed


def test_on_6_1_no_family_is_there_and_ynl_says_so():
    """6.1 lists none of the four families; ynl says "not supported" and sends nothing more."""
    kernel, msgs, answers = _recording("6.1")
    assert not set(FAMILIES) & _families_listed(msgs)
    for ask, (rc, text) in answers.items():
        assert rc == 1 and text == f"Exception: Family '{ask.split()[0]}' not supported by the kernel", ask
    # nothing but the lookups (and the veth changes made meanwhile, rtnetlink's)
    assert {m.family for m in msgs} <= {"nlctrl", "genl", "rtnetlink"}


def test_on_6_12_every_family_is_listed(on_612):
    kernel, msgs, answers = on_612
    assert set(FAMILIES) <= _families_listed(msgs)


def test_netdev_devices_as_ynl_printed_them(on_612):
    kernel, msgs, answers = on_612
    rc, text = answers["netdev --dump dev-get"]
    printed = {d["ifindex"]: d for d in json.loads(text)}
    (dump,) = _replies(msgs, "NETDEV_CMD_DEV_GET")[:1]
    decoded = {m.tree.first("netdev.dev.ifindex"): m for m in dump if m.type_name == "NETDEV_CMD_DEV_GET"}
    assert rc == 0 and decoded.keys() == printed.keys() and len(printed) >= 3
    for ifindex, d in printed.items():
        m = decoded[ifindex]
        assert _same_bits(m, "netdev.dev.xdp_features", d["xdp-features"]), ifindex
        assert _same_bits(m, "netdev.dev.xdp_rx_metadata_features", d["xdp-rx-metadata-features"]), ifindex
    assert any(d["xdp-features"] for d in printed.values())   # the veth's: something to compare


def test_netdev_one_device_and_a_missing_one(on_612):
    kernel, msgs, answers = on_612
    ask = next(a for a in answers if a.startswith("netdev --do dev-get") and "99999" not in a)
    wanted = json.loads(answers[ask][1])
    gets = _replies(msgs, "NETDEV_CMD_DEV_GET")
    one = [m for answers_ in gets[1:] for m in answers_ if m.type_name == "NETDEV_CMD_DEV_GET"]
    assert one and one[0].tree.first("netdev.dev.ifindex") == wanted["ifindex"]
    assert _same_bits(one[0], "netdev.dev.xdp_features", wanted["xdp-features"])
    missing = [m for answers_ in gets for m in answers_ if m.type_name == "NLMSG_ERROR" and m.error_code]
    assert [m.error_code for m in missing] == [-19]   # ENODEV, as ynl said: "No such device"
    assert "No such device" in answers['netdev --do dev-get --json {"ifindex": 99999}'][1]


def test_netdev_queues_as_ynl_printed_them(on_612):
    kernel, msgs, answers = on_612
    printed = {(q["ifindex"], q["type"], q["id"]) for q in json.loads(answers["netdev --dump queue-get"][1])}
    types = {0: "rx", 1: "tx"}   # netdev.yaml: enum queue-type, entries [rx, tx]
    (dump,) = _replies(msgs, "NETDEV_CMD_QUEUE_GET")
    decoded = {(m.tree.first("netdev.queue.ifindex"), types[m.tree.first("netdev.queue.type")],
                m.tree.first("netdev.queue.id")) for m in dump if m.type_name == "NETDEV_CMD_QUEUE_GET"}
    assert decoded == printed and printed


def test_netdev_notifications_ynl_received(on_612):
    kernel, msgs, answers = on_612
    rc, text = answers["netdev --subscribe mgmt --sleep 32"]
    received = [n["name"] for n in json.loads(text)]
    seen = [m.type_name for m in msgs if m.family == "netdev" and m.pid == 0 and m.direction == "from kernel"]
    assert rc == 0 and received and set(received) <= {"dev-add-ntf", "dev-del-ntf", "dev-change-ntf"}
    assert {f"NETDEV_CMD_{n.upper().replace('-', '_')}" for n in received} <= set(seen)
    assert len(seen) >= len(received)


def test_dpll_handshake_and_nfsd_answers(on_612):
    kernel, msgs, answers = on_612
    by_family = {}
    for m in msgs:
        if m.family in ("dpll", "handshake", "nfsd"):
            by_family.setdefault(m.family, []).append(m)
    assert set(by_family) == {"dpll", "handshake", "nfsd"}
    # no dpll device in the VM: both dumps end empty, as ynl printed ([])
    assert answers["dpll --dump device-get"] == (0, "[]") and answers["dpll --dump pin-get"] == (0, "[]")
    # nfsd's version list as ynl printed it: each major.minor with its enabled flag
    rc, text = answers["nfsd --do version-get"]
    if rc == 0:
        printed = {(v["major"], v.get("minor", 0)) for v in json.loads(text)["version"]}
        reply = next(m for m in by_family["nfsd"] if m.type_name.endswith("VERSION_GET") and m.direction == "from kernel")
        majors = [n.value for n in reply.tree.find_all("nfsd.version.major")]
        minors = [n.value for n in reply.tree.find_all("nfsd.version.minor")]
        assert set(zip(majors, minors)) <= printed | {(mj, 0) for mj, _ in printed} and majors
