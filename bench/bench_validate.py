"""Benchmark: SHACL validation at 10k, 100k and 1M triples, whole-graph and incremental.

For each scale: a synthetic graph (bench/synth.py) is bulk-loaded into an on-disk store;
then ``validate_store`` runs with each engine (the shapes as SPARQL on the store, then the
SHACL engines; pySHACL is skipped above --pyshacl-max, where one run takes minutes), and one
newsletter issue is ingested into the store:
incremental validation of its graph plus the transaction that writes it. Prints medians
over --repeat runs and the ratios between engines; --json keeps the figures.

    python bench/bench_validate.py [--scales 10000 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from run import median_and_last
from synth import write_graph

from kg.ingest import extract_files, issue_graphs, load_backbone, store_issue_graphs
from kg.newsletter.link import Linker
from kg.store import replace_store
from kg.validate import validate_issue_graphs, validate_store

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "heldout" / "sample_2023_06.txt"


def main() -> None:
    """Run the benchmark and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pyshacl-max", type=int, default=100_000)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    backbone = load_backbone()
    (extraction,) = extract_files([SAMPLE], Linker(backbone))
    (issue,) = issue_graphs([extraction.record], backbone)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            graph_file = Path(tmp) / f"graph-{scale}.nq"
            quads = write_graph(scale, graph_file)
            store = Path(tmp) / f"store-{scale}"
            load_s, _ = median_and_last(lambda store=store, graph_file=graph_file: replace_store(store, graph_file), 1)
            row: dict[str, object] = {"triples": quads, "load_s": load_s}
            for engine in ("oxigraph", "turbo", "pyshacl"):
                if engine == "pyshacl" and scale > args.pyshacl_max:
                    continue
                seconds, report = median_and_last(
                    lambda store=store, engine=engine: validate_store(store, engine=engine), args.repeat
                )
                row[f"whole_{engine}_s"] = seconds
                row[f"whole_{engine}_conforms"] = report.conforms  # type: ignore[attr-defined]

            def incremental(store: Path = store) -> object:
                report = validate_issue_graphs([issue.graph], store, [issue.graph_iri])
                store_issue_graphs(store, [issue])
                return report

            seconds, report = median_and_last(incremental, args.repeat)
            row["incremental_ingest_s"] = seconds
            row["incremental_conforms"] = report.conforms  # type: ignore[attr-defined]
            row["turbo_over_oxigraph"] = row["whole_turbo_s"] / row["whole_oxigraph_s"]  # type: ignore[operator]
            if "whole_pyshacl_s" in row:
                row["pyshacl_over_turbo"] = row["whole_pyshacl_s"] / row["whole_turbo_s"]  # type: ignore[operator]
            rows.append(row)
            print(json.dumps(row))
    print(f"\n{'triples':>9} {'oxigraph s':>11} {'turbo s':>9} {'pyshacl s':>10} {'ratio':>6} {'incremental s':>14}")
    for row in rows:
        pyshacl_s = f"{row['whole_pyshacl_s']:10.2f}" if "whole_pyshacl_s" in row else f"{'-':>10}"
        ratio = f"{row['pyshacl_over_turbo']:6.1f}" if "pyshacl_over_turbo" in row else f"{'-':>6}"
        print(
            f"{row['triples']:>9} {row['whole_oxigraph_s']:11.2f} {row['whole_turbo_s']:9.2f} {pyshacl_s} {ratio} {row['incremental_ingest_s']:14.3f}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
