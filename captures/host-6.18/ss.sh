#!/bin/sh
# ss (iproute2 6.1) with its options on a 6.18 kernel (a container: no nlmon), recorded with
# strace and tools/strace2pcap.py in a private network namespace:
#   sh captures/host-6.18/ss.sh   -> ss.pcapng, ss.out (what ss printed)
# Listening and connected TCP sockets (IPv4 and IPv6), UDP, raw, unix, packet and netlink
# sockets held by a Python process, then ss with each socket table, the extended
# information options (-e -m -o -i -p --tos --cgroup --inet-sockopt), filters compiled to
# inet_diag bytecode (states, ports, addresses, marks, cgroups), the summary, -E for a
# moment while a connection closes, and -K killing one connection (sock_diag destroy).
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    T=$(mktemp -d)
    unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o /tmp/ss.strace \
        sh "$0" inside "$T" > "$D/ss.out" 2>&1
    rm -rf "$T"
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/ss.strace "$D/ss.pcapng"
fi
set +e
T=$2
cat > $T/socks.py <<'P'
import os, socket, sys, time
keep = []
def tcp(fam, addr, port):
    s = socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((addr, port)); s.listen()
    c = socket.socket(fam); c.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, 0x2a); c.connect((addr, port))
    a, _ = s.accept(); c.send(b"x" * 1000); keep.extend([s, c, a])
tcp(socket.AF_INET, "10.9.0.1", 2222); tcp(socket.AF_INET, "127.0.0.1", 8080); tcp(socket.AF_INET6, "fd00::1", 4433)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.9.0.1", 5353)); keep.append(u)
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(("::", 5354)); keep.append(u6)
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); keep.append(r)
x = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); x.bind(sys.argv[1] + "/ss.sock"); x.listen(); keep.append(x)
keep.append(socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM))
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003)); keep.append(p)
n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); n.bind((0, 1)); keep.append(n)
print("sockets ready", flush=True)
time.sleep(float(sys.argv[2]))
P
ip link set lo up
ip tuntap add t1 mode tap; ip link set t1 up
ip addr add 10.9.0.1/24 dev t1; ip -6 addr add fd00::1/64 dev t1 nodad; ip addr add 10.9.0.1/24 dev lo 2>/dev/null
python3 $T/socks.py $T 30 & P=$!; sleep 2
s() { echo "+ ss $*"; ss "$@" 2>&1; }
s -t -a -n; s -u -a -n; s -w -a -n; s -x -a; s -0 -a -n; s -l -n; s -4 -t -n; s -6 -t -n
s -t -n -e -m -o -i -p; s -t -n --tos --cgroup; s -t -n --inet-sockopt; s -t -n -b
s -t -a -n state established '( dport = :2222 or sport = :2222 )'
s -t -a -n state listening; s -t -n state connected dst 10.9.0.1/24; s -t -n 'sport >= :8000 and sport <= :9000'
s -t -n 'fwmark = 0x2a/0xff'; s -t -n 'cgroup = /'; s -t -n 'dev = t1' ; s -t -n -H exclude established
s -s; s -S -a 2>&1 | head -3; s -d -a; s --tipc -a; s --vsock -a; s --xdp -a; s -M -a; s -f netlink -a -n; s -A inet,unix -n -O
s -K dst 127.0.0.1 dport = :8080
s -t -n
(sleep 0.5; kill $P) & timeout 1.5 ss -E -n; echo "(ss -E ended)"
