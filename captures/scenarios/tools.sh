#!/bin/sh
# Real tools that speak netlink (issue 17), each with the commands that show what it did:
#   libnl       libnl's command line tools (libnl-utils) on a dummy: nl-link-set, nl-addr-add,
#               nl-route-add (one gateway, two weighted ones), nl-neigh-add, nl-qdisc-add /
#               nl-class-add / nl-cls-add (htb, basic), their -list and -delete, nl-rule-list,
#               nl-route-get, nl-fib-lookup (NETLINK_FIB_LOOKUP), genl-ctrl-list;
#   iw          two mac80211_hwsim radios: reg set/get, a mesh point on each (join, mesh_param
#               get and set, the peer's station, a path added, dumped, deleted), a monitor
#               interface, survey dump, `iw phy`, `iw list`;
#   cangw       the CAN gateway (can-gw) between two vcan devices: rules with a filter,
#               modifications, XOR and CRC8 checksums, a hop limit and a uid, one CAN FD rule,
#               listed (after frames crossed them), deleted, flushed;
#   pyroute2    tools_probe.py: IPRoute (link, address, route, neighbour, rule), IW, IPVS,
#               WireGuard (a private key: never shown by nlscope);
#   frr         FRR's zebra and staticd: static routes (one gateway, ECMP, blackhole, IPv6, a
#               distance) installed by zebra with kernel nexthop objects, shown by vtysh and ip.
# nl-monitor and `iw event -t` listen throughout (their output at the end of the log).  Not in
# all.sh (CI time): recorded with tools/vm.py on 6.1 and 6.12.  Writes $OUT/tools.pcap.
. "$(dirname "$0")/lib.sh"
D="$(dirname "$0")"
RUN=/tmp/nlscope-tools
mkdir -p "$RUN" 2>/dev/null || RUN=/run/nlscope-tools
mkdir -p "$RUN"
modprobe dummy numdummies=0
modprobe sch_htb
modprobe cls_basic
modprobe ip_vs
modprobe wireguard
modprobe vcan
modprobe can-gw
rmmod mac80211_hwsim 2>/dev/null
modprobe mac80211_hwsim radios=2 || echo "mac80211_hwsim unavailable"
for i in 1 2 3 4 5 6 7 8 9 10; do ip link show wlan1 >/dev/null 2>&1 && break; sleep 0.5; done
PHY0=phy$(iw dev wlan0 info | awk '/wiphy/ {print $2}')
PHY1=phy$(iw dev wlan1 info | awk '/wiphy/ {print $2}')

capture_start tools
stdbuf -oL nl-monitor -f brief link neigh tc ipv4-ifaddr ipv4-route ipv6-ifaddr ipv6-route ipv4-netconf ipv6-netconf \
    > "$RUN/nl-monitor.log" 2>&1 &
NLMON_PID=$!
stdbuf -oL iw event -t > "$RUN/iw-event.log" 2>&1 &
IWEV_PID=$!
sleep 1

echo "### libnl"
run ip link add tl0 type dummy
run nl-link-set --name=tl0 --mtu=1450 --txqlen=500 --ifalias=nlscope-libnl
run nl-link-set --name=tl0 --state=up
run nl-link-list --name=tl0
run nl-link-list --details --name=tl0
run nl-link-list --stats --name=tl0
run nl-link-list
run nl-addr-add --local=10.66.0.1/24 --dev=tl0 --label=tl0:nl --broadcast=10.66.0.255
run nl-addr-add --local=2001:db8:66::1/64 --dev=tl0 --valid=3600 --preferred=1800
run nl-addr-list --dev=tl0
run nl-addr-list --details --dev=tl0
run nl-route-add --dst=10.67.0.0/16 --nexthop=dev=tl0,via=10.66.0.2 --priority=66 --protocol=static
run nl-route-add --dst=10.68.0.0/16 --nexthop=dev=tl0,via=10.66.0.2,weight=1 \
    --nexthop=dev=tl0,via=10.66.0.3,weight=3 --table=166
