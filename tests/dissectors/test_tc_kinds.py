"""tc kinds of issue 17, built as the kernel's dump functions write them (net/sched/sch_*.c,
cls_*.c, act_*.c of 6.12) or as tc 6.1 sends them: options that are a bare struct read by
length, extended statistics by kind, cake's and taprio's nested statistics, hfsc's qdisc and
class options, mqprio's struct then attributes, gred's dump of every virtual queue, flower's
big-endian keys, ematch trees; damaged ones are malformed, never a traceback."""
import struct

import pytest

from dissectors import Context, decode_frame
from dissectors.generated import gen_stats as GS, pkt_cls as C, pkt_sched as P, rtnetlink as R

from .build import msg, nla

NLM_F_MULTI, NLM_F_REQUEST = 0x2, 0x1
NESTED = 0x8000


def tcmsg(ifindex=1, handle=0x80010000, parent=0xFFFFFFFF, info=0):
    return struct.pack("<BxxxiIII", 0, ifindex, handle, parent, info)


def tc(mtype, kind, options=None, extra=b"", **hdr):
    body = tcmsg(**hdr) + nla(R.TCA_KIND, kind.encode() + b"\0")
    if options is not None:
        body += nla(R.TCA_OPTIONS, options)
    (m,) = decode_frame(msg(mtype, NLM_F_MULTI, body + extra), 0, Context())
    m.tree.to_json()
    return m


def bad(m):
    return [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]


def u32s(*v):
    return struct.pack(f"<{len(v)}I", *v)


# --- bare structs, by length ------------------------------------------------------------------
SFQ_V0 = struct.pack("<IiIII", 1514, 10, 127, 1024, 128)


def test_sfq_v0_v1_and_a_length_in_between():
    """sfq_change(): tc_sfq_qopt at least; tc_sfq_qopt_v1 when nla_len holds it; sfq_dump()
    always sends v1 (72 bytes)."""
    v1 = SFQ_V0 + u32s(127, 1, 100000, 8000, 60000) + bytes([6, 18, 0, P.TC_RED_ECN]) + u32s(858993459) \
        + u32s(1, 2, 3, 4, 5, 6)
    assert len(v1) == 72
    m = tc(R.RTM_NEWQDISC, "sfq", v1)
    assert not bad(m)
    assert m.info == "sfq 8001: root dev 1 perturb 10"
    assert m.tree.first("rtnl.tc.sfq.depth") == 127 and m.tree.first("rtnl.tc.sfq.red_limit") == 100000
    assert m.tree.first("rtnl.tc.sfq.max_P") == 858993459 and m.tree.first("rtnl.tc.sfq.forced_mark_head") == 6
    assert m.tree.first("rtnl.tc.sfq.flags.ecn") is True
    m = tc(R.RTM_NEWQDISC, "sfq", SFQ_V0)
    assert not bad(m) and m.tree.first("rtnl.tc.sfq.flows") == 128 and m.tree.find("rtnl.tc.sfq.depth") is None
    m = tc(R.RTM_NEWQDISC, "sfq", SFQ_V0 + b"\1\0\0\0")   # the kernel reads v0 and ignores the rest
    assert not bad(m) and m.tree.find("rtnl.tc.sfq.depth") is None
    assert any("not read by the kernel" in n.name for n in m.tree.walk())
    m = tc(R.RTM_NEWQDISC, "sfq", SFQ_V0[:12])
    assert [s for _, s, _ in bad(m)] == ["malformed"]


