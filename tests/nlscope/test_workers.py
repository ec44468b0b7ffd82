"""`read` on every core: the output is byte for byte what one process prints, faults included."""
import json
import subprocess
import sys

from tests.conftest import CAPTURES, PYROUTE2_PCAP

# chunks of a few frames, so every capture is cut in many places (state crossing chunks:
# generic-netlink ids, open transactions and their numbers, the time reference)
PROBE = ("import sys\nimport nlscope.workers as w\nw.FIRST_CHUNK = w.MAX_CHUNK = int(sys.argv[1])\n"
         "from nlscope.cli import main\nsys.exit(main(sys.argv[2:]))\n")
ALL = sorted(CAPTURES.glob("*.pcapng")) + [PYROUTE2_PCAP]
# filters on header fields: the reader prints a chunk itself after one where few matched
FORMATS = [[], ["-V"], ["-T", "json"], ["-t", "d", "-Y", "netlink.flags.dump"], ["-Y", "netlink.seq < 3"],
           ["-V", "-Y", "rtnl.link.mtu > 0"],
           ["-T", "fields", "-e", "netlink.seq", "-e", "nlscope.transaction"]]
# one process runs every case twice (one process, three workers), fd 1 pointed at a file
SAME = """
import hashlib, json, os, sys, tempfile
import nlscope.workers as w
from nlscope.cli import main
w.FIRST_CHUNK = w.MAX_CHUNK = 7
forks, real_fork = [0], os.fork
def fork():
    forks[0] += 1
    return real_fork()
os.fork = fork
out = {}
for case in json.loads(sys.argv[1]):
    got = []
    for jobs in ("1", "3"):
        with tempfile.TemporaryFile() as f:
            sys.stdout.flush()
            saved = os.dup(1)
            os.dup2(f.fileno(), 1)
            try:
                status = main(["read", "-j", jobs, *case])
            finally:
                sys.stdout.flush()
                os.dup2(saved, 1)
                os.close(saved)
            f.seek(0)
            data = f.read()
        got.append((status, hashlib.sha256(data).hexdigest(), data.count(b"\\n")))
    out[" ".join(case)] = got
out["forks"] = forks[0]
sys.stderr.write(json.dumps(out))
"""


def read(chunk, *args):
    return subprocess.run([sys.executable, "-c", PROBE, str(chunk), "read", *map(str, args)], capture_output=True)


# a capture this large (tc's, rtnl-deep's: three quarters of all the bytes) is read in two of
# the formats, a different pair for each, so that the test's time does not grow with the
# largest captures while every format still meets several captures of every kind
LARGE = 256 << 10


def _cases():
    cases, large = [], 0
    for path in ALL:
        fmts = FORMATS
        if path.stat().st_size > LARGE:
            fmts = [FORMATS[(2 * large + k) % len(FORMATS)] for k in (0, 1)]
            large += 1
        cases += [[*fmt, str(path)] for fmt in fmts]
    return cases


