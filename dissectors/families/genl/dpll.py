"""dpll (Linux 6.7 and later): digital phase-locked loops (SyncE/PTP clock devices) and their pins.
Decoded from the kernel's own YNL spec (Linux 6.12's dpll.yaml, kept as data in
generated/spec_dpll.py), as `--spec` would decode it: nothing typed by hand to drift from it."""
from ...core.registry import register_genl_family
from ...generated.spec_dpll import SPEC
from ...ynl import spec_family

FAMILY = register_genl_family(spec_family(SPEC, "the kernel's dpll.yaml (Linux 6.12)"))
