#!/usr/bin/env python3
"""Remake captures/*.pcapng from the scenarios, in one VM boot.

    python3 tools/make_captures.py [NAME ...]    # default: every scenario's capture

Runs captures/scenarios/all.sh through tools/vm.py, converts each tcpdump capture to
pcapng (editcap, from Debian's wireshark-common) and copies it with its log into
captures/.  The expected-decoding files are written by hand from what the scenarios
choose; they are never generated from a decode.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vm  # noqa: E402

CAPTURES = Path(__file__).resolve().parents[1] / "captures"


def main(argv: list[str]) -> int:
    if shutil.which("editcap") is None:
        print("make_captures: editcap not found; apt-get install -y wireshark-common", file=sys.stderr)
        return 1
    out = Path(tempfile.mkdtemp(prefix="nlscope-captures-"))
    try:
        vm.run_scenarios(str(out))
    except vm.VMError as exc:
        print(f"make_captures: {exc}", file=sys.stderr)
        return 1
    names = argv or [p.stem for p in out.glob("*.pcap")]
    for name in names:
        src = out / f"{name}.pcap"
        if not src.exists():
            print(f"make_captures: the scenarios made no {name}.pcap; see {out}", file=sys.stderr)
            return 1
        subprocess.run(["editcap", "-F", "pcapng", str(src), str(CAPTURES / f"{name}.pcapng")], check=True)
        shutil.copy(out / f"{name}.log", CAPTURES / f"{name}.log")
        print(f"captures/{name}.pcapng")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
