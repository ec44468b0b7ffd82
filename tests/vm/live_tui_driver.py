"""Run inside the VM (captures/scenarios/tui-live.sh): drive `nlscope live nlmon0` headless
with Textual's Pilot while `ip` makes traffic; write what was seen to $OUT/tui-live.json."""
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

START = time.monotonic()
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from nlscope.tui.app import NlscopeApp  # noqa: E402
from nlscope.tui.live_store import LiveStore  # noqa: E402
from nlscope.tui.widgets.message_list import MessageList  # noqa: E402


async def wait_for(pred, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        await asyncio.sleep(0.1)
    return False


async def main(out: Path) -> None:
    store = LiveStore("nlmon0")
    app = NlscopeApp(store=store, save_path=str(out / "tui-live.saved.pcapng"))
    # seconds from the imports' start to each step: where the scenario's time goes, per kernel
    seconds = {"imported": round(time.monotonic() - START, 1)}

    def step(name):
        seconds[name] = round(time.monotonic() - START, 1)
    result = {"seconds": seconds}
    async with app.run_test(size=(170, 40)) as pilot:
        step("app_running")
        await pilot.pause(0.5)
        # under emulation the capture worker may start seconds after the app: make a message
        # and wait until it is shown, so the traffic below is read while its sender lives
        subprocess.run(["ip", "link", "show", "lo"], check=True, stdout=subprocess.DEVNULL)
        result["worker_started"] = await wait_for(lambda: len(store) > 0, 180)
        step("worker_started")
        # one ip process fed commands over time (ip -batch -), alive like the daemons that do
        # most netlink traffic; a one-shot `ip` under emulation exits before nlscope's reader
        # thread is even scheduled, and the process of a closed socket cannot be found
        ip = subprocess.Popen(["ip", "-batch", "-"], stdin=subprocess.PIPE)
        for line in (b"link add tuidummy0 type dummy\n", b"link set tuidummy0 up\n",
                     b"addr add 10.77.0.1/24 dev tuidummy0\n", b"link show tuidummy0\n"):
            ip.stdin.write(line)
            ip.stdin.flush()
            await asyncio.sleep(0.5)
        # ip stays alive until its traffic has been read (and its process looked up)
        def answered():  # the reply to `link show`, the last command, is in
            msgs = list(store.messages)
            first_addr = next((i for i, m in enumerate(msgs) if m.type_name == "RTM_NEWADDR"), None)
            return first_addr is not None and any(
                m.tree.first("rtnl.link.ifname") == "tuidummy0" for m in msgs[first_addr:] if m.protocol == 0)
        result["appeared"] = await wait_for(answered, 180)
        step("appeared")
        ip.stdin.close()
        ip.wait()
        await pilot.pause(0.5)
        lst = app.query_one(MessageList)
        # late background messages may still arrive from the capture thread: read store,
        # list and cursor together under the store's lock once the list has caught up
        seen = {}

        def caught_up():
            with store.lock:
                seen.update(rows=len(store), list_rows=lst.virtual_size.height - 1,
                            cursor=lst.cursor)
            return seen["list_rows"] == seen["rows"] and seen["cursor"] == seen["rows"] - 1
        await pilot.pause(0.3)
        await wait_for(caught_up, 5)
        result["rows"] = seen["rows"]
        result["list_rows"] = seen["list_rows"]
        result["follow_cursor_at_end"] = seen["cursor"] == seen["rows"] - 1
        step("caught_up")
        result["processes"] = sorted({m.process.comm for m in list(store.messages) if m.process})
        await pilot.press("p")
        shown = len(store)
        subprocess.run(["ip", "link", "set", "tuidummy0", "down"], check=True)
        subprocess.run(["ip", "link", "del", "tuidummy0"], check=True)
        await wait_for(lambda: len(store.backlog) > 0, 10)
        await pilot.pause(1.0)
        result["paused_rows_unchanged"] = len(store) == shown
        result["backlog"] = len(store.backlog)
        result["status_paused"] = "PAUSED" in str(app.query_one("#status").render())
        await pilot.press("p")
        await pilot.pause(0.5)
        result["rows_after_resume"] = len(store)
        step("resumed")
        await pilot.press("w")       # the save dialog: its default (Displayed, no filter) is every message
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(1.0)       # the save runs in a worker
        result["shown"] = [[m.type_name, m.info] for m in store.messages]
        result["status"] = str(app.query_one("#status").render())
        await pilot.press("q")
    step("quit")
    (out / "tui-live.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
