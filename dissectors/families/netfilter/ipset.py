"""ip_set (NFNL_SUBSYS_IPSET): the `ipset` tool's commands, set types and data.

IPSET_ATTR_DATA holds the create parameters (IPSET_CMD_CREATE, and a listing's header) or
one entry (add/del/test); the entries of a listing are IPSET_ATTR_ADT's DATA nests.  IP
addresses are nests holding IPSET_ATTR_IPADDR_IPV4/IPV6, in network byte order."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.schema import names_from
from ...generated import ip_set as I, nfnetlink as N
from .protocol import NFPROTO, Subsystem, register_subsystem, types

BE16, BE32, BE64 = a("u16", big_endian=True), a("u32", big_endian=True), a("u64", big_endian=True)
IPADDR = enum_set("ipset_ip", "ipset.ipaddr", I, "IPSET_ATTR_IPADDR_IPV4", "IPSET_ATTR_IPADDR_", {
    "IPV4": a("binary", hint="ipv4"), "IPV6": a("binary", hint="ipv6")}, label="address")
IP = a("nest", nested=IPADDR)
CADT = {"IP": IP, "IP_TO": IP, "CIDR": "u8", "PORT": BE16, "PORT_TO": BE16,
        "TIMEOUT": a("u32", big_endian=True, unit="s"), "PROTO": "u8", "CADT_FLAGS": a("u32", big_endian=True, show=hex),
        "CADT_LINENO": BE32, "MARK": BE32, "MARKMASK": BE32}
CREATE = enum_set("ipset_create", "ipset.create", I, "IPSET_ATTR_IP", "IPSET_ATTR_", {
    **CADT, "INITVAL": BE32, "HASHSIZE": BE32, "MAXELEM": BE32, "NETMASK": "u8", "BUCKETSIZE": "u8",
    "RESIZE": "u8", "SIZE": BE32, "ELEMENTS": BE32, "REFERENCES": BE32, "MEMSIZE": BE32}, label="set parameters",
    default=BE32, skip=("CADT_MAX",))
ADT_ONLY = {"ETHER": a("binary", hint="mac"), "NAME": "string", "NAMEREF": "string", "IP2": IP, "CIDR2": "u8",
            "IP2_TO": IP, "IFACE": "string", "BYTES": BE64, "PACKETS": BE64, "COMMENT": "string", "SKBMARK": BE64,
            "SKBPRIO": BE32, "SKBQUEUE": BE16, "PAD": "pad"}
_adt_numbers = {f"IPSET_ATTR_{k}": getattr(I, f"IPSET_ATTR_{k}") for k in list(CADT) + list(ADT_ONLY)}
ADT = enum_set("ipset_adt", "ipset.entry", I, "IPSET_ATTR_ETHER", "IPSET_ATTR_", ADT_ONLY, label="entry",
               extra={k: (v, a(CADT[k[len('IPSET_ATTR_'):]]) if isinstance(CADT[k[len('IPSET_ATTR_'):]], str)
                          else CADT[k[len('IPSET_ATTR_'):]]) for k, v in _adt_numbers.items()
                      if k[len("IPSET_ATTR_"):] in CADT})
ADT_LIST = enum_set("ipset_adt_list", "ipset.adt", I, "IPSET_ATTR_UNSPEC", "IPSET_ATTR_", {},
                    label="entries", default=a("nest", nested=ADT))


def _top(data):
    return enum_set(f"ipset_{data.name}", "ipset", I,
                    "IPSET_ATTR_UNSPEC", "IPSET_ATTR_", {
                        "PROTOCOL": "u8", "SETNAME": "string", "TYPENAME": "string",
                        "REVISION": "u8", "FAMILY": a("u8", enum=NFPROTO), "FLAGS": a("u32", big_endian=True, show=hex),
                        "DATA": a("nest", nested=data), "ADT": a("nest", nested=ADT_LIST), "LINENO": BE32,
                        "PROTOCOL_MIN": "u8", "INDEX": BE16}, label="ipset")


TOP_CREATE = _top(CREATE)
TOP_ADT = _top(ADT)


def ipset_info(root) -> str:
    parts = [root.first("ipset.setname") or "",
             root.first("ipset.typename") or ""]
    return " ".join(p for p in parts if p)


CMDS = names_from(I, "IPSET_CMD_", "ipset_cmd", exclude=("NONE", "MAX"))
CMDS = {n: name for n, name in CMDS.items() if n < I.IPSET_MSG_MAX}
itypes = types(CMDS, TOP_CREATE, ipset_info, kinds={"IPSET_CMD_TEST": "get", "IPSET_CMD_LIST": "get",
                                                    "IPSET_CMD_SAVE": "get", "IPSET_CMD_HEADER": "get",
                                                    "IPSET_CMD_TYPE": "get", "IPSET_CMD_PROTOCOL": "get",
                                                    "IPSET_CMD_CREATE": "new", "IPSET_CMD_ADD": "new",
                                                    "IPSET_CMD_DESTROY": "del", "IPSET_CMD_DEL": "del"})
for _cmd in (I.IPSET_CMD_ADD, I.IPSET_CMD_DEL, I.IPSET_CMD_TEST):
    itypes[_cmd].attrs = TOP_ADT
register_subsystem(Subsystem(N.NFNL_SUBSYS_IPSET, "ipset", itypes, TOP_CREATE))
