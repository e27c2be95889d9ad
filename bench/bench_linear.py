"""Benchmark: reading newsletters stays linear in their size, from 10 KB to 10 MB.

Two inputs at every size: a synthetic footnoted issue (``synth.synthetic_newsletter``, the real
issues' quirks) and hard-wrapped prose at 72 columns without a footnote marker, the input that
once took 170 s at 1 MB. Prints, per size, the median parse and extraction times, items/s, and
each size's items/s as a ratio of the smallest size's (flat is about 1). CPU time is measured
beside wall time, since the machine is shared.

    python bench/bench_linear.py [--sizes 10000 100000 1000000 10000000] [--repeat 3] [--json F]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synthetic_newsletter

from kg.ingest import load_backbone
from kg.newsletter.extract import Extractor
from kg.newsletter.link import Linker
from kg.newsletter.segment import parse_text

_WORDS = [
    "the",
    "regulator",
    "issued",
    "rules",
    "on",
    "data",
    "export",
    "and",
    "personal",
    "information",
    "protection",
    "for",
    "app",
    "operators",
    "in",
    "Shanghai",
    "while",
    "the",
    "court",
    "heard",
    "a",
    "case",
    "about",
    "a",
    "platform",
    "that",
    "sold",
    "location",
    "data",
    "of",
    "its",
    "users",
]


def footnoted(size: int) -> str:
    """A synthetic footnoted issue of about ``size`` characters."""
    items = max(1, size // 330)
    text = synthetic_newsletter(items)
    while len(text) < size * 0.9:
        items = int(items * size / max(len(text), 1)) + 1
        text = synthetic_newsletter(items)
    return text


def wrapped(size: int, seed: int = 3) -> str:
    """Hard-wrapped prose of about ``size`` characters, paragraphs of 80 words, no footnote marker."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < size:
        opening = f"On {rng.randint(1, 28)} May 2023, the Cyberspace Administration of China said that"
        paragraph = textwrap.fill(opening + " " + " ".join(rng.choice(_WORDS) for _ in range(80)) + ".", 72)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def measure(text: str, extractor: Extractor, repeat: int) -> dict[str, float]:
    """Median parse and extract times (wall and CPU) of ``text``, and the items found."""
    parse_wall, parse_cpu, extract_wall, extract_cpu = [], [], [], []
    items = 0
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        issue = parse_text(text, "bench.txt")
        parse_wall.append(time.perf_counter() - w)
        parse_cpu.append(time.process_time() - c)
        w, c = time.perf_counter(), time.process_time()
        extractor.extract(issue)
        extract_wall.append(time.perf_counter() - w)
        extract_cpu.append(time.process_time() - c)
        items = len(issue.items)
    total_cpu = statistics.median(parse_cpu) + statistics.median(extract_cpu)
    return {
        "bytes": len(text.encode("utf-8")),
        "items": items,
        "parse_s": statistics.median(parse_wall),
        "extract_s": statistics.median(extract_wall),
        "cpu_s": total_cpu,
        "items_per_cpu_s": items / total_cpu if total_cpu else 0.0,
        "mb_per_cpu_s": len(text) / 1e6 / total_cpu if total_cpu else 0.0,
    }


def main() -> int:
    """Measure every size, print the table, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    extractor = Extractor(Linker(load_backbone(None)))
    results: dict[str, list[dict[str, float]]] = {"footnoted": [], "wrapped": []}
    for size in args.sizes:
        results["footnoted"].append(measure(footnoted(size), extractor, args.repeat))
        results["wrapped"].append(measure(wrapped(size), extractor, max(1, args.repeat if size <= 1_000_000 else 1)))
    for name, rows in results.items():
        base = rows[0]["items_per_cpu_s"] if name == "footnoted" else rows[0]["mb_per_cpu_s"]
        print(f"{name}:")
        print(
            f"  {'bytes':>12} {'items':>7} {'parse s':>8} {'extract s':>9} {'cpu s':>7} {'rate':>12} {'vs smallest':>11}"
        )
        for row in rows:
            rate = row["items_per_cpu_s"] if name == "footnoted" else row["mb_per_cpu_s"]
            unit = "items/s" if name == "footnoted" else "MB/s"
            print(
                f"  {int(row['bytes']):>12,} {int(row['items']):>7,} {row['parse_s']:>8.2f} {row['extract_s']:>9.2f}"
                f" {row['cpu_s']:>7.2f} {rate:>8,.1f} {unit:<7} {rate / base if base else 0:>5.2f}"
            )
    one_mb = [r for r in results["wrapped"] if 900_000 <= r["bytes"] <= 1_100_000]
    if one_mb:
        read, facts = one_mb[0]["parse_s"], one_mb[0]["extract_s"]
        print(
            f"1 MB hard-wrapped text read into its {int(one_mb[0]['items']):,} items in {read:.2f} s"
            f" (target < 2 s: {'met' if read < 2 else 'missed'}); their facts extracted in {facts:.2f} s"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
