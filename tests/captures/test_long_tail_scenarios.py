"""captures/{,6.12/}tc.pcapng, genl-tail.pcapng and connector.pcapng: the scenarios of
captures/scenarios/tc.sh, genl-tail.sh and connector.sh recorded in the VM on 6.1 and 6.12.
(Not in all.sh: the VM suite's time; they are recorded with tools/vm.py and kept here.)
Every message claimed decodes whole on both kernels (tests/captures/test_committed_captures.py);
this checks that each kind the scripts made came back from the kernel decoded."""
import pytest

from tests.conftest import KERNEL_CAPTURES as KERNELS, decode_file

# what tc.sh adds and dumps with -s -d (the kernel's own TCA_OPTIONS/XSTATS come back)
TC_KINDS = {"basic", "bfifo", "bpf", "cake", "cbs", "cgroup", "choke", "codel", "drr", "etf", "ets", "flow", "flower",
            "fq", "fq_codel", "fq_pie", "fw", "gred", "hfsc", "hhf", "matchall", "mqprio", "multiq", "pfifo",
            "pfifo_head_drop", "pie", "plug", "prio", "qfq", "red", "route", "sfb", "sfq", "skbprio", "taprio", "u32"}
ACT_KINDS = {"bpf", "connmark", "csum", "ct", "ctinfo", "gact", "gate", "ife", "mirred", "mpls", "nat", "pedit",
             "police", "sample", "simple", "skbedit", "skbmod", "tunnel_key", "vlan"}
GENL_FAMILIES = {"IOAM6", "SEG6", "TIPCv2", "batadv", "fou", "ila", "l2tp", "macsec", "nl802154", "tcp_metrics"}


def _bad(m):
    return [(n.name, n.status) for n in m.tree.walk() if n.status]


@pytest.mark.parametrize("kernel", KERNELS)
def test_every_qdisc_class_filter_and_action_comes_back_decoded(kernel):
    msgs = decode_file(KERNELS[kernel] / "tc.pcapng")
    replies = [m for m in msgs if m.direction == "from kernel"]
    kinds = {m.tree.first("rtnl.tc.kind") for m in replies
             if m.type_name in ("RTM_NEWQDISC", "RTM_NEWTCLASS", "RTM_NEWTFILTER")}
    assert TC_KINDS <= kinds, sorted(TC_KINDS - kinds)
    acts = {n.value for m in replies for n in m.tree.find_all("rtnl.tc.act.kind")}
    assert ACT_KINDS <= acts, sorted(ACT_KINDS - acts)
    assert all(m.claimed and not _bad(m) for m in msgs)


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_long_tail_of_generic_netlink_answers_decoded(kernel):
    msgs = decode_file(KERNELS[kernel] / "genl-tail.pcapng")
    fams = {m.family for m in msgs if m.protocol == 16 and m.direction == "from kernel"}
    assert GENL_FAMILIES <= fams, sorted(GENL_FAMILIES - fams)
    for m in msgs:
        if m.claimed:
            assert not _bad(m), f"{m.frame}.{m.index} {m.type_name}: {_bad(m)}"
    macsec = [m for m in msgs if m.tree.first("rtnl.link.linkinfo.kind") == "macsec" and m.direction == "from kernel"]
    assert macsec and all(m.tree.find("rtnl.link.linkinfo.macsec.sci") is not None for m in macsec)


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_proc_connector_listener_and_its_events(kernel):
    msgs = decode_file(KERNELS[kernel] / "connector.pcapng")
    assert msgs[0].info == "PROC_CN_MCAST_LISTEN" and msgs[0].direction == "to kernel"
    assert any(m.info.startswith("fork parent") for m in msgs)
    assert all(m.claimed and not _bad(m) for m in msgs)
