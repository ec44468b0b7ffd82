#!/bin/sh
# Kernel objects that no everyday tool in the VM makes (objects_probe.py, genl_probe.py asking
# as their own tools would): conntrack timeout policies, nfacct objects, user-space conntrack
# helpers, nft_compat questions, an OS fingerprint; a real conntrack expectation (a TFTP read
# request through nft's ct helper) seen by `conntrack -E expect` and `-L expect`; an IPsec SA's
# replay and lifetime state (XFRM_MSG_GETAE, NEWAE setting thresholds, `ip xfrm monitor
# aevent`); an Open vSwitch flow with its keys and actions; writes $OUT/objects.pcap.
. "$(dirname "$0")/lib.sh"
D="$(dirname "$0")"
for m in nf_tables nf_conntrack nf_conntrack_netlink nf_conntrack_tftp nfnetlink_cttimeout nfnetlink_acct \
         nfnetlink_cthelper nfnetlink_osf nft_compat xt_conntrack xt_LOG xfrm_user esp4 openvswitch; do
    modprobe $m 2>/dev/null
done
ip link set lo up
nft add table inet nlso
nft add ct helper inet nlso tftph '{ type "tftp" protocol udp; }'
nft add chain inet nlso out '{ type filter hook output priority 0; }'
nft add rule inet nlso out udp dport 69 ct helper set tftph
ip xfrm state add src 10.40.0.1 dst 10.40.0.2 proto esp spi 0x2000 reqid 9 mode tunnel replay-window 32 \
    enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f auth-trunc 'hmac(sha256)' \
    0x101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f 128
capture_start objects
run "$PYTHON" "$D/objects_probe.py" nfobjects
conntrack -E expect > "$OUT/expect-events.txt" 2>&1 &
CE=$!
sleep 1
run "$PYTHON" "$D/objects_probe.py" tftp
run conntrack -L expect
run conntrack -F expect
sleep 1
kill -TERM $CE; wait $CE
echo "--- conntrack -E expect"; cat "$OUT/expect-events.txt"
ip xfrm monitor aevent > "$OUT/aevent.txt" 2>&1 &
XM=$!
sleep 1
run "$PYTHON" "$D/objects_probe.py" aevent 10.40.0.1 10.40.0.2 0x2000
sleep 1
kill -TERM $XM; wait $XM
echo "--- ip xfrm monitor aevent"; cat "$OUT/aevent.txt"
run "$PYTHON" "$D/genl_probe.py" ovs_flows
capture_stop
ip xfrm state flush
nft delete table inet nlso
