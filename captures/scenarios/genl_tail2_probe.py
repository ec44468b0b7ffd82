#!/usr/bin/env python3
"""Ask the generic-netlink families no Debian tool speaks (gtp, HSR, SMC_PNETID, SMC_GEN_NETLINK,
MAC80211_HWSIM, the legacy 802.15.4 MAC, MAC802154_HWSIM, ovs_meter, ovs_ct_limit, nfc) what their
own tools would ask (libgtpnl's gtp-tunnel, smc-tools' smc_pnet/smcr/smcd, wmediumd and hwsim_mgmt,
lowpan-tools' iz, wpan-hwsim, ovs-dpctl, nfctool), make the VDUSE device `vdpa dev add` needs
and the nfacct object iptables' `-m nfacct` needs, printing every answer
and error so the log holds what the kernel said.  Plain sockets; nt_client.py's genl helpers;
the numbers come from nlscope's own family modules (what is tested against the headers).

    genl_tail2_probe.py vduse_add gtp hsr smc hwsim wpan wpan_hwsim ovs nfc nfacct_add … nfacct_del vduse_del
"""
from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "kmod" / "tools"))
sys.path.insert(0, str(REPO))
from nt_client import (NETLINK_ADD_MEMBERSHIP, NLM_F_ACK, NLM_F_DUMP, NLMSG_ERROR, SOL_NETLINK, Genl,  # noqa: E402
                       attrs, error_of, nla, resolve)

from dissectors.families.genl import gtp as G  # noqa: E402
from dissectors.families.genl import hsr as R  # noqa: E402
from dissectors.families.genl import ieee802154_mac as M  # noqa: E402
from dissectors.families.genl import mac80211_hwsim as W  # noqa: E402
from dissectors.families.genl import mac802154_hwsim as Z  # noqa: E402
from dissectors.families.genl import smc_gen_netlink as S  # noqa: E402
from dissectors.families.genl import smc_pnetid as P  # noqa: E402

NLM_F_CREATE, NLM_F_EXCL = 0x400, 0x200
ZERO1, ZERO4 = b"\0", b"\0" * 4


def ask(g: Genl, fid: int, cmd: int, flags: int, payload: bytes = b"", what: str = "") -> list[dict]:
    """One request; its answers' attributes (type -> bytes, the last of a repeat), errors printed."""
    seq = g.send(fid, cmd, flags, payload)
    out = []
    for ty, _, msg in g.replies(seq):
        if ty == NLMSG_ERROR:
            err, ext = error_of(msg)
            print(f"  {what or cmd}: {'ACK' if not err else f'error {err} {ext}'}")
        elif ty == fid:
            out.append(msg)
    return out


def parsed(msg: bytes, skip: int = 20) -> dict:
    return dict(attrs(msg[skip:]))


def all_attrs(msg: bytes, skip: int = 20) -> list:
    return list(attrs(msg[skip:]))


def u32(t, v): return nla(t, struct.pack("=I", v))
def u16(t, v): return nla(t, struct.pack("=H", v))
def u8(t, v): return nla(t, struct.pack("=B", v))
def u64(t, v): return nla(t, struct.pack("=Q", v))
def s(t, text): return nla(t, text.encode() + b"\0")
def flag(t): return nla(t, b"")
def ipv4(t, a): return nla(t, socket.inet_pton(socket.AF_INET, a))
def num(v: bytes) -> int: return int.from_bytes(v, sys.byteorder)
def text(v: bytes) -> str: return v.split(b"\0", 1)[0].decode()


