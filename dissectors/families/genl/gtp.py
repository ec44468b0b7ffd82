"""gtp: the GPRS Tunnelling Protocol's PDP contexts (libgtpnl's `gtp-tunnel add|delete|list`),
drivers/net/gtp.c.

A PDP context of a gtp device (GTPA_LINK): GTPv0 keyed by its TID (with a flow label), GTPv1
by its incoming and outgoing TEIs, the peer (SGSN/GGSN) and the mobile station addresses, IPv4
or, since Linux 6.10 (GTPA_FAMILY, GTPA_PEER_ADDR6, GTPA_MS_ADDR6), IPv6; ECHOREQ (6.6) asks
the kernel to send a GTP echo request to a peer, answered as the peer's restart counter is.
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from .cenum import Header
from .protocol import top_attrs

# <linux/gtp.h> (GTPA_SGSN_ADDRESS is GTPA_PEER_ADDRESS's old name)
H = Header("linux/gtp.h")
H.enum("gtp_genl_cmds", "NEWPDP DELPDP GETPDP ECHOREQ MAX", "GTP_CMD_")
H.enum("gtp_version", "V0 V1", "GTP_")
H.enum("gtp_attrs", "UNSPEC LINK VERSION TID PEER_ADDRESS MS_ADDRESS FLOW NET_NS_FD I_TEI O_TEI PAD PEER_ADDR6 "
       "MS_ADDR6 FAMILY __MAX", "GTPA_")
VERSIONS = {0: "GTP_V0", 1: "GTP_V1"}
FAMILIES = {2: "AF_INET", 10: "AF_INET6"}

# gtp_genl_policy: LINK, VERSION, I_TEI, O_TEI, NET_NS_FD u32, TID u64, FLOW u16, FAMILY u8; the
# IPv4 addresses NLA_U32 by policy but network order (nla_put_be32 in gtp_genl_fill_info), the
# IPv6 ones 16 bytes
GTP = enum_set("gtp", "gtp", H, "gtp_attrs", "GTPA_", {
    "LINK": "u32", "VERSION": a("u32", enum=VERSIONS), "TID": a("u64", show=lambda v: f"{v:#x}"),
    "PEER_ADDRESS": a("binary", hint="ipv4"), "MS_ADDRESS": a("binary", hint="ipv4"), "FLOW": "u16",
    "NET_NS_FD": "u32", "I_TEI": "u32", "O_TEI": "u32", "PAD": "pad", "PEER_ADDR6": a("binary", hint="ipv6"),
    "MS_ADDR6": a("binary", hint="ipv6"), "FAMILY": a("u8", enum=FAMILIES)}, label="gtp")


@info()
def gtp_info(root) -> str:
    """`version 1 tei 200/100 ms_addr 10.42.0.2 sgsn_addr 10.41.0.2`, as gtp-tunnel list prints
    a context (`version 0 tid 0x1 …` for GTPv0), with the device's ifindex."""
    v = top_attrs(root, "gtp.")
    parts = [f"link {v['link'].value}"] if "link" in v else []
    if "version" in v:
        parts.append(f"version {v['version'].value}")
    if "i_tei" in v and "o_tei" in v:
        parts.append(f"tei {v['i_tei'].value}/{v['o_tei'].value}")
    elif "i_tei" in v:   # a GET or DEL names the context by its incoming TEI alone
        parts.append(f"i_tei {v['i_tei'].value}")
    if "tid" in v:
        parts.append(f"tid {v['tid'].value:#x}")
    if "flow" in v:
        parts.append(f"flow {v['flow'].value}")
    for key in ("ms_address", "ms_addr6"):
        if key in v:
            parts.append(f"ms_addr {v[key].value}")
    for key in ("peer_address", "peer_addr6"):
        if key in v:
            parts.append(f"sgsn_addr {v[key].value}")
    return " ".join(parts)


CMDS = names_from(H, "GTP_CMD_", "gtp_genl_cmds", exclude=("MAX",))
COMMANDS = {n: MessageType(0, name, kind_from_name(name.replace("NEWPDP", "_NEW").replace("DELPDP", "_DEL")
                                                   .replace("GETPDP", "_GET")), None, GTP, info=gtp_info)
            for n, name in CMDS.items()}


class GtpFamily(GenlFamily):
    """gtp's answers to GETPDP (gtp_genl_get_pdp, gtp_genl_dump_pdp) pass the request's
    nlmsg_type — the family id — to gtp_genl_fill_info() as the command: their genlmsghdr.cmd
    is the id's low byte (0x20 for id 0x20), never a GTP_CMD_*.  Ids start at GENL_MIN_ID (16),
    so such a cmd is told from the four commands; a kernel message of a cmd the family does not
    have is that answer.  (Its notifications, gtp_tunnel_notify(), carry their real command.)"""

    def command(self, cmd: int, request: bool, portid: int = -1):
        mt = super().command(cmd, request, portid)
        if mt is None and not request:
            return COMMANDS[H.GTP_CMD_GETPDP]
        return mt


register_genl_family(GtpFamily("gtp", "gtp", COMMANDS, GTP))
