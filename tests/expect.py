"""Check decoded messages against an expected-decoding file (captures/*.expected.json).

An entry names a request (type, flags, fields; `nth` picks among several) and what must
answer it: `reply` (the NLMSG_ERROR/ACK with its error, flags, extack), `response` (the
next message of a type from the kernel with the same seq), `dump_contains` (a part of
the dump), `notification` (a kernel message with seq 0).  An entry with no request is a
`notification` alone: a kernel message that no netlink request caused (SELinux announcing
a policy load that a write to /sys/fs/selinux made), looked for in the whole capture.
`fields` map a filter name to the value of its first occurrence, `all` to the list of
every occurrence in order.
A string value "$a.b" is looked up in kmod/test_values.json: the values the test module
was told to send, so the expectation and the module share one source.
"""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_VALUES = json.loads((ROOT / "kmod" / "test_values.json").read_text())


def resolve(v):
    if isinstance(v, str) and v.startswith("$"):
        node = TEST_VALUES
        for part in v[1:].split("."):
            node = node[part]
        return node
    if isinstance(v, list):
        return [resolve(x) for x in v]
    if isinstance(v, dict):
        return {k: resolve(x) for k, x in v.items()}
    return v


def _match(msg, spec) -> bool:
    if msg.type_name != spec["type"]:
        return False
    if "flags" in spec and msg.flag_names != spec["flags"]:
        return False
    return _fields_ok(msg, spec) is None


def _fields_ok(msg, spec):
    """None if every field of spec matches, else a description of the first mismatch."""
    for k, want in resolve(spec.get("fields", {})).items():
        node = msg.tree.find(k)
        got = None if node is None else node.value
        if isinstance(got, bytes) and isinstance(want, str):
            got = got.hex()
        if got != want:
            return f"{k}: {got!r} != {want!r}"
    for k, want in resolve(spec.get("all", {})).items():
        got = [n.value.hex() if isinstance(n.value, bytes) else n.value for n in msg.tree.find_all(k)]
        if got != want:
            return f"{k} (all): {got!r} != {want!r}"
    return None


def check(msgs, expected: dict) -> None:
    """Assert every expectation of an expected-decoding document."""
    for e in expected["expect"]:
        what = e["what"]
        if "request" not in e:
            spec = e["notification"]
            assert [r for r in msgs if r.seq == 0 and r.direction == "from kernel" and _match(r, spec)
                    and r.unknown_count() == 0], f"{what}: no notification matching {spec}"
            continue
        req = e["request"]
        found = [i for i, m in enumerate(msgs) if m.direction == "to kernel" and _match(m, req)]
        nth = req.get("nth", 0)
        assert len(found) > nth, f"{what}: no request matching {req}"
        i = found[nth]
        m = msgs[i]
        later = [r for r in msgs[i + 1:] if r.seq == m.seq and r.direction == "from kernel"]
        if "reply" in e:
            rep = resolve(e["reply"])
            answer = next((r for r in later if r.type_name == "NLMSG_ERROR"), None)
            assert answer is not None, f"{what}: no NLMSG_ERROR answers it"
            assert answer.error["code"] == rep["error"], (what, answer.error)
            assert answer.error["request_type"].startswith(m.type_name) or m.protocol == 16, what
            if "errname" in rep:
                assert answer.error["name"] == rep["errname"], what
            if "flags" in rep:
                assert answer.flag_names == rep["flags"], (what, answer.flag_names)
            if "info" in rep:
                assert answer.info.startswith(rep["info"]), (what, answer.info)
            for k, v in rep.get("extack", {}).items():
                assert (answer.error["extack"] or {}).get(k) == v, (what, k, answer.error["extack"])
            assert _fields_ok(answer, rep) is None, (what, _fields_ok(answer, rep))
        if "response" in e:
            spec = e["response"]
            resp = next((r for r in later if r.type_name == spec["type"]), None)
            assert resp is not None, f"{what}: no {spec['type']} response"
            assert _fields_ok(resp, spec) is None, (what, _fields_ok(resp, spec))
            assert resp.unknown_count() == 0, what
        if "dump_contains" in e:
            assert any(r.type_name == "NLMSG_DONE" for r in later), f"{what}: dump without NLMSG_DONE"
            parts = [r for r in later if _match(r, e["dump_contains"])]
            assert parts, f"{what}: no dump part matching {e['dump_contains']}"
            if "dump_count" in e:
                n = sum(1 for r in later if r.type_name == e["dump_contains"]["type"])
                assert n == resolve(e["dump_count"]), (what, n)
            if "dump_frames_at_least" in e:
                frames = {r.frame for r in later}
                assert len(frames) >= e["dump_frames_at_least"], (what, len(frames))
        if "notification" in e:
            spec = e["notification"]
            note = [r for r in msgs[i + 1:] if r.seq == 0 and r.direction == "from kernel" and _match(r, spec)]
            assert note, f"{what}: no notification matching {spec}"


def check_claimed_whole(msgs) -> None:
    """Every message belongs to a dissector that declares it, and nothing in it is malformed or unknown."""
    for m in msgs:
        assert m.claimed and not m.malformed, f"{m.frame}.{m.index}: {m.info}"
        bad = [(n.name, n.status) for n in m.tree.walk() if n.status]
        assert not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"
