#!/bin/sh
# ksmbd, the kernel's SMB server, and its user-space daemon ksmbd.mountd (Debian's ksmbd-tools)
# talking over generic netlink family SMBD_GENL: the daemon's STARTING_UP (the global section:
# tcp port, netbios name, work group, the interfaces it binds), then what smbclient's sessions
# make the kernel ask — LOGIN_REQUEST (the account: the daemon answers with its password hash),
# SHARE_CONFIG_REQUEST (a share's flags, masks, veto list and path), TREE_CONNECT_REQUEST (who
# from where), RPC_REQUEST (srvsvc over IPC$ for the share list), TREE_DISCONNECT and
# LOGOUT_REQUEST — and the kernel's HEARTBEAT_REQUESTs (ipc timeout = 2 s).  smbclient lists the
# shares, logs in to nlsshare (ls, put, get), logs in with a wrong password, asks a share that
# does not exist, and logs in as a user nobody added; ksmbd.control -s stops both.  Every
# config and database is in a tmpfs of the guest ($RUN) and printed here, so the test compares
# the decode with what the tools were given and printed.  On 6.1 (6.1.0-57) the kernel refuses
# ksmbd-tools 3.4.7's share configs (payload_sz 0), so no tree connect gets through there.
# Needs ksmbd-tools and smbclient on the host.  Not in all.sh: recorded on 6.1 and 6.12 with
# tools/vm.py.  Writes $OUT/ksmbd.pcap.
. "$(dirname "$0")/lib.sh"
RUN=/tmp/nlscope-ksmbd
mkdir -p "$RUN" 2>/dev/null || RUN=/run/nlscope-ksmbd
mkdir -p "$RUN/share" "$RUN/samba" "$RUN/samba/private" "$RUN/samba/cache" "$RUN/samba/lock"
CONF=$RUN/ksmbd.conf
PWDDB=$RUN/ksmbdpwd.db
# smbclient's own state in the tmpfs too (the guest's /var is the host's, read-only)
cat > "$RUN/smb.conf" <<EOF
[global]
    lock directory = $RUN/samba/lock
    state directory = $RUN/samba
    cache directory = $RUN/samba/cache
    private dir = $RUN/samba/private
    ncalrpc dir = $RUN/samba/ncalrpc
    client min protocol = SMB2
EOF
cat > "$CONF" <<EOF
[global]
    netbios name = NLSCOPE
    workgroup = NLSGROUP
    server string = nlscope ksmbd scenario
    tcp port = 445
    ipc timeout = 2
    bind interfaces only = yes
    interfaces = lo
    map to guest = never
[nlsshare]
    path = $RUN/share
    writeable = yes
    veto files = /*.tmp/secret*/
    comment = nlscope share
EOF
echo "hello from nlscope" > "$RUN/hello.txt"
echo "kept out" > "$RUN/share/secret.txt"
# nlsuser is no account of the guest: ksmbd creates its files as the uid the daemon gave it
chmod 0777 "$RUN/share"
ip link set lo up
modprobe ksmbd
run ksmbd.mountd -V
run cat "$CONF"
run ksmbd.adduser -a nlsuser -p nlspass1 -i "$PWDDB" -c "$CONF"
run cat "$PWDDB"
SMB="smbclient -s $RUN/smb.conf"

capture_start ksmbd
# -n: in the foreground (its log on stderr), -v: verbose; the manager forks the worker that talks
# to the kernel
ksmbd.mountd -n -v -c "$CONF" -u "$PWDDB" > "$OUT/ksmbd.mountd.log" 2>&1 &
MOUNTD=$!
# the kernel's listener on port 445 once STARTING_UP was taken
i=0
while ! grep -q ':01BD ' /proc/net/tcp /proc/net/tcp6 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
run ksmbd.control -c
run cat /sys/class/ksmbd-control/stats
run $SMB -L //127.0.0.1 -U nlsuser%nlspass1
run $SMB //127.0.0.1/nlsshare -U nlsuser%nlspass1 -c "ls; put $RUN/hello.txt hello.txt; get hello.txt $RUN/hello.back; ls"
run cat "$RUN/hello.back"
run $SMB //127.0.0.1/nlsshare -U nlsuser%wrongpass -c ls
run $SMB //127.0.0.1/nosuchshare -U nlsuser%nlspass1 -c ls
run $SMB //127.0.0.1/nlsshare -U nosuchuser%nlspass1 -c ls
# idle beyond the ipc timeout: the kernel's heartbeats
sleep 5
run ksmbd.control -s
i=0
while kill -0 "$MOUNTD" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
capture_stop
echo "=== ksmbd.mountd's log"
cat "$OUT/ksmbd.mountd.log"
echo "=== dmesg"
dmesg | grep 'ksmbd: '
