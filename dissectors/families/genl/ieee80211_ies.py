"""IEEE 802.11 information elements, as nl80211 carries them (BSS IEs, beacon head/tail, IE).

Each element is a node `ieee80211.ie` (its id, named) with its length and its contents:
decoded for SSID, supported and extended rates, DS parameter set, TIM, country, RSN,
HT capabilities and operation, extended capabilities, VHT capabilities and operation,
HE capabilities and operation (element id extension), and vendor-specific elements
(OUI and type, the rest raw).  An element whose length runs past the data is malformed.
"""
from __future__ import annotations

import struct

from ...core.attrs import malformed
from ...model import BYTES, FIELDS, STRING, UINT, Node

IE_NAMES = {
    0: "SSID", 1: "Supported Rates", 3: "DS Parameter Set", 4: "CF Parameter Set", 5: "TIM", 6: "IBSS Parameter Set",
    7: "Country", 11: "BSS Load", 32: "Power Constraint", 33: "Power Capability", 35: "TPC Report",
    36: "Supported Channels", 37: "Channel Switch Announcement", 42: "ERP Information", 45: "HT Capabilities",
    46: "QoS Capability", 48: "RSN", 50: "Extended Supported Rates", 54: "Mobility Domain",
    55: "Fast BSS Transition", 59: "Supported Operating Classes", 61: "HT Operation",
    70: "RM Enabled Capabilities", 71: "Multiple BSSID", 72: "20/40 BSS Coexistence", 74: "Overlapping BSS Scan",
    107: "Interworking", 108: "Advertisement Protocol", 111: "Roaming Consortium", 113: "Mesh Configuration",
    114: "Mesh ID", 127: "Extended Capabilities", 191: "VHT Capabilities", 192: "VHT Operation",
    195: "VHT Transmit Power Envelope", 199: "Operating Mode Notification", 201: "Reduced Neighbor Report",
    221: "Vendor Specific", 255: "Element ID Extension",
}
EXT_NAMES = {35: "HE Capabilities", 36: "HE Operation", 38: "MU EDCA Parameter Set", 39: "Spatial Reuse",
             59: "HE 6 GHz Band Capabilities", 106: "EHT Operation", 107: "Multi-Link", 108: "EHT Capabilities"}
SUITE_OUI = b"\x00\x0f\xac"
CIPHERS = {1: "WEP-40", 2: "TKIP", 4: "CCMP-128", 5: "WEP-104", 6: "BIP-CMAC-128", 7: "group addressed traffic not allowed",
           8: "GCMP-128", 9: "GCMP-256", 10: "CCMP-256", 11: "BIP-GMAC-128", 12: "BIP-GMAC-256", 13: "BIP-CMAC-256"}
AKMS = {1: "802.1X", 2: "PSK", 3: "FT-802.1X", 4: "FT-PSK", 5: "802.1X-SHA256", 6: "PSK-SHA256", 7: "TDLS",
        8: "SAE", 9: "FT-SAE", 11: "802.1X-SUITE-B", 12: "802.1X-SUITE-B-192", 13: "FT-802.1X-SHA384",
        14: "FILS-SHA256", 15: "FILS-SHA384", 18: "OWE", 24: "SAE-EXT-KEY"}
OUIS = {b"\x00\x50\xf2": "Microsoft (WPA/WMM/WPS)", b"\x50\x6f\x9a": "Wi-Fi Alliance", b"\x00\x10\x18": "Broadcom",
        b"\x00\x03\x7f": "Atheros", b"\x00\x0c\x43": "Ralink", b"\x8c\xfd\xf0": "Qualcomm"}

