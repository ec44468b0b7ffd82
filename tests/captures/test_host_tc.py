"""captures/host-6.18/tc-requests.pcapng: tc 6.1 asking a 6.18 kernel for every qdisc, class,
filter and action kind of issue 17 (captures/host-6.18/tc-requests.sh).  The kernel has only
htb, tbf, the fifos, mq, u32, bpf and mirred: the rest are refused, but their requests are
the bytes tc builds, checked against the command lines; what the kernel has is dumped back,
checked against what tc printed (tc-requests.out)."""
import re

import pytest

from tests.conftest import CAPTURES, decode_file

PATH = CAPTURES / "host-6.18" / "tc-requests.pcapng"
OUT = CAPTURES / "host-6.18" / "tc-requests.out"

QDISCS = {"sfq", "pie", "fq", "fq_codel", "codel", "red", "cake", "ets", "choke", "sfb", "hhf", "fq_pie", "plug",
          "skbprio", "gred", "mqprio", "cbs", "etf", "taprio", "multiq", "hfsc", "drr", "qfq", "prio", "tbf",
          "netem", "htb", "pfifo", "bfifo", "pfifo_head_drop", "mq", "clsact"}
FILTERS = {"fw", "route", "flow", "cgroup", "basic", "u32", "flower", "matchall", "bpf"}
ACTIONS = {"gact", "mirred", "police", "pedit", "csum", "skbedit", "sample", "ct", "nat", "connmark", "ctinfo",
           "skbmod", "mpls", "gate", "vlan", "tunnel_key", "simple", "ife", "bpf"}


@pytest.fixture(scope="module")
def msgs():
    return decode_file(PATH)


def _requests(msgs, mtype, kind):
    return [m for m in msgs if m.type_name == mtype and m.direction == "to kernel"
            and m.tree.first("rtnl.tc.kind") == kind]


def _first(msgs, mtype, kind):
    found = _requests(msgs, mtype, kind)
    assert found, (mtype, kind)
    return found[0].tree


def test_nothing_is_unknown_or_malformed(msgs):
    assert len(msgs) > 500
    for m in msgs:
        assert not m.malformed, f"{m.frame}.{m.index}: {m.info}"
        assert m.claimed
        bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
        assert not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"


def test_every_kind_was_asked_for(msgs):
    sent = {m.tree.first("rtnl.tc.kind") for m in msgs if m.direction == "to kernel"}
    acts = {n.value for m in msgs if m.type_name == "RTM_NEWACTION" for n in m.tree.find_all("rtnl.tc.act.kind")}
    assert QDISCS | FILTERS <= sent
    assert ACTIONS <= acts