def gtp(g: Genl) -> None:
    """gtp-tunnel add/list/delete on gtp0 (made by `ip link add gtp0 type gtp role sgsn`)."""
    fid, _ = resolve(g, "gtp")
    link = u32(G.H.GTPA_LINK, socket.if_nametoindex("gtp0"))
    v1 = link + u32(G.H.GTPA_VERSION, 1)
    v0 = link + u32(G.H.GTPA_VERSION, 0)
    ask(g, fid, G.H.GTP_CMD_NEWPDP, NLM_F_ACK | NLM_F_EXCL, v1 + u32(G.H.GTPA_I_TEI, 200) + u32(G.H.GTPA_O_TEI, 100)
        + ipv4(G.H.GTPA_PEER_ADDRESS, "10.41.0.2") + ipv4(G.H.GTPA_MS_ADDRESS, "10.42.0.2"), "newpdp v1")
    ask(g, fid, G.H.GTP_CMD_NEWPDP, NLM_F_ACK | NLM_F_EXCL, v0 + u64(G.H.GTPA_TID, 1) + u16(G.H.GTPA_FLOW, 7)
        + ipv4(G.H.GTPA_PEER_ADDRESS, "10.41.0.3") + ipv4(G.H.GTPA_MS_ADDRESS, "10.42.0.3"), "newpdp v0")
    ask(g, fid, G.H.GTP_CMD_NEWPDP, NLM_F_ACK | NLM_F_EXCL, v1 + u32(G.H.GTPA_I_TEI, 200) + u32(G.H.GTPA_O_TEI, 100)
        + ipv4(G.H.GTPA_PEER_ADDRESS, "10.41.0.2") + ipv4(G.H.GTPA_MS_ADDRESS, "10.42.0.2"), "newpdp v1 again")
    for msg in ask(g, fid, G.H.GTP_CMD_GETPDP, NLM_F_DUMP, b"", "getpdp dump"):
        a = parsed(msg)
        ver = num(a[G.H.GTPA_VERSION])
        key = f"tei {num(a[G.H.GTPA_I_TEI])}/{num(a[G.H.GTPA_O_TEI])}" if ver == 1 else f"tid {num(a[G.H.GTPA_TID])}"
        print(f"gtp version {ver} {key} ms_addr {socket.inet_ntoa(a[G.H.GTPA_MS_ADDRESS])} "
              f"sgsn_addr {socket.inet_ntoa(a[G.H.GTPA_PEER_ADDRESS])}")
    for msg in ask(g, fid, G.H.GTP_CMD_GETPDP, NLM_F_ACK, v1 + u32(G.H.GTPA_I_TEI, 200), "getpdp tei 200"):
        print(f"gtp get tei 200: ms_addr {socket.inet_ntoa(parsed(msg)[G.H.GTPA_MS_ADDRESS])}")
    ask(g, fid, G.H.GTP_CMD_GETPDP, NLM_F_ACK, v1 + u32(G.H.GTPA_I_TEI, 999), "getpdp tei 999")
    ask(g, fid, G.H.GTP_CMD_ECHOREQ, NLM_F_ACK, v1 + ipv4(G.H.GTPA_PEER_ADDRESS, "10.41.0.2"), "echoreq")
    ask(g, fid, G.H.GTP_CMD_DELPDP, NLM_F_ACK, v1 + u32(G.H.GTPA_I_TEI, 200), "delpdp v1")
    ask(g, fid, G.H.GTP_CMD_DELPDP, NLM_F_ACK, v0 + u64(G.H.GTPA_TID, 1), "delpdp v0")
    ask(g, fid, G.H.GTP_CMD_DELPDP, NLM_F_ACK, v1 + u32(G.H.GTPA_I_TEI, 200), "delpdp v1 again")


def _mac(b: bytes) -> str:
    return b.hex(":")


def hsr(g: Genl) -> None:
    """The node table of hsr0 (its peer hsr1 over the veth pairs), each node's status."""
    fid, _ = resolve(g, "HSR")
    dev = u32(R.H.HSR_A_IFINDEX, socket.if_nametoindex("hsr0"))
    nodes = []
    for msg in ask(g, fid, R.H.HSR_C_GET_NODE_LIST, NLM_F_ACK, dev, "get node list"):
        nodes += [v for t, v in all_attrs(msg) if t == R.H.HSR_A_NODE_ADDR]
    print("hsr nodes", " ".join(_mac(n) for n in nodes))
    for node in nodes:
        for msg in ask(g, fid, R.H.HSR_C_GET_NODE_STATUS, NLM_F_ACK, dev + nla(R.H.HSR_A_NODE_ADDR, node),
                       "get node status"):
            a = parsed(msg)
            print(f"hsr node {_mac(a[R.H.HSR_A_NODE_ADDR])} b {_mac(a.get(R.H.HSR_A_NODE_ADDR_B, b''))} "
                  f"if1 seq {num(a.get(R.H.HSR_A_IF1_SEQ, ZERO4))} if2 seq {num(a.get(R.H.HSR_A_IF2_SEQ, ZERO4))}")
    ask(g, fid, R.H.HSR_C_GET_NODE_STATUS, NLM_F_ACK, dev + nla(R.H.HSR_A_NODE_ADDR, bytes.fromhex("020000000099")),
        "get node status of a stranger")
    ask(g, fid, R.H.HSR_C_GET_NODE_LIST, NLM_F_ACK, u32(R.H.HSR_A_IFINDEX, 1), "get node list of lo")


