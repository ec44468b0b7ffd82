"""`nlscope trace -- CMD`: real programs of this host, each run inside `unshare -n` (a network
namespace of its own: the host's is never touched), traced by the strace engine; the BPF
engine's choice of frames on synthetic frames and real fork events (tree.py)."""
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

from nlscope.sources.capture import INBOUND, OUTBOUND, Delivery, Frame
from nlscope.trace import tree as T
from nlscope.trace.engines import BpfEngine

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# trace's add_parser()/run() behind a parser of their own, as cli.py wires them
RUNNER = ("import argparse, sys; from nlscope import trace; ap = argparse.ArgumentParser(prog='nlscope'); "
          "trace.add_parser(ap.add_subparsers(dest='command')); sys.exit(trace.run(ap.parse_args(sys.argv[1:])))")


UNSHARE = shutil.which("unshare") or "unshare"


def _can_unshare() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


needs_netns = pytest.mark.skipif(not _can_unshare() or shutil.which("strace") is None
                                 or shutil.which("ip") is None, reason="needs unshare -n (root), strace and ip")


def trace_argv(args, setup="", after=""):
    """`nlscope trace ARGS` in a new network namespace (lo up), between the shell commands
    `setup` and `after`; the shell exits with trace's status."""
    return [UNSHARE, "-n", "sh", "-c", f'ip link set lo up; {setup} "$@"; st=$?; {after} exit $st', "sh",
            sys.executable, "-c", RUNNER, "trace", *args]


def trace(*args, setup="", after="", env=None):
    return subprocess.run(trace_argv(args, setup, after), capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=ROOT, **(env or {})))


def rows(out: str) -> list[str]:
    return out.splitlines()[1:]   # after the column header


