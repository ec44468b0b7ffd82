"""captures/{,6.12/}daemons.pcapng: the real daemons of captures/scenarios/daemons.sh (keepalived,
ipvsadm, bonding, teamd, BIRD 2, radvd, strongSwan) recorded on 6.1 and 6.12 (not in all.sh:
recorded with tools/vm.py and kept here), against what those programs printed in the same
run (captures/{,6.12/}daemons.log): every message decodes whole, and the values the programs
printed — ipvsadm's services, destinations, timeouts and sync daemon, `ip -d link`'s bond
options, teamnl's options, `ip route`'s BIRD and keepalived routes, the RA's prefix, the
IKE_SA's SPIs of `ip xfrm state` — are the decoded ones."""
from __future__ import annotations

import re

import pytest

import dissectors
from tests.conftest import KERNEL_CAPTURES as KERNELS, assert_decodes_whole, decode_file, scenario_runs

dissectors.load_families()



@pytest.fixture(scope="module", params=list(KERNELS))
def run(request):
    """(messages, [(command, its output lines)]) of one kernel's recording."""
    d = KERNELS[request.param]
    runs = scenario_runs(d / "daemons.log")
    return decode_file(d / "daemons.pcapng"), runs


def outputs(runs, command: str) -> list[list[str]]:
    """The output of every run of `command`, in order."""
    return [out for cmd, out in runs if cmd == command]


def value(node):
    """A decoded value as the programs print it: an enum's name, else the value."""
    if node is None:
        return None
    if node.show and node.show.endswith(")") and " (" in node.show and not str(node.show).startswith("0x"):
        return node.show.rsplit(" (", 1)[0]
    return node.value


def test_every_message_is_claimed_and_decodes_whole(run):
    msgs, _ = run
    assert len(msgs) > 3000
    assert_decodes_whole(msgs)


# --- IPVS: keepalived's virtual servers and ipvsadm ---------------------------------------------
_FWD = {0: "Masq", 1: "Local", 2: "Tunnel", 3: "Route"}
_SH_FLAGS = {0x8: "sh-fallback", 0x10: "sh-port"}


def _ipvs(m) -> bool:
    return m.protocol == 16 and (m.family == "IPVS" or (m.type_name == "NLMSG_ERROR"
                                                         and m.error["request_type"].startswith("IPVS")))


def ipvsadm_runs(msgs) -> list[list]:
    """The IPVS messages of each ipvsadm process, in order: each begins with the GET_INFO of
    libipvs' ipvs_init(); keepalived's (the first GET_INFO's socket) are left out."""
    ipvs = [m for m in msgs if _ipvs(m)]
    keepalived = next(m.pid for m in ipvs if m.type_name == "IPVS_CMD_GET_INFO")
    groups: list[list] = []
    for m in ipvs:
        if m.pid == keepalived:
            continue
        if m.type_name == "IPVS_CMD_GET_INFO" and m.direction == "to kernel":
            groups.append([])
        if groups:
            groups[-1].append(m)
    return groups


def _addr(t, kind: str) -> str:
    addr, port = t.first(f"ipvs.{kind}.addr"), t.first(f"ipvs.{kind}.port")
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def service_name(t) -> str:
    """`TCP  10.60.0.1:80`, `FWM  9`: what names a service (a GET_DEST request gives no more)."""
    mark = t.first("ipvs.svc.fwmark")
    return f"FWM  {mark}" if mark is not None else f"{value(t.find('ipvs.svc.protocol'))}  {_addr(t, 'svc')}"


def service_of(t) -> str:
    """A service as `ipvsadm -L -n` prints its line: TCP  10.60.0.1:80 wrr persistent 300 …"""
    name = service_name(t)
    flags = t.first("ipvs.svc.flags_struct.flags") or 0
    words = [name, t.first("ipvs.svc.sched_name")]
    sh = [w for b, w in _SH_FLAGS.items() if flags & b]
    if sh:
        words.append(f"({','.join(sorted(sh))})")
    if flags & 0x1:
        words.append(f"persistent {t.first('ipvs.svc.timeout')}")
    mask = t.first("ipvs.svc.netmask.ipv4")
    if mask not in (None, "255.255.255.255"):
        words.append(f"mask {mask}")
    return " ".join(words)


