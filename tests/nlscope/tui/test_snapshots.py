"""What the screens show, compared with the committed SVG snapshots at 80x24, 120x40 and
200x50 (update them with: pytest tests/nlscope/tui/test_snapshots.py --snapshot-update,
and look at what changed)."""
import pytest

from nlscope.tui.app import NlscopeApp
from tests.conftest import CAPTURES

SIZES = {"80x24": (80, 24), "120x40": (120, 40), "200x50": (200, 50)}
EXTACK = str(CAPTURES / "rtnl-extack.pcapng")
TEST_FAMILY = str(CAPTURES / "nlscope-test.pcapng")


async def _loaded(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.hover("#status")  # no row under the mouse: hover highlights are not part of a snapshot
    await pilot.pause(0.1)
    await pilot.wait_for_scheduled_animations()


def _filtered(text, *keys):
    async def run(pilot):
        await _loaded(pilot)
        pilot.app.query_one("#filter").value = text
        pilot.app.apply_filter(text)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()   # a screen that counts in a worker (s)
            await pilot.pause(0.1)
    return run


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, size):
    """80x24: Type, Flags and Info on screen, the bytes pane hidden (x shows it below the tree)."""
    assert snap_compare(NlscopeApp(EXTACK), terminal_size=SIZES[size], run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_error_with_extack_selected(snap_compare, size):
    assert snap_compare(NlscopeApp(EXTACK), terminal_size=SIZES[size],
                        run_before=_filtered("netlink.error == ERANGE"))


def test_bytes_pane_below_the_tree_at_80x24(snap_compare):
    assert snap_compare(NlscopeApp(EXTACK), terminal_size=(80, 24),
                        run_before=_filtered("netlink.error == ERANGE", "x", "enter", "down", "down"))


def test_filter_bar_says_why_a_filter_is_invalid(snap_compare):
    async def run(pilot):
        await _loaded(pilot)
        await pilot.press("slash", *"rtnl.link.mtu >")
        await pilot.pause()
    assert snap_compare(NlscopeApp(EXTACK), terminal_size=(80, 24), run_before=run)


def test_filter_bar_lists_the_completions(snap_compare):
    async def run(pilot):
        await _loaded(pilot)
        await pilot.press("slash", *"rtnl.link.m", "tab")
        await pilot.pause()
    assert snap_compare(NlscopeApp(EXTACK), terminal_size=(120, 40), run_before=run)


def test_save_dialog(snap_compare):
    assert snap_compare(NlscopeApp(EXTACK, save_path="saved.pcapng"), terminal_size=(80, 24),
                        run_before=_filtered("netlink.error != 0", "m", "w"))


@pytest.mark.parametrize("size", ["80x24", "120x40"])
def test_transaction_view(snap_compare, size):
    assert snap_compare(NlscopeApp(EXTACK), terminal_size=SIZES[size],
                        run_before=_filtered("netlink.error == ERANGE", "t"))


def test_long_dump(snap_compare):
    assert snap_compare(NlscopeApp(TEST_FAMILY), terminal_size=(120, 40),
                        run_before=_filtered("nlscope_test.index >= 150", "t"))


def test_stats_screen(snap_compare):
    assert snap_compare(NlscopeApp(TEST_FAMILY), terminal_size=(120, 40), run_before=_filtered("", "s"))


@pytest.mark.parametrize("size", ["80x24", "120x40"])
def test_help_screen(snap_compare, size):
    assert snap_compare(NlscopeApp(EXTACK), terminal_size=SIZES[size], run_before=_filtered("", "question_mark"))