@pytest.mark.parametrize("kind, data, field, value, info", [
    ("pfifo", u32s(1000), "rtnl.tc.fifo.limit", 1000, "pfifo 8001: root dev 1 limit 1000"),
    ("bfifo", u32s(30000), "rtnl.tc.fifo.limit", 30000, "bfifo 8001: root dev 1 limit 30000"),
    ("skbprio", u32s(64), "rtnl.tc.skbprio.limit", 64, "skbprio 8001: root dev 1 limit 64"),
    ("multiq", struct.pack("<HH", 8, 8), "rtnl.tc.multiq.bands", 8, "multiq 8001: root dev 1 bands 8"),
    ("plug", struct.pack("<iI", P.TCQ_PLUG_LIMIT, 10000), "rtnl.tc.plug.limit", 10000,
     "plug 8001: root dev 1 limit 10000"),
    ("plug", struct.pack("<iI", P.TCQ_PLUG_RELEASE_INDEFINITE, 0), "rtnl.tc.plug.action", 2,
     "plug 8001: root dev 1 release_indefinite"),
    ("hfsc", struct.pack("<H", 0x10), "rtnl.tc.hfsc.qopt.defcls", 0x10, "hfsc 8001: root dev 1 default 10"),
])
def test_bare_struct_options(kind, data, field, value, info):
    m = tc(R.RTM_NEWQDISC, kind, data)
    assert not bad(m), bad(m)
    assert m.tree.first(field) == value
    assert m.info == info


def test_hfsc_class_options_are_attributes():
    """hfsc_dump_class_opts(): TCA_HFSC_RSC/FSC/USC, each a tc_service_curve."""
    opts = nla(P.TCA_HFSC_RSC, u32s(250000, 10000, 125000)) + nla(P.TCA_HFSC_FSC, u32s(0, 0, 125000))
    m = tc(R.RTM_NEWTCLASS, "hfsc", opts, handle=0x10001, parent=0x10000)
    assert not bad(m)
    assert [n.value for n in m.tree.find_all("rtnl.tc.hfsc.curve.m2")] == [125000, 125000]
    assert m.tree.first("rtnl.tc.hfsc.curve.d") == 10000


def test_mqprio_struct_then_attributes():
    """mqprio_dump(): nla_put(TCA_OPTIONS, sizeof(tc_mqprio_qopt)), then (channel mode)
    TCA_MQPRIO_MODE, SHAPER, MIN_RATE64 of one TCA_MQPRIO_MIN_RATE64 per class, TC_ENTRY."""
    qopt = bytes([3]) + bytes([2, 2, 1, 0] + [2] * 12) + bytes([1]) + struct.pack("<16H", 1, 1, 2, *[0] * 13) \
        + struct.pack("<16H", 0, 1, 2, *[0] * 13)
    assert len(qopt) == 82
    rates = b"".join(nla(P.TCA_MQPRIO_MIN_RATE64, struct.pack("<Q", r)) for r in (125000, 250000, 375000))
    entry = nla(P.TCA_MQPRIO_TC_ENTRY_INDEX, u32s(1)) + nla(P.TCA_MQPRIO_TC_ENTRY_FP, u32s(P.TC_FP_PREEMPTIBLE))
    opts = qopt + b"\0\0" + nla(P.TCA_MQPRIO_MODE, struct.pack("<H", P.TC_MQPRIO_MODE_CHANNEL)) \
        + nla(P.TCA_MQPRIO_MIN_RATE64 | NESTED, rates) + nla(P.TCA_MQPRIO_TC_ENTRY | NESTED, entry)
    m = tc(R.RTM_NEWQDISC, "mqprio", opts)
    assert not bad(m), bad(m)
    assert m.info == "mqprio 8001: root dev 1 tc 3"
    assert m.tree.find("rtnl.tc.mqprio.qopt.count").show.startswith("1 1 2 0")
    assert [n.value for n in m.tree.find_all("rtnl.tc.mqprio.rate.min_rate64")] == [125000, 250000, 375000]
    assert "TC_FP_PREEMPTIBLE" in m.tree.find("rtnl.tc.mqprio_tc_entry.fp").show
    m = tc(R.RTM_NEWQDISC, "mqprio", qopt[:40])
    assert [s for _, s, _ in bad(m)] == ["malformed"]


