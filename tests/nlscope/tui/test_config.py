"""tui.toml: columns (which, in which order, how wide) and Wireshark-style colouring rules
(name, display filter, colours; first match wins); a bad or hostile file is one line and
the defaults, never a crash."""
import os
from pathlib import Path

import pytest
from rich.color import Color
from rich.style import Style

from nlscope.analysis.filter import FilterError
from nlscope.tui.app import NlscopeApp
from nlscope.tui.config import (MAX_BYTES, MAX_RULES, ColorRule, TuiConfig, config_path, load_config,
                                parse_config)
from nlscope.tui.widgets.message_list import MessageList
from tests.conftest import CAPTURES

EXTACK = str(CAPTURES / "rtnl-extack.pcapng")


async def settle(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _write(tmp_path, text) -> Path:
    p = tmp_path / "nlscope" / "tui.toml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def test_the_file_is_in_the_users_config_directory(tmp_path):
    assert config_path({"XDG_CONFIG_HOME": "/x/cfg", "HOME": "/h"}) == Path("/x/cfg/nlscope/tui.toml")
    assert config_path({"XDG_CONFIG_HOME": "rel", "HOME": "/h"}) == Path("/h/.config/nlscope/tui.toml")
    assert config_path({"HOME": "/h"}) == Path("/h/.config/nlscope/tui.toml")
    assert load_config(env={"XDG_CONFIG_HOME": str(tmp_path)}) == TuiConfig()     # none: the defaults
    _write(tmp_path, 'columns = ["no", "info"]\n')
    assert load_config(env={"XDG_CONFIG_HOME": str(tmp_path)}).columns == ("no", "info")


@pytest.mark.asyncio
async def test_columns_their_order_and_width_from_the_file():
    cfg = parse_config(b'columns = ["type", "no", "seq", "info"]\n[widths]\ntype = 30\nseq = 4\n')
    app = NlscopeApp(EXTACK, config=cfg)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lst = app.query_one(MessageList)
        assert lst.columns == ("type", "no", "seq", "info")
        header = lst.header_text()
        assert header.startswith("Type" + " " * 27) and header.index("No.") < header.index("Seq") < header.index("Info")
        row = lst._text(0)
        m = app.store.at(0)
        assert row.startswith(m.type_name[:29]) and row[31:].split()[0] == f"{m.frame}.{m.index}"
        await pilot.resize_terminal(200, 50)     # the file's columns at every width
        await pilot.pause()
        assert lst.columns == ("type", "no", "seq", "info")


@pytest.mark.asyncio
async def test_colouring_rules_first_match_wins_then_the_built_in_colours():
    cfg = parse_config(b'''
[[color]]
name = "errors, mine"
filter = "netlink.error != 0"
foreground = "black"
background = "#ffaf00"
[[color]]
name = "every message"
filter = "netlink"
foreground = "green"
[[color]]
name = "never reached for errors"
filter = "netlink.error != 0"
background = "blue"
''')
    assert [r.name for r in cfg.rules] == ["errors, mine", "every message", "never reached for errors"]
    app = NlscopeApp(EXTACK, config=cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        lst = app.query_one(MessageList)
        err = next(r for r in range(len(app.store)) if app.store.at(r).error and app.store.at(r).error["code"])
        other = next(r for r in range(len(app.store)) if not app.store.at(r).error)
        lst.go(len(app.store) - 1)   # the cursor's colour away from the rows looked at
        await pilot.pause()
        lst.scroll_to(y=0, animate=False, force=True)
        await pilot.pause()

        def style(row):
            assert row < lst.visible_rows
            return list(lst.render_line(row + 1))[0].style
        s = style(err)
        assert s.color == Color.parse("black") and s.bgcolor == Color.parse("#ffaf00")
        assert style(other).color == Color.parse("green")
    # no rule matches: the built-in colours (errors red)
    cfg = parse_config(b'[[color]]\nfilter = "netlink.hdr_seq == 123456789"\nforeground = "green"\n')
    app = NlscopeApp(EXTACK, config=cfg)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        lst = app.query_one(MessageList)
        err = next(r for r in range(len(app.store)) if app.store.at(r).error and app.store.at(r).error["code"])
        lst.go(err + 1)
        await pilot.pause()
        assert lst._rule_style(err) is None and lst._row_class(err) == "messagelist--error"


def test_a_rule_that_cannot_answer_colours_nothing():
    def out_of_time(m):
        raise FilterError("the filter ran out of time", 0)
    rule = ColorRule("slow", "x", out_of_time, Style(color="red"))
    assert rule.matches(object()) is False


BAD = [
    (b'colour = 1\n', "unknown setting 'colour'"),
    (b'columns = "no,info"\n', "columns must be a list"),
    (b'columns = []\n', "columns must be a list"),
    (b'columns = ["no", "nope"]\n', "no column 'nope'"),
    (b'columns = ["no", "no"]\n', "named twice"),
    (b'widths = 3\n', "widths must be a table"),
    (b'[widths]\ninfo = 10\n', "no column 'info' to size"),
    (b'[widths]\ntype = 0\n', "from 1 to 300"),
    (b'[widths]\ntype = 100000000000\n', "from 1 to 300"),
    (b'[widths]\ntype = true\n', "from 1 to 300"),
    (b'[widths]\ntype = "30"\n', "from 1 to 300"),
    (b'color = "red"\n', "color must be a list"),
    (b'[[color]]\nfilter = "netlink.error =="\nforeground = "red"\n', "colouring rule 1"),
    (b'[[color]]\nfilter = "netlink"\n', "give a foreground or a background"),
    (b'[[color]]\nfilter = "netlink"\nforeground = "not-a-colour"\n', "is not a colour"),
    (b'[[color]]\nfilter = "netlink"\nforeground = 12\n', "colour name or #rrggbb"),
    (b'[[color]]\nfilter = 7\nforeground = "red"\n', "filter must be a display filter"),
    (b'[[color]]\nname = ["x"]\nfilter = "netlink"\nforeground = "red"\n', "name must be text"),
    (b'[[color]]\nfilter = "netlink"\nforeground = "red"\nblink = true\n', "unknown key 'blink'"),
    (b'[[color]]\nfilter = "' + b"!" * 3000 + b'"\nforeground = "red"\n', "at most 2000"),
    (b'[[color]]\nfilter = "netlink"\nforeground = "red"\n' * (MAX_RULES + 1), "more than 100"),
    (b'columns = [' * 50_000 + b']' * 50_000, "larger than 64 KiB"),
    (b'x = ' + b'[' * 20_000 + b']' * 20_000, "nested too deep"),
    (b'\xff\xfe', "not UTF-8"),
    (b'columns = ["no"\n', "not TOML"),
]


@pytest.mark.parametrize("data,why", BAD, ids=[w for _, w in BAD])
def test_a_bad_file_is_one_line_and_the_defaults(tmp_path, data, why):
    cfg = load_config(_write(tmp_path, data))
    assert cfg.columns is None and not cfg.rules and not cfg.widths
    assert why in cfg.problem and str(tmp_path) in cfg.problem and "default" in cfg.problem
    assert "\n" not in cfg.problem and len(cfg.problem) <= 300


def test_what_is_not_a_file_is_not_read(tmp_path):
    os.makedirs(tmp_path / "nlscope" / "tui.toml")
    assert "not a regular file" in load_config(tmp_path / "nlscope" / "tui.toml").problem
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)                              # opened, it would block the start for ever
    assert "not a regular file" in load_config(fifo).problem
    assert MAX_BYTES == 64 * 1024


@pytest.mark.asyncio
async def test_a_bad_file_is_said_in_the_status_bar_and_the_tui_runs(tmp_path, monkeypatch):
    _write(tmp_path, b'[[color]]\nfilter = "netlink.error =="\nforeground = "red"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = NlscopeApp(EXTACK)
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        status = str(app.query_one("#status").render())
        assert "tui.toml: colouring rule 1" in status and "default columns and colours are used" in status
        lst = app.query_one(MessageList)
        assert lst.columns[0] == "no" and not lst.config.rules
        await pilot.press("j", "j")
        assert lst.cursor == 2
        app._config_told()
        assert "tui.toml" not in str(app.query_one("#status").render())
