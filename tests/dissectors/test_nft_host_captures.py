"""captures/host-6.18/iptables-nft.pcapng and nft-extras.pcapng: iptables-nft, ip6tables-nft,
ebtables-nft, arptables-nft and nft on a 6.18 kernel, recorded by the .sh next to them (strace,
tools/strace2pcap.py).  Each check pairs a line the program printed (NAME.log: `iptables -S`,
`ebtables -L`, `nft list ruleset`, read back from the kernel) with the values decoded from the
kernel's own dump of that rule."""
import pytest

from tests.conftest import CAPTURES, decode_file

HOST = CAPTURES / "host-6.18"


def printed(name: str) -> str:
    """What the programs printed (the script's own `+ command` echoes left out)."""
    lines = (HOST / f"{name}.log").read_text().splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("+ "))


@pytest.fixture(scope="module")
def ipt():
    return decode_file(HOST / "iptables-nft.pcapng"), printed("iptables-nft")


@pytest.fixture(scope="module")
def nft():
    return decode_file(HOST / "nft-extras.pcapng"), printed("nft-extras")


def dumped(msgs, prefix: str) -> list[dict]:
    """Per struct (or nest) holding members `prefix`.* in the kernel's messages (port id set), those members."""
    out = []
    for m in msgs:
        if m.pid == 0:
            continue
        for n in m.tree.walk():
            members = {c.field.abbrev[len(prefix) + 1:]: c.value for c in n.children or ()
                       if c.field.abbrev.startswith(prefix + ".")}
            if members:
                out.append(members)
    return out


def has(rows, **want) -> bool:
    return any(all(r.get(k) == v for k, v in want.items()) for r in rows)


@pytest.mark.parametrize("name", ["iptables-nft", "nft-extras"])
def test_every_message_is_claimed_and_decoded_whole(name):
    msgs = decode_file(HOST / f"{name}.pcapng")
    assert msgs
    for m in msgs:
        assert m.claimed and not m.malformed, f"{m.frame}.{m.index}: {m.info}"
        bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
        assert not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"


def test_rule_info_names_the_extensions(ipt):
    msgs, log = ipt
    assert '-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW,ESTABLISHED -m comment --comment "ssh in" ' \
           '-j ACCEPT' in log
    infos = [m.info for m in msgs if m.type_name == "NFT_MSG_NEWRULE" and m.pid]
    assert "filter INPUT tcp dport 22 match conntrack match comment counter accept" in infos
    assert "nat PREROUTING tcp dport 80 counter target DNAT" in infos


