"""nfsd (Linux 6.7 and later): the NFS server's threads, versions, listeners, pool mode and RPC status (nfsdctl).
Decoded from the kernel's own YNL spec (Linux 6.12's nfsd.yaml, kept as data in
generated/spec_nfsd.py), as `--spec` would decode it: nothing typed by hand to drift from it."""
from ...core.registry import register_genl_family
from ...generated.spec_nfsd import SPEC
from ...ynl import spec_family

FAMILY = register_genl_family(spec_family(SPEC, "the kernel's nfsd.yaml (Linux 6.12)"))
