"""The frames nl80211 carries: 802.11 management frames, SAE and FILS authentication data,
EAPOL over the control port.

NL80211_ATTR_FRAME is "frame data including frame header and body, but not FCS" in
NL80211_CMD_FRAME, FRAME_TX_STATUS and the MLME events (AUTHENTICATE, ASSOCIATE,
DEAUTHENTICATE …): the 802.11 header (IEEE 802.11-2020 9.3.3.2), a management subtype's
fixed fields (9.3.3.3-9.3.3.14, 9.4.1) and its elements (`ieee80211_ies`).  In
NL80211_CMD_CONTROL_PORT_FRAME it is "the raw EAPoL data, without ethernet or 802.11
headers" (IEEE 802.1X-2020 11.3, EAPOL-Key: 802.11-2020 12.7.2); in
CONTROL_PORT_FRAME_TX_STATUS "the contents of the frame": mac80211 reports the 802.3 frame
it was given (net/mac80211/status.c: skb->data of the ack skb, taken before the 802.11
header is built).  NL80211_ATTR_AUTH_DATA is an Authentication frame's body from the
transaction sequence number on (nl80211.h), for SAE (12.4.7) and FILS.

Only headers and fixed fields are decoded; an action frame's body after its category and
action code, a protected (encrypted) body and an EAPOL packet other than EAPOL-Key are shown
as their bytes, named.  Nothing here is key material: SAE's scalar and element and EAPOL-Key's
nonces and MIC go over the air in the clear, and its Key Data is shown as the ciphertext it
is when the Encrypted Key Data bit says so.
"""
from __future__ import annotations

import struct

from ...core.attrs import malformed
from ...core.bits import declare_bits, flag_nodes
from ...model import BYTES, FIELDS, MAC, UINT, Node
from .ieee80211_ies import decode_ies, element_contents, rates

MGMT_SUBTYPES = {0: "Association Request", 1: "Association Response", 2: "Reassociation Request",
                 3: "Reassociation Response", 4: "Probe Request", 5: "Probe Response", 6: "Timing Advertisement",
                 8: "Beacon", 9: "ATIM", 10: "Disassociation", 11: "Authentication", 12: "Deauthentication",
                 13: "Action", 14: "Action No Ack"}
FRAME_TYPES = {0: "Management", 1: "Control", 2: "Data", 3: "Extension"}
# Frame Control's second octet (9.2.4.1.1)
FC_FLAGS = {0x01: "To DS", 0x02: "From DS", 0x04: "More Fragments", 0x08: "Retry", 0x10: "Power Management",
            0x20: "More Data", 0x40: "Protected", 0x80: "+HTC/Order"}
# 9.4.1.1 Authentication Algorithm Number (not nl80211_auth_type's numbering)
AUTH_ALGS = {0: "Open System", 1: "Shared Key", 2: "Fast BSS Transition", 3: "SAE", 4: "FILS SK",
             5: "FILS SK PFS", 6: "FILS PK", 128: "Network EAP"}
SAE, FILS_SK = 3, 4
# 9.4.1.9 Status Code and 9.4.1.7 Reason Code: the values SAE, the 4-way handshake and the
# daemons' teardown use (include/linux/ieee80211.h, enum ieee80211_statuscode / reasoncode)
STATUS = {0: "Success", 1: "Unspecified failure", 10: "Cannot support all requested capabilities",
          12: "Association denied", 13: "Unsupported authentication algorithm",
          14: "Unexpected authentication transaction sequence number", 15: "Challenge failure",
          17: "AP unable to handle more stations", 30: "Association rejected temporarily",
          37: "Request declined", 40: "Invalid element", 41: "Invalid group cipher", 42: "Invalid pairwise cipher",
          43: "Invalid AKMP", 53: "Invalid PMKID", 76: "Anti-clogging token required",
          77: "Finite cyclic group not supported", 123: "Unknown password identifier", 126: "SAE hash-to-element",
          127: "SAE-PK"}