def smc(g: Genl) -> None:
    """smc_pnet add/show/del/flush, then what smcr/smcd info, linkgroup, device, stats, ueid and seid ask."""
    fid, _ = resolve(g, "SMC_PNETID")
    ask(g, fid, P.H.SMC_PNETID_ADD, NLM_F_ACK, s(P.H.SMC_PNETID_NAME, "NLSCOPE1") + s(P.H.SMC_PNETID_ETHNAME, "gt2v0"),
        "pnetid add")
    ask(g, fid, P.H.SMC_PNETID_ADD, NLM_F_ACK, s(P.H.SMC_PNETID_NAME, "NLSCOPE1") + s(P.H.SMC_PNETID_ETHNAME, "gt2v0"),
        "pnetid add again")
    for msg in ask(g, fid, P.H.SMC_PNETID_GET, NLM_F_DUMP, b"", "pnetid show"):
        a = parsed(msg)
        print("pnetid", text(a[P.H.SMC_PNETID_NAME]), text(a.get(P.H.SMC_PNETID_ETHNAME, b"n/a")),
              text(a.get(P.H.SMC_PNETID_IBNAME, b"n/a")), num(a.get(P.H.SMC_PNETID_IBPORT, b"\xff")))
    ask(g, fid, P.H.SMC_PNETID_DEL, NLM_F_ACK, s(P.H.SMC_PNETID_NAME, "NLSCOPE1"), "pnetid del")
    ask(g, fid, P.H.SMC_PNETID_DEL, NLM_F_ACK, s(P.H.SMC_PNETID_NAME, "NLSCOPE1"), "pnetid del again")
    ask(g, fid, P.H.SMC_PNETID_FLUSH, NLM_F_ACK, b"", "pnetid flush")
    fid, _ = resolve(g, "SMC_GEN_NETLINK")
    for cmd in ("GET_SYS_INFO", "GET_LGR_SMCR", "GET_LINK_SMCR", "GET_LGR_SMCD", "GET_DEV_SMCD", "GET_DEV_SMCR",
                "GET_STATS", "GET_FBACK_STATS", "DUMP_UEID", "DUMP_SEID", "DUMP_HS_LIMITATION"):
        msgs = ask(g, fid, getattr(S.H, f"SMC_NETLINK_{cmd}"), NLM_F_DUMP, b"", cmd)
        print(f"smc {cmd}: {len(msgs)} answers")
        for msg in msgs:
            a = parsed(msg)
            if cmd == "GET_SYS_INFO":
                info = dict(attrs(a[S.H.SMC_GEN_SYS_INFO]))
                print(f"  ver {num(info[S.H.SMC_NLA_SYS_VER])} rel {num(info[S.H.SMC_NLA_SYS_REL])} host "
                      f"{text(info.get(S.H.SMC_NLA_SYS_LOCAL_HOST, b''))}")
            elif cmd == "DUMP_HS_LIMITATION":
                print(f"  hs_limitation enabled {num(a[S.H.SMC_NLA_HS_LIMITATION_ENABLED])}")
            elif cmd == "DUMP_SEID":
                print(f"  seid {text(a.get(S.H.SMC_NLA_SEID_ENTRY, b''))!r} "
                      f"enabled {num(a.get(S.H.SMC_NLA_SEID_ENABLED, ZERO1))}")
            elif cmd == "DUMP_UEID":
                print(f"  ueid {text(a[S.H.SMC_NLA_EID_TABLE_ENTRY])!r}")
    ueid = s(S.H.SMC_NLA_EID_TABLE_ENTRY, "NLSCOPE-UEID".ljust(32))
    ask(g, fid, S.H.SMC_NETLINK_ADD_UEID, NLM_F_ACK, ueid, "add ueid")
    for msg in ask(g, fid, S.H.SMC_NETLINK_DUMP_UEID, NLM_F_DUMP, b"", "dump ueid"):
        print(f"  ueid {text(parsed(msg)[S.H.SMC_NLA_EID_TABLE_ENTRY])!r}")
    ask(g, fid, S.H.SMC_NETLINK_ADD_UEID, NLM_F_ACK, s(S.H.SMC_NLA_EID_TABLE_ENTRY, "short"), "add a short ueid")
    ask(g, fid, S.H.SMC_NETLINK_REMOVE_UEID, NLM_F_ACK, ueid, "remove ueid")
    ask(g, fid, S.H.SMC_NETLINK_REMOVE_UEID, NLM_F_ACK, ueid, "remove ueid again")
    ask(g, fid, S.H.SMC_NETLINK_FLUSH_UEID, NLM_F_ACK, b"", "flush ueid")
    ask(g, fid, S.H.SMC_NETLINK_ENABLE_SEID, NLM_F_ACK, b"", "enable seid")
    ask(g, fid, S.H.SMC_NETLINK_DISABLE_SEID, NLM_F_ACK, b"", "disable seid")
    ask(g, fid, S.H.SMC_NETLINK_DISABLE_HS_LIMITATION, NLM_F_ACK, b"", "disable hs_limitation")
    for msg in ask(g, fid, S.H.SMC_NETLINK_DUMP_HS_LIMITATION, NLM_F_DUMP, b"", "dump hs_limitation"):
        print(f"  hs_limitation enabled {num(parsed(msg)[S.H.SMC_NLA_HS_LIMITATION_ENABLED])}")
    ask(g, fid, S.H.SMC_NETLINK_ENABLE_HS_LIMITATION, NLM_F_ACK, b"", "enable hs_limitation")


