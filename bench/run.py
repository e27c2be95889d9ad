"""One benchmark command: every stage at every scale, medians, rdflib baselines, peak memory, JSON.

    python bench/run.py [--scales 10000 100000 1000000] [--repeat 3] [--json bench-results.json]
    python bench/run.py --compare old.json new.json

Each scale runs in a fresh process (so its peak memory is its own) and measures, on a seeded
synthetic graph (bench/synth.py) and synthetic newsletters with the real issues' quirks:

* extraction: parse + extract items/s (an issue of scale/100 items, at most 10,000);
* build and load: bulk load into the on-disk store (triples/s), vs rdflib parsing the same file;
* validation: whole graph (pyshacl-turbo), and one issue ingested incrementally;
* one new issue ingested end to end (extract, validate, load) into the big store;
* each named query on the on-disk store, vs rdflib in memory for "cases citing PIPL";
* GraphML export (entity graph + write), vs rdflib_to_networkx_multidigraph (up to --baseline-max);
* peak memory (maximum resident set size of the scale's process, forked from a small runner:
  Linux carries ru_maxrss across fork, which is also why the baseline's own peak is not reported).

Medians are over --repeat runs (stages that take minutes at the largest scales run once, and say
so). Ratios are baseline time / our time, measured in the same run on the same machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synth import synthetic_newsletter, write_graph

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "tests" / "fixtures" / "heldout" / "sample_2023_06.txt"
QUERY_PARAMS = {
    "cases-citing-law": {"law": "PIPL"},
    "instruments-under-law": {"law": "PIPL"},
    "authority-instruments": {"authority": "CAC"},
    "authority-actions": {"authority": "CAC"},
    "instrument-lifecycle": {"instrument": "Cybersecurity Review Measures"},
    "local-rules-by-place": {"place": "Shanghai"},
    "fact-provenance": {"node": "PIPL"},
    "find-entity": {"text": "data"},
    "instruments-timeline": {"since": "2021-01-01", "until": "2022-12-31"},
}


def median_and_last(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` runs in seconds, and the last run's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def median_s(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    return median_and_last(run, repeat)[0]


def one_scale(triples: int, repeat: int, baseline_max: int) -> dict[str, object]:
    """Measure every stage at one scale (called in a fresh process)."""
    from kg.export import entity_graph, write
    from kg.extract import Extractor
    from kg.ingest import extract_files, issue_graphs, load_backbone
    from kg.link import Linker
    from kg.parse import parse_text
    from kg.queries import bind, library
    from kg.query import Session
    from kg.store import replace_graphs, replace_store
    from kg.validate import validate_issue_graphs, validate_store

    big = triples >= 1_000_000
    slow_repeat = 1 if big else repeat
    out: dict[str, object] = {"triples_requested": triples, "repeat": repeat}
    backbone = load_backbone()
    linker = Linker(backbone)
    with tempfile.TemporaryDirectory() as tmp:
        graph_file = Path(tmp) / "graph.nq"
        quads = write_graph(triples, graph_file)
        out["quads"] = quads

        items = max(25, min(10_000, triples // 100))
        text = synthetic_newsletter(items)
        extractor = Extractor(linker)
        seconds = median_s(lambda: extractor.extract(parse_text(text, "synthetic.txt")), repeat)
        out["extract_items"], out["extract_items_per_s"] = items, items / seconds

        store = Path(tmp) / "store"
        load_s = median_s(lambda: replace_store(store, graph_file), slow_repeat)
        out["load_s"], out["load_triples_per_s"] = load_s, quads / load_s

        out["validate_whole_s"] = median_s(lambda: validate_store(store), slow_repeat)

        def ingest_one() -> None:
            (fresh,) = extract_files([SAMPLE], linker)
            (graph,) = issue_graphs([fresh.record], backbone)
            validate_issue_graphs([graph.graph], store, [graph.graph_iri])
            replace_graphs(store, {graph.graph_iri: graph.graph.serialize(format="nt")})

        out["ingest_one_issue_s"] = median_s(ingest_one, repeat)

        queries: dict[str, float] = {}
        with Session(store) as session:
            for name, query in library().items():
                sparql = bind(query, QUERY_PARAMS.get(name, {}), linker)
                queries[name] = median_s(lambda sparql=sparql: session.select(sparql), repeat) * 1000
        out["query_ms"] = queries
        out["query_max_ms"] = max(queries.values())

        def export() -> None:
            write(entity_graph(store), "graphml", Path(tmp) / "graph.graphml")

        out["export_graphml_s"] = median_s(export, slow_repeat)
        out["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if triples <= baseline_max:
            # In a process of its own, so its memory does not count as ours.
            command = [sys.executable, str(Path(__file__)), "--baseline", str(graph_file), "--repeat", str(repeat)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            base = json.loads(done.stdout.strip().splitlines()[-1])
            out.update(base)
            out["load_ratio_rdflib_over_ours"] = base["rdflib_parse_s"] / load_s
            out["cases_ratio_rdflib_over_ours"] = base["rdflib_cases_citing_pipl_ms"] / queries["cases-citing-law"]
            out["export_ratio_rdflib_over_ours"] = base["rdflib_export_graphml_s"] / out["export_graphml_s"]  # type: ignore[operator]
    return out


def rdflib_baseline(graph_file: Path, repeat: int) -> dict[str, float]:
    """The plain rdflib in-memory way: parse, query "cases citing PIPL", convert to networkx and write GraphML."""
    import networkx as nx
    from rdflib import Dataset
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    from kg.ingest import load_backbone
    from kg.link import Linker
    from kg.queries import bind, library, with_prefixes
    from kg.serialize import union_graph

    out: dict[str, float] = {}
    dataset = Dataset()
    start = time.perf_counter()
    dataset.parse(graph_file, format="nquads")
    out["rdflib_parse_s"] = time.perf_counter() - start
    cases = with_prefixes(
        bind(library()["cases-citing-law"], QUERY_PARAMS["cases-citing-law"], Linker(load_backbone()))
    )
    dataset.default_union = True
    out["rdflib_cases_citing_pipl_ms"] = median_s(lambda: list(dataset.query(cases)), min(repeat, 3)) * 1000
    union = union_graph(dataset)
    with tempfile.TemporaryDirectory() as tmp:
        # rdflib's own conversion: every literal becomes a node.
        out["rdflib_export_graphml_s"] = median_s(
            lambda: nx.write_graphml(rdflib_to_networkx_multidigraph(union), Path(tmp) / "rdflib.graphml"), 1
        )
    return out


TARGETS_1M = {
    "load_s": 15,
    "validate_whole_s": 60,
    "query_max_ms": 1000,
    "export_graphml_s": 30,
    "peak_memory_mb": 2048,
    "ingest_one_issue_s": 2,
}


def summary(results: list[dict[str, object]]) -> str:
    """A table of the headline figures, one row per scale."""
    head = f"{'quads':>9} {'extract/s':>9} {'load s':>7} {'rdflib×':>7} {'valid s':>8} {'ingest s':>8} {'cases ms':>8} {'rdflib×':>7} {'max q ms':>8} {'graphml s':>9} {'peak MB':>8}"
    lines = [head]
    for r in results:
        load_ratio = f"{r['load_ratio_rdflib_over_ours']:7.1f}" if "load_ratio_rdflib_over_ours" in r else f"{'-':>7}"
        cases_ratio = (
            f"{r['cases_ratio_rdflib_over_ours']:7.1f}" if "cases_ratio_rdflib_over_ours" in r else f"{'-':>7}"
        )
        lines.append(
            f"{r['quads']:>9} {r['extract_items_per_s']:9.0f} {r['load_s']:7.2f} {load_ratio} "
            f"{r['validate_whole_s']:8.2f} {r['ingest_one_issue_s']:8.3f} {r['query_ms']['cases-citing-law']:8.1f} "  # type: ignore[index]
            f"{cases_ratio} {r['query_max_ms']:8.0f} {r['export_graphml_s']:9.2f} {r['peak_memory_mb']:8.0f}"
        )
    big = [r for r in results if int(r["quads"]) >= 900_000]  # type: ignore[call-overload]
    if big:
        lines.append(
            "targets at 1M: "
            + ", ".join(
                f"{k} {big[0][k]:.2f} ({'ok' if float(big[0][k]) < v else 'MISSED'} < {v})"
                for k, v in TARGETS_1M.items()
            )
        )  # type: ignore[arg-type]
    return "\n".join(lines)


def compare(old: Path, new: Path) -> str:
    """Ratios new/old for every number two result files share."""
    before = {int(r["triples_requested"]): r for r in json.loads(old.read_text(encoding="utf-8"))}
    lines = []
    for r in json.loads(new.read_text(encoding="utf-8")):
        was = before.get(int(r["triples_requested"]))
        if not was:
            continue
        for key, value in r.items():
            if isinstance(value, float) and isinstance(was.get(key), float) and was[key]:
                lines.append(
                    f"{r['triples_requested']:>9} {key:<34} {was[key]:12.3f} -> {value:12.3f}  x{value / was[key]:.2f}"
                )
    return "\n".join(lines)


def main() -> None:
    """Run every scale in its own process, then print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--baseline-max", type=int, default=100_000, help="largest scale for the slow rdflib export baseline"
    )
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--one-scale", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--compare", type=Path, nargs=2, default=None, metavar=("OLD", "NEW"))
    parser.add_argument("--baseline", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline is not None:
        print(json.dumps(rdflib_baseline(args.baseline, args.repeat)))
        return
    if args.compare:
        print(compare(*args.compare))
        return
    if args.one_scale is not None:
        print(json.dumps(one_scale(args.one_scale, args.repeat, args.baseline_max)))
        return
    results = []
    for scale in args.scales:
        command = [
            sys.executable,
            str(Path(__file__)),
            "--one-scale",
            str(scale),
            "--repeat",
            str(args.repeat),
            "--baseline-max",
            str(args.baseline_max),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"scale {scale} failed:\n{done.stderr}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"scale {scale}: done", file=sys.stderr)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(summary(results))
    print(f"results in {args.json}")


if __name__ == "__main__":
    main()
