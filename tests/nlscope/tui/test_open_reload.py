"""Start filtered (`open -Y`), reload (Wireshark's Ctrl+R) and open another capture (Ctrl+O):
what cannot be read is refused in one line and the capture shown stays."""
import os
import shutil

import pytest

from nlscope.analysis.filter import FilterError
from nlscope.tui.app import NlscopeApp
from nlscope.tui.screens.open_file import OpenScreen, capture_problem
from nlscope.tui.store import MessageStore
from nlscope.tui.widgets.filter_bar import FilterBar
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES

EXTACK = str(CAPTURES / "rtnl-extack.pcapng")
MIXED = str(CAPTURES / "mixed.pcapng")


async def settle(pilot):
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _count(path: str) -> int:
    s = MessageStore(path)
    s.load()
    return len(s)


@pytest.mark.asyncio
async def test_open_Y_starts_filtered():
    with pytest.raises(FilterError):
        NlscopeApp(EXTACK, display_filter="netlink.error ==")
    app = NlscopeApp(EXTACK, display_filter=" netlink.error != 0 ")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        s = app.store
        assert s.view is not None and 0 < len(s) < len(s.messages)
        assert all(s.at(r).error["code"] for r in range(len(s)))
        assert app.query_one(FilterBar).value == "netlink.error != 0"
        assert "shown by filter" in str(app.query_one("#status").render())


@pytest.mark.asyncio
async def test_ctrl_r_reads_the_file_again_keeping_the_filter(tmp_path):
    path = tmp_path / "cap.pcapng"
    shutil.copy(MIXED, path)
    app = NlscopeApp(str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lst = app.query_one(MessageList)
        await pilot.press("m", "ctrl+t")
        app.apply_filter("netlink.error != 0")
        await settle(pilot)
        shutil.copy(EXTACK, path)                   # the file changed under us
        await pilot.press("ctrl+r")
        await settle(pilot)
        s = app.store
        assert len(s.messages) == _count(EXTACK)
        assert s.filter_text == "netlink.error != 0" and all(s.at(r).error["code"] for r in range(len(s)))
        assert not lst.marks and not lst.times.refs and lst.cursor == 0
        assert app.query_one("DetailTree").msg is s.at(0)
        os.unlink(path)
        said = []
        app.notify = lambda message, **kw: said.append(message)
        await pilot.press("ctrl+r")                  # gone: said, and what is shown stays
        assert app.store is s and "cannot reload" in said[-1]


@pytest.mark.asyncio
async def test_ctrl_o_refuses_what_cannot_be_read_and_keeps_the_capture(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    text = tmp_path / "notes.txt"
    text.write_text("not a capture\n")
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.store
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OpenScreen)
        for bad, why in ((tmp_path / "missing", "No such file"), (tmp_path, "directory"),
                         (fifo, "not a regular file"), (text, "")):
            app.screen.query_one("#open-path").value = str(bad)
            await pilot.press("enter")
            await pilot.pause()
            problem = str(app.screen.query_one("#open-problem").render())
            assert isinstance(app.screen, OpenScreen) and why in problem and str(bad)[:20] in problem
            assert "\n" not in problem.strip()
        await pilot.press("escape")
        assert app.store is before
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#open-path").value = MIXED
        await pilot.press("enter")
        await settle(pilot)
        assert app.store is not before and app.store.path == MIXED and before.closed
        assert len(app.store.messages) == _count(MIXED) and app.sub_title == "mixed.pcapng"


def test_capture_problem_says_why_in_a_line(tmp_path):
    assert capture_problem(EXTACK) is None
    assert capture_problem("") == "no file named"
    assert "NUL" in capture_problem("a\0b")
    (tmp_path / "x").write_bytes(b"\x0a\x0d\x0d\x0a" + b"\xff" * 40)   # a pcapng SHB that lies
    assert capture_problem(str(tmp_path / "x"))


def test_a_closed_store_stops_reading():
    s = MessageStore(MIXED)
    s.close()
    s.load()
    assert len(s.messages) == 0 and s.done


@pytest.mark.asyncio
async def test_a_filter_chosen_while_the_file_is_read_is_not_replaced_by_Y():
    app = NlscopeApp(EXTACK, display_filter="netlink.error != 0")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._filter_on_load = "netlink.error != 0"   # as if the file were still being read
        app.apply_filter("rtnl.link.ifname")          # the user's choice meanwhile
        await settle(pilot)
        app._loaded(len(app.store.messages), True, app.store)   # the read's end comes after it
        await settle(pilot)
        assert app.store.filter_text == "rtnl.link.ifname"
