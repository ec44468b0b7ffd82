"""Statistics over a capture: what crossed the sockets, who sent it, what failed, how fast.

Memory stays flat whatever the capture holds: counters itemise at most `MAX_KEYS` values
(the rest are counted as not itemised), the message rate is a sparse histogram of at most
`RATE_BUCKETS` buckets whose width doubles as the capture's span grows, dump sizes are
counted by size, and latency percentiles are exact up to `LATENCY_SAMPLE` transactions
(from a uniform sample of that many beyond).  Timestamps are the capture's, so they may be
anything: non-finite ones are left out, and an answer timestamped before its request gives
no latency (counted apart).  Every string taken from the capture is escaped for the terminal.
"""
from __future__ import annotations

import math
import random
from array import array
from collections import Counter
from dataclasses import dataclass, field

from dissectors.text import escape_text

SPARK = "▁▂▃▄▅▆▇█"
MAX_KEYS = 10_000         # distinct values a counter itemises
RATE_BUCKETS = 4096       # buckets of the message-rate histogram, at most
RATE_SHOWN = 120          # characters of the rate line, at most
LATENCY_SAMPLE = 1 << 20  # latencies kept for the percentiles (8 bytes each)
NO_REQUEST = "(request not seen)"


def percentile(sorted_values, p: float) -> float:
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def percentile_of_counts(counts: Counter, p: float) -> float:
    """`percentile` of the sorted list in which each value appears `counts[value]` times."""
    total = sum(counts.values())
    if not total:
        return 0.0
    k = (total - 1) * p / 100
    lo = int(k)
    want = (lo, min(lo + 1, total - 1))
    found = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and want[len(found)] < seen:
            found.append(value)
        if len(found) == 2:
            break
    return found[0] + (found[1] - found[0]) * (k - lo)


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    if top == 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, v * (len(SPARK) - 1) // top)] for v in values)


def seconds_text(s: float, digits: int = 3) -> str:
    """A duration for the report: fixed-point as long as that stays short."""
    return f"{s:.{digits}f}" if abs(s) < 1e7 else f"{s:.4g}"


class BoundedCounter(Counter):
    """A Counter that itemises at most `limit` distinct keys; later new keys are summed in `other`."""

    def __init__(self, limit: int = MAX_KEYS):
        super().__init__()
        self.limit = limit
        self.other = 0

    def count(self, key, n: int = 1) -> None:
        if key in self or len(self) < self.limit:
            self[key] += n
        else:
            self.other += n


