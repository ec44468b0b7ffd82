"""IPVS (the in-kernel load balancer, <linux/ip_vs.h>): services, destinations, daemons."""
from __future__ import annotations

from ...core.attrs import AttrSet, a
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import ip_vs as V

_AF = {2: "AF_INET", 10: "AF_INET6"}
_IPPROTO = {6: "TCP", 17: "UDP", 132: "SCTP"}
FWD_NAMES = {V.IP_VS_CONN_F_MASQ: "MASQ", V.IP_VS_CONN_F_LOCALNODE: "LOCALNODE",
             V.IP_VS_CONN_F_TUNNEL: "TUNNEL", V.IP_VS_CONN_F_DROUTE: "DROUTE", V.IP_VS_CONN_F_BYPASS: "BYPASS"}


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
    "IPVS_SVC_ATTR_FLAGS": a("binary"),
    "IPVS_SVC_ATTR_TIMEOUT": a("u32", unit="s"),
    "IPVS_SVC_ATTR_NETMASK": a("u32", big_endian=True, show=hex),
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
    "IPVS_DEST_ATTR_TUN_TYPE": a("u8"),
    "IPVS_DEST_ATTR_TUN_PORT": a("u16", big_endian=True),
    "IPVS_DEST_ATTR_TUN_FLAGS": a("u16"),
}, V, strip="IPVS_DEST_ATTR_", label="IPVS destination")

DAEMON_ATTRS = AttrSet("daemon", "ipvs.daemon", {
    "IPVS_DAEMON_ATTR_STATE": a("u32"),
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
    """`TCP 192.168.1.128:4000 rr` / `-> 10.0.0.2:80`."""
    out = []
    for n in root.walk():
        ab = n.field.abbrev
        if ab == "ipvs.svc.protocol":
            out.append(_IPPROTO.get(n.value, str(n.value)))
        elif ab in ("ipvs.svc.addr", "ipvs.dest.addr"):
            out.append(("-> " if ab.startswith("ipvs.dest") else "") + str(n.value))
        elif ab in ("ipvs.svc.port", "ipvs.dest.port") and out:
            out[-1] += f":{n.value}"
        elif ab == "ipvs.svc.sched_name":
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