def dest_of(t) -> tuple:
    return (_addr(t, "dest"), _FWD[t.first("ipvs.dest.fwd_method") & 7], t.first("ipvs.dest.weight"),
            t.first("ipvs.dest.active_conns"), t.first("ipvs.dest.inact_conns"))


def decoded_table(group) -> list:
    """[(service line, [destinations])] of the kernel's service and destination dumps."""
    table, cur = [], None
    for m in group:
        if m.direction != "from kernel":
            if m.type_name == "IPVS_CMD_GET_DEST":
                cur = next(s for s in table if s[0].startswith(service_name(m.tree) + " "))
            continue
        if m.type_name == "IPVS_CMD_NEW_SERVICE":
            table.append((service_of(m.tree), []))
        elif m.type_name == "IPVS_CMD_NEW_DEST":
            cur[1].append(dest_of(m.tree))
    return sorted((s, sorted(d)) for s, d in table)


def printed_table(out: list[str]) -> list:
    table = []
    for line in out:
        if line.startswith(("TCP ", "UDP ", "SCTP ", "FWM ")):
            table.append((line.rstrip(), []))
        elif line.startswith("  -> ") and not line.startswith("  -> RemoteAddress"):
            addr, fwd, weight, active, inactive = line[5:].split()
            table[-1][1].append((addr, fwd, int(weight), int(active), int(inactive)))
    return sorted((s, sorted(d)) for s, d in table)


def test_each_ipvsadm_run_is_one_libipvs_session(run):
    msgs, runs = run
    assert len(ipvsadm_runs(msgs)) == len([c for c, _ in runs if c.startswith("ipvsadm")])


def test_ipvsadm_list_is_the_decoded_service_and_destination_dumps(run):
    """Every `ipvsadm -L -n` (keepalived's three virtual servers, then ipvsadm's own four,
    then none) prints the services and destinations the kernel's dumps decode to."""
    msgs, runs = run
    groups = ipvsadm_runs(msgs)
    cmds = [(c, out) for c, out in runs if c.startswith("ipvsadm")]
    seen = []
    for (cmd, out), group in zip(cmds, groups):
        if cmd in ("ipvsadm -L -n", "ipvsadm -L -n --exact", "ipvsadm -L -n -t 10.60.0.1:80"):
            if cmd.endswith("10.60.0.1:80"):   # one service: GET_SERVICE, not a dump
                assert printed_table(out) == decoded_table(group) != []
                continue
            assert printed_table(out) == decoded_table(group), cmd
            seen.append(len(printed_table(out)))
    assert seen[:2] == [3, 3] and 4 in seen and seen[-1] == 0
    first = printed_table(outputs(runs, "ipvsadm -L -n")[0])
    assert ("TCP  192.168.50.100:80 wrr persistent 300",
            [("192.168.50.2:8080", "Masq", 1, 0, 0), ("192.168.50.3:8080", "Masq", 3, 0, 0)]) in first
    assert ("FWM  7 lc", [("192.168.50.4:0", "Tunnel", 1, 0, 0)]) in first


def test_keepalived_sent_the_virtual_servers_ipvsadm_saved(run):
    """`ipvsadm -S -n` (the first: keepalived's) is what keepalived's own requests asked."""
    msgs, runs = run
    ipvs = [m for m in msgs if _ipvs(m)]
    keepalived = next(m.pid for m in ipvs if m.type_name == "IPVS_CMD_GET_INFO")
    sent = [m for m in ipvs if m.pid == keepalived and m.direction == "to kernel"]
    added = [service_of(m.tree) for m in sent if m.type_name == "IPVS_CMD_NEW_SERVICE"]
    dests = [(_addr(m.tree, "dest"), m.tree.first("ipvs.dest.weight")) for m in sent
             if m.type_name == "IPVS_CMD_NEW_DEST"]
    saved = outputs(runs, "ipvsadm -S -n")[0]
    assert len(added) == len([s for s in saved if s.startswith("-A")]) == 3
    assert sorted(dests) == sorted((re.search(r"-r (\S+)", s).group(1), int(re.search(r"-w (\d+)", s).group(1)))
                                   for s in saved if s.startswith("-a"))
    # and took them away when it stopped
    assert len([m for m in sent if m.type_name == "IPVS_CMD_DEL_SERVICE"]) == 3


