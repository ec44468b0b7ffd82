"""nlscope.sources.strace: strace's lines become frames as they come; a command run under it."""
import os
import shutil

import pytest

from nlscope.sources import CaptureError
from nlscope.sources.strace import StraceParser, StraceRun, find_command, frames, shell_status

# the shape of a real `strace -f -ttt -yy -qq -e trace=%network,execve,… -e write=all -e read=all`
# log of `sh -c 'ip link show lo'` (6.18): the child's execve and the parent's vfork printed in
# two parts each, interleaved; then ip's request and its answer
LOG = """\
31275 1796149805.467131 execve("/usr/bin/sh", ["sh", "-c", "ip link show lo"], 0x7ffc /* 35 vars */) = 0
31275 1796149805.475551 vfork( <unfinished ...>
31282 1796149805.475600 execve("/usr/sbin/ip", ["ip", "link", "show", "lo"], 0x5627 /* 35 vars */ <unfinished ...>
31275 1796149805.475661 <... vfork resumed>) = 31282
31282 1796149805.476403 <... execve resumed>) = 0
31282 1796149805.479324 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3<NETLINK:[572576]>
31282 1796149805.480718 sendmsg(3<NETLINK:[ROUTE:4266248284]>, {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, msg_iov=[{iov_base=..., iov_len=48}], msg_iovlen=1}, 0) = 48
 * 48 bytes in buffer 0
 | 00000  30 00 00 00 12 00 01 00  2e 12 0f 6b 00 00 00 00  0..........k.... |
 | 00010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................ |
 | 00020  08 00 1d 00 09 00 00 00  07 00 03 00 6c 6f 00 00  ............lo.. |
31282 1796149805.480767 recvmsg(3<NETLINK:[ROUTE:4266248284]>, {msg_iov=[{iov_base=NULL, iov_len=0}], msg_flags=MSG_TRUNC}, MSG_PEEK|MSG_TRUNC) = 36
31282 1796149805.480864 recvmsg(3<NETLINK:[ROUTE:4266248284]>, {msg_iov=[{iov_base=..., iov_len=32768}], msg_iovlen=1}, 0) = 36
 * 36 bytes in buffer 0
 | 00000  24 00 00 00 02 00 00 00  2e 12 0f 6b 5c c8 49 fe  $..........k\\.I. |
 | 00010  ed ff ff ff 30 00 00 00  12 00 01 00 2e 12 0f 6b  ....0..........k |
 | 00020  00 00 00 00                                       ....             |
"""


def test_a_child_named_by_an_execve_printed_in_two_parts_is_named():
    got = list(frames(LOG.splitlines(True)))
    assert [len(f.data) for f in got] == [48, 36]
    assert [f.comment for f in got] == ["nlscope.process pid=31282 comm=ip"] * 2
    assert [f.number for f in got] == [1, 2]


def test_a_frame_is_given_at_the_dump_line_that_completes_it_not_at_the_next_line():
    """Streaming: the answer must be shown while the program waits, not when it next calls."""
    parser = StraceParser()
    lines = LOG.splitlines()
    out = []
    for i, line in enumerate(lines):
        made = parser.feed(line)
        if made:
            out.append((i, len(made[0].data)))
    assert out == [(10, 48), (16, 36)]   # the last hex line of each dump
    assert lines[10].startswith(" | 00020") and lines[16].startswith(" | 00020") and len(lines) == 17
    assert parser.finish() == []


def test_a_dump_shorter_than_the_result_is_given_by_flush_and_a_longer_one_is_cut_at_it():
    parser = StraceParser("x")
    # a receive with MSG_TRUNC: it returned more than the buffer held, and strace dumped what it held
    assert parser.feed("9 1.000001 recvmsg(3<NETLINK:[ROUTE:9]>, {msg_iov=[{iov_base=..., iov_len=4}]}, "
                       "MSG_TRUNC) = 20") == []
    assert parser.feed(" | 00000  14 00 00 00                                       ....             |") == []
    (fr,) = parser.flush()
    assert fr.data == bytes.fromhex("14000000") and fr.comment == "nlscope.process pid=9 comm=x"
    assert parser.flush() == []
    # a send that took fewer bytes than the buffer held: the frame is what the kernel took
    parser.feed("9 1.000002 sendto(3<NETLINK:[ROUTE:9]>, \"...\", 20, 0, NULL, 0) = 2")
    (fr,) = parser.feed(" | 00000  14 00 00 00                                       ....             |")
    assert fr.data == b"\x14\x00"


def test_failed_and_peeking_calls_and_other_sockets_make_no_frame():
    log = ["9 1.0 sendmsg(3<NETLINK:[ROUTE:9]>, {}, 0) = -1 ENOBUFS (No buffer space available)",
           "9 1.1 recvmsg(3<NETLINK:[ROUTE:9]>, {}, MSG_PEEK) = 20",
           " | 00000  14 00 00 00                                       ....             |",
           "9 1.2 sendmsg(4<UNIX-STREAM:[5]>, {}, 0) = 4",
           " | 00000  14 00 00 00                                       ....             |",
           "9 1.3 sendmsg(5<NETLINK:[99:1]>, {}, 0) = 4",
           " | 00000  14 00 00 00                                       ....             |"]
    assert list(frames(log)) == []


