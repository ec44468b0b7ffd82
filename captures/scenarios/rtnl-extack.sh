#!/bin/sh
# rtnetlink session with errors: writes $OUT/rtnl-extack.pcap.
# Every value chosen here is listed in captures/rtnl-extack.expected.json.
. "$(dirname "$0")/lib.sh"
modprobe dummy; modprobe veth
capture_start rtnl-extack bytes
run ip link add dummy0 type dummy
# udev gives a new virtual device its own MAC address (MACAddressPolicy); that change flushes
# the device's neighbours, permanent ones too (NETDEV_CHANGEADDR): let it happen before the
# neighbour below is added (a slow udev once removed it before `ip neigh show`)
udevadm settle --timeout=10 2>/dev/null || true
run ip link set dummy0 mtu 1400 up
run ip addr add 10.9.0.1/24 dev dummy0
run ip route add 10.10.0.0/24 via 10.9.0.2 dev dummy0
run ip route add 10.10.0.0/24 via 10.9.0.2 dev dummy0
run ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev dummy0
run ip rule add from 10.9.0.0/24 lookup 100 pref 1000
run ip link add veth0 type veth peer name veth1
run ip link set veth0 mtu 70000
run ip link set dev veth0 gso_max_size 10
run ip -d link show dummy0
run ip addr show dev dummy0
run ip route show dev dummy0
run ip neigh show dev dummy0
run ip rule show
run ip link del veth0
run ip link del dummy0
run ip rule del pref 1000
capture_stop