def hwsim(g: Genl) -> None:
    """hwsim_mgmt's radios (made, listed, removed, announced to "config"), then wmediumd's part:
    REGISTER as the medium, a scan on a new radio, each frame it sends answered by TX_INFO_FRAME."""
    fid, groups = resolve(g, "MAC80211_HWSIM")
    listener = Genl()
    listener.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups["config"])
    ids = {}
    for name, extra in (("nlsim0", flag(W.H.HWSIM_ATTR_SUPPORT_P2P_DEVICE) + s(W.H.HWSIM_ATTR_REG_HINT_ALPHA2, "DE")
                         + nla(W.H.HWSIM_ATTR_PERM_ADDR, bytes.fromhex("0200000aa000"))),
                        ("nlsim1", flag(W.H.HWSIM_ATTR_USE_CHANCTX) + flag(W.H.HWSIM_ATTR_NO_VIF)
                         + nla(W.H.HWSIM_ATTR_CIPHER_SUPPORT, struct.pack("=II", 0x000FAC04, 0x000FAC02)))):
        seq = g.send(fid, W.H.HWSIM_CMD_NEW_RADIO, NLM_F_ACK, u32(W.H.HWSIM_ATTR_CHANNELS, 1) + s(W.H.HWSIM_ATTR_RADIO_NAME, name)
                     + extra)
        for ty, _, msg in g.replies(seq):
            if ty == NLMSG_ERROR:
                err = error_of(msg)[0]
                ids[name] = err          # hwsim_new_radio_nl answers the new radio's id as the "error"
                print(f"hwsim new radio {name}: {err}")
    for msg in ask(g, fid, W.H.HWSIM_CMD_GET_RADIO, NLM_F_DUMP, b"", "get radio dump"):
        a = parsed(msg)
        print(f"hwsim radio {num(a[W.H.HWSIM_ATTR_RADIO_ID])} name {text(a[W.H.HWSIM_ATTR_RADIO_NAME])} "
              f"channels {num(a[W.H.HWSIM_ATTR_CHANNELS])}")
    if ids.get("nlsim0", -1) >= 0:
        ask(g, fid, W.H.HWSIM_CMD_GET_RADIO, NLM_F_ACK, u32(W.H.HWSIM_ATTR_RADIO_ID, ids["nlsim0"]), "get radio")
    ask(g, fid, W.H.HWSIM_CMD_GET_RADIO, NLM_F_ACK, u32(W.H.HWSIM_ATTR_RADIO_ID, 4242), "get radio 4242")
    # the medium: frames of nlsim0's interface come to us
    medium = Genl()
    ask(medium, fid, W.H.HWSIM_CMD_REGISTER, NLM_F_ACK, b"", "register")
    wlan = next((n for n in os.listdir("/sys/class/net") if os.path.exists(f"/sys/class/net/{n}/phy80211/name")
                 and open(f"/sys/class/net/{n}/phy80211/name").read().strip() == "nlsim0"), None)
    print("hwsim interface of nlsim0:", wlan)
    if wlan:
        subprocess.run(["ip", "link", "set", wlan, "up"], check=False)
        subprocess.run(["iw", "dev", wlan, "scan", "trigger", "freq", "2412", "ssid", "nlscope"], check=False,
                       stdout=subprocess.DEVNULL)
        medium.sock.settimeout(3)
        frames = 0
        deadline = time.time() + 3
        while time.time() < deadline and frames < 2:
            try:
                data = medium.sock.recv(65536)
            except socket.timeout:
                break
            ln, ty = struct.unpack_from("=IH", data)
            if ty != fid or data[16] != W.H.HWSIM_CMD_FRAME:
                continue
            a = parsed(data[:ln])
            frames += 1
            print(f"hwsim frame from {_mac(a[W.H.HWSIM_ATTR_ADDR_TRANSMITTER])} {len(a[W.H.HWSIM_ATTR_FRAME])} bytes "
                  f"flags {num(a[W.H.HWSIM_ATTR_FLAGS])} freq {num(a.get(W.H.HWSIM_ATTR_FREQ, ZERO4))}")
            # wmediumd's answer: the frame was sent (and acknowledged, were it unicast)
            answer = (nla(W.H.HWSIM_ATTR_ADDR_TRANSMITTER, a[W.H.HWSIM_ATTR_ADDR_TRANSMITTER])
                      + u32(W.H.HWSIM_ATTR_FLAGS, num(a[W.H.HWSIM_ATTR_FLAGS]) | 4)
                      + nla(W.H.HWSIM_ATTR_SIGNAL, struct.pack("=i", -50))
                      + nla(W.H.HWSIM_ATTR_TX_INFO, a[W.H.HWSIM_ATTR_TX_INFO])
                      + nla(W.H.HWSIM_ATTR_COOKIE, a[W.H.HWSIM_ATTR_COOKIE]))
            medium.send(fid, W.H.HWSIM_CMD_TX_INFO_FRAME, 0, answer)
        print(f"hwsim frames answered: {frames}")
        subprocess.run(["ip", "link", "set", wlan, "down"], check=False)
    medium.sock.close()
    ask(g, fid, W.H.HWSIM_CMD_DEL_RADIO, NLM_F_ACK, s(W.H.HWSIM_ATTR_RADIO_NAME, "nlsim0"), "del radio nlsim0")
    if ids.get("nlsim1", -1) >= 0:
        ask(g, fid, W.H.HWSIM_CMD_DEL_RADIO, NLM_F_ACK, u32(W.H.HWSIM_ATTR_RADIO_ID, ids["nlsim1"]), "del radio nlsim1")
    ask(g, fid, W.H.HWSIM_CMD_DEL_RADIO, NLM_F_ACK, s(W.H.HWSIM_ATTR_RADIO_NAME, "nlsim0"), "del radio nlsim0 again")
    listener.sock.close()


