#!/usr/bin/env python3
"""Generate dissectors/generated/*.py from the UAPI headers of Debian's newest kernel source.

The source is linux-source-6.12's `include/uapi`, which tools/run-tests extracts into
.cache/linux-6.12/ (a superset of the names Debian 12's 6.1 headers hold, so captures
from either kernel find their names).  Headers are read as `make headers_install`
exports them: `#ifdef __KERNEL__` sections dropped, `_UAPI` taken off include guards.

Each generated module holds the integer constants (`#define` and enum members) of one
header, spelled as the kernel spells them, plus ENUMS: the members of each enum in order
(keyed by the enum tag, or by its first member when the enum is anonymous).  Family
modules look numbers up by name, so no table is typed by hand and no positional
numbering can drift.  Run it again after a kernel source upgrade; a test checks that the
committed tables are what this script makes from that source.
"""
from __future__ import annotations

import argparse
import ast
import operator
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# linux-source-6.12's include/uapi, extracted by tools/run-tests
INCLUDE = ROOT / ".cache" / "linux-6.12" / "include" / "uapi"
HOW_TO_GET = ("apt-get install linux-source-6.12, then ./tools/run-tests extracts its include/uapi "
              "into .cache/linux-6.12/")

# module name -> header path under the include root
HEADERS = {
    "netlink": "linux/netlink.h",
    "genetlink": "linux/genetlink.h",
    "rtnetlink": "linux/rtnetlink.h",
    "if_link": "linux/if_link.h",
    "if_addr": "linux/if_addr.h",
    "if_arp": "linux/if_arp.h",
    "if_": "linux/if.h",
    "neighbour": "linux/neighbour.h",
    "fib_rules": "linux/fib_rules.h",
    "lwtunnel": "linux/lwtunnel.h",
    "seg6_iptunnel": "linux/seg6_iptunnel.h",
    "seg6_local": "linux/seg6_local.h",
    "mpls_iptunnel": "linux/mpls_iptunnel.h",
    "rpl_iptunnel": "linux/rpl_iptunnel.h",
    "ioam6_iptunnel": "linux/ioam6_iptunnel.h",
    "nexthop": "linux/nexthop.h",
    "errno_base": "asm-generic/errno-base.h",  # before errno.h, which refers to its names
    "errno": "asm-generic/errno.h",
    "socket": "linux/socket.h",
    "ip_vs": "linux/ip_vs.h",
    "ip": "linux/ip.h",
    "ipv6": "linux/ipv6.h",
    "snmp": "linux/snmp.h",
    "if_bridge": "linux/if_bridge.h",
    "nl80211": "linux/nl80211.h",
    "ethtool_netlink": "linux/ethtool_netlink.h",
    "devlink": "linux/devlink.h",
    "wireguard": "linux/wireguard.h",
    "mptcp": "linux/mptcp.h",
    "if_tunnel": "linux/if_tunnel.h",
    "veth": "linux/veth.h",
    "net_namespace": "linux/net_namespace.h",
    "if_addrlabel": "linux/if_addrlabel.h",
    "netconf": "linux/netconf.h",
    "gen_stats": "linux/gen_stats.h",
    "pkt_sched": "linux/pkt_sched.h",
    "pkt_cls": "linux/pkt_cls.h",
    "tc_gact": "linux/tc_act/tc_gact.h",
    "tc_mirred": "linux/tc_act/tc_mirred.h",
    "if_team": "linux/if_team.h",
    "net_dropmon": "linux/net_dropmon.h",
    "psample": "linux/psample.h",
    "openvswitch": "linux/openvswitch.h",
    "taskstats": "linux/taskstats.h",
    "nfnetlink": "linux/netfilter/nfnetlink.h",
    "nfnetlink_conntrack": "linux/netfilter/nfnetlink_conntrack.h",
    "nf_conntrack_common": "linux/netfilter/nf_conntrack_common.h",
    "nf_conntrack_tcp": "linux/netfilter/nf_conntrack_tcp.h",
    "nfnetlink_queue": "linux/netfilter/nfnetlink_queue.h",
    "nfnetlink_log": "linux/netfilter/nfnetlink_log.h",
    "nf_tables": "linux/netfilter/nf_tables.h",
    "nfnetlink_acct": "linux/netfilter/nfnetlink_acct.h",
    "nfnetlink_cttimeout": "linux/netfilter/nfnetlink_cttimeout.h",
    "nfnetlink_cthelper": "linux/netfilter/nfnetlink_cthelper.h",
    "nfnetlink_hook": "linux/netfilter/nfnetlink_hook.h",
    "ip_set": "linux/netfilter/ipset/ip_set.h",
    "nf_tables_compat": "linux/netfilter/nf_tables_compat.h",
    "nfnetlink_osf": "linux/netfilter/nfnetlink_osf.h",
    "sock_diag": "linux/sock_diag.h",
    "inet_diag": "linux/inet_diag.h",
    "unix_diag": "linux/unix_diag.h",
    "netlink_diag": "linux/netlink_diag.h",
    "packet_diag": "linux/packet_diag.h",
    "tcp": "linux/tcp.h",
    "xfrm": "linux/xfrm.h",
    # tc actions and ematches (dissectors/families/rtnetlink/tc_act.py, tc_cls.py)
    "tc_pedit": "linux/tc_act/tc_pedit.h",
    "tc_csum": "linux/tc_act/tc_csum.h",
    "tc_skbedit": "linux/tc_act/tc_skbedit.h",
    "tc_sample": "linux/tc_act/tc_sample.h",
    "tc_ct": "linux/tc_act/tc_ct.h",
    "tc_nat": "linux/tc_act/tc_nat.h",
    "tc_connmark": "linux/tc_act/tc_connmark.h",
    "tc_ctinfo": "linux/tc_act/tc_ctinfo.h",
    "tc_skbmod": "linux/tc_act/tc_skbmod.h",
    "tc_mpls": "linux/tc_act/tc_mpls.h",
    "tc_gate": "linux/tc_act/tc_gate.h",
    "tc_vlan": "linux/tc_act/tc_vlan.h",
    "tc_tunnel_key": "linux/tc_act/tc_tunnel_key.h",
    "tc_defact": "linux/tc_act/tc_defact.h",
    "tc_ife": "linux/tc_act/tc_ife.h",
    "tc_bpf": "linux/tc_act/tc_bpf.h",
    "tc_em_cmp": "linux/tc_ematch/tc_em_cmp.h",
    "tc_em_meta": "linux/tc_ematch/tc_em_meta.h",
    "tc_em_text": "linux/tc_ematch/tc_em_text.h",
    "tc_em_ipt": "linux/tc_ematch/tc_em_ipt.h",
    "dcbnl": "linux/dcbnl.h",
    # generic netlink's long tail (dissectors/families/genl/)
    "tcp_metrics": "linux/tcp_metrics.h",
    "seg6_genl": "linux/seg6_genl.h",
    "seg6_hmac": "linux/seg6_hmac.h",
    "ioam6_genl": "linux/ioam6_genl.h",
    "fou": "linux/fou.h",
    "ila": "linux/ila.h",
    "l2tp": "linux/l2tp.h",
    "if_macsec": "linux/if_macsec.h",
    "batman_adv": "linux/batman_adv.h",
    "batadv_packet": "linux/batadv_packet.h",
    "tipc_netlink": "linux/tipc_netlink.h",
    "tipc": "linux/tipc.h",
    "tipc_config": "linux/tipc_config.h",   # the legacy TIPC family (genl/tipc_legacy.py)
    "nbd_netlink": "linux/nbd-netlink.h",
    "nbd": "linux/nbd.h",
    "target_core_user": "linux/target_core_user.h",   # TCM-USER (genl/tcm_user.py)
    "quota": "linux/quota.h",
    "thermal": "linux/thermal.h",
    # the CAN gateway's RTM_*ROUTE of family AF_CAN (dissectors/families/rtnetlink/cangw.py)
    "can": "linux/can.h",
    "can_gw": "linux/can/gw.h",
}
# Headers split out of one we parse, read where its #include stands: 6.12's <linux/mptcp.h>
# takes the path manager's names from the YNL-generated <linux/mptcp_pm.h>.
INLINE = ("linux/mptcp_pm.h",)
# What scripts/headers_install.sh runs unifdef with: -U__KERNEL__ -D__EXPORTED_HEADERS__
EXPORT_DEFINES = {"__KERNEL__": False, "__EXPORTED_HEADERS__": True}
# C scalar types a generated struct layout may use
SCALARS = {"__u8", "__u16", "__u32", "__u64", "__s8", "__s16", "__s32", "__s64", "int", "unsigned int",
           "__be16", "__be32", "__be64", "unsigned char", "unsigned short", "char", "unsigned"}
