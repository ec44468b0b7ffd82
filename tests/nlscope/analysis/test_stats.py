"""`nlscope stats` over hostile captures: errno-carrying DONEs, timestamps far apart or
garbage, control characters in captured names; bounded memory whatever the capture holds."""
import math
import resource
import struct
import subprocess
import sys

import dissectors
from nlscope.analysis.stats import RATE_BUCKETS, RATE_SHOWN, BoundedCounter, Stats, percentile, percentile_of_counts
from nlscope.analysis.transactions import TransactionTable
from nlscope.cli import main
from nlscope.messages import messages
from nlscope.sources import read_capture
from nlscope.sources.capture import Frame
from nlscope.sources.writer import PcapngWriter
from tests.dissectors.build import msg, nla

NETLINK_SOCK_DIAG, NETLINK_GENERIC = 4, 16
SOCK_DIAG_BY_FAMILY, NLMSG_DONE, NLMSG_ERROR = 20, 3, 2
ENOENT = 2


def write_capture(path, frames):
    """frames: (netlink protocol, bytes, time[, comment]) in order."""
    with open(path, "wb") as f:
        w = PcapngWriter(f)
        for i, (proto, raw, t, *comment) in enumerate(frames, 1):
            w.write(Frame(i, t, raw, proto, len(raw), len(raw), ts_ns=int(t * 1e9) if t >= 0 else 0),
                    comment=comment[0] if comment else None)
    return str(path)


def ss_without_a_family(seq=7):
    """What `ss -a` records when the kernel lacks a socket family: the dump's NLMSG_DONE says -ENOENT."""
    req = msg(SOCK_DIAG_BY_FAMILY, 0x301, bytes([44, 0, 0, 0]) + b"\0" * 52, seq=seq)   # AF_XDP dump
    done = msg(NLMSG_DONE, 0x2, struct.pack("<i", -ENOENT), seq=seq, pid=1234)
    return req, done


def stats_of(path) -> Stats:
    st = Stats()
    table = TransactionTable(keep=False, on_done=st.add_transaction)
    for m in messages(read_capture(path), dissectors.Context(), table):
        st.add(m)
    table.finish()
    return st


def test_done_with_an_errno_is_reported_against_its_request(tmp_path, capsys):
    req, done = ss_without_a_family()
    stray = msg(NLMSG_DONE, 0x2, struct.pack("<i", -ENOENT), seq=99, pid=77)   # its request was not captured
    path = write_capture(tmp_path / "ss.pcapng", [(NETLINK_SOCK_DIAG, req, 1.0), (NETLINK_SOCK_DIAG, done, 1.1),
                                                 (NETLINK_SOCK_DIAG, stray, 1.2)])
    assert main(["stats", path]) == 0
    out = capsys.readouterr().out
    assert "Errors by errno\n  ENOENT                   2" in out
    rows = out.split("Errors by request type\n")[1].splitlines()[:2]
    assert sorted(r.split()[0] for r in rows) == ["(request", "SOCK_DIAG_BY_FAMILY"]
    assert "(request not seen) ENOENT" in " ".join(" ".join(r.split()) for r in rows)


def test_frames_2_to_the_32_seconds_apart_cost_two_buckets(tmp_path):
    ifinfo = struct.pack("<BxHiII", 0, 0, 1, 0, 0)
    req = msg(16, 0x5, ifinfo, seq=3)
    ack = msg(NLMSG_ERROR, 0x100, struct.pack("<i", 0) + req, seq=3, pid=5)
    path = write_capture(tmp_path / "far.pcapng", [(0, req, 1.0), (0, ack, 1.0 + 2 ** 32)])
    # in a child held to 1 GiB and 60 s: a list of every second in between took gigabytes
    r = subprocess.run([sys.executable, "-m", "nlscope", "stats", path], capture_output=True, timeout=60,
                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)))
    assert r.returncode == 0 and not r.stderr, r.stderr[-500:]
    out = r.stdout.decode()
    rate = out.split("Rate (messages per ")[1].splitlines()
    assert rate[0].startswith(f"{-(-(2 ** 32 + 1) // RATE_SHOWN)} s, peak 1")
    assert len(rate[1].strip()) <= RATE_SHOWN and rate[1].strip()[0] == rate[1].strip()[-1] == "█"
    assert "over 4.295e+09 s" in out


