#!/bin/sh
# conntrack-tools 1.4.7 with real flows on a 6.18 kernel (a container: no nlmon), recorded with
# strace and tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/conntrack.sh   -> conntrack.pcapng, conntrack.out (what conntrack printed)
# An nft ruleset makes the namespace track connections (and marks them 0x5 on input); a TCP
# connection and a UDP datagram over lo make two flows, which `conntrack -E` follows while
# they are listed (-L, extended, filtered), got (-G), and entries are created (-I), updated
# (-U), deleted (-D), counted (-S, -C) and flushed (-F).
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/conntrack.strace \
        sh "$0" inside > "$D/conntrack.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/conntrack.strace "$D/conntrack.pcapng"
fi
set +e
T=$(mktemp -d)
ip link set lo up
nft add table ip t; nft add chain ip t o '{ type filter hook output priority 0; }'; nft add rule ip t o ct state new counter
nft add chain ip t i '{ type filter hook input priority 0; }'; nft add rule ip t i ct mark set 0x5 counter
conntrack -E -o timestamp,id > $T/events 2>&1 & E=$!; sleep 0.5
python3 -c "
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 7000)); s.listen()
c = socket.socket(); c.connect(('127.0.0.1', 7000)); a, _ = s.accept(); c.send(b'x'); a.recv(1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b'y', ('127.0.0.1', 7001))
time.sleep(3)
" & P=$!
sleep 1
c() { echo "+ conntrack $*"; conntrack "$@" 2>&1; }
c -L; c -L -o extended,id; c -L -p tcp --dport 7000
SPORT=$(conntrack -L -p tcp --dport 7000 2>/dev/null | sed -n 's/.*sport=\([0-9]*\) dport=7000.*/\1/p' | head -1)
c -G -p tcp -s 127.0.0.1 -d 127.0.0.1 --sport $SPORT --dport 7000
c -I -p tcp -s 10.1.1.1 -d 10.1.1.2 --sport 1000 --dport 2000 --state ESTABLISHED -t 120 -u ASSURED -m 7
c -I -p udp -s 10.1.1.1 -d 10.1.1.2 --sport 53 --dport 5353 -t 30 --zone 4
c -I -p icmp -s 10.1.1.1 -d 10.1.1.2 --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 20
c -U -p tcp -s 10.1.1.1 -m 9; c -L -m 9; c -D -p udp --zone 4; c -S; c -C; c -L expect
c -F; sleep 0.5; kill $E; wait $P
echo "+ conntrack -E -o timestamp,id (what it printed)"; cat $T/events; rm -rf $T
