"""The NETLINK_NETFILTER protocol entry: struct nfgenmsg, and the subsystem chosen by the high
byte of the message type (conntrack, queue, log, nftables …) from a table the subsystem
modules register into, as generic-netlink families do; batches (NFNL_MSG_BATCH_BEGIN/END,
whose res_id names the subsystem of the batch) are the protocol's own."""
from __future__ import annotations

from ...core.attrs import FULL, a, enum_set
from ...core.dissect import dissect_body
from ...core.header import NLMSG_HDRLEN
from ...core.registry import OTHER, MessageType, Protocol, kind_from_name, register_protocol
from ...core.schema import FixedStruct, enum_show, member, names_from
from ...generated import nfnetlink as N

from construct import Int8ul, Int16ub

NFPROTO = {0: "NFPROTO_UNSPEC", 1: "NFPROTO_INET", 2: "NFPROTO_IPV4", 3: "NFPROTO_ARP", 5: "NFPROTO_NETDEV",
           7: "NFPROTO_BRIDGE", 10: "NFPROTO_IPV6", 12: "NFPROTO_DECNET"}
SUBSYS_NAMES = names_from(N, "NFNL_SUBSYS_", exclude=("COUNT",))
NFGENMSG = FixedStruct("nfgenmsg", "nfnl", [
    member("family", Int8ul, enum_show(NFPROTO)), member("version", Int8ul), member("res_id", Int16ub)],
    label="Netfilter header (nfgenmsg)")
BATCH = enum_set("batch", "nfnl.batch", N, "nfnl_batch_attributes", "NFNL_BATCH_", {"GENID": a("u32", big_endian=True)},
                 label="batch")


class Subsystem:
    """One nfnetlink subsystem: its message types (low byte of nlmsg_type) and their sets."""

    def __init__(self, number: int, label: str, types: dict[int, MessageType], attrs=None):
        self.number = number
        self.label = label
        self.types = types
        self.attrs = attrs


SUBSYSTEMS: dict[int, Subsystem] = {}


def register_subsystem(sub: Subsystem) -> Subsystem:
    if sub.number in SUBSYSTEMS:
        raise ValueError(f"nfnetlink subsystem {sub.number} registered twice")
    SUBSYSTEMS[sub.number] = sub
    return sub


def types(names: dict[int, str], attrs, info=None, kinds: dict | None = None, header=NFGENMSG) -> dict:
    """MessageTypes for a subsystem's message names (all with nfgenmsg, one attribute set)."""
    return {n: MessageType(n, name, (kinds or {}).get(name) or kind_from_name(name.replace("DELETE", "_DEL")),
                           header, attrs, info=info) for n, name in names.items()}


def _batch_info(root) -> str:
    res = root.first("nfnl.res_id")
    return f"subsystem {SUBSYS_NAMES.get(res, res)}" if res is not None else ""


BATCH_TYPES = {N.NFNL_MSG_BATCH_BEGIN: MessageType(N.NFNL_MSG_BATCH_BEGIN, "NFNL_MSG_BATCH_BEGIN", OTHER, NFGENMSG,
                                                   BATCH, info=_batch_info),
               N.NFNL_MSG_BATCH_END: MessageType(N.NFNL_MSG_BATCH_END, "NFNL_MSG_BATCH_END", OTHER, NFGENMSG, BATCH,
                                                 info=_batch_info)}


class NetfilterProtocol(Protocol):
    number = 12
    name = "NETLINK_NETFILTER"
    label = "netfilter"
    abbrev = "nfnl"
    # not fields_only_here: the legacy ULOG protocol decodes its packets with packet.py (nfnl.packet.…)

    def __init__(self):
        self._unknown: dict[int, MessageType] = {}

    def message_type(self, buf, off, length, mtype, order, ctx):
        if mtype in BATCH_TYPES:
            return BATCH_TYPES[mtype]
        sub = SUBSYSTEMS.get(mtype >> 8)
        if sub is not None:
            mt = sub.types.get(mtype & 0xFF)
            if mt is not None:
                return mt
        mt = self._unknown.get(mtype)
        if mt is None:
            subname = SUBSYS_NAMES.get(mtype >> 8, f"subsystem {mtype >> 8}")
            mt = self._unknown[mtype] = MessageType(mtype, f"{subname} message {mtype & 0xFF}", OTHER, NFGENMSG,
                                                    sub.attrs if sub is not None else None)
        return mt

    def claims(self, buf, off, length, mtype, order, ctx):
        return mtype in BATCH_TYPES or (mtype >> 8 in SUBSYSTEMS and mtype & 0xFF in SUBSYSTEMS[mtype >> 8].types)

    def family_label(self, buf, off, length, mtype, order, ctx):
        sub = SUBSYSTEMS.get(mtype >> 8)
        return sub.label if sub is not None and mtype not in BATCH_TYPES else self.label

    def type_text(self, mtype, mt, ctx):
        if mt is None:
            return f"{mtype:#06x}"
        return f"{mt.name} ({mtype >> 8}:{mtype & 0xFF})" if mtype not in BATCH_TYPES else f"{mt.name} ({mtype})"

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        return dissect_body(buf, off + NLMSG_HDRLEN, off + length, mt, order, root, req=req)


NETFILTER = register_protocol(NetfilterProtocol())
