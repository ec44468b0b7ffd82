"""A capture held as columns: what the TUI keeps of a file of any size.

Per message the index keeps its frame and its transaction (9 bytes) and its header — type,
flags, seq, port id, length and message type (18 bytes) —, per frame where its bytes are,
its time, number and protocol (~25 bytes), per transaction its request, first, latest and
final answers, status and dump size (30 bytes); the frames' bytes are kept in large blocks
(the file's own content).  A `Message` is made when it is asked for — by decoding its
frame's headers again, the way the file was read — and the last few thousand frames'
messages are kept, so the rows on screen stay the same objects.  A filter reads header
fields from the columns instead (`matching`: a plan over whole columns, else a `HeaderRow`
a message): only what the header does not answer makes the message again.  Transactions are
paired once, while the file is read, by the streaming `TransactionTable`; a message's
`tx` is a `TransactionView` over the columns with the API of a `Transaction`.
"""
from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict

import dissectors
from dissectors import PROTOCOLS, Context, Message, Protocol
from dissectors.core.dissect import FROM_KERNEL, TO_KERNEL

from ..messages import Pipeline, process_of, recorded_direction
from ..sources.capture import nlmon_header
from ..sources.procs import Process
from .transactions import (ACK, GIVEN_UP, NOTIFICATION, ORPHAN, REQUEST, RESPONSE, NLM_F_ACK_TLVS,
                           NLM_F_DUMP_INTR, TransactionFacts, TransactionTable)

