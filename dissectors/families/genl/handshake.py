"""handshake (Linux 6.5 and later): TLS handshake requests the kernel passes to a user-space agent (tlshd) and their completion.
Decoded from the kernel's own YNL spec (Linux 6.12's handshake.yaml, kept as data in
generated/spec_handshake.py), as `--spec` would decode it: nothing typed by hand to drift from it."""
from ...core.registry import register_genl_family
from ...generated.spec_handshake import SPEC
from ...ynl import spec_family

FAMILY = register_genl_family(spec_family(SPEC, "the kernel's handshake.yaml (Linux 6.12)"))
