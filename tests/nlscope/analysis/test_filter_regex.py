"""`matches` under hostile patterns: linear time (RE2), bounded programs, refusals that say why,
and a filter that gives up on a message with FilterTimeout."""
import struct
import time

import pytest

from nlscope.analysis import filter as F
from nlscope.analysis.filter import FilterError, FilterTimeout, compile_filter
from nlscope.analysis.filter_regex import MAX_PROGRAM


def _links(*aliases: str):
    """RTM_NEWLINK messages, one per alias (IFLA_IFALIAS), made here; seq = 1, 2, …"""
    from nlscope.messages import messages
    from nlscope.sources.capture import Frame
    from tests.dissectors.build import msg, nla
    IFLA_IFNAME, IFLA_IFALIAS, RTM_NEWLINK = 3, 20, 16
    frames = []
    for i, alias in enumerate(aliases):
        body = (struct.pack("<BBHiII", 0, 0, 1, i + 1, 0, 0) + nla(IFLA_IFNAME, b"veth%d\0" % i)
                + nla(IFLA_IFALIAS, alias.encode() + b"\0"))
        data = msg(RTM_NEWLINK, 0, body, seq=i + 1)
        frames.append(Frame(i + 1, float(i), data, 0, len(data), len(data)))
    return list(messages(frames))


def test_catastrophic_backtracking_pattern_is_linear():
    # Python's re took 70 s for this on a 31-character name; RE2 has no backtracking
    links = _links("a" * 31 + "!", "a" * 31, "a" * 5000 + "!")
    flt = compile_filter('rtnl.link.ifalias matches "^(a+)+$"')
    t0 = time.perf_counter()
    assert [m.seq for m in links if flt(m)] == [2]
    assert time.perf_counter() - t0 < 1


@pytest.mark.parametrize("pattern,needle", [
    ("(?=veth)", "no lookaround or backreferences"),
    ("(a)\\\\1", "no lookaround or backreferences"),
    ("((a{1000}){1000}){1000}", "bad regular expression"),   # 24 characters the `regex` module unrolls into GBs
    ("a{100000}", "bad regular expression"),
    ("(", "bad regular expression"),
])
def test_patterns_re2_refuses_are_filter_errors(pattern, needle, capfd):
    text = f'rtnl.link.ifalias matches "{pattern}"'
    t0 = time.perf_counter()
    with pytest.raises(FilterError) as exc:
        compile_filter(text)
    assert time.perf_counter() - t0 < 1
    assert needle in exc.value.message and exc.value.column == text.index('"') + 1
    assert capfd.readouterr().err == ""   # RE2 logs nothing of its own on stderr


def test_program_size_is_bounded():
    names = "|".join(f"a[ab]{{{n}}}c" for n in range(1, 80))
    with pytest.raises(FilterError) as exc:
        compile_filter(f'rtnl.link.ifalias matches "(?:{names})"')
    assert "too large" in exc.value.message and str(MAX_PROGRAM) in exc.value.message
    compile_filter('rtnl.link.ifalias matches "^(eth|veth|wlan|dummy|br|bond|vxlan)[0-9]+$"')


def test_regular_expression_flags_and_syntax():
    links = _links("Uplink to core", "uplink spare")
    assert [m.seq for m in links if compile_filter('rtnl.link.ifalias matches "(?i)^UPLINK"')(m)] == [1, 2]
    assert [m.seq for m in links if compile_filter('rtnl.link.ifalias matches "^Up\\\\w+ to"')(m)] == [1]
    assert [m.seq for m in links if compile_filter('rtnl.link.ifalias matches "\\\\bspare$"')(m)] == [2]


def test_a_filter_over_its_budget_says_so(monkeypatch):
    links = _links("x" * 100)
    monkeypatch.setattr(F, "MESSAGE_BUDGET", -1.0)   # every costly step is over budget
    text = 'netlink.seq == 9 or rtnl.link.ifalias matches "y"'
    flt = compile_filter(text)
    with pytest.raises(FilterTimeout) as exc:
        flt(links[0])
    assert isinstance(exc.value, FilterError)
    assert "frame 1" in exc.value.message and "more than" in exc.value.message
    assert exc.value.column == text.index('"y"') + 1 and exc.value.text == text
    # a long chain checks its budget too, even with no regular expression in it
    chain = compile_filter(" or ".join(f"rtnl.link.ifalias == \"{i}\"" for i in range(1000)))
    with pytest.raises(FilterTimeout):
        chain(links[0])


def test_a_real_budget_stops_a_filter_that_would_run_for_minutes(monkeypatch):
    # 2,000 patterns of ~1,000 instructions against a 60,000-character alias: minutes of
    # linear work on one message; the budget stops it shortly after it is spent
    links = _links("ab" * 30_000)
    monkeypatch.setattr(F, "MESSAGE_BUDGET", 0.5)
    flt = compile_filter(" or ".join(f'rtnl.link.ifalias matches "[ab]*a[ab]{{{900 + i % 90}}}c"'
                                     for i in range(2000)))
    t0 = time.perf_counter()
    with pytest.raises(FilterTimeout):
        flt(links[0])
    assert time.perf_counter() - t0 < 5


def test_fast_filters_never_read_the_clock(monkeypatch):
    calls = []
    real = time.monotonic
    monkeypatch.setattr(F.time, "monotonic", lambda: calls.append(1) or real())
    links = _links("a")
    assert compile_filter('netlink.seq == 1 and rtnl.link.ifalias == "a"')(links[0])
    assert not calls


@pytest.mark.parametrize("text,costly", [
    ("netlink.seq == 1 and rtnl.link.mtu > 1500", False),
    ("netlink.seq in {1..5, 7}", False),
    (" or ".join(f"netlink.seq == {i}" for i in range(256)), False),
    (" or ".join(f"netlink.seq == {i}" for i in range(257)), True),
    ('rtnl.link.ifname matches "^veth"', True),
    ("rtnl.link.ifname in {" + ", ".join(f"n{i}" for i in range(300)) + "}", True),
], ids=["header and body", "set of numbers", "256 terms", "257 terms", "matches", "300 names"])
def test_filters_say_whether_they_may_time_out(text, costly):
    """cli.py reads with one process when a filter may time out, so it can stop where it did."""
    assert compile_filter(text).may_time_out is costly


@pytest.mark.parametrize("pattern", ["\\\\p{L}" * 199, "\\\\p{L}" * 250, "(?:\\\\p{L}|\\\\p{N}){999}"],
                         ids=["995 chars of classes", "1250 chars", "999 alternations"])
def test_compiling_a_pattern_is_bounded(pattern):
    # 190,000 `\p{L}` took RE2 76 s to refuse with its default memory; long patterns are
    # refused before compiling, and the program's memory is small enough to stop early
    compile_filter('rtnl.link.ifalias matches "^a"')   # RE2 is imported before the clock starts
    t0 = time.perf_counter()
    with pytest.raises(FilterError) as exc:
        compile_filter(f'rtnl.link.ifalias matches "{pattern}"')
    assert time.perf_counter() - t0 < 0.5
    assert "too large" in exc.value.message or "allowed" in exc.value.message
