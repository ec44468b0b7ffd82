#!/bin/sh
# Every scenario in one VM boot (what the VM tests and tools/make_captures.py run).
D="$(dirname "$0")"
for s in rtnl-extack nlscope-test classic nl80211 mixed rtnl-deep genl-more nf-diag monitors objects stations burst stop-signals tui-live; do
    echo "##### $s"
    sh "$D/$s.sh" > "$OUT/$s.log" 2>&1
    echo "$s rc=$?"
done
dmesg > "$OUT/dmesg.log"
