"""The transaction view (t): request, every answer, the ACK/error with its extack, as a list
to browse (a dump of 300 parts whole), Enter going to a message, f filtering on the
transaction."""
import pytest

from nlscope.tui.app import NlscopeApp
from nlscope.tui.screens.modals import TransactionScreen, TxList, transaction_numbers
from nlscope.tui.store import MessageStore
from nlscope.tui.time_display import REF_TEXT
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES
from tests.nlscope.tui.widgets.test_message_list import GrowingStore

EXTACK = str(CAPTURES / "rtnl-extack.pcapng")
TEST_FAMILY = str(CAPTURES / "nlscope-test.pcapng")


async def settle(pilot):
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _dump_request_row(store) -> int:
    return next(i for i in range(len(store)) if store.at(i).type_name == "NLSCOPE_TEST_CMD_DUMP")


def test_a_dumps_messages_are_all_there_in_order():
    store = MessageStore(TEST_FAMILY)
    store.load()
    req = store.at(_dump_request_row(store))
    t = req.tx[0]
    numbers = transaction_numbers(store, req)
    assert numbers == sorted(numbers) and numbers[0] == req.pos
    assert len(numbers) == 1 + t.part_count + 1          # the request, 300 parts, NLMSG_DONE
    assert store.messages[numbers[-1]].type_name == "NLMSG_DONE"
    assert all(store.messages[i].tx[0].id == t.id for i in numbers)
    # a live store's (a list of messages): the same answer
    live = GrowingStore(TEST_FAMILY)
    live.messages = live.source
    m = next(x for x in live.messages if x.type_name == "NLSCOPE_TEST_CMD_DUMP")
    assert len(transaction_numbers(live, m)) == len(numbers)


@pytest.mark.asyncio
async def test_browse_a_long_dump_and_go_to_any_of_its_messages():
    app = NlscopeApp(TEST_FAMILY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lst = app.query_one(MessageList)
        req_row = _dump_request_row(app.store)
        lst.go(req_row + 3)
        await pilot.pause(0.1)
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TransactionScreen)
        txl = screen.query_one(TxList)
        assert len(txl.store) == 302 and txl.cursor == 3       # on the message t was pressed on
        assert "302 messages below" in str(screen.query_one("#tx-text").render())
        await pilot.press("G")                                   # the last: NLMSG_DONE, drawn
        assert txl.store.at(txl.cursor).type_name == "NLMSG_DONE"
        assert "NLMSG_DONE" in txl.render_line(txl.cursor - txl.scroll_offset.y + 1).text
        await pilot.press("slash")                               # typed here, never to the main bar
        assert app.screen is screen
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not screen
        assert app.store.at(lst.cursor).type_name == "NLMSG_DONE" and lst.cursor == req_row + 301


@pytest.mark.asyncio
async def test_f_filters_on_the_transaction_and_a_filtered_out_message_is_said():
    app = NlscopeApp(EXTACK)
    said = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.notify = lambda message, **kw: said.append(message)
        lst = app.query_one(MessageList)
        app.apply_filter("netlink.error == ERANGE")
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        txl = app.screen.query_one(TxList)
        assert [txl.store.at(r).direction for r in range(len(txl.store))] == ["to kernel", "from kernel"]
        assert "integer out of range" in str(app.screen.query_one("#tx-text").render())
        await pilot.press("g", "enter")                          # the request: not shown by the filter
        await pilot.pause()
        assert "not in the current view" in said[-1]
        await pilot.press("t")
        await pilot.pause()
        tid = app.store.at(lst.cursor).tx[0].id
        await pilot.press("f")
        await settle(pilot)
        assert app.store.filter_text == f"nlscope.transaction == {tid}" and len(app.store) == 2
        assert app.query_one("#filter").value == app.store.filter_text


@pytest.mark.asyncio
async def test_the_view_draws_times_as_the_main_list():
    app = NlscopeApp(EXTACK, time_format="r")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lst = app.query_one(MessageList)
        req = next(i for i in range(len(app.store)) if app.store.at(i).tx and app.store.at(i).tx[1] == "request"
                   and app.store.at(i).tx[0].responses)
        lst.go(req)
        await pilot.press("ctrl+t", "t")
        await pilot.pause()
        txl = app.screen.query_one(TxList)
        assert txl._text(0).split()[1] == REF_TEXT and txl._text(1).split()[1] != REF_TEXT
        assert txl._text(1).split()[1] == lst._text(app.store.row_of(app.store.at(req).tx[0].responses[0])).split()[1]


@pytest.mark.asyncio
async def test_the_main_screens_keys_do_not_fire_over_a_dialog():
    """"/" in the transaction view focused the main screen's filter bar behind it, and "s"
    or "t" opened screens on top of it."""
    app = NlscopeApp(TEST_FAMILY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("slash", "s", "w", "ctrl+g", "t")
        await pilot.pause()
        assert len(app.screen_stack) == 2 and isinstance(app.focused, TxList)
        await pilot.press("escape", "s")
        await settle(pilot)
        await pilot.press("slash", "t", "T")
        await pilot.pause()
        assert len(app.screen_stack) == 2 and app.focused.id == "stats-drill"
        assert app.query_one(MessageList).time_format == "r"
