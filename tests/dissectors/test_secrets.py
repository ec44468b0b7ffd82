"""Key material stays redacted whoever decodes it: built-ins, a user's spec, a remapped id."""
import json
import struct

import pytest

import dissectors
from dissectors import Context, decode_frame, format_tree
from dissectors.core import registry
from dissectors.core.secrets import is_secret_name
from dissectors.generated import nl80211 as N
from dissectors.ynl import parse_spec
from tests.dissectors.build import msg, nla
from tests.dissectors.wireguard_frames import (NLM_F_REQUEST, PRESHARED_KEY, PRIVATE_KEY, PUBLIC_KEY, WG_ID, leaks,
                                               newfamily, wg_device)


@pytest.fixture
def restore_tables():
    dissectors.load_families()
    genl = dict(registry.GENL_FAMILIES)
    yield
    registry.GENL_FAMILIES.clear()
    registry.GENL_FAMILIES.update(genl)


def _decode_all(frames, ctx):
    out, pos = [], 0
    for fr in frames:
        ms = decode_frame(fr, 16, ctx, pos=pos)
        pos += len(ms)
        out.extend(ms)
    return out


def _everything(m) -> str:
    """What -V, JSON and the values a filter reads show of a message."""
    values = [repr(n.value) for n in m.tree.walk()] + [n.show for n in m.tree.walk()]
    return "\n".join([format_tree(m.tree), json.dumps(m.to_json())] + values)


def test_a_spoofed_newfamily_request_does_not_remap_wireguard():
    """Issue 13 item 3a: an unprivileged user's CTRL_CMD_NEWFAMILY *request* (the kernel
    rejects it, nlmon taps it) re-mapped wireguard's id to an unknown family, whose
    attributes print raw: the private key in hex."""
    ctx = Context()
    msgs = _decode_all([newfamily(WG_ID, "wireguard"), newfamily(WG_ID, "notwg", NLM_F_REQUEST), wg_device()], ctx)
    wg = msgs[-1]
    assert wg.family == "wireguard" and wg.type_name == "WG_CMD_GET_DEVICE"
    assert not leaks(_everything(wg), PRIVATE_KEY) and not leaks(_everything(wg), PRESHARED_KEY)
    assert ctx.genl_name(WG_ID, 2) == "wireguard"


def test_newfamily_the_kernel_cannot_have_sent_teaches_nothing():
    """Ids outside [GENL_MIN_ID, GENL_MAX_ID] and names of GENL_NAMSIZ or more are forgeries."""
    ctx = Context()
    _decode_all([newfamily(0x2000, "wireguard"), newfamily(0x16, "x" * 16), newfamily(0x17, "ok")], ctx)
    assert ctx.genl_name(0x2000) is None and ctx.genl_name(0x16) is None and ctx.genl_name(0x17) == "ok"


# The kernel's Documentation/netlink/specs/wireguard.yaml, abridged (docs and checks left
# out): keys are `binary` with `display-hint: hex`, and the reply reuses the request's
# attribute list through a YAML alias, as the kernel's file does.
WIREGUARD_YAML = """
name: wireguard
protocol: genetlink-legacy
definitions:
  - { name-prefix: wg-, name: key-len, type: const, value: 32 }
  - name: --kernel-timespec
    type: struct
    members: [ { name: sec, type: u64 }, { name: nsec, type: u64 } ]
  - { name: wgdevice-flags, name-prefix: wgdevice-f-, type: flags, entries: [ replace-peers ] }
  - { name: wgpeer-flags, name-prefix: wgpeer-f-, type: flags, entries: [ remove-me, replace-allowedips, update-only ] }
attribute-sets:
  - name: wgdevice
    name-prefix: wgdevice-a-
    attributes:
      - { name: unspec, type: unused, value: 0 }
      - { name: ifindex, type: u32 }
      - { name: ifname, type: string }
      - { name: private-key, type: binary, display-hint: hex }
      - { name: public-key, type: binary, display-hint: hex }
      - { name: flags, type: u32, enum: wgdevice-flags }
      - { name: listen-port, type: u16 }
      - { name: fwmark, type: u32 }
      - { name: peers, type: indexed-array, sub-type: nest, nested-attributes: wgpeer }
  - name: wgpeer
    name-prefix: wgpeer-a-
    attributes:
      - { name: unspec, type: unused, value: 0 }
      - { name: public-key, type: binary, display-hint: hex }
      - { name: preshared-key, type: binary, display-hint: hex }
      - { name: flags, type: u32, enum: wgpeer-flags }
      - { name: endpoint, type: binary }
      - { name: persistent-keepalive-interval, type: u16 }
      - { name: last-handshake-time, type: binary, struct: --kernel-timespec }
      - { name: rx-bytes, type: u64 }
      - { name: tx-bytes, type: u64 }
operations:
  name-prefix: wg-cmd-
  list:
    - name: get-device
      value: 0
      attribute-set: wgdevice
      dump:
        request: { attributes: [ ifindex, ifname ] }
        reply: &all-attrs
          attributes: [ ifindex, ifname, private-key, public-key, flags, listen-port, fwmark, peers ]
    - name: set-device
      value: 1
      attribute-set: wgdevice
      do:
        request: *all-attrs
"""


