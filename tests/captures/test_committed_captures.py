"""Committed captures decode to the values their scenario chose (see captures/*.expected.json)."""
import json

import pytest

from tests.conftest import CAPTURES, decode_file

EXPECTED = sorted(CAPTURES.glob("*.expected.json"))


def _value(msg, abbrev):
    node = msg.tree.find(abbrev)
    return None if node is None else node.value


def _matches(msg, spec):
    if msg.type_name != spec["type"]:
        return False
    if "flags" in spec and msg.flag_names != spec["flags"]:
        return False
    return all(_value(msg, k) == v for k, v in spec.get("fields", {}).items())


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_capture_matches_expected(path):
    exp = json.loads(path.read_text())
    msgs = decode_file(CAPTURES / exp["capture"])
    assert msgs, "capture decoded to nothing"
    for e in exp["expect"]:
        req = e["request"]
        found = [i for i, m in enumerate(msgs) if m.direction == "to kernel" and _matches(m, req)]
        assert len(found) > req.get("nth", 0), f"{e['what']}: no request matching {req}"
        i = found[req.get("nth", 0)]
        m = msgs[i]
        if "reply" in e:
            rep = e["reply"]
            answer = next((r for r in msgs[i + 1:] if r.type_name == "NLMSG_ERROR" and r.seq == m.seq
                           and r.error and r.error["request_type"] == m.type_name), None)
            assert answer is not None, f"{e['what']}: no NLMSG_ERROR answers it"
            assert answer.error["code"] == rep["error"], e["what"]
            if "errname" in rep:
                assert answer.error["name"] == rep["errname"]
            if "flags" in rep:
                assert answer.flag_names == rep["flags"]
            if "info" in rep:
                assert answer.info.startswith(rep["info"]), answer.info
            for k, v in rep.get("extack", {}).items():
                assert answer.error["extack"][k] == v, (e["what"], k)
            for k, v in rep.get("fields", {}).items():
                assert _value(answer, k) == v, (e["what"], k)
        if "dump_contains" in e:
            part = [r for r in msgs[i + 1:] if r.seq == m.seq and r.direction == "from kernel"]
            assert part and part[-1].type_name == "NLMSG_DONE" or any(r.type_name == "NLMSG_DONE" for r in part)
            assert any(_matches(r, e["dump_contains"]) for r in part), e["what"]


@pytest.mark.parametrize("path", sorted(CAPTURES.glob("*.pcapng")), ids=lambda p: p.name)
def test_every_message_decodes_fully(path):
    """No malformed message and no unknown attribute in the families the capture exercises."""
    for m in decode_file(path):
        assert not m.malformed, f"{m.frame}.{m.index} malformed: {m.info}"
        bad = [n for n in m.tree.walk() if n.status]
        assert not bad, f"{m.frame}.{m.index} {m.type_name}: {[(n.name, n.status, n.show) for n in bad]}"
