#!/bin/sh
# DRBD 8.4, the kernel's block replication driver (drivers/block/drbd), configured over generic
# netlink family "drbd" by drbd-utils' 8.4 drbdsetup (/lib/drbd/drbdsetup-84).  Two resources on
# the one guest replicate to each other over the loopback: r0 (minor 0, its meta data external on
# a loop device of its own) and r1 (minor 1, internal meta data), each on loop devices over files
# in a tmpfs.  drbdsetup makes every request of a life: new-resource, new-minor, attach (disk
# options), resource-options (--set-defaults too), disk-options, connect (net options, a shared
# secret), primary --force (a full sync, r0 SyncSource, r1 SyncTarget), status, show, the get-gi
# family, verify (online verify), pause/resume-sync, suspend/resume-io, invalidate-remote,
# net-options, resize, secondary, outdate, invalidate, disconnect, detach, del-minor,
# del-resource, down; show and resource-options as user nobody (the status without the shared
# secret; EPERM); and what the kernel refuses (a minor of another resource, nothing up to date,
# two primaries, a new current UUID while connected, a sync pause already cleared, a minor nobody
# made, an unknown resource, a resource still connected).  events2 and events listen to the
# "events" group all along (each notification is tapped once per listener, three times while a
# wait-* command listens too); events2 --now dumps the initial state.  The usermode helper is
# /bin/true (modprobe usermode_helper=): each resync's before-resync-target/-source helper then
# returns 0 (drbdadm, the default, would refuse and the kernel would drop the connection).  Not
# in all.sh: recorded on 6.1 and 6.12 with tools/vm.py.  Writes $OUT/drbd.pcap.
. "$(dirname "$0")/lib.sh"
RUN=/tmp/nlscope-drbd
mkdir -p "$RUN" 2>/dev/null || RUN=/run/nlscope-drbd
mkdir -p "$RUN"
S=/lib/drbd/drbdsetup-84
ip link set lo up
ip addr add 127.0.0.2/8 dev lo 2>/dev/null
run modprobe drbd usermode_helper=/bin/true
run cat /proc/drbd
run cat /sys/module/drbd/parameters/usermode_helper
modprobe loop
# backing files: r0 8 MiB data + 4 MiB external meta data, r1 9 MiB with internal meta data
truncate -s 8M "$RUN/r0.img"
truncate -s 4M "$RUN/r0.md"
truncate -s 9M "$RUN/r1.img"
D0=$(losetup -f --show "$RUN/r0.img")
M0=$(losetup -f --show "$RUN/r0.md")
D1=$(losetup -f --show "$RUN/r1.img")
echo "loops: r0 data $D0 meta $M0, r1 $D1"
run drbdmeta --force /dev/drbd0 v08 "$M0" flex-external create-md
run drbdmeta --force /dev/drbd1 v08 "$D1" internal create-md

capture_start drbd
$S events2 all --timestamps --statistics > "$OUT/drbd.events2.log" 2>&1 &
EV2=$!
$S events all > "$OUT/drbd.events.log" 2>&1 &
EV1=$!
sleep 1
run $S new-resource r0 --cpu-mask 1 --on-no-data-accessible io-error
run $S new-minor r0 0 0
run $S new-resource r1
run $S new-minor r1 1 0
# refused: minor 1 is r1's
run $S new-minor r0 1 1
run $S attach 0 "$D0" "$M0" flexible --on-io-error detach --resync-rate 40M --c-plan-ahead 0 --al-extents 257 \
    --disk-flushes=no --md-flushes=no
run $S attach 1 "$D1" "$D1" internal --resync-rate 40M --c-plan-ahead 0 --disk-timeout 0
# drbdsetup refuses it itself, sending nothing: a file is no block device
run $S attach 2 "$RUN/r0.img" internal internal
run $S resource-options r1 --on-no-data-accessible suspend-io --cpu-mask 0
run $S disk-options 1 --al-extents 509 --read-balancing least-pending
run $S connect r0 ipv4:127.0.0.1:7788 ipv4:127.0.0.2:7788 --protocol C --cram-hmac-alg sha1 \
    --shared-secret nlsSecret84 --verify-alg crc32c --ping-timeout 20 --max-buffers 4000 \
    --after-sb-0pri discard-zero-changes
