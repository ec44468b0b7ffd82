#!/bin/sh
# nl80211 stations: two mac80211_hwsim radios join one IBSS (no hostapd needed), find each
# other by their beacons, and `iw` lists and asks for the peer with its counters, rates and
# flags (NL80211_CMD_NEW_STATION with NL80211_ATTR_STA_INFO); writes $OUT/stations.pcap.
. "$(dirname "$0")/lib.sh"
rmmod mac80211_hwsim 2>/dev/null  # the nl80211 scenario leaves its radios behind
modprobe mac80211_hwsim radios=2 || exit 1
sleep 1
WL=$(ls /sys/class/net | grep '^wlan' | sort | head -2)
for w in $WL; do
    ip link set "$w" down
    iw dev "$w" set type ibss
    ip link set "$w" up
    iw dev "$w" ibss join nlsibss 2412 fixed-freq 02:11:22:33:44:55
done
# under emulation the first beacons take a few seconds
i=0
while [ -z "$(iw dev wlan0 station dump)" ] && [ $i -lt 60 ]; do sleep 0.5; i=$((i+1)); done
PEER=$(iw dev wlan0 station dump | awk '/^Station/ {print $2; exit}')
capture_start stations
run iw dev wlan0 station dump
run iw dev wlan0 station get "$PEER"
run iw dev wlan1 station dump
run iw dev wlan0 station get 02:00:00:00:99:99
run iw dev wlan0 link
capture_stop
for w in $WL; do iw dev "$w" ibss leave; done
rmmod mac80211_hwsim
