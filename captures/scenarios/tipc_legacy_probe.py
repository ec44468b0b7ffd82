#!/usr/bin/env python3
"""Speak the kernel's legacy TIPC configuration family (generic netlink "TIPC", version 1,
net/tipc/netlink_compat.c) as the old tipc-config tool did: one genl command (TIPC_GENL_CMD 1)
whose struct tipc_genlmsghdr (host order: dest, cmd, reserved) names the TIPC_CMD_* and whose
big-endian TLVs (struct tlv_desc) carry its argument.  The kernel answers in a copy of the
request's own headers (nlmsghdr with NLM_F_REQUEST, genlmsghdr, tipc_genlmsghdr) followed by
the reply TLVs; every answer is printed: its headers, each TLV decoded, the errno of any
NLMSG_ERROR.  Stdlib only, raw AF_NETLINK sockets.

    tipc_legacy_probe.py            # the whole conversation (needs tl0, a dummy device, up)
    tipc_legacy_probe.py noadmin    # a few commands from a process without CAP_NET_ADMIN
                                    # (run by the first through setpriv)
"""
from __future__ import annotations

import errno
import os
import select
import shutil
import socket
import struct
import subprocess
import sys

NETLINK_GENERIC, SOL_NETLINK, NETLINK_EXT_ACK = 16, 270, 11
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLMSG_ERROR, NLMSG_DONE, GENL_ID_CTRL = 2, 3, 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR = {1: "FAMILY_ID", 2: "FAMILY_NAME", 3: "VERSION", 4: "HDRSIZE", 5: "MAXATTR", 6: "OPS", 7: "MCAST_GROUPS"}
TIPC_GENL_NAME, TIPC_GENL_VERSION, TIPC_GENL_CMD = "TIPC", 1, 1

# <linux/tipc_config.h>
CMD = {
    "NOOP": 0x0000, "GET_NODES": 0x0001, "GET_MEDIA_NAMES": 0x0002, "GET_BEARER_NAMES": 0x0003,
    "GET_LINKS": 0x0004, "SHOW_NAME_TABLE": 0x0005, "SHOW_PORTS": 0x0006, "SHOW_LINK_STATS": 0x000B,
    "SHOW_STATS": 0x000F, "GET_REMOTE_MNG": 0x4003, "GET_MAX_PORTS": 0x4004, "GET_MAX_PUBL": 0x4005,
    "GET_MAX_SUBSCR": 0x4006, "GET_NETID": 0x400B, "ENABLE_BEARER": 0x4101, "DISABLE_BEARER": 0x4102,
    "SET_LINK_TOL": 0x4107, "SET_LINK_PRI": 0x4108, "SET_LINK_WINDOW": 0x4109, "RESET_LINK_STATS": 0x410C,
    "SET_NODE_ADDR": 0x8001, "SET_REMOTE_MNG": 0x8003, "SET_MAX_PORTS": 0x8004, "SET_NETID": 0x800B,
    "NOT_NET_ADMIN": 0xC001,
}
CMD_NAME = {v: k for k, v in CMD.items()}
TLV = {
    "NONE": 0, "VOID": 1, "UNSIGNED": 2, "STRING": 3, "LARGE_STRING": 4, "ULTRA_STRING": 5, "ERROR_STRING": 16,
    "NET_ADDR": 17, "MEDIA_NAME": 18, "BEARER_NAME": 19, "LINK_NAME": 20, "NODE_INFO": 21, "LINK_INFO": 22,
    "BEARER_CONFIG": 23, "LINK_CONFIG": 24, "NAME_TBL_QUERY": 25, "PORT_REF": 26,
}
TLV_NAME = {v: k for k, v in TLV.items()}
CFG_ERROR = {0x80: "TLV_ERROR", 0x81: "NOT_NET_ADMIN", 0x82: "NOT_ZONE_MSTR", 0x83: "NO_REMOTE",
             0x84: "NOT_SUPPORTED", 0x85: "INVALID_VALUE"}