def test_ipvsadm_info_timeouts_and_sync_daemon(run):
    msgs, runs = run
    groups = ipvsadm_runs(msgs)
    cmds = [(c, out) for c, out in runs if c.startswith("ipvsadm")]
    for (cmd, out), group in zip(cmds, groups):
        info = next(m for m in group if m.type_name == "IPVS_CMD_SET_INFO")
        version = info.tree.first("ipvs.info.version")
        if out and out[0].startswith("IP Virtual Server version"):
            assert out[0] == (f"IP Virtual Server version {version >> 16}.{(version >> 8) & 0xff}.{version & 0xff} "
                              f"(size={info.tree.first('ipvs.info.conn_tab_size')})")
        if cmd == "ipvsadm -L --timeout":
            (cfg,) = [m for m in group if m.type_name == "IPVS_CMD_SET_CONFIG" and m.direction == "from kernel"]
            got = [cfg.tree.first(f"ipvs.timeout_{k}") for k in ("tcp", "tcp_fin", "udp")]
            assert out == ["Timeout (tcp tcpfin udp): " + " ".join(map(str, got))]
        if cmd == "ipvsadm -L --daemon":
            answers = [m for m in group if m.type_name == "IPVS_CMD_NEW_DAEMON" and m.direction == "from kernel"]
            if not out:
                assert not answers
                continue
            (d,) = answers
            t = d.tree
            assert out == [f"{value(t.find('ipvs.daemon.state')).split('_')[-1].lower()} sync daemon "
                           f"(mcast={t.first('ipvs.daemon.mcast_ifn')}, syncid={t.first('ipvs.daemon.sync_id')}, "
                           f"maxlen={t.first('ipvs.daemon.sync_maxlen')}, group={t.first('ipvs.daemon.mcast_group')}, "
                           f"port={t.first('ipvs.daemon.mcast_port')}, ttl={t.first('ipvs.daemon.mcast_ttl')})"]


@pytest.mark.parametrize("command, printed, errname", [
    ("ipvsadm -A -t 10.60.0.1:80 -s rr", "Service already exists", "EEXIST"),
    ("ipvsadm -D -t 10.60.0.9:80", "No such service", "ESRCH"),
    ("ipvsadm -d -t 10.60.0.1:80 -r 10.60.1.9:8080", "No such destination", "ENOENT"),
])
def test_ipvsadm_refusals_are_the_kernels_errors(run, command, printed, errname):
    msgs, runs = run
    cmds = [(c, out) for c, out in runs if c.startswith("ipvsadm")]
    i = max(i for i, (c, _) in enumerate(cmds) if c == command)
    assert cmds[i][1] == [printed]
    errors = [m.error["name"] for m in ipvsadm_runs(msgs)[i] if m.type_name == "NLMSG_ERROR" and m.error["code"]]
    assert errors == [errname]


# --- keepalived's VRRP addresses, routes and rule -----------------------------------------------
def test_keepalived_vrrp_address_routes_and_rule(run):
    """The MASTER's virtual address (label kv0:vip), its virtual routes and rule, with protocol
    keepalived as `ip route` / `ip rule` printed it."""
    msgs, runs = run
    sent = [m for m in msgs if m.direction == "to kernel"]
    addr = [m for m in sent if m.type_name == "RTM_NEWADDR" and m.tree.first("rtnl.addr.local") == "192.168.50.100"]
    assert addr and addr[0].tree.first("rtnl.addr.label") == "kv0:vip" and addr[0].tree.first("rtnl.addr.prefixlen") == 24
    routes = {m.tree.first("rtnl.route.dst"): m for m in sent if m.type_name == "RTM_NEWROUTE"
              and value(m.tree.find("rtnl.route.protocol")) == "RTPROT_KEEPALIVED"}
    assert outputs(runs, "ip route show 10.50.0.0/16")[0] == [
        f"10.50.0.0/16 via {routes['10.50.0.0'].tree.first('rtnl.route.gateway')} dev kv0 proto keepalived "
        f"metric {routes['10.50.0.0'].tree.first('rtnl.route.priority')} "]
    assert value(routes["10.52.0.0"].tree.find("rtnl.route.type")) == "RTN_BLACKHOLE"
    assert outputs(runs, "ip route show 10.52.0.0/16")[0] == ["blackhole 10.52.0.0/16 proto keepalived "]
    (rule,) = [m for m in sent if m.type_name == "RTM_NEWRULE"
               and value(m.tree.find("rtnl.rule.protocol")) == "RTPROT_KEEPALIVED"]
    t = rule.tree
    assert outputs(runs, "ip rule show priority 1000")[0] == [
        f"{t.first('rtnl.rule.priority')}:\tfrom {t.first('rtnl.rule.src')}/{t.first('rtnl.rule.src_len')} "
        f"lookup {t.first('rtnl.rule.table')} proto {value(t.find('rtnl.rule.protocol'))[7:].lower()}"]


