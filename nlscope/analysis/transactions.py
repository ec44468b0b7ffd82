"""Pairing requests with their answers.

A request (NLM_F_REQUEST) opens a transaction keyed by (protocol, seq); the kernel's
answers carry the same seq and, as nlmsg_pid, the requesting socket's port id (a request
may leave its own nlmsg_pid 0, so the port id is learned from the first answer).  A
transaction ends with NLMSG_ERROR (ACK or error), NLMSG_DONE for a dump, or its one reply
when the request asked for no ACK and the reply is not multipart.  Kernel messages that
answer nothing are notifications when their seq or port id is 0 (multicast), and answers
without a request otherwise (the capture started late).  A protocol that answers after its
ACK (audit: `Protocol.answers_after_ack`) keeps such a request's transaction open past a
successful ACK, and its answers of port id 0 with the request's seq join it.  Requests that asked for an
answer (ACK, or a GET) and got none are flagged when the table is finished.
"""
from __future__ import annotations

from collections import deque

from dissectors import PROTOCOLS, Message
from dissectors.core.control import attr_path
from dissectors.core.header import ACK

NLM_F_ACK, NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_ACK_TLVS = 0x4, 0x2, 0x10, 0x200
REQUEST, RESPONSE, NOTIFICATION, ORPHAN = "request", "response", "notification", "no request"
GIVEN_UP = "no response seen"   # still open when too many later requests were open too


class TransactionFacts:
    """What a transaction tells, from its request, answers and final answer (a Transaction
    holds those; an index's TransactionView reads them from columns)."""

    __slots__ = ()

    @property
    def latency(self) -> float | None:
        """Seconds from the request to its last answer (ACK, error, DONE or reply)."""
        last = self.final or (self.responses[-1] if self.responses else None)
        if self.request is None or last is None:
            return None
        return last.time - self.request.time

    @property
    def parts(self) -> list[Message]:
        """The answers that carry data (dump parts, replies), not ACK/ERROR/DONE (a stream
        keeps the first and latest only: `part_count` counts them all)."""
        return [m for m in self.responses if m.type >= 0x10]

    @property
    def bytes(self) -> int:
        return self.part_bytes

    @property
    def error(self) -> dict | None:
        final = self.final
        return final.error if final is not None else None

    def offending_node(self):
        """The request's attribute an error's extack points at (NLMSGERR_ATTR_OFFS)."""
        err = self.error
        ext = (err or {}).get("extack") or {}
        request = self.request
        if request is None or "offs" not in ext:
            return None
        chain = request.tree.path_to(request.offset + ext["offs"])
        return chain[-1] if len(chain) > 1 else None


class Transaction(TransactionFacts):
    __slots__ = ("id", "protocol", "seq", "portid", "request", "responses", "final", "dump", "interrupted",
                 "status", "part_count", "part_bytes", "held", "acked")

    def __init__(self, tid: int, request: Message | None):
        self.id = tid
        self.request = request
        self.protocol = request.protocol if request else None
        self.seq = request.seq if request else None
        self.portid = (request.pid or None) if request else None
        self.responses: list[Message] = []
        self.final: Message | None = None
        self.dump = bool(request and "DUMP" in request.flag_names)
        self.interrupted = False
        self.status = "open"
        self.part_count = 0   # answers carrying data, and their bytes: counted as they come,
        self.part_bytes = 0   # so a stream that keeps only two answers still knows a dump's size
        self.held = 0         # a stream's open request: the bytes of it the table holds
        self.acked = False    # acked, its answer still to come (Protocol.answers_after_ack)


def _copy(m: Message, limit: int) -> Message:
    """A copy of `m` holding only its own bytes, at most `limit` of them (a copy cut short
    is `truncated`, as a message cut by a snap length is): what a stream keeps of a message
    while its transaction is open, instead of the whole frame the message came in."""
    n = min(max(m.length, 0), limit)
    c = Message(m.frame, m.index, m.time, m.protocol, bytes(m.buf[m.offset:m.offset + n]), 0, n, m.type,
                m.flags, m.seq, m.pid, m.order, m.ctx, m.pos, m.malformed)
    c.truncated = m.truncated or n < m.length
    c.process = m.process
    return c