class Fake:
    """The face of a message Stats.add reads."""

    def __init__(self, t, family="rtnetlink", type_name="RTM_NEWLINK", process=None):
        self.time, self.family, self.type_name, self.process = t, family, type_name, process
        self.length, self.malformed, self.protocol, self.pid, self.error, self.tx = 20, False, 0, 0, None, None
        self.error_code = 0


def test_rate_histogram_stays_bounded_and_sums_every_message():
    st = Stats()
    n = 50_000
    for i in range(n):
        st.add(Fake(i * 7.3))                      # a new second for every message
    assert len(st.rate.buckets) <= RATE_BUCKETS and st.rate.width > 1
    counts, unit = st.rate.series()
    assert sum(counts) == n and len(counts) <= RATE_SHOWN
    assert unit * len(counts) >= n * 7.3 - 7.3


def test_garbage_timestamps_give_a_sane_report():
    st = Stats()
    for t in (math.nan, math.inf, -math.inf, -5.0, 1e300, 3.0):
        st.add(Fake(t))
    assert st.untimed == 3 and st.first == -5.0 and st.last == 1e300
    text = st.report()
    assert "6 messages, 120 bytes, over 1e+300 s, 3 without a usable timestamp" in text
    line = text.split("Rate (messages per ")[1].splitlines()[1]
    assert len(line.strip()) <= RATE_SHOWN


def test_an_answer_timestamped_before_its_request_gives_no_latency(tmp_path):
    ifinfo = struct.pack("<BxHiII", 0, 0, 1, 0, 0)
    frames = []
    for seq, (t_req, t_ack) in enumerate([(10.0, 10.5), (20.0, 19.0)], 1):
        frames.append((0, msg(16, 0x5, ifinfo, seq=seq), t_req))
        frames.append((0, msg(NLMSG_ERROR, 0x100, struct.pack("<i", 0) + msg(16, 0x5, ifinfo, seq=seq),
                              seq=seq, pid=5), t_ack))
    st = stats_of(write_capture(tmp_path / "back.pcapng", frames))
    assert list(st.latencies) == [0.5] and st.latency_negative == 1
    assert "Transactions left out of the latency: 1 (answer timestamped before its request)" in st.report()


def test_captured_names_are_escaped(tmp_path, capsys):
    """A comm with ESC, BEL and a C1 CSI, a generic-netlink family announced with a newline and an
    erase-screen sequence in its name: shown escaped, no forged line."""
    evil = b"ev\nil\x1b[2J\0"
    newfam = msg(0x10, 0x0, bytes([1, 2, 0, 0]) + nla(2, evil) + nla(1, struct.pack("<H", 0x30)), seq=0, pid=0)
    event = msg(0x30, 0x0, bytes([1, 1, 0, 0]), seq=0, pid=0)
    comment = "nlscope.process pid=42 comm=x\x1b]0;owned\x07\x9b31m"
    path = write_capture(tmp_path / "evil.pcapng", [(NETLINK_GENERIC, newfam, 1.0, comment),
                                                   (NETLINK_GENERIC, event, 1.5, comment)])
    assert main(["stats", path]) == 0
    out = capsys.readouterr().out
    assert all(ch.isprintable() for line in out.splitlines() for ch in line)
    assert "ev\\nil\\e[2J" in out and "x\\e]0;owned\\a\\x9b31m" in out
    assert not any(line.startswith("il") for line in out.splitlines())


def test_counters_itemise_a_bounded_number_of_values():
    c = BoundedCounter(limit=3)
    for k in "abcabcdefa":
        c.count(k)
    assert dict(c) == {"a": 3, "b": 2, "c": 2} and c.other == 3
    st = Stats()
    st.by_process.limit = 2
    for comm in ("a", "b", "c", "d"):
        st.add(Fake(1.0, process=type("P", (), {"comm": comm})()))
    assert "  … and 2 more, not itemised (over 2 distinct values)" in st.report()


def test_percentile_of_counts_is_the_percentile_of_the_list():
    sizes = [0, 0, 1, 3, 3, 3, 7, 18, 18, 250]
    from collections import Counter
    for p in (0, 10, 50, 90, 99, 100):
        assert percentile_of_counts(Counter(sizes), p) == percentile(sorted(sizes), p)
