"""`nlscope read` end to end: columns, -V, -T json, -c, and one-line errors on bad input."""
import gzip
import json
import subprocess
import sys

import pytest

from tests.conftest import CAPTURES, PYROUTE2_PCAP

EXTACK = CAPTURES / "rtnl-extack.pcapng"


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "nlscope", *map(str, args)], capture_output=True, input=stdin)


def test_summary_columns_and_count():
    """-c counts frames, as tshark's does (frame 5 holds two messages); --max-messages counts messages."""
    r = run("read", PYROUTE2_PCAP, "--max-messages", "5")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines[0].split()[:4] == ["No.", "Time", "Protocol", "Dir"]
    assert len(lines) == 6
    assert "RTM_GETLINK" in lines[4] and "REQUEST,DUMP" in lines[4]
    frames = run("read", PYROUTE2_PCAP, "-c", "5").stdout.decode().splitlines()[1:]
    assert [ln.split()[0] for ln in frames] == ["1.1", "2.1", "3.1", "4.1", "5.1", "5.2"]


def test_tshark_style_r_and_extack_info():
    r = run("-r", EXTACK)
    out = r.stdout.decode()
    assert r.returncode == 0
    assert 'ERANGE for RTM_NEWLINK seq' in out and '"integer out of range" [IFLA_GSO_MAX_SIZE]' in out
    assert "EEXIST for RTM_NEWROUTE" in out


def test_verbose_tree():
    r = run("read", "-V", "-c", "3", PYROUTE2_PCAP)
    out = r.stdout.decode()
    assert "Netlink message header" in out and "Flags: 0x0305 (REQUEST, ACK, DUMP)" in out


def test_json_schema():
    r = run("read", "-T", "json", EXTACK)
    objs = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert objs
    keys = {"frame", "msg", "time", "protocol", "type", "flags", "seq", "portid", "direction", "length", "error", "tree"}
    for o in objs:
        assert keys <= o.keys()
    err = next(o for o in objs if o["error"] and o["error"]["name"] == "ERANGE")
    assert err["error"]["extack"]["attr"] == "IFLA_GSO_MAX_SIZE"
    assert err["tree"]["field"] == "netlink"


def test_stdin_and_gzip(tmp_path):
    gz = tmp_path / "c.pcapng.gz"
    gz.write_bytes(gzip.compress(EXTACK.read_bytes()))
    a = run("read", gz).stdout
    b = run("read", "-", stdin=EXTACK.read_bytes()).stdout
    c = run("read", EXTACK).stdout
    assert a == b == c and a


@pytest.mark.parametrize("content,needle", [
    (b"hello, this is not a capture", "not a pcap or pcapng capture"),
    (b"", "empty"),
])
def test_not_a_capture(tmp_path, content, needle):
    p = tmp_path / "x.pcap"
    p.write_bytes(content)
    r = run("read", p)
    err = r.stderr.decode().strip()
    assert r.returncode != 0 and needle in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert r.stdout == b""   # nothing was read: not even the column header


def test_missing_file():
    r = run("read", "/nonexistent/file.pcap")
    assert r.returncode != 0 and "no such file" in r.stderr.decode() and r.stdout == b""


def test_truncated_pcap_keeps_what_came_before(tmp_path):
    data = PYROUTE2_PCAP.read_bytes()
    p = tmp_path / "cut.pcap"
    p.write_bytes(data[:-10])
    r = run("read", p)
    assert r.returncode != 0
    assert "ends inside frame 19" in r.stderr.decode()
    assert r.stdout.decode().count("\n") == 1 + 33  # header line + every message before frame 19


def test_other_link_type(tmp_path):
    import struct
    p = tmp_path / "eth.pcap"
    p.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1) + struct.pack("<IIII", 0, 0, 4, 4) + b"abcd")
    r = run("read", p)
    assert r.returncode != 0 and "link type 1 (Ethernet) is not netlink" in r.stderr.decode()


def test_version_and_help():
    assert run("--version").stdout.decode().startswith("nlscope ")
    h = run("--help").stdout.decode()
    assert "nlmon" in h and "read" in h


