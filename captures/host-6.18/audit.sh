#!/bin/sh
# auditctl on a 6.18 kernel (a container: no nlmon), recorded with strace and tools/strace2pcap.py
# in a private network namespace:  sh captures/host-6.18/audit.sh  writes
# captures/host-6.18/audit.pcapng (its strace log in /tmp).  Audit rules are the kernel's, not
# the namespace's: the script deletes every rule it added (auditctl -D) and never enables
# auditing (its AUDIT_SET requests set values to what the kernel has).  What auditctl printed
# goes to audit.out beside it; the test checks the decoding against it.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/audit.strace \
        sh "$0" inside > "$D/audit.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/audit.strace "$D/audit.pcapng"
fi
set +e
auditctl -s; auditctl -l
auditctl -a always,exit -F arch=b64 -S openat -k nlscope
auditctl -a always,exit -F arch=b64 -S unlink,unlinkat -F uid=0 -F exit=-EACCES -k nlscope-del
auditctl -w /etc/hostname -p wa -k nlscope-watch
auditctl -a always,exit -F arch=b64 -S openat -F dir=/nonexistent-nlscope -k nlscope-missing
auditctl -l
auditctl -m "nlscope test message"
# AUDIT_SET requests that change nothing: each value set to what the kernel has now
R=$(auditctl -s | awk '/^rate_limit/ {print $2}'); B=$(auditctl -s | awk '/^backlog_limit/ {print $2}')
auditctl -r "$R" -b "$B" >/dev/null; auditctl -s
auditctl -D; auditctl -l
