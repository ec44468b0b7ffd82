#!/bin/sh
# Real daemons that speak netlink (issue 17), each with the commands that show what it did:
#   keepalived  two VRRP instances on a veth (one MASTER with virtual addresses, routes and a
#               rule, one BACKUP on a macvlan VMAC) and three virtual servers (IPVS: IPv4 NAT,
#               IPv6 DR, a fwmark one over a tunnel), listed by ipvsadm while it runs;
#   ipvsadm     services and destinations added, edited, listed (-L -n, --stats, --rate,
#               --exact, --timeout), zeroed and deleted, the timeouts set, a sync daemon
#               started and stopped, the kernel's refusals (a service added twice, one that
#               is not there);
#   bonding     an 802.3ad bond and an active-backup one with ARP and NS targets, options
#               changed with ip and through /sys, ip -d link show of bonds and their ports;
#   teamd       an activebackup team with two ports, its options and ports through teamnl,
#               a port removed and added with teamdctl, an option set;
#   bird        BIRD 2's device, direct, static and kernel protocols: IPv4 and IPv6 static
#               routes (unicast, multipath with weights, blackhole, unreachable, prohibit,
#               with kernel metric/prefsrc/realm/mtu) exported to the kernel, a kernel route
#               learnt, a protocol disabled and enabled;
#   radvd       router advertisements on a veth whose other end accepts them (the prefix,
#               route information, RDNSS: the kernel's RTM_NEWPREFIX, RA routes, addresses).
#   strongswan  two charon daemons (this namespace's and a peer in its own) making an IKEv2
#               SA with a tunnel and a transport CHILD_SA, one rekeyed, all terminated: the
#               SAs and policies charon installs through NETLINK_XFRM, `ip xfrm state|policy`
#               listing them (keys left out of the log).
# `ip monitor all` listens throughout, so the kernel's notifications reach nlmon too.  Every
# daemon's state files are in a tmpfs of the guest ($RUN).  Not in all.sh (CI time): recorded
# with tools/vm.py on 6.1 and 6.12.  Writes $OUT/daemons.pcap.
. "$(dirname "$0")/lib.sh"
RUN=/tmp/nlscope-daemons
mkdir -p "$RUN" 2>/dev/null || RUN=/run/nlscope-daemons
mkdir -p "$RUN"
mkdir -p /run/teamd 2>/dev/null
# stop PIDFILE: SIGTERM, and wait for the daemon's teardown to end
stop() {
    pid=$(cat "$1" 2>/dev/null) || return 0
    kill "$pid"
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done
}
modprobe ip_vs
modprobe bonding max_bonds=0
modprobe team
modprobe dummy numdummies=0

capture_start daemons
ip -ts monitor all > "$OUT/daemons-monitor.log" 2>&1 &
MON_PID=$!
sleep 0.5

echo "### keepalived"
run ip link add kv0 type veth peer name kv1
run ip addr add 192.168.50.1/24 dev kv0
run ip addr add 2001:db8:50::1/64 dev kv0 nodad
run ip link set kv0 up
run ip link set kv1 up
cat > "$OUT/keepalived.conf" <<EOF
global_defs {
    router_id nlscope
    vrrp_garp_master_repeat 1
    enable_script_security
}
vrrp_instance VI_1 {
    state MASTER
    interface kv0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.168.50.100/24 dev kv0 label kv0:vip
    }
    virtual_ipaddress_excluded {
        2001:db8:50::100/64 dev kv0
    }
    virtual_routes {
        10.50.0.0/16 via 192.168.50.2 dev kv0 metric 50
        blackhole 10.52.0.0/16 no_track
    }
    virtual_rules {
        from 10.51.0.0/16 table 100 priority 1000
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface kv0
    virtual_router_id 52
    priority 100
    advert_int 1
    use_vmac vrrp.52
    virtual_ipaddress {
        192.168.50.200/24
    }
}
virtual_server 192.168.50.100 80 {
    delay_loop 6
    lb_algo wrr
    lb_kind NAT
    persistence_timeout 300
    protocol TCP
    real_server 192.168.50.2 8080 {
        weight 1
    }
    real_server 192.168.50.3 8080 {
        weight 3
    }
}
virtual_server 2001:db8:50::100 443 {
    lb_algo sh
    lb_kind DR
    protocol TCP
    real_server 2001:db8:50::2 443 {
        weight 2
    }
}
virtual_server fwmark 7 {
    lb_algo lc
    lb_kind TUN
    real_server 192.168.50.4 0 {
        weight 1
    }
}
EOF
# its log (-l: to the console) in a file of its own, not amid the commands' output
echo "+ keepalived -f $OUT/keepalived.conf"
keepalived -f "$OUT/keepalived.conf" -l -D -p "$RUN/keepalived.pid" -r "$RUN/vrrp.pid" \
    -c "$RUN/checkers.pid" -b "$RUN/bfd.pid" > "$OUT/daemons-keepalived.log" 2>&1
