"""TASKSTATS: per-task accounting (getdelays, iotop), names from <linux/taskstats.h>.

Requests name a task (TASKSTATS_CMD_ATTR_*); the kernel answers with TASKSTATS_CMD_NEW
whose TASKSTATS_TYPE_AGGR_PID/TGID nest holds the id and struct taskstats, sizeof(struct
taskstats) of the kernel that sent it (kernel/taskstats.c, mk_reply): version 13 on 6.1
(416 bytes), 14 on 6.12 (432: irq_count, irq_delay_total).  Each version only appends
members, so the struct is decoded by its length: the members its bytes hold (the version
field, shown, says the same)."""
from __future__ import annotations

from construct import Bytes, Int8ul, Int16ul, Int32ul, Int64ul

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, register_genl_family
from ...core.schema import FixedStruct, member, pad
from ...generated import taskstats as TS


def _comm(b: bytes) -> str:
    return b.split(b"\0", 1)[0].decode("utf-8", "replace")


_Q = Int64ul
TASKSTATS = FixedStruct("taskstats", "taskstats.stats", [
    member("version", Int16ul), pad(2), member("ac_exitcode", Int32ul), member("ac_flag", Int8ul, hex),
    member("ac_nice", Int8ul), pad(6),
    *[member(n, _Q) for n in ("cpu_count", "cpu_delay_total", "blkio_count", "blkio_delay_total", "swapin_count",
                              "swapin_delay_total", "cpu_run_real_total", "cpu_run_virtual_total")],
    member("ac_comm", Bytes(32), _comm), member("ac_sched", Int8ul), pad(3), pad(4),
    *[member(n, Int32ul) for n in ("ac_uid", "ac_gid", "ac_pid", "ac_ppid", "ac_btime")], pad(4),
    *[member(n, _Q) for n in ("ac_etime", "ac_utime", "ac_stime", "ac_minflt", "ac_majflt", "coremem", "virtmem",
                              "hiwater_rss", "hiwater_vm", "read_char", "write_char", "read_syscalls",
                              "write_syscalls", "read_bytes", "write_bytes", "cancelled_write_bytes", "nvcsw",
                              "nivcsw", "ac_utimescaled", "ac_stimescaled", "cpu_scaled_run_real_total",
                              "freepages_count", "freepages_delay_total", "thrashing_count", "thrashing_delay_total",
                              "ac_btime64", "compact_count", "compact_delay_total")],
    member("ac_tgid", Int32ul), pad(4),
    *[member(n, _Q) for n in ("ac_tgetime", "ac_exe_dev", "ac_exe_inode", "wpcopy_count", "wpcopy_delay_total")],
    *[member(n, _Q) for n in ("irq_count", "irq_delay_total")]],   # version 14
    label="struct taskstats", optional_from="irq_count")
TYPE = enum_set("type", "taskstats", TS, "TASKSTATS_TYPE_UNSPEC", "TASKSTATS_TYPE_", {
    "PID": "u32", "TGID": "u32", "STATS": a("struct", struct=TASKSTATS), "AGGR_PID": "nest", "AGGR_TGID": "nest",
    "NULL": "pad"}, label="taskstats")
for _n in ("TASKSTATS_TYPE_AGGR_PID", "TASKSTATS_TYPE_AGGR_TGID"):
    TYPE.by_name[_n].nested = TYPE
CMD_ATTR = enum_set("cmd", "taskstats.cmd", TS, "TASKSTATS_CMD_ATTR_UNSPEC", "TASKSTATS_CMD_ATTR_", {
    "PID": "u32", "TGID": "u32", "REGISTER_CPUMASK": "string", "DEREGISTER_CPUMASK": "string"},
    label="taskstats request")


@info(full_tree=True)   # the command name is in struct taskstats, inside a nest
def taskstats_info(root) -> str:
    pid = root.first("taskstats.pid") or root.first("taskstats.cmd.pid")
    tgid = root.first("taskstats.tgid") or root.first("taskstats.cmd.tgid")
    comm = root.first("taskstats.stats.ac_comm")
    parts = [f"pid {pid}" if pid else "", f"tgid {tgid}" if tgid else "", _comm(comm) if comm else ""]
    return " ".join(p for p in parts if p)


register_genl_family(GenlFamily("TASKSTATS", "taskstats", {
    TS.TASKSTATS_CMD_GET: MessageType(0, "TASKSTATS_CMD_GET", "get", None, CMD_ATTR, info=taskstats_info),
    TS.TASKSTATS_CMD_NEW: MessageType(0, "TASKSTATS_CMD_NEW", "new", None, TYPE, info=taskstats_info)}, TYPE))