TIPC_MAX_BEARER_NAME, TIPC_MAX_LINK_NAME = 32, 68
TIPC_NTQ_ALLTYPES = 0x80000000
STRINGS = {"STRING", "LARGE_STRING", "ULTRA_STRING", "MEDIA_NAME", "BEARER_NAME", "LINK_NAME"}


# ---- TLVs (big-endian descriptors, payloads big-endian) -------------------------------------
def tlv(ty: int, payload: bytes = b"") -> bytes:
    raw = struct.pack(">HH", 4 + len(payload), ty) + payload
    return raw + b"\0" * (-len(raw) % 4)


def tlv_u32(ty: str, v: int) -> bytes:
    return tlv(TLV[ty], struct.pack(">I", v))


def tlv_str(ty: str, text: str) -> bytes:
    return tlv(TLV[ty], text.encode() + b"\0")


def bearer_config(priority: int, domain: int, name: str) -> bytes:
    return tlv(TLV["BEARER_CONFIG"], struct.pack(">II", priority, domain) + name.encode().ljust(TIPC_MAX_BEARER_NAME, b"\0"))


def link_config(value: int, name: str) -> bytes:
    return tlv(TLV["LINK_CONFIG"], struct.pack(">I", value) + name.encode().ljust(TIPC_MAX_LINK_NAME, b"\0"))


def name_tbl_query(depth: int, ty: int, lower: int = 0, upper: int = 0) -> bytes:
    return tlv(TLV["NAME_TBL_QUERY"], struct.pack(">IIII", depth, ty, lower, upper))


def addr(z: int, c: int, n: int) -> int:
    return (z << 24) | (c << 12) | n


def zcn(a: int) -> str:
    return f"<{a >> 24}.{(a >> 12) & 0xfff}.{a & 0xfff}>"


def cstr(b: bytes) -> str:
    return b.split(b"\0", 1)[0].decode(errors="backslashreplace")


def decode_tlv(ty: int, v: bytes) -> str:
    name = TLV_NAME.get(ty, "?")
    try:
        if name in ("UNSIGNED", "PORT_REF") and len(v) >= 4:
            return str(struct.unpack_from(">I", v)[0])
        if name == "NET_ADDR" and len(v) >= 4:
            a = struct.unpack_from(">I", v)[0]
            return f"{a:#010x} {zcn(a)}"
        if name == "ERROR_STRING":
            code = v[0] if v else None
            rest = cstr(v[1:]) if v else ""
            return f"code {code:#x} {CFG_ERROR.get(code, '?')} text {rest!r} raw {v!r}"
        if name in STRINGS:
            s = cstr(v)
            if "\n" in s:
                lines = s.split("\n")
                if lines[-1] == "":
                    lines.pop()
                return f"{len(s)} chars:\n" + "\n".join("        | " + line for line in lines)
            return repr(s)
        if name == "NODE_INFO" and len(v) >= 8:
            a, up = struct.unpack_from(">II", v)
            return f"addr {a:#010x} {zcn(a)} up {up}"
        if name == "LINK_INFO" and len(v) >= 8:
            dest, up = struct.unpack_from(">II", v)
            return f"dest {dest:#010x} {zcn(dest)} up {up} str {cstr(v[8:])!r}"
        if name == "BEARER_CONFIG" and len(v) >= 8:
            pri, dom = struct.unpack_from(">II", v)
            return f"priority {pri} disc_domain {dom:#x} name {cstr(v[8:])!r}"
        if name == "LINK_CONFIG" and len(v) >= 4:
            return f"value {struct.unpack_from('>I', v)[0]} name {cstr(v[4:])!r}"
        if name == "NAME_TBL_QUERY" and len(v) >= 16:
            d, t, lo, hi = struct.unpack_from(">IIII", v)
            return f"depth {d:#x} type {t:#x} lowbound {lo} upbound {hi}"
        if name == "VOID":
            return "(void)"
    except (struct.error, IndexError) as e:
        return f"undecodable ({e}) {v.hex()}"
    return v.hex() or "(empty)"


