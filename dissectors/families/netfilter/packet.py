"""The packet inside an NFQUEUE or NFLOG message, decoded as the IP packet it is with scapy's
IPv4/IPv6 layers (imported on first use: scapy is slow to load), one subtree per layer."""
from __future__ import annotations

from ...core.attrs import malformed
from ...core.registry import DEFERRED_LOADS
from ...model import FIELDS, STRING, Node

_LAYER = FIELDS.add("nfnl.packet.layer", "Layer", STRING, "a protocol layer of the queued or logged packet")


def _field(layer: str, name: str):
    return FIELDS.add(f"nfnl.packet.{layer.lower()}.{name.lower()}", name, STRING, f"{layer}: {name}")


def _ip_layers():
    from scapy.layers.inet import IP
    from scapy.layers.inet6 import IPv6
    return IP, IPv6


DEFERRED_LOADS.append(_ip_layers)


def decode_ip(buf, start: int, end: int, order: str = "<", req=None) -> list[Node]:
    """Nodes for the layers of the IP packet in buf[start:end] (never raises)."""
    data = bytes(buf[start:end])
    if not data:
        return []
    try:
        IP, IPv6 = _ip_layers()
        pkt = (IPv6 if data[0] >> 4 == 6 else IP)(data)
    except Exception as exc:  # scapy's own parsing failure: keep the bytes
        return [malformed(buf, start, end, f"not an IP packet ({type(exc).__name__})")]
    out = []
    layer = pkt
    depth = 0
    while layer is not None and depth < 8:
        name = layer.name.replace(" ", "_")
        if name in ("Raw", "Padding"):
            out.append(Node(_LAYER, name, start, end - start, f"{len(bytes(layer))} bytes", label=name))
            break
        kids = []
        for f in layer.fields_desc:
            try:
                v = layer.getfieldval(f.name)
                text = f.i2repr(layer, v)
            except Exception:
                continue
            kids.append(Node(_field(name, f.name), str(text), start, 0, label=f.name))
        out.append(Node(_LAYER, name, start, end - start, layer.summary() if depth == 0 else name, kids,
                        label=layer.name))
        layer = layer.payload if layer.payload else None
        depth += 1
    return out
