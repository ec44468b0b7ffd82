"""`nlscope open -` and `open --follow FILE`: rows appear as the frames arrive (StreamStore),
through the app's own constructor; and the terminal is put back on fd 0 for the keys."""
import asyncio
import gzip
import io
import os
import subprocess
import sys
import zlib

import pytest

from nlscope.sources import read_capture
from nlscope.sources.writer import PcapngWriter
from nlscope.tui.app import NlscopeApp
from nlscope.tui.stream_store import StreamStore
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES

FRAMES = [fr for fr in read_capture(str(CAPTURES / "rtnl-extack.pcapng")) if fr.fault is None]
STEPS = [FRAMES[:3], FRAMES[3:7], FRAMES[7:12]]


def _messages(frames) -> int:
    from nlscope.messages import messages
    return len(list(messages(frames)))


async def _until(pilot, cond, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        assert loop.time() < end, "timed out"
        await pilot.pause(0.05)


def _rows_text(app) -> str:
    lst = app.query_one(MessageList)
    return "\n".join(lst.render_line(y).text for y in range(1, lst.size.height))


def _status(app) -> str:
    return str(app.query_one("#status").render())


class _Writer:
    """A capture written in steps into a file object (a pipe, a file being followed)."""

    def __init__(self, f, compress: bool = False):
        self.raw = f
        self.f = gzip.GzipFile(fileobj=f, mode="wb") if compress else f
        self.w = PcapngWriter(self.f)

    def step(self, frames) -> None:
        for fr in frames:
            self.w.write(fr)
        if isinstance(self.f, gzip.GzipFile):
            self.f.flush(zlib.Z_SYNC_FLUSH)   # what has been written can be decompressed now
        self.raw.flush()

    def close(self) -> None:
        self.f.close()
        if self.f is not self.raw:
            self.raw.close()


async def _follow_steps(app, pilot, writer) -> None:
    shown = 0
    for step in STEPS:
        writer.step(step)
        shown += _messages(step)
        await _until(pilot, lambda: len(app.store) == shown)
        await pilot.pause(0.1)
        lst = app.query_one(MessageList)
        assert lst.cursor == shown - 1   # at the newest row, as tail -f
        last = app.store.at(shown - 1)
        assert f" {last.frame}.{last.index} " in _rows_text(app)   # the newest row is on screen
        assert "following" in _status(app)


@pytest.mark.asyncio
@pytest.mark.parametrize("compress", [False, True], ids=["pcapng", "gzip"])
async def test_a_pipe_fed_in_steps_shows_rows_after_each_step(compress):
    r, w = os.pipe()
    writer = _Writer(os.fdopen(w, "wb", buffering=0), compress)
    app = NlscopeApp(store=StreamStore("-", fd=r))
    async with app.run_test(size=(120, 40)) as pilot:
        await _follow_steps(app, pilot, writer)
        writer.close()   # the writer ends: so does the reading
        await _until(pilot, lambda: app.store.done)
        await pilot.pause(0.1)
        assert "stdin ended" in _status(app)
        assert app.store.error is None
    assert app.crash is None


@pytest.mark.asyncio
async def test_a_file_appended_in_steps_is_followed(tmp_path):
    path = tmp_path / "growing.pcapng"
    f = open(path, "wb", buffering=0)
    writer = _Writer(f)
    app = NlscopeApp(store=StreamStore(str(path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await _follow_steps(app, pilot, writer)
        await pilot.press("q")   # the writer goes on; q ends the app, and the reading with it
    writer.close()
    assert app.store.closed and app.crash is None


@pytest.mark.asyncio
async def test_a_filter_applied_while_following_matches_what_arrives(tmp_path):
    path = tmp_path / "growing.pcapng"
    f = open(path, "wb", buffering=0)
    writer = _Writer(f)
    app = NlscopeApp(store=StreamStore(str(path)), display_filter="netlink.error")
    async with app.run_test(size=(120, 40)) as pilot:
        for n, step in enumerate(STEPS, 1):
            writer.step(step)
            want = [i for i, m in enumerate(_all(FRAMES[:sum(map(len, STEPS[:n]))])) if m.error]
            await _until(pilot, lambda: list(app.store.view or []) == want and len(app.store.messages) ==
                         _messages(FRAMES[:sum(map(len, STEPS[:n]))]))
    writer.close()


def _all(frames):
    from nlscope.messages import messages
    return list(messages(frames))


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_or_ctrl_c_ends_the_app_while_the_pipe_waits_for_a_writer(key):
    """Nothing arrives: the reader waits on the pipe; q and ^C end the app, without waiting
    for the writer (over a file, ^C stays Textual's: it copies the selected text)."""
    r, w = os.pipe()
    app = NlscopeApp(store=StreamStore("-", fd=r))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert "following stdin" in _status(app)
        await pilot.press(key)
        await pilot.pause(0.2)
        assert app.return_code == 0   # the app exited
    assert app.store.closed
    os.close(w)


@pytest.mark.asyncio
async def test_ctrl_c_over_a_file_does_not_quit():
    app = NlscopeApp(str(CAPTURES / "rtnl-extack.pcapng"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause(0.2)
        assert app.return_code is None   # Textual's (a copy of the selected text)


def test_take_stdin_puts_the_terminal_on_fd_0_or_says_why():
    """In a process without a controlling terminal (setsid), `open -` cannot read keys: said
    in one line, nothing moved; a terminal on stdin is refused (no capture to read)."""
    code = ("import sys\n"
            "from nlscope.tui.stream_store import NoTerminal, take_stdin\n"
            "try:\n    take_stdin()\nexcept NoTerminal as exc:\n    print(exc)\n")
    out = subprocess.run(["setsid", sys.executable, "-c", code], input=b"\x0a\x0d\x0d\x0a", capture_output=True,
                         check=True, start_new_session=True)
    assert b"/dev/tty cannot be opened" in out.stdout, out


def test_frames_of_a_stream_are_saved_from_the_index():
    """w on stdin writes the frames from the index (stdin cannot be read again)."""
    r, w = os.pipe()
    buf = io.BytesIO()
    writer = PcapngWriter(buf)
    for fr in FRAMES[:12]:
        writer.write(fr)
    os.write(w, buf.getvalue())
    os.close(w)
    store = StreamStore("-", fd=r)
    store.load()
    out = io.BytesIO()
    saved = PcapngWriter(out)
    for fr in store.frames_of(range(len(store.messages))):
        saved.write(fr)
    again = list(read_capture(out.getvalue()))
    assert [(f.number, f.time, f.data, f.protocol) for f in again] == \
           [(f.number, f.time, f.data, f.protocol) for f in FRAMES[:12]]


def test_a_file_to_follow_that_cannot_be_opened_is_said_in_one_line(tmp_path):
    store = StreamStore(str(tmp_path / "gone.pcapng"))
    store.load()
    assert store.done and store.error == f"{tmp_path / 'gone.pcapng'}: cannot be opened (No such file or directory)"