F_IE = FIELDS.add("ieee80211.ie", "Information element", UINT, "an 802.11 information element (its id)")
F_LEN = FIELDS.add("ieee80211.ie.len", "Length", UINT, "length of the element's contents")
F_SSID = FIELDS.add("ieee80211.ie.ssid", "SSID", STRING, "network name")
F_RATE = FIELDS.add("ieee80211.ie.rate", "Rate", STRING, "a supported rate in Mb/s (* = basic rate)")
F_CHANNEL = FIELDS.add("ieee80211.ie.ds.channel", "Current channel", UINT, "DS parameter set: channel")
F_COUNTRY = FIELDS.add("ieee80211.ie.country", "Country", STRING, "country code and environment")
F_TRIPLET = FIELDS.add("ieee80211.ie.country.triplet", "Channels", STRING, "first channel, count, max power")
F_RSN_VER = FIELDS.add("ieee80211.ie.rsn.version", "RSN version", UINT, "")
F_GROUP = FIELDS.add("ieee80211.ie.rsn.group_cipher", "Group cipher", STRING, "")
F_PAIR = FIELDS.add("ieee80211.ie.rsn.pairwise_cipher", "Pairwise cipher", STRING, "")
F_AKM = FIELDS.add("ieee80211.ie.rsn.akm", "AKM suite", STRING, "")
F_RSN_CAPS = FIELDS.add("ieee80211.ie.rsn.capabilities", "RSN capabilities", UINT, "")
F_HT_CAP = FIELDS.add("ieee80211.ie.ht.capabilities", "HT capabilities info", UINT, "")
F_HT_AMPDU = FIELDS.add("ieee80211.ie.ht.ampdu_params", "A-MPDU parameters", UINT, "")
F_HT_MCS = FIELDS.add("ieee80211.ie.ht.mcs_set", "Supported MCS set", BYTES, "")
F_HT_PRIMARY = FIELDS.add("ieee80211.ie.ht.primary_channel", "Primary channel", UINT, "HT operation")
F_VHT_CAP = FIELDS.add("ieee80211.ie.vht.capabilities", "VHT capabilities info", UINT, "")
F_VHT_MCS = FIELDS.add("ieee80211.ie.vht.mcs_nss", "VHT supported MCS and NSS set", BYTES, "")
F_VHT_WIDTH = FIELDS.add("ieee80211.ie.vht.channel_width", "Channel width", UINT, "VHT operation")
F_EXT = FIELDS.add("ieee80211.ie.ext_id", "Element ID extension", UINT, "")
F_HE_MAC = FIELDS.add("ieee80211.ie.he.mac_capabilities", "HE MAC capabilities", BYTES, "")
F_HE_PHY = FIELDS.add("ieee80211.ie.he.phy_capabilities", "HE PHY capabilities", BYTES, "")
F_OUI = FIELDS.add("ieee80211.ie.vendor.oui", "OUI", STRING, "vendor-specific element: organization")
F_VTYPE = FIELDS.add("ieee80211.ie.vendor.type", "Vendor type", UINT, "")
F_DATA = FIELDS.add("ieee80211.ie.data", "Data", BYTES, "contents not decoded further")
F_TIM = FIELDS.add("ieee80211.ie.tim.dtim_period", "DTIM period", UINT, "")
F_EXTCAP = FIELDS.add("ieee80211.ie.extended_capabilities", "Extended capabilities", BYTES, "")


def _suite(data: bytes, names: dict) -> str:
    if data[:3] == SUITE_OUI:
        return f"{names.get(data[3], 'reserved')} (00-0f-ac:{data[3]})"
    return f"{data[:3].hex('-')}:{data[3]}"


def _rsn(buf, p: int, end: int) -> list[Node]:
    out = [Node(F_RSN_VER, struct.unpack_from("<H", buf, p)[0], p, 2)]
    p += 2
    if p + 4 <= end:
        out.append(Node(F_GROUP, _suite(bytes(buf[p:p + 4]), CIPHERS), p, 4))
        p += 4
    for field, names in ((F_PAIR, CIPHERS), (F_AKM, AKMS)):
        if p + 2 > end:
            return out
        n = struct.unpack_from("<H", buf, p)[0]
        p += 2
        for _ in range(n):
            if p + 4 > end:
                out.append(malformed(buf, p, end, "RSN suite list truncated"))
                return out
            out.append(Node(field, _suite(bytes(buf[p:p + 4]), names), p, 4))
            p += 4
    if p + 2 <= end:
        out.append(Node(F_RSN_CAPS, struct.unpack_from("<H", buf, p)[0], p, 2,
                        f"{struct.unpack_from('<H', buf, p)[0]:#06x}"))
        p += 2
    if p < end:
        out.append(Node(F_DATA, bytes(buf[p:end]), p, end - p, None, label="PMKIDs / group management cipher"))
    return out