def test_qdisc_requests_hold_what_the_command_lines_say(msgs):
    t = _first(msgs, "RTM_NEWQDISC", "sfq")      # sfq perturb 10 quantum 1514 limit 127 depth 127 divisor 1024
    assert (t.first("rtnl.tc.sfq.perturb_period"), t.first("rtnl.tc.sfq.quantum"), t.first("rtnl.tc.sfq.depth"),
            t.first("rtnl.tc.sfq.divisor")) == (10, 1514, 127, 1024)
    t = _requests(msgs, "RTM_NEWQDISC", "sfq")[1].tree   # … redflowlimit 100000 min 8000 max 60000 probability 0.20 ecn
    assert (t.first("rtnl.tc.sfq.red_limit"), t.first("rtnl.tc.sfq.qth_min"), t.first("rtnl.tc.sfq.qth_max")) == \
        (100000, 8000, 60000)
    assert t.first("rtnl.tc.sfq.max_P") == int(0.20 * 2 ** 32) and t.first("rtnl.tc.sfq.flags.ecn") is True
    t = _first(msgs, "RTM_NEWQDISC", "cake")     # bandwidth 100Mbit rtt 100ms diffserv4 triple-isolate … fwmark 0xff
    assert t.first("rtnl.tc.cake.base_rate64") == 100_000_000 // 8 and t.first("rtnl.tc.cake.rtt") == 100_000
    assert t.first("rtnl.tc.cake.overhead") == 38 and t.first("rtnl.tc.cake.fwmark") == 0xFF
    assert "TRIPLE" in t.find("rtnl.tc.cake.flow_mode").show
    assert "DIFFSERV4" in t.find("rtnl.tc.cake.diffserv_mode").show
    t = _first(msgs, "RTM_NEWQDISC", "fq")       # limit 10000 flow_limit 100 … horizon 10s horizon_drop
    assert (t.first("rtnl.tc.fq.plimit"), t.first("rtnl.tc.fq.flow_plimit"), t.first("rtnl.tc.fq.horizon")) == \
        (10000, 100, 10_000_000)
    t = _first(msgs, "RTM_NEWQDISC", "ets")      # bands 4 strict 1 quanta 1500 1000 500 priomap 3 2 1 0
    assert [n.value for n in t.find_all("rtnl.tc.ets.quanta.quanta_band")] == [1500, 1000, 500]
    assert [n.value for n in t.find_all("rtnl.tc.ets.priomap.priomap_band")] == [3, 2, 1, 0]
    t = _first(msgs, "RTM_NEWQDISC", "choke")    # limit 1000 … min 100 max 300 avpkt 1000 (bytes → packets)
    assert (t.first("rtnl.tc.choke.parms.limit"), t.first("rtnl.tc.choke.parms.flags.ecn")) == (1000, True)
    t = _first(msgs, "RTM_NEWQDISC", "taprio")   # three sched-entry S 01/02/04 300000/300000/400000
    assert [n.value for n in t.find_all("rtnl.tc.taprio_entry.gate_mask")] == [1, 2, 4]
    assert [n.value for n in t.find_all("rtnl.tc.taprio_entry.interval")] == [300000, 300000, 400000]
    assert t.first("rtnl.tc.taprio.attr_sched_base_time") == 1_000_000_000
    t = _first(msgs, "RTM_NEWQDISC", "mqprio")   # num_tc 3 … min_rate 1Mbit 2Mbit 3Mbit
    assert t.first("rtnl.tc.mqprio.qopt.num_tc") == 3
    assert [n.value for n in t.find_all("rtnl.tc.mqprio.rate.min_rate64")][:3] == [125000, 250000, 375000]
    t = _first(msgs, "RTM_NEWQDISC", "cbs")      # hicredit 30 locredit -1470 sendslope -980000 idleslope 20000
    assert (t.first("rtnl.tc.cbs.parms.hicredit"), t.first("rtnl.tc.cbs.parms.locredit"),
            t.first("rtnl.tc.cbs.parms.sendslope"), t.first("rtnl.tc.cbs.parms.idleslope")) == \
        (30, -1470, -980000, 20000)
    t = _first(msgs, "RTM_NEWQDISC", "etf")      # clockid CLOCK_TAI (11) delta 300000 deadline_mode skip_sock_check
    assert (t.first("rtnl.tc.etf.parms.clockid"), t.first("rtnl.tc.etf.parms.delta")) == (11, 300000)
    assert t.first("rtnl.tc.etf.parms.flags.deadline_mode_on") is True
    t = _first(msgs, "RTM_NEWTCLASS", "qfq")     # weight 10 maxpkt 1514
    assert (t.first("rtnl.tc.qfq.weight"), t.first("rtnl.tc.qfq.lmax")) == (10, 1514)
    t = _first(msgs, "RTM_NEWTCLASS", "hfsc")    # sc rate 1mbit: rsc and fsc m2 125000 B/s; ul rate 2mbit
    assert [n.value for n in t.find_all("rtnl.tc.hfsc.curve.m2")] == [125000, 125000, 250000]


