#!/bin/sh
# `nlscope live` driven headless by Textual's Pilot while ip makes traffic: $OUT/tui-live.json.
. "$(dirname "$0")/lib.sh"
nlmon_up || exit 1
modprobe dummy
run "$PYTHON" "$REPO/tests/vm/live_tui_driver.py" "$OUT"
