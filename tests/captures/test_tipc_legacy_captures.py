"""captures/tipc-legacy.pcapng (6.1) and captures/6.12/tipc-legacy.pcapng: the legacy TIPC family
asked what tipc-config asked (captures/scenarios/tipc_legacy_probe.py), against what the probe
printed of each answer in the same run (tipc-legacy.log)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import KERNEL_CAPTURES as KERNELS, decode_file

ANSWER = re.compile(r"^  < len \d+ type 0x[0-9a-f]+ \(TIPC\) flags \S+ \S+ seq (\d+) pid (\d+) \|")
TLV = re.compile(r"^      TLV (\w+) \(\d+\) len \d+[^:]*: (.*)$")


def _answers(log: str) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """(seq, pid, [(TLV type, what the probe printed)]) of each TIPC answer, in order; an
    ULTRA_STRING's printed value is its lines."""
    out, cur = [], None
    for line in log.splitlines():
        m = ANSWER.match(line)
        if m:
            cur = (int(m.group(1)), int(m.group(2)), [])
            out.append(cur)
            continue
        if cur is None:
            continue
        t = TLV.match(line)
        if t:
            cur[2].append((t.group(1), [] if t.group(1) == "ULTRA_STRING" else t.group(2)))
        elif line.startswith("        | ") or line == "        |":
            cur[2][-1][1].append(line[10:])
        elif not line.startswith("      "):
            cur = None
    return out


@pytest.fixture(scope="module", params=list(KERNELS))
def run(request):
    d = KERNELS[request.param]
    msgs = [m for m in decode_file(d / "tipc-legacy.pcapng") if m.family == "TIPC (legacy)"]
    return msgs, _answers((d / "tipc-legacy.log").read_text())


def _tlvs(m) -> list:
    return [c for c in m.tree.children if c.field.abbrev.startswith("tipc_legacy.tlv.")]


def test_every_answer_the_probe_printed_is_decoded_with_its_values(run):
    msgs, answers = run
    with_tlvs = [a for a in answers if a[2]]
    assert len(with_tlvs) >= 20 and {t for a in with_tlvs for t, _ in a[2]} >= {
        "UNSIGNED", "MEDIA_NAME", "BEARER_NAME", "LINK_INFO", "ULTRA_STRING", "ERROR_STRING"}
    for seq, pid, tlvs in with_tlvs:
        # (the probe's SHOW_LINK_STATS that leaves out its TLV shows as an answer too: see tipc_legacy.py)
        found = [m for m in msgs if (m.seq, m.pid) == (seq, pid) and m.direction == "from kernel" and _tlvs(m)]
        assert len(found) == 1, (seq, pid, [m.frame for m in found])
        m = found[0]
        nodes = _tlvs(m)
        assert [n.name.split(" ")[0] for n in nodes] == [f"TIPC_TLV_{t}" for t, _ in tlvs], (m.frame, m.info)
        for n, (kind, printed) in zip(nodes, tlvs):
            if kind in ("MEDIA_NAME", "BEARER_NAME"):
                assert repr(n.value) == printed, (m.frame, n.value, printed)
            elif kind == "UNSIGNED":
                assert n.value == int(printed)
            elif kind == "LINK_INFO":
                name = re.search(r"str '([^']*)'", printed).group(1)
                assert m.tree.first("tipc_legacy.link_info.name") == name
                assert m.tree.first("tipc_legacy.link_info.up") == int(re.search(r"up (\d+)", printed).group(1))
            elif kind == "ERROR_STRING":   # 'code 0x84 NOT_SUPPORTED text '' raw …'
                code = re.search(r"code 0x[0-9a-f]+ (\w+)", printed).group(1)
                assert f"error TIPC_CFG_{code}" in m.info, (m.frame, m.info)
            elif kind == "ULTRA_STRING":   # the text whole, though its tlv_len is 4 short
                assert n.value.splitlines() == printed, (m.frame, n.value[-40:], printed[-2:])


def test_an_answer_without_tlvs_is_the_kernels_where_its_command_takes_one(run):
    """A SET's empty answer is told from its request (that took a TLV); NOOP's is its request
    byte for byte, and shows as a second request."""
    msgs, answers = run
    for seq, pid, tlvs in answers:
        if tlvs:
            continue
        same = [m for m in msgs if (m.seq, m.pid) == (seq, pid)]
        assert len(same) == 2, (seq, [m.frame for m in same])
        req, rep = same
        took = bool(_tlvs(req))
        assert req.direction == "to kernel" and rep.direction == ("from kernel" if took else "to kernel"), \
            (req.frame, rep.frame, req.info)
