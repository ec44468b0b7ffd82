"""captures/{,6.12/}tools.pcapng: real tools of captures/scenarios/tools.sh (libnl's command line
tools, iw on mac80211_hwsim mesh points, cangw, pyroute2, FRR's zebra and staticd) recorded on
6.1 and 6.12 (not in all.sh: recorded with tools/vm.py and kept here), against what those
programs printed in the same run (captures/{,6.12/}tools.log): every message decodes whole, and
the values the tools printed — nl-link-list's mtu and alias, nl-addr-list's lifetimes,
nl-route-list's weighted nexthops, nl-fib-lookup's answer, genl-ctrl-list's families, iw's
regulatory rules, mesh parameters, mesh path and mesh peer, cangw's rule list, pyroute2's dumps,
zebra's routes — are the decoded ones."""
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
    return decode_file(d / "tools.pcapng"), scenario_runs(d / "tools.log")


def output(runs, command: str, nth: int = 0) -> list[str]:
    outs = [out for cmd, out in runs if cmd == command]
    assert len(outs) > nth, command
    return outs[nth]


def value(node):
    """A decoded value as the tools print it: an enum's name, else the value."""
    if node is None:
        return None
    if node.show and str(node.show).endswith(")") and " (" in str(node.show) and not str(node.show).startswith("0x"):
        return str(node.show).rsplit(" (", 1)[0]
    return node.value


def answers(msgs, type_name: str):
    """The kernel's answers (not notifications) of a type."""
    return [m for m in msgs if m.type_name == type_name and m.direction == "from kernel" and m.seq]


def test_every_message_is_claimed_and_decodes_whole(run):
    msgs, _ = run
    assert len(msgs) > 1500
    assert_decodes_whole(msgs)


# --- libnl's tools -----------------------------------------------------------------------------
def test_nl_link_set_sent_what_nl_link_list_then_printed(run):
    """nl-link-set --mtu=1450 --txqlen=500 --ifalias=…: one RTM_NEWLINK by index; `nl-link-list
    --details` prints the kernel's answer: mtu, txqlen, qdisc, index, alias."""
    msgs, runs = run
    out = output(runs, "nl-link-list --details --name=tl0")
    words = dict(re.findall(r"(\w+) (\S+)", out[1]))
    alias = out[2].split()[1]
    (req,) = [m for m in msgs if m.type_name == "RTM_NEWLINK" and m.direction == "to kernel"
              and m.tree.first("rtnl.link.mtu") == 1450]
    t = req.tree
    assert (t.first("rtnl.link.txqlen"), t.first("rtnl.link.ifalias")) == (500, "nlscope-libnl") == \
        (int(words["txqlen"]), alias)
    assert t.first("rtnl.link.index") == int(words["index"])
    got = [m.tree for m in answers(msgs, "RTM_NEWLINK") if m.tree.first("rtnl.link.ifname") == "tl0"
           and m.tree.first("rtnl.link.mtu") == 1450]
    assert any((str(g.first("rtnl.link.mtu")), str(g.first("rtnl.link.txqlen")), g.first("rtnl.link.qdisc"),
                str(g.first("rtnl.link.index")), g.first("rtnl.link.ifalias"))
               == (words["mtu"], words["txqlen"], words["qdisc"], words["index"], alias) for g in got)


