"""Create and remove nlmon interfaces through rtnetlink (no `ip` needed)."""
from __future__ import annotations

import errno
import os
import struct

from .capture import ARPHRD_NETLINK, CaptureError

NETLINK_ROUTE = 0
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400


def interface_type(name: str) -> int | None:
    """ARPHRD type of an interface, None if there is no such interface.  While an interface
    is being unregistered its sysfs file is still there but reading it fails (EINVAL, seen
    when `ip link del` ends a capture): that interface is going, so None too."""
    try:
        with open(f"/sys/class/net/{name}/type") as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def nlmon_up(name: str = "nlmon0") -> bool:
    """Create (and bring up) an nlmon interface; False if it already existed."""
    kind = interface_type(name)
    if kind is not None:
        if kind != ARPHRD_NETLINK:
            raise CaptureError(f"{name} exists and is not an nlmon interface; choose another name")
        return False
    # only here: a capture on an interface that exists imports nothing of the dissectors
    from dissectors.generated import if_ as IF, if_link as L, rtnetlink as R

    from .netlink_socket import NLM_F_ACK, NetlinkError, NetlinkSocket, nla
    ifinfo = struct.pack("=BxHiII", 0, 0, 0, IF.IFF_UP, IF.IFF_UP)
    body = ifinfo + nla(L.IFLA_IFNAME, name.encode() + b"\0") + \
        nla(L.IFLA_LINKINFO | 0x8000, nla(L.IFLA_INFO_KIND, b"nlmon\0"))
    try:
        with NetlinkSocket(NETLINK_ROUTE) as s:
            s.request(R.RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body)
    except PermissionError:
        raise CaptureError("creating an interface needs CAP_NET_ADMIN: run as root") from None
    except NetlinkError as exc:
        if exc.code == -errno.EPERM:
            raise CaptureError("creating an interface needs CAP_NET_ADMIN: run as root") from None
        if exc.code == -errno.EOPNOTSUPP:
            raise CaptureError("this kernel has no nlmon driver: modprobe nlmon, or build it with "
                               "CONFIG_NLMON") from None
        raise CaptureError(f"could not create {name}: {exc.name}{': ' + exc.msg if exc.msg else ''}") from None
    return True


def nlmon_down(name: str = "nlmon0") -> None:
    kind = interface_type(name)
    if kind is None:
        raise CaptureError(f"there is no interface {name}")
    if kind != ARPHRD_NETLINK:
        raise CaptureError(f"{name} is not an nlmon interface; refusing to delete it")
    from dissectors.generated import if_link as L, rtnetlink as R

    from .netlink_socket import NLM_F_ACK, NetlinkError, NetlinkSocket, nla
    body = struct.pack("=BxHiII", 0, 0, 0, 0, 0) + nla(L.IFLA_IFNAME, name.encode() + b"\0")
    try:
        with NetlinkSocket(NETLINK_ROUTE) as s:
            s.request(R.RTM_DELLINK, NLM_F_ACK, body)
    except (PermissionError, NetlinkError) as exc:
        if isinstance(exc, PermissionError) or exc.code == -errno.EPERM:
            raise CaptureError("deleting an interface needs CAP_NET_ADMIN: run as root") from None
        raise CaptureError(f"could not delete {name}: {exc}") from None


def check_capture_interface(name: str) -> None:
    """One clear line when `name` cannot be captured on."""
    kind = interface_type(name)
    if kind is None:
        hint = "nlscope nlmon up " + name if os.geteuid() == 0 else f"sudo nlscope nlmon up {name}"
        raise CaptureError(f"there is no interface {name}; create it with '{hint}' (or use --create)")
    if kind != ARPHRD_NETLINK:
        raise CaptureError(f"{name} is not an nlmon interface (ARPHRD {kind}); netlink is seen only on nlmon: "
                           f"nlscope nlmon up nlmon0")