def wpan(g: Genl) -> None:
    """lowpan-tools' iz: listphy, list, add and del an interface, the LLSEC parameters."""
    fid, _ = resolve(g, "802.15.4 MAC")
    phys = []
    for msg in ask(g, fid, M.H.IEEE802154_LIST_PHY, NLM_F_DUMP, b"", "listphy"):
        a = parsed(msg)
        phys.append(text(a[M.H.IEEE802154_ATTR_PHY_NAME]))
        print(f"iz phy {phys[-1]} page {num(a.get(M.H.IEEE802154_ATTR_PAGE, ZERO1))} "
              f"channel {num(a.get(M.H.IEEE802154_ATTR_CHANNEL, ZERO1))}")
    for msg in ask(g, fid, M.H.IEEE802154_LIST_IFACE, NLM_F_DUMP, b"", "list"):
        a = parsed(msg)
        print(f"iz dev {text(a[M.H.IEEE802154_ATTR_DEV_NAME])} phy {text(a[M.H.IEEE802154_ATTR_PHY_NAME])} "
              f"pan {num(a[M.H.IEEE802154_ATTR_PAN_ID]):#06x} short {num(a[M.H.IEEE802154_ATTR_SHORT_ADDR]):#06x}")
    ask(g, fid, M.H.IEEE802154_LIST_IFACE, NLM_F_ACK, s(M.H.IEEE802154_ATTR_DEV_NAME, "wpan0"), "list wpan0")
    ask(g, fid, M.H.IEEE802154_LLSEC_GETPARAMS, NLM_F_ACK, s(M.H.IEEE802154_ATTR_DEV_NAME, "wpan0"), "llsec getparams")
    ask(g, fid, M.H.IEEE802154_LLSEC_LIST_KEY, NLM_F_DUMP, b"", "llsec list keys")
    if phys:
        ask(g, fid, M.H.IEEE802154_ADD_IFACE, NLM_F_ACK, s(M.H.IEEE802154_ATTR_PHY_NAME, phys[0])
            + s(M.H.IEEE802154_ATTR_DEV_NAME, "wpan7") + u8(M.H.IEEE802154_ATTR_DEV_TYPE, 1), "add monitor iface")
        ask(g, fid, M.H.IEEE802154_ADD_IFACE, NLM_F_ACK, s(M.H.IEEE802154_ATTR_PHY_NAME, phys[0])
            + s(M.H.IEEE802154_ATTR_DEV_NAME, "wpan8") + u8(M.H.IEEE802154_ATTR_DEV_TYPE, 0), "add wpan iface")
        ask(g, fid, M.H.IEEE802154_DEL_IFACE, NLM_F_ACK, s(M.H.IEEE802154_ATTR_DEV_NAME, "wpan8"), "del wpan8")
        ask(g, fid, M.H.IEEE802154_DEL_IFACE, NLM_F_ACK, s(M.H.IEEE802154_ATTR_DEV_NAME, "wpan7"), "del iface")
    ask(g, fid, M.H.IEEE802154_DEL_IFACE, NLM_F_ACK, s(M.H.IEEE802154_ATTR_DEV_NAME, "wpan7"), "del iface again")


