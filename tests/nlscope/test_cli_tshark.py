"""tshark's habits in `nlscope read` (issue 15), each held against what tshark 4.0 itself does
on the committed captures: -c counts frames, -e needs -T fields, -R needs -2, -E, -x, -O,
-T ek, -z io,stat; and nlscope's own: -z netlink,*, colour, the progress line, columns that
follow their content, --columns, the Wireshark names in `nlscope fields`."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import CAPTURES

EXTACK = CAPTURES / "rtnl-extack.pcapng"
DEEP = CAPTURES / "rtnl-deep.pcapng"   # frames of several messages (dumps)


def run(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "nlscope", *map(str, args)], capture_output=True, input=stdin,
                          env={**os.environ, **(env or {})})


def tshark(*args):
    assert shutil.which("tshark"), "tshark missing: tools/run-tests installs it"
    r = subprocess.run(["tshark", "-n", *map(str, args)], capture_output=True, env={**os.environ, "HOME": "/tmp"})
    return r


def frames_of(out: bytes) -> list[int]:
    """The frame numbers of summary rows (No. is frame.message), each once, in order."""
    seen = []
    for line in out.decode().splitlines()[1:]:
        f = int(line.split()[0].split(".")[0])
        if not seen or seen[-1] != f:
            seen.append(f)
    return seen


def one_line_error(r) -> str:
    err = r.stderr.decode()
    assert r.returncode == 2 and len(err.splitlines()) == 1 and err.startswith("nlscope: "), err
    assert "Traceback" not in err and r.stdout == b""
    return err


# --- -c, -e, -R, -l, -n ---------------------------------------------------------------------------

@pytest.mark.parametrize("count,flt", [(7, None), (40, None), (0, None), (30, "netlink.error != 0"),
                                       (200, "netlink.error != 0")])
def test_c_counts_frames_read_as_tshark(count, flt):
    """-c N stops after N frames read, shown or not (with -Y too): the frames shown are tshark's."""
    for path in (DEEP, EXTACK):
        extra = ["-Y", flt] if flt else []
        ours = frames_of(run("read", "-c", count, *extra, path).stdout)
        theirs = tshark("-r", path, "-c", count, *extra, "-T", "fields", "-e", "frame.number").stdout.split()
        assert ours == [int(x) for x in theirs], (path.name, count, flt)


def test_max_messages_counts_messages_shown():
    rows = run("read", "--max-messages", "3", "-Y", "netlink.error != 0", EXTACK).stdout.decode().splitlines()[1:]
    assert len(rows) == 3 and all("NLMSG_ERROR" in r for r in rows)
    deep = run("read", "--max-messages", "5", DEEP).stdout.decode().splitlines()[1:]
    assert len(deep) == 5 and len(frames_of(run("read", "-c", "5", DEEP).stdout)) == 5


def test_e_without_fields_is_refused_as_tshark_refuses_it():
    assert tshark("-r", EXTACK, "-e", "frame.number").returncode != 0
    err = one_line_error(run("read", "-e", "frame.number", EXTACK))
    assert "-T fields" in err
    one_line_error(run("read", "-T", "json", "-e", "frame.number", EXTACK))
    assert run("read", "-T", "ek", "-e", "frame.number", EXTACK).returncode == 0


def test_R_needs_2_and_keeps_what_tshark_keeps():
    assert tshark("-r", EXTACK, "-R", "netlink").returncode != 0
    assert "-2" in one_line_error(run("read", "-R", "netlink.error != 0", EXTACK))
    ours = run("read", "-2", "-R", "netlink.error != 0", "-T", "fields", "-e", "frame.time_epoch", EXTACK)
    theirs = tshark("-r", EXTACK, "-2", "-R", "netlink.error != 0", "-T", "fields", "-e", "frame.time_epoch")
    # tshark renumbers the frames -R keeps, nlscope keeps their numbers: compared by their times
    assert [round(float(x), 6) for x in ours.stdout.split()] == [round(float(x), 6) for x in theirs.stdout.split()]
    assert len(ours.stdout.split()) == 11
    # -R and -Y together: -Y shows part of what -R kept; the transactions are made of every message
    both = run("read", "-2", "-R", "netlink.error != 0", "-Y", "netlink.error == ENODEV", "-V", EXTACK).stdout.decode()
    assert both.count("Message ") == 8 and "request in" in both


