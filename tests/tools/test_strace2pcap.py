"""tools/strace2pcap.py: an strace log of real netlink calls becomes frames nlscope decodes."""
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import strace2pcap  # noqa: E402

from nlscope.sources import read_capture  # noqa: E402

# `ip link show lo` under strace -f -ttt -yy -e write=all -e read=all (a 6.18 kernel): the
# request, a peek (left out: the same bytes come again), the answer split by strace into
# an unfinished call and its resumption, and a read of a file that is not a netlink socket.
LOG = """\
700 1796137757.000001 execve("/usr/sbin/ip", ["ip", "link", "show", "lo"], 0x7ffd /* 20 vars */) = 0
700 1796137757.000100 read(3</usr/lib/x86_64-linux-gnu/libc.so.6>, "\\177ELF", 4) = 4
 | 00000  7f 45 4c 46                                       .ELF             |
700 1796137757.000200 sendmsg(4<NETLINK:[ROUTE:4266102873]>, {msg_name={sa_family=AF_NETLINK}, msg_iov=[{iov_base=..., iov_len=48}], msg_iovlen=1}, 0) = 48
 * 48 bytes in buffer 0
 | 00000  30 00 00 00 12 00 01 00  ed e2 0e 6b 00 00 00 00  0..........k.... |
 | 00010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................ |
 | 00020  08 00 1d 00 09 00 00 00  07 00 03 00 6c 6f 00 00  ............lo.. |
700 1796137757.000300 recvmsg(4<NETLINK:[ROUTE:4266102873]>, {msg_iov=[{iov_base=NULL, iov_len=0}], msg_flags=MSG_TRUNC}, MSG_PEEK|MSG_TRUNC) = 36
700 1796137757.000400 recvmsg(4<NETLINK:[ROUTE:4266102873]>,  <unfinished ...>
701 1796137757.000450 getpid() = 701
700 1796137757.000500 <... recvmsg resumed>{msg_iov=[{iov_base=..., iov_len=16384}], msg_iovlen=1}, 0) = 36
 * 36 bytes in buffer 0
 | 00000  24 00 00 00 02 00 00 00  ed e2 0e 6b 59 b2 44 fe  $..........kY.D. |
 | 00010  ed ff ff ff 30 00 00 00  12 00 01 00 ed e2 0e 6b  ....0..........k |
 | 00020  00 00 00 00                                       ....             |
"""


def test_each_netlink_call_with_data_is_one_frame_with_its_protocol_time_and_process():
    frames = list(strace2pcap.frames(io.StringIO(LOG)))
    assert [len(f.data) for f in frames] == [48, 36]
    assert [f.protocol for f in frames] == [0, 0]
    assert frames[0].data[:8] == bytes.fromhex("3000000012000100")
    assert frames[1].data[16:20] == bytes.fromhex("edffffff")     # -ENODEV
    assert frames[0].ts_ns == 1796137757000200000
    assert frames[0].comment == "nlscope.process pid=700 comm=ip"


def test_the_written_file_reads_back_as_the_same_frames(tmp_path):
    log, out = tmp_path / "ip.strace", tmp_path / "ip.pcapng"
    log.write_text(LOG)
    assert strace2pcap.main([str(log), str(out)]) == 0
    back = list(read_capture(str(out)))
    assert [f.data for f in back] == [f.data for f in strace2pcap.frames(io.StringIO(LOG))]
    assert [f.protocol for f in back] == [0, 0]


def test_protocol_names_strace_prints_map_to_their_numbers():
    assert strace2pcap._protocol("GENERIC") == 16
    assert strace2pcap._protocol("NETFILTER") == 12
    assert strace2pcap._protocol("17") == 17
    assert strace2pcap._protocol("NO_SUCH") is None


def test_a_socket_shown_by_its_inode_has_the_protocol_of_its_socket_call():
    """An unbound socket is NETLINK:[inode] in strace's output (ss sends on one): the socket()
    call that made it names the protocol."""
    log = ("800 1796137757.000001 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) = 3<NETLINK:[405111]>\n"
           "800 1796137757.000002 sendmsg(3<NETLINK:[405111]>, {msg_iov=[{iov_base=..., iov_len=20}]}, 0) = 20\n"
           " * 20 bytes in buffer 0\n"
           " | 00000  14 00 00 00 14 00 01 03  40 e2 01 00 00 00 00 00  ........@....... |\n"
           " | 00010  28 00 00 00                                       (...             |\n")
    (fr,) = strace2pcap.frames(io.StringIO(log))
    assert fr.protocol == 4 and len(fr.data) == 20


def test_a_log_that_is_not_strace_output_is_one_line_and_status_2(tmp_path, capsys):
    log = tmp_path / "bad.strace"
    log.write_text("700 1796137757.000200 sendmsg(4<NETLINK:[ROUTE:1]>, {}, 0) = 48\n"
                   " | 00000  zz zz 00 00 12 00 01 00  ed e2 0e 6b 00 00 00 00  0..........k.... |\n")
    assert strace2pcap.main([str(log), str(tmp_path / "out.pcapng")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not an strace" in err
    assert strace2pcap.main([str(tmp_path / "missing"), str(tmp_path / "out.pcapng")]) == 2


def test_a_process_whose_execve_strace_printed_in_two_parts_is_named():
    """strace -f prints a child's execve as `<unfinished ...>` then `<... execve resumed>` when
    its parent's vfork is pending: the frames are still named after the program run."""
    log = ('900 1796137757.000001 vfork( <unfinished ...>\n'
           '901 1796137757.000002 execve("/usr/sbin/ip", ["ip"], 0x5627 /* 35 vars */ <unfinished ...>\n'
           '900 1796137757.000003 <... vfork resumed>) = 901\n'
           '901 1796137757.000004 <... execve resumed>) = 0\n'
           '901 1796137757.000005 sendmsg(3<NETLINK:[ROUTE:901]>, {msg_iov=[{iov_base=..., iov_len=20}]}, 0) = 20\n'
           ' * 20 bytes in buffer 0\n'
           ' | 00000  14 00 00 00 12 00 01 03  40 e2 01 00 00 00 00 00  ........@....... |\n'
           ' | 00010  00 00 00 00                                       ....             |\n')
    (fr,) = strace2pcap.frames(io.StringIO(log), "sh")
    assert fr.comment == "nlscope.process pid=901 comm=ip"
