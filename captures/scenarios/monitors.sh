#!/bin/sh
# Kernel messages that only monitors and rarer objects bring: nftables flowtable, quota and
# limit objects and a rule trace (`nft monitor trace` over a real datagram); IPsec ACQUIRE
# (a policy with no state, then traffic) and EXPIRE (a state with a 1 s hard lifetime) seen
# by `ip xfrm monitor`; NETLINK_FIB_LOOKUP questions and answers (monitor_probe.py): a
# connected route, a route via a gateway, and a table that does not exist (-ENOENT);
# writes $OUT/monitors.pcap.
. "$(dirname "$0")/lib.sh"
D="$(dirname "$0")"
for m in nf_tables nft_flow_offload nf_flow_table nf_flow_table_inet xfrm_user esp4 dummy; do modprobe $m 2>/dev/null; done
ip link set lo up
ip link add mon0 type dummy && ip link set mon0 up && ip addr add 10.50.0.1/24 dev mon0
ip route add 10.51.0.0/24 dev mon0
ip route add 10.53.0.0/16 via 10.50.0.2 dev mon0
capture_start monitors
run nft add table inet nlsm
run nft add flowtable inet nlsm ft '{ hook ingress priority 0; devices = { mon0 }; }'
run nft add quota inet nlsm q1 '{ over 100 mbytes }'
run nft add limit inet nlsm l1 '{ rate 400/minute }'
run nft add chain inet nlsm out '{ type filter hook output priority 0; policy accept; }'
run nft add rule inet nlsm out udp dport 5999 meta nftrace set 1 counter accept
run nft list flowtables
run nft list quotas
run nft list limits
nft monitor trace > "$OUT/nft-trace.txt" 2>&1 &
NT=$!
ip xfrm monitor acquire expire > "$OUT/xfrm-monitor.txt" 2>&1 &
XM=$!
sleep 1
run "$PYTHON" "$D/monitor_probe.py" udp 127.0.0.1 5999
run ip xfrm policy add src 10.50.0.0/24 dst 10.51.0.0/24 dir out tmpl src 10.50.0.1 dst 10.51.0.1 proto esp reqid 9 mode tunnel
run "$PYTHON" "$D/monitor_probe.py" udp 10.51.0.7 6000
run ip xfrm state add src 10.50.0.1 dst 10.52.0.1 proto esp spi 0x2000 reqid 10 mode tunnel \
    enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f limit time-hard 1
sleep 3
run "$PYTHON" "$D/monitor_probe.py" fib 10.50.0.9
# (not 127.0.0.1: once any scenario has added an ip rule, local routes leave the main table)
run "$PYTHON" "$D/monitor_probe.py" fib 10.53.1.1
run "$PYTHON" "$D/monitor_probe.py" fib 10.50.0.9 99
kill -TERM $NT $XM; wait $NT; wait $XM
echo "--- nft monitor trace"; cat "$OUT/nft-trace.txt"
echo "--- ip xfrm monitor"; cat "$OUT/xfrm-monitor.txt"
run ip xfrm policy flush
run ip xfrm state flush
run nft delete table inet nlsm
capture_stop
ip link del mon0
