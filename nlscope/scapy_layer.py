"""A scapy layer for LINKTYPE_NETLINK, decoded by nlscope's dissectors.

    import nlscope.scapy_layer          # registers the layer for link type 253
    from scapy.all import rdpcap
    pkts = rdpcap("capture.pcapng")
    pkts[3].show()                      # prints every netlink message of the frame, decoded
    for m in pkts[3].messages: print(m.type_name, m.info)

Generic-netlink ids are learned per process across the frames decoded (as in a capture).
"""
from __future__ import annotations

from scapy.config import conf
from scapy.fields import ShortField, StrFixedLenField, XShortField
from scapy.packet import Packet

import dissectors
from dissectors import Context

LINKTYPE_NETLINK = 253
_CONTEXT = Context()


class NetlinkCooked(Packet):
    """The 16-byte pseudo-header libpcap puts before each netlink frame, then its messages."""

    name = "Netlink (nlmon)"
    fields_desc = [
        ShortField("pkttype", 4),
        ShortField("hatype", 824),
        ShortField("halen", 0),
        StrFixedLenField("addr", b"\0" * 8, 8),
        XShortField("protocol", 0),
    ]

    def guess_payload_class(self, payload):
        return conf.raw_layer

    @property
    def messages(self) -> list:
        """The frame's netlink messages (dissectors.Message), decoded on first use."""
        cached = getattr(self, "_nl_messages", None)
        if cached is None:
            cached = dissectors.decode_frame(bytes(self.payload), self.protocol, _CONTEXT)
            self._nl_messages = cached
        return cached

    def mysummary(self):
        msgs = self.messages
        return " | ".join(f"{m.type_name} {m.info}".strip() for m in msgs) or "netlink"

    def show(self, dump=False, indent=3, lvl="", label_lvl=""):
        lines = [f"###[ {self.name} ]###", f"  protocol  = {dissectors.protocol_name(self.protocol)}"]
        for m in self.messages:
            lines.append(f"  --- message {m.index}: {m.type_name}, {m.direction}, {', '.join(m.flag_names)}")
            lines.append(dissectors.format_tree(m.tree, 2))
        text = "\n".join(lines)
        if dump:
            return text
        print(text)


conf.l2types.register(LINKTYPE_NETLINK, NetlinkCooked)