def wpan_hwsim(g: Genl) -> None:
    """wpan-hwsim: the radios with their edges, a new radio, an edge made, changed, removed."""
    fid, _ = resolve(g, "MAC802154_HWSIM")
    for msg in ask(g, fid, Z.H.MAC802154_HWSIM_CMD_GET_RADIO, NLM_F_DUMP, b"", "get radio dump"):
        print(f"wpan-hwsim phy{num(parsed(msg)[Z.H.MAC802154_HWSIM_ATTR_RADIO_ID])}")
    new = None
    seq = g.send(fid, Z.H.MAC802154_HWSIM_CMD_NEW_RADIO, NLM_F_ACK)
    for ty, _, msg in g.replies(seq):
        if ty == NLMSG_ERROR:
            new = error_of(msg)[0]       # hwsim_new_radio_nl answers the new radio's id as the "error"
    print("wpan-hwsim new radio:", new)
    edge = lambda lqi=None: nla(Z.H.MAC802154_HWSIM_ATTR_RADIO_EDGE | 0x8000, u32(
        Z.H.MAC802154_HWSIM_EDGE_ATTR_ENDPOINT_ID, new) + (u8(Z.H.MAC802154_HWSIM_EDGE_ATTR_LQI, lqi) if lqi else b""))
    radio0 = u32(Z.H.MAC802154_HWSIM_ATTR_RADIO_ID, 0)
    if new is not None and new > 0:
        ask(g, fid, Z.H.MAC802154_HWSIM_CMD_NEW_EDGE, NLM_F_ACK, radio0 + edge(), "new edge")
        ask(g, fid, Z.H.MAC802154_HWSIM_CMD_SET_EDGE, NLM_F_ACK, radio0 + edge(200), "set edge lqi 200")
        ask(g, fid, Z.H.MAC802154_HWSIM_CMD_GET_RADIO, NLM_F_ACK, radio0, "get radio 0")
        ask(g, fid, Z.H.MAC802154_HWSIM_CMD_DEL_EDGE, NLM_F_ACK, radio0 + edge(), "del edge")
        ask(g, fid, Z.H.MAC802154_HWSIM_CMD_DEL_EDGE, NLM_F_ACK, radio0 + edge(), "del edge again")
        ask(g, fid, Z.H.MAC802154_HWSIM_CMD_DEL_RADIO, NLM_F_ACK, u32(Z.H.MAC802154_HWSIM_ATTR_RADIO_ID, new),
            "del radio")


# <linux/vduse.h>: _IOW(VDUSE_BASE 0x81, nr, size)
def _iow(nr: int, size: int) -> int:
    return (1 << 30) | (size << 16) | (0x81 << 8) | nr


VDUSE_NAME = "nls-vduse0"


def vduse(op: str) -> None:
    """A VDUSE net device (struct vduse_dev_config, its virtio_net_config: MAC, status, one
    queue pair, MTU 1400), for `vdpa dev add … mgmtdev vduse`; or its removal."""
    import fcntl
    fd = os.open("/dev/vduse/control", os.O_RDWR)
    try:
        if op == "add":
            fcntl.ioctl(fd, _iow(0x01, 8), struct.pack("=Q", 0))                 # VDUSE_SET_API_VERSION 0
            config = bytes.fromhex("001122334455") + struct.pack("=HHH", 1, 1, 1400)
            features = (1 << 32) | (1 << 33) | (1 << 5) | (1 << 3) | (1 << 16)    # VERSION_1 ACCESS_PLATFORM MAC MTU STATUS
            dev = (VDUSE_NAME.encode().ljust(256, b"\0") + struct.pack("=IIQII", 0, 1, features, 2, 4096)
                   + bytes(52) + struct.pack("=I", len(config)))
            fcntl.ioctl(fd, _iow(0x02, len(dev)), dev + config)                   # VDUSE_CREATE_DEV
            # vduse_dev_is_ready(): `vdpa dev add` refuses a device until each queue is set up
            # (struct vduse_vq_config: index, max_size), on the device's own file
            dfd = os.open(f"/dev/vduse/{VDUSE_NAME}", os.O_RDWR)
            try:
                for q in range(2):
                    fcntl.ioctl(dfd, _iow(0x14, 32), struct.pack("=IH26x", q, 256))   # VDUSE_VQ_SETUP
            finally:
                os.close(dfd)
        else:
            fcntl.ioctl(fd, _iow(0x03, 256), VDUSE_NAME.encode().ljust(256, b"\0"))  # VDUSE_DESTROY_DEV
        print(f"vduse {op} {VDUSE_NAME}: ok")
    finally:
        os.close(fd)


