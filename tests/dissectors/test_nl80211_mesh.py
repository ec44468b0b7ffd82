"""nl80211 mesh points (iw mesh join, get/set mesh_param, mpath): NL80211_ATTR_MESH_CONFIG as
nl80211_meshconf_params_policy types it, the GET_MESH_CONFIG answer whose nest starts with the
NL80211_ATTR_IFINDEX that nl80211_get_mesh_config() puts there (attribute 3 inside the nest,
NL80211_MESHCONF_HOLDING_TIMEOUT's number), NL80211_ATTR_MPATH_INFO as nl80211_send_mpath() fills
it, NL80211_ATTR_MESH_SETUP of JOIN_MESH."""
from dissectors.generated import nl80211 as N
from tests.dissectors.build import nla
from tests.dissectors.test_genl_tail import decode, flag, s32, u8, u16, u32


def nest(t, *attrs):
    return nla(t | 0x8000, b"".join(attrs))


def test_set_mesh_config_as_iw_sends_it():
    m = decode("nl80211", N.NL80211_CMD_SET_MESH_CONFIG, u32(N.NL80211_ATTR_IFINDEX, 7) + nest(
        N.NL80211_ATTR_MESH_CONFIG, u8(N.NL80211_MESHCONF_HWMP_ROOTMODE, 2),
        u16(N.NL80211_MESHCONF_MAX_PEER_LINKS, 5), u8(N.NL80211_MESHCONF_TTL, 17),
        s32(N.NL80211_MESHCONF_RSSI_THRESHOLD, -80)))
    t = m.tree
    assert (t.first("nl80211.meshconf.hwmp_rootmode"), t.first("nl80211.meshconf.max_peer_links"),
            t.first("nl80211.meshconf.ttl"), t.first("nl80211.meshconf.rssi_threshold")) == (2, 5, 17, -80)


def test_the_get_mesh_config_answer_holds_the_ifindex_then_the_holding_timeout():
    m = decode("nl80211", N.NL80211_CMD_GET_MESH_CONFIG, nest(
        N.NL80211_ATTR_MESH_CONFIG, u32(N.NL80211_ATTR_IFINDEX, 7), u16(N.NL80211_MESHCONF_RETRY_TIMEOUT, 100),
        u16(N.NL80211_MESHCONF_HOLDING_TIMEOUT, 100), u32(N.NL80211_MESHCONF_POWER_MODE, 1),
        u32(N.NL80211_MESHCONF_PLINK_TIMEOUT, 1800)), flags=0)
    t = m.tree
    assert t.first("nl80211.meshconf.ifindex") == 7
    assert [n.value for n in t.find_all("nl80211.meshconf.holding_timeout")] == [100]
    assert t.find("nl80211.meshconf.power_mode").show == "NL80211_MESH_POWER_ACTIVE (1)"
    assert t.first("nl80211.meshconf.plink_timeout") == 1800


def test_a_mesh_path_and_a_mesh_join():
    m = decode("nl80211", N.NL80211_CMD_NEW_MPATH, u32(N.NL80211_ATTR_IFINDEX, 7) + nest(
        N.NL80211_ATTR_MPATH_INFO, u32(N.NL80211_MPATH_INFO_SN, 65535), u32(N.NL80211_MPATH_INFO_METRIC, 0),
        u8(N.NL80211_MPATH_INFO_FLAGS, 0x1d), u8(N.NL80211_MPATH_INFO_HOP_COUNT, 0),
        u32(N.NL80211_MPATH_INFO_PATH_CHANGE, 1)), flags=2)
    t = m.tree
    assert t.first("nl80211.mpath_info.sn") == 65535 and t.first("nl80211.mpath_info.path_change") == 1
    assert t.first("nl80211.mpath_info.flags.fixed") is True
    j = decode("nl80211", N.NL80211_CMD_JOIN_MESH, u32(N.NL80211_ATTR_IFINDEX, 7)
               + nla(N.NL80211_ATTR_MESH_ID, b"nlscope-mesh")
               + nest(N.NL80211_ATTR_MESH_SETUP, u8(N.NL80211_MESH_SETUP_ENABLE_VENDOR_SYNC, 0),
                      flag(N.NL80211_MESH_SETUP_USERSPACE_MPM), u8(N.NL80211_MESH_SETUP_AUTH_PROTOCOL, 0)))
    assert j.tree.find("nl80211.mesh_id").show == "nlscope-mesh"
    assert j.tree.first("nl80211.mesh_setup.userspace_mpm") is True
