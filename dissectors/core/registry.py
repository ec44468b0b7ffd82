"""Dissector tables: protocols by netlink protocol number, generic-netlink families by name.

Families register themselves here when their module is imported; the core only ever
looks them up by key (as Wireshark's dissector tables do), and `load_families()`
imports every module under `dissectors.families` without naming any of them.
"""
from __future__ import annotations

import bisect
import importlib
import pkgutil

from ..generated import genetlink as GENL
from .info import as_info

GET, NEW, DEL, OTHER = "get", "new", "del", "other"


# every FixedStruct a message begins with (always decoded: see core/wanted.py); a family
# that decodes one by hand (genlmsghdr) adds it too
HEADER_STRUCTS: set = set()


class MessageType:
    """What one message type is: its name, its kind (for flag meanings), its body layout."""

    __slots__ = ("value", "name", "kind", "header", "short_header", "attrs", "info", "by_family")

    def __init__(self, value: int, name: str, kind: str = OTHER, header=None, attrs=None,
                 short_header=None, info=None, by_family=None):
        self.value = value
        self.name = name
        self.kind = kind
        self.header = header            # FixedStruct at the start of the body, or None
        self.short_header = short_header  # FixedStruct used when the body is shorter than header
        self.attrs = attrs              # AttrSet of the attributes after the header
        self.info = as_info(info)       # Info (core/info.py): root node -> info column text
        for st in (header, short_header):
            if st is not None:
                HEADER_STRUCTS.add(st)
        # first byte of the fixed header (an address family) -> AttrSet, where the family
        # changes the attributes' meaning (rtnetlink links of AF_BRIDGE)
        self.by_family = by_family


def kind_from_name(name: str) -> str:
    """GET/NEW/DEL from a command name, as the kernel's own naming makes them."""
    up = name.upper()
    for word, kind in (("_GET", GET), ("GET", GET), ("_NEW", NEW), ("_ADD", NEW), ("_SET", NEW),
                       ("_DEL", DEL)):
        if word in up:
            return kind
    return OTHER


