#!/bin/sh
# The nlscope_test family, every operation with the inputs of kmod/test_values.json:
# writes $OUT/nlscope-test.pcap.  Needs $KMOD: a directory with the built modules.
. "$(dirname "$0")/lib.sh"
capture_start nlscope-test
run insmod "$KMOD/nlscope_test.ko"
run "$PYTHON" "$REPO/kmod/tools/nt_client.py" all
run rmmod nlscope_test
capture_stop