REASONS = {1: "Unspecified", 2: "Previous authentication no longer valid", 3: "Deauthenticated: leaving",
           4: "Disassociated: inactivity", 5: "Disassociated: AP unable to handle all stations",
           6: "Class 2 frame from nonauthenticated STA", 7: "Class 3 frame from nonassociated STA",
           8: "Disassociated: leaving", 9: "Not authenticated", 14: "MIC failure", 15: "4-way handshake timeout",
           16: "Group key handshake timeout", 23: "IEEE 802.1X authentication failed"}
# 9.4.1.11 Category values
ACTION_CATEGORIES = {0: "Spectrum Management", 1: "QoS", 3: "Block Ack", 4: "Public", 5: "Radio Measurement",
                     6: "Fast BSS Transition", 7: "HT", 8: "SA Query", 9: "Protected Dual of Public Action",
                     10: "WNM", 11: "Unprotected WNM", 12: "TDLS", 13: "Mesh", 14: "Multihop",
                     15: "Self-protected", 21: "VHT", 30: "HE", 31: "Protected HE", 126: "Vendor-specific Protected",
                     127: "Vendor-specific"}
# SAE's elliptic-curve groups (IANA IKE group numbers, RFC 5903/5114/6954/8031 curves): the
# prime's length in octets; the scalar is as long (their order is as long as the prime) and
# the element twice (x and y).  Finite-field groups' lengths vary with the group: not split.
SAE_ECC_PRIME_LEN = {19: 32, 20: 48, 21: 66, 25: 24, 26: 28, 28: 32, 29: 48, 30: 64}

_F = "ieee80211.frame"
F_FRAME = FIELDS.add(f"{_F}.type_subtype", "Type/subtype", UINT, "the frame's type << 4 | subtype")
F_FC_FLAGS = FIELDS.add(f"{_F}.flags", "Frame control flags", UINT, "the second octet of frame control")
F_DURATION = FIELDS.add(f"{_F}.duration", "Duration", UINT, "duration/ID, in microseconds")
F_DA = FIELDS.add(f"{_F}.da", "Receiver/destination address", MAC, "address 1")
F_SA = FIELDS.add(f"{_F}.sa", "Transmitter/source address", MAC, "address 2")
F_BSSID = FIELDS.add(f"{_F}.bssid", "BSSID", MAC, "address 3 of a management frame")
F_SEQ = FIELDS.add(f"{_F}.seq", "Sequence number", UINT, "sequence control >> 4")
F_FRAG = FIELDS.add(f"{_F}.frag", "Fragment number", UINT, "sequence control & 0xf")
F_HTC = FIELDS.add(f"{_F}.ht_control", "HT Control", UINT, "present when +HTC/Order is set")
F_TIMESTAMP = FIELDS.add(f"{_F}.timestamp", "Timestamp", UINT, "TSF, in microseconds")
F_INTERVAL = FIELDS.add(f"{_F}.beacon_interval", "Beacon interval", UINT, "in TU (1.024 ms)")
F_CAPAB = FIELDS.add(f"{_F}.capabilities", "Capability information", UINT, "")
F_LISTEN = FIELDS.add(f"{_F}.listen_interval", "Listen interval", UINT, "in beacon intervals")
F_CURRENT_AP = FIELDS.add(f"{_F}.current_ap", "Current AP address", MAC, "reassociation request")
F_STATUS = FIELDS.add(f"{_F}.status_code", "Status code", UINT, "")
F_AID = FIELDS.add(f"{_F}.aid", "Association ID", UINT, "the AID field's low 14 bits")
F_REASON = FIELDS.add(f"{_F}.reason_code", "Reason code", UINT, "")
F_AUTH_ALG = FIELDS.add(f"{_F}.auth_algorithm", "Authentication algorithm", UINT, "")
F_AUTH_SEQ = FIELDS.add(f"{_F}.auth_seq", "Authentication transaction sequence number", UINT, "")
F_CATEGORY = FIELDS.add(f"{_F}.category", "Action category", UINT, "")
F_ACTION = FIELDS.add(f"{_F}.action_code", "Action code", UINT, "")
F_BODY = FIELDS.add(f"{_F}.body", "Frame body", BYTES, "what follows the decoded fields")
F_SAE_GROUP = FIELDS.add("ieee80211.sae.group", "Finite cyclic group", UINT, "SAE commit")
F_SAE_TOKEN = FIELDS.add("ieee80211.sae.token", "Anti-clogging token", BYTES, "SAE commit")
F_SAE_SCALAR = FIELDS.add("ieee80211.sae.scalar", "Scalar", BYTES, "SAE commit")
F_SAE_ELEMENT = FIELDS.add("ieee80211.sae.element", "Element", BYTES, "SAE commit: the point (x, y)")
F_SAE_COMMIT = FIELDS.add("ieee80211.sae.commit_data", "Scalar and element", BYTES, "SAE commit, group not split")
F_SAE_SEND_CONFIRM = FIELDS.add("ieee80211.sae.send_confirm", "Send-confirm", UINT, "SAE confirm")
F_SAE_CONFIRM = FIELDS.add("ieee80211.sae.confirm", "Confirm", BYTES, "SAE confirm")

