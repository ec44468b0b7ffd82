"""SMC_GEN_NETLINK (net/smc/smc_netlink.c, smc_core.c, smc_stats.c) from messages built as the
fill functions put them: each GET's one nest, the EID/SEID/limitation dumps' own top-level sets."""
import struct

import dissectors
from tests.dissectors.build import nla
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import NLM_F_MULTI, decode, nest, string, u8, u32

dissectors.load_families()
from dissectors.families.genl import smc_gen_netlink as S  # noqa: E402

H = S.H


def u64(t, v): return nla(t, struct.pack("<Q", v))   # noqa: E704


def test_every_command_and_attribute_is_named():
    assert every_command_named("SMC_GEN_NETLINK") == 18


def test_system_info():
    info = nest(H.SMC_GEN_SYS_INFO, u8(H.SMC_NLA_SYS_VER, 2), u8(H.SMC_NLA_SYS_REL, 0), u8(H.SMC_NLA_SYS_IS_ISM_V2, 0),
                u8(H.SMC_NLA_SYS_IS_SMCR_V2, 1), string(H.SMC_NLA_SYS_LOCAL_HOST, "vm"), string(H.SMC_NLA_SYS_SEID, ""))
    m = decode("SMC_GEN_NETLINK", H.SMC_NETLINK_GET_SYS_INFO, info, flags=NLM_F_MULTI)
    assert m.info == "ver 2 rel 0 host vm SMC-Dv2 no SMC-Rv2 yes"


def test_a_link_group_with_its_v2_nests():
    lgr = nest(H.SMC_GEN_LGR_SMCR, u32(H.SMC_NLA_LGR_R_ID, 0x100), u8(H.SMC_NLA_LGR_R_ROLE, 1),
               u8(H.SMC_NLA_LGR_R_TYPE, 1), string(H.SMC_NLA_LGR_R_PNETID, "NLSCOPE1"), u32(H.SMC_NLA_LGR_R_CONNS_NUM, 2),
               nest(H.SMC_NLA_LGR_R_V2_COMMON, u8(H.SMC_NLA_LGR_V2_VER, 2), string(H.SMC_NLA_LGR_V2_PEER_HOST, "peer")),
               nest(H.SMC_NLA_LGR_R_V2, u8(H.SMC_NLA_LGR_R_V2_DIRECT, 1)), nla(H.SMC_NLA_LGR_R_PAD, b""),
               u64(H.SMC_NLA_LGR_R_NET_COOKIE, 5), nla(H.SMC_NLA_LGR_R_SNDBUF_ALLOC, struct.pack("<Q", 65536)))
    m = decode("SMC_GEN_NETLINK", H.SMC_NETLINK_GET_LGR_SMCR, lgr, flags=NLM_F_MULTI)
    t = m.tree
    assert H.SMC_NLA_LGR_V2_VER == 0 and t.find("smc_gen.lgr_v2.ver").value == 2   # an enum numbered from 0
    assert t.find("smc_gen.lgr_r.role").show == "SMC_SERV (1)"
    assert t.find("smc_gen.lgr_r.sndbuf_alloc").value == 65536
    assert m.info == "lgr 00000100 SMC_SERV conns 2"


def test_the_dumps_with_their_own_sets():
    """DUMP_UEID answers SMC_NLA_EID_TABLE_ENTRY (1) at the top, where GET_SYS_INFO's 1 is a nest."""
    m = decode("SMC_GEN_NETLINK", H.SMC_NETLINK_DUMP_UEID, string(H.SMC_NLA_EID_TABLE_ENTRY, "NLSCOPE-UEID".ljust(32)),
               flags=NLM_F_MULTI)
    assert H.SMC_NLA_EID_TABLE_ENTRY == H.SMC_GEN_SYS_INFO == 1
    assert m.tree.find("smc_gen.eid_table.entry").value.strip() == "NLSCOPE-UEID"
    m = decode("SMC_GEN_NETLINK", H.SMC_NETLINK_DUMP_HS_LIMITATION, u8(H.SMC_NLA_HS_LIMITATION_ENABLED, 1),
               flags=NLM_F_MULTI)
    assert m.info == "hs_limitation 1"


def test_statistics_with_their_pads_numbered_0():
    """smc_nl_get_stats(): SMC_NLA_STATS_PAD and the _T_, PLOAD and RMB pads are attribute 0."""
    tech = nest(H.SMC_NLA_STATS_SMCR_TECH, nla(H.SMC_NLA_STATS_T_PAD, b""), u64(H.SMC_NLA_STATS_T_RX_BYTES, 10),
                u64(H.SMC_NLA_STATS_T_TX_BYTES, 20),
                nest(H.SMC_NLA_STATS_T_TX_RMB_SIZE, nla(H.SMC_NLA_STATS_PLOAD_PAD, b""), u64(H.SMC_NLA_STATS_PLOAD_8K, 3)))
    m = decode("SMC_GEN_NETLINK", H.SMC_NETLINK_GET_STATS, nest(H.SMC_GEN_STATS, nla(H.SMC_NLA_STATS_PAD, b""), tech),
               flags=NLM_F_MULTI)
    assert m.tree.find("smc_gen.stats_pload.8k").value == 3
    assert m.info == "SMC-R rx 10 B tx 20 B"