def test_l_and_n_are_accepted():
    plain = run("read", EXTACK).stdout.decode().splitlines()
    assert run("read", "-n", EXTACK).stdout.decode().splitlines() == plain
    lined = run("read", "-l", EXTACK)
    assert lined.returncode == 0
    assert [r.split() for r in lined.stdout.decode().splitlines()] == [r.split() for r in plain]


# --- -E --------------------------------------------------------------------------------------------

E_CASES = [
    ["-E", "header=y"],
    ["-E", "header=y", "-E", "separator=,", "-E", "quote=d"],
    ["-E", "separator=/s", "-E", "quote=s", "-E", "occurrence=f"],
    ["-E", "occurrence=l", "-E", "separator=;"],
    ["-E", "aggregator=;"],
    ["-E", "aggregator=/s", "-E", "quote=d", "-E", "header=y"],
]


@pytest.mark.parametrize("opts", E_CASES, ids=lambda o: " ".join(o[1::2]))
def test_E_prints_fields_as_tshark(opts):
    """On frames of one message each (tshark prints a line a frame, nlscope a line a message),
    -E gives tshark's bytes; netlink.hdr_seq has two occurrences in an error (its echo)."""
    fields = ["-e", "frame.number", "-e", "netlink.hdr_seq", "-e", "netlink.hdr_pid"]
    flt = ["-Y", "frame.number <= 20"]
    ours = run("read", "-T", "fields", *opts, *fields, *flt, EXTACK)
    theirs = tshark("-r", EXTACK, "-T", "fields", *opts, *fields, *flt)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout.decode().splitlines() == theirs.stdout.decode().splitlines()


@pytest.mark.parametrize("bad", ["quote=x", "header=q", "bogus=1", "separator=", "separator=\x1b", "occurrence=z",
                                 "occurrence=2", "noequals"])
def test_bad_E_is_one_line(bad):
    assert tshark("-r", EXTACK, "-T", "fields", "-E", bad, "-e", "frame.number").returncode != 0 or bad in (
        "separator=\x1b",)   # tshark prints a control character as a separator; nlscope prints none
    one_line_error(run("read", "-T", "fields", "-E", bad, "-e", "frame.number", EXTACK))
    one_line_error(run("read", "-E", "header=y", EXTACK))  # -E without -T fields


# --- -x and -O --------------------------------------------------------------------------------------

def _hex_bytes(text: str) -> list[bytes]:
    """The bytes of each dump in tshark -x's layout (dumps separated by a blank line)."""
    out = []
    for block in text.strip("\n").split("\n\n"):
        data = b""
        for line in block.splitlines():
            digits = len(line.split(" ", 1)[0])
            hexed, text = line[digits + 2:digits + 2 + 47], line[digits + 2 + 47 + 3:]
            assert re.fullmatch(r"[0-9a-f]{4,}", line[:digits]) and line[digits:digits + 2] == "  ", line
            assert re.fullmatch(r"(?:[0-9a-f]{2} ){0,15}[0-9a-f]{2} *", hexed) and line[digits + 49:digits + 52] == "   "
            chunk = bytes.fromhex(hexed)
            assert text == "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk), line
            data += chunk
        out.append(data)
    return out


def test_x_prints_each_message_bytes_in_tsharks_layout():
    """-x alone: the dumps only (as tshark); each is the message's bytes, which are the frame's
    after its 16-byte nlmon header where a frame holds one message."""
    ours = run("read", "-x", "-c", "20", EXTACK)
    theirs = tshark("-r", EXTACK, "-x", "-c", "20")
    mine, tsh = _hex_bytes(ours.stdout.decode()), _hex_bytes(theirs.stdout.decode())
    assert len(mine) == len(tsh) == 20
    assert [t[16:] for t in tsh] == mine
    assert ours.stdout.decode().splitlines()[0].startswith("0000  ")


