#!/bin/sh
# The long tail of generic netlink (issue 17), for the families the container host cannot
# load: fou, l2tp, macsec, ila, TIPCv2 with their iproute2 tools (ip fou/l2tp/macsec/ila,
# tipc), batman-adv and nl802154 with batctl/iwpan when the image has them and otherwise the
# questions those tools ask (an embedded probe, plain sockets), and again what the host
# recorded (tcp_metrics, SEG6, IOAM6) so both kernels hold it; `genl ctrl list` first, to
# record every family the kernel has.  Not in all.sh: the lead records it on 6.1 and 6.12.
# Writes $OUT/genl-tail.pcap.
. "$(dirname "$0")/lib.sh"
for m in veth dummy fou l2tp_core l2tp_netlink l2tp_eth l2tp_ip l2tp_ip6 macsec batman-adv tipc ila ieee802154 \
         mac802154 mac802154_hwsim; do modprobe $m 2>/dev/null; done
ip link add gtv0 type veth peer name gtv1
ip link set gtv0 up
ip link set gtv1 up
ip addr add 10.41.0.1/24 dev gtv0
ip -6 addr add 2001:db8:41::1/64 dev gtv0 nodad
KEY1=0123456789abcdef0123456789abcdef
KEY2=fedcba9876543210fedcba9876543210
cat > "$OUT/genl_tail_probe.py" <<'PY'
"""batadv and nl802154 asked what batctl and iwpan ask, where the image has neither tool."""
import os, socket, struct, sys
sys.path.insert(0, os.path.join(os.environ["REPO"], "kmod", "tools"))
sys.path.insert(0, os.environ["REPO"])
from nt_client import NLM_F_ACK, NLM_F_DUMP, NLMSG_ERROR, Genl, attrs, error_of, nla, resolve
from dissectors.families.genl import batadv as B, nl802154 as W


def ask(g, fid, cmd, flags, payload=b""):
    seq = g.send(fid, cmd, flags, payload)
    out = []
    for ty, _, msg in g.replies(seq):
        if ty == NLMSG_ERROR:
            err, ext = error_of(msg)
            if err:
                print(f"  cmd {cmd}: error {err} {ext}")
        elif ty == fid:
            out.append(dict(attrs(msg[20:])))
    return out


def u32(t, v): return nla(t, struct.pack("=I", v))
def u16(t, v): return nla(t, struct.pack("=H", v))
def u8(t, v): return nla(t, struct.pack("=B", v))


def batadv(g):
    fid, groups = resolve(g, "batadv")
    mesh = u32(B.H.BATADV_ATTR_MESH_IFINDEX, socket.if_nametoindex("bat0"))
    for cmd in ("GET_ROUTING_ALGOS",):
        print(cmd, len(ask(g, fid, getattr(B.H, f"BATADV_CMD_{cmd}"), NLM_F_DUMP)), "rows")
    for a in ask(g, fid, B.H.BATADV_CMD_GET_MESH, NLM_F_ACK, mesh):
        print("mesh", a[B.H.BATADV_ATTR_MESH_IFNAME].rstrip(b"\0").decode(),
              a[B.H.BATADV_ATTR_ALGO_NAME].rstrip(b"\0").decode(), "orig_interval",
              struct.unpack("=I", a[B.H.BATADV_ATTR_ORIG_INTERVAL])[0])
    ask(g, fid, B.H.BATADV_CMD_SET_MESH, NLM_F_ACK, mesh + u32(B.H.BATADV_ATTR_ORIG_INTERVAL, 2000)
        + u8(B.H.BATADV_ATTR_GW_MODE, 2) + u32(B.H.BATADV_ATTR_GW_BANDWIDTH_DOWN, 100)
        + u32(B.H.BATADV_ATTR_GW_BANDWIDTH_UP, 20) + u8(B.H.BATADV_ATTR_BONDING_ENABLED, 1))
    for cmd in ("GET_HARDIF", "GET_ORIGINATORS", "GET_NEIGHBORS", "GET_TRANSTABLE_LOCAL", "GET_TRANSTABLE_GLOBAL",
                "GET_GATEWAYS", "GET_BLA_CLAIM", "GET_BLA_BACKBONE", "GET_DAT_CACHE", "GET_MCAST_FLAGS"):
        print(cmd, len(ask(g, fid, getattr(B.H, f"BATADV_CMD_{cmd}"), NLM_F_DUMP, mesh)), "rows")
    ask(g, fid, B.H.BATADV_CMD_GET_VLAN, NLM_F_ACK, mesh + u16(B.H.BATADV_ATTR_VLANID, 5))   # no such VLAN