# Extra constants a header uses but takes from a header we do not parse.
PRELUDE = {"NLMSG_MIN_TYPE": 0x10, "AF_INET": 2, "AF_INET6": 10, "AF_BRIDGE": 7}

_OPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.LShift: operator.lshift, ast.RShift: operator.rshift, ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_, ast.BitXor: operator.xor, ast.FloorDiv: operator.floordiv,
}


def _eval(expr: str, names: dict[str, int]) -> int | None:
    """Evaluate a C integer constant expression made of literals, known names and operators."""
    expr = re.sub(r"\(\s*(?:unsigned\s+)?(?:int|long|__u32|__u16|__u8|__s32)\s*\)", "", expr)
    expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", expr).replace("/", "//")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError:
        return None

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise KeyError(node.id)
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Invert, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else (~v if isinstance(node.op, ast.Invert) else v)
        raise KeyError(type(node).__name__)

    try:
        return ev(tree)
    except (KeyError, ZeroDivisionError, TypeError):
        return None


_DIRECTIVE = re.compile(r"[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)")
_DEFINED = re.compile(r"(!?)\s*defined\s*(?:\(\s*(\w+)\s*\)|(\w+))")


def _export_condition(directive: str, expr: str) -> bool | None:
    """The value of a conditional on an EXPORT_DEFINES symbol, None for any other condition."""
    expr = expr.strip()
    if directive in ("ifdef", "ifndef"):
        if expr not in EXPORT_DEFINES:
            return None
        return EXPORT_DEFINES[expr] == (directive == "ifdef")
    m = _DEFINED.fullmatch(expr)
    if m and (m.group(2) or m.group(3)) in EXPORT_DEFINES:
        return EXPORT_DEFINES[m.group(2) or m.group(3)] != bool(m.group(1))
    if any(re.search(rf"\b{sym}\b", expr) for sym in EXPORT_DEFINES):
        raise ValueError(f"unsupported conditional on an exported symbol: #{directive} {expr}")
    return None


