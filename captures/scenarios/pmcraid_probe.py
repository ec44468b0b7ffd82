#!/usr/bin/env python3
"""The pmcraid family without its adapter: look it up (id, version, its one group) and send it
the one command it knows, PMCRAID_AEN_CMD_EVENT, with an event laid out as
drivers/scsi/pmcraid.c's pmcraid_notify_aen() lays it (struct pmcraid_aen_msg, then the
adapter state PMC_DEVICE_EVENT_RESET_START) and as a dump: the family has no operations, so the
kernel refuses both (EOPNOTSUPP).  Only the kernel sends events, and only with a MaxRAID
adapter present; the probe prints what it sent and what came back."""
from __future__ import annotations

import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kmod" / "tools"))
from nt_client import NLM_F_ACK, NLM_F_DUMP, NLMSG_ERROR, Genl, error_of, nla, resolve  # noqa: E402

PMCRAID_AEN_CMD_EVENT, PMCRAID_AEN_ATTR_EVENT = 1, 1
PMC_DEVICE_EVENT_RESET_START = 0x11000000


def main() -> int:
    g = Genl()
    fid, groups = resolve(g, "pmcraid")
    print(f"pmcraid: id {fid:#x} groups {groups}")
    if fid is None:
        return 1
    event = struct.pack("=II8x", 1 << 16 | 0, 4) + struct.pack("=I", PMC_DEVICE_EVENT_RESET_START)
    for what, flags in (("event", NLM_F_ACK), ("dump", NLM_F_DUMP)):
        seq = g.send(fid, PMCRAID_AEN_CMD_EVENT, flags, nla(PMCRAID_AEN_ATTR_EVENT, event))
        print(f"{what}: sent seq {seq} hostno {1 << 16:#x} length 4 state {PMC_DEVICE_EVENT_RESET_START:#x}")
        for ty, _, msg in g.replies(seq):
            if ty == NLMSG_ERROR:
                err, ext = error_of(msg)
                print(f"{what}: error {err} {ext}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
