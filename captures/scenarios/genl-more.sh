#!/bin/sh
# Generic netlink beyond nl80211: ethtool on a veth, devlink (Debian's kernel has no netdevsim
# and the VM no devlink hardware: the dumps are empty, the errors real), policy dumps, and the
# families without an everyday tool asked by genl_probe.py (TASKSTATS, NET_DM, team, psample
# with a tc sample action, Open vSwitch); writes $OUT/genl-more.pcap.
. "$(dirname "$0")/lib.sh"
for m in veth team team_mode_roundrobin drop_monitor psample act_sample openvswitch sch_ingress \
         cls_matchall; do modprobe $m 2>/dev/null; done
NSIM=ethv0
# two queues each way, one in use, whatever the guest's CPUs (veth's default is one queue per
# possible CPU, one in use; given a number, all in use): the channels ethtool -l prints
ip link add ethv0 numtxqueues 2 numrxqueues 2 type veth peer name ethv1 numtxqueues 2 numrxqueues 2
ethtool -L ethv0 rx 1 tx 1
ip link set ethv0 up
ip link set ethv1 up
ip link add team0 type team
ip link add tport0 type dummy
ip link set tport0 master team0
tc qdisc add dev lo clsact
tc filter add dev lo ingress matchall action sample rate 1 group 5
capture_start genl-more
run devlink dev show
run devlink port show
run devlink health show
run devlink dev info pci/0000:00:00.0
run ethtool "$NSIM"
run ethtool -i "$NSIM"
run ethtool -k "$NSIM"
run ethtool -g "$NSIM"
run ethtool -l "$NSIM"
run ethtool -a "$NSIM"
run ethtool -c "$NSIM"
run ethtool --show-fec "$NSIM"
run ethtool -T "$NSIM"
run genl ctrl policy name mptcp_pm
run genl ctrl policy name devlink
run "$PYTHON" "$(dirname "$0")/genl_probe.py"
capture_stop
tc qdisc del dev lo clsact
ip link del team0
ip link del ethv0
