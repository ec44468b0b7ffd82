"""nlscope: see every netlink message that crossed the sockets, decoded.

`nlscope.open(path)` returns a Capture (see nlscope.api) for scripts.
"""
__version__ = "0.1.0"


def open(path, genl=None, show_secrets: bool = False):  # noqa: A001 - the documented name of the API entry point
    """Open a capture file for analysis: messages, transactions, filters.  Key material is
    shown redacted unless `show_secrets` (see dissectors.core.secrets)."""
    from .api import Capture
    return Capture(path, genl, show_secrets=show_secrets)
