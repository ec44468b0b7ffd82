#!/bin/sh
# Generic netlink beyond nl80211: devlink and ethtool on a netdevsim device, a policy dump,
# and the families without an everyday tool asked by genl_probe.py (TASKSTATS, NET_DM, team,
# psample with a tc sample action, Open vSwitch); writes $OUT/genl-more.pcap.
. "$(dirname "$0")/lib.sh"
for m in netdevsim team team_mode_roundrobin drop_monitor psample act_sample openvswitch sch_ingress \
         cls_matchall; do modprobe $m 2>/dev/null; done
echo "10 1" > /sys/bus/netdevsim/new_device
for i in 1 2 3 4 5 6 7 8 9 10; do ls /sys/bus/netdevsim/devices/netdevsim10/net/ 2>/dev/null | grep -q . && break; sleep 0.5; done
NSIM=$(ls /sys/bus/netdevsim/devices/netdevsim10/net/ | head -1)
ip link set "$NSIM" up
ip link add team0 type team
ip link add tport0 type dummy
ip link set tport0 master team0
tc qdisc add dev lo clsact
tc filter add dev lo ingress matchall action sample rate 1 group 5
capture_start genl-more
run devlink dev show
run devlink dev info netdevsim/netdevsim10
run devlink port show
run devlink dev param show netdevsim/netdevsim10
run devlink resource show netdevsim/netdevsim10
run devlink health show
run devlink dev eswitch show netdevsim/netdevsim10
run ethtool -i "$NSIM"
run ethtool -k "$NSIM"
run ethtool -g "$NSIM"
run ethtool -l "$NSIM"
run ethtool -a "$NSIM"
run ethtool -c "$NSIM"
run ethtool --show-fec "$NSIM"
run ethtool -T "$NSIM"
run genl ctrl policy name mptcp_pm
run "$PYTHON" "$(dirname "$0")/genl_probe.py"
capture_stop
tc qdisc del dev lo clsact
ip link del team0
echo 10 > /sys/bus/netdevsim/del_device
