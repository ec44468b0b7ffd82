#!/bin/sh
# The BPF source (`nlscope capture --source bpf`), one bcc load for everything it records:
#   sh bpf.sh        starts it ($OUT/bpf.all.pcapng; the process is left running), and beside it
#                    tcpdump on nlmon0 ($OUT/bpf.pcap) while the ROUTE part runs, then
#                    ROUTE: ip link/addr/route commands (the bytes nlmon sees too)
#                    uevent: a dummy link added and deleted, `udevadm trigger` on lo, with
#                            `udevadm monitor` listening to the kernel's and udevd's events
#                    audit: auditctl -e/-s/-l/-a/-d, a stand-in audit daemon (AUDIT_SET pid) that
#                            gets kauditd's unicast records, and a multicast (readlog) reader
#                    connector: a proc-events listener while `sh -c '/bin/true; exit 3'` runs
#                    protocol 17: kmod netlink_exam proto=17 with exam_send.py and exam_recv.py
#                    SELinux: the minimal policy (selinux.cil) loaded, enforcing and back, with
#                            a listener on SELNLGRP_AVC (the VM boots with security=selinux)
#   sh bpf.sh stop   stops it (all.sh: after burst.sh, so that the burst is recorded by the
#                    same load beside nlmon) and splits the file where the burst began:
#                    $OUT/bpf.pcapng (the parts above) and $OUT/burst.bpf.pcapng.
# Each program's own output goes to $OUT/bpf.*.log, for the tests to compare with the decode.
. "$(dirname "$0")/lib.sh"
if [ "${1:-}" = stop ]; then
    PID=$(cat "$OUT/bpf.pid" 2>/dev/null) || { echo "no BPF capture running"; exit 1; }
    echo "BPF capture cpu ticks during the burst: $(( $(awk '{print $14 + $15}' /proc/$PID/stat) - $(cat "$OUT/bpf.ticks") ))"
    # each program's run count and time in the kernel (kernel.bpf_stats_enabled)
    for f in /proc/$PID/fdinfo/*; do
        grep -q "^prog_type" "$f" 2>/dev/null && grep -hE "^(prog_type|run_time_ns|run_cnt|recursion_misses)" "$f" | tr '\n' ' ' && echo
    done
    kill -TERM "$PID"
    i=0; while [ -e "/proc/$PID" ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i+1)); done
    cat "$OUT/bpf.nlscope.log"
    sysctl -qw kernel.bpf_stats_enabled=0
    (cd "$REPO" && "$PYTHON" - "$OUT" "$(cat "$OUT/bpf.split")") <<'PY'
import sys
from nlscope.sources import read_capture
from nlscope.sources.writer import PcapngWriter
out, split = sys.argv[1], int(sys.argv[2])
with open(f"{out}/bpf.pcapng", "wb") as a, open(f"{out}/burst.bpf.pcapng", "wb") as b:
    wa, wb = PcapngWriter(a), PcapngWriter(b)
    n = [0, 0]
    for fr in read_capture(f"{out}/bpf.all.pcapng"):
        (wa if fr.ts_ns < split else wb).write(fr, "bpf")
        n[fr.ts_ns >= split] += 1
print(f"split: {n[0]} frames in bpf.pcapng, {n[1]} in burst.bpf.pcapng")
PY
    echo "split rc=$?"
    exit 0
fi

nlmon_up || exit 1
sysctl -qw kernel.bpf_stats_enabled=1
rm -f "$OUT/bpf.all.pcapng" "$OUT/bpf.nlscope.log"
START=$(date +%s)
(cd "$REPO" && exec "$PYTHON" -m nlscope capture --source bpf -q -w "$OUT/bpf.all.pcapng") 2>"$OUT/bpf.nlscope.log" &
echo $! > "$OUT/bpf.pid"
# the bcc compile and load: 6-14 s of it, under emulation, and the import before it
waitfor "$OUT/bpf.nlscope.log" "listening on" 1200 || { echo "the BPF capture did not start:"; cat "$OUT/bpf.nlscope.log"; exit 1; }
echo "BPF capture listening after $(( $(date +%s) - START )) s: $(cat "$OUT/bpf.nlscope.log")"

echo "##### ROUTE"
capture_start bpf
run ip link add bpf0 type dummy
run ip addr add 10.61.0.1/24 dev bpf0
run ip link set bpf0 up
run ip route add 10.62.0.0/24 via 10.61.0.2
run ip -4 route show dev bpf0
run ip link del bpf0
capture_stop

echo "##### uevent"
pgrep -x systemd-udevd >/dev/null || pgrep -x udevd >/dev/null && echo "udevd runs" || echo "udevd does not run"
udevadm monitor --kernel --udev > "$OUT/bpf.udevadm.log" 2>&1 &
MON=$!
waitfor "$OUT/bpf.udevadm.log" "monitor will print" 100
run ip link add bpf1 type dummy
run udevadm trigger --action=change --subsystem-match=net --sysname-match=lo
run udevadm settle --timeout=20
run ip link del bpf1
run udevadm settle --timeout=20
sleep 1
kill -INT $MON; wait $MON
cat "$OUT/bpf.udevadm.log"

echo "##### audit"
cat > "$OUT/bpf.auditd.py" <<'PY'
"""A stand-in audit daemon: AUDIT_SET makes this process the one kauditd sends records to
(unicast), and a second socket reads the multicast copies (AUDIT_NLGRP_READLOG); each
record is printed as it came, until the file named by argv[1] exists."""
import os, select, socket, struct, sys, time
AUDIT_SET, AUDIT_STATUS_PID = 1001, 4
def status(s, pid):
    body = struct.pack("=4I", AUDIT_STATUS_PID, 0, 0, pid)
    s.send(struct.pack("=IHHII", 16 + len(body), AUDIT_SET, 5, 2 if pid == 0 else 1, 0) + body)   # REQUEST|ACK
    while True:   # records may come first: the answer is the NLMSG_ERROR
        data = s.recv(65536)
        if struct.unpack_from("=H", data, 4)[0] == 2:
            break
        report("unicast", data)
    print(f"AUDIT_SET pid={pid}: error {struct.unpack_from('=i', data, 16)[0]}", flush=True)
def report(way, data):
    ln, ty = struct.unpack_from("=IH", data)
    text = data[16:].rstrip(bytes(1)).decode(errors="replace")
    print(f"{way} type={ty} nlmsg_len={ln} bytes={len(data)} {text}", flush=True)
uni = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)
uni.bind((0, 0))
multi = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)
multi.bind((0, 1))
status(uni, os.getpid())
print("listening", flush=True)
end = time.time() + 120
while time.time() < end and not os.path.exists(sys.argv[1]):
    ready, _, _ = select.select([uni, multi], [], [], 0.2)
    for s in ready:
        report("unicast" if s is uni else "multicast", s.recv(65536))
status(uni, 0)
PY
rm -f "$OUT/bpf.auditd.stop"
python3 "$OUT/bpf.auditd.py" "$OUT/bpf.auditd.stop" > "$OUT/bpf.auditd.log" 2>&1 &
AUD=$!
waitfor "$OUT/bpf.auditd.log" listening 150
run auditctl -e 1
run auditctl -s
run auditctl -l
run auditctl -a always,exit -F arch=b64 -S fchmodat -F key=nlscope-bpf
run auditctl -l
run chmod 600 "$OUT/bpf.auditd.py"
run auditctl -d always,exit -F arch=b64 -S fchmodat -F key=nlscope-bpf
run auditctl -e 0
sleep 2
touch "$OUT/bpf.auditd.stop"
wait $AUD; echo "audit daemon rc=$?"
cat "$OUT/bpf.auditd.log"

echo "##### connector"
cat > "$OUT/bpf.cnproc.py" <<'PY'
"""A proc-events listener (drivers/connector/cn_proc.c): PROC_CN_MCAST_LISTEN, then each
event's what, pid and exit code printed until the file named by argv[1] exists; then
PROC_CN_MCAST_IGNORE (the kernel sends no more once no one listens) and what was still
queued: every event delivered to the socket is printed."""
import os, socket, struct, sys, time
NETLINK_CONNECTOR, CN_IDX_PROC, CN_VAL_PROC, PROC_CN_MCAST_LISTEN, PROC_CN_MCAST_IGNORE = 11, 1, 1, 1, 2
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
s.bind((0, CN_IDX_PROC))
def control(op):
    data = struct.pack("=I", op)
    cn = struct.pack("=IIIIHH", CN_IDX_PROC, CN_VAL_PROC, 0, 0, len(data), 0) + data
    s.send(struct.pack("=IHHII", 16 + len(cn), 3, 0, 0, 0) + cn)   # cn_proc's users: NLMSG_DONE, no flags
def read():
    ev = s.recv(65536)[16 + 20:]
    what = struct.unpack_from("=I", ev)[0]
    pid = struct.unpack_from("=I", ev, 16)[0] if len(ev) >= 20 else 0
    extra = f" exit_code={struct.unpack_from('=I', ev, 24)[0]}" if what == 0x80000000 else ""
    print(f"event what={what:#x} pid={pid}{extra}", flush=True)
control(PROC_CN_MCAST_LISTEN)
print("listening", flush=True)
s.settimeout(0.2)
end = time.time() + 60
while time.time() < end and not os.path.exists(sys.argv[1]):
    try:
        read()
    except socket.timeout:
        continue
control(PROC_CN_MCAST_IGNORE)
s.settimeout(1.0)
while True:
    try:
        read()
    except socket.timeout:
        break
print("done", flush=True)
PY
rm -f "$OUT/bpf.cnproc.stop"
python3 "$OUT/bpf.cnproc.py" "$OUT/bpf.cnproc.stop" > "$OUT/bpf.cnproc.log" 2>&1 &
CNP=$!
waitfor "$OUT/bpf.cnproc.log" listening 150
sh -c '/bin/true; exit 3'
echo "sh rc=$?"
sleep 1
touch "$OUT/bpf.cnproc.stop"
wait $CNP; echo "listener rc=$?"
cat "$OUT/bpf.cnproc.log"

echo "##### protocol 17"
TEXT="$REPO/kmod/tools/exam-message.txt"
run insmod "$KMOD/netlink_exam.ko" proto=17
"$PYTHON" "$REPO/kmod/tools/exam_recv.py" --proto 17 --timeout 120 > "$OUT/bpf.exam_recv.log" 2>&1 &
RECV=$!
waitfor "$OUT/bpf.exam_recv.log" listening 300
run "$PYTHON" "$REPO/kmod/tools/exam_send.py" --proto 17 "$TEXT"
wait $RECV; echo "receiver rc=$?"; cat "$OUT/bpf.exam_recv.log"
echo "/proc/netlink_exam_buffer:"; cat /proc/netlink_exam_buffer
run rmmod netlink_exam

echo "##### SELinux"
# the VM boots with security=selinux (tools/vm.py KERNEL_ARGS) and no policy: load the minimal
# one (selinux.cil) and switch to enforcing and back, with a listener on SELNLGRP_AVC (group 1)
# printing each notification it receives; the kernel's audit records say the same (dmesg)
[ -e /sys/fs/selinux/enforce ] || mount -t selinuxfs selinuxfs /sys/fs/selinux 2>/dev/null
if [ -e /sys/fs/selinux/load ]; then
    run secilc -c 31 -o "$OUT/selinux.policy" -f /dev/null "$(dirname "$0")/selinux.cil"
    cat > "$OUT/bpf.selinux.py" <<'PY'
import socket, struct, sys, time
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 7)   # NETLINK_SELINUX
s.bind((0, 1))                                              # SELNLGRP_AVC
s.settimeout(0.2)
print("listening", flush=True)
end = time.time() + 60
while time.time() < end:
    try:
        data = s.recv(4096)
    except socket.timeout:
        if __import__("os").path.exists(sys.argv[1]):
            break
        continue
    length, mtype = struct.unpack_from("=IH", data)
    print(f"type={mtype:#x} len={length} value={struct.unpack_from('=i', data, 16)[0]}", flush=True)
print("done", flush=True)
PY
    rm -f "$OUT/bpf.selinux.stop"
    python3 "$OUT/bpf.selinux.py" "$OUT/bpf.selinux.stop" > "$OUT/bpf.selinux.log" 2>&1 &
    SEL=$!
    waitfor "$OUT/bpf.selinux.log" listening 150
    cat "$OUT/selinux.policy" > /sys/fs/selinux/load; echo "policy load rc=$?"
    echo 1 > /sys/fs/selinux/enforce; echo "enforcing rc=$? enforce=$(cat /sys/fs/selinux/enforce)"
    echo 0 > /sys/fs/selinux/enforce; echo "permissive rc=$? enforce=$(cat /sys/fs/selinux/enforce)"
    sleep 1
    touch "$OUT/bpf.selinux.stop"
    wait $SEL; echo "selinux listener rc=$?"
    cat "$OUT/bpf.selinux.log"
else
    echo "SELinux is not enabled in this kernel's boot (no /sys/fs/selinux): no SELinux traffic to record"
fi

sleep 1
# where the burst that follows begins (bpf.sh stop splits the file there) and the capture's
# cpu time so far (stop reports what the burst added)
date +%s%N > "$OUT/bpf.split"
awk '{print $14 + $15}' "/proc/$(cat "$OUT/bpf.pid")/stat" > "$OUT/bpf.ticks"
echo "bpf scenario done; the BPF capture keeps running"
