#!/bin/sh
# Helpers shared by the scenarios (run as root inside the VM by tools/vm.py).
#   capture_start NAME   start tcpdump on nlmon0 writing $OUT/NAME.pcap, return once it listens
#   capture_stop         stop it, flushing every packet it received
#   run CMD…             run a command, logging it, its output and its exit code
nlmon_up() {
    ip link show nlmon0 >/dev/null 2>&1 && return 0
    modprobe nlmon && ip link add nlmon0 type nlmon && ip link set nlmon0 up
}
capture_start() {
    nlmon_up || { echo "nlmon unavailable"; return 1; }
    CAP_NAME=$1
    rm -f "$OUT/$1.pcap" "$OUT/$1.tcpdump.log"
    # --immediate-mode: without it libpcap hands packets over a block at a time, and the
    # packets of a block not yet handed over when tcpdump is stopped never reach the file;
    # -B 32768 (KiB): the default 2 MiB ring overflows on iw phy dumps under emulation
    tcpdump -i nlmon0 -s 0 -B 32768 -U --immediate-mode -w "$OUT/$1.pcap" 2>"$OUT/$1.tcpdump.log" &
    CAP_PID=$!
    i=0
    while ! grep -q "listening on" "$OUT/$1.tcpdump.log" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
    sleep 0.5
    echo "=== capture $1"
}
capture_stop() {
    sleep 1.5
    kill -INT "$CAP_PID"; wait "$CAP_PID"
    echo "=== end of capture $CAP_NAME: $(cat "$OUT/$CAP_NAME.tcpdump.log" | tail -2 | tr '\n' ' ')"
}
run() { echo "+ $*"; "$@" 2>&1; echo "rc=$?"; }
