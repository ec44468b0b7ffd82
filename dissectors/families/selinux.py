"""NETLINK_SELINUX (7): the notifications SELinux multicasts to SELNLGRP_AVC.

<linux/selinux_netlink.h>: SELNL_MSG_SETENFORCE (0x10) carries struct selnl_msg_setenforce
{ __s32 val; } (enforcing 1, permissive 0), SELNL_MSG_POLICYLOAD (0x11) struct
selnl_msg_policyload { __u32 seqno; } (security/selinux/netlink.c, selnl_notify)."""
from __future__ import annotations

from construct import Int32sl, Int32ul

from ..core.attrs import FULL
from ..core.dissect import dissect_body
from ..core.header import NLMSG_HDRLEN
from ..core.registry import OTHER, MessageType, Protocol, register_protocol
from ..core.schema import FixedStruct, member

SELNL_MSG_SETENFORCE, SELNL_MSG_POLICYLOAD = 0x10, 0x11
SETENFORCE = FixedStruct("selnl_msg_setenforce", "selinux.setenforce", [
    member("val", Int32sl, lambda v: f"{v} ({'enforcing' if v else 'permissive'})")],
    label="struct selnl_msg_setenforce")
POLICYLOAD = FixedStruct("selnl_msg_policyload", "selinux.policyload", [member("seqno", Int32ul)],
                         label="struct selnl_msg_policyload")


def _setenforce_info(root) -> str:
    v = root.first("selinux.setenforce.val")
    return "" if v is None else f"setenforce {v} ({'enforcing' if v else 'permissive'})"


def _policyload_info(root) -> str:
    v = root.first("selinux.policyload.seqno")
    return "" if v is None else f"policy loaded, seqno {v}"


class SelinuxProtocol(Protocol):
    number = 7
    name = "NETLINK_SELINUX"
    label = "selinux"
    abbrev = "selinux"
    fields_only_here = True   # no other protocol makes a field named selinux.…
    types = {SELNL_MSG_SETENFORCE: MessageType(SELNL_MSG_SETENFORCE, "SELNL_MSG_SETENFORCE", OTHER, SETENFORCE,
                                               info=_setenforce_info),
             SELNL_MSG_POLICYLOAD: MessageType(SELNL_MSG_POLICYLOAD, "SELNL_MSG_POLICYLOAD", OTHER, POLICYLOAD,
                                               info=_policyload_info)}

    def message_type(self, buf, off, length, mtype, order, ctx):
        return self.types.get(mtype)

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        return dissect_body(buf, off + NLMSG_HDRLEN, off + length, mt, order, root, req=req)


register_protocol(SelinuxProtocol())