def print_tlvs(data: bytes, indent: str = "      ") -> None:
    pos = 0
    if not data:
        print(f"{indent}no TLVs")
    while pos < len(data):
        if pos + 4 > len(data):
            print(f"{indent}trailing {len(data) - pos} bytes {data[pos:].hex()}")
            return
        ln, ty = struct.unpack_from(">HH", data, pos)
        if ln < 4 or pos + ln > len(data):
            print(f"{indent}bad TLV at {pos}: len {ln} type {ty} ({len(data) - pos} bytes left) {data[pos:pos + 32].hex()}")
            return
        v = data[pos + 4:pos + ln]
        if TLV_NAME.get(ty) in STRINGS and pos + 4 + ln == len(data) and b"\0" not in data[pos + 4:]:
            # the kernel's tipc_tlv_sprintf() sets tlv_len to the characters written, its own
            # 4-byte header left out, and sends no NUL: the string runs to the message's end
            print(f"{indent}TLV {TLV_NAME.get(ty, '?')} ({ty}) len {ln} (the 4-byte header left out: the string "
                  f"runs 4 bytes past it to the end of the message, no NUL, no padding): "
                  f"{decode_tlv(ty, data[pos + 4:])}")
            return
        print(f"{indent}TLV {TLV_NAME.get(ty, '?')} ({ty}) len {ln}: {decode_tlv(ty, v)}")
        pos += (ln + 3) & ~3


# ---- netlink -----------------------------------------------------------------------------
def nla(t: int, payload: bytes) -> bytes:
    raw = struct.pack("=HH", 4 + len(payload), t) + payload
    return raw + b"\0" * (-len(raw) % 4)


def nlattrs(data: bytes):
    pos = 0
    while pos + 4 <= len(data):
        ln, t = struct.unpack_from("=HH", data, pos)
        if ln < 4:
            break
        yield t & 0x3FFF, data[pos + 4:pos + ln]
        pos += (ln + 3) & ~3


def flag_names(fl: int) -> str:
    names = [n for bit, n in ((0x1, "REQUEST"), (0x2, "MULTI"), (0x4, "ACK"), (0x8, "ECHO"),
                              (0x100, "CAPPED"), (0x200, "ACK_TLVS")) if fl & bit]
    return "|".join(names) or "0"


class Sock:
    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.portid = self.sock.getsockname()[0]
        self.seq = 0
        self.family = None

    def send_raw(self, msg: bytes) -> None:
        self.sock.send(msg)

    def answers(self, wait: float = 2.0) -> list[bytes]:
        """Every message queued for us: the kernel's doit runs inside send(), so its reply and
        any ACK/ERROR are already there; wait at most `wait` s for the first, then drain."""
        out = []
        timeout = wait
        while True:
            r, _, _ = select.select([self.sock], [], [], timeout)
            if not r:
                return out
            data = self.sock.recv(1 << 17)
            pos = 0
            while pos + 16 <= len(data):
                ln = struct.unpack_from("=I", data, pos)[0]
                if ln < 16:
                    break
                out.append(data[pos:pos + ln])
                pos += (ln + 3) & ~3
            timeout = 0.2


def print_error(msg: bytes, indent: str = "  ") -> None:
    ln, ty, fl, seq, pid = struct.unpack_from("=IHHII", msg)
    err = struct.unpack_from("=i", msg, 16)[0]
    o_len, o_ty, o_fl, o_seq, o_pid = struct.unpack_from("=IHHII", msg, 20)
    what = "ACK" if err == 0 else f"errno {err} ({errno.errorcode.get(-err, '?')}: {os.strerror(-err)})"
    print(f"{indent}< len {ln} NLMSG_ERROR flags {fl:#x} {flag_names(fl)} seq {seq} pid {pid}: {what}; "
          f"echoed request len {o_len} type {o_ty:#x} flags {o_fl:#x} seq {o_seq} pid {o_pid}")
    if fl & 0x200:
        off = 20 + (16 if fl & 0x100 else (o_len + 3) & ~3)
        for t, v in nlattrs(msg[off:]):
            name = {1: "msg", 2: "offs", 3: "cookie", 4: "policy", 5: "miss_type", 6: "miss_nest"}.get(t, str(t))
            val = cstr(v) if t == 1 else (struct.unpack("=I", v)[0] if t in (2, 5, 6) and len(v) == 4 else v.hex())
            print(f"{indent}  extack {name}: {val}")