def exported(text: str) -> str:
    """A header's text as `make headers_install` writes it: comments removed (as parse_header
    does), conditionals on __KERNEL__/__EXPORTED_HEADERS__ resolved as unifdef does (the rest
    kept as they are), `_UAPI` taken off include guards."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"\\\n", " ", text)
    out: list[str] = []
    stack: list[bool | None] = []   # per open #if: True/False when resolved (the branch kept?), None if kept as is
    for line in text.split("\n"):
        m = _DIRECTIVE.match(line)
        active = all(v is not False for v in stack)
        if m is None:
            if active:
                out.append(line)
            continue
        directive, expr = m.groups()
        if directive in ("if", "ifdef", "ifndef"):
            stack.append(_export_condition(directive, expr))
            if stack[-1] is not None:
                continue
        elif not stack:
            raise ValueError(f"#{directive} without #if")
        elif directive == "else":
            if stack[-1] is not None:
                stack[-1] = not stack[-1]
                continue
        elif directive == "elif":
            if stack[-1] is not None:
                raise ValueError(f"unsupported #elif after a conditional on an exported symbol: #elif {expr.strip()}")
        else:  # endif
            if stack.pop() is not None:
                continue
        if active:
            out.append(line)
    if stack:
        raise ValueError("#if without #endif")
    text = "\n".join(out)
    return re.sub(r"^([ \t]*#[ \t]*(?:ifndef|define))[ \t]+_UAPI", r"\1 ", text, flags=re.M)


def read_header(include: Path, header: str) -> str:
    """The exported text of `header`, with the INLINE headers it includes read in place."""
    text = (include / header).read_text()
    for sub in INLINE:
        text = re.sub(rf"^[ \t]*#[ \t]*include[ \t]*<{re.escape(sub)}>[^\n]*$",
                      lambda _m, sub=sub: (include / sub).read_text(), text, flags=re.M)
    return exported(text)


def parse_header(text: str, known: dict[str, int]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Return (constants in order of appearance, enums) of one header's text."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"\\\n", " ", text)
    names = dict(PRELUDE)
    names.update(known)
    consts: dict[str, int] = {}
    enums: dict[str, list[str]] = {}
    pos = 0
    token = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+([^\n]+)$|\benum\s+(\w+)?\s*\{(.*?)\}", re.S | re.M)
    for m in token.finditer(text, pos):
        if m.group(1):
            value = _eval(m.group(2), names)
            if value is not None:
                names[m.group(1)] = value
                consts[m.group(1)] = value
            continue
        members, nxt = [], 0
        body = re.sub(r"^[ \t]*#[^\n]*$", "", m.group(4), flags=re.M)  # #define/#if inside enums
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name = name.strip()
            if not re.fullmatch(r"[A-Za-z_]\w*", name):
                continue
            if expr.strip():
                value = _eval(expr, names)
                if value is None:
                    break
                nxt = value
            names[name] = consts[name] = nxt
            members.append(name)
            nxt += 1
        if members:
            enums[m.group(3) or members[0]] = members
    return consts, enums


def parse_structs(text: str) -> dict[str, list[tuple[str, str]]]:
    """struct name -> [(member, C type)] for structs made only of scalar members."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    out = {}
    # a body without braces, closed by a bare "};": a struct ending in `} __attribute__(…);`
    # (packed, aligned) is left out, and cannot swallow the struct after it
    for m in re.finditer(r"^struct\s+(\w+)\s*\{([^{}]*)^\};", text, flags=re.M):
        members = []
        for decl in m.group(2).split(";"):
            decl = " ".join(decl.split())
            if not decl:
                continue
            mm = re.fullmatch(r"((?:unsigned )?\w+) (\w+)", decl)
            if mm is None or mm.group(1) not in SCALARS:
                members = None
                break
            members.append((mm.group(2), mm.group(1)))
        if members:
            out[m.group(1)] = members
    return out


