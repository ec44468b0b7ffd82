"""Wireshark 4.0's filter constructs (issue 15): functions, slices, arithmetic and bitwise &,
`any`/`all`, `not in`, comma-separated sets, frame.* fields, Wireshark's netlink names and
the dual netlink.family — on messages made here, so each answer is known exactly."""
import struct

import pytest

from nlscope.analysis import filter as F
from nlscope.analysis.filter import FilterError, compile_filter
from nlscope.analysis.filter_aliases import WIRESHARK_ALIASES, alias_of

IFLA_IFNAME, IFLA_MTU, RTM_NEWLINK, NLMSG_ERROR = 3, 4, 16, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 0x1, 0x4, 0x200, 0x400


def _frames(*specs):
    """Messages of frames made here: each spec is (time, [(type, flags, body), …]); seq = 1, 2 …"""
    from nlscope.messages import messages
    from nlscope.sources.capture import Frame
    from tests.dissectors.build import msg
    frames, seq = [], 0
    for i, (t, bodies) in enumerate(specs):
        data = b""
        for mtype, flags, body in bodies:
            seq += 1
            data += msg(mtype, flags, body, seq=seq)
        frames.append(Frame(i + 1, t, data, 0, len(data), len(data)))
    return list(messages(frames))


def _link(name=None, mtu=None, ifflags=0):
    from tests.dissectors.build import nla
    body = struct.pack("<BBHiII", 0, 0, 1, 7, ifflags, 0)
    if name is not None:
        body += nla(IFLA_IFNAME, name.encode() + b"\0")
    if mtu is not None:
        body += nla(IFLA_MTU, struct.pack("<I", mtu))
    return body


@pytest.fixture(scope="module")
def links():
    """frame 1: dummy0 mtu 1500; 2: VETH1 mtu 9000; 3: no name; 4: an error echoing frame 1's request."""
    req = _link("dummy0", 1500)
    error = struct.pack("<i", -17) + struct.pack("<IHHII", 16 + len(req), RTM_NEWLINK,
                                                  NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, 1, 0)
    return _frames((10.0, [(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, req)]),
                   (10.5, [(RTM_NEWLINK, 0, _link("VETH1", 9000, ifflags=1))]),
                   (12.0, [(RTM_NEWLINK, NLM_F_REQUEST, _link())]),
                   (12.25, [(NLMSG_ERROR, 0, error)]))


def _frames_of(msgs, text):
    flt = compile_filter(text)
    return sorted({m.frame for m in msgs if flt(m)})


@pytest.mark.parametrize("text,frames", [
    ("len(rtnl.link.ifname) == 6", [1]),
    ("len(netlink-route.ifla_ifname) > 5", [1]),
    ("count(rtnl.link.ifname) == 1", [1, 2]),
    ("count(rtnl.link.ifname) == 0", []),                 # as Wireshark: no field, no count
    ('upper(rtnl.link.ifname) == "DUMMY0"', [1]),
    ('lower(rtnl.link.ifname) == "veth1"', [2]),
    ('string(rtnl.link.mtu) == "9000"', [2]),
    ('string(netlink.seq) contains "3"', [3]),
    ("abs(netlink.error) == 17", [4]),
    ("-netlink.error == 17", [4]),
    ("- netlink.error == 17", [4]),
    ("max(rtnl.link.mtu, 2000) == 2000", [1, 3, 4]),     # as tshark: the constant where the field is not
    ("min(rtnl.link.mtu) < 2000", [1]),
    ('rtnl.link.ifname[0:2] == "du"', [1]),
    ("rtnl.link.ifname[0] == 64", [1]),                   # a byte, as Wireshark reads it: 0x64 = "d"
    ("rtnl.link.ifname[0:2] == 64:75", [1]),
    ('rtnl.link.ifname[1:] == "ummy0"', [1]),
    ('rtnl.link.ifname[-1] == 31', [2]),                  # "1"
    ('rtnl.link.ifname[2-3] == "mm"', [1]),
    ("rtnl.link.ifname[0:2]", [1, 2]),
    ("netlink.flags & 0x4", [1]),
    ("netlink.flags & 0x4 == 4", [1]),
    ("netlink.seq & 1 == 1", [1, 3]),
    ("rtnl.link.mtu / 7 == 214", [1]),                    # integer division
    ("-netlink.error / 2 == 8", [4]),
    ("netlink.error / 2 == -8", [4]),                     # C's division truncates toward zero
    ("netlink.error % 5 == -2", [4]),
    ("rtnl.link.mtu + 500 == 2000", [1]),
    ("rtnl.link.mtu * 2 > 4*1000", [2]),
    ("rtnl.link.mtu > netlink.len", [1, 2]),
    ("netlink.seq == netlink.seq", [1, 2, 3, 4]),
    ("any rtnl.link.mtu == 1500", [1]),
    ("all rtnl.link.mtu == 1500", [1]),
    ("rtnl.link.mtu not in {1500}", [2, 3, 4]),          # not (f in …): true where f is not
    ("rtnl.link.mtu !in {1500, 9000}", [3, 4]),
    ("rtnl.link.mtu in {1000..2000, 9000}", [1, 2]),
    ("netlink.family == 0", [1, 2, 3, 4]),               # a number: the protocol number
    ('netlink.family == "rtnetlink"', [1, 2, 3, 4]),     # text: the Protocol column
    ("netlink.family == rtnetlink", [1, 2, 3, 4]),
    ("netlink.family == 16", []),
    ("frame.time_epoch > 11", [3, 4]),
    ("frame.time_relative >= 2", [3, 4]),
    ("frame.time_delta > 1", [3]),
    ("frame.time_delta_displayed == 0", [1]),            # 0 before a frame was shown, then since it
    ("frame.time_delta_displayed > 0.4 or frame.number == 1", [1, 2, 3]),
])
def test_wireshark_4_constructs(links, text, frames):
    assert _frames_of(links, text) == frames