def wpan(g):
    fid, groups = resolve(g, "nl802154")
    phys = ask(g, fid, W.H.NL802154_CMD_GET_WPAN_PHY, NLM_F_DUMP)
    ifs = ask(g, fid, W.H.NL802154_CMD_GET_INTERFACE, NLM_F_DUMP)
    print("phys", len(phys), "interfaces", len(ifs))
    if not ifs:
        return
    idx = u32(W.H.NL802154_ATTR_IFINDEX, struct.unpack("=I", ifs[-1][W.H.NL802154_ATTR_IFINDEX])[0])
    phy = u32(W.H.NL802154_ATTR_WPAN_PHY, struct.unpack("=I", ifs[-1][W.H.NL802154_ATTR_WPAN_PHY])[0])
    ask(g, fid, W.H.NL802154_CMD_SET_PAN_ID, NLM_F_ACK, idx + u16(W.H.NL802154_ATTR_PAN_ID, 0xABCD))
    ask(g, fid, W.H.NL802154_CMD_SET_SHORT_ADDR, NLM_F_ACK, idx + u16(W.H.NL802154_ATTR_SHORT_ADDR, 0x0001))
    ask(g, fid, W.H.NL802154_CMD_SET_CHANNEL, NLM_F_ACK, phy + u8(W.H.NL802154_ATTR_PAGE, 0)
        + u8(W.H.NL802154_ATTR_CHANNEL, 15))
    ask(g, fid, W.H.NL802154_CMD_SET_TX_POWER, NLM_F_ACK, phy + nla(W.H.NL802154_ATTR_TX_POWER, struct.pack("=i", 0)))
    ask(g, fid, W.H.NL802154_CMD_SET_MAX_FRAME_RETRIES, NLM_F_ACK, idx
        + nla(W.H.NL802154_ATTR_MAX_FRAME_RETRIES, struct.pack("=b", 3)))
    ask(g, fid, W.H.NL802154_CMD_NEW_INTERFACE, NLM_F_ACK, phy + nla(W.H.NL802154_ATTR_IFNAME, b"wpan9\0")
        + u32(W.H.NL802154_ATTR_IFTYPE, 1))
    ask(g, fid, W.H.NL802154_CMD_GET_INTERFACE, NLM_F_DUMP)
    if os.path.exists("/sys/class/net/wpan9"):
        ask(g, fid, W.H.NL802154_CMD_DEL_INTERFACE, NLM_F_ACK,
            u32(W.H.NL802154_ATTR_IFINDEX, socket.if_nametoindex("wpan9")))


for probe in sys.argv[1:]:
    try:
        {"batadv": batadv, "wpan": wpan}[probe](Genl())
    except (SystemExit, OSError, KeyError) as e:
        print(f"{probe}: {e}")
PY
capture_start genl-tail
run genl ctrl list
# tcp_metrics, SEG6, IOAM6: as captures/host-6.18/genl-*.sh, on this kernel
"$PYTHON" -c "
import socket
s = socket.socket(); s.bind(('10.41.0.1', 0)); s.listen(); c = socket.create_connection(s.getsockname()); a, _ = s.accept()
c.sendall(b'x' * 100000); c.shutdown(socket.SHUT_WR)
while a.recv(65536): pass
a.shutdown(socket.SHUT_WR)
while c.recv(65536): pass
c.close(); a.close()"
run ip tcp_metrics show
run ip tcp_metrics show 10.41.0.1
run ip tcp_metrics flush all
run ip sr tunsrc set 2001:db8:41::1
run ip sr tunsrc show
(sleep 0.5; echo s3cr3tpassword) | script -qc "ip sr hmac set 42 sha256" /dev/null >/dev/null
run ip sr hmac show
(sleep 0.5; echo) | script -qc "ip sr hmac set 42 sha256" /dev/null >/dev/null
run ip ioam namespace add 1 data 0xdeadbeef wide 0x1122334455667788
run ip ioam schema add 7 "hello"
run ip ioam namespace set 1 schema 7
run ip ioam namespace show
run ip ioam schema show
run ip ioam namespace set 1 schema none
run ip ioam schema del 7
run ip ioam namespace del 1
# fou (FOU_CMD_ADD/DEL/GET; 6.1's ip fou show needs iproute2 >= 5.4)
run ip fou add port 5555 ipproto 4
run ip fou add port 5556 gue
run ip fou add port 5557 gue local 10.41.0.1 peer 10.41.0.2 peer_port 7000 dev gtv0
run ip -6 fou add port 5558 ipproto 41
run ip fou show
run ip fou add port 5555 ipproto 4
run ip fou del port 5555
run ip fou del port 5556
run ip fou del port 5557 local 10.41.0.1 peer 10.41.0.2 peer_port 7000 dev gtv0
run ip -6 fou del port 5558
run ip fou del port 9999
# l2tp: UDP and IP encapsulated tunnels, an Ethernet session with cookies, statistics
run ip l2tp add tunnel tunnel_id 3000 peer_tunnel_id 4000 encap udp local 10.41.0.1 remote 10.41.0.2 \
    udp_sport 5000 udp_dport 6000
