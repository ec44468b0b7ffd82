"""IPVS (the in-kernel load balancer, <linux/ip_vs.h>): services, destinations, daemons."""
from __future__ import annotations

import socket
import struct

from ...core.attrs import AttrSet, a, malformed
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import c_struct, names_from
from ...generated import ip_vs as V
from ...model import FIELDS, IPV4, UINT, Node

_AF = {2: "AF_INET", 10: "AF_INET6"}
_IPPROTO = {6: "TCP", 17: "UDP", 132: "SCTP"}
FWD_NAMES = {V.IP_VS_CONN_F_MASQ: "MASQ", V.IP_VS_CONN_F_LOCALNODE: "LOCALNODE",
             V.IP_VS_CONN_F_TUNNEL: "TUNNEL", V.IP_VS_CONN_F_DROUTE: "DROUTE", V.IP_VS_CONN_F_BYPASS: "BYPASS"}


# struct ip_vs_flags of IPVS_SVC_ATTR_FLAGS: the service's IP_VS_SVC_F_* bits and the mask of
# those the request sets (ip_vs_genl_parse_service: flags = (old & ~mask) | (flags & mask));
# the kernel's own answers give mask ~0 (ip_vs_genl_fill_service).  SCHED1/SCHED2 are what the
# sh scheduler calls SCHED_SH_FALLBACK and SCHED_SH_PORT (ipvsadm's sh-fallback, sh-port).
SVC_FLAGS = {V.IP_VS_SVC_F_PERSISTENT: "IP_VS_SVC_F_PERSISTENT", V.IP_VS_SVC_F_HASHED: "IP_VS_SVC_F_HASHED",
             V.IP_VS_SVC_F_ONEPACKET: "IP_VS_SVC_F_ONEPACKET", V.IP_VS_SVC_F_SCHED1: "IP_VS_SVC_F_SCHED1",
             V.IP_VS_SVC_F_SCHED2: "IP_VS_SVC_F_SCHED2", V.IP_VS_SVC_F_SCHED3: "IP_VS_SVC_F_SCHED3"}
IP_VS_FLAGS = c_struct(V, "ip_vs_flags", "ipvs.svc.flags_struct", label="ip_vs_flags",
                       flags={"flags": SVC_FLAGS}, show={"mask": lambda v: f"{v:#010x}"})
# the sync daemon's state (IP_VS_STATE_*), a destination's tunnel type (IP_VS_CONN_F_TUNNEL_TYPE_*)
DAEMON_STATES = names_from(V, "IP_VS_STATE_", exclude=())
TUN_TYPES = names_from(V, "IP_VS_CONN_F_TUNNEL_TYPE_", exclude=("MAX",))


# IPVS_SVC_ATTR_NETMASK (NLA_U32, read and put with nla_get_be32/nla_put_be32: its four bytes
# kept as sent) is the persistence granularity, whose meaning is the service's family's:
# an IPv4 netmask in network order, or for AF_INET6 a prefix length 1-128 in host order
# (ip_vs_add_service / ip_vs_edit_service check `u->netmask < 1 || u->netmask > 128` on the
# raw value).  Chosen by IPVS_SVC_ATTR_AF.
_NETMASK4 = FIELDS.add("ipvs.svc.netmask.ipv4", "netmask", IPV4, "IPVS service: the IPv4 persistence netmask")
_NETMASK6 = FIELDS.add("ipvs.svc.netmask.prefix_len", "prefix length", UINT,
                       "IPVS service: the IPv6 persistence prefix length")


def _netmask4(buf, start: int, end: int, order: str, req):
    if end - start != 4:
        return [malformed(buf, start, end, "an IPv4 netmask is 4 bytes")]
    return [Node(_NETMASK4, socket.inet_ntop(socket.AF_INET, bytes(buf[start:end])), start, 4, None)]


def _netmask6(buf, start: int, end: int, order: str, req):
    if end - start != 4:
        return [malformed(buf, start, end, "a u32 prefix length is 4 bytes")]
    v = struct.unpack_from(order + "I", buf, start)[0]
    return [Node(_NETMASK6, v, start, 4, f"/{v}")]


