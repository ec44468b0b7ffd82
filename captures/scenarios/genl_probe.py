#!/usr/bin/env python3
"""Ask generic-netlink families that have no everyday tool in the VM (TASKSTATS, NET_DM,
team, psample, Open vSwitch) the questions their tools would, printing the answers, so that
the capture holds their real traffic.  Plain sockets; the genl helpers of nt_client.py."""
from __future__ import annotations

import os
import socket
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kmod" / "tools"))
from nt_client import (NETLINK_ADD_MEMBERSHIP, NLM_F_ACK, NLM_F_DUMP, NLMSG_ERROR, SOL_NETLINK, Genl,  # noqa: E402
                       attrs, error_of, nla, resolve)


def ask(g: Genl, fid: int, cmd: int, flags: int, payload: bytes = b"", header: bytes = b"") -> list[bytes]:
    """Send one request, return the answering messages (errors printed)."""
    seq = g.send(fid, cmd, flags, header + payload)
    out = []
    for ty, _, msg in g.replies(seq):
        if ty == NLMSG_ERROR:
            err, ext = error_of(msg)
            if err:
                print(f"  error {err} {ext}")
        elif ty == fid:
            out.append(msg)
    return out


def taskstats(g: Genl) -> None:
    fid, _ = resolve(g, "TASKSTATS")
    pid = os.getpid()
    for msg in ask(g, fid, 1, NLM_F_ACK, nla(1, struct.pack("=I", pid))):      # TASKSTATS_CMD_GET, ATTR_PID
        for t, v in attrs(msg[20:]):
            if t == 4:                                                         # TASKSTATS_TYPE_AGGR_PID
                inner = dict(attrs(v))
                stats = inner[3]
                comm = stats[80:112].split(b"\0")[0].decode()
                print(f"taskstats pid {struct.unpack('=I', inner[1])[0]} version {struct.unpack_from('=H', stats)[0]} "
                      f"comm {comm} uid {struct.unpack_from('=I', stats, 120)[0]}")


def net_dm(g: Genl) -> None:
    fid, _ = resolve(g, "NET_DM")
    for msg in ask(g, fid, 6, NLM_F_ACK):                                      # NET_DM_CMD_CONFIG_GET
        a = dict(attrs(msg[20:]))
        print(f"net_dm alert mode {a[1][0]} trunc_len {struct.unpack('=I', a[9])[0]} "
              f"queue_len {struct.unpack('=I', a[11])[0]}")
    for msg in ask(g, fid, 8, NLM_F_ACK):                                      # NET_DM_CMD_STATS_GET
        stats = dict(attrs(dict(attrs(msg[20:]))[12]))
        print(f"net_dm dropped {struct.unpack('=Q', stats[0])[0]}")


def team(g: Genl) -> None:
    fid, _ = resolve(g, "team")
    ifindex = socket.if_nametoindex("team0")
    names = []
    for msg in ask(g, fid, 2, NLM_F_ACK, nla(1, struct.pack("=I", ifindex))):  # TEAM_CMD_OPTIONS_GET
        for t, v in attrs(msg[20:]):
            if t == 2:
                for _, item in attrs(v):
                    names.append(dict(attrs(item))[1].rstrip(b"\0").decode())
    print(f"team0 ifindex {ifindex} options {sorted(set(names))}")
    for msg in ask(g, fid, 3, NLM_F_ACK, nla(1, struct.pack("=I", ifindex))):  # TEAM_CMD_PORT_LIST_GET
        ports = [struct.unpack("=I", dict(attrs(item))[1])[0] for t, v in attrs(msg[20:]) if t == 3
                 for _, item in attrs(v)]
        print(f"team0 ports {ports}")


def psample(g: Genl) -> None:
    fid, groups = resolve(g, "psample")
    listener = Genl()
    listener.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups["packets"])
    listener.sock.settimeout(5)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:   # one packet through lo's sample action
        u.sendto(b"nlscope psample", ("127.0.0.1", 9))
    data = listener.sock.recv(65536)
    a = dict(attrs(data[20:]))
    print(f"psample sample group {struct.unpack('=I', a[3])[0]} rate {struct.unpack('=I', a[5])[0]} "
          f"origsize {struct.unpack('=I', a[2])[0]}")
    for msg in ask(g, fid, 1, NLM_F_DUMP):                                     # PSAMPLE_CMD_GET_GROUP
        a = dict(attrs(msg[20:]))
        print(f"psample group {struct.unpack('=I', a[3])[0]} refcount {struct.unpack('=I', a[7])[0]}")


