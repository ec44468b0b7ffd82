"""NETLINK_NETFILTER (12): nfnetlink and its subsystems, one module each."""
