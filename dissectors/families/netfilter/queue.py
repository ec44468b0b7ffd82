"""nfnetlink_queue (NFNL_SUBSYS_QUEUE): packets queued to user space (NFQUEUE), verdicts and
configuration; the queued packet is decoded as IP with scapy.  nfgenmsg.res_id is the queue
number.  Names from <linux/netfilter/nfnetlink_queue.h>."""
from __future__ import annotations

from construct import Int8ul, Int16ub, Int32ub

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.schema import FixedStruct, c_struct, member, names_from
from ...generated import nfnetlink as N, nfnetlink_queue as Q
from .conntrack import CTA
from .packet import decode_ip
from .protocol import Subsystem, register_subsystem, types

BE16, BE32, BE64 = a("u16", big_endian=True), a("u32", big_endian=True), a("u64", big_endian=True)
HOOKS = {0: "PREROUTING", 1: "INPUT", 2: "FORWARD", 3: "OUTPUT", 4: "POSTROUTING"}
VERDICTS = {0: "NF_DROP", 1: "NF_ACCEPT", 2: "NF_STOLEN", 3: "NF_QUEUE", 4: "NF_REPEAT", 5: "NF_STOP"}
PACKET_HDR = FixedStruct("nfqnl_msg_packet_hdr", "nfq.packet_hdr", [
    member("packet_id", Int32ub), member("hw_protocol", Int16ub, hex),
    member("hook", Int8ul, lambda v: f"{HOOKS.get(v, v)} ({v})")], label="nfqnl_msg_packet_hdr")
VERDICT_HDR = c_struct(Q, "nfqnl_msg_verdict_hdr", "nfq.verdict_hdr", label="nfqnl_msg_verdict_hdr",
                       show={"verdict": lambda v: f"{VERDICTS.get(v & 0xFFFF, v)} ({v})"})
CONFIG_CMDS = names_from(Q, "NFQNL_CFG_CMD_", "nfqnl_msg_config_cmds", exclude=())
CONFIG_CMD = c_struct(Q, "nfqnl_msg_config_cmd", "nfq.cfg.cmd_struct", label="nfqnl_msg_config_cmd",
                      show={"command": lambda v: f"{CONFIG_CMDS.get(v, v)} ({v})"})
COPY_MODES = names_from(Q, "NFQNL_COPY_", "nfqnl_config_mode", exclude=())
CONFIG_PARAMS = FixedStruct("nfqnl_msg_config_params", "nfq.cfg.params_struct", [
    member("copy_range", Int32ub), member("copy_mode", Int8ul, lambda v: f"{COPY_MODES.get(v, v)} ({v})")],
    label="nfqnl_msg_config_params")
TIMESTAMP = FixedStruct("nfqnl_msg_packet_timestamp", "nfq.timestamp_struct", [
    member("sec", Int32ub), member("sec_lo", Int32ub), member("usec", Int32ub), member("usec_lo", Int32ub)],
    label="timestamp (sec, usec as big-endian 64-bit)")
HWADDR = FixedStruct("nfqnl_msg_packet_hw", "nfq.hwaddr_struct", [
    member("hw_addrlen", Int16ub), member("_pad", Int16ub), member("hw_addr", Int32ub, hex),
    member("hw_addr_lo", Int32ub, hex)], label="nfqnl_msg_packet_hw")
VLAN = enum_set("vlan", "nfq.vlan", Q, "nfqnl_vlan_attr", "NFQA_VLAN_", {"PROTO": BE16, "TCI": BE16}, label="VLAN")
NFQA = enum_set("queue", "nfq", Q, "nfqnl_attr_type", "NFQA_", {
    "PACKET_HDR": a("struct", struct=PACKET_HDR), "VERDICT_HDR": a("struct", struct=VERDICT_HDR), "MARK": BE32,
    "TIMESTAMP": a("struct", struct=TIMESTAMP), "IFINDEX_INDEV": BE32, "IFINDEX_OUTDEV": BE32,
    "IFINDEX_PHYSINDEV": BE32, "IFINDEX_PHYSOUTDEV": BE32, "HWADDR": a("struct", struct=HWADDR),
    "PAYLOAD": a("binary", decode=decode_ip), "CT": a("nest", nested=CTA), "CT_INFO": BE32, "CAP_LEN": BE32,
    "SKB_INFO": a("u32", big_endian=True, show=hex), "EXP": "nest", "UID": BE32, "GID": BE32, "SECCTX": "string",
    "VLAN": a("nest", nested=VLAN), "L2HDR": "binary", "PRIORITY": BE32}, label="queued packet")
CFG = enum_set("queue_config", "nfq.cfg", Q, "nfqnl_attr_config", "NFQA_CFG_", {
    "CMD": a("struct", struct=CONFIG_CMD), "PARAMS": a("struct", struct=CONFIG_PARAMS), "QUEUE_MAXLEN": BE32,
    "MASK": a("u32", big_endian=True, show=hex), "FLAGS": a("u32", big_endian=True, show=hex)},
    label="queue configuration")


@info(full_tree=True)   # the packet's summary comes from its decode
def queue_info(root) -> str:
    """`queue 0 packet 1 INPUT IP / TCP 127.0.0.1:40000 > 127.0.0.1:5555 S` / `verdict NF_ACCEPT id 1`."""
    q = root.first("nfnl.res_id")
    parts = [f"queue {q}" if q is not None else ""]
    pid = root.first("nfq.packet_hdr.packet_id")
    if pid is not None:
        parts.append(f"packet {pid} {HOOKS.get(root.first('nfq.packet_hdr.hook'), '')}")
    v = root.find("nfq.verdict_hdr.verdict")
    if v is not None:
        parts.append(f"verdict {VERDICTS.get(v.value & 0xFFFF, v.value)} id {root.first('nfq.verdict_hdr.id')}")
    cmd = root.first("nfq.cfg.cmd_struct.command")
    if cmd is not None:
        parts.append(CONFIG_CMDS.get(cmd, str(cmd)))
    layer = root.find("nfnl.packet.layer")
    if layer is not None:
        parts.append(layer.text)
    return " ".join(p for p in parts if p)


MSGS = names_from(Q, "NFQNL_MSG_", "nfqnl_msg_types", exclude=("MAX",))
qtypes = types(MSGS, NFQA, queue_info, kinds={"NFQNL_MSG_CONFIG": "new", "NFQNL_MSG_VERDICT": "new",
                                             "NFQNL_MSG_VERDICT_BATCH": "new", "NFQNL_MSG_PACKET": "other"})
qtypes[Q.NFQNL_MSG_CONFIG].attrs = CFG
register_subsystem(Subsystem(N.NFNL_SUBSYS_QUEUE, "nfqueue", qtypes, NFQA))

