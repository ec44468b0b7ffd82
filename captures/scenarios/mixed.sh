#!/bin/sh
# Real tools against the real kernel, one after another: writes $OUT/mixed.pcap.
. "$(dirname "$0")/lib.sh"
modprobe dummy; modprobe wireguard; modprobe nf_tables; modprobe nf_conntrack 2>/dev/null
ip link add dummy1 type dummy && ip addr add 10.20.0.1/24 dev dummy1 && ip link set dummy1 up
capture_start mixed process
run ss -tanpi
run ss -xa
run ss -A netlink
run ethtool dummy1
run ethtool -i dummy1
run ip link add wg0 type wireguard
run wg set wg0 listen-port 51820 private-key "$REPO/kmod/tools/wg-test.key"
run wg show wg0
run nft add table inet nlscope
run nft add chain inet nlscope input '{ type filter hook input priority 0; policy accept; }'
run nft add rule inet nlscope input tcp dport 22 counter accept
run nft list ruleset
run nft add rule inet nlscope nosuchchain accept
run conntrack -L
run devlink dev show
run ip mptcp endpoint add 10.20.0.1 dev dummy1 signal
run ip mptcp endpoint show
run genl ctrl list
run ip link del wg0
run nft delete table inet nlscope
capture_stop
