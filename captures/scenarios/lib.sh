#!/bin/sh
# Helpers shared by the scenarios (run as root inside the VM by tools/vm.py).
#   capture_start NAME [MODE]  start tcpdump on nlmon0 writing $OUT/NAME.pcap, return once it
#                        listens; with MODE, nlscope's own live capture runs beside it:
#                        "bytes"   -> $OUT/NAME.nlscope.pcapng (no process lookups: no traffic of its own)
#                        "process" -> $OUT/NAME.nlscope.pcapng with the sending processes
#   capture_stop         stop them, flushing every packet they received
#   run CMD…             run a command, logging it, its output and its exit code
#   waitfor LOG TEXT [N] wait until LOG (a program's output) holds TEXT (a grep pattern), at
#                        most N tries of 0.2 s (default 300); its status says whether it did
waitfor() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt "${3:-300}" ]; do sleep 0.2; i=$((i+1)); done
    grep -q "$2" "$1" 2>/dev/null
}
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
    waitfor "$OUT/$1.tcpdump.log" "listening on" 150
    NLS_PID=
    case "${2:-}" in
    bytes)
        (cd "$REPO" && exec "$PYTHON" -m nlscope capture -i nlmon0 --no-process -q -w "$OUT/$1.nlscope.pcapng") \
            2>"$OUT/$1.nlscope.log" &
        NLS_PID=$! ;;
    process)
        (cd "$REPO" && exec "$PYTHON" -m nlscope capture -i nlmon0 -q -w "$OUT/$1.nlscope.pcapng") \
            2>"$OUT/$1.nlscope.log" &
        NLS_PID=$! ;;
    esac
    if [ -n "$NLS_PID" ]; then
        waitfor "$OUT/$1.nlscope.log" "listening on"
    fi
    sleep 0.5
    echo "=== capture $1"
}
capture_stop() {
    sleep 1.5
    kill -INT "$CAP_PID"; wait "$CAP_PID"
    # SIGTERM: a background job of a non-interactive shell ignores SIGINT
    if [ -n "$NLS_PID" ]; then kill -TERM "$NLS_PID"; wait "$NLS_PID"; echo "nlscope rc=$?"; fi
    echo "=== end of capture $CAP_NAME: $(cat "$OUT/$CAP_NAME.tcpdump.log" | tail -2 | tr '\n' ' ')"
}
run() { echo "+ $*"; "$@" 2>&1; echo "rc=$?"; }