def test_a_dump_line_that_is_not_hex_raises_valueerror():
    parser = StraceParser()
    parser.feed("9 1.0 sendmsg(3<NETLINK:[ROUTE:9]>, {}, 0) = 4")
    with pytest.raises(ValueError):
        parser.feed(" | 00000  zz zz 00 00                                       ....             |")


def test_shell_status_and_find_command_say_what_a_shell_says(tmp_path):
    assert [shell_status(rc) for rc in (0, 3, -9, -15)] == [0, 3, 137, 143]
    assert find_command("sh")[1] == 0 and find_command("sh")[0].endswith("/sh")
    assert find_command("no-such-command-nlscope") == (None, 127)
    assert find_command(str(tmp_path / "missing")) == (None, 127)
    plain = tmp_path / "plain"
    plain.write_text("")
    assert find_command(str(plain)) == (None, 126)
    assert find_command(str(tmp_path)) == (None, 126)


needs_strace = pytest.mark.skipif(shutil.which("strace") is None or shutil.which("unshare") is None
                                  or os.geteuid() != 0, reason="needs strace and unshare -n (root)")


@needs_strace
def test_a_command_run_under_strace_gives_its_frames_and_its_status(tmp_path):
    out = tmp_path / "out"
    with open(out, "w") as f:
        run = StraceRun(["unshare", "-n", "sh", "-c", "ip link show lo; exit 5"], popen={"stdout": f.fileno()})
        got = list(run.frames())
    assert run.status == 5 and run.wait() == 5
    assert "lo: <LOOPBACK" in out.read_text()   # the command's output went where it was sent
    types = [int.from_bytes(f.data[4:6], "little") for f in got]
    assert 18 in types and 16 in types   # RTM_GETLINK sent, RTM_NEWLINK answered
    assert all(f.comment.endswith(" comm=ip") for f in got)
    assert run._dir is None and run._fd is None   # the FIFO, its directory and our ends are gone


def test_strace_missing_is_a_capture_error_in_one_line():
    with pytest.raises(CaptureError) as exc:
        StraceRun(["true"], strace="no-such-strace-nlscope")
    assert "\n" not in str(exc.value) and "not found" in str(exc.value)


@needs_strace
def test_a_command_killed_by_a_signal_gives_128_plus_it():
    run = StraceRun(["sh", "-c", "kill -TERM $$"])
    assert list(run.frames()) == [] and run.status == 143


def test_a_run_leaves_out_a_call_whose_dump_cannot_be_read_and_counts_it(tmp_path):
    """StraceRun reads strace's log as it comes: a bad dump line drops its call, never the run."""
    run = StraceRun.__new__(StraceRun)
    r, w = os.pipe()
    os.write(w, b"9 1.0 sendmsg(3<NETLINK:[ROUTE:9]>, {}, 0) = 4\n"
                b" | 00000  zz zz 00 00                                       ....             |\n"
                b"9 1.1 sendmsg(3<NETLINK:[ROUTE:9]>, {}, 0) = 4\n"
                b" | 00000  14 00 00 00                                       ....             |\n")
    os.close(w)

    class Done:
        pid = os.getpid()

        def poll(self):
            return 0

        def wait(self):
            return 0
    run._fd, run._hold, run._dir, run.proc = r, None, None, Done()
    run.parser, run.status, run.bad_lines = StraceParser("x"), None, 0
    got = list(run.frames())
    assert [f.data for f in got] == [bytes.fromhex("14000000")] and run.bad_lines == 1 and run.status == 0


# `ip monitor nexthop` reading a notification that repeats its request's NLM_F_REQUEST
# (net/ipv4/nexthop.c nexthop_notify() takes the request's flags): only the call says which way
NOTIFY = """\
4200 1796149806.000001 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3<NETLINK:[572577]>
4200 1796149806.000100 recvmsg(3<NETLINK:[ROUTE:4200]>, {msg_iov=[{iov_base=..., iov_len=32768}], msg_iovlen=1}, 0) = 24
 * 24 bytes in buffer 0
 | 00000  18 00 00 00 68 00 05 06  07 00 00 00 00 00 00 00  ....h........... |
 | 00010  02 00 00 00 00 00 00 00                           ........         |
4200 1796149806.000200 sendto(3<NETLINK:[ROUTE:4200]>, "...", 24, 0, {sa_family=AF_NETLINK, nl_pid=4300, nl_groups=00000000}, 12) = 24
 | 00000  18 00 00 00 10 00 00 00  01 00 00 00 00 00 00 00  ................ |
 | 00010  00 00 00 00 00 00 00 00                           ........         |
"""


def test_the_call_records_the_direction_the_flags_would_get_wrong():
    from nlscope.messages import messages
    from nlscope.sources.capture import INBOUND, OUTBOUND
    got = list(frames(LOG.splitlines(True))) + list(frames(NOTIFY.splitlines(True)))
    assert [f.direction for f in got] == [INBOUND, OUTBOUND, OUTBOUND, None]   # a send to port 4300: not said
    (m,) = list(messages([got[2]]))
    assert m.type_name == "RTM_NEWNEXTHOP" and m.flags & 1 and m.direction == "from kernel"
