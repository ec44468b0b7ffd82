"""SMC_PNETID (net/smc/smc_pnet.c) from messages built as smc_pnet_set_nla() puts them."""
import dissectors
from tests.dissectors.genl_tail2_common import every_command_named
from tests.dissectors.test_genl_tail import NLM_F_MULTI, decode, string, u8

dissectors.load_families()
from dissectors.families.genl import smc_pnetid as P  # noqa: E402

H = P.H


def test_every_command_and_attribute_is_named():
    assert every_command_named("SMC_PNETID") == 4


def test_a_table_entry_in_smc_pnets_columns():
    body = string(H.SMC_PNETID_NAME, "NLSCOPE1") + string(H.SMC_PNETID_ETHNAME, "gt2v0") + string(
        H.SMC_PNETID_IBNAME, "n/a") + u8(H.SMC_PNETID_IBPORT, 255)
    m = decode("SMC_PNETID", H.SMC_PNETID_GET, body, flags=NLM_F_MULTI)
    assert m.type_name == "SMC_PNETID_GET" and m.info == "NLSCOPE1 gt2v0 n/a 255"
    assert decode("SMC_PNETID", H.SMC_PNETID_DEL, string(H.SMC_PNETID_NAME, "X")).info == "X n/a n/a n/a"
