"""pcapng as the specification and tshark read it: every block kind, per-section byte order
and interfaces, timestamps at any resolution, faults in place or as one CaptureError."""
import struct

import pytest

from nlscope.messages import messages
from nlscope.sources import CaptureError, read_capture
from nlscope.sources.capture import NO_LINKTYPE, NO_PROTOCOL
from nlscope.sources.pcapng import MAX_INTERFACES
from tests.nlscope.sources import craft
from tests.nlscope.sources.craft import DONE, cooked, epb, idb, opts, shb, spb

NL = cooked(DONE)


def _read(tmp_path, raw, name="t.pcapng"):
    path = tmp_path / name
    path.write_bytes(raw)
    warnings, frames, error = [], [], None
    try:
        for fr in read_capture(str(path), warn=warnings.append):
            frames.append(fr)
    except CaptureError as exc:
        error = str(exc)
    return frames, error, warnings


@pytest.mark.parametrize("order", ["<", ">"])
def test_frame_over_64k_is_read_whole(tmp_path, order):
    """An nft -f batch of a few thousand rules is one 130-260 KB frame: every byte is read,
    every message decoded (scapy's reader cut it at 65,535 bytes, the rest 'cut by snap length')."""
    payload = DONE * 12_000                                   # 240,000 bytes
    raw = shb(order) + idb(snaplen=65535, order=order) + epb(0, 5, cooked(payload), order=order)
    (fr,), err, _ = _read(tmp_path, raw)
    assert err is None and fr.data == payload and fr.caplen == fr.wirelen == 16 + len(payload)
    assert len(list(messages([fr]))) == 12_000


def test_simple_packet_block_uses_the_first_interface(tmp_path):
    """SPB: no interface id (the section's first), the original length, no timestamp."""
    raw = (shb() + idb(options=opts((craft.IF_TSRESOL, b"\x09"))) + idb(1) + spb(NL)
           + epb(0, 7, NL) + spb(NL[:20], wirelen=len(NL)))
    frames, err, _ = _read(tmp_path, raw)
    assert err is None and [f.number for f in frames] == [1, 2, 3]
    assert frames[0].data == DONE and frames[0].ts_ns == 0 and frames[0].linktype == 253
    assert frames[1].ts_ns == 7
    assert frames[2].data == DONE[:4] and frames[2].wirelen == len(NL)   # cut by what the block holds
    assert frames[2].caplen < frames[2].wirelen


def test_simple_packet_block_snap_length_and_no_interface(tmp_path):
    # the interface's snap length bounds an SPB's captured length (it has no field of its own)
    (fr,), err, _ = _read(tmp_path, shb() + idb(snaplen=20) + spb(NL))
    assert err is None and fr.caplen == 20 and fr.wirelen == len(NL)
    # no interface at all: shown in place, as a fault
    (fr,), err, _ = _read(tmp_path, shb() + spb(NL))
    assert err is None and fr.fault and "no interface" in fr.fault and fr.data == NL


def test_obsolete_packet_block(tmp_path):
    (fr,), err, _ = _read(tmp_path, shb() + idb() + craft.pb(0, 3_000_000, NL))
    assert err is None and fr.data == DONE and fr.ts_ns == 3_000_000_000   # default resolution: microseconds


@pytest.mark.parametrize("tsresol,ticks,ts_ns", [
    (0, 1_700_000_000, 1_700_000_000 * 10**9),               # seconds (10^0)
    (3, 5, 5_000_000),
    (9, 123, 123),
    (12, 123_456, 123),                                       # picoseconds: floor to ns
    (0x80 | 10, 1024 * 3 + 512, 3_500_000_000),               # 2^-10 s
    (0x80 | 0, 2, 2 * 10**9),                                 # 2^0 s
    (0, 2**64 - 1, (2**64 - 1) * 10**9),                      # a garbage timestamp, kept exact
    (127, 2**64 - 1, 0),
])
def test_if_tsresol_every_form(tmp_path, tsresol, ticks, ts_ns):
    raw = shb() + idb(options=opts((craft.IF_TSRESOL, bytes([tsresol])))) + epb(0, ticks, NL)
    (fr,), err, _ = _read(tmp_path, raw)
    assert err is None and fr.ts_ns == ts_ns and fr.time == ts_ns / 1e9


def test_if_tsoffset_is_added(tmp_path):
    o = opts((craft.IF_TSRESOL, b"\x00"), (craft.IF_TSOFFSET, struct.pack("<q", -10)))
    (fr,), err, _ = _read(tmp_path, shb() + idb(options=o) + epb(0, 25, NL))
    assert err is None and fr.ts_ns == 15 * 10**9


def test_packet_naming_a_missing_interface_is_shown_in_place(tmp_path):
    """Not dropped: a Frame with `fault` between its neighbours, its bytes as the block holds them."""
    raw = shb() + idb() + epb(0, 1, NL) + epb(3, 2, NL + b"xy") + epb(0, 3, NL)
    frames, err, warnings = _read(tmp_path, raw)
    assert err is None and [f.number for f in frames] == [1, 2, 3] and not warnings
    bad = frames[1]
    assert bad.fault and "interface 3" in bad.fault and "1 interface" in bad.fault and "\n" not in bad.fault
    assert bad.data == NL + b"xy" and bad.header == b""
    assert bad.linktype == NO_LINKTYPE and bad.protocol == NO_PROTOCOL
    assert frames[0].fault is None and frames[2].fault is None


