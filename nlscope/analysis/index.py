"""A capture held as columns: what the TUI keeps of a file of any size.

Per message the index keeps its frame and its transaction (9 bytes), per frame where its
bytes are, its time, number and protocol (~25 bytes), per transaction its request, first,
latest and final answers, status and dump size (30 bytes); the frames' bytes are kept in
large blocks (the file's own content).  A `Message` is made when it is asked for — by
decoding its frame's headers again, the way the file was read — and the last few thousand
frames' messages are kept, so the rows on screen stay the same objects.  Transactions are
paired once, while the file is read, by the streaming `TransactionTable`; a message's
`tx` is a `TransactionView` over the columns with the API of a `Transaction`.
"""
from __future__ import annotations

import threading
from array import array
from collections import OrderedDict

import dissectors
from dissectors import Context, Message

from ..messages import Pipeline
from ..sources.procs import Process
from .transactions import (ACK, GIVEN_UP, NOTIFICATION, ORPHAN, REQUEST, RESPONSE, NLM_F_ACK_TLVS,
                           TransactionFacts, TransactionTable)

_ROLES = (None, REQUEST, RESPONSE, NOTIFICATION, ORPHAN)
_ROLE_CODE = {r: i for i, r in enumerate(_ROLES)}
_STATUSES = ["open", "complete", "error", "no response", "unfinished", "no response expected", GIVEN_UP, ORPHAN]
_STATUS_CODE = {s: i for i, s in enumerate(_STATUSES)}
_DUMP, _INTERRUPTED = 1, 2
BLOCK = 4 << 20     # bytes of frames per block
KEEP_FRAMES = 2048  # frames whose messages stay made


class MessageIndex:
    """The messages of a capture, in order: `len(index)`, `index[i]` (a Message)."""

    def __init__(self, ctx: Context | None = None):
        self.ctx = ctx if ctx is not None else Context()
        self.table = TransactionTable(keep=False, on_done=self._tx_done)
        self.pipe = Pipeline(self.ctx, self.table)
        self._blocks: list[bytes] = []
        self._current = bytearray()
        self.f_where = array("Q")   # block << 32 | offset in the block
        self.f_len = array("I")
        self.f_time = array("d")
        self.f_number = array("I")
        self.f_protocol = array("H")
        self.f_first = array("I")   # the frame's first message
        self._f_rare: dict[int, tuple[bool, str | None]] = {}  # frame -> (cut by snap length, comment)
        self.m_frame = array("I")
        self.m_tx = array("i")      # transaction id, 0: none
        self.m_role = array("b")
        self.t_request = array("i")  # by id - 1; message numbers, -1: none
        self.t_first = array("i")
        self.t_last = array("i")
        self.t_final = array("i")
        self.t_status = array("B")
        self.t_flags = array("B")
        self.t_parts = array("I")
        self.t_bytes = array("Q")
        self._made: OrderedDict[int, list[Message]] = OrderedDict()
        self._made_lock = threading.Lock()
        self.transactions = _Transactions(self)

    # --- building (one thread) ------------------------------------------------------
    def add_frame(self, fr) -> int:
        """Index one frame (a sources.Frame); returns how many messages it held.  A frame
        the reader could not read as netlink (Frame.fault) holds none and is not indexed:
        the store reports it."""
        if fr.fault is not None:
            return 0
        msgs = self.pipe.feed(fr)
        fi = len(self.f_len)
        cur = self._current
        if len(cur) + len(fr.data) > BLOCK and cur:
            self._blocks.append(bytes(cur))
            cur = self._current = bytearray()
        self.f_where.append(len(self._blocks) << 32 | len(cur))
        cur += fr.data
        self.f_len.append(len(fr.data))
        self.f_time.append(fr.time)
        self.f_number.append(fr.number)
        self.f_protocol.append(fr.protocol)
        self.f_first.append(len(self.m_frame))
        if fr.comment or fr.caplen < fr.wirelen:
            self._f_rare[fi] = (fr.caplen < fr.wirelen, fr.comment)
        for m in msgs:
            self.m_frame.append(fi)
            tx = m.tx
            if not tx:
                self.m_tx.append(0)
                self.m_role.append(0)
                continue
            t, role = tx
            self.m_role.append(_ROLE_CODE[role])
            if t is None:
                self.m_tx.append(0)
                continue
            self.m_tx.append(t.id)
            self._tx_slot(t.id)
            k = t.id - 1
            if role == REQUEST:
                self.t_request[k] = m.pos
            else:
                if self.t_first[k] < 0:
                    self.t_first[k] = m.pos
                self.t_last[k] = m.pos
                self.t_parts[k], self.t_bytes[k] = t.part_count, t.part_bytes
            self._tx_facts(t)
            m.forget()
            m.tx = None
        return len(msgs)

    def finish(self) -> None:
        """The file is read: requests still open get their final status, and the pairing
        table (which remembers the latest transactions, with their messages) goes."""
        self.table.finish()
        self.table = self.pipe = None
        _give_back_heap()

    def _tx_slot(self, tid: int) -> None:
        while len(self.t_request) < tid:
            for col in (self.t_request, self.t_first, self.t_last, self.t_final):
                col.append(-1)
            for col in (self.t_status, self.t_flags, self.t_parts, self.t_bytes):
                col.append(0)

    def _tx_facts(self, t) -> None:
        k = t.id - 1
        self.t_status[k] = _STATUS_CODE.get(t.status, 0)
        self.t_flags[k] = (_DUMP if t.dump else 0) | (_INTERRUPTED if t.interrupted else 0)

    def _tx_done(self, t) -> None:
        self._tx_slot(t.id)
        self._tx_facts(t)
        if t.final is not None:
            self.t_final[t.id - 1] = t.final.pos

    # --- reading (any thread) -------------------------------------------------------
    def __len__(self) -> int:
        return len(self.m_tx)

    def __getitem__(self, i: int) -> Message:
        n = len(self.m_tx)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        fi = self.m_frame[i]
        return self._frame_messages(fi)[i - self.f_first[fi]]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def frame_bytes(self, fi: int) -> bytes:
        where = self.f_where[fi]
        block, off = where >> 32, where & 0xFFFFFFFF
        src = self._blocks[block] if block < len(self._blocks) else self._current
        return bytes(src[off:off + self.f_len[fi]])

    def _frame_messages(self, fi: int) -> list[Message]:
        # the UI thread and workers (filter, statistics) read at once: the kept frames
        # change under a lock, so that a frame's messages are made and kept once
        with self._made_lock:
            made = self._made.get(fi)
            if made is not None:
                self._made.move_to_end(fi)
                return made
        made = self._make(fi)
        with self._made_lock:
            kept = self._made.get(fi)
            if kept is not None:   # another thread made them meanwhile: its objects stay
                return kept
            self._made[fi] = made
            if len(self._made) > KEEP_FRAMES:
                self._made.popitem(last=False)
        for m in made:
            if m.flags & NLM_F_ACK_TLVS and m.tx and m.tx[0] is not None and m.kind == ACK \
                    and self.t_final[m.tx[0].id - 1] == m.pos:
                # the extack names the request's attribute, as the table did when reading
                # (once the error is among the kept messages: it is read from there)
                TransactionTable._attribute_error(m.tx[0])
        return made

    def _make(self, fi: int) -> list[Message]:
        """The messages of frame fi, decoded again from its headers, with process and tx."""
        cut, comment = self._f_rare.get(fi, (False, None))
        made = dissectors.decode_frame(self.frame_bytes(fi), self.f_protocol[fi], self.ctx, frame=self.f_number[fi],
                                       time=self.f_time[fi], pos=self.f_first[fi], cut=cut)
        proc = Process.from_comment(comment) if comment else None
        roles, txs = self.m_role, self.m_tx
        for m in made:
            m.process = proc
            code = roles[m.pos]
            if code:
                tid = txs[m.pos]
                m.tx = (TransactionView(self, tid) if tid else None, _ROLES[code])
        return made

    def scan(self):
        """Every message in order, for one look each (a filter): frames not kept are
        decoded without being kept."""
        for fi in range(len(self.f_len)):
            made = self._made.get(fi)
            if made is None:
                made = self._make(fi)
                if any(m.flags & NLM_F_ACK_TLVS for m in made):
                    made = self._frame_messages(fi)  # the extack resolution needs the kept path
            yield from made

    def time_of(self, i: int) -> float:
        return self.f_time[self.m_frame[i]]


