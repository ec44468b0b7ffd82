"""What the screens show, compared with the committed SVG snapshots
(update them with: pytest tests/nlscope/tui/test_snapshots.py --snapshot-update)."""
from nlscope.tui.app import NlscopeApp
from tests.conftest import CAPTURES

SIZE = (140, 45)


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
            await pilot.pause()
    return run


def test_main_screen(snap_compare):
    app = NlscopeApp(str(CAPTURES / "rtnl-extack.pcapng"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_loaded)


def test_error_with_extack_selected(snap_compare):
    app = NlscopeApp(str(CAPTURES / "rtnl-extack.pcapng"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_filtered("netlink.error == ERANGE"))


def test_transaction_view(snap_compare):
    app = NlscopeApp(str(CAPTURES / "rtnl-extack.pcapng"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_filtered("netlink.error == ERANGE", "t"))


def test_long_dump(snap_compare):
    app = NlscopeApp(str(CAPTURES / "nlscope-test.pcapng"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_filtered("nlscope_test.index >= 150", "t"))


def test_stats_screen(snap_compare):
    app = NlscopeApp(str(CAPTURES / "nlscope-test.pcapng"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_filtered("", "s"))


def test_help_screen(snap_compare):
    app = NlscopeApp(str(CAPTURES / "rtnl-extack.pcapng"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_filtered("", "question_mark"))
