#!/bin/sh
# How `nlscope capture -q -w` ends under a flood of route changes (10,000 from one `ip -batch`,
# 20,000 frames with their ACKs, in the ring when the signals come):
# on nlmon0, stopped in the middle of the flood by SIGINT with the default disposition (^C
# from a terminal), by SIGINT as a background job (started with SIGINT ignored, as `cmd &` in
# this shell), by SIGTERM, and killed with -9; on nlmon1, a capture with process lookups
# whose capabilities are read ($OUT/stop-signals.caps) and which ends when nlmon1 is deleted.
# Each CASE leaves $OUT/stop-signals.CASE.pcapng and .log.  Under emulation a capture's start
# costs tens of seconds, so they all start at once (SIGHUP is left to the unit tests).
. "$(dirname "$0")/lib.sh"
nlmon_up || exit 1
# made anew: an earlier scenario (rtnl-deep) leaves an nlmon1 that is down
ip link del nlmon1 2>/dev/null
{ ip link add nlmon1 type nlmon && ip link set nlmon1 up; } || exit 1
P="$OUT/stop-signals"
# this run's files only: all.sh writes this scenario's own output to $P.log
rm -f "$P".*.pcapng "$P".*.log "$P".*.pid "$P".caps "$P".batch
# the batch written by awk: a Python started under emulation costs seconds
awk 'BEGIN { for (j = 0; j < 2; j++) for (i = 0; i < 5000; i++)
    printf "route %s 172.17.%d.%d/32 via 10.61.0.2\n", j ? "del" : "add", int(i / 256), i % 256 }' > "$P.batch"
# start CASE [default-sigint] [capture options…]: a capture as a background job; its pid in $CASE.pid
start() {
    CASE=$1; shift
    # default-sigint: SIGINT back to its default disposition (coreutils' env), as a command
    # started from a terminal has it; a background job of this shell has it ignored
    WRAP=
    if [ "${1:-}" = default-sigint ]; then shift; WRAP="env --default-signal=INT"; fi
    (cd "$REPO" && exec $WRAP "$PYTHON" -m nlscope capture "$@" -w "$P.$CASE.pcapng") 2>"$P.$CASE.log" &
    echo $! > "$P.$CASE.pid"
}
listening() {   # wait until every capture named listens
    for c in "$@"; do waitfor "$P.$c.log" "listening on"; done
}
pid() { cat "$P.$1.pid"; }
now() { date +%s.%N | cut -c1-14; }
# finish CASE…: wait (at most 90 s each: draining a ring is slow under emulation) for the captures
# to end by themselves, and log their exit status
finish() {
    for c in "$@"; do
        N=$(pid "$c")
        i=0; while kill -0 "$N" 2>/dev/null && [ $i -lt 450 ]; do sleep 0.2; i=$((i+1)); done
        if kill -0 "$N" 2>/dev/null; then echo "$c: still running 90 s after it was told to stop"; kill -KILL "$N"; fi
        wait "$N"
        echo "$c nlscope rc=$?"
        tail -2 "$P.$c.log"
    done
}
SIGNALLED="SIGINT SIGINT-background SIGTERM SIGKILL"
echo "starting at $(now)"
start SIGINT default-sigint -i nlmon0 --no-process -q
for c in SIGINT-background SIGTERM SIGKILL; do start $c -i nlmon0 --no-process -q; done
start caps -i nlmon1 -q
listening $SIGNALLED caps
echo "all listening at $(now)"

# the capabilities a capture keeps once its socket is open (with process lookups), and the
# interface it captures on deleted under it
ip link show >/dev/null
sleep 1
grep -E "^(Cap|NoNewPrivs)" /proc/$(pid caps)/status | tee "$P.caps"
ip link del nlmon1
finish caps

# one flood; every signal in the middle of it
S1=$(pid SIGINT); S2=$(pid SIGINT-background); S3=$(pid SIGTERM); S4=$(pid SIGKILL)
ip link add stop0 type dummy && ip link set stop0 up && ip addr add 10.61.0.1/16 dev stop0
echo "flood starts at $(now)"
ip -force -batch "$P.batch" >/dev/null 2>&1 &
BATCH=$!
sleep 0.3
kill -INT $S1; kill -INT $S2; kill -TERM $S3; kill -KILL $S4
echo "signals sent at $(now)"
finish $SIGNALLED
wait $BATCH
echo "flood and captures done at $(now)"
ip link del stop0
