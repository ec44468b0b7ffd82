#!/bin/sh
# The proc connector in the VM's initial network namespace, where the kernel accepts a
# listener (captures/host-6.18/connector.sh shows the refusal a private namespace gets).
# nlmon does not tap NETLINK_CONNECTOR, so the listener's traffic is recorded with strace and
# tools/strace2pcap.py: writes $OUT/connector.pcapng (a listener's PROC_CN_MCAST_LISTEN, then
# the fork, exec and exit events of `sh -c '/bin/true; exit 3'` as the listener read them).
# Not in all.sh: the lead records it on both kernels.
. "$(dirname "$0")/lib.sh"
run strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o "$OUT/connector.strace" \
    sh "$REPO/captures/host-6.18/connector.sh" inside
run "$PYTHON" "$REPO/tools/strace2pcap.py" "$OUT/connector.strace" "$OUT/connector.pcapng"
