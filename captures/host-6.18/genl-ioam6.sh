#!/bin/sh
# IOAM6 (`ip ioam`) on the host's 6.18 kernel, in a private network namespace: namespaces with
# data and wide data, schemas, the link between them, an error (a namespace added twice) and
# the deletions.  Recorded with strace (no nlmon in a container); writes genl-ioam6.pcapng and
# genl-ioam6.log (what ip printed).  As root: sh captures/host-6.18/genl-ioam6.sh
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
TMP="$(mktemp -d)"
cat > "$TMP/run.sh" <<'SH'
ip link set lo up
ip addr add 2001:db8::1/64 dev lo nodad
run() { echo "\$ $*"; "$@" || echo "(exit status $?)"; }
run ip ioam namespace show
run ip ioam namespace add 1 data 0xdeadbeef wide 0x1122334455667788
run ip ioam namespace add 2
run ip ioam namespace add 3 data 7
run ip ioam namespace add 1
run ip ioam namespace show
run ip ioam schema add 7 "hello"
run ip ioam schema add 8 "abcdefgh01"
run ip ioam schema show
run ip ioam namespace set 1 schema 7
run ip ioam namespace set 3 schema 8
run ip ioam namespace set 2 schema 99
run ip ioam namespace show
run ip ioam schema show
run ip ioam namespace set 1 schema none
run ip ioam schema del 7
run ip ioam schema del 7
run ip ioam namespace del 2
run ip ioam namespace show
run ip ioam schema show
SH
unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o "$TMP/s.strace" \
    sh "$TMP/run.sh" "$TMP" > "$HERE/genl-ioam6.log" 2>&1
python3 "$HERE/../../tools/strace2pcap.py" "$TMP/s.strace" "$HERE/genl-ioam6.pcapng"
rm -rf "$TMP"
