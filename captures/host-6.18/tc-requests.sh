#!/bin/sh
# tc (iproute2 6.1) on a 6.18 kernel (a container: no nlmon), recorded with strace and
# tools/strace2pcap.py in a private network namespace:  sh captures/host-6.18/tc-requests.sh
# writes captures/host-6.18/tc-requests.pcapng (its strace log in /tmp) and what tc printed
# to tc-requests.out beside it.  Every qdisc, class, filter and action kind tc knows is asked
# for with its parameters: this kernel has only pfifo/bfifo/htb, u32 and a few actions, so
# most requests are refused with an extack, but their bytes are what tc builds.  What the
# host has is dumped back (tc -s -d …).  The test is tests/captures/test_host_tc.py.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/tc-requests.strace \
        sh "$0" inside > "$D/tc-requests.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/tc-requests.strace "$D/tc-requests.pcapng"
fi
set +e
ip link set lo up
ip link add v0 type veth peer v1; ip link set v0 up; ip link set v1 up
MAP="2 2 1 0 2 2 2 2 2 2 2 2 2 2 2 2"
q() { tc qdisc add dev v0 root handle 1: "$@"; tc qdisc del dev v0 root 2>/dev/null; }
Q=q
# --- qdiscs, each tried as the root (refused ones leave nothing behind) ----------------------
$Q sfq perturb 10 quantum 1514 limit 127 depth 127 divisor 1024
$Q sfq limit 3000 headdrop flows 512 divisor 16384 redflowlimit 100000 min 8000 max 60000 probability 0.20 ecn
$Q pie limit 1000 target 15ms tupdate 15ms alpha 2 beta 20 ecn bytemode dq_rate_estimator
$Q fq limit 10000 flow_limit 100 quantum 3028 initial_quantum 15140 maxrate 1gbit buckets 1024 refill_delay 40ms \
    orphan_mask 1023 low_rate_threshold 550kbit ce_threshold 1ms timer_slack 10us horizon 10s horizon_drop
$Q fq_codel limit 10240 flows 1024 target 5ms interval 100ms quantum 1514 ce_threshold 1ms memory_limit 32Mb ecn drop_batch 64
$Q codel limit 1000 target 5ms interval 100ms ecn ce_threshold 1ms
$Q red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 ecn adaptive bandwidth 10Mbit probability 0.02
$Q cake bandwidth 100Mbit rtt 100ms diffserv4 triple-isolate nat wash ack-filter split-gso overhead 38 mpu 84 ingress memlimit 32Mb fwmark 0xff
$Q ets bands 4 strict 1 quanta 1500 1000 500 priomap 3 2 1 0
$Q choke limit 1000 bandwidth 10Mbit min 100 max 300 avpkt 1000 burst 200 ecn probability 0.1
$Q sfb rehash 600000 db 60000 limit 1000 max 25 target 20 increment 0.0005 decrement 0.0001 penalty_rate 10 penalty_burst 20
$Q hhf limit 1000 quantum 1514 hh_limit 2048 reset_timeout 40ms admit_bytes 128000 evict_timeout 1s non_hh_weight 2
$Q fq_pie limit 10240 flows 1024 target 15ms tupdate 15ms alpha 2 beta 20 quantum 1514 memory_limit 32Mb ecn_prob 10 ecn bytemode dq_rate_estimator
tc qdisc add dev v0 root handle 1: plug limit 10000
tc qdisc change dev v0 root plug release
$Q skbprio limit 64
tc qdisc add dev v0 root handle 1: gred setup vqs 4 default 0 grio
tc qdisc change dev v0 root gred limit 60KB min 15KB max 45KB avpkt 1500 burst 20 bandwidth 10Mbit DP 0 probability 0.1 prio 1
$Q mqprio num_tc 3 map $MAP queues 1@0 1@1 2@2 hw 1 mode channel shaper bw_rlimit min_rate 1Mbit 2Mbit 3Mbit max_rate 10Mbit 20Mbit 30Mbit
$Q cbs hicredit 30 locredit -1470 sendslope -980000 idleslope 20000 offload 0
$Q etf clockid CLOCK_TAI delta 300000 deadline_mode skip_sock_check
$Q taprio num_tc 3 map $MAP queues 1@0 1@1 2@2 base-time 1000000000 sched-entry S 01 300000 sched-entry S 02 300000 \
    sched-entry S 04 400000 clockid CLOCK_TAI