def test_ipv4_matches(ipt):
    msgs, log = ipt
    assert "-A INPUT -m conntrack --ctstate DNAT --ctproto 17 --ctorigsrc 10.0.0.0/8 --ctorigdstport 53 " \
           "--ctdir ORIGINAL -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.conntrack"), origsrc_addr="10.0.0.0", origsrc_mask="255.0.0.0", l4proto=17,
               origdst_port=53, state_mask=0x80)
    assert "ssh in" in [r["comment"] for r in dumped(msgs, "xt.match.comment")]
    assert "-A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.multiport"), flags=1, count=4, ports_0=80, ports_1=443, ports_2=8000,
               ports_3=8080, pflags_2=1, invert=0)
    assert "-A INPUT -p udp -m multiport ! --sports 5060,5061 -j DROP" in log
    assert has(dumped(msgs, "xt.match.multiport"), flags=0, count=2, ports_0=5060, ports_1=5061, invert=1)
    assert "-A INPUT -p tcp -m tcp --sport 1024:65535 --tcp-option 2 --tcp-flags SYN,ACK SYN -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.tcp"), spts_min=1024, spts_max=65535, option=2, flg_mask=0x12, flg_cmp=0x02)
    assert "-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.icmp"), type=8, code_min=0, code_max=0xFF)
    assert "-A INPUT -m iprange --src-range 192.168.1.10-192.168.1.20 -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.iprange"), src_min="192.168.1.10", src_max="192.168.1.20", flags=1)
    assert "-A INPUT -m mac --mac-source 02:00:00:aa:bb:cc -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.mac"), srcaddr="02:00:00:aa:bb:cc")
    assert "-A INPUT -m physdev --physdev-in eth0 --physdev-is-bridged -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.physdev"), physindev="eth0", bitmask=0x05)
    assert "-A OUTPUT -m owner --uid-owner 1000-2000 --gid-owner 100 -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.owner"), uid_min=1000, uid_max=2000, gid_min=100, gid_max=100, match=3)
    assert "--rcheck --seconds 60 --hitcount 4 --name badguys --mask 255.255.255.255 --rsource" in log
    assert has(dumped(msgs, "xt.match.recent"), seconds=60, hit_count=4, name="badguys", mask="255.255.255.255",
               check_set=1, side=0)
    assert "--hashlimit-above 10/sec --hashlimit-burst 20 --hashlimit-mode srcip,dstport --hashlimit-name hl1" in log
    assert has(dumped(msgs, "xt.match.hashlimit"), name="hl1", burst=20, mode=0x02 | 0x04 | 0x10)
    assert '-m string --string "GET /" --algo bm --from 40 --to 200' in log
    assert has(dumped(msgs, "xt.match.string"), algo="bm", pattern="GET /", patlen=5, from_offset=40, to_offset=200)
    assert "-A INPUT -m ttl --ttl-gt 64 -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.ttl"), mode=3, ttl=64)
    assert "-A INPUT -m addrtype --dst-type LOCAL,BROADCAST --limit-iface-in -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.addrtype"), source=0, dest=0x0C, flags=0x4)


def test_more_ipv4_matches(ipt):
    msgs, log = ipt
    for line, prefix, want in [
            ("-m set --match-set blocklist src,dst --packets-gt 5", "xt.match.set",
             dict(match_set_dim=2, match_set_flags=0x02, packets_value=5, packets_op=4)),   # IPSET_COUNTER_GT
            ("-j SET --add-set blocklist src,dst --exist --timeout 30", "xt.target.set",
             dict(add_set_dim=2, add_set_flags=0x02, del_set_index=0xFFFF, timeout=30)),
            ("-m socket --transparent --nowildcard", "xt.match.socket", dict(flags=3)),
            ("-m helper --helper ftp", "xt.match.helper", dict(name="ftp", invert=0)),
            ("-m connlimit --connlimit-above 5 --connlimit-mask 24 --connlimit-saddr", "xt.match.connlimit",
             dict(mask="255.255.255.0", limit=5, flags=0)),
            ("-m statistic --mode nth --every 3 --packet 1", "xt.match.statistic",
             dict(mode=1, probability_or_every=2, packet=1)),
            ("-m statistic --mode random --probability 0.25000000000", "xt.match.statistic",
             dict(mode=0, probability_or_every=1 << 29)),
            ("-m time --timestart 09:00:00 --timestop 17:00:00 --weekdays Mon,Fri", "xt.match.time",
             dict(daytime_start=9 * 3600, daytime_stop=17 * 3600, weekdays_match=(1 << 1) | (1 << 5))),
            ("-m ecn --ecn-tcp-cwr", "xt.match.ecn", dict(operation=0x20)),
            ("-m dscp --dscp 0x2e", "xt.match.dscp", dict(dscp=0x2E)),
            ("-m tos --tos 0x10/0x3f", "xt.match.tos", dict(tos_value=0x10, tos_mask=0x3F)),
            ("-m tcpmss --mss 500:1400", "xt.match.tcpmss", dict(mss_min=500, mss_max=1400)),
            ("-m devgroup --src-group 0x2", "xt.match.devgroup", dict(flags=1, src_group=2)),
            ("-m cpu --cpu 1", "xt.match.cpu", dict(cpu=1)),
            ("-m quota --quota 1000000", "xt.match.quota", dict(quota=1000000)),
            ("-m esp --espspi 100:200", "xt.match.esp", dict(spis_min=100, spis_max=200)),
            ("-m ah --ahspi 5", "xt.match.ah", dict(spis_min=5, spis_max=5)),
            ("-m connbytes --connbytes 10:1000 --connbytes-mode bytes --connbytes-dir both", "xt.match.connbytes",
             {"from": 10, "to": 1000, "what": 1, "direction": 2}),
            ("-m rpfilter --loose --invert", "xt.match.rpfilter", dict(flags=0x9)),
            ("-j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460", "xt.target.synproxy",
             dict(options=0xF, wscale=7, mss=1460)),
            ("-j AUDIT --type drop", "xt.target.audit", dict(type=1)),
            ("-j TTL --ttl-inc 1", "xt.target.ttl", dict(mode=1, ttl=1)),
            ("-j TEE --gateway 10.0.0.250", "xt.target.tee", dict(gw="10.0.0.250", oif="")),
            ("-j TCPOPTSTRIP --strip-options 4,8", "xt.target.tcpoptstrip", dict(strip_bmap_0=(1 << 4) | (1 << 8))),
            ("-m frag --fragid 100:200 --fraglast", "xt.match.frag", dict(ids_min=100, ids_max=200, flags=0x21)),
            ("-m ipv6header --header hop-by-hop,ipv6-frag --soft", "xt.match.ipv6header", dict(matchflags=0x90)),
            ("-m ah --ahspi 7", "xt.match.ah", dict(spis_min=7, hdrlen=0)),     # ip6t_ah
            ("-j TEE --gateway 2001:db8::fe", "xt.target.tee", dict(gw="2001:db8::fe")),
            ("-j HL --hl-set 64", "xt.target.hl", dict(mode=0, hop_limit=64))]:
        assert line in log
        assert has(dumped(msgs, prefix), **want), (line, dumped(msgs, prefix))


