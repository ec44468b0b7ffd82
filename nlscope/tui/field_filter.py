"""Wireshark's "Apply as Filter → Selected" for a field of the decoded tree: the filter that
keeps the messages where the field has the value it has here."""
from __future__ import annotations

from ..analysis.filter import FilterError, compile_filter


def quote(text: str) -> str:
    """A filter string literal for `text` (a control byte as \\xhh, each byte of its UTF-8)."""
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append("".join(f"\\x{b:02x}" for b in ch.encode("utf-8", "surrogatepass")))
    return '"' + "".join(out) + '"'


def candidates(node) -> list[str]:
    """Filters for the node's field and value, the most exact first; the field alone last."""
    name, v = node.field.abbrev, node.value
    out = []
    if isinstance(v, bool):
        out.append(name if v else f"!{name}")
    elif isinstance(v, int):
        out.append(f"{name} == {v}")
    elif isinstance(v, str):
        out.append(f"{name} == {quote(v)}")
    elif isinstance(v, (bytes, bytearray, memoryview)):
        shown = node.show
        if shown and " " not in shown and '"' not in shown:
            out.append(f"{name} == {shown}")      # an address, as the tree shows it
        if v:
            out.append(f"{name} == {bytes(v).hex(':')}")
    out.append(name)
    return out


def filter_for(node, msg) -> str:
    """The first candidate that compiles and keeps `msg`, the message the node is from; else
    (a header field of an echoed request: the filter reads netlink.* header fields from the
    message's own header) the first that compiles."""
    compiled = []
    for text in candidates(node):
        try:
            if compile_filter(text)(msg):
                return text
        except FilterError:
            continue
        compiled.append(text)
    return compiled[0] if compiled else node.field.abbrev
