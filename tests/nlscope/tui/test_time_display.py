"""The Time column as Wireshark's View > Time Display Format and tshark -t, and time
references (Ctrl+T, *REF*): each format held against tshark 4.0's own text."""
import os
import shutil
import subprocess
import time

import pytest

from nlscope.analysis.filter import compile_filter
from nlscope.tui.app import NlscopeApp
from nlscope.tui.store import MessageStore
from nlscope.tui.time_display import FORMATS, REF_TEXT, TimeColumn, absolute_text, seconds_text
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES

MIXED = str(CAPTURES / "mixed.pcapng")
SHOWN = "frame.number > 3 && frame.number != 5"   # a gap: delta and delta displayed differ


@pytest.fixture
def new_york():
    """Local time five hours behind UTC (the capture was made at 04:39 UTC: the local day differs)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _store(flt: str = "") -> MessageStore:
    s = MessageStore(MIXED)
    s.load()
    if flt:
        s.apply_filter(flt)
    return s


def _first_of_frames(store, tc) -> dict[int, str]:
    """The column's text for the first message of each frame shown (tshark has a line a frame)."""
    out = {}
    for row in range(len(store)):
        m = store.at(row)
        out.setdefault(m.frame, tc.text(store, row))
    return out


def _tshark(code: str, flt: str = "") -> dict[int, str]:
    assert shutil.which("tshark"), "tshark missing: tools/run-tests installs it"
    args = ["tshark", "-n", "-r", MIXED, "-t", code, "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Time"]
    r = subprocess.run(args + (["-Y", flt] if flt else []), capture_output=True, text=True,
                       env={**os.environ, "HOME": "/tmp"}, check=True)
    return {int(n): t for n, t in (line.split("\t") for line in r.stdout.splitlines())}


@pytest.mark.parametrize("code", list(FORMATS))
@pytest.mark.parametrize("flt", ["", SHOWN])
def test_every_format_is_tsharks_text(new_york, code, flt):
    store = _store(flt)
    ours = _first_of_frames(store, TimeColumn(code))
    assert len(ours) > 100 if not flt else len(ours) > 50
    assert ours == _tshark(code, flt)


def test_the_formats_known_text(new_york):
    """Without tshark: what tshark 4.0 printed for frames 4, 6 and 7 of mixed.pcapng under SHOWN."""
    store = _store(SHOWN)
    want = {"a": "23:39:53.245540", "ad": "2026-11-27 23:39:53.245540", "adoy": "2026/331 23:39:53.245540",
            "u": "04:39:53.245540", "ud": "2026-11-28 04:39:53.245540", "udoy": "2026/332 04:39:53.245540",
            "e": "1795840793.245540", "r": "0.336321", "d": "0.000613", "dd": "0.000000"}
    for code, text in want.items():
        assert _first_of_frames(store, TimeColumn(code))[4] == text, code
    rows = {c: _first_of_frames(store, TimeColumn(c)) for c in ("d", "dd")}
    assert (rows["d"][6], rows["dd"][6], rows["dd"][7]) == ("0.159665", "0.298658", "0.006737")


def test_delta_is_from_the_message_captured_before_not_the_row_above():
    """Delta (-t d) under a filter: from the message captured before, shown or not; the old
    column counted from the row above, which is delta displayed (-t dd)."""
    store = _store(SHOWN)
    lst = MessageList(store)
    lst.set_time_format("d")
    row = next(r for r in range(len(store)) if store.at(r).frame == 6)
    assert lst._text(row).split()[1] == "0.159665"


