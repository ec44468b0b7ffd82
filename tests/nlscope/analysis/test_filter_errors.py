"""What a refused filter echoes back: one line of the filter around the fault, harmless characters."""
from nlscope.analysis.filter import FilterError, compile_filter

import pytest


def _error(text):
    with pytest.raises(FilterError) as exc:
        compile_filter(text)
    return exc.value


def test_a_long_filter_shows_the_part_around_the_fault():
    text = "netlink.seq == 1 or " * 5000 + "netlink.seq == 1 1"
    err = _error(text)
    shown, caret = err.pointer().splitlines()
    assert len(shown) < 100 and shown.startswith("…")
    assert caret.index("^") == shown.index("1 1") + 2   # under the second '1'


def test_control_characters_are_not_echoed():
    text = 'netlink.seq == 1 "\x1b[2J\x07"\nrtnl'
    err = _error(text)
    assert "\x1b" not in str(err) and "\x1b" not in err.pointer() and "\x07" not in err.pointer()
    shown, caret = err.pointer().splitlines()   # the newline in the filter does not split the pointer
    assert caret.index("^") == text.index('"')


def test_an_unexpected_character_is_quoted():
    err = _error("netlink.seq == 1 \x1b")
    assert "\\x1b" in err.message and "\x1b" not in err.message