# --- bonding -------------------------------------------------------------------------------------
# `ip -d link show`'s words for the bond's IFLA_BOND_* (iproute2's iplink_bond.c)
BOND_WORDS = {"mode": "mode", "miimon": "miimon", "updelay": "updelay", "downdelay": "downdelay",
              "peer_notify_delay": "peer_notif_delay", "use_carrier": "use_carrier", "arp_interval": "arp_interval",
              "arp_missed_max": "missed_max", "arp_validate": "arp_validate", "arp_all_targets": "arp_all_targets",
              "primary_reselect": "primary_reselect", "fail_over_mac": "fail_over_mac",
              "xmit_hash_policy": "xmit_hash_policy", "resend_igmp": "resend_igmp", "num_grat_arp": "num_peer_notif",
              "all_slaves_active": "all_slaves_active", "min_links": "min_links", "lp_interval": "lp_interval",
              "packets_per_slave": "packets_per_slave", "lacp_active": "ad_lacp_active", "lacp_rate": "ad_lacp_rate",
              "ad_select": "ad_select", "ad_actor_sys_prio": "ad_actor_sys_prio",
              "ad_user_port_key": "ad_user_port_key", "ad_actor_system": "ad_actor_system",
              "tlb_dynamic_lb": "tlb_dynamic_lb"}
SLAVE_WORDS = {"state": ("state", "BOND_STATE_"), "mii_status": ("mii_status", "BOND_LINK_"),
               "link_failure_count": ("link_failure_count", ""), "queue_id": ("queue_id", ""), "prio": ("prio", ""),
               "ad_aggregator_id": ("ad_aggregator_id", ""), "ad_actor_oper_port_state": ("ad_actor_oper_port_state", ""),
               "perm_hwaddr": ("perm_hwaddr", "")}


# iproute2's words for BOND_LINK_* (iplink_bond.c's slave_mii_status)
MII_WORDS = {"UP": "UP", "FAIL": "GOING_DOWN", "DOWN": "DOWN", "BACK": "GOING_BACK"}


def _words(line: str, keys) -> dict:
    toks = line.split()
    return {toks[i]: toks[i + 1] for i in range(len(toks) - 1) if toks[i] in keys}


def _kernel_links(msgs, name: str) -> list:
    """The kernel's answers (not notifications) describing link `name`."""
    return [m for m in msgs if m.type_name == "RTM_NEWLINK" and m.direction == "from kernel" and m.seq
            and m.tree.first("rtnl.link.ifname") == name]


@pytest.mark.parametrize("bond", ["bd0", "bd1", "bd2", "bd3"])
def test_bond_options_are_what_ip_printed(run, bond):
    """Each `ip -d link show BOND` line of bond options is one kernel answer's IFLA_BOND_*,
    by the bonding driver's names (bd0 twice: before and after miimon/updelay/downdelay by ip,
    lacp_rate and xmit_hash_policy through /sys)."""
    msgs, runs = run
    printed = [_words(next(l for l in out if l.strip().startswith("bond mode")), BOND_WORDS)
               for out in outputs(runs, f"ip -d link show {bond}")]
    assert printed
    decoded = []
    for m in _kernel_links(msgs, bond):
        got = {}
        for word, short in BOND_WORDS.items():
            n = m.tree.find(f"rtnl.link.linkinfo.bond.{short}")
            if n is not None:
                got[word] = str(value(n))
        decoded.append(got)
    for p in printed:
        assert any({k: v for k, v in d.items() if k in p} == p for d in decoded), (bond, p)
    if bond == "bd0":
        assert printed[0]["lacp_rate"] == "fast" and printed[1]["lacp_rate"] == "slow"
        assert printed[0]["xmit_hash_policy"] == "layer3+4" and printed[1]["xmit_hash_policy"] == "layer2+3"
    if bond == "bd1":
        line = next(l for l in outputs(runs, "ip -d link show bd1")[0] if "bond mode" in l)
        targets = re.search(r"arp_ip_target (\S+)", line).group(1).split(",")
        assert any([n.value for n in m.tree.find_all("rtnl.link.linkinfo.bond.arp_ip_target.value")] == targets
                   and [n.value for n in m.tree.find_all("rtnl.link.linkinfo.bond.ns_ip6_target.value")]
                   == [re.search(r"ns_ip6_target (\S+)", line).group(1)] for m in _kernel_links(msgs, "bd1"))
        assert len(targets) == 3   # two from `ip link add`, one through /sys


