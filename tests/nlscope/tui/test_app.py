"""The TUI driven by Pilot: every key binding, filter validation, transactions, saving."""
import pytest

from nlscope.tui.app import NlscopeApp
from nlscope.tui.widgets.detail_tree import DetailTree
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES

EXTACK = str(CAPTURES / "rtnl-extack.pcapng")
TEST_FAMILY = str(CAPTURES / "nlscope-test.pcapng")
SIZE = (140, 45)


async def loaded(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def filter_to(pilot, text):
    await pilot.press("slash")
    pilot.app.query_one("#filter").value = ""
    await pilot.press(*list(text))
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.asyncio
async def test_opens_and_lists_every_message():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert len(app.store) == 121 and app.store.done
        lst = app.query_one(MessageList)
        assert lst.virtual_size.height == 122  # + the header row
        assert "121 messages" in str(app.query_one("#status").render())
        tree = app.query_one(DetailTree)
        assert tree.root.children  # the first message is shown


@pytest.mark.asyncio
async def test_moving_and_jumping():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        await pilot.press("down", "down", "j")
        assert lst.cursor == 3
        await pilot.press("k")
        assert lst.cursor == 2
        await pilot.press("G")
        assert lst.cursor == 120
        await pilot.press("g")
        assert lst.cursor == 0
        await pilot.press("pagedown")
        assert lst.cursor > 10
        await pilot.press("home")
        assert lst.cursor == 0


@pytest.mark.asyncio
async def test_filter_validation_and_apply():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        box = app.query_one("#filter")
        await pilot.press("slash", *list("rtnl.link.mtu >"))
        # the reason is said in the bar as one types (it was only in a hover tooltip)
        assert "-invalid" in box.classes and "column 16" in str(box.border_subtitle)
        await pilot.press(*list(" 65535"))
        assert "-valid" in box.classes
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.store) == 4 and app.store.filter_text == "rtnl.link.mtu > 65535"
        await filter_to(pilot, "")
        assert len(app.store) == 121


@pytest.mark.asyncio
async def test_next_and_previous_match():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.query_one("#filter").value = "netlink.error == ENODEV"
        app.query_one(MessageList).focus()
        await pilot.press("n")
        lst = app.query_one(MessageList)
        first = lst.cursor
        assert app.store.at(first).error["name"] == "ENODEV"
        await pilot.press("n")
        assert lst.cursor > first
        await pilot.press("N")
        assert lst.cursor == first


@pytest.mark.asyncio
async def test_transaction_view_shows_extack_and_blamed_attribute():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await filter_to(pilot, "netlink.error == ERANGE")
        await pilot.press("t")
        await pilot.pause()
        text = str(app.screen.query_one("#tx-text").render())
        assert "ERANGE" in text and "integer out of range" in text
        assert "IFLA_GSO_MAX_SIZE: 10" in text and "offset 32 of the request" in text
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]
        copied = []
        app.copy_to_clipboard = copied.append
        await pilot.press("c")
        assert copied and '"name":"ERANGE"' in copied[0]
        await pilot.press("slash")
        assert app.focused.id == "filter"
        await pilot.press("escape")
        assert isinstance(app.focused, MessageList)


@pytest.mark.asyncio
async def test_request_answer_jump_marks_time_stats_help():
    app = NlscopeApp(TEST_FAMILY)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        await filter_to(pilot, "nlscope_test.count")        # the DUMP request
        await filter_to(pilot, "")
        req_row = next(i for i in range(len(app.store)) if app.store.at(i).type_name == "NLSCOPE_TEST_CMD_DUMP")
        lst.go(req_row)
        await pilot.press("r")
        assert app.store.at(lst.cursor).tx[1] == "response"
        await pilot.press("r")
        assert lst.cursor == req_row
        await pilot.press("m")
        assert lst.marks == {req_row}
        await pilot.press("g", "M")
        assert lst.cursor == req_row
        await pilot.press("T")
        assert lst.time_format == "a"
        await pilot.press("s")
        await pilot.pause()
        assert "Transaction latency" in str(app.screen.query_one("#stats-text").render())
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert "transaction of the message" in str(app.screen.query_one("#help-text").render())
        await pilot.press("escape")


@pytest.mark.asyncio
async def test_save_writes_what_is_shown(tmp_path):
    out = tmp_path / "saved.pcapng"
    app = NlscopeApp(EXTACK, save_path=str(out))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await filter_to(pilot, "netlink.type == NLMSG_ERROR && netlink.error != 0")
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")            # the dialog: its file name, "Displayed"
        await app.workers.wait_for_complete()
        await pilot.pause()
    import nlscope
    cap = nlscope.open(str(out))
    assert len(cap) == 11 and all(m.type_name == "NLMSG_ERROR" for m in cap)


