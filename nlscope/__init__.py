"""nlscope: see every netlink message that crossed the sockets, decoded."""
__version__ = "0.1.0"
