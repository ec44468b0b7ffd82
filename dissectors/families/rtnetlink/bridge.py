"""Bridge databases: VLANs (RTM_NEWVLAN/DELVLAN/GETVLAN: struct br_vlan_msg, BRIDGE_VLANDB_*)
and multicast groups (RTM_NEWMDB/DELMDB/GETMDB: struct br_port_msg, MDBA_*)."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int16ub, Int16ul, Int32ul

from ...core.attrs import AttrSet, a, decode_attrs, enum_set, inet_addr_text, malformed
from ...core.info import info
from ...core.schema import FixedStruct, c_struct, member, pad
from ...generated import if_bridge as BR
from ...model import FIELDS, UINT, Node
from .common import show_af, struct_then_attrs
from .protocol import add_types, is_dump_request, top


def S(name, enum, strip, types, label, default="binary"):
    return enum_set(name, f"rtnl.{name}", BR, enum, strip, types, label=label, default=default)


BR_VLAN_MSG = c_struct(BR, "br_vlan_msg", "rtnl.vlan", label="br_vlan_msg", show={"family": show_af})
VLAN_INFO_FLAGS = {1: "MASTER", 2: "PVID", 4: "UNTAGGED", 8: "RANGE_BEGIN", 16: "RANGE_END", 32: "BRENTRY",
                   64: "ONLINK"}
VLAN_INFO = c_struct(BR, "bridge_vlan_info", "rtnl.vlan.entry.info_struct", label="bridge_vlan_info",
                     flags={"flags": VLAN_INFO_FLAGS})
STP_STATES = {0: "disabled", 1: "listening", 2: "learning", 3: "forwarding", 4: "blocking"}
VLAN_STATS = S("vlan.entry.stats", "BRIDGE_VLANDB_STATS_UNSPEC", "BRIDGE_VLANDB_STATS_", {"PAD": "pad"},
               "VLAN statistics", default="u64")
TINFO = S("vlan.entry.tunnel", "BRIDGE_VLANDB_TINFO_UNSPEC", "BRIDGE_VLANDB_TINFO_", {}, "tunnel info", default="u32")
ENTRY = S("vlan.entry", "BRIDGE_VLANDB_ENTRY_UNSPEC", "BRIDGE_VLANDB_ENTRY_", {
    "INFO": a("struct", struct=VLAN_INFO), "RANGE": "u16", "STATE": a("u8", enum=STP_STATES),
    "TUNNEL_INFO": a("nest", nested=TINFO), "STATS": a("nest", nested=VLAN_STATS), "MCAST_ROUTER": "u8"},
    "VLAN entry")
GOPTS = S("vlan.global", "BRIDGE_VLANDB_GOPTS_UNSPEC", "BRIDGE_VLANDB_GOPTS_", {
    "ID": "u16", "RANGE": "u16", "MCAST_SNOOPING": "u8", "MCAST_IGMP_VERSION": "u8", "MCAST_MLD_VERSION": "u8",
    "MCAST_LAST_MEMBER_CNT": "u32", "MCAST_STARTUP_QUERY_CNT": "u32", "PAD": "pad", "MCAST_QUERIER": "u8",
    "MCAST_ROUTER_PORTS": "nest", "MCAST_QUERIER_STATE": "nest", "MSTI": "u16"},
    "VLAN global options", default="u64")
VLANDB = S("vlan", "BRIDGE_VLANDB_UNSPEC", "BRIDGE_VLANDB_", {
    "ENTRY": a("nest", nested=ENTRY), "GLOBAL_OPTIONS": a("nest", nested=GOPTS)}, "bridge VLANs")
VLANDB_DUMP = S("vlan.dump", "BRIDGE_VLANDB_DUMP_UNSPEC", "BRIDGE_VLANDB_DUMP_", {"FLAGS": a("u32", show=hex)},
                "VLAN dump request")

BR_PORT_MSG = FixedStruct("br_port_msg", "rtnl.mdb", [member("family", Int8ul, show_af), pad(3),
                                                     member("ifindex", Int32ul)], label="br_port_msg")
MDB_STATES = {0: "temp", 1: "permanent"}
MDB_ENTRY = FixedStruct("br_mdb_entry", "rtnl.mdb.entry", [
    member("ifindex", Int32ul), member("state", Int8ul, lambda v: MDB_STATES.get(v, str(v))),
    member("flags", Int8ul, hex), member("vid", Int16ul), member("addr", Bytes(16)),
    member("proto", Int16ub, hex), pad(2)], label="br_mdb_entry")
SRCATTR = S("mdb.src", "MDBA_MDB_SRCATTR_UNSPEC", "MDBA_MDB_SRCATTR_", {"ADDRESS": "addr", "TIMER": "u32"},
            "source")
SRCLIST = S("mdb.srclist", "MDBA_MDB_SRCLIST_UNSPEC", "MDBA_MDB_SRCLIST_", {"ENTRY": a("nest", nested=SRCATTR)},
            "source list")
EATTR = S("mdb.eattr", "MDBA_MDB_EATTR_UNSPEC", "MDBA_MDB_EATTR_", {
    "TIMER": "u32", "SRC_LIST": a("nest", nested=SRCLIST), "GROUP_MODE": "u8", "SOURCE": "addr", "RTPROT": "u8"},
    "entry attributes")
MDB_ENTRY_SET = S("mdb.entries", "MDBA_MDB_ENTRY_UNSPEC", "MDBA_MDB_ENTRY_", {
    "INFO": a("binary", decode=struct_then_attrs(MDB_ENTRY, [EATTR]))}, "group entry")
MDB = S("mdb.mdb", "MDBA_MDB_UNSPEC", "MDBA_MDB_", {"ENTRY": a("nest", nested=MDB_ENTRY_SET)}, "groups")
RTR_PATTR = S("mdb.router_port", "MDBA_ROUTER_PATTR_UNSPEC", "MDBA_ROUTER_PATTR_", {
    "TIMER": "u32", "TYPE": "u8", "INET_TIMER": "u32", "INET6_TIMER": "u32", "VID": "u16"}, "router port")
RTR = S("mdb.router", "MDBA_ROUTER_UNSPEC", "MDBA_ROUTER_", {"PORT": a("binary", decode=None)}, "router ports")
MDBA = S("mdb", "MDBA_UNSPEC", "MDBA_", {"MDB": a("nest", nested=MDB), "ROUTER": a("nest", nested=RTR)},
         "multicast database")


_ROUTER_IFINDEX = FIELDS.add("rtnl.mdb.router.ifindex", "Router port ifindex", UINT, "")


def _router_port(buf, start, end, order, req):
    """MDBA_ROUTER_PORT: the port's ifindex (u32), then its attributes."""
    if end - start < 4:
        return [malformed(buf, start, end, "router port without its ifindex")]
    return [Node(_ROUTER_IFINDEX, int.from_bytes(buf[start:start + 4], "little" if order == "<" else "big"), start, 4)] \
        + decode_attrs(buf, start + 4, end, RTR_PATTR, order, 1, req)