def test_the_kernels_wireguard_spec_keeps_keys_redacted(restore_tables):
    """Issue 13 item 3b: `--spec wireguard.yaml` replaced the built-in family and printed
    the private and preshared keys in hex (its display hint)."""
    registry.register_genl_family(parse_spec(WIREGUARD_YAML, "wireguard.yaml"), replace=True)
    wg = decode_frame(wg_device(), 16, Context({WG_ID: "wireguard"}))[0]
    assert wg.type_name == "WG_CMD_GET_DEVICE"
    shown = _everything(wg)
    assert not leaks(shown, PRIVATE_KEY) and not leaks(shown, PRESHARED_KEY)
    priv = wg.tree.find("wireguard.wgdevice.private_key")
    assert priv.value.startswith("<32 bytes, sha256 ") and priv.offset is not None and priv.length == 36
    assert wg.tree.find("wireguard.wgdevice.public_key").value == PUBLIC_KEY   # public: no secret
    # asked for explicitly, the bytes show
    shown = decode_frame(wg_device(), 16, Context({WG_ID: "wireguard"}, show_secrets=True))[0]
    assert shown.tree.find("wireguard.wgdevice.private_key").value == PRIVATE_KEY
    assert PRESHARED_KEY.hex() in format_tree(shown.tree)


def test_a_filter_cannot_read_a_secret_byte_by_byte(restore_tables):
    from nlscope.analysis.filter import compile_filter
    registry.register_genl_family(parse_spec(WIREGUARD_YAML, "wireguard.yaml"), replace=True)
    wg = decode_frame(wg_device(), 16, Context({WG_ID: "wireguard"}))[0]
    first = "\\x%02x" % PRIVATE_KEY[0]     # the filter's escape for the key's first byte
    for text in (f'wireguard.wgdevice.private_key contains "{first}"',
                 f'wireguard.wgdevice.private_key matches "^{first}"',
                 f'wireguard.wgdevice.private_key matches "{PRIVATE_KEY[:4].hex()}"',
                 f'wireguard.private_key contains "{first}"',
                 f'wireguard.peer.preshared_key matches "^{chr(PRESHARED_KEY[0])}"'):
        assert not compile_filter(text)(wg), text
    assert compile_filter('wireguard.wgdevice.public_key contains "' + PUBLIC_KEY[:2].decode() + '"')(wg)


def test_nl80211_key_data_is_redacted_its_index_and_cipher_are_not():
    key = bytes(range(0x61, 0x71))
    keynest = nla(N.NL80211_KEY_DATA, key) + nla(N.NL80211_KEY_IDX, b"\x01") + nla(N.NL80211_KEY_SEQ, b"\x05" * 6)
    body = bytes([N.NL80211_CMD_NEW_KEY, 0, 0, 0]) + nla(N.NL80211_ATTR_IFINDEX, struct.pack("<I", 3)) \
        + nla(N.NL80211_ATTR_KEY_DATA, key) + nla(N.NL80211_ATTR_KEY_IDX, b"\x01") \
        + nla(N.NL80211_ATTR_KEY_CIPHER, struct.pack("<I", 0x000FAC04)) + nla(N.NL80211_ATTR_KEY | 0x8000, keynest)
    m = decode_frame(msg(0x1c, NLM_F_REQUEST, body), 16, Context({0x1c: "nl80211"}))[0]
    assert m.type_name == "NL80211_CMD_NEW_KEY"
    assert not leaks(_everything(m), key)
    assert m.tree.first("nl80211.key_idx") == 1 and m.tree.first("nl80211.key_attributes.seq") == b"\x05" * 6
    assert "CCMP" in m.tree.find("nl80211.key_cipher").show


