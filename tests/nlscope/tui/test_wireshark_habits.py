"""What a Wireshark user reaches for: a layout that fits 80x24, a filter bar that completes and
says why, Save As, Apply as Filter, the selected field in the status bar, Go to, expand all."""
import os
import shutil

import pytest

from nlscope.sources.procs import Process
from nlscope.tui.app import NlscopeApp
from nlscope.tui.screens.modals import TransactionScreen
from nlscope.tui.screens.save import ConfirmScreen, SaveScreen
from nlscope.tui.widgets.detail_tree import DetailTree
from nlscope.tui.widgets.hex_view import HexView
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES
from tests.nlscope.tui.widgets.test_message_list import GrowingStore

EXTACK = str(CAPTURES / "rtnl-extack.pcapng")
MIXED = str(CAPTURES / "mixed.pcapng")


async def loaded(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settle(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# --- 80x24 ---------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_80x24_gives_the_tree_the_width_and_shows_type_flags_info():
    """The hex pane kept 78 columns and the tree got 2; Flags and Info were off screen."""
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        lst, tree, hexv = app.query_one(MessageList), app.query_one(DetailTree), app.query_one(HexView)
        header = lst.render_line(0).text
        for title in ("No.", "Time", "Type", "Flags", "Info"):
            assert title in header, header
        assert header.index("Info") < 60 and "no interface" in lst.render_line(1).text
        assert not hexv.display and tree.size.width >= 78
        await pilot.press("x")                       # the bytes, below the tree
        await pilot.pause()
        assert hexv.display and hexv.size.width >= 74 and hexv.region.y > tree.region.y
        assert tree.size.width >= 78 and tree.size.height >= 3
        await pilot.press("x")
        await pilot.pause()
        assert not hexv.display
        await pilot.resize_terminal(200, 50)          # wide: beside the tree, shown again
        await pilot.pause()
        await pilot.pause()
        assert not hexv.display                       # the user hid it: it stays hidden
        await pilot.press("x")
        await pilot.pause()
        assert hexv.display and hexv.region.x > tree.region.x and hexv.region.y == tree.region.y
        assert "Port ID" in lst.render_line(0).text


@pytest.mark.asyncio
async def test_wide_screen_shows_every_column_and_the_bytes_beside_the_tree():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        tree, hexv = app.query_one(DetailTree), app.query_one(HexView)
        assert hexv.display and hexv.region.x > tree.region.x and tree.size.width > 100
        header = app.query_one(MessageList).render_line(0).text
        assert all(t in header for t in ("Protocol", "Port ID", "Seq", "Flags", "Info"))


# --- the filter bar ------------------------------------------------------------------

@pytest.mark.asyncio
async def test_tab_completes_in_the_bar_and_typed_letters_fire_no_hotkeys():
    """Tab moved the focus out of the bar and the rest of the text fired hotkeys: the t of
    "netlink" opened the transaction view."""
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        bar = app.query_one("#filter")
        await pilot.press("slash", *"netl", "tab")
        assert app.focused is bar and bar.value == "netlink"
        # the candidates: the protocols' names (their bytes) first, then netlink.*
        assert "netlink-route" in str(bar.border_subtitle) and "netlink.echo" in str(bar.border_subtitle) \
            and "fields" in str(bar.border_subtitle)
        await pilot.press(*".ty", "tab")
        assert app.focused is bar and bar.value == "netlink.type "
        await pilot.press(*"== 3 && tr", "tab", *"ue")
        await pilot.pause()
        assert app.focused is bar and not isinstance(app.screen, TransactionScreen)
        assert app.screen is app.screen_stack[0] and bar.value.startswith("netlink.type == 3 && tr")
        bar.value = ""
        await pilot.press("tab")                     # an empty bar: Tab moves on as usual
        assert app.focused is not bar


@pytest.mark.asyncio
async def test_text_typed_right_after_slash_goes_to_the_bar():
    """In a real terminal "/" and what follows arrive together: the bar took the focus on
    the next idle, so "netlink.flags.request" went to the list (its s opened statistics)."""
    from textual import events
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key, char in [("slash", "/")] + [(c if c != "." else "full_stop", c) for c in "netlink.flags.request"]:
            app.post_message(events.Key(key, char))   # queued at once, as a terminal delivers them
        await pilot.pause(0.3)
        assert app.screen is app.screen_stack[0], app.screen
        assert app.query_one("#filter").value == "netlink.flags.request"
        await pilot.press("escape", "enter")              # from the tree too
        app.query_one("#filter").value = ""
        assert isinstance(app.focused, DetailTree)
        for key, char in [("slash", "/"), ("s", "s"), ("t", "t")]:
            app.post_message(events.Key(key, char))
        await pilot.pause(0.3)
        assert app.screen is app.screen_stack[0] and app.query_one("#filter").value == "st"


@pytest.mark.asyncio
async def test_the_bar_says_why_while_typing_and_is_coloured():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        bar = app.query_one("#filter")
        await pilot.press("slash", *"rtnl.link.mtu >")
        assert "-invalid" in bar.classes and "column 16" in str(bar.border_subtitle)
        invalid = bar.styles.background
        await pilot.press(*" 1500")
        assert "-valid" in bar.classes and "column" not in str(bar.border_subtitle)
        assert bar.styles.background != invalid
        await pilot.press(*" && [/x]")               # the reason is text, not markup
        assert "-invalid" in bar.classes and app.return_code is None


# --- save as -------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_save_asks_which_messages_and_confirms_before_replacing(tmp_path):
    """w wrote ./nlscope-saved.pcapng without asking and overwrote it silently."""
    import nlscope
    out = tmp_path / "out.pcapng"
    out.write_bytes(b"keep me")
    app = NlscopeApp(EXTACK, save_path=str(out))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        for row in (3, 69):
            lst.go(row)
            await pilot.press("m")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        app.screen.query_one("#save-marked").value = True
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")                          # no: the file stays
        await settle(pilot)
        assert out.read_bytes() == b"keep me"
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#save-marked").value = True
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        want = [(app.store.at(r).type_name, app.store.at(r).info) for r in (3, 69)]
    assert [(m.type_name, m.info) for m in nlscope.open(str(out))] == want   # frames 4 and 70 only
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


@pytest.mark.asyncio
async def test_save_never_writes_onto_the_capture_being_read(tmp_path):
    src = tmp_path / "cap.pcapng"
    shutil.copy(EXTACK, src)
    (tmp_path / "link.pcapng").symlink_to(src)
    before = src.read_bytes()
    app = NlscopeApp(str(src), save_path=str(tmp_path / "link.pcapng"))
    said = []
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.notify = lambda message, **kw: said.append(message)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
    assert src.read_bytes() == before and "capture being read" in said[0]


@pytest.mark.asyncio
async def test_save_all_while_a_filter_shows_some(tmp_path):
    import nlscope
    out = tmp_path / "all.pcapng"
    app = NlscopeApp(EXTACK, save_path=str(out))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.apply_filter("netlink.error != 0")
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#save-all").value = True
        await pilot.press("enter")
        await settle(pilot)
    assert len(nlscope.open(str(out))) == 121


# --- the Process column ---------------------------------------------------------------

@pytest.mark.asyncio
async def test_the_process_column_holds_udev_worker_whole():
    """The Process column (14 wide) cut "(udev-worker)[pid]"."""
    store = GrowingStore(MIXED)
    for m in store.source[:50]:
        m.process = Process(1234567, "(udev-worker)")
    app = NlscopeApp(store=store)
    async with app.run_test(size=(200, 50)) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        lst.go(0)
        await pilot.pause()
        row = lst.render_line(1 - lst.scroll_offset.y).text
        assert "(udev-worker)[1234567] " in row and "Process" in lst.render_line(0).text
        header = lst.render_line(0).text
        assert header.index("Process") == row.index("(udev-worker)")


# --- Apply as Filter, the field in the status bar, Go to, expand all -------------------

async def _select_mtu(pilot):
    app = pilot.app
    app.apply_filter("rtnl.link.mtu == 70000 && netlink.flags.request")
    await settle(pilot)
    tree = app.query_one(DetailTree)
    mtu = tree.msg.tree.find("rtnl.link.mtu")
    tree.select_offset(mtu.offset)
    await pilot.pause()
    await pilot.pause()
    return mtu


@pytest.mark.asyncio
async def test_apply_and_prepare_as_filter_from_the_selected_field():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        mtu = await _select_mtu(pilot)
        status = str(app.query_one("#status").render())
        assert f"rtnl.link.mtu · offset {mtu.offset} ({mtu.offset:#x}), {mtu.length} bytes" in status
        await pilot.press("F")                        # prepared: in the bar, not applied
        bar = app.query_one("#filter")
        assert bar.value == "rtnl.link.mtu == 70000" and app.focused is bar
        assert app.store.filter_text == "rtnl.link.mtu == 70000 && netlink.flags.request"
        app.query_one(MessageList).focus()
        app.query_one(DetailTree).select_offset(mtu.offset)
        await pilot.pause()
        await pilot.press("f")                        # applied
        await settle(pilot)
        assert app.store.filter_text == "rtnl.link.mtu == 70000" and len(app.store) > 1
        assert all(m.tree.first("rtnl.link.mtu") == 70000 for m in app.store.shown())


def test_filters_made_from_fields_keep_the_message_they_come_from():
    """Every field of a capture's messages: its filter compiles and keeps its message (but
    the header fields of an echoed request, which the filter reads from the message's own)."""
    import nlscope
    from nlscope.analysis.filter import compile_filter
    from nlscope.tui.field_filter import filter_for, quote
    exact = 0
    for m in list(nlscope.open(MIXED))[:60]:
        echo = m.tree.find("netlink.echo")
        echoed = {id(n) for n in echo.walk()} if echo is not None else set()
        for node in m.tree.walk():
            text = filter_for(node, m)
            assert compile_filter(text)(m) or id(node) in echoed, text
            exact += "==" in text
    assert exact > 300
    assert quote('a"b\\c\x1b') == '"a\\"b\\\\c\\x1b"'


@pytest.mark.asyncio
async def test_go_to_message_as_ctrl_g_in_wireshark():
    app = NlscopeApp(EXTACK)
    said = []
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.notify = lambda message, **kw: said.append(message)
        lst = app.query_one(MessageList)
        await pilot.press("ctrl+g", *"70.1", "enter")
        await pilot.pause()
        assert (app.store.at(lst.cursor).frame, app.store.at(lst.cursor).index) == (70, 1) and not said
        await pilot.press("ctrl+g", *"abc", "enter")   # not a number: said in the dialog, which stays
        await pilot.pause()
        assert "not a message number" in str(app.screen.query_one("#goto-problem").render())
        await pilot.press("escape")
        app.apply_filter("netlink.error != 0")
        await settle(pilot)
        await pilot.press("ctrl+g", *"3", "enter")     # filtered out: the next one shown, said
        await pilot.pause()
        m = app.store.at(lst.cursor)
        assert m.frame > 3 and m.error["code"] and "3.1 is not shown" in said[-1]
        await pilot.press("ctrl+g", *"99999", "enter")
        await pilot.pause()
        assert "past the last" in said[-1]


@pytest.mark.asyncio
async def test_expand_and_collapse_all():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        tree = app.query_one(DetailTree)

        def folded():
            out, stack = [], [tree.root]
            while stack:
                n = stack.pop()
                if n.children and not n.is_expanded:
                    out.append(n)
                stack.extend(n.children)
            return out
        assert folded()
        await pilot.press("enter", "ctrl+right")
        assert not folded()
        await pilot.press("escape", "j")                # remembered for the next message's same fields
        await pilot.pause(0.2)
        assert tree.root.children[0].is_expanded and tree.root.children[0].label.plain.startswith("Netlink")
        await pilot.press("enter", "ctrl+left")
        assert all(not n.is_expanded for n in tree.root.children if n.children)