def rates(buf, p, end) -> list[Node]:
    """Rates as the Supported Rates element holds them (500 kb/s units, the top bit for a
    basic rate), one node a rate; nl80211's rate attributes hold the same octets."""
    out = []
    for i in range(p, end):
        b = buf[i]
        r = (b & 0x7F) / 2
        out.append(Node(F_RATE, f"{r:g}{'*' if b & 0x80 else ''}", i, 1))
    return out


def element_contents(eid: int, buf, p: int, end: int) -> tuple[str, list[Node]]:
    """(summary text, children) of one element's contents buf[p:end] (also the kernel's
    structs that are an element's contents: struct ieee80211_ht_cap, ieee80211_vht_cap)."""
    n = end - p
    data = bytes(buf[p:end])
    if eid == 0:
        s = data.decode("utf-8", "backslashreplace")
        return f'"{s}"', [Node(F_SSID, s, p, n)]
    if eid in (1, 50):
        kids = rates(buf, p, end)
        return " ".join(k.value for k in kids) + " Mb/s", kids
    if eid == 3 and n >= 1:
        return f"channel {buf[p]}", [Node(F_CHANNEL, buf[p], p, 1)]
    if eid == 5 and n >= 2:
        return f"DTIM period {buf[p + 1]}", [Node(F_TIM, buf[p + 1], p + 1, 1),
                                             Node(F_DATA, data, p, n, None, label="TIM contents")]
    if eid == 7 and n >= 3:
        cc = data[:2].decode("ascii", "replace")
        env = {0x20: "any", 0x4F: "outdoor", 0x49: "indoor"}.get(data[2], f"{data[2]:#x}")
        kids = [Node(F_COUNTRY, cc, p, 3, f"{cc} ({env})")]
        q = p + 3
        while q + 3 <= end:
            kids.append(Node(F_TRIPLET, f"{buf[q]}+{buf[q + 1]}", q, 3,
                             f"channels {buf[q]}–{buf[q] + buf[q + 1] - 1}, max {buf[q + 2]} dBm"))
            q += 3
        return cc, kids
    if eid == 48 and n >= 2:
        kids = _rsn(buf, p, end)
        akm = [k.value.split(" ")[0] for k in kids if k.field is F_AKM]
        pair = [k.value.split(" ")[0] for k in kids if k.field is F_PAIR]
        return f"{'/'.join(akm) or '?'} {'/'.join(pair)}".strip(), kids
    if eid == 45 and n >= 26:
        cap = struct.unpack_from("<H", buf, p)[0]
        return f"cap {cap:#06x}", [Node(F_HT_CAP, cap, p, 2, f"{cap:#06x}"), Node(F_HT_AMPDU, buf[p + 2], p + 2, 1),
                                   Node(F_HT_MCS, data[3:19], p + 3, 16, data[3:19].hex())]
    if eid == 61 and n >= 1:
        return f"primary channel {buf[p]}", [Node(F_HT_PRIMARY, buf[p], p, 1),
                                             Node(F_DATA, data[1:], p + 1, n - 1, None, label="HT operation")]
    if eid == 127:
        return data.hex(), [Node(F_EXTCAP, data, p, n, data.hex())]
    if eid == 191 and n >= 12:
        cap = struct.unpack_from("<I", buf, p)[0]
        return f"cap {cap:#010x}", [Node(F_VHT_CAP, cap, p, 4, f"{cap:#010x}"),
                                    Node(F_VHT_MCS, data[4:12], p + 4, 8, data[4:12].hex())]
    if eid == 192 and n >= 1:
        return f"width {buf[p]}", [Node(F_VHT_WIDTH, buf[p], p, 1),
                                   Node(F_DATA, data[1:], p + 1, n - 1, None, label="VHT operation")]
    if eid == 221 and n >= 4:
        oui = data[:3]
        name = OUIS.get(oui, "")
        kids = [Node(F_OUI, oui.hex("-"), p, 3, f"{oui.hex('-')}" + (f" ({name})" if name else "")),
                Node(F_VTYPE, data[3], p + 3, 1)]
        if n > 4:
            kids.append(Node(F_DATA, data[4:], p + 4, n - 4, None))
        return f"{oui.hex('-')} type {data[3]}" + (f" ({name})" if name else ""), kids
    if eid == 255 and n >= 1:
        ext = buf[p]
        kids = [Node(F_EXT, ext, p, 1, f"{EXT_NAMES.get(ext, 'unknown')} ({ext})")]
        if ext == 35 and n >= 1 + 6 + 11:
            kids += [Node(F_HE_MAC, data[1:7], p + 1, 6, data[1:7].hex()),
                     Node(F_HE_PHY, data[7:18], p + 7, 11, data[7:18].hex())]
            if n > 18:
                kids.append(Node(F_DATA, data[18:], p + 18, n - 18, None, label="HE MCS/NSS and PPE thresholds"))
        elif n > 1:
            kids.append(Node(F_DATA, data[1:], p + 1, n - 1, None))
        return EXT_NAMES.get(ext, f"extension {ext}"), kids
    return data.hex(), ([Node(F_DATA, data, p, n, None)] if n else [])