F_ETH_DST = FIELDS.add("eth.dst", "Destination", MAC, "802.3 header")
F_ETH_SRC = FIELDS.add("eth.src", "Source", MAC, "802.3 header")
F_ETH_TYPE = FIELDS.add("eth.type", "Type", UINT, "802.3 header: the ethertype")
F_EAPOL_VERSION = FIELDS.add("eapol.version", "Version", UINT, "EAPOL protocol version")
F_EAPOL_TYPE = FIELDS.add("eapol.type", "Type", UINT, "EAPOL packet type")
F_EAPOL_LEN = FIELDS.add("eapol.len", "Length", UINT, "EAPOL packet body length")
F_EAPOL_BODY = FIELDS.add("eapol.body", "Packet body", BYTES, "an EAPOL packet other than EAPOL-Key")
F_EAPOL_PADDING = FIELDS.add("eapol.padding", "Padding", BYTES, "after the packet body: to the 802.3 minimum")
F_KEY_DESC = FIELDS.add("eapol.keydes.type", "Descriptor type", UINT, "EAPOL-Key: 2 IEEE 802.11, 254 WPA")
F_KEY_INFO = FIELDS.add("eapol.keydes.key_info", "Key information", UINT, "EAPOL-Key")
F_KEY_VERSION = FIELDS.add("eapol.keydes.key_info.version", "Key descriptor version", UINT, "key information & 7")
F_KEY_LEN = FIELDS.add("eapol.keydes.key_len", "Key length", UINT, "the pairwise cipher's key length")
F_REPLAY = FIELDS.add("eapol.keydes.replay_counter", "Replay counter", UINT, "")
F_NONCE = FIELDS.add("eapol.keydes.nonce", "Key nonce", BYTES, "ANonce or SNonce")
F_KEY_IV = FIELDS.add("eapol.keydes.key_iv", "EAPOL-Key IV", BYTES, "")
F_RSC = FIELDS.add("eapol.keydes.rsc", "Key RSC", UINT, "the group key's receive sequence counter")
F_KEY_ID = FIELDS.add("eapol.keydes.id", "Key ID (reserved)", BYTES, "WPA's key ID; reserved in IEEE 802.11")
F_MIC = FIELDS.add("eapol.keydes.mic", "Key MIC", BYTES, "")
F_KEY_DATA_LEN = FIELDS.add("eapol.keydes.data_len", "Key data length", UINT, "")
F_KEY_DATA = FIELDS.add("eapol.keydes.data", "Key data", BYTES, "encrypted (AES key wrap with the KEK)")
EAPOL_TYPES = {0: "EAP Packet", 1: "Start", 2: "Logoff", 3: "Key", 4: "Encapsulated-ASF-Alert", 5: "MKA",
               6: "Announcement (Generic)", 7: "Announcement (Specific)", 8: "Announcement-Req"}
EAPOL_KEY = 3
ETH_P_PAE, ETH_P_PREAUTH = 0x888E, 0x88C7   # <linux/if_ether.h>: both carry EAPOL
# Key Information bits above the descriptor version (12.7.2, figure 12-33)
KEY_INFO_BITS = {0x0008: "PAIRWISE", 0x0040: "INSTALL", 0x0080: "KEY_ACK", 0x0100: "KEY_MIC", 0x0200: "SECURE",
                 0x0400: "ERROR", 0x0800: "REQUEST", 0x1000: "ENCRYPTED_KEY_DATA", 0x2000: "SMK_MESSAGE"}
