"""The TUI's fast filter — header fields read from the index's columns (plans, HeaderRow),
bodies decoded on every core — keeps exactly the messages the plain evaluation keeps, on
every committed capture."""
import pytest

from nlscope.analysis.filter import compile_filter
from nlscope.analysis.index import HeaderRow, MessageIndex, _FrameCache
from nlscope.tui.store import MessageStore
from tests.conftest import CAPTURES

ALL = sorted(CAPTURES.rglob("*.pcapng"))

FILTERS = [
    # header fields: planned from the columns
    "netlink.seq == 1", "netlink.seq > 5", "netlink.seq != 0", "netlink.seq === 2", "netlink.seq !== 2",
    "netlink.pid != 0", "netlink.pid <= 1000", "netlink.len >= 100", "netlink.len < 20", "frame.number <= 3",
    "netlink.protocol == 16", "netlink.type == 16", "netlink.type == 2", "netlink.type == RTM_NEWLINK",
    "netlink.type in {16, 17, 2}", "netlink.type in {RTM_NEWLINK, RTM_DELLINK, NLMSG_ERROR}",
    "netlink.flags.request", "netlink.flags.dump", "netlink.flags.ack && !netlink.flags.request",
    "netlink.flags == 0x301", "netlink.flags & 0x100", "nlscope.malformed", "not nlscope.malformed",
    "netlink.seq == 1 && netlink.flags.request", "!(netlink.seq == 0) or netlink.type == 3",
    "netlink.seq != 1 and not netlink.flags.multi", "not (netlink.type == 16 or netlink.type == 20)",
    "netlink.flags.replace || netlink.flags.excl", "netlink.type > 15 && netlink.type < 30",
    # header fields the columns do not plan, read by HeaderRow
    "nlscope.direction == \"to kernel\"", "nlscope.role == request", "nlscope.transaction == 3",
    "nlscope.latency > 0", "nlscope.time > 0.0005", "nlscope.response_to > 2", "nlscope.response_in",
    "netlink.family == \"nl80211\"", "netlink.family == 16", "netlink.hdr_seq == 1",
    "netlink.hdr_flags.request == 1", "netlink.seq in {1, 2, 5..9}",
    # bodies, absent fields, contains, membership, and/or/not mixed with header fields
    "rtnl.link.mtu > 1500", "rtnl.link.mtu", "not rtnl.link.mtu", "rtnl.link.ifname contains \"lo\"",
    "rtnl.link.ifname in {\"lo\", \"dummy0\"}", "genl.ctrl.family_name contains \"80211\"",
    "netlink.error == ENODEV", "netlink.error", "rtnl.link.mtu > 1500 && netlink.type == 16",
    "netlink.seq == 1 || rtnl.link.mtu == 65536", "rtnl.addr.local", "rtnl.route.dst in 10.0.0.0/8",
    "rtnl.link.flags.up == 0", "netlink.flags.dump and rtnl.link.ifname", "nlscope.unknown",
    "frame.time_delta > 0 && netlink.seq > 1",
    # the frame record and protocols as their bytes (remade from the index's columns)
    "frame.len > 100", "frame.cap_len == 48", "frame.interface_id == 0", "frame contains \"lo\"",
    "frame[16:4] == 2c:00:00:00", "len(frame) > 200", "netlink[0:2] == 00:04", "netlink contains 6c:6f",
    "netlink-route[4:2] == 10:00", "len(netlink-route) > 1000", "frame matches \"dum+y\"",
    "netlink-route && frame.number > 3", "netlink-netfilter[4:1] == 0a",
]


def _loaded(path) -> MessageStore:
    store = MessageStore(str(path))
    store.load()
    return store


def _plain(index: MessageIndex, text: str) -> list[int]:
    """What the filter keeps asked of each message, made again from its frame."""
    flt = compile_filter(text)
    return [i for i, m in enumerate(index.scan()) if flt(m)]


@pytest.fixture(scope="module", params=ALL, ids=lambda p: str(p.relative_to(CAPTURES)))
def store(request):
    return _loaded(request.param)


def test_fast_filters_keep_what_the_plain_evaluation_keeps(store):
    index = store.messages
    msgs = list(index.scan())   # made once from the frames: each filter asks the same messages
    for text in FILTERS:
        flt = compile_filter(text)
        assert list(index.matching(compile_filter(text))) == [i for i, m in enumerate(msgs) if flt(m)], text


def test_filters_on_every_core_keep_what_one_process_keeps(store, monkeypatch):
    monkeypatch.setattr(MessageStore, "PARALLEL_FROM", 0)
    for text in ("rtnl.link.mtu > 1500", "not rtnl.link.ifname", "netlink.error || genl.ctrl.family_name"):
        assert list(store.compute_view(text).rows) == _plain(store.messages, text), text