def test_gred_dump_holds_every_virtual_queue():
    """gred_dump(): TCA_GRED_DPS, MAX_P as MAX_DPS u32s, LIMIT, then PARMS appending one
    tc_gred_qopt per DP (MAX_DPS of them), then TCA_GRED_VQ_LIST."""
    qopt = u32s(61440, 15360, 46080, 0, 0, 0, 0, 0, 0, 0) + bytes([4, 19, 15, 1]) + u32s(7, 9000)
    assert len(qopt) == 52
    vq = nla(P.TCA_GRED_VQ_DP, u32s(0)) + nla(P.TCA_GRED_VQ_FLAGS, u32s(P.TC_RED_ECN)) \
        + nla(P.TCA_GRED_VQ_STAT_BYTES, struct.pack("<Q", 9000)) + nla(P.TCA_GRED_VQ_STAT_PACKETS, u32s(7))
    opts = nla(P.TCA_GRED_DPS, struct.pack("<IIBBH", 16, 0, 1, 0, 0)) + nla(P.TCA_GRED_MAX_P, u32s(*range(16))) \
        + nla(P.TCA_GRED_LIMIT, u32s(100000)) + nla(P.TCA_GRED_PARMS | NESTED, qopt * 16) \
        + nla(P.TCA_GRED_VQ_LIST | NESTED, nla(P.TCA_GRED_VQ_ENTRY | NESTED, vq))
    m = tc(R.RTM_NEWQDISC, "gred", opts)
    assert not bad(m), bad(m)
    assert m.info == "gred 8001: root dev 1 limit 100000"
    assert len(m.tree.find_all("rtnl.tc.gred.qopt.bytesin")) == 16
    assert m.tree.first("rtnl.tc.gred.dps.DPs") == 16
    assert m.tree.first("rtnl.tc.gred_vq.stat_bytes") == 9000
    assert m.tree.first("rtnl.tc.gred_vq.flags.ecn") is True


def test_taprio_admin_schedule_holds_the_same_attributes():
    entry = nla(P.TCA_TAPRIO_SCHED_ENTRY_INDEX, u32s(0)) + nla(P.TCA_TAPRIO_SCHED_ENTRY_CMD, b"\0") \
        + nla(P.TCA_TAPRIO_SCHED_ENTRY_GATE_MASK, u32s(1)) + nla(P.TCA_TAPRIO_SCHED_ENTRY_INTERVAL, u32s(300000))
    sched = nla(P.TCA_TAPRIO_ATTR_SCHED_BASE_TIME, struct.pack("<q", 10 ** 9)) \
        + nla(P.TCA_TAPRIO_ATTR_SCHED_ENTRY_LIST | NESTED, nla(P.TCA_TAPRIO_SCHED_ENTRY | NESTED, entry))
    opts = sched + nla(P.TCA_TAPRIO_ATTR_ADMIN_SCHED | NESTED, sched)
    m = tc(R.RTM_NEWQDISC, "taprio", opts)
    assert not bad(m), bad(m)
    assert [n.value for n in m.tree.find_all("rtnl.tc.taprio_entry.interval")] == [300000, 300000]


def test_ets_qdisc_and_class():
    """ets_qdisc_dump(): NBANDS, NSTRICT, QUANTA and PRIOMAP nests of repeated bands;
    ets_class_dump(): a non-strict band's TCA_ETS_QUANTA_BAND alone."""
    quanta = b"".join(nla(P.TCA_ETS_QUANTA_BAND, u32s(q)) for q in (1500, 1000, 500))
    prio = b"".join(nla(P.TCA_ETS_PRIOMAP_BAND, bytes([b])) for b in (3, 2, 1, 0))
    opts = nla(P.TCA_ETS_NBANDS, b"\4") + nla(P.TCA_ETS_NSTRICT, b"\1") + nla(P.TCA_ETS_QUANTA | NESTED, quanta) \
        + nla(P.TCA_ETS_PRIOMAP | NESTED, prio)
    m = tc(R.RTM_NEWQDISC, "ets", opts)
    assert not bad(m) and m.info == "ets 8001: root dev 1 bands 4"
    assert [n.value for n in m.tree.find_all("rtnl.tc.ets.quanta.quanta_band")] == [1500, 1000, 500]
    assert [n.value for n in m.tree.find_all("rtnl.tc.ets.priomap.priomap_band")] == [3, 2, 1, 0]
    m = tc(R.RTM_NEWTCLASS, "ets", nla(P.TCA_ETS_QUANTA_BAND, u32s(1500)), handle=0x10002)
    assert not bad(m) and m.tree.first("rtnl.tc.ets.quanta_band") == 1500


