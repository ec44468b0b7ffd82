"""Statistics over a capture: what crossed the sockets, who sent it, what failed, how fast."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

SPARK = "▁▂▃▄▅▆▇█"


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    if top == 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, v * (len(SPARK) - 1) // top)] for v in values)


@dataclass
class Stats:
    messages: int = 0
    bytes: int = 0
    first: float | None = None
    last: float | None = None
    by_type: Counter = field(default_factory=Counter)          # (family, type) -> messages
    bytes_by_type: Counter = field(default_factory=Counter)
    by_protocol: Counter = field(default_factory=Counter)
    errors_by_errno: Counter = field(default_factory=Counter)
    errors_by_request: Counter = field(default_factory=Counter)  # (request type, errno) -> n
    by_portid: Counter = field(default_factory=Counter)
    by_process: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    dumps: list = field(default_factory=list)                  # (request type, messages, bytes)
    per_second: Counter = field(default_factory=Counter)
    unanswered: int = 0
    orphans: int = 0
    malformed: int = 0

    def add(self, m) -> None:
        self.messages += 1
        length = max(m.length, 0)
        self.bytes += length
        self.first = m.time if self.first is None else min(self.first, m.time)
        self.last = m.time if self.last is None else max(self.last, m.time)
        if m.malformed:
            self.malformed += 1
            return
        key = (m.family, m.type_name)
        self.by_type[key] += 1
        self.bytes_by_type[key] += length
        self.by_protocol[m.protocol] += 1
        if m.pid:
            self.by_portid[(m.protocol, m.pid)] += 1
        if m.process is not None:
            self.by_process[m.process.comm] += 1
        self.per_second[int(m.time)] += 1
        err = m.error
        if err and err["code"]:
            self.errors_by_errno[err["name"]] += 1
            self.errors_by_request[(err["request_type"], err["name"])] += 1

    def add_transactions(self, table) -> None:
        for t in table:
            self.add_transaction(t)

    def add_transaction(self, t) -> None:
        """One finished transaction (a streaming table's on_done)."""
        if t.latency is not None and t.request is not None:
            self.latencies.append(t.latency)
        if t.dump and t.request is not None:
            self.dumps.append((t.request.type_name, t.part_count, t.part_bytes))
        if t.status == "no response":
            self.unanswered += 1
        elif t.status == "no request":
            self.orphans += 1

    def report(self, top: int = 10) -> str:
        from dissectors import protocol_name
        out = []
        span = (self.last - self.first) if self.first is not None else 0.0
        out.append(f"{self.messages} messages, {self.bytes} bytes, over {span:.3f} s"
                   + (f", {self.malformed} malformed" if self.malformed else ""))
        out.append("")
        out.append("Messages by protocol")
        for proto, n in self.by_protocol.most_common():
            out.append(f"  {protocol_name(proto):<22} {n:>9}")
        out.append("")
        out.append(f"Messages and bytes by family and type (top {top})")
        for (fam, typ), n in self.by_type.most_common(top):
            out.append(f"  {fam:<14} {typ:<30} {n:>9} {self.bytes_by_type[(fam, typ)]:>12} B")
        out.append("")
        out.append("Errors by errno" + ("" if self.errors_by_errno else ": none"))
        for name, n in self.errors_by_errno.most_common():
            out.append(f"  {name:<16} {n:>9}")
        if self.errors_by_request:
            out.append("Errors by request type")
            for (req, name), n in self.errors_by_request.most_common(top):
                out.append(f"  {req:<30} {name:<14} {n:>6}")
        out.append("")
        if self.by_process:
            out.append(f"Top processes (top {top})")
            for comm, n in self.by_process.most_common(top):
                out.append(f"  {comm:<22} {n:>9}")
        out.append(f"Top port ids (top {top})")
        for (proto, pid), n in self.by_portid.most_common(top):
            out.append(f"  {protocol_name(proto):<22} {pid:>10} {n:>9}")
        out.append("")
        if self.dumps:
            sizes = sorted(d[1] for d in self.dumps)
            out.append(f"Dumps: {len(self.dumps)}; messages per dump min {sizes[0]}, median "
                       f"{percentile(sizes, 50):.0f}, max {sizes[-1]}; bytes {sum(d[2] for d in self.dumps)}")
            per_type = defaultdict(list)
            for typ, n, _b in self.dumps:
                per_type[typ].append(n)
            for typ, ns in sorted(per_type.items(), key=lambda kv: -sum(kv[1]))[:top]:
                out.append(f"  {typ:<30} {len(ns):>6} dumps {sum(ns):>8} messages")
        if self.latencies:
            lat = sorted(self.latencies)
            ms = [percentile(lat, p) * 1e3 for p in (50, 90, 99)]
            out.append(f"Transaction latency (ms): p50 {ms[0]:.3f}  p90 {ms[1]:.3f}  p99 {ms[2]:.3f}  "
                       f"max {lat[-1] * 1e3:.3f}  ({len(lat)} transactions)")
        out.append(f"Requests without answer: {self.unanswered}; answers without request: {self.orphans}")
        if self.per_second:
            lo, hi = min(self.per_second), max(self.per_second)
            seconds = [self.per_second.get(s, 0) for s in range(lo, hi + 1)]
            if len(seconds) > 120:  # fold into at most 120 buckets
                step = -(-len(seconds) // 120)
                seconds = [sum(seconds[i:i + step]) for i in range(0, len(seconds), step)]
                unit = f"{step} s"
            else:
                unit = "1 s"
            out.append("")
            out.append(f"Rate (messages per {unit}, peak {max(seconds)}):")
            out.append("  " + sparkline(seconds))
        return "\n".join(out)
