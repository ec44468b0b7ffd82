"""Display filters mean what they mean in Wireshark 4.0 (issue 15, "Semantics"): a field the
message lacks makes every comparison false; == / != / === / !== (and any_eq, all_ne, all_eq,
any_ne, ~=) quantify over a field's occurrences; `matches` and `~` are case-insensitive,
`contains` is not; a value the field cannot have is refused with a caret and the nearest names."""
import shutil
import struct
import subprocess

import pytest

import nlscope
from nlscope.analysis import filter as F
from nlscope.analysis.filter import FilterError, compile_filter
from nlscope.analysis.filter_values import message_type_names
from tests.conftest import CAPTURES

IFLA_IFNAME, IFLA_MTU, RTM_NEWLINK, RTM_NEWADDR = 3, 4, 16, 20
IFF_UP = 1


def _messages(*bodies):
    """Messages made here from (type, body) pairs; seq = 1, 2, …"""
    from nlscope.messages import messages
    from nlscope.sources.capture import Frame
    from tests.dissectors.build import msg
    frames = []
    for i, (mtype, body) in enumerate(bodies):
        data = msg(mtype, 0, body, seq=i + 1)
        frames.append(Frame(i + 1, float(i), data, 0, len(data), len(data)))
    return list(messages(frames))


def _link(*attrs, flags=0):
    from tests.dissectors.build import nla
    body = struct.pack("<BBHiII", 0, 0, 1, 7, flags, 0)
    for ntype, payload in attrs:
        body += nla(ntype, payload)
    return RTM_NEWLINK, body


def _name(text):
    return IFLA_IFNAME, text.encode() + b"\0"


def _mtu(n):
    return IFLA_MTU, struct.pack("<I", n)


@pytest.fixture(scope="module")
def occurrences():
    """seq 1: no name, no mtu; 2: "a", 1500; 3: "a" and "b", 1500 and 9000; 4: "b" twice, 9000 twice."""
    return _messages(_link(), _link(_name("a"), _mtu(1500)), _link(_name("a"), _name("b"), _mtu(1500), _mtu(9000)),
                     _link(_name("b"), _name("b"), _mtu(9000), _mtu(9000)))


def _seqs(msgs, text):
    flt = compile_filter(text)
    return [m.seq for m in msgs if flt(m)]


@pytest.mark.parametrize("text,seqs", [
    ('rtnl.link.ifname == "a"', [2, 3]),
    ('rtnl.link.ifname eq "a"', [2, 3]),
    ('rtnl.link.ifname any_eq "a"', [2, 3]),
    ('rtnl.link.ifname != "a"', [4]),          # every occurrence differs; seq 1 has none: false
    ('rtnl.link.ifname ne "a"', [4]),
    ('rtnl.link.ifname all_ne "a"', [4]),
    ('rtnl.link.ifname === "a"', [2]),
    ('rtnl.link.ifname all_eq "a"', [2]),
    ('rtnl.link.ifname !== "a"', [3, 4]),
    ('rtnl.link.ifname any_ne "a"', [3, 4]),
    ('rtnl.link.ifname ~= "a"', [3, 4]),
    ('rtnl.link.ifname > "a"', [3, 4]),        # text orders as Wireshark's, byte by byte
    ("rtnl.link.ifname == b", [3, 4]),         # a bare word is text where the field is text
    ("rtnl.link.mtu != 1500", [4]),
    ("rtnl.link.mtu === 9000", [4]),
    ("rtnl.link.mtu !== 9000", [2, 3]),
    ("rtnl.link.mtu < 2000", [2, 3]),
    ("rtnl.link.mtu in {1500}", [2, 3]),
    ("not rtnl.link.mtu == 1500", [1, 4]),     # only negation holds where the field is not
    ("!(rtnl.link.mtu == 1500)", [1, 4]),
    ("rtnl.link.mtu", [2, 3, 4]),
], ids=str)
def test_operators_quantify_over_occurrences(occurrences, text, seqs):
    assert _seqs(occurrences, text) == seqs


