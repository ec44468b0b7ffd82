"""nfnetlink_hook (NFNL_SUBSYS_HOOK): the functions hooked at a netfilter hook (`nft list hooks`)."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.schema import names_from
from ...generated import nfnetlink as N, nfnetlink_hook as H
from .protocol import NFPROTO, Subsystem, register_subsystem, types

BE32 = a("u32", big_endian=True)
CHAIN = enum_set("hook_chain", "nfhook.chain", H, "nfnl_hook_chain_desc_attributes", "NFNLA_CHAIN_", {
    "TABLE": "string", "FAMILY": a("u8", enum=NFPROTO), "NAME": "string"}, label="chain")
INFO = enum_set("hook_info", "nfhook.info", H, "nfnl_hook_chain_info_attributes", "NFNLA_HOOK_INFO_", {
    "DESC": a("nest", nested=CHAIN), "TYPE": BE32}, label="chain info")
HOOK = enum_set("hook", "nfhook", H, "nfnl_hook_attributes", "NFNLA_HOOK_", {
    "HOOKNUM": BE32, "PRIORITY": a("u32", big_endian=True, show=lambda v: str(v - (1 << 32) if v >= 1 << 31 else v)),
    "DEV": "string", "FUNCTION_NAME": "string", "MODULE_NAME": "string", "CHAIN_INFO": a("nest", nested=INFO)},
    label="hook")
register_subsystem(Subsystem(N.NFNL_SUBSYS_HOOK, "nfhook",
                             types(names_from(H, "NFNL_MSG_HOOK_", "nfnl_hook_msg_types", exclude=("MAX",)), HOOK,
                                   lambda r: r.first("nfhook.function_name") or ""), HOOK))
