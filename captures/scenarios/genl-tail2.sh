#!/bin/sh
# The generic netlink families still without a dissector (issue 17), after loading every
# module Debian ships that registers one: `genl ctrl list` first (what each kernel has), then
# vdpa (iproute2's vdpa tool: the management devices, a VDUSE net device added, shown, its
# config and queue statistics, removed; 6.12 only), and for the families no
# Debian tool speaks, genl_tail2_probe.py asking what their own tools ask: gtp (PDP contexts of
# a gtp device), HSR (the node table of two HSR devices over veth pairs; 6.12 only), SMC_PNETID
# and SMC_GEN_NETLINK (smc_pnet, smcr/smcd), MAC80211_HWSIM (radios made and removed, a medium
# registered that answers a scan's frames), the legacy 802.15.4 MAC, MAC802154_HWSIM, ovs_meter and
# ovs_ct_limit (ovs-dpctl's meters and zone limits), nfc (nfctool against nfcsim); then
# iptables-nft and ip6tables-nft rules with the x_tables extensions nft cannot say itself
# (u32, policy, rt, cgroup, nfacct, sctp, dccp, ipcomp, cluster, ipvs, bpf, osf, connlabel,
# rateest/RATEEST, l2tp, HMARK, IDLETIMER, LED, TRACE, NOTRACK, mh, srh, eui64, DNPT/SNPT),
# listed with -S (the values the test compares) and deleted.  Devices are made before the
# capture starts and removed after it (their rtnetlink messages are not this scenario's).
# Not in all.sh: recorded on 6.1 and 6.12 with tools/vm.py.  Writes $OUT/genl-tail2.pcap.
. "$(dirname "$0")/lib.sh"
D=$(dirname "$0")
for m in veth gtp hsr vdpa vduse smc ieee802154 ieee802154_socket \
         mac802154 mac802154_hwsim tipc nfc nfcsim drbd target_core_user dlm ksmbd l2tp_netlink fou ila macsec \
         batman-adv openvswitch team ip_vs wireguard nbd psample drop_monitor nfnetlink_osf xt_osf; do
    modprobe $m 2>/dev/null
done
rmmod mac80211_hwsim 2>/dev/null; modprobe mac80211_hwsim radios=0
ip link add gt2v0 type veth peer name gt2v1
ip addr add 10.41.0.1/24 dev gt2v0
ip link set gt2v0 up
ip link set gt2v1 up
ip link add gtp0 type gtp role sgsn 2>&1 && ip link set gtp0 up
for p in a b; do ip link add hs${p}0 type veth peer name hs${p}1; done
if ip link add hsr0 type hsr slave1 hsa0 slave2 hsb0 supervision 45 version 1 2>/dev/null; then
    ip link add hsr1 type hsr slave1 hsa1 slave2 hsb1 supervision 45 version 1
    for l in hsa0 hsa1 hsb0 hsb1 hsr0 hsr1; do ip link set $l up; done
    sleep 4   # supervision frames every 2 s: each node learns the other
fi
iptables-nft -N NLS2
ip6tables-nft -N NLS2
iptables-nft -t mangle -N NLS2
iptables-nft -t raw -N NLS2
capture_start genl-tail2
run genl ctrl list
# vdpa (CONFIG_VDPA: 6.12; its one management device in Debian's build is VDUSE's, whose
# devices a user-space daemon makes first: the probe's VDUSE_CREATE_DEV, no netlink)
run "$PYTHON" "$D/genl_tail2_probe.py" vduse_add
run vdpa mgmtdev show
run vdpa mgmtdev show vduse
run vdpa dev add name nls-vduse0 mgmtdev vduse
run vdpa dev show
run vdpa dev show nls-vduse0
run vdpa dev config show nls-vduse0
run vdpa dev vstats show nls-vduse0 qidx 0
run vdpa dev add name nls-vduse0 mgmtdev vduse
run vdpa dev add name nls-nosuch mgmtdev vdpasim_net
run vdpa dev del nls-vduse0
run vdpa dev show nls-vduse0
run "$PYTHON" "$D/genl_tail2_probe.py" vduse_del
# the families without a Debian tool
run "$PYTHON" "$D/genl_tail2_probe.py" gtp hsr smc hwsim wpan wpan_hwsim ovs nfc nfacct_add
# x_tables extensions through iptables-nft (NETLINK_NETFILTER)
T=NLS2
run iptables-nft -A $T -m u32 --u32 "0>>22&0x3C@12>>26&0x3F=0x10" -j ACCEPT
run iptables-nft -A $T -m u32 --u32 "6&0xFF=1&&4&0x3FFF=0" -j DROP
run iptables-nft -A $T -m policy --dir in --pol ipsec --strict --reqid 5 --spi 0x100 --proto esp --mode tunnel \
    --tunnel-src 10.0.0.1 --tunnel-dst 10.0.0.2 --next --proto ah -j ACCEPT