def test_a_missing_field_makes_every_comparison_false(occurrences):
    bare = occurrences[:1]
    for op in ("==", "!=", "===", "!==", "~=", "<", "<=", ">", ">=", "eq", "ne", "any_eq", "all_ne", "all_eq",
               "any_ne", "gt", "lt"):
        assert _seqs(bare, f"rtnl.link.mtu {op} 1500") == [], op
        assert _seqs(bare, f'rtnl.link.ifname {op} "a"') == [], op
    assert _seqs(bare, 'rtnl.link.ifname contains "a"') == _seqs(bare, 'rtnl.link.ifname matches "."') == []


def test_bits_of_a_flags_value_are_there_with_it():
    """As Wireshark shows every bit of ifi_flags: == 0 finds the links that are down, and
    never a message that has no ifi_flags (before: every message without the bit node)."""
    from tests.dissectors.build import nla
    msgs = _messages(_link(flags=IFF_UP), _link(flags=0),
                     (RTM_NEWADDR, struct.pack("<BBBBI", 2, 24, 0, 0, 7) + nla(1, bytes([10, 0, 0, 1]))))
    assert _seqs(msgs, "rtnl.link.flags.up == 0") == [2]
    assert _seqs(msgs, "rtnl.link.flags.up == 1") == _seqs(msgs, "rtnl.link.flags.up") == [1]
    assert _seqs(msgs, "rtnl.link.flags.up != 1") == [2]
    assert _seqs(msgs, "not rtnl.link.flags.up") == [2, 3]
    # the header's own flags are in every message
    assert _seqs(msgs, "netlink.flags.ack == 0") == [1, 2, 3]
    assert _seqs(msgs, "nlscope.malformed == 0") == [1, 2, 3]


@pytest.mark.parametrize("text,seqs", [
    ('rtnl.link.ifname matches "DUMMY"', [1, 2]),
    ('rtnl.link.ifname ~ "^dummy0$"', [1]),
    ('rtnl.link.ifname matches "(?-i)Dummy"', [2]),
    ('rtnl.link.ifname matches "(?-i)dummy"', [1]),
    ('rtnl.link.ifname contains "dummy"', [1]),
    ('rtnl.link.ifname contains "DUMMY"', []),
    ('rtnl.link.ifname == "DUMMY0"', []),
], ids=str)
def test_matches_is_case_insensitive_and_contains_is_not(text, seqs):
    msgs = _messages(_link(_name("dummy0")), _link(_name("Dummy1")))
    assert _seqs(msgs, text) == seqs


@pytest.mark.parametrize("text,at,needle", [
    ("netlink.type == RTM_BOGUS", "RTM_BOGUS", "not among the values of netlink.type"),
    ("netlink.type == RTM_NEWLNK", "RTM_NEWLNK", "did you mean RTM_NEWLINK"),
    ("netlink.type in {RTM_NEWLINK, RTM_BOGUS}", "RTM_BOGUS", "not among the values"),
    ("netlink.error == EBOGUS", "EBOGUS", "not among the values of netlink.error"),
    ("netlink.error == EEXISTS", "EEXISTS", "did you mean EEXIST"),
    ('rtnl.link.mtu == "abc"', '"abc"', "is a number"),
    ('rtnl.link.mtu == "1500"', '"1500"', "is a number"),     # tshark: cannot be converted from a string
    ("rtnl.link.mtu == 10.0.0.1", "10.0.0.1", "is a number"),
    ("netlink.seq == 1.5", "1.5", "not an integer"),
    ('netlink.flags.ack == "yes"', '"yes"', "is a boolean"),
    ("netlink.flags.ack == maybe", "maybe", "is a boolean"),
    ("rtnl.link == 1", "1", "has no value"),
    ('ctnl.ip.v4_dst == "x"', '"x"', "is an IPv4 address"),
    ("ctnl.ip.v4_dst == ::1", "::1", "is an IPv6 address"),
    ("ctnl.ip.v6_dst == 10.0.0.1", "10.0.0.1", "is an IPv4 address"),
    ("netlink.seq contains 1", "contains", "cannot take 'contains'"),
    ('netlink.type matches "LINK"', "matches", "cannot take 'matches'"),
    ('netlink.seq ~ "1"', "~", "cannot take '~'"),
    ("rtnl.link.ifname matches dummy", "dummy", "double quotes"),
    ("rtnl.link.mttu == 1500", "rtnl.link.mttu", "did you mean rtnl.link.mtu"),
    ("netlink.sequ == 1", "netlink.sequ", "did you mean netlink.seq"),
], ids=str)
def test_values_a_field_cannot_have_are_refused_with_a_caret(text, at, needle):
    with pytest.raises(FilterError) as exc:
        compile_filter(text)
    assert needle in exc.value.message, exc.value.message
    assert exc.value.column == text.index(at) + 1, exc.value.message
    assert exc.value.pointer().splitlines()[1].index("^") == text.index(at)