declare_bits(F_KEY_INFO, KEY_INFO_BITS)   # with the field, for filters (core/bits.py)
ENCRYPTED_KEY_DATA = 0x1000
# The MIC's length depends on the AKM (12.7.3, table 12-11), which the frame does not name:
# 16 octets but for the SHA-384 AKMs (24) and SAE-EXT-KEY/OWE with larger groups (24, 32),
# none for FILS.  The one whose Key Data Length agrees with the packet body's length is taken.
MIC_LENGTHS = (16, 24, 32, 0)
_KEY_FIXED = 1 + 2 + 2 + 8 + 32 + 16 + 8 + 8   # descriptor type … reserved, before the MIC


def _named(table: dict, v: int) -> str:
    return f"{table[v]} ({v})" if v in table else str(v)


def _mac(buf, p: int, field) -> Node:
    return Node(field, bytes(buf[p:p + 6]).hex(":"), p, 6)


def _rest(buf, p: int, end: int, field=F_BODY) -> list[Node]:
    """buf[p:end] as one node of `field` (none when empty): what is not decoded further."""
    return [Node(field, bytes(buf[p:end]), p, end - p)] if p < end else []


# --- 802.11 management frames ----------------------------------------------------------
def _le(buf, p: int, size: int, field, show=None) -> Node:
    """A little-endian integer field of `size` bytes, shown by `show` (value -> text)."""
    v = int.from_bytes(buf[p:p + size], "little")
    return Node(field, v, p, size, show(v) if show is not None else None)


# a management frame's fixed fields: name -> (size, node maker)
FIXED = {
    "timestamp": (8, lambda buf, p: _le(buf, p, 8, F_TIMESTAMP, lambda v: f"{v} us")),
    "interval": (2, lambda buf, p: _le(buf, p, 2, F_INTERVAL, lambda v: f"{v} TU")),
    "capab": (2, lambda buf, p: _le(buf, p, 2, F_CAPAB, lambda v: f"{v:#06x}")),
    "listen": (2, lambda buf, p: _le(buf, p, 2, F_LISTEN)),
    "current_ap": (6, lambda buf, p: _mac(buf, p, F_CURRENT_AP)),
    "status": (2, lambda buf, p: _le(buf, p, 2, F_STATUS, lambda v: _named(STATUS, v))),
    # the AID field's two top bits are set (as in a PS-Poll's): the AID is the rest
    "aid": (2, lambda buf, p: Node(F_AID, int.from_bytes(buf[p:p + 2], "little") & 0x3FFF, p, 2)),
    "reason": (2, lambda buf, p: _le(buf, p, 2, F_REASON, lambda v: _named(REASONS, v))),
}
# each subtype's fixed fields, before its elements (9.3.3.3-9.3.3.14)
SUBTYPE_FIELDS = {0: ("capab", "listen"), 1: ("capab", "status", "aid"), 2: ("capab", "listen", "current_ap"),
                  3: ("capab", "status", "aid"), 4: (), 5: ("timestamp", "interval", "capab"),
                  6: ("timestamp", "capab"), 8: ("timestamp", "interval", "capab"), 9: (), 10: ("reason",),
                  12: ("reason",)}
AUTH, ACTION, ACTION_NO_ACK = 11, 13, 14
MGMT_HDR = 24


