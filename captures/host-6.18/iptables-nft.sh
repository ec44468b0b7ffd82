#!/bin/sh
# iptables-nft, ip6tables-nft, ebtables-nft and arptables-nft rules with the common x_tables
# matches and targets (nft_compat carries them in NFTA_MATCH_INFO / NFTA_TARGET_INFO), then
# their -S / -L dumps, whose replies carry the same data back from the kernel.
# Run in a private network namespace, as root (captures/host-6.18/record.sh does it):
#   unshare -n strace -f -ttt -yy -qq -e trace=%network -e write=all -e read=all -o X.strace sh iptables-nft.sh
#   python3 tools/strace2pcap.py X.strace captures/host-6.18/iptables-nft.pcapng
# A command the kernel refuses (an extension this host lacks) stays in the capture as its error.
ip link set lo up
ipt() { echo "+ iptables-nft $*"; iptables-nft "$@"; }
ip6t() { echo "+ ip6tables-nft $*"; ip6tables-nft "$@"; }
ebt() { echo "+ ebtables-nft $*"; ebtables-nft "$@"; }
arpt() { echo "+ arptables-nft $*"; arptables-nft "$@"; }

ipt -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment "ssh in" -j ACCEPT
ipt -A INPUT -m conntrack --ctstate DNAT --ctproto udp --ctorigsrc 10.0.0.0/8 --ctorigdstport 53 --ctdir ORIGINAL -j ACCEPT
ipt -A INPUT -m state --state RELATED,INVALID -j ACCEPT
ipt -A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT
ipt -A INPUT -p udp -m multiport ! --sports 5060,5061 -j DROP
ipt -A INPUT -p tcp -m tcp --sport 1024:65535 --tcp-flags SYN,ACK SYN --tcp-option 2 -j ACCEPT
ipt -A INPUT -p udp -m udp ! --dport 67:68 -j ACCEPT
ipt -A INPUT -p icmp -m icmp --icmp-type echo-request -j ACCEPT
ipt -A INPUT -m mark --mark 0x10/0xff -j ACCEPT
ipt -A INPUT -m connmark ! --mark 0x7 -j ACCEPT
ipt -A INPUT -m limit --limit 5/min --limit-burst 7 -j LOG --log-prefix "drop: " --log-level 4 --log-tcp-sequence --log-uid
ipt -A INPUT -m addrtype --dst-type LOCAL,BROADCAST --limit-iface-in -j ACCEPT
ipt -A INPUT -m iprange --src-range 192.168.1.10-192.168.1.20 -j ACCEPT
ipt -A INPUT -m length --length 100:1500 -j ACCEPT
ipt -A INPUT -m ttl --ttl-gt 64 -j ACCEPT
ipt -A INPUT -m pkttype --pkt-type broadcast -j DROP
ipt -A INPUT -m mac --mac-source 02:00:00:aa:bb:cc -j ACCEPT
ipt -A INPUT -m physdev --physdev-in eth0 --physdev-is-bridged -j ACCEPT
ipt -A OUTPUT -m owner --uid-owner 1000-2000 --gid-owner 100 -j ACCEPT
ipt -A INPUT -m recent --name badguys --rcheck --seconds 60 --hitcount 4 -j DROP
ipt -A INPUT -m hashlimit --hashlimit-above 10/sec --hashlimit-burst 20 --hashlimit-mode srcip,dstport --hashlimit-name hl1 -j DROP
ipt -A INPUT -m string --string "GET /" --algo bm --from 40 --to 200 -j DROP
ipt -A INPUT -p tcp -j REJECT --reject-with tcp-reset
ipt -A INPUT -j REJECT --reject-with icmp-host-prohibited
ipt -A FORWARD -j NFLOG --nflog-group 5 --nflog-prefix "fwd" --nflog-range 128 --nflog-threshold 2
ipt -A FORWARD -j NFQUEUE --queue-balance 2:5 --queue-bypass --queue-cpu-fanout
ipt -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
ipt -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1400
ipt -A FORWARD -m comment --comment "connmark save" -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff
ipt -A FORWARD -j CONNMARK --set-xmark 0x5/0xf
ipt -t mangle -A PREROUTING -j MARK --set-xmark 0x1/0xff
ipt -t mangle -A PREROUTING -j TOS --set-tos 0x10/0x3f
ipt -t mangle -A PREROUTING -j DSCP --set-dscp 10
ipt -t mangle -A POSTROUTING -j CLASSIFY --set-class 1:10
ipt -t mangle -A POSTROUTING -p udp -j CHECKSUM --checksum-fill
ipt -t mangle -A PREROUTING -p tcp -j TPROXY --on-port 3128 --on-ip 127.0.0.1 --tproxy-mark 0x1/0x1
echo "+ ipset create blocklist hash:ip,port"; ipset create blocklist hash:ip,port
ipt -t mangle -A PREROUTING -m set --match-set blocklist src,dst --packets-gt 5 -j DROP
ipt -t mangle -A PREROUTING -j SET --add-set blocklist src,dst --exist --timeout 30
ipt -A INPUT -p tcp -m socket --transparent --nowildcard -j ACCEPT
ipt -A INPUT -m helper --helper ftp -j ACCEPT
ipt -A INPUT -p tcp -m connlimit --connlimit-above 5 --connlimit-mask 24 -j DROP
ipt -A INPUT -m statistic --mode nth --every 3 --packet 1 -j ACCEPT
ipt -A INPUT -m statistic --mode random --probability 0.25 -j ACCEPT
ipt -A INPUT -m time --timestart 09:00 --timestop 17:00 --weekdays Mon,Fri -j ACCEPT
ipt -A INPUT -p tcp -m ecn --ecn-tcp-cwr -j ACCEPT
ipt -A INPUT -m dscp --dscp 0x2e -j ACCEPT
ipt -A INPUT -m tos --tos 0x10/0x3f -j ACCEPT
ipt -A INPUT -p tcp -m tcpmss --mss 500:1400 -j ACCEPT
ipt -A INPUT -m devgroup --src-group 0x2 -j ACCEPT
ipt -A INPUT -m cpu --cpu 1 -j ACCEPT
ipt -A INPUT -m quota --quota 1000000 -j ACCEPT
ipt -A INPUT -p esp -m esp --espspi 100:200 -j ACCEPT
ipt -A INPUT -p ah -m ah --ahspi 5 -j ACCEPT
ipt -A INPUT -m connbytes --connbytes 10:1000 --connbytes-dir both --connbytes-mode bytes -j ACCEPT
ipt -t raw -A PREROUTING -m rpfilter --loose --invert -j DROP
ipt -t mangle -A PREROUTING -j TTL --ttl-inc 1
ipt -t mangle -A PREROUTING -p tcp -j ECN --ecn-tcp-remove
ipt -t mangle -A PREROUTING -j TEE --gateway 10.0.0.250
ipt -t mangle -A PREROUTING -p tcp -j TCPOPTSTRIP --strip-options sack-permitted,timestamp
ipt -A INPUT -p tcp -m tcp --dport 8443 -m state --state INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460
ipt -A INPUT -j AUDIT --type drop
ipt -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack
ipt -t raw -A PREROUTING -p tcp --dport 21 -j CT --helper ftp --zone 7
ipt -t nat -A POSTROUTING -o lo -p tcp -j MASQUERADE --to-ports 1000-2000 --random
ipt -t nat -A POSTROUTING -o lo -j SNAT --to-source 10.1.1.1-10.1.1.9 --persistent
ipt -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.2.2.2:8080
ipt -t nat -A PREROUTING -p tcp --dport 81 -j DNAT --to-destination 10.2.2.2:8080-8090/100
ipt -t nat -A PREROUTING -p tcp --dport 82 -j REDIRECT --to-ports 3129
ipt -S
ipt -L -v -n -x
ipt -t nat -S
ipt -t mangle -S
ipt -t raw -S

