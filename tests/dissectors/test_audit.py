"""NETLINK_AUDIT: auditctl's requests and the kernel's replies, and audit text records.

captures/host-6.18/audit.pcapng is auditctl on a 6.18 kernel (captures/host-6.18/audit.sh);
audit.out is what it printed (-s status lines, -l rule lines)."""
import struct

import pytest

from dissectors import Context, decode_frame
from tests.conftest import CAPTURES, decode_file
from tests.dissectors.test_fuzz import exercise
from tests.expect import check_claimed_whole

PATH = CAPTURES / "host-6.18" / "audit.pcapng"
OUT = (CAPTURES / "host-6.18" / "audit.out").read_text().splitlines()
RECORD = (b"audit(1700000000.123:42): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c items=1 ppid=1 "
          b"pid=4242 auid=4294967295 uid=0 comm=\"cat\" exe=\"/usr/bin/cat\" key=\"nlscope\"")


def hdr(length, mtype, flags=0, seq=0, pid=0):
    return struct.pack("<IHHII", length, mtype, flags, seq, pid)


@pytest.fixture(scope="module")
def msgs():
    return [m for m in decode_file(PATH) if m.protocol == 9]


def test_rules_show_as_auditctl_lists_them(msgs):
    """Each AUDIT_LIST_RULES reply's Info is the line `auditctl -l` printed for it."""
    printed = [line for line in OUT if line.startswith(("-a ", "-w "))]
    assert len(printed) == 3
    listed = [m.info for m in msgs if m.type_name == "AUDIT_LIST_RULES" and m.direction == "from kernel"]
    assert listed == printed * 2   # two `auditctl -l` (and -D's own listing) while the rules were there
    deleted = [m.info for m in msgs if m.type_name == "AUDIT_DEL_RULE"]
    assert deleted == [p.replace("-a ", "-d ", 1).replace("-w ", "-W ", 1) for p in printed]
    rule = next(m for m in msgs if m.type_name == "AUDIT_ADD_RULE")
    assert rule.get("audit.rule.key") == "nlscope" and rule.get("audit.rule.syscall") == 257
    assert rule.find("audit.rule.value").text == "AUDIT_ARCH_X86_64 (0xc000003e)"


def test_status_values_are_what_auditctl_printed(msgs):
    printed = dict(line.split(" ", 1) for line in OUT[:9])
    st = next(m for m in msgs if m.type_name == "AUDIT_GET" and m.direction == "from kernel")
    for name, value in printed.items():
        assert st.get(f"audit.status.{name}") == int(value), name
    assert st.info.startswith("enabled 0 failure 1 pid 0 rate_limit 0 backlog_limit 64")
    assert st.find("audit.status.feature_bitmap").text.startswith("0x7f (BACKLOG_LIMIT, BACKLOG_WAIT_TIME")


def test_set_requests_carry_the_values_auditctl_was_given(msgs):
    """audit.sh sets rate_limit and backlog_limit to what `auditctl -s` showed (no change)."""
    printed = dict(line.split(" ", 1) for line in OUT[:9])
    sets = [m for m in msgs if m.type_name == "AUDIT_SET"]
    assert [m.info for m in sets] == [f"set rate_limit {printed['rate_limit']}",
                                      f"set backlog_limit {printed['backlog_limit']}"]
    assert [m.find("audit.status.mask").text for m in sets] == ["0x8 (RATE_LIMIT)", "0x10 (BACKLOG_LIMIT)"]
    assert all(m.kind == "new" and m.direction == "to kernel" for m in sets)
    feats = next(m for m in msgs if m.type_name == "AUDIT_GET_FEATURE" and m.direction == "from kernel")
    assert feats.get("audit.features.vers") == 1 and feats.get("audit.features.lock") == 0   # "0 unlocked"


def test_the_kernels_refusal_and_the_user_message(msgs):
    err = [m for m in msgs if m.error and m.error["code"]]
    assert [m.info for m in err] == ["ENOENT for AUDIT_ADD_RULE seq 2"]   # -F dir=/nonexistent-nlscope
    user = next(m for m in msgs if m.type_name == "AUDIT_USER")
    assert user.get("audit.record.text").startswith("text=nlscope test message")
    assert user.get("audit.record.exe") == "/usr/sbin/auditctl" and user.get("audit.record.res") == "success"


def test_every_message_is_claimed_and_fully_decoded(msgs):
    assert len(msgs) == 82
    check_claimed_whole(msgs)


