#!/bin/sh
# iproute2, ss and ethtool on a 6.18 kernel (a container: no nlmon), recorded with strace and
# tools/strace2pcap.py in a private network namespace:  sh captures/host-6.18/iproute2.sh
# writes captures/host-6.18/iproute2.pcapng (and its strace log in /tmp).  What the programs
# printed goes to iproute2.out beside it; the test checks the decoding against it.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/iproute2.strace \
        sh "$0" inside > "$D/iproute2.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/iproute2.strace "$D/iproute2.pcapng"
fi
set +e
ip link set lo up
ip tuntap add t0 mode tun; ip tuntap add t1 mode tap; ip link set t1 up
ip addr add 10.9.0.1/24 dev t1; ip -6 addr add fd00::1/64 dev t1
ip route add 10.10.0.0/16 via 10.9.0.2; ip route add 10.11.0.0/16 dev t1 proto static metric 100 mtu 1400
ip -6 route add fd01::/64 via fd00::2 dev t1
ip rule add from 10.9.0.0/24 table 100 pref 1000; ip rule add fwmark 0x10 lookup 101; ip -6 rule add from fd00::/64 table 102
ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev t1; ip neigh show; ip -s neigh show
ip link show; ip -d -s -s link show; ip -d addr show; ip route show table all; ip -6 route show; ip rule show; ip -6 rule show
ip netconf show; ip ntable show; ip addrlabel list; ip tcp_metrics show; ip mptcp endpoint add 10.9.0.1 dev t1 signal; ip mptcp endpoint show; ip mptcp limits show
ip link property add dev t1 altname tapalt; ip link show t1
ip nexthop add id 1 via 10.9.0.2 dev t1; ip nexthop add id 2 group 1; ip nexthop show; ip route add 10.12.0.0/16 nhid 2
ip monitor all & MP=$!; sleep 0.2; ip addr add 10.9.1.1/24 dev t1; ip link set t1 mtu 1400; sleep 0.3; kill $MP
ip -s -s link show t1; ip stats show dev t1 group link; ip -j link show >/dev/null
ss -a -n -i -e -m >/dev/null; ss -t -a -p >/dev/null; ss -x -a >/dev/null; ss -u -a -n >/dev/null; ss -0 -a >/dev/null; ss --raw -a >/dev/null
ethtool -i t1; ethtool t1; ethtool -k t1; ethtool -g t1; ethtool -l t1; ethtool -c t1; ethtool -S t1; ethtool --show-eee t1; ethtool -T t1; ethtool --json -a t1
nft add table inet t; nft add chain inet t c '{ type filter hook input priority 0; }'; nft add rule inet t c tcp dport 22 ct state new counter accept; nft list ruleset
ip xfrm state add src 10.9.0.1 dst 10.9.0.2 proto esp spi 0x100 mode tunnel enc 'cbc(aes)' 0x0102030405060708090a0b0c0d0e0f10 auth 'hmac(sha256)' 0x0102030405060708090a0b0c0d0e0f100102030405060708090a0b0c0d0e0f10
ip xfrm policy add src 10.9.0.0/24 dst 10.10.0.0/16 dir out tmpl src 10.9.0.1 dst 10.9.0.2 proto esp mode tunnel
ip xfrm state show; ip xfrm policy show
ip link del t0; ip link del t1
