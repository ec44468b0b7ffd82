"""captures/{,6.12/}wifi-ap.pcapng: hostapd and wpa_supplicant associating over two
mac80211_hwsim radios (captures/scenarios/wifi-ap.sh), WPA2-PSK then WPA3-SAE, recorded in the
VM on 6.1 and 6.12.  Each association's commands came back decoded, with the values that the
programs themselves printed (wpa_cli, hostapd_cli and iw, in captures/wifi-ap.log), and the
key material they handed the kernel shows only when asked."""
import json
import re

import pytest

from dissectors import Context, format_tree
from dissectors.core.secrets import SecretNode
from dissectors.families.genl import nl80211_frames as F
from nlscope.messages import messages
from nlscope.sources import read_capture
from tests.conftest import KERNEL_CAPTURES as KERNELS, decode_file
from tests.dissectors.wireguard_frames import leaks

ASSOCIATIONS = {"psk": "### WPA2-PSK", "sae": "### WPA3-SAE"}
AKM_NAMES = {"WPA2-PSK": "PSK", "SAE": "SAE"}   # wpa_cli's key_mgmt -> the RSN element's AKM


def _outputs(section: str) -> dict[str, list[str]]:
    """A section of the log: each `run` command's output lines, by the command's first words."""
    out, cmd = {}, None
    for line in section.splitlines():
        if line.startswith("+ "):
            words = line[2:].split()
            cmd = " ".join(w for w in words if not w.startswith("/") and w not in ("-p", "-i"))
            out[cmd] = []
        elif line.startswith("rc="):
            cmd = None
        elif cmd is not None:
            out[cmd].append(line)
    return out


def _pairs(lines) -> dict[str, str]:
    return dict(line.split("=", 1) for line in lines if "=" in line)


def logged(kernel: str, assoc: str) -> dict:
    """What wpa_cli, hostapd_cli and iw printed during one association."""
    text = (KERNELS[kernel] / "wifi-ap.log").read_text()
    start = text.index(ASSOCIATIONS[assoc])
    others = [text.index(h) for h in ASSOCIATIONS.values() if text.index(h) > start]
    runs = _outputs(text[start:min(others, default=len(text))])
    sta, ap = _pairs(runs["wpa_cli wlan1 status"]), _pairs(runs["hostapd_cli wlan0 status"])
    link = "\n".join(runs["iw dev wlan1 link"])
    return {"sta": sta, "ap": ap, "all_sta": runs["hostapd_cli wlan0 all_sta"][0].strip(),
            "link_bssid": re.search(r"Connected to (\S+)", link).group(1),
            "link_ssid": re.search(r"SSID: (.*)", link).group(1).strip(),
            "link_freq": int(re.search(r"freq: (\d+)", link).group(1)),
            "dump_sta": re.search(r"Station (\S+)", "\n".join(runs["iw dev wlan0 station dump"])).group(1)}


def association(msgs, assoc: str):
    """The messages from the START_AP of one association to the next START_AP (or the end)."""
    starts = [i for i, m in enumerate(msgs) if m.type_name == "NL80211_CMD_START_AP" and m.direction == "to kernel"]
    assert len(starts) == 2, starts
    return msgs[starts[0]:starts[1]] if assoc == "psk" else msgs[starts[1]:]


def _bad(m):
    return [(n.name, n.status) for n in m.tree.walk() if n.status]


def _requests(msgs, cmd):
    return [m for m in msgs if m.type_name == f"NL80211_CMD_{cmd}" and m.direction == "to kernel"]


def _events(msgs, cmd):
    return [m for m in msgs if m.type_name == f"NL80211_CMD_{cmd}" and m.direction == "from kernel" and m.seq == 0]


def _acked(msgs, req) -> bool:
    """The request was answered with an ACK (error 0)."""
    return any(r.type_name == "NLMSG_ERROR" and r.seq == req.seq and r.pid == req.pid and r.error["code"] == 0
               for r in msgs if r.direction == "from kernel")


@pytest.fixture(scope="module", params=list(KERNELS))
def capture(request):
    return request.param, decode_file(KERNELS[request.param] / "wifi-ap.pcapng")


def test_every_message_is_claimed_and_decodes_whole(capture):
    kernel, msgs = capture
    assert len(msgs) > 3000
    for m in msgs:
        assert m.claimed, f"{m.frame}.{m.index} {m.type_name}"
        assert not _bad(m), f"{m.frame}.{m.index} {m.type_name}: {_bad(m)}"