def decode_ies(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """A node per information element in buf[start:end]; never raises."""
    out = []
    p = start
    while p < end:
        if end - p < 2:
            out.append(malformed(buf, p, end, "truncated information element header"))
            break
        eid, ln = buf[p], buf[p + 1]
        if p + 2 + ln > end:
            out.append(malformed(buf, p, end, f"information element {eid} length {ln} overruns the data"))
            break
        name = IE_NAMES.get(eid, "Reserved/unknown")
        summary, kids = element_contents(eid, buf, p + 2, p + 2 + ln)
        kids.insert(0, Node(F_LEN, ln, p + 1, 1))
        node = Node(F_IE, eid, p, 2 + ln, f"{name}: {summary}" if summary else name, kids, label=f"{name} ({eid})")
        out.append(node)
        p += 2 + ln
    return out


def ssid_of(buf, start: int, end: int) -> str | None:
    """The SSID element's text, cheaply (for the Info column)."""
    p = start
    while p + 2 <= end:
        eid, ln = buf[p], buf[p + 1]
        if p + 2 + ln > end:
            return None
        if eid == 0:
            return bytes(buf[p + 2:p + 2 + ln]).decode("utf-8", "backslashreplace")
        p += 2 + ln
    return None


F_FRAME_HDR = FIELDS.add("ieee80211.beacon.header", "802.11 header and fixed fields", BYTES,
                         "beacon: frame control … capabilities (36 bytes)")
F_BEACON_INT = FIELDS.add("ieee80211.beacon.interval", "Beacon interval", UINT, "in TU (1.024 ms)")
F_CAPAB = FIELDS.add("ieee80211.beacon.capabilities", "Capabilities", UINT, "")
F_BSSID = FIELDS.add("ieee80211.beacon.bssid", "BSSID", STRING, "")


def decode_beacon_head(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """A beacon's head as nl80211 START_AP/SET_BEACON carry it: the 24-byte 802.11 header,
    timestamp, interval, capabilities, then information elements."""
    if end - start < 36:
        return [malformed(buf, start, end, "beacon head shorter than its 36 fixed bytes")]
    hdr = bytes(buf[start:start + 36])
    interval, capab = struct.unpack_from("<HH", hdr, 32)
    return [Node(F_FRAME_HDR, hdr, start, 36, hdr[:24].hex(), [
        Node(F_BSSID, hdr[16:22].hex(":"), start + 16, 6),
        Node(F_BEACON_INT, interval, start + 32, 2, f"{interval} TU"),
        Node(F_CAPAB, capab, start + 34, 2, f"{capab:#06x}")])] + decode_ies(buf, start + 36, end, order, req)