def test_x_after_the_tree():
    out = run("read", "-V", "-x", "-c", "1", EXTACK).stdout.decode()
    tree, _, dump = out.partition("\n\n")
    assert tree.startswith("Message 1.1") and "Netlink message header" in tree
    assert _hex_bytes(dump) == [_hex_bytes(run("read", "-x", "-c", "1", EXTACK).stdout.decode())[0]]
    # frame 298 holds several messages: each is dumped apart, at its offset in the frame's netlink
    # payload (where -T json's offsets count from), and together they are tshark's frame
    multi = run("read", "-x", "-Y", "frame.number == 298", DEEP).stdout.decode()
    dumps = _hex_bytes(multi)
    starts = [int(block.split()[0], 16) for block in multi.strip("\n").split("\n\n")]
    assert len(dumps) > 1 and starts[0] == 0 and starts[1] == len(dumps[0])
    assert b"".join(dumps) == _hex_bytes(tshark("-r", DEEP, "-x", "-Y", "frame.number == 298").stdout.decode())[0][16:]
    one_line_error(run("read", "-x", "-T", "json", EXTACK))


def test_O_shows_those_protocols_in_full_and_the_rest_one_line():
    full = run("read", "-V", "-c", "3", EXTACK).stdout.decode()
    rtnl = run("read", "-O", "rtnl", "-c", "3", EXTACK).stdout.decode()
    assert "IFLA_IFNAME: dummy0" in rtnl and "        Netlink message header" in rtnl
    assert "Length: 60" in full and "Length: 60" not in rtnl   # the header is one line
    assert run("read", "-O", "netlink-route", "-c", "3", EXTACK).stdout == rtnl.encode()   # Wireshark's name
    hdr = run("read", "-O", "netlink", "-c", "3", EXTACK).stdout.decode()
    assert "Length: 60" in hdr and "IFLA_INFO_KIND" not in hdr and "IFLA_LINKINFO" in hdr
    assert "did you mean rtnl" in one_line_error(run("read", "-O", "rtnll", EXTACK))


# --- -T ek ------------------------------------------------------------------------------------------

def test_ek_is_tsharks_bulk_shape():
    """An index line and a document per frame, as tshark 4.0 writes them: the same index
    lines (the frame's local day), the same timestamps, the same frames."""
    ours = run("read", "-T", "ek", "-Y", "netlink.error != 0", DEEP).stdout.decode().splitlines()
    theirs = tshark("-r", DEEP, "-T", "ek", "-Y", "netlink.error != 0").stdout.decode().splitlines()
    assert len(ours) == len(theirs) and len(ours) % 2 == 0 and ours
    assert ours[0::2] == theirs[0::2]
    docs, tdocs = [json.loads(x) for x in ours[1::2]], [json.loads(x) for x in theirs[1::2]]
    assert [d["timestamp"] for d in docs] == [d["timestamp"] for d in tdocs]
    assert [d["layers"]["frame"]["frame_frame_number"] for d in docs] == \
        [d["layers"]["frame"]["frame_frame_number"] for d in tdocs]
    assert [d["layers"]["frame"]["frame_frame_time_epoch"] for d in docs] == \
        [d["layers"]["frame"]["frame_frame_time_epoch"] for d in tdocs]
    doc = docs[0]["layers"]
    assert doc["netlink"]["netlink_netlink_type"] in ("2", ["2", "16"]) or isinstance(doc["netlink"], dict)
    # one frame of two messages: one document, repeated fields as lists (as tshark's)
    two = [json.loads(x) for x in run("read", "-T", "ek", "-Y", "frame.number == 4", DEEP).stdout.splitlines()[1::2]]
    assert len(two) == 1 and isinstance(two[0]["layers"]["netlink"]["netlink_netlink_seq"], list)


def test_ek_with_e_has_tsharks_keys():
    ours = run("read", "-T", "ek", "-e", "frame.number", "-e", "netlink.hdr_seq", "-c", "5", EXTACK)
    theirs = tshark("-r", EXTACK, "-T", "ek", "-e", "frame.number", "-e", "netlink.hdr_seq", "-c", "5")
    assert ours.stdout.decode().splitlines() == theirs.stdout.decode().splitlines()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ek_is_the_same_on_every_core(jobs):
    one = run("read", "-T", "ek", "-j", "1", DEEP).stdout
    assert run("read", "-T", "ek", "-j", jobs, DEEP).stdout == one
    assert one.count(b'{"index":') == len(set(frames_of(run("read", DEEP).stdout)))