$Q multiq
$Q prio bands 3 priomap $MAP
$Q tbf rate 1mbit burst 32kbit latency 400ms
$Q netem delay 100ms 10ms 25% loss 1% duplicate 1% corrupt 0.1% reorder 25% 50% rate 1mbit
tc qdisc add dev v0 root handle 1: hfsc default 1
tc class add dev v0 parent 1: classid 1:1 hfsc sc rate 1mbit ul rate 2mbit
tc class add dev v0 parent 1: classid 1:2 hfsc rt m1 2mbit d 10ms m2 1mbit
tc qdisc add dev v0 root handle 1: drr
tc class add dev v0 parent 1: classid 1:1 drr quantum 1500
tc qdisc add dev v0 root handle 1: qfq
tc class add dev v0 parent 1: classid 1:1 qfq weight 10 maxpkt 1514
tc qdisc add dev v0 root handle 1: stab overhead 20 linklayer atm mtu 2048 tsize 512 tbf rate 1mbit burst 32kbit \
    latency 400ms mpu 64 peakrate 2mbit mtu 1514
tc -s -d qdisc show dev v0; tc qdisc del dev v0 root
tc qdisc add dev v0 root handle 1: mq; tc -s -d qdisc show dev v0; tc qdisc del dev v0 root
# --- what this kernel has: htb with pfifo, bfifo and pfifo_head_drop leaves ------------------
tc qdisc add dev v0 root handle 1: htb default 10 r2q 10
tc class add dev v0 parent 1: classid 1:1 htb rate 10mbit ceil 10mbit
tc class add dev v0 parent 1:1 classid 1:10 htb rate 1mbit ceil 2mbit prio 1
tc class add dev v0 parent 1:1 classid 1:20 htb rate 2mbit ceil 5mbit prio 2
tc class add dev v0 parent 1:1 classid 1:30 htb rate 1mbit
tc qdisc add dev v0 parent 1:10 handle 10: pfifo limit 50
tc qdisc add dev v0 parent 1:20 handle 20: bfifo limit 30000
tc qdisc add dev v0 parent 1:30 handle 30: pfifo_head_drop limit 40
# --- filters ---------------------------------------------------------------------------------
F="tc filter add dev v0 parent 1: protocol ip"
$F prio 1 handle 5 fw classid 1:10
$F prio 1 handle 6/0xff fw classid 1:20 action ok
$F prio 2 route to 10 from 20 classid 1:10
$F prio 2 route to 11 fromif v1 classid 1:20
$F prio 3 handle 1 flow hash keys src,dst,proto,proto-src,proto-dst divisor 1024 perturb 10 baseclass 1:10
$F prio 3 handle 2 flow map key mark addend 1 rshift 2 and 0xff xor 1 divisor 16 baseclass 1:1
# (tc 6.1's cgroup parser refuses any ematch: basic carries the trees)
$F prio 4 handle 1: cgroup action drop
$F prio 5 basic match 'meta(nf_mark eq 10) and cmp(u16 at 2 layer network gt 0x100) or not u32(u32 0x00000016 0x0000ffff at 20) and nbyte("abc" at 0 layer transport)' classid 1:10
$F prio 6 basic match 'meta(priority mask 0xff lt 5) and meta(dev eq "v0")' classid 1:20
$F prio 7 u32 match ip dst 10.0.0.0/8 match ip dport 80 0xffff classid 1:10
$F prio 8 u32 match ip src 192.0.2.1/32 action police rate 1mbit burst 100k conform-exceed drop
$F prio 9 flower ip_proto tcp dst_port 80 src_ip 10.0.0.1 dst_ip 10.0.0.0/8 ip_tos 0x10/0xff ip_ttl 64 \
    tcp_flags 0x2/0x7 classid 1:10
tc filter add dev v0 parent 1: protocol 802.1q prio 10 flower vlan_id 100 vlan_prio 3 vlan_ethtype 802.1q \
    cvlan_id 200 cvlan_ethtype ipv4 dst_mac 02:00:00:00:00:01/ff:ff:ff:ff:ff:00 action drop
