"""nlscope's netlink dissectors, usable on their own: `import dissectors`.

    import dissectors
    ctx = dissectors.Context()
    for msg in dissectors.decode_frame(payload, protocol=0, ctx=ctx):
        print(msg.type_name, msg.flag_names, msg.info)
        print(dissectors.format_tree(msg.tree))
        mtu = msg.decode(fields={"rtnl.link.mtu"}).first("rtnl.link.mtu")   # decodes just that much

Families register themselves in the tables of `dissectors.core.registry` when
`load_families()` imports them (done on first use).
"""
from .core.attrs import FULL, Attr, AttrSet, Request, a, decode_attrs
from .core.dissect import Message, decode_frame, dissect_message, protocol_name
from .core.errors import errno_name
from .core.header import detect_order, flag_names, split
from .core.info import Info, info
from .core.report import ErrorReport, ExtAck
from .core.registry import (GENL_FAMILIES, PROTOCOLS, Context, GenlFamily, MessageType, Protocol,
                            load_families, register_genl_family, register_protocol)
from .json_text import node_json
from .model import FIELDS, MALFORMED, TRUNCATED, UNKNOWN, Field, Node
from .simple import TableProtocol
from .text import format_tree

__version__ = "0.1.0"

__all__ = ["Attr", "AttrSet", "Context", "ErrorReport", "ExtAck", "FIELDS", "FULL", "Field", "GENL_FAMILIES", "GenlFamily", "Info", "MALFORMED",
           "Message", "MessageType", "Node", "PROTOCOLS", "Protocol", "Request", "TRUNCATED", "TableProtocol", "UNKNOWN",
           "a", "decode_attrs", "decode_frame", "detect_order", "dissect_message", "errno_name", "flag_names",
           "format_tree", "info", "load_families", "node_json", "protocol_name", "register_genl_family",
           "register_protocol", "split"]