@pytest.mark.parametrize("text,frames", [
    ("netlink.hdr_seq == 1", [1, 4]),                    # the echoed request's header too
    ("netlink.hdr_len == 52", [1, 2, 4]),
    ("netlink.hdr_type == 16", [4]),                     # only an echoed header: rtnetlink's is nltype
    ("netlink.hdr_type == 2", [4]),
    ("netlink-route.nltype == 16", [1, 2, 3]),
    ("netlink.hdr_flags.excl", [1, 4]),                  # there only for a request with modifier bits
    ("netlink.hdr_flags.excl == 1", [1, 4]),
    ("netlink.hdr_flags.ack", [1, 2, 3, 4]),             # a bitmask field: there with its header, 0 or 1
    ("netlink.hdr_flags.ack == 0", [2, 3, 4]),
    ("count(netlink.hdr_flags) == 3", [4]),              # the echoed request's read as GET and as NEW
    ("netlink-route.ifi_flags.iff_up", [1, 2, 3]),      # FT_BOOLEAN alone: there, true or false
    ("netlink-route.ifi_flags.iff_up == 1", [2]),
    ('netlink-route.ifla_ifname == "dummy0"', [1]),      # not the request an error echoes
    ("netlink-route.ifla_mtu >= 9000", [2]),
    ("netlink.attr_len == 8", [1, 2]),
    ("netlink.attr_type == 3", [1, 2]),
])
def test_wireshark_names(links, text, frames):
    assert _frames_of(links, text) == frames


@pytest.mark.parametrize("text,needle", [
    ("netlink.seq in {1 2}", "expected ','"),
    ("rtnl.link.mtu == 1 xor netlink.seq == 1", "'xor' is not an operator"),
    ("len(rtnl.link.ifname)", "must be compared"),
    ("count(rtnl.link.ifname)", "must be compared"),
    ("upper(rtnl.link.mtu) == 1", "only text fields"),
    ("len(rtnl.link.mtu) == 4", "len() of a number"),
    ("abs(-5) == 5", "expected a field name"),
    ("5 == netlink.seq", "expected a field name"),
    ("netlink.seq[0] == 1", "cannot be sliced"),
    ("rtnl.link.ifname[1:2:3] == 1", "bad slice"),
    ("rtnl.link.ifname + 1 == 2", "'+' takes numbers"),
    ('netlink.hdr_seq == "1"', "is a number"),
    ("netlink.hdr_type == RTM_NEWLINK", "is not a number"),   # as tshark: Wireshark's names take numbers
    ("netlink.family == 10.0.0.1", "protocol number or name"),
    ("netlink-route.ifla_ifnam == 1", "did you mean netlink-route.ifla_ifname"),
    ("- " * 100 + "netlink.seq == 1", "nested more than"),
    ("max(" * 100 + "netlink.seq" + ")" * 100 + " == 1", "nested more than"),
    ("netlink.seq" + " + 1" * 100 + " == 1", "arithmetic operators"),
])
def test_refused_with_a_reason(text, needle):
    with pytest.raises(FilterError) as exc:
        compile_filter(text)
    assert needle in exc.value.message, exc.value.message


def test_frame_clock_needs_the_messages_in_order(links):
    flt = compile_filter("frame.time_delta > 1")
    assert flt.stateful and not compile_filter("frame.time_epoch > 1").stateful
    assert [m.frame for m in links if flt(m)] == [3]
    assert flt.fields <= F.HEADER_FIELDS


def test_header_aliases_are_header_fields():
    flt = compile_filter("netlink.hdr_seq == 1 and netlink-route.nltype == 16 and netlink.hdr_flags.ack == 1")
    assert flt.fields <= F.HEADER_FIELDS


def test_alias_table_api():
    a = WIRESHARK_ALIASES["netlink-route.ifla_mtu"]
    assert (a.name, a.target, a.kind) == ("netlink-route.ifla_mtu", "rtnl.link.mtu", "uint") and a.desc
    assert WIRESHARK_ALIASES["netlink.attr_type"].target is None      # computed
    assert alias_of("netlink.seq") == ["netlink.hdr_seq"]
    assert alias_of("no.such.field") == []


def test_wireshark_names_work_in_fields_output(links):
    from nlscope.output import FieldsPrinter
    printer = FieldsPrinter(["netlink-route.ifla_ifname", "netlink.hdr_seq"])
    assert [printer.line(m) for m in links] == ["dummy0\t1", "VETH1\t2", "\t3", "\t4,1"]
