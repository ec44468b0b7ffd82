"""fou: Foo-over-UDP and GUE receive ports (`ip fou add|del|show`), net/ipv4/fou_core.c and fou_nl.c."""
from __future__ import annotations

from ...core.attrs import a, enum_set
from ...core.info import info
from ...core.registry import GenlFamily, MessageType, kind_from_name, register_genl_family
from ...core.schema import names_from
from ...generated import fou as H
from .protocol import top_attrs

ENCAP = names_from(H, "FOU_ENCAP_", "FOU_ENCAP_UNSPEC")
AF = {2: "AF_INET", 10: "AF_INET6"}
# fou_nl_policy: PORT and PEER_PORT u16 in network order (nla_put_be16 in fou_fill_info(), and
# what ip sends), AF/IPPROTO/TYPE u8, the addresses an in_addr (NLA_U32) or 16 bytes, IFINDEX s32
FOU = enum_set("fou", "fou", H, "FOU_ATTR_UNSPEC", "FOU_ATTR_", {
    "PORT": a("u16", big_endian=True), "AF": a("u8", enum=AF), "IPPROTO": "u8", "TYPE": a("u8", enum=ENCAP),
    "REMCSUM_NOPARTIAL": "flag", "LOCAL_V4": a("binary", hint="ipv4"), "LOCAL_V6": a("binary", hint="ipv6"),
    "PEER_V4": a("binary", hint="ipv4"), "PEER_V6": a("binary", hint="ipv6"), "PEER_PORT": a("u16", big_endian=True),
    "IFINDEX": "s32"}, label="fou")


@info()
def fou_info(root) -> str:
    """`port 5555 gue local 10.0.0.1 peer 10.0.0.2 peer_port 6666 dev 3`, as `ip fou show` words it."""
    v = {k: n.value for k, n in top_attrs(root, "fou.").items()}
    parts = [f"port {v['port']}"] if "port" in v else []
    if v.get("type") == H.FOU_ENCAP_GUE:
        parts.append("gue")
    elif "ipproto" in v:
        parts.append(f"ipproto {v['ipproto']}")
    if v.get("af") == 10:
        parts.append("-6")
    for key, word in (("local_v4", "local"), ("local_v6", "local"), ("peer_v4", "peer"), ("peer_v6", "peer")):
        if key in v:
            parts.append(f"{word} {v[key]}")
    if v.get("peer_port"):
        parts.append(f"peer_port {v['peer_port']}")
    if v.get("ifindex"):
        parts.append(f"dev {v['ifindex']}")
    return " ".join(parts)


CMDS = names_from(H, "FOU_CMD_", "FOU_CMD_UNSPEC")
register_genl_family(GenlFamily("fou", "fou", {
    n: MessageType(0, name, kind_from_name(name), None, FOU, info=fou_info) for n, name in CMDS.items()}, FOU))
