"""captures/{,6.12/}netlabel.pcapng: netlabelctl's session of captures/scenarios/netlabel.sh on
6.1 and 6.12 (not in all.sh: recorded with tools/vm.py and kept here), against what netlabelctl
printed in the same run (captures/{,6.12/}netlabel.log): the values it printed are the ones
decoded, every command of the four NetLabel families was asked and answered, and every message
is claimed and decodes whole."""
from __future__ import annotations

import re

import pytest

import dissectors
from dissectors.core import registry
from dissectors.families.genl.netlabel_calipso import MAP_WORDS as CALIPSO_MAP_WORDS
from dissectors.families.genl.netlabel_cipsov4 import MAP_WORDS as CIPSO_MAP_WORDS, TAG
from dissectors.families.genl.netlabel_common import PROTOCOL_WORDS
from tests.conftest import KERNEL_CAPTURES as KERNELS, decode_file, scenario_runs

dissectors.load_families()

FAMILIES = ("NLBL_MGMT", "NLBL_CIPSOv4", "NLBL_CALIPSO", "NLBL_UNLBL")
# what `netlabelctl -p cipsov4 list doi:N` calls each tag type (netlabel_tools' cipso.c)
TAG_WORDS = {"RESTRICTED BITMAP": "CIPSO_V4_TAG_RBITMAP", "ENUMERATED": "CIPSO_V4_TAG_ENUM",
             "RANGED": "CIPSO_V4_TAG_RANGE", "PERMISSIVE_BITMAP": "CIPSO_V4_TAG_PBITMAP",
             "FREEFORM": "CIPSO_V4_TAG_FREEFORM", "LOCAL": "CIPSO_V4_TAG_LOCAL"}


@pytest.fixture(scope="module", params=list(KERNELS))
def run(request):
    """(messages, [(command, its output lines)]) of one kernel's recording."""
    d = KERNELS[request.param]
    runs = scenario_runs(d / "netlabel.log")
    return decode_file(d / "netlabel.pcapng"), runs


def _output(runs, command: str, nth: int = 0) -> list[str]:
    return [out for cmd, out in runs if cmd == command][nth]


def _answers(msgs, request_type: str, nth: int, types: tuple) -> list:
    """The kernel's messages of `types` between the nth request of `request_type` and the
    next one (netlabelctl opens a socket per question: one command's answers lie between)."""
    starts = [i for i, m in enumerate(msgs) if m.direction == "to kernel" and m.type_name == request_type]
    end = starts[nth + 1] if nth + 1 < len(starts) else len(msgs)
    return [m for m in msgs[starts[nth]:end] if m.direction == "from kernel" and m.type_name in types]


def test_every_message_is_claimed_and_decodes_whole(run):
    msgs, _ = run
    assert msgs
    for m in msgs:
        bad = [(n.name, n.status, n.show) for n in m.tree.walk() if n.status]
        assert m.claimed and not m.malformed and not bad, f"{m.frame}.{m.index} {m.type_name}: {bad}"
        assert m.unknown_count() == 0


def test_every_command_of_each_family_was_asked_and_answered(run):
    msgs, _ = run
    for fam in FAMILIES:
        asked = {m.type_name for m in msgs if m.direction == "to kernel" and m.family == fam}
        assert asked == {mt.name for mt in registry.GENL_FAMILIES[fam].commands.values()}, fam
    answered = {m.type_name for m in msgs if m.direction == "from kernel" and m.family in FAMILIES}
    assert answered == {"NLBL_MGMT_C_VERSION", "NLBL_MGMT_C_PROTOCOLS", "NLBL_MGMT_C_LISTALL", "NLBL_MGMT_C_LISTDEF",
                        "NLBL_CIPSOV4_C_LISTALL", "NLBL_CIPSOV4_C_LIST", "NLBL_CALIPSO_C_LISTALL",
                        "NLBL_CALIPSO_C_LIST", "NLBL_UNLABEL_C_LIST", "NLBL_UNLABEL_C_STATICLIST",
                        "NLBL_UNLABEL_C_STATICLISTDEF"}
    errors = {m.error["name"] for m in msgs if m.type_name == "NLMSG_ERROR" and m.error["code"]}
    assert errors == {"EINVAL", "EEXIST", "ENOENT"}


