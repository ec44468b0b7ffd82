#!/usr/bin/env python3
"""A long run of the file-level fuzzer: capture *structure* mutated, read_capture checked.

    python3 bench/fuzz_files.py [--seconds 600] [--seed N] [--save DIR] [--limit-mib 1024]

Seeds are the committed captures and files made from them on the fly (pcap in its four
magics, big-endian pcapng, several sections, every packet block kind, gzip).  Mutations
(tests/nlscope/sources/craft.py, Mutator) change block types and lengths, trailing
lengths, options, interfaces, timestamps and resolutions, byte order, pcap record
headers, cuts, huge frames and the gzip around it all.  The contract for each input:
Frames, then at most one CaptureError, every message and warning one line, in bounded
time (a finding if over 5 s) and memory (the process runs under RLIMIT_AS; a MemoryError
is a finding).  Findings are printed and, with --save, written there; turn each into a
case of tests/nlscope/sources/test_capture_fuzz.py.  The bounded CI run is that test.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save", type=Path, help="directory for the inputs of findings")
    ap.add_argument("--limit-mib", type=int, default=1024, help="address-space limit of this process")
    args = ap.parse_args()
    limit = args.limit_mib << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from tests.nlscope.sources import craft

    inputs = craft.seeds(ROOT / "captures")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)

    def on_finding(raw: bytes, problem: str) -> None:
        print(f"finding: {problem}", flush=True)
        if args.save:
            (args.save / f"finding-{hashlib.sha1(raw).hexdigest()[:12]}.cap").write_bytes(raw)

    with tempfile.TemporaryDirectory(prefix="nlscope-fuzz-files-") as tmp:
        stats = craft.fuzz(inputs, args.seed, seconds=args.seconds, tmp=Path(tmp), on_finding=on_finding)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    kinds = collections.Counter(stats["findings"])
    rate = stats["executions"] / stats["seconds"]
    print(f"{stats['executions']} executions in {stats['seconds']:.0f} s ({rate:.0f}/s), "
          f"{stats['frames']} frames read, {stats['errors']} inputs ended in a CaptureError, "
          f"slowest input {stats['slowest']:.2f} s, peak RSS {peak} MiB, {len(stats['findings'])} findings"
          f"{' (' + str(len(kinds)) + ' kinds)' if kinds else ''}")
    for problem, n in kinds.most_common():
        print(f"  {n:6} {problem}")
    return 1 if stats["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
