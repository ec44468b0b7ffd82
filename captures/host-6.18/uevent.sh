#!/bin/sh
# Device events on a 6.18 kernel (a container: no nlmon), recorded with strace and
# tools/strace2pcap.py in a private network and mount namespace:  sh captures/host-6.18/uevent.sh
# writes captures/host-6.18/uevent.pcapng (its strace log in /tmp).  A tun device comes and goes;
# udevadm monitor reads the kernel's uevents (group 1) and systemd-udevd's libudev messages
# (group 2; udevd runs with a private /run/udev, so it touches nothing outside); udevadm
# trigger makes the kernel send a synthetic change event for t0.  What udevadm printed goes
# to uevent.out beside it; the test checks the decoding against it.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n -m --propagation private strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all \
        -o /tmp/uevent.strace sh "$0" inside > "$D/uevent.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/uevent.strace "$D/uevent.pcapng"
fi
set +e
mkdir -p /run/udev && mount -t tmpfs tmpfs /run/udev
/lib/systemd/systemd-udevd > /dev/null 2>&1 & U=$!
sleep 1
udevadm monitor --kernel --udev --property & M=$!
sleep 0.5
ip tuntap add t0 mode tun; ip link set t0 up; sleep 0.5
# a synthetic "change" of t0 alone (the namespace's own sysfs: /sys/class/net holds t0 only)
mount -t sysfs sysfs /sys && udevadm trigger --action=change --uuid /sys/class/net/t0; sleep 0.5
ip tuntap del t0 mode tun
sleep 1; kill $M; udevadm control --exit; sleep 0.3; kill $U 2>/dev/null; wait
