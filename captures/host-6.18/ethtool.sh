#!/bin/sh
# ethtool 6.1's query options on a tun device (and lo) on a 6.18 kernel (a container: no
# nlmon), recorded with strace and tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/ethtool.sh   -> ethtool.pcapng, ethtool.out (what ethtool printed)
# Every show/get option goes through the ethtool generic-netlink family where ethtool has a
# netlink handler (the others fall back to the ioctl, which leaves no netlink traffic); what
# the tun driver does not implement comes back as EOPNOTSUPP, kept with its extack.  Then
# `ethtool --monitor` while features, rings and the link change.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/ethtool.strace \
        sh "$0" inside > "$D/ethtool.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/ethtool.strace "$D/ethtool.pcapng"
fi
set +e
ip link set lo up
ip tuntap add t0 mode tun; ip link set t0 up
e() { echo "+ ethtool $*"; ethtool "$@" 2>&1; }
for o in "" -a -c -g -i -k -l -m -n -S -T -P --show-eee --show-fec --show-priv-flags --show-tunnels --show-mm \
         --show-plca --show-pse --show-rxfh --show-module --show-pause --show-coalesce --show-channels \
         --show-features --show-rings --show-time-stamping --show-permaddr --show-cable-test-tdr; do
    e $o t0
done
e --json -k t0; e -I -S t0; e --all-groups -S t0; e --groups eth-mac -S t0; e -d t0; e lo
ethtool --monitor > /tmp/ethtool.monitor 2>&1 & M=$!; sleep 0.3
e -K t0 tx off; e -K t0 tx on; e -G t0 rx 256; e -s t0 msglvl 1; e -L t0 combined 1; e --set-eee t0 eee off
ip link set t0 down; ip link set t0 up; sleep 0.3; kill $M
echo "+ ethtool --monitor (what it printed)"; cat /tmp/ethtool.monitor
