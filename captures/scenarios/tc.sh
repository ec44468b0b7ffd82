#!/bin/sh
# Traffic control to the last attribute: every qdisc, class, filter and action kind of issue
# 17 added on a dummy device (multiq-capable: numtxqueues 8), each dumped back with -s -d so
# the kernel's own TCA_OPTIONS, TCA_XSTATS and TCA_STATS_APP come back; writes $OUT/tc.pcap.
# Not in all.sh: the lead records it on both kernels (the host-6.18 capture has tc's requests).
. "$(dirname "$0")/lib.sh"
for m in dummy sch_sfq sch_pie sch_fq sch_fq_codel sch_codel sch_red sch_cake sch_ets sch_choke sch_sfb sch_hhf \
         sch_fq_pie sch_plug sch_skbprio sch_gred sch_mqprio sch_cbs sch_etf sch_taprio sch_multiq sch_hfsc \
         sch_drr sch_qfq sch_htb sch_prio sch_tbf sch_netem sch_ingress \
         cls_fw cls_route cls_flow cls_cgroup cls_basic cls_u32 cls_flower cls_matchall cls_bpf \
         em_cmp em_nbyte em_u32 em_meta em_text \
         act_gact act_mirred act_police act_pedit act_csum act_skbedit act_sample act_ct act_nat act_connmark \
         act_ctinfo act_skbmod act_mpls act_gate act_vlan act_tunnel_key act_simple act_ife act_bpf act_meta_mark \
         act_meta_skbprio act_meta_skbtcindex psample; do modprobe $m 2>/dev/null; done
capture_start tc
run ip link add tcd0 numtxqueues 8 numrxqueues 8 type dummy
run ip link add tcd1 type dummy
run ip link set tcd0 up
run ip link set tcd1 up
MAP="2 2 1 0 2 2 2 2 2 2 2 2 2 2 2 2"
# one root qdisc at a time: add it, send a packet or two through it, dump it with statistics
qd() {
    run tc qdisc add dev tcd0 root handle 1: "$@"
    ping -c 2 -W 1 -I tcd0 10.77.0.2 >/dev/null 2>&1
    run tc -s -d qdisc show dev tcd0
    run tc -s -d class show dev tcd0
    run tc qdisc del dev tcd0 root
}
run ip addr add 10.77.0.1/24 dev tcd0
qd pfifo limit 100
qd bfifo limit 10000
qd pfifo_head_drop limit 50
qd sfq perturb 10 quantum 1514 limit 127 depth 127 divisor 1024
qd sfq limit 3000 headdrop flows 512 divisor 16384 redflowlimit 100000 min 8000 max 60000 probability 0.20 ecn
qd pie limit 1000 target 15ms tupdate 15ms alpha 2 beta 20 ecn bytemode dq_rate_estimator
qd fq limit 10000 flow_limit 100 quantum 3028 initial_quantum 15140 maxrate 1gbit buckets 1024 refill_delay 40ms \
    orphan_mask 1023 low_rate_threshold 550kbit ce_threshold 1ms timer_slack 10us horizon 10s horizon_drop
qd fq_codel limit 10240 flows 1024 target 5ms interval 100ms quantum 1514 ce_threshold 1ms memory_limit 32Mb ecn
qd codel limit 1000 target 5ms interval 100ms ecn ce_threshold 1ms
qd red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 ecn adaptive bandwidth 10Mbit probability 0.02
qd cake bandwidth 100Mbit rtt 100ms diffserv4 triple-isolate nat wash ack-filter split-gso overhead 38 mpu 84 memlimit 32Mb fwmark 0xff
qd ets bands 4 strict 1 quanta 1500 1000 500 priomap 3 2 1 0
qd choke limit 1000 bandwidth 10Mbit min 100 max 300 avpkt 1000 burst 200 ecn probability 0.1
qd sfb rehash 600000 db 60000 limit 1000 max 25 target 20 increment 0.0005 decrement 0.0001 penalty_rate 10 penalty_burst 20
qd hhf limit 1000 quantum 1514 hh_limit 2048 reset_timeout 40ms admit_bytes 128000 evict_timeout 1s non_hh_weight 2
qd fq_pie limit 10240 flows 1024 target 15ms tupdate 15ms alpha 2 beta 20 quantum 1514 memory_limit 32Mb ecn_prob 10 ecn
qd skbprio limit 64
qd multiq
qd mqprio num_tc 3 map $MAP queues 1@0 1@1 2@2 hw 0
qd taprio num_tc 3 map $MAP queues 1@0 1@1 2@2 base-time 1000000000 sched-entry S 01 300000 \
    sched-entry S 02 300000 sched-entry S 04 400000 clockid CLOCK_TAI
