"""The Info column comes from a shallow, partly folded decode (that is what makes summaries
cheap); it must say exactly what the full tree would make it say, for every real message."""
import pytest

from tests.conftest import CAPTURES, PYROUTE2_PCAP, decode_file

from dissectors.core.registry import RAW_TYPES  # noqa: E402

SOURCES = sorted(CAPTURES.glob("*.pcapng")) + [PYROUTE2_PCAP]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_summary_info_equals_full_tree_info(path):
    assert path.exists(), f"missing capture: {path}"
    first = decode_file(path)
    again = decode_file(path)
    checked = 0
    for cheap, full in zip(first, again):
        mt = full.message_type
        # below 0x10 the control types, except on a protocol without them (the proc
        # connector's events are all NLMSG_DONE by number)
        if full.malformed or (full.type < 0x10 and full.protocol not in RAW_TYPES) or mt is None or mt.info is None:
            continue
        want = mt.info(full.tree)            # full tree first: the summary path is never taken
        assert cheap.info == want, f"{path.name} {cheap.frame}.{cheap.index} {cheap.type_name}"
        checked += 1
    assert checked > 0


def test_fast_info_answers_from_the_bytes_or_leaves_it_to_the_tree():
    """An Info function's `fast` twin reads the bytes without a tree: on real messages it
    answers (most of the time), and on damaged ones — bytes flipped, lengths cut — it says
    what the tree says or nothing (None), never something else, never an exception."""
    import random

    import dissectors
    from dissectors import Context
    rng = random.Random(8)
    answered = damaged = 0
    for path in SOURCES:
        for m in decode_file(path):
            mt = m.message_type
            fast = mt.info.fast if mt is not None and mt.info is not None else None
            if fast is None or m.malformed:
                continue
            raw = bytes(m.buf[m.offset:m.offset + m.length])
            got = fast(raw, 0, len(raw), m.order, m.flags)
            answered += got is not None
            assert got in (None, mt.info(m.tree)), (path.name, m.frame, m.index)
            for _ in range(6):
                bad = bytearray(raw)
                for _ in range(rng.randint(1, 4)):
                    bad[rng.randrange(16, len(bad))] = rng.randrange(256)
                bad = bytes(bad[:rng.randrange(16, len(bad) + 1)])   # nlmsg_len told the cut
                bad = len(bad).to_bytes(4, "little" if m.order == "<" else "big") + bad[4:]
                again = dissectors.decode_frame(bad, m.protocol, Context())
                if len(again) != 1 or again[0].malformed or again[0].message_type is not mt:
                    continue
                got = fast(bad, 0, len(bad), m.order, m.flags)
                assert got in (None, mt.info(again[0].tree)), (path.name, m.frame, m.index, bad.hex())
                damaged += 1
    assert answered > 100 and damaged > 500


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_ack_and_done_info_from_headers_equals_the_decoded_one(path):
    """An ACK, error or DONE without extack gets its Info from the headers alone; it must
    be what the decoded message says (the echoed request's type and seq, the errno)."""
    first, again = decode_file(path), decode_file(path)
    checked = headers_only = 0
    for cheap, full in zip(first, again):
        if full.malformed or full.type not in (2, 3) or full.flags & 0x200:
            continue
        full.tree
        assert cheap.info == full.info, f"{path.name} {cheap.frame}.{cheap.index}"
        checked += 1
        headers_only += not cheap._decoded  # a short body is left to the decode
    assert headers_only * 2 >= checked
    assert checked > 0 or path.name in ("classic.pcapng", "connector.pcapng")