def test_interfaces_belong_to_their_section(tmp_path):
    """A new section starts with no interface: interface 1 of section 1 does not exist in section 2."""
    raw = shb() + idb() + idb() + epb(1, 1, NL) + shb() + idb() + epb(1, 2, NL) + epb(0, 3, NL)
    frames, err, _ = _read(tmp_path, raw)
    assert err is None and [f.fault is None for f in frames] == [True, False, True]
    assert "section 2" in frames[1].fault


def test_section_in_the_other_byte_order_is_read_and_said_once(tmp_path):
    raw = (shb("<") + idb() + epb(0, 1, NL) + shb(">") + idb(order=">") + epb(0, 2, NL, order=">")
           + shb("<") + idb() + epb(0, 3, NL) + shb(">") + idb(order=">") + epb(0, 4, NL, order=">"))
    frames, err, warnings = _read(tmp_path, raw)
    assert err is None and [f.data for f in frames] == [DONE] * 4
    assert [f.ts_ns for f in frames] == [1000, 2000, 3000, 4000]
    assert len(warnings) == 1 and "section 2 is big-endian" in warnings[0] and "little-endian" in warnings[0]


def test_big_endian_file(tmp_path):
    frames, err, warnings = _read(tmp_path, craft.pcapng([NL, NL], order=">"))
    assert err is None and len(frames) == 2 and not warnings


def test_other_blocks_are_skipped_by_their_length(tmp_path):
    others = b"".join(craft.block(t, b"\x01\x02\x03\x04" * n) for t, n in (
        (craft.NRB, 3), (craft.ISB, 5), (craft.DSB, 2), (craft.CUSTOM, 1), (craft.CUSTOM_NOCOPY, 0),
        (0x12345678, 7), (0x80000001, 4)))
    raw = shb() + others + idb() + others + epb(0, 1, NL) + others + epb(0, 2, NL) + others
    frames, err, warnings = _read(tmp_path, raw)
    assert err is None and [f.ts_ns for f in frames] == [1000, 2000] and not warnings


@pytest.mark.parametrize("blk", [craft.block(craft.NRB, b"\0" * 8, trailer=16), epb(0, 1, NL)[:-4] + b"\0\0\0\0"])
def test_trailing_length_differs_from_leading(tmp_path, blk):
    frames, err, _ = _read(tmp_path, shb() + idb() + epb(0, 1, NL) + blk + epb(0, 2, NL))
    assert len(frames) == 1 and err and "trailing length" in err and "frames before it were read" in err


@pytest.mark.parametrize("length", [0xFFFFFFF0, 0x7FFFFFFC, 64 << 20])
def test_huge_block_length_is_an_error_not_an_allocation(tmp_path, length):
    import tracemalloc
    raw = shb() + idb() + epb(0, 1, NL) + struct.pack("<II", 6, length) + b"\0" * 64
    tracemalloc.start()
    frames, err, _ = _read(tmp_path, raw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(frames) == 1 and err and "\n" not in err
    assert peak < 8 << 20, peak


def test_captured_length_past_its_block(tmp_path):
    blk = bytearray(epb(0, 1, NL))
    struct.pack_into("<I", blk, 20, len(NL) + 100)
    frames, err, _ = _read(tmp_path, shb() + idb() + bytes(blk))
    assert frames == [] and err and "runs past" in err


def test_interfaces_are_bounded(tmp_path):
    one = idb()
    raw = shb() + one * (MAX_INTERFACES + 1) + epb(0, 1, NL)
    frames, err, _ = _read(tmp_path, raw)
    assert frames == [] and err and "interfaces" in err


def test_comment_first_opt_comment_utf8_with_replacement(tmp_path):
    o = opts((craft.OPT_COMMENT, "pid=1 comm=ïp".encode() + b"\xff"), (craft.OPT_COMMENT, b"second"))
    (fr,), err, _ = _read(tmp_path, shb() + idb() + epb(0, 1, NL, options=o))
    assert err is None and fr.comment == "pid=1 comm=ïp\ufffd"


def test_option_running_past_its_block_is_said_once(tmp_path):
    bad = struct.pack("<HH", craft.OPT_COMMENT, 400) + b"abcd"
    raw = shb() + idb() + epb(0, 1, NL, options=bad) + epb(0, 2, NL, options=bad)
    frames, err, warnings = _read(tmp_path, raw)
    assert err is None and len(frames) == 2 and frames[0].comment is None
    assert len(warnings) == 1 and "option runs past" in warnings[0]


def test_unknown_major_version_and_bad_byte_order_magic(tmp_path):
    frames, err, _ = _read(tmp_path, shb(major=2) + idb() + epb(0, 1, NL))
    assert frames == [] and err and "version 2.0" in err
    bad = bytearray(shb())
    bad[8:12] = b"abcd"
    frames, err, _ = _read(tmp_path, bytes(bad) + idb() + epb(0, 1, NL))
    assert frames == [] and err and "byte-order magic" in err


def test_only_other_link_types_is_an_error_as_for_pcap(tmp_path):
    """An Ethernet capture opened by mistake: one line saying so (exit 2), not an empty success."""
    frames, err, warnings = _read(tmp_path, shb() + idb(1) + epb(0, 1, b"\xff" * 60) + epb(0, 2, b"\xee" * 60))
    assert frames == [] and err and "no netlink frame" in err and "2 of link type 1 (Ethernet)" in err
    assert not warnings
