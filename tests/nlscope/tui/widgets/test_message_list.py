"""The message list: the selected row always drawn whole, marks that belong to messages."""
import time

import pytest

from nlscope.tui.app import NlscopeApp
from nlscope.tui.store import ViewStore
from nlscope.tui.widgets.message_list import MARK_SIGN, MessageList
from tests.conftest import CAPTURES

MIXED = str(CAPTURES / "mixed.pcapng")          # 206 messages: more than a screen at any size
EXTACK = str(CAPTURES / "rtnl-extack.pcapng")
SIZES = [(80, 24), (200, 50)]


async def loaded(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def assert_cursor_drawn(app):
    """The cursor's row is on screen, whole: inside the list's borders, below the column
    header and above the horizontal scrollbar — the screen cell there is the list's."""
    lst = app.query_one(MessageList)
    line = lst.cursor - lst.scroll_offset.y + 1          # 0 is the column header
    area = lst.scrollable_content_region
    assert 1 <= line < area.height, (lst.cursor, lst.scroll_offset.y, area)
    widget, _ = app.get_widget_at(area.x, area.y + line)
    assert widget is lst, widget
    assert lst.cursor - lst.scroll_offset.y + 1 == line


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_the_selected_row_is_always_drawn(size):
    """Moving below the screen put the cursor under the horizontal scrollbar; G never
    showed the last message; n landed on a row off screen."""
    app = NlscopeApp(MIXED)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        last = len(app.store) - 1
        await pilot.press(*["j"] * (lst.visible_rows + 3))
        assert lst.cursor == lst.visible_rows + 3
        assert_cursor_drawn(app)
        await pilot.press("G")
        assert lst.cursor == last
        assert_cursor_drawn(app)
        await pilot.press("g")
        assert lst.cursor == 0 and lst.scroll_offset.y == 0
        for _ in range(4):
            await pilot.press("pagedown")
            assert_cursor_drawn(app)
        await pilot.press("G", *["pageup"] * 3)
        assert_cursor_drawn(app)
        # n: the last message, searched for by its Info text from the top
        app.query_one("#filter").value = app.store.at(last).info
        await pilot.press("g", "n")
        assert lst.cursor > lst.visible_rows and app.store.at(lst.cursor).info == app.store.at(last).info
        assert_cursor_drawn(app)


@pytest.mark.asyncio
async def test_a_smaller_screen_keeps_the_selected_row_drawn():
    app = NlscopeApp(MIXED)
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        await pilot.press(*["j"] * (lst.visible_rows - 1))
        assert_cursor_drawn(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert_cursor_drawn(app)


class GrowingStore(ViewStore):
    """A live store's face, fed from a capture file in batches (no nlmon needed)."""
    live = True
    ifname = "nlmon-test"
    rate = 0.0
    paused = False

    def __init__(self, path, batch=25):
        super().__init__()
        import nlscope
        self.source = list(nlscope.open(path))
        self.batch = batch
        self.messages = []
        self.backlog = []

    def load(self, progress=None, chunk=0):
        for i in range(0, len(self.source), self.batch):
            with self.lock:
                self.messages.extend(self.source[i:i + self.batch])
            progress(len(self.messages), False)
            time.sleep(0.01)
        self.done = True
        progress(len(self.messages), True)

    def statistics(self):
        return len(self.messages), 0

    def stop(self):
        pass


@pytest.mark.asyncio
@pytest.mark.parametrize("size", SIZES)
async def test_live_following_shows_the_newest_row(size):
    """Following a live capture kept the cursor on the newest row but drew it under the
    horizontal scrollbar."""
    app = NlscopeApp(store=GrowingStore(MIXED))
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        assert lst.follow and lst.cursor == len(app.store) - 1 == 205
        assert_cursor_drawn(app)


def _screen_row(app, row):
    """The text the list draws for `row` (which must be on screen)."""
    lst = app.query_one(MessageList)
    return lst.render_line(row - lst.scroll_offset.y + 1).text


@pytest.mark.asyncio
async def test_marks_belong_to_messages_not_rows():
    """Mark 1.1, filter, and the message shown first (2.1) showed as marked: the mark was
    row 0's.  Now it follows the message, and comes back when the filter goes."""
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        first = app.store.at(0)
        await pilot.press("m")
        assert _screen_row(app, 0).startswith(MARK_SIGN)
        assert "1 marked" in str(app.query_one("#status").render())
        app.apply_filter(f"netlink.seq != {first.seq}")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.store) < 121 and app.store.at(0) is not first
        assert not _screen_row(app, 0).startswith(MARK_SIGN)
        assert lst.marked_rows() == []
        await pilot.press("m")                  # mark what is now row 0, then show everything
        second = app.store.number_at(0)
        app.apply_filter("")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lst.marked_rows() == [0, second]
        assert _screen_row(app, 0).startswith(MARK_SIGN) and _screen_row(app, second).startswith(MARK_SIGN)
        assert not _screen_row(app, 1 if second != 1 else 2).startswith(MARK_SIGN)


@pytest.mark.asyncio
async def test_next_and_previous_mark_wrap_and_say_so():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        said = []
        app.notify = lambda message, **kw: said.append(message)
        await pilot.press("M")
        assert said == ["no message is marked (m marks)"] and lst.cursor == 0
        for row in (5, 40, 101):
            lst.go(row)
            await pilot.press("m")
        await pilot.press("g", "M")
        assert lst.cursor == 5
        await pilot.press("M")
        assert lst.cursor == 40
        await pilot.press("M")
        assert lst.cursor == 101
        assert_cursor_drawn(app)
        said.clear()
        await pilot.press("M")
        assert lst.cursor == 5 and said == ["wrapped to the first mark"]
        await pilot.press("less_than_sign")
        assert lst.cursor == 101 and said[-1] == "wrapped to the last mark"
        assert_cursor_drawn(app)
        await pilot.press("less_than_sign")
        assert lst.cursor == 40
        app.apply_filter("netlink.type == NLMSG_DONE")        # no marked message among these
        await app.workers.wait_for_complete()
        await pilot.pause()
        said.clear()
        await pilot.press("M")
        assert said == ["no marked message in this view"]


@pytest.mark.asyncio
async def test_enter_focuses_the_tree_as_the_help_says():
    from nlscope.tui.widgets.detail_tree import DetailTree
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "enter")
        assert isinstance(app.focused, DetailTree)
        await pilot.press("escape")
        assert isinstance(app.focused, MessageList)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("enter")               # on the help screen: no tree there, no crash
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0] and app.return_code is None


