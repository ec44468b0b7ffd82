#!/bin/sh
# `nlscope trace -- CMD` in the VM (root, bcc, the initial network namespace the proc
# connector needs), each command traced by both engines: the BPF source and strace, so that
# the two decodes can be compared message for message.  While each runs, other processes make
# netlink traffic of their own (an `ip monitor` listening, a loop of `ip link show lo`): none
# of it may appear.  The commands: an error with its extack and blamed attribute, a link kind
# no module provides, `ip -batch`, `nft -f`, `iw` (three processes), a program that forks, one
# that lives under a millisecond, a shell killed with -9.
#
#   trace.sh         (what all.sh runs) one trace per engine of $OUT/trace-cases.sh, a shell
#                    running every command above in turn and then killing itself (status 137):
#                    each engine pays its start-up once (bcc's compile, Python's imports: a
#                    minute each under emulation); writes $OUT/trace-all.ENGINE.*
#   trace.sh each    every command traced on its own, as captures/trace-KERNEL/ is recorded
#                    (16 traces: ~15 minutes under emulation); writes $OUT/trace-NAME.ENGINE.*
# For each trace: .json (-T json on stdout), .pcapng (-w), .err (stderr, where the command's
# own output goes), .rc (the status trace exited with).  $OUT/trace-others.pids: the pids of
# the monitor and the loop.  TRACE_SOURCES (default "bpf strace"): the engines to use.
. "$(dirname "$0")/lib.sh"
cat > "$OUT/trace-ruleset.nft" <<'NFT'
table inet nlscope_trace {
    set ports { type inet_service; elements = { 22, 80 } }
    chain input { type filter hook input priority 0; policy accept; tcp dport @ports counter accept; }
}
NFT
printf 'link add d0 type dummy\naddr add 10.77.0.1/24 dev d0\nlink set d0 up\nroute add 10.78.0.0/16 via 10.77.0.2\nlink del d0\n' \
    > "$OUT/trace-batch.txt"
modprobe mac80211_hwsim radios=1 || echo "mac80211_hwsim unavailable"
for i in 1 2 3 4 5 6 7 8 9 10; do ip link show wlan0 >/dev/null 2>&1 && break; sleep 0.5; done
modprobe dummy 2>/dev/null
# the radio's name: phy0 on a fresh boot, another after the scenarios before reloaded hwsim
PHY=$(ls /sys/class/ieee80211 2>/dev/null | head -1)
# every case of the single trace, in order; the shell itself sends nothing (the iw case asks
# for one interface, not the radio's 200-message dump: decoding it twice costs a minute here)
cat > "$OUT/trace-cases.sh" <<CASES
ip link add x0 gso_max_size 10 type dummy
ip link add x1 type nlscope-no-such-kind
ip -batch $OUT/trace-batch.txt
nft -f $OUT/trace-ruleset.nft
nft delete table inet nlscope_trace
sh -c 'iw dev; iw dev wlan0 info >/dev/null; iw reg get'
sh -c 'ip link show >/dev/null; ip addr show >/dev/null'
ip route get 127.0.0.1
ip link show lo >/dev/null
kill -9 \$\$
CASES

# other processes' traffic, all along: a listener and a sender the traces must never show
ip monitor all > "$OUT/trace-monitor.txt" 2>&1 &
MON=$!
( while :; do ip link show lo >/dev/null; sleep 0.05; done ) &
LOOP=$!
echo "$MON $LOOP" > "$OUT/trace-others.pids"

traced() {   # NAME CMD…: trace CMD with each engine ($CLEAN, if set, runs after each)
    name=$1; shift
    for src in ${TRACE_SOURCES:-bpf strace}; do
        echo "+ trace --source $src -- $* at $(date +%s.%N | cut -c1-14)"
        (cd "$REPO" && exec "$PYTHON" -m nlscope trace --source "$src" -T json -w "$OUT/trace-$name.$src.pcapng" \
            -- "$@") > "$OUT/trace-$name.$src.json" 2> "$OUT/trace-$name.$src.err"
        echo $? > "$OUT/trace-$name.$src.rc"
        echo "rc=$(cat "$OUT/trace-$name.$src.rc") messages=$(wc -l < "$OUT/trace-$name.$src.json")"
        head -3 "$OUT/trace-$name.$src.err"
        [ -n "${CLEAN:-}" ] && sh -c "$CLEAN" >/dev/null 2>&1
    done
    CLEAN=
}

if [ "${1:-}" = each ]; then
    CLEAN="ip link del x0"; traced link-error ip link add x0 gso_max_size 10 type dummy
    traced link-kind ip link add x1 type nlscope-no-such-kind
    traced batch ip -batch "$OUT/trace-batch.txt"
    CLEAN="nft delete table inet nlscope_trace"; traced nft nft -f "$OUT/trace-ruleset.nft"
    traced iw sh -c "iw dev; iw phy $PHY info >/dev/null; iw reg get"
    # a program that forks (two ip children, sh itself sends nothing) and one that lives under
    # a millisecond (its frames must still be named)
    traced fork sh -c 'ip link show >/dev/null; ip addr show >/dev/null'
    traced short ip route get 127.0.0.1
    traced killed sh -c 'ip link show lo >/dev/null; kill -9 $$'
else
    traced all sh "$OUT/trace-cases.sh"
fi
echo "trace done at $(date +%s.%N | cut -c1-14)"

kill "$MON" "$LOOP" 2>/dev/null
wait 2>/dev/null
# what the traces must not show: the loop's and the monitor's pids are none of the traces'
for f in "$OUT"/trace-*.json; do
    echo "$f: processes $(grep -o '"process":{"pid":[0-9]*,"comm":"[^"]*"' "$f" | sort -u | tr '\n' ' ')"
done