_ROLES = (None, REQUEST, RESPONSE, NOTIFICATION, ORPHAN)
_ROLE_CODE = {r: i for i, r in enumerate(_ROLES)}
_STATUSES = ["open", "complete", "error", "no response", "unfinished", "no response expected", GIVEN_UP, ORPHAN]
_STATUS_CODE = {s: i for i, s in enumerate(_STATUSES)}
_DUMP, _INTERRUPTED = 1, 2
_ERROR_TYPES = (2, 3)   # NLMSG_ERROR, NLMSG_DONE: Message.error_code reads their errno
BLOCK = 4 << 20     # bytes of frames per block
KEEP_FRAMES = 2048  # frames whose messages stay made
# m_mt: 0 the message is malformed, 1 its type was not interned (asked of the message), else
# MessageIndex.mtypes[code - 2]; at most MAX_MTYPES message types are interned
_MALFORMED, _ASK = 0, 1
MAX_MTYPES = 4096


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
        self._frames_done = 0       # frames whose messages readers may see (add_frame's last step)
        self._f_rare: dict[int, tuple[bool, str | None]] = {}  # frame -> (cut by snap length, comment)
        self._f_direction: dict[int, int] = {}  # frame -> the direction its capture recorded (Frame.direction)
        # the frame record's link layer, for frame.len/cap_len/interface_id and the frame's
        # bytes (`frame`, `netlink`): the pkttype of nlmon's own cooked header (one byte a
        # frame), and for a frame whose header, length on the wire or interface differ from
        # what that header and the bytes say, (header, wire length, interface)
        self.f_pkttype = array("B")
        self._f_link: dict[int, tuple[bytes, int, int | None]] = {}
        self.m_frame = array("I")
        self.m_tx = array("i")      # transaction id, 0: none
        self.m_role = array("b")
        self.m_type = array("H")    # the netlink header, as the message has it
        self.m_flags = array("H")
        self.m_seq = array("I")
        self.m_pid = array("I")
        self.m_len = array("I")
        self.m_mt = array("H")      # its MessageType (see _MALFORMED, _ASK)
        self.mtypes: list = []
        self._mt_code: dict = {}
        # the NLMSG_ERROR / NLMSG_DONE messages whose errno is not 0, by position, with it
        # (read from the bytes while indexing: 8 bytes an error, nothing an ACK)
        self.e_pos = array("I")
        self.e_code = array("i")
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
        if fr.direction is not None:
            self._f_direction[fi] = fr.direction
        plain = fr.pkttype if 0 <= fr.pkttype < 256 else 0
        self.f_pkttype.append(plain)
        if fr.header != nlmon_header(plain, fr.protocol) or fr.wirelen != fr.caplen or fr.interface != 0:
            self._f_link[fi] = (fr.header, fr.wirelen, fr.interface)
        m_frame, m_type, m_flags, m_seq, m_pid, m_len, m_mt, m_tx, m_role = (
            self.m_frame, self.m_type, self.m_flags, self.m_seq, self.m_pid, self.m_len, self.m_mt, self.m_tx,
            self.m_role)
        codes = self._mt_code
        frame_tx = array("i")
        t_request, t_first, t_last, t_parts, t_bytes = self.t_request, self.t_first, self.t_last, self.t_parts, \
            self.t_bytes
        for m in msgs:
            m_frame.append(fi)
            m_type.append(m.type)
            m_flags.append(m.flags)
            m_seq.append(m.seq)
            m_pid.append(m.pid)
            m_len.append(max(m.length, 0))
            code = _MALFORMED if m.malformed else codes.get(m.message_type)
            m_mt.append(code if code is not None else self._type_code(m))
            if m.type in _ERROR_TYPES and code != _MALFORMED:
                err = m.error_code
                if err:
                    self.e_pos.append(m.pos)
                    self.e_code.append(err)
            tx = m.tx
            if not tx:
                m_role.append(0)
                frame_tx.append(0)
                continue
            t, role = tx
            m_role.append(_ROLE_CODE[role])
            if t is None:
                frame_tx.append(0)
                continue
            tid = t.id
            if tid > len(t_request):
                self._tx_slot(tid)
            k = tid - 1
            if role == REQUEST:
                t_request[k] = m.pos
                self._tx_facts(t)   # a dump or not; its status is told when it is done (_tx_done)
            else:
                if t_first[k] < 0:
                    t_first[k] = m.pos
                t_last[k] = m.pos
                t_parts[k], t_bytes[k] = t.part_count, t.part_bytes
                if m.flags & NLM_F_DUMP_INTR:
                    self._tx_facts(t)
            frame_tx.append(tid)
            m.forget()
            m.tx = None
        # m_tx is the length readers on other threads see (__len__, scan): it grows last and
        # by the whole frame at once (one copy), when every other column of its messages and
        # their transactions' slots are there, since a reader decodes a frame whole (_make)
        m_tx.extend(frame_tx)
        self._frames_done = fi + 1
        return len(msgs)

    def _type_code(self, m: Message) -> int:
        """The m_mt code of a message type not interned yet (interned now, up to MAX_MTYPES)."""
        mt = m.message_type
        code = self._mt_code.get(mt)
        if code is None:
            if len(self.mtypes) >= MAX_MTYPES:
                return _ASK
            code = self._mt_code[mt] = len(self.mtypes) + 2
            self.mtypes.append(mt)
        return code

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
        current = self._current   # taken first: add_frame keeps a full block before replacing it
        src = self._blocks[block] if block < len(self._blocks) else current
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
        proc = process_of(comment) if comment else None
        direction = recorded_direction(self._f_direction.get(fi))
        header, wirelen, iface = self._f_link.get(fi) or (nlmon_header(self.f_pkttype[fi], self.f_protocol[fi]),
                                                          None, 0)
        caplen = len(header) + self.f_len[fi]
        roles, txs = self.m_role, self.m_tx
        for m in made:
            m.process = proc
            m.recorded_direction = direction
            # as Pipeline.feed gave them when the file was read
            m.frame_len, m.frame_cap_len, m.comment, m.interface_id = wirelen or caplen, caplen, comment, iface
            m.frame_header = header
            code = roles[m.pos]
            if code:
                tid = txs[m.pos]
                m.tx = (TransactionView(self, tid) if tid else None, _ROLES[code])
        return made

    def scan(self):
        """Every message in order, for one look each (a filter): frames not kept are
        decoded without being kept."""
        for fi in range(self._frames_done):
            yield from self._scanned(fi)

    def time_of(self, i: int) -> float:
        return self.f_time[self.m_frame[i]]

    def error_code_at(self, i: int) -> int:
        """Message i's Message.error_code (0: an ACK, or no NLMSG_ERROR / NLMSG_DONE)."""
        k = bisect_left(self.e_pos, i)
        return self.e_code[k] if k < len(self.e_pos) and self.e_pos[k] == i else 0

    def _scanned(self, fi: int) -> list[Message]:
        """Frame fi's messages for one look (a filter's): the kept ones if kept, else made
        without being kept (but kept where an extack must be resolved: see _frame_messages)."""
        made = self._made.get(fi)
        if made is None:
            made = self._make(fi)
            if any(m.flags & NLM_F_ACK_TLVS for m in made):
                made = self._frame_messages(fi)
        return made

    def rows(self, start: int = 0, stop: int | None = None):
        """HeaderRows of messages start..stop-1, in order, for one look each (a filter):
        header fields come from the columns, anything else from the message made again."""
        stop = len(self) if stop is None else min(stop, len(self))
        frames = _FrameCache(self)
        for i in range(start, stop):
            yield HeaderRow(self, i, frames)

    def stat_facts(self, numbers=None):
        """What the statistics count of each message of `numbers` (positions in capture order;
        None: every message), from the columns without making messages: tuples (row, length,
        time, key, protocol, pid, comm, errno, role, tid).  `key` is the (family, type name)
        pair, None for a malformed message; `comm` the process's name or None; `errno`
        Message.error_code; `role` the transaction role or None and `tid` its id (0: none);
        `row` a HeaderRow, for what the columns do not hold (an error's details, a filter
        made from the message).  A type's key is made from its first message, where its
        protocol names the family from the type (Protocol.label_from_body: from each message)."""
        frames = _FrameCache(self)
        keys: dict = {}
        comms: dict = {}
        m_frame, m_len, m_mt, m_type, m_pid, m_role, m_tx = (self.m_frame, self.m_len, self.m_mt, self.m_type,
                                                             self.m_pid, self.m_role, self.m_tx)
        f_time, f_protocol, rare = self.f_time, self.f_protocol, self._f_rare
        e_pos, e_code = self.e_pos, self.e_code
        e, e_end = 0, len(e_pos)
        by_body = {n for n, p in PROTOCOLS.items() if p.label_from_body}
        for i in (range(len(self)) if numbers is None else numbers):
            fi = m_frame[i]
            row = HeaderRow(self, i, frames)
            proto, code = f_protocol[fi], m_mt[i]
            if code == _MALFORMED:
                key = None
            else:
                k = (proto, m_type[i], code)
                key = keys.get(k)
                if key is None:
                    key = (row.family, row.type_name)
                    if code != _ASK and proto not in by_body:
                        keys[k] = key
            comm = None
            if fi in rare:
                comment = rare[fi][1]
                if comment:
                    comm = comms.get(comment, False)
                    if comm is False:
                        p = process_of(comment)
                        comm = comms[comment] = p.comm if p is not None else None
            errno = 0
            while e < e_end and e_pos[e] < i:
                e += 1
            if e < e_end and e_pos[e] == i:
                errno = e_code[e]
            role = m_role[i]
            yield (row, m_len[i], f_time[fi], key, proto, m_pid[i], comm, errno, _ROLES[role] if role else None,
                   m_tx[i])

    def rows_of(self, numbers):
        """HeaderRows of the messages `numbers` (in capture order), for one look each."""
        frames = _FrameCache(self)
        for i in numbers:
            yield HeaderRow(self, i, frames)

    def matching(self, flt, start: int = 0, stop: int | None = None, progress=None, every: int = 50_000) -> array:
        """The numbers of the messages in start..stop-1 that `flt` (a DisplayFilter) keeps;
        progress(done, stop) every `every` messages.  What the filter's plan answers is read
        from the columns (see filter.COLUMN_FIELDS); the rest is asked of each message."""
        stop = len(self) if stop is None else min(stop, len(self))
        out = array("I")
        plan = flt.plan if start < stop else None
        candidates = range(start, stop)
        if plan is not None:
            mask = _Plan(self, start, stop).mask(plan)
            if plan[0] != "some":
                return _ones(mask, start, out)
            candidates = _ones(mask, start, array("I"))   # only these can match: the rest is asked
        keep = out.append
        frames = _FrameCache(self)
        for n, i in enumerate(candidates):
            row = HeaderRow(self, i, frames)
            if flt(row):
                keep(i)
            if row._real is not None:
                row._real.forget()   # what the filter decoded goes; a row shown decodes it again
            if progress is not None and n % every == every - 1:
                progress(i + 1, stop)
        return out