def test_cake_options():
    opts = nla(P.TCA_CAKE_BASE_RATE64, struct.pack("<Q", 12500000)) \
        + nla(P.TCA_CAKE_DIFFSERV_MODE, u32s(P.CAKE_DIFFSERV_DIFFSERV4)) \
        + nla(P.TCA_CAKE_OVERHEAD, struct.pack("<i", -4)) \
        + nla(P.TCA_CAKE_FLOW_MODE, u32s(P.CAKE_FLOW_TRIPLE)) + nla(P.TCA_CAKE_ACK_FILTER, u32s(P.CAKE_ACK_AGGRESSIVE))
    m = tc(R.RTM_NEWQDISC, "cake", opts)
    assert not bad(m)
    assert m.info == "cake 8001: root dev 1 bandwidth 100000000bit"
    assert m.tree.first("rtnl.tc.cake.overhead") == -4
    assert "CAKE_FLOW_TRIPLE" in m.tree.find("rtnl.tc.cake.flow_mode").show


# --- extended statistics -------------------------------------------------------------------------
def _stats(kind, app, mtype=R.RTM_NEWQDISC, xstats=True, **hdr):
    """What tc_fill_qdisc / tc_fill_tclass send after the options: TCA_STATS2 (with APP)
    and, the compat copy, TCA_XSTATS."""
    stats2 = nla(GS.TCA_STATS_BASIC, struct.pack("<QI4x", 160, 2)) + nla(GS.TCA_STATS_APP, app)
    extra = nla(R.TCA_STATS2 | NESTED, stats2) + (nla(R.TCA_XSTATS, app) if xstats else b"")
    return tc(mtype, kind, None, extra, **hdr)


@pytest.mark.parametrize("kind, app, mtype, field, value", [
    ("htb", u32s(2, 0, 0) + struct.pack("<ii", 19125, 9562), R.RTM_NEWTCLASS, "rtnl.tc.xstats.htb.tokens", 19125),
    ("fq_codel", u32s(P.TCA_FQ_CODEL_XSTATS_QDISC, 70, 0, 0, 2, 1, 0, 0, 0, 0), R.RTM_NEWQDISC,
     "rtnl.tc.xstats.fq_codel.new_flow_count", 2),
    ("fq_codel", u32s(P.TCA_FQ_CODEL_XSTATS_CLASS) + struct.pack("<iIIIIi", 1444, 99, 0, 0, 0, -5) + bytes(12),
     R.RTM_NEWTCLASS, "rtnl.tc.xstats.fq_codel_class.drop_next", -5),
    ("sfq", struct.pack("<i", -1514), R.RTM_NEWTCLASS, "rtnl.tc.xstats.sfq.allot", -1514),
    ("red", u32s(1, 2, 3, 4), R.RTM_NEWQDISC, "rtnl.tc.xstats.red.marked", 4),
    ("choke", u32s(1, 2, 3, 4, 5), R.RTM_NEWQDISC, "rtnl.tc.xstats.choke.matched", 5),
    ("codel", u32s(1514, 1, 2, 3) + struct.pack("<i", -1) + u32s(4, 5, 6, 7), R.RTM_NEWQDISC,
     "rtnl.tc.xstats.codel.ce_mark", 7),
    ("pie", struct.pack("<Q", 1 << 40) + u32s(1, 2, 3, 4, 5, 6, 7, 8), R.RTM_NEWQDISC, "rtnl.tc.xstats.pie.prob",
     1 << 40),
    ("fq_pie", u32s(*range(1, 10)), R.RTM_NEWQDISC, "rtnl.tc.xstats.fq_pie.memory_usage", 9),
    ("hhf", u32s(1, 2, 3, 4), R.RTM_NEWQDISC, "rtnl.tc.xstats.hhf.hh_cur_count", 4),
    ("sfb", u32s(*range(1, 10)), R.RTM_NEWQDISC, "rtnl.tc.xstats.sfb.avgprob", 9),
    ("hfsc", struct.pack("<QQII", 100, 50, 3, 1), R.RTM_NEWTCLASS, "rtnl.tc.xstats.hfsc.rtwork", 50),
    ("drr", u32s(1514), R.RTM_NEWTCLASS, "rtnl.tc.xstats.drr.deficit", 1514),
    ("qfq", u32s(10, 1514), R.RTM_NEWTCLASS, "rtnl.tc.xstats.qfq.lmax", 1514),
])
def test_xstats_by_kind(kind, app, mtype, field, value):
    """Each kind's dump_stats/dump_class_stats struct, in TCA_STATS_APP and TCA_XSTATS alike
    (nlscope showed both as bytes before)."""
    m = _stats(kind, app, mtype)
    assert not bad(m), bad(m)
    assert [n.value for n in m.tree.find_all(field)] == [value, value]


