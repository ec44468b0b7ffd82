"""Capture files are untrusted input: cut anywhere, odd records, several interfaces, big files.

Whatever the damage, reading yields the frames before the fault, then one CaptureError;
never another exception, never a frame that was not in the file."""
import struct
import tracemalloc

import pytest

from dissectors import Context
from nlscope.messages import messages
from nlscope.sources import CaptureError, read_capture
from tests.conftest import CAPTURES

PCAPNG = CAPTURES / "rtnl-extack.pcapng"


def _read(path):
    frames, error = [], None
    try:
        for fr in read_capture(str(path)):
            frames.append(bytes(fr.data))
    except CaptureError as exc:
        error = str(exc)
    return frames, error


def _pcap(records, linktype=253, snaplen=262144):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)
    for i, (data, wirelen) in enumerate(records):
        out += struct.pack("<IIII", 1_700_000_000 + i, 0, len(data), wirelen) + data
    return out


def _cooked(payload: bytes, proto: int = 0) -> bytes:
    return struct.pack(">HHH8sH", 4, 824, 0, b"", proto) + payload


def _pcap_boundaries(raw: bytes) -> list[int]:
    pos, out = 24, [24]
    while pos + 16 <= len(raw):
        caplen = struct.unpack_from("<I", raw, pos + 8)[0]
        pos += 16 + caplen
        out.append(pos)
    return out


def _pcapng_boundaries(raw: bytes) -> list[int]:
    pos, out = 0, [0]
    while pos + 12 <= len(raw):
        pos += struct.unpack_from("<I", raw, pos + 4)[0]
        out.append(pos)
    return out