def test_bond_ports_are_what_ip_printed(run):
    msgs, runs = run
    for out in outputs(runs, "ip -d link show type bond_slave"):
        names = [re.match(r"\d+: ([^:@]+)", l).group(1) for l in out if re.match(r"\d+: ", l)]
        lines = [l for l in out if l.strip().startswith("bond_slave ")]
        assert len(names) == len(lines) == 4
        for name, line in zip(names, lines):
            p = _words(line, SLAVE_WORDS)
            ok = False
            for m in _kernel_links(msgs, name):
                got = {}
                for word, (short, prefix) in SLAVE_WORDS.items():
                    n = m.tree.find(f"rtnl.link.linkinfo.bond_slave.{short}")
                    if n is not None:
                        v = value(n)
                        got[word] = v[len(prefix):] if prefix and isinstance(v, str) else str(v)
                        got[word] = MII_WORDS.get(got[word], got[word]) if word == "mii_status" else got[word]
                ok = ok or {k: v for k, v in got.items() if k in p} == p
            assert ok, (name, p)


def test_ip_link_bond_slave_request_is_the_bond_port_option(run):
    """`ip link set bd1a type bond_slave queue_id 2`: IFLA_INFO_KIND "bond_slave", the slave data
    read by the master's kind; `ip -d link show bd1a` then printed queue_id 2."""
    msgs, runs = run
    (req,) = [m for m in msgs if m.direction == "to kernel" and m.type_name == "RTM_NEWLINK"
              and m.tree.first("rtnl.link.linkinfo.kind") == "bond_slave"]
    assert req.tree.first("rtnl.link.linkinfo.bond_slave.queue_id") == 2
    assert "queue_id 2" in " ".join(outputs(runs, "ip -d link show bd1a")[0])


# --- teamd ---------------------------------------------------------------------------------------
def test_teamnl_options_are_the_kernels_option_answers(run):
    """`teamnl tm0 options`: every option (those of a port with the port's name) with its value
    as one TEAM_CMD_OPTIONS_GET answer of the kernel gives it, typed by TEAM_ATTR_OPTION_TYPE."""
    msgs, runs = run
    ports = {}
    for line in outputs(runs, "teamnl tm0 ports")[0]:
        idx, name = re.match(r"\s*(\d+): (\S+):", line).groups()
        ports[int(idx)] = name
    printed = set()
    for line in outputs(runs, "teamnl tm0 options")[0]:
        m = re.match(r"\s*(\S+)(?: \(port:(\S+)\))? (.*?)\s*$", line)
        printed.add(m.groups())
    decoded = set()
    for m in msgs:
        if m.family != "team" or m.type_name != "TEAM_CMD_OPTIONS_GET" or m.direction != "from kernel" or not m.seq:
            continue
        for opt in m.tree.find_all("team.options.option"):
            kids = {c.field.abbrev.rsplit(".", 1)[1]: c for c in opt.children}
            kind = value(kids["type"])
            data = kids.get("data")
            if kind == "NLA_FLAG":
                v = "true" if data is not None else "false"
            elif kind == "NLA_STRING":
                v = data.value.rstrip(b"\0").decode()
            elif kind == "NLA_S32":
                v = str(int.from_bytes(data.value, "little", signed=True))
            else:
                v = str(int.from_bytes(data.value, "little"))
            port = kids.get("port_ifindex")
            decoded.add((kids["name"].value, ports.get(port.value) if port else None, v))
    assert printed and printed <= decoded, printed - decoded
    assert ("mode", None, "activebackup") in printed and ("priority", "tm0a", "10") in printed