def _ones(mask: bytes, start: int, out: array) -> array:
    """out with start + k appended for each k where mask[k] is 1."""
    find, k = mask.find, mask.find(1)
    while k >= 0:
        out.append(start + k)
        k = find(1, k + 1)
    return out


_NOT = bytes([1, 0]) + bytes(254)
_CMP = {"==": lambda a, b: a == b, "===": lambda a, b: a == b, "!=": lambda a, b: a != b,
        "!==": lambda a, b: a != b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


class _Plan:
    """A filter's plan (filter.COLUMN_FIELDS) over messages start..stop-1 of an index: each
    node a mask, one byte a message (1: it matches)."""

    def __init__(self, ix: MessageIndex, start: int, stop: int):
        self.ix, self.start, self.stop = ix, start, stop
        self.n = stop - start

    def mask(self, plan) -> bytes:
        what = plan[0]
        if what == "col":
            return self._column(*plan[1:])
        if what == "key":
            return self._keyed(plan[1])
        if what == "not":
            return self.mask(plan[1]).translate(_NOT)
        masks = [self.mask(p) for p in plan[1]]
        acc = int.from_bytes(masks[0], "big")
        for m in masks[1:]:
            # "some": the planned terms of an `and` ("and" of them: who may match)
            acc = acc | int.from_bytes(m, "big") if what == "or" else acc & int.from_bytes(m, "big")
        return acc.to_bytes(self.n, "big")

    def _values(self, name: str):
        ix, a, b = self.ix, self.start, self.stop
        if name in ("frame.number", "netlink.protocol"):
            col = ix.f_number if name == "frame.number" else ix.f_protocol
            return map(col.__getitem__, ix.m_frame[a:b])
        return {"netlink.seq": ix.m_seq, "netlink.pid": ix.m_pid, "netlink.len": ix.m_len,
                "netlink.type": ix.m_type}[name][a:b]

    def _column(self, name: str, op: str, number) -> bytes:
        cmp = _CMP[op]
        return bytes(1 if cmp(v, number) else 0 for v in self._values(name))

    def _keyed(self, test) -> bytes:
        """A test of KEYED_FIELDS, tried once per (protocol, type, flags, message type)."""
        ix, a, b = self.ix, self.start, self.stop
        keys = zip(map(ix.f_protocol.__getitem__, ix.m_frame[a:b]), ix.m_type[a:b], ix.m_flags[a:b], ix.m_mt[a:b])
        answers: dict = {}
        frames = _FrameCache(ix)
        out = bytearray(self.n)
        for k, key in enumerate(keys):
            hit = answers.get(key)
            if hit is None:
                try:
                    hit = 1 if test(HeaderRow(ix, a + k, frames), {}) else 0
                except Exception:   # as DisplayFilter: an unreadable message is no match
                    hit = 0
                if key[3] != _ASK:   # a message type not interned: each message is asked
                    answers[key] = hit
            out[k] = hit
        return bytes(out)


class _FrameCache:
    """The messages of the frame a scan is in (made once for all of its messages)."""

    __slots__ = ("index", "fi", "made")

    def __init__(self, index: MessageIndex):
        self.index, self.fi, self.made = index, -1, None

    def messages(self, fi: int) -> list[Message]:
        if fi != self.fi:
            self.fi, self.made = fi, self.index._scanned(fi)
        return self.made


class HeaderRow:
    """Message i of an index as a display filter reads it: the header fields (frame, time,
    protocol, type, flags, seq, pid, length, its MessageType and what follows from it: the
    type's name, kind, flag names, the direction, the transaction and role, the process)
    from the columns, with Message's own definitions; any other attribute (the tree, a
    decode, the family's label) from the message, made again from its frame when first
    asked.  So a filter on header fields costs no decoding at all."""

    __slots__ = ("ix", "i", "fi", "_frames", "_real")

    def __init__(self, ix: MessageIndex, i: int, frames: _FrameCache):
        self.ix, self.i, self._frames, self._real = ix, i, frames, None
        self.fi = ix.m_frame[i]

    # Message's definitions, over the attributes below (one source of truth); `error` asks
    # the message only for an NLMSG_ERROR or NLMSG_DONE (its decode, its status)
    type_name = Message.type_name
    kind = Message.kind
    flag_names = Message.flag_names
    error = Message.error

    @property
    def error_code(self) -> int:
        """Message.error_code, from the errors the index noted while reading."""
        return self.ix.error_code_at(self.i)

    @property
    def family(self) -> str:
        """Message.family, without the message where its protocol's label is the same for
        every message (a Protocol that keeps the base family_label: it reads no bytes)."""
        proto = PROTOCOLS.get(self.protocol)
        if proto is not None and not self.malformed and type(proto).family_label is Protocol.family_label:
            return proto.label
        return self.real.family

    @property
    def real(self) -> Message:
        """The message itself (made once per frame for the scan)."""
        if self._real is None:
            ix = self.ix
            self._real = self._frames.messages(self.fi)[self.i - ix.f_first[self.fi]]
        return self._real

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.real, name)

    @property
    def frame(self) -> int:
        return self.ix.f_number[self.fi]

    @property
    def time(self) -> float:
        return self.ix.f_time[self.fi]

    @property
    def protocol(self) -> int:
        return self.ix.f_protocol[self.fi]

    @property
    def pos(self) -> int:
        return self.i

    @property
    def index(self) -> int:
        return self.i - self.ix.f_first[self.fi] + 1

    @property
    def type(self) -> int:
        return self.ix.m_type[self.i]

    @property
    def flags(self) -> int:
        return self.ix.m_flags[self.i]

    @property
    def seq(self) -> int:
        return self.ix.m_seq[self.i]

    @property
    def pid(self) -> int:
        return self.ix.m_pid[self.i]

    @property
    def length(self) -> int:
        return self.ix.m_len[self.i]

    @property
    def malformed(self) -> bool:
        return self.ix.m_mt[self.i] == _MALFORMED

    @property
    def message_type(self):
        code = self.ix.m_mt[self.i]
        if code == _MALFORMED:
            return None
        if code == _ASK:
            return self.real.message_type
        return self.ix.mtypes[code - 2]

    @property
    def direction(self) -> str:
        # the pairing table made a request of every message going to the kernel (and of no other)
        code = self.ix.m_role[self.i]
        if code:
            return TO_KERNEL if _ROLES[code] == REQUEST else FROM_KERNEL
        return self.real.direction

    @property
    def tx(self):
        ix, i = self.ix, self.i
        code = ix.m_role[i]
        if not code:
            return None
        tid = ix.m_tx[i]
        return (TransactionView(ix, tid) if tid else None, _ROLES[code])

    @property
    def process(self):
        rare = self.ix._f_rare.get(self.fi)
        return process_of(rare[1]) if rare is not None and rare[1] else None

    def forget(self) -> None:
        if self._real is not None:
            self._real.forget()


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