class Protocol:
    """A netlink protocol dissector (the entry in the protocol-number table)."""

    number: int = -1
    name: str = "NETLINK_?"     # the kernel's constant name
    label: str = "netlink"      # what the Protocol column shows
    abbrev: str = "netlink"     # field-name prefix
    # False for a protocol whose nlmsg_type is all its own (NETLINK_FIB_LOOKUP sends type 0):
    # types below 0x10 are then not netlink's NOOP/ERROR/DONE/OVERRUN
    control_types: bool = True
    # True when the kernel answers in the request's own header (NLM_F_REQUEST kept):
    # `answer()` then tells an answer from a request by its body
    echoes: bool = False

    # True when the body tells a message's direction where NLM_F_REQUEST does not (a
    # connector listener sends its requests without it): `direction()` then says which way
    tells_direction: bool = False

    def direction(self, buf, off: int, length: int, order: str) -> bool | None:
        """For a protocol that `tells_direction`: True for a message to the kernel, False for
        one from it, None when the body does not say (NLM_F_REQUEST decides)."""
        return None

    def answers_after_ack(self, mtype: int) -> bool:
        """True for a request type the kernel answers after its ACK, in messages of port id 0
        that carry the request's seq (audit: audit_receive_msg hands the reply to a kernel
        thread, and the ACK goes out first): its transaction stays open past a successful
        ACK until that answer comes."""
        return False

    def answer(self, buf, off: int, length: int, order: str, ctx=None) -> bool:
        """For an echoing protocol: True when the message is the kernel's answer (`ctx`: what
        the capture taught so far, a generic-netlink family's id)."""
        return False

    def message_type(self, buf, off: int, length: int, mtype: int, order: str, ctx) -> MessageType | None:
        """Cheap: name and kind of a message (reads at most a few body bytes)."""
        return None

    # True when every field named under this protocol's abbrev (`rtnl.…`) is made by this
    # protocol's messages alone (no other protocol's dissector declares or makes one): a
    # display filter or -T fields column reading such a field finds none in another
    # protocol's message without decoding it (field_owner)
    fields_only_here: bool = False

    # True when family_label reads the message's body (sock_diag: the address family byte);
    # else the label follows from the type (and the context), and may be asked once a type
    label_from_body: bool = False

    def family_label(self, buf, off: int, length: int, mtype: int, order: str, ctx) -> str:
        """What the Protocol column shows for this message (a generic-netlink family's name,
        a netfilter subsystem's); the protocol's label by default."""
        return self.label

    def type_text(self, mtype: int, mt: MessageType, ctx) -> str:
        """How the header's type field shows: `RTM_NEWLINK (16)` (a bare number when unknown)."""
        return f"{mt.name} ({mtype})" if mt is not None else f"{mtype:#06x}"

    def dissect(self, buf, off: int, length: int, mt: MessageType | None, order: str, ctx, root, req=None):
        """Add the body's nodes to `root`, as much as `req` asks (a core.attrs.Request: pass it
        on to dissect_body, decode_attrs and FixedStruct.node); return the top-level AttrSet
        used (or None)."""
        raise NotImplementedError

    def claims(self, buf, off: int, length: int, mtype: int, order: str, ctx) -> bool:
        """True when this dissector declares the message's body (so anything it leaves
        unknown in it is a gap of ours, not of a family not written yet)."""
        mt = self.message_type(buf, off, length, mtype, order, ctx)
        return mt is not None and (mt.header is not None or mt.attrs is not None)

    def observe(self, buf, off: int, length: int, mtype: int, flags: int, order: str, ctx, pos: int):
        """Called for every message while indexing (cheap); for learning ids and the like."""

    # True for a protocol whose records carry no nlmsghdr (NETLINK_KOBJECT_UEVENT's
    # `ACTION@DEVPATH\0KEY=VALUE…`): `dissect` then gets the whole record and adds no header
    headerless: bool = False

    def records(self, data, order: str) -> list | None:
        """The frame's messages as (offset, length, type, flags, seq, pid), for a protocol
        whose frames are not a plain chain of nlmsg_len-framed messages (a headerless one:
        the whole frame; audit's unicast records, whose nlmsg_len is 16 short); None: split
        the frame by nlmsg_len as every other protocol's."""
        return None


class GenlFamily:
    """A generic-netlink family: its commands and attribute sets, keyed by family name."""

    def __init__(self, name: str, abbrev: str, commands: dict[int, MessageType], attrs=None,
                 label: str | None = None, header=None, replies: dict[int, MessageType] | None = None,
                 events: dict[int, MessageType] | None = None):
        self.name = name
        self.abbrev = abbrev
        self.label = label or name
        self.commands = commands
        self.attrs = attrs          # default AttrSet for commands that declare none
        self.header = header        # family-specific fixed header after genlmsghdr (rare)
        if header is not None:
            HEADER_STRUCTS.add(header)
        # families whose command numbers mean other things in the kernel's messages than in
        # requests (ethtool's GET = 1 but GET_REPLY = 1 too): commands of messages without
        # NLM_F_REQUEST; None when both directions share `commands`
        self.replies = replies
        # families whose multicast notifications number their events apart (mptcp_pm):
        # commands of kernel messages sent to no port (port id 0: multicast, not a reply)
        self.events = events
        self.mcast_groups: list[str] = []

    # True for a family whose kernel answers in a copy of the request's own header, NLM_F_REQUEST
    # kept (the legacy TIPC family): `answer()` then tells its answers by their body
    echoes: bool = False

    def answer(self, buf, off: int, length: int, order: str) -> bool:
        """For a family that `echoes`: True when the message is the kernel's answer."""
        return False

    def body_command(self, buf, off: int, length: int, order: str) -> MessageType | None:
        """For a family whose command is in its own header, not genlmsghdr.cmd (legacy TIPC: one
        generic-netlink command, the real one in struct tipc_genlmsghdr): the message's
        MessageType; None: `command` decides."""
        return None

    def dissect_payload(self, buf, start: int, end: int, mt: MessageType | None, order: str, root, req) -> bool:
        """For a family that reads what follows genlmsghdr its own way (legacy TIPC's big-endian
        TLVs): add its nodes to `root` and return True; False: the generic path (a fixed header,
        then attributes)."""
        return False

    def command(self, cmd: int, request: bool, portid: int = -1) -> MessageType | None:
        """The MessageType of command `cmd`: a request's, a reply's (when the family names
        replies apart) or, for a message of port id 0 from the kernel, an event's."""
        if self.events is not None and not request and portid == 0:
            return self.events.get(cmd) or self.commands.get(cmd)
        if not request and self.replies is not None:
            return self.replies.get(cmd) or self.commands.get(cmd)
        return self.commands.get(cmd) or (self.replies.get(cmd) if self.replies is not None else None)


