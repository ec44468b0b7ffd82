"""pyroute2 (issue 17): another netlink library than iproute2's and libnl, run in the VM by
captures/scenarios/tools.sh.  Each step prints one line of what pyroute2 sent or got back, so
that tests/captures/test_tools_captures.py can compare the decoded messages with it:

    iproute    dummy pr0 with an address, a route, a neighbour and a rule added, dumped, deleted
    iw         mac80211_hwsim's interfaces and phys (IW.list_dev, list_wiphy)
    ipvs       a service and a destination added, dumped, deleted (ip_vs loaded by tools.sh)
    wireguard  wg pr1 given a private key, a listen port and a peer, then read back

Keys are printed only as their length: nlscope redacts them and the log must not hold them.
"""
from __future__ import annotations

import socket
import sys

WG_PRIVATE = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="   # kmod/tools/wg-test.key
WG_PEER = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="      # bytes 0x20..0x3f


def attr(msg, name, default=None):
    v = msg.get_attr(name)
    return default if v is None else v


def iproute() -> None:
    from pyroute2 import IPRoute
    with IPRoute() as ipr:
        ipr.link("add", ifname="pr0", kind="dummy", mtu=1400)
        (idx,) = ipr.link_lookup(ifname="pr0")
        ipr.link("set", index=idx, state="up", address="02:00:00:00:77:01")
        print(f"iproute link pr0 index {idx} mtu 1400")
        ipr.addr("add", index=idx, address="10.77.0.1", prefixlen=24, label="pr0:a")
        ipr.addr("add", index=idx, address="2001:db8:77::1", prefixlen=64)
        ipr.route("add", dst="10.78.0.0/16", gateway="10.77.0.2", oif=idx, priority=77, table=254)
        ipr.neigh("add", dst="10.77.0.9", lladdr="02:00:00:00:77:09", ifindex=idx, state=0x80)
        ipr.rule("add", table=177, priority=1777, src="10.79.0.0", src_len=16)
        for link in ipr.get_links(idx):
            print(f"iproute dump link {attr(link, 'IFLA_IFNAME')} index {link['index']} "
                  f"mtu {attr(link, 'IFLA_MTU')} address {attr(link, 'IFLA_ADDRESS')} "
                  f"state {attr(link, 'IFLA_OPERSTATE')}")
        for a in ipr.get_addr(index=idx):
            print(f"iproute dump addr {attr(a, 'IFA_ADDRESS')}/{a['prefixlen']} family {a['family']} "
                  f"label {attr(a, 'IFA_LABEL', '-')}")
        for r in ipr.get_routes(family=socket.AF_INET, dst="10.78.0.0/16"):
            if attr(r, "RTA_DST") == "10.78.0.0":
                print(f"iproute dump route {attr(r, 'RTA_DST')}/{r['dst_len']} via {attr(r, 'RTA_GATEWAY')} "
                      f"oif {attr(r, 'RTA_OIF')} priority {attr(r, 'RTA_PRIORITY')} table {attr(r, 'RTA_TABLE')}")
        for n in ipr.get_neighbours(ifindex=idx):
            if attr(n, "NDA_DST") == "10.77.0.9":
                print(f"iproute dump neigh {attr(n, 'NDA_DST')} lladdr {attr(n, 'NDA_LLADDR')} state {n['state']}")
        for r in ipr.get_rules(family=socket.AF_INET):
            if attr(r, "FRA_PRIORITY") == 1777:
                print(f"iproute dump rule priority {attr(r, 'FRA_PRIORITY')} from {attr(r, 'FRA_SRC')}/"
                      f"{r['src_len']} table {attr(r, 'FRA_TABLE')}")
        ipr.rule("del", table=177, priority=1777, src="10.79.0.0", src_len=16)
        ipr.neigh("del", dst="10.77.0.9", ifindex=idx)
        ipr.route("del", dst="10.78.0.0/16", gateway="10.77.0.2", oif=idx, priority=77, table=254)
        ipr.addr("del", index=idx, address="10.77.0.1", prefixlen=24)
        ipr.link("del", index=idx)
        print("iproute deleted pr0")


