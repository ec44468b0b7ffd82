#!/bin/sh
# FRR 8.4 (zebra, staticd and pbrd, driven by vtysh) on a 6.18 kernel (a container: no nlmon),
# recorded with strace and tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/frr.sh   -> frr.pcapng, frr.out (what vtysh and ip printed)
# zebra dumps links, addresses, routes, neighbours, rules and nexthops, then installs the
# static routes as nexthop objects (RTM_NEWNEXTHOP: single nexthops, ECMP groups of them,
# blackhole and reject) and routes pointing at them (RTA_NH_ID); vtysh then changes the
# configuration (a route removed, a route and an address added, the interface shut down
# and brought back) and the kernel's notifications of each come back to zebra.  The tap
# device t1 gets carrier from a process holding its queue open (a tap nobody reads has none,
# and zebra installs no route through a link without carrier).  pbrd's policy (a pbr-map
# matching source, destination, mark and DSCP) becomes rules (RTM_NEWRULE, proto 195) and
# routes in tables of its own.  The daemons run as the frr
# user (their vty sockets are the frrvty group's) with every path under a private directory.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    T=$(mktemp -d); chown frr:frr "$T"
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/frr.strace \
        sh "$0" inside "$T" > "$D/frr.out" 2>&1
    rm -rf "$T"
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/frr.strace "$D/frr.pcapng"
fi
set +e
T=$2
cat > $T/zebra.conf <<'C'
hostname nlscope
interface t1
 ip address 10.9.0.1/24
 ipv6 address fd00::1/64
C
cat > $T/staticd.conf <<'C'
ip route 10.50.0.0/16 10.9.0.2
ip route 10.51.0.0/16 10.9.0.2
ip route 10.51.0.0/16 10.9.0.3
ip route 10.52.0.0/16 blackhole
ip route 10.53.0.0/16 10.9.0.2 tag 7 250
ip route 10.54.0.0/16 10.50.0.1
ip route 10.55.0.0/16 t1
ip route 10.56.0.0/16 reject
ip route 10.57.0.0/16 10.9.0.2 table 100
ipv6 route fd10::/64 fd00::2
ipv6 route fd11::/64 fd00::2 t1
ipv6 route fd11::/64 fd00::3 t1
C
cat > $T/pbrd.conf <<'C'
nexthop-group g1
 nexthop 10.9.0.2 t1
 nexthop 10.9.0.3 t1
!
pbr-map pm seq 10
 match src-ip 10.9.0.0/24
 match dst-ip 10.62.0.0/16
 match mark 7
 set nexthop-group g1
!
pbr-map pm seq 20
 match dst-ip 10.63.0.0/16
 match dscp 10
 set table 500
!
interface t1
 pbr-policy pm
C
cat > $T/holdtap.py <<'P'
import fcntl, os, struct, sys, time
fd = os.open("/dev/net/tun", os.O_RDWR)   # TUNSETIFF, IFF_TAP | IFF_NO_PI: t1 has carrier while it is open
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
time.sleep(60)
P
ip link set lo up
ip tuntap add t1 mode tap; ip link set t1 up
python3 $T/holdtap.py t1 & H=$!; sleep 1   # python starts slowly under strace
ip route add 10.60.0.0/16 via 10.9.0.4 proto static metric 30   # a kernel route zebra learns
F="-u frr -g frr -z $T/zserv.api --vty_socket $T -d"
/usr/lib/frr/zebra $F -f $T/zebra.conf -i $T/zebra.pid --log file:$T/zebra.log; sleep 1
/usr/lib/frr/staticd $F -f $T/staticd.conf -i $T/staticd.pid --log file:$T/staticd.log
/usr/lib/frr/pbrd $F -f $T/pbrd.conf -i $T/pbrd.pid --log file:$T/pbrd.log; sleep 2
V="vtysh --vty_socket $T"
$V -c 'show ip route' -c 'show ipv6 route' -c 'show ip route table 100' -c 'show nexthop-group rib' \
   -c 'show pbr map' -c 'show ip route table 10000' 
echo "+ ip route show"; ip route show; echo "+ ip nexthop show"; ip nexthop show
echo "+ ip -6 route show"; ip -6 route show; echo "+ ip route show table 100"; ip route show table 100
echo "+ ip rule show"; ip rule show; echo "+ ip route show table all proto 195"; ip route show table all proto 195
$V -c 'configure terminal' -c 'no ip route 10.53.0.0/16 10.9.0.2 tag 7 250' -c 'ip route 10.58.0.0/16 10.9.0.2 10.9.0.5' \
   -c 'interface t1' -c 'ip address 10.9.1.1/24'
sleep 1
$V -c 'configure terminal' -c 'interface t1' -c 'shutdown'; sleep 1
echo "+ ip link show t1"; ip link show t1
$V -c 'configure terminal' -c 'interface t1' -c 'no shutdown'; sleep 1
ip addr add 10.9.2.1/24 dev t1; sleep 0.5
$V -c 'show ip route' -c 'show interface t1'
echo "+ ip route show"; ip route show; echo "+ ip nexthop show"; ip nexthop show
kill $(cat $T/pbrd.pid) $(cat $T/staticd.pid); sleep 1; kill $(cat $T/zebra.pid); sleep 1; kill $H
echo "+ ip route show (after zebra stopped)"; ip route show; ip nexthop show
