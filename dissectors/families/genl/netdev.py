"""netdev (Linux 6.3 and later): network devices' XDP features, RX/TX queues, NAPI instances, page pools and queue statistics (`ynl --family netdev`, ethtool's and XDP tools' questions).
Decoded from the kernel's own YNL spec (Linux 6.12's netdev.yaml, kept as data in
generated/spec_netdev.py), as `--spec` would decode it: nothing typed by hand to drift from it."""
from ...core.registry import register_genl_family
from ...generated.spec_netdev import SPEC
from ...ynl import spec_family

FAMILY = register_genl_family(spec_family(SPEC, "the kernel's netdev.yaml (Linux 6.12)"))