def test_xfrm_keys_show_only_when_asked():
    """The xfrm algorithm hook's key node, shown as before and revealed with show_secrets."""
    from dissectors.families.xfrm import SA_INFO
    from dissectors.generated import xfrm as X
    key = bytes(range(0x80, 0x90))
    alg = b"cbc(aes)".ljust(64, b"\0") + struct.pack("<I", 8 * len(key)) + key
    frame = msg(X.XFRM_MSG_NEWSA, NLM_F_REQUEST, bytes(SA_INFO.size) + nla(X.XFRMA_ALG_CRYPT, alg))
    hidden = decode_frame(frame, 6, Context())[0]
    assert not leaks(_everything(hidden), key)
    assert hidden.tree.first("xfrm.alg.key").startswith(f"<{len(key)} bytes, sha256 ")
    shown = decode_frame(frame, 6, Context(show_secrets=True))[0]
    assert shown.tree.first("xfrm.alg.key") == key


SECRET = ["WGDEVICE_A_PRIVATE_KEY", "WGPEER_A_PRESHARED_KEY", "NL80211_KEY_DATA", "NL80211_ATTR_KEY_DATA",
          "NL80211_ATTR_PMK", "NL80211_ATTR_SAE_PASSWORD", "NL80211_REKEY_DATA_KEK", "NL80211_REKEY_DATA_KCK",
          "NL80211_ATTR_FILS_KEK", "NL80211_ATTR_FILS_ERP_RRK", "MACSEC_SA_ATTR_KEY", "MACSEC_SA_ATTR_SALT",
          "TIPC_NLA_NODE_KEY", "SEG6_ATTR_SECRET", "ETHTOOL_A_WOL_SOPASS", "ovpn-a-keydir-cipher-key",
          "wgdevice-a-private-key", "psk", "key"]
NOT_SECRET = ["WGDEVICE_A_PUBLIC_KEY", "WGPEER_A_PUBLIC_KEY", "NL80211_KEY_IDX", "NL80211_KEY_SEQ",
              "NL80211_KEY_CIPHER", "NL80211_KEY_TYPE", "NL80211_ATTR_KEY_TYPE", "NL80211_ATTR_KEY_DEFAULT_TYPES",
              "NL80211_ATTR_PMKID", "NL80211_ATTR_PMK_LIFETIME", "NL80211_ATTR_PMKR0_NAME", "MACSEC_SA_ATTR_KEYID",
              "SEG6_ATTR_SECRETLEN", "SEG6_ATTR_KEYID", "IFLA_GRE_IKEY", "TCA_FLOWER_KEY_ETH_DST",
              "TCA_TUNNEL_KEY_ENC_KEY_ID", "NFTA_SET_KEY_TYPE", "NFTA_SET_KEY_LEN",
              "ETHTOOL_A_RSS_HKEY", "XFRMA_SEC_CTX", "keyring", "handshake-a-x509-privkey-serial", ""]