ip6t -A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT
ip6t -A INPUT -m conntrack --ctstate ESTABLISHED --ctorigsrc 2001:db8::/32 -j ACCEPT
ip6t -A INPUT -m hl --hl-lt 2 -j DROP
ip6t -A INPUT -m frag --fragid 100:200 --fraglast -j DROP
ip6t -A INPUT -m hbh --hbh-len 0 -j ACCEPT
ip6t -A INPUT -m ipv6header --header hop,frag --soft -j ACCEPT
ip6t -A INPUT -m ah --ahspi 7 -j ACCEPT
ip6t -t mangle -A PREROUTING -j HL --hl-set 64
ip6t -t mangle -A PREROUTING -j TEE --gateway 2001:db8::fe
ip6t -A INPUT -m iprange --dst-range 2001:db8::1-2001:db8::ff -j ACCEPT
ip6t -A INPUT -p tcp -j REJECT --reject-with tcp-reset
ip6t -A INPUT -j REJECT --reject-with icmp6-adm-prohibited
ip6t -A INPUT -j LOG --log-prefix "v6 " --log-level 6 --log-ip-options
ip6t -t nat -A POSTROUTING -o lo -j MASQUERADE
ip6t -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [2001:db8::2]:8080
ip6t -t nat -A POSTROUTING -o lo -j SNAT --to-source 2001:db8::1
ip6t -S
ip6t -t nat -S
ip6t -t mangle -S
ip6t -L -v -n

ebt -A INPUT -p IPv4 --ip-src 10.0.0.1 --ip-proto tcp --ip-dport 22 -j ACCEPT
ebt -A INPUT -p 802_1Q --vlan-id 10 --vlan-prio 3 -j DROP
ebt -A INPUT -p LENGTH --802_3-sap 0xaa -j ACCEPT
ebt -A INPUT --among-src 02:00:00:00:00:01,02:00:00:00:00:02=10.0.0.2 -j ACCEPT
ebt -A INPUT --mark 0x5/0xf -j ACCEPT
ebt -A FORWARD -j mark --mark-set 0x9 --mark-target CONTINUE
ebt -A INPUT --limit 10/sec --limit-burst 3 -j ACCEPT
ebt -A INPUT --log-level info --log-prefix "br" --log-ip -j ACCEPT
ebt -A INPUT --pkttype-type multicast -j DROP
ebt -A INPUT --nflog-group 3 --nflog-prefix "brlog" -j ACCEPT
ebt -t nat -A PREROUTING -d 02:00:00:00:00:03 -j dnat --to-destination 02:00:00:00:00:04 --dnat-target ACCEPT
ebt -t nat -A POSTROUTING -j snat --to-source 02:00:00:00:00:05 --snat-arp --snat-target CONTINUE
ebt -t nat -A PREROUTING -p IPv4 -j redirect --redirect-target ACCEPT
ebt -L --Lc
ebt -t nat -L

arpt -A INPUT -s 10.0.0.1 -j ACCEPT
arpt -A OUTPUT -j mangle --mangle-ip-s 10.0.0.9 --mangle-mac-s 02:00:00:00:00:09
arpt -A OUTPUT -j CLASSIFY --set-class 1:2
arpt -A INPUT -j MARK --set-mark 0x3
arpt -L -v -n