def _cuts(boundaries, size):
    """Every record boundary, and inside each record: just after it starts, its middle, its end - 1."""
    points = set()
    for a, b in zip(boundaries, boundaries[1:] + [size]):
        points |= {a, a + 1, a + 5, (a + b) // 2, b - 1}
    return sorted(p for p in points if 0 < p < size)


@pytest.mark.parametrize("fmt", ["pcapng", "pcap"])
def test_cut_at_every_record_boundary_and_inside_records(tmp_path, fmt):
    if fmt == "pcapng":
        raw = PCAPNG.read_bytes()
        bounds = _pcapng_boundaries(raw)
    else:
        frames = list(read_capture(str(PCAPNG)))
        raw = _pcap([(_cooked(bytes(f.data), f.protocol), 16 + len(f.data)) for f in frames])
        bounds = _pcap_boundaries(raw)
    full, err = _read(_write(tmp_path / f"full.{fmt}", raw))
    assert err is None and len(full) > 50
    cut_file = tmp_path / f"cut.{fmt}"
    for cut in _cuts(bounds, len(raw)):
        got, err = _read(_write(cut_file, raw[:cut]))
        assert got == full[:len(got)], f"cut at {cut}: a frame that is not in the file"
        if cut not in bounds and err is None:
            # only a cut inside a record may go unnoticed if it falls in padding the reader skips
            assert len(got) >= len(full) - 1, cut
        if err is not None:
            assert "\n" not in err and err.startswith(str(cut_file)), err
        for m in messages(iter([]) if not got else _frames(cut_file)):
            m.tree, m.info  # every message that was read decodes


def _frames(path):
    try:
        yield from read_capture(str(path))
    except CaptureError:
        return


def _write(path, raw):
    path.write_bytes(raw)
    return path


def test_zero_length_and_header_only_records(tmp_path):
    good = _cooked(struct.pack("<IHHII", 16, 3, 2, 1, 0))           # an NLMSG_DONE
    raw = _pcap([(b"", 0), (_cooked(b""), 16), (good, len(good))])
    path = _write(tmp_path / "z.pcap", raw)
    frames, err = _read(path)
    assert err is None
    msgs = list(messages(read_capture(str(path)), Context()))
    assert [m.type_name for m in msgs] == ["NLMSG_DONE"]


def test_snaplen_cut_frame_is_truncated_not_malformed(tmp_path):
    """tcpdump -s 60 cuts messages: the one that runs past the cut is TRUNCATED and decoded as
    far as it goes; the messages before it in the frame are whole."""
    frames = [f for f in read_capture(str(PCAPNG)) if len(f.data) > 120]
    data = bytes(frames[0].data)
    snap = 16 + 60
    raw = _pcap([(_cooked(data)[:snap], 16 + len(data))], snaplen=snap)
    msgs = list(messages(read_capture(str(_write(tmp_path / "s.pcap", raw))), Context()))
    assert msgs and not any(m.malformed for m in msgs)
    last = msgs[-1]
    assert last.truncated and last.tree.status == "truncated"
    assert "snap length" in last.tree.label
    assert not [n for n in last.tree.walk() if n.status == "malformed"]


def test_pcapng_with_interfaces_of_several_link_types(tmp_path):
    """An Ethernet interface beside an nlmon one: its packets are skipped (and said so), the
    netlink ones read."""
    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", btype, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb_eth = block(1, struct.pack("<HHI", 1, 0, 65535))
    idb_nl = block(1, struct.pack("<HHI", 253, 0, 65535))
    done = _cooked(struct.pack("<IHHII", 16, 3, 2, 1, 0))

    def epb(iface, data):
        return block(6, struct.pack("<IIIII", iface, 0, 0, len(data), len(data)) + data)
    raw = shb + idb_eth + idb_nl + epb(0, b"\xff" * 60) + epb(1, done) + epb(0, b"\xee" * 42) + epb(1, done)
    warnings = []
    frames = list(read_capture(str(_write(tmp_path / "multi.pcapng", raw)), warn=warnings.append))
    assert len(frames) == 2 and all(f.linktype == 253 for f in frames)
    assert len(warnings) == 1 and "skipped 2 of link type 1" in warnings[0]


def test_wrong_magic_and_garbage_are_one_line(tmp_path):
    for name, raw in (("text.pcap", b"hello, this is not a capture\n"), ("zip.pcap", b"PK\x03\x04" + b"\0" * 40),
                      ("short.pcap", b"\xd4\xc3\xb2\xa1\x02\x00")):
        frames, err = _read(_write(tmp_path / name, raw))
        assert frames == [] and err and "\n" not in err


def test_reading_streams_in_flat_memory(tmp_path):
    """Reading holds one frame at a time: ten times the messages, about the same peak memory."""
    frames = list(read_capture(str(PCAPNG)))
    one_round = [(_cooked(bytes(f.data), f.protocol), 16 + len(f.data)) for f in frames]

    def peak(rounds):
        path = _write(tmp_path / f"r{rounds}.pcap", _pcap(one_round * rounds))
        tracemalloc.start()
        n = 0
        for m in messages(read_capture(str(path)), Context()):
            n += 1
            m.info
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return n, top
    n1, p1 = peak(5)
    n2, p2 = peak(50)
    assert n2 == 10 * n1
    assert p2 < 2 * p1 + 2_000_000, (p1, p2)


def test_frame_shorter_than_its_link_header_is_a_fault_in_place(tmp_path):
    """A LINKTYPE_NETLINK frame of 6 bytes is not 'not netlink' (skipped, as before): it is shown
    in its place, as what it is."""
    good = _cooked(struct.pack("<IHHII", 16, 3, 2, 1, 0))
    warnings = []
    frames = list(read_capture(str(_write(tmp_path / "short.pcap", _pcap([(good, 32), (b"\0\4\3\x38\0\0", 6),
                                                                           (good, 32)]))), warn=warnings.append))
    assert [f.fault is None for f in frames] == [True, False, True] and not warnings
    assert frames[1].data == b"\0\4\3\x38\0\0" and "shorter than the 16-byte header" in frames[1].fault


def test_file_object_and_path_read_the_same():
    with open(PCAPNG, "rb") as f:
        a = [(fr.number, fr.header + fr.data, fr.ts_ns, fr.comment) for fr in read_capture(f)]
    b = [(fr.number, fr.header + fr.data, fr.ts_ns, fr.comment) for fr in read_capture(str(PCAPNG))]
    assert a == b and len(a) > 50


def test_interfaces_are_numbered_across_sections_as_wireshark_numbers_them(tmp_path):
    """frame.interface_id: the second section's first interface is interface 2 when the first
    section has two (Wireshark's numbering); a pcap file's frames are on interface 0."""
    from tests.nlscope.sources import craft as C
    from nlscope.sources.capture import read_capture
    frame = C.cooked(C.nlmsg(0x10))
    raw = (C.shb() + C.idb() + C.idb() + C.epb(1, 0, frame) + C.epb(0, 0, frame)
           + C.shb() + C.idb() + C.epb(0, 0, frame))
    path = tmp_path / "sections.pcapng"
    path.write_bytes(raw)
    assert [fr.interface for fr in read_capture(str(path))] == [1, 0, 2]
    pcap_path = tmp_path / "one.pcap"
    pcap_path.write_bytes(C.pcap([frame]))
    assert [fr.interface for fr in read_capture(str(pcap_path))] == [0]