def ovs(g: Genl) -> None:
    """ovs-dpctl's meters and conntrack zone limits on a datapath of their own."""
    from dissectors.families.genl import ovs_meter as OM  # noqa: F401  (the names' module)
    from dissectors.generated import openvswitch as O
    dp, _ = resolve(g, "ovs_datapath")
    meter, _ = resolve(g, "ovs_meter")
    limit, _ = resolve(g, "ovs_ct_limit")
    portid = g.sock.getsockname()[0]
    no_dp = struct.pack("=i", 0)
    ask(g, dp, O.OVS_DP_CMD_NEW, NLM_F_ACK, no_dp + s(O.OVS_DP_ATTR_NAME, "nlsmdp")
        + u32(O.OVS_DP_ATTR_UPCALL_PID, portid), "dp new")
    hdr = struct.pack("=i", socket.if_nametoindex("nlsmdp"))
    for msg in ask(g, meter, O.OVS_METER_CMD_FEATURES, NLM_F_ACK, hdr, "meter features"):
        a = parsed(msg, 24)
        print(f"ovs meter features max_meters {num(a[O.OVS_METER_ATTR_MAX_METERS])} "
              f"max_bands {num(a[O.OVS_METER_ATTR_MAX_BANDS])}")
    band = nla(O.OVS_METER_ATTR_BANDS | 0x8000, nla(O.OVS_BAND_ATTR_UNSPEC | 0x8000, u32(O.OVS_BAND_ATTR_TYPE, 1)
                                                   + u32(O.OVS_BAND_ATTR_RATE, 1000) + u32(O.OVS_BAND_ATTR_BURST, 100)))
    ask(g, meter, O.OVS_METER_CMD_SET, NLM_F_ACK, hdr + u32(O.OVS_METER_ATTR_ID, 1) + flag(O.OVS_METER_ATTR_KBPS) + band,
        "meter set")
    for msg in ask(g, meter, O.OVS_METER_CMD_GET, NLM_F_ACK, hdr + u32(O.OVS_METER_ATTR_ID, 1), "meter get"):
        print(f"ovs meter {num(parsed(msg, 24)[O.OVS_METER_ATTR_ID])}")
    ask(g, meter, O.OVS_METER_CMD_DEL, NLM_F_ACK, hdr + u32(O.OVS_METER_ATTR_ID, 1), "meter del")
    ask(g, meter, O.OVS_METER_CMD_GET, NLM_F_ACK, hdr + u32(O.OVS_METER_ATTR_ID, 1), "meter get after del")
    zones = struct.pack("=iII", -1, 100, 0) + struct.pack("=iII", 5, 10, 0)
    ask(g, limit, O.OVS_CT_LIMIT_CMD_SET, NLM_F_ACK, hdr + nla(O.OVS_CT_LIMIT_ATTR_ZONE_LIMIT | 0x8000, zones),
        "ct limit set")
    for msg in ask(g, limit, O.OVS_CT_LIMIT_CMD_GET, NLM_F_ACK, hdr, "ct limit get"):
        z = parsed(msg, 24)[O.OVS_CT_LIMIT_ATTR_ZONE_LIMIT]
        print("ovs ct limits", [struct.unpack_from("=iII", z, i) for i in range(0, len(z), 12)])
    ask(g, limit, O.OVS_CT_LIMIT_CMD_DEL, NLM_F_ACK, hdr + nla(O.OVS_CT_LIMIT_ATTR_ZONE_LIMIT | 0x8000,
                                                              struct.pack("=iII", 5, 0, 0)), "ct limit del")
    ask(g, dp, O.OVS_DP_CMD_DEL, NLM_F_ACK, no_dp + s(O.OVS_DP_ATTR_NAME, "nlsmdp"), "dp del")


