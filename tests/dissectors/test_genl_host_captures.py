"""Real traffic of `ip tcp_metrics`, `ip sr` and `ip ioam` on the host's 6.18 kernel
(captures/host-6.18/genl-*.sh, recorded with strace in a private netns): every message is
claimed and decodes whole, and the Info column says what ip printed (genl-*.log)."""
import json
import re

import pytest

from dissectors import format_tree
from tests.conftest import CAPTURES, decode_file

HOST = CAPTURES / "host-6.18"
NAMES = ("tcp_metrics", "seg6", "ioam6")
FAMILY = {"tcp_metrics": "tcp_metrics", "seg6": "SEG6", "ioam6": "IOAM6"}


def _msgs(name):
    return decode_file(HOST / f"genl-{name}.pcapng")


def _printed(name, command, nth=0):
    """The lines ip printed for the `nth` run of `command` (the log's `$ command` line to the next `$`)."""
    runs, cur = [], None
    for line in (HOST / f"genl-{name}.log").read_text().splitlines():
        if line.startswith("$ "):
            cur = [] if line[2:] == command else None
            if cur is not None:
                runs.append(cur)
        elif cur is not None:
            cur.append(line)
    return runs[nth]


def _replies(msgs, family, after=0, cmd=None):
    """Infos of the family's kernel messages (dump parts, replies) from message index `after`."""
    return [m.info for m in msgs[after:] if m.family == family and not m.tree.get("netlink.flags.request")
            and (cmd is None or m.type_name == cmd)]


@pytest.mark.parametrize("name", NAMES)
def test_every_message_is_claimed_and_whole(name):
    msgs = _msgs(name)
    fam = [m for m in msgs if m.family == FAMILY[name]]
    assert len(fam) > 5
    for m in msgs:
        assert m.claimed, f"{m.frame}.{m.index} {m.type_name} not claimed"
        assert not m.malformed, f"{m.frame}.{m.index} malformed: {m.info}"
        bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
        assert not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"
    assert not any(m.type_name.startswith("cmd ") for m in fam)


@pytest.mark.parametrize("name", NAMES)
def test_summary_info_is_the_full_trees(name):
    """The Info column from a shallow decode says what the full tree makes it say."""
    cheap, full = _msgs(name), _msgs(name)
    checked = 0
    for c, f in zip(cheap, full, strict=True):
        mt = f.message_type
        if f.family != FAMILY[name] or mt is None or mt.info is None:
            continue
        want = mt.info(f.tree)
        assert c.info == want, f"{c.frame}.{c.index} {c.type_name}"
        checked += 1
    assert checked > 10


def _dumps(msgs, family, cmd):
    """The dumps of `cmd`, each the Infos of its parts, in capture order."""
    out, cur = [], None
    for m in msgs:
        if m.family == family and m.type_name == cmd and m.tree.get("netlink.flags.dump"):
            cur = []
            out.append(cur)
        elif cur is not None and m.family == family and m.type_name == cmd and not m.tree.get("netlink.flags.request"):
            cur.append(m.info)
        elif m.type_name == "NLMSG_DONE":
            cur = None
    return out


def test_tcp_metrics_info_is_what_ip_printed():
    msgs = _msgs("tcp_metrics")
    dumps = _dumps(msgs, "tcp_metrics", "TCP_METRICS_CMD_GET")
    assert dumps[0] == _printed("tcp_metrics", "ip tcp_metrics show")
    # the kernel dumps every address family; `ip -6` keeps the IPv6 ones
    assert [i for i in dumps[1] if ":" in i.split()[0]] == _printed("tcp_metrics", "ip -6 tcp_metrics show")
    assert len(dumps[1]) == 2 and len(dumps[0]) == 3
    assert dumps[2] == [] == _printed("tcp_metrics", "ip tcp_metrics show", 1)   # after the flush
    one = [m for m in msgs if m.type_name == "TCP_METRICS_CMD_GET" and not m.tree.get("netlink.flags.dump")
           and not m.tree.get("netlink.flags.multi")]
    req, rep = one
    assert req.info == "10.9.0.1" and [rep.info] == _printed("tcp_metrics", "ip tcp_metrics show 10.9.0.1")
    dels = [m for m in msgs if m.type_name == "TCP_METRICS_CMD_DEL"]
    assert [d.info for d in dels] == ["10.9.0.1", ""]   # one address, then flush all


