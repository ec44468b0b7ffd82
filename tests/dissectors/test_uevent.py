"""NETLINK_KOBJECT_UEVENT: records with no nlmsghdr, the kernel's and libudev's.

captures/host-6.18/uevent.pcapng is udevadm monitor and systemd-udevd on a 6.18 kernel while
a tun device comes and goes (captures/host-6.18/uevent.sh); uevent.out is what udevadm printed.
"""
import re
import struct

import pytest

from dissectors import Context, decode_frame
from dissectors.families.uevent import murmur_hash2, string_bloom64
from nlscope.analysis.filter import compile_filter
from tests.conftest import CAPTURES, decode_file
from tests.dissectors.test_fuzz import exercise

PATH = CAPTURES / "host-6.18" / "uevent.pcapng"
KERNEL_ADD = (b"add@/devices/virtual/net/t0\0ACTION=add\0DEVPATH=/devices/virtual/net/t0\0SUBSYSTEM=net\0"
              b"INTERFACE=t0\0IFINDEX=2\0SEQNUM=1001\0")


def libudev(props: dict, subsystem_hash=None, devtype_hash=0, tags=(), magic=0xfeedcafe, off=40, plen=None):
    """A message laid out as sd-device's device_monitor_send_device sends it."""
    blob = b"".join(f"{k}={v}".encode() + b"\0" for k, v in props.items())
    bloom = 0
    for t in tags:
        bloom |= string_bloom64(t.encode())
    sh = murmur_hash2(props["SUBSYSTEM"].encode()) if subsystem_hash is None else subsystem_hash
    hdr = b"libudev\0" + struct.pack(">I", magic) + struct.pack("<III", 40, off, len(blob) if plen is None else plen) \
        + struct.pack(">IIII", sh, devtype_hash, bloom >> 32, bloom & 0xffffffff)
    return hdr + bytes(off - 40) + blob


@pytest.fixture(scope="module")
def msgs():
    return [m for m in decode_file(PATH) if m.protocol == 15]


def _events(text):
    """(source, action, devpath, subsystem, {KEY: VALUE}) of every event udevadm printed."""
    out = []
    for block in text.split("\n\n"):
        m = re.search(r"^(KERNEL|UDEV) *\[[\d.]+\] (\w+) +(\S+) \((\w+)\)$", block, re.M)
        if m:
            props = dict(line.split("=", 1) for line in block.splitlines()[1:] if "=" in line)
            out.append((m.group(1), m.group(2), m.group(3), m.group(4), props))
    return out


def test_every_event_udevadm_printed_is_decoded_with_its_properties(msgs):
    printed = _events((CAPTURES / "host-6.18" / "uevent.out").read_text())
    assert len(printed) >= 6 and {p[0] for p in printed} == {"KERNEL", "UDEV"}
    seen = {}
    for m in msgs:
        props = {n.label: n.children[1].text for n in m.find_all("uevent.property")}
        seen[(m.type_name, m.info, props.get("SEQNUM"))] = props
    for src, action, devpath, subsystem, props in printed:
        info = f"{'udev ' if src == 'UDEV' else ''}{action} {devpath} ({subsystem})"
        key = ("libudev" if src == "UDEV" else "uevent", info, props["SEQNUM"])
        assert key in seen, key
        # every KEY=VALUE udevadm printed, and no other but the one it keeps to itself
        # (sd-device's internal UDEV_DATABASE_VERSION, which udevd sends and udevadm hides)
        got = dict(seen[key])
        if src == "UDEV":
            assert got.pop("UDEV_DATABASE_VERSION") == "1"
        assert got == props


def test_the_synthetic_change_event_carries_its_uuid(msgs):
    """udevadm trigger --action=change --uuid: the kernel's SYNTH_UUID, and udevd's copy of it."""
    changes = [m for m in msgs if m.get("uevent.action") == "change"]
    assert {m.type_name for m in changes} == {"uevent", "libudev"}
    uuids = {m.get("uevent.synth_uuid") for m in changes}
    assert len(uuids) == 1 and re.fullmatch(r"[0-9a-f-]{36}", uuids.pop())


def test_every_message_is_claimed_and_fully_decoded(msgs):
    assert len(msgs) >= 12 and {m.type_name for m in msgs} == {"uevent", "libudev"}
    for m in msgs:
        assert m.claimed and not m.malformed, f"{m.frame}.{m.index}: {m.info}"
        assert not [(n.name, n.status) for n in m.tree.walk() if n.status], m.info