echo "rc=$?"
i=0
while ! ip addr show dev kv0 | grep -q 192.168.50.100 && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done
sleep 2
run ip -d link show vrrp.52
run ip addr show dev kv0
run ip route show 10.50.0.0/16
run ip route show 10.52.0.0/16
run ip rule show priority 1000
run ipvsadm -L -n
run ipvsadm -L -n --stats
run ipvsadm -L -n --rate
run ipvsadm -L -n --exact
run ipvsadm -L --timeout
run ipvsadm -S -n
stop "$RUN/keepalived.pid"
run ipvsadm -L -n
run ip addr show dev kv0

echo "### ipvsadm"
run ipvsadm --version
run ipvsadm -A -t 10.60.0.1:80 -s rr
run ipvsadm -a -t 10.60.0.1:80 -r 10.60.1.2:8080 -m -w 2
run ipvsadm -a -t 10.60.0.1:80 -r 10.60.1.3:8080 -m -w 5 -x 100 -y 10
run ipvsadm -A -u 10.60.0.1:53 -s wlc -p 60 -M 255.255.255.0
run ipvsadm -a -u 10.60.0.1:53 -r 10.60.1.4 -g
run ipvsadm -A -t [2001:db8:60::1]:443 -s sh -b sh-port,sh-fallback
run ipvsadm -a -t [2001:db8:60::1]:443 -r [2001:db8:60::2]:443 -i
run ipvsadm -A -f 9 -s lc
run ipvsadm -a -f 9 -r 10.60.1.5 -m
run ipvsadm -L -n
run ipvsadm -L -n --stats
run ipvsadm -L -n --rate
run ipvsadm -E -t 10.60.0.1:80 -s wrr
run ipvsadm -e -t 10.60.0.1:80 -r 10.60.1.2:8080 -m -w 7
run ipvsadm -L -n -t 10.60.0.1:80
run ipvsadm -Z -t 10.60.0.1:80
run ipvsadm -Z
run ipvsadm --set 900 120 300
run ipvsadm -L --timeout
run ipvsadm --start-daemon master --mcast-interface kv0 --syncid 5
run ipvsadm -L --daemon
run ipvsadm --stop-daemon master
run ipvsadm -L --daemon
run ipvsadm -A -t 10.60.0.1:80 -s rr
run ipvsadm -D -t 10.60.0.9:80
run ipvsadm -d -t 10.60.0.1:80 -r 10.60.1.9:8080
run ipvsadm -S -n
run ipvsadm -d -t 10.60.0.1:80 -r 10.60.1.3:8080
run ipvsadm -D -t 10.60.0.1:80
run ipvsadm -D -u 10.60.0.1:53
run ipvsadm -C
run ipvsadm -L -n
run ip link del kv0

echo "### bonding"
run ip link add bd0 type bond mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy layer3+4 \
    ad_select bandwidth ad_actor_sys_prio 100 ad_user_port_key 5 ad_actor_system 02:00:00:00:00:10 min_links 1
