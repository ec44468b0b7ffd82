"""Every request of the committed scenarios paired; dumps counted; errors attributed."""
import struct

import pytest

import dissectors
import nlscope
from nlscope.analysis.transactions import TransactionTable
from tests.conftest import CAPTURES
from tests.dissectors.build import msg, nla


@pytest.mark.parametrize("name", ["rtnl-extack", "nlscope-test", "classic", "nl80211", "mixed"])
def test_every_request_that_wants_an_answer_is_answered(name):
    cap = nlscope.open(str(CAPTURES / f"{name}.pcapng"))
    assert not [t for t in cap.transactions if t.status in ("no response", "no request")]
    for m in cap:
        assert m.tx is not None, (m.frame, m.index)


def test_dump_counted_and_closed_by_done():
    cap = nlscope.open(str(CAPTURES / "nlscope-test.pcapng"))
    dumps = [t for t in cap.transactions if t.dump and t.request.type_name == "NLSCOPE_TEST_CMD_DUMP"]
    assert len(dumps) == 1
    t = dumps[0]
    assert len(t.parts) == 300 and t.final.type_name == "NLMSG_DONE" and not t.interrupted
    assert t.bytes == sum(m.length for m in t.parts) and t.latency > 0
    assert {m.frame for m in t.parts} and len({m.frame for m in t.parts}) >= 3
    assert all(m.tx == (t, "response") for m in t.responses)


def test_error_attributed_to_the_requests_attribute():
    cap = nlscope.open(str(CAPTURES / "rtnl-extack.pcapng"))
    (err,) = cap.filter("netlink.error == ERANGE")
    t = err.tx[0]
    assert t.request.type_name == "RTM_NEWLINK" and t.status == "error"
    node = t.offending_node()
    assert node.field.abbrev == "rtnl.link.gso_max_size" and node.value == 10
    assert node.offset == t.request.offset + err.error["extack"]["offs"]


def test_capped_error_resolved_in_the_original_request():
    """The kernel echoed only the header: the attribute is found in the request itself."""
    ifinfo = struct.pack("<BxHiII", 0, 0, 3, 0, 0)
    req = msg(16, 0x5, ifinfo + nla(3, b"d0\0") + nla(4, struct.pack("<I", 9000)), seq=77, pid=0)
    tlvs = nla(1, b"bad mtu\0") + nla(2, struct.pack("<I", 16 + 16 + 8))
    err = msg(2, 0x100 | 0x200, struct.pack("<i", -22) + req[:16] + tlvs, seq=77, pid=4242)
    ctx = dissectors.Context()
    table = TransactionTable()
    ms = dissectors.decode_frame(req, 0, ctx, frame=1) + dissectors.decode_frame(err, 0, ctx, frame=2)
    for m in ms:
        table.add(m)
    table.finish()
    t = ms[0].tx[0]
    assert t.portid == 4242 and t.final is ms[1]
    assert ms[1].error["extack"]["attr"] == "IFLA_MTU" and ms[1].error["extack"]["attr_from_request"]
    assert t.offending_node().value == 9000


def test_unanswered_orphans_and_notifications():
    ctx = dissectors.Context()
    table = TransactionTable()
    get = msg(18, 0x301, struct.pack("<BxHiII", 0, 0, 0, 0, 0), seq=5)          # dump request, no answer
    orphan = msg(16, 0x2, struct.pack("<BxHiII", 0, 0, 1, 0, 0), seq=9, pid=33)  # answer to nothing seen
    note = msg(16, 0x0, struct.pack("<BxHiII", 0, 0, 1, 0, 0), seq=0, pid=0)     # multicast notification
    for i, raw in enumerate((get, orphan, note), 1):
        for m in dissectors.decode_frame(raw, 0, ctx, frame=i):
            table.add(m)
    table.finish()
    statuses = sorted(t.status for t in table)
    assert statuses == ["no request", "no response"]


