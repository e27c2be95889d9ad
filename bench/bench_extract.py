"""Benchmark: parse and extract a synthetic newsletter issue of N items (default 10,000).

The synthetic issue is made from templates in our own words, with the quirks of the
real issues (day-month dates, ".N" markers, misspelt abbreviations, a headline glued
after its paragraph, section headings). Prints the median over repeated runs of
parse and extraction throughput (items/s) on one core.

    python bench/bench_extract.py [--items 10000] [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from synth import synthetic_newsletter

from kg.newsletter.extract import Extractor
from kg.newsletter.link import Linker
from kg.newsletter.segment import parse_text
from kg.reference import load_reference
from kg.resources import resource_dir

#: Issue 11: extraction stays at or above this on the synthetic 10,000-item issue.
TARGET_ITEMS_PER_S = 1_000


def main() -> None:
    """Run the benchmark and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", default=None, help="write the results to this JSON file")
    args = parser.parse_args()

    text = synthetic_newsletter(args.items)
    extractor = Extractor(Linker(load_reference(resource_dir("data"))))
    parse_times, extract_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        issue = parse_text(text, "synthetic.txt")
        parsed = time.perf_counter()
        extractor.extract(issue)
        parse_times.append(parsed - start)
        extract_times.append(time.perf_counter() - parsed)
    found = len(issue.items)
    results = {
        "items": args.items,
        "items_parsed": found,
        "repeat": args.repeat,
        "parse_median_s": statistics.median(parse_times),
        "extract_median_s": statistics.median(extract_times),
        "parse_items_per_s": found / statistics.median(parse_times),
        "extract_items_per_s": found / statistics.median(extract_times),
        "end_to_end_items_per_s": found
        / statistics.median(p + e for p, e in zip(parse_times, extract_times, strict=True)),
    }
    for key, value in results.items():
        print(f"{key:>24}: {value:,.3f}" if isinstance(value, float) else f"{key:>24}: {value}")
    ratio = results["end_to_end_items_per_s"] / TARGET_ITEMS_PER_S
    print(f"{'target ratio (>= 1)':>24}: {ratio:,.2f}  (end-to-end / {TARGET_ITEMS_PER_S:,} items/s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
