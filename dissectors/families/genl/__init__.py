"""NETLINK_GENERIC: the genlmsghdr, family ids learned from nlctrl, and the families."""
