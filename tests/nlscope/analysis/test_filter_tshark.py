"""Wireshark's names mean what tshark 4.0 makes of them (issue 15): every alias of
filter_aliases.py, on every committed capture, is there in the frames where tshark has it,
with the values tshark prints; and a corpus of Wireshark filters selects the same frames in
tshark and in nlscope (nlscope's matching messages reduced to their frames)."""
import os
import re
import shutil
import subprocess

import pytest

import nlscope
from dissectors import FIELDS, load_families
from nlscope.analysis.filter import FilterError, _occurrences, compile_filter
from nlscope.analysis.filter_aliases import WIRESHARK_ALIASES, alias_of
from tests.conftest import CAPTURES

needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
PATHS = sorted(CAPTURES.glob("*.pcapng"))

# Aliases whose per-frame answer cannot be tshark's, and why.  The test requires these to
# differ somewhere and every other alias to agree everywhere, so the list stays exact.
DIFFERS = {
    "netlink.attr_len": "Wireshark reads the attributes of the nests it decodes only (not IFLA_LINKINFO, nor "
                        "nf_tables'); nlscope lists every attribute it decodes, at any depth",
    "netlink.attr_type": "as netlink.attr_len",
    "netlink.attr_type.nested": "as netlink.attr_len",
    "netlink.attr_type.net_byteorder": "as netlink.attr_len",
    "netlink.hdr_len": "Wireshark reads the zero padding after a frame's last message as a header of length 0",
    "netlink.error": "our own name (kept): nlscope also reads the error of an NLMSG_DONE",
    "genl.cmd": "our own name (kept): the command of every family; Wireshark's only where it has no dissector",
    "genl.version": "our own name (kept): every generic-netlink header, nlscope decodes more families",
    "netlink-netfilter.family": "Wireshark 4.0 reads nfgenmsg only for the subsystems it dissects, not nf_tables'",
    "netlink-netfilter.version": "as netlink-netfilter.family",
    "netlink-netfilter.res_id": "as netlink-netfilter.family",
    "netlink-route.ifi_family": "a request whose body is shorter than ifinfomsg (a 1-byte rtgenmsg)",
    "netlink-route.ifa_family": "a request whose body is shorter than ifaddrmsg (a 1-byte rtgenmsg)",
    **{f"netlink-route.ifa_{m}": "keepalived's RTM_GETADDR dump carries a struct ifinfomsg (24 bytes with "
       "IFLA_EXT_MASK): the kernel (a non-strict socket, inet_dump_ifaddr) reads its family only, as nlscope "
       "does; Wireshark reads it as an ifaddrmsg" for m in ("flags", "index", "prefixlen", "scope")},
    "genl.ctrl.family_name": "nlscope decodes the attributes of the request an NLMSG_ERROR echoes whole (no "
                             "NLM_F_CAPPED: a CTRL_CMD_GETFAMILY of a family not there); Wireshark its header only",
    "netlink-netfilter.ct_attr.id": "Wireshark reads IPCTNL_MSG_CT_GET_STATS_CPU's attributes as a conntrack's "
                                    "(CTA_STATS_ERROR, type 12, as CTA_ID; nfnetlink_conntrack.h)",
    **{f"netlink-route.{f}": "'bridge fdb show' dumps RTM_GETNEIGH AF_BRIDGE with a 16-byte ifinfomsg: "
       "rtnl_fdb_dump reads an ndmsg only when the body is 12 or 20 bytes (valid_fdb_dump_legacy), as nlscope does; "
       "Wireshark reads every RTM_GETNEIGH as an ndmsg" for f in (
        "ifi_type", "ifi_index", "ifi_flags", "ifi_change", "ifi_flags.iff_up", "ifi_flags.iff_broadcast",
        "nd_family", "nd_index", "nd_state", "nd_flags", "nd_type")},
    **{f"netlink-route.{f}": "cangw's RTM_NEWROUTE/GETROUTE of family AF_CAN carry a 4-byte struct rtcanmsg "
       "(can/gw.c), as nlscope reads them; Wireshark reads a 12-byte rtmsg and its attributes 8 bytes late" for f in (
        "rt_family", "rt_dst_len", "rt_src_len", "rt_tos", "rt_table", "rt_protocol", "rt_scope", "rt_type",
        "rt_flags", "rta_attr_type")},
}
# aliases of the frame's cooked header: once a frame in tshark, once a message in nlscope, so
# compared for presence only (every other alias is compared value by value)
PRESENCE_ONLY = {"netlink.family", "netlink.hatype"}