def test_udevd_filter_words_are_the_murmur_hash_and_bloom_of_its_properties(msgs):
    """systemd-udevd's header: SUBSYSTEM's MurmurHash2, no DEVTYPE, the tags' bloom bits."""
    udev = [m for m in msgs if m.type_name == "libudev" and m.get("uevent.subsystem") == "net"]
    assert udev
    for m in udev:
        assert m.get("uevent.libudev.magic") == 0xfeedcafe and m.get("uevent.libudev.header_size") == 40
        assert m.get("uevent.libudev.filter_subsystem_hash") == murmur_hash2(b"net")
        assert "MurmurHash2 of SUBSYSTEM" in m.find("uevent.libudev.filter_subsystem_hash").text
        if m.get("uevent.action") != "add":
            continue   # udevd's remove events carry no TAGS here
        assert m.get("uevent.tags") == ":systemd:"
        assert (m.get("uevent.libudev.filter_tag_bloom_hi") << 32 | m.get("uevent.libudev.filter_tag_bloom_lo")) \
            == string_bloom64(b"systemd")


def test_the_kernels_record_is_one_message_with_no_header():
    """The old split read `add@` as an nlmsg_len and showed the whole record as malformed."""
    (m,) = decode_frame(KERNEL_ADD, protocol=15)
    assert not m.malformed and m.claimed and m.type_name == "uevent"
    assert m.info == "add /devices/virtual/net/t0 (net)"
    assert m.get("uevent.action") == "add" and m.get("uevent.devpath") == "/devices/virtual/net/t0"
    assert m.get("uevent.seqnum") == 1001 and m.get("uevent.ifindex") == 2
    assert m.tree.children[0].offset == 0 and m.tree.length == len(KERNEL_ADD)
    assert [n.value for n in m.find_all("uevent.property.key")] == ["ACTION", "DEVPATH", "SUBSYSTEM", "INTERFACE",
                                                                    "IFINDEX", "SEQNUM"]
    assert compile_filter('uevent.subsystem == "net" and uevent.seqnum > 1000')(m)
    assert compile_filter('uevent.property.key == "INTERFACE"')(m)
    assert not compile_filter('uevent.subsystem == "block"')(m)


def test_libudev_message_laid_out_as_udevd_sends_it():
    props = {"ACTION": "add", "DEVPATH": "/devices/virtual/block/loop0", "SUBSYSTEM": "block", "DEVTYPE": "disk",
             "DEVNAME": "/dev/loop0", "MAJOR": "7", "MINOR": "0", "SEQNUM": "77", "TAGS": ":systemd:seat:"}
    data = libudev(props, devtype_hash=murmur_hash2(b"disk"), tags=("systemd", "seat"))
    (m,) = decode_frame(data, protocol=15)
    assert m.type_name == "libudev" and m.info == "udev add /devices/virtual/block/loop0 (block)"
    assert (m.get("uevent.major"), m.get("uevent.minor"), m.get("uevent.devtype")) == (7, 0, "disk")
    assert "MurmurHash2 of DEVTYPE" in m.find("uevent.libudev.filter_devtype_hash").text
    assert "bloom bits" in m.find("uevent.libudev.filter_tag_bloom_lo").text
    assert m.unknown_count() == 0


def test_bad_libudev_headers_are_shown_not_trusted():
    base = {"ACTION": "add", "DEVPATH": "/x", "SUBSYSTEM": "net"}
    (m,) = decode_frame(libudev(base, magic=0x12345678), protocol=15)
    assert m.find("uevent.libudev.magic").status == "unknown" and m.info == "udev add /x (net)"
    (m,) = decode_frame(libudev(base, plen=4000), protocol=15)
    assert any(n.status == "malformed" for n in m.tree.walk()) and m.find("uevent.action") is None
    (m,) = decode_frame(libudev(base, subsystem_hash=1), protocol=15)
    assert "MurmurHash2" not in m.find("uevent.libudev.filter_subsystem_hash").text


def test_records_that_are_not_uevents():
    (m,) = decode_frame(b"KEY=1\0OTHER=two\0", protocol=15)   # a sender's properties, no ACTION@DEVPATH
    assert [n.label for n in m.find_all("uevent.property")] == ["KEY", "OTHER"] and m.unknown_count() == 0
    (m,) = decode_frame(b"\xff\xfe junk", protocol=15)
    assert m.unknown_count() == 1 and m.info == ""
    (m,) = decode_frame(b"add@/x\0SEQNUM=notanumber\0", protocol=15)
    assert m.find("uevent.seqnum") is None and m.unknown_count() == 1
    assert decode_frame(b"", protocol=15) == []


@pytest.mark.parametrize("cut", [0, 1, 7, 8, 12, 39, 40, 41])
def test_hostile_records_never_raise(cut):
    data = libudev({"ACTION": "add", "DEVPATH": "/x", "SUBSYSTEM": "net"})
    for d in (data[:cut], data[:cut] + b"\xff" * 5, KERNEL_ADD[:cut], bytes(cut)):
        exercise(15, d)
        for m in decode_frame(d, protocol=15, ctx=Context()):
            m.to_json()