@pytest.mark.parametrize("assoc", ASSOCIATIONS)
def test_the_access_point_is_what_hostapd_said(capture, assoc):
    kernel, msgs = capture
    log, part = logged(kernel, assoc), association(msgs, assoc)
    ap = log["ap"]
    ssid, bssid, channel, freq = ap["ssid[0]"], ap["bssid[0]"], int(ap["channel"]), int(ap["freq"])
    start = part[0]
    assert start.tree.first("nl80211.ssid") == ssid and _acked(msgs, start)
    assert start.tree.first("ieee80211.beacon.bssid") == bssid
    assert start.tree.first("ieee80211.ie.ssid") == ssid and start.tree.first("ieee80211.ie.ds.channel") == channel
    assert start.tree.first("nl80211.beacon_interval") == int(ap["beacon_int"])
    assert start.tree.first("nl80211.dtim_period") == int(ap["dtim_period"])
    akm = AKM_NAMES[log["sta"]["key_mgmt"]]
    assert start.tree.first("ieee80211.ie.rsn.akm").startswith(akm + " ")
    # the channel is set before the AP starts (hostapd's SET_WIPHY with the frequency)
    before = msgs[:msgs.index(start)]
    assert [m for m in _requests(before, "SET_WIPHY") if m.tree.first("nl80211.wiphy_freq") == freq]


@pytest.mark.parametrize("assoc", ASSOCIATIONS)
def test_the_station_joins_as_wpa_supplicant_and_iw_said(capture, assoc):
    kernel, msgs = capture
    log, part = logged(kernel, assoc), association(msgs, assoc)
    sta, bssid, ssid, freq = log["sta"]["address"], log["sta"]["bssid"], log["sta"]["ssid"], int(log["sta"]["freq"])
    assert (log["link_bssid"], log["link_ssid"], log["link_freq"]) == (bssid, ssid, freq)
    assert log["all_sta"] == log["dump_sta"] == sta
    for cmd in ("AUTHENTICATE", "ASSOCIATE"):   # wpa_supplicant's own SME on mac80211
        reqs = [m for m in _requests(part, cmd) if _acked(msgs, m)]
        assert reqs, cmd
        for m in reqs:
            assert (m.tree.first("nl80211.mac"), m.tree.first("nl80211.ssid"), m.tree.first("nl80211.wiphy_freq")) \
                == (bssid, ssid, freq), cmd
    # the AP saw the station's frames and added it
    rx = [m for m in part if m.type_name == "NL80211_CMD_FRAME" and m.direction == "from kernel"
          and m.tree.first("ieee80211.frame.type_subtype") == 0x00]   # association request
    assert rx and all(m.tree.first("ieee80211.frame.sa") == sta and m.tree.first("ieee80211.frame.bssid") == bssid
                      and m.tree.first("ieee80211.ie.ssid") == ssid for m in rx)
    assert [m for m in _requests(part, "NEW_STATION") if m.tree.first("nl80211.mac") == sta and _acked(msgs, m)]
    assert [m for m in _events(part, "CONNECT") if m.tree.first("nl80211.mac") == bssid]


@pytest.mark.parametrize("assoc", ASSOCIATIONS)
def test_the_4way_handshake_over_the_control_port(capture, assoc):
    kernel, msgs = capture
    log, part = logged(kernel, assoc), association(msgs, assoc)
    sta, bssid = log["sta"]["address"], log["sta"]["bssid"]
    eapol = {m.info.split()[1]: m for m in _requests(part, "CONTROL_PORT_FRAME") if m.info.startswith("EAPOL-Key")}
    assert set(eapol) == {"1/4", "2/4", "3/4", "4/4"}, sorted(eapol)
    for msg, peer in (("1/4", sta), ("2/4", bssid), ("3/4", sta), ("4/4", bssid)):
        m = eapol[msg]
        assert m.tree.first("nl80211.mac") == peer and _acked(msgs, m), msg
        assert m.tree.first("eapol.type") == 3 and m.tree.first("nl80211.control_port_ethertype.value") == 0x888E
    one, two, three = (eapol[k].tree for k in ("1/4", "2/4", "3/4"))
    assert one.first("eapol.keydes.replay_counter") == two.first("eapol.keydes.replay_counter")
    assert one.first("eapol.keydes.nonce") == three.first("eapol.keydes.nonce")   # the ANonce, sent again
    assert one.first("eapol.keydes.key_info.key_mic") is None and three.first("eapol.keydes.key_info.install")
    assert three.first("eapol.keydes.key_info.encrypted_key_data") and three.find("eapol.keydes.data") is not None
    # 2/4 carries the station's RSN element: the AKM and cipher wpa_cli reports
    assert two.first("ieee80211.ie.rsn.akm").startswith(AKM_NAMES[log["sta"]["key_mgmt"]] + " ")
    assert two.first("ieee80211.ie.rsn.pairwise_cipher").startswith(log["sta"]["pairwise_cipher"])
    # each frame's TX status names the receiver in its 802.3 header
    status = [m for m in part if m.type_name == "NL80211_CMD_CONTROL_PORT_FRAME_TX_STATUS"]
    assert {(m.tree.first("eth.dst"), m.tree.first("eth.src")) for m in status} == {(sta, bssid), (bssid, sta)}