def test_fq_xstats_of_6_1_and_of_6_12():
    """struct tc_fq_qd_stats grew: 6.1 sends 104 bytes (to horizon_caps), 6.12 152."""
    old = struct.pack("<7Qq4I3Q", 1, 2, 3, 4, 5, 6, 7, -1, 8, 9, 10, 11, 12, 13, 14)
    assert len(old) == 104
    m = _stats("fq", old, xstats=False)
    assert not bad(m) and m.tree.first("rtnl.tc.xstats.fq.horizon_caps") == 14
    assert m.tree.find("rtnl.tc.xstats.fq.fastpath_packets") is None
    new = old + struct.pack("<4Q3I4x", 15, 16, 17, 18, 19, 20, 21)
    assert len(new) == 152
    m = _stats("fq", new, xstats=False)
    assert not bad(m) and m.tree.first("rtnl.tc.xstats.fq.band_pkt_count_2") == 21
    assert m.tree.first("rtnl.tc.xstats.fq.time_next_delayed_flow") == -1


def test_cake_statistics_and_tins():
    """cake_dump_stats(): TCA_STATS_APP is a nest of TCA_CAKE_STATS_*, TIN_STATS a nest of
    one nest per tin numbered from 1 (nla_nest_start_noflag(d->skb, i + 1))."""
    tin = nla(P.TCA_CAKE_TIN_STATS_SENT_PACKETS, u32s(5)) \
        + nla(P.TCA_CAKE_TIN_STATS_SENT_BYTES64, struct.pack("<Q", 700)) \
        + nla(P.TCA_CAKE_TIN_STATS_PEAK_DELAY_US, u32s(12))
    app = nla(P.TCA_CAKE_STATS_CAPACITY_ESTIMATE64, struct.pack("<Q", 12500000)) \
        + nla(P.TCA_CAKE_STATS_MEMORY_USED, u32s(4096)) \
        + nla(P.TCA_CAKE_STATS_TIN_STATS | NESTED, nla(1 | NESTED, tin) + nla(2 | NESTED, tin))
    m = _stats("cake", app, xstats=False)
    assert not bad(m), bad(m)
    assert m.tree.first("rtnl.tc.xstats.cake.memory_used") == 4096
    assert [n.value for n in m.tree.find_all("rtnl.tc.xstats.cake.tin.sent_bytes64")] == [700, 700]
    # a flow class (cake_dump_class_stats): its own members of the same set
    app = nla(P.TCA_CAKE_STATS_DEFICIT, struct.pack("<i", -300)) + nla(P.TCA_CAKE_STATS_DROPPING, u32s(0))
    m = _stats("cake", app, R.RTM_NEWTCLASS, xstats=False)
    assert not bad(m) and m.tree.first("rtnl.tc.xstats.cake.deficit") == -300