def _give_back_heap() -> None:
    """Return the heap that reading left free to the system (glibc keeps it otherwise: the
    frames and messages made while reading a large file are gone, their pages are not)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class TransactionView(TransactionFacts):
    """A transaction of a MessageIndex, read from its columns (messages made when asked)."""

    __slots__ = ("index", "id")

    def __init__(self, index: MessageIndex, tid: int):
        self.index = index
        self.id = tid

    def _msg(self, col) -> Message | None:
        i = col[self.id - 1]
        return self.index[i] if i >= 0 else None

    @property
    def request(self) -> Message | None:
        return self._msg(self.index.t_request)

    @property
    def final(self) -> Message | None:
        return self._msg(self.index.t_final)

    @property
    def responses(self) -> list[Message]:
        ix, k = self.index, self.id - 1
        first, last = ix.t_first[k], ix.t_last[k]
        if first < 0:
            return []
        tx = ix.m_tx
        return [ix[i] for i in range(first, last + 1) if tx[i] == self.id]

    @property
    def status(self) -> str:
        return _STATUSES[self.index.t_status[self.id - 1]]

    @property
    def dump(self) -> bool:
        return bool(self.index.t_flags[self.id - 1] & _DUMP)

    @property
    def interrupted(self) -> bool:
        return bool(self.index.t_flags[self.id - 1] & _INTERRUPTED)

    @property
    def part_count(self) -> int:
        return self.index.t_parts[self.id - 1]

    @property
    def part_bytes(self) -> int:
        return self.index.t_bytes[self.id - 1]

    @property
    def latency(self) -> float | None:
        ix, k = self.index, self.id - 1
        req = ix.t_request[k]
        last = ix.t_final[k] if ix.t_final[k] >= 0 else ix.t_last[k]
        if req < 0 or last < 0:
            return None
        return ix.time_of(last) - ix.time_of(req)

    def __eq__(self, other):
        return isinstance(other, TransactionView) and other.index is self.index and other.id == self.id

    def __hash__(self):
        return hash(self.id)


class _Transactions:
    """Every transaction of an index, in order (what Stats.add_transactions iterates)."""

    def __init__(self, index: MessageIndex):
        self.index = index

    def __len__(self) -> int:
        return len(self.index.t_request)

    def __iter__(self):
        for tid in range(1, len(self) + 1):
            yield TransactionView(self.index, tid)