def _datapath(g: Genl, name: str, port: str) -> tuple[int, int, int, bytes]:
    """A datapath with one internal vport: (its family ids dp, vport, flow; its ovs_header)."""
    dp, _ = resolve(g, "ovs_datapath")
    vport, _ = resolve(g, "ovs_vport")
    flow, _ = resolve(g, "ovs_flow")
    portid = g.sock.getsockname()[0]
    ask(g, dp, 1, NLM_F_ACK, nla(1, name.encode() + b"\0") + nla(2, struct.pack("=I", portid)),
        struct.pack("=i", 0))                                                  # OVS_DP_CMD_NEW
    dp_if = struct.pack("=i", socket.if_nametoindex(name))
    ask(g, vport, 1, NLM_F_ACK, nla(3, port.encode() + b"\0") + nla(2, struct.pack("=I", 2))
        + nla(5, struct.pack("=I", portid)), dp_if)                            # OVS_VPORT_CMD_NEW internal
    return dp, vport, flow, dp_if


def ovs(g: Genl) -> None:
    no_dp = struct.pack("=i", 0)
    dp, vport, flow, dp_if = _datapath(g, "nlsdp", "nlsvp")
    for msg in ask(g, dp, 3, NLM_F_DUMP, b"", no_dp):                          # OVS_DP_CMD_GET
        name = dict(attrs(msg[24:]))[1].rstrip(b"\0").decode()
        print(f"ovs datapath {name}")
    for msg in ask(g, vport, 3, NLM_F_DUMP, b"", dp_if):                       # OVS_VPORT_CMD_GET
        a = dict(attrs(msg[24:]))
        name = a[3].rstrip(b"\0").decode()
        print(f"ovs vport {struct.unpack('=I', a[1])[0]} {name} type {struct.unpack('=I', a[2])[0]}")
    print(f"ovs flows {len(ask(g, flow, 3, NLM_F_DUMP, b'', dp_if))}")         # OVS_FLOW_CMD_GET
    ask(g, dp, 2, NLM_F_ACK, nla(1, b"nlsdp\0"), no_dp)                        # OVS_DP_CMD_DEL


def ovs_flows(g: Genl) -> None:
    """A flow (ICMP echo requests from vport 1 to 10.60.0.2, output to port 0) added with a
    UFID, dumped, asked for by its UFID, deleted: the kernel echoes its keys and actions."""
    dp, _, flow, dp_if = _datapath(g, "nlsfdp", "nlsfvp")
    key = (nla(3, struct.pack("=I", 1))                                        # OVS_KEY_ATTR_IN_PORT
           + nla(4, bytes.fromhex("020000000001" "020000000002"))              # ETHERNET src, dst
           + nla(6, struct.pack("!H", 0x0800))                                 # ETHERTYPE
           + nla(7, socket.inet_aton("10.60.0.1") + socket.inet_aton("10.60.0.2") + bytes([1, 0, 64, 0]))  # IPV4
           + nla(11, bytes([8, 0])))                                           # ICMP echo request
    ufid = bytes(range(0xA0, 0xB0))
    ask(g, flow, 1, NLM_F_ACK, nla(1 | 0x8000, key) + nla(2 | 0x8000, nla(1, struct.pack("=I", 0)))
        + nla(9, ufid), dp_if)                                                # OVS_FLOW_CMD_NEW
    for msg in ask(g, flow, 3, NLM_F_DUMP, b"", dp_if):                        # OVS_FLOW_CMD_GET dump
        a = dict(attrs(msg[24:]))
        k = dict(attrs(a[1]))
        print(f"ovs flow ufid {a[9].hex()} in_port {struct.unpack('=I', k[3])[0]} "
              f"ipv4 {socket.inet_ntoa(k[7][:4])}->{socket.inet_ntoa(k[7][4:8])} proto {k[7][8]} "
              f"icmp type {k[11][0]} actions {[t for t, _ in attrs(a[2])]}")
    print(f"ovs flow get {len(ask(g, flow, 3, NLM_F_ACK, nla(9, ufid), dp_if))}")  # by its UFID
    ask(g, flow, 2, NLM_F_ACK, nla(9, ufid), dp_if)                            # OVS_FLOW_CMD_DEL
    ask(g, dp, 2, NLM_F_ACK, nla(1, b"nlsfdp\0"), struct.pack("=i", 0))        # OVS_DP_CMD_DEL


def main(argv) -> int:
    g = Genl()
    for step in argv or ["taskstats", "net_dm", "team", "psample", "ovs"]:
        globals()[step](g)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
