"""ss, ethtool and conntrack on the host's 6.18 kernel (captures/host-6.18/ss.sh, ethtool.sh,
conntrack.sh): every message decoded whole, with the values the tools printed (NAME.out)."""
import re

import pytest

from tests.conftest import CAPTURES, decode_file
from tests.expect import check_claimed_whole

HERE = CAPTURES / "host-6.18"
NAMES = ["ss", "ethtool", "conntrack"]


@pytest.fixture(scope="module")
def caps():
    return {n: decode_file(HERE / f"{n}.pcapng") for n in NAMES}


def out(name):
    return (HERE / f"{name}.out").read_text()


@pytest.mark.parametrize("name", NAMES)
def test_every_message_is_claimed_and_fully_decoded(caps, name):
    msgs = caps[name]
    assert len(msgs) > 100
    check_claimed_whole(msgs)


# --- ss ------------------------------------------------------------------------------------------
def test_ss_kill_destroys_the_socket_it_names(caps):
    """`ss -K dst 127.0.0.1 dport = :8080` finds the connection, sends SOCK_DESTROY for its
    id, the kernel acks (header only, NLM_F_CAPPED) and the next `ss -t -n` lacks it."""
    msgs = caps["ss"]
    (kill,) = [m for m in msgs if m.type_name == "SOCK_DESTROY inet"]
    sport = kill.tree.first("sock_diag.inet.req.sport")
    assert kill.info == f"tcp 127.0.0.1:{sport} 127.0.0.1:8080 cookie {kill.tree.find('sock_diag.inet.req.cookie').show}"
    assert f"127.0.0.1:{sport}    127.0.0.1:http-alt" in out("ss")
    (ack,) = [m for m in msgs if m.type_name == "NLMSG_ERROR" and m.seq == kill.seq]
    assert ack.claimed and ack.info == f"ACK for SOCK_DESTROY seq {kill.seq}"
    after = out("ss").split("+ ss -K ", 1)[1].split("+ ss -t -n\n", 1)[1].split("+ ", 1)[0]
    assert ":8080" not in after and f":{sport}" not in after


def test_ss_request_header_shows_its_protocol_member(caps):
    """The u8 sdiag_protocol of inet_diag_req_v2 shares its filter name with the attribute
    INET_DIAG_REQ_PROTOCOL; in the header it is shown as the member, named by protocol."""
    reqs = [m for m in caps["ss"] if m.type_name == "SOCK_DIAG_BY_FAMILY inet request"]
    shown = {m.tree.children[1].children[1].line() for m in reqs}
    assert {"Protocol: tcp (6)", "Protocol: udp (17)", "Protocol: raw (255)"} <= shown
    assert not any("INET_DIAG_REQ_PROTOCOL" in line for line in shown)


def test_ss_tcp_info_of_6_18_is_whole(caps):
    """6.18's struct tcp_info is 280 bytes: the Accurate ECN counters after total_rto_time."""
    infos = [n for m in caps["ss"] for n in m.tree.walk() if n.field.abbrev == "sock_diag.inet.info"]
    assert infos and {n.length - 4 for n in infos} == {280}
    for n in infos:
        names = [c.field.abbrev.rsplit(".", 1)[1] for c in n.children]
        assert names[-8:] == ["received_ce", "delivered_e1_bytes", "delivered_e0_bytes", "delivered_ce_bytes",
                              "received_e1_bytes", "received_e0_bytes", "received_ce_bytes", "ecn_accecn"]
    # the bytes ss counted (`ss -t -n -i`: bytes_acked / bytes_received) are in the struct
    acked = {int(v) for v in re.findall(r"bytes_acked:(\d+)", out("ss"))}
    assert acked and acked <= {m.tree.first("sock_diag.inet.tcp_info.bytes_acked") for m in caps["ss"]
                               if m.tree.find("sock_diag.inet.info") is not None}


def test_ss_tipc_request_is_recognised(caps):
    """`ss --tipc -a`: struct tipc_sock_diag_req; the host has no TIPC (ENOENT)."""
    (req,) = [m for m in caps["ss"] if m.type_name == "SOCK_DIAG_BY_FAMILY tipc request"]
    assert req.tree.first("sock_diag.tipc.req.family") == 30 and req.info.startswith("tipc dump states")
    (err,) = [m for m in caps["ss"] if m.type_name == "NLMSG_ERROR" and "tipc request" in m.info]
    assert err.info.startswith("ENOENT")