run ip link add bd0a type dummy
run ip link add bd0b type dummy
run ip link set bd0a master bd0
run ip link set bd0b master bd0
run ip link set bd0 up
run ip -d link show bd0
run ip -d link show bd0a
run cat /proc/net/bonding/bd0
run ip link set bd0 type bond miimon 200 updelay 400 downdelay 200
# lacp_rate and xmit_hash_policy through /sys: the bond down first (lacp_rate is refused while up)
run ip link set bd0 down
echo slow > /sys/class/net/bd0/bonding/lacp_rate
echo "+ echo slow > /sys/class/net/bd0/bonding/lacp_rate"
echo layer2+3 > /sys/class/net/bd0/bonding/xmit_hash_policy
echo "+ echo layer2+3 > /sys/class/net/bd0/bonding/xmit_hash_policy"
run ip link set bd0 up
run ip -d link show bd0
run ip link add bd1 type bond mode active-backup arp_interval 1000 arp_ip_target 10.61.0.1,10.61.0.2 \
    arp_validate all arp_all_targets all primary_reselect better fail_over_mac active num_grat_arp 3 \
    resend_igmp 2 ns_ip6_target 2001:db8:61::1
run ip link add bd1a type dummy
run ip link add bd1b type dummy
run ip link set bd1a master bd1
run ip link set bd1b master bd1
run ip link set bd1 type bond primary bd1b
run ip link set bd1a type bond_slave queue_id 2
echo +10.61.0.3 > /sys/class/net/bd1/bonding/arp_ip_target
echo "+ echo +10.61.0.3 > /sys/class/net/bd1/bonding/arp_ip_target"
run ip link set bd1 up
run ip -d link show bd1
run ip -d link show bd1a
run ip link add bd2 type bond mode balance-tlb tlb_dynamic_lb 0 lp_interval 2
run ip link add bd3 type bond mode balance-rr packets_per_slave 3 all_slaves_active 1
run ip -d link show bd2
run ip -d link show bd3
run ip -d link show type bond_slave
run ip link set bd1a nomaster
run ip link del bd0
run ip link del bd1
run ip link del bd2
run ip link del bd3
run ip link del bd0a
run ip link del bd0b
run ip link del bd1a
run ip link del bd1b

echo "### teamd"
run ip link add tm0a type dummy
run ip link add tm0b type dummy
run teamd -d -t tm0 -p "$RUN/teamd.pid" -c \
    '{"runner": {"name": "activebackup"}, "link_watch": {"name": "ethtool"}, "ports": {"tm0a": {"prio": 10}, "tm0b": {"prio": 5}}}'
i=0
while ! teamdctl tm0 state >/dev/null 2>&1 && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
run ip link set tm0 up
sleep 1
run teamdctl tm0 state
run teamnl tm0 options
run teamnl tm0 ports
run teamnl tm0 getoption mode
run teamnl tm0 setoption mcast_rejoin_count 3
run teamnl tm0 getoption mcast_rejoin_count
run teamdctl tm0 port remove tm0b
run teamnl tm0 ports
run teamdctl tm0 port add tm0b
run teamnl tm0 ports
run ip -d link show tm0
run teamd -t tm0 -p "$RUN/teamd.pid" -k
i=0
while ip link show tm0 >/dev/null 2>&1 && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
run ip link del tm0a
run ip link del tm0b