RTR.by_name["MDBA_ROUTER_PORT"].decode = _router_port


MDB_ENTRY.shown[4].field.fmt = inet_addr_text


def vlan_info(root) -> str:
    vids = [n.value for n in root.find_all("rtnl.vlan.entry.info_struct.vid")]
    ids = [n.value for n in root.find_all("rtnl.vlan.global.id")]
    idx = top(root, "rtnl.vlan.ifindex")
    parts = [f"dev {idx}" if idx else ("dump" if is_dump_request(root) else "")]
    if vids:
        parts.append("vid " + ",".join(map(str, vids)))
    if ids:
        parts.append("global vid " + ",".join(map(str, ids)))
    return " ".join(p for p in parts if p)


@info(full_tree=True)   # the group addresses are in struct br_mdb_entry, two nests down
def mdb_info(root) -> str:
    groups = [inet_addr_text(n.value) for n in root.find_all("rtnl.mdb.entry.addr") if isinstance(n.value, bytes)]
    idx = top(root, "rtnl.mdb.ifindex")
    parts = [f"dev {idx}" if idx else ("dump" if is_dump_request(root) else "")]
    if groups:
        parts.append("grp " + ",".join(groups))
    return " ".join(p for p in parts if p)


add_types(["RTM_NEWVLAN", "RTM_DELVLAN"], BR_VLAN_MSG, VLANDB, vlan_info)
add_types(["RTM_GETVLAN"], BR_VLAN_MSG, VLANDB_DUMP, vlan_info)   # dump requests: options, not entries
MDB_SET = AttrSet("mdb_set", "rtnl.mdb.set", {
    "MDBA_SET_ENTRY": a("struct", struct=MDB_ENTRY), "MDBA_SET_ENTRY_ATTRS": a("nest", nested=EATTR)},
    BR, strip="MDBA_SET_", label="MDB entry to set")
add_types(["RTM_NEWMDB", "RTM_DELMDB", "RTM_GETMDB"], BR_PORT_MSG, MDBA, mdb_info)
add_types(["RTM_NEWMDB", "RTM_DELMDB"], BR_PORT_MSG, MDB_SET, mdb_info, requests=True)
