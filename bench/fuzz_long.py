#!/usr/bin/env python3
"""A long, coverage-guided fuzz run of the dissectors (atheris), seeded with real frames.

    pip install atheris
    python3 bench/fuzz_long.py [--seconds 600] [--corpus DIR]

Each input is a protocol number (first byte) and a frame (the rest); decoding it, and
everything a user can ask of a message, must not raise, no "dissector error" node may
appear (the core's safety net turning a family's exception into a malformed node), and an
Info read from the bytes (`fast`, and an ACK's or DONE's from its headers) must say what
the tree says or nothing.
The seed corpus is every frame of the committed captures.  A crash is saved by libFuzzer
as crash-*; turn it into a case of tests/dissectors/test_fuzz.py REGRESSIONS.
The bounded CI run is tests/dissectors/test_fuzz.py (hypothesis).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROTOCOLS = [0, 2, 4, 5, 6, 10, 12, 16]
GENL = {0x10: "nlctrl", 0x15: "devlink", 0x1c: "nl80211", 0x1f: "TASKSTATS", 0x20: "nlscope_test", 0x21: "nl80211",
        0x22: "wireguard", 0x23: "mptcp_pm", 0x24: "ethtool", 0x25: "psample"}


def seed(corpus: Path) -> int:
    from nlscope.sources import read_capture
    n = 0
    for cap in sorted((ROOT / "captures").glob("*.pcapng")):
        for fr in read_capture(str(cap)):
            p = PROTOCOLS.index(fr.protocol) if fr.protocol in PROTOCOLS else 0
            (corpus / f"{cap.stem}-{fr.number}").write_bytes(bytes([p]) + bytes(fr.data))
            n += 1
    return n


def one_input(data: bytes) -> None:
    from dissectors import Context, decode_frame, format_tree
    if len(data) < 2:
        return
    proto = PROTOCOLS[data[0] % len(PROTOCOLS)]
    for m in decode_frame(data[1:], protocol=proto, ctx=Context(GENL)):
        mt = None if m.malformed else m.message_type
        fast = getattr(mt.info, "fast", None) if mt is not None and mt.info is not None else None
        quick = fast(m.buf, m.offset, m.length, m.order, m.flags) if fast is not None else None
        early = m.info if m.malformed or m.type < 0x10 else None  # control: from the headers
        tree = m.tree
        if early is not None and early != m.info:  # … and from the decode: the same
            raise RuntimeError(f"control Info {early!r} != {m.info!r}")
        if quick is not None and quick != mt.info(tree):  # an Info read from the bytes must agree
            raise RuntimeError(f"fast Info {quick!r} != {mt.info(tree)!r}")
        for n in tree.walk():
            if n.status == "malformed" and "dissector error" in (n.text or ""):
                raise RuntimeError(n.text)
        m.info
        m.to_json()
        format_tree(tree)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--corpus", type=Path)
    args, rest = ap.parse_known_args()
    import atheris
    with atheris.instrument_imports():   # before anything imports the dissectors
        import dissectors
        dissectors.load_families()
    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="nlscope-fuzz-"))
    corpus.mkdir(parents=True, exist_ok=True)
    print(f"seeded {seed(corpus)} frames into {corpus}", file=sys.stderr)
    atheris.Setup([sys.argv[0], str(corpus), f"-max_total_time={args.seconds}", "-max_len=65536",
                   "-print_final_stats=1", *rest], one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
