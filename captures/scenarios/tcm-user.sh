#!/bin/sh
# TCM-USER: the kernel's SCSI target (LIO) with user-space backstores, served by tcmu-runner
# (Debian's tcmu-runner 1.5.4) over generic netlink family TCM-USER.  The daemon says it
# replies (SET_FEATURES); then every backstore enabled makes the kernel multicast
# ADDED_DEVICE on group "config" (the UIO name tcm-user/<hba>/<name>/<config>, its minor, the
# device index) and wait for ADDED_DEVICE_DONE (the daemon's status: 0, or a negative errno);
# a change of dev_config, dev_size or emulate_write_cache of an enabled backstore makes a
# RECONFIG_DEVICE (the handlers here take none: -EOPNOTSUPP), removing one a REMOVED_DEVICE.
# Backstores made by targetcli (targetcli-fb, which finds tcmu-runner's handlers over D-Bus:
# a system bus of the guest's own is started) and by hand in configfs as targetcli does it
# (qcow and fbo handlers); one whose image does not exist, which the daemon refuses.  Each
# backstore's configfs info and tcmu-runner's own log are printed, so the test compares the
# decode with them.  Needs tcmu-runner, targetcli-fb, qemu-img and dbus-daemon on the host.
# Not in all.sh: recorded on 6.1 and 6.12 with tools/vm.py.  Writes $OUT/tcm-user.pcap.
. "$(dirname "$0")/lib.sh"
RUN=/tmp/nlscope-tcmu
mkdir -p "$RUN" 2>/dev/null || RUN=/run/nlscope-tcmu
mkdir -p "$RUN/log" "$RUN/home" /run/dbus
modprobe target_core_user
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
CORE=/sys/kernel/config/target/core
run qemu-img create -f qcow2 "$RUN/disk0.qcow2" 16M
run qemu-img create -f qcow2 "$RUN/disk1.qcow2" 32M
run dd if=/dev/zero of="$RUN/cd0.iso" bs=1M count=4 status=none
# the guest's own system bus (the host's /etc/dbus-1 config, its socket in /run/dbus)
run dbus-daemon --system --fork --nopidfile
run tcmu-runner -V

capture_start tcm-user
tcmu-runner -d -l "$RUN/log" > "$RUN/runner.out" 2>&1 &
RUNNER=$!
# its handlers registered and its name on the bus
waitfor "$RUN/log/tcmu-runner.log" "runner handlers found" 150
sleep 1
# targetcli's preferences in a home of its own, nothing saved to /etc/target at exit
export HOME="$RUN/home"
run targetcli set global auto_save_on_exit=false
run targetcli /backstores/user:qcow create name=disk1 size=32M cfgstring="$RUN/disk1.qcow2"
run targetcli ls /backstores
run cat $CORE/user_*/disk1/info
# what targetcli does, by hand: backstore NAME CONFIG SIZE makes user_1/NAME and enables it
backstore() {
    mkdir -p "$CORE/user_1/$1"
    echo -n "dev_config=$2" > "$CORE/user_1/$1/control"
    echo -n "dev_size=$3" > "$CORE/user_1/$1/control"
    echo 1 > "$CORE/user_1/$1/enable"; echo "enable $1 rc=$?"
}
# a qcow backstore...
D0=$CORE/user_1/disk0
backstore disk0 "qcow/$RUN/disk0.qcow2" 16777216
run cat $D0/info
# ... changed while enabled: each change is a RECONFIG_DEVICE the qcow handler refuses
run sh -c "echo -n qcow/$RUN/disk0.qcow2 > $D0/attrib/dev_config"
run sh -c "echo -n 33554432 > $D0/attrib/dev_size"
run sh -c "echo 1 > $D0/attrib/emulate_write_cache"
# a file-backed optical drive (the fbo handler)
C0=$CORE/user_1/cd0
backstore cd0 "fbo/$RUN/cd0.iso" 4194304
run cat $C0/info
# an image that does not exist: the daemon answers ADDED_DEVICE with an errno
M0=$CORE/user_1/missing0
backstore missing0 "qcow/$RUN/missing0.qcow2" 16777216
rmdir $M0
# removals: by hand and by targetcli
rmdir $C0; echo "rmdir cd0 rc=$?"
rmdir $D0; echo "rmdir disk0 rc=$?"
run targetcli /backstores/user:qcow delete disk1
sleep 1
kill "$RUNNER"; wait "$RUNNER"
capture_stop
run cat "$RUN/runner.out"
run grep -E "handle_netlink|reconfig|dev_added|dev_removed|failed|error|Updated cfgstring|block_size" "$RUN/log/tcmu-runner.log"