qd etf clockid CLOCK_TAI delta 300000 deadline_mode
qd prio bands 3 priomap $MAP
run tc qdisc add dev tcd0 root handle 1: plug limit 10000
run tc qdisc change dev tcd0 root plug release_indefinite
run tc -s -d qdisc show dev tcd0
run tc qdisc del dev tcd0 root
run tc qdisc add dev tcd0 root handle 1: gred setup vqs 4 default 0 grio
run tc qdisc change dev tcd0 root gred limit 60KB min 15KB max 45KB avpkt 1500 burst 20 bandwidth 10Mbit DP 0 probability 0.1 prio 1
run tc -s -d qdisc show dev tcd0
run tc qdisc del dev tcd0 root
# cbs under mqprio (it needs a parent class of a multiqueue root)
run tc qdisc add dev tcd0 root handle 1: mqprio num_tc 3 map $MAP queues 1@0 1@1 2@2 hw 0
run tc qdisc add dev tcd0 parent 1:1 cbs hicredit 30 locredit -1470 sendslope -980000 idleslope 20000 offload 0
run tc -s -d qdisc show dev tcd0
run tc qdisc del dev tcd0 root
# classful ones with their classes (and class statistics)
run tc qdisc add dev tcd0 root handle 1: hfsc default 1
run tc class add dev tcd0 parent 1: classid 1:1 hfsc sc rate 1mbit ul rate 2mbit
run tc class add dev tcd0 parent 1: classid 1:2 hfsc rt m1 2mbit d 10ms m2 1mbit
ping -c 2 -W 1 -I tcd0 10.77.0.2 >/dev/null 2>&1
run tc -s -d class show dev tcd0
run tc qdisc del dev tcd0 root
run tc qdisc add dev tcd0 root handle 1: drr
run tc class add dev tcd0 parent 1: classid 1:1 drr quantum 1500
run tc qdisc add dev tcd0 parent 1:1 handle 10: sfq perturb 10
run tc filter add dev tcd0 parent 1: protocol all prio 1 matchall classid 1:1
ping -c 2 -W 1 -I tcd0 10.77.0.2 >/dev/null 2>&1
run tc -s -d class show dev tcd0
run tc qdisc del dev tcd0 root
run tc qdisc add dev tcd0 root handle 1: qfq
run tc class add dev tcd0 parent 1: classid 1:1 qfq weight 10 maxpkt 1514
run tc -s -d class show dev tcd0
run tc qdisc del dev tcd0 root
run tc qdisc add dev tcd0 root handle 1: ets bands 4 strict 1 quanta 1500 1000 500
run tc -s -d class show dev tcd0
run tc qdisc del dev tcd0 root
run tc qdisc add dev tcd0 root handle 1: cake bandwidth 100Mbit
ping -c 2 -W 1 -I tcd0 10.77.0.2 >/dev/null 2>&1
run tc -s -d class show dev tcd0
run tc qdisc del dev tcd0 root
# --- filters under an htb root -----------------------------------------------------------------
run tc qdisc add dev tcd0 root handle 1: htb default 10
run tc class add dev tcd0 parent 1: classid 1:10 htb rate 1mbit
run tc class add dev tcd0 parent 1: classid 1:20 htb rate 2mbit
F="tc filter add dev tcd0 parent 1: protocol ip"
run $F prio 1 handle 5 fw classid 1:10
run $F prio 1 handle 6/0xff fw classid 1:20 action ok
run $F prio 2 route to 10 from 20 classid 1:10
run $F prio 2 route to 11 fromif tcd1 classid 1:20
run $F prio 3 handle 1 flow hash keys src,dst,proto,proto-src,proto-dst divisor 1024 perturb 10 baseclass 1:10
run $F prio 3 handle 2 flow map key mark addend 1 rshift 2 and 0xff xor 1 divisor 16 baseclass 1:1
run $F prio 4 handle 1: cgroup action drop
run $F prio 5 basic match 'meta(nf_mark eq 10) and cmp(u16 at 2 layer network gt 0x100) or not u32(u32 0x00000016 0x0000ffff at 20) and nbyte("abc" at 0 layer transport)' classid 1:10
run $F prio 6 basic match 'meta(priority mask 0xff lt 5) and meta(dev eq "tcd0") and text(kmp foo from 0 to 100)' classid 1:20
run $F prio 7 u32 match ip dst 10.0.0.0/8 match ip dport 80 0xffff classid 1:10
run $F prio 8 u32 match ip src 192.0.2.1/32 action police rate 1mbit burst 100k conform-exceed drop
run $F prio 9 flower ip_proto tcp dst_port 80 src_ip 10.0.0.1 dst_ip 10.0.0.0/8 ip_tos 0x10/0xff ip_ttl 64 tcp_flags 0x2/0x7 classid 1:10
run tc filter add dev tcd0 parent 1: protocol 802.1q prio 10 flower vlan_id 100 vlan_prio 3 vlan_ethtype 802.1q \
    cvlan_id 200 cvlan_ethtype ipv4 dst_mac 02:00:00:00:00:01/ff:ff:ff:ff:ff:00 action drop