class RateHistogram:
    """Messages per time bucket, sparse: a bucket is `width` seconds (a power of two), and
    the width doubles whenever more than `limit` buckets are in use, so a capture whose
    frames are 2^32 s apart costs two buckets and a long busy one at most `limit`."""

    def __init__(self, limit: int = RATE_BUCKETS):
        self.limit = limit
        self.width = 1
        self.buckets: Counter = Counter()

    def add(self, t: float) -> None:
        k = math.floor(t) // self.width   # the caller gives finite times only
        self.buckets[k] += 1
        while len(self.buckets) > self.limit:
            self.width *= 2
            merged: Counter = Counter()
            for key, n in self.buckets.items():
                merged[key // 2] += n
            self.buckets = merged

    def __bool__(self) -> bool:
        return bool(self.buckets)

    def series(self, shown: int = RATE_SHOWN) -> tuple[list[int], int]:
        """At most `shown` counts from the first bucket to the last, and the seconds each covers."""
        lo, hi = min(self.buckets), max(self.buckets)
        step = -(-(hi - lo + 1) // shown)   # buckets per character
        out = [0] * -(-(hi - lo + 1) // step)
        for key, n in self.buckets.items():
            out[(key - lo) // step] += n
        return out, step * self.width


@dataclass
class Stats:
    messages: int = 0
    bytes: int = 0
    first: float | None = None
    last: float | None = None
    untimed: int = 0                                            # messages without a finite timestamp
    by_type: BoundedCounter = field(default_factory=BoundedCounter)       # (family, type) -> messages
    bytes_by_type: Counter = field(default_factory=Counter)
    by_protocol: BoundedCounter = field(default_factory=BoundedCounter)
    errors_by_errno: BoundedCounter = field(default_factory=BoundedCounter)
    errors_by_request: BoundedCounter = field(default_factory=BoundedCounter)  # (request type, errno) -> n
    by_portid: BoundedCounter = field(default_factory=BoundedCounter)
    by_process: BoundedCounter = field(default_factory=BoundedCounter)
    latencies: array = field(default_factory=lambda: array("d"))  # a uniform sample once past LATENCY_SAMPLE
    latency_count: int = 0
    latency_max: float = 0.0
    latency_negative: int = 0                                   # answers timestamped before their request
    dump_count: int = 0
    dump_bytes: int = 0
    dump_sizes: Counter = field(default_factory=Counter)        # messages in a dump -> dumps
    dumps_by_type: BoundedCounter = field(default_factory=BoundedCounter)  # request type -> dumps
    dump_messages_by_type: Counter = field(default_factory=Counter)        # request type -> messages
    rate: RateHistogram = field(default_factory=RateHistogram)
    unanswered: int = 0
    orphans: int = 0
    malformed: int = 0
    _sampler: random.Random = field(default_factory=lambda: random.Random(0), repr=False)

    def add(self, m) -> None:
        self.add_values(*message_values(m), m)

    def add_values(self, length: int, t, key, protocol: int, pid: int, comm, errno: int, m) -> None:
        """One message, as its values: `key` its (family, type name), None if it is malformed;
        `comm` its process's name or None; `errno` Message.error_code; `m` the message (or
        what stands for it: an index's HeaderRow), asked only for an error's details."""
        self.messages += 1
        length = max(length, 0)
        self.bytes += length
        timed = isinstance(t, (int, float)) and math.isfinite(t)
        if timed:
            if self.first is None or t < self.first:
                self.first = t
            if self.last is None or t > self.last:
                self.last = t
        else:
            self.untimed += 1
        if key is None:
            self.malformed += 1
            return
        self.by_type.count(key)
        if key in self.by_type:
            self.bytes_by_type[key] += length
        self.by_protocol.count(protocol)
        if pid:
            self.by_portid.count((protocol, pid))
        if comm is not None:
            self.by_process.count(comm)
        if timed:
            self.rate.add(t)
        err = m.error if errno else None   # an ACK (errno 0) is not decoded to be counted
        if err and err["code"]:
            self.errors_by_errno.count(err["name"])
            self.errors_by_request.count((err["request_type"] or _request_type(m), err["name"]))

    def add_transactions(self, table) -> None:
        for t in table:
            self.add_transaction(t)

    def add_transaction(self, t, request=None) -> None:
        """One finished transaction (a streaming table's on_done); `request`: its request
        message, when the caller holds it (an index's transaction would make it again)."""
        latency = t.latency   # None without a request
        if latency is not None and math.isfinite(latency):
            if latency < 0:
                self.latency_negative += 1
            else:
                self._latency(latency)
        if t.dump and (request is not None or t.request is not None):
            typ = (request if request is not None else t.request).type_name
            self.dump_count += 1
            self.dump_bytes += t.part_bytes
            self.dump_sizes[t.part_count] += 1
            self.dumps_by_type.count(typ)
            if typ in self.dumps_by_type:
                self.dump_messages_by_type[typ] += t.part_count
        if t.status == "no response":
            self.unanswered += 1
        elif t.status == "no request":
            self.orphans += 1

    def _latency(self, s: float) -> None:
        self.latency_count += 1
        self.latency_max = max(self.latency_max, s)
        if len(self.latencies) < LATENCY_SAMPLE:
            self.latencies.append(s)
        else:   # reservoir sampling: each latency seen stays with the same chance
            j = self._sampler.randrange(self.latency_count)
            if j < LATENCY_SAMPLE:
                self.latencies[j] = s

    def report(self, top: int = 10) -> str:
        from dissectors import protocol_name
        esc = escape_text
        out = []
        span = (self.last - self.first) if self.first is not None else 0.0
        out.append(f"{self.messages} messages, {self.bytes} bytes, over {seconds_text(span)} s"
                   + (f", {self.malformed} malformed" if self.malformed else "")
                   + (f", {self.untimed} without a usable timestamp" if self.untimed else ""))
        out.append("")
        out.append("Messages by protocol")
        for proto, n in self.by_protocol.most_common():
            out.append(f"  {protocol_name(proto):<22} {n:>9}")
        _not_itemised(out, self.by_protocol)
        out.append("")
        out.append(f"Messages and bytes by family and type (top {top})")
        for (fam, typ), n in self.by_type.most_common(top):
            out.append(f"  {esc(fam):<14} {esc(typ):<30} {n:>9} {self.bytes_by_type[(fam, typ)]:>12} B")
        _not_itemised(out, self.by_type)
        out.append("")
        out.append("Errors by errno" + ("" if self.errors_by_errno else ": none"))
        for name, n in self.errors_by_errno.most_common():
            out.append(f"  {esc(name):<16} {n:>9}")
        _not_itemised(out, self.errors_by_errno)
        if self.errors_by_request:
            out.append("Errors by request type")
            for (req, name), n in self.errors_by_request.most_common(top):
                out.append(f"  {esc(req):<30} {esc(name):<14} {n:>6}")
            _not_itemised(out, self.errors_by_request)
        out.append("")
        if self.by_process:
            out.append(f"Top processes (top {top})")
            for comm, n in self.by_process.most_common(top):
                out.append(f"  {esc(comm):<22} {n:>9}")
            _not_itemised(out, self.by_process)
        out.append(f"Top port ids (top {top})")
        for (proto, pid), n in self.by_portid.most_common(top):
            out.append(f"  {protocol_name(proto):<22} {pid:>10} {n:>9}")
        _not_itemised(out, self.by_portid)
        out.append("")
        if self.dump_count:
            lo, hi = min(self.dump_sizes), max(self.dump_sizes)
            out.append(f"Dumps: {self.dump_count}; messages per dump min {lo}, median "
                       f"{percentile_of_counts(self.dump_sizes, 50):.0f}, max {hi}; bytes {self.dump_bytes}")
            msgs = self.dump_messages_by_type
            for typ, _ in sorted(msgs.items(), key=lambda kv: -kv[1])[:top]:
                out.append(f"  {esc(typ):<30} {self.dumps_by_type[typ]:>6} dumps {msgs[typ]:>8} messages")
            _not_itemised(out, self.dumps_by_type)
        if self.latencies:
            lat = sorted(self.latencies)
            ms = [percentile(lat, p) * 1e3 for p in (50, 90, 99)]
            sampled = f"; percentiles of a sample of {len(lat)}" if len(lat) < self.latency_count else ""
            out.append(f"Transaction latency (ms): p50 {seconds_text(ms[0])}  p90 {seconds_text(ms[1])}  "
                       f"p99 {seconds_text(ms[2])}  max {seconds_text(self.latency_max * 1e3)}  "
                       f"({self.latency_count} transactions{sampled})")
        if self.latency_negative:
            out.append(f"Transactions left out of the latency: {self.latency_negative} (answer timestamped "
                       "before its request)")
        out.append(f"Requests without answer: {self.unanswered}; answers without request: {self.orphans}")
        if self.rate:
            counts, unit = self.rate.series()
            out.append("")
            out.append(f"Rate (messages per {unit} s, peak {max(counts)}):")
            out.append("  " + sparkline(counts))
        return "\n".join(out)


def message_values(m) -> tuple:
    """What Stats.add_values counts of a message, read from it: (length, time, key, protocol,
    port id, process name, errno), `key` its (family, type name) or None if it is malformed."""
    malformed = m.malformed
    return (m.length, m.time, None if malformed else (m.family, m.type_name), m.protocol, m.pid,
            m.process.comm if not malformed and m.process is not None else None,
            0 if malformed else m.error_code)


def _request_type(m) -> str:
    """The request an error answers, from its transaction when the answer does not echo it
    (NLMSG_DONE, or an NLMSG_ERROR cut short)."""
    t = m.tx[0] if m.tx else None
    request = t.request if t is not None else None
    return request.type_name if request is not None else NO_REQUEST


def _not_itemised(out: list[str], counter: BoundedCounter) -> None:
    if counter.other:
        out.append(f"  … and {counter.other} more, not itemised (over {counter.limit} distinct values)")
