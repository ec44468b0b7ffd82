#!/bin/sh
# SEG6 (`ip sr`) on the host's 6.18 kernel, in a private network namespace: the tunnel source
# address (SEG6_CMD_SET_TUNSRC/GET_TUNSRC) and HMAC keys (SEG6_CMD_SETHMAC with a secret read from
# a terminal, given through script(1); SEG6_CMD_DUMPHMAC; a blank secret deletes the key).
# Recorded with strace (no nlmon in a container); writes genl-seg6.pcapng and genl-seg6.log
# (what ip printed).  As root: sh captures/host-6.18/genl-seg6.sh
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
TMP="$(mktemp -d)"
cat > "$TMP/run.sh" <<'SH'
ip link set lo up
ip addr add 2001:db8::1/64 dev lo nodad
run() { echo "\$ $*"; "$@" || echo "(exit status $?)"; }
run ip sr tunsrc show
run ip sr tunsrc set 2001:db8::1
run ip sr tunsrc show
run ip sr hmac show
# ip reads the secret with getpass(3), which flushes what was typed before it asked
(sleep 0.5; echo s3cr3tpassword) | script -qc "ip sr hmac set 42 sha256" /dev/null >/dev/null
(sleep 0.5; echo 0123456789abcdef0123456789abcdef) | script -qc "ip sr hmac set 7 sha1" /dev/null >/dev/null
run ip sr hmac show
(sleep 0.5; echo) | script -qc "ip sr hmac set 7 sha1" /dev/null >/dev/null
run ip sr hmac show
(sleep 0.5; echo) | script -qc "ip sr hmac set 9 sha1" /dev/null >/dev/null
run ip sr tunsrc set ::
run ip sr tunsrc show
SH
unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o "$TMP/s.strace" \
    sh "$TMP/run.sh" "$TMP" > "$HERE/genl-seg6.log" 2>&1
python3 "$HERE/../../tools/strace2pcap.py" "$TMP/s.strace" "$HERE/genl-seg6.pcapng"
rm -rf "$TMP"