def test_ss_filters_are_bytecode(caps):
    """`state established '( dport = :2222 or sport = :2222 )'`: a 3-op filter on ESTAB."""
    (req,) = [m for m in caps["ss"] if m.info == "tcp states ESTAB, filter of 3 ops"
              and m.type_name == "SOCK_DIAG_BY_FAMILY inet request"]
    ops = [n.label for n in req.tree.find_all("sock_diag.inet.bc.op")]
    assert ops == ["D_COND", "JMP", "S_COND"]                                # dport, or, sport
    assert {n.value for n in req.tree.find_all("sock_diag.inet.bc.arg")} == {"*/0 port 2222"}


# --- ethtool -------------------------------------------------------------------------------------
def first(msgs, kind, field):
    return next(m.tree.first(field) for m in msgs if m.type_name == kind and m.tree.find(field) is not None)


def test_ethtool_replies_carry_what_ethtool_printed(caps):
    msgs, text = caps["ethtool"], out("ethtool")
    assert "Speed: 10000Mb/s" in text and "Duplex: Full" in text
    assert first(msgs, "ETHTOOL_MSG_LINKMODES_GET_REPLY", "ethtool.linkmodes.speed") == 10000
    assert first(msgs, "ETHTOOL_MSG_LINKMODES_GET_REPLY", "ethtool.linkmodes.duplex") == 1      # DUPLEX_FULL
    assert "Combined:\t1" in text
    assert first(msgs, "ETHTOOL_MSG_CHANNELS_GET_REPLY", "ethtool.channels.combined_max") == 1
    caps_ts = {n.value for m in msgs if m.type_name == "ETHTOOL_MSG_TSINFO_GET_REPLY"
               for n in m.tree.find_all("ethtool.bitset_bit.name")}
    assert {"software-transmit", "software-receive", "software-system-clock"} <= caps_ts
    assert all(f"\t{c}" in text for c in ("software-transmit", "software-receive", "software-system-clock"))


def test_ethtool_refusals_are_kept(caps):
    """`netlink error: Operation not supported` for each query tun does not implement."""
    refused = [m for m in caps["ethtool"] if m.type_name == "NLMSG_ERROR" and m.info.startswith("EOPNOTSUPP")]
    # (more than ethtool says: some options fall back to the ioctl on EOPNOTSUPP, silently)
    assert len(refused) >= out("ethtool").count("netlink error: Operation not supported") > 5


# --- conntrack -----------------------------------------------------------------------------------
FLOW = re.compile(r"^(tcp|udp) +\d+ \d+ (?:\w+ )?src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+) .*?mark=(\d+)", re.M)


def test_conntrack_flows_are_the_ones_listed(caps):
    msgs, text = caps["conntrack"], out("conntrack")
    listed = {(p, s, d, int(sp), int(dp), int(mk)) for p, s, d, sp, dp, mk in FLOW.findall(text.split("+ conntrack -L\n", 1)[1])}
    assert len(listed) >= 2
    dumped = set()
    for m in msgs:
        if m.type_name != "IPCTNL_MSG_CT_NEW" or m.direction != "from kernel" or m.tree.find("ctnl.ct.mark") is None:
            continue
        proto = {6: "tcp", 17: "udp"}.get(m.tree.first("ctnl.proto.num"))
        dumped.add((proto, m.tree.first("ctnl.ip.v4_src"), m.tree.first("ctnl.ip.v4_dst"),
                    m.tree.first("ctnl.proto.src_port"), m.tree.first("ctnl.proto.dst_port"), m.tree.first("ctnl.ct.mark")))
    assert listed <= dumped


def test_conntrack_create_update_delete(caps):
    msgs = caps["conntrack"]
    new = [m for m in msgs if m.type_name == "IPCTNL_MSG_CT_NEW" and m.direction == "to kernel"]
    tcp = [m for m in new if m.tree.first("ctnl.proto.src_port") == 1000]
    assert [m.tree.first("ctnl.ct.mark") for m in tcp] == [7, 9]          # -I … -m 7, then -U … -m 9
    assert tcp[0].tree.first("ctnl.ct.timeout") == 120
    (udp,) = [m for m in new if m.tree.first("ctnl.proto.src_port") == 53]
    assert udp.tree.first("ctnl.ct.zone") == 4
    (icmp,) = [m for m in new if m.tree.first("ctnl.proto.num") == 1]
    assert icmp.tree.first("ctnl.proto.icmp_id") == 77 and icmp.tree.first("ctnl.proto.icmp_type") == 8
    (dele,) = [m for m in msgs if m.type_name == "IPCTNL_MSG_CT_DELETE" and m.direction == "to kernel"
               and m.tree.first("ctnl.ct.zone") == 4]
    assert "1 flow entries have been deleted" in out("conntrack")
    events = out("conntrack").split("(what it printed)\n", 1)[1]
    assert events.count("[NEW]") >= 4 and "[DESTROY] udp      17" in events
