#!/bin/sh
# iw against two mac80211_hwsim radios: writes $OUT/nl80211.pcap.
. "$(dirname "$0")/lib.sh"
modprobe mac80211_hwsim radios=2 || exit 1
for i in 1 2 3 4 5 6 7 8 9 10; do ip link show wlan0 >/dev/null 2>&1 && break; sleep 0.5; done
capture_start nl80211 process
run iw dev
run iw phy phy0 info
run iw reg get
run ip link set wlan0 up
run iw dev wlan0 info
run iw dev wlan0 scan
run iw dev wlan0 station dump
run iw dev wlan0 set power_save on
run iw dev wlan0 get power_save
capture_stop
