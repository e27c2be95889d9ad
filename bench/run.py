"""One benchmark command: every stage at every scale, medians, rdflib baselines, peak memory, JSON.

    python bench/run.py [--scales 10000 100000 1000000] [--repeat 3] [--json bench-results.json]
    python bench/run.py --scales 5000000 --repeat 1 --baseline-max 0 --json bench-5m.json
    python bench/run.py --compare old.json new.json
    python bench/run.py --markdown bench-results.json bench-5m.json     # the README's tables

Each stage of each scale runs in a fresh process (so its peak memory is its own, and no stage
inherits another's state) and measures, on a seeded
synthetic corpus (bench/synth.py: a data folder of reference files and curated event records
that maps to the asked number of triples) and synthetic newsletters with the real issues' quirks:

* extraction: parse + extract items/s (an issue of scale/100 items, at most 10,000);
* build and load: ``kg build --data`` of the synthetic folder (read, map to RDF, write the four
  dumps, load the on-disk store: triples/s), its own validation step reported apart; vs rdflib
  parsing the same N-Quads;
* validation: the whole store (``kg validate``, pyshacl-turbo), and one issue ingested end to end
  (extract, validate incrementally, load) into the big store;
* each named query on the on-disk store and in memory (``Session(in_memory=True)``), vs rdflib in
  memory for "cases citing PIPL";
* exports: the entity graph read from the store, then each format written; GraphML vs
  rdflib_to_networkx_multidigraph;
* peak memory: the maximum resident set size of each stage's process, and the largest of them
  (the runner that forks them imports nothing heavy: Linux carries ru_maxrss across fork and exec).

Medians are over --repeat runs. Ratios are baseline time / our time, measured in the same run
on the same machine; the rdflib baseline runs at scales up to --baseline-max.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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


def _linker() -> object:
    from kg.ingest import load_backbone
    from kg.newsletter.link import Linker

    return Linker(load_backbone())


def stage_generate(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """The synthetic data folder (not a product stage: its memory is not counted)."""
    from synth import write_data_dir

    start = time.perf_counter()
    quads = write_data_dir(triples, work / "data")
    return {"quads": quads, "generate_s": time.perf_counter() - start}


def stage_extract(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """Parse + extract one synthetic newsletter of scale/100 items (at most 10,000)."""
    from synth import synthetic_newsletter

    from kg.newsletter.extract import Extractor
    from kg.newsletter.segment import parse_text

    items = max(25, min(10_000, triples // 100))
    text = synthetic_newsletter(items)
    extractor = Extractor(_linker())  # type: ignore[arg-type]
    seconds = median_s(lambda: extractor.extract(parse_text(text, "synthetic.txt")), repeat)
    return {"extract_items": items, "extract_items_per_s": items / seconds}


def _kg(*args: str) -> tuple[str, float]:
    """Run one ``kg`` command in a process of its own, as a user would; its output and wall time."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"kg {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout, time.perf_counter() - start


def stage_build(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """``kg build --data`` of the synthetic folder, by stage; build-and-load is all but its validation."""
    from kg.serialize import DUMP_FILES
    from kg.store import discard_version, load_version

    stages: dict[str, list[float]] = {}
    for _ in range(repeat):
        printed, _ = _kg("build", "--data", str(work / "data"), "--out", str(work / "build"))
        took = re.search(r"^took [\d.]+ s \((.*)\)$", printed, re.MULTILINE)
        assert took is not None, printed
        for stage, seconds in re.findall(r"([a-z][a-z ]*?) ([\d.]+)(?:, |$)", took.group(1)):
            stages.setdefault(stage, []).append(float(seconds))
        quads = int(re.search(r"^built (\d+) quads", printed, re.MULTILINE).group(1))  # type: ignore[union-attr]
    runs = [sum(times[run] for stage, times in stages.items() if stage != "validate") for run in range(repeat)]
    build_s = statistics.median(runs)

    def bulk_load_alone() -> None:
        # The build loads while it writes the other dumps; this is the load by itself, the
        # figure to set beside rdflib parsing the same file.
        discard_version(load_version(work / "scratch" / "store", work / "build" / DUMP_FILES["nquads"]))

    (work / "scratch").mkdir(exist_ok=True)
    return {
        "store_load_s": median_s(bulk_load_alone, repeat),
        "build_stage_s": {stage: statistics.median(times) for stage, times in stages.items()},
        "build_and_load_s": build_s,
        "build_and_load_triples_per_s": quads / build_s,
    }


def stage_validate(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """``kg validate``: the whole store, pyshacl-turbo (each run a command of its own)."""
    runs = [_kg("validate", "--store", str(work / "build" / "store")) for _ in range(repeat)]
    return {
        "validate_whole_s": statistics.median(seconds for _, seconds in runs),
        "validate_whole_conforms": all("conforms: no violations" in printed for printed, _ in runs),
    }


def stage_ingest(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """One new issue ingested end to end into the big store: ``kg.ingest.ingest``, as ``kg ingest`` runs it.

    That is reading the backbone, extracting, validating incrementally and loading in one
    transaction (the Python call, so a command's start-up is not counted).
    """
    from kg.ingest import ingest

    seconds, (_, _, report) = median_and_last(lambda: ingest([SAMPLE], work / "build" / "store"), repeat)  # type: ignore[misc]
    return {"ingest_one_issue_s": seconds, "ingest_one_issue_conforms": report.conforms}


def _stage_queries(work: Path, repeat: int, in_memory: bool) -> dict[str, object]:
    from kg.queries import bind, library
    from kg.query import Session

    where = "memory" if in_memory else "disk"
    linker = _linker()
    queries: dict[str, float] = {}
    rows: dict[str, int] = {}
    start = time.perf_counter()
    with Session(work / "build" / "store", in_memory=in_memory) as session:
        opened = time.perf_counter() - start
        runs = [(name, query, QUERY_PARAMS.get(name, {})) for name, query in library().items()]
        # The first page too, where a query is paginated: what a screen of results costs.
        runs += [
            (f"{n}, page 1", q, {**QUERY_PARAMS.get(n, {}), "page": "1"}) for n, q in library().items() if q.pagination
        ]
        for name, query, params in runs:
            sparql = bind(query, params, linker)  # type: ignore[arg-type]
            seconds, answer = median_and_last(lambda sparql=sparql: session.select(sparql), repeat)
            queries[name], rows[name] = seconds * 1000, len(answer)  # type: ignore[arg-type]
    return {
        f"query_{where}_open_s": opened,
        f"query_{where}_ms": queries,
        f"query_{where}_max_ms": max(queries.values()),
        "query_rows": rows,
    }


def stage_query_disk(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """Every named query on the on-disk store (what ``kg query`` does)."""
    return _stage_queries(work, repeat, in_memory=False)


def stage_query_memory(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """Every named query on the store copied into memory once (``Session(in_memory=True)``)."""
    return _stage_queries(work, repeat, in_memory=True)


def stage_export(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """The entity graph read from the store, then written in each format."""
    from kg.export import FORMATS, entity_graph, write

    seconds, graph = median_and_last(lambda: entity_graph(work / "build" / "store"), repeat)
    writes = {
        fmt: median_s(lambda fmt=fmt: write(graph, fmt, work / f"export-{fmt}"), repeat)  # type: ignore[arg-type]
        for fmt in FORMATS
    }
    return {"export_read_s": seconds, "export_write_s": writes, "export_graphml_s": seconds + writes["graphml"]}


def stage_baseline(work: Path, triples: int, repeat: int) -> dict[str, object]:
    """The plain rdflib in-memory way on the build's N-Quads (its memory is not counted as ours)."""
    from kg.serialize import DUMP_FILES

    return dict(rdflib_baseline(work / "build" / DUMP_FILES["nquads"], repeat))


#: Stages in the order they run; each runs in a process of its own.
STAGES: dict[str, Callable[[Path, int, int], dict[str, object]]] = {
    "generate": stage_generate,
    "extract": stage_extract,
    "build": stage_build,
    "validate": stage_validate,
    "ingest": stage_ingest,
    "query-disk": stage_query_disk,
    "query-memory": stage_query_memory,
    "export": stage_export,
    "baseline": stage_baseline,
}
NOT_OURS = {"generate", "baseline"}


def run_stage(name: str, work: Path, triples: int, repeat: int) -> dict[str, object]:
    """Run one stage here (in its own process) and add the process's peak memory."""
    out = STAGES[name](work, triples, repeat)
    # The stage's own process, or the largest `kg` command it ran.
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    out[f"peak_memory_mb.{name}"] = peak / 1024
    return out


def one_scale(triples: int, repeat: int, baseline_max: int) -> dict[str, object]:
    """Every stage at one scale, each in a fresh process forked from this small one."""
    out: dict[str, object] = {"triples_requested": triples, "repeat": repeat}
    peaks: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in STAGES:
            if name == "baseline" and triples > baseline_max:
                continue
            command = [sys.executable, str(Path(__file__)), "--stage", name, "--work", tmp]
            command += ["--one-scale", str(triples), "--repeat", str(repeat)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"stage {name} at {triples} failed:\n{done.stderr}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            peaks[name] = result.pop(f"peak_memory_mb.{name}")
            out.update(result)
            print(f"  {triples}: {name} done", file=sys.stderr, flush=True)
    out["peak_memory_mb_by_stage"] = peaks
    out["peak_memory_mb"] = max(mb for name, mb in peaks.items() if name not in NOT_OURS)
    if "rdflib_parse_s" in out:
        out["load_ratio_rdflib_over_ours"] = out["rdflib_parse_s"] / out["store_load_s"]  # type: ignore[operator]
        for where in ("disk", "memory"):
            ours = out[f"query_{where}_ms"]["cases-citing-law"]  # type: ignore[index]
            out[f"cases_ratio_rdflib_over_{where}"] = out["rdflib_cases_citing_pipl_ms"] / ours  # type: ignore[operator]
        out["export_ratio_rdflib_over_ours"] = out["rdflib_export_graphml_s"] / out["export_graphml_s"]  # type: ignore[operator]
    return out


def rdflib_baseline(graph_file: Path, repeat: int) -> dict[str, float]:
    """The plain rdflib in-memory way: parse, query "cases citing PIPL", convert to networkx and write GraphML."""
    import networkx as nx
    from rdflib import Dataset
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    from kg.ingest import load_backbone
    from kg.newsletter.link import Linker
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


def _flat(result: dict[str, object], prefix: str = "") -> dict[str, float]:
    """Every number of a result, nested keys joined with '.' (e.g. ``query_disk_ms.cases-citing-law``)."""
    flat: dict[str, float] = {}
    for key, value in result.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[prefix + key] = float(value)
    return flat


#: The issue's targets at 1M triples: (figure, limit).
TARGETS_1M = {
    "build_and_load_s": 15,
    "validate_whole_s": 60,
    "query_disk_max_ms": 1000,
    "query_memory_max_ms": 1000,
    "query_disk_ms.cases-citing-law": 50,
    "query_memory_ms.cases-citing-law": 50,
    "query_disk_ms.cases-citing-law, page 1": 50,
    "query_memory_ms.cases-citing-law, page 1": 50,
    "export_graphml_s": 30,
    "peak_memory_mb": 2048,
    "ingest_one_issue_s": 2,
}
COLUMNS = [
    ("quads", "quads", "{:>9.0f}"),
    ("extract/s", "extract_items_per_s", "{:>9.0f}"),
    ("build s", "build_and_load_s", "{:>8.2f}"),
    ("load s", "store_load_s", "{:>7.2f}"),
    ("rdflib×", "load_ratio_rdflib_over_ours", "{:>7.1f}"),
    ("valid s", "validate_whole_s", "{:>8.2f}"),
    ("ingest s", "ingest_one_issue_s", "{:>8.3f}"),
    ("cases ms", "query_disk_ms.cases-citing-law", "{:>8.1f}"),
    ("(mem)", "query_memory_ms.cases-citing-law", "{:>7.1f}"),
    ("rdflib×", "cases_ratio_rdflib_over_disk", "{:>7.1f}"),
    ("max q ms", "query_disk_max_ms", "{:>8.0f}"),
    ("(mem)", "query_memory_max_ms", "{:>7.0f}"),
    ("graphml s", "export_graphml_s", "{:>9.2f}"),
    ("rdflib×", "export_ratio_rdflib_over_ours", "{:>7.1f}"),
    ("peak MB", "peak_memory_mb", "{:>8.0f}"),
]


def summary(results: list[dict[str, object]]) -> str:
    """A table of the headline figures, one row per scale, and the 1M targets met or missed."""
    lines = [" ".join(f"{title:>{len(fmt.format(0))}}" for title, _, fmt in COLUMNS)]
    for result in results:
        flat = _flat(result)
        cells = [fmt.format(flat[key]) if key in flat else f"{'-':>{len(fmt.format(0))}}" for _, key, fmt in COLUMNS]
        lines.append(" ".join(cells))
    for result in results:
        if 900_000 <= float(result["quads"]) <= 1_100_000:  # type: ignore[arg-type]
            flat = _flat(result)
            lines.append("targets at 1M:")
            for key, limit in TARGETS_1M.items():
                verdict = "ok" if flat[key] < limit else "MISSED"
                lines.append(f"  {key:<34} {flat[key]:10.2f}  {verdict} (< {limit})")
    return "\n".join(lines)


def _si(quads: float) -> str:
    return f"{quads / 1e6:g}M" if quads >= 1e6 else f"{quads / 1e3:g}k"


def markdown(results: list[dict[str, object]]) -> str:
    """The results as Markdown tables: headline figures per scale, then every named query per scale."""
    rows = [_flat(r) for r in results]
    scales = [_si(round(float(r["triples_requested"]))) for r in results]  # type: ignore[arg-type]

    def cell(row: dict[str, float], key: str, fmt: str) -> str:
        return fmt.format(row[key]) if key in row else "–"

    headline = [
        ("quads", "quads", "{:,.0f}"),
        ("extraction (items/s)", "extract_items_per_s", "{:,.0f}"),
        ("`kg build`: read and map (s)", "build_stage_s.read and map", "{:.2f}"),
        ("`kg build`: dumps, and the store loading beside them (s)", "build_stage_s.dumps and load", "{:.2f}"),
        ("**build and load** (s)", "build_and_load_s", "**{:.2f}**"),
        ("build and load (triples/s)", "build_and_load_triples_per_s", "{:,.0f}"),
        ("bulk load of `kg.nq` into the on-disk store, alone (s)", "store_load_s", "{:.2f}"),
        ("rdflib parse of the same N-Quads (s)", "rdflib_parse_s", "{:.1f}"),
        ("`kg build`: its validation (s)", "build_stage_s.validate", "{:.2f}"),
        ("**whole-graph validation**, `kg validate` (s)", "validate_whole_s", "**{:.2f}**"),
        ("**one issue ingested** (read the backbone, extract, validate, load) (s)", "ingest_one_issue_s", "**{:.3f}**"),
        ("**cases citing PIPL**, on disk (ms)", "query_disk_ms.cases-citing-law", "**{:,.1f}**"),
        ("cases citing PIPL, in memory (ms)", "query_memory_ms.cases-citing-law", "{:,.1f}"),
        ("cases citing PIPL, rdflib in memory (ms)", "rdflib_cases_citing_pipl_ms", "{:,.0f}"),
        (
            "**cases citing PIPL, first page of 50**, on disk (ms)",
            "query_disk_ms.cases-citing-law, page 1",
            "**{:,.1f}**",
        ),
        ("cases citing PIPL, first page of 50, in memory (ms)", "query_memory_ms.cases-citing-law, page 1", "{:,.1f}"),
        ("**slowest named query**, on disk (ms)", "query_disk_max_ms", "**{:,.0f}**"),
        ("slowest named query, in memory (ms)", "query_memory_max_ms", "{:,.0f}"),
        ("copy the store into memory (s)", "query_memory_open_s", "{:.1f}"),
        ("export: read the entity graph (s)", "export_read_s", "{:.2f}"),
        ("**GraphML export** (read + write) (s)", "export_graphml_s", "**{:.2f}**"),
        ("rdflib_to_networkx + GraphML (s)", "rdflib_export_graphml_s", "{:.1f}"),
        ("**peak memory** (largest stage, MB)", "peak_memory_mb", "**{:,.0f}**"),
    ]
    lines = ["| | " + " | ".join(scales) + " |", "|---|" + "---|" * len(scales)]
    lines += [f"| {title} | " + " | ".join(cell(r, key, fmt) for r in rows) + " |" for title, key, fmt in headline]
    names = sorted({k.split(".", 1)[1] for r in rows for k in r if k.startswith("query_disk_ms.")})
    lines += [
        "",
        "| named query (rows at the largest scale) | " + " | ".join(f"{s} disk / memory (ms)" for s in scales) + " |",
    ]
    lines.append("|---|" + "---|" * len(scales))
    for name in names:
        count = rows[-1].get(f"query_rows.{name}")
        cells = [
            f"{cell(r, f'query_disk_ms.{name}', '{:,.0f}')} / {cell(r, f'query_memory_ms.{name}', '{:,.0f}')}"
            for r in rows
        ]
        lines.append(f"| `{name}` ({count:,.0f}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def compare(old: Path, new: Path) -> str:
    """Ratios new/old for every number two result files share, scale by scale."""
    before = {int(r["triples_requested"]): _flat(r) for r in json.loads(old.read_text(encoding="utf-8"))}
    lines = []
    for result in json.loads(new.read_text(encoding="utf-8")):
        was = before.get(int(result["triples_requested"]))
        if not was:
            continue
        for key, value in _flat(result).items():
            if was.get(key):
                lines.append(
                    f"{result['triples_requested']:>9} {key:<44} {was[key]:12.3f} -> {value:12.3f}  x{value / was[key]:.2f}"
                )
    return "\n".join(lines)


def main() -> None:
    """Run every scale in its own process, then print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--baseline-max", type=int, default=1_000_000, help="largest scale for the rdflib baseline (minutes at 1M)"
    )
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--one-scale", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--compare", type=Path, nargs=2, default=None, metavar=("OLD", "NEW"))
    parser.add_argument(
        "--markdown",
        type=Path,
        nargs="+",
        default=None,
        metavar="RESULTS",
        help="print result files as Markdown tables",
    )
    parser.add_argument("--stage", choices=list(STAGES), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage is not None:
        print(json.dumps(run_stage(args.stage, args.work, args.one_scale, args.repeat)))
        return
    if args.compare:
        print(compare(*args.compare))
        return
    if args.markdown:
        combined = [r for path in args.markdown for r in json.loads(path.read_text(encoding="utf-8"))]
        print(markdown(sorted(combined, key=lambda r: int(r["triples_requested"]))))
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
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"scale {scale} failed")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"scale {scale}: done", file=sys.stderr)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(summary(results))
    print(f"results in {args.json}")


if __name__ == "__main__":
    main()
