"""Benchmark: exports of a synthetic graph (default 1M triples) and the interactive page.

Bulk-loads a synthetic graph (bench/synth.py) into an on-disk store, then times reading the
entity graph into networkx and writing each format (medians over --repeat runs), and the
sampled interactive page. Prints medians; --json keeps them.

    python bench/bench_export.py [--triples 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from run import median_s
from synth import write_graph

from kg.export import FORMATS, entity_graph, sample, write
from kg.store import replace_store
from kg.view import write_page


def main() -> None:
    """Run the benchmark and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        graph_file = Path(tmp) / "graph.nq"
        results["quads"] = write_graph(args.triples, graph_file)
        store = Path(tmp) / "store"
        replace_store(store, graph_file)

        def timed(run) -> float:  # type: ignore[no-untyped-def]
            return median_s(run, args.repeat)

        results["read_entity_graph_s"] = timed(lambda: entity_graph(store))
        graph = entity_graph(store)
        results["nodes"], results["edges"] = graph.number_of_nodes(), graph.number_of_edges()
        for fmt in FORMATS:
            out = Path(tmp) / ("csv" if fmt == "csv" else f"graph.{fmt}")
            results[f"write_{fmt}_s"] = timed(lambda fmt=fmt, out=out: write(graph, fmt, out))
        results["view_page_s"] = timed(lambda: write_page(sample(graph, 1500)[0], Path(tmp) / "view.html"))
    for key, value in results.items():
        print(f"{key:>22}: {value:,.2f}" if isinstance(value, float) else f"{key:>22}: {value}")
    print(f"{'graphml total':>22}: {results['read_entity_graph_s'] + results['write_graphml_s']:.1f} s (target < 30 s)")  # type: ignore[operator]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