def test_references_count_relative_times_from_the_last_one():
    store = _store()
    tc = TimeColumn("r")
    t = [store.messages.time_of(i) for i in range(len(store))]
    assert tc.toggle_ref(10) and tc.toggle_ref(3)
    assert tc.text(store, 3) == tc.text(store, 10) == REF_TEXT
    assert tc.text(store, 2) == seconds_text(t[2] - t[0])          # before any reference: from the first
    assert tc.text(store, 5) == seconds_text(t[5] - t[3])
    assert tc.text(store, 12) == seconds_text(t[12] - t[10])
    for code in FORMATS:   # *REF* whatever the format, as Wireshark's COL_CHECK_REF_TIME
        tc.code = code
        assert tc.text(store, 3) == REF_TEXT
    tc.code = "r"
    assert not tc.toggle_ref(10)                                    # unset
    assert tc.text(store, 12) == seconds_text(t[12] - t[3])
    tc.forget_before(4)                                             # a live store forgot 0..3
    assert tc.refs == []


def test_times_no_clock_can_show_are_said_not_raised():
    assert absolute_text(2.0 ** 62, "ud") == "Not representable"
    assert absolute_text(float("nan"), "a") == "Not representable"
    assert seconds_text(float("inf")) == "Not representable"
    assert seconds_text(-0.5) == "-0.500000" and seconds_text(-1e-9) == "0.000000"
    assert absolute_text(2.0 ** 40, "udoy") == "36812/051 00:36:16.000000"   # glibc's gmtime, as tshark's


async def _loaded(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.asyncio
async def test_T_steps_through_every_format_and_the_header_says_which():
    app = NlscopeApp(MIXED)
    said = []
    async with app.run_test(size=(120, 30)) as pilot:
        await _loaded(pilot)
        app.notify = lambda message, **kw: said.append(message)
        lst = app.query_one(MessageList)
        seen = [lst.time_format]
        assert "Time (rel)" in lst.header_text()
        for _ in FORMATS:
            await pilot.press("T")
            seen.append(lst.time_format)
            title = FORMATS[lst.time_format][0]
            assert title in lst.header_text() and f"-t {lst.time_format}" in said[-1]
            assert lst._text(0).split()[1] == TimeColumn(lst.time_format).text(app.store, 0).split()[0]
        assert seen == [*FORMATS, "r"]
        app.set_time_format("ud")                                 # the palette's "Time: UTC date"
        assert lst._text(0).split()[1:3] == ["2026-11-28", "04:39:52.909219"]


@pytest.mark.asyncio
async def test_ctrl_t_sets_a_reference_that_a_filter_keeps():
    app = NlscopeApp(MIXED)
    async with app.run_test(size=(120, 30)) as pilot:
        await _loaded(pilot)
        lst = app.query_one(MessageList)
        lst.go(4)
        await pilot.press("ctrl+t")
        assert lst._text(4).split()[1] == REF_TEXT
        t4 = app.store.messages.time_of(4)
        assert lst._text(6).split()[1] == seconds_text(app.store.messages.time_of(6) - t4)
        app.apply_filter("frame.number >= 4")                     # the reference is message 5.1, not row 4
        await _loaded(pilot)
        ref_row = app.store.row_of_number(4)
        assert ref_row != 4 and lst._text(ref_row).split()[1] == REF_TEXT
        lst.go(ref_row)
        await pilot.press("ctrl+t")                               # unset
        assert lst._text(ref_row).split()[1] == seconds_text(t4 - app.store.messages.time_of(0))


@pytest.mark.asyncio
async def test_open_starts_in_the_time_format_asked():
    with pytest.raises(ValueError):
        NlscopeApp(MIXED, time_format="x")
    app = NlscopeApp(MIXED, time_format="e")
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        lst = app.query_one(MessageList)
        assert lst.time_format == "e" and lst._text(0).split()[1] == "1795840792.909219"
        assert compile_filter("frame.number == 1")(app.store.at(0))


@pytest.mark.asyncio
async def test_the_palette_chooses_a_format_by_name():
    """Wireshark's View > Time Display Format menu: Ctrl+P "Time: …" picks one directly."""
    app = NlscopeApp(MIXED)
    async with app.run_test(size=(120, 30)) as pilot:
        await _loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Time: Time (epoch)")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.query_one(MessageList).time_format == "e"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert all(f"(-t {code})" in " ".join(titles) for code in FORMATS)
