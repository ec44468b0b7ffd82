#!/bin/sh
# BIRD 2 beyond daemons.sh: kernel protocols on three kernel tables (main, 100 and an IPv6
# one), ECMP routes (RTA_MULTIPATH, merged paths), the route attributes BIRD's krt_ names set
# (krt_metric, krt_prefsrc, krt_realm, the RTA_METRICS members krt_mtu, krt_window, krt_rtt,
# krt_advmss, krt_hoplimit, krt_initcwnd, krt_lock_mtu…), device and direct protocols, routes
# learned from the kernel, and a reconfiguration that withdraws some of them.  Recorded with
# strace and tools/strace2pcap.py in a private network namespace (a 6.18 kernel in a container):
#   sh captures/host-6.18/bird.sh   -> bird.pcapng, bird.out (what birdc and ip printed)
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/bird.strace \
        sh "$0" inside > "$D/bird.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/bird.strace "$D/bird.pcapng"
fi
set +e
T=$(mktemp -d)
cat > $T/holdtap.py <<'P'
import fcntl, os, struct, sys, time
fd = os.open("/dev/net/tun", os.O_RDWR)   # TUNSETIFF, IFF_TAP | IFF_NO_PI: t1 has carrier while it is open
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
time.sleep(60)
P
ip link set lo up
ip tuntap add t1 mode tap; ip link set t1 up
python3 $T/holdtap.py t1 & H=$!; sleep 1   # python starts slowly under strace
ip addr add 10.9.0.1/24 dev t1; ip -6 addr add fd00::1/64 dev t1 nodad
ip route add 10.70.0.0/16 via 10.9.0.4 proto static table 100      # learned by the table-100 kernel protocol
ip -6 route add fd70::/64 via fd00::4 proto static
cat > $T/bird.conf <<'B'
router id 10.9.0.1;
ipv4 table t100;
protocol device { scan time 10; }
protocol direct { ipv4; ipv6; interface "t1"; }
protocol kernel k4 {
    ipv4 { export all; import all; };
    learn; merge paths on limit 4; metric 64;
}
protocol kernel k100 {
    ipv4 { table t100; export all; import all; };
    kernel table 100; learn;
}
protocol kernel k6 {
    ipv6 { export all; import all; };
    learn; merge paths on;
}
protocol static s4 {
    ipv4;
    route 10.80.0.0/16 via 10.9.0.2 { krt_metric = 300; krt_prefsrc = 10.9.0.1; krt_realm = 7; };
    route 10.81.0.0/16 via 10.9.0.2 via 10.9.0.3 weight 3;
    route 10.82.0.0/16 via 10.9.0.2 { krt_mtu = 1400; krt_window = 65535; krt_rtt = 100; krt_rttvar = 50;
        krt_advmss = 1360; krt_hoplimit = 32; krt_initcwnd = 10; krt_initrwnd = 20; krt_reordering = 5;
        krt_lock_mtu = true; krt_quickack = 1; };
    route 10.83.0.0/16 via "t1";
    route 10.84.0.0/16 prohibit;
    route 10.85.0.0/16 via 10.9.0.2 { krt_feature_ecn = true; krt_sstresh = 100; krt_cwnd = 20; krt_rto_min = 200; krt_lock_window = true; krt_scope = 253; };
}
protocol static s100 { ipv4 { table t100; }; route 10.90.0.0/16 via 10.9.0.2; route 10.91.0.0/16 blackhole; }
protocol static s6 {
    ipv6;
    route fd80::/64 via fd00::2;
    route fd81::/64 via fd00::2 via fd00::3;
    route fd82::/64 unreachable;
}
B
bird -c $T/bird.conf -s $T/bird.ctl -P $T/bird.pid; sleep 2
birdc -s $T/bird.ctl show protocols
birdc -s $T/bird.ctl show route all
birdc -s $T/bird.ctl show route table t100
echo "+ ip route show"; ip route show; echo "+ ip route show table 100"; ip route show table 100
echo "+ ip -6 route show"; ip -6 route show
# withdraw s6 and one route of s4, then a kernel route change BIRD learns
sed -i -e '/10.84.0.0/d' -e '/^protocol static s6/,/^}/d' $T/bird.conf
birdc -s $T/bird.ctl configure; sleep 1
ip route add 10.71.0.0/16 via 10.9.0.5 proto boot; sleep 0.5
birdc -s $T/bird.ctl show route protocol k4
echo "+ ip route show"; ip route show; echo "+ ip -6 route show"; ip -6 route show
kill $(cat $T/bird.pid); sleep 0.5; kill $H
rm -rf "$T"