def iw() -> None:
    from pyroute2 import IW
    with IW() as w:
        for dev in w.list_dev():
            print(f"iw dev {attr(dev, 'NL80211_ATTR_IFNAME')} ifindex {attr(dev, 'NL80211_ATTR_IFINDEX')} "
                  f"wiphy {attr(dev, 'NL80211_ATTR_WIPHY')} iftype {attr(dev, 'NL80211_ATTR_IFTYPE')} "
                  f"mac {attr(dev, 'NL80211_ATTR_MAC')}")
        seen = set()
        for phy in w.list_wiphy():
            name = attr(phy, "NL80211_ATTR_WIPHY_NAME")
            if name and name not in seen:
                seen.add(name)
                print(f"iw phy {name} wiphy {attr(phy, 'NL80211_ATTR_WIPHY')}")


def ipvs() -> None:
    from pyroute2 import IPVS, IPVSDest, IPVSService
    with IPVS() as lvs:
        svc = IPVSService(addr="10.80.0.1", port=8080, protocol=socket.IPPROTO_TCP, sched_name="rr")
        lvs.service("add", service=svc)
        lvs.dest("add", service=svc, dest=IPVSDest(addr="10.80.1.2", port=80, weight=4))
        for s in lvs.service("dump"):
            a = s.get_attr("IPVS_CMD_ATTR_SERVICE")
            print(f"ipvs service {a.get_attr('IPVS_SVC_ATTR_ADDR')}:{a.get_attr('IPVS_SVC_ATTR_PORT')} "
                  f"protocol {a.get_attr('IPVS_SVC_ATTR_PROTOCOL')} sched {a.get_attr('IPVS_SVC_ATTR_SCHED_NAME')}")
        for d in lvs.dest("dump", service=svc):
            a = d.get_attr("IPVS_CMD_ATTR_DEST")
            print(f"ipvs dest {a.get_attr('IPVS_DEST_ATTR_ADDR')}:{a.get_attr('IPVS_DEST_ATTR_PORT')} "
                  f"weight {a.get_attr('IPVS_DEST_ATTR_WEIGHT')} fwd {a.get_attr('IPVS_DEST_ATTR_FWD_METHOD')}")
        lvs.service("del", service=svc)
        print("ipvs deleted")


def wireguard() -> None:
    from pyroute2 import IPRoute, WireGuard
    with IPRoute() as ipr:
        ipr.link("add", ifname="pr1", kind="wireguard")
    with WireGuard() as wg:
        wg.set("pr1", private_key=WG_PRIVATE, listen_port=51877, fwmark=0x77,
               peer={"public_key": WG_PEER, "endpoint_addr": "10.81.0.2", "endpoint_port": 51878,
                     "persistent_keepalive": 25, "allowed_ips": ["10.82.0.0/24", "2001:db8:82::/64"]})
        for msg in wg.info("pr1"):
            peers = msg.get_attr("WGDEVICE_A_PEERS") or []
            priv = msg.get_attr("WGDEVICE_A_PRIVATE_KEY")
            print(f"wireguard {msg.get_attr('WGDEVICE_A_IFNAME')} listen_port {msg.get_attr('WGDEVICE_A_LISTEN_PORT')} "
                  f"fwmark {msg.get_attr('WGDEVICE_A_FWMARK')} private_key {len(priv or '')} chars peers {len(peers)}")
            for p in peers:
                ep = p.get_attr("WGPEER_A_ENDPOINT") or {}
                print(f"wireguard peer keepalive {p.get_attr('WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL')} "
                      f"endpoint {ep.get('addr')}:{ep.get('port')}")
    with IPRoute() as ipr:
        ipr.link("del", ifname="pr1")
    print("wireguard deleted pr1")


STEPS = {"iproute": iproute, "iw": iw, "ipvs": ipvs, "wireguard": wireguard}

if __name__ == "__main__":
    status = 0
    for step in sys.argv[1:] or list(STEPS):
        try:
            STEPS[step]()
        except Exception as e:  # one step's failure is logged, the others still run
            print(f"{step} failed: {type(e).__name__}: {e}")
            status = 1
    sys.exit(status)
