#!/bin/sh
# nft rules with the expressions iptables does not make: tproxy, synproxy, dup, fwd, ct timeout
# and ct expectation objects, synproxy objects, limit over, maps, numgen, jhash, exthdr; then
# `nft list ruleset`, whose replies carry them back from the kernel.  Run in a private network
# namespace, as root (see iptables-nft.sh for the strace and strace2pcap.py steps).
ip link set lo up
run() { echo "+ nft $*"; nft "$@"; }
run add table ip t
run add chain ip t pre '{ type filter hook prerouting priority -150; }'
run add chain ip t in '{ type filter hook input priority 0; }'
run add rule ip t pre meta l4proto tcp tproxy to 127.0.0.1:3128 meta mark set 1 accept
run add rule ip t pre udp dport 53 tproxy to :5353
run add rule ip t in tcp dport 80 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
run add rule ip t in limit rate over 10/second burst 5 packets drop
run add rule ip t in limit rate 1 mbytes/second accept
run add rule ip t in ip saddr 10.0.0.1 dup to 10.0.0.2 device lo
run add rule ip t in meta mark set numgen inc mod 4 offset 10
run add rule ip t in meta mark set jhash ip saddr . tcp sport mod 8 seed 0xabc offset 1
run add rule ip t in meta mark set symhash mod 2
run add rule ip t in ip daddr set numgen random mod 2 map { 0 : 10.0.0.1, 1 : 10.0.0.2 }
run add rule ip t in tcp option maxseg size 1400 accept
run add rule ip t in tcp option maxseg size set 1360
run add map ip t ports '{ type inet_service : verdict; }'
run add element ip t ports '{ 22 : accept, 23 : drop }'
run add rule ip t in tcp dport vmap @ports
run add map ip t marks '{ type ipv4_addr : mark; flags interval; elements = { 10.0.0.0/8 : 0x1, 192.168.0.0/16 : 0x2 }; }'
run add rule ip t in meta mark set ip saddr map @marks
run add ct timeout ip t tcpto '{ protocol tcp; l3proto ip; policy = { established: 120, close: 20 }; }'
run add ct timeout ip t udpto '{ protocol udp; l3proto ip; policy = { unreplied: 15, replied: 60 }; }'
run add rule ip t in ct timeout set tcpto
run add ct expectation ip t exp1 '{ protocol tcp; dport 5060; timeout 1m; size 12; l3proto ip; }'
run add synproxy ip t sp1 '{ mss 1400; wscale 5; timestamp; }'
run add rule ip t in tcp dport 443 synproxy name sp1
run add rule ip t in osf ttl skip name "Linux" accept
run add rule ip t in ipsec in reqid 1 accept
run add rule ip t pre notrack
run add chain ip t fw '{ type filter hook forward priority 0; }'
run add flowtable ip t ft '{ hook ingress priority 0; devices = { lo }; }'
run add rule ip t fw ip protocol tcp flow add @ft
run add secmark ip t sm '"system_u:object_r:ssh_server_packet_t:s0"'
run add table ip6 t6
run add chain ip6 t6 in '{ type filter hook input priority 0; }'
run add rule ip6 t6 in ip6 nexthdr ipv6-icmp exthdr hbh exists accept
run add rule ip6 t6 in frag frag-off 0 counter drop
run add rule ip6 t6 in meta l4proto tcp tproxy to [::1]:3128
run add table netdev nd
run add chain netdev nd ing '{ type filter hook ingress device lo priority 0; }'
run add rule netdev nd ing ip saddr 10.0.0.3 dup to lo
run add rule netdev nd ing ip saddr 10.0.0.4 fwd to lo
run add rule netdev nd ing ip saddr 10.0.0.5 fwd ip to 10.0.0.6 device lo
run add table inet ti
run add chain inet ti pre '{ type filter hook prerouting priority -150; }'
run add rule inet ti pre meta l4proto tcp tproxy ip to 127.0.0.1:3129
run list ruleset