run ip l2tp add session name l2tpeth0 tunnel_id 3000 session_id 1000 peer_session_id 2000 cookie 01020304 \
    peer_cookie 0a0b0c0d0e0f1011 l2spec_type default seq both
run ip l2tp add tunnel tunnel_id 3001 peer_tunnel_id 4001 encap ip local 2001:db8:41::1 remote 2001:db8:41::2
run ip l2tp add session tunnel_id 3001 session_id 1001 peer_session_id 2001
run ip l2tp show tunnel
run ip l2tp show session
run ip -s l2tp show session session_id 1000 tunnel_id 3000
run ip l2tp add tunnel tunnel_id 3000 peer_tunnel_id 4000 encap udp local 10.41.0.1 remote 10.41.0.2 \
    udp_sport 5000 udp_dport 6000
run ip l2tp del session tunnel_id 3000 session_id 1000
run ip l2tp del tunnel tunnel_id 3000
run ip l2tp del tunnel tunnel_id 3001
# macsec: a SecY with TX and RX SAs (keys redacted by nlscope), statistics, an XPN SecY with
# salt and SSCI, offload, and the deletions
run ip link add link gtv0 macsec0 type macsec port 1 encrypt on
run ip macsec add macsec0 tx sa 0 pn 1 on key 01 $KEY1
run ip macsec add macsec0 rx port 1 address 02:00:00:00:00:02
run ip macsec add macsec0 rx port 1 address 02:00:00:00:00:02 sa 0 pn 1 on key 02 $KEY2
run ip macsec set macsec0 tx sa 0 off
run ip macsec show
run ip -s macsec show
run ip macsec offload macsec0 off
run ip link add link gtv0 macsec1 type macsec port 2 cipher gcm-aes-xpn-128
run ip macsec add macsec1 tx sa 0 pn 1 on ssci 1 salt 838383838383838383838383 key 03 $KEY1
run ip macsec show macsec1
run ip macsec del macsec0 rx port 1 address 02:00:00:00:00:02 sa 0
run ip macsec del macsec0 rx port 1 address 02:00:00:00:00:02
run ip macsec del macsec0 tx sa 0
run ip macsec del macsec0 tx sa 3
run ip link del macsec1
run ip link del macsec0
# ila (still in 6.12: CONFIG_IPV6_ILA=m)
run ip ila add loc_match 2001:db8:1:2 loc 2001:db8:3:4 dev gtv0 csum-mode neutral-map
run ip ila add loc_match 2001:db8:5:6 loc 2001:db8:7:8 ident-type luid
run ip ila list
run ip ila del loc_match 2001:db8:1:2 dev gtv0
run ip ila del loc_match 2001:db8:5:6
# TIPCv2 (the tipc tool of iproute2)
run tipc node set identity 1001002
run tipc node get identity
run tipc node get address
run tipc bearer enable media eth dev gtv0
run tipc bearer enable media udp name udp1 localip 10.41.0.1
run tipc bearer list
run tipc bearer get tolerance media eth dev gtv0
run tipc bearer set priority 5 media eth dev gtv0
run tipc media list
run tipc media get mtu media udp
run tipc link list
run tipc link get tolerance link broadcast-link
run tipc link set window 60 link broadcast-link
run tipc link stat show
run tipc link monitor summary
run tipc link monitor get threshold
run tipc link monitor set threshold 16
run tipc node list
run tipc nametable show
run tipc socket list
run tipc node set key 0x$KEY1$KEY1 algname "gcm(aes)" master
run tipc node flush key
run tipc bearer disable media udp name udp1
run tipc bearer disable media eth dev gtv0
# batman-adv: batctl when the image has it, the probe asks the same questions otherwise
ip link add bat0 type batadv && ip link set gtv1 master bat0 && ip link set bat0 up
if command -v batctl >/dev/null; then
    run batctl meshif bat0 interface
    run batctl meshif bat0 originators
    run batctl meshif bat0 neighbors
    run batctl meshif bat0 translocal
    run batctl meshif bat0 gateways
    run batctl meshif bat0 gw_mode server 10000/2000
    run batctl meshif bat0 orig_interval 2000
    run batctl meshif bat0 bonding 1
else
    run "$PYTHON" "$OUT/genl_tail_probe.py" batadv
fi
ip link del bat0
# nl802154: two mac802154_hwsim PHYs (wpan0, wpan1)
if command -v iwpan >/dev/null; then
    run iwpan phy
    run iwpan dev
    run iwpan dev wpan1 set pan_id 0xabcd
    run iwpan dev wpan1 set short_addr 0x0001
    run iwpan phy phy1 set channel 0 15
    run iwpan phy phy1 interface add wpan9 type monitor
    run iwpan dev wpan9 del
else
    run "$PYTHON" "$OUT/genl_tail_probe.py" wpan
fi
capture_stop
ip link del gtv0
