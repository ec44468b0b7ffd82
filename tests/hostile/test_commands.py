"""The contract of issue #13, held over every command and every capture, crafted or committed.

Every command — `read` (summaries on every core and with -j 1, -V, -T json, -T fields, -Y on a
body field, -t a, -q -w), `stats` and `open` (the TUI, headless) — over every committed
capture and every crafted hostile file (tests/hostile/corpus.py), and `read` from stdin, a
FIFO and /dev/zero:

- no traceback; exit status 0 or 2 (and for a crafted file, the statuses its fault allows);
- on stderr only `nlscope: ` lines, and with status 2 exactly one: the one clear line the
  issue asks for (a warning such as "skipped N frames that are not netlink" is a line of
  its own, allowed with status 0 only);
- stdout holds no raw control byte (C0 but newline — and tab with -T fields —, DEL, C1),
  no line forged by a newline inside a captured string, every summary row starts as a row,
  every JSON line parses, every -T fields line has one tab per field separator;
- everything decodable before a fault is printed (the rows and texts each file names);
- the WireGuard keys of the spoofing file never appear: raw, hex or base64;
- bounded: at most MEMORY_LIMIT of address space (RLIMIT_AS, so a run that needs more
  fails with MemoryError instead of swapping) and time_bound(size) seconds of CPU (RLIMIT_CPU):
  10 MB in 60 s, never less than TIME_FLOOR; CPU, not wall time, so that a machine shared
  with other jobs does not fail the test; a run still there after HANG_FACTOR times its
  bound hangs, and is killed.

Each run is a process of its own: a fork of a server that has imported nlscope once (a
fresh `python3 -m nlscope` costs 0.4 s of CPU in imports, and there are ~450 runs), with
stdin, stdout and stderr its own files, the memory limit set, and `nlscope.cli.main(argv)`
run as `python3 -m nlscope` runs it (an exception escaping it printed as Python prints one,
status 1).  `test_server_runs_what_python_m_nlscope_runs` holds the two to the same bytes;
the cases that depend on how Python starts (stdout closed, PYTHONIOENCODING) are real
`python3 -m nlscope` processes.  `open` runs the real `nlscope open FILE`, with the app's
`run` made headless and driven by a pilot: wait until the file is read, G (the last message
decoded in the tree and hex), t (its transaction), s (statistics), quit.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CAPTURES, CORPUS, ROOT
from tests.hostile.corpus import FORGED, crafted, secret_forms, write_corpus

MEMORY_LIMIT = 1 << 30          # bytes of address space a run may use
TIME_PER_MB = 6.0               # seconds of CPU per MB of capture: 10 MB in 60 s
TIME_FLOOR = 10.0               # seconds of CPU any run may take (the heaviest here needs 5)
HANG_FACTOR = 4                 # a run still there after this many times its bound, CPU or not, hangs


def time_bound(size: int) -> float:
    return max(TIME_FLOOR, TIME_PER_MB * size / 1e6)


# --- the commands ---------------------------------------------------------------------------
SUMMARY_MODES = ("summary", "summary-j1", "abstime")
COMMANDS = {
    "summary": ["read", "{f}"],                      # the default: every core
    "summary-j1": ["read", "-j", "1", "{f}"],
    "verbose": ["read", "-V", "{f}"],
    "json": ["read", "-T", "json", "{f}"],
    "fields": ["read", "-T", "fields", "-e", "netlink.type", "-e", "rtnl.link.ifname", "{f}"],
    "filter": ["read", "-Y", "rtnl.link.mtu > 1500", "{f}"],
    "abstime": ["read", "-t", "a", "{f}"],
    "write": ["read", "-q", "-w", "{out}", "{f}"],
    "stats": ["stats", "{f}"],
    "open": ["open", "{f}"],
}
ROW = re.compile(r"^ {0,7}\d+(\.\d+)? +-?[\d:.]+ \S")  # frame.message (a frame alone: a fault in place)
MESSAGE_ROW = re.compile(r"^ *\d+\.\d+ ")
CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")           # C0 but newline, DEL, C1
CONTROL_BUT_TAB = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")   # -T fields: tab separates
HARNESS = "nlscope-harness:"

CRAFTED = {c.name: c for c in crafted()}
COMMITTED = sorted(CAPTURES.glob("*.pcapng")) + sorted((CORPUS / "peer").glob("*.pcap*"))


# --- the fork server ------------------------------------------------------------------------

def serve(rfd: int, wfd: int) -> None:
    """Run requests (JSON lines on rfd), each in a forked child; answer on wfd."""
    import dissectors
    import nlscope.cli  # noqa: F401  (what `python3 -m nlscope` imports, once)
    import nlscope.tui.app  # noqa: F401  (and `nlscope open`: Textual costs 0.2 s a run)
    dissectors.load_families(deferred=True)
    requests, answers = os.fdopen(rfd, "r"), os.fdopen(wfd, "w")
    for line in requests:
        req = json.loads(line)
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(rfd)
                os.close(wfd)
                _child(req)
            finally:
                os._exit(99)
        deadline, status, ru = t0 + HANG_FACTOR * req["timeout"], None, None
        while True:
            done, code, ru = os.wait4(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(code)
                break
            if time.monotonic() > deadline:  # the run and whatever it forked, before it is reaped
                _kill_group(pid)
                _, code, ru = os.wait4(pid, 0)
                break
            time.sleep(0.005)
        answers.write(json.dumps({"status": status, "wall": time.monotonic() - t0, "cpu": ru.ru_utime + ru.ru_stime,
                                  "maxrss": ru.ru_maxrss * 1024}) + "\n")
        answers.flush()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _child(req) -> None:
    import resource
    import traceback
    os.setpgid(0, 0)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    cpu = int(req["timeout"]) + 1  # SIGXCPU past the bound (each worker it forks has its own)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    if req.get("pipe"):  # stdin an anonymous pipe, fed by a process of the group (`cat FILE |`)
        r, w = os.pipe()
        if os.fork() == 0:
            os.close(r)
            with open(req["stdin"], "rb") as src, os.fdopen(w, "wb") as dst:
                try:
                    dst.write(src.read())
                except OSError:
                    pass
            os._exit(0)
        os.close(w)
        stdin = r
    else:
        stdin = os.open(req["stdin"] or os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    os.dup2(os.open(req["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
    os.dup2(os.open(req["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
    os.environ.update(req.get("env", {}))
    if req["argv"][:1] == ["open"]:
        _headless_tui()
    from nlscope.cli import main
    sys.argv = ["nlscope", *req["argv"]]
    try:
        rc = main(req["argv"])
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if not isinstance(e.code, (int, type(None))):
            print(e.code, file=sys.stderr)
    except BaseException:  # as Python prints an exception escaping `python3 -m nlscope`
        traceback.print_exc()
        rc = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException as exc:
            print(f"Exception ignored flushing {stream.name}: {exc!r}", file=sys.__stderr__)
            rc = 120
    os._exit(0 if rc is None else rc & 0xFF if isinstance(rc, int) else 1)  # as sys.exit(main()) ends


def _headless_tui() -> None:
    """`nlscope open` runs the app headless, driven by a pilot; a crash is said on stderr
    (`cmd_open` returns 0 even when the app died: issue 13 item 1)."""
    from nlscope.tui.app import NlscopeApp
    run = NlscopeApp.run

    async def drive(pilot) -> None:
        app = pilot.app
        while not app.store.done:  # the file is read by a worker (which may die)
            if app._exception is not None:
                return
            await pilot.pause(0.02)
        await pilot.pause()
        for key in ("G", "t", "escape", "s", "escape"):
            await pilot.press(key)
            await pilot.pause()   # until the app has handled it (its screen drawn)
        app.exit()

    def headless(self, *args, **kwargs):
        result = run(self, headless=True, size=(120, 40), auto_pilot=drive)
        if self._exception is not None or self.return_code not in (0, None):
            print(f"{HARNESS} the TUI ended on {self._exception!r} (return code {self.return_code})", file=sys.stderr)
        return result
    NlscopeApp.run = headless


@dataclass
class Result:
    argv: list
    status: int | None          # None: killed at the time bound
    out: bytes
    err: bytes
    wall: float
    cpu: float
    maxrss: int
    bound: float
    written: Path | None = None

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def err_lines(self) -> list[str]:
        return self.err.decode("utf-8", "replace").splitlines()

    def __str__(self) -> str:
        return (f"nlscope {' '.join(map(str, self.argv))}: status {self.status}, {self.cpu:.1f} s CPU, "
                f"{self.wall:.1f} s, "
                f"{self.maxrss >> 20} MiB; stderr: {self.err[-600:].decode('utf-8', 'replace')!r}")


class Runner:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", f"from tests.hostile.test_commands import serve; serve({r1}, {w2})"],
            cwd=ROOT, pass_fds=(r1, w2), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        os.close(r1)
        os.close(w2)
        self.requests, self.answers = os.fdopen(w1, "w"), os.fdopen(r2, "r")
        self.lock = threading.Lock()
        self.n = 0
        self.memo: dict = {}

    def run(self, argv, stdin=None, timeout: float = TIME_FLOOR, env=None, pipe: bool = False) -> Result:
        """`nlscope ARGV` with stdin a file (or, with `pipe`, an anonymous pipe fed from it)."""
        with self.lock:
            self.n += 1
            out, err = self.workdir / f"{self.n}.out", self.workdir / f"{self.n}.err"
            self.requests.write(json.dumps({"argv": list(map(str, argv)), "stdin": str(stdin) if stdin else None,
                                            "out": str(out), "err": str(err), "timeout": timeout,
                                            "env": env or {}, "pipe": pipe}) + "\n")
            self.requests.flush()
            line = self.answers.readline()
        assert line, "the fork server died"
        a = json.loads(line)
        res = Result(list(argv), a["status"], out.read_bytes(), err.read_bytes(), a["wall"], a["cpu"], a["maxrss"],
                     timeout)
        out.unlink()
        err.unlink()
        return res

    def command(self, path: Path, cmd: str, bound: float | None = None) -> Result:
        """`cmd` of COMMANDS over `path`, run once a session, within `bound` (or time_bound) s of CPU."""
        key = (str(path), cmd)
        if key not in self.memo:
            out = self.workdir / f"w{len(self.memo)}.pcapng"
            argv = [a.format(f=path, out=out) for a in COMMANDS[cmd]]
            res = self.memo[key] = self.run(argv, timeout=bound or time_bound(path.stat().st_size))
            res.written = out if cmd == "write" else None
        return self.memo[key]

    def close(self) -> None:
        self.requests.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    files = write_corpus(tmp_path_factory.mktemp("hostile-corpus"))
    return {c.name: c for c in files}


@pytest.fixture(scope="session")
def nlscope(tmp_path_factory):
    runner = Runner(tmp_path_factory.mktemp("hostile-runs"))
    yield runner
    runner.close()


# --- the checks -----------------------------------------------------------------------------

def check_contract(res: Result, cmd: str, exits=frozenset({0, 2}), secrets=()) -> None:
    """What every run owes, whatever the file."""
    assert res.status is not None, f"hangs: not done within {HANG_FACTOR * res.bound:.0f} s: {res}"
    assert res.status != -signal.SIGXCPU and res.cpu <= res.bound, f"more than {res.bound:.0f} s of CPU: {res}"
    err = res.err.decode("utf-8", "replace")
    assert "Traceback" not in err and HARNESS not in err, str(res)
    assert "MemoryError" not in err and "RecursionError" not in err, str(res)
    assert res.status in (0, 2), f"exit status {res.status}: {res}"
    assert res.status in exits, f"exit status {res.status}, the file allows {sorted(exits)}: {res}"
    lines = res.err_lines
    assert all(ln.startswith("nlscope: ") for ln in lines), f"stderr not one-line messages: {res}"
    if res.status == 2:
        assert len(lines) == 1, f"status 2 must come with exactly one line on stderr, got {len(lines)}: {res}"
    assert res.maxrss <= MEMORY_LIMIT, str(res)
    # the terminal: no raw control byte, no line forged by a newline in a captured string
    pattern = CONTROL_BUT_TAB if cmd == "fields" else CONTROL
    for name, stream in (("stdout", res.out), ("stderr", res.err)):
        bad = pattern.search(stream)
        assert bad is None, (f"raw control byte {bad.group()!r} on {name} at {bad.start()}: "
                             f"{stream[max(0, bad.start() - 60):bad.start() + 20]!r}")
        assert not re.search(rb"^" + FORGED.encode(), stream, re.M), f"a line forged on {name}: {res}"
    assert b"RecursionError" not in res.out and b"MemoryError" not in res.out, "a body lost to a dissector error"
    for secret in secrets:
        for form in secret_forms(secret):
            for name, stream in (("stdout", res.out), ("stderr", res.err)):
                assert form not in stream, f"a WireGuard secret on {name} as {form!r}"
    # the format holds: rows are rows, JSON parses, fields have their columns
    lines = res.text.splitlines()
    if cmd in SUMMARY_MODES + ("filter",) and lines:
        assert lines[0].split()[:3] == ["No.", "Time", "Protocol"], lines[0]
        for ln in lines[1:]:
            assert ROW.match(ln), f"not a summary row: {ln!r}"
    elif cmd == "json":
        for ln in lines:
            assert isinstance(json.loads(ln), dict), ln
    elif cmd == "fields":
        for ln in lines:
            assert ln.count("\t") == 1, f"not two fields: {ln!r}"
    elif cmd in ("write", "open"):
        assert res.out == b"", res.out[:200]


def rows_of(res: Result, cmd: str) -> int:
    lines = res.text.splitlines()
    if cmd in SUMMARY_MODES:
        return max(len(lines) - 1, 0)
    if cmd == "verbose":
        return sum(ln.startswith("Message ") for ln in lines)
    return len(lines)


@pytest.mark.parametrize("cmd", COMMANDS)
@pytest.mark.parametrize("name", CRAFTED)
def test_crafted(nlscope, corpus, name, cmd):
    c = corpus[name]
    res = nlscope.command(c.path, cmd, c.cpu)
    exits = frozenset({0, 2}) if cmd == "open" else c.exits
    check_contract(res, cmd, exits, c.secrets)
    # everything decodable before the fault is printed
    if c.rows is not None and cmd in SUMMARY_MODES + ("verbose", "json", "fields"):
        assert rows_of(res, cmd) == c.rows, f"{rows_of(res, cmd)} messages printed, {c.rows} expected: {res}"
    if cmd in SUMMARY_MODES:
        for text in c.shown:
            assert text in res.text, f"{text!r} not printed: {res}"
    if cmd == "verbose":
        for text, times in c.verbose.items():
            assert res.text.count(text) >= times, f"-V shows {text!r} {res.text.count(text)} times, not {times}"
    if c.warns and cmd in SUMMARY_MODES:
        assert res.err_lines, f"nothing said on stderr about what was skipped or changed: {res}"
    if c.same_as and cmd in SUMMARY_MODES:
        assert res.out == nlscope.command(corpus[c.same_as].path, cmd).out
    if cmd == "write" and res.status == 0:
        check_written(nlscope, c.path, res, keep_time=False)


def check_written(nlscope, path: Path, res: Result, keep_time: bool) -> None:
    """What `-q -w` wrote reads back as the input read: the same messages (and times)."""
    again = nlscope.run(["read", res.written])
    check_contract(again, "summary", frozenset({0}))
    source = nlscope.command(path, "summary")
    if source.status == 0 and not source.err:  # every frame was netlink and whole: all written
        cut = 1 if keep_time else 2  # drop No. (and Time, for files whose times are garbage)
        ours, theirs = ([ln.split(None, cut)[cut] for ln in r.text.splitlines()[1:] if MESSAGE_ROW.match(ln)]
                        for r in (again, source))
        assert ours == theirs, f"-w wrote something else than it read: {again}"


@pytest.mark.parametrize("cmd", COMMANDS)
@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.name)
def test_committed(nlscope, path, cmd):
    res = nlscope.command(path, cmd)
    check_contract(res, cmd, frozenset({0}))
    if cmd == "write":
        check_written(nlscope, path, res, keep_time=True)


@pytest.mark.parametrize("name", ["rtnl-deep.pcapng", "transactions-16k.pcap", "frame-200k.pcapng"])
def test_every_core_prints_what_one_process_prints(nlscope, corpus, name):
    path = corpus[name].path if name in corpus else CAPTURES / name
    cpu = corpus[name].cpu if name in corpus else None
    one, every = nlscope.command(path, "summary-j1", cpu), nlscope.command(path, "summary", cpu)
    assert one.status == every.status and one.out == every.out


@pytest.mark.parametrize("cmd", ["summary", "verbose", "json", "fields"])
def test_a_spec_that_marks_nothing_secret_shows_no_secret(nlscope, corpus, cmd):
    """`--spec` with the kernel's own wireguard.yaml (keys: binary, hint hex) replaces the
    built-in family; the keys stay redacted whoever decoded them (item 3b)."""
    c = corpus["wireguard-spoof.pcapng"]
    spec = c.path.parent / "specs" / "wireguard.yaml"
    argv = [a.format(f=c.path) for a in COMMANDS[cmd]]
    res = nlscope.run([argv[0], "--spec", spec, *argv[1:]])
    check_contract(res, cmd, c.exits, c.secrets)
    assert rows_of(res, cmd) == c.rows, str(res)


# --- stdin, FIFOs, endless input ------------------------------------------------------------

@pytest.mark.parametrize("name", ["rtnl-extack.pcapng", "truncated.pcapng", "plain.pcapng.gz", "frame-200k.pcap",
                                  "gzip-bomb.pcapng.gz"])
def test_stdin_reads_as_the_file_does(nlscope, corpus, name):
    path = corpus[name].path if name in corpus else CAPTURES / name
    c = corpus.get(name)
    res = nlscope.run(["read", "-"], stdin=path, timeout=time_bound(path.stat().st_size))
    check_contract(res, "summary", c.exits if c else frozenset({0}))
    ref = nlscope.command(path, "summary")
    assert res.out == ref.out and res.status == ref.status and len(res.err_lines) == len(ref.err_lines)


def _feed_fifo(fifo: Path, data: bytes) -> threading.Thread:
    def write():
        try:
            fd = os.open(fifo, os.O_WRONLY)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except (BrokenPipeError, OSError):
            pass  # the reader stopped early: its status says why
    t = threading.Thread(target=write, daemon=True)
    t.start()
    return t


def _unblock(fifo: Path, writer: threading.Thread) -> None:
    """A writer still waiting for a reader that never came is let go."""
    if writer.is_alive():
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        writer.join(5)
        os.close(fd)


@pytest.mark.parametrize("how", ["fifo-path", "fifo-stdin", "pipe-stdin", "pipe-dev-stdin"])
@pytest.mark.parametrize("name", ["rtnl-extack.pcapng", "frame-200k.pcapng", "plain.pcapng.gz"])
def test_pipes_are_read_as_streams(nlscope, corpus, tmp_path, name, how):
    """Inputs that cannot seek: a FIFO named as the file or given as stdin, an anonymous pipe
    as stdin (`cat f | nlscope read -`, as `<(cat f)` and `tcpdump -w - |` give), and the
    pipe reopened as /dev/stdin; the 200 KB file is more than a pipe's 64 KiB."""
    path = corpus[name].path if name in corpus else CAPTURES / name
    if how.startswith("fifo"):  # `nlscope read FIFO`, `nlscope read - < FIFO`
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        writer = _feed_fifo(fifo, path.read_bytes())
        try:
            res = nlscope.run(["read", fifo]) if how == "fifo-path" else nlscope.run(["read", "-"], stdin=fifo)
        finally:
            _unblock(fifo, writer)
    else:  # `cat FILE | nlscope read -`, `cat FILE | nlscope read /dev/stdin`
        res = nlscope.run(["read", "-" if how == "pipe-stdin" else "/dev/stdin"], stdin=path, pipe=True)
    check_contract(res, "summary", frozenset({0}))
    assert res.out == nlscope.command(path, "summary").out


