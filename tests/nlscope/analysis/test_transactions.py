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
    # the first and latest answers are kept, not a whole dump
    for x, y in zip(a, b):
        if x.tx[0] is not None and x.tx[0].responses:
            assert y.tx[0].responses[0] is b[a.index(x.tx[0].responses[0])] and len(y.tx[0].responses) <= 2


def test_streaming_table_gives_up_the_oldest_unanswered_request():
    table = TransactionTable(keep=False, max_open=3)
    reqs = [dissectors.decode_frame(msg(18, 0x5, b"\0" * 16, seq=seq), 0)[0] for seq in range(1, 6)]
    for m in reqs:
        table.add(m)
    assert [m.tx[0].status for m in reqs] == ["no response seen"] * 2 + ["open"] * 3
    answer = dissectors.decode_frame(msg(2, 0, struct.pack("<i", 0) + msg(18, 0x5, b""), seq=1, pid=99), 0)[0]
    table.add(answer)   # its request was given up: the answer is an orphan, not a crash
    assert answer.tx[1] == "no request"
