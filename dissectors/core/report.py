"""What an NLMSG_ERROR (or an NLMSG_DONE reporting an error) says, as typed values.

`Message.error` keeps the plain dict the application and JSON use; `Message.report`
gives a script the same facts as objects: the errno and its name, the request it answers,
and the extended ACK with the attribute it blames as a node of the echoed request.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Node


@dataclass(frozen=True)
class ExtAck:
    """The extended ACK (NLMSGERR_ATTR_*): what the kernel said and where."""

    message: str | None = None        # NLMSGERR_ATTR_MSG
    offset: int | None = None         # NLMSGERR_ATTR_OFFS: bytes into the echoed request
    attribute: str | None = None      # that offset as an attribute path: IFLA_LINKINFO/IFLA_INFO_KIND
    blamed: Node | None = None        # the echoed request's node at that offset (a full echo only)
    cookie: str | None = None         # NLMSGERR_ATTR_COOKIE, hex
    missing_type: int | None = None   # NLMSGERR_ATTR_MISS_TYPE
    missing_nest: int | None = None   # NLMSGERR_ATTR_MISS_NEST: offset of the nest it is missing from
    missing: str | None = None        # the missing attribute's name, from the request's set


@dataclass(frozen=True)
class ErrorReport:
    """An NLMSG_ERROR's (or an error-reporting NLMSG_DONE's) facts."""

    errno: int                        # 0 for an ACK; the kernel's negative errno otherwise
    name: str                         # "EEXIST", "OK" for an ACK
    request_type: str | None          # the echoed request's type name
    request_seq: int | None
    extack: ExtAck | None

    @property
    def is_ack(self) -> bool:
        """True for an acknowledgement (error 0), False for an error."""
        return self.errno == 0


def report_of(status: dict | None, tree: Node) -> ErrorReport | None:
    """The ErrorReport of a decoded error status (Message.error) and its message's tree."""
    if status is None:
        return None
    ext = status.get("extack")
    extack = None
    if ext:
        blamed = None
        echo = tree.find("netlink.echo")
        if echo is not None and "offs" in ext:
            chain = echo.path_to(echo.offset + ext["offs"])
            if len(chain) > 1 and chain[-1].offset == echo.offset + ext["offs"]:
                blamed = chain[-1]
        extack = ExtAck(message=ext.get("msg"), offset=ext.get("offs"), attribute=ext.get("attr"), blamed=blamed,
                        cookie=ext.get("cookie"), missing_type=ext.get("miss_type"),
                        missing_nest=ext.get("miss_nest"), missing=ext.get("missing"))
    return ErrorReport(errno=status["code"], name=status["name"], request_type=status["request_type"],
                       request_seq=status["request_seq"], extack=extack)
