#!/bin/sh
# tcp_metrics (`ip tcp_metrics`) on the host's 6.18 kernel, in a private network namespace:
# three TCP connections over lo (10.9.0.1, 127.0.0.1, 2001:db8::1) leave their metrics, then
# show (a dump), show one address (a GET), delete one, flush all.  Recorded with strace (no
# nlmon in a container); writes genl-tcp_metrics.pcapng and genl-tcp_metrics.log (what ip printed).
# As root: sh captures/host-6.18/genl-tcp_metrics.sh
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
TMP="$(mktemp -d)"
cat > "$TMP/tcp.py" <<'PY'
import socket, sys
# a graceful exchange each way, so that both ends close cleanly and save their metrics
for addr in sys.argv[1:]:
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam); s.bind((addr, 0)); s.listen()
    c = socket.socket(fam); c.connect((addr, s.getsockname()[1])); a, _ = s.accept()
    c.sendall(b"x" * 200000); c.shutdown(socket.SHUT_WR)
    while a.recv(65536): pass
    a.sendall(b"y" * 1000); a.shutdown(socket.SHUT_WR)
    while c.recv(65536): pass
    c.close(); a.close(); s.close()
PY
cat > "$TMP/run.sh" <<'SH'
ip link set lo up
ip addr add 10.9.0.1/24 dev lo
ip addr add 2001:db8::1/64 dev lo nodad
python3 "$1/tcp.py" 10.9.0.1 127.0.0.1 2001:db8::1
for cmd in "tcp_metrics show" "tcp_metrics show 10.9.0.1" "tcp_metrics delete 10.9.0.1" "-6 tcp_metrics show" \
           "tcp_metrics flush all" "tcp_metrics show"; do
    echo "\$ ip $cmd"; ip $cmd
done
SH
unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o "$TMP/s.strace" \
    sh "$TMP/run.sh" "$TMP" > "$HERE/genl-tcp_metrics.log" 2>&1
python3 "$HERE/../../tools/strace2pcap.py" "$TMP/s.strace" "$HERE/genl-tcp_metrics.pcapng"
rm -rf "$TMP"