def test_workers_print_what_one_process_prints():
    cases = _cases()
    r = subprocess.run([sys.executable, "-c", SAME, json.dumps(cases)], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    got = json.loads(r.stderr.decode().splitlines()[-1])
    assert got.pop("forks") > 500
    assert len(got) == len(cases)
    for case, (one, many) in got.items():
        assert one[0] == many[0] == 0 and one[1] == many[1], case
    for fmt in FORMATS:  # every format printed something worth comparing
        assert sum(got[" ".join(c)][0][2] for c in cases if c[:-1] == fmt) > 50, fmt


def _truncated(tmp_path):
    data = (CAPTURES / "mixed.pcapng").read_bytes()
    path = tmp_path / "cut.pcapng"
    path.write_bytes(data[:len(data) * 2 // 3 + 5])  # mid-record
    return path


def test_a_fault_shows_everything_before_it_then_one_line(tmp_path):
    path = _truncated(tmp_path)
    one = read(5, "-j", "1", "-V", path)
    many = read(5, "-j", "2", "-V", path)
    assert one.returncode == many.returncode == 2
    assert many.stdout == one.stdout and one.stdout.count(b"Message ") > 100
    err = many.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "ends inside a record" in err


def test_a_failing_worker_is_reported_not_hidden(tmp_path):
    probe = ("import sys\nimport nlscope.workers as w\nw.FIRST_CHUNK = w.MAX_CHUNK = 4\n"
             "import nlscope.output as o\nn = [0]\norig = o.summary_line\n"
             "def bad(m, *a):\n    n[0] += 1\n    if m.frame == 10: raise RuntimeError('boom')\n"
             "    return orig(m, *a)\n"
             "o.summary_line = bad\nfrom nlscope.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    r = subprocess.run([sys.executable, "-c", probe, "read", "-j", "2", str(CAPTURES / "mixed.pcapng")],
                       capture_output=True)
    err = r.stderr.decode()
    assert r.returncode == 1
    assert "RuntimeError: boom" in err and "a worker failed on frames 9-12" in err and "-j 1" in err


def test_small_captures_fork_nothing():
    """A capture that ends within the first chunk is printed by the reader itself."""
    probe = ("import os, sys\nos.fork = None\nfrom nlscope.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    r = subprocess.run([sys.executable, "-c", probe, "read", "-j", "4", str(CAPTURES / "rtnl-extack.pcapng")],
                       capture_output=True)
    assert r.returncode == 0 and r.stdout.count(b"\n") > 40, r.stderr


def test_bad_job_count_is_one_line():
    r = subprocess.run([sys.executable, "-m", "nlscope", "read", "-j", "0", str(PYROUTE2_PCAP)], capture_output=True)
    assert r.returncode == 2 and r.stderr.decode().strip() == "nlscope: -j needs 1 process or more"


def test_a_header_filter_keeping_little_forks_nothing():
    """The reader evaluates a filter on header fields anyway; while it keeps few messages,
    the reader prints them itself instead of forking a worker per chunk."""
    probe = ("import os, sys\nimport nlscope.workers as w\nw.FIRST_CHUNK = w.MAX_CHUNK = 5\nos.fork = None\n"
             "from nlscope.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    path = str(CAPTURES / "mixed.pcapng")
    few = subprocess.run([sys.executable, "-c", probe, "read", "-j", "2", "-Y", "netlink.seq == 4242424", path],
                         capture_output=True)
    assert few.returncode == 0, few.stderr
    assert few.stdout == read(5, "-j", "1", "-Y", "netlink.seq == 4242424", path).stdout
    deep = subprocess.run([sys.executable, "-c", probe, "read", "-j", "2", "-Y", "rtnl.link.mtu > 0", path],
                          capture_output=True)
    assert deep.returncode != 0 and b"NoneType" in deep.stderr  # a tree field: workers are forked


def test_jobs_are_bounded_by_the_cores(tmp_path):
    """-j 100000 starts no more workers at once than there are cores (each holds a chunk's output)."""
    probe = ("import sys\nimport nlscope.workers as w\nw.FIRST_CHUNK = w.MAX_CHUNK = 5\nseen = []\n"
             "real = w.ChunkWorkers.__init__\n"
             "def init(self, jobs, *a, **k):\n    seen.append(jobs)\n    real(self, jobs, *a, **k)\n"
             "w.ChunkWorkers.__init__ = init\nfrom nlscope.cli import main\nstatus = main(sys.argv[1:])\n"
             "sys.stderr.write(f'jobs={seen} cores={w.available_cores()}')\nsys.exit(status)\n")
    path = str(CAPTURES / "mixed.pcapng")
    r = subprocess.run([sys.executable, "-c", probe, "read", "-j", "100000", path], capture_output=True)
    assert r.returncode == 0, r.stderr
    jobs, cores = r.stderr.decode().split()
    n = int(cores.split("=")[1])
    assert jobs == (f"jobs=[{n}]" if n > 1 else "jobs=[]")  # one core: no worker at all
    assert r.stdout == read(5, "-j", "1", path).stdout


def test_a_frame_with_a_fault_prints_in_its_place_from_workers_too(tmp_path):
    from tests.nlscope.test_cli import _with_a_frame_naming_no_interface
    path, _ = _with_a_frame_naming_no_interface(tmp_path)
    for fmt in ([], ["-V"], ["-T", "json"], ["-T", "fields", "-e", "frame.number"]):
        one, many = read(1, "-j", "1", *fmt, path), read(1, "-j", "2", *fmt, path)
        assert one.returncode == many.returncode == 0 and one.stdout == many.stdout and one.stdout, fmt
        assert one.stderr == many.stderr, fmt