@pytest.mark.parametrize("name", SECRET)
def test_secret_names(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", NOT_SECRET)
def test_not_secret_names(name):
    assert not is_secret_name(name)


def test_a_spec_may_mark_secrets_its_names_do_not_give_away(restore_tables):
    text = """
name: vault
protocol: genetlink
attribute-sets:
  - name: vault
    attributes:
      - { name: blob, type: binary, display-hint: secret }
      - { name: phrase, type: string, display-hint: secret }
      - { name: note, type: string }
operations: { list: [ { name: get, value: 1, attribute-set: vault } ] }
"""
    registry.register_genl_family(parse_spec(text, "vault.yaml"), replace=True)
    body = bytes([1, 1, 0, 0]) + nla(1, b"\x13\x37" * 8) + nla(2, b"hunter2hunter2\0") + nla(3, b"hello\0")
    m = decode_frame(msg(0x40, NLM_F_REQUEST, body), 16, Context({0x40: "vault"}))[0]
    shown = _everything(m)
    assert "hunter2" not in shown and not leaks(shown, b"\x13\x37" * 8)
    # a text secret shows only its length: a digest of a password could be found again by a dictionary
    assert m.tree.first("vault.phrase") == "<15 bytes>" and m.tree.first("vault.note") == "hello"
    assert m.tree.first("vault.blob").startswith("<16 bytes, sha256 ")


def test_short_and_text_secrets_show_no_digest():
    from dissectors.core.secrets import redacted
    assert redacted(b"\x01\x02\x03\x04\x05\x06") == "<6 bytes>"                 # a SecureOn password
    assert redacted(b"correct horse battery staple") == "<28 bytes>"          # a passphrase
    assert redacted(bytes(range(32))).startswith("<32 bytes, sha256 ")         # random key material
    assert redacted(bytes(32)) == "<32 zero bytes>"


def test_a_secret_made_from_a_password_shows_no_digest_however_random_it_looks():
    """An NT hash (MD4 of the password) or a WPA PMK (PBKDF2 of the passphrase and the SSID):
    a digest of one would let a dictionary find the password; by its names, or declared
    (hint "password"), it shows its length only, and random key material keeps its digest."""
    from dissectors.core.attrs import AttrSet, a, decode_attrs
    from dissectors.core.secrets import password_derived
    assert password_derived("NL80211_ATTR_PMK") and password_derived("ksmbd.login_response.password_hash")
    assert password_derived("wpa-psk") and not password_derived("WGDEVICE_A_PRIVATE_KEY")
    aset = AttrSet("pw", "test.secrets.pw", {"T_PMK": a("binary"), "T_KEY": a("binary"), "T_BLOB": a(
        "binary", hint="password")}, {"T_PMK": 1, "T_KEY": 2, "T_BLOB": 3}, strip="T_")
    data = bytes(range(1, 33))
    nodes = decode_attrs(nla(1, data) + nla(2, data) + nla(3, data), 0, 108, aset, "<")
    assert [n.value for n in nodes[:1] + nodes[2:]] == ["<32 bytes>", "<32 bytes>"]
    assert nodes[1].value.startswith("<32 bytes, sha256 ")
    assert all(data.hex() not in format_tree(n) for n in nodes)


def _pcap(frames) -> bytes:
    """A pcap file of LINKTYPE_NETLINK frames (protocol 16), as tcpdump on nlmon writes it."""
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 253)
    for i, data in enumerate(frames):
        rec = struct.pack(">HHH8sH", 4, 824, 0, b"", 16) + data
        out += struct.pack("<IIII", 1700000000 + i, 0, len(rec), len(rec)) + rec
    return out


def test_cli_prints_no_key_from_a_spoofed_capture_or_the_kernels_spec(tmp_path):
    import subprocess
    import sys
    cap = tmp_path / "wg.pcap"
    cap.write_bytes(_pcap([newfamily(WG_ID, "wireguard"), newfamily(WG_ID, "notwg", NLM_F_REQUEST), wg_device()]))
    spec = tmp_path / "wireguard.yaml"
    spec.write_text(WIREGUARD_YAML)
    for extra, field in (([], "wireguard.private_key"), (["--spec", str(spec)], "wireguard.wgdevice.private_key")):
        for mode in (["-V"], ["-T", "json"], ["-T", "fields", "-e", field]):
            r = subprocess.run([sys.executable, "-m", "nlscope", "read", str(cap), *mode, *extra],
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, r.stderr
            assert ("wireguard" if mode[0] != "-T" or mode[1] != "fields" else "<32 bytes, sha256") in r.stdout
            assert not leaks(r.stdout, PRIVATE_KEY) and not leaks(r.stdout, PRESHARED_KEY), (extra, mode)


def test_a_struct_member_holding_a_key_is_redacted(restore_tables):
    text = """
name: tunkey
protocol: genetlink
definitions:
  - name: sa
    type: struct
    members: [ { name: spi, type: u32 }, { name: key, type: binary, len: 16 }, { name: key-len, type: u16 },
               { name: pad, type: pad, len: 2 } ]
attribute-sets:
  - name: tunkey
    attributes: [ { name: sa, type: binary, struct: sa } ]
operations: { list: [ { name: get, value: 1, attribute-set: tunkey } ] }
"""
    registry.register_genl_family(parse_spec(text, "tunkey.yaml"), replace=True)
    key = bytes(range(0xd0, 0xe0))
    body = bytes([1, 1, 0, 0]) + nla(1, struct.pack("<I", 0x1234) + key + struct.pack("<HH", 128, 0))
    m = decode_frame(msg(0x41, NLM_F_REQUEST, body), 16, Context({0x41: "tunkey"}))[0]
    assert not leaks(_everything(m), key)
    assert m.tree.first("tunkey.sa.spi") == 0x1234 and m.tree.first("tunkey.sa.key_len") == 128
    assert m.tree.first("tunkey.sa.key").startswith("<16 bytes, sha256 ")
    shown = decode_frame(msg(0x41, NLM_F_REQUEST, body), 16, Context({0x41: "tunkey"}, show_secrets=True))[0]
    assert shown.tree.first("tunkey.sa.key") == key
