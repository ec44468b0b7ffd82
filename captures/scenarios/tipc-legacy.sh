#!/bin/sh
# The legacy TIPC configuration family (generic netlink "TIPC", net/tipc/netlink_compat.c: one
# command whose struct tipc_genlmsghdr names a TIPC_CMD_* with big-endian TLVs), spoken as the
# old tipc-config did by tipc_legacy_probe.py (no Debian tool speaks it): NOOP, the network id
# read, set (and refused out of range), the node address set (and refused once set), nodes,
# media and bearers listed, a bearer enabled on the dummy device tl0 (and one on a missing
# device), links listed, the broadcast link's statistics shown and reset, link tolerance,
# priority and window set on a bearer, a medium and the broadcast link (what is refused
# recorded), the name table (an AF_TIPC socket bound to {18888,17,17} beside), ports,
# statistics, remote management, max ports, the bearer disabled (twice), an obsolete command,
# an unknown one, a TLV of the wrong type, a malformed TLV, a truncated TIPC header, and
# NOOP/GET_MEDIA_NAMES/GET_NETID/SET_NETID from a child without CAP_NET_ADMIN (setpriv).
# tl0 is made before the capture starts and removed after it.
# Not in all.sh: recorded on 6.1 and 6.12 with tools/vm.py.  Writes $OUT/tipc-legacy.pcap.
. "$(dirname "$0")/lib.sh"
D=$(dirname "$0")
modprobe tipc
modprobe dummy
ip link add tl0 address 02:00:00:71:0c:01 type dummy
ip link set tl0 up
capture_start tipc-legacy
run "$PYTHON" "$D/tipc_legacy_probe.py"
capture_stop
ip link del tl0
