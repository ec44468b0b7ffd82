#!/bin/sh
# radvd 2.19 on a 6.18 kernel (a container: no nlmon), recorded with strace and
# tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/radvd.sh   -> radvd.pcapng, radvd.out (radvd's debug log, ip's output)
# radvd advertises fd00:1::/64 on the tap t1 (given carrier by a process holding its queue)
# and listens to the kernel's link and IPv6 address notifications (RTMGRP_LINK,
# RTMGRP_IPV6_IFADDR): the link goes down and up, its MTU changes and an address comes and
# goes while it runs, and radvd re-reads the interface each time.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    T=$(mktemp -d)
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/radvd.strace \
        sh "$0" inside "$T" > "$D/radvd.out" 2>&1
    rm -rf "$T"
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/radvd.strace "$D/radvd.pcapng"
fi
set +e
T=$2
cat > $T/holdtap.py <<'P'
import fcntl, os, struct, sys, time
fd = os.open("/dev/net/tun", os.O_RDWR)   # TUNSETIFF, IFF_TAP | IFF_NO_PI: t1 has carrier while it is open
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
time.sleep(60)
P
cat > $T/radvd.conf <<'C'
interface t1 {
    AdvSendAdvert on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 4;
    AdvLinkMTU 1400;
    prefix fd00:1::/64 { AdvOnLink on; AdvAutonomous on; };
    route fd00:2::/48 { AdvRoutePreference high; };
    RDNSS fd00:1::53 { };
};
C
ip link set lo up
sysctl -qw net.ipv6.conf.all.forwarding=1
ip tuntap add t1 mode tap; ip link set t1 up
python3 $T/holdtap.py t1 & H=$!; sleep 1   # python starts slowly under strace
ip -6 addr add fd00:1::1/64 dev t1 nodad; sleep 2   # its link-local address leaves tentative state
radvd -C $T/radvd.conf -n -d 5 -m stderr -p $T/radvd.pid & R=$!
sleep 2
ip link set t1 down; sleep 0.5; ip link set t1 up; sleep 2
ip link set t1 mtu 1450; sleep 0.5
ip -6 addr add fd00:1::2/64 dev t1 nodad; sleep 0.5; ip -6 addr del fd00:1::2/64 dev t1; sleep 0.5
kill $R; wait $R
echo "+ ip -6 addr show dev t1"; ip -6 addr show dev t1
kill $H