def decode_ieee80211_frame(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """An 802.11 frame as nl80211 carries it (header and body, no FCS); never raises."""
    if end - start < 2:
        return [malformed(buf, start, end, "shorter than frame control")]
    fc0, flags = buf[start], buf[start + 1]
    ftype, subtype = (fc0 >> 2) & 3, fc0 >> 4
    name = MGMT_SUBTYPES.get(subtype, f"subtype {subtype}") if ftype == 0 else \
        f"{FRAME_TYPES[ftype]} frame, subtype {subtype}"
    if fc0 & 3:
        name += f", protocol version {fc0 & 3}"
    set_flags = ", ".join(n for b, n in FC_FLAGS.items() if flags & b)
    out = [Node(F_FRAME, ftype << 4 | subtype, start, 1, name),
           Node(F_FC_FLAGS, flags, start + 1, 1, f"{flags:#04x}" + (f" ({set_flags})" if set_flags else ""))]
    if ftype != 0:   # nl80211 gives management frames only; another is shown, not parsed
        return out + _rest(buf, start + 2, end)
    hdr = MGMT_HDR + (4 if flags & 0x80 else 0)
    if end - start < hdr:
        return out + [malformed(buf, start + 2, end, f"management frame header needs {hdr} bytes")]
    seq = struct.unpack_from("<H", buf, start + 22)[0]
    out += [_le(buf, start + 2, 2, F_DURATION), _mac(buf, start + 4, F_DA), _mac(buf, start + 10, F_SA),
            _mac(buf, start + 16, F_BSSID),
            Node(F_SEQ, seq >> 4, start + 22, 2), Node(F_FRAG, seq & 0xF, start + 22, 2)]
    if flags & 0x80:
        out.append(_le(buf, start + 24, 4, F_HTC, lambda v: f"{v:#010x}"))
    return out + mgmt_body(subtype, buf, start + hdr, end)


def mgmt_body(subtype: int, buf, p: int, end: int) -> list[Node]:
    """A management frame's body: its subtype's fixed fields, then its elements."""
    if subtype == AUTH:
        if end - p < 6:
            return [malformed(buf, p, end, "authentication body needs 6 bytes")]
        alg = struct.unpack_from("<H", buf, p)[0]
        return [_le(buf, p, 2, F_AUTH_ALG, lambda v: _named(AUTH_ALGS, v))] + auth_body(alg, buf, p + 2, end)
    if subtype in (ACTION, ACTION_NO_ACK):
        if end - p < 1:
            return [malformed(buf, p, end, "action frame without its category")]
        out = [Node(F_CATEGORY, buf[p], p, 1, _named(ACTION_CATEGORIES, buf[p]))]
        if end - p >= 2 and buf[p] & 0x7F not in (126, 127):   # vendor-specific: an OUI follows
            out.append(Node(F_ACTION, buf[p + 1], p + 1, 1))
            return out + _rest(buf, p + 2, end)
        return out + _rest(buf, p + 1, end)
    names = SUBTYPE_FIELDS.get(subtype)
    if names is None:   # a reserved subtype
        return _rest(buf, p, end)
    out = []
    for fname in names:
        size, make = FIXED[fname]
        if end - p < size:
            return out + [malformed(buf, p, end, f"{MGMT_SUBTYPES[subtype]}: {fname} needs {size} bytes")]
        out.append(make(buf, p))
        p += size
    return out + decode_ies(buf, p, end)


def auth_body(alg: int, buf, p: int, end: int) -> list[Node]:
    """An Authentication body from its transaction sequence number on (what
    NL80211_ATTR_AUTH_DATA holds): sequence, status, then SAE's fields or elements."""
    if end - p < 4:
        return [malformed(buf, p, end, "authentication sequence and status need 4 bytes")]
    seq, status = struct.unpack_from("<HH", buf, p)
    out = [_le(buf, p, 2, F_AUTH_SEQ), FIXED["status"][1](buf, p + 2)]
    p += 4
    if alg != SAE:
        return out + decode_ies(buf, p, end)   # open system: none; shared key, FT, FILS: elements
    if seq == 1:
        return out + sae_commit(status, buf, p, end)
    if seq == 2 and status == 0 and end - p >= 2:
        return out + [_le(buf, p, 2, F_SAE_SEND_CONFIRM), *_rest(buf, p + 2, end, F_SAE_CONFIRM)]
    return out + _rest(buf, p, end)


def sae_commit(status: int, buf, p: int, end: int) -> list[Node]:
    """SAE commit fields (12.4.7.4): group, an anti-clogging token, scalar, element, then
    elements (password identifier, rejected groups, token container)."""
    if end - p < 2:
        return _rest(buf, p, end)
    group = struct.unpack_from("<H", buf, p)[0]
    out = [_le(buf, p, 2, F_SAE_GROUP)]
    p += 2
    plen = SAE_ECC_PRIME_LEN.get(group)
    if status == 76 or plen is None or end - p < 3 * plen:
        # the AP asks for a token (group and token only), a group refused, or a group whose
        # lengths are not known here: the rest as it is
        return out + _rest(buf, p, end, F_SAE_TOKEN if status == 76 else F_SAE_COMMIT)
    extra = end - p - 3 * plen
    # a token answering the AP's request comes before the scalar; only hash-to-element (126)
    # puts it in a container element after the element instead
    if extra and status != 126 and not _elements_only(buf, p + 3 * plen, end):
        out.append(Node(F_SAE_TOKEN, bytes(buf[p:p + extra]), p, extra))
        p += extra
    out += [Node(F_SAE_SCALAR, bytes(buf[p:p + plen]), p, plen),
            Node(F_SAE_ELEMENT, bytes(buf[p + plen:p + 3 * plen]), p + plen, 2 * plen)]
    return out + decode_ies(buf, p + 3 * plen, end)


def _elements_only(buf, p: int, end: int) -> bool:
    """Whether buf[p:end] is a whole run of elements (each header's length inside it)."""
    while p + 2 <= end:
        p += 2 + buf[p + 1]
    return p == end


def decode_sae_auth_data(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """NL80211_ATTR_AUTH_DATA of an SAE authentication (NL80211_AUTHTYPE_SAE)."""
    return auth_body(SAE, buf, start, end)


def decode_fils_auth_data(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """NL80211_ATTR_AUTH_DATA of a FILS authentication: sequence, status, elements."""
    return auth_body(FILS_SK, buf, start, end)


# --- EAPOL ----------------------------------------------------------------------------
def decode_eapol(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """An EAPOL packet (802.1X-2020 11.3.1), EAPOL-Key decoded (802.11-2020 12.7.2)."""
    if end - start < 4:
        return [malformed(buf, start, end, "EAPOL header needs 4 bytes")]
    version, ptype, length = struct.unpack_from(">BBH", buf, start)
    out = [Node(F_EAPOL_VERSION, version, start, 1),
           Node(F_EAPOL_TYPE, ptype, start + 1, 1, _named(EAPOL_TYPES, ptype)), Node(F_EAPOL_LEN, length, start + 2, 2)]
    p = start + 4
    body_end = p + length
    if body_end > end:
        return out + [malformed(buf, p, end, f"EAPOL body of {length} bytes overruns the frame")]
    out += _eapol_key(buf, p, body_end) if ptype == EAPOL_KEY else _rest(buf, p, body_end, F_EAPOL_BODY)
    # what follows the body: padding to the 802.3 minimum in a received frame
    return out + _rest(buf, body_end, end, F_EAPOL_PADDING)


def _mic_length(buf, p: int, end: int) -> int | None:
    """The MIC length (MIC_LENGTHS) of the EAPOL-Key body buf[p:end], None if none fits."""
    n = end - p
    return next((m for m in MIC_LENGTHS if n >= _KEY_FIXED + m + 2
                 and struct.unpack_from(">H", buf, p + _KEY_FIXED + m)[0] == n - _KEY_FIXED - m - 2), None)


def _eapol_key(buf, p: int, end: int) -> list[Node]:
    mic = _mic_length(buf, p, end)
    if mic is None:
        return [malformed(buf, p, end, "EAPOL-Key: no MIC length agrees with the key data length")]
    info = struct.unpack_from(">H", buf, p + 1)[0]
    names = [nm for b, nm in KEY_INFO_BITS.items() if info & b]
    bits = [Node(F_KEY_VERSION, info & 7, p + 1, 2)] + flag_nodes(F_KEY_INFO, KEY_INFO_BITS, info & ~7, p + 1, 2)
    key_info = Node(F_KEY_INFO, info, p + 1, 2, f"{info:#06x}" + (f" ({', '.join(names)})" if names else ""), bits)
    q = p + _KEY_FIXED
    dlen = struct.unpack_from(">H", buf, q + mic)[0]
    data = q + mic + 2
    out = [Node(F_KEY_DESC, buf[p], p, 1), key_info,
           Node(F_KEY_LEN, struct.unpack_from(">H", buf, p + 3)[0], p + 3, 2),
           Node(F_REPLAY, struct.unpack_from(">Q", buf, p + 5)[0], p + 5, 8),
           Node(F_NONCE, bytes(buf[p + 13:p + 45]), p + 13, 32), Node(F_KEY_IV, bytes(buf[p + 45:p + 61]), p + 45, 16),
           _le(buf, p + 61, 8, F_RSC),   # little endian: a PN, as NL80211_KEY_SEQ
           Node(F_KEY_ID, bytes(buf[p + 69:p + 77]), p + 69, 8)]
    if mic:
        out.append(Node(F_MIC, bytes(buf[q:q + mic]), q, mic))
    out.append(Node(F_KEY_DATA_LEN, dlen, q + mic, 2))
    if info & ENCRYPTED_KEY_DATA:
        return out + _rest(buf, data, end, F_KEY_DATA)
    return out + decode_ies(buf, data, end)   # the RSN element, KDEs (vendor-specific elements)


def decode_ether_eapol(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """An 802.3 frame (CONTROL_PORT_FRAME_TX_STATUS): its header, then EAPOL."""
    if end - start < 14:
        return [malformed(buf, start, end, "802.3 header needs 14 bytes")]
    etype = struct.unpack_from(">H", buf, start + 12)[0]
    out = [_mac(buf, start, F_ETH_DST), _mac(buf, start + 6, F_ETH_SRC),
           Node(F_ETH_TYPE, etype, start + 12, 2, f"{etype:#06x}" + (" (EAPOL)" if etype == ETH_P_PAE else ""))]
    if etype in (ETH_P_PAE, ETH_P_PREAUTH):
        return out + decode_eapol(buf, start + 14, end)
    return out + _rest(buf, start + 14, end)


# --- structs nl80211 shares with elements ----------------------------------------------
def decode_rates(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """STA_SUPPORTED_RATES, BSS_BASIC_RATES: rates as the Supported Rates element has them
    (500 kb/s units, the top bit for a basic rate)."""
    return rates(buf, start, end)


def _as_element(eid: int):
    def decode(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
        return element_contents(eid, buf, start, end)[1]
    decode.__doc__ = f"The contents of element {eid}, which the attribute's struct is (ieee80211.h)."
    return decode


# struct ieee80211_ht_cap and ieee80211_vht_cap: the HT and VHT Capabilities elements' contents
decode_ht_cap = _as_element(45)
decode_vht_cap = _as_element(191)


# --- what the Info column says -----------------------------------------------------------
def frame_summary(data: bytes) -> str:
    """`Authentication 02:00:00:00:01:00 → 02:00:00:00:00:00` from an 802.11 frame's bytes."""
    if len(data) < 2:
        return ""
    ftype, subtype = (data[0] >> 2) & 3, data[0] >> 4
    if ftype != 0:
        return f"{FRAME_TYPES[ftype]} frame"
    name = MGMT_SUBTYPES.get(subtype, f"subtype {subtype}")
    return f"{name} {data[10:16].hex(':')} → {data[4:10].hex(':')}" if len(data) >= MGMT_HDR else name


# the 4-way and group key handshakes' messages by their Key Information bits (12.7.6, 12.7.7):
# (Pairwise, Key Ack, Key MIC) -> message; 2/4 and 4/4 differ by their key data (the RSNE or none)
_HANDSHAKE = {(True, True, False): "1/4", (True, True, True): "3/4", (False, True, True): "group 1/2",
              (False, False, True): "group 2/2"}


def eapol_summary(data: bytes) -> str:
    """`EAPOL-Key 3/4` from an EAPOL packet's bytes (`EAPOL Start`, … for the others)."""
    if len(data) < 4:
        return ""
    if data[1] != EAPOL_KEY or len(data) < 7:
        return f"EAPOL {EAPOL_TYPES.get(data[1], data[1])}"
    info = int.from_bytes(data[5:7], "big")
    pairwise, ack, mic = bool(info & 0x0008), bool(info & 0x0080), bool(info & 0x0100)
    msg = _HANDSHAKE.get((pairwise, ack, mic))
    if pairwise and not ack and mic:
        end = min(len(data), 4 + int.from_bytes(data[2:4], "big"))
        m = _mic_length(data, 4, end)
        if m is not None:
            msg = "2/4" if int.from_bytes(data[4 + _KEY_FIXED + m:6 + _KEY_FIXED + m], "big") else "4/4"
    return f"EAPOL-Key {msg}" if msg else "EAPOL-Key"
