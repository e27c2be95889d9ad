"""Benchmark: every named query on a synthetic graph (default 1M triples), embedded and remote.

The graph (bench/synth.py) is bulk-loaded into an on-disk store, as `kg build` makes it.
Each named query runs --repeat times on the embedded store (on disk, and an in-memory copy),
then through a real Oxigraph server on 127.0.0.1 (read-only, same store), and "cases citing
PIPL" once more on plain rdflib in memory as the baseline. Prints medians, the remote
overhead and the ratios; --json keeps the figures.

    python bench/bench_queries.py [--triples 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset
from run import QUERY_PARAMS as PARAMS
from run import median_and_last
from synth import write_graph

from kg.ingest import load_backbone
from kg.namespaces import PREFIXES, instance_prefixes
from kg.newsletter.link import Linker
from kg.queries import Endpoint, bind, library, run_remote, with_prefixes
from kg.query import Session
from kg.server import start_server
from kg.store import open_store, replace_store


def _median_ms(run, repeat: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    seconds, rows = median_and_last(run, repeat)
    return seconds * 1000, rows  # type: ignore[return-value]


def _count(answer: object) -> int:
    if isinstance(answer, ox.QuerySolutions):
        return sum(1 for _ in answer)
    return len(answer["results"]["bindings"])  # type: ignore[index]


def main() -> None:
    """Run the benchmark and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    linker = Linker(load_backbone())
    prefixes = {**PREFIXES, **instance_prefixes()}
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        graph_file = Path(tmp) / "graph.nq"
        quads = write_graph(args.triples, graph_file)
        store_path = Path(tmp) / "store"
        replace_store(store_path, graph_file)
        start = time.perf_counter()
        session = Session(store_path, in_memory=True)
        memory = session.store
        memory_load = time.perf_counter() - start
        server = start_server(store_path)
        try:
            endpoint = Endpoint(server.query_url, timeout=120)
            with open_store(store_path) as disk:
                for name, query in library().items():
                    sparql = bind(query, PARAMS.get(name, {}), linker)
                    row: dict[str, object] = {"query": name}

                    def embedded(store: ox.Store, text: str = sparql) -> int:
                        return _count(store.query(text, use_default_graph_as_union=True, prefixes=prefixes))

                    row["disk_ms"], row["rows"] = _median_ms(lambda: embedded(disk), args.repeat)
                    row["memory_ms"], _ = _median_ms(lambda: embedded(memory), args.repeat)
                    row["remote_ms"], _ = _median_ms(
                        lambda text=sparql: _count(run_remote(endpoint, text)), args.repeat
                    )
                    row["remote_overhead_ms"] = row["remote_ms"] - row["disk_ms"]  # type: ignore[operator]
                    rows.append(row)
                    print(json.dumps(row))
        finally:
            server.stop()
        dataset = Dataset()
        start = time.perf_counter()
        dataset.parse(graph_file, format="nquads")
        rdflib_load = time.perf_counter() - start
        baseline_sparql = with_prefixes(bind(library()["cases-citing-law"], PARAMS["cases-citing-law"], linker))
        dataset.default_union = True
        baseline_ms, baseline_rows = _median_ms(lambda: len(list(dataset.query(baseline_sparql))), min(args.repeat, 3))
    cases = next(r for r in rows if r["query"] == "cases-citing-law")
    print(f"\n{quads} quads; rdflib parse {rdflib_load:.1f} s; on-disk store copied into memory in {memory_load:.1f} s")
    print(f"{'query':<26} {'rows':>6} {'disk ms':>9} {'memory ms':>10} {'remote ms':>10} {'overhead':>9}")
    for r in rows:
        print(
            f"{r['query']:<26} {r['rows']:>6} {r['disk_ms']:9.1f} {r['memory_ms']:10.1f} {r['remote_ms']:10.1f} {r['remote_overhead_ms']:9.1f}"
        )
    print(
        f"cases citing PIPL: {cases['disk_ms']:.1f} ms on disk, {cases['memory_ms']:.1f} ms in memory, "
        f"rdflib {baseline_ms:.0f} ms ({baseline_rows} rows): rdflib/oxigraph-disk = {baseline_ms / cases['disk_ms']:.1f}x"  # type: ignore[operator]
    )
    slowest = max(rows, key=lambda r: r["disk_ms"])  # type: ignore[arg-type,return-value]
    print(f"slowest named query on disk: {slowest['query']} {slowest['disk_ms']:.0f} ms (target < 1000 ms)")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"quads": quads, "rows": rows, "rdflib_cases_citing_pipl_ms": baseline_ms}, indent=1),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