PROTOCOLS: dict[int, Protocol] = {}
GENL_FAMILIES: dict[str, GenlFamily] = {}


def field_owner(abbrev: str) -> int | None:
    """The protocol number whose messages alone may hold field `abbrev` (its first part is
    the abbrev of a protocol that declares `fields_only_here`), or None: any message may."""
    head = abbrev.split(".", 1)[0]
    for number, proto in PROTOCOLS.items():
        if proto.abbrev == head and proto.fields_only_here:
            return number
    return None


def register_protocol(proto: Protocol, replace: bool = False) -> Protocol:
    """Enter a protocol in the table; `replace` lets a later one (a user's spec) win."""
    if proto.number in PROTOCOLS and not replace:
        raise ValueError(f"protocol {proto.number} registered twice")
    PROTOCOLS[proto.number] = proto
    (RAW_TYPES.add if not proto.control_types else RAW_TYPES.discard)(proto.number)
    (ECHOING.add if proto.echoes else ECHOING.discard)(proto.number)
    (DIRECTING.add if proto.tells_direction else DIRECTING.discard)(proto.number)
    return proto


# protocol numbers with no control types, and those whose answers keep the request's header
RAW_TYPES: set[int] = set()
ECHOING: set[int] = set()
DIRECTING: set[int] = set()   # protocols whose bodies tell the direction (Protocol.tells_direction)


def register_genl_family(fam: GenlFamily, replace: bool = False) -> GenlFamily:
    """Enter a generic-netlink family in the table by its name (GENL_FAMILIES); a second
    family of the same name is refused unless `replace` (a spec that supersedes it)."""
    if fam.name in GENL_FAMILIES and not replace:
        raise ValueError(f"genl family {fam.name} registered twice")
    GENL_FAMILIES[fam.name] = fam
    return fam


_loaded = False
# what families load on first use, because it is slow to load and seldom needed (scapy's IP
# layers): callables that load it now
DEFERRED_LOADS: list = []


def load_families(deferred: bool = False) -> None:
    """Import every family module under dissectors.families (each registers itself).

    `deferred`: also load now what families would load on first use — for a process about
    to fork workers, which would otherwise each pay for it."""
    global _loaded
    if not _loaded:
        _loaded = True
        from .. import families
        for info in pkgutil.walk_packages(families.__path__, families.__name__ + "."):
            importlib.import_module(info.name)
    if deferred:
        for load in DEFERRED_LOADS:
            load()


# genl_register_family() gives these ids to these names alone (net/netlink/genetlink.c), so their
# messages are known without an announcement; every other family's id is allocated from
# GENL_START_ALLOC on
RESERVED_GENL_IDS = {GENL.GENL_ID_VFS_DQUOT: "VFS_DQUOT", GENL.GENL_ID_PMCRAID: "pmcraid"}

