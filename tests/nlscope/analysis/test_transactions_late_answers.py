"""Audit answers its GETs after the ACK, in a header of port id 0 (kernel/audit.c sends the
reply from a kernel thread once the request was acked): the reply belongs to the request's
transaction, read from auditctl's real traffic (captures/host-6.18/audit.sh)."""
import struct

import pytest

import dissectors
from nlscope.analysis.transactions import NOTIFICATION, RESPONSE, TransactionTable
from tests.conftest import CAPTURES, decode_file

AUDIT = 9


def _table(msgs, keep):
    done = []
    table = TransactionTable(keep=keep, on_done=done.append)
    for m in msgs:
        table.add(m)
    table.finish()
    return done


@pytest.mark.parametrize("keep", [True, False])
def test_auditctls_replies_join_their_requests(keep):
    msgs = decode_file(CAPTURES / "host-6.18" / "audit.pcapng")
    done = _table(msgs, keep)
    late = [m for m in msgs if m.direction == "from kernel" and m.pid == 0 and m.seq]
    assert {m.type_name for m in late} >= {"AUDIT_GET", "AUDIT_GET_FEATURE", "NLMSG_DONE"}
    for m in late:
        t, role = m.tx
        assert role == RESPONSE, (m.frame, m.type_name, role)
        assert t.request.seq == m.seq and t.status == "complete"
        # the last word: the ACK, or a listing's DONE
        assert t.responses[0].type == 2 and t.responses[0].error_code == 0
        assert t.final.frame == (t.responses[-1] if t.responses[-1].type == 3 else t.responses[0]).frame
    gets = [t for t in done if t.request is not None and t.request.type_name == "AUDIT_GET"]
    # auditctl -b asks again (seq 4) and exits without reading that answer: strace saw its ACK only
    assert sorted((t.status, t.part_count) for t in gets) == [("complete", 1)] * 9 + [("unfinished", 0)]
    assert not [m for m in msgs if m.tx and m.tx[1] == NOTIFICATION and m.seq]


def _msg(mtype, flags, seq, pid, body=b""):
    return struct.pack("<IHHII", 16 + len(body), mtype, flags, seq, pid) + body


def _decode(*raw):
    ctx = dissectors.Context()
    return [m for i, r in enumerate(raw) for m in dissectors.decode_frame(r, AUDIT, ctx, frame=i + 1, pos=i)]


def test_a_set_closes_on_its_ack_and_a_refused_get_on_its_error():
    """Only the GETs wait past the ACK; an error ends any transaction at once."""
    ack = lambda seq, code, req: _msg(2, 0x100, seq, 4242, struct.pack("<i", code) + req[:16])  # noqa: E731
    set_req = _msg(1001, 0x5, 1, 0, bytes(40))         # AUDIT_SET, REQUEST|ACK
    get_req = _msg(1000, 0x5, 2, 0)                    # AUDIT_GET
    msgs = _decode(set_req, ack(1, 0, set_req), get_req, ack(2, -1, get_req), _msg(1000, 0, 2, 0, bytes(40)))
    done = _table(msgs, True)
    assert [t.status for t in done[:2]] == ["complete", "error"]
    assert msgs[4].tx[1] != RESPONSE   # the refused GET's transaction had ended


def test_an_acked_get_whose_answer_never_came_is_unfinished():
    get_req = _msg(1000, 0x5, 7, 0)
    msgs = _decode(get_req, _msg(2, 0x100, 7, 4242, struct.pack("<i", 0) + get_req[:16]))
    (t,) = _table(msgs, True)
    assert t.status == "unfinished" and t.final is msgs[1]