@pytest.mark.asyncio
async def test_tree_selection_highlights_bytes_and_bytes_select_nodes():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await filter_to(pilot, "rtnl.link.mtu == 70000 && netlink.flags.request")
        tree = app.query_one(DetailTree)
        hexv = app.query_one("#hex")
        m = hexv.msg
        mtu = m.tree.find("rtnl.link.mtu")
        tree.select_offset(mtu.offset)
        await pilot.pause()
        assert tree.cursor_node.data[0] is mtu
        assert hexv.span == (mtu.offset, mtu.length)
        assert "reverse" in str(hexv.render_hex().spans)


@pytest.mark.asyncio
async def test_bad_file_shows_error_not_traceback(tmp_path):
    bad = tmp_path / "x.pcap"
    bad.write_bytes(b"not a capture at all")
    app = NlscopeApp(str(bad))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.store.error and "not a pcap" in app.store.error
        assert len(app.store) == 0


@pytest.mark.asyncio
async def test_blame_selects_the_attribute_in_tree_and_bytes():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        row = next(i for i in range(len(app.store)) if (app.store.at(i).error or {}).get("name") == "ERANGE")
        lst.go(row)
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause(0.2)
        req = app.store.at(lst.cursor)
        assert req.type_name == "RTM_NEWLINK" and req.direction == "to kernel"
        tree = app.query_one(DetailTree)
        node = tree.cursor_node.data[0]
        assert node.field.abbrev == "rtnl.link.gso_max_size"
        assert app.query_one("#hex").span == (node.offset, node.length)
        copied = []
        app.copy_to_clipboard = copied.append
        await pilot.press("y", "Y")
        assert copied == ["IFLA_GSO_MAX_SIZE: 10", bytes(req.buf[node.offset:node.offset + 8]).hex()]


@pytest.mark.asyncio
async def test_field_completion_and_history():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *list("rtnl.link.mt"))
        await pilot.pause(0.2)
        await pilot.press("right")  # accept the suggestion (→ as in Textual; Tab completes too)
        assert app.query_one("#filter").value == "rtnl.link.mtu"
        await pilot.press(*list(" > 9000"), "enter")
        await app.workers.wait_for_complete()
        await filter_to(pilot, "netlink.flags.dump")
        await pilot.press("slash", "up")
        assert app.query_one("#filter").value == "netlink.flags.dump"
        await pilot.press("up")
        assert app.query_one("#filter").value == "rtnl.link.mtu > 9000"
        await pilot.press("down", "down")
        assert app.query_one("#filter").value == ""


@pytest.mark.asyncio
async def test_hex_and_text_search_and_palette_actions():
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        lst = app.query_one(MessageList)
        app.query_one("#filter").value = "0a 0a 00 00"    # 10.10.0.0 (RTA_DST) as bytes
        lst.focus()
        await pilot.press("n")
        m = app.store.at(lst.cursor)
        assert bytes([10, 10, 0, 0]) in bytes(m.buf[m.offset:m.offset + m.length])
        app.query_one("#filter").value = "EEXIST for"          # not a filter: Info text
        await pilot.press("n")
        assert app.store.at(lst.cursor).info.startswith("EEXIST for")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for t in ("Filter", "Transaction", "Statistics", "Save", "Blamed attribute", "Copy bytes"):
            assert t in titles


# --- hostile captures: capture text is text, statistics in a worker, a crash is one line ---

def _capture(path, frames):
    """frames: (netlink protocol, bytes, time) in order, written as nlmon would."""
    from nlscope.sources.capture import Frame
    from nlscope.sources.writer import PcapngWriter
    with open(path, "wb") as f:
        w = PcapngWriter(f)
        for i, (proto, raw, t) in enumerate(frames, 1):
            w.write(Frame(i, t, raw, proto, len(raw), len(raw)))
    return str(path)