def test_a_header_row_reads_what_the_message_says(store):
    """Every attribute HeaderRow answers from the columns equals the message's own."""
    index = store.messages
    frames = _FrameCache(index)
    names = ("frame", "time", "protocol", "pos", "index", "type", "flags", "seq", "pid", "length", "malformed",
             "message_type", "type_name", "kind", "flag_names", "direction", "process", "family", "error",
             "error_code")
    for i, m in enumerate(index.scan()):
        row = HeaderRow(index, i, frames)
        assert [getattr(row, n) for n in names] == [getattr(m, n) for n in names], (m.frame, m.index)
        assert (row.tx[0].id if row.tx and row.tx[0] else None, row.tx and row.tx[1]) == \
               (m.tx[0].id if m.tx and m.tx[0] else None, m.tx and m.tx[1])


def test_plans_answer_header_filters_without_making_a_message(monkeypatch):
    store = _loaded(CAPTURES / "rtnl-extack.pcapng")
    index = store.messages

    def refuse(*_):
        raise AssertionError("a message was made")
    monkeypatch.setattr(MessageIndex, "_make", refuse)
    for text in ("netlink.seq == 1", "netlink.len > 40 and not netlink.pid == 0", "netlink.type in {16, 2} or "
                 "netlink.seq < 3"):
        assert compile_filter(text).plan is not None, text
        index.matching(compile_filter(text))


def test_statistics_of_the_rows_are_those_of_the_messages(store):
    """The statistics screen counts from the index's columns (MessageIndex.stat_facts, the
    first message of a type standing for its family and name): the same report, errors,
    transactions and drill-down rows as over the messages themselves, shown whole or through
    a filter."""
    from nlscope.analysis.stats import Stats
    from nlscope.analysis.transactions import ORPHAN, REQUEST
    from nlscope.tui.screens.stats import Drill, count

    def plain(msgs, filtered):
        st, drill, seen = Stats(), Drill(), set()
        for m in msgs:
            st.add(m)
            drill.add(m, st)
            t, role = m.tx if m.tx else (None, None)
            if t is not None and (t.id not in seen if filtered else role in (REQUEST, ORPHAN)):
                seen.add(t.id)
                st.add_transaction(t, request=m if role == REQUEST else None)
                drill.add_transaction(t)
        return st.report(), drill.rows(st)

    def counted():
        st, drill = count(store)
        return st.report(), drill.rows(st)
    everything = store.compute_view("")
    assert counted() == plain(store.messages.scan(), False)
    for text in ("netlink.type == NLMSG_ERROR", "not netlink.flags.request"):
        view = store.compute_view(text)
        store.install_view(view)
        try:
            msgs = list(store.messages.scan())
            assert counted() == plain((msgs[i] for i in view.rows), True), text
        finally:
            store.install_view(everything)


def test_parts_worked_in_forked_processes_come_back_in_order():
    """workers.in_parts: each part's answer in the order of the parts; a part whose process
    fails is worked in this one (the answer is the same)."""
    import os
    from array import array

    from nlscope.workers import in_parts
    me = os.getpid()

    def squares(start, stop):
        return array("I", (i * i for i in range(start, stop)))

    def fails_elsewhere(start, stop):
        if os.getpid() != me:
            raise RuntimeError("a worker's bug")
        return squares(start, stop)
    ranges = [(0, 5), (5, 9), (9, 30000)]
    want = [list(squares(*r)) for r in ranges]
    assert [list(a) for a in in_parts(squares, ranges)] == want
    assert [list(a) for a in in_parts(fails_elsewhere, ranges)] == want


def test_an_error_the_statistics_count_has_an_errno_read_without_decoding(store):
    """Stats and the drill-down decode a message's error only when its errno, read from the
    bytes (error_code), is not 0: no error they count is missed that way."""
    for m in store.messages.scan():
        err = m.error
        assert bool(err and err["code"]) == bool(m.error_code and err and err["code"]), (m.frame, m.index)


def test_a_family_named_from_the_body_is_counted_by_each_messages_body(tmp_path):
    """sock_diag names a message's family from its body's first byte (Protocol.label_from_body):
    two SOCK_DIAG_BY_FAMILY requests of the same message type, one of AF_SMC (named, no
    dissector) and one of an unknown family, are two rows of the statistics, not the first's
    name twice."""
    import struct

    from nlscope.tui.screens.stats import count
    from tests.nlscope.sources.craft import cooked, pcap

    def request(family: int, seq: int) -> bytes:
        body = bytes([family, 0]) + bytes(2)
        return cooked(struct.pack("<IHHII", 16 + len(body), 20, 0x301, seq, 0) + body, proto=4)
    path = tmp_path / "families.pcap"
    path.write_bytes(pcap([request(43, 1), request(99, 2), request(43, 3)]))
    store = _loaded(path)
    st, _ = count(store)
    assert sorted(st.by_type.items()) == [(("sock_diag ?", "SOCK_DIAG_BY_FAMILY"), 1),
                                          (("sock_diag smc", "SOCK_DIAG_BY_FAMILY"), 2)]