def render(module: str, header: str, consts: dict[str, int], enums: dict[str, list[str]],
           structs: dict[str, list[tuple[str, str]]]) -> str:
    out = [f'"""Constants of <{header}>, generated by tools/gen_uapi.py; do not edit."""', ""]
    for name, value in consts.items():
        out.append(f"{name} = {value:#x}" if value > 9 else f"{name} = {value}")
    out.append("")
    out.append("ENUMS = {")
    for tag, members in enums.items():
        out.append(f"    {tag!r}: (")
        out.extend(f"        {m!r}," for m in members)
        out.append("    ),")
    out.append("}")
    out.append("")
    out.append("STRUCTS = {")
    for name, members in structs.items():
        out.append(f"    {name!r}: (")
        out.extend(f"        {m!r}," for m in members)
        out.append("    ),")
    out.append("}")
    return "\n".join(out) + "\n"


def generate(include: Path = INCLUDE) -> dict[str, str]:
    """Map module file name -> generated source, headers parsed in a fixed order."""
    if not (include / HEADERS["netlink"]).is_file():
        raise FileNotFoundError(f"no UAPI headers in {include}: {HOW_TO_GET}")
    known: dict[str, int] = {}
    result = {}
    for module, header in HEADERS.items():
        text = read_header(include, header)
        consts, enums = parse_header(text, known)
        known.update(consts)
        result[f"{module}.py"] = render(module, header, consts, enums, parse_structs(text))
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--include", default=INCLUDE, type=Path,
                    help=f"include root: a kernel source's include/uapi (default {INCLUDE.relative_to(ROOT)})")
    ap.add_argument("--out", default=ROOT / "dissectors" / "generated", type=Path)
    args = ap.parse_args(argv)
    try:
        tables = generate(args.include)
    except (OSError, ValueError) as e:
        print(f"gen_uapi: {e}", file=sys.stderr)
        return 2
    for name, src in tables.items():
        (args.out / name).write_text(src)
    print(f"wrote {len(HEADERS)} tables to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
