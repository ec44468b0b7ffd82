"""The TUI in a real terminal (tmux): open a capture, filter, go to the end, and the last
message is on screen, read back with capture-pane."""
import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest import CAPTURES



@pytest.fixture(autouse=True)
def _tmux_installed():
    """tools/run-tests installs tmux: without it this test fails rather than vanish."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed (apt-get install -y tmux; tools/run-tests does)")

CAPTURE = CAPTURES / "mixed.pcapng"
FILTER = "netlink.flags.request"


class Tmux:
    def __init__(self, socket: str, width: int, height: int, command: list[str]):
        self.socket = socket   # a server of our own, its socket in the test's directory
        # the pane stays when the program exits, so a crash is read back, not "no server"
        self.run("new-session", "-d", "-s", "smoke", "-x", str(width), "-y", str(height),
                 " ".join(command) + "; echo \"[exited $?]\"; sleep 120")

    def run(self, *args) -> str:
        return subprocess.run(["tmux", "-S", self.socket, "-f", "/dev/null", *args], check=True,
                              capture_output=True, text=True, timeout=20).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "smoke")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "smoke", *keys)

    def wait_for(self, predicate, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if predicate(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"not seen in {timeout} s; the screen:\n{text}")
            time.sleep(0.2)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, timeout=20)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_open_filter_end_shows_the_last_message(size, tmp_path):
    import nlscope
    from nlscope.analysis.filter import compile_filter
    flt = compile_filter(FILTER)
    every = list(nlscope.open(str(CAPTURE)))
    kept = [m for m in every if flt(m)]
    last = f"{kept[-1].frame}.{kept[-1].index}"
    t = Tmux(str(tmp_path / "tmux.sock"), *size, ["env", "TERM=xterm-256color", "COLUMNS=", "LINES=", sys.executable, "-m", "nlscope", "open",
                     str(CAPTURE)])
    try:
        t.wait_for(lambda s: f"{len(every)} messages" in s and "reading" not in s)
        t.keys("/")
        t.keys("-l", FILTER)
        t.keys("Enter")
        t.wait_for(lambda s: f"{len(kept)} shown by filter" in s)
        t.keys("G")
        screen = t.wait_for(lambda s: f"row {len(kept)}" in s)
        rows = [line for line in screen.splitlines() if line.lstrip().startswith(last + " ")]
        assert rows, screen              # the last message's row is drawn
        assert kept[-1].type_name[:16] in rows[0]   # (cut with … at 80 columns)
        t.keys("q")
        t.wait_for(lambda s: "messages" not in s, 10)   # quit: the shell's screen is back
    finally:
        t.close()
