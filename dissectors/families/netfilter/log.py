"""nfnetlink_log (NFNL_SUBSYS_ULOG): packets logged to a group (`nft ... log group N`, ulogd),
and the configuration of log groups; nfgenmsg.res_id is the group.  The logged packet is
decoded as IP with scapy.  Names from <linux/netfilter/nfnetlink_log.h>."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.schema import c_struct, names_from
from ...generated import nfnetlink as N, nfnetlink_log as L
from .conntrack import CTA
from .packet import decode_ip
from .protocol import Subsystem, register_subsystem, types
from .queue import HOOKS, TIMESTAMP, HWADDR, VLAN

BE16, BE32 = a("u16", big_endian=True), a("u32", big_endian=True)
PACKET_HDR = c_struct(L, "nfulnl_msg_packet_hdr", "nflog.packet_hdr", label="nfulnl_msg_packet_hdr",
                      show={"hw_protocol": hex, "hook": lambda v: f"{HOOKS.get(v, v)} ({v})"})
CFG_CMDS = names_from(L, "NFULNL_CFG_CMD_", "nfulnl_msg_config_cmds", exclude=())
NFULA = enum_set("log", "nflog", L, "nfulnl_attr_type", "NFULA_", {
    "PACKET_HDR": a("struct", struct=PACKET_HDR), "MARK": BE32, "TIMESTAMP": a("struct", struct=TIMESTAMP),
    "IFINDEX_INDEV": BE32, "IFINDEX_OUTDEV": BE32, "IFINDEX_PHYSINDEV": BE32, "IFINDEX_PHYSOUTDEV": BE32,
    "HWADDR": a("struct", struct=HWADDR), "PAYLOAD": a("binary", decode=decode_ip), "PREFIX": "string",
    "UID": BE32, "SEQ": BE32, "SEQ_GLOBAL": BE32, "GID": BE32, "HWTYPE": BE16, "HWHEADER": "binary",
    "HWLEN": BE16, "CT": a("nest", nested=CTA), "CT_INFO": BE32, "VLAN": a("nest", nested=VLAN),
    "L2HDR": "binary"}, label="logged packet")
CFG = enum_set("log_config", "nflog.cfg", L, "nfulnl_attr_config", "NFULA_CFG_", {
    # struct nfulnl_msg_config_cmd is one packed __u8 (the header generator skips packed structs)
    "CMD": a("u8", enum=CFG_CMDS), "MODE": "binary",
    "NLBUFSIZ": BE32, "TIMEOUT": BE32, "QTHRESH": BE32, "FLAGS": BE16}, label="log configuration")


@info(full_tree=True)
def log_info(root) -> str:
    group = root.first("nfnl.res_id")
    parts = [f"group {group}" if group is not None else ""]
    prefix = root.first("nflog.prefix")
    if prefix:
        parts.append(f'prefix "{prefix}"')
    cmd = root.find("nflog.cfg.cmd")
    if cmd is not None:
        parts.append(cmd.text or str(cmd.value))
    layer = root.find("nfnl.packet.layer")
    if layer is not None:
        parts.append(layer.text)
    return " ".join(p for p in parts if p)


MSGS = names_from(L, "NFULNL_MSG_", "nfulnl_msg_types", exclude=("MAX",))
ltypes = types(MSGS, NFULA, log_info, kinds={"NFULNL_MSG_CONFIG": "new", "NFULNL_MSG_PACKET": "other"})
ltypes[L.NFULNL_MSG_CONFIG].attrs = CFG
register_subsystem(Subsystem(N.NFNL_SUBSYS_ULOG, "nflog", ltypes, NFULA))
