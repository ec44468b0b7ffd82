"""The test family is described three times — C header, YNL spec, decoder — and they agree."""
from pathlib import Path

import yaml

import dissectors
from tests.tools import tool

ROOT = Path(__file__).resolve().parents[2]


def _header():
    consts, _ = tool.load("gen_uapi").parse_header((ROOT / "kmod" / "nlscope_test_uapi.h").read_text(), {})
    return consts


def _spec_numbers(items, prefix):
    out, nxt = {}, 0
    for it in items:
        nxt = it.get("value", nxt)
        out[(prefix + it["name"]).upper().replace("-", "_")] = nxt
        nxt += 1
    return out


def test_yaml_header_and_decoder_agree():
    hdr = _header()
    spec = yaml.safe_load((ROOT / "kmod" / "nlscope_test.yaml").read_text())
    dissectors.load_families()
    fam = dissectors.GENL_FAMILIES["nlscope_test"]
    for aset in spec["attribute-sets"]:
        nums = _spec_numbers(aset["attributes"], aset["name-prefix"])
        for name, num in nums.items():
            assert hdr[name] == num, name
    ops = _spec_numbers(spec["operations"]["list"], spec["operations"]["name-prefix"])
    for name, num in ops.items():
        assert hdr[name] == num, name
        assert fam.commands[num].name == name
    test_set = next(s for s in spec["attribute-sets"] if s["name"] == "test")
    for name, num in _spec_numbers(test_set["attributes"], test_set["name-prefix"]).items():
        if not name.endswith("_UNSPEC"):
            assert fam.attrs.by_num[num].name == name
