"""The live TUI with traffic flowing: the real LiveStore fed by a fake capture (no nlmon, no VM)."""
import pytest

from nlscope.tui.app import NlscopeApp
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES
from tests.nlscope.tui.fake_live import fake_live_store, quick_keys

MIXED = str(CAPTURES / "mixed.pcapng")


@pytest.mark.asyncio
@pytest.mark.parametrize("limit", [None, 300])
async def test_filter_then_move_while_traffic_flows(monkeypatch, limit):
    """Live, apply a filter, Esc, k: the detail timer showed the row it was set for, gone
    from the view the filter had just installed meanwhile (IndexError in the store, the
    app stopped); with a limit, the capture thread shrank the list under a row being drawn."""
    quick_keys(monkeypatch)
    store = fake_live_store(monkeypatch, MIXED, limit=limit)
    app = NlscopeApp(store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        lst = app.query_one(MessageList)
        for _ in range(4):
            await pilot.press("G", "slash")
            app.query_one("#filter").value = "netlink.error != 0"
            await pilot.press("enter", "escape", "k")
            await pilot.pause(0.1)
            assert app.store.filter_text == "netlink.error != 0"
            assert all(app.store.at(r).error["code"] for r in range(len(app.store)))
            app.query_one("#filter").value = ""
            await pilot.press("slash", "enter", "escape", "k", "k")
            await pilot.pause(0.1)
        assert app.crash is None and app.return_code is None, app.crash
        assert len(app.store) and lst.cursor < len(app.store)


@pytest.mark.asyncio
async def test_the_detail_timer_shows_the_cursor_of_the_view_installed_meanwhile(monkeypatch):
    """The same race made certain: a move up from the newest row posts Selected(row); a
    filter's view (1 row in 10) is installed before that message is handled, and the detail
    timer it sets fires on the new view."""
    quick_keys(monkeypatch)
    store = fake_live_store(monkeypatch, MIXED)
    app = NlscopeApp(store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        while len(store.messages) < 60:
            await pilot.pause(0.1)
        lst = app.query_one(MessageList)
        await pilot.press("G")
        lst.user_went(lst.cursor - 1)                               # k: Selected(row) is queued
        row = lst.cursor
        app._filtered(store.compute_view("netlink.error != 0"))   # what the filter worker posts, first
        await pilot.pause(0.2)
        assert app.crash is None and app.return_code is None, app.crash
        assert row > 50 and lst.cursor < len(app.store) < 30


@pytest.mark.asyncio
async def test_a_view_computed_while_messages_arrive_misses_none_of_them(monkeypatch):
    """The messages that arrive (and, with a limit, those forgotten) while a filter is being
    computed: the view installed holds exactly the matching messages held."""
    store = fake_live_store(monkeypatch, MIXED, limit=250, batch=10)
    app = NlscopeApp(store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        while len(store.messages) < 100:
            await pilot.pause(0.1)
        fv = store.compute_view("netlink.flags.dump")         # as the worker does
        while store.dropped < fv.dropped + 10:               # more come, the oldest go
            await pilot.pause(0.1)
        store.install_view(fv)
        want = [i for i, m in enumerate(store.messages) if m.flags & 0x300 == 0x300 and m.direction == "to kernel"]
        assert store.view == want and want
        await pilot.pause(0.3)                                # later ones join the view as they come
        assert store.view == [i for i, m in enumerate(store.messages)
                              if m.flags & 0x300 == 0x300 and m.direction == "to kernel"]


def test_a_paused_live_store_with_a_limit_keeps_only_the_newest(monkeypatch):
    """Paused, the queue held every message however long the pause (memory without bound
    under --limit, and every frame ever captured kept for saving); now the newest `limit`,
    and the numbers of those forgotten are counted."""
    import threading
    import time
    store = fake_live_store(monkeypatch, MIXED, limit=50, total=400, pause=0)
    store.set_paused(True)
    t = threading.Thread(target=store.load)
    t.start()
    deadline = time.monotonic() + 30
    while store.live.passed < 400 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    store.stop()
    t.join(10)
    total = store.pipe.pos                    # messages decoded from the 400 frames
    assert total > 400 and len(store.backlog) == 50 and not store.messages
    newest = store.backlog[-1]
    assert store.take() == 0                  # paused: nothing is taken
    store.set_paused(False)
    assert len(store.messages) == 50 and store.messages[-1] is newest and not store.backlog
    assert store.number_at(49) == total - 1 and store.dropped == total - 50
    assert set(store.frames) == {m.frame for m in store.messages}


@pytest.mark.asyncio
async def test_live_save_as_writes_the_marked_messages_frames(monkeypatch, tmp_path):
    """Live, w asks too (it wrote every message held to a fixed name without asking)."""
    import nlscope
    quick_keys(monkeypatch)
    out = tmp_path / "live.pcapng"
    store = fake_live_store(monkeypatch, MIXED, total=80, pause=0)
    app = NlscopeApp(store=store, save_path=str(out))
    async with app.run_test(size=(120, 40)) as pilot:
        while len(store.messages) < store.pipe.pos or store.live.passed < 80:
            await pilot.pause(0.1)
        lst = app.query_one(MessageList)
        rows = (5, 40)
        for row in rows:
            lst.user_went(row)                   # not following any more: the cursor stays
            await pilot.press("m")
        assert lst.marks == set(rows)
        want = [(store.messages[r].type_name, store.messages[r].info) for r in rows]
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#save-marked").value = True
        await pilot.press("enter")
        for _ in range(50):
            if out.exists():
                break
            await pilot.pause(0.1)
        await pilot.pause(0.2)
    saved = [(m.type_name, m.info) for m in nlscope.open(str(out))]
    for w in want:      # a frame may hold more messages than the one marked: its frame is saved whole
        assert w in saved
    assert len(saved) < 10


def test_a_live_store_takes_an_opened_source_and_keeps_what_it_recorded(monkeypatch):
    """`nlscope live --source bpf`: the store reads the capture object it is given (the BPF
    source's frames carry their direction and process), never opening nlmon itself."""
    import threading
    import time
    from nlscope.sources.capture import INBOUND
    from nlscope.tui import live_store
    from tests.conftest import CAPTURES
    from tests.nlscope.tui.fake_live import FakeLiveCapture, FakeProcessTable

    def no_nlmon(ifname):
        raise AssertionError("opened nlmon")
    monkeypatch.setattr(live_store, "LiveCapture", no_nlmon)
    monkeypatch.setattr(live_store, "ProcessTable", FakeProcessTable)
    source = FakeLiveCapture(str(CAPTURES / "bpf.pcapng"), total=60, pause=0)
    store = live_store.LiveStore("bpf", capture=source)
    t = threading.Thread(target=store.load)
    t.start()
    deadline = time.monotonic() + 30
    while source.passed < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    store.stop()
    t.join(10)
    store.take()
    msgs = store.messages
    assert store.live is source and msgs
    recorded = [(store.frames[m.frame].direction == INBOUND, m.direction == "to kernel") for m in msgs]
    assert all(a == b for a, b in recorded) and {a for a, _ in recorded} == {True, False}
    assert all(m.process is not None for m in msgs)
