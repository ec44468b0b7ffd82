#!/bin/sh
# systemd-networkd (systemd 252) on a 6.18 kernel (a container: no nlmon), recorded with strace
# and tools/strace2pcap.py in private network and mount namespaces:
#   sh captures/host-6.18/networkd.sh   -> networkd.pcapng, networkd.out (its debug log, ip's output)
# networkd runs with a private /run/systemd holding its configuration, and a read-only sysfs
# of the namespace (so it does not wait for udev): it creates a bridge, a vxlan and a tap,
# and configures the tap t1 (given carrier by a process holding its queue) with addresses,
# routes of several kinds and properties, nexthops and a group, policy rules, a static
# neighbour, an address label, a qdisc tree and bridge settings; the netdevs the host
# cannot make (wireguard, fou, l2tp, macsec, batadv, vrf, bond) are asked for and refused.
set -e
D="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" != inside ]; then
    unshare -n -m --propagation private strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all \
        -o /tmp/networkd.strace sh "$0" inside > "$D/networkd.out" 2>&1
    exec python3 "$D/../../tools/strace2pcap.py" /tmp/networkd.strace "$D/networkd.pcapng"
fi
set +e
mount -t tmpfs tmpfs /run/systemd && mount -t sysfs -o ro sysfs /sys || exit 1
N=/run/systemd/network
mkdir -p $N /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp
chown -R systemd-network:systemd-network /run/systemd/netif
echo lxc > /run/systemd/container   # networkd then treats links as initialized without udev
cat > $N/10-br7.netdev <<'C'
[NetDev]
Name=br7
Kind=bridge
MTUBytes=1450
[Bridge]
STP=no
ForwardDelaySec=4
HelloTimeSec=2
MaxAgeSec=12
AgeingTimeSec=200
Priority=4096
DefaultPVID=7
VLANFiltering=yes
MulticastSnooping=no
C
cat > $N/11-vx7.netdev <<'C'
[NetDev]
Name=vx7
Kind=vxlan
[VXLAN]
VNI=700
Local=10.7.0.1
DestinationPort=4789
TTL=16
MacLearning=no
UDPChecksum=yes
C
cat > $N/12-tap7.netdev <<'C'
[NetDev]
Name=tap7
Kind=tap
[Tap]
MultiQueue=yes
PacketInfo=no
C
for k in wireguard fou l2tp macsec batadv vrf bond; do
    printf '[NetDev]\nName=%s7\nKind=%s\n' $k $k > $N/20-$k.netdev
done
printf '[FooOverUDP]\nPort=5555\nProtocol=4\n' >> $N/20-fou.netdev
printf '[L2TP]\nTunnelId=10\nPeerTunnelId=11\nLocal=10.7.0.1\nRemote=10.7.0.9\n' >> $N/20-l2tp.netdev
printf '[VRF]\nTable=42\n' >> $N/20-vrf.netdev
printf '[WireGuard]\nListenPort=51820\n' >> $N/20-wireguard.netdev
cat > $N/30-t1.network <<'C'
[Match]
Name=t1
[Link]
MTUBytes=1400
[Network]
Address=10.7.0.1/24
Address=fd07::1/64
IPv6AcceptRA=no
LinkLocalAddressing=ipv6
ConfigureWithoutCarrier=yes
[Address]
Address=10.7.1.1/24
Label=t1:second
Scope=link
RouteMetric=33
[Route]
Destination=10.70.0.0/16
Gateway=10.7.0.2
Metric=55
MTUBytes=1300
InitialCongestionWindow=20
InitialAdvertisedReceiveWindow=30
QuickAck=yes
FastOpenNoCookie=yes
TCPCongestionControlAlgorithm=reno
TCPAdvertisedMaximumSegmentSize=1200
[Route]
Destination=10.71.0.0/16
Type=blackhole
[Route]
Destination=10.72.0.0/16
Gateway=10.7.0.2
Table=77
Scope=global
Protocol=boot
[Route]
Destination=10.73.0.0/16
MultiPathRoute=10.7.0.2@t1 5
MultiPathRoute=10.7.0.3@t1 10
[Route]
Destination=10.74.0.0/16
NextHop=9
[Route]
Destination=fd70::/64
Gateway=fd07::2
IPv6Preference=high
[NextHop]
Id=7
Gateway=10.7.0.3
[NextHop]
Id=8
Gateway=10.7.0.4
OnLink=yes
[NextHop]
Id=9
Group=7:3 8
[NextHop]
Id=10
Blackhole=yes
[RoutingPolicyRule]
From=10.7.0.0/24
Table=77
Priority=777
[RoutingPolicyRule]
To=10.77.0.0/16
FirewallMark=0x7/0xff
IncomingInterface=t1
IPProtocol=tcp
DestinationPort=80-90
Table=78
Priority=778
[RoutingPolicyRule]
Family=both
SuppressPrefixLength=0
Table=main
Priority=779
[RoutingPolicyRule]
User=1000-2000
Table=79
Priority=780
Invert=yes
[Neighbor]
Address=10.7.0.5
LinkLayerAddress=02:00:00:00:07:05
[IPv6AddressLabel]
Label=99
Prefix=fd07:9::/32
[HierarchyTokenBucket]
Parent=root
Handle=0007
DefaultClass=0010
[HierarchyTokenBucketClass]
Parent=7:0
ClassId=7:10
Rate=10M
CeilRate=20M
[PFIFO]
Parent=7:10
Handle=0010
PacketLimit=50
C
cat > $N/31-tap7.network <<'C'
[Match]
Name=tap7
[Network]
Bridge=br7
ConfigureWithoutCarrier=yes
[Bridge]
Cost=7
Priority=3
HairPin=yes
[BridgeVLAN]
VLAN=70-72
[BridgeFDB]
MACAddress=02:00:00:00:07:07
VLANId=70
C
cat > $N/32-br7.network <<'C'
[Match]
Name=br7
[Network]
Address=10.8.7.1/24
ConfigureWithoutCarrier=yes
VXLAN=vx7
[FairQueueing]
Parent=root
PacketLimit=1000
C
cat > /run/systemd/holdtap.py <<'P'
import fcntl, os, struct, sys, time
fd = os.open("/dev/net/tun", os.O_RDWR)   # TUNSETIFF, IFF_TAP | IFF_NO_PI: t1 has carrier while it is open
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
time.sleep(60)
P
ip link set lo up
ip tuntap add t1 mode tap; ip link set t1 up
python3 /run/systemd/holdtap.py t1 & H=$!; sleep 1   # python starts slowly under strace
SYSTEMD_LOG_LEVEL=debug timeout 8 /lib/systemd/systemd-networkd 2>&1 | grep -v "Failed to update\|state file"
for c in "addr show" "route show" "route show table 77" "-6 route show" "rule show" "nexthop show" "neigh show dev t1" \
         "addrlabel list" "-d link show" ; do echo "+ ip $c"; ip $c; done
echo "+ tc qdisc show"; tc qdisc show; echo "+ tc class show dev t1"; tc class show dev t1
echo "+ bridge vlan show"; bridge vlan show; echo "+ bridge fdb show dev tap7"; bridge fdb show dev tap7
kill $H
