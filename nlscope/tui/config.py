"""The TUI's settings file: which columns, in which order and how wide, and colouring rules
as Wireshark's (a name, a display filter, colours; the first rule that matches a message
colours its row).  $XDG_CONFIG_HOME/nlscope/tui.toml (~/.config/nlscope/tui.toml):

    columns = ["no", "time", "type", "flags", "info"]
    [widths]
    type = 30
    [[color]]
    name = "link changes"
    filter = "rtnl.link.ifname"
    foreground = "black"
    background = "#87d7ff"

The file is the user's, but read as untrusted input all the same: a file that is too big,
nested too deep, of the wrong types or naming what does not exist is not used (the defaults
are) and why is said in one line; nothing in it can stop the TUI."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rich.color import Color, ColorParseError
from rich.style import Style

from ..analysis.filter import FilterError, compile_filter

MAX_BYTES = 64 * 1024
MAX_RULES = 100
MAX_NAME = 80
MAX_FILTER = 2000
MAX_WIDTH = 300

COLUMN_NAMES = ("no", "time", "process", "protocol", "dir", "portid", "seq", "type", "flags", "info")
SIZED = tuple(n for n in COLUMN_NAMES if n not in ("info", "process"))   # Info takes the rest; Process grows
RULE_KEYS = {"name", "filter", "foreground", "background"}


class ConfigError(Exception):
    """Why the settings file is not used (one line)."""


@dataclass(frozen=True)
class ColorRule:
    name: str
    text: str                 # the display filter as written
    match: object             # the compiled filter: a message -> bool
    style: Style

    def matches(self, m) -> bool:
        try:
            return bool(self.match(m))
        except (FilterError, RecursionError, ValueError, TypeError, OverflowError):
            return False   # a rule that cannot say (out of time, a value it cannot compare) colours nothing


@dataclass(frozen=True)
class TuiConfig:
    columns: tuple[str, ...] | None = None     # None: the columns the width allows (the built-in layouts)
    widths: dict[str, int] = field(default_factory=dict)
    rules: tuple[ColorRule, ...] = ()
    path: str | None = None                    # the file read (None: none was)
    problem: str | None = None                 # why the file was not used


def config_path(env=os.environ) -> Path:
    """$XDG_CONFIG_HOME/nlscope/tui.toml, ~/.config/nlscope/tui.toml without it (XDG base dirs:
    a relative XDG_CONFIG_HOME is ignored)."""
    base = env.get("XDG_CONFIG_HOME", "")
    if not base or not os.path.isabs(base):
        base = os.path.join(env.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(base) / "nlscope" / "tui.toml"


def load_config(path: str | os.PathLike | None = None, env=os.environ) -> TuiConfig:
    """The settings in `path` (the user's file by default); a missing file is the defaults,
    a bad one the defaults with `problem` saying why."""
    p = Path(path) if path is not None else config_path(env)
    try:
        if os.path.lexists(p) and not os.path.isfile(p):   # a FIFO would block the start forever
            raise ConfigError("not a regular file")
        with open(p, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return TuiConfig()
    except (OSError, ConfigError) as exc:
        return TuiConfig(path=str(p), problem=_said(p, getattr(exc, "strerror", None) or str(exc)))
    try:
        return parse_config(data, str(p))
    except ConfigError as exc:
        return TuiConfig(path=str(p), problem=_said(p, str(exc)))


def _said(p, why: str) -> str:
    line = f"{p}: {why}; the default columns and colours are used"
    line = " ".join(line.split())   # one line, whatever the reason holds
    return line if len(line) <= 300 else line[:299] + "…"


def parse_config(data: bytes, path: str = "tui.toml") -> TuiConfig:
    if len(data) > MAX_BYTES:
        raise ConfigError(f"larger than {MAX_BYTES // 1024} KiB")
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not TOML: {exc}") from None
    except RecursionError:
        raise ConfigError("nested too deep") from None
    unknown = set(doc) - {"columns", "widths", "color"}
    if unknown:
        raise ConfigError(f"unknown setting {_name(sorted(unknown)[0])} (columns, widths, color)")
    return TuiConfig(columns=_columns(doc.get("columns")), widths=_widths(doc.get("widths", {})),
                     rules=_rules(doc.get("color", [])), path=path)


def _name(v) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:39] + "…"


def _columns(v) -> tuple[str, ...] | None:
    if v is None:
        return None
    if not isinstance(v, list) or not v or not all(isinstance(c, str) for c in v):
        raise ConfigError(f"columns must be a list of column names ({', '.join(COLUMN_NAMES)})")
    for c in v:
        if c not in COLUMN_NAMES:
            raise ConfigError(f"columns: no column {_name(c)} ({', '.join(COLUMN_NAMES)})")
    if len(set(v)) != len(v):
        raise ConfigError("columns: a column is named twice")
    return tuple(v)


def _widths(v) -> dict[str, int]:
    if not isinstance(v, dict):
        raise ConfigError("widths must be a table (name = cells)")
    out = {}
    for k, w in v.items():
        if k not in SIZED:
            raise ConfigError(f"widths: no column {_name(k)} to size ({', '.join(SIZED)}; Info takes the rest)")
        if not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= MAX_WIDTH:
            raise ConfigError(f"widths.{k} must be a whole number of cells from 1 to {MAX_WIDTH}")
        out[k] = w
    return out


def _rules(v) -> tuple[ColorRule, ...]:
    if not isinstance(v, list) or not all(isinstance(r, dict) for r in v):
        raise ConfigError("color must be a list of rules ([[color]] tables)")
    if len(v) > MAX_RULES:
        raise ConfigError(f"more than {MAX_RULES} colouring rules")
    return tuple(_rule(i, r) for i, r in enumerate(v, 1))


def _rule(i: int, r: dict) -> ColorRule:
    where = f"colouring rule {i}"
    unknown = set(r) - RULE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key {_name(sorted(unknown)[0])} (name, filter, foreground, background)")
    name, text = r.get("name", f"rule {i}"), r.get("filter")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        raise ConfigError(f"{where}: name must be text of at most {MAX_NAME} characters")
    where = f"colouring rule {i} ({_name(name)})"
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_FILTER:
        raise ConfigError(f"{where}: filter must be a display filter of at most {MAX_FILTER} characters")
    try:
        match = compile_filter(text)
    except FilterError as exc:
        raise ConfigError(f"{where}: {exc.message} (column {exc.column})") from None
    except RecursionError:
        raise ConfigError(f"{where}: the filter is nested too deep") from None
    colours = {}
    for key in ("foreground", "background"):
        c = r.get(key)
        if c is None:
            continue
        if not isinstance(c, str) or len(c) > 40:
            raise ConfigError(f"{where}: {key} must be a colour name or #rrggbb")
        try:
            colours[key] = Color.parse(c)
        except ColorParseError:
            raise ConfigError(f"{where}: {key} {_name(c)} is not a colour (a name such as red, or #rrggbb)") from None
    if not colours:
        raise ConfigError(f"{where}: give a foreground or a background colour")
    return ColorRule(name, text, match, Style(color=colours.get("foreground"), bgcolor=colours.get("background")))
