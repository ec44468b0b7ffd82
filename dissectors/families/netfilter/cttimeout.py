"""nfnetlink_cttimeout (NFNL_SUBSYS_CTNETLINK_TIMEOUT): conntrack timeout policies, their
per-protocol timeouts chosen by the policy's layer-4 protocol."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.schema import names_from
from ...generated import nfnetlink as N, nfnetlink_cttimeout as T
from .conntrack import IP_PROTOS
from .protocol import Subsystem, register_subsystem, types

SEC = a("u32", big_endian=True, unit="s")
BY_PROTO = {}
for _proto, _enum in ((6, "tcp"), (17, "udp"), (136, "udplite"), (1, "icmp"), (33, "dccp"), (132, "sctp"),
                      (58, "icmpv6"), (47, "gre"), (0, "generic")):
    BY_PROTO[_proto] = enum_set(f"timeout_{_enum}", f"cttimeout.{_enum}", T, f"ctattr_timeout_{_enum}",
                                f"CTA_TIMEOUT_{_enum.upper()}_", {}, label=f"{_enum} timeouts", default=SEC)
TIMEOUT = enum_set("timeout", "cttimeout", T, "ctattr_timeout", "CTA_TIMEOUT_", {
    "NAME": "string", "L3PROTO": a("u16", big_endian=True), "L4PROTO": a("u8", enum=IP_PROTOS),
    "DATA": a("submsg", selector="CTA_TIMEOUT_L4PROTO", choices=BY_PROTO), "USE": a("u32", big_endian=True)},
    label="timeout policy")


def timeout_info(root) -> str:
    return " ".join(str(v) for v in (root.first("cttimeout.name"), IP_PROTOS.get(root.first("cttimeout.l4proto")))
                    if v)


register_subsystem(Subsystem(N.NFNL_SUBSYS_CTNETLINK_TIMEOUT, "cttimeout",
                             types(names_from(T, "IPCTNL_MSG_TIMEOUT_", "ctnl_timeout_msg_types", exclude=("MAX",)),
                                   TIMEOUT, timeout_info), TIMEOUT))