run $S connect r1 ipv4:127.0.0.2:7788 ipv4:127.0.0.1:7788 --protocol C --cram-hmac-alg sha1 \
    --shared-secret nlsSecret84 --verify-alg crc32c --ping-timeout 20 --after-sb-0pri discard-zero-changes
run $S wait-connect 0 --wfc-timeout 60
waitfor "$OUT/drbd.events2.log" "peer-device name:r1 .*replication:Established" 300
run $S cstate 0
run $S dstate 0
# refused: nothing is up to date yet
run $S primary 1
run $S primary 0 --force
waitfor "$OUT/drbd.events2.log" "peer-device name:r1 .*replication:SyncTarget" 150
run $S status r0 --verbose --statistics
run $S wait-sync 1 --wfc-timeout 120
waitfor "$OUT/drbd.events2.log" "peer-device name:r0 .*replication:Established peer-disk:UpToDate" 300
run $S status all --verbose --statistics
run $S show 0
run $S show all
run $S sh-status 1
run $S role 0
run $S state 1
run $S get-gi 0
run $S show-gi 1
run $S check-resize 1
# refused: r0 is primary, r1 cannot be without allow-two-primaries
run $S primary 1
run $S verify 0 --start 0 --stop 4096
waitfor "$OUT/drbd.events2.log" "replication:VerifyS" 100
run $S wait-sync 0 --wfc-timeout 60
sleep 1
run $S new-current-uuid 0
run $S pause-sync 1
run $S resume-sync 1
# refused: no sync is paused by the user now
run $S resume-sync 1
run $S suspend-io 0
run $S resume-io 0
run $S invalidate-remote 0
run $S wait-sync 1 --wfc-timeout 120
sleep 1
run $S net-options ipv4:127.0.0.1:7788 ipv4:127.0.0.2:7788 --ping-int 7 --ko-count 5
# DRBD_GENL_F_SET_DEFAULTS: what is not given goes back to its default
run $S resource-options r0 --set-defaults --cpu-mask 1
# as nobody: the status is anyone's (without the shared secret: DRBD_F_SENSITIVE), a role
# change is not (GENL_ADMIN_PERM: EPERM; a resource's, as minors are locked in /var/lock first)
run setpriv --reuid=65534 --regid=65534 --clear-groups $S show 0
run setpriv --reuid=65534 --regid=65534 --clear-groups $S resource-options r0 --cpu-mask 1
run $S resize 0 --size 6M
run $S resize 0
run $S primary 0
run $S secondary 0
run $S outdate 1
run $S events2 all --now --statistics
# refused: a minor nobody made, a resource nobody made
run $S primary 9
run $S resource-options nosuch --cpu-mask 1
run $S disconnect ipv4:127.0.0.1:7788 ipv4:127.0.0.2:7788
run $S invalidate 0
run $S outdate 1
run $S detach 1
run $S detach 0 --force
# refused: r1 still has its connection
run $S del-resource r1
run $S del-minor 1
run $S disconnect ipv4:127.0.0.2:7788 ipv4:127.0.0.1:7788
run $S del-resource r1
run $S down r0
run $S status all
sleep 1
kill "$EV2" "$EV1"
wait "$EV2" "$EV1" 2>/dev/null
capture_stop
echo "=== events2 all --timestamps --statistics (its output)"
cat "$OUT/drbd.events2.log"
echo "=== events all (its output)"
cat "$OUT/drbd.events.log"
echo "=== dmesg"
dmesg | grep -i 'drbd' | tail -200
losetup -d "$D0" "$M0" "$D1"
