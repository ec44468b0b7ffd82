#!/bin/sh
# Netfilter, socket diagnostics and IPsec with real tools: nft (a table, chains, rules of
# several expression kinds, a set with elements, a counter object, a failing command),
# conntrack -E/-L/-S over real loopback flows, an NFQUEUE consumer and an NFLOG listener
# (nf_probe.py), ipset, ss (TCP with info, UDP, unix, netlink), ip xfrm state/policy;
# writes $OUT/nf-diag.pcap.
. "$(dirname "$0")/lib.sh"
D="$(dirname "$0")"
for m in nf_tables nf_conntrack nfnetlink_queue nfnetlink_log nf_conntrack_netlink xfrm_user esp4 ip_set \
         ip_set_hash_ip inet_diag tcp_diag udp_diag unix_diag netlink_diag af_packet_diag; do modprobe $m 2>/dev/null; done
ip link set lo up
capture_start nf-diag
run nft add table inet nlsf
run nft add chain inet nlsf input '{ type filter hook input priority 0; policy accept; }'
run nft add chain inet nlsf output '{ type filter hook output priority 0; policy accept; }'
run nft add set inet nlsf blocked '{ type ipv4_addr; }'
run nft add element inet nlsf blocked '{ 10.9.9.9, 10.9.9.10 }'
run nft add counter inet nlsf c1
run nft add rule inet nlsf input ip saddr @blocked drop
run nft add rule inet nlsf input tcp dport 5555 ct state new counter accept
run nft add rule inet nlsf input udp dport 5556 queue num 3
run nft add rule inet nlsf input tcp dport 5557 log prefix '"nlscope "' group 2
run nft add rule inet nlsf output icmp type echo-request limit rate 10/second accept
run nft add rule inet nlsf nosuchchain accept
run ipset create nlsips hash:ip
run ipset add nlsips 10.8.0.1
run ipset list nlsips
conntrack -E > "$OUT/conntrack-events.txt" 2>&1 &
CT=$!
"$PYTHON" "$D/nf_probe.py" queue 3 > "$OUT/nfqueue.txt" 2>&1 &
QP=$!
"$PYTHON" "$D/nf_probe.py" log 2 > "$OUT/nflog.txt" 2>&1 &
LP=$!
# under emulation Python takes seconds to start: wait for each helper to be ready
waitfor "$OUT/nfqueue.txt" bound 150
waitfor "$OUT/nflog.txt" bound 150
"$PYTHON" "$D/nf_probe.py" traffic > "$OUT/traffic.txt" 2>&1 &
TP=$!
waitfor "$OUT/traffic.txt" "tcp 5557" 150
run conntrack -L
run conntrack -S
run ss -tanpi
run ss -uan
run ss -xa
run ss -A netlink
run ss -tan 'sport = :5555'
run "$PYTHON" "$D/nf_probe.py" diag
wait $TP; wait $QP; wait $LP
kill -TERM $CT; wait $CT
echo "--- traffic"; cat "$OUT/traffic.txt"
echo "--- nfqueue"; cat "$OUT/nfqueue.txt"
echo "--- nflog"; cat "$OUT/nflog.txt"
echo "--- conntrack -E"; cat "$OUT/conntrack-events.txt"
run nft list ruleset
run ip xfrm state add src 10.40.0.1 dst 10.40.0.2 proto esp spi 0x1000 reqid 7 mode tunnel \
    enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f auth-trunc 'hmac(sha256)' \
    0x101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f 128
run ip xfrm policy add src 10.40.0.0/24 dst 10.41.0.0/24 dir out tmpl src 10.40.0.1 dst 10.40.0.2 proto esp reqid 7 mode tunnel
run ip xfrm state list
run ip xfrm policy list
run ip xfrm state delete src 10.40.0.1 dst 10.40.0.2 proto esp spi 0x1000
run ip xfrm policy delete src 10.40.0.0/24 dst 10.41.0.0/24 dir out
run ipset destroy nlsips
run nft delete table inet nlsf
capture_stop
