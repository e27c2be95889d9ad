"""Benchmark: `kg build` of the bundled data without and with the official statute texts.

Runs `python -m kg build --no-laws` and `--laws DIR` alternately (so drift on a shared machine
hits both alike), each in a process of its own, and prints the medians of the wall time and of
the build's own stages, the quads, and the ratio with/without.

    python bench/bench_laws.py [--laws ../shared/laws] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = re.compile(r"took ([\d.]+) s \(read and map ([\d.]+), dumps and load ([\d.]+), validate ([\d.]+)\)")


def _build(out: Path, options: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    printed = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--out", str(out), *options], capture_output=True, text=True, check=True
    ).stdout
    wall = time.perf_counter() - start
    stages = STAGES.search(printed)
    quads = re.search(r"built (\d+) quads", printed)
    assert stages and quads, printed
    names = ("build", "read and map", "dumps and load", "validate")
    return {
        "wall": wall,
        "quads": float(quads[1]),
        **{n: float(v) for n, v in zip(names, stages.groups(), strict=True)},
    }


def main() -> None:
    """Run the benchmark and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laws", type=Path, default=Path("..") / "shared" / "laws")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    configs = {"without texts": ["--no-laws"], "with texts": ["--laws", str(args.laws)]}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in configs}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for name, options in configs.items():
                runs[name].append(_build(Path(tmp) / "out", options))
    medians = {name: {key: statistics.median(r[key] for r in rows) for key in rows[0]} for name, rows in runs.items()}
    for name, m in medians.items():
        stages = ", ".join(f"{k} {m[k]:.2f}" for k in ("read and map", "dumps and load", "validate"))
        print(f"{name:14} {int(m['quads']):>6} quads  wall {m['wall']:.2f} s  build {m['build']:.2f} s ({stages})")
    ratio = medians["with texts"]["build"] / medians["without texts"]["build"]
    print(
        f"with/without: build x{ratio:.2f}, quads x{medians['with texts']['quads'] / medians['without texts']['quads']:.2f}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(medians, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
