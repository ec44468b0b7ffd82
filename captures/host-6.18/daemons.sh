#!/bin/sh
# Libraries and daemons other than iproute2 on a 6.18 kernel: libnl's command line tools
# (libnl-utils), pyroute2 (pip) and BIRD 2 (bird2: device, kernel and static protocols),
# recorded with strace and tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/daemons.sh   -> daemons.pcapng, daemons.out (what they printed)
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/daemons.strace \
        sh "$0" inside > "$D/daemons.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/daemons.strace "$D/daemons.pcapng"
fi
set +e
T=$(mktemp -d)
ip link set lo up
ip tuntap add t1 mode tap; ip link set t1 up; ip addr add 10.9.0.1/24 dev t1; ip -6 addr add fd00::1/64 dev t1 nodad
nl-link-list; nl-link-list --details 2>/dev/null; nl-addr-list; nl-route-list; nl-neigh-list; nl-rule-list; nl-qdisc-list; nl-class-list --dev t1; nl-cls-list --dev t1; genl-ctrl-list; genl-ctrl-list -d; nl-link-stats --list 2>/dev/null | head -2
nl-route-add --dst 10.20.0.0/16 --nexthop via=10.9.0.2,dev=t1 2>&1; nl-addr-add --dev t1 --local 10.9.5.1/24 2>&1
timeout 1 nl-monitor route 2>&1 & sleep 0.2; ip addr add 10.9.6.1/24 dev t1; sleep 0.5
timeout 1 genl-ctrl-list >/dev/null
python3 - <<'PY'
from pyroute2 import IPRoute, NDB
with IPRoute() as ipr:
    print(len(ipr.get_links()), len(ipr.get_addr()), len(ipr.get_routes()))
    idx = ipr.link_lookup(ifname="t1")[0]
    ipr.route("add", dst="10.30.0.0/16", gateway="10.9.0.2", oif=idx, priority=50)
    ipr.addr("add", index=idx, address="10.9.7.1", prefixlen=24)
    ipr.rule("add", table=200, priority=2000, src="10.9.7.0", src_len=24)
    print(ipr.get_rules(family=2)[:1] and "rules ok")
    ipr.neigh("add", dst="10.9.0.3", lladdr="02:00:00:00:00:03", ifindex=idx, state=128)
    print(len(ipr.get_neighbours()))
    try:
        ipr.link("add", ifname="br0", kind="bridge")
    except Exception as e: print("bridge", e)
PY
python3 - <<'PY'
from pyroute2 import GenericNetlinkSocket
from pyroute2.netlink.generic import ethtool
try:
    from pyroute2 import Ethtool
    e = Ethtool(); print(e.get_link_info("t1")); e.close()
except Exception as exc: print("ethtool", exc)
PY
cat > $T/bird.conf <<'B'
router id 10.9.0.1;
protocol device { }
protocol kernel { ipv4 { export all; import all; }; learn; }
protocol static { ipv4; route 10.40.0.0/16 via 10.9.0.2; route 10.41.0.0/16 blackhole; route 10.42.0.0/16 unreachable; }
B
bird -c $T/bird.conf -s $T/bird.ctl -P $T/bird.pid; sleep 2; birdc -s $T/bird.ctl show route; ip route show proto bird; kill $(cat $T/bird.pid); sleep 0.5
ip route show