def test_version_and_protocols_as_netlabelctl_printed_them(run):
    msgs, runs = run
    kernel = re.search(r"kernel : (\d+)", "\n".join(_output(runs, "netlabelctl -p mgmt version"))).group(1)
    assert [m.tree.first("nlbl_mgmt.version") for m in _answers(msgs, "NLBL_MGMT_C_VERSION", 0,
                                                               ("NLBL_MGMT_C_VERSION",))] == [int(kernel)]
    printed = _output(runs, "netlabelctl -p mgmt protocols")[0].split(":", 1)[1].split()
    decoded = [m.tree.first("nlbl_mgmt.protocol") for m in _answers(msgs, "NLBL_MGMT_C_PROTOCOLS", 0,
                                                                     ("NLBL_MGMT_C_PROTOCOLS",))]
    assert printed == [PROTOCOL_WORDS[p] for p in decoded] == ["UNLABELED", "CIPSO", "CALIPSO"]


def test_map_list_is_what_netlabelctl_printed(run):
    """`netlabelctl map list` (the third of the run) prints each mapping as its Info says it:
    the LISTALL dump's domains, then the LISTDEF answers' defaults."""
    msgs, runs = run
    printed = _output(runs, "netlabelctl map list")[0].split(" ")
    decoded = [m.info for m in _answers(msgs, "NLBL_MGMT_C_LISTALL", 2, ("NLBL_MGMT_C_LISTALL", "NLBL_MGMT_C_LISTDEF"))]
    assert decoded == printed
    assert 'domain:"baz",address:2001:db8:5::/48,protocol:CALIPSO,32' in decoded
    assert "domain:DEFAULT,address:10.9.0.0/16,protocol:UNLABELED" in decoded


def test_unlbl_list_is_what_netlabelctl_printed(run):
    """`netlabelctl unlbl list`: the accept flag, then each static label (lo's IPv4 and IPv6,
    the default's), labels as the kernel gave them back."""
    msgs, runs = run
    printed = _output(runs, "netlabelctl unlbl list")[0].split(" ")
    decoded = [m.info for m in _answers(msgs, "NLBL_UNLABEL_C_LIST", 1, (
        "NLBL_UNLABEL_C_LIST", "NLBL_UNLABEL_C_STATICLIST", "NLBL_UNLABEL_C_STATICLISTDEF"))]
    assert decoded == printed
    assert decoded[0] == "accept:on" and any(i.startswith("interface:lo,address:::1/128,") for i in decoded)


@pytest.mark.parametrize("family, words", [("cipsov4", CIPSO_MAP_WORDS), ("calipso", CALIPSO_MAP_WORDS)])
def test_doi_lists_are_what_netlabelctl_printed(run, family, words):
    """`netlabelctl -p cipsov4 list` / `calipso list`: each DOI and its mapping type, in order."""
    msgs, runs = run
    text = "\n".join(_output(runs, f"netlabelctl -p {family} list"))
    printed = re.findall(r"DOI value : (\d+)\n\s+mapping type : (\S+)", text)
    kind = {"cipsov4": "NLBL_CIPSOV4_C_LISTALL", "calipso": "NLBL_CALIPSO_C_LISTALL"}[family]
    prefix = {"cipsov4": "nlbl_cipsov4", "calipso": "nlbl_calipso"}[family]
    decoded = [(str(m.tree.first(f"{prefix}.doi")), words[m.tree.first(f"{prefix}.mtype")])
               for m in _answers(msgs, kind, 0, (kind,))]
    assert decoded == printed and len(decoded) == {"cipsov4": 3, "calipso": 1}[family]


@pytest.mark.parametrize("doi, nth", [(8, 0), (16, 1), (4, 2)])
def test_a_doi_is_what_netlabelctl_printed(run, doi, nth):
    """`netlabelctl -p cipsov4 list doi:N`: its tags by name, its level and category maps."""
    msgs, runs = run
    out = _output(runs, f"netlabelctl -p cipsov4 list doi:{doi}")
    sections, cur = {}, None
    for line in out[1:]:
        m = re.match(r" (tags|levels|categories) \((\d+)\)", line)
        if m:
            cur = sections.setdefault(m.group(1), [])
        elif cur is not None:
            cur.append(line.strip())
    (ans,) = _answers(msgs, "NLBL_CIPSOV4_C_LIST", nth, ("NLBL_CIPSOV4_C_LIST",))
    t = ans.tree
    assert [TAG[n.value] for n in t.find_all("nlbl_cipsov4.tag")] == [TAG_WORDS[w] for w in sections["tags"]]
    for key, loc, rem in (("levels", "mlslvlloc", "mlslvlrem"), ("categories", "mlscatloc", "mlscatrem")):
        pairs = [f"{a.value} = {b.value}" for a, b in zip(t.find_all(f"nlbl_cipsov4.{loc}"),
                                                           t.find_all(f"nlbl_cipsov4.{rem}"))]
        assert pairs == sections.get(key, []), key
    assert ("levels" in sections) == (t.first("nlbl_cipsov4.mtype") == 1)   # only a translated DOI has maps