def test_nl_addr_add_lifetimes_label_and_broadcast(run):
    """libnl reads --valid/--preferred as milliseconds: 3600 and 1800 became 3 s and 1 s in the
    request's IFA_CACHEINFO; `nl-addr-list --details` printed what was left of them in the
    kernel's answer (libnl's nl_msec2str: 2s, 0msec).  The IPv4 address's label and broadcast
    are those of the request."""
    msgs, runs = run
    out = output(runs, "nl-addr-list --details --dev=tl0")
    sent = {m.tree.first("rtnl.addr.local"): m.tree for m in msgs
            if m.type_name == "RTM_NEWADDR" and m.direction == "to kernel"}
    v6 = sent["2001:db8:66::1"]
    assert (v6.first("rtnl.addr.cacheinfo.ifa_valid"), v6.first("rtnl.addr.cacheinfo.ifa_prefered")) == (3, 1)
    i = out.index(next(line for line in out if line.startswith("2001:db8:66::1/64")))
    left = re.search(r"valid-lifetime (\d+)(s|msec) preferred-lifetime (\d+)(s|msec)", out[i + 1]).groups()
    secs = tuple(int(left[k]) if left[k + 1] == "s" else int(left[k]) // 1000 for k in (0, 2))
    dumped = {(m.tree.first("rtnl.addr.cacheinfo.ifa_valid"), m.tree.first("rtnl.addr.cacheinfo.ifa_prefered"))
              for m in answers(msgs, "RTM_NEWADDR") if m.tree.first("rtnl.addr.address") == "2001:db8:66::1"}
    assert secs in dumped
    v4 = sent["10.66.0.1"]
    i = out.index(next(line for line in out if line.startswith("10.66.0.1/24")))
    assert out[i + 1].split() == ["label", v4.first("rtnl.addr.label"), "broadcast", v4.first("rtnl.addr.broadcast")]
    assert v4.first("rtnl.addr.prefixlen") == 24


def test_nl_route_list_prints_the_weighted_nexthops_of_the_dump(run):
    """`nl-route-list -f details --table=166`: each `nexthop via GW dev tl0 weight W` is one
    rtnexthop of the kernel's answer, protocol static.  libnl's weight is rtnh_hops itself, as
    nl-route-add sent it (the kernel's weight, iproute2's, is rtnh_hops + 1)."""
    msgs, runs = run
    out = output(runs, "nl-route-list -f details --family=inet --table=166")
    printed = [(w[2], int(w[6])) for w in (line.split() for line in out) if w[:2] == ["nexthop", "via"]]
    dumped = [m.tree for m in answers(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.68.0.0"]
    assert dumped
    t = dumped[-1]
    hops = [(h.first("rtnl.route.gateway"), h.first("rtnl.route.nexthop.hops"))
            for h in t.find_all("rtnl.route.nexthop")]
    assert hops == printed == [("10.66.0.2", 1), ("10.66.0.3", 3)]
    assert value(t.find("rtnl.route.protocol")) == "RTPROT_STATIC" and "protocol static" in out[1]
    assert t.first("rtnl.route.table") == 166


def test_nl_fib_lookup_is_the_netlink_fib_lookup_answer(run):
    """NETLINK_FIB_LOOKUP: `table main prefixlen 16 next-hop-selector 0 / type unicast scope
    global error Success (0)` is struct fib_result_nl as the kernel filled it."""
    msgs, runs = run
    out = output(runs, "nl-fib-lookup 10.67.1.1")
    (res,) = [m.tree for m in msgs if m.protocol == 10 and m.direction == "from kernel"]
    words = out[0].split() + out[1].split()
    assert (res.first("fib_lookup.tb_id"), res.first("fib_lookup.prefixlen"), res.first("fib_lookup.nh_sel")) == \
        (254, int(words[3]), int(words[5]))
    assert words[1] == "main" and words[7] == "unicast" and res.first("fib_lookup.type") == 1
    assert res.find("fib_lookup.fl_addr").show == "10.67.1.1" and res.first("fib_lookup.err") == 0


def test_genl_ctrl_list_is_the_decoded_family_dump(run):
    msgs, runs = run
    printed = {tuple(line.split()) for line in output(runs, "genl-ctrl-list")}
    decoded = {(f"0x{m.tree.first('genl.ctrl.family_id'):04x}", m.tree.first("genl.ctrl.family_name"), "version",
                str(m.tree.first("genl.ctrl.version"))) for m in answers(msgs, "CTRL_CMD_NEWFAMILY")}
    assert len(printed) > 15 and printed <= decoded
    assert {p[1] for p in printed} >= {"nlctrl", "nl80211", "IPVS", "wireguard", "MAC80211_HWSIM"}


def test_nl_neigh_list_is_the_neighbour_dump(run):
    msgs, runs = run
    printed = {(w[1], w[5], w[6].strip("<>")) for w in (line.split() for line in output(runs, "nl-neigh-list --dev=tl0"))
               if w[0] in ("inet", "inet6") and "lladdr" in w}
    decoded = {(m.tree.first("rtnl.neigh.dst"), m.tree.first("rtnl.neigh.lladdr"),
                ",".join(sorted(n.name[4:].lower() for n in m.tree.find("rtnl.neigh.state").children)))
               for m in answers(msgs, "RTM_NEWNEIGH") if m.tree.first("rtnl.neigh.dst")}
    assert ("10.66.0.9", "02:00:00:00:66:09", "permanent") in printed
    assert printed <= decoded


# --- iw on two mac80211_hwsim radios -------------------------------------------------------------
def test_iw_reg_get_prints_the_regulatory_rules(run):
    """`iw reg get` after `iw reg set DE`: each (start - end @ bw), (N/A, eirp) is a rule of the
    answer for DE (kHz and mBm, as nl80211 carries them)."""
    msgs, runs = run
    out = output(runs, "iw reg get")
    i = out.index(next(line for line in out if line.startswith("country DE")))
    printed = []
    for line in out[i + 1:]:
        m = re.match(r"\s+\((\d+) - (\d+) @ (\d+)\), \(N/A, (\d+)\)", line)
        if not m:
            break
        printed.append(tuple(int(x) for x in m.groups()))
    de = [m.tree for m in answers(msgs, "NL80211_CMD_GET_REG") if m.tree.first("nl80211.reg_alpha2") == "DE"]
    rules = [(r.first("nl80211.reg_rule_attr.freq_range_start") // 1000, r.first("nl80211.reg_rule_attr.freq_range_end") // 1000,
              r.first("nl80211.reg_rule_attr.freq_range_max_bw") // 1000, r.first("nl80211.reg_rule_attr.power_rule_max_eirp") // 100)
             for r in de[0].find("nl80211.reg_rules").children]
    assert printed and rules == printed
    assert value(de[0].find("nl80211.dfs_region")) == "NL80211_DFS_ETSI" and out[i].endswith("DFS-ETSI")


# iw's names of the mesh parameters (iw mesh.c) -> NL80211_MESHCONF_* (nl80211.meshconf.*)
MESH_PARAMS = {
    "mesh_retry_timeout": "retry_timeout", "mesh_confirm_timeout": "confirm_timeout",
    "mesh_holding_timeout": "holding_timeout", "mesh_max_peer_links": "max_peer_links",
    "mesh_max_retries": "max_retries", "mesh_ttl": "ttl", "mesh_element_ttl": "element_ttl",
    "mesh_auto_open_plinks": "auto_open_plinks", "mesh_hwmp_max_preq_retries": "hwmp_max_preq_retries",
    "mesh_path_refresh_time": "path_refresh_time", "mesh_min_discovery_timeout": "min_discovery_timeout",
    "mesh_hwmp_active_path_timeout": "hwmp_active_path_timeout", "mesh_hwmp_preq_min_interval": "hwmp_preq_min_interval",
    "mesh_hwmp_net_diameter_traversal_time": "hwmp_net_diam_trvs_time", "mesh_hwmp_rootmode": "hwmp_rootmode",
    "mesh_hwmp_rann_interval": "hwmp_rann_interval", "mesh_gate_announcements": "gate_announcements",
    "mesh_fwding": "forwarding", "mesh_sync_offset_max_neighor": "sync_offset_max_neighbor",
    "mesh_rssi_threshold": "rssi_threshold", "mesh_hwmp_active_path_to_root_timeout": "hwmp_path_to_root_timeout",
    "mesh_hwmp_root_interval": "hwmp_root_interval", "mesh_hwmp_confirmation_interval": "hwmp_confirmation_interval",
    "mesh_power_mode": "power_mode", "mesh_awake_window": "awake_window", "mesh_plink_timeout": "plink_timeout",
    "mesh_connected_to_gate": "connected_to_gate", "mesh_nolearn": "nolearn", "mesh_connected_to_as": "connected_to_as"}
UNIT_WORDS = {"milliseconds": "ms", "TUs": "TU", "seconds": "s", "dBm": "dBm"}


def test_iw_mesh_param_dump_is_the_mesh_config_answer(run):
    """Every `iw dev mesh0 mesh_param dump` line is a NL80211_MESHCONF_* of the GET_MESH_CONFIG
    answer, in iw's units (the nest's first attribute, the interface index the kernel puts
    there, left aside: iw keeps the later holding timeout)."""
    msgs, runs = run
    out = output(runs, "iw dev mesh0 mesh_param dump")
    t = answers(msgs, "NL80211_CMD_GET_MESH_CONFIG")[0].tree
    assert t.first("nl80211.meshconf.ifindex") == int(re.search(r"ifindex (\d+)", "\n".join(
        output(runs, "iw dev mesh0 info"))).group(1))
    assert len(out) == len(MESH_PARAMS)
    for line in out:
        name, printed = line.split(" = ")
        n = t.find(f"nl80211.meshconf.{MESH_PARAMS[name]}")
        words = printed.split()
        if name == "mesh_power_mode":
            assert value(n) == f"NL80211_MESH_POWER_{words[0].upper()}", line
            continue
        assert n.value == int(words[0]), line
        if len(words) > 1:
            assert n.show == f"{n.value} {UNIT_WORDS[words[1]]}", line


def test_iw_set_mesh_param_and_the_values_read_back(run):
    msgs, runs = run
    (req,) = [m.tree for m in msgs if m.type_name == "NL80211_CMD_SET_MESH_CONFIG" and m.direction == "to kernel"]
    sent = {k: req.first(f"nl80211.meshconf.{k}") for k in ("hwmp_rootmode", "max_peer_links", "ttl")}
    assert sent == {"hwmp_rootmode": 2, "max_peer_links": 5, "ttl": 17}
    assert output(runs, "iw dev mesh0 get mesh_param mesh_ttl") == [str(sent["ttl"])]
    assert output(runs, "iw dev mesh0 get mesh_param mesh_max_peer_links") == [str(sent["max_peer_links"])]
    after = answers(msgs, "NL80211_CMD_GET_MESH_CONFIG")[-1].tree
    assert (after.first("nl80211.meshconf.ttl"), after.first("nl80211.meshconf.max_peer_links")) == (17, 5)


def test_iw_mpath_dump_is_the_mesh_path(run):
    """`iw dev mesh0 mpath dump`: SN METRIC QLEN EXPTIME DTIM DRET FLAGS HOP_COUNT PATH_CHANGE of
    the path `mpath new` added are its NL80211_ATTR_MPATH_INFO."""
    msgs, runs = run
    out = output(runs, "iw dev mesh0 mpath dump")
    w = out[1].split()
    (t, *_) = [m.tree for m in msgs if m.type_name == "NL80211_CMD_NEW_MPATH" and m.direction == "from kernel"
               and "MULTI" in m.flag_names]
    assert (t.first("nl80211.mac"), t.first("nl80211.mpath_next_hop")) == (w[0], w[1])
    got = [t.first(f"nl80211.mpath_info.{k}") for k in ("sn", "metric", "frame_qlen", "exptime", "discovery_timeout",
                                                      "discovery_retries")]
    assert got == [int(x) for x in w[3:9]]
    assert t.first("nl80211.mpath_info.flags") == int(w[9], 16)
    assert [t.first("nl80211.mpath_info.hop_count"), t.first("nl80211.mpath_info.path_change")] == [int(w[10]), int(w[11])]
    assert output(runs, "iw dev mesh0 mpath dump", 1)[1:] == []


def test_iw_station_dump_of_the_mesh_peer(run):
    msgs, runs = run
    out = output(runs, "iw dev mesh0 station dump")
    printed = dict(line.strip().split(":", 1) for line in out[1:] if ":" in line)
    peer = out[0].split()[1]
    dumps = [m.tree for m in answers(msgs, "NL80211_CMD_NEW_STATION") if m.tree.first("nl80211.mac") == peer]
    t = next(d for d in dumps if str(d.first("nl80211.sta_info.rx_packets")) == printed["rx packets"].strip())
    assert str(t.first("nl80211.sta_info.llid")) == printed["mesh llid"].strip()
    assert str(t.first("nl80211.sta_info.plid")) == printed["mesh plid"].strip()
    assert value(t.find("nl80211.sta_info.plink_state")) == "NL80211_PLINK_" + printed["mesh plink"].strip()
    assert f"{t.first('nl80211.sta_info.signal')} dBm" == printed["signal"].strip()


# --- cangw ---------------------------------------------------------------------------------------
_OPS = ("AND", "OR", "XOR", "SET")


def _mod(t, op: str, fd: bool) -> str:
    """A modification as cangw -L prints it: -m SET:IL:333.4.1122334455667788 (-M for CAN FD)."""
    p = f"rtnl.cgw.{'fdmod' if fd else 'mod'}_{op.lower()}"
    mt = t.first(f"{p}.modtype")
    elems = "".join(c for b, c in ((1, "I"), (8, "F"), (2, "L"), (4, "D")) if mt & b)
    data = t.first(f"{p}.data").hex().upper()
    if fd:
        return f"-M {op}:{elems}:{t.first(f'{p}.can_id'):03X}.{t.first(f'{p}.flags'):X}.{t.first(f'{p}.len'):02X}.{data}"
    return f"-m {op}:{elems}:{t.first(f'{p}.can_id'):03X}.{t.first(f'{p}.len'):X}.{data}"


def cangw_rule(t, names: dict) -> set:
    """The options of one job as `cangw -L` prints them, and its counters."""
    flags = t.first("rtnl.cgw.flags")
    opts = {f"-s {names[t.first('rtnl.cgw.src_if')]}", f"-d {names[t.first('rtnl.cgw.dst_if')]}"}
    opts |= {o for b, o in ((0x8, "-X"), (0x1, "-e"), (0x2, "-t"), (0x4, "-i")) if flags & b}
    if t.first("rtnl.cgw.lim_hops"):
        opts.add(f"-l {t.first('rtnl.cgw.lim_hops')}")
    for op in _OPS:
        for fd in (False, True):
            if t.find(f"rtnl.cgw.{'fdmod' if fd else 'mod'}_{op.lower()}") is not None:
                opts.add(_mod(t, op, fd))
    if t.first("rtnl.cgw.mod_uid"):
        opts.add(f"-u {t.first('rtnl.cgw.mod_uid'):X}")
    if t.find("rtnl.cgw.cs_xor") is not None:
        x = [t.first(f"rtnl.cgw.cs_xor.{k}") for k in ("from_idx", "to_idx", "result_idx", "init_xor_val")]
        opts.add("-x {}:{}:{}:{:02X}".format(*x))
    if t.find("rtnl.cgw.cs_crc8") is not None:
        c = [t.first(f"rtnl.cgw.cs_crc8.{k}") for k in ("from_idx", "to_idx", "result_idx", "init_crc_val", "final_xor_val")]
        opts.add("-c {}:{}:{}:{:02X}:{:02X}:".format(*c) + t.first("rtnl.cgw.cs_crc8.crctab").hex().upper())
        if t.first("rtnl.cgw.cs_crc8.profile") == 1:
            opts.add(f"-p 1:{t.first('rtnl.cgw.cs_crc8.profile_data')[0]:02X}")
    if t.find("rtnl.cgw.filter") is not None:
        opts.add(f"-f {t.first('rtnl.cgw.filter.can_id'):03X}:{t.first('rtnl.cgw.filter.can_mask'):X}")
    counts = tuple(t.first(f"rtnl.cgw.{k}") or 0 for k in ("handled", "dropped", "deleted"))
    return opts, counts


def printed_rule(line: str):
    rule, counts = line.split(" # ")
    opts = {"-" + o.strip() for o in rule.removeprefix("cangw -A ").split(" -") if o.strip()}
    opts = {o.replace("--", "-") for o in opts}
    return opts, tuple(int(x) for x in re.findall(r"(\d+) \w+", counts))


def _dumps(msgs):
    """The CAN gateway's answers to each `cangw -L`, one list per dump."""
    groups, cur = [], None
    for m in msgs:
        if m.type_name == "RTM_GETROUTE" and m.direction == "to kernel" and m.tree.find("rtnl.cgw") is not None:
            cur = []
            groups.append(cur)
        elif cur is not None and m.type_name == "RTM_NEWROUTE" and m.direction == "from kernel" \
                and m.tree.find("rtnl.cgw") is not None:
            cur.append(m.tree)
    return groups


def test_cangw_list_is_the_decoded_job_dump(run):
    """Each `cangw -L` line (rules with a filter, modifications, XOR and CRC8 checksums, a hop
    limit, a uid, one CAN FD rule; the frames they handled, dropped, deleted) is one
    RTM_NEWROUTE of struct rtcanmsg the kernel answered its dump with."""
    msgs, runs = run
    names = {m.tree.first("rtnl.link.index"): m.tree.first("rtnl.link.ifname") for m in msgs
             if m.type_name == "RTM_NEWLINK" and m.direction == "from kernel"
             and str(m.tree.first("rtnl.link.ifname") or "").startswith("vcan")}
    lists = [out for cmd, out in runs if cmd == "cangw -L"]
    dumps = _dumps(msgs)
    assert len(lists) == len(dumps) == 4
    for out, dump in zip(lists, dumps):
        assert sorted((tuple(sorted(o)), c) for o, c in map(printed_rule, out)) == \
            sorted((tuple(sorted(o)), c) for o, c in (cangw_rule(t, names) for t in dump))
    assert [len(out) for out in lists] == [5, 5, 3, 0]
    after = {tuple(sorted(o)): c for o, c in map(printed_rule, lists[1])}
    assert sorted(after.values())[-1][0] == 3      # the plain vcan0 -> vcan1 rule: three frames


def test_cangw_refusals_are_the_kernels_errors(run):
    """A hop limit above max_hops, and deleting a rule that is not there: cgw_create_job() and
    cgw_remove_job() answer EINVAL, as cangw printed."""
    msgs, runs = run
    refused = [c for c, out in runs if c.startswith("cangw") and out == ["netlink error -22 (Invalid argument)"]]
    assert len(refused) == 2
    errors = [m for m in msgs if m.type_name == "NLMSG_ERROR" and m.error["code"] == -22
              and m.error["request_type"].startswith(("RTM_NEWROUTE", "RTM_DELROUTE"))]
    assert len(errors) == 2


# --- pyroute2 ------------------------------------------------------------------------------------
def _probe(runs) -> list[str]:
    (out,) = [out for cmd, out in runs if cmd.endswith("tools_probe.py iproute iw ipvs wireguard")]
    return out


def test_pyroute2_iproute_dumps_are_the_decoded_ones(run):
    msgs, runs = run
    out = _probe(runs)
    link = next(line for line in out if line.startswith("iproute dump link"))
    w = link.split()
    (t, *_) = [m.tree for m in answers(msgs, "RTM_NEWLINK") if m.tree.first("rtnl.link.ifname") == "pr0"
               and m.tree.first("rtnl.link.address") == w[9]]
    assert (str(t.first("rtnl.link.index")), str(t.first("rtnl.link.mtu"))) == (w[5], w[7])
    assert value(t.find("rtnl.link.operstate")).removeprefix("IF_OPER_") == w[11]
    for line in out:
        if line.startswith("iproute dump addr"):
            addr, plen = line.split()[3].split("/")
            assert any(m.tree.first("rtnl.addr.address") == addr and str(m.tree.first("rtnl.addr.prefixlen")) == plen
                       for m in answers(msgs, "RTM_NEWADDR")), line
    # get_routes(dst=…) is a RTM_GETROUTE lookup, not a dump: the kernel answers with the /32
    route = next(line for line in out if line.startswith("iproute dump route")).split()
    (r, *_) = [m.tree for m in answers(msgs, "RTM_NEWROUTE") if m.tree.first("rtnl.route.dst") == "10.78.0.0"
               and f"{m.tree.first('rtnl.route.dst')}/{m.tree.first('rtnl.route.dst_len')}" == route[3]]
    assert (r.first("rtnl.route.gateway"), str(r.first("rtnl.route.oif"))) == (route[5], route[7])
    neigh = next(line for line in out if line.startswith("iproute dump neigh")).split()
    assert any(m.tree.first("rtnl.neigh.dst") == neigh[3] and m.tree.first("rtnl.neigh.lladdr") == neigh[5]
               and str(m.tree.first("rtnl.neigh.state")) == neigh[7] for m in answers(msgs, "RTM_NEWNEIGH"))
    rule = next(line for line in out if line.startswith("iproute dump rule")).split()
    assert any(str(m.tree.first("rtnl.rule.priority")) == rule[4]
               and f"{m.tree.first('rtnl.rule.src')}/{m.tree.first('rtnl.rule.src_len')}" == rule[6]
               and str(m.tree.first("rtnl.rule.table")) == rule[8] for m in answers(msgs, "RTM_NEWRULE"))


def test_pyroute2_iw_lists_the_hwsim_interfaces(run):
    msgs, runs = run
    devs = [line.split() for line in _probe(runs) if line.startswith("iw dev ")]
    assert len(devs) == 2
    for w in devs:
        assert any(m.tree.first("nl80211.ifname") == w[2] and str(m.tree.first("nl80211.ifindex")) == w[4]
                   and str(m.tree.first("nl80211.wiphy")) == w[6] and str(m.tree.first("nl80211.iftype")) == w[8]
                   and m.tree.first("nl80211.mac") == w[10]
                   for m in answers(msgs, "NL80211_CMD_NEW_INTERFACE")), w


def test_pyroute2_ipvs_service_and_destination(run):
    msgs, runs = run
    out = _probe(runs)
    svc = next(line for line in out if line.startswith("ipvs service")).split()
    dst = next(line for line in out if line.startswith("ipvs dest")).split()
    (s,) = [m.tree for m in answers(msgs, "IPVS_CMD_NEW_SERVICE") if m.tree.first("ipvs.svc.addr") == "10.80.0.1"]
    assert f"{s.first('ipvs.svc.addr')}:{s.first('ipvs.svc.port')}" == svc[2]
    assert (str(s.first("ipvs.svc.protocol")), s.first("ipvs.svc.sched_name")) == (svc[4], svc[6])
    (d,) = [m.tree for m in answers(msgs, "IPVS_CMD_NEW_DEST")]
    assert f"{d.first('ipvs.dest.addr')}:{d.first('ipvs.dest.port')}" == dst[2]
    assert (str(d.first("ipvs.dest.weight")), str(d.first("ipvs.dest.fwd_method"))) == (dst[4], dst[6])


def test_pyroute2_wireguard_device_with_its_keys_redacted(run):
    """WG_CMD_SET_DEVICE and the GET_DEVICE answer: listen port, fwmark, the peer's endpoint and
    keepalive as pyroute2 printed them; the private key never shown (neither its base64 nor its
    bytes), in the request as in the answer."""
    msgs, runs = run
    out = _probe(runs)
    dev = next(line for line in out if line.startswith("wireguard pr1")).split()
    peer = next(line for line in out if line.startswith("wireguard peer")).split()
    (t,) = [m.tree for m in answers(msgs, "WG_CMD_GET_DEVICE")]
    assert (str(t.first("wireguard.listen_port")), str(t.first("wireguard.fwmark"))) == (dev[3], dev[5])
    assert (str(t.first("wireguard.peer.persistent_keepalive_interval")), t.first("wireguard.peer.endpoint")) == \
        (peer[3], peer[5])
    private_b64 = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
    private_hex = bytes(range(1, 33)).hex()
    wg = [m for m in msgs if m.family == "wireguard"]
    keys = [n for m in wg for n in m.tree.walk() if n.field.abbrev == "wireguard.private_key"]
    assert len(keys) >= 2 and all(str(n.show).startswith("<32 bytes, sha256") for n in keys)
    for m in wg:
        for n in m.tree.walk():
            assert private_b64 not in str(n.show) and private_hex not in str(n.show) and private_hex not in str(n.value)


# --- FRR: zebra and staticd ----------------------------------------------------------------------
def _zebra_nexthops(msgs) -> dict:
    """zebra's RTM_NEWNEXTHOP requests by id: ("via", gateway) / ("group", [ids]) / ("blackhole",) /
    ("dev",)."""
    out = {}
    for m in msgs:
        if m.type_name != "RTM_NEWNEXTHOP" or m.direction != "to kernel":
            continue
        t = m.tree
        if t.find("rtnl.nexthop.group") is not None:
            out[t.first("rtnl.nexthop.id")] = ("group", [n.value for n in t.find_all("rtnl.nexthop.group.entry.id")])
        elif t.first("rtnl.nexthop.blackhole"):
            out[t.first("rtnl.nexthop.id")] = ("blackhole",)
        elif t.first("rtnl.nexthop.gateway"):
            out[t.first("rtnl.nexthop.id")] = ("via", t.first("rtnl.nexthop.gateway"))
        else:
            out[t.first("rtnl.nexthop.id")] = ("dev",)
    return out


def test_zebra_nexthop_objects_are_ip_nexthop_show(run):
    """zebra gives the kernel one nexthop object per gateway, a group for the ECMP route and a
    blackhole one: `ip nexthop show` (while zebra ran) lists what its RTM_NEWNEXTHOP asked."""
    msgs, runs = run
    sent = _zebra_nexthops(msgs)
    printed = {}
    for line in output(runs, "ip nexthop show"):
        w = line.split()
        nid = int(w[1])
        if w[2] == "group":
            printed[nid] = ("group", [int(x) for x in w[3].split("/")])
        elif w[2] == "blackhole":
            printed[nid] = ("blackhole",)
        elif w[2] == "via":
            printed[nid] = ("via", w[3])
        else:
            printed[nid] = ("dev",)
        assert w[-1] == "zebra", line
    assert printed and {k: v for k, v in sent.items() if k in printed} == printed
    assert any(v[0] == "group" for v in printed.values()) and any(v[0] == "blackhole" for v in printed.values())
    protos = {value(m.tree.find("rtnl.nexthop.protocol")) for m in msgs
              if m.type_name == "RTM_NEWNEXTHOP" and m.direction == "to kernel"}
    assert protos == {"RTPROT_ZEBRA"}


def test_zebra_installs_what_vtysh_shows(run):
    """`show ip route`'s static routes (S>*) are zebra's RTM_NEWROUTE requests, protocol 196
    (FRR's RTPROT_ZSTATIC, `proto static` to ip): each names its nexthop object (RTA_NH_ID),
    whose gateways are the `via`s vtysh printed; `ip -d route show 10.96.1.0/24` shows the ECMP
    route's group."""
    msgs, runs = run
    nhs = _zebra_nexthops(msgs)
    routes = {}
    for m in msgs:
        t = m.tree
        if m.type_name == "RTM_NEWROUTE" and m.direction == "to kernel" \
                and value(t.find("rtnl.route.protocol")) == "RTPROT_ZSTATIC":
            routes[f"{t.first('rtnl.route.dst')}/{t.first('rtnl.route.dst_len')}"] = t
    shown, cur = {}, None
    for line in output(runs, 'vtysh --vty_socket /tmp/nlscope-tools/frr -c show ip route'):
        m = re.match(r"S>\* (\S+) \[\d+/\d+\] (.*)", line)
        if m:
            cur = m.group(1)
            shown[cur] = []
        elif not line.startswith("  *"):
            cur = None
        if cur and " via " in line:
            shown[cur].append(line.split(" via ")[1].split(",")[0])
        elif cur and "blackhole" in line:
            shown[cur].append("blackhole")
    assert len(shown) == 4
    def gateways(nid):
        nh = nhs[nid]
        if nh[0] == "group":
            return [g for i in nh[1] for g in gateways(i)]
        return ["blackhole"] if nh[0] == "blackhole" else [nh[1]]
    for dst, gws in shown.items():
        t = routes[dst]
        if gws == ["blackhole"]:   # zebra sends a blackhole as the route's type, no nexthop object
            assert value(t.find("rtnl.route.type")) == "RTN_BLACKHOLE" and t.first("rtnl.route.nh_id") is None
            continue
        assert sorted(gateways(t.first("rtnl.route.nh_id"))) == sorted(gws), dst
    # `no ip route 10.96.0.0/24 …` in vtysh, then zebra's shutdown: every route withdrawn
    gone = [m.tree.first("rtnl.route.dst") for m in msgs if m.type_name == "RTM_DELROUTE" and m.direction == "to kernel"
            and value(m.tree.find("rtnl.route.protocol")) == "RTPROT_ZSTATIC" and m.tree.first("rtnl.route.family") == 2]
    assert sorted(set(gone)) == sorted(d.split("/")[0] for d in shown)
    line = output(runs, "ip -d route show 10.96.1.0/24")[0]
    assert f"nhid {routes['10.96.1.0/24'].first('rtnl.route.nh_id')} " in line
