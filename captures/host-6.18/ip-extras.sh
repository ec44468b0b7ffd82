#!/bin/sh
# iproute2 commands the other host captures lack, on a 6.18 kernel (a container: no nlmon),
# recorded with strace and tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/ip-extras.sh   -> ip-extras.pcapng, ip-extras.out (what ip printed)
# Routes with every lightweight-tunnel encapsulation ip knows (seg6 in its modes, with an
# HMAC TLV; seg6local actions with flavors; ip; and ioam6, rpl, mpls, xfrm, which this kernel
# refuses: the request bytes are ip's), nexthop objects with encapsulations and resilient
# groups, AF_MPLS routes (refused: no mpls_router), route metrics ip can set (lock, features,
# congctl, quickack, fastopen_no_cookie), IPv6 tokens, netconf and neighbour-table changes,
# address labels, alternative names removed, an (S,G) multicast route (ipmr, installed as a
# routing daemon does), a link's protodown reasons and link kinds the kernel lacks (bareudp,
# hsr, rmnet, ipoib: refused), all while `ip monitor all`
# prints what the kernel announces.  t1 gets carrier from a process holding its queue open.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    T=$(mktemp -d)
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/ip-extras.strace \
        sh "$0" inside "$T" > "$D/ip-extras.out" 2>&1
    rm -rf "$T"
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/ip-extras.strace "$D/ip-extras.pcapng"
fi
set +e
T=$2
cat > $T/holdtap.py <<'P'
import fcntl, os, struct, sys, time
fd = os.open("/dev/net/tun", os.O_RDWR)   # TUNSETIFF, IFF_TAP | IFF_NO_PI: t1 has carrier while it is open
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
time.sleep(60)
P
cat > $T/mroute.py <<'P'
import socket, struct, sys, time
# an (S,G) entry as a multicast routing daemon installs it: MRT_INIT, two vifs, MRT_ADD_MFC
MRT_INIT, MRT_ADD_VIF, MRT_ADD_MFC, VIFF_USE_IFINDEX = 200, 202, 204, 8
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
s.setsockopt(socket.IPPROTO_IP, MRT_INIT, struct.pack("i", 1))
for vifi, ifindex in enumerate(map(int, sys.argv[1:3])):   # struct vifctl
    s.setsockopt(socket.IPPROTO_IP, MRT_ADD_VIF, struct.pack("=HBBIiI", vifi, VIFF_USE_IFINDEX, 1, 0, ifindex, 0))
ttls = bytes([0, 1] + [0] * 30)                             # struct mfcctl: forwarded on vif 1
s.setsockopt(socket.IPPROTO_IP, MRT_ADD_MFC, socket.inet_aton("10.9.0.5") + socket.inet_aton("239.1.1.1")
             + struct.pack("=H", 0) + ttls + b"\0\0" + struct.pack("=IIIi", 0, 0, 0, 0))