def resolve(s: Sock) -> int:
    s.seq += 1
    body = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + nla(2, TIPC_GENL_NAME.encode() + b"\0")
    s.send_raw(struct.pack("=IHHII", 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, s.seq, 0) + body)
    fid = None
    for msg in s.answers():
        ty = struct.unpack_from("=H", msg, 4)[0]
        if ty == NLMSG_ERROR:
            print_error(msg)
        elif ty == GENL_ID_CTRL:
            parts = []
            for t, v in nlattrs(msg[20:]):
                if t == 1:
                    fid = struct.unpack("=H", v[:2])[0]
                    parts.append(f"id {fid:#x}")
                elif t == 2:
                    parts.append(f"name {cstr(v)!r}")
                elif t in (3, 4, 5):
                    parts.append(f"{CTRL_ATTR[t].lower()} {struct.unpack('=I', v[:4])[0]}")
                elif t == 6:
                    ops = []
                    for _, op in nlattrs(v):
                        a = dict(nlattrs(op))
                        ops.append(f"cmd {struct.unpack('=I', a[1])[0]} flags {struct.unpack('=I', a[2])[0]:#x}"
                                   if 1 in a and 2 in a else op.hex())
                    parts.append("ops [" + ", ".join(ops) + "]")
                elif t == 7:
                    parts.append(f"mcast groups {v.hex()}")
            print(f"family {TIPC_GENL_NAME}: " + " ".join(parts))
    if fid is None:
        raise SystemExit("family TIPC not found")
    s.family = fid
    return fid


def print_answer(s: Sock, msg: bytes) -> None:
    ln, ty, fl, seq, pid = struct.unpack_from("=IHHII", msg)
    if ty == NLMSG_ERROR:
        print_error(msg)
        return
    if ty != s.family:
        print(f"  < len {ln} type {ty:#x} flags {fl:#x} seq {seq} pid {pid}: {msg[16:].hex()}")
        return
    head = f"  < len {ln} type {ty:#x} (TIPC) flags {fl:#x} {flag_names(fl)} seq {seq} pid {pid}"
    if ln < 28:
        print(f"{head} short: {msg[16:].hex()}")
        return
    gcmd, gver, _ = struct.unpack_from("=BBH", msg, 16)
    dest, tcmd, res = struct.unpack_from("=IHH", msg, 20)
    print(f"{head} | genl cmd {gcmd} version {gver} | tipc dest {dest:#x} cmd {tcmd:#06x} "
          f"{CMD_NAME.get(tcmd, '?')} reserved {res} | {ln - 28} bytes of TLVs")
    print_tlvs(msg[28:ln])


def tipc(s: Sock, cmd: int, tlvs: bytes = b"", ack: bool = False, what: str = "", dest: int = 0,
         tipc_hdr: bytes | None = None, nl_len: int | None = None, pid: int | None = None) -> None:
    """One legacy command: nlmsghdr (pid = our port id, as tipc-config's getpid()), genlmsghdr
    (TIPC_GENL_CMD, version 1), tipc_genlmsghdr (dest, cmd), TLVs; then every answer printed."""
    s.seq += 1
    flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
    th = struct.pack("=IHH", dest, cmd, 0) if tipc_hdr is None else tipc_hdr
    body = struct.pack("=BBH", TIPC_GENL_CMD, TIPC_GENL_VERSION, 0) + th + tlvs
    ln = 16 + len(body) if nl_len is None else nl_len
    pid = s.portid if pid is None else pid
    msg = struct.pack("=IHHII", ln, s.family, flags, s.seq, pid) + body
    label = what or CMD_NAME.get(cmd, hex(cmd))
    print(f"> {label}: cmd {cmd:#06x} seq {s.seq} pid {pid} flags {flag_names(flags)} len {ln}"
          + (f" tlvs {tlvs.hex()}" if tlvs else " no TLVs"))
    try:
        s.send_raw(msg)
    except OSError as e:
        print(f"  send: {e}")
        return
    answers = s.answers()
    if not answers:
        print("  (no answer)")
    for a in answers:
        print_answer(s, a)
    sys.stdout.flush()


