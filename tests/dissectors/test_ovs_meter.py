"""ovs_meter (net/openvswitch/meter.c) from messages built as ovs_meter_cmd_features() and
ovs_meter_cmd_reply_stats() put them: struct ovs_header, then the meter and its bands, each band
a nest of attribute type 0."""
import struct

import dissectors
from tests.dissectors.build import nla
from tests.dissectors.test_genl_tail import NLM_F_MULTI, decode, flag, nest, u32

dissectors.load_families()
from dissectors.generated import openvswitch as O  # noqa: E402

HDR = struct.pack("<i", 7)    # struct ovs_header: dp_ifindex


def band(rate=None, burst=None, stats=None):
    parts = [u32(O.OVS_BAND_ATTR_TYPE, O.OVS_METER_BAND_TYPE_DROP)]
    parts += [u32(O.OVS_BAND_ATTR_RATE, rate)] if rate is not None else []
    parts += [u32(O.OVS_BAND_ATTR_BURST, burst)] if burst is not None else []
    parts += [nla(O.OVS_BAND_ATTR_STATS, struct.pack("<QQ", *stats))] if stats else []
    return nest(O.OVS_BAND_ATTR_UNSPEC, *parts)


def test_features():
    body = HDR + u32(O.OVS_METER_ATTR_MAX_METERS, 200000) + u32(O.OVS_METER_ATTR_MAX_BANDS, 1) + nest(
        O.OVS_METER_ATTR_BANDS, band())
    m = decode("ovs_meter", O.OVS_METER_CMD_FEATURES, body, flags=0)
    assert m.type_name == "OVS_METER_CMD_FEATURES"
    assert m.tree.find("ovs.header.dp_ifindex").value == 7
    assert m.info == "dp ifindex 7 max_meters 200000 max_bands 1 band drop"


def test_a_meter_with_its_band_and_statistics():
    body = HDR + u32(O.OVS_METER_ATTR_ID, 1) + flag(O.OVS_METER_ATTR_KBPS) + nla(
        O.OVS_METER_ATTR_STATS, struct.pack("<QQ", 3, 300)) + nla(O.OVS_METER_ATTR_PAD, b"") + nla(
        O.OVS_METER_ATTR_USED, struct.pack("<Q", 12)) + nest(O.OVS_METER_ATTR_BANDS, band(1000, 100, (1, 64)))
    m = decode("ovs_meter", O.OVS_METER_CMD_GET, body, flags=NLM_F_MULTI)
    assert m.tree.find("ovs.meter.band.rate").value == 1000
    assert [n.value for n in m.tree.find_all("ovs.meter.stats_struct.n_bytes")] == [300, 64]
    assert m.info == "dp ifindex 7 meter 1 kbps band drop rate 1000 burst 100"