def test_teamnl_setoption_is_what_the_kernel_then_gave_back(run):
    msgs, runs = run
    """teamd sets mcast_rejoin_count 1 as it starts, `teamnl tm0 setoption mcast_rejoin_count 3`
    then 3; the kernel's next answer for it says 3, as `teamnl tm0 getoption` printed."""
    sets = [m for m in msgs if m.family == "team" and m.type_name == "TEAM_CMD_OPTIONS_SET"
            and m.direction == "to kernel" and m.tree.first("team.option.name") == "mcast_rejoin_count"]
    assert [int.from_bytes(m.tree.first("team.option.data"), "little") for m in sets] == [1, 3]
    after = [m for m in msgs[msgs.index(sets[-1]):] if m.type_name == "TEAM_CMD_OPTIONS_GET"
             and m.direction == "from kernel" and m.tree.first("team.option.name") == "mcast_rejoin_count"]
    assert int.from_bytes(after[0].tree.first("team.option.data"), "little") == 3
    assert outputs(runs, "teamnl tm0 getoption mcast_rejoin_count")[0] == ["3"]


# --- BIRD ----------------------------------------------------------------------------------------
def _printed_routes(out: list[str]) -> dict:
    """`ip route show proto bird`: destination -> (type, [(gateway, weight)], the other words)."""
    routes, cur = {}, None
    for line in out:
        if line.startswith("\tnexthop"):
            w = line.split()
            routes[cur][1].append((w[2], int(w[w.index("weight") + 1])))
            continue
        w = line.split()
        kind = w.pop(0) if w[0] in ("blackhole", "unreachable", "prohibit") else "unicast"
        cur = w[0].split("/")[0]
        gws = [(w[w.index("via") + 1], 1)] if "via" in w else []
        routes[cur] = (kind, gws, {k: w[w.index(k) + 1] for k in ("metric", "src", "realm", "mtu") if k in w})
    return routes


def test_bird_exports_its_routes_as_ip_route_printed_them(run):
    """BIRD's kernel protocol: each route `ip route show proto bird` printed is one RTM_NEWROUTE
    BIRD sent (protocol bird, its type, gateways and multipath weights — rtnh_hops + 1 —, metric,
    prefsrc, realm from RTA_FLOW, RTAX_MTU)."""
    msgs, runs = run
    printed = _printed_routes(outputs(runs, "ip route show proto bird")[0])
    sent = {}
    for m in msgs:
        t = m.tree
        if m.type_name != "RTM_NEWROUTE" or m.direction != "to kernel" or value(t.find("rtnl.route.protocol")) != \
                "RTPROT_BIRD" or t.first("rtnl.route.family") != 2:
            continue
        hops = t.find_all("rtnl.route.nexthop")
        gws = [(h.first("rtnl.route.gateway"), h.first("rtnl.route.nexthop.hops") + 1) for h in hops] \
            or ([(t.first("rtnl.route.gateway"), 1)] if t.first("rtnl.route.gateway") else [])
        words = {"metric": t.first("rtnl.route.priority"), "src": t.first("rtnl.route.prefsrc"),
                 "realm": t.first("rtnl.route.flow"), "mtu": t.first("rtnl.route.metrics.mtu")}
        sent.setdefault(t.first("rtnl.route.dst"), (value(t.find("rtnl.route.type"))[4:].lower(), gws,
                                                    {k: str(v) for k, v in words.items() if v is not None}))
    assert len(printed) == 8
    for dst, (kind, gws, words) in printed.items():
        assert sent[dst][0] == kind and sorted(sent[dst][1]) == sorted(gws) and sent[dst][2] == words, dst
    assert sorted(printed["10.70.5.0"][1]) == [("10.69.0.2", 1), ("10.69.0.3", 3)]


def test_bird_withdraws_when_disabled_and_at_shutdown(run):
    msgs, runs = run
    deleted = [m.tree.first("rtnl.route.dst") for m in msgs if m.type_name == "RTM_DELROUTE"
               and m.direction == "to kernel" and value(m.tree.find("rtnl.route.protocol")) == "RTPROT_BIRD"]
    assert deleted.count("10.70.1.0") == 2            # `birdc disable s4`, then `birdc down`
    assert outputs(runs, "ip route show proto bird")[-1] == []