echo "### bird"
run ip link add bv0 type veth peer name bv1
run ip addr add 10.69.0.1/24 dev bv0
run ip addr add 2001:db8:69::1/64 dev bv0 nodad
run ip link set bv0 up
run ip link set bv1 up
cat > "$OUT/bird.conf" <<EOF
log "$OUT/daemons-bird.log" all;
router id 10.69.0.1;
protocol device { scan time 10; }
protocol direct { ipv4; ipv6; interface "bv0"; }
protocol kernel k4 {
    ipv4 { import all; export all; };
    learn;
    merge paths on;
    scan time 20;
}
protocol kernel k6 {
    ipv6 { import none; export all; };
    kernel table 200;
}
protocol static s4 {
    ipv4;
    route 10.70.1.0/24 via 10.69.0.2;
    route 10.70.2.0/24 blackhole;
    route 10.70.3.0/24 unreachable;
    route 10.70.4.0/24 prohibit;
    route 10.70.5.0/24 via 10.69.0.2 weight 1 via 10.69.0.3 weight 3;
    route 10.70.6.0/24 via 10.69.0.2 { krt_metric = 77; krt_prefsrc = 10.69.0.1; krt_realm = 5; krt_mtu = 1400; };
    route 10.70.7.0/24 via "bv0";
}
protocol static s6 {
    ipv6;
    route 2001:db8:70::/48 via 2001:db8:69::2;
    route 2001:db8:71::/48 blackhole;
}
EOF
run ip route add 10.72.0.0/24 via 10.69.0.2 proto static
run bird -c "$OUT/bird.conf" -s "$RUN/bird.ctl" -P "$RUN/bird.pid"
i=0
while ! ip route show 10.70.6.0/24 | grep -q bird && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done
sleep 1
run birdc -s "$RUN/bird.ctl" show protocols
run birdc -s "$RUN/bird.ctl" show route
run birdc -s "$RUN/bird.ctl" show route all 10.70.6.0/24
run ip route show proto bird
run ip -6 route show table 200
run ip -d route show 10.70.6.0/24
run birdc -s "$RUN/bird.ctl" disable s4
sleep 1
run ip route show proto bird
run birdc -s "$RUN/bird.ctl" enable s4
i=0
while ! ip route show 10.70.1.0/24 | grep -q bird && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done
run ip route show proto bird
run birdc -s "$RUN/bird.ctl" down
i=0
while kill -0 "$(cat "$RUN/bird.pid")" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
run ip route show proto bird
run ip link del bv0

echo "### radvd"
run ip link add rv0 type veth peer name rv1
run sysctl -w net.ipv6.conf.all.forwarding=1
run sysctl -w net.ipv6.conf.rv1.accept_ra=2
run sysctl -w net.ipv6.conf.rv1.accept_ra_rt_info_max_plen=64
run ip link set rv0 up
run ip link set rv1 up
cat > "$OUT/radvd.conf" <<EOF
interface rv0 {
    AdvSendAdvert on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 4;
    AdvDefaultLifetime 600;
    AdvLinkMTU 1400;
    prefix 2001:db8:80::/64 {
        AdvOnLink on;
        AdvAutonomous on;
        AdvValidLifetime 3600;
        AdvPreferredLifetime 1800;
    };
    route 2001:db8:81::/48 {
        AdvRoutePreference high;
        AdvRouteLifetime 900;
    };
    RDNSS 2001:db8:80::53 {
        AdvRDNSSLifetime 600;
    };
};
EOF
# the veth's link-local addresses must be there (DAD) before radvd can send
sleep 3
radvd -C "$OUT/radvd.conf" -p "$RUN/radvd.pid" -m logfile -l "$OUT/daemons-radvd.log" -d 1
echo "+ radvd -C $OUT/radvd.conf"
i=0
while ! ip -6 addr show dev rv1 | grep -q 2001:db8:80: && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
sleep 1
run ip -6 addr show dev rv1
run ip -6 route show dev rv1
run ip -6 neigh show dev rv1
stop "$RUN/radvd.pid"
run sysctl -w net.ipv6.conf.all.forwarding=0
run ip link del rv0