@pytest.mark.parametrize("linktype", [113, 276])
def test_cooked_link_types_carry_netlink(tmp_path, linktype):
    """The same frames re-wrapped as LINUX_SLL / LINUX_SLL2 decode exactly as LINKTYPE_NETLINK."""
    import struct
    from nlscope.sources import read_capture
    frames = list(read_capture(str(PYROUTE2_PCAP)))
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype)]
    for fr in frames:
        if linktype == 113:
            cooked = struct.pack(">HHH8sH", 4, 824, 0, b"", fr.protocol) + fr.data
        else:
            cooked = struct.pack(">HHIHBB8s", fr.protocol, 0, 5, 824, 4, 0, b"") + fr.data
        out.append(struct.pack("<IIII", 1, 0, len(cooked), len(cooked)) + cooked)
    p = tmp_path / f"sll{linktype}.pcap"
    p.write_bytes(b"".join(out))
    ours = [l.split(None, 2)[2] for l in run("read", p).stdout.decode().splitlines()[1:]]
    ref = [l.split(None, 2)[2] for l in run("read", PYROUTE2_PCAP).stdout.decode().splitlines()[1:]]
    assert ours == ref and len(ours) == 34


def test_filter_flag_and_bad_filter():
    r = run("read", "-Y", "netlink.error == EEXIST", EXTACK)
    lines = r.stdout.decode().splitlines()
    assert r.returncode == 0 and len(lines) == 2 and "EEXIST for RTM_NEWROUTE" in lines[1]
    bad = run("read", "-Y", "rtnl.link.mtu >", EXTACK)
    err = bad.stderr.decode()
    assert bad.returncode == 2 and "column 16" in err and err.splitlines()[-1].endswith("^")


def test_fields_output():
    r = run("read", "-T", "fields", "-e", "frame.number", "-e", "netlink.type", "-e", "rtnl.link.mtu",
            "-Y", "rtnl.link.mtu == 70000", EXTACK)
    rows = [l.split("\t") for l in r.stdout.decode().splitlines()]
    assert rows and all(row[2] == "70000" for row in rows)
    assert run("read", "-T", "fields", EXTACK).returncode == 2  # -T fields without -e


def test_write_filtered_frames_and_read_back(tmp_path):
    out = tmp_path / "errors.pcapng"
    r = run("read", "-q", "-Y", "netlink.type == NLMSG_ERROR && netlink.error != 0", "-w", out, EXTACK)
    assert r.returncode == 0 and r.stdout == b""
    again = run("read", out).stdout.decode().splitlines()[1:]
    assert len(again) == 11 and all("NLMSG_ERROR" in l for l in again)


def test_stats_and_fields_commands():
    s = run("stats", CAPTURES / "nlscope-test.pcapng").stdout.decode()
    assert "Errors by errno" in s and "EINVAL" in s and "ERANGE" in s
    assert "Transaction latency (ms)" in s and "Rate (messages per" in s
    assert "NLSCOPE_TEST_CMD_DUMP" in s and "Dumps: 1;" in s
    f = run("fields", "rtnl.link.m").stdout.decode().splitlines()
    assert any(l.startswith("rtnl.link.mtu\tuint") for l in f)
    assert all(l.startswith("rtnl.link.m") for l in f)
    allf = run("fields").stdout.decode()
    assert "nlscope.process\tstring" in allf and "netlink.flags.dump\tbool" in allf


def test_two_pass_sees_latency():
    one = run("read", "-Y", "nlscope.latency > 0", EXTACK).stdout.decode().splitlines()
    two = run("read", "-2", "-Y", "nlscope.latency > 0", EXTACK).stdout.decode().splitlines()
    assert len(one) == 1 and len(two) > 40  # one pass: a request is shown before its answer exists