def nfc(g: Genl) -> None:
    """nfctool's questions to nfcsim's two linked devices: list, power up, poll (nfc1 as target,
    nfc0 as initiator: the "events" group hears the target found), LLCP parameters, SEs, down."""
    from dissectors.families.genl import nfc as F
    fid, groups = resolve(g, "nfc")
    listener = Genl()
    listener.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups["events"])
    devs = {}
    for msg in ask(g, fid, F.H.NFC_CMD_GET_DEVICE, NLM_F_DUMP, b"", "list"):
        a = parsed(msg)
        devs[text(a[F.H.NFC_ATTR_DEVICE_NAME])] = num(a[F.H.NFC_ATTR_DEVICE_INDEX])
        print(f"nfc {text(a[F.H.NFC_ATTR_DEVICE_NAME])} index {num(a[F.H.NFC_ATTR_DEVICE_INDEX])} "
              f"protocols {num(a[F.H.NFC_ATTR_PROTOCOLS]):#x} powered {num(a[F.H.NFC_ATTR_DEVICE_POWERED])}")
    idx = {n: u32(F.H.NFC_ATTR_DEVICE_INDEX, i) for n, i in devs.items()}
    for name in sorted(idx):
        ask(g, fid, F.H.NFC_CMD_DEV_UP, NLM_F_ACK, idx[name], f"{name} up")
    if "nfc1" in idx and "nfc0" in idx:
        ask(g, fid, F.H.NFC_CMD_START_POLL, NLM_F_ACK, idx["nfc1"] + u32(F.H.NFC_ATTR_TM_PROTOCOLS, 1 << 5),
            "nfc1 poll as target")
        ask(g, fid, F.H.NFC_CMD_START_POLL, NLM_F_ACK, idx["nfc0"] + u32(F.H.NFC_ATTR_IM_PROTOCOLS, 1 << 5),
            "nfc0 poll as initiator")
        time.sleep(1.5)
        listener.sock.settimeout(0.5)
        try:
            while True:
                data = listener.sock.recv(65536)
                print(f"nfc event cmd {data[16]}")
        except socket.timeout:
            pass
        for msg in ask(g, fid, F.H.NFC_CMD_GET_TARGET, NLM_F_DUMP, idx["nfc0"], "targets of nfc0"):
            print(f"nfc target {num(parsed(msg)[F.H.NFC_ATTR_TARGET_INDEX])}")
        ask(g, fid, F.H.NFC_CMD_STOP_POLL, NLM_F_ACK, idx["nfc0"], "nfc0 stop poll")
        ask(g, fid, F.H.NFC_CMD_STOP_POLL, NLM_F_ACK, idx["nfc1"], "nfc1 stop poll")
    for name in sorted(idx):
        for msg in ask(g, fid, F.H.NFC_CMD_LLC_GET_PARAMS, NLM_F_ACK, idx[name], f"{name} llc params"):
            a = parsed(msg)
            print(f"nfc {name} lto {num(a[F.H.NFC_ATTR_LLC_PARAM_LTO])} rw {num(a[F.H.NFC_ATTR_LLC_PARAM_RW])} "
                  f"miux {num(a[F.H.NFC_ATTR_LLC_PARAM_MIUX])}")
    if "nfc0" in idx:
        ask(g, fid, F.H.NFC_CMD_LLC_SET_PARAMS, NLM_F_ACK, idx["nfc0"] + u8(F.H.NFC_ATTR_LLC_PARAM_RW, 10), "llc set rw")
    ask(g, fid, F.H.NFC_CMD_GET_SE, NLM_F_DUMP, b"", "secure elements")
    for name in sorted(idx):
        ask(g, fid, F.H.NFC_CMD_DEV_DOWN, NLM_F_ACK, idx[name], f"{name} down")
    ask(g, fid, F.H.NFC_CMD_DEV_DOWN, NLM_F_ACK, u32(F.H.NFC_ATTR_DEVICE_INDEX, 99), "nfc99 down")
    listener.sock.close()


def nfacct(op: str) -> None:
    """nfacct add/delete nls_acct (NFNL_SUBSYS_ACCT), for iptables' `-m nfacct`."""
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)   # NETLINK_NETFILTER
    sock.bind((0, 0))
    mtype = (7 << 8) | (0 if op == "add" else 2)                     # NFNL_MSG_ACCT_NEW / _DEL
    body = struct.pack("=BBH", 0, 0, 0) + s(1, "nls_acct")           # nfgenmsg, NFACCT_NAME
    flags = 1 | NLM_F_ACK | (NLM_F_CREATE | NLM_F_EXCL if op == "add" else 0)
    sock.send(struct.pack("=IHHII", 16 + len(body), mtype, flags, 1, 0) + body)
    err, ext = error_of(sock.recv(65536))
    print(f"nfacct {op} nls_acct: {err or 'ACK'} {ext or ''}")
    sock.close()


if __name__ == "__main__":
    for probe in sys.argv[1:]:
        try:
            if probe.startswith("nfacct_"):
                nfacct(probe.split("_", 1)[1])
            elif probe.startswith("vduse_"):
                vduse(probe.split("_", 1)[1])
            else:
                {"gtp": gtp, "hsr": hsr, "smc": smc, "hwsim": hwsim, "wpan": wpan, "wpan_hwsim": wpan_hwsim, "ovs": ovs,
                 "nfc": nfc}[probe](Genl())
        except (SystemExit, OSError, KeyError, StopIteration) as e:
            print(f"{probe}: {type(e).__name__} {e}")
        sys.stdout.flush()
