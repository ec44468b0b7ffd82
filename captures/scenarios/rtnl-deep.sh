#!/bin/sh
# rtnetlink in depth with iproute2: link kinds with their data (ip -d link), statistics,
# IPv6 multipath, nexthop objects and groups, netconf, nsid, neighbour tables, address
# labels, link stats, bridge VLANs and MDB, tc qdiscs/classes/filters/actions/chains of
# many kinds; writes $OUT/rtnl-deep.pcap.
. "$(dirname "$0")/lib.sh"
for m in veth 8021q bridge bonding vxlan geneve macvlan ipvlan ip_gre ip6_gre ipip sit ip_vti vrf tun nlmon \
         dummy wireguard sch_htb sch_fq_codel sch_tbf sch_netem sch_ingress cls_u32 cls_flower cls_matchall \
         cls_bpf act_gact act_mirred act_police; do modprobe $m 2>/dev/null; done
capture_start rtnl-deep
run ip link add nsv0 type veth peer name nsv1
run ip link add link nsv0 name nsv0.100 type vlan id 100
run ip link add br0 type bridge vlan_filtering 1
run ip link set nsv1 master br0
run ip link add bond0 type bond mode active-backup miimon 100
run ip link add bdum0 type dummy
run ip link set bdum0 master bond0
run ip link add vx0 type vxlan id 42 dstport 4789 remote 10.30.0.2
run ip link add gnv0 type geneve id 7 remote 10.30.0.3
run ip link add mv0 link nsv0 type macvlan mode bridge
run ip link add ipvbase type dummy
run ip link add ipv0 link ipvbase type ipvlan mode l2
run ip link add gre1 type gre local 10.30.0.1 remote 10.30.0.9 ttl 64
run ip link add gretap1 type gretap local 10.30.0.1 remote 10.30.0.8
run ip link add ip6gre1 type ip6gre local 2001:db8::1 remote 2001:db8::9
run ip link add ipip1 type ipip local 10.30.0.1 remote 10.30.0.7
run ip link add sit1 type sit local 10.30.0.1 remote 10.30.0.6
run ip link add vti1 type vti local 10.30.0.1 remote 10.30.0.5 key 5
run ip link add vrf1 type vrf table 100
run ip link add vdum0 type dummy
run ip link set vdum0 master vrf1
run ip tuntap add tap1 mode tap
run ip link add nlmon1 type nlmon
run ip link add wgd0 type wireguard
run ip addr add 10.30.0.1/24 dev nsv0
run ip link set nsv0 up
run ip link set nsv1 up
run ip link set br0 up
run ip -6 addr add 2001:db8:1::1/64 dev nsv0 nodad
run ip -d link show
run ip -s link show dev nsv0
run ip -6 route add 2001:db8:99::/64 nexthop via 2001:db8:1::2 dev nsv0 weight 1 nexthop via 2001:db8:1::3 dev nsv0 weight 2
run ip -6 route show 2001:db8:99::/64
run ip nexthop add id 11 via 10.30.0.2 dev nsv0
run ip nexthop add id 12 via 10.30.0.3 dev nsv0
run ip nexthop add id 20 group 11/12,3
run ip route add 10.99.0.0/24 nhid 20
run ip nexthop show
run ip netconf show dev nsv0
run ip netns add nsA
run ip netns set nsA 5
run ip netns list-id
run ip ntable show dev nsv0
run ip addrlabel add prefix 2001:db8:5::/48 label 55
run ip addrlabel list
run ip stats show dev nsv0 group link
run bridge vlan add dev nsv1 vid 10
run bridge vlan show
run bridge vlan global show
run bridge mdb add dev br0 port nsv1 grp 239.1.1.1 permanent vid 10
run bridge mdb show
run tc qdisc add dev nsv0 root handle 1: htb default 10
run tc class add dev nsv0 parent 1: classid 1:10 htb rate 10mbit ceil 20mbit
run tc qdisc add dev nsv0 parent 1:10 handle 10: fq_codel
run tc qdisc add dev vdum0 root tbf rate 1mbit burst 32kbit latency 400ms
run tc qdisc add dev bdum0 root netem delay 100ms 10ms loss 1%
run tc qdisc add dev nsv1 root pfifo_fast
run tc qdisc add dev gre1 ingress
run tc qdisc add dev nsv0 clsact
run tc filter add dev nsv0 ingress protocol ip prio 1 u32 match ip dst 10.30.0.1/32 action gact drop
run tc filter add dev nsv0 ingress protocol ip prio 2 flower ip_proto tcp dst_port 22 action mirred egress redirect dev nsv1
run tc filter add dev nsv0 egress prio 3 matchall action police rate 1mbit burst 10k conform-exceed drop
run tc filter add dev nsv0 egress prio 4 bpf bytecode '1,6 0 0 4294967295,' action gact pass
run tc chain add dev nsv0 ingress chain 5
run tc actions add action gact drop index 7
run tc -s qdisc show
run tc -s class show dev nsv0
run tc filter show dev nsv0 ingress
run tc filter show dev nsv0 egress
run tc chain show dev nsv0 ingress
run tc actions list action gact
run ip link del nsv0
run ip netns del nsA
capture_stop
