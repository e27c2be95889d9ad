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
import random
import statistics
import time

from kg.extract import Extractor
from kg.link import Linker
from kg.parse import parse_text
from kg.reference import load_reference
from kg.resources import resource_dir

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
BODIES = [
    "the CAC",
    "the MIIT",
    "the MITT",
    "the Ministry of Public Security",
    "the SAMR",
    "the Shanghai Municipal Cyberspace Administration",
]
LAWS = ["the Personal Information Protection Law", "the Data Security Law", "the Cybersecurity Law", "the PIPL"]
COURTS = [
    "the Hangzhou Internet Court",
    "the Beijing Haidian District People's Court",
    "the People's Court of Xiaoshan District",
]
TEMPLATES = [
    (
        "{Body} Fines Platform over Data Practices",
        "On {date}, {body} fined an online platform RMB {amount} for breaching {law}.",
    ),
    (
        "{Body} Names {n} Apps for Excessive Data Collection",
        "On {date}, {body} named {n} apps that collected data beyond their functions and ordered them to rectify.",
    ),
    (
        "{Body} Issues the Measures on {topic}",
        "On {date}, {body} issued the Measures on {topic}, which will take effect on {later}.",
    ),
    (
        "{Body} Releases Draft Provisions on {topic}",
        "On {date}, {body} released the Provisions on {topic} (Draft for Comments) to implement {law}.",
    ),
    (
        "Court Sentences Data Seller",
        "On {date}, {court} sentenced a defendant to {years} years in prison and fined him RMB {amount} under the Criminal Law.",
    ),
]
TOPICS = ["Data Labelling Security", "Vehicle Data Export", "Smart Meter Data", "Health Data Sharing", "Biometric Data"]


def synthetic_issue(items: int, seed: int = 7) -> str:
    """A newsletter issue of ``items`` items, deterministic for a seed."""
    rng = random.Random(seed)
    lines = [" date 2024-12-31 ARTICLE", ""]
    sections = ["LEGISLATION", "ENFORCEMENT CASES", "COURTS LITIGATION"]
    for n in range(1, items + 1):
        if n % 40 == 1:
            lines += [sections[(n // 40) % 3], ""]
        headline, paragraph = rng.choice(TEMPLATES)
        body = rng.choice(BODIES)
        values = {
            "body": body,
            "Body": body.removeprefix("the ").replace("Ministry of Public Security", "MPS"),
            "law": rng.choice(LAWS),
            "court": rng.choice(COURTS),
            "topic": rng.choice(TOPICS),
            "n": rng.randint(2, 90),
            "amount": f"{rng.randint(1, 999):,},000",
            "years": rng.randint(1, 5),
            "date": f"{rng.randint(1, 28)} {rng.choice(MONTHS[:11])}"
            if n % 2
            else f"{rng.choice(MONTHS[:11])} {rng.randint(1, 28)}",
            "later": f"{rng.choice(MONTHS)} {rng.randint(1, 28)}",
        }
        head, text = headline.format(**values), paragraph.format(**values)
        if n % 25 == 0:  # the headline printed after its paragraph, glued to the marker
            lines += [f"{text} {n}{head}", ""]
        else:
            lines += [head, "", f"{text}{'.' if n % 3 else ' '}{n}" if not text.endswith(".") else f"{text}{n}", ""]
    lines += [f"{n} https://example.org/{n}" for n in range(1, items + 1)]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", default=None, help="write the results to this JSON file")
    args = parser.parse_args()

    text = synthetic_issue(args.items)
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
    print(f"{'target ratio (>= 1)':>24}: {results['end_to_end_items_per_s'] / 200:,.2f}  (end-to-end / 200 items/s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