def test_sae_commits_and_confirms_in_the_group_wpa_cli_names(capture):
    kernel, msgs = capture
    log, part = logged(kernel, "sae"), association(msgs, "sae")
    group = int(log["sta"]["sae_group"])
    assert group == 19   # NIST P-256: a 32-byte scalar, an element of two 32-byte coordinates
    auths = [m for m in _requests(part, "AUTHENTICATE") if m.tree.first("nl80211.auth_type") == 4]
    seqs = {m.tree.first("ieee80211.frame.auth_seq") for m in auths}
    assert seqs == {1, 2}
    commit = next(m for m in auths if m.tree.first("ieee80211.frame.auth_seq") == 1)
    assert commit.tree.first("ieee80211.sae.group") == group
    scalar, element = commit.tree.first("ieee80211.sae.scalar"), commit.tree.first("ieee80211.sae.element")
    assert len(scalar) == 32 and len(element) == 64
    # the AP received the same commit in an Authentication frame (algorithm 3, SAE)
    rx = [m for m in part if m.type_name == "NL80211_CMD_FRAME" and m.direction == "from kernel"
          and m.tree.first("ieee80211.frame.auth_algorithm") == 3]
    assert any(m.tree.first("ieee80211.sae.scalar") == scalar for m in rx)
    assert any(m.tree.first("ieee80211.sae.send_confirm") is not None for m in rx)
    # management frame protection (pmf=2, mgmt_group_cipher=BIP): the IGTK is installed
    assert log["sta"]["pmf"] == "2" and log["sta"]["mgmt_group_cipher"] == "BIP"
    assert [m for m in _requests(part, "NEW_KEY") if "BIP-CMAC-128" in (m.tree.find("nl80211.key_attributes.cipher")
                                                                         or m.tree.find("nl80211.key_cipher")).show]


def test_teardown(capture):
    kernel, msgs = capture
    psk, sae = association(msgs, "psk"), association(msgs, "sae")
    log = logged(kernel, "psk")["sta"]
    sta, bssid = log["address"], log["bssid"]
    # WPA2-PSK: the station leaves (reason 3), the AP removes it and stops
    deauth = _requests(psk, "DEAUTHENTICATE")
    assert deauth and deauth[0].tree.first("nl80211.mac") == bssid and deauth[0].tree.first("nl80211.reason_code") == 3
    after = psk[psk.index(deauth[0]):]
    assert [m for m in _requests(after, "DEL_STATION") if m.tree.first("nl80211.mac") == sta and _acked(msgs, m)]
    assert [m for m in _requests(after, "STOP_AP") if _acked(msgs, m)]
    # WPA3-SAE: the AP leaves first; the kernel deletes the station on both sides and the
    # station hears the AP's deauthentication
    stop = _requests(sae, "STOP_AP")
    assert stop and _acked(msgs, stop[0])
    after = sae[sae.index(stop[0]):]
    assert {m.tree.first("nl80211.mac") for m in _events(after, "DEL_STATION")} == {sta, bssid}
    assert [m for m in _events(after, "DEAUTHENTICATE") if m.tree.first("ieee80211.frame.sa") == bssid]
    assert _requests(after, "DEL_KEY")


def _everything(m) -> str:
    values = [repr(n.value) for n in m.tree.walk()] + [n.show for n in m.tree.walk()]
    return "\n".join([format_tree(m.tree), json.dumps(m.to_json())] + values)