class TransactionTable:
    """Feed messages in capture order with `add`; call `finish` at the end of a file.

    Open transactions are indexed by (protocol, seq, port id), so pairing an answer costs
    the same however many requests are open; at most `max_open` are open at once, and the
    oldest open one is given up (status "no response seen") when a newer one would pass
    that bound.

    With `keep=False` (a stream read once, of any size) the table keeps no list of
    transactions, and an open one holds copies of its messages' own bytes, not the frames
    they came in: the request whole up to `request_bytes` (an extack offset is resolved in
    it), at most `open_bytes` for all open requests together (past that, the oldest keep
    their first `HEAD_BYTES`: header and fixed header, what names them), and its first and
    latest answers' headers only.  So memory stays flat whatever the capture holds (a long
    dump, requests that are never answered, a sequence number that comes back and matches
    an old request forever)."""

    HEAD_BYTES = 256

    def __init__(self, keep: bool = True, max_open: int = 16384, on_done=None, request_bytes: int = 65536,
                 open_bytes: int = 16 << 20):
        self.transactions: list[Transaction] = []
        self.on_done = on_done   # called with each transaction once its status is final
        # (protocol, seq, port id or None while unknown) -> the open transactions, by id
        self._open: dict[tuple, dict[int, Transaction]] = {}
        self._order: dict[int, Transaction] = {}   # every open transaction, oldest first
        self.keep = keep
        self.max_open = max_open
        self.request_bytes = request_bytes
        self.open_bytes = open_bytes
        self.held = 0                  # bytes of open requests held (keep=False)
        self._heavy: deque[int] = deque()  # ids of open requests holding more than HEAD_BYTES
        # (protocol, seq) -> the acked transactions still waiting for an answer of port id 0
        self._acked: dict[tuple, dict[int, Transaction]] = {}
        self.count = 0

    def __iter__(self):
        return iter(self.transactions)

    def __len__(self):
        return self.count

    @property
    def open_count(self) -> int:
        return len(self._order)

    def _new(self, request: Message | None) -> Transaction:
        self.count += 1
        t = Transaction(self.count, request)
        if self.keep:
            self.transactions.append(t)
        return t

    def _opened(self, t: Transaction) -> None:
        self._open.setdefault((t.protocol, t.seq, t.portid), {})[t.id] = t
        self._order[t.id] = t
        while len(self._order) > self.max_open:
            old = next(iter(self._order.values()))
            self._close(old)
            old.status = GIVEN_UP
            self._done(old)

    def _hold(self, t: Transaction) -> None:
        """Account for an open request's bytes; past `open_bytes`, the oldest are cut to their head."""
        t.held = len(t.request.buf)
        if t.held <= self.HEAD_BYTES:
            return
        self.held += t.held
        self._heavy.append(t.id)
        while self.held > self.open_bytes and self._heavy:
            old = self._order.get(self._heavy.popleft())
            if old is not None and old.held > self.HEAD_BYTES:
                self.held -= old.held
                old.request = _copy(old.request, self.HEAD_BYTES)
                old.held = len(old.request.buf)
        if len(self._heavy) > 2 * len(self._order) + 64:   # ids of closed ones, dropped now and then
            self._heavy = deque(i for i in self._heavy if i in self._order and self._order[i].held > self.HEAD_BYTES)

    def _match(self, m: Message) -> Transaction | None:
        """The latest open transaction this answer belongs to: same protocol and seq, and
        the answer's port id, or a request whose port id is not known yet."""
        mine = self._open.get((m.protocol, m.seq, m.pid))
        unknown = self._open.get((m.protocol, m.seq, None))
        a = mine[next(reversed(mine))] if mine else None   # the newest of each bucket
        b = unknown[next(reversed(unknown))] if unknown else None
        if a is None or (b is not None and b.id > a.id):
            a = b
        if a is None and m.pid == 0:
            acked = self._acked.get((m.protocol, m.seq))
            a = acked[next(reversed(acked))] if acked else None
        return a

    def add(self, m: Message) -> None:
        if m.malformed:
            return
        if m.direction == "to kernel":
            t = self._new(m if self.keep else _copy(m, self.request_bytes))
            m.tx = (t, REQUEST)
            self._opened(t)
            if not self.keep and t.status == "open":
                self._hold(t)
            return
        t = self._match(m)
        if t is None:
            role = NOTIFICATION if (m.seq == 0 or m.pid == 0) else ORPHAN
            if role == ORPHAN:
                o = self._new(None)
                o.protocol, o.seq, o.portid, o.status = m.protocol, m.seq, m.pid, ORPHAN
                o.responses.append(m)
                m.tx = (o, ORPHAN)
                self._done(o)
            else:
                m.tx = (None, NOTIFICATION)
            return
        if t.portid is None:   # learned from the first answer: the transaction moves to its port id
            self._unindex(t)
            t.portid = m.pid
            self._open.setdefault((t.protocol, t.seq, t.portid), {})[t.id] = t
        if m.type >= 0x10:
            t.part_count += 1
            t.part_bytes += m.length
        if t.request is not None and t.request.process is None and m.process is not None:
            t.request.process = m.process
        ends = m.kind == ACK  # NLMSG_ERROR or NLMSG_DONE
        closes = ends or (t.request is not None and (t.acked or not t.request.flags & NLM_F_ACK)
                          and not m.flags & NLM_F_MULTI and not t.dump)
        if ends and m.type == 2 and not m.error_code and t.request is not None and not t.acked \
                and _answers_after_ack(t.request):
            closes = False   # the ACK came first; the answer follows in its own header
            t.acked = True
            t.final = m
            self._acked.setdefault((t.protocol, t.seq), {})[t.id] = t
        # a stream keeps the first answer and the latest, whatever a dump's length, and of an
        # open transaction's answers only their heads (the final answer is the message itself)
        kept = m if self.keep or closes else _copy(m, self.HEAD_BYTES)
        if self.keep or len(t.responses) < 2:
            t.responses.append(kept)
        else:
            t.responses[-1] = kept
        m.tx = (t, RESPONSE)
        if m.flags & NLM_F_DUMP_INTR:
            t.interrupted = True
        if closes:
            t.final = m if m.type < 0x10 else (t.final if t.acked else None)
            # the errno alone, without decoding; only an answer with extack TLVs is decoded
            t.status = "error" if ends and m.error_code and m.error is not None else "complete"
            self._close(t)
            if ends and m.flags & NLM_F_ACK_TLVS:
                self._attribute_error(t)
            self._done(t)

    def _unindex(self, t: Transaction) -> None:
        key = (t.protocol, t.seq, t.portid)
        bucket = self._open.get(key)
        if bucket is not None and bucket.pop(t.id, None) is not None and not bucket:
            del self._open[key]

    def _close(self, t: Transaction) -> None:
        if self._order.pop(t.id, None) is None:
            return
        self._unindex(t)
        if t.held > self.HEAD_BYTES:
            self.held -= t.held
        t.held = 0
        if t.acked:
            bucket = self._acked.get((t.protocol, t.seq))
            if bucket is not None and bucket.pop(t.id, None) is not None and not bucket:
                del self._acked[(t.protocol, t.seq)]

    @staticmethod
    def _attribute_error(t: TransactionFacts) -> None:
        """An extack offset names the request's attribute even when the kernel echoed only
        the header (NLM_F_CAPPED): resolve it in the original request."""
        err = t.error
        ext = (err or {}).get("extack")
        request = t.request
        if not ext or "offs" not in ext or ext.get("attr") or request is None:
            return
        path = attr_path(request.tree, request.offset + ext["offs"])
        if path:
            ext["attr"] = path
            ext["attr_from_request"] = True

    def finish(self) -> None:
        """Flag requests that wanted an answer and got none; later answers become orphans."""
        for t in list(self._order.values()):
            self._close(t)
            if t.request is not None and not t.responses and (
                    t.request.flags & NLM_F_ACK or t.request.kind == "get"):
                t.status = "no response"
            elif t.status == "open":
                t.status = "unfinished" if t.responses else "no response expected"
            self._done(t)
        self._open.clear()
        self._heavy.clear()
        self._acked.clear()

    def _done(self, t: Transaction) -> None:
        if self.on_done is not None:
            self.on_done(t)


def _answers_after_ack(request: Message) -> bool:
    proto = PROTOCOLS.get(request.protocol)
    return proto is not None and proto.answers_after_ack(request.type)


def role_of(m: Message) -> str | None:
    return m.tx[1] if m.tx else None


def request_of(m: Message) -> Message | None:
    """For an answer: the request it answers; None for any other message, or an answer whose
    request was not seen."""
    if not m.tx or m.tx[1] != "response" or m.tx[0] is None:
        return None
    return m.tx[0].request


def since_request(m: Message) -> float | None:
    """For an answer: seconds from its request to it (Wireshark's dns.time), else None."""
    request = request_of(m)
    return None if request is None else m.time - request.time