# How many learnings of one generic-netlink id are kept: the first (for messages before
# it) and the latest ones.  The kernel allocates ids in [GENL_MIN_ID, GENL_MAX_ID] (1008
# of them), so a capture that re-announces ids millions of times keeps at most
# 1008 * GENL_HISTORY entries.
GENL_HISTORY = 16


class Context:
    """What decoding learns across a capture: generic-netlink family ids, by position.

    Family ids are allocated at run time, so they are learned from CTRL_CMD_NEWFAMILY
    messages (replies to GETFAMILY, and notifications) seen in the capture, or given by
    the user.  An id can be freed and reused, so each learning is kept with the position
    of the message it came from and lookups take the latest one at or before a position
    (or the first one after it, for messages captured before the family was announced).
    Only the first and the latest GENL_HISTORY - 1 learnings of an id are kept: a lookup
    between them (a capture that re-announced the id more often than that) finds no name,
    and the message shows as of an unknown family rather than as of a guessed one.

    `show_secrets`: show key material (private and preshared keys, …) as its bytes; by
    default every secret shows as its length and a digest (see core/secrets.py).
    """

    def __init__(self, genl: dict[int, str] | None = None, resolver=None, show_secrets: bool = False):
        self.user_genl: dict[int, str] = dict(genl or {})
        self.genl_ids: dict[int, list[tuple[int, str]]] = {}
        # per id: (first, last) position of the learnings dropped (lookups there are unsure)
        self.genl_forgotten: dict[int, tuple[int, int]] = {}
        # live captures: callable(id) -> name asked of the running kernel for unseen ids
        self.resolver = resolver
        self.show_secrets = show_secrets

    def learn_genl(self, family_id: int, name: str, pos: int) -> None:
        """Remember that generic-netlink id `family_id` meant family `name` from message
        position `pos` on (nlctrl's answers teach it; ids are reused after a module reload)."""
        seen = self.genl_ids.setdefault(family_id, [])
        if seen and seen[-1][1] == name:
            return
        lost = self.genl_forgotten.get(family_id)
        if lost is not None and lost[0] <= pos <= lost[1]:
            return  # a message of a stretch already forgotten, decoded again
        i = bisect.bisect_left(seen, (pos, name))
        if i < len(seen) and seen[i] == (pos, name):
            return  # the same message decoded again (an index makes messages anew when asked)
        seen.append((pos, name))
        if len(seen) > 1 and seen[-2][0] > pos:
            seen.sort()
        if len(seen) > GENL_HISTORY:
            # keep the first and the latest: memory stays flat however often ids flip
            dropped = seen.pop(1)[0]
            self.genl_forgotten[family_id] = (min(lost[0], dropped), max(lost[1], dropped)) if lost \
                else (dropped, dropped)

    def genl_name(self, family_id: int, pos: int | None = None) -> str | None:
        """The family name id `family_id` had at message position `pos` (the latest learned
        when None): the user's --genl first, then what the capture taught, then the live
        kernel's answer (`resolver`), then the ids the kernel reserves for one name (nlctrl,
        VFS_DQUOT, pmcraid); None when nothing says."""
        if family_id in self.user_genl:
            return self.user_genl[family_id]
        if family_id == GENL.GENL_ID_CTRL:
            return "nlctrl"
        seen = self.genl_ids.get(family_id)
        if not seen:
            if family_id in RESERVED_GENL_IDS:
                return RESERVED_GENL_IDS[family_id]
            if self.resolver is not None:
                name = self.resolver(family_id)
                if name:
                    self.learn_genl(family_id, name, -1)
                    return name
            return None
        if pos is None or len(seen) == 1:
            return seen[-1][1]
        # the latest learning at or before pos (by bisection: a capture where an id is
        # announced again and again must not make each lookup longer), else the first
        i = bisect.bisect_right(seen, (pos, "\U0010ffff"))
        if i == 1 and family_id in self.genl_forgotten and pos >= self.genl_forgotten[family_id][0]:
            return None  # after a learning that was dropped: which name held is not known
        return seen[i - 1][1] if i else seen[0][1]
