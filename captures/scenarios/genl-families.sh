#!/bin/sh
# Every generic-netlink family the kernel can register, announced: the modules that import
# genl_register_family (`nm -u` over /lib/modules/VERSION of 6.1.0-57 and 6.12, their union;
# a name the running kernel lacks is skipped), loaded, then `genl ctrl list` dumps every family
# with its ops and groups (the families built into the kernel among them).  The VM test checks
# that nlscope declares every family announced.  Last in all.sh: mac80211_hwsim's radios and
# the other modules stay loaded.  Writes $OUT/genl-families.pcap.
. "$(dirname "$0")/lib.sh"
MODULES="batman-adv cfg80211 drbd drop_monitor fou gtp hsr ieee802154 ila ip_vs ksmbd l2tp_netlink mac80211_hwsim
mac802154_hwsim macsec nbd nfc nfsd openvswitch pmcraid psample smc target_core_user team tipc vdpa wireguard"
for m in $MODULES; do
    modprobe -q "$m" 2>/dev/null || echo "no module $m here"
done
capture_start genl-families
run genl ctrl list
capture_stop
