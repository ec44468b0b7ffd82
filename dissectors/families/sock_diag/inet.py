"""AF_INET/AF_INET6 sockets (`ss -t`, `-u`, …): struct inet_diag_req_v2 with its bytecode
filter shown op by op, struct inet_diag_msg, and INET_DIAG_* (memory, struct tcp_info with
every field named, congestion control, TOS/TCLASS, marks, cgroup, ULP, …); the Info
column reads like `ss`: `tcp LISTEN 0.0.0.0:22 0.0.0.0:*`."""
from __future__ import annotations

import socket

from construct import Bytes, Int8ul, Int16ub, Int16ul, Int32ul, Int64ul

from ...core.attrs import FULL, a, enum_set, malformed
from ...core.header import nlmsghdr_value
from ...core.schema import FixedStruct, c_struct, member, names_from, pad
from ...generated import inet_diag as ID, sock_diag as SD
from ...model import FIELDS, STRING, UINT, Node
from ...core.registry import GET, OTHER, MessageType
from .protocol import register_legacy, register_sock_family

TCP_STATES = {1: "ESTAB", 2: "SYN-SENT", 3: "SYN-RECV", 4: "FIN-WAIT-1", 5: "FIN-WAIT-2", 6: "TIME-WAIT",
              7: "UNCONN", 8: "CLOSE-WAIT", 9: "LAST-ACK", 10: "LISTEN", 11: "CLOSING", 12: "NEW-SYN-RECV"}
PROTOS = {6: "tcp", 17: "udp", 33: "dccp", 132: "sctp", 136: "udplite", 255: "raw", 262: "mptcp"}
EXT_BITS = {1 << (getattr(ID, n) - 1): n for n in ID.ENUMS["INET_DIAG_NONE"] if getattr(ID, n) > 0 and
            not n.startswith("__")}
MEMINFO_NAMES = {getattr(SD, n): n for n in SD.ENUMS["SK_MEMINFO_RMEM_ALLOC"] if n != "SK_MEMINFO_VARS"}


def _addr(af):
    fam = socket.AF_INET if af == 2 else socket.AF_INET6
    n = 4 if af == 2 else 16
    return lambda b: socket.inet_ntop(fam, b[:n])


def _states(v: int) -> str:
    return f"{v:#x}" + (f" ({', '.join(s for b, s in TCP_STATES.items() if v & (1 << b))})" if v and v != 0xFFFFFFFF
                        else " (all)" if v else "")


def _sockid(af, prefix):
    show = _addr(af)
    return [member("sport", Int16ub), member("dport", Int16ub), member("src", Bytes(16), show),
            member("dst", Bytes(16), show), member("if", Int32ul), member("cookie", Bytes(8), lambda b: b.hex())]


def _req(af):
    return FixedStruct("inet_diag_req_v2", "sock_diag.inet.req", [
        member("family", Int8ul), member("protocol", Int8ul, lambda v: f"{PROTOS.get(v, v)} ({v})"),
        member("ext", Int8ul, lambda v: f"{v:#x}"), pad(1), member("states", Int32ul, _states),
        *_sockid(af, "sock_diag.inet.req")], label=f"inet_diag_req_v2 ({'AF_INET' if af == 2 else 'AF_INET6'})")


def _req_legacy(af):
    """struct inet_diag_req (<linux/inet_diag.h>): the request of TCPDIAG_GETSOCK/DCCPDIAG_GETSOCK,
    which the kernel still serves (inet_diag_rcv_msg_compat); the protocol is the message type's."""
    return FixedStruct("inet_diag_req", "sock_diag.inet.req", [
        member("family", Int8ul), member("src_len", Int8ul), member("dst_len", Int8ul),
        member("ext", Int8ul, lambda v: f"{v:#x}"), *_sockid(af, "sock_diag.inet.req"),
        member("states", Int32ul, _states), member("dbs", Int32ul)],
        label=f"inet_diag_req ({'AF_INET' if af == 2 else 'AF_INET6'}, legacy)")


def _msg(af):
    return FixedStruct("inet_diag_msg", "sock_diag.inet", [
        member("family", Int8ul), member("state", Int8ul, lambda v: f"{TCP_STATES.get(v, v)} ({v})"),
        member("timer", Int8ul), member("retrans", Int8ul), *_sockid(af, "sock_diag.inet"),
        member("expires", Int32ul), member("rqueue", Int32ul), member("wqueue", Int32ul), member("uid", Int32ul),
        member("inode", Int32ul)], label=f"inet_diag_msg ({'AF_INET' if af == 2 else 'AF_INET6'})")