def test_ipv4_targets(ipt):
    msgs, log = ipt
    assert '-j LOG --log-prefix "drop: " --log-tcp-sequence --log-uid' in log
    assert has(dumped(msgs, "xt.target.log"), level=4, logflags=0x09, prefix="drop: ")
    assert "-A INPUT -p tcp -j REJECT --reject-with tcp-reset" in log
    assert {r["with"] for r in dumped(msgs, "xt.target.reject")} >= {7, 6}   # IPT_TCP_RESET, …_HOST_PROHIBITED
    assert "-A PREROUTING -p tcp -m tcp --dport 81 -j DNAT --to-destination 10.2.2.2:8080-8090/100" in log
    assert has(dumped(msgs, "xt.target.dnat"), flags=0x23, min_addr="10.2.2.2", max_addr="10.2.2.2",
               min_proto=8080, max_proto=8090, base_proto=100)
    assert "-A POSTROUTING -o lo -j SNAT --to-source 10.1.1.1-10.1.1.9 --persistent" in log
    assert has(dumped(msgs, "xt.target.snat"), rangesize=1, flags=0x09, min_ip="10.1.1.1", max_ip="10.1.1.9")
    assert "-A POSTROUTING -o lo -p tcp -j MASQUERADE --to-ports 1000-2000 --random" in log
    assert has(dumped(msgs, "xt.target.masquerade"), flags=0x06, min=1000, max=2000)
    assert "-A PREROUTING -p tcp -j TPROXY --on-port 3128 --on-ip 127.0.0.1 --tproxy-mark 0x1/0x1" in log
    assert has(dumped(msgs, "xt.target.tproxy"), laddr="127.0.0.1", lport=3128, mark_value=1, mark_mask=1)
    assert "-A FORWARD -j NFQUEUE --queue-balance 2:5 --queue-bypass --queue-cpu-fanout" in log
    assert has(dumped(msgs, "xt.target.nfqueue"), queuenum=2, queues_total=4, flags=3)
    assert "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp --zone 7" in log
    assert has(dumped(msgs, "xt.target.ct"), helper="ftp", zone=7)
    assert has(dumped(msgs, "xt.target.ct"), flags=1)   # --notrack
    assert '-A FORWARD -m comment --comment "connmark save" -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff' in log
    assert has(dumped(msgs, "xt.target.connmark"), mode=1, ctmask=0xFF, nfmask=0xFF)
    assert "-A PREROUTING -j TOS --set-tos 0x10/0x3f" in log
    assert has(dumped(msgs, "xt.target.tos"), tos_value=0x10, tos_mask=0x3F)
    assert "-A POSTROUTING -j CLASSIFY --set-class 0001:0010" in log
    assert has(dumped(msgs, "xt.target.classify"), priority=0x00010010)
    assert "-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu" in log
    assert {r["mss"] for r in dumped(msgs, "xt.target.tcpmss")} == {0xFFFF, 1400}


