"""NETLINK_ROUTE (rtnetlink): links, addresses, routes, neighbours, rules, tc and the rest.

The protocol object lives in `protocol.py`; each message group (link, addr, route …)
is a module of its own that adds its message types to the protocol's table.
"""
