"""Classic pcap: the four magics, whole frames whatever their size, and lengths checked
before anything is allocated."""
import struct
import tracemalloc

import pytest

from nlscope.messages import messages
from nlscope.sources import CaptureError, read_capture
from tests.nlscope.sources import craft
from tests.nlscope.sources.craft import DONE, cooked

NL = cooked(DONE)


def _read(tmp_path, raw, name="t.pcap"):
    path = tmp_path / name
    path.write_bytes(raw)
    frames, error = [], None
    try:
        for fr in read_capture(str(path)):
            frames.append(fr)
    except CaptureError as exc:
        error = str(exc)
    return frames, error


@pytest.mark.parametrize("order", ["<", ">"])
@pytest.mark.parametrize("nano", [False, True])
def test_four_magics(tmp_path, order, nano):
    frames, err = _read(tmp_path, craft.pcap([NL, NL], order=order, nano=nano))
    assert err is None and [f.data for f in frames] == [DONE, DONE]
    assert frames[1].ts_ns == 1_700_000_001 * 10**9 + (7 if nano else 7000)


@pytest.mark.parametrize("snaplen", [65535, 262144, 0])
def test_frame_over_64k_is_read_whole(tmp_path, snaplen):
    """A 240 KB nft batch frame: scapy's reader said 'the file ends inside frame 1'. The
    header's snap length is not a cap on what is read: the record's captured length is."""
    payload = DONE * 12_000
    frames, err = _read(tmp_path, craft.pcap([cooked(payload), NL], snaplen=snaplen))
    assert err is None and [f.data for f in frames] == [payload, DONE]
    assert len(list(messages(frames))) == 12_001


def test_frame_cut_short_says_which(tmp_path):
    raw = craft.pcap([NL, cooked(DONE * 5000)])
    frames, err = _read(tmp_path, raw[:-100])
    assert len(frames) == 1 and "ends inside frame 2" in err and "frames before it were read" in err


@pytest.mark.parametrize("caplen", [0xFFFFFFFF, 0x7FFFFFFF, 300 << 20])
def test_huge_captured_length_is_an_error_not_an_allocation(tmp_path, caplen):
    raw = craft.pcap([NL]) + struct.pack("<IIII", 0, 0, caplen, caplen) + b"\0" * 100
    tracemalloc.start()
    frames, err = _read(tmp_path, raw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(frames) == 1 and err and "\n" not in err
    assert peak < 8 << 20, peak


def test_header_cut_or_of_an_unknown_version(tmp_path):
    raw = craft.pcap([NL])
    frames, err = _read(tmp_path, raw[:10])
    assert frames == [] and "capture header unreadable" in err
    bad = bytearray(raw)
    struct.pack_into("<H", bad, 4, 7)
    frames, err = _read(tmp_path, bytes(bad))
    assert frames == [] and "version 7.4" in err


def test_link_type_fcs_bits_are_not_the_link_type(tmp_path):
    """libpcap's LT_LINKTYPE(): the field's upper bits say whether frames carry an FCS."""
    frames, err = _read(tmp_path, craft.pcap([NL], linktype=253 | 0x04000000))
    assert err is None and frames[0].linktype == 253
