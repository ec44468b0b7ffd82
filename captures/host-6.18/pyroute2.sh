#!/bin/sh
# pyroute2 0.9 (IPRoute, no NDB) on a 6.18 kernel (a container: no nlmon), recorded with strace
# and tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/pyroute2.sh   -> pyroute2.pcapng, pyroute2.out (what the script printed)
# Dumps of every rtnetlink object (with pyroute2's own filters), a batch of changes — links of
# several kinds, addresses, routes (multipath, metrics, encap), rules, neighbours, nexthops,
# qdiscs, classes and filters — each checked by a GET, requests the kernel refuses (the
# errors pyroute2 raises are printed), and the generic-netlink families it resolves
# (ethtool; devlink, IPVS and wireguard are missing here).
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/pyroute2.strace \
        sh "$0" inside > "$D/pyroute2.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/pyroute2.strace "$D/pyroute2.pcapng"
fi
set +e
ip link set lo up
python3 - <<'PY'
from pyroute2 import IPRoute
from pyroute2.netlink.exceptions import NetlinkError

def attempt(what, fn, *a, **kw):
    try:
        r = fn(*a, **kw)
        print(what, "ok")
        return r
    except NetlinkError as e:
        print(what, "error", e.code, e)
    except Exception as e:
        print(what, "failed", type(e).__name__, e)

with IPRoute() as ipr:
    attempt("add br1", ipr.link, "add", ifname="br1", kind="bridge", br_stp_state=0, br_forward_delay=400)
    attempt("add tap1", ipr.link, "add", ifname="tap1", kind="tuntap", mode="tap")
    br = ipr.link_lookup(ifname="br1")[0]; tap = ipr.link_lookup(ifname="tap1")[0]
    attempt("add vlan", ipr.link, "add", ifname="br1.30", kind="vlan", link=br, vlan_id=30)
    attempt("add macvlan", ipr.link, "add", ifname="mv1", kind="macvlan", link=br, macvlan_mode="bridge")
    attempt("add vxlan", ipr.link, "add", ifname="vx1", kind="vxlan", vxlan_id=77, vxlan_port=4789)
    attempt("set tap1", ipr.link, "set", index=tap, master=br, mtu=1450, state="up")
    attempt("set br1", ipr.link, "set", index=br, state="up", address="02:00:00:00:01:01")
    attempt("addr v4", ipr.addr, "add", index=br, address="10.8.0.1", prefixlen=24, broadcast="10.8.0.255")
    attempt("addr v6", ipr.addr, "add", index=br, address="fd08::1", prefixlen=64)
    attempt("route", ipr.route, "add", dst="10.18.0.0/16", gateway="10.8.0.2", metrics={"mtu": 1400, "hoplimit": 16})
    attempt("route multipath", ipr.route, "add", dst="10.19.0.0/16",
            multipath=[{"gateway": "10.8.0.2", "hops": 2}, {"gateway": "10.8.0.3"}])
    attempt("route table", ipr.route, "add", dst="10.20.0.0/16", oif=br, table=300, scope=253, proto=4)
    attempt("route blackhole", ipr.route, "add", dst="10.21.0.0/16", type="blackhole")
    attempt("route v6", ipr.route, "add", dst="fd18::/64", gateway="fd08::2")
    attempt("rule", ipr.rule, "add", table=300, priority=3000, fwmark=7, fwmask=0xff)
    attempt("neigh", ipr.neigh, "add", dst="10.8.0.9", lladdr="02:00:00:00:00:09", ifindex=br, state=0x80)
    attempt("tc htb", ipr.tc, "add", "htb", index=br, handle="1:", default=0x10)
    attempt("tc class", ipr.tc, "add-class", "htb", index=br, handle="1:10", parent="1:0", rate="10mbit", ceil="20mbit")
    attempt("tc filter", ipr.tc, "add-filter", "u32", index=br, handle="0:0", parent="1:0", prio=10, protocol=0x0800,
            target="1:10", keys=["0x0/0x0+0"])
    print("links", [(l.get("ifname"), l.get("mtu")) for l in ipr.get_links()])
    print("addrs", [a.get("address") for a in ipr.get_addr()])
    print("routes", [r.get("dst") for r in ipr.get_routes(family=2)])
    print("routes table 300", [r.get("dst") for r in ipr.get_routes(table=300)])
    print("rules", [r.get("priority") for r in ipr.get_rules(family=2)])
    print("neighbours", [n.get("dst") for n in ipr.get_neighbours(ifindex=br)])
    print("qdiscs", [q.get("kind") for q in ipr.get_qdiscs(index=br)])
    print("classes", [c.get_attr("TCA_KIND") for c in ipr.get_classes(index=br)])
    print("filters", [f.get_attr("TCA_KIND") for f in ipr.get_filters(index=br, parent=0x10000)])
    print("netconf", len(ipr.get_netconf() if hasattr(ipr, "get_netconf") else []))
    print("route get", [r.get("dst") for r in ipr.route("get", dst="10.18.0.1")])
    # refused
    attempt("dup addr", ipr.addr, "add", index=br, address="10.8.0.1", prefixlen=24)
    attempt("bad route", ipr.route, "add", dst="10.22.0.0/16", gateway="192.0.2.1")
    attempt("no link", ipr.link, "set", index=999, state="up")
    attempt("bad kind", ipr.link, "add", ifname="x0", kind="nosuchkind")
    attempt("del missing rule", ipr.rule, "del", table=301, priority=3001)
    attempt("del route", ipr.route, "del", dst="10.19.0.0/16")
    attempt("del vxlan", ipr.link, "del", ifname="vx1")
    attempt("flush addr", ipr.flush_addr, index=br)
PY
python3 - <<'PY'
for name in ("Ethtool", "DL", "IPVS", "WireGuard"):
    try:
        import pyroute2
        cls = getattr(pyroute2, name)
        obj = cls()
        if name == "Ethtool":
            print("ethtool", obj.get_link_info("lo"), obj.get_link_mode("lo"))
        elif name == "DL":
            print("devlink", obj.list())
        else:
            print(name, "opened")
        obj.close()
    except Exception as e:
        print(name, "failed", type(e).__name__, e)
PY
