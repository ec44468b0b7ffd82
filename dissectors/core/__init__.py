"""The family-independent dissector core: schemas, attributes, the netlink header, registry."""