run nl-route-add --family=inet6 --dst=2001:db8:67::/48 --nexthop=dev=tl0,via=2001:db8:66::2
run nl-route-list --family=inet --dst=10.67.0.0/16
run nl-route-list --table=166
run nl-route-list --family=inet6
run nl-route-list -f details --family=inet --table=166
run nl-route-get 10.67.1.1
run nl-fib-lookup 10.67.1.1
run nl-neigh-add --addr=10.66.0.9 --lladdr=02:00:00:00:66:09 --dev=tl0 --state=permanent
run nl-neigh-add --addr=2001:db8:66::9 --lladdr=02:00:00:00:66:0a --dev=tl0 --state=reachable
run nl-neigh-list --dev=tl0
run nl-neightbl-list
run nl-qdisc-add --dev=tl0 --parent=root --id=1: htb --default=10
run nl-class-add --dev=tl0 --parent=1: --id=1:10 htb --rate=10mbit --ceil=20mbit --prio=2
run nl-cls-add --dev=tl0 --parent=1: --id=1:5 --proto=ip --prio=5 basic --target=1:10
run nl-qdisc-list --dev=tl0
run nl-qdisc-list --details --dev=tl0
run nl-class-list --dev=tl0
run nl-class-list --details --dev=tl0
run nl-cls-list --dev=tl0
run nl-cls-list --details --dev=tl0
run nl-rule-list
run nl-rule-list --family=inet6
run genl-ctrl-list
run genl-ctrl-list --details
run nl-cls-delete --dev=tl0 --parent=1: --id=1:5
run nl-class-delete --dev=tl0 --id=1:10
run nl-qdisc-delete --dev=tl0 --parent=root
run nl-neigh-delete --addr=10.66.0.9 --dev=tl0
run nl-route-delete --dst=10.67.0.0/16 --table=254
run nl-route-delete --dst=10.68.0.0/16 --table=166
run nl-addr-delete --local=10.66.0.1/24 --dev=tl0
run nl-link-set --name=tl0 --state=down
run nl-link-list --name=tl0
run ip link del tl0

echo "### iw"
run iw reg set DE
sleep 1
run iw reg get
run iw dev wlan0 interface add mesh0 type mp
run iw dev wlan1 interface add mesh1 type mp
run ip link set mesh0 up
run ip link set mesh1 up
run iw dev mesh0 mesh join nlscope-mesh freq 2412
run iw dev mesh1 mesh join nlscope-mesh freq 2412
# the peers find each other by their beacons (every 100 TU) and open a peer link
i=0
while ! iw dev mesh0 station dump | grep -q "mesh plink:.*ESTAB" && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
run iw dev mesh0 info
run iw dev mesh0 mesh_param dump
run iw dev mesh0 get mesh_param mesh_hwmp_rootmode
run iw dev mesh0 set mesh_param mesh_hwmp_rootmode=2 mesh_max_peer_links=5 mesh_ttl=17
run iw dev mesh0 get mesh_param mesh_ttl
run iw dev mesh0 get mesh_param mesh_max_peer_links
run iw dev mesh0 station dump
MESH1=$(cat /sys/class/net/mesh1/address)
run iw dev mesh0 mpath new "$MESH1" next_hop "$MESH1"
run iw dev mesh0 mpath dump
run iw dev mesh0 mpath get "$MESH1"
run iw dev mesh0 mpath del "$MESH1"
run iw dev mesh0 mpath dump
run iw dev mesh0 survey dump
run iw dev mesh0 mesh leave
run iw dev mesh1 mesh leave
run iw dev mesh0 del
run iw dev mesh1 del
run iw phy "$PHY1" interface add mon0 type monitor flags control otherbss
run ip link set mon0 up
run iw dev mon0 set freq 2437
run iw dev mon0 info
run iw dev mon0 del
run ip link set wlan0 up
run iw dev wlan0 survey dump
run iw dev
run iw phy
run iw list
run iw reg set 00

echo "### cangw"
run ip link add vcan0 type vcan
run ip link add vcan1 type vcan
run ip link set vcan0 mtu 72
run ip link set vcan1 mtu 72
run ip link set vcan0 up
run ip link set vcan1 up
run cangw -A -s vcan0 -d vcan1 -e
run cangw -A -s vcan0 -d vcan1 -e -f 123:C00007FF -m SET:IL:333.4.1122334455667788
# refused: a hop limit above can-gw's max_hops (1 by default; cgw_create_job)
run cangw -A -s vcan1 -d vcan0 -e -l 2 -f 200:7F0 -m XOR:D:0.0.000000000000000F
run cangw -A -s vcan1 -d vcan0 -e -l 1 -u 77 -f 200:7F0 -m AND:ID:7FF.8.FF00FF00FF00FF00 \
    -m XOR:D:0.0.000000000000000F -x 0:3:7:AA
