#!/bin/sh
# iw against two mac80211_hwsim radios: wlan1 beacons as an access point (no hostapd: the
# beacon is given to `iw ap start` as hex), wlan0 scans and finds it; writes $OUT/nl80211.pcap.
. "$(dirname "$0")/lib.sh"
modprobe mac80211_hwsim radios=2 || exit 1
for i in 1 2 3 4 5 6 7 8 9 10; do ip link show wlan1 >/dev/null 2>&1 && break; sleep 0.5; done
# beacon head: 802.11 header (beacon from 02:00:00:00:01:00), timestamp, interval 100 TU,
# capabilities ESS|privacy|short slot; SSID "nlscope-ap", rates 1* 2* 5.5* 11* 6 9 12 18, DS channel 1
HEAD=80000000ffffffffffff0200000001000200000001000000000000000000000064001104
HEAD=${HEAD}000a6e6c73636f70652d6170010882848b960c121824030101
# beacon tail: country DE channels 1-13 20 dBm; RSN PSK CCMP-128; HT capabilities and operation;
# extended capabilities; a vendor element (Broadcom OUI, type 2)
TAIL=0706444520010d14
TAIL=${TAIL}30140100000fac040100000fac040100000fac020000
TAIL=${TAIL}2d1a2c0103ffff000000000000000000000000000000000000000000
TAIL=${TAIL}3d1601000000000000000000000000000000000000000000
TAIL=${TAIL}7f080000000000000040
TAIL=${TAIL}dd050010180200
ip link set wlan1 down
iw dev wlan1 set type __ap
ip link set wlan1 up
ip link set wlan0 up
capture_start nl80211 process
run iw dev
run iw phy phy0 info
run iw reg get
run iw dev wlan1 ap start nlscope-ap 2412 100 2 head "$HEAD" tail "$TAIL"
run iw dev wlan1 info
run iw dev wlan0 info
# the AP answers no probes (that is hostapd's work): wlan0 must catch a beacon, every 100 TU;
# under emulation one scan can miss it, so scan until it is seen (each try is captured); a
# scan whose end never came (seen once on 6.1 under load: iw waited 26 min) is aborted
i=0
while [ $i -lt 8 ]; do
    run timeout 30 iw dev wlan0 scan freq 2412 passive | tee "$OUT/scan.txt"
    grep -q "^rc=124" "$OUT/scan.txt" && run iw dev wlan0 scan abort
    grep -q "SSID: nlscope-ap" "$OUT/scan.txt" && break
    i=$((i+1)); sleep 0.5
done
run iw dev wlan0 scan dump
run iw dev wlan1 station dump
run iw dev wlan0 set power_save on
run iw dev wlan0 get power_save
run iw dev wlan1 ap stop
capture_stop
