"""Text rendering of a decoded tree (what `nlscope read -V` prints), and text made safe to print."""
from __future__ import annotations

from .model import ArrayNode, Node

_C_ESCAPES = {0: "\\0", 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 0x1B: "\\e"}


def escape_text(s: str) -> str:
    """s made safe for a terminal: every character that is not printable is written as an escape.

    Captured strings (interface names, extack messages, unix socket names) are the sender's
    bytes: an ESC, BEL, newline or a bidi override in one must not reach the terminal raw,
    or it could recolour the screen or forge an output line.  C0/C1 controls, DEL, format
    characters (bidi overrides, zero-width), separators other than the space, unassigned
    code points and lone surrogates (undecodable bytes) are escaped as Wireshark's
    format_text does: the C escapes (\\n, \\t, \\0 ...), then \\xNN, \\uNNNN, \\UNNNNNNNN.

    A backslash is left as it is: the texts printed already carry backslash escapes of
    their own (strings are decoded with errors="backslashreplace", some values are shown
    as repr() texts), and doubling it would escape those twice — while a lone backslash
    can neither move the cursor nor forge a line.  Printable text is returned unchanged
    (the common case costs one scan), and escaping twice changes nothing.
    """
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if ch.isprintable():
            out.append(ch)
            continue
        c = ord(ch)
        if c in _C_ESCAPES:
            out.append(_C_ESCAPES[c])
        elif 0xDC80 <= c <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{c - 0xDC00:02x}")
        elif c < 0x100:
            out.append(f"\\x{c:02x}")
        elif c < 0x10000:
            out.append(f"\\u{c:04x}")
        else:
            out.append(f"\\U{c:08x}")
    return "".join(out)


_ASCII_CONTROLS = bytes(range(0x20)) + b"\x7f"


def printable(s: str) -> bool:
    """s.isprintable(), about twice as fast on ASCII text (nearly every line printed): there
    only the C0 controls and DEL are not printable, and deleting them is one C loop."""
    if s.isascii():
        b = s.encode("ascii")
        return len(b.translate(None, _ASCII_CONTROLS)) == len(b)
    return s.isprintable()


def format_tree(node: Node, indent: int = 0, step: str = "    ") -> str:
    """The tree as indented lines, one a node, safe for a terminal (see escape_text)."""
    out: list[str] = []
    _lines(node, indent, step, out)
    if not printable("".join(out)):  # one scan for the whole tree: a line of it may need escaping
        out = [escape_text(line) for line in out]
    return "\n".join(out)


def _lines(node: Node, depth: int, step: str, out: list[str]) -> None:
    _emit((node,), step * depth, step, out.append)


def _emit(nodes, ind: str, step: str, put) -> None:
    """Node.line() for each node and its descendants, inlined: -V prints ~100 lines a message."""
    for n in nodes:
        name = n.label if n.label is not None else n.field.name
        s = n.text
        if s is None:
            v = n.value
            f = n.field
            if f.fmt is not None:
                s = f.fmt(v)
            elif type(v) is int:
                s = str(v)
            elif type(v) is str:
                s = v
            else:
                s = f.show(v)
        put(f"{ind}{name}: {s}" if s != "" else ind + name)
        if type(n) is ArrayNode and n.items is not None:
            _emit_array(n.items, ind + step, put)
        elif n.children:
            _emit(n.children, ind + step, step, put)


def _emit_array(items, ind: str, put) -> None:
    """The lines of a C array's elements, from its values (no node made for each)."""
    field, values, labels, texts, _, _ = items
    fmt = field.fmt
    for i, v in enumerate(values):
        s = texts[i] if texts is not None and texts[i] is not None else (fmt(v) if fmt is not None else str(v))
        put(f"{ind}{labels[i]}: {s}" if s != "" else ind + labels[i])