def test_an_answer_says_how_long_after_its_request_it_came_in_one_pass():
    """Wireshark puts the time on the response (dns.time): known in one pass, unlike a
    request's latency."""
    import json
    verbose = run("read", "-V", EXTACK).stdout.decode()
    assert "    Transaction 2: response, complete, request in 3.1, 2.256 ms after it\n" in verbose
    msgs = [json.loads(line) for line in run("read", "-T", "json", EXTACK).stdout.decode().splitlines()]
    by_ref = {f"{m['frame']}.{m['msg']}": m for m in msgs}
    answers = [m for m in msgs if m["transaction"]["role"] == "response"]
    assert answers and all(m["transaction"]["time"] == m["time"] - by_ref[m["transaction"]["request"]]["time"]
                           for m in answers)
    assert all(m["transaction"]["time"] is None for m in msgs if m["transaction"]["role"] != "response")
    fields = run("read", "-2", "-T", "fields", "-e", "nlscope.response_in", "-e", "nlscope.response_to",
                 "-c", "4", EXTACK).stdout.decode()
    assert fields == "2\t\n\t1\n4\t\n\t3\n"


def test_a_filter_may_begin_with_a_minus_as_in_tshark():
    """tshark's getopt takes the word after -Y whatever it is; argparse took '-netlink…' for an option."""
    r = run("read", "-Y", "-netlink.seq < 1", "-c", "2", EXTACK)
    assert r.returncode == 0 and len(r.stdout.decode().splitlines()) == 3, r.stderr
    assert run("read", "-2", "-R", "-netlink.seq > -1", "-Y", "netlink-route", EXTACK).returncode == 0
    r = run("read", "-Y", "-V", EXTACK)   # a forgotten filter: the next word is one, and a bad one
    assert r.returncode == 2 and "bad filter" in r.stderr.decode()


def test_capture_errors_are_one_line():
    r = run("capture", "-i", "nosuch0")
    err = r.stderr.decode().strip()
    assert r.returncode == 2 and "there is no interface nosuch0" in err and len(err.splitlines()) == 1
    r = run("capture", "-i", "lo")
    assert r.returncode == 2 and "is not an nlmon interface" in r.stderr.decode()
    r = run("capture", "-i", "lo", "-a", "forever")
    assert r.returncode == 2 and "duration:SECONDS" in r.stderr.decode()


def test_nlmon_errors_are_one_line():
    r = run("nlmon", "down", "nosuch0")
    assert r.returncode == 2 and "there is no interface nosuch0" in r.stderr.decode()
    r = run("nlmon", "down", "lo")
    assert r.returncode == 2 and "not an nlmon interface; refusing" in r.stderr.decode()


def test_read_holds_memory_flat_however_long_the_capture(tmp_path):
    """One pass of `read -V`, `-T json` and `stats` keeps no tree and no closed transaction:
    ten times the messages, about the same peak (read once grew by 16 KB a message), in
    one process and in each worker of a parallel read."""
    from nlscope.sources import read_capture
    import struct
    frames = [(struct.pack(">HHH8sH", 4, 824, 0, b"", f.protocol) + bytes(f.data)) for f in
              read_capture(str(CAPTURES / "mixed.pcapng"))]
    probe = ("import resource, sys, io\nfrom nlscope.cli import main\nsys.stdout = open('/dev/null', 'w')\n"
             "main(sys.argv[1:])\nsys.stderr.write(str(max(resource.getrusage(w).ru_maxrss for w in "
             "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))))\n")

    def peak_kib(rounds, fmt):
        path = tmp_path / f"r{rounds}.pcap"
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 253))
            for _ in range(rounds):
                for c in frames:
                    f.write(struct.pack("<IIII", 1, 0, len(c), len(c)) + c)
        r = subprocess.run([sys.executable, "-c", probe, *fmt, str(path)], capture_output=True)
        assert r.returncode == 0, r.stderr
        return int(r.stderr.decode().split()[-1])
    saved = str(tmp_path / "kept.pcapng")  # -w with a filter keeping nothing held every frame read
    for fmt, rounds in ((["read", "-V", "-j", "1"], 30), (["read", "-T", "json", "-j", "1"], 30), (["stats"], 300),
                        (["read", "-V", "-j", "2"], 30), (["read", "-w", saved, "-Y", "netlink.seq == 4242"], 1000)):
        small, large = peak_kib(3, fmt), peak_kib(rounds, fmt)
        assert large < small + 20_000, (fmt, small, large)