def _stats(name, prefix, width):
    specs = {n: a(width) for n in V.ENUMS["IPVS_STATS_ATTR_UNSPEC"]
             if n not in ("IPVS_STATS_ATTR_UNSPEC", "__IPVS_STATS_ATTR_MAX", "IPVS_STATS_ATTR_PAD")}
    # byte counters are 64-bit even in the 32-bit set (ip_vs_genl_fill_stats)
    specs["IPVS_STATS_ATTR_INBYTES"] = specs["IPVS_STATS_ATTR_OUTBYTES"] = a("u64")
    specs["IPVS_STATS_ATTR_PAD"] = a("pad")
    return AttrSet(name, prefix, specs, V, strip="IPVS_STATS_ATTR_", label=name)


STATS = _stats("stats", "ipvs.stats", "u32")
STATS64 = _stats("stats64", "ipvs.stats64", "u64")

SVC_ATTRS = AttrSet("service", "ipvs.svc", {
    "IPVS_SVC_ATTR_AF": a("u16", enum=_AF),
    "IPVS_SVC_ATTR_PROTOCOL": a("u16", enum=_IPPROTO),
    "IPVS_SVC_ATTR_ADDR": a("binary", hint="inet_addr"),
    "IPVS_SVC_ATTR_PORT": a("u16", big_endian=True),
    "IPVS_SVC_ATTR_FWMARK": a("u32"),
    "IPVS_SVC_ATTR_SCHED_NAME": a("string"),
    "IPVS_SVC_ATTR_FLAGS": a("struct", struct=IP_VS_FLAGS),
    "IPVS_SVC_ATTR_TIMEOUT": a("u32", unit="s"),
    "IPVS_SVC_ATTR_NETMASK": a("submsg", selector="IPVS_SVC_ATTR_AF", choices={2: _netmask4, 10: _netmask6}),
    "IPVS_SVC_ATTR_STATS": a("nest", nested=STATS),
    "IPVS_SVC_ATTR_PE_NAME": a("string"),
    "IPVS_SVC_ATTR_STATS64": a("nest", nested=STATS64),
}, V, strip="IPVS_SVC_ATTR_", label="IPVS service")

DEST_ATTRS = AttrSet("dest", "ipvs.dest", {
    "IPVS_DEST_ATTR_ADDR": a("binary", hint="inet_addr"),
    "IPVS_DEST_ATTR_PORT": a("u16", big_endian=True),
    "IPVS_DEST_ATTR_FWD_METHOD": a("u32", enum=FWD_NAMES),
    "IPVS_DEST_ATTR_WEIGHT": a("u32"),
    "IPVS_DEST_ATTR_U_THRESH": a("u32"),
    "IPVS_DEST_ATTR_L_THRESH": a("u32"),
    "IPVS_DEST_ATTR_ACTIVE_CONNS": a("u32"),
    "IPVS_DEST_ATTR_INACT_CONNS": a("u32"),
    "IPVS_DEST_ATTR_PERSIST_CONNS": a("u32"),
    "IPVS_DEST_ATTR_STATS": a("nest", nested=STATS),
    "IPVS_DEST_ATTR_ADDR_FAMILY": a("u16", enum=_AF),
    "IPVS_DEST_ATTR_STATS64": a("nest", nested=STATS64),
    "IPVS_DEST_ATTR_TUN_TYPE": a("u8", enum=TUN_TYPES),
    "IPVS_DEST_ATTR_TUN_PORT": a("u16", big_endian=True),
    "IPVS_DEST_ATTR_TUN_FLAGS": a("u16"),
}, V, strip="IPVS_DEST_ATTR_", label="IPVS destination")

DAEMON_ATTRS = AttrSet("daemon", "ipvs.daemon", {
    "IPVS_DAEMON_ATTR_STATE": a("u32", enum=DAEMON_STATES),
    "IPVS_DAEMON_ATTR_MCAST_IFN": a("string"),
    "IPVS_DAEMON_ATTR_SYNC_ID": a("u32"),
    "IPVS_DAEMON_ATTR_SYNC_MAXLEN": a("u16"),
    "IPVS_DAEMON_ATTR_MCAST_GROUP": a("binary", hint="ipv4"),
    "IPVS_DAEMON_ATTR_MCAST_GROUP6": a("binary", hint="ipv6"),
    "IPVS_DAEMON_ATTR_MCAST_PORT": a("u16"),
    "IPVS_DAEMON_ATTR_MCAST_TTL": a("u8"),
}, V, strip="IPVS_DAEMON_ATTR_", label="IPVS sync daemon")

