"""Pairing requests with their answers.

A request (NLM_F_REQUEST) opens a transaction keyed by (protocol, seq); the kernel's
answers carry the same seq and, as nlmsg_pid, the requesting socket's port id (a request
may leave its own nlmsg_pid 0, so the port id is learned from the first answer).  A
transaction ends with NLMSG_ERROR (ACK or error), NLMSG_DONE for a dump, or its one reply
when the request asked for no ACK and the reply is not multipart.  Kernel messages that
answer nothing are notifications when their seq or port id is 0 (multicast), and answers
without a request otherwise (the capture started late).  Requests that asked for an
answer (ACK, or a GET) and got none are flagged when the table is finished.
"""
from __future__ import annotations

from collections import deque

from dissectors import Message
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
                 "status", "part_count", "part_bytes")

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


class TransactionTable:
    """Feed messages in capture order with `add`; call `finish` at the end of a file.

    With `keep=False` (a stream read once, of any size) the table keeps no list of
    transactions: it remembers the `max_open` most recent ones (open or ended, for the order
    in which to give up), and an open one pushed out of them is given up (status "no
    response seen"); a transaction keeps its first and latest answers only,
    so memory stays flat whatever the capture holds (a long dump, a sequence number that
    comes back and matches an old request forever)."""

    def __init__(self, keep: bool = True, max_open: int = 16384, on_done=None):
        self.transactions: list[Transaction] = []
        self.on_done = on_done   # called with each transaction once its status is final
        self._open: dict[tuple[int, int], list[Transaction]] = {}
        self.keep = keep
        self.max_open = max_open
        self.count = 0
        self._recent: deque[Transaction] = deque()

    def __iter__(self):
        return iter(self.transactions)

    def __len__(self):
        return self.count

    def _new(self, request: Message | None) -> Transaction:
        self.count += 1
        t = Transaction(self.count, request)
        if self.keep:
            self.transactions.append(t)
        return t

    def _opened(self, t: Transaction) -> None:
        self._open.setdefault((t.protocol, t.seq), []).append(t)
        if self.keep:
            return
        self._recent.append(t)
        while len(self._recent) > self.max_open:
            old = self._recent.popleft()
            if old.status == "open":
                self._close(old)
                old.status = GIVEN_UP
                self._done(old)

    def add(self, m: Message) -> None:
        if m.malformed:
            return
        if m.direction == "to kernel":
            t = self._new(m)
            m.tx = (t, REQUEST)
            self._opened(t)
            return
        cands = self._open.get((m.protocol, m.seq))
        t = None
        if cands:
            for c in reversed(cands):
                if c.portid is None or c.portid == m.pid:
                    t = c
                    break
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
        if t.portid is None:
            t.portid = m.pid
        if m.type >= 0x10:
            t.part_count += 1
            t.part_bytes += m.length
        if self.keep or len(t.responses) < 2:
            t.responses.append(m)
        else:   # a stream keeps the first answer and the latest, whatever a dump's length
            t.responses[-1] = m
        m.tx = (t, RESPONSE)
        if m.flags & NLM_F_DUMP_INTR:
            t.interrupted = True
        if t.request is not None and t.request.process is None and m.process is not None:
            t.request.process = m.process
        ends = m.kind == ACK  # NLMSG_ERROR or NLMSG_DONE
        if ends or (t.request is not None and not t.request.flags & NLM_F_ACK and not m.flags & NLM_F_MULTI
                    and not t.dump):
            t.final = m if m.type < 0x10 else None
            # the errno alone, without decoding; only an answer with extack TLVs is decoded
            t.status = "error" if ends and m.error_code and m.error is not None else "complete"
            self._close(t)
            if ends and m.flags & NLM_F_ACK_TLVS:
                self._attribute_error(t)
            self._done(t)

    def _close(self, t: Transaction) -> None:
        lst = self._open.get((t.protocol, t.seq))
        if lst and t in lst:
            lst.remove(t)
            if not lst:
                del self._open[(t.protocol, t.seq)]

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
        for lst in self._open.values():
            for t in lst:
                if t.request is not None and not t.responses and (
                        t.request.flags & NLM_F_ACK or t.request.kind == "get"):
                    t.status = "no response"
                elif t.status == "open":
                    t.status = "unfinished" if t.responses else "no response expected"
                self._done(t)
        self._open.clear()

    def _done(self, t: Transaction) -> None:
        if self.on_done is not None:
            self.on_done(t)


def role_of(m: Message) -> str | None:
    return m.tx[1] if m.tx else None