@pytest.mark.parametrize("kernel", KERNELS)
def test_keys_show_as_length_and_digest_unless_asked(kernel):
    """Keys show as their length and a digest (a PMK its length only), their bytes only when asked."""
    path = KERNELS[kernel] / "wifi-ap.pcapng"
    hidden = list(messages(read_capture(str(path)), Context()))
    shown = list(messages(read_capture(str(path)), Context(show_secrets=True)))
    secrets = {}
    for m in hidden:
        for n in m.tree.walk():
            if isinstance(n, SecretNode):
                start, end = n.span
                secrets.setdefault(n.field.abbrev, []).append((m, n, bytes(m.buf[start:end])))
    # the TK, GTK and IGTK of both daemons (CCMP-128, BIP-CMAC-128), the KEK and KCK of GTK
    # rekey offload, and the PMK of the SAE association's PMKSA (group 19: SHA-256's 32 bytes)
    sizes = {"nl80211.key_attributes.data": 16, "nl80211.rekey_data.kek": 16, "nl80211.rekey_data.kck": 16,
             "nl80211.pmk": 32}
    assert set(secrets) == set(sizes)
    for name, found in secrets.items():
        for m, n, key in found:
            assert len(key) == sizes[name], (name, len(key))
            # a PMK may be made from the passphrase (WPA2-PSK: PBKDF2 of it and the SSID), so it
            # shows its length only; the temporal and rekey keys their digest too
            want = rf"<{len(key)} bytes>" if name == "nl80211.pmk" else rf"<{len(key)} bytes, sha256 [0-9a-f]{{16}}>"
            assert re.fullmatch(want, n.value), (name, n.value)
            assert not leaks(_everything(m), key), (name, m.frame)
    revealed = [n for m in shown for n in m.tree.walk() if n.field.abbrev in sizes]
    assert len(revealed) == sum(map(len, secrets.values()))
    for n in revealed:
        assert isinstance(n.value, bytes) and len(n.value) == sizes[n.field.abbrev], (n.field.abbrev, n.value)


# --- the frame decoders on what the captures do not hold ----------------------------------
def _fields(nodes) -> dict:
    return {n.field.abbrev: n.value for top in nodes for n in top.walk()}


AP, STA = bytes.fromhex("020000000000"), bytes.fromhex("020000000100")


def test_sae_commit_with_an_anti_clogging_token_and_the_request_for_one():
    scalar, element, token = bytes(range(32)), bytes(range(64)), b"\xaa" * 20
    # seq 1, status 0, group 19, the token the AP asked for, scalar, element (12.4.7.4)
    got = _fields(F.decode_sae_auth_data(b"\x01\x00\x00\x00\x13\x00" + token + scalar + element, 0, 122))
    assert (got["ieee80211.sae.token"], got["ieee80211.sae.scalar"], got["ieee80211.sae.element"]) == (token, scalar, element)
    asked = _fields(F.decode_sae_auth_data(b"\x01\x00\x4c\x00\x13\x00" + token, 0, 26))   # status 76
    assert asked["ieee80211.frame.status_code"] == 76 and asked["ieee80211.sae.token"] == token
    assert "ieee80211.sae.scalar" not in asked


def test_eapol_key_with_a_24_byte_mic():
    """The SHA-384 AKMs' MIC (12.7.3): the key data length field is where a 24-byte MIC ends."""
    mic, kd = b"\x11" * 24, bytes.fromhex("dd0400000fac")   # a vendor element as key data
    body = bytes([2]) + (0x010a).to_bytes(2, "big") + (0).to_bytes(2, "big") + (7).to_bytes(8, "big") + bytes(32 + 16 + 8 + 8)
    body += mic + len(kd).to_bytes(2, "big") + kd
    pkt = bytes([2, 3]) + len(body).to_bytes(2, "big") + body
    got = _fields(F.decode_eapol(pkt, 0, len(pkt)))
    assert got["eapol.keydes.mic"] == mic and got["eapol.keydes.data_len"] == len(kd)
    assert got["eapol.keydes.replay_counter"] == 7 and got["eapol.keydes.key_info.key_mic"] is True
    assert F.eapol_summary(pkt) == "EAPOL-Key 2/4"


def test_action_frames_and_every_truncation_of_a_frame():
    hdr = bytes([0xD0, 0]) + bytes(2) + AP + STA + AP + bytes(2)
    sa_query = hdr + bytes([8, 0]) + b"\x12\x34"   # SA Query request, transaction id
    got = _fields(F.decode_ieee80211_frame(sa_query, 0, len(sa_query)))
    assert (got["ieee80211.frame.category"], got["ieee80211.frame.action_code"], got["ieee80211.frame.body"]) \
        == (8, 0, b"\x12\x34")
    assert F.frame_summary(sa_query) == "Action 02:00:00:00:01:00 → 02:00:00:00:00:00"
    auth = bytes([0xB0, 0]) + bytes(2) + AP + STA + AP + bytes(2) + bytes.fromhex("000001000000")
    for n in range(len(auth) + 1):   # never raises; short is malformed, never silently cut
        nodes = F.decode_ieee80211_frame(auth, 0, n)
        assert (any(x.status for top in nodes for x in top.walk())) == (n < len(auth)), n
