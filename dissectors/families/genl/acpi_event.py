"""acpi_event: ACPI events to user space (acpid, the "acpi_mc_group" multicast group), drivers/acpi/event.c.

The kernel only sends: ACPI_GENL_CMD_EVENT with one ACPI_GENL_ATTR_EVENT holding a struct
acpi_genl_event.  Neither the family nor the struct is a UAPI header: both are quoted below
from drivers/acpi/event.c (the same in 6.1 and 6.12).
"""
from __future__ import annotations

from construct import Int32ul

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import FixedStruct, member, pad, raw
from types import SimpleNamespace

# enum { ACPI_GENL_ATTR_UNSPEC, ACPI_GENL_ATTR_EVENT, __ACPI_GENL_ATTR_MAX };
# enum { ACPI_GENL_CMD_UNSPEC, ACPI_GENL_CMD_EVENT, __ACPI_GENL_CMD_MAX };
H = SimpleNamespace(ENUMS={"ACPI_GENL_ATTR_UNSPEC": ("ACPI_GENL_ATTR_UNSPEC", "ACPI_GENL_ATTR_EVENT")},
                    ACPI_GENL_ATTR_UNSPEC=0, ACPI_GENL_ATTR_EVENT=1, ACPI_GENL_CMD_EVENT=1)
MAX_ACPI_CLASS_NAME_LEN = 20   # include/acpi/acpi_bus.h: typedef char acpi_device_class[20]


def _text(data: bytes) -> str:
    return bytes(data).split(b"\0", 1)[0].decode("ascii", "backslashreplace")


# struct acpi_genl_event { acpi_device_class device_class; char bus_id[15]; u32 type; u32 data; };
EVENT_STRUCT = FixedStruct("acpi_genl_event", "acpi_event.event", [
    raw("device_class", MAX_ACPI_CLASS_NAME_LEN, _text), raw("bus_id", 15, _text), pad(1),
    member("type", Int32ul, lambda v: f"{v:#010x}"), member("data", Int32ul, lambda v: f"{v:#010x}")],
    label="ACPI event (struct acpi_genl_event)")
ACPI = enum_set("acpi_event", "acpi_event", H, "ACPI_GENL_ATTR_UNSPEC", "ACPI_GENL_ATTR_", {
    "EVENT": a("struct", struct=EVENT_STRUCT)}, label="acpi_event")


@info(full_tree=True)
def acpi_info(root) -> str:
    """`ac_adapter ACPI0003:00 00000080 00000001`: the line acpid logs."""
    v = {n.field.abbrev: n.value for n in root.walk() if n.field.abbrev.startswith("acpi_event.event.")}
    if "acpi_event.event.device_class" not in v:
        return ""
    return (f"{_text(v['acpi_event.event.device_class'])} {_text(v['acpi_event.event.bus_id'])} "
            f"{v['acpi_event.event.type']:08x} {v['acpi_event.event.data']:08x}")


register_genl_family(GenlFamily("acpi_event", "acpi_event", {
    H.ACPI_GENL_CMD_EVENT: MessageType(0, "ACPI_GENL_CMD_EVENT", "other", None, ACPI, info=acpi_info)}, ACPI))
