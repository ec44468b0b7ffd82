"""vdpa: virtio data path acceleration devices (`vdpa mgmtdev|dev …` of iproute2), drivers/vdpa/vdpa.c.

A management device (vdpasim_net, a NIC's) makes vDPA devices of the classes it supports;
a device answers its virtio config (MAC, MTU, link status, queue pairs, block geometry), the
features it offers and negotiated, and per queue vendor statistics as name/value pairs.
Linux 6.12 (CONFIG_VDPA=m); Debian's 6.1 has no vDPA.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from .cenum import Header
from .protocol import top_attrs

# <linux/vdpa.h> (6.12)
H = Header("linux/vdpa.h")
H.enum("vdpa_command", "UNSPEC MGMTDEV_NEW MGMTDEV_GET DEV_NEW DEV_DEL DEV_GET DEV_CONFIG_GET DEV_VSTATS_GET "
       "DEV_ATTR_SET", "VDPA_CMD_")
H.enum("vdpa_attr", "UNSPEC PAD=UNSPEC MGMTDEV_BUS_NAME MGMTDEV_DEV_NAME MGMTDEV_SUPPORTED_CLASSES DEV_NAME DEV_ID "
       "DEV_VENDOR_ID DEV_MAX_VQS DEV_MAX_VQ_SIZE DEV_MIN_VQ_SIZE DEV_NET_CFG_MACADDR DEV_NET_STATUS "
       "DEV_NET_CFG_MAX_VQP DEV_NET_CFG_MTU DEV_NEGOTIATED_FEATURES DEV_MGMTDEV_MAX_VQS DEV_SUPPORTED_FEATURES "
       "DEV_QUEUE_INDEX DEV_VENDOR_ATTR_NAME DEV_VENDOR_ATTR_VALUE DEV_FEATURES DEV_BLK_CFG_CAPACITY "
       "DEV_BLK_CFG_SIZE_MAX DEV_BLK_CFG_BLK_SIZE DEV_BLK_CFG_SEG_MAX DEV_BLK_CFG_NUM_QUEUES DEV_BLK_CFG_PHY_BLK_EXP "
       "DEV_BLK_CFG_ALIGN_OFFSET DEV_BLK_CFG_MIN_IO_SIZE DEV_BLK_CFG_OPT_IO_SIZE DEV_BLK_CFG_MAX_DISCARD_SEC "
       "DEV_BLK_CFG_MAX_DISCARD_SEG DEV_BLK_CFG_DISCARD_SEC_ALIGN DEV_BLK_CFG_MAX_WRITE_ZEROES_SEC "
       "DEV_BLK_CFG_MAX_WRITE_ZEROES_SEG DEV_BLK_READ_ONLY DEV_BLK_FLUSH MAX", "VDPA_ATTR_")

# <linux/virtio_ids.h>: the device classes (SUPPORTED_CLASSES holds BIT_ULL(id)); the names
# `vdpa` prints (class_names[] of iproute2's vdpa/vdpa.c)
VIRTIO_IDS = {1: "net", 2: "block"}
DEVICE_TYPES = {1: "network", 2: "block"}
# <linux/virtio_config.h>, <linux/virtio_ring.h>, <linux/virtio_net.h>: feature bit numbers;
# `vdpa` prints them without the VIRTIO_(NET_)F_ prefix (virtio_F / net_F tables)
TRANSPORT_FEATURES = {24: "NOTIFY_ON_EMPTY", 27: "ANY_LAYOUT", 28: "RING_INDIRECT_DESC", 29: "RING_EVENT_IDX",
                      32: "VERSION_1", 33: "ACCESS_PLATFORM", 34: "RING_PACKED", 35: "IN_ORDER",
                      36: "ORDER_PLATFORM", 37: "SR_IOV", 38: "NOTIFICATION_DATA", 40: "RING_RESET"}
NET_FEATURES = {0: "CSUM", 1: "GUEST_CSUM", 2: "CTRL_GUEST_OFFLOADS", 3: "MTU", 5: "MAC", 6: "GSO", 7: "GUEST_TSO4",
                8: "GUEST_TSO6", 9: "GUEST_ECN", 10: "GUEST_UFO", 11: "HOST_TSO4", 12: "HOST_TSO6", 13: "HOST_ECN",
                14: "HOST_UFO", 15: "MRG_RXBUF", 16: "STATUS", 17: "CTRL_VQ", 18: "CTRL_RX", 19: "CTRL_VLAN",
                20: "CTRL_RX_EXTRA", 21: "GUEST_ANNOUNCE", 22: "MQ", 23: "CTRL_MAC_ADDR", 53: "NOTF_COAL",
                57: "HASH_REPORT", 60: "RSS", 61: "RSC_EXT", 62: "STANDBY", 63: "SPEED_DUPLEX"}
FEATURES = {1 << bit: name for bit, name in sorted({**NET_FEATURES, **TRANSPORT_FEATURES}.items())}
CLASS_BITS = {1 << i: n for i, n in VIRTIO_IDS.items()}
# <linux/virtio_net.h>: struct virtio_net_config.status
NET_STATUS = {1: "VIRTIO_NET_S_LINK_UP", 2: "VIRTIO_NET_S_ANNOUNCE"}

# vdpa_nl_policy (BUS_NAME NUL_STRING, DEV_NAME/MGMTDEV_DEV_NAME STRING, MACADDR ETH_ADDR,
# MAX_VQP U16, MTU U16 >= 68, QUEUE_INDEX U32, FEATURES U64); the rest as the fill functions
# put them (vdpa_mgmtdev_fill, vdpa_dev_fill, vdpa_dev_net_config_fill, vdpa_dev_blk_config_fill,
# and the drivers' vendor statistics: a NAME string then its VALUE, an u64, repeated)
VDPA = enum_set("vdpa", "vdpa", H, "vdpa_attr", "VDPA_ATTR_", {
    "PAD": "pad", "MGMTDEV_BUS_NAME": "string", "MGMTDEV_DEV_NAME": "string",
    "MGMTDEV_SUPPORTED_CLASSES": a("u64", flags=CLASS_BITS), "DEV_NAME": "string",
    "DEV_ID": a("u32", enum={k: v for k, v in DEVICE_TYPES.items()}), "DEV_VENDOR_ID": "u32", "DEV_MAX_VQS": "u32",
    "DEV_MAX_VQ_SIZE": "u16", "DEV_MIN_VQ_SIZE": "u16", "DEV_NET_CFG_MACADDR": a("binary", hint="mac"),
    "DEV_NET_STATUS": a("u16", flags=NET_STATUS), "DEV_NET_CFG_MAX_VQP": "u16", "DEV_NET_CFG_MTU": "u16",
    "DEV_NEGOTIATED_FEATURES": a("u64", flags=FEATURES), "DEV_MGMTDEV_MAX_VQS": "u32",
    "DEV_SUPPORTED_FEATURES": a("u64", flags=FEATURES), "DEV_QUEUE_INDEX": "u32", "DEV_VENDOR_ATTR_NAME": "string",
    "DEV_VENDOR_ATTR_VALUE": "u64", "DEV_FEATURES": a("u64", flags=FEATURES),
    "DEV_BLK_CFG_CAPACITY": a("u64", unit="sectors"), "DEV_BLK_CFG_SIZE_MAX": "u32", "DEV_BLK_CFG_BLK_SIZE": "u32",
    "DEV_BLK_CFG_SEG_MAX": "u32", "DEV_BLK_CFG_NUM_QUEUES": "u16", "DEV_BLK_CFG_PHY_BLK_EXP": "u8",
    "DEV_BLK_CFG_ALIGN_OFFSET": "u8", "DEV_BLK_CFG_MIN_IO_SIZE": "u16", "DEV_BLK_CFG_OPT_IO_SIZE": "u32",
    "DEV_BLK_CFG_MAX_DISCARD_SEC": "u32", "DEV_BLK_CFG_MAX_DISCARD_SEG": "u32",
    "DEV_BLK_CFG_DISCARD_SEC_ALIGN": "u32", "DEV_BLK_CFG_MAX_WRITE_ZEROES_SEC": "u32",
    "DEV_BLK_CFG_MAX_WRITE_ZEROES_SEG": "u32", "DEV_BLK_READ_ONLY": "u8", "DEV_BLK_FLUSH": "u8"}, label="vdpa")


def _feature_words(v: int) -> str:
    return " ".join(n for b, n in FEATURES.items() if v & b)


@info()
def vdpa_info(root) -> str:
    """`vdpasim_net: supported_classes net max_supported_vqs 3`, `vdpa0: type network mgmtdev
    vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256`, `vdpa0: mac 00:11:22:33:44:55 link up
    mtu 1400`: the words of `vdpa mgmtdev show`, `vdpa dev show` and `vdpa dev config show`."""
    v = top_attrs(root, "vdpa.")
    parts = []
    if "dev_name" in v:
        parts.append(f"{v['dev_name'].value}:")
    if "dev_id" in v:
        parts.append(f"type {DEVICE_TYPES.get(v['dev_id'].value, v['dev_id'].value)}")
    if "mgmtdev_dev_name" in v:
        bus = v.get("mgmtdev_bus_name")
        name = f"{bus.value}/{v['mgmtdev_dev_name'].value}" if bus is not None else v["mgmtdev_dev_name"].value
        parts.append(f"mgmtdev {name}" if "dev_name" in v else f"{name}:")
    if "mgmtdev_supported_classes" in v:
        c = v["mgmtdev_supported_classes"].value
        parts.append("supported_classes " + " ".join(n for b, n in CLASS_BITS.items() if c & b))
    if "dev_mgmtdev_max_vqs" in v:
        parts.append(f"max_supported_vqs {v['dev_mgmtdev_max_vqs'].value}")
    for key, word in (("dev_vendor_id", "vendor_id"), ("dev_max_vqs", "max_vqs"), ("dev_max_vq_size", "max_vq_size"),
                      ("dev_net_cfg_macaddr", "mac"), ("dev_net_cfg_max_vqp", "max_vq_pairs"),
                      ("dev_net_cfg_mtu", "mtu"), ("dev_queue_index", "qidx")):
        if key in v:
            parts.append(f"{word} {v[key].value}")
    if "dev_net_status" in v:
        parts.append("link " + ("up" if v["dev_net_status"].value & 1 else "down"))
    for key, word in (("dev_features", "device_features"), ("dev_negotiated_features", "negotiated_features")):
        if key in v:
            parts.append(f"{word} {_feature_words(v[key].value)}".rstrip())
    names = [c for c in root.children or () if c.field.abbrev in ("vdpa.dev_vendor_attr_name", "vdpa.dev_vendor_attr_value")]
    for name, value in zip(names[::2], names[1::2]):
        parts.append(f"{name.value} {value.value}")
    return " ".join(parts)


CMDS = names_from(H, "VDPA_CMD_", "vdpa_command")
# DEV_CONFIG_GET and DEV_VSTATS_GET are questions; DEV_ATTR_SET (6.12: a device's MAC) a change
register_genl_family(GenlFamily("vdpa", "vdpa", {
    n: MessageType(0, name, kind_from_name(name), None, VDPA, info=vdpa_info) for n, name in CMDS.items()}, VDPA))