def test_every_type_and_errno_a_capture_shows_is_a_known_name():
    """No false refusal: every message type name, and every errno name, shown in the
    committed captures compiles in `netlink.type == NAME` / `netlink.error == NAME` and
    selects the messages showing it."""
    import re
    names = message_type_names()
    for path in sorted(CAPTURES.glob("*.pcapng")):
        cap = nlscope.open(str(path))
        shown = {w for m in cap for w in re.findall(r"\b[A-Z][A-Z0-9_]{1,}\b", m.type_name or "")}
        assert shown <= names, (path.name, sorted(shown - names))
        errnos = {n.show.split()[0] for m in cap for n in m.tree.find_all("netlink.error") if n.value}
        for e in errnos:
            assert cap.filter(f"netlink.error == {e}"), (path.name, e)


@pytest.fixture(scope="module")
def extack():
    return nlscope.open(str(CAPTURES / "rtnl-extack.pcapng"))


def test_the_readme_error_filter_selects_the_errors(extack):
    # before: 96 of 121 messages, requests included; tshark selects the 11 frames with an error
    errors = extack.filter("netlink.error != 0")
    assert len(errors) == 11
    assert all(m.type_name == "NLMSG_ERROR" for m in errors)


def test_header_filters_stay_index_only():
    fresh = nlscope.open(str(CAPTURES / "rtnl-extack.pcapng"))
    flt = compile_filter("netlink.seq != 0 and netlink.type !== RTM_GETLINK and netlink.pid === 0 "
                         "and netlink.flags.ack == 0 and netlink.seq ~= 3")
    assert flt.fields <= F.HEADER_FIELDS
    assert [m for m in fresh if flt(m)]
    assert not any(m._decoded for m in fresh if m.type >= 0x10)