def tipc_socket() -> socket.socket | None:
    """An AF_TIPC RDM socket bound to {18888, 17, 17}: a port and a publication to be shown."""
    try:
        t = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
        t.bind((socket.TIPC_ADDR_NAMESEQ, 18888, 17, 17, socket.TIPC_CLUSTER_SCOPE))
        _, node, ref = t.getsockname()[:3]
        print(f"AF_TIPC socket bound to {{18888,17,17}}: port {zcn(node)[:-1]}:{ref}>")
        return t
    except OSError as e:
        print(f"AF_TIPC socket: {e}")
        return None


def noadmin() -> None:
    caps = [line for line in open("/proc/self/status") if line.startswith("Cap")]
    print("capabilities:", " ".join(line.split()[1] for line in caps))
    s = Sock()
    resolve(s)
    tipc(s, CMD["NOOP"], ack=True, what="NOOP without CAP_NET_ADMIN")
    tipc(s, CMD["GET_MEDIA_NAMES"], what="GET_MEDIA_NAMES without CAP_NET_ADMIN")
    tipc(s, CMD["GET_NETID"], what="GET_NETID without CAP_NET_ADMIN")
    tipc(s, CMD["SET_NETID"], tlv_u32("UNSIGNED", 4713), ack=True, what="SET_NETID 4713 without CAP_NET_ADMIN")


def unprivileged_child() -> None:
    me = [sys.executable, os.path.abspath(__file__), "noadmin"]
    if shutil.which("setpriv"):
        cmd = ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--"] + me
    elif shutil.which("capsh"):
        cmd = ["capsh", "--drop=cap_net_admin", "--"] + ["-c", " ".join(me)]
    else:
        print("no setpriv or capsh: the command without CAP_NET_ADMIN is skipped")
        return
    print("+ " + " ".join(cmd))
    sys.stdout.flush()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(r.stdout, end="")
    print(f"child rc={r.returncode}")