def test_every_alias_reads_a_field_we_have():
    load_families()
    for alias in WIRESHARK_ALIASES.values():
        assert alias.target is None or alias.target in FIELDS or alias.target.startswith("netlink."), alias
        assert alias.kind and alias.desc
    assert "netlink-route.ifla_ifname" in alias_of("rtnl.link.ifname")
    assert alias_of("rtnl.link.mtu") == ["netlink-route.ifla_mtu"]


def _tshark_fields(path, names):
    cmd = ["tshark", "-n", "-r", str(path), "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;",
           "-E", "separator=|", "-e", "frame.number"]
    for n in names:
        cmd += ["-e", n]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    out = {}
    for line in run.stdout.splitlines():
        cells = line.split("|")
        out[int(cells[0])] = cells[1:]
    return out


def _ours(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex(":")
    return str(value)


def _theirs(value: str) -> str:
    """tshark's text of a value as ours: its hex integers (0x0008) in decimal."""
    if re.fullmatch(r"0x[0-9a-fA-F]+", value):
        return str(int(value, 16))
    return value


def _compare_aliases(presence_only=PRESENCE_ONLY):
    """{alias: [(capture, frame, tshark's, ours)]} of every frame where they disagree."""
    names = sorted(WIRESHARK_ALIASES)
    wrong: dict[str, list] = {}
    for path in PATHS:
        theirs = _tshark_fields(path, names)
        cap = nlscope.open(str(path))
        per_frame: dict[int, list] = {}
        for m in cap:
            per_frame.setdefault(m.frame, []).append(m)
        for i, name in enumerate(names):
            get = _occurrences(name)
            for frame, cells in theirs.items():
                want = [v for v in cells[i].split(";") if v != ""] if cells[i] else []
                got = [v for m in per_frame.get(frame, ()) for v, _ in get(m, {})]
                if bool(want) != bool(got):
                    wrong.setdefault(name, []).append((path.name, frame, want[:4], got[:4]))
                elif want and name not in presence_only and sorted(map(_theirs, want)) != sorted(map(_ours, got)):
                    wrong.setdefault(name, []).append((path.name, frame, want[:4], [_ours(v) for v in got][:4]))
    return wrong


@needs_tshark
def test_aliases_are_where_tshark_has_them_with_its_values():
    wrong = _compare_aliases()
    unexpected = {k: v[:3] for k, v in wrong.items() if k not in DIFFERS}
    assert not unexpected, unexpected
    assert set(DIFFERS) <= set(wrong), sorted(set(DIFFERS) - set(wrong))


# --- the corpus: Wireshark filters, run by tshark and by nlscope --------------------------
# Compared on every frame of the capture.
CORPUS = [
    # header fields, every operator and its names
    "netlink.hdr_seq == 0", "netlink.hdr_seq eq 0", "netlink.hdr_seq ~= 0", "netlink.hdr_seq any_ne 0",
    "netlink.hdr_seq !== 0", "netlink.hdr_pid > 0", "netlink.hdr_pid gt 0", "netlink.hdr_len >= 100",
    "netlink.hdr_len ge 100", "netlink.hdr_len > 52", "netlink.hdr_len == 0x20", "netlink.hdr_len == 040",
    "netlink.hdr_type == 2", "netlink.hdr_type == 3", "netlink.error < 0", "netlink.error == -17",
    "netlink.hdr_type == 2 && netlink.error == 0", "netlink.hdr_flags.ack == 1", "netlink.hdr_flags.request == 0",
    "netlink.hdr_flags.create == 1", "netlink.hdr_flags.excl", "netlink.hdr_flags.root == 1",
    "netlink.hdr_flags.multi == 1 && netlink.hdr_flags.request == 0",
    # the capture record's lengths (link-layer header included)
    "frame.len > 100", "frame.cap_len == frame.len", "frame.len >= 100 && frame.len < 200", "frame.comment",
    "frame.interface_id == 0", "frame.interface_id != 0",
    # any, sets, ranges, not in
    "any netlink.hdr_len == 32", "netlink.hdr_len in {32, 52}", "netlink.hdr_len in {30..40, 52}",
    "netlink.hdr_seq in {0, 1795840756..1795840760}", "netlink-route.ifla_ifname in {dummy0, \"lo\"}",
    "netlink-route.ifla_ifname not in {\"x\"}", "netlink.hdr_seq < 100", "netlink.hdr_seq lt 100",
    "netlink.hdr_seq <= 0", "netlink.hdr_seq le 0",
    # functions, slices, bitwise and arithmetic
    "len(netlink-route.ifla_ifname) == 6", "max(netlink.hdr_len) > 100", "abs(netlink.error) == 17",
    "-netlink.error == 17", "upper(netlink-route.ifla_ifname) == \"DUMMY0\"",
    "lower(netlink-route.ifla_ifname) == \"dummy0\"", "string(netlink.hdr_seq) == \"0\"",
    "string(netlink.error) == \"-17\"", "string(netlink.hdr_seq) contains \"17958\"",
    "netlink-route.ifla_ifname[0:2] == \"du\"", "netlink-route.ifla_ifname[0] == 64",
    "netlink-route.ifla_ifname[1:] == \"ummy0\"", "netlink-route.ifla_ifname[-1] == 30",
    "netlink-route.ifla_ifname[2-3] == \"mm\"", "netlink-route.ifla_ifname[0:2] == 64:75",
    "netlink-route.ifla_ifname[0:2]", "netlink.hdr_flags & 0x4", "netlink.hdr_flags & 0x4 == 4",
    "netlink.hdr_flags bitwise_and 0x4", "netlink.hdr_seq bitwise_and 1 == 1",
    "netlink.hdr_seq & 1 == 1", "netlink.hdr_len + 4 == 36", "netlink.hdr_len - 4 == 28",
    "netlink.hdr_len * 2 == 64", "netlink.hdr_len / 2 == 16", "netlink.hdr_len % 5 == 2",
    "netlink.hdr_len > 4*8", "netlink.hdr_len + netlink.hdr_len == 64", "netlink-route.ifla_mtu > netlink.hdr_len",
    "netlink.hdr_seq > netlink.hdr_pid",
    # text: matches, contains, order
    "netlink-route.ifla_ifname matches \"DUMMY\"", "netlink-route.ifla_ifname ~ \"(?-i)dummy\"",
    "netlink-route.ifla_ifname contains \"umm\"", "netlink-route.ifla_ifname > \"lo\"",
    # route, genl and netfilter fields with a Wireshark name
    "netlink-route.nltype == 16", "netlink-route.ifi_flags.iff_up == 1", "netlink-route.ifi_flags.iff_up",
    "netlink-route.ifla_mtu == 1500", "netlink-route.ifa_prefixlen == 24", "netlink-route.rt_table == 254",
    "netlink-route.rta_oif", "netlink-route.nd_state == 128", "genl.ctrl.family_name == \"nl80211\"",
    "genl.ctrl.family_name contains \"80211\"", "genl.ctrl.cmd == 1", "genl.ctrl.op_flags.cmd_cap_dump == 1",
    "genl.family_id == 0x10", "netlink.family == 0", "netlink.family == 16",
    # frame fields
    "frame.number <= 10", "frame.number in {1, 3..5}", "frame.time_epoch > 1795840757",
    "frame.time_relative < 0.01", "frame.time_relative > 1.5 and frame.time_relative < 2",
    "frame.time_delta > 0.5", "frame.time_delta_displayed == 0",
    "frame.time_delta_displayed > 0.1 || frame.number < 3",
    # a protocol's name alone, raw strings, a leading dot, a filter that begins with '-'
    "netlink-route", "not netlink-route", "netlink-netfilter", "netlink-sock_diag", "nl80211 || netlink-route",
    "netlink-route && netlink.hdr_seq == 0", "netlink-route.ifla_ifname == r\"dummy0\"",
    "netlink-route.ifla_ifname matches r\"^dumm\\w\\d$\"", ".netlink.hdr_seq == 0", "-netlink.hdr_seq < 1",
    # protocols as the bytes they cover: the frame, netlink's cooked header (what `contains`
    # searches runs to the frame's end), each rtnetlink message
    "frame", "netlink", "frame contains \"dummy\"", "frame contains 6c:6f", "frame[16:4] == 2c:00:00:00",
    "frame[0:2] == 00:04", "len(frame) > 100", "frame matches \"dum+y\"", "frame matches \"(?i)DUMMY0\"",
    "netlink[0:2] == 00:04", "netlink[14:2] == 00:00", "len(netlink) == 16", "netlink contains 6c:6f",
    "netlink matches \"lo\"", "netlink-route[4:2] == 10:00", "netlink-route[0:1] == 20",
    "netlink-route[-4:4] == 00:00:00:00", "netlink-route[16:] contains \"dummy\"", "len(netlink-route) == 32",
    "netlink-route contains \"dummy\"", "netlink-route matches \"^\\x2c\"", "frame[16:2] == netlink-route[0:2]",
    # logic
    "netlink.hdr_len == 32 or netlink.hdr_seq == 0",
    "(netlink.hdr_len == 32 || netlink.hdr_len == 52) && !(netlink.hdr_type == 2)",
]
# Compared on the frames that hold one netlink message: Wireshark quantifies over a frame's
# occurrences, nlscope over one message's, so where a frame holds several messages `!=`,
# `===`, `all`, `count()`, `max()` … read different sets (nlscope's answer is the one for
# each message; see the README).
PER_MESSAGE = [
    "netlink.hdr_seq != 0", "netlink.hdr_seq ne 0", "netlink.hdr_seq === 0", "netlink.hdr_seq all_eq 0",
    "all netlink.hdr_len == 32", "all netlink.hdr_len != 32", "netlink.hdr_len not in {32, 52}",
    "netlink.hdr_len !in {32}", "count(netlink.hdr_seq) == 2", "count(netlink.hdr_seq) == 2 and "
    "max(netlink.hdr_len) == 52", "max(netlink.hdr_len, 40) == 40", "min(netlink.hdr_len, netlink.hdr_seq) == 32",
    "netlink-route.ifla_mtu != 1500", "all netlink.hdr_len in {32}", "netlink-route.ifla_ifname !in {\"lo\"}",
    "!(netlink.hdr_len in {32})",
]
# filters tshark 4.0 refuses: nlscope refuses them too
REFUSED = [
    "netlink.hdr_len == 32 xor netlink.hdr_seq == 0", "netlink.hdr_len in {32 52}", "netlink.hdr_len in {\"32\"}",
    "upper(netlink.hdr_len) == 2", "abs(-5) == 5", "netlink.hdr_len[0] == 32", "netlink-route.ifla_mtu == \"abc\"",
    "netlink.hdr_seq contains \"1\"", "netlink.hdr_seq matches \"1\"", "netlink.hdr_seq == 1.5",
    "len(netlink-route.ifla_ifname)", "count(netlink.hdr_len)", "netlink.bogus == 1",
]
# netfilter and sock_diag fields with a Wireshark name, on the captures that have them
NF_CORPUS = [
    "netlink-netfilter.nfct_tuple.proto.num == 17", "netlink-netfilter.nfct_tuple.ip.ip_addr == 127.0.0.1",
    "netlink-netfilter.nfct_tuple.proto.dst_port in {53, 69}", "netlink-netfilter.ct_attr.status.confirmed == 1",
    "netlink-netfilter.ct_attr.status & 0x8", "netlink-netfilter.ct_attr.timeout > 100",
    "netlink-netfilter.nfexp.timeout > 0", "netlink-netfilter.queue.packet.id == 1",
    "netlink-netfilter.ipset.setname == \"nlsips\"", "netlink-netfilter.ipset.typename contains \"hash\"",
    "netlink-sock_diag.nltype == 20", "netlink-sock_diag.inet_protocol == 6",
    "netlink-sock_diag.netlink_protocol == 255", "netlink-netfilter.queue.config.command.command == 1",
    "netlink-netfilter", "netlink-sock_diag", "netlink-netfilter and not netlink-sock_diag",
    "netlink-netfilter[4:1] == 0a", "netlink-sock_diag[4:2] == 14:00", "len(netlink-sock_diag) > 100",
    "netlink-netfilter contains \"nlsips\"",
]
CORPUS_CAPTURES = ["rtnl-extack.pcapng", "mixed.pcapng"]
NF_CAPTURES = ["nf-diag.pcapng", "objects.pcapng"]


def _tshark_frames(path, text):
    """tshark -Y's answer to one filter on one capture: (its exit status, the frames shown)."""
    run = subprocess.run(["tshark", "-n", "-r", str(path), "-Y", text, "-T", "fields", "-e", "frame.number"],
                         capture_output=True, text=True, timeout=120)
    return run.returncode, sorted(int(x) for x in run.stdout.split())


# Every filter as a tap listener of one tshark pass (its Lua Listener, which compiles the filter
# as -Y does and is called with each frame the filter matches), printing at the end, per
# filter, "N:" and the frames it matched, or "N:refused".  One pass a capture instead of one a
# filter: tshark's start (~0.4 s) was most of the corpus's time.
TAPS_LUA = """
local filters = {%s}
local hits = {}
for i, text in ipairs(filters) do
    local ok, tap = pcall(Listener.new, nil, text)
    if ok then
        hits[i] = {}
        function tap.packet(pinfo) table.insert(hits[i], pinfo.number) end
    else
        hits[i] = false
    end
end
local report = Listener.new()
function report.draw()
    for i = 1, #filters do
        io.write(i, ":", hits[i] and table.concat(hits[i], ",") or "refused", "\\n")
    end
end
"""
# filters whose answer depends on which frames -Y displays (a tap sees every frame displayed):
# still asked of -Y, one run each
DISPLAY_DEPENDENT = "_displayed"


def _tshark_taps(path, filters, tmp_dir) -> dict[str, tuple[int, list[int]]]:
    """tshark's answer to each filter on `path` from one pass: {filter: (0, frames)}, or
    (1, []) for a filter tshark refuses, as _tshark_frames answers."""
    assert all("]==]" not in f and "\n" not in f for f in filters)
    script = tmp_dir / "taps.lua"
    script.write_text(TAPS_LUA % ", ".join(f"[==[{f}]==]" for f in filters))
    run = subprocess.run(["tshark", "-n", "-q", "-r", str(path), "-X", f"lua_script:{script}"],
                         capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(tmp_dir)})
    assert run.returncode == 0, run.stderr
    lines = dict(line.split(":", 1) for line in run.stdout.splitlines() if ":" in line)
    assert set(lines) == {str(i) for i in range(1, len(filters) + 1)}, run.stdout[-2000:] + run.stderr
    return {f: (1, []) if lines[str(i)] == "refused" else (0, sorted(int(x) for x in lines[str(i)].split(",") if x))
            for i, f in enumerate(filters, 1)}


