"""Write the crafted hostile captures of tests/hostile/corpus.py into a directory, to try by hand.

    python3 bench/hostile_corpus.py /tmp/hostile
    for f in /tmp/hostile/*; do nlscope read -V "$f" > /dev/null; echo "$? $f"; done

Each file is listed with its size and what it carries (the item of issue #13).  The gzip
bomb inflates to 1.25 GiB: read it only with a memory limit (`ulimit -v 1048576`).
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hostile.corpus import write_corpus  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", help="where to write the files (made if missing)")
    args = ap.parse_args()
    for c in write_corpus(args.directory):
        print(f"{c.path.stat().st_size:>10}  {c.name:<30} {c.what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
