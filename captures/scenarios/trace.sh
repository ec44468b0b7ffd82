#!/bin/sh
# `nlscope trace --source bpf -- CMD` in the VM (root, bcc, the initial network namespace the
# proc connector needs), each command traced twice: by the BPF source and by strace, so the
# two decodes can be compared message for message.  While each runs, other processes make
# netlink traffic of their own (an `ip monitor` listening, a loop of `ip link show`): none of
# it may appear.  For each NAME, writes $OUT/trace-NAME.{bpf,strace}.{json,pcapng,err,rc}
# (-T json on stdout, the -w capture, stderr — where the command's own output goes —, and the
# status trace exited with).  Needs `nlscope trace` wired in cli.py.  Not in all.sh: the lead
# records it on both kernels once the BPF source is in (TRACE_SOURCES=strace: that engine only).
. "$(dirname "$0")/lib.sh"
cat > "$OUT/trace-ruleset.nft" <<'EOF'
table inet nlscope_trace {
    set ports { type inet_service; elements = { 22, 80 } }
    chain input { type filter hook input priority 0; policy accept; tcp dport @ports counter accept; }
}
EOF
modprobe mac80211_hwsim radios=1 || echo "mac80211_hwsim unavailable"
for i in 1 2 3 4 5 6 7 8 9 10; do ip link show wlan0 >/dev/null 2>&1 && break; sleep 0.5; done
modprobe dummy 2>/dev/null

# other processes' traffic, all along: a listener and a sender the traces must never show
ip monitor all > "$OUT/trace-monitor.txt" 2>&1 &
MON=$!
( while :; do ip link show lo >/dev/null; sleep 0.05; done ) &
LOOP=$!

traced() {   # NAME CMD…: trace CMD with each source ($CLEAN, if set, runs after each)
    name=$1; shift
    for src in ${TRACE_SOURCES:-bpf strace}; do
        echo "+ trace --source $src -- $*"
        (cd "$REPO" && exec "$PYTHON" -m nlscope trace --source "$src" -T json -w "$OUT/trace-$name.$src.pcapng" \
            -- "$@") > "$OUT/trace-$name.$src.json" 2> "$OUT/trace-$name.$src.err"
        echo $? > "$OUT/trace-$name.$src.rc"
        echo "rc=$(cat "$OUT/trace-$name.$src.rc") messages=$(wc -l < "$OUT/trace-$name.$src.json")"
        head -3 "$OUT/trace-$name.$src.err"
        [ -n "${CLEAN:-}" ] && sh -c "$CLEAN" >/dev/null 2>&1
    done
    CLEAN=
}

# an error with its extack and blamed attribute (ip's status, 2, passed through), and one
# for a link kind no module provides
CLEAN="ip link del x0"; traced link-error ip link add x0 gso_max_size 10 type dummy
traced link-kind ip link add x1 type nlscope-no-such-kind
printf 'link add d0 type dummy\naddr add 10.77.0.1/24 dev d0\nlink set d0 up\nroute add 10.78.0.0/16 via 10.77.0.2\nlink del d0\n' \
    > "$OUT/trace-batch.txt"
traced batch ip -batch "$OUT/trace-batch.txt"
CLEAN="nft delete table inet nlscope_trace"; traced nft nft -f "$OUT/trace-ruleset.nft"
traced iw sh -c 'iw dev; iw phy phy0 info >/dev/null; iw reg get'
# a program that forks (two ip children, sh itself sends nothing) and one that lives under a
# millisecond (its frames must still be named)
traced fork sh -c 'ip link show >/dev/null; ip addr show >/dev/null'
traced short ip route get 127.0.0.1
traced killed sh -c 'ip link show lo >/dev/null; kill -9 $$'

kill "$MON" "$LOOP" 2>/dev/null
wait 2>/dev/null
# what the traces must not show: the loop's and the monitor's pids are none of the traces'
for f in "$OUT"/trace-*.json; do
    echo "$f: processes $(grep -o '"process":{"pid":[0-9]*,"comm":"[^"]*"' "$f" | sort -u | tr '\n' ' ')"
done