@pytest.mark.parametrize("argv,stdin", [(["read", "-"], "/dev/zero"), (["read", "/dev/zero"], None),
                                        (["stats", "/dev/zero"], None)])
def test_endless_zeros_end_quickly(nlscope, argv, stdin):
    res = nlscope.run(argv, stdin=stdin, timeout=TIME_FLOOR)
    check_contract(res, argv[0], frozenset({2}))
    assert res.cpu < 5, str(res)


def test_write_onto_its_own_input_is_refused(nlscope, corpus, tmp_path):
    """`-w` naming the input (item 7): refused in one line, the input left whole."""
    path = tmp_path / "own.pcapng"
    path.write_bytes(corpus["plain.pcapng"].data)
    res = nlscope.run(["read", "-q", "-w", path, path])
    assert path.read_bytes() == corpus["plain.pcapng"].data, "the input was overwritten"
    check_contract(res, "write", frozenset({2}))


def test_write_leaves_an_existing_file_alone_when_the_input_is_bad(nlscope, corpus, tmp_path):
    """An existing output is replaced only on success (item 7: written aside, renamed)."""
    out = tmp_path / "kept.pcapng"
    out.write_bytes(b"precious")
    res = nlscope.run(["read", "-q", "-w", out, corpus["not-a-capture.txt"].path])
    check_contract(res, "write", frozenset({2}))
    assert out.read_bytes() == b"precious"


