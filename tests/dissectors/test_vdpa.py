"""vdpa (drivers/vdpa/vdpa.c) from messages built as vdpa_dev_fill() and vdpa_mgmtdev_fill() put
them and iproute2's vdpa sends them; the recorded session is tests/captures/test_genl_tail2_captures.py."""
import struct

import dissectors
from tests.dissectors.build import nla
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import NLM_F_MULTI, decode, string, u16, u32

dissectors.load_families()
from dissectors.families.genl import vdpa as V  # noqa: E402

H = V.H


def u64(t, v): return nla(t, struct.pack("<Q", v))   # noqa: E704


def test_every_command_and_attribute_is_named():
    assert every_command_named("vdpa") == 8


def test_mgmtdev_and_device_as_vdpa_prints_them():
    body = string(H.VDPA_ATTR_MGMTDEV_DEV_NAME, "vdpasim_net") + u64(H.VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES, 1 << 1) \
        + u32(H.VDPA_ATTR_DEV_MGMTDEV_MAX_VQS, 3) + u64(H.VDPA_ATTR_DEV_SUPPORTED_FEATURES, (1 << 32) | (1 << 5))
    m = decode("vdpa", H.VDPA_CMD_MGMTDEV_GET, body, flags=NLM_F_MULTI)
    assert m.type_name == "VDPA_CMD_MGMTDEV_GET"
    assert m.info == "vdpasim_net: supported_classes net max_supported_vqs 3"
    assert m.tree.find("vdpa.mgmtdev_supported_classes").show == "0x2 (net)"
    feats = m.tree.find("vdpa.dev_supported_features")
    assert "VERSION_1" in feats.show and "MAC" in feats.show
    body = string(H.VDPA_ATTR_DEV_NAME, "vdpa0") + u32(H.VDPA_ATTR_DEV_ID, 1) + string(
        H.VDPA_ATTR_MGMTDEV_DEV_NAME, "vdpasim_net") + u32(H.VDPA_ATTR_DEV_VENDOR_ID, 0) + u32(
        H.VDPA_ATTR_DEV_MAX_VQS, 3) + u16(H.VDPA_ATTR_DEV_MAX_VQ_SIZE, 256) + u16(H.VDPA_ATTR_DEV_MIN_VQ_SIZE, 0)
    m = decode("vdpa", H.VDPA_CMD_DEV_GET, body, flags=NLM_F_MULTI)
    assert m.info == "vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256"


def test_net_config_with_its_pad_and_vendor_statistics():
    """vdpa_dev_net_config_fill(): MAC, status, MTU, the negotiated features (nla_put_u64_64bit
    puts a VDPA_ATTR_PAD, number 0, before an unaligned u64); vendor statistics as name/value pairs."""
    body = string(H.VDPA_ATTR_DEV_NAME, "vdpa0") + nla(H.VDPA_ATTR_DEV_NET_CFG_MACADDR, bytes.fromhex("001122334455")) \
        + u16(H.VDPA_ATTR_DEV_NET_STATUS, 1) + u16(H.VDPA_ATTR_DEV_NET_CFG_MTU, 1400) + nla(H.VDPA_ATTR_PAD, b"") \
        + u64(H.VDPA_ATTR_DEV_NEGOTIATED_FEATURES, 1 << 32)
    m = decode("vdpa", H.VDPA_CMD_DEV_CONFIG_GET, body, flags=0)
    assert H.VDPA_ATTR_PAD == 0 and m.tree.find("vdpa.pad") is not None
    assert m.info == "vdpa0: mac 00:11:22:33:44:55 mtu 1400 link up negotiated_features VERSION_1"
    body = string(H.VDPA_ATTR_DEV_NAME, "vdpa0") + u32(H.VDPA_ATTR_DEV_QUEUE_INDEX, 0) + string(
        H.VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "received_desc") + u64(H.VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 7) + string(
        H.VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "completed_desc") + u64(H.VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 6)
    m = decode("vdpa", H.VDPA_CMD_DEV_VSTATS_GET, body, flags=0)
    assert m.info == "vdpa0: qidx 0 received_desc 7 completed_desc 6"


def test_a_short_mtu_is_malformed():
    from dissectors import Context, decode_frame
    from tests.dissectors.build import msg
    frame = msg(0x40, 1, bytes([H.VDPA_CMD_DEV_NEW, 1, 0, 0]) + nla(H.VDPA_ATTR_DEV_NET_CFG_MTU, b"\x05"))
    m = decode_frame(frame, protocol=16, ctx=Context({0x40: "vdpa"}))[0]
    assert [n.field.abbrev for n in m.tree.walk() if n.status] == ["vdpa.dev_net_cfg_mtu"]