def test_ipv6_rules_read_their_addresses_as_ipv6(ipt):
    msgs, log = ipt
    assert "-A INPUT -m conntrack --ctstate ESTABLISHED --ctorigsrc 2001:db8::/32 -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.conntrack"), origsrc_addr="2001:db8::", origsrc_mask="ffff:ffff::")
    assert "-A INPUT -m iprange --dst-range 2001:db8::1-2001:db8::ff -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.iprange"), dst_min="2001:db8::1", dst_max="2001:db8::ff")
    assert "-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination [2001:db8::2]:8080" in log
    assert has(dumped(msgs, "xt.target.dnat"), min_addr="2001:db8::2", min_proto=8080)
    assert "-A INPUT -j REJECT --reject-with icmp6-adm-prohibited" in log
    rejects = {n.show for m in msgs if m.pid and m.tree.first("nfnl.family") == 10
               for n in m.tree.find_all("xt.target.reject.with")}
    assert rejects == {"IP6T_TCP_RESET (6)", "IP6T_ICMP6_ADM_PROHIBITED (1)"}
    assert "-A INPUT -m hl --hl-lt 2 -j DROP" in log
    assert has(dumped(msgs, "xt.match.hl"), mode=2, hop_limit=2)


def test_ebtables_and_arptables(ipt):
    msgs, log = ipt
    assert "-p IPv4 --ip-src 10.0.0.1 --ip-proto tcp --ip-dport 22 -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.ip"), saddr="10.0.0.1", protocol=6, dport_min=22, dport_max=22)
    assert "-p 802_1Q --vlan-id 10 -j DROP" in log
    assert has(dumped(msgs, "xt.match.vlan"), id=10)
    assert "--mark 0x5/0xf -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.mark_m"), mark=5, mask=0xF)
    assert "-j mark --mark-set 0x9 --mark-target CONTINUE" in log
    assert has(dumped(msgs, "xt.target.mark"), target=-3)
    assert '--log-level info --log-prefix "br" --log-ip -j ACCEPT' in log
    assert has(dumped(msgs, "xt.target.log"), loglevel=6, prefix="br", bitmask=1)
    assert "-d 02:00:00:00:00:03 -j dnat --to-dst 02:00:00:00:00:04 --dnat-target ACCEPT" in log
    assert has(dumped(msgs, "xt.target.dnat"), mac="02:00:00:00:00:04", target=-1)
    assert "-j snat --to-src 02:00:00:00:00:05 --snat-arp --snat-target CONTINUE" in log
    assert has(dumped(msgs, "xt.target.snat"), mac="02:00:00:00:00:05")
    assert "-p Length --802_3-sap 0xaa -j ACCEPT" in log
    assert has(dumped(msgs, "xt.match.802_3"), sap=0xAA, bitmask=1)
    assert "-j mangle -i * -o * --mangle-ip-s 10.0.0.9 --mangle-mac-s 02:00:00:00:00:09" in log
    assert has(dumped(msgs, "xt.target.mangle"), src_ip="10.0.0.9", src_devaddr="02:00:00:00:00:09")


