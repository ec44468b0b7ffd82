#!/usr/bin/env python3
"""Remake captures/*.pcapng from the scenarios, in one VM boot.

    python3 tools/make_captures.py [--kernel 6.1|6.12] [NAME ...]   # default: 6.1, every capture

Runs captures/scenarios/all.sh through tools/vm.py on the kernel named, converts each
tcpdump capture to pcapng (editcap, from Debian's wireshark-common) and copies it with its
log into captures/ (6.1, Debian 12's own kernel) or captures/KERNEL/ (any other: a capture
of a scenario whose traffic differs there).  The expected-decoding files are written by
hand from what the scenarios choose, one per scenario with what differs on a kernel said in
its "kernels" overrides; they are never generated from a decode.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vm  # noqa: E402

CAPTURES = Path(__file__).resolve().parents[1] / "captures"


def destination(kernel: str) -> Path:
    """Where a kernel's captures go: captures/ for 6.1, captures/KERNEL/ for the others."""
    return CAPTURES if kernel == vm.DEFAULT_KERNEL else CAPTURES / kernel


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make_captures.py", description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default=vm.DEFAULT_KERNEL, choices=list(vm.KERNELS))
    parser.add_argument("names", nargs="*", metavar="NAME")
    args = parser.parse_args(argv)
    if shutil.which("editcap") is None:
        print("make_captures: editcap not found; apt-get install -y wireshark-common", file=sys.stderr)
        return 1
    out = Path(tempfile.mkdtemp(prefix=f"nlscope-captures-{args.kernel}-"))
    try:
        vm.run_scenarios(str(out), args.kernel)
    except vm.VMError as exc:
        print(f"make_captures: {exc}", file=sys.stderr)
        return 1
    rc = (out / "scenario.rc").read_text().strip()
    if rc != "0":
        print(f"make_captures: the scenarios failed on {args.kernel} (rc {rc}); see {out}/scenario.log", file=sys.stderr)
        return 1
    dest = destination(args.kernel)
    dest.mkdir(exist_ok=True)
    names = args.names or [p.stem for p in out.glob("*.pcap")]
    for name in names:
        src = out / f"{name}.pcap"
        if not src.exists():
            print(f"make_captures: the scenarios made no {name}.pcap; see {out}", file=sys.stderr)
            return 1
        subprocess.run(["editcap", "-F", "pcapng", str(src), str(dest / f"{name}.pcapng")], check=True)
        shutil.copy(out / f"{name}.log", dest / f"{name}.log")
        print(f"{dest.relative_to(CAPTURES.parent)}/{name}.pcapng")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
