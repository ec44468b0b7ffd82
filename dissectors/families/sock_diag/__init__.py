"""NETLINK_SOCK_DIAG (4): socket monitoring (`ss`), one module per address family."""