def test_kauditd_unicast_record_whose_nlmsg_len_is_16_short():
    """kauditd_thread sets nlmsg_len = skb->len - NLMSG_HDRLEN for auditd's copy: the frame is
    the record (the old split made its last 16 bytes a malformed message)."""
    frame = hdr(len(RECORD), 1300) + RECORD
    (m,) = decode_frame(frame, protocol=9)
    assert not m.malformed and m.length == len(frame) and m.type_name == "AUDIT_SYSCALL"
    assert m.get("audit.record.syscall") == 257 and m.get("audit.record.serial") == 42
    assert m.get("audit.record.time") == "1700000000.123" and m.get("audit.record.key") == "nlscope"
    assert m.get("audit.record.exit") == 3 and m.get("audit.record.comm") == "cat"
    assert "kauditd's unicast" in m.tree.children[0].children[0].text
    assert m.unknown_count() == 0
    # the multicast copy (nlmsg_len right) decodes to the same fields
    (mc,) = decode_frame(hdr(16 + len(RECORD), 1300) + RECORD, protocol=9)
    assert [(n.label, n.value) for n in mc.find_all("audit.record.field")] == \
        [(n.label, n.value) for n in m.find_all("audit.record.field")]


def test_a_chain_that_ends_in_a_16_byte_message_is_not_taken_for_the_quirk():
    frame = hdr(16, 1300) + hdr(16, 1320)
    assert [m.type_name for m in decode_frame(frame, protocol=9)] == ["AUDIT_SYSCALL", "AUDIT_EOE"]


def test_user_message_relayed_with_msg_pairs():
    text = b"pid=1 uid=0 auid=0 ses=1 msg='op=login acct=\"root\" res=success'"
    (m,) = decode_frame(hdr(16 + len(text), 1107, 0) + text, protocol=9)
    assert m.type_name == "AUDIT_USER_AVC"
    assert decode_frame(hdr(16 + len(text), 1112) + text, protocol=9)[0].type_name == "AUDIT_USER_LOGIN"  # libaudit.h
    msg = m.find("audit.record.msg")
    assert [c.label for c in msg.children] == ["op", "acct", "res"] and m.get("audit.record.op") == "login"


def test_status_by_length_and_a_set_request():
    short = struct.pack("<8I", 0, 1, 1, 0, 0, 64, 0, 0)   # 6.1's older libaudit: the 32-byte struct
    (m,) = decode_frame(hdr(16 + 32, 1000) + short, protocol=9)
    assert m.get("audit.status.backlog_limit") == 64 and m.find("audit.status.feature_bitmap") is None
    assert m.unknown_count() == 0
    setreq = struct.pack("<11I", 0x4, 0, 0, 4242, 0, 0, 0, 0, 0, 0, 0)
    (m,) = decode_frame(hdr(16 + 44, 1001, 5) + setreq, protocol=9)
    assert m.info == "set pid 4242" and m.find("audit.status.mask").text == "0x4 (PID)"
    longer = struct.pack("<12I", *range(12))               # a later kernel's longer struct
    (m,) = decode_frame(hdr(16 + 48, 1000) + longer, protocol=9)
    assert m.unknown_count() == 1


def test_signal_info_features_and_tty():
    (m,) = decode_frame(hdr(16 + 8 + 9, 1010) + struct.pack("<II", 0, 321) + b"unconfined"[:9], protocol=9)
    assert m.info == "uid 0 pid 321 unconfine" and m.get("audit.signal_info.pid") == 321
    (m,) = decode_frame(hdr(16 + 8, 1016) + struct.pack("<II", 1, 0), protocol=9)
    assert m.get("audit.tty.enabled") == 1 and m.info == "tty enabled 1 log_passwd 0"
    (m,) = decode_frame(hdr(16, 1013, 5), protocol=9)
    assert m.info == "list rules" and m.kind == "get"


def test_hostile_audit_frames_never_raise():
    rule = next(m for m in decode_file(PATH) if m.type_name == "AUDIT_ADD_RULE")
    data = bytes(rule.buf[rule.offset:rule.offset + rule.length])
    for cut in (16, 20, 28, 300, 1055, 1056, 1060, len(data) - 1):
        d = bytearray(data[:cut])
        struct.pack_into("<I", d, 0, cut)
        exercise(9, bytes(d))
    bad = bytearray(data)
    struct.pack_into("<I", bad, 16 + 8, 0xffffffff)           # field_count
    struct.pack_into("<I", bad, 16 + 12 + 256, 210)           # a string field …
    struct.pack_into("<I", bad, 16 + 12 + 512, 0x7fffffff)    # … longer than the message
    exercise(9, bytes(bad))
    for body in (b"", b"\0", RECORD[:5], b"audit(1:", b"k=" * 3000):
        exercise(9, hdr(len(body), 1300) + body)
        exercise(9, hdr(16 + len(body), 1100) + body)
    for m in decode_frame(bytes(bad), protocol=9, ctx=Context()):
        assert m.info