class TsharkAnswers:
    """tshark's frames for the filters of a module, one tap pass a capture, asked on first use."""

    def __init__(self, filters, tmp_dir):
        self.filters = [f for f in filters if DISPLAY_DEPENDENT not in f]
        self.tmp_dir = tmp_dir
        self.by_capture: dict[str, dict] = {}

    def frames(self, name, text):
        if DISPLAY_DEPENDENT in text:
            return _tshark_frames(CAPTURES / name, text)
        if name not in self.by_capture:
            self.by_capture[name] = _tshark_taps(CAPTURES / name, self.filters, self.tmp_dir)
        return self.by_capture[name][text]


@pytest.fixture(scope="module")
def tshark_answers(tmp_path_factory):
    return TsharkAnswers(CORPUS + PER_MESSAGE + NF_CORPUS + REFUSED, tmp_path_factory.mktemp("tshark-taps"))


@pytest.fixture(scope="module")
def corpus_caps():
    return {name: nlscope.open(str(CAPTURES / name)) for name in CORPUS_CAPTURES}


@pytest.fixture(scope="module")
def nf_caps():
    return {name: nlscope.open(str(CAPTURES / name)) for name in NF_CAPTURES}


def test_the_corpus_is_large_enough():
    assert len(CORPUS) + len(PER_MESSAGE) >= 60 and len(CORPUS) >= 60


