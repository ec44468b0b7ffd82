#!/bin/sh
# pmcraid, the PMC-Sierra MaxRAID driver's generic netlink family, which the module registers
# at load whether or not an adapter is present, with the id the kernel keeps for it
# (GENL_ID_PMCRAID, 0x12): iproute2's genl looks it up, and captures/scenarios/pmcraid_probe.py
# sends it the one command it knows, as an event and as a dump (no operations: EOPNOTSUPP).
# Its events need an adapter, which the VM has not: tests/dissectors/test_pmcraid.py holds
# those, built as the driver builds them.  Not in all.sh: recorded on 6.1 and 6.12 with
# tools/vm.py.  Writes $OUT/pmcraid.pcap.
. "$(dirname "$0")/lib.sh"
run modprobe pmcraid
capture_start pmcraid
run genl ctrl get name pmcraid
run "$PYTHON" "$(dirname "$0")/pmcraid_probe.py"
capture_stop
run modprobe -r pmcraid