def test_summaries_pair_only_when_a_filter_asks_for_it():
    """Summaries show no pairing, so `read` makes none; a transaction field in -Y makes it."""
    from nlscope.analysis.filter import TX_FIELDS, compile_filter
    assert compile_filter('netlink.seq == 1 and nlscope.role == "request"').fields == {"netlink.seq", "nlscope.role"}
    assert not compile_filter("netlink.seq == 1").fields & TX_FIELDS
    lines = run("read", "-Y", 'nlscope.role == "no request" or nlscope.role == "response"', EXTACK).stdout.decode()
    rows = lines.splitlines()[1:]
    assert rows and all("K→U" in r for r in rows)
    every = run("read", EXTACK).stdout.decode().splitlines()[1:]
    assert len(rows) == sum("K→U" in r for r in every)


def test_time_column_is_the_captures_whatever_the_filter():
    """As tshark: -t r counts from the capture's first message and -t d from the message
    before, shown or not — so a filtered row shows the time the unfiltered row shows."""
    for mode in ("r", "d"):
        every = {ln.split()[0]: ln.split()[1] for ln in run("read", "-t", mode, EXTACK).stdout.decode().splitlines()[1:]}
        shown = run("read", "-t", mode, "-Y", "netlink.error == ERANGE", EXTACK).stdout.decode().splitlines()[1:]
        assert shown and all(every[ln.split()[0]] == ln.split()[1] for ln in shown)
        assert any(float(ln.split()[1]) > 0 for ln in shown)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_goes_away_ends_the_read_quietly(jobs):
    """`nlscope read … | head`: exit 0, no traceback, whether one process prints or workers do."""
    import os
    # rtnl-deep: 577 frames (workers are forked for it), 9 MB of -V text (far past a pipe's buffer)
    p = subprocess.Popen([sys.executable, "-m", "nlscope", "read", "-V", "-j", jobs, str(CAPTURES / "rtnl-deep.pcapng")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert p.stdout.readline().startswith(b"Message 1.1")
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=60) == 0 and err == b"", err


def _with_a_frame_naming_no_interface(tmp_path):
    """Three frames of rtnl-extack, the second in an EPB naming interface 3 of a section that has one."""
    from nlscope.sources import read_capture
    from tests.nlscope.sources import craft
    frames = [bytes(f.header) + bytes(f.data) for f in list(read_capture(str(EXTACK)))[:3]]
    raw = craft.shb() + craft.idb(253, options=craft.opts((craft.IF_TSRESOL, bytes([9])))) + b"".join(
        craft.epb(3 if i == 1 else 0, 1_700_000_000 * 10**9 + i * 1000, f) for i, f in enumerate(frames))
    path = tmp_path / "noiface.pcapng"
    path.write_bytes(raw)
    return path, frames[1]


def test_a_frame_the_reader_cannot_tie_to_netlink_is_shown_in_its_place(tmp_path):
    """Frame.fault: one summary row whose Info says the fault, its bytes with -V, a "fault"
    key in JSON; -T fields, -q -w and stats say it once on stderr. Never decoded as netlink."""
    path, raw = _with_a_frame_naming_no_interface(tmp_path)
    rows = run("read", path).stdout.decode().splitlines()[1:]
    assert [r.split()[0] for r in rows] == ["1.1", "2", "3.1"]
    assert "UNREADABLE" in rows[1] and "names interface 3" in rows[1] and f"{len(raw)} bytes" in rows[1]
    verbose = run("read", "-V", path).stdout.decode()
    assert f"Frame 2: {len(raw)} bytes" in verbose and raw[:16].hex(" ") in verbose
    objs = [json.loads(x) for x in run("read", "-T", "json", path).stdout.decode().splitlines()]
    assert [o.get("fault") is not None for o in objs] == [False, True, False]
    assert objs[1]["frame"] == 2 and bytes.fromhex(objs[1]["data"]) == raw
    for args in (["-T", "fields", "-e", "frame.number"], ["-q", "-w", tmp_path / "o.pcapng"]):
        r = run("read", *args, path)
        err = r.stderr.decode()
        assert r.returncode == 0 and len(err.splitlines()) == 1 and "1 frame could not be read as netlink" in err
    assert len(run("read", tmp_path / "o.pcapng").stdout.decode().splitlines()) == 3
    s = run("stats", path)
    assert s.returncode == 0 and "could not be read as netlink and are not counted (frame 2" in s.stderr.decode()


def test_show_secrets_reaches_the_decoding_context():
    from nlscope.cli import _context, build_parser
    ap = build_parser()
    for argv in (["read", "x"], ["stats", "x"], ["capture"], ["open", "x"], ["live"]):
        assert ap.parse_args(argv).show_secrets is False
        assert ap.parse_args([*argv, "--show-secrets"]).show_secrets is True
    assert _context(ap.parse_args(["read", "--show-secrets", "x"])).show_secrets is True
    assert _context(ap.parse_args(["read", "x"])).show_secrets is False


def test_show_secrets_prints_the_keys_only_when_asked(tmp_path):
    import struct
    from tests.dissectors.wireguard_frames import PRIVATE_KEY, WG_ID, leaks, newfamily, wg_device
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 253)
    for i, data in enumerate([newfamily(WG_ID, "wireguard"), wg_device()]):
        rec = struct.pack(">HHH8sH", 4, 824, 0, b"", 16) + data
        out += struct.pack("<IIII", 1700000000 + i, 0, len(rec), len(rec)) + rec
    cap = tmp_path / "wg.pcap"
    cap.write_bytes(out)
    for mode in (["-V"], ["-T", "json"], ["-V", "-j", "2"]):
        hidden, shown = run("read", *mode, cap), run("read", *mode, "--show-secrets", cap)
        assert hidden.returncode == shown.returncode == 0
        assert not leaks(hidden.stdout.decode(), PRIVATE_KEY) and leaks(shown.stdout.decode(), PRIVATE_KEY), mode
    assert run("stats", "--show-secrets", cap).returncode == 0


