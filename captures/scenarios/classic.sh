#!/bin/sh
# The classic example: first on its private protocol 17 (nlmon cannot see it, so only the
# log shows it worked), then on NETLINK_USERSOCK (2), captured: writes $OUT/classic.pcap.
. "$(dirname "$0")/lib.sh"
TEXT="$REPO/kmod/tools/exam-message.txt"
classic_round() {
    run insmod "$KMOD/netlink_exam.ko" proto=$1
    # --timeout: the sender is a Python started next, which under emulation beside another busy
    # VM has taken longer than the receiver's default 20 s to send
    "$PYTHON" "$REPO/kmod/tools/exam_recv.py" --proto $1 --timeout 120 > "$OUT/exam_recv.$1.log" 2>&1 &
    RECV=$!
    waitfor "$OUT/exam_recv.$1.log" listening 100
    run "$PYTHON" "$REPO/kmod/tools/exam_send.py" --proto $1 "$TEXT"
    wait $RECV; echo "receiver rc=$?"; cat "$OUT/exam_recv.$1.log"
    echo "/proc/netlink_exam_buffer:"; cat /proc/netlink_exam_buffer
    run rmmod netlink_exam
}
classic_round 17
capture_start classic
classic_round 2
capture_stop