def _same_frames(caps, text, single_only, tshark):
    matched = False
    for name, cap in caps.items():
        rc, frames = tshark.frames(name, text)
        assert rc == 0, (name, text)
        flt = compile_filter(text)
        ours = {m.frame for m in cap if flt(m)}
        theirs = set(frames)
        if single_only:
            per_frame: dict[int, int] = {}
            for m in cap:
                per_frame[m.frame] = per_frame.get(m.frame, 0) + 1
            single = {f for f, n in per_frame.items() if n == 1}
            ours, theirs = ours & single, theirs & single
        assert ours == theirs, (name, sorted(ours ^ theirs)[:10])
        matched |= bool(theirs)
    return matched


@needs_tshark
@pytest.mark.parametrize("text", CORPUS)
def test_same_frames_as_tshark(corpus_caps, tshark_answers, text):
    _same_frames(corpus_caps, text, single_only=False, tshark=tshark_answers)


@needs_tshark
@pytest.mark.parametrize("text", NF_CORPUS)
def test_same_frames_as_tshark_netfilter_and_sock_diag(nf_caps, tshark_answers, text):
    assert _same_frames(nf_caps, text, single_only=False, tshark=tshark_answers), \
        "the filter matches nothing: it tests nothing"


@needs_tshark
@pytest.mark.parametrize("text", PER_MESSAGE)
def test_same_frames_as_tshark_where_a_frame_is_one_message(corpus_caps, tshark_answers, text):
    _same_frames(corpus_caps, text, single_only=True, tshark=tshark_answers)


@needs_tshark
@pytest.mark.parametrize("text", REFUSED)
def test_refused_as_tshark_refuses(tshark_answers, text):
    rc, _ = tshark_answers.frames("classic.pcapng", text)
    assert rc != 0, text
    with pytest.raises(FilterError):
        compile_filter(text)


@needs_tshark
def test_one_tap_pass_answers_as_minus_Y_does(tmp_path):
    """The tap pass stands for one `tshark -Y` a filter: on a sample of each list (each filter
    was compared so once, on every capture, when the pass replaced them), the two give the same
    frames, and refuse the same filters."""
    for name, filters in (("rtnl-extack.pcapng", CORPUS[::30] + PER_MESSAGE[::8]),
                          ("nf-diag.pcapng", NF_CORPUS[:1]), ("classic.pcapng", REFUSED[:1])):
        filters = [f for f in filters if DISPLAY_DEPENDENT not in f]
        taps = _tshark_taps(CAPTURES / name, filters, tmp_path)
        for text in filters:
            rc, frames = _tshark_frames(CAPTURES / name, text)
            assert taps[text] == ((0, frames) if rc == 0 else (1, [])), (name, text)