# --- -z ---------------------------------------------------------------------------------------------

def _io_rows(text: str) -> list[list[int]]:
    return [[int(x) for x in re.findall(r"\|\s+(\d+)(?=\s+\|)", line.split("<>", 1)[1])]
            for line in text.splitlines() if "<>" in line]


@pytest.mark.parametrize("spec", ["io,stat,1", "io,stat,0.5,netlink.error != 0", "io,stat,0",
                                  "io,stat,0.25,netlink.hdr_flags.multi == 1,netlink.hdr_len > 100"])
def test_z_io_stat_counts_what_tshark_counts(spec):
    for path in (EXTACK, DEEP):
        ours = run("read", "-q", "-z", spec, path)
        theirs = tshark("-r", path, "-q", "-z", spec)
        assert ours.returncode == 0, ours.stderr
        assert _io_rows(ours.stdout.decode()) == _io_rows(theirs.stdout.decode()) != []
    # -z counts every frame, whatever -Y shows (as tshark's)
    assert _io_rows(run("read", "-q", "-Y", "netlink.error != 0", "-z", "io,stat,1", EXTACK).stdout.decode()) == \
        _io_rows(run("read", "-q", "-z", "io,stat,1", EXTACK).stdout.decode())


def test_z_netlink_statistics_are_the_stats_commands():
    whole = run("stats", CAPTURES / "nlscope-test.pcapng").stdout.decode().rstrip("\n")
    z = run("read", "-q", "-z", "netlink,stat", CAPTURES / "nlscope-test.pcapng").stdout.decode()
    assert whole in z
    errors = run("read", "-q", "-z", "netlink,errors", EXTACK).stdout.decode()
    assert "ENODEV                   8" in errors and "RTM_NEWROUTE" in errors and "Dumps" not in errors
    lat = run("read", "-q", "-z", "netlink,latency", "-z", "netlink,dumps", "-z", "netlink,processes", EXTACK)
    text = lat.stdout.decode()
    assert "Transaction latency (ms): p50" in text and "Dumps: 6;" in text and "Top port ids" in text
    only = run("read", "-q", "-z", "netlink,errors,netlink.error == EEXIST", EXTACK).stdout.decode()
    assert "EEXIST" in only and "ENODEV" not in only
    # printed after the messages
    both = run("read", "-z", "netlink,errors", EXTACK).stdout.decode()
    assert both.index("Netlink errors") > both.rindex("NLMSG_ERROR")


@pytest.mark.parametrize("bad", ["bogus", "io,stat", "io,stat,x", "io,stat,-1", "io,stat,nan", "netlink,nothing"])
def test_bad_z_is_one_line(bad):
    one_line_error(run("read", "-z", bad, EXTACK))


@pytest.mark.parametrize("bad", ["io,stat,1,netlink.type ==", "netlink,errors,rtnl.bogus == 1"])
def test_a_bad_filter_in_z_is_said_as_in_Y(bad):
    r = run("read", "-z", bad, EXTACK)
    flt = bad.split(",", 3)[-1] if bad.startswith("io") else bad.split(",", 2)[-1]
    assert r.returncode == 2 and r.stdout == b""
    assert r.stderr == run("read", "-Y", flt, EXTACK).stderr


def test_z_help():
    r = run("read", "-z", "help")
    assert r.returncode == 0 and "io,stat,INTERVAL" in r.stdout.decode() and "netlink,errors" in r.stdout.decode()


# --- colour, progress -------------------------------------------------------------------------------