TCPI_ECN_MODES = {0: "disabled", 1: "rfc3168", 2: "accecn", 3: "pending"}   # TCPI_ECN_MODE_* (<linux/tcp.h>)


def _ecn_accecn(v: int) -> str:
    return (f"{v:#x} (ecn_mode {TCPI_ECN_MODES[v & 3]}, accecn_opt_seen {(v >> 2) & 3}, "
            f"accecn_fail_mode {(v >> 4) & 15:#x}, options2 {v >> 8:#x})")


U8 = [f"tcpi_{n}" for n in ("state", "ca_state", "retransmits", "probes", "backoff", "options")]
TCP_INFO = FixedStruct("tcp_info", "sock_diag.inet.tcp_info", [
    *[member(n[5:], Int8ul) for n in U8], member("wscale", Int8ul, lambda v: f"snd {v & 15}, rcv {v >> 4}"),
    member("app_limited_fastopen_fail", Int8ul, hex),
    *[member(n, Int32ul) for n in ("rto", "ato", "snd_mss", "rcv_mss", "unacked", "sacked", "lost", "retrans",
                                   "fackets", "last_data_sent", "last_ack_sent", "last_data_recv", "last_ack_recv",
                                   "pmtu", "rcv_ssthresh", "rtt", "rttvar", "snd_ssthresh", "snd_cwnd", "advmss",
                                   "reordering", "rcv_rtt", "rcv_space", "total_retrans")],
    *[member(n, Int64ul) for n in ("pacing_rate", "max_pacing_rate", "bytes_acked", "bytes_received")],
    *[member(n, Int32ul) for n in ("segs_out", "segs_in", "notsent_bytes", "min_rtt", "data_segs_in",
                                   "data_segs_out")],
    *[member(n, Int64ul) for n in ("delivery_rate", "busy_time", "rwnd_limited", "sndbuf_limited")],
    *[member(n, Int32ul) for n in ("delivered", "delivered_ce")],
    *[member(n, Int64ul) for n in ("bytes_sent", "bytes_retrans")],
    *[member(n, Int32ul) for n in ("dsack_dups", "reord_seen", "rcv_ooopack", "snd_wnd")],
    # newer than 6.1: INET_DIAG_INFO is sizeof(struct tcp_info) of the kernel that sent it
    # (inet_diag.c, inet_sk_diag_fill), 232 bytes on 6.1 and 248 on 6.12
    member("rcv_wnd", Int32ul), member("rehash", Int32ul), member("total_rto", Int16ul),
    member("total_rto_recoveries", Int16ul), member("total_rto_time", Int32ul),
    # Accurate ECN (6.18: 280 bytes): CE-marked segments received, the byte counters, then one
    # u32 of bit fields tcpi_ecn_mode:2, tcpi_accecn_opt_seen:2, tcpi_accecn_fail_mode:4,
    # tcpi_options2:24 (<linux/tcp.h>; read as a little-endian host lays them out)
    *[member(n, Int32ul) for n in ("received_ce", "delivered_e1_bytes", "delivered_e0_bytes", "delivered_ce_bytes",
                                   "received_e1_bytes", "received_e0_bytes", "received_ce_bytes")],
    member("ecn_accecn", Int32ul, _ecn_accecn, title="ECN mode, AccECN option seen, fail mode, options2")],
    label="struct tcp_info", optional_from="rcv_wnd")
MEMINFO = c_struct(ID, "inet_diag_meminfo", "sock_diag.inet.meminfo_struct", strip="idiag_", label="inet_diag_meminfo")
VEGAS = c_struct(ID, "tcpvegas_info", "sock_diag.inet.vegas", strip="tcpv_", label="tcpvegas_info")
DCTCP = c_struct(ID, "tcp_dctcp_info", "sock_diag.inet.dctcp", strip="dctcp_", label="tcp_dctcp_info")
BBR = c_struct(ID, "tcp_bbr_info", "sock_diag.inet.bbr", strip="bbr_", label="tcp_bbr_info")
ULP = enum_set("ulp", "sock_diag.inet.ulp", ID, "INET_ULP_INFO_UNSPEC", "INET_ULP_INFO_", {
    "NAME": "string", "TLS": "nest", "MPTCP": "nest"}, label="upper layer protocol")