# --- radvd ---------------------------------------------------------------------------------------
def test_the_router_advertisement_made_the_prefix_routes_and_address(run):
    """radvd's RA on rv0, accepted on rv1: RTM_NEWPREFIX with the prefix option's L and A
    flags and its lifetimes (radvd.conf), the RA routes `ip -6 route show dev rv1` printed
    (protocol ra, the route information option's preference high)."""
    msgs, runs = run
    (pfx, *_) = [m for m in msgs if m.type_name == "RTM_NEWPREFIX"]
    t = pfx.tree
    assert (t.first("rtnl.prefix.address"), t.first("rtnl.prefix.len")) == ("2001:db8:80::", 64)
    assert t.find("rtnl.prefix.flags").show == "0xc0 (ND_OPT_PI_FLAG_ONLINK, ND_OPT_PI_FLAG_AUTO)"
    assert (t.first("rtnl.prefix.cacheinfo.valid_time"), t.first("rtnl.prefix.cacheinfo.preferred_time")) == (3600, 1800)
    ra = [m for m in msgs if m.type_name == "RTM_NEWROUTE" and m.direction == "from kernel"
          and value(m.tree.find("rtnl.route.protocol")) == "RTPROT_RA"]
    printed = [l for l in outputs(runs, "ip -6 route show dev rv1")[0] if " proto ra " in l]
    assert len(printed) == 2
    for line in printed:
        dst = "default" if line.startswith("default") else line.split()[0]
        gw = line.split()[line.split().index("via") + 1]
        match = [m for m in ra if (f"{m.tree.first('rtnl.route.dst')}/{m.tree.first('rtnl.route.dst_len')}"
                                   if m.tree.first("rtnl.route.dst") else "default") == dst
                 and m.tree.first("rtnl.route.gateway") == gw]
        assert match, line
        pref = value(match[0].tree.find("rtnl.route.pref"))
        assert f"pref {pref.split('_')[-1].lower()}" in line, (line, pref)


# --- strongSwan: charon's SAs and policies through NETLINK_XFRM ----------------------------------
def _printed_states(out: list[str]) -> set:
    """`ip xfrm state`: (src, dst, spi, reqid, mode) of each SA."""
    states, head = set(), None
    for line in out:
        w = line.split()
        if line.startswith("src "):
            head = (w[1], w[3])
        elif w[:2] == ["proto", "esp"] and head:
            states.add(head + (int(w[3], 16), int(w[5]), w[7]))
    return states


def _sa(m) -> tuple:
    n = {c.field.abbrev: c for c in m.tree.walk()}
    return (n["xfrm.sa.saddr_sa"].show, n["xfrm.sa.id_daddr"].show, n["xfrm.sa.spi"].value,
            n["xfrm.sa.reqid"].value, n["xfrm.sa.mode"].show.split()[0].removeprefix("XFRM_MODE_").lower())


def test_strongswan_sas_are_what_ip_xfrm_state_printed(run):
    """The kernel's answers to the first `ip xfrm state` dump are the SAs it printed, and each was
    installed by charon (XFRM_MSG_NEWSA or UPDSA from its socket), keys never shown."""
    msgs, runs = run
    (printed, after) = [out for cmd, out in runs if cmd == "ip xfrm state"]
    assert len(printed) >= 16 and not after      # four SAs; none after the IKE SA was terminated
    dumped = {_sa(m) for m in msgs if m.type_name == "XFRM_MSG_NEWSA" and "MULTI" in m.flag_names}
    assert dumped == _printed_states(printed) and len(dumped) == 4
    installed = {_sa(m)[2] for m in msgs if m.direction == "to kernel"
                 and m.type_name in ("XFRM_MSG_NEWSA", "XFRM_MSG_UPDSA")}
    assert {s[2] for s in dumped} <= installed
    keys = [n for m in msgs if m.protocol == 6 for n in m.tree.walk() if n.field.abbrev.endswith(".key")]
    assert len(keys) >= 6 and all(str(n.show).startswith("<") and "sha256" in str(n.show) for n in keys)