# --- the output side, and how Python starts ---------------------------------------------------

def real(argv, stdout=subprocess.PIPE, env=None, preexec=None, timeout=HANG_FACTOR * TIME_FLOOR):
    def limits():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if preexec:
            preexec()
    return subprocess.run([sys.executable, "-m", "nlscope", *map(str, argv)], stdout=stdout, stderr=subprocess.PIPE,
                          env={**os.environ, **(env or {})}, preexec_fn=limits, timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("name", ["control-chars.pcapng", "wireguard-spoof.pcapng"])
def test_server_runs_what_python_m_nlscope_runs(nlscope, corpus, name):
    """The fork server is `python3 -m nlscope`, byte for byte, status and all."""
    path = corpus[name].path
    for cmd in ("summary", "verbose"):
        ours = nlscope.command(path, cmd)
        theirs = real([a.format(f=path) for a in COMMANDS[cmd]])
        assert (ours.status, ours.out, ours.err) == (theirs.returncode, theirs.stdout, theirs.stderr)


def _one_line_or_clean(proc, what: str) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, f"{what}: {err[-800:]}"
    assert proc.returncode == 2 and len(err.splitlines()) == 1 and err.startswith("nlscope: "), \
        f"{what}: status {proc.returncode}, stderr {err[-800:]!r}"


def test_stdout_on_a_full_disk():
    with open("/dev/full", "wb") as full:
        proc = real(["read", "-V", CAPTURES / "rtnl-deep.pcapng"], stdout=full)
    _one_line_or_clean(proc, "stdout on /dev/full")


def test_write_to_a_full_disk():
    proc = real(["read", "-q", "-w", "/dev/full", CAPTURES / "rtnl-deep.pcapng"])
    _one_line_or_clean(proc, "-w /dev/full")


def test_stdout_closed():
    proc = real(["read", CAPTURES / "rtnl-extack.pcapng"], preexec=lambda: os.close(1))
    _one_line_or_clean(proc, "stdout closed")


@pytest.mark.parametrize("cmd", ["summary", "verbose", "stats"])
def test_a_latin1_terminal(corpus, cmd):
    """PYTHONIOENCODING=latin-1 (a non-UTF-8 locale): what latin-1 cannot say is escaped."""
    path = corpus["control-chars.pcapng"].path
    argv = [a.format(f=path) for a in COMMANDS[cmd]]
    proc = real(argv, env={"PYTHONIOENCODING": "latin-1"})
    err = proc.stderr.decode("latin-1")
    assert proc.returncode == 0 and "Traceback" not in err, err[-800:]
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f-\x9f]", proc.stdout), proc.stdout[:400]
