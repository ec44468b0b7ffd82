"""Generic-netlink family ids asked of the running kernel (live captures only)."""
from __future__ import annotations

from .netlink_socket import NLM_F_DUMP, NetlinkSocket

NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 0x10, 3


class KernelGenlIds:
    """callable(id) -> family name, from one CTRL_CMD_GETFAMILY dump (redone for new ids)."""

    def __init__(self, own_portids: set | None = None):
        self.names: dict[int, str] = {}
        self.own_portids = own_portids if own_portids is not None else set()
        self._asked: set[int] = set()

    def refresh(self) -> None:
        try:
            with NetlinkSocket(NETLINK_GENERIC) as s:
                self.own_portids.add((NETLINK_GENERIC, s.portid))
                for m in s.request(GENL_ID_CTRL, NLM_F_DUMP, bytes([CTRL_CMD_GETFAMILY, 1, 0, 0])):
                    fid = m.tree.first("genl.ctrl.family_id")
                    name = m.tree.first("genl.ctrl.family_name")
                    if fid is not None and name:
                        self.names[fid] = name
        except OSError:
            pass

    def __call__(self, family_id: int) -> str | None:
        if family_id not in self.names and family_id not in self._asked:
            self._asked.add(family_id)
            self.refresh()
        return self.names.get(family_id)
