"""A long fuzz run of the newsletter reader: the suite's hostile-input tests, many times over.

    python bench/fuzz_newsletters.py [--scale 10]

runs ``tests/test_fuzz_newsletters.py`` with ``KG_FUZZ_SCALE`` (10 = 100,000 generated, mutated and
saved-page inputs) and reports how many ran, how long it took, and any input that crashed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Run the fuzz tests at a larger scale; the exit code is pytest's."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10.0, help="multiple of the suite's 10,000 inputs")
    args = parser.parse_args()
    env = {**os.environ, "KG_FUZZ_SCALE": str(args.scale)}
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(ROOT / "tests" / "test_fuzz_newsletters.py"),
        ],
        cwd=ROOT,
        env=env,
    )
    took = time.perf_counter() - start
    print(f"{int(10_000 * args.scale):,} inputs in {took:.0f} s ({10_000 * args.scale / took:,.0f} inputs/s)")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
