"""What every part of traffic control shares: handles, verdicts, rates, the `tc_gen` members
of every action's parameters, and the decode hooks for options that are a bare struct
(pfifo's tc_fifo_qopt, sfq's tc_sfq_qopt or tc_sfq_qopt_v1 by length, …)."""
from __future__ import annotations

from construct import Int8ul, Int16sl, Int16ul, Int32sl, Int32ul

from ...core.attrs import enum_set, malformed
from ...core.schema import FixedStruct, c_struct, member
from ...generated import pkt_cls as C
from ...model import Node


def handle(v: int) -> str:
    """A tc handle as tc prints it: `1:10`, `ffff:`, `root`."""
    if v == 0xFFFFFFFF:
        return "root"
    if v == 0:
        return "none"
    major, minor = v >> 16, v & 0xFFFF
    return f"{major:x}:{minor:x}" if minor else f"{major:x}:"


TC_VERDICTS = {-1: "UNSPEC", 0: "OK", 1: "RECLASSIFY", 2: "SHOT", 3: "PIPE", 4: "STOLEN", 5: "QUEUED", 6: "REPEAT",
               7: "REDIRECT", 8: "TRAP"}


def verdict(v: int) -> str:
    """A TC_ACT_* verdict (<linux/pkt_cls.h>), with TC_ACT_JUMP / TC_ACT_GOTO_CHAIN's operand."""
    if v & 0x10000000 and v & 0x20000000:
        return f"GOTO_CHAIN {v & 0x0FFFFFFF}"
    if v & 0x10000000:
        return f"JUMP {v & 0x0FFFFFFF}"
    return f"{TC_VERDICTS.get(v, 'unknown')} ({v})"


def rate(v: int) -> str:
    """A rate in bytes a second, as bits a second."""
    return f"{v * 8} bit/s" if v else "0"


RATESPEC = [member("cell_log", Int8ul), member("linklayer", Int8ul), member("overhead", Int16ul),
            member("cell_align", Int16sl), member("mpu", Int16ul)]


def ratespec(name: str) -> list:
    """struct tc_ratespec's members, prefixed `name_` (`rate_cell_log` … `rate`)."""
    return [*[member(f"{name}_{m.name}", m.con) for m in RATESPEC], member(name, Int32ul, rate)]


def tc_gen():
    """The members every action's parameters start with (the `tc_gen` macro)."""
    return [member("index", Int32ul), member("capab", Int32ul), member("action", Int32sl, verdict),
            member("refcnt", Int32sl), member("bindcnt", Int32sl)]


def struct(cname, prefix, members, label=None, optional_from=None):
    return FixedStruct(cname, prefix, members, label=label or cname, optional_from=optional_from)


def S(name, module, enum, strip, types, label=None, default="binary", prefix=None):
    """An attribute set of tc named `rtnl.tc.NAME` from a header's enum."""
    return enum_set(name, prefix or f"rtnl.tc.{name}", module, enum, strip, types, label=label or name,
                    default=default)


TCF_T = c_struct(C, "tcf_t", "rtnl.tc.act.tm", label="tcf_t (times in jiffies)")


def bare_struct(*structs):
    """A decode hook for options that are one struct, not attributes: of `structs` (oldest
    first) the largest the bytes hold, as the kernel picks by nla_len (sfq_change takes
    tc_sfq_qopt_v1 when the attribute is long enough for it, else tc_sfq_qopt); bytes past
    it are ones the kernel does not read.  Fewer bytes than the oldest is malformed (the
    kernel refuses them)."""
    def decode(buf, start, end, order, req):
        n = end - start
        fits = [st for st in structs if st.max_size <= n] or [st for st in structs if st.size <= n]
        if not fits:
            return [malformed(buf, start, end, f"{structs[0].cname} needs {structs[0].size} bytes")]
        st = fits[-1]
        node = st.node(buf, start, order, req=req, length=min(n, st.max_size))
        out = node.children
        used = min(n, st.max_size)
        if used < n:
            out.append(Node(st.field, bytes(buf[start + used:end]), start + used, n - used, None,
                            label=f"{n - used} bytes past {st.cname} (not read by the kernel)"))
        return out
    return decode

