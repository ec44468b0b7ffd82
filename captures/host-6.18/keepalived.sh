#!/bin/sh
# keepalived 2.2 on a 6.18 kernel (a container: no nlmon), recorded with strace and
# tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/keepalived.sh   -> keepalived.pcapng, keepalived.out (its log, ip's output)
# A VRRP instance on the tap t1 (given carrier by a process holding its queue) becomes
# MASTER: keepalived watches links and addresses (its netlink reflector), adds its virtual
# addresses (one with a label, an IPv6 one excluded from the adverts), a virtual route and a
# virtual rule (proto keepalived), then removes them all when it stops.  A second run checks a
# virtual_server: the host has no ip_vs, so the IPVS generic-netlink family is missing and
# the request for it is refused (kept: real traffic too).
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    T=$(mktemp -d)
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/keepalived.strace \
        sh "$0" inside "$T" > "$D/keepalived.out" 2>&1
    rm -rf "$T"
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/keepalived.strace "$D/keepalived.pcapng"
fi
set +e
T=$2
cat > $T/holdtap.py <<'P'
import fcntl, os, struct, sys, time
fd = os.open("/dev/net/tun", os.O_RDWR)   # TUNSETIFF, IFF_TAP | IFF_NO_PI: t1 has carrier while it is open
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
time.sleep(60)
P
cat > $T/vrrp.conf <<'C'
global_defs {
    router_id nlscope
}
vrrp_instance VI_1 {
    state MASTER
    interface t1
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        10.9.0.100/24
        10.9.0.101/24 label t1:vip
    }
    virtual_ipaddress_excluded {
        fd00::100/64
    }
    virtual_routes {
        10.95.0.0/16 via 10.9.0.2 dev t1 metric 77
    }
    virtual_rules {
        from 10.9.0.100 table 150 priority 150
    }
}
C
cat > $T/lvs.conf <<'C'
virtual_server 10.9.0.100 80 {
    delay_loop 6
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.9.0.2 80 {
        weight 1
    }
}
C
ip link set lo up
ip tuntap add t1 mode tap; ip link set t1 up
python3 $T/holdtap.py t1 & H=$!; sleep 1   # python starts slowly under strace
ip addr add 10.9.0.1/24 dev t1
P="-p $T/k.pid -r $T/v.pid -c $T/c.pid -l -D -n"
keepalived -f $T/vrrp.conf $P -P & K=$!
sleep 6
echo "+ ip addr show t1"; ip addr show t1
echo "+ ip route show"; ip route show; echo "+ ip rule show"; ip rule show
kill $K; wait $K
echo "+ ip addr show t1"; ip addr show t1
keepalived -f $T/lvs.conf $P -C & K=$!
sleep 2; kill $K 2>/dev/null; wait $K
kill $H