run tc filter add dev tcd0 parent 1: protocol arp prio 11 flower arp_op request arp_sip 10.0.0.1 arp_tip 10.0.0.2 arp_sha 02:00:00:00:00:01 classid 1:20
run $F prio 12 flower enc_key_id 42 enc_dst_ip 10.1.1.1 enc_src_ip 10.1.1.2 enc_dst_port 4789 enc_tos 0x10 enc_ttl 64 geneve_opts 0102:80:00880022 classid 1:10
run $F prio 13 flower ct_state +trk+est ct_zone 5 ct_mark 0x10/0xff ip_proto udp src_port 1000-2000 classid 1:10
run tc filter add dev tcd0 parent 1: protocol mpls_uc prio 14 flower mpls_label 100 mpls_tc 3 mpls_bos 1 mpls_ttl 64 classid 1:10
run tc filter add dev tcd0 parent 1: protocol ipv6 prio 15 flower ip_proto icmpv6 type 128 code 0 src_ip 2001:db8::1 classid 1:10
run $F prio 16 flower ip_flags frag/firstfrag classid 1:10
run $F prio 17 matchall action mirred egress mirror dev tcd1
run $F prio 18 bpf bytecode '1,6 0 0 4294967295' classid 1:10
run tc -s -d filter show dev tcd0 parent 1:
run tc qdisc del dev tcd0 root
# --- actions: added alone, then listed with statistics ---------------------------------------
A="tc actions add action"
run $A gact drop random determ ok 10 index 1
run $A pedit ex munge ip ttl set 10 munge eth dst set 02:00:00:00:00:01 pipe index 4
run $A pedit munge offset 0 u32 set 0x1 index 5
run $A csum iph tcp udp index 6
run $A skbedit mark 10/0xff priority 1:10 queue_mapping 1 ptype host inheritdsfield index 7
run $A sample rate 100 group 5 trunc 128 index 8
run $A ct zone 5 commit mark 0x10/0xff nat src addr 10.0.0.1-10.0.0.10 port 1000-2000 index 9
run $A ct clear index 10
run $A nat egress 10.0.0.1/32 192.0.2.1 index 11
run $A connmark zone 5 index 12
run $A ctinfo dscp 0xfc000000 0x01000000 cpmark 0xffffffff zone 3 index 13
run $A skbmod set dmac 02:00:00:00:00:02 set smac 02:00:00:00:00:01 set etype 0x0800 index 14
run $A skbmod swap mac index 15
run $A mpls push protocol mpls_uc label 100 tc 3 ttl 64 bos 1 index 16
run $A mpls pop protocol ipv4 index 17
run $A mpls dec_ttl index 18
run $A gate base-time 1000000000 sched-entry open 200000000 -1 -1 sched-entry close 100000000 -1 -1 clockid CLOCK_TAI priority 1 index 19
run $A vlan push id 100 protocol 802.1Q priority 3 index 20
run $A vlan pop index 21
run $A vlan push_eth dst_mac 02:00:00:00:00:02 src_mac 02:00:00:00:00:01 index 22
run $A tunnel_key set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 42 dst_port 4789 tos 0x10 ttl 64 geneve_opts 0102:80:00880022 nocsum index 23
run $A tunnel_key set src_ip 2001:db8::1 dst_ip 2001:db8::2 id 7 vxlan_opts 17 index 24
run $A tunnel_key unset index 25
run $A simple sdata hello index 26
run $A ife encode allow mark allow prio use tcindex 5 type 0xED3E dst 02:00:00:00:00:02 index 27
run $A bpf bytecode '1,6 0 0 4294967295' index 28
for k in gact pedit csum skbedit sample ct nat connmark ctinfo skbmod mpls gate vlan tunnel_key simple ife bpf; do
    run tc -s actions ls action $k
done
run tc actions flush action gact
run ip link del tcd0
run ip link del tcd1
capture_stop