# --- the same frames as tshark 4.0, on the committed capture --------------------------
# Our names on the left, Wireshark's on the right.  Left out on purpose, where the two differ
# for reasons other than the operators (see the report of issue 15): netlink.hdr_type (Wireshark
# gives rtnetlink messages their own type field: only echoed headers carry hdr_type), fields in
# a request echoed inside an error (Wireshark does not dissect them), netlink.error of an
# NLMSG_DONE (Wireshark shows none), and all_ne / all_eq over a frame of several messages
# (Wireshark quantifies over the frame, nlscope over one message).
_TSHARK = [
    ("netlink.error != 0", "netlink.error != 0"),
    ("netlink.error ne 0", "netlink.error ne 0"),
    ("netlink.error all_ne 0", "netlink.error all_ne 0"),
    ("netlink.error !== 0", "netlink.error !== 0"),
    ("netlink.error ~= 0", "netlink.error ~= 0"),
    ("netlink.error any_ne 0", "netlink.error any_ne 0"),
    ("netlink.error < 0", "netlink.error < 0"),
    ("netlink.error == -17", "netlink.error == -17"),
    ("netlink.type == NLMSG_ERROR and netlink.error == 0", "netlink.hdr_type == 2 and netlink.error == 0"),
    ("netlink.type == NLMSG_ERROR and netlink.error === 0", "netlink.hdr_type == 2 and netlink.error === 0"),
    ("netlink.type == NLMSG_ERROR and netlink.error all_eq 0", "netlink.hdr_type == 2 and netlink.error all_eq 0"),
    ("netlink.seq != 0", "netlink.hdr_seq != 0"),
    ("netlink.seq !== 0", "netlink.hdr_seq !== 0"),
    ("netlink.seq === 0", "netlink.hdr_seq === 0"),
    ("netlink.seq == 0", "netlink.hdr_seq == 0"),
    ("netlink.flags.ack == 0", "netlink.hdr_flags.ack == 0"),
    ("rtnl.link.ifname == dummy0", "netlink-route.ifla_ifname == dummy0"),
    ('rtnl.link.ifname !== "dummy0"', 'netlink-route.ifla_ifname !== "dummy0"'),
    ("rtnl.link.ifname > 3", "netlink-route.ifla_ifname > 3"),
    ('rtnl.link.ifname > "lo"', 'netlink-route.ifla_ifname > "lo"'),
    ('rtnl.link.ifname <= "lo"', 'netlink-route.ifla_ifname <= "lo"'),
    ('rtnl.link.ifname matches "DUMMY"', 'netlink-route.ifla_ifname matches "DUMMY"'),
    ('rtnl.link.ifname ~ "^VETH"', 'netlink-route.ifla_ifname ~ "^VETH"'),
    ('rtnl.link.ifname ~ "(?-i)DUMMY"', 'netlink-route.ifla_ifname ~ "(?-i)DUMMY"'),
    ('rtnl.link.ifname matches "(?-i)dummy"', 'netlink-route.ifla_ifname matches "(?-i)dummy"'),
    ('rtnl.link.ifname contains "DUMMY"', 'netlink-route.ifla_ifname contains "DUMMY"'),
    ('rtnl.link.ifname contains "umm"', 'netlink-route.ifla_ifname contains "umm"'),
    ("rtnl.link.flags.up == 1", "netlink-route.ifi_flags.iff_up == 1"),
]
_REFUSED = ['netlink-route.ifla_mtu == "abc"', 'netlink.hdr_seq contains "1"', 'netlink.hdr_seq matches "1"',
            'netlink.hdr_seq == "1"', "netlink.hdr_seq == 1.5"]


def _tshark(path, text):
    run = subprocess.run(["tshark", "-n", "-r", str(path), "-Y", text, "-T", "fields", "-e", "frame.number"],
                         capture_output=True, text=True, timeout=120)
    return run.returncode, sorted(int(x) for x in run.stdout.split())


needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")


@needs_tshark
@pytest.mark.parametrize("ours,theirs", _TSHARK, ids=[a for a, _ in _TSHARK])
def test_same_frames_as_tshark(extack, ours, theirs):
    rc, frames = _tshark(CAPTURES / "rtnl-extack.pcapng", theirs)
    assert rc == 0
    assert sorted({m.frame for m in extack.filter(ours)}) == frames


@needs_tshark
@pytest.mark.parametrize("theirs", _REFUSED)
def test_refused_as_tshark_refuses(theirs):
    rc, _ = _tshark(CAPTURES / "rtnl-extack.pcapng", theirs)
    assert rc != 0
    ours = theirs.replace("netlink-route.ifla_mtu", "rtnl.link.mtu").replace("netlink.hdr_seq", "netlink.seq")
    with pytest.raises(FilterError):
        compile_filter(ours)