def test_nft_extras(nft):
    msgs, log = nft
    infos = [m.info for m in msgs if m.type_name == "NFT_MSG_NEWRULE" and m.pid]
    assert "\t\tlimit rate over 10/second drop\n" in log
    assert "t in limit rate over 10/second drop" in infos
    assert "policy = { established : 120, close : 20 }" in log
    assert has(dumped(msgs, "cttimeout.tcp"), established=120, close=20)
    assert "policy = { unreplied : 15, replied : 60 }" in log
    assert has(dumped(msgs, "cttimeout.udp"), unreplied=15, replied=60)
    assert "\t\tdport 5060\n\t\ttimeout 1m\n\t\tsize 12\n" in log
    expects = [m for m in msgs if m.pid and m.tree.find("nft.ct_expect.timeout") is not None]
    assert expects and all(m.tree.find("nft.ct_expect.timeout").value == 60000 for m in expects)
    assert "synproxy mss 1460 wscale 7 timestamp sack-perm" in log
    syn = [(m.tree.find("nft.synproxy.mss").value, m.tree.find("nft.synproxy.wscale").value)
           for m in msgs if m.pid and m.tree.find("nft.synproxy.mss") is not None]
    assert (1460, 7) in syn and (1400, 5) in syn   # the rule's and the object sp1's
    assert "meta l4proto tcp tproxy to 127.0.0.1:3128" in log
    # the ip6 tproxy rule was refused (EOPNOTSUPP, this host has no nf_tproxy_ipv6): only IPv4 ones come back
    families = {n.show for m in msgs if m.pid and m.type_name == "NFT_MSG_NEWRULE"
                for n in m.tree.find_all("nft.tproxy.family")}
    assert families == {"NFPROTO_IPV4 (2)"}
    assert 'ip saddr 10.0.0.5 fwd ip to 10.0.0.6 device "lo"' in log
    assert any(m.tree.find("nft.fwd.nfproto") is not None for m in msgs if m.pid)
    assert any(m.tree.find("nft.dup.sreg_dev") is not None for m in msgs if m.pid)


def test_nft_rules_info_in_nfts_words(nft):
    """The Info of the kernel's rule dumps says what `nft list ruleset` printed (device names
    aside: the rule holds an interface index)."""
    msgs, log = nft
    infos = {m.info for m in msgs if m.type_name == "NFT_MSG_NEWRULE" and m.pid}
    for listed, info in [
            ("udp dport 53 tproxy to :5353", "t pre udp dport 53 tproxy to :5353"),
            ("meta l4proto tcp tproxy ip to 127.0.0.1:3129", "ti pre meta l4proto tcp tproxy ip to 127.0.0.1:3129"),
            ("tcp dport 80 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm",
             "t in tcp dport 80 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm"),
            ("meta mark set numgen inc mod 4 offset 10", "t in meta mark set numgen inc mod 4 offset 10"),
            ("meta mark set symhash mod 2", "t in meta mark set symhash mod 2"),
            ('ct timeout set "tcpto"', "t in ct timeout set tcpto"),
            ('tcp dport 443 synproxy name "sp1"', "t in tcp dport 443 synproxy name sp1"),
            ('ip saddr 10.0.0.1 dup to 10.0.0.2 device "lo"', "t in ip saddr 10.0.0.1 dup to 10.0.0.2 device 1"),
            ('ip saddr 10.0.0.5 fwd ip to 10.0.0.6 device "lo"',
             "nd ing meta protocol 8 ip saddr 10.0.0.5 fwd ip to 10.0.0.6 device 1")]:
        assert f"\t\t{listed}\n" in log
        assert info in infos