def main() -> None:
    s = Sock()
    print(f"netlink port id {s.portid}")
    resolve(s)
    U = tlv_u32
    tipc(s, CMD["NOOP"])
    tipc(s, CMD["NOOP"], ack=True, what="NOOP with NLM_F_ACK")
    tipc(s, CMD["NOOP"], ack=True, pid=0, what="NOOP with NLM_F_ACK, nlmsg_pid 0")
    tipc(s, CMD["GET_NETID"], what="GET_NETID (the default)")
    tipc(s, CMD["SET_NETID"], U("UNSIGNED", 4712), ack=True, what="SET_NETID 4712")
    tipc(s, CMD["GET_NETID"], what="GET_NETID after SET_NETID")
    tipc(s, CMD["SET_NETID"], U("UNSIGNED", 0), ack=True, what="SET_NETID 0 (out of range)")
    tipc(s, CMD["SET_NODE_ADDR"], U("NET_ADDR", addr(1, 1, 1)), ack=True, what="SET_NODE_ADDR 1.1.1")
    tipc(s, CMD["SET_NODE_ADDR"], U("NET_ADDR", addr(1, 1, 2)), ack=True, what="SET_NODE_ADDR 1.1.2 (again)")
    tipc(s, CMD["GET_NODES"], U("NET_ADDR", 0))
    tipc(s, CMD["GET_MEDIA_NAMES"])
    tipc(s, CMD["GET_BEARER_NAMES"], what="GET_BEARER_NAMES (none yet)")
    tipc(s, CMD["ENABLE_BEARER"], bearer_config(10, 0, "eth:tl0"), ack=True, what="ENABLE_BEARER eth:tl0")
    tipc(s, CMD["ENABLE_BEARER"], bearer_config(10, 0, "eth:nosuch0"), what="ENABLE_BEARER eth:nosuch0")
    tipc(s, CMD["GET_BEARER_NAMES"])
    tipc(s, CMD["GET_LINKS"], U("NET_ADDR", 0))
    tipc(s, CMD["SHOW_LINK_STATS"], tlv_str("LINK_NAME", "broadcast-link"), what="SHOW_LINK_STATS broadcast-link")
    tipc(s, CMD["SET_LINK_TOL"], link_config(2000, "eth:tl0"), ack=True, what="SET_LINK_TOL 2000 eth:tl0 (bearer)")
    tipc(s, CMD["SET_LINK_TOL"], link_config(2000, "broadcast-link"), ack=True,
         what="SET_LINK_TOL 2000 broadcast-link")
    tipc(s, CMD["SET_LINK_PRI"], link_config(12, "eth"), ack=True, what="SET_LINK_PRI 12 eth (media)")
    tipc(s, CMD["SET_LINK_PRI"], link_config(12, "broadcast-link"), ack=True, what="SET_LINK_PRI 12 broadcast-link")
    tipc(s, CMD["SET_LINK_WINDOW"], link_config(100, "broadcast-link"), ack=True,
         what="SET_LINK_WINDOW 100 broadcast-link")
    tipc(s, CMD["SET_LINK_WINDOW"], link_config(100, "eth:tl0"), ack=True, what="SET_LINK_WINDOW 100 eth:tl0")
    tipc(s, CMD["RESET_LINK_STATS"], tlv_str("LINK_NAME", "broadcast-link"), ack=True,
         what="RESET_LINK_STATS broadcast-link")
    port = tipc_socket()
    tipc(s, CMD["SHOW_NAME_TABLE"], name_tbl_query(TIPC_NTQ_ALLTYPES | 4, 0),
         what="SHOW_NAME_TABLE depth ALLTYPES|4 (tipc-config -nt)")
    tipc(s, CMD["SHOW_NAME_TABLE"], name_tbl_query(4, TIPC_NTQ_ALLTYPES),
         what="SHOW_NAME_TABLE depth 4 type 0x80000000")
    tipc(s, CMD["SHOW_NAME_TABLE"], name_tbl_query(3, 18888, 17, 17), what="SHOW_NAME_TABLE depth 3 type 18888 17..17")
    tipc(s, CMD["SHOW_PORTS"])
    tipc(s, CMD["SHOW_STATS"], U("UNSIGNED", 0))
    tipc(s, CMD["GET_REMOTE_MNG"])
    tipc(s, CMD["GET_MAX_PORTS"])
    if port is not None:
        port.close()
    tipc(s, CMD["DISABLE_BEARER"], tlv_str("BEARER_NAME", "eth:tl0"), ack=True, what="DISABLE_BEARER eth:tl0")
    tipc(s, CMD["DISABLE_BEARER"], tlv_str("BEARER_NAME", "eth:tl0"), ack=True, what="DISABLE_BEARER eth:tl0 (again)")
    tipc(s, CMD["GET_MAX_SUBSCR"], what="GET_MAX_SUBSCR (obsolete)")
    tipc(s, 0x4FFF, ack=True, what="unknown command 0x4fff")
    tipc(s, CMD["GET_NODES"], U("UNSIGNED", 0), what="GET_NODES with an UNSIGNED TLV (wrong type)")
    tipc(s, CMD["SHOW_LINK_STATS"], U("UNSIGNED", 0), what="SHOW_LINK_STATS with an UNSIGNED TLV (wrong type)")
    tipc(s, CMD["SHOW_LINK_STATS"], what="SHOW_LINK_STATS without a TLV")
    tipc(s, CMD["GET_NODES"], struct.pack(">HHI", 64, TLV["NET_ADDR"], 0), ack=True,
         what="GET_NODES with a malformed TLV (tlv_len 64 past the end)")
    tipc(s, CMD["GET_NETID"], tipc_hdr=struct.pack("=I", 0), ack=True,
         what="GET_NETID with a truncated tipc_genlmsghdr (4 of 8 bytes)")
    unprivileged_child()


if __name__ == "__main__":
    if sys.argv[1:] == ["noadmin"]:
        noadmin()
    else:
        main()
    sys.stdout.flush()