@pytest.mark.asyncio
async def test_live_status_is_not_reading_forever_and_counts_frames_as_frames():
    store = GrowingStore(MIXED)
    app = NlscopeApp(store=store)
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        store.done = False                       # a live capture is never done until stopped
        app._status()
        status = str(app.query_one("#status").render())
        assert "reading" not in status, status
        assert f"{len(store.messages)} messages" in status and f"kernel passed {len(store.messages)} frames" in status


def test_a_live_store_keeps_numbers_across_its_limit_and_clear():
    """The numbers marks hold stay the messages' when a live store drops its oldest
    (limit) or forgets them all (C); a forgotten message has no row."""
    from collections import deque

    from nlscope.tui.live_store import LiveStore

    class M(str):
        frame = 1
    a, b, c, d, e, f = map(M, "abcdef")
    store = LiveStore.__new__(LiveStore)          # no nlmon: only the list-keeping part
    ViewStore.__init__(store)
    store.messages, store.limit, store.backlog, store.lost = [], 3, [], 0
    store.frames, store._frame_order = {}, deque()
    store._append([a, b])
    assert store.number_at(1) == 1
    store._append([c, d, e])                      # a and b go
    assert store.messages == ["c", "d", "e"] and store.number_at(0) == 2
    assert store.row_of_number(4) == 2 and store.row_of_number(1) is None
    store.clear()
    store._append([f])
    assert store.number_at(0) == 5 and store.row_of_number(4) is None