INET_DIAG = enum_set("inet", "sock_diag.inet", ID, "INET_DIAG_NONE", "INET_DIAG_", {
    "MEMINFO": a("struct", struct=MEMINFO), "INFO": a("struct", struct=TCP_INFO), "VEGASINFO": a("struct", struct=VEGAS),
    "CONG": "string", "TOS": "u8", "TCLASS": "u8",
    "SKMEMINFO": a("array", sub="u32", elem_names={k: v[len("SK_MEMINFO_"):].lower() for k, v in MEMINFO_NAMES.items()}),
    "SHUTDOWN": "u8", "DCTCPINFO": a("struct", struct=DCTCP), "PROTOCOL": a("u8", enum=PROTOS), "SKV6ONLY": "u8",
    "PAD": "pad", "MARK": a("u32", show=hex), "BBRINFO": a("struct", struct=BBR), "CLASS_ID": a("u32", show=hex),
    "ULP_INFO": a("nest", nested=ULP), "SK_BPF_STORAGES": "nest", "CGROUP_ID": "u64", "SOCKOPT": a("u16", show=hex)},
    label="inet socket")

# --- request bytecode ------------------------------------------------------------------------
BC_OPS = names_from(ID, "INET_DIAG_BC_", "INET_DIAG_BC_NOP", exclude=())
F_OP = FIELDS.add("sock_diag.inet.bc.op", "Bytecode op", UINT, "an inet_diag_bc_op (its code)")
F_ARG = FIELDS.add("sock_diag.inet.bc.arg", "Operand", STRING, "what the op compares against")
OP = c_struct(ID, "inet_diag_bc_op", "sock_diag.inet.bc.op_struct", label="inet_diag_bc_op")


def _bytecode(buf, start, end, order, req):
    out, p, i = [], start, 0
    while p < end and i < 4096:
        if end - p < 4:
            out.append(malformed(buf, p, end, "truncated bytecode op"))
            break
        code, yes, no = buf[p], buf[p + 1], int.from_bytes(buf[p + 2:p + 4], "little" if order == "<" else "big")
        name = BC_OPS.get(code, f"op {code}")[len("INET_DIAG_BC_"):]
        size, arg = 4, ""
        if code in (2, 3, 4, 5) and p + 8 <= end:      # S_GE … D_LE: the port is the next op's `no`
            size, arg = 8, f"port {int.from_bytes(buf[p + 6:p + 8], 'little' if order == '<' else 'big')}"
        elif code in (7, 8) and p + 12 <= end:         # S_COND/D_COND: struct inet_diag_hostcond
            fam, plen = buf[p + 4], buf[p + 5]
            port = int.from_bytes(buf[p + 8:p + 12], "little" if order == "<" else "big", signed=True)
            alen = 4 if fam == 2 else (16 if fam == 10 else 0)
            size = 12 + alen
            host = socket.inet_ntop(socket.AF_INET if fam == 2 else socket.AF_INET6, bytes(buf[p + 12:p + 12 + alen])) \
                if alen and p + size <= end else "*"
            arg = f"{host}/{plen} port {port if port != -1 else '*'}"
        elif code in (9,) and p + 8 <= end:            # DEV_COND: ifindex
            size, arg = 8, f"ifindex {int.from_bytes(buf[p + 4:p + 8], 'little' if order == '<' else 'big')}"
        elif code in (10,) and p + 12 <= end:          # MARK_COND
            size, arg = 12, f"mark {bytes(buf[p + 4:p + 8]).hex()}/{bytes(buf[p + 8:p + 12]).hex()}"
        elif code in (11, 12) and p + 8 <= end:        # S_EQ/D_EQ
            size, arg = 8, f"port {int.from_bytes(buf[p + 6:p + 8], 'little' if order == '<' else 'big')}"
        elif code == 13 and p + 12 <= end:             # CGROUP_COND: u64 id
            size, arg = 12, f"cgroup {int.from_bytes(buf[p + 4:p + 12], 'little' if order == '<' else 'big')}"
        if code in (7, 8) and size < yes <= end - p:
            size = yes   # ss pads a condition with no address to its `yes` jump: the op spans that far
        kids = [Node(F_ARG, arg, p + 4, size - 4)] if arg else []
        out.append(Node(F_OP, code, p, size, f"[{p - start}] {name} yes→+{yes} no→+{no}" + (f": {arg}" if arg else ""),
                        kids, label=name))
        p += size
        i += 1
    return out


REQ = enum_set("inet_req", "sock_diag.inet.req", ID, "INET_DIAG_REQ_NONE", "INET_DIAG_REQ_", {
    "BYTECODE": a("binary", decode=_bytecode), "SK_BPF_STORAGES": "nest", "PROTOCOL": a("u32", enum=PROTOS)},
    label="inet request")


_REQ_PROTOCOL = REQ.by_name["INET_DIAG_REQ_PROTOCOL"].field


