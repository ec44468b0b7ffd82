#!/bin/sh
# Every scenario in one VM boot (what the VM tests and tools/make_captures.py run).
# Each scenario's start and end are logged in seconds since the epoch ("##### NAME at T",
# "NAME rc=N at T"): the log is where the time each one takes on each kernel is read.
D="$(dirname "$0")"
echo "kernel $(uname -r)"
# trace comes after bpf-stop: its BPF engine loads probes of its own; genl-families is last: the
# modules it loads stay.
# bpf leaves its BPF capture running so that the burst is recorded by the same bcc load beside
# nlmon (one compile per kernel); bpf-stop ends it and splits its file (bpf.sh says how).
for s in rtnl-extack nlscope-test classic nl80211 mixed rtnl-deep genl-more nf-diag monitors objects stations bpf burst \
        bpf-stop stop-signals tui-live trace genl-families; do
    echo "##### $s at $(date +%s.%N | cut -c1-14)"
    case $s in
    bpf-stop) sh "$D/bpf.sh" stop > "$OUT/$s.log" 2>&1 ;;
    *) sh "$D/$s.sh" > "$OUT/$s.log" 2>&1 ;;
    esac
    echo "$s rc=$? at $(date +%s.%N | cut -c1-14)"
done
dmesg > "$OUT/dmesg.log"
