"""nfnetlink_cthelper (NFNL_SUBSYS_CTHELPER): user-space conntrack helpers (conntrackd)."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.schema import names_from
from ...generated import nfnetlink as N, nfnetlink_cthelper as H
from .protocol import Subsystem, register_subsystem, types

BE32 = a("u32", big_endian=True)
TUPLE = enum_set("cthelper_tuple", "cthelper.tuple", H, "nfnl_cthelper_tuple_type", "NFCTH_TUPLE_", {
    "L3PROTONUM": a("u16", big_endian=True), "L4PROTONUM": "u8"}, label="tuple")
POLICY = enum_set("cthelper_policy", "cthelper.policy", H, "nfnl_cthelper_pol_type", "NFCTH_POLICY_", {
    "NAME": "string"}, label="expectation policy", default=BE32)
POLICY_SET = enum_set("cthelper_policy_set", "cthelper.policies", H, "nfnl_cthelper_policy_type", "NFCTH_POLICY_",
                      {"SET_NUM": BE32}, label="policies", default=a("nest", nested=POLICY))
HELPER = enum_set("cthelper", "cthelper", H, "nfnl_cthelper_type", "NFCTH_", {
    "NAME": "string", "TUPLE": a("nest", nested=TUPLE), "QUEUE_NUM": BE32, "POLICY": a("nest", nested=POLICY_SET),
    "PRIV_DATA_LEN": BE32, "STATUS": BE32}, label="helper")
register_subsystem(Subsystem(N.NFNL_SUBSYS_CTHELPER, "cthelper",
                             types(names_from(H, "NFNL_MSG_CTHELPER_", "nfnl_cthelper_msg_types", exclude=("MAX",)),
                                   HELPER, lambda r: r.first("cthelper.name") or ""), HELPER))
