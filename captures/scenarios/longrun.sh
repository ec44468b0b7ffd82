#!/bin/sh
# A capture that runs for days, accelerated: `nlscope capture` with process lookups, the
# decoder and transaction pairing on (not -q's raw path), a ring of 3 files of 1 MB
# (-b filesize:1000 -b files:3) and its own stop (-a duration), while for $LONGRUN_SECONDS
# (default 40) short-lived `ip` processes come and go (the process table), a module
# registering a generic netlink family is loaded and unloaded (a new family id each time:
# the genl id table) and longrun_probe.py sends route changes the kernel never answers (open
# transactions far beyond the pairing table's 16,384) from a new port id every 200.  The
# capture's resident memory and CPU ticks are sampled every 2 s ($OUT/longrun.samples:
# seconds rss_kB ticks) for the test to find them flat.  Not in all.sh: under emulation the
# capture reads the 64 MiB ring's backlog at ~340 frames/s, 4 minutes per kernel; recorded on
# both kernels into captures/longrun-KERNEL/ (tests/captures/test_longrun_captures.py) with
# `KMOD=<kmod/ built for the kernel>` in the environment (tools/vm.py build_kmod), e.g. a
# script that runs `sh captures/scenarios/longrun.sh > $OUT/longrun.log 2>&1` through vm.run.
. "$(dirname "$0")/lib.sh"
nlmon_up || exit 1
S=${LONGRUN_SECONDS:-40}
P="$OUT/longrun"
rm -f "$P"_*.pcapng "$P".nlscope.log "$P".samples
ip link add long0 type dummy && ip link set long0 up || exit 1
(cd "$REPO" && exec "$PYTHON" -m nlscope capture -i nlmon0 -q -b filesize:1000 -b files:3 -a duration:$((S + 20)) \
    -w "$P.pcapng") 2>"$P.nlscope.log" &
CAP=$!
waitfor "$P.nlscope.log" "listening on" 600 || { echo "the capture did not start:"; cat "$P.nlscope.log"; exit 1; }
START=$(date +%s)
echo "capture listening; traffic for $S s from $START"
( while [ $(( $(date +%s) - START )) -lt "$S" ]; do ip link show lo >/dev/null; done ) &
IPS=$!
[ -n "${KMOD:-}" ] || echo "KMOD unset: no module loaded and unloaded (the genl id churn)"
( n=0; [ -n "${KMOD:-}" ] && while [ $(( $(date +%s) - START )) -lt "$S" ]; do
      insmod "$KMOD/nlscope_test.ko" && rmmod nlscope_test && n=$((n+1)); done; echo "module loaded $n times" ) &
MODS=$!
"$PYTHON" "$(dirname "$0")/longrun_probe.py" "$S" &
PROBE=$!
while kill -0 "$CAP" 2>/dev/null; do
    echo "$(( $(date +%s) - START )) $(awk '/^VmRSS/ {print $2}' /proc/$CAP/status 2>/dev/null) \
$(awk '{print $14 + $15}' /proc/$CAP/stat 2>/dev/null)" >> "$P.samples"
    sleep 2
done
wait $CAP; echo "capture rc=$?"
wait $PROBE $IPS $MODS
cat "$P.nlscope.log"
ls -l "$P"_*.pcapng
ip link del long0
