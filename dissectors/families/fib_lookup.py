"""NETLINK_FIB_LOOKUP (10): ask the kernel's FIB which route an address takes.

The request and the answer are one struct fib_result_nl: the kernel (nl_fib_input) fills in
the results of a clone of the request and sends it back with the request's own header —
NLM_F_REQUEST, the sender's type (any value, usually 0, which here is not NLMSG_NOOP) and
seq.  The answer is told by its body: nl_fib_lookup always sets err (-ENOENT with no table)
or the table id, which a question leaves zero."""
from __future__ import annotations

import socket

from construct import Int8ul, Int32sl, Int32ub, Int32ul

from ..core.attrs import FULL
from ..core.dissect import dissect_body
from ..core.errors import errno_name
from ..core.header import NLMSG_HDRLEN, is_request
from ..core.registry import GET, OTHER, MessageType, Protocol, register_protocol
from ..core.schema import FixedStruct, member, names_from
from ..generated import rtnetlink as R

# the route types fib_result_nl.type names (<linux/rtnetlink.h>'s RTN_*)
RTN_NAMES = names_from(R, "RTN_", "RTN_UNSPEC", exclude=("MAX",))

FIB_RESULT_NL = FixedStruct("fib_result_nl", "fib_lookup", [
    member("fl_addr", Int32ub, lambda v: socket.inet_ntop(socket.AF_INET, v.to_bytes(4, "big"))),
    member("fl_fwmark", Int32ul), member("fl_tos", Int8ul), member("fl_scope", Int8ul), member("tb_id_in", Int8ul),
    member("tb_id", Int8ul), member("prefixlen", Int8ul), member("nh_sel", Int8ul), member("type", Int8ul),
    member("scope", Int8ul), member("err", Int32sl)], label="fib_result_nl")


def fib_info(root) -> str:
    """`lookup 10.53.1.1 → table 254 /16 RTN_UNICAST`, `lookup 10.50.0.9 in table 99 → ENOENT`."""
    v = {c.field.abbrev.rsplit(".", 1)[1]: c for c in (root.children[1].children if len(root.children) > 1
                                                        and root.children[1].children else ())}
    if not v:
        return ""
    text = f"lookup {v['fl_addr'].text or v['fl_addr'].field.show(v['fl_addr'].value)}"
    if v["tb_id_in"].value:
        text += f" in table {v['tb_id_in'].value}"
    err, tb_id = v["err"].value, v["tb_id"].value
    if err:
        text += f" → {errno_name(err)}"
    elif tb_id or v["prefixlen"].value:
        rtype = v["type"].value
        text += f" → table {tb_id} /{v['prefixlen'].value} {RTN_NAMES.get(rtype, f'type {rtype}')}"
    return text


class FibLookupProtocol(Protocol):
    number = 10
    name = "NETLINK_FIB_LOOKUP"
    label = "fib_lookup"
    abbrev = "fib_lookup"
    fields_only_here = True   # no other protocol makes a field named fib_lookup.…
    _req = MessageType(0, "FIB lookup request", GET, FIB_RESULT_NL, None, info=fib_info)
    _rep = MessageType(0, "FIB lookup result", OTHER, FIB_RESULT_NL, None, info=fib_info)

    control_types = False
    echoes = True

    def answer(self, buf, off, length, order, ctx=None) -> bool:
        if length < NLMSG_HDRLEN + FIB_RESULT_NL.size:
            return not is_request(buf, off, order)
        v = FIB_RESULT_NL.values(buf, off + NLMSG_HDRLEN, order)
        return bool(v["tb_id"] or v["err"]) or not is_request(buf, off, order)

    def message_type(self, buf, off, length, mtype, order, ctx):
        return self._rep if self.answer(buf, off, length, order) else self._req

    def dissect(self, buf, off, length, mt, order, ctx, root, req=FULL):
        return dissect_body(buf, off + NLMSG_HDRLEN, off + length, mt, order, root, req=req)


register_protocol(FibLookupProtocol())