run cangw -A -s vcan0 -d vcan1 -e -t -f 300:7FF -m SET:L:0.8.0000000000000000 -c 0:6:7:FF:00:"$(python3 -c "
t = []
for i in range(256):
    c = i
    for _ in range(8):
        c = ((c << 1) ^ 0x1d) & 0xff if c & 0x80 else (c << 1) & 0xff
    t.append(c)
print(''.join('%02X' % x for x in t))")" -p 1:AB
run cangw -A -X -s vcan0 -d vcan1 -e -f 400:7FF -M OR:IFL:1.1.10.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000FF
run cangw -L
run cansend vcan0 123#DEADBEEF
run cansend vcan0 123#0102
run cansend vcan1 201#1122334455667788
run cansend vcan0 300#00112233445566
sleep 0.5
run cangw -L
run cangw -D -s vcan0 -d vcan1 -e
run cangw -D -s vcan0 -d vcan1 -e -f 123:C00007FF -m SET:IL:333.4.1122334455667788
run cangw -D -s vcan0 -d vcan1 -e -f 999:7FF
run cangw -L
run cangw -F
run cangw -L
run ip link del vcan0
run ip link del vcan1

echo "### pyroute2"
run "$PYTHON" "$D/tools_probe.py" iproute iw ipvs wireguard

echo "### frr"
FRR=$RUN/frr
mkdir -p "$FRR" /run/frr 2>/dev/null
# the daemons run as frr (FRR insists that their user be in its vty group, frrvty: root is not)
chown frr:frr "$FRR" /run/frr
run ip link add fr0 type dummy
run ip link set fr0 up
cat > "$FRR/zebra.conf" <<EOF
hostname nlscope-zebra
interface fr0
 ip address 10.95.0.1/24
 ipv6 address 2001:db8:95::1/64
!
EOF
cat > "$FRR/staticd.conf" <<EOF
hostname nlscope-staticd
ip route 10.96.0.0/24 10.95.0.2
ip route 10.96.1.0/24 10.95.0.2
ip route 10.96.1.0/24 10.95.0.3
ip route 10.96.2.0/24 blackhole
ip route 10.96.3.0/24 10.95.0.4 250
ipv6 route 2001:db8:96::/48 2001:db8:95::2
!
EOF
run /usr/lib/frr/zebra -d -f "$FRR/zebra.conf" -i "$FRR/zebra.pid" -z "$FRR/zserv.api" --vty_socket "$FRR" \
    -u frr -g frr --log "file:$FRR/zebra.log"
i=0
while [ ! -S "$FRR/zserv.api" ] && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
run /usr/lib/frr/staticd -d -f "$FRR/staticd.conf" -i "$FRR/staticd.pid" -z "$FRR/zserv.api" --vty_socket "$FRR" \
    -u frr -g frr --log "file:$FRR/staticd.log"
i=0
while ! ip route show 10.96.3.0/24 | grep -q . && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
sleep 2
run vtysh --vty_socket "$FRR" -c "show ip route"
run vtysh --vty_socket "$FRR" -c "show ipv6 route static"
run vtysh --vty_socket "$FRR" -c "show nexthop-group rib"
run ip nexthop show
run ip route show 10.96.0.0/16
run ip -6 route show 2001:db8:96::/48
run ip -d route show 10.96.1.0/24
run vtysh --vty_socket "$FRR" -c "configure terminal" -c "no ip route 10.96.0.0/24 10.95.0.2"
sleep 1
run ip route show 10.96.0.0/16
for p in staticd zebra; do
    pid=$(cat "$FRR/$p.pid" 2>/dev/null) && kill "$pid"
    i=0
    while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
done
run ip route show 10.96.0.0/16
run ip nexthop show
run ip link del fr0

sleep 1
kill "$NLMON_PID" "$IWEV_PID"
capture_stop
for f in "$RUN"/*.log "$FRR"/*.log; do echo "--- $f"; cat "$f"; done
