#!/bin/sh
# A real access point and a real station (issue 17): two mac80211_hwsim radios, hostapd on
# wlan0 and wpa_supplicant on wlan1, both with driver nl80211.  First a WPA2-PSK association
# (the station leaves first: its DEAUTHENTICATE, the AP's DEL_STATION), then a WPA3-SAE one with
# management frame protection required (the AP leaves first: STOP_AP, DEL_STATION, DEL_KEY);
# the capture starts before either daemon, so their wiphy dumps, frame registrations,
# START_AP, keys, stations and teardown are all in it.  The programs' own output (wpa_cli
# and hostapd_cli status, iw, the daemons' logs) is logged for the test to take its expected
# values from.  No ping across: both radios are in one namespace, so the kernel would route it
# over lo, and a station moved to a namespace of its own would take its netlink traffic out
# of nlmon's sight (netlink taps are per namespace).  Not in all.sh (CI time): recorded with
# tools/vm.py on 6.1 and 6.12.
# Writes $OUT/wifi-ap.pcap.
. "$(dirname "$0")/lib.sh"
rmmod mac80211_hwsim 2>/dev/null
modprobe mac80211_hwsim radios=2 || exit 1
for i in 1 2 3 4 5 6 7 8 9 10; do ip link show wlan1 >/dev/null 2>&1 && break; sleep 0.5; done
# the daemons' control sockets: not in $OUT (9p shares no unix sockets)
CTRL=/tmp/nlscope-wifi
mkdir -p "$CTRL" 2>/dev/null || CTRL=/run/nlscope-wifi
mkdir -p "$CTRL"
AP=wlan0
STA=wlan1

# ap_conf NAME SSID LINES: hostapd.conf for an 802.11g/n AP on channel 6
ap_conf() {
    cat > "$OUT/hostapd-$1.conf" <<EOF
interface=$AP
driver=nl80211
ctrl_interface=$CTRL/hostapd
ssid=$2
hw_mode=g
channel=6
ieee80211n=1
wmm_enabled=1
wpa=2
rsn_pairwise=CCMP
$3
EOF
}
# sta_conf NAME LINES: wpa_supplicant.conf with one network, the LINES of its block
sta_conf() {
    cat > "$OUT/wpa_supplicant-$1.conf" <<EOF
ctrl_interface=$CTRL/wpa_supplicant
network={
$2
}
EOF
}
ap_conf psk nlscope-psk "wpa_key_mgmt=WPA-PSK
wpa_passphrase=nlscope-passphrase"
sta_conf psk '    ssid="nlscope-psk"
    key_mgmt=WPA-PSK
    psk="nlscope-passphrase"
    scan_freq=2437'
ap_conf sae nlscope-sae "wpa_key_mgmt=SAE
sae_password=nlscope-sae-password
ieee80211w=2"
sta_conf sae '    ssid="nlscope-sae"
    key_mgmt=SAE
    sae_password="nlscope-sae-password"
    ieee80211w=2
    scan_freq=2437'

# ap_start NAME / sta_start NAME: the daemon in the background, its log in $OUT
ap_start() {
    run hostapd -B -t -P "$CTRL/hostapd.pid" -f "$OUT/hostapd-$1.log" "$OUT/hostapd-$1.conf"
    waitfor "$OUT/hostapd-$1.log" "AP-ENABLED" 300 || echo "hostapd $1: no AP-ENABLED"
}
sta_start() {
    run wpa_supplicant -B -t -D nl80211 -i $STA -P "$CTRL/wpa_supplicant.pid" -f "$OUT/wpa_supplicant-$1.log" \
        -c "$OUT/wpa_supplicant-$1.conf"
}
# stop PIDFILE: SIGTERM, and wait for the daemon's teardown to end
stop() {
    pid=$(cat "$1" 2>/dev/null) || return 0
    kill "$pid"
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done
}
# queries: what both daemons and iw say of the association
queries() {
    run wpa_cli -p "$CTRL/wpa_supplicant" -i $STA status
    run hostapd_cli -p "$CTRL/hostapd" -i $AP status
    run hostapd_cli -p "$CTRL/hostapd" -i $AP all_sta
    run iw dev $STA link
    run iw dev $AP station dump
    run iw dev $STA station dump
    run iw dev $AP info
    run iw dev $STA info
}
# associate NAME HEADING: both daemons started with NAME's configuration, the association
# awaited (wpa_supplicant's CTRL-EVENT-CONNECTED, hostapd's AP-STA-CONNECTED) and queried
associate() {
    echo "### $2"
    ap_start $1
    sta_start $1
    waitfor "$OUT/wpa_supplicant-$1.log" "CTRL-EVENT-CONNECTED" 600 || echo "wpa_supplicant $1: not connected"
    waitfor "$OUT/hostapd-$1.log" "AP-STA-CONNECTED" 100 || echo "hostapd $1: no AP-STA-CONNECTED"
    queries
}
# logs NAME: the daemons' own logs of one association
logs() {
    for f in "$OUT/hostapd-$1.log" "$OUT/wpa_supplicant-$1.log"; do echo "--- $f"; cat "$f"; done
}

capture_start wifi-ap
associate psk WPA2-PSK
# the station leaves first: DISCONNECT/DEAUTHENTICATE, the AP's DEL_STATION
run wpa_cli -p "$CTRL/wpa_supplicant" -i $STA disconnect
waitfor "$OUT/hostapd-psk.log" "AP-STA-DISCONNECTED" 150 || echo "hostapd psk: no AP-STA-DISCONNECTED"
stop "$CTRL/wpa_supplicant.pid"
stop "$CTRL/hostapd.pid"
logs psk

associate sae WPA3-SAE
# the AP leaves first: its deauthentication, DEL_STATION, STOP_AP, DEL_KEY
stop "$CTRL/hostapd.pid"
waitfor "$OUT/wpa_supplicant-sae.log" "CTRL-EVENT-DISCONNECTED" 150 || echo "wpa_supplicant sae: not disconnected"
stop "$CTRL/wpa_supplicant.pid"
capture_stop
logs sae
rmmod mac80211_hwsim