def test_tcp_metrics_values():
    """The cached RTT is 8 × the RTT (tp->srtt_us), RTTVAR 4 × (tp->mdev_us): the tree says both."""
    rep = [m for m in _msgs("tcp_metrics") if m.type_name == "TCP_METRICS_CMD_GET" and "10.9.0.1 age" in m.info][-1]
    rtt_us = rep.tree["TCP_METRICS_A_METRICS_RTT_US"]
    printed = _printed("tcp_metrics", "ip tcp_metrics show 10.9.0.1")[0]
    assert f"rtt {rtt_us >> 3}us" in printed
    assert rep.tree.find("TCP_METRICS_A_METRICS_RTT_US").show == f"{rtt_us} us (8 × rtt: {rtt_us >> 3} us)"
    assert rep.tree["TCP_METRICS_A_METRICS_RTT"] == rtt_us // 1000 or rtt_us < 1000
    assert rep.tree["TCP_METRICS_A_METRICS_CWND"] == 17
    assert rep.tree["TCP_METRICS_ATTR_ADDR_IPV4"] == "10.9.0.1" == rep.tree["TCP_METRICS_ATTR_SADDR_IPV4"]
    assert f"age {rep.tree['TCP_METRICS_ATTR_AGE'] / 1000:.3f}sec" in printed


def test_seg6_info_is_what_ip_printed_with_the_secret_redacted():
    msgs = _msgs("seg6")
    tunsrc = _replies(msgs, "SEG6", cmd="SEG6_CMD_GET_TUNSRC")
    assert tunsrc == ["tunsrc ::", "tunsrc 2001:db8::1", "tunsrc ::"]
    assert [_printed("seg6", "ip sr tunsrc show", i) for i in range(3)] == [[f"tunsrc addr {a}"] for a in
                                                                          ("::", "2001:db8::1", "::")]
    hmacs = _dumps(msgs, "SEG6", "SEG6_CMD_DUMPHMAC")
    printed = [re.sub(r'secret "(.*)"', lambda m: f"secret <{len(m.group(1))} bytes>", line)
               for line in (HOST / "genl-seg6.log").read_text().splitlines() if line.startswith("hmac ")]
    assert [line for d in hmacs for line in d] == printed
    assert printed == ["hmac 42 algo sha256 secret <14 bytes>", "hmac 7 algo sha1 secret <32 bytes>",
                       "hmac 42 algo sha256 secret <14 bytes>"]
    sets = [m.info for m in msgs if m.type_name == "SEG6_CMD_SETHMAC"]
    assert sets == ["hmac 42 algo sha256 secret <14 bytes>", "hmac 7 algo sha1 secret <32 bytes>",
                    "hmac 7 algo sha1 no secret (delete)", "hmac 9 algo sha1 no secret (delete)"]
    err = next(m for m in msgs if m.type_name == "NLMSG_ERROR" and "ENOENT" in m.info)
    assert err.info.startswith("ENOENT for SEG6_CMD_SETHMAC")


@pytest.mark.parametrize("secret", [b"s3cr3tpassword", b"0123456789abcdef0123456789abcdef"])
def test_seg6_secrets_never_shown(secret):
    """ip prints the HMAC secret; nlscope shows its length only, in the tree, JSON and values."""
    for m in _msgs("seg6"):
        everything = "\n".join([format_tree(m.tree), json.dumps(m.to_json())]
                               + [repr(n.value) for n in m.tree.walk()] + [n.show for n in m.tree.walk()])
        assert secret.decode() not in everything and secret.hex() not in everything


def test_ioam6_info_is_what_ip_printed():
    msgs = _msgs("ioam6")
    ns = _dumps(msgs, "IOAM6", "IOAM6_CMD_DUMP_NAMESPACES")
    sc = _dumps(msgs, "IOAM6", "IOAM6_CMD_DUMP_SCHEMAS")
    log = (HOST / "genl-ioam6.log").read_text().split("$ ip ioam ")[1:]
    printed = {"namespace": [], "schema": []}
    for block in log:
        cmd, *lines = block.splitlines()
        if cmd.endswith(" show"):
            printed[cmd.split()[0]].append(lines)
    assert ns == printed["namespace"] and len(ns) == 4
    assert sc == printed["schema"] and len(sc) == 3
    adds = [m.info for m in msgs if m.type_name == "IOAM6_CMD_ADD_NAMESPACE"]
    assert adds == ["namespace 1, data 0xdeadbeef, wide 0x1122334455667788", "namespace 2",
                    "namespace 3, data 0x00000007", "namespace 1"]
    errs = [m.info.split(" seq")[0] for m in msgs if m.type_name == "NLMSG_ERROR" and not m.info.startswith("ACK")]
    assert errs == ["ENODEV for RTM_NEWLINK", "EEXIST for IOAM6_CMD_ADD_NAMESPACE",
                    "ENOENT for IOAM6_CMD_NS_SET_SCHEMA", "ENOENT for IOAM6_CMD_DEL_SCHEMA"]
    wide = next(m for m in msgs if m.type_name == "IOAM6_CMD_ADD_NAMESPACE")
    assert wide.tree["IOAM6_ATTR_NS_DATA_WIDE"] == 0x1122334455667788
    assert wide.tree["IOAM6_ATTR_NS_DATA"] == 0xDEADBEEF and wide.tree["IOAM6_ATTR_NS_ID"] == 1
