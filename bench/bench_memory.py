#!/usr/bin/env python3
"""Peak memory of `nlscope read` on a small and on a very large capture (default 2 GiB).

    python3 bench/bench_memory.py [--gib 2] [--small-mib 20]

Both captures replicate the committed real captures (as bench_read.py does); each
workload runs in a fresh process and its peak resident size is read from the kernel
(ru_maxrss).  Flat memory means the large file's peaks match the small file's.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_read import build_capture  # noqa: E402

WORKLOADS = [("-q", ["-q"]), ("summary", []), ("-V", ["-V"]), ("-T json", ["-T", "json"])]
PROBE = ("import resource, subprocess, sys\n"
         "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def peak_mib(cmd: list[str]) -> tuple[float, float]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PROBE, *cmd], capture_output=True, text=True, check=True).stdout
    return int(out.split()[-1]) / 1024, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gib", type=float, default=2.0)
    ap.add_argument("--small-mib", type=float, default=20.0)
    ap.add_argument("--workloads", default="-q,summary", help="comma-separated: -q, summary, -V, -T json")
    args = ap.parse_args()
    sources = sorted((ROOT / "captures").glob("*.pcapng"))
    tmp = Path(tempfile.mkdtemp(prefix="nlscope-mem-"))
    per_msg = None
    rows = []
    for label, size in (("small", args.small_mib * 2 ** 20), ("large", args.gib * 2 ** 30)):
        path = tmp / f"{label}.pcap"
        if per_msg is None:   # bytes a message takes in the replicated capture
            n = build_capture(sources, 10_000, path)
            per_msg = path.stat().st_size / n
        n = build_capture(sources, int(size / per_msg), path)
        for name, flags in WORKLOADS:
            if name not in args.workloads.split(","):
                continue
            mib, secs = peak_mib([sys.executable, "-m", "nlscope", "read", *flags, str(path)])
            rows.append((label, path.stat().st_size / 2 ** 20, n, name, mib, secs))
            print(f"{label:<6} {rows[-1][1]:>9.0f} MiB {n:>10} msgs  {name:<8} peak {mib:>7.1f} MiB  {secs:>7.1f} s",
                  flush=True)
        path.unlink()
    tmp.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