@pytest.mark.parametrize("name", ["rtnl-extack", "mixed", "nl80211"])
def test_streaming_table_pairs_the_same_and_holds_only_open_ones(name):
    """keep=False (what `nlscope read` uses): the same roles, statuses and ids as a table
    that keeps everything, while it holds no closed transaction."""
    from dissectors import Context
    from nlscope.messages import messages
    from nlscope.sources import read_capture
    path = str(CAPTURES / f"{name}.pcapng")
    full, lean = TransactionTable(), TransactionTable(keep=False)
    a = list(messages(read_capture(path), Context(), full))
    b = list(messages(read_capture(path), Context(), lean))
    full.finish()
    lean.finish()
    assert [(m.tx[0].id if m.tx[0] else None, m.tx[1], m.tx[0].status if m.tx[0] else None) for m in a] == \
           [(m.tx[0].id if m.tx[0] else None, m.tx[1], m.tx[0].status if m.tx[0] else None) for m in b]
    assert len(lean) == len(full) and lean.transactions == [] and not lean._open
    assert not lean._order and lean.held == 0
    # the first and latest answers are kept (copies of their heads while open), not a whole dump
    for x, y in zip(a, b):
        if x.tx[0] is not None and x.tx[0].responses:
            first = y.tx[0].responses[0]
            assert (first.frame, first.index, first.pos) == (x.tx[0].responses[0].frame, x.tx[0].responses[0].index,
                                                             x.tx[0].responses[0].pos)
            assert len(y.tx[0].responses) <= 2 and y.tx[0].latency == x.tx[0].latency
            if x.tx[0].request is not None:
                assert y.tx[0].request.type_name == x.tx[0].request.type_name


def test_streaming_table_gives_up_the_oldest_unanswered_request():
    table = TransactionTable(keep=False, max_open=3)
    reqs = [dissectors.decode_frame(msg(18, 0x5, b"\0" * 16, seq=seq), 0)[0] for seq in range(1, 6)]
    for m in reqs:
        table.add(m)
    assert [m.tx[0].status for m in reqs] == ["no response seen"] * 2 + ["open"] * 3
    answer = dissectors.decode_frame(msg(2, 0, struct.pack("<i", 0) + msg(18, 0x5, b""), seq=1, pid=99), 0)[0]
    table.add(answer)   # its request was given up: the answer is an orphan, not a crash
    assert answer.tx[1] == "no request"


def _requests_then_answers(n, body_size=16, frame_size=0, first_answered_first=True):
    """n requests on one seq from n sockets (port ids 1000…), then their ACKs: the answers
    of a busy multi-socket program, or a hostile file, captured after the requests."""
    ctx = dissectors.Context()
    body = struct.pack("<BxHiII", 0, 0, 1, 0, 0) + b"\0" * (body_size - 16)
    reqs, acks = [], []
    for i in range(n):
        raw = msg(16, 0x5, body, seq=1, pid=1000 + i)
        frame = raw + b"\0" * max(frame_size - len(raw), 0)   # the kernel stops at zero padding
        reqs.append((frame, i + 1))
        acks.append((msg(2, 0x100, struct.pack("<i", 0) + raw[:16], seq=1, pid=1000 + i), n + i + 1))
    if not first_answered_first:
        acks.reverse()
    return ctx, reqs, acks