def test_taprio_offload_statistics():
    app = nla(P.TCA_TAPRIO_OFFLOAD_STATS_WINDOW_DROPS, struct.pack("<Q", 3)) \
        + nla(P.TCA_TAPRIO_OFFLOAD_STATS_TX_OVERRUNS, struct.pack("<Q", 4))
    m = _stats("taprio", app, xstats=False)
    assert not bad(m) and m.tree.first("rtnl.tc.xstats.taprio.tx_overruns") == 4


@pytest.mark.parametrize("kind, app", [("htb", b"\1\2"), ("fq_codel", b"\0\0"), ("fq", bytes(50)),
                                       ("cake", b"\x08\0\x05\0\xff"), ("noqueue", b"\1\2\3\4")])
def test_damaged_or_unknown_xstats_are_flagged_not_raised(kind, app):
    m = _stats(kind, app)
    assert bad(m)


# --- filters ----------------------------------------------------------------------------------
def test_flower_keys_in_the_byte_order_the_kernel_copies():
    """fl_set_key_val() copies TCA_FLOWER_KEY_ENC_KEY_ID into __be32 keyid (nlscope read it in
    host order before), SPI and L2TPv3 session ids alike; ports and ethertypes are __be16."""
    opts = nla(C.TCA_FLOWER_KEY_ENC_KEY_ID, struct.pack(">I", 42)) \
        + nla(C.TCA_FLOWER_KEY_SPI, struct.pack(">I", 0x100)) \
        + nla(C.TCA_FLOWER_KEY_ENC_UDP_DST_PORT, struct.pack(">H", 4789)) \
        + nla(C.TCA_FLOWER_KEY_PPP_PROTO, struct.pack(">H", 0x21)) \
        + nla(C.TCA_FLOWER_KEY_CT_STATE, struct.pack("<H", 0xA))
    m = tc(R.RTM_NEWTFILTER, "flower", opts, handle=1, parent=0xFFFFFFF2, info=(1 << 16) | 0x0008)
    assert not bad(m), bad(m)
    assert m.tree.first("rtnl.tc.flower.key_enc_key_id") == 42
    assert m.tree.first("rtnl.tc.flower.key_spi") == 0x100
    assert m.tree.first("rtnl.tc.flower.key_enc_udp_dst_port") == 4789
    assert "ESTABLISHED" in m.tree.find("rtnl.tc.flower.key_ct_state").show


def test_police_inside_u32_and_fw_is_decoded():
    """TCA_U32_POLICE / TCA_FW_POLICE hold TCA_POLICE_* (tcf_exts_dump of the old police
    form); nlscope showed their members unknown before."""
    police = nla(C.TCA_POLICE_AVRATE, u32s(1000)) + nla(C.TCA_POLICE_RESULT, u32s(2))
    for kind, num in (("u32", C.TCA_U32_POLICE), ("fw", C.TCA_FW_POLICE)):
        m = tc(R.RTM_NEWTFILTER, kind, nla(num | NESTED, police), handle=0x800, parent=0x10000, info=1 << 16)
        assert not bad(m), bad(m)
        assert m.tree.first("rtnl.tc.police.avrate") == 1000


def test_route_flow_fw_and_their_info():
    m = tc(R.RTM_NEWTFILTER, "route", nla(C.TCA_ROUTE4_TO, u32s(10)) + nla(C.TCA_ROUTE4_CLASSID, u32s(0x10010)),
           handle=0x14000A, parent=0x10000, info=(2 << 16) | 8)
    assert not bad(m) and m.tree.find("rtnl.tc.route.classid").show == "1:10"
    assert m.info == "route 14:a parent 1: prio 2 dev 1"
    keys = (1 << C.FLOW_KEY_SRC) | (1 << C.FLOW_KEY_MARK)
    m = tc(R.RTM_NEWTFILTER, "flow", nla(C.TCA_FLOW_KEYS, u32s(keys)) + nla(C.TCA_FLOW_MODE, u32s(C.FLOW_MODE_HASH)),
           handle=1, parent=0x10000, info=3 << 16)
    assert not bad(m) and m.tree.first("rtnl.tc.flow.keys.mark") is True