def test_filter_and_action_requests(msgs):
    t = _first(msgs, "RTM_NEWTFILTER", "basic")  # meta(nf_mark eq 10) and cmp(…) or not u32(…) and nbyte("abc" …)
    kinds = [n.show for n in t.find_all("rtnl.tc.ematch.hdr.kind")]
    assert kinds == ["TCF_EM_META (4)", "TCF_EM_CMP (1)", "TCF_EM_U32 (3)", "TCF_EM_NBYTE (2)"]
    assert t.find_all("rtnl.tc.ematch.meta.rvalue")[0].show == "10"
    assert t.first("rtnl.tc.ematch.u32.off") == 20 and t.first("rtnl.tc.ematch.u32.mask") == 0xFFFF
    t = _first(msgs, "RTM_NEWTFILTER", "flow")   # hash keys src,dst,proto,proto-src,proto-dst divisor 1024 perturb 10
    assert (t.first("rtnl.tc.flow.divisor"), t.first("rtnl.tc.flow.perturb"), t.first("rtnl.tc.flow.keys")) == \
        (1024, 10, 0x1F)
    t = _requests(msgs, "RTM_NEWTFILTER", "flower")[3].tree   # enc_key_id 42 … enc_dst_port 4789 geneve_opts …
    assert (t.first("rtnl.tc.flower.key_enc_key_id"), t.first("rtnl.tc.flower.key_enc_udp_dst_port")) == (42, 4789)
    assert t.first("rtnl.tc.flower.enc_opts.geneve.class") == 0x0102
    by_index = {}   # tc actions add … index N: each action's parameters name it
    for m in msgs:
        if m.type_name == "RTM_NEWACTION" and m.direction == "to kernel":
            for n in m.tree.walk():
                if n.field.abbrev.endswith((".parms.index", ".sel.index")):
                    by_index[n.value] = m.tree
    assert set(range(4, 29)) <= set(by_index)
    t = by_index[9]   # ct zone 5 commit mark 0x10/0xff nat src addr 10.0.0.1-10.0.0.10 port 1000-2000
    assert (t.first("rtnl.tc.ct.zone"), t.first("rtnl.tc.ct.nat_ipv4_min"), t.first("rtnl.tc.ct.nat_ipv4_max"),
            t.first("rtnl.tc.ct.nat_port_min"), t.first("rtnl.tc.ct.nat_port_max")) == (5, "10.0.0.1", "10.0.0.10",
                                                                                      1000, 2000)
    t = by_index[11]  # nat egress 10.0.0.1/32 192.0.2.1
    assert t.find("rtnl.tc.nat.parms.new_addr").show == "192.0.2.1" and t.first("rtnl.tc.nat.parms.flags") == 1
    t = by_index[16]  # mpls push protocol mpls_uc label 100 tc 3 ttl 64 bos 1
    assert (t.first("rtnl.tc.mpls.label"), t.first("rtnl.tc.mpls.proto"), t.first("rtnl.tc.mpls.ttl")) == \
        (100, 0x8847, 64)
    t = by_index[23]  # tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 … nocsum
    assert (t.first("rtnl.tc.tunnel_key.enc_ipv4_dst"), t.first("rtnl.tc.tunnel_key.enc_key_id"),
            t.first("rtnl.tc.tunnel_key.enc_dst_port"), t.first("rtnl.tc.tunnel_key.no_csum")) == \
        ("10.0.0.2", 42, 4789, 1)
    t = by_index[27]  # ife encode allow mark allow prio use tcindex 5 type 0xED3E
    assert t.first("rtnl.tc.ife.type") == 0xED3E and t.find("rtnl.tc.ife.meta.tcindex").show == "5"


def _printed(pattern):
    return [m.groups() for m in re.finditer(pattern, OUT.read_text())]