def test_pairing_costs_the_same_however_many_requests_are_open():
    """Each answer used to scan every open request on its seq and remove itself from a
    list: 20,000 open requests then their answers took minutes.  Counted in lines run in
    the table (no clock), and timed generously for 20,000."""
    import sys
    import time
    from nlscope.analysis import transactions as module

    def run(n, trace=False, **kw):
        ctx, reqs, acks = _requests_then_answers(n, **kw)
        decoded = [dissectors.decode_frame(raw, 0, ctx, frame=num)[0] for raw, num in reqs + acks]
        table = TransactionTable(keep=False, max_open=n)
        lines = [0]

        def local(frame, event, arg):
            if event == "line":
                lines[0] += 1
            return local

        def tracer(frame, event, arg):
            return local if frame.f_code.co_filename == module.__file__ else None
        start = time.monotonic()
        if trace:
            sys.settrace(tracer)
        try:
            for m in decoded:
                table.add(m)
            table.finish()
        finally:
            sys.settrace(None)
        assert all(m.tx[0].status == "complete" for m in decoded[:n])
        return lines[0] / (2 * n), time.monotonic() - start

    for first_answered_first in (True, False):
        per_message, _ = run(1000, trace=True, first_answered_first=first_answered_first)
        per_message_big, _ = run(4000, trace=True, first_answered_first=first_answered_first)
        assert per_message < 60 and per_message_big < per_message * 1.1, (per_message, per_message_big)
    _, seconds = run(20_000)
    assert seconds < 5, seconds
    print(f"pairing: {per_message:.1f} lines a message at 1,000 and 4,000 open; 20,000 + 20,000 in {seconds:.2f} s")


def test_open_requests_do_not_keep_their_frames():
    """A stream's open request holds its own bytes, not the frame it came in: 2,000
    unanswered requests, each alone in a 64 KiB frame, held 128 MB; and their bytes
    together stay within the table's bound however large the requests are."""
    import tracemalloc
    from nlscope.messages import Pipeline
    from nlscope.sources import Frame

    def held(n, body_size, frame_size, **kw):
        ctx, reqs, _ = _requests_then_answers(n, body_size=body_size)
        table = TransactionTable(keep=False, **kw)
        pipe = Pipeline(ctx, table)
        dissectors.load_families()   # imported before counting
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        for raw, num in reqs:
            data = bytes(bytearray(raw)) + bytes(max(frame_size - len(raw), 0))   # a frame read from the file
            for m in pipe.feed(Frame(num, float(num), data, 0, len(data), len(data))):
                m.tx = None   # what a stream does once a message is shown
            del data
        now = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        return now, table

    small, _ = held(2000, 16, 65536)
    assert small < 4 << 20, small            # ~1 KB a request, not 64 KiB
    big, table = held(600, 60_000, 0, open_bytes=4 << 20)
    assert big < 8 << 20 and table.held <= 4 << 20 and table.open_count == 600, (big, table.held)
    # what was cut keeps what names it; the newest keep their whole bytes
    ts = list(table._order.values())
    assert ts[0].request.type_name == "RTM_NEWLINK" and ts[0].request.truncated
    assert len(ts[-1].request.buf) == ts[-1].request.length == 60_000 + 16


def test_an_extack_is_resolved_in_a_streamed_request():
    """keep=False holds a copy of the request: the blamed attribute is still named from it."""
    ifinfo = struct.pack("<BxHiII", 0, 0, 3, 0, 0)
    req = msg(16, 0x5, ifinfo + nla(3, b"d0\0") + nla(4, struct.pack("<I", 9000)), seq=77, pid=0)
    tlvs = nla(1, b"bad mtu\0") + nla(2, struct.pack("<I", 16 + 16 + 8))
    err = msg(2, 0x100 | 0x200, struct.pack("<i", -22) + req[:16] + tlvs, seq=77, pid=4242)
    ctx = dissectors.Context()
    table = TransactionTable(keep=False)
    ms = dissectors.decode_frame(req + b"\0" * 4096, 0, ctx, frame=1) + dissectors.decode_frame(err, 0, ctx, frame=2)
    for m in ms:
        table.add(m)
    t = ms[0].tx[0]
    assert len(t.request.buf) == len(req)
    assert ms[1].error["extack"]["attr"] == "IFLA_MTU" and t.offending_node().value == 9000


def test_every_table_bounds_its_open_transactions():
    """keep=True (the API, -2, live) gives up the oldest open request too, with the same status."""
    table = TransactionTable(keep=True, max_open=3)
    reqs = [dissectors.decode_frame(msg(18, 0x5, b"\0" * 16, seq=seq), 0)[0] for seq in range(1, 6)]
    for m in reqs:
        table.add(m)
    assert [t.status for t in table] == ["no response seen"] * 2 + ["open"] * 3 and table.open_count == 3
