"""Attributes 6.12 sends that 6.1 did not, decoded with the type the kernel writes them with,
from the captures the scenarios recorded on 6.12 (captures/6.12/)."""
import struct
from functools import lru_cache

import pytest

from dissectors import Context, decode_frame
from dissectors.generated import openvswitch as O

from ..conftest import CAPTURES, decode_file
from .build import msg, nla


@lru_cache(maxsize=None)
def _nodes(capture: str) -> dict:
    """field name -> the first node of it in the 6.12 capture."""
    out = {}
    for m in decode_file(CAPTURES / "6.12" / f"{capture}.pcapng"):
        for n in m.tree.walk():
            out.setdefault(n.field.abbrev, n)
    return out


# (capture, field, value, text shown): what the kernel function named puts
CASES = [
    # br_fill_info(): nla_put_u32(IFLA_BR_FDB_N_LEARNED / IFLA_BR_FDB_MAX_LEARNED)
    ("monitors", "rtnl.link.linkinfo.bridge.fdb_n_learned", 0, "0"),
    ("monitors", "rtnl.link.linkinfo.bridge.fdb_max_learned", 0, "0"),
    # br_port_fill_attrs(): nla_put_u8(MAB, NEIGH_VLAN_SUPPRESS), nla_put_u32(MCAST_N/MAX_GROUPS)
    ("rtnl-deep", "rtnl.link.linkinfo.bridge_slave.mab", 0, "0"),
    ("rtnl-deep", "rtnl.link.linkinfo.bridge_slave.neigh_vlan_suppress", 0, "0"),
    ("rtnl-deep", "rtnl.link.linkinfo.bridge_slave.mcast_n_groups", 0, "0"),
    ("rtnl-deep", "rtnl.link.linkinfo.bridge_slave.mcast_max_groups", 0, "0"),
    # vxlan_fill_info(): nla_put_u8(LOCALBYPASS), nla_put_u32(LABEL_POLICY) of enum ifla_vxlan_label_policy
    ("monitors", "rtnl.link.linkinfo.vxlan.localbypass", 1, "1"),
    ("monitors", "rtnl.link.linkinfo.vxlan.label_policy", 0, "VXLAN_LABEL_FIXED (0)"),
    # nh_fill_node(): nla_put_u32(NHA_OP_FLAGS, NHA_OP_FLAG_RESP_GRP_RESVD_0)
    ("rtnl-deep", "rtnl.nexthop.op_flags", 1 << 31, "0x80000000 (NHA_OP_FLAG_RESP_GRP_RESVD_0)"),
    # copy_to_user_state_extra(): nla_put_u8(XFRMA_SA_DIR, x->dir)
    ("monitors", "xfrm.attr.sa_dir", 2, "XFRM_SA_DIR_OUT (2)"),
    # nl80211_send_iface(): nla_put_u32(VIF_RADIO_MASK); nl80211_send_bss(): nla_put_u32(BSS_USE_FOR)
    ("nl80211", "nl80211.vif_radio_mask", 0, "0x0"),
    ("nl80211", "nl80211.bss.use_for", 3, "0x3 (NL80211_BSS_USE_FOR_NORMAL, NL80211_BSS_USE_FOR_MLD_LINK)"),
    # nl80211_put_mbssid_support(): nla_put_u8(MAX_INTERFACES, MAX_EMA_PROFILE_PERIODICITY)
    ("nl80211", "nl80211.mbssid_config.max_interfaces", 8, "8"),
    ("nl80211", "nl80211.mbssid_config.max_ema_profile_periodicity", 3, "3"),
    # ovs_vport_get_upcall_stats(): nla_put_u64_64bit(OVS_VPORT_UPCALL_ATTR_SUCCESS / FAIL)
    ("genl-more", "ovs.vport.upcall_stats.success", 0, "0"),
    ("genl-more", "ovs.vport.upcall_stats.fail", 0, "0"),
]


@pytest.mark.parametrize("capture, field, value, show", CASES, ids=[c[1] for c in CASES])
def test_new_attribute_has_the_kernels_type(capture, field, value, show):
    n = _nodes(capture).get(field)
    assert n is not None, f"{field} not in captures/6.12/{capture}.pcapng"
    assert not n.status and (n.value, n.show) == (value, show)


def test_netem_prng_seed_is_a_u64():
    """netem_dump(): nla_put_u64_64bit(TCA_NETEM_PRNG_SEED, q->prng.seed)."""
    n = _nodes("rtnl-deep")["rtnl.tc.netem.prng_seed"]
    assert n.length == 12 and isinstance(n.value, int) and n.value >= 1 << 32


def test_dpll_pin_is_a_nest():
    """rtnl_fill_dpll_pin(): nla_nest_start(IFLA_DPLL_PIN), empty when the device has no pin."""
    n = _nodes("mixed")["rtnl.link.dpll_pin"]
    assert n.value is None and not n.children and not n.status


def test_dpll_pin_id_inside_the_nest():
    """dpll_msg_add_pin_handle(): nla_put_u32(DPLL_A_PIN_ID, pin->id) inside IFLA_DPLL_PIN."""
    from dissectors.generated import if_link as L, rtnetlink as R
    body = struct.pack("<BxHiII", 0, 1, 5, 0, 0) + nla(L.IFLA_DPLL_PIN | 0x8000, nla(1, struct.pack("<I", 42)))
    (m,) = decode_frame(msg(R.RTM_NEWLINK, 0, body), 0, Context())
    assert m.tree.first("rtnl.link.dpll_pin.id") == 42
    assert not [n for n in m.tree.walk() if n.status]


def test_ovs_upcall_stats_padding_is_known():
    """nla_put_u64_64bit() pads with OVS_VPORT_ATTR_PAD inside the nest when the u64 would be
    misaligned; the pad is padding, not an unknown attribute."""
    ovs_header = struct.pack("<i", 1)
    nest = nla(O.OVS_VPORT_ATTR_PAD, b"") + nla(O.OVS_VPORT_UPCALL_ATTR_SUCCESS, struct.pack("<Q", 5))
    attrs = nla(O.OVS_VPORT_ATTR_UPCALL_STATS, nest)
    (m,) = decode_frame(msg(0x20, 0, bytes([O.OVS_VPORT_CMD_NEW, 1, 0, 0]) + ovs_header + attrs), 16,
                        Context({0x20: "ovs_vport"}))
    assert m.tree.first("ovs.vport.upcall_stats.success") == 5
    assert not [n for n in m.tree.walk() if n.status]