echo "### strongswan"
# two charon daemons, an IKEv2 SA between them: this one in the capture's namespace, its peer
# in a namespace of its own (its netlink is not seen: netlink taps are per namespace), with
# /run a tmpfs of its own there (charon's pid file has a fixed place)
run ip netns add ike2
run ip link add sw0 type veth peer name sw1
run ip link set sw1 netns ike2
run ip addr add 10.90.0.1/24 dev sw0
run ip link set sw0 up
run ip -n ike2 addr add 10.90.0.2/24 dev sw1
run ip -n ike2 link set sw1 up
run ip -n ike2 link set lo up
# sw_conf N LOCAL REMOTE LOCAL_TS REMOTE_TS: strongswan.conf and swanctl.conf of daemon N
sw_conf() {
    cat > "$OUT/strongswan-$1.conf" <<EOF2
charon {
    load = random nonce aes sha1 sha2 hmac kdf gcm gmp pem pkcs1 x509 pubkey openssl kernel-netlink socket-default vici updown
    install_virtual_ip = no
    filelog {
        charon$1 {
            path = $OUT/daemons-charon$1.log
            default = 1
            knl = 2
            ike = 2
            time_format = %b %e %T
        }
    }
    plugins {
        vici {
            socket = unix://$RUN/charon$1.vici
        }
    }
}
EOF2
    cat > "$OUT/swanctl-$1.conf" <<EOF2
connections {
    nls {
        version = 2
        local_addrs = $2
        remote_addrs = $3
        proposals = aes128-sha256-modp2048
        local {
            auth = psk
            id = node$1
        }
        remote {
            auth = psk
        }
        children {
            net {
                local_ts = $4
                remote_ts = $5
                esp_proposals = aes128gcm16-modp2048
                mode = tunnel
            }
            tr {
                local_ts = $2/32[udp/4500]
                remote_ts = $3/32[udp/4500]
                esp_proposals = aes256-sha256
                mode = transport
            }
        }
    }
}
secrets {
    ike-nls {
        id-1 = node1
        id-2 = node2
        secret = "nlscope-ike-preshared-key"
    }
}
EOF2
}
sw_conf 1 10.90.0.1 10.90.0.2 10.91.0.0/24 10.92.0.0/24
sw_conf 2 10.90.0.2 10.90.0.1 10.92.0.0/24 10.91.0.0/24
ip netns exec ike2 unshare -m sh -c "mount -t tmpfs tmpfs /run && STRONGSWAN_CONF=$OUT/strongswan-2.conf exec /usr/lib/ipsec/charon" \
    > "$OUT/daemons-charon2.out" 2>&1 &
CH2=$!
STRONGSWAN_CONF="$OUT/strongswan-1.conf" /usr/lib/ipsec/charon > "$OUT/daemons-charon1.out" 2>&1 &
CH1=$!
i=0
while ! { [ -S "$RUN/charon1.vici" ] && [ -S "$RUN/charon2.vici" ]; } && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done
# swanctl: its own libstrongswan's plugin notices and the credential directories it did not
# find left out of the log
swanctl() {
    echo "+ swanctl $*"
    { command swanctl "$@" 2>&1; echo "rc=$?" > "$RUN/swanctl.rc"; } \
        | grep -v -e "^plugin '.*': failed to load" -e "^opening directory '.*' failed"
    cat "$RUN/swanctl.rc"
}
swanctl --load-all --file "$OUT/swanctl-2.conf" --uri "unix://$RUN/charon2.vici"
swanctl --load-all --file "$OUT/swanctl-1.conf" --uri "unix://$RUN/charon1.vici"
swanctl --initiate --child net --uri "unix://$RUN/charon1.vici" --timeout 60
swanctl --initiate --child tr --uri "unix://$RUN/charon1.vici" --timeout 60
swanctl --list-sas --uri "unix://$RUN/charon1.vici"
# the SAs' keys left out of the log (as nlscope leaves them out of the decode)
xfrm_state() { echo "+ ip xfrm state"; ip xfrm state 2>&1 | sed -E 's/0x[0-9a-f]{16,}/[key]/g'; echo "rc=$?"; }
xfrm_state
run ip xfrm policy
run ip route show table 220
swanctl --rekey --child net --uri "unix://$RUN/charon1.vici"
sleep 2
swanctl --list-sas --uri "unix://$RUN/charon1.vici"
swanctl --terminate --ike nls --uri "unix://$RUN/charon1.vici" --timeout 30
xfrm_state
kill "$CH1"
wait "$CH1"
kill "$CH2"
wait "$CH2"
run ip xfrm policy
run ip link del sw0
run ip netns del ike2

sleep 1
kill "$MON_PID"
capture_stop
for f in "$OUT"/daemons-*.log; do echo "--- $f"; cat "$f"; done
