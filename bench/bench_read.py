#!/usr/bin/env python3
"""Time `nlscope read` against tshark on the same large capture, in one run; print ratios.

    python3 bench/bench_read.py [--messages N] [--runs R] [--format pcap|pcapng|both] [--source CAPTURE ...]

The capture is made by replicating real captures (the committed ones) until it holds at
least N netlink messages, written as pcap and as pcapng with LINKTYPE_NETLINK.
Each workload runs R times alternating ours/tshark; the medians and their ratio are
printed (ratio < 1: nlscope is faster).  Machines are noisy: read ratios, not seconds.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORKLOADS = [
    ("summary", ["read"], []),
    ("-V", ["read", "-V"], ["-V"]),
    ("-T json", ["read", "-T", "json"], ["-T", "json"]),
    # an index-only filter (header fields): compare with tshark -Y and with reading alone (-q)
    # (tshark names the header's sequence number netlink.hdr_seq)
    ("-Y seq", ["read", "-Y", "netlink.seq == 1"], ["-Y", "netlink.hdr_seq == 1"]),
    ("-q (read only)", ["read", "-q"], ["-Y", "frame.number == 0"]),
]


def build_capture(sources: list[Path], messages: int, out: Path, fmt: str = "pcap") -> int:
    """Replicate `sources` into `out` (pcap, or pcapng with one LINKTYPE_NETLINK interface)
    until it holds at least `messages` netlink messages; returns how many it holds."""
    from nlscope.sources import read_capture
    import dissectors
    frames = []
    per_round = 0
    for src in sources:
        for fr in read_capture(str(src)):
            frames.append(fr)
            per_round += len(dissectors.decode_frame(fr.data, fr.protocol))
    rounds = max(1, -(-messages // per_round))
    with open(out, "wb") as f:
        if fmt == "pcapng":
            f.write(struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28))
            f.write(struct.pack("<IIHHI", 1, 20, 253, 0, 262144) + struct.pack("<I", 20))
        else:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 253))
        t = 1_700_000_000.0
        for _ in range(rounds):
            for fr in frames:
                t += 0.0001
                cooked = struct.pack(">HHH8sH", 4, 824, 0, b"", fr.protocol) + fr.data
                if fmt == "pcapng":
                    us = int(t * 1e6)
                    pad = (-len(cooked)) % 4
                    size = 32 + len(cooked) + pad
                    f.write(struct.pack("<IIIIIII", 6, size, 0, us >> 32, us & 0xFFFFFFFF, len(cooked), len(cooked)))
                    f.write(cooked + b"\0" * pad + struct.pack("<I", size))
                else:
                    f.write(struct.pack("<IIII", int(t), int((t % 1) * 1e6), len(cooked), len(cooked)))
                    f.write(cooked)
    return rounds * per_round


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    took = time.perf_counter() - t
    if r.returncode != 0:   # a rejected filter runs in no time: the ratio would be a lie
        raise SystemExit(f"bench: {' '.join(cmd)} failed: {r.stderr.decode(errors='replace').strip()[-300:]}")
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--source", action="append", type=Path)
    ap.add_argument("--format", choices=("pcap", "pcapng", "both"), default="both")
    ap.add_argument("--nlscope-arg", action="append", default=[], metavar="ARG",
                    help="an extra argument for every nlscope command (e.g. --nlscope-arg=-j1)")
    args = ap.parse_args()
    if shutil.which("tshark") is None:
        print("bench: tshark not found; apt-get install -y tshark", file=sys.stderr)
        return 1
    # byte-compiled, as an installed package is (pip compiles on install; PYTHONDONTWRITEBYTECODE,
    # set on some machines, would otherwise make every timed run compile every module)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "dissectors"), str(ROOT / "nlscope")],
                   check=True)
    sources = args.source or sorted((ROOT / "captures").glob("*.pcapng"))
    tmp = Path(tempfile.mkdtemp(prefix="nlscope-bench-"))
    ours_base = [sys.executable, "-m", "nlscope"]
    env_note = os.environ.get("BENCH_NOTE", "")
    for fmt in (("pcap", "pcapng") if args.format == "both" else (args.format,)):
        cap = tmp / f"bench.{fmt}"
        n = build_capture(sources, args.messages, cap, fmt)
        print(f"capture: {fmt}, {n} netlink messages, {cap.stat().st_size // 1024} KiB, "
              f"from {', '.join(s.name for s in sources)}")
        print(f"{'workload':<16} {'nlscope s':>10} {'tshark s':>10} {'ratio':>7}")
        for name, ours, theirs in WORKLOADS:
            a, b = [], []
            for _ in range(args.runs):
                a.append(timed(ours_base + ours + args.nlscope_arg + [str(cap)]))
                b.append(timed(["tshark", "-n", "-r", str(cap)] + theirs))
            ma, mb = statistics.median(a), statistics.median(b)
            print(f"{name:<16} {ma:>10.2f} {mb:>10.2f} {ma / mb:>7.2f}", flush=True)
        cap.unlink()
    if env_note:
        print(env_note)
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
