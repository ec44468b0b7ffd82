"""The built-in tcp_metrics and fou families against the kernel's own YNL specs of them
(6.12's Documentation/netlink/specs/tcp_metrics.yaml and fou.yaml): the same bytes decode
to the same values, message for message, on real traffic (tcp_metrics) and on a message of
every attribute the policy takes (fou)."""
from __future__ import annotations

import struct

from dissectors import Context, decode_frame
from dissectors.core import registry
from dissectors.ynl import load_spec
from tests.conftest import CAPTURES, decode_file
from tests.dissectors.build import msg, nla
from tests.dissectors.test_ynl import restore_tables  # noqa: F401  (a fixture)
from tests.dissectors.test_ynl_kernel import _compare, kernel_specs


def _frames(frames):
    """Netlink messages of NETLINK_GENERIC frames, decoded with one context."""
    ctx, out = Context(), []
    for fr in frames:
        out.extend(decode_frame(fr, 16, ctx, pos=len(out)))
    return out


def _spec_vs_built_in(name, decode):
    """(messages of the family, values the spec shows, fields whose values differ, the spec's
    faults) for what `decode()` gives with the built-in, then with the kernel's spec."""
    import dissectors
    dissectors.load_families()
    built_in = registry.GENL_FAMILIES[name]
    before = decode()
    spec = load_spec(kernel_specs() / f"{name}.yaml")
    assert registry.GENL_FAMILIES[name] is spec is not built_in
    after = decode()
    messages = values = 0
    differ, faults = set(), set()
    for old, new in zip(before, after, strict=True):
        if old.family != built_in.label:
            continue
        messages += 1
        faults.update((n.name, n.status) for n in new.tree.walk() if n.status)
        n, wrong = _compare(old, new)
        values += n
        differ.update(wrong)
    return messages, values, differ, faults


def test_tcp_metrics_spec_reads_the_host_capture_as_the_built_in(restore_tables):
    path = CAPTURES / "host-6.18" / "genl-tcp_metrics.pcapng"
    messages, values, differ, faults = _spec_vs_built_in("tcp_metrics", lambda: decode_file(path))
    assert messages == 12 and values > 4 * messages
    assert not differ and not faults


def test_fou_spec_reads_every_attribute_as_the_built_in(restore_tables):
    """An `ip fou add port 5555 gue local 10.0.0.1 peer 10.0.0.2 peer_port 6666 dev 3` request
    and the reply of a dump, each attribute of fou_nl_policy once."""
    from dissectors.families.genl import fou as F
    ctrl = bytes([1, 2, 0, 0]) + nla(1, struct.pack("<H", 0x30)) + nla(2, b"fou\0")   # CTRL_CMD_NEWFAMILY
    body = b"".join([nla(F.H.FOU_ATTR_PORT, struct.pack(">H", 5555)), nla(F.H.FOU_ATTR_AF, b"\x02"),
                     nla(F.H.FOU_ATTR_IPPROTO, b"\x04"), nla(F.H.FOU_ATTR_TYPE, b"\x02"),
                     nla(F.H.FOU_ATTR_REMCSUM_NOPARTIAL, b""), nla(F.H.FOU_ATTR_LOCAL_V4, bytes([10, 0, 0, 1])),
                     nla(F.H.FOU_ATTR_PEER_V4, bytes([10, 0, 0, 2])), nla(F.H.FOU_ATTR_PEER_PORT, struct.pack(">H", 6666)),
                     nla(F.H.FOU_ATTR_IFINDEX, struct.pack("<i", 3)),
                     nla(F.H.FOU_ATTR_LOCAL_V6, bytes(15) + b"\x01"), nla(F.H.FOU_ATTR_PEER_V6, bytes(15) + b"\x02")])
    frames = [msg(0x10, 0, ctrl, pid=7), msg(0x30, 5, bytes([F.H.FOU_CMD_ADD, 1, 0, 0]) + body),
              msg(0x30, 2, bytes([F.H.FOU_CMD_GET, 1, 0, 0]) + body, pid=7)]
    msgs = _frames(frames)
    assert [m.type_name for m in msgs[1:]] == ["FOU_CMD_ADD", "FOU_CMD_GET"]
    assert [m.info for m in msgs[1:]] == ["port 5555 gue local 10.0.0.1 local ::1 peer 10.0.0.2 peer ::2 "
                                          "peer_port 6666 dev 3"] * 2
    messages, values, differ, faults = _spec_vs_built_in("fou", lambda: _frames(frames))
    assert messages == 2 and values >= 20
    assert not differ and not faults