def objects(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@needs_netns
def test_ip_link_add_with_an_error_shows_the_extack_and_the_blamed_attribute_and_passes_ips_status_on():
    r = trace("--source", "strace", "--", "ip", "link", "add", "x0", "gso_max_size", "10", "type", "dummy")
    direct = subprocess.run(["unshare", "-n", "ip", "link", "add", "x0", "gso_max_size", "10", "type", "dummy"],
                            capture_output=True)
    assert r.returncode == direct.returncode == 2
    errors = [x for x in rows(r.stdout) if "NLMSG_ERROR" in x and "ERANGE" in x]
    assert len(errors) == 1
    assert errors[0].endswith('ERANGE for RTM_NEWLINK seq ' + errors[0].split(" seq ")[1].split(":")[0]
                              + ': "integer out of range" [IFLA_GSO_MAX_SIZE]')
    assert "Error: integer out of range." in r.stderr   # ip's own stderr, untouched
    v = trace("--source", "strace", "-V", "-Y", "netlink.error == ERANGE", "--", "ip", "link", "add", "x0",
              "gso_max_size", "10", "type", "dummy")
    assert "Offending attribute: IFLA_GSO_MAX_SIZE" in v.stdout
    assert "Transaction 2: response, error, request in 3.1" in v.stdout
    assert v.returncode == 2


@needs_netns
def test_ip_batch_every_command_is_a_request_with_its_ack(tmp_path):
    (tmp_path / "b.txt").write_text("addr add 10.0.0.1/8 dev lo\nroute add 11.0.0.0/8 via 10.0.0.2\n"
                                    "route add 12.0.0.0/8 via 10.0.0.3\n")
    r = trace("--source", "strace", "-T", "json", "--", "ip", "-batch", str(tmp_path / "b.txt"))
    assert r.returncode == 0
    ms = objects(r.stdout)
    new = [m for m in ms if m["type"] in ("RTM_NEWADDR", "RTM_NEWROUTE")]
    assert [m["info"] for m in new] == ["10.0.0.1/8 dev 1", "11.0.0.0/8 via 10.0.0.2 table main",
                                        "12.0.0.0/8 via 10.0.0.3 table main"]
    for req in new:
        (ack,) = [m for m in ms if m["transaction"]["request"] == f"{req['frame']}.{req['msg']}"
                  and m["transaction"]["role"] == "response"]
        assert ack["type"] == "NLMSG_ERROR" and ack["error"]["code"] == 0 and ack["seq"] == req["seq"]
    assert len({m["process"]["pid"] for m in ms}) == 1 and ms[0]["process"]["comm"] == "ip"


@needs_netns
def test_nft_f_a_ruleset_is_one_batch_of_its_table_chain_and_rule(tmp_path):
    if shutil.which("nft") is None:
        pytest.skip("needs nft")
    (tmp_path / "r.nft").write_text("table inet t {\n chain c { type filter hook input priority 0; "
                                    "tcp dport 22 accept; }\n}\n")
    r = trace("--source", "strace", "--", "nft", "-f", str(tmp_path / "r.nft"))
    assert r.returncode == 0, r.stderr
    batch = [x for x in rows(r.stdout) if x.split()[0].split(".")[0] == [y for y in rows(r.stdout)
                                                                         if "BATCH_BEGIN" in y][0].split(".")[0].strip()]
    types = [x.split()[7] for x in batch]
    assert types == ["NFNL_MSG_BATCH_BEGIN", "NFT_MSG_NEWTABLE", "NFT_MSG_NEWCHAIN", "NFT_MSG_NEWRULE",
                     "NFNL_MSG_BATCH_END"]
    assert batch[3].endswith("t c tcp dport 22 accept")
    assert all("nft[" in x for x in rows(r.stdout))


@needs_netns
def test_a_program_that_forks_each_child_is_named_and_the_shell_sends_nothing():
    r = trace("--source", "strace", "-T", "json", "--", "sh", "-c", "ip link show >/dev/null; ip addr show >/dev/null")
    assert r.returncode == 0
    ms = objects(r.stdout)
    procs = list(dict.fromkeys((m["process"]["comm"], m["process"]["pid"]) for m in ms))
    assert [c for c, _ in procs] == ["ip", "ip"] and procs[0][1] != procs[1][1]
    first = [m["type"] for m in ms if m["process"]["pid"] == procs[0][1]]
    second = [m["type"] for m in ms if m["process"]["pid"] == procs[1][1]]
    assert "RTM_GETADDR" not in first and "RTM_GETADDR" in second


@needs_netns
def test_a_program_that_lives_under_a_millisecond_is_named_and_paired():
    r = trace("--source", "strace", "-T", "json", "--", "ip", "route", "get", "127.0.0.1")
    assert r.returncode == 0
    assert r.stderr.startswith("local 127.0.0.1 dev lo")   # ip's output: on stderr, our JSON whole
    ms = objects(r.stdout)
    (req,) = [m for m in ms if m["type"] == "RTM_GETROUTE"]
    (ans,) = [m for m in ms if m["type"] == "RTM_NEWROUTE"]
    assert req["info"] == "127.0.0.1/32 table unspec" and "127.0.0.1" in ans["info"]
    assert ans["transaction"]["request"] == f"{req['frame']}.{req['msg']}" and ans["transaction"]["role"] == "response"
    assert req["process"] == ans["process"] and req["process"]["comm"] == "ip"


@needs_netns
def test_w_then_read_gives_the_same_messages(tmp_path):
    out = tmp_path / "t.pcapng"
    r = trace("--source", "strace", "-T", "json", "-w", str(out), "--", "ip", "-d", "link", "show")
    assert r.returncode == 0
    back = subprocess.run([sys.executable, "-m", "nlscope", "read", "-T", "json", str(out)], capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    assert back.returncode == 0 and back.stdout == r.stdout and len(objects(back.stdout)) >= 4
    quiet = trace("--source", "strace", "-q", "-w", str(out), "--", "ip", "link", "show", "lo")
    assert quiet.stdout == "" and quiet.returncode == 0
    assert "RTM_GETLINK" in subprocess.run([sys.executable, "-m", "nlscope", "read", str(out)], capture_output=True,
                                           text=True, env=dict(os.environ, PYTHONPATH=ROOT)).stdout
    # the summaries are read -l's with the Process column (streamed: no read-ahead fits the columns)
    text = trace("--source", "strace", "-w", str(out), "--", "ip", "link", "set", "lo", "gso_max_size", "10")
    back = subprocess.run([sys.executable, "-m", "nlscope", "read", "-l", "--columns",
                           "no,time,process,protocol,dir,portid,seq,type,flags,info", str(out)],
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    assert text.returncode == 2 and back.stdout == text.stdout and "[IFLA_GSO_MAX_SIZE]" in back.stdout


@needs_netns
def test_y_shows_only_what_matches_and_the_status_stays_the_commands():
    r = trace("--source", "strace", "-Y", "netlink.error != 0", "--", "ip", "link", "set", "lo", "gso_max_size", "10")
    assert r.returncode == 2
    assert all("NLMSG_ERROR" in x for x in rows(r.stdout)) and any("ERANGE" in x for x in rows(r.stdout))
    bad = trace("--source", "strace", "-Y", "netlink.error ==", "--", "ip", "-V")
    assert bad.returncode == 2 and bad.stderr.startswith("nlscope: bad filter") and "ip utility" not in bad.stdout


@needs_netns
def test_a_command_not_found_is_one_line_and_127_and_one_not_executable_126(tmp_path):
    r = trace("--", "no-such-command-nlscope")
    assert r.returncode == 127 and r.stdout == ""
    assert r.stderr == "nlscope: no-such-command-nlscope: command not found\n"
    f = tmp_path / "plain"
    f.write_text("x")
    r = trace("--", str(f))
    assert r.returncode == 126 and r.stderr.count("\n") == 1
    r = trace()
    assert r.returncode == 2 and r.stderr.count("\n") == 1


@needs_netns
def test_the_status_of_a_command_killed_by_a_signal_is_128_plus_the_signal():
    assert trace("--source", "strace", "--", "sh", "-c", "kill -9 $$").returncode == 137
    assert trace("--source", "strace", "--", "sh", "-c", "exit 7").returncode == 7


SIBLING = """
import socket, struct, time
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
end = time.time() + 30
while time.time() < end:
    s.send(struct.pack("=IHHII", 32, 18, 1, 4242, 0) + bytes(16))   # RTM_GETLINK seq 4242
    s.recv(65536)
"""


@needs_netns
def test_traffic_of_other_processes_running_meanwhile_is_never_shown(tmp_path):
    (tmp_path / "sib.py").write_text(SIBLING)
    setup = (f"{sys.executable} {tmp_path / 'sib.py'} & A=$!; ip monitor link > {tmp_path / 'mon.txt'} & B=$!; "
             f"sleep 0.3;")
    r = trace("--source", "strace", "-T", "json", "--", "sh", "-c", "ip link set lo mtu 1400; ip link set lo mtu 1500",
              setup=setup, after="sleep 0.2; kill $A $B;")
    assert r.returncode == 0
    ms = objects(r.stdout)
    assert ms and not [m for m in ms if m["seq"] == 4242]
    assert {m["process"]["comm"] for m in ms} == {"ip"} and len({m["process"]["pid"] for m in ms}) == 2
    # the monitor did see the traced changes: they were multicast to it, not to the traced ip
    assert "mtu 1400" in (tmp_path / "mon.txt").read_text()
    assert not [m for m in ms if m["transaction"]["role"] == "notification"]


@needs_netns
def test_frames_are_shown_as_they_happen_not_at_the_end():
    p = subprocess.Popen(trace_argv(["--source", "strace", "--", "sh", "-c", "ip link show lo >/dev/null; sleep 3"]),
                         stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    t0 = time.monotonic()
    try:
        header = p.stdout.readline()
        first = p.stdout.readline()
        seen = time.monotonic() - t0
        assert "No." in header and "RTM_" in first
        assert seen < 2.5 and p.poll() is None
    finally:
        p.wait(30)
    assert p.returncode == 0


@needs_netns
def test_strace_missing_is_one_line_and_a_failure(tmp_path):
    (tmp_path / "ip").symlink_to(shutil.which("ip"))
    r = subprocess.run([UNSHARE, "-n", sys.executable, "-c", RUNNER, "trace", "--source", "strace", "--", "ip", "-V"],
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT, PATH=str(tmp_path)))
    assert r.returncode == 2 and r.stdout.count("\n") <= 1 and "ip utility" not in r.stdout
    assert r.stderr.count("\n") == 1 and "strace not found" in r.stderr


@needs_netns
def test_source_bpf_where_it_cannot_run_is_one_line_and_the_command_is_not_run():
    r = trace("--source", "bpf", "--", "ip", "-V")
    assert r.returncode == 2 and "ip utility" not in r.stdout
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("nlscope: bpf source")


# ---- the BPF engine's choice of frames -------------------------------------------------

def frame(n, tgid, direction, sender=0, receiver=0, group=0, protocol=0):
    d = Delivery(tgid, tgid, "x", sender, receiver, group)
    return Frame(n, 0.0, bytes(16), protocol, 16, 16, comment=d.comment(), direction=direction, delivery=d)


def test_a_childs_membership_is_its_parents_and_a_pid_reused_outside_is_not_a_member():
    tree = T.ProcessTree()
    tree.fork(100, 200)        # before the root is known: kept, applied when it is
    tree.set_root(100)
    tree.fork(1, 100)          # the fork that made the root, read after it was named: it stays
    assert 100 in tree and 200 in tree
    tree.fork(200, 300)
    tree.fork(300, 300)        # a thread: nothing changes
    tree.fork(999, 400)
    assert {100, 200, 300} <= tree.members and 400 not in tree
    tree.exit(300)
    assert 300 in tree         # its frames may still be judged after it exited
    tree.fork(999, 300)        # pid 300 reused by a process of another tree
    assert 300 not in tree
    for pid in (100, 200):
        tree.exit(pid)
    assert tree.done


def test_a_frame_is_judged_after_the_fork_events_queued_before_it():
    tree = T.ProcessTree(10)
    events = [(10, 11), (11, 12)]
    f = T.TreeFilter(tree, sync=lambda: [tree.fork(*e) for e in events] and events.clear())
    assert f.judge(frame(1, 12, INBOUND, sender=12))   # the fork events are read only now
    assert not f.judge(frame(2, 77, INBOUND, sender=77))
    assert (f.kept, f.left) == (1, 1)


def test_what_the_kernel_queues_is_judged_by_the_receiving_socket_not_the_running_process():
    tree = T.ProcessTree(10)
    owners = {(0, 5000): 10, (0, 6000): 66}
    f = T.TreeFilter(tree, owner=lambda proto, port: owners.get((proto, port)))
    assert f.judge(frame(1, 10, INBOUND, sender=10))                 # the command's request
    assert f.judge(frame(2, 10, OUTBOUND, receiver=10))               # its answer
    assert not f.judge(frame(3, 66, INBOUND, sender=66))             # another process's request
    # the command's change, multicast to the other process's socket while the command ran
    assert not f.judge(frame(4, 10, OUTBOUND, receiver=66, group=1))
    # another process's change multicast to a socket of the command's that only listens
    assert f.judge(frame(5, 66, OUTBOUND, receiver=5000, group=1))
    assert not f.judge(frame(6, 66, OUTBOUND, receiver=6000, group=1))
    # a frame with no BPF facts is judged by the process in its comment
    assert f.judge(Frame(7, 0.0, b"", 0, 0, 0, comment="nlscope.process pid=10 comm=ip"))
    assert not f.judge(Frame(8, 0.0, b"", 0, 0, 0))


def test_proc_events_are_read_whatever_their_bytes():
    ev = (T._CN_MSG.pack(1, 1, 0, 0, 40, 0) + T._EVENT.pack(T.PROC_EVENT_FORK, 0, 5) + T._IDS.pack(1, 1, 2, 2)
          + bytes(8))
    msg = __import__("struct").pack("=IHHII", 16 + len(ev), 3, 0, 0, 0) + ev
    assert list(T.parse_proc_events(msg)) == [(T.PROC_EVENT_FORK, (1, 1, 2, 2))]
    for cut in range(len(msg)):
        list(T.parse_proc_events(msg[:cut]))   # never raises
    assert list(T.parse_proc_events(msg[:16] + bytes(len(ev)))) == []


def _connector():
    try:
        ev = T.ProcEvents(T.ProcessTree())
    except OSError:
        return None
    ev.close()
    return True


@dataclass
class _FakeCapture:
    """A BPF capture's interface (frames(idle=True), stop(), close()) giving frames made once
    the traced programs have written their pids (so a grandchild long gone is judged)."""
    pids_file: str
    outsider: int
    stopped: bool = False

    def frames(self, idle=False):
        while not self.stopped:
            try:
                pids = [int(x) for x in open(self.pids_file).read().split()]
            except (OSError, ValueError):
                pids = []
            if len(pids) == 2:
                time.sleep(0.05)   # the grandchild has exited by now
                for n, pid in enumerate((pids[0], self.outsider, pids[1], self.outsider), 1):
                    yield frame(n, pid, INBOUND, sender=pid)
                while not self.stopped:
                    yield None
                    time.sleep(0.01)
                return
            yield None
            time.sleep(0.01)

    def stop(self):
        self.stopped = True

    def close(self):
        pass


@pytest.mark.skipif(os.geteuid() != 0 or not _connector(), reason="needs the proc connector (root, initial netns)")
def test_the_bpf_engine_keeps_the_frames_of_the_command_tree_from_real_fork_events(tmp_path):
    """No network is touched: sh forks and writes pids; the connector only listens."""
    pids = tmp_path / "pids"
    outsider = subprocess.Popen(["sleep", "5"])
    try:
        eng = BpfEngine(["sh", "-c", f'echo $$ > {pids}; sh -c "echo \\$\\$ >> {pids}"; sleep 0.2'],
                        capture=_FakeCapture(str(pids), outsider.pid))
        kept = list(eng.frames())
    finally:
        outsider.kill()
        outsider.wait()
    assert eng.wait() == 0
    root, grandchild = [int(x) for x in pids.read_text().split()]
    assert [(f.number, f.delivery.tgid) for f in kept] == [(1, root), (2, grandchild)]
    assert eng.filter.left == 2 and eng.note() is None


# ---- trace --tui -----------------------------------------------------------------------

@needs_netns
@pytest.mark.asyncio
async def test_tui_shows_the_commands_messages_as_they_come_and_q_stops_it(monkeypatch, tmp_path):
    """The TUI follows the file the engine writes; the command's output waits for the TUI to
    close; q while the command runs stops it (its whole process group, children too)."""
    import argparse
    import asyncio

    from nlscope.trace.tui import TuiSession
    from nlscope.tui.app import NlscopeApp
    from nlscope.tui.stream_store import StreamStore
    from nlscope.tui.widgets.message_list import MessageList
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))   # not the user's tui.toml
    args = argparse.Namespace(write=None, source="strace")
    session = TuiSession(args, [UNSHARE, "-n", "sh", "-c", "ip link show lo; sleep 30"])
    app = NlscopeApp(store=StreamStore(session.path))

    def rows_text():
        lst = app.query_one(MessageList)
        return "\n".join(lst.render_line(y).text for y in range(1, lst.size.height))
    t0 = time.monotonic()
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            while "RTM_NEWLINK" not in rows_text():
                assert time.monotonic() - t0 < 15, rows_text()
                await asyncio.sleep(0.05)
            assert session.running and "RTM_GETLINK" in rows_text()
            await pilot.press("q")
    finally:
        status = session.finish()   # whatever failed above, the command does not outlive the test
        session.cleanup(keep=False)
    assert status == 143 and time.monotonic() - t0 < 10   # SIGTERM, to sh and its sleep alike
    assert b"lo: <LOOPBACK" in session.output_text
    assert not os.path.exists(session.dir)


def test_tui_without_a_terminal_is_one_line_and_2():
    r = subprocess.run([sys.executable, "-c", RUNNER, "trace", "--tui", "--", "true"], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "needs a terminal" in r.stderr


@needs_netns
def test_the_default_source_runs_where_bpf_cannot_and_says_so_in_one_line_at_most():
    r = trace("-T", "json", "--", "ip", "route", "get", "127.0.0.1")
    assert r.returncode == 0 and any(m["type"] == "RTM_NEWROUTE" for m in objects(r.stdout))
    assert len([x for x in r.stderr.splitlines() if x.startswith("nlscope:")]) <= 1


def test_the_default_does_not_try_bpf_without_kernel_headers_for_bcc(tmp_path):
    from nlscope.trace.engines import kernel_headers_present
    if not os.path.exists("/sys/kernel/kheaders.tar.xz"):
        assert not kernel_headers_present("0.0.0-nlscope-none", environ={})
    assert kernel_headers_present("0.0.0-nlscope-none", environ={"BCC_KERNEL_SOURCE": str(tmp_path)})