def _ematch(kind, data, flags=0, matchid=0):
    return struct.pack("<HHHH", matchid, kind, flags, 0) + data


def test_an_ematch_tree_of_every_shape():
    """tcf_em_tree_validate(): members numbered from 1, each a tcf_ematch_hdr then the
    match's data; a container holds the number it jumps to, TCF_EM_SIMPLE a bare u32."""
    text = b"kmp".ljust(16, b"\0") + struct.pack("<HHHBx", 0, 100, 3, 0x21) + b"foo"
    members = [
        _ematch(C.TCF_EM_CONTAINER, u32s(3), C.TCF_EM_REL_AND),
        _ematch(C.TCF_EM_CMP, u32s(0x800, 0xFFFF) + struct.pack("<HBB", 12, 2, 0x01), C.TCF_EM_REL_OR),
        _ematch(C.TCF_EM_TEXT, text),
        _ematch(C.TCF_EM_U32, u32s(7), C.TCF_EM_SIMPLE | C.TCF_EM_INVERT),
        _ematch(C.TCF_EM_IPSET, b"\1\0\1\0"),
    ]
    tree = nla(C.TCA_EMATCH_TREE_HDR, struct.pack("<HH", len(members), 0)) \
        + nla(C.TCA_EMATCH_TREE_LIST | NESTED, b"".join(nla(i + 1, d) for i, d in enumerate(members)))
    m = tc(R.RTM_NEWTFILTER, "basic", nla(C.TCA_BASIC_EMATCHES | NESTED, tree), handle=1, parent=0x10000,
           info=5 << 16)
    assert not bad(m), bad(m)
    assert m.tree.first("rtnl.tc.ematch.container.ref") == 3
    assert m.tree.first("rtnl.tc.ematch.cmp.off") == 12
    assert "TCF_LAYER_NETWORK" in m.tree.find("rtnl.tc.ematch.cmp.layer_opnd").show
    assert m.tree.find("rtnl.tc.ematch.text.algo").show == "kmp"
    assert m.tree.first("rtnl.tc.ematch.simple.value") == 7
    assert [n.value for n in m.tree.find_all("rtnl.tc.ematch.hdr.flags.invert")] == [True]
    # a member too short for its header, or for its match, is malformed
    short = nla(C.TCA_EMATCH_TREE_LIST | NESTED, nla(1, b"\0\0\1") + nla(2, _ematch(C.TCF_EM_CMP, b"\0" * 5)))
    m = tc(R.RTM_NEWTFILTER, "cgroup", nla(C.TCA_CGROUP_EMATCHES | NESTED, short), handle=1, parent=0x10000)
    assert [s for _, s, _ in bad(m)] == ["malformed", "malformed"]


def test_a_size_table():
    """qdisc_get_stab(): TCA_STAB holds TCA_STAB_BASE (struct tc_sizespec) and TCA_STAB_DATA
    (tsize u16 slots); nlscope called both unknown before."""
    base = struct.pack("<BBhiIIII", 3, 0, -1, 20, 2, 0, 2048, 4)
    stab = nla(P.TCA_STAB_BASE, base) + nla(P.TCA_STAB_DATA, struct.pack("<4H", 53, 53, 106, 106))
    m = tc(R.RTM_NEWQDISC, "tbf", None, nla(R.TCA_STAB | NESTED, stab))
    assert not bad(m), bad(m)
    assert m.tree.first("rtnl.tc.stab.sizespec.overhead") == 20
    assert m.tree.find("rtnl.tc.stab.data").show == "4 values"
