#!/bin/sh
# The generic netlink families only the kernel's YNL specs describe (netdev, dpll, handshake,
# nfsd; nlscope has them built in from those specs), asked by the kernel's own YNL command
# line (tools/net/ynl/cli.py of linux-source-6.12, which tools/run-tests extracts into
# .cache/linux-6.12), each answer also printed by it as JSON (--output-json) into
# $OUT/ynl.NAME.json: the expected decoding.  A veth pair gives netdev devices (with XDP
# features) and queues to dump (Debian's kernels have no netdevsim: NAPI, page pool and
# statistics dumps come back empty, as the kernel answers them); `--subscribe mgmt` sees
# devices come and go.  On 6.1 none of these families exists: every question ends at
# nlctrl's ENOENT, recorded as such.  Not in all.sh: recorded with tools/vm.py, kept.
# Writes $OUT/ynl.pcap.
. "$(dirname "$0")/lib.sh"
YNL="$REPO/.cache/linux-6.12/tools/net/ynl/cli.py"
SPECS="$REPO/.cache/linux-6.12/Documentation/netlink/specs"
[ -f "$YNL" ] || { echo "no $YNL: run ./tools/run-tests once to extract it"; exit 1; }
for m in veth nfsd; do modprobe $m 2>/dev/null; done
ip link add ynl0 type veth peer name ynl1
ip link set ynl0 up && ip link set ynl1 up
ip -o link show | cut -d' ' -f1-2
# ynl NAME FAMILY ARGS…: one question, its JSON answer into $OUT/ynl.NAME.json
ynl() {
    n=$1; fam=$2; shift 2
    echo "+ ynl $fam $*"
    "$PYTHON" "$YNL" --no-schema --spec "$SPECS/$fam.yaml" --output-json "$@" > "$OUT/ynl.$n.json" 2>"$OUT/ynl.$n.err"
    echo "rc=$?"
    cat "$OUT/ynl.$n.json"; tail -1 "$OUT/ynl.$n.err"
}
capture_start ynl
IFX=$(cat /sys/class/net/ynl0/ifindex)
ynl dev-dump netdev --dump dev-get
ynl dev-do netdev --do dev-get --json "{\"ifindex\": $IFX}"
ynl dev-nodev netdev --do dev-get --json '{"ifindex": 99999}'
ynl queue-dump netdev --dump queue-get
ynl napi-dump netdev --dump napi-get
ynl page-pool-dump netdev --dump page-pool-get
ynl page-pool-stats netdev --dump page-pool-stats-get
ynl qstats-dump netdev --dump qstats-get
ynl qstats-queues netdev --dump qstats-get --json '{"scope": "queue"}'
# devices added and deleted while subscribed to netdev's mgmt group: DEV_ADD/DEL_NTF (a
# Python start under emulation takes seconds: the changes come over 30 s, some after it listens)
( for i in 1 2 3 4; do sleep 6; ip link add ynl2 type veth peer name ynl3; sleep 1; ip link del ynl2; done ) &
CHANGES=$!
ynl mgmt netdev --subscribe mgmt --sleep 32
wait $CHANGES
ynl dpll-devices dpll --dump device-get
ynl dpll-pins dpll --dump pin-get
ynl dpll-nodev dpll --do device-get --json '{"id": 1}'
ynl handshake-accept handshake --do accept --json '{"handler-class": "tlshd"}'
ynl nfsd-rpc nfsd --dump rpc-status-get
ynl nfsd-threads nfsd --do threads-get
ynl nfsd-version nfsd --do version-get
ynl nfsd-listener nfsd --do listener-get
ynl nfsd-pool-mode nfsd --do pool-mode-get
capture_stop
ip link del ynl0