time.sleep(4)
P
r() { echo "+ ip $*"; ip "$@" 2>&1; }
ip link set lo up
ip tuntap add t1 mode tap; ip link set t1 up
python3 $T/holdtap.py t1 & H=$!; sleep 1   # python starts slowly under strace
ip addr add 10.9.0.1/24 dev t1; ip -6 addr add fd00::1/64 dev t1 nodad
ip monitor all > $T/monitor 2>&1 & M=$!; sleep 0.3
# --- lightweight tunnels ----------------------------------------------------------------------
r -6 route add fc00::/64 encap seg6 mode encap segs 2001:db8::2,2001:db8::3 dev t1
r -6 route add fc01::/64 encap seg6 mode inline segs 2001:db8::2 hmac 42 dev t1
r route add 10.99.0.0/16 encap seg6 mode l2encap segs 2001:db8::2 dev t1
r -6 route add fc0a::/64 encap seg6 mode encap.red segs 2001:db8::2,2001:db8::3,2001:db8::4 dev t1
r -6 route add fc02::/64 encap seg6local action End.DX6 nh6 fd00::2 dev t1
r -6 route add fc03::/64 encap seg6local action End.T table 100 dev t1
r -6 route add fc0b::/64 encap seg6local action End.DX4 nh4 10.9.0.2 dev t1
r -6 route add fc0c::/64 encap seg6local action End.B6.Encaps srh segs 2001:db8::5,2001:db8::6 dev t1
r -6 route add fc0d::/64 encap seg6local action End.X nh6 fd00::2 count dev t1
r -6 route add fc05::/64 encap seg6local action End.DT46 vrftable 100 dev t1
r -6 route add fc06::/64 encap seg6local action End flavors next-csid lblen 32 nflen 16 dev t1
r -6 route add fc0e::/64 encap seg6local action End flavors psp dev t1
r -6 route add fc07::/64 encap ioam6 trace prealloc type 0x800000 ns 1 size 12 dev t1
r -6 route add fc08::/64 encap ioam6 freq 2/5 mode encap tundst fd00::9 trace prealloc type 0xc00000 ns 1 size 16 dev t1
r -6 route add fc09::/64 encap rpl segs fd00::2,fd00::3 dev t1
r route add 10.98.0.0/16 encap mpls 100/200 ttl 10 via 10.9.0.2 dev t1
r route add 10.97.0.0/16 encap ip id 5 dst 10.1.1.1 ttl 9 dev t1
r -6 route add fc0f::/64 encap ip6 id 6 dst fd00::7 hoplimit 3 dev t1
r route add 10.96.0.0/16 encap xfrm if_id 1 dev t1
r route add 10.95.0.0/16 nexthop via 10.9.0.2 dev t1 encap seg6 mode encap segs 2001:db8::2 nexthop via 10.9.0.3 dev t1
r -d route show; r -d -6 route show
# --- nexthop objects ----------------------------------------------------------------------------
r nexthop add id 5 encap seg6 mode encap segs 2001:db8::2 via 10.9.0.2 dev t1
r nexthop add id 6 encap mpls 100 via 10.9.0.2 dev t1
r nexthop add id 7 via 10.9.0.3 dev t1
r nexthop add id 8 via 10.9.0.4 dev t1 onlink
r nexthop add id 10 group 5/7,3 type resilient buckets 8 idle_timer 10 unbalanced_timer 20
r nexthop add id 11 blackhole
r nexthop add id 12 via fd00::2 fdb; r nexthop add id 13 group 12 fdb
r nexthop show; r -s nexthop show id 10; r nexthop bucket show id 10; r nexthop get id 5
r route add 10.94.0.0/16 nhid 10
# --- AF_MPLS --------------------------------------------------------------------------------------
r -M route add 100 as 200 via inet 10.9.0.2 dev t1
r -M route add 101 as 300/400 via inet6 fd00::2 dev t1
r -M route show
# --- route metrics ------------------------------------------------------------------------------
r route add 10.93.0.0/16 via 10.9.0.2 mtu lock 1300 window 1000 features ecn congctl lock reno quickack 1 fastopen_no_cookie 1 rto_min 30ms
r route add 10.92.0.0/16 via 10.9.0.2 congctl cubic
r route show 10.93.0.0/16; r route get 10.93.0.1; r -d route show 10.92.0.0/16
# --- tokens, netconf, neighbour tables, address labels, names, multicast --------------------------
r token set ::1a/64 dev t1; r token get dev t1; r token list
r netconf show dev t1; r -6 netconf show dev t1; r -6 netconf show; r -4 netconf show dev lo
r ntable change name arp_cache dev t1 queue 8 app_probes 2 base_reachable 20000
r -6 ntable change name ndisc_cache thresh1 64; r ntable show dev t1; r -6 ntable show name ndisc_cache
r addrlabel add prefix fd00:9::/32 label 99 dev t1; r addrlabel list; r addrlabel del prefix fd00:9::/32 label 99 dev t1
r link property add dev t1 altname nlscope-alt altname t1b; r link show t1; r link property del dev t1 altname t1b
ip tuntap add t2 mode tap; ip link set t2 up; ip addr add 10.10.0.1/24 dev t2
python3 $T/mroute.py $(ip -o link show t1 | cut -d: -f1) $(ip -o link show t2 | cut -d: -f1) & MR=$!; sleep 2.5
r mroute show; r -s mroute show; r -6 mroute show; wait $MR
ip link add vx0 type vxlan id 42 dstport 4789 local 10.9.0.1
r link set vx0 protodown_reason 1 on; r link set vx0 protodown on; r -d link show vx0
r link set vx0 protodown off; r link set vx0 protodown_reason 1 off; r link set vx0 protodown off
# link kinds this kernel lacks (refused: "Unknown device type"): their data as ip builds it
r link add bu0 type bareudp dstport 6635 ethertype mpls_uc srcportmin 2000 multiproto
r link add hsr0 type hsr slave1 t1 slave2 t2 supervision 45 version 1 proto 0
r link add link t1 name rmnet0 type rmnet mux_id 5
r link add link t1 name ib0 type ipoib pkey 0x8001 mode connected umcast 1
r rule add iif t1 ipproto tcp dport 22 table 9 protocol static; r rule show
r route flush 10.93.0.0/16; r nexthop del id 10; r nexthop flush
sleep 0.5; kill $M; wait $M 2>/dev/null
echo "+ ip monitor all (what it printed)"; cat $T/monitor
kill $H