CMD_ATTRS = AttrSet("ipvs", "ipvs", {
    "IPVS_CMD_ATTR_SERVICE": a("nest", nested=SVC_ATTRS),
    "IPVS_CMD_ATTR_DEST": a("nest", nested=DEST_ATTRS),
    "IPVS_CMD_ATTR_DAEMON": a("nest", nested=DAEMON_ATTRS),
    "IPVS_CMD_ATTR_TIMEOUT_TCP": a("u32", unit="s"),
    "IPVS_CMD_ATTR_TIMEOUT_TCP_FIN": a("u32", unit="s"),
    "IPVS_CMD_ATTR_TIMEOUT_UDP": a("u32", unit="s"),
}, V, strip="IPVS_CMD_ATTR_", label="IPVS")

def _version(v: int) -> str:
    """IP_VS_VERSION_CODE: major, minor, patch in one byte each (0x010201 = 1.2.1)."""
    return f"{v >> 16}.{(v >> 8) & 0xff}.{v & 0xff} ({v:#08x})"


# the IPVS_CMD_GET_INFO reply (the kernel answers with cmd IPVS_CMD_SET_INFO, ip_vs_genl_get_cmd)
# carries this set at the top level, not IPVS_CMD_ATTR_*
INFO_ATTRS = AttrSet("info", "ipvs.info", {
    "IPVS_INFO_ATTR_VERSION": a("u32", show=_version),
    "IPVS_INFO_ATTR_CONN_TAB_SIZE": a("u32"),
}, V, strip="IPVS_INFO_ATTR_", label="IPVS info")
INFO_CMDS = (V.IPVS_CMD_SET_INFO, V.IPVS_CMD_GET_INFO)


def ipvs_info(root) -> str:
    """`TCP 192.168.1.128:4000 rr` / `-> 10.0.0.2:80` / `TCP [2001:db8::1]:443 sh` / `FWM 7 lc`."""
    out = []
    for n in root.walk():
        ab = n.field.abbrev
        if ab == "ipvs.svc.protocol":
            out.append(_IPPROTO.get(n.value, str(n.value)))
        elif ab == "ipvs.svc.fwmark":
            out.append(f"FWM {n.value}")
        elif ab in ("ipvs.svc.addr", "ipvs.dest.addr"):
            out.append(("-> " if ab.startswith("ipvs.dest") else "") + str(n.value))
        elif ab in ("ipvs.svc.port", "ipvs.dest.port") and out:
            head, _, addr = out[-1].rpartition(" ")
            if ":" in addr:   # IPv6, as ipvsadm writes it: [2001:db8::1]:443
                out[-1] = f"{head} [{addr}]".lstrip()
            out[-1] += f":{n.value}"
        elif ab == "ipvs.svc.sched_name" and n.value:   # a destination's request names the service, not its scheduler
            out.append(n.value)
        elif ab == "ipvs.info.version":
            out.append(f"version {n.value >> 16}.{(n.value >> 8) & 0xff}.{n.value & 0xff}")
        elif ab == "ipvs.info.conn_tab_size":
            out.append(f"conn_tab_size {n.value}")
        elif ab == "netlink.echo":
            break
    return " ".join(out)


CMD_NAMES = names_from(V, "IPVS_CMD_", exclude=("UNSPEC", "MAX"))
CMD_NAMES = {k: v for k, v in CMD_NAMES.items() if not v.startswith("IPVS_CMD_ATTR")}
register_genl_family(GenlFamily(
    "IPVS", "ipvs",
    {cmd: MessageType(0, name, kind_from_name(name), None, INFO_ATTRS if cmd in INFO_CMDS else CMD_ATTRS,
                      info=ipvs_info)
     for cmd, name in CMD_NAMES.items()},
    CMD_ATTRS))