def _run_env(env_extra, *args):
    import os
    return subprocess.run([sys.executable, "-m", "nlscope", *map(str, args)], capture_output=True,
                          env={**os.environ, **env_extra})


def test_specs_named_by_the_environment_are_loaded():
    """NLSCOPE_SPECS names specs as PATH names directories: loaded before any --spec."""
    spec = CAPTURES.parent / "tests" / "dissectors" / "specs" / "order-demo.yaml"
    r = _run_env({"NLSCOPE_SPECS": f"{spec}"}, "fields", "order_demo")
    assert r.returncode == 0, r.stderr
    assert b"order_demo." in r.stdout
    assert b"order_demo." not in run("fields", "order_demo").stdout
    bad = _run_env({"NLSCOPE_SPECS": "/nonexistent/spec.yaml"}, "read", EXTACK)
    assert bad.returncode == 2 and bad.stdout == b""
    assert bad.stderr.decode().count("\n") == 1 and "NLSCOPE_SPECS" in bad.stderr.decode()


def test_open_takes_a_display_filter_and_a_time_format_and_refuses_a_bad_filter_before_the_screen(monkeypatch, capsys):
    """`nlscope open -Y FILTER -t FORMAT FILE` reaches the app; a bad filter is one line, exit 2."""
    from nlscope import cli
    seen = {}

    class App:
        return_code = 0

        def __init__(self, path, genl, **kw):
            seen.update(kw, path=path)

        def run(self):
            pass

    import nlscope.tui.app as tui_app
    monkeypatch.setattr(tui_app, "NlscopeApp", App)
    path = str(CAPTURES / "mixed.pcapng")
    assert cli.main(["open", "-Y", "rtnl.link", "-t", "ud", path]) == 0
    assert seen["display_filter"] == "rtnl.link" and seen["time_format"] == "ud" and seen["path"] == path
    seen.clear()
    assert cli.main(["open", "-Y", "bogus ==", path]) == 2
    assert not seen and "bad filter" in capsys.readouterr().err
