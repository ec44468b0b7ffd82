#!/bin/sh
# The proc connector on a 6.18 kernel (a container: no nlmon), as a private network namespace
# sees it:  sh captures/host-6.18/connector.sh  writes captures/host-6.18/connector.out.
# A listener (a Python socket bound to group CN_IDX_PROC) sends PROC_CN_MCAST_LISTEN under
# strace while a shell forks and execs.  The connector's kernel socket exists in the initial
# network namespace only (drivers/connector/connector.c, cn_init: init_net), so in
# `unshare -n` the kernel refuses the request with ECONNREFUSED and sends no event; the
# refused call (strace's line and hex dump of the bytes sent) and what the listener printed
# are kept in connector.out.  tools/strace2pcap.py leaves failed calls out, so there is no
# pcapng: the test decodes the bytes of the dump, and the events from bytes recorded once.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/connector.strace \
        sh "$0" inside > /tmp/connector.listener 2>&1 || true
    { echo "# the listener's output"; cat /tmp/connector.listener
      echo "# strace: the netlink calls on the connector socket"
      awk '/NETLINK_CONNECTOR|NETLINK:\[CONNECTOR/ {keep=1; print; next} /^ \| / && keep {print; next} {keep=0}' \
          /tmp/connector.strace | sed 's/^[0-9]* *[0-9.]* //'; } > "$D/connector.out"
    exit 0
fi
set +e
python3 - <<'PY' &
import os, socket, struct, time
NETLINK_CONNECTOR, CN_IDX_PROC, CN_VAL_PROC, PROC_CN_MCAST_LISTEN = 11, 1, 1, 1
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
s.bind((0, CN_IDX_PROC))
data = struct.pack("=I", PROC_CN_MCAST_LISTEN)
cn = struct.pack("=IIIIHH", CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(data), 0) + data
try:   # the cn_proc users' layout: cn_msg in a message of type NLMSG_DONE, no flags
    s.send(struct.pack("=IHHII", 16 + len(cn), 3, 0, 0, 0) + cn)
except OSError as e:
    print("PROC_CN_MCAST_LISTEN refused:", e.strerror, flush=True)
else:
    s.settimeout(1.0)
    end = time.time() + 2
    while time.time() < end:
        try:
            print("event", s.recv(65536)[16:].hex(), flush=True)
        except socket.timeout:
            pass
PY
sleep 0.5
sh -c '/bin/true; exit 3'
wait
