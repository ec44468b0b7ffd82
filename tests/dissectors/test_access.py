"""What a script reads a message with: values by the kernel's name or the filter name,
nodes that chain, and an error's facts as typed values with the node it blames."""
import pytest

import nlscope
from dissectors.core.report import ErrorReport, ExtAck
from tests.conftest import CAPTURES


@pytest.fixture(scope="module")
def extack():
    return list(nlscope.open(str(CAPTURES / "rtnl-extack.pcapng")))


def _link_with_kind(msgs, kind):
    return next(m for m in msgs if m.type_name == "RTM_NEWLINK" and m.get("IFLA_INFO_KIND") == kind)


def test_values_by_kernel_name_and_by_filter_name(extack):
    m = _link_with_kind(extack, "dummy")
    assert m["IFLA_IFNAME"] == m["rtnl.link.ifname"] == m.get("rtnl.link.ifname") == "dummy0"
    assert m.find("IFLA_LINKINFO").find("IFLA_INFO_KIND").value == "dummy"
    assert m.find("IFLA_LINKINFO")["IFLA_INFO_KIND"] == "dummy"
    assert m.get("IFLA_NO_SUCH_THING", "absent") == "absent" and m.find("rtnl.route.dst") is None
    with pytest.raises(KeyError):
        m["rtnl.route.dst"]
    assert [n.value for n in m.find_all("IFLA_IFNAME")] == ["dummy0"]


def test_an_error_report_names_what_the_kernel_blamed(extack):
    reports = [m.report for m in extack if m.report is not None]
    assert all(isinstance(r, ErrorReport) for r in reports)
    acks = [r for r in reports if r.is_ack]
    assert acks and {r.name for r in acks} == {"OK"}
    blamed = next(r for r in reports if r.extack is not None and r.extack.offset is not None)
    assert isinstance(blamed.extack, ExtAck) and blamed.errno < 0 and blamed.name.startswith("E")
    assert blamed.extack.blamed is not None
    assert blamed.extack.attribute.split("/")[-1] == blamed.extack.blamed.field.name
    said = next(r for r in reports if r.extack is not None and r.extack.message)
    assert said.extack.message == "mtu greater than device maximum" and said.request_type == "RTM_NEWLINK"
    assert next(m for m in extack if m.type_name.startswith("RTM_")).report is None