def test_dumps_match_what_tc_printed(msgs):
    dumped = [m for m in msgs if m.direction == "from kernel" and m.type_name in ("RTM_NEWQDISC", "RTM_NEWTCLASS")]
    limits = {(m.tree.first("rtnl.tc.kind"), m.tree.first("rtnl.tc.fifo.limit")) for m in dumped
              if m.tree.first("rtnl.tc.fifo.limit") is not None}
    # qdisc pfifo 10: parent 1:10 limit 50p / bfifo 20: … limit 30000b / pfifo_head_drop 30: … limit 40p
    assert {(k, int(v)) for k, v in _printed(r"qdisc (pfifo|bfifo|pfifo_head_drop) \d+: parent \S+ limit (\d+)")} \
        == limits
    classes = [m for m in dumped if m.type_name == "RTM_NEWTCLASS" and m.tree.first("rtnl.tc.kind") == "htb"]
    tokens = [(m.tree.find_all("rtnl.tc.xstats.htb.tokens")[0].value, m.tree.first("rtnl.tc.xstats.htb.ctokens"))
              for m in classes]
    assert tokens == [(int(a), int(b)) for a, b in _printed(r"tokens: (-?\d+) ctokens: (-?\d+)")]
    (htb,) = {m.tree.first("rtnl.tc.htb.init.defcls") for m in dumped
              if m.type_name == "RTM_NEWQDISC" and m.tree.first("rtnl.tc.kind") == "htb"}
    assert htb == 0x10   # default 0x10
    (tbf,) = [m for m in dumped if m.tree.first("rtnl.tc.kind") == "tbf"]
    # rate 1Mbit … mpu 64b peakrate 2Mbit mtu 1514b: tbf_dump() sends the mtu as the time it
    # takes at the peak rate, in psched ticks of 64 ns (PSCHED_NS2TICKS)
    assert (tbf.tree.first("rtnl.tc.tbf.parms.rate"), tbf.tree.first("rtnl.tc.tbf.parms.peakrate"),
            tbf.tree.first("rtnl.tc.tbf.parms.rate_mpu"), tbf.tree.first("rtnl.tc.tbf.parms.mtu")) == \
        (125000, 250000, 64, 1514 * 10 ** 9 // 250000 // 64)
    # stab overhead 20 linklayer atm mtu 2048 tsize 512: qdisc_dump_stab() sends TCA_STAB_BASE alone
    assert (tbf.tree.first("rtnl.tc.stab.sizespec.overhead"), tbf.tree.first("rtnl.tc.stab.sizespec.linklayer"),
            tbf.tree.first("rtnl.tc.stab.sizespec.mtu"), tbf.tree.first("rtnl.tc.stab.sizespec.tsize")) == \
        (20, 2, 2048, 512)
    assert tbf.tree.find("rtnl.tc.stab.data") is None
    assert {m.info for m in dumped if m.tree.first("rtnl.tc.kind") == "pfifo"} == \
        {"pfifo 10: parent 1:10 dev 3 limit 50"}


def test_summary_info_equals_full_tree_info():
    """The main parameter an Info shows (`sfq 1: root dev 3 perturb 10`) comes from what a
    summary decodes, so it says what the full tree says (see test_summary_info.py)."""
    cheap, again = decode_file(PATH), decode_file(PATH)
    checked = 0
    for c, full in zip(cheap, again):
        mt = full.message_type
        if full.malformed or full.type < 0x10 or mt is None or mt.info is None:
            continue
        want = mt.info(full.tree)
        assert c.info == want, f"{c.frame}.{c.index} {c.type_name}"
        checked += 1
    assert checked > 300
    infos = {m.info for m in cheap}
    assert {"sfq 1: root dev 3 perturb 10", "pie 1: root dev 3 limit 1000", "cake 1: root dev 3 bandwidth 100000000bit",
            "plug root dev 3 release", "drr 1:1 parent 1: dev 3 quantum 1500", "hfsc 1: root dev 3 default 1",
            "skbprio 1: root dev 3 limit 64"} <= infos