def _on_a_terminal(args, env=None):
    """stdout a pseudo-terminal: what nlscope writes there, and its status."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen([sys.executable, "-m", "nlscope", *map(str, args)], stdout=slave, stderr=subprocess.PIPE,
                         env={**{k: v for k, v in os.environ.items() if k != "NO_COLOR"}, "TERM": "xterm",
                              **(env or {})})
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert p.wait(timeout=60) == 0, p.stderr.read()
    return out.replace(b"\r\n", b"\n")


def test_errors_are_red_on_a_terminal_only():
    tty = _on_a_terminal(["read", EXTACK]).decode().splitlines()
    red = [ln for ln in tty if ln.startswith("\x1b[31m")]
    assert len(red) == 11 and all("NLMSG_ERROR" in ln and ln.endswith("\x1b[0m") for ln in red)
    assert not any("\x1b[31m" in ln for ln in tty if "NLMSG_ERROR" not in ln or "ACK for" in ln)
    assert not any("\x1b" in ln for ln in tty if "U→K" in ln)   # requests: as the terminal has it
    assert b"\x1b" not in _on_a_terminal(["read", EXTACK], env={"NO_COLOR": "1"})
    assert b"\x1b" not in _on_a_terminal(["read", "--color=never", EXTACK])
    assert b"\x1b" not in run("read", EXTACK).stdout                  # not a terminal
    forced = run("read", "--color=always", EXTACK, env={"NO_COLOR": "1"}).stdout.decode()
    assert forced.count("\x1b[31m") == 11
    plain = run("read", EXTACK).stdout.decode()
    assert re.sub(r"\x1b\[\d+m", "", forced) == plain
    # notifications yellow, dump parts dim, as the TUI's list
    mon = run("read", "--color=always", CAPTURES / "monitors.pcapng").stdout.decode()
    assert "\x1b[33m" in mon and "\x1b[2m" in mon


def test_captured_text_cannot_colour_the_terminal(tmp_path):
    """Colour codes come from nlscope only: an ESC in a captured name is still escaped."""
    from tests.hostile.corpus import write_corpus
    path = next(c.path for c in write_corpus(tmp_path) if c.name == "control-chars.pcapng")
    out = run("read", "--color=always", path).stdout
    assert re.sub(rb"\x1b\[(31|33|2|0)m", b"", out).count(b"\x1b") == 0


def test_progress_line(monkeypatch):
    """On a terminal stderr (stdout elsewhere), after a second, twice a second: frames and
    percent read, cleared at the end; never when stderr is not a terminal."""
    import io

    from nlscope import cli

    class Tty(io.StringIO):
        def isatty(self):
            return True

    err, out = Tty(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    args = cli.build_parser().parse_args(["read", str(EXTACK)])
    now = [0.0]
    p = cli._Progress(str(EXTACK), args)
    p.clock = lambda: now[0]
    p.next = 1.0
    from nlscope.sources import read_capture
    n = 0
    for _ in p.wrap(read_capture(str(EXTACK))):
        n += 1
        now[0] += 0.02
    p.done()
    text = err.getvalue()
    assert n == 114 and "\rnlscope: 64 frames read, " in text and " %" in text and text.endswith("\r\x1b[K")
    out_tty = Tty()
    monkeypatch.setattr(sys, "stdout", out_tty)   # stdout the same screen: no progress line
    assert not cli._Progress(str(EXTACK), args).on
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not cli._Progress(str(EXTACK), args).on


# --- -t, the clock fields, _ws.col ------------------------------------------------------------------

def _per_frame(out: bytes) -> list[list[str]]:
    """-T fields lines, the first of each frame (tshark prints a frame, nlscope its messages)."""
    rows, seen = [], set()
    for line in out.decode().splitlines():
        cells = line.split("\t")
        if cells[0] not in seen:
            seen.add(cells[0])
            rows.append(cells)
    return rows


@pytest.mark.parametrize("fmt", ["r", "a", "ad", "adoy", "u", "ud", "udoy", "e", "d", "dd"])
def test_t_writes_the_time_as_tshark(fmt):
    """-t FMT: each frame's first message shows the time tshark shows for the frame, in -e
    _ws.col.Time (whole and filtered: dd counts from the frame shown before) and in its summary
    row; a time zone away from UTC tells local time from UTC."""
    env = {"TZ": "Asia/Kolkata"}
    for flt in (None, "frame.number > 40 && frame.number < 90"):
        extra = ["-Y", flt] if flt else []
        ours = _per_frame(run("read", "-t", fmt, *extra, "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Time",
                              DEEP, env=env).stdout)
        r = subprocess.run(["tshark", "-n", "-r", DEEP, "-t", fmt, *extra, "-T", "fields", "-e", "frame.number", "-e",
                            "_ws.col.Time"], capture_output=True, env={**os.environ, "HOME": "/tmp", **env})
        theirs = [line.split("\t") for line in r.stdout.decode().splitlines()]
        assert ours == theirs and len(ours) > 40, (fmt, flt)
    rows = run("read", "-t", fmt, "-Y", flt, DEEP, env=env).stdout.decode().splitlines()[1:]
    firsts = [ln.split(None, 1) for ln in rows if ln.split()[0].endswith(".1")]
    assert len(firsts) == len(theirs)
    for (no, rest), (frame, t) in zip(firsts, theirs):
        assert no == f"{frame}.1" and rest.lstrip().startswith(t + " "), (no, rest, t)


@pytest.mark.parametrize("flt", [None, "frame.number > 100", "netlink.error != 0"])
def test_clock_fields_in_T_fields_are_tsharks(flt):
    """-e frame.time_relative, frame.time_delta, frame.time_delta_displayed: what tshark prints
    (nanoseconds), the displayed delta counting from the frame shown before."""
    names = ["frame.number", "frame.time_relative", "frame.time_delta", "frame.time_delta_displayed"]
    extra = ["-Y", flt] if flt else []
    for path in (DEEP, EXTACK):
        ours = _per_frame(run("read", "-r", path, *extra, "-T", "fields", *[x for n in names for x in ("-e", n)]).stdout)
        theirs = [ln.split("\t") for ln in tshark("-r", path, *extra, "-T", "fields",
                                                   *[x for n in names for x in ("-e", n)]).stdout.decode().splitlines()]
        assert ours == theirs and ours, (path.name, flt)


def test_frame_time_in_T_fields_is_tsharks_text():
    """-e frame.time is tshark's local date (`Nov 28, 2026 12:42:09.049557000 IST`), frame.time_epoch
    its nanoseconds; a filter still compares their seconds."""
    env = {"TZ": "Asia/Kolkata"}
    args = ["-T", "fields", "-e", "frame.number", "-e", "frame.time", "-e", "frame.time_epoch"]
    ours = _per_frame(run("read", "-r", DEEP, *args, env=env).stdout)
    r = subprocess.run(["tshark", "-n", "-r", DEEP, *args], capture_output=True, env={**os.environ, "HOME": "/tmp", **env})
    assert ours == [ln.split("\t") for ln in r.stdout.decode().splitlines()] and " IST" in ours[0][1]
    assert len(run("read", "-r", DEEP, "-Y", "frame.time_epoch > 1000", env=env).stdout.splitlines()) > 500


def test_ws_col_names_our_columns():
    """-e _ws.col.TITLE prints a column as the summary shows it; a title no column has is one line."""
    out = run("read", "-c", "3", "-T", "fields", "-e", "_ws.col.No.", "-e", "_ws.col.Protocol", "-e", "_ws.col.Length",
              "-e", "_ws.col.Info", "-e", "_ws.col.Type", EXTACK).stdout.decode().splitlines()
    summary = run("read", "-c", "3", EXTACK).stdout.decode().splitlines()[1:]
    assert len(out) == len(summary) == 3
    for line, row in zip(out, summary):
        no, proto, length, info, mtype = line.split("\t")
        assert row.split()[0] == no and proto in row and mtype in row and row.endswith(info) and int(length) >= 16
    err = one_line_error(run("read", "-T", "fields", "-e", "_ws.col.Bogus", EXTACK))
    assert "_ws.col.Bogus" in err and "_ws.col.Info" in err


# --- columns ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [[], ["-t", "a"], ["-t", "d"]], ids=["r", "a", "d"])
@pytest.mark.parametrize("path", sorted(CAPTURES.glob("*.pcapng")), ids=lambda p: p.name)
def test_columns_never_overflow_their_header(path, mode):
    lines = run("read", *mode, path).stdout.decode().splitlines()
    head = lines[0]
    starts = {name: head.index(name) for name in ("Protocol", "Dir", "Type", "Flags", "Info")}
    ends = {name: head.index(name) + len(name) for name in ("No.", "Time", "Port ID", "Seq")}
    for ln in lines[1:]:
        ln += " "                         # an empty Info
        for name, at in starts.items():   # left-aligned: the cell starts under its header, after a space
            assert ln[at - 1] == " " and (ln[at] != " " or name == "Info"), (name, ln)
        for name, at in ends.items():     # right-aligned: the cell ends where its header ends
            assert ln[at - 1] != " " and ln[at] == " ", (name, ln)


def test_widths_follow_the_content():
    lines = run("read", CAPTURES / "mixed.pcapng").stdout.decode().splitlines()
    head = lines[0]
    at, width = head.index("Protocol"), head.index("Dir") - head.index("Protocol") - 1
    families = [json.loads(x)["family"] for x in run("read", "-T", "json", CAPTURES / "mixed.pcapng").stdout.splitlines()]
    assert width == max(len(f) for f in families) and "sock_diag inet6" in families
    assert [ln[at:at + width].rstrip() for ln in lines[1:]] == families
    # the TUI keeps its fixed columns
    from nlscope.output import header_line
    assert header_line() == ("     No.        Time Protocol   Dir    Port ID        Seq Type                   "
                             "Flags              Info")


def test_a_stream_is_laid_out_as_the_file(tmp_path):
    """The columns look ahead: stdin, a pipe and a FIFO give the file's bytes."""
    ref = run("read", DEEP).stdout
    assert run("read", "-", stdin=DEEP.read_bytes()).stdout == ref
    with open(DEEP, "rb") as f:
        assert subprocess.run([sys.executable, "-m", "nlscope", "read", "-"], stdin=f, capture_output=True).stdout == ref
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    feeder = subprocess.Popen(["sh", "-c", 'cat "$0" > "$1"', str(DEEP), str(fifo)])
    assert run("read", fifo).stdout == ref
    feeder.wait(timeout=30)