tc filter add dev v0 parent 1: protocol arp prio 11 flower arp_op request arp_sip 10.0.0.1 arp_tip 10.0.0.2 \
    arp_sha 02:00:00:00:00:01 classid 1:20
$F prio 12 flower enc_key_id 42 enc_dst_ip 10.1.1.1 enc_src_ip 10.1.1.2 enc_dst_port 4789 enc_tos 0x10 enc_ttl 64 \
    geneve_opts 0102:80:00880022 classid 1:10
$F prio 13 flower ct_state +trk+est ct_zone 5 ct_mark 0x10/0xff ct_label 01/ff ip_proto udp src_port 1000-2000 classid 1:10
tc filter add dev v0 parent 1: protocol mpls_uc prio 14 flower mpls_label 100 mpls_tc 3 mpls_bos 1 mpls_ttl 64 classid 1:10
tc filter add dev v0 parent 1: protocol ipv6 prio 15 flower ip_proto icmpv6 type 128 code 0 src_ip 2001:db8::1 classid 1:10
$F prio 16 flower ip_flags frag/firstfrag skip_sw classid 1:10
$F prio 17 matchall action mirred egress mirror dev v1
$F prio 18 bpf bytecode '1,6 0 0 4294967295' classid 1:10
tc qdisc add dev v0 clsact
tc filter add dev v0 ingress protocol ip prio 1 u32 match ip dst 10.0.0.0/8 match ip dport 80 0xffff action mirred egress mirror dev v1
tc filter add dev v0 egress protocol ip prio 2 bpf bytecode '4,40 0 0 12,21 0 1 2048,6 0 0 4294967295,6 0 0 0' action simple sdata seen
tc -s -d filter show dev v0 parent 1:
tc -s -d filter show dev v0 ingress
tc -s -d filter show dev v0 egress
# --- actions ---------------------------------------------------------------------------------
A="tc actions add action"
$A gact drop random determ ok 10 index 1
$A mirred egress redirect dev v1 index 2
$A police rate 1mbit burst 100k conform-exceed drop index 3
$A pedit ex munge ip ttl set 10 munge eth dst set 02:00:00:00:00:01 pipe index 4
$A pedit munge offset 0 u32 set 0x1 index 5
$A csum iph tcp udp index 6
$A skbedit mark 10/0xff priority 1:10 queue_mapping 1 ptype host inheritdsfield index 7
$A sample rate 100 group 5 trunc 128 index 8
$A ct zone 5 commit mark 0x10/0xff nat src addr 10.0.0.1-10.0.0.10 port 1000-2000 index 9
$A ct clear index 10
$A nat egress 10.0.0.1/32 192.0.2.1 index 11
$A connmark zone 5 index 12
$A ctinfo dscp 0xfc000000 0x01000000 cpmark 0xffffffff zone 3 index 13
$A skbmod set dmac 02:00:00:00:00:02 set smac 02:00:00:00:00:01 set etype 0x0800 index 14
$A skbmod swap mac index 15
$A mpls push protocol mpls_uc label 100 tc 3 ttl 64 bos 1 index 16
$A mpls pop protocol ipv4 index 17
$A mpls dec_ttl index 18
$A gate base-time 1000000000 sched-entry open 200000000 -1 -1 sched-entry close 100000000 -1 -1 clockid CLOCK_TAI priority 1 index 19
$A vlan push id 100 protocol 802.1Q priority 3 index 20
$A vlan pop index 21
$A vlan push_eth dst_mac 02:00:00:00:00:02 src_mac 02:00:00:00:00:01 index 22
$A tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 tos 0x10 ttl 64 geneve_opts 0102:80:00880022 nocsum index 23
$A tunnel_key set src_ip 2001:db8::1 dst_ip 2001:db8::2 id 7 vxlan_opts 17 index 24
$A tunnel_key unset index 25
$A simple sdata hello index 26
$A ife encode allow mark allow prio use tcindex 5 type 0xED3E dst 02:00:00:00:00:02 index 27
$A bpf bytecode '1,6 0 0 4294967295' index 28
for k in gact mirred police pedit csum skbedit sample ct nat connmark ctinfo skbmod mpls gate vlan tunnel_key simple ife bpf; do
    tc -s actions ls action $k
done
tc -s -d qdisc show dev v0
tc -s -d class show dev v0
tc -s qdisc show
ip link del v0