run iptables-nft -A $T -m policy --dir out --pol none -j ACCEPT
run iptables-nft -A $T -m cgroup --path / -j ACCEPT
run iptables-nft -A $T -m cgroup --cgroup 0x100001 -j ACCEPT
run iptables-nft -A $T -m nfacct --nfacct-name nls_acct
run iptables-nft -A $T -p sctp -m sctp --sport 100:200 --dport 80 --chunk-types any INIT,DATA -j ACCEPT
run iptables-nft -A $T -p dccp -m dccp --dport 5000 --dccp-types REQUEST,RESPONSE --dccp-option 2 -j ACCEPT
run iptables-nft -A $T -p 108 -m ipcomp --ipcompspi 16:32 -j ACCEPT
run iptables-nft -A $T -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 0xdeadbeef -j ACCEPT
run iptables-nft -A $T -m ipvs --ipvs --vdir ORIGINAL --vproto tcp --vport 80 -j ACCEPT
run iptables-nft -A $T -m bpf --bytecode "4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0" -j ACCEPT
run iptables-nft -A $T -p tcp -m osf --genre Linux --ttl 2 -j ACCEPT
run iptables-nft -A $T -m connlabel --label 3 -j ACCEPT
run iptables-nft -A $T -j RATEEST --rateest-name nls --rateest-interval 250ms --rateest-ewmalog 1s
run iptables-nft -A $T -m rateest --rateest nls --rateest-gt --rateest-bps 1kbit -j ACCEPT
run iptables-nft -A $T -p udp -m l2tp --type control --tunnel-id 1 -j ACCEPT
run iptables-nft -A $T -j IDLETIMER --timeout 60 --label nls2
run iptables-nft -A $T -j LED --led-trigger-id nls --led-delay 100 --led-always-blink
run iptables-nft -t mangle -A $T -j HMARK --hmark-tuple src,dst,sport,dport --hmark-mod 10 --hmark-offset 1 \
    --hmark-rnd 0xfeedcafe
run iptables-nft -t raw -A $T -j TRACE
run iptables-nft -t raw -A $T -j NOTRACK
run ip6tables-nft -A $T -m rt --rt-type 0 --rt-segsleft 1:3 --rt-len 40 --rt-0-res --rt-0-addrs ::1,::2 \
    --rt-0-not-strict -j ACCEPT
run ip6tables-nft -A $T -m rt --rt-type 2 -j ACCEPT
run ip6tables-nft -A $T -p mh -m mh --mh-type binding-update -j ACCEPT
run ip6tables-nft -A $T -m srh --srh-next-hdr 17 --srh-segs-left-gt 1 --srh-last-entry-eq 4 -j ACCEPT
run ip6tables-nft -A $T -m eui64 -j ACCEPT
run ip6tables-nft -A $T -m policy --dir in --pol ipsec --mode tunnel --tunnel-src 2001:db8::1 \
    --tunnel-dst 2001:db8::2 --proto esp -j ACCEPT
run ip6tables-nft -t mangle -A PREROUTING -d 2001:db8:1::/64 -j DNPT --src-pfx 2001:db8:1::/64 --dst-pfx 2001:db8:2::/64
run ip6tables-nft -t mangle -A POSTROUTING -s 2001:db8:2::/64 -j SNPT --src-pfx 2001:db8:2::/64 --dst-pfx 2001:db8:1::/64
run iptables-nft -S $T
run iptables-nft -t mangle -S $T
run iptables-nft -t raw -S $T
run ip6tables-nft -S $T
run ip6tables-nft -t mangle -S
run iptables-nft -F $T
run iptables-nft -X $T
run iptables-nft -t mangle -F $T
run iptables-nft -t mangle -X $T
run iptables-nft -t raw -F $T
run iptables-nft -t raw -X $T
run ip6tables-nft -F $T
run ip6tables-nft -X $T
run ip6tables-nft -t mangle -F
run "$PYTHON" "$D/genl_tail2_probe.py" nfacct_del
capture_stop
ip link del hsr0 2>/dev/null; ip link del hsr1 2>/dev/null
ip link del hsa0 2>/dev/null; ip link del hsb0 2>/dev/null
ip link del gtp0 2>/dev/null
ip link del gt2v0
