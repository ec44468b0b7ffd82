#!/bin/sh
# Bridges, VLANs, vxlan, fdb, conntrack, ipset, tc, ip -batch, route get and ethtool's many
# queries on a 6.18 kernel (a container: what its kernel lacks is refused, and the refusals
# are kept), recorded with strace and tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/links.sh   -> links.pcapng, links.out (what the programs printed)
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/links.strace \
        sh "$0" inside > "$D/links.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/links.strace "$D/links.pcapng"
fi
set +e
ip link set lo up
ip link add br0 type bridge vlan_filtering 1 && echo bridge-ok
ip tuntap add t1 mode tap; ip link set t1 master br0; ip link set t1 up; ip link set br0 up
bridge vlan add dev t1 vid 10 pvid untagged; bridge vlan show; bridge fdb add 02:00:00:00:00:09 dev t1 master static; bridge fdb show; bridge mdb show; bridge link show; bridge -d vlan show
ip link add vl0 link br0 type vlan id 20 && echo vlan-ok; ip link add mv0 link br0 type macvlan mode bridge && echo macvlan-ok
ip link add vx0 type vxlan id 42 dstport 4789 local 10.9.0.1 2>&1 && echo vxlan-ok; ip link add gre1 type gre remote 10.9.0.2 local 10.9.0.1 2>&1; ip link add wg0 type wireguard 2>&1; ip link add bond0 type bond 2>&1; ip link add vrf0 type vrf table 10 2>&1; ip link add ipvl0 link br0 type ipvlan 2>&1; ip link add dm0 type dummy 2>&1; ip link add v0 type veth peer name v1 2>&1
ip -d link show
conntrack -L 2>&1 | head -3; conntrack -S 2>&1 | head -2; conntrack -C
ipset create s1 hash:ip 2>&1 && ipset add s1 10.9.0.5 && ipset list
devlink dev show 2>&1; rdma link show 2>&1; dcb app show dev t1 2>&1 | head -2
ss -K dst 10.99.0.1 2>&1; ss -tlnpe 2>&1 | head -3
tc qdisc add dev t1 root handle 1: htb default 10; tc class add dev t1 parent 1: classid 1:10 htb rate 10mbit ceil 20mbit; tc filter add dev t1 parent 1: protocol ip prio 1 u32 match ip dst 10.9.0.0/24 flowid 1:10; tc filter add dev t1 parent 1: protocol ip prio 2 matchall action drop 2>&1; tc -s -d qdisc show dev t1; tc -s class show dev t1; tc filter show dev t1
tc qdisc add dev t1 clsact 2>&1; tc filter add dev t1 ingress flower ip_proto tcp dst_port 80 action mirred egress redirect dev br0 2>&1; tc actions list action gact 2>&1
ip -batch - <<'B'
addr add 10.9.8.1/24 dev br0
route add 10.60.0.0/16 dev br0
B
ip -s -s -d link show br0 | head -4; ip -4 route get 10.60.0.1; ip route get 127.0.0.1 fibmatch
ip maddr show; ip -6 neigh show; ip token list 2>&1; ip mroute show 2>&1; ip sr tunsrc show 2>&1; ip mptcp monitor 2>&1 & sleep 0.2; kill $! 2>/dev/null
ethtool -a t1; ethtool --show-fec t1 2>&1; ethtool -m t1 2>&1 | head -1; ethtool --show-pause t1 2>&1 | head -2; ethtool --show-rings t1; ethtool --show-features t1 | head -3; ethtool --show-tunnels br0 2>&1 | head -2; ethtool --show-mm t1 2>&1|head -1; ethtool --show-plca t1 2>&1|head -1; ethtool --show-pse t1 2>&1 | head -1
