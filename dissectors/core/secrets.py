"""Key material: which values are secrets, and how they are shown — never as their bytes.

A capture of `wg show`, `ip xfrm state`, `iw … key add` or a supplicant's traffic carries
private and preshared keys.  Whoever decodes such a value — a built-in family, a user's
YNL spec, a struct member — shows it as its length and a SHA-256 prefix (enough to tell
two keys apart, nothing to recover one; a password, a short secret or one made from a password
— an NT hash, a PMK — shows only its length), in the tree, in JSON and to filters alike, unless
the user asks for the bytes (`Context(show_secrets=True)`, the CLI's `--show-secrets`).

What counts as a secret (`is_secret_name`), by the words of the attribute's C name
(`WGDEVICE_A_PRIVATE_KEY` → PRIVATE, KEY), for binary and string values only (an integer
named "key" is a key's index, id, serial or length, never key material):
- a word that always names key material: SECRET, PASSWORD, PASSWD, PASSPHRASE, PSK, PMK,
  KEK, KCK, RRK (FILS rRK), SOPASS (Wake-on-LAN SecureOn password), PRIVKEY, SALT
  (MACsec XPN salt);
- KEY as the last word (PRIVATE_KEY, PRESHARED_KEY, MACSEC_SA_ATTR_KEY, TIPC_NLA_NODE_KEY),
  or KEY followed by DATA or MATERIAL (NL80211_KEY_DATA, NL80211_ATTR_KEY_DATA);
- but not a public key (PUBLIC/PUB anywhere), nor when a word after it says the value is
  about a key rather than the key (KEY_IDX, PMK_LIFETIME, KEY_DATA_LEN): ID, IDX, INDEX,
  TYPE, TYPES, SEQ, LEN, LENGTH, SIZE, BITS, CIPHER, MODE, SERIAL, NUM, CNT, COUNT,
  LIFETIME, NAME, DEFAULT (a CIPHER_KEY is a key, a KEY_CIPHER is not) — and KEY inside a longer
  name (TCA_FLOWER_KEY_ETH_DST, OVS_KEY_ATTR_*, NFTA_SET_KEY_TYPE: a match key) or as part
  of a word (PMKID, IKEY/OKEY of GRE, HKEY of RSS) is not one.
"""
from __future__ import annotations

import hashlib

from ..model import Node

SECRET_WORDS = frozenset({"SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "PSK", "PMK", "KEK", "KCK", "RRK",
                          "SOPASS", "PRIVKEY", "SALT"})
KEY_CONTENT = frozenset({"DATA", "MATERIAL"})
NOT_KEY_MATERIAL = frozenset({"PUBLIC", "PUB", "ID", "IDX", "INDEX", "TYPE", "TYPES", "SEQ", "LEN", "LENGTH",
                              "SIZE", "BITS", "CIPHER", "MODE", "SERIAL", "NUM", "CNT", "COUNT", "LIFETIME",
                              "NAME", "DEFAULT"})


def is_secret_name(name: str | None) -> bool:
    """True when a value of this (C or YNL) name is key material; see the module's rule."""
    if not name:
        return False
    words = [w for w in name.upper().replace("-", "_").split("_") if w]
    if not words or "PUBLIC" in words or "PUB" in words:
        return False
    for i, w in enumerate(words):
        if w in SECRET_WORDS or (w == "KEY" and (i == len(words) - 1 or words[i + 1] in KEY_CONTENT)):
            rest = words[i + 1:] if w != "KEY" or i == len(words) - 1 else words[i + 2:]
            if not NOT_KEY_MATERIAL.intersection(rest):   # KEY_IDX, PMK_LIFETIME: about a key
                return True
    return False


# A digest is shown only for what can only be random key material: 16 bytes or more that are
# not all printable ASCII.  A password, passphrase or short secret (a 6-byte SecureOn
# password, an SAE password, a PSK passphrase) could be found again from its digest by trying
# a dictionary, so it shows only its length.
DIGEST_MIN_BYTES = 16
# Words of a name that say the value is made from a password, however random its bytes look
# (an NT hash is MD4 of the password, a WPA PMK PBKDF2 of the passphrase and the SSID): a
# digest of it would let a dictionary find the password, so it shows only its length.
PASSWORD_WORDS = frozenset({"PASSWORD", "PASSWD", "PASSPHRASE", "PSK", "PMK", "SOPASS"})


def password_derived(name: str | None) -> bool:
    """True when a secret of this C, YNL or field name is made from a password (PASSWORD_WORDS)."""
    if not name:
        return False
    return not PASSWORD_WORDS.isdisjoint(name.upper().replace("-", "_").replace(".", "_").split("_"))


def redacted(data: bytes, zeros: bool = True, digest: bool = True) -> str:
    """How a secret shows: `<32 bytes, sha256 0123456789abcdef>` for random key material,
    `<12 bytes>` for a short or text secret (see DIGEST_MIN_BYTES) or one made from a
    password (`digest=False`), `<32 zero bytes>` for an all-zero one (how WireGuard says
    "remove the key", with `zeros`)."""
    if zeros and not any(data):
        return f"<{len(data)} zero bytes>"
    if not digest or len(data) < DIGEST_MIN_BYTES or all(0x20 <= b < 0x7F for b in data):
        return f"<{len(data)} bytes>"
    return f"<{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}>"


class SecretNode(Node):
    """A node holding key material: its value is the redacted text; `span` says where the
    bytes are, for `reveal()` when the user asked to see them."""

    __slots__ = ("span",)

    def __init__(self, field, data: bytes, offset: int, length: int, span: tuple[int, int],
                 children=None, label: str | None = None, zeros: bool = True, digest: bool | None = None):
        if digest is None:   # by default, no digest of what its field's names say a password made
            digest = not (password_derived(field.name) or password_derived(field.abbrev) or password_derived(label))
        Node.__init__(self, field, redacted(data, zeros, digest), offset, length, None, children, None, label)
        self.span = span


def secret_node(field, buf, start: int, end: int, offset: int | None = None, length: int | None = None,
                label: str | None = None, children=None, zeros: bool = True, digest: bool | None = None) -> SecretNode:
    """A redacted node for the secret bytes buf[start:end] (the node itself may span more:
    an attribute's header, given by `offset`/`length`); `digest=False` for bytes that may
    hold something made from a password (None: as the field's names say)."""
    return SecretNode(field, bytes(buf[start:end]), start if offset is None else offset,
                      end - start if length is None else length, (start, end), children, label, zeros, digest)


def reveal(root: Node, buf) -> None:
    """Show the bytes of every secret in the tree (the user asked for them explicitly)."""
    for n in root.walk():
        if isinstance(n, SecretNode):
            start, end = n.span
            n.value = bytes(buf[start:end])
            n.text = None
