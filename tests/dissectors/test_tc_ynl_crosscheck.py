"""The kernel's YNL spec of tc (6.12's Documentation/netlink/specs/tc.yaml) as a cross-check of
nlscope's tc tables: every attribute the spec names is declared at the same number, and
integers have the same width, sign and byte order — except where the kernel's own policy and
dump code say otherwise, each listed with the reason.  The tables are written from the UAPI
headers and net/sched/*.c, not from the spec (it lags the kernel: no sfb, plug, skbprio,
multiq or mqprio attributes, no fq_codel or fq xstats for 6.12's longer structs, and the
faults test_ynl_kernel.py lists), so the spec checks them rather than being their source."""
from functools import lru_cache

import pytest
import yaml

import dissectors
from dissectors.families.rtnetlink import tc_act as A, tc_cls as F, tc_ematch as E, tc_qdisc as Q, tc_stats as ST
from tests.dissectors.test_ynl_kernel import kernel_specs

dissectors.load_families()
SETS = {
    "tc-cake-attrs": Q.CAKE, "tc-pie-attrs": Q.PIE, "tc-fq-attrs": Q.FQ, "tc-red-attrs": Q.RED, "tc-ets-attrs": Q.ETS,
    "tc-choke-attrs": Q.CHOKE, "tc-hhf-attrs": Q.HHF, "tc-fq-pie-attrs": Q.FQ_PIE, "tc-codel-attrs": Q.CODEL,
    "tc-gred-attrs": Q.GRED, "tca-gred-vq-entry-attrs": Q.GRED_VQ, "tca-gred-vq-list-attrs": Q.GRED_VQ_LIST,
    "tc-cbs-attrs": Q.CBS, "tc-etf-attrs": Q.ETF, "tc-taprio-attrs": Q.TAPRIO, "tc-taprio-tc-entry-attrs": Q.TAPRIO_TC,
    "tc-hfsc-attrs": Q.HFSC, "tc-drr-attrs": Q.DRR, "tc-qfq-attrs": Q.QFQ, "tc-htb-attrs": Q.HTB, "tc-tbf-attrs": Q.TBF,
    "tc-netem-attrs": Q.NETEM_ATTRS, "tc-netem-loss-attrs": Q.NETEM_LOSS, "tc-fq-codel-attrs": Q.FQ_CODEL,
    "tc-cake-stats-attrs": ST.CAKE_STATS, "tc-cake-tin-stats-attrs": ST.CAKE_TIN_STATS,
    "tc-fw-attrs": F.FW, "tc-route-attrs": F.ROUTE, "tc-flow-attrs": F.FLOW, "tc-cgroup-attrs": F.CGROUP,
    "tc-basic-attrs": F.BASIC, "tc-u32-attrs": F.U32, "tc-flower-attrs": F.FLOWER, "tc-matchall-attrs": F.MATCHALL,
    "tc-bpf-attrs": F.BPF, "tc-ematch-attrs": E.EMATCHES, "tc-flower-key-enc-opts-attrs": F.FL_ENC_OPTS,
    "tc-flower-key-enc-opt-geneve-attrs": F.FL_GENEVE, "tc-flower-key-enc-opt-vxlan-attrs": F.FL_VXLAN,
    "tc-flower-key-enc-opt-erspan-attrs": F.FL_ERSPAN, "tc-flower-key-enc-opt-gtp-attrs": F.FL_GTP,
    "tc-flower-key-mpls-opt-attrs": F.FL_LSE, "tc-flower-key-cfm-attrs": F.FL_CFM,
    "tc-act-pedit-attrs": A.PEDIT_OPTS, "tc-act-csum-attrs": A.CSUM_OPTS, "tc-act-skbedit-attrs": A.SKBEDIT_OPTS,
    "tc-act-sample-attrs": A.SAMPLE_OPTS, "tc-act-ct-attrs": A.CT_OPTS, "tc-act-nat-attrs": A.NAT_OPTS,
    "tc-act-connmark-attrs": A.CONNMARK_OPTS, "tc-act-ctinfo-attrs": A.CTINFO_OPTS,
    "tc-act-skbmod-attrs": A.SKBMOD_OPTS, "tc-act-mpls-attrs": A.MPLS_OPTS, "tc-act-gate-attrs": A.GATE_OPTS,
    "tc-act-vlan-attrs": A.VLAN_OPTS, "tc-act-tunnel-key-attrs": A.TUNNEL_KEY_OPTS,
    "tc-act-simple-attrs": A.SIMPLE_OPTS, "tc-act-ife-attrs": A.IFE_OPTS, "tc-act-bpf-attrs": A.BPF_OPTS,
    "tc-act-gact-attrs": A.GACT_OPTS, "tc-act-mirred-attrs": A.MIRRED_OPTS, "tc-act-police-attrs": A.POLICE_OPTS,
    "tc-act-attrs": A.ACT,
}
INTS = {"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"}
_BE = "the kernel copies it as __be16/__be32 (nla_get_be16/be32, fl_set_key_val): the spec says host order"
_HOST = "the kernel reads and dumps it in host order (nla_get_u16/u32, nla_put_u16/u32): the spec says big-endian"
# spec set: attribute -> why nlscope reads it otherwise than the spec
KNOWN = {
    "tc-cake-attrs": {"overhead": "cake_policy has NLA_S32 and cake_change() reads nla_get_s32"},
    "tc-netem-attrs": {"pad": "TCA_NETEM_PAD is the padding attribute of nla_put_u64_64bit, not a u32"},
    "tc-act-tunnel-key-attrs": {"enc-key-id": "tunnel_key_init() reads nla_get_be32 and tunnel_key_dump() "
                                              "puts nla_put_be32: 4 bytes, not the spec's u64"},
    "tc-act-vlan-attrs": {"push-vlan-protocol": _BE},
    "tc-flower-attrs": {"key-vlan-id": _HOST, "key-cvlan-id": _HOST, "key-mpls-label": _HOST},
    "tc-flower-key-enc-opt-erspan-attrs": {"index": _BE},
    "tc-flower-key-enc-opt-geneve-attrs": {"class": _BE},
}


@lru_cache(maxsize=1)
def _spec_sets():
    path = kernel_specs() / "tc.yaml"
    return {s["name"]: s for s in yaml.safe_load(path.read_text())["attribute-sets"]}


def _differences(spec_set, mine):
    out = {}
    num = 0
    for at in spec_set["attributes"]:
        num = at.get("value", num + 1)
        sp = mine.by_num.get(num)
        st, be = at["type"], at.get("byte-order") == "big-endian"
        if sp is None:
            out[at["name"]] = f"{num} not declared"
            continue
        if st == "binary":
            continue   # the spec says no more than bytes: nothing to check against
        if (st, be) == ("u32", True) and sp.type == "binary" and sp.hint == "ipv4":
            continue   # an IPv4 address, shown as one
        if st in INTS or sp.type in INTS:
            if (st, be) != (sp.type, sp.big_endian):
                out[at["name"]] = f"spec {st}{' be' if be else ''}, nlscope {sp.type}{' be' if sp.big_endian else ''}"
        elif st != sp.type and not (st == "binary" and sp.type in ("struct", "binary")) \
                and not (st == "nest" and sp.type in ("nest", "indexed-array")) and st != "sub-message":
            out[at["name"]] = f"spec {st}, nlscope {sp.type}"
    return out


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_spec_agrees_with_the_tables(name):
    sets = _spec_sets()
    assert name in sets, f"{name} is no longer in tc.yaml"
    diff = _differences(sets[name], SETS[name])
    assert set(diff) == set(KNOWN.get(name, {})), diff
