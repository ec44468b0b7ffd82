#!/bin/sh
# A burst of traffic: $BURST_ROUTES host routes (default 10,000: 20,000 route changes,
# 40,000 frames with their ACKs; tools/vm.py sets it per kernel) added and deleted by one
# `ip -batch`, captured by `nlscope capture` on nlmon0 (no process lookups) and, in all.sh,
# by the BPF capture bpf.sh left running beside it.  Whether or not it keeps up, what it
# wrote plus what the kernel says it dropped must be all the kernel passed it
# (PACKET_STATISTICS); writes $OUT/burst.nlscope.pcapng and $OUT/burst.nlscope.log, and logs
# the cpu time the nlmon capture took (clock ticks, /proc/PID/stat utime + stime).
. "$(dirname "$0")/lib.sh"
nlmon_up || exit 1
N=${BURST_ROUTES:-10000}
echo "burst: $N host routes added and deleted"
ip link add burst0 type dummy && ip link set burst0 up && ip addr add 10.60.0.1/16 dev burst0
# the batch written by awk: a Python started under emulation costs seconds
awk -v n="$N" 'BEGIN { for (j = 0; j < 2; j++) for (i = 0; i < n; i++)
    printf "route %s 172.16.%d.%d/32 via 10.60.0.2\n", j ? "del" : "add", int(i / 256), i % 256 }' > "$OUT/burst.batch"
(cd "$REPO" && exec "$PYTHON" -m nlscope capture -i nlmon0 --no-process -q -w "$OUT/burst.nlscope.pcapng") \
    2>"$OUT/burst.nlscope.log" &
NLS=$!
waitfor "$OUT/burst.nlscope.log" "listening on"
START=$(date +%s)
ip -batch "$OUT/burst.batch"
echo "ip -batch rc=$? in $(( $(date +%s) - START )) s"
sleep 3
echo "nlmon capture cpu ticks: $(awk '{print $14 + $15}' /proc/$NLS/stat)"
kill -TERM $NLS; wait $NLS
echo "nlscope rc=$?"
cat "$OUT/burst.nlscope.log"
ip link del burst0