def test_columns_option_chooses_and_orders():
    r = run("read", "--columns", "type,no,info", EXTACK)
    lines = r.stdout.decode().splitlines()
    assert lines[0].split() == ["Type", "No.", "Info"]
    assert lines[3].split()[:2] == ["RTM_NEWLINK", "3.1"] and lines[3].endswith("dummy0 dummy")
    last = run("read", "--columns", "info,seq", EXTACK).stdout.decode().splitlines()
    assert last[0].split() == ["Info", "Seq"] and last[3].endswith("1795840756")
    assert "no column 'nope'" in one_line_error(run("read", "--columns", "no,nope", EXTACK))
    one_line_error(run("read", "--columns", "no,no", EXTACK))
    for other in (["-V"], ["-T", "json"], ["-x"]):
        one_line_error(run("read", "--columns", "no,info", *other, EXTACK))
    one_line_error(run("read", "-O", "rtnl", "-T", "json", EXTACK))


# --- nlscope fields ---------------------------------------------------------------------------------

def test_fields_shows_the_wireshark_names_beside_ours():
    rows = [ln.split("\t") for ln in run("fields", "netlink.").stdout.decode().splitlines()]
    by = {r[0]: r for r in rows}
    assert "netlink.hdr_seq" in by["netlink.seq"][3].split(",")
    assert "netlink.hdr_type" in by["netlink.type"][3].split(",")
    assert by["netlink.attr_type"][3] == "wireshark"            # computed: no one field of ours
    mtu = run("fields", "netlink-route.ifla_mtu").stdout.decode().splitlines()   # found by its Wireshark name
    assert [r.split("\t")[0] for r in mtu] == ["rtnl.link.mtu"]
    assert all(len(r) in (3, 4) for r in rows)


def test_io_stat_stays_bounded_whatever_the_timestamps(tmp_path):
    """Two frames 2^31 s apart: a table of 2^34 rows is refused in one line, not printed."""
    import struct
    rec = struct.pack(">HHH8sH", 4, 824, 0, b"", 0) + struct.pack("<IHHII", 16, 3, 0, 0, 0)
    data = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 253)
    for t in (0, 2**31 - 1):
        data += struct.pack("<IIII", t, 0, len(rec), len(rec)) + rec
    path = tmp_path / "far.pcap"
    path.write_bytes(data)
    r = run("read", "-q", "-z", "io,stat,0.125", path)
    assert r.returncode == 0 and "more than 100000 intervals" in r.stdout.decode() and len(r.stdout) < 200
    rows = _io_rows(run("read", "-q", "-z", "io,stat,1000000000", path).stdout.decode())
    assert rows == [[1, 32], [0, 0], [1, 32]]
