"""tcp_metrics: the TCP metrics cache (`ip tcp_metrics show|delete|flush`), net/ipv4/tcp_metrics.c.

A reply carries the destination (and source) address, the entry's age in ms, the
TIME_WAIT timestamps, the cached metrics (TCP_METRICS_ATTR_VALS, a nest numbered
`enum tcp_metric_index` + 1: tcp_metrics_fill_info() puts RTT and RTTVAR both in ms and,
as RTT_US/RTTVAR_US, in µs) and the TCP Fast Open cache (MSS, SYN drops, cookie).
"""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import tcp_metrics as H

# tcp_metrics_fill_info(): every metric an nla_put_u32; RTT and RTTVAR in ms beside their µs
# twins, each as the socket kept it: tp->srtt_us is 8 times the RTT, tp->mdev_us 4 times its
# variance (`ip tcp_metrics` shifts them back: rtt >> 3, rttvar >> 2)
def _scaled(unit: str, shift: int, what: str):
    per_us = 1000 if unit == "ms" else 1
    return lambda v: f"{v} {unit} ({1 << shift} × {what}: {(v * per_us) >> shift} us)"


# 6.1's <linux/tcp_metrics.h> lacks only the TCP_METRICS_A_METRICS_* names, which give
# `enum tcp_metric_index` + 1 its own names: the numbers are the same
METRICS = enum_set("metrics", "tcp_metrics.vals", H, "TCP_METRICS_A_METRICS_RTT", "TCP_METRICS_A_METRICS_", {
    "RTT": a("u32", show=_scaled("ms", 3, "rtt")), "RTTVAR": a("u32", show=_scaled("ms", 2, "rttvar")),
    "SSTHRESH": "u32", "CWND": "u32", "REODERING": "u32", "RTT_US": a("u32", show=_scaled("us", 3, "rtt")),
    "RTTVAR_US": a("u32", show=_scaled("us", 2, "rttvar"))}, label="metrics")
# the policy (tcp_metrics_nl_policy) takes the four addresses; the rest is what a reply carries:
# AGE and FOPEN_SYN_DROP_TS by nla_put_msecs() (u64), TW_TS_STAMP an s32 of seconds
TCP_METRICS = enum_set("tcp_metrics", "tcp_metrics", H, "TCP_METRICS_ATTR_UNSPEC", "TCP_METRICS_ATTR_", {
    "ADDR_IPV4": a("binary", hint="ipv4"), "ADDR_IPV6": a("binary", hint="ipv6"), "AGE": a("u64", unit="ms"),
    "TW_TSVAL": "u32", "TW_TS_STAMP": a("s32", unit="s"), "VALS": a("nest", nested=METRICS),
    "FOPEN_MSS": "u16", "FOPEN_SYN_DROPS": "u16", "FOPEN_SYN_DROP_TS": a("u64", unit="ms"),
    "FOPEN_COOKIE": a("binary", hint="hex"), "SADDR_IPV4": a("binary", hint="ipv4"),
    "SADDR_IPV6": a("binary", hint="ipv6"), "PAD": "pad"}, label="tcp_metrics")

# what `ip tcp_metrics` prints a metric as (print_tcp_metrics(); RTT/RTTVAR: the µs ones when sent)
_SHOWN = (("ssthresh", "ssthresh"), ("cwnd", "cwnd"), ("reodering", "reordering"))


@info(levels=2)
def tcp_metrics_info(root) -> str:
    """`10.9.0.1 age 0.172sec cwnd 17 rtt 423us rttvar 566us source 10.9.0.1`, as ip prints it."""
    v = {}
    for n in root.walk():
        ab = n.field.abbrev
        if ab.startswith("tcp_metrics.") and n.children is None and not n.status:
            v[ab[len("tcp_metrics."):]] = n.value
    parts = [str(v[k]) for k in ("addr_ipv4", "addr_ipv6") if k in v]
    if "age" in v:
        parts.append(f"age {v['age'] / 1000:.3f}sec")
    if "tw_tsval" in v:
        parts.append(f"tw_ts {v['tw_tsval']}/{v.get('tw_ts_stamp', 0)}sec ago")
    for key, word in _SHOWN:
        if f"vals.{key}" in v:
            parts.append(f"{word} {v[f'vals.{key}']}")
    for word, shift in (("rtt", 3), ("rttvar", 2)):
        us = v.get(f"vals.{word}_us")
        if us is None and f"vals.{word}" in v:
            us = v[f"vals.{word}"] * 1000
        if us is not None:
            parts.append(f"{word} {us >> shift}us")
    if "fopen_mss" in v:
        parts.append(f"fo_mss {v['fopen_mss']}")
    if "fopen_syn_drops" in v:
        parts.append(f"fo_syn_drops {v['fopen_syn_drops']}")
    parts += [f"source {v[k]}" for k in ("saddr_ipv4", "saddr_ipv6") if k in v]
    return " ".join(parts)


CMDS = names_from(H, "TCP_METRICS_CMD_", "TCP_METRICS_CMD_UNSPEC", exclude=("UNSPEC", "MAX"))
register_genl_family(GenlFamily("tcp_metrics", "tcp_metrics", {
    n: MessageType(0, name, kind_from_name(name), None, TCP_METRICS, info=tcp_metrics_info)
    for n, name in CMDS.items()}, TCP_METRICS))
