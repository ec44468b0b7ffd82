"""Statistics with charts and drill-down: every row's filter keeps exactly the messages the row
counts; Enter applies it, F prepares it; the counting stays in a worker."""
import pytest

import nlscope
from nlscope.sources.procs import Process
from nlscope.tui.app import NlscopeApp
from nlscope.tui.plots import column_chart, hbar
from nlscope.tui.screens.stats import StatsScreen, count
from nlscope.tui.store import MessageStore, ViewStore
from nlscope.tui.widgets.filter_bar import FilterBar
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES

EXTACK = str(CAPTURES / "rtnl-extack.pcapng")
TEST_FAMILY = str(CAPTURES / "nlscope-test.pcapng")
MIXED = str(CAPTURES / "mixed.pcapng")


class ListStore(ViewStore):
    """Messages of a file as a list, with senders set (a live store's face, loaded at once)."""

    def __init__(self, path, comm):
        super().__init__()
        self.messages = list(nlscope.open(path))
        for i, m in enumerate(self.messages):
            m.process = Process(100 + i % 3, comm[i % 3])
        self.done = True


def _rows(store):
    """The drill-down rows the statistics screen counts (stats.count: an index's columns, or a
    live store's messages)."""
    st, drill = count(store)
    return drill.rows(st)


@pytest.mark.parametrize("path", [EXTACK, TEST_FAMILY, MIXED])
def test_every_rows_filter_keeps_what_the_row_counts(path):
    store = MessageStore(path)
    store.load()
    rows = _rows(store)
    sections = {r.section for r in rows}
    assert {"rate", "latency", "type"} <= sections
    for r in rows:
        assert r.filter, r
        kept = store.compute_view(r.filter).rows
        assert len(kept) == r.count, (r, len(kept))


def test_a_genl_commands_filter_names_its_command():
    store = MessageStore(TEST_FAMILY)
    store.load()
    genl = [r for r in _rows(store) if r.section == "type" and "genl.cmd ==" in r.filter]
    assert genl   # without the command, every message of the family would be kept: the count test says so


def test_top_processes_drill_down():
    store = ListStore(EXTACK, ["ip", 'we"ird', "(udev-worker)"])
    rows = [r for r in _rows(store) if r.section == "process"]
    assert {r.label for r in rows} == {"ip", 'we"ird', "(udev-worker)"}
    for r in rows:
        assert len(store.compute_view(r.filter).rows) == r.count


def test_bars_and_columns():
    assert hbar(0, 10, 30) == "" and hbar(1, 1000, 30) == "▏" and hbar(10, 10, 30) == "█" * 30
    assert hbar(5, 10, 3) == "█▌"
    assert column_chart([0, 1, 8, 4], height=2) == ["  █ ", " ▂██"]
    assert column_chart([1, 1000], height=2)[1][0] == "▁"   # a count is never drawn as nothing
    assert column_chart([], 3) == ["", "", ""]


async def settle(pilot):
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _select(screen, section, label):
    ol = screen.query_one("#stats-drill")
    for k in range(ol.option_count):
        o = ol.get_option_at_index(k)
        if o.id is not None and screen.rows[int(o.id)].section == section and screen.rows[int(o.id)].label == label:
            ol.highlighted = k
            return screen.rows[int(o.id)]
    raise AssertionError(f"no row {section} {label}")


@pytest.mark.asyncio
async def test_enter_applies_a_row_as_the_filter_and_F_prepares_it():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.done
        text = "\n".join(str(screen.query_one("#stats-drill").get_option_at_index(k).prompt)
                         for k in range(screen.query_one("#stats-drill").option_count))
        assert "Message rate" in text and "█" in text and "Errors by errno" in text and "ENODEV" in text
        row = _select(screen, "errno", "ENODEV")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, StatsScreen)
        s = app.store
        assert s.filter_text == row.filter and len(s) == row.count == 8
        assert all(s.at(r).error["name"] == "ENODEV" for r in range(len(s)))
        assert app.query_one(FilterBar).value == row.filter and app.focused is app.query_one(MessageList)
        await pilot.press("s")                       # the statistics of the view, then F
        await settle(pilot)
        row = _select(app.screen, "type", "rtnetlink NLMSG_ERROR")
        await pilot.press("F")
        await pilot.pause()
        assert app.query_one(FilterBar).value == row.filter and app.focused is app.query_one(FilterBar)
        assert app.store.filter_text != row.filter   # prepared, not applied


def test_rate_rows_of_a_capture_timestamped_far_away_keep_their_messages():
    """A pcapng's 64-bit timestamps reach 1.8e19 s: the interval's filter is written without
    an exponent the filter language refuses ("1.8e+19"), and keeps what the row counts."""
    store = ListStore(EXTACK, ["a", "b", "c"])
    for i, m in enumerate(store.messages):
        m.time = 1.8e19 + 4096.0 * (i // 7)
    rows = [r for r in _rows(store) if r.section == "rate"]
    assert rows and all(r.filter and "e+" not in r.filter for r in rows)
    for r in rows:
        assert len(store.compute_view(r.filter).rows) == r.count