def _markup_capture(tmp_path):
    """A link named "[/x]" (an unknown attribute beside it), a request setting it that fails
    with the extack "[/y] …" blaming the name, and an ss dump whose NLMSG_DONE says -ENOENT."""
    import struct
    from tests.dissectors.build import msg, nla
    ifinfo = struct.pack("<BxHiII", 0, 0, 3, 0, 0)
    name = nla(3, b"[/x]\0")
    link = msg(16, 0x0, ifinfo + name + nla(0x7ff, b"\1\2\3\4"), seq=0, pid=0)
    req = msg(16, 0x5, ifinfo + name, seq=77)
    err = msg(2, 0x100 | 0x200, struct.pack("<i", -22) + req[:16]
              + nla(1, b"[/y] bad [b]name\0") + nla(2, struct.pack("<I", 16 + 16)), seq=77, pid=4242)
    diag = msg(20, 0x301, bytes([44, 0, 0, 0]) + b"\0" * 52, seq=8)
    done = msg(3, 0x2, struct.pack("<i", -2), seq=8, pid=4243)
    return _capture(tmp_path / "markup.pcapng", [(0, link, 1.0), (0, req, 1.1), (0, err, 1.2),
                                                (4, diag, 1.3), (4, done, 1.4)])


@pytest.mark.asyncio
async def test_capture_text_is_shown_as_text_not_markup(tmp_path):
    """A name "[/x]" and an extack "[/y]" used to kill the app (markup); the tree's own
    "[unknown]" marker was swallowed as a tag."""
    app = NlscopeApp(_markup_capture(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        tree = app.query_one(DetailTree)
        labels = []
        stack = [tree.root]
        while stack:
            n = stack.pop()
            labels.append(str(n.label))
            stack.extend(n.children)
        assert "IFLA_IFNAME: [/x]" in labels and any(s.startswith("[unknown] ") for s in labels), labels
        app.query_one(MessageList).go(2)          # the error
        await pilot.pause(0.1)
        await pilot.press("t")
        await pilot.pause()
        text = str(app.screen.query_one("#tx-text").render())
        assert '"[/y] bad [b]name"' in text and "blamed attribute: IFLA_IFNAME: [/x] at offset 32 of the request" in text
        await pilot.press("escape", "s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        stats = str(app.screen.query_one("#stats-text").render())
        # an NLMSG_DONE carrying an errno crashed the report (TypeError)
        assert "Errors by request type" in stats and "SOCK_DIAG_BY_FAMILY" in stats and "ENOENT" in stats
    assert app.crash is None and not app.return_code


@pytest.mark.asyncio
async def test_statistics_are_counted_in_a_worker(monkeypatch):
    """`s` used to build the statistics on the UI thread: the screen froze until the end."""
    import threading
    from nlscope.analysis.stats import Stats
    release, entered = threading.Event(), threading.Event()
    add = Stats.add_values

    def slow_add(self, *values):
        if not entered.is_set():   # the first message waits until the test has looked
            entered.set()
            release.wait(10)
        add(self, *values)
    monkeypatch.setattr(Stats, "add_values", slow_add)
    app = NlscopeApp(TEST_FAMILY)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert entered.wait(5)
        text = str(app.screen.query_one("#stats-text").render())
        assert "counting…" in text and not app.screen.done   # the screen is up, the count goes on
        await pilot.press("j")                                  # the app still answers keys
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.done and "Transaction latency" in str(app.screen.query_one("#stats-text").render())


@pytest.mark.asyncio
async def test_statistics_follow_the_filter():
    """What `s` counts under a filter: the messages shown and their transactions."""
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await filter_to(pilot, "netlink.error == ERANGE")
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#stats-text").render())
        assert "Statistics (filter: netlink.error == ERANGE)" in text and text.split("\n")[2].startswith("1 messages")
        # the transactions counted are those of the messages shown (they were every one of the file)
        assert "Transaction latency (ms): p50 1.617  p90 1.617  p99 1.617  max 1.617  (1 transactions)" in text


def test_a_crash_is_one_line_and_a_failing_status(monkeypatch, capfd):
    """An exception nothing handles stops the app with return code 1 and one escaped line
    on stderr (it exited 0, after a screenful of traceback holding the capture's bytes)."""
    from nlscope.analysis.stats import Stats

    def broken(self, top=10):
        raise TypeError("unsupported format string\n\x1b[31mpassed")
    monkeypatch.setattr(Stats, "report", broken)
    app = NlscopeApp(EXTACK)

    async def press_s(pilot):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.press("s")
        await pilot.pause(0.5)
    app.run(headless=True, size=SIZE, auto_pilot=press_s)
    err = capfd.readouterr().err
    assert app.return_code == 1
    assert err == ("nlscope: internal error, the TUI stopped: TypeError: unsupported format string\\n\\e[31mpassed "
                   "(please report it)\n")