def inet_info(root) -> str:
    """ss-style: `tcp LISTEN 0.0.0.0:22 0.0.0.0:*` / a dump request: `tcp states LISTEN, ESTAB`."""
    hdr = root.children[1] if root.children and len(root.children) > 1 else None
    if hdr is None or not hdr.children:
        return ""
    vals = {c.field.abbrev.rsplit(".", 1)[1]: c for c in hdr.children}
    if "states" in vals:   # a request
        pv = vals["protocol"].value if "protocol" in vals else LEGACY_PROTOS.get(nlmsghdr_value(root, "type"))
        proto = PROTOS.get(pv, str(pv))
        states = vals["states"].value
        names = [s for b, s in TCP_STATES.items() if states & (1 << b)]
        ops = root.find_all("sock_diag.inet.bc.op")
        bc = root.find("sock_diag.inet.req.bytecode") if not ops else None
        if bc is not None and bc.children is None and isinstance(bc.value, bytes):  # a summary: not decoded
            ops = _bytecode(bc.value, 0, len(bc.value), "<", FULL)   # (the count does not depend on the order)
        if not states and nlmsghdr_value(root, "type") == SD.SOCK_DESTROY:
            # `ss -K`: the one socket to close, named by its id (inet_diag_find_one_icsk)
            v6 = vals["family"].value == 10
            fmt = (lambda h, p: f"[{h}]:{p}") if v6 else (lambda h, p: f"{h}:{p}")
            return (f"{proto} {fmt(vals['src'].show, vals['sport'].value)} "
                    f"{fmt(vals['dst'].show, vals['dport'].value)} cookie {vals['cookie'].show}")
        return f"{proto} " + ("all states" if len(names) >= 10 else f"states {','.join(names)}") + \
            (f", filter of {len(ops)} ops" if ops else "")
    proto = root.first("sock_diag.inet.protocol")
    if proto is None:   # an answer to TCPDIAG_GETSOCK/DCCPDIAG_GETSOCK: the type says it
        proto = LEGACY_PROTOS.get(nlmsghdr_value(root, "type"))
    if proto is None and (vals["state"].value == 10 or root.find("sock_diag.inet.cong") is not None
                          or root.find("sock_diag.inet.info") is not None):
        proto = 6   # only TCP listens or carries tcp_info and a congestion algorithm
    state = TCP_STATES.get(vals["state"].value, str(vals["state"].value))
    src, dst = vals["src"].show, vals["dst"].show
    sport, dport = vals["sport"].value, vals["dport"].value
    v6 = vals["family"].value == 10
    fmt = (lambda h, p: f"[{h}]:{p}") if v6 else (lambda h, p: f"{h}:{p}")
    peer = fmt(dst, dport) if dport else fmt("::" if v6 else "0.0.0.0", "*")
    return f"{PROTOS.get(proto, 'inet') if proto is not None else 'inet'} {state} {fmt(src, sport)} {peer}"


def addresses_by_family(root, buf, body) -> None:
    """The sockid's src/dst are 16 bytes whatever the family: show them as the family says
    (both families share the field, whose own display is IPv4's).  And the request header's
    protocol, whose field INET_DIAG_REQ_PROTOCOL declared first (one filter name for both,
    the u8 and the u32 the kernel prefers, inet_diag_get_protocol): shown as the member it is."""
    fam = buf[body]
    if fam not in (2, 10):
        return
    for n in root.children[1].children if len(root.children) > 1 and root.children[1].children else ():
        if n.field.abbrev.endswith((".src", ".dst")) and isinstance(n.value, bytes) and len(n.value) == 16:
            n.text = _addr(fam)(n.value)
        elif n.field is _REQ_PROTOCOL and n.label is None:
            n.label, n.text = "Protocol", f"{PROTOS.get(n.value, n.value)} ({n.value})"


# TCPDIAG_GETSOCK / DCCPDIAG_GETSOCK: the protocol each serves (inet_diag_type2proto)
LEGACY_PROTOS = {ID.TCPDIAG_GETSOCK: 6, ID.DCCPDIAG_GETSOCK: 33}

for _af in (2, 10):
    _fam = register_sock_family(_af, _req(_af), REQ, _msg(_af), INET_DIAG, inet_info, post=addresses_by_family)
    for _mtype, _name in ((ID.TCPDIAG_GETSOCK, "TCPDIAG_GETSOCK"), (ID.DCCPDIAG_GETSOCK, "DCCPDIAG_GETSOCK")):
        # the request's attributes: INET_DIAG_REQ_BYTECODE only (inet_diag_dump_compat)
        register_legacy(_mtype, _af, MessageType(_mtype, f"{_name} {'inet' if _af == 2 else 'inet6'} request", GET,
                                                 _req_legacy(_af), REQ, info=inet_info),
                        MessageType(_mtype, f"{_name} {'inet' if _af == 2 else 'inet6'}", OTHER, _msg(_af),
                                    INET_DIAG, info=inet_info))
