"""One benchmark command: every stage at every scale beside the bare engine on the same data, against the targets.

    python bench/run.py [--scales 10000 100000 1000000] [--repeat 3] [--serve-seconds 60]
    python bench/run.py --markdown bench/results/latest.json [--readme README.md]
    python bench/run.py --compare old.json new.json

Each stage of each scale runs in a fresh process (so its peak memory is its own and it inherits
no state) on a seeded synthetic corpus (bench/synth.py: a data folder of reference files and
curated event records mapping to the asked number of triples, and synthetic newsletters with
the real issues' quirks). Beside each of our stages, in the same run, the engine alone does the
same work on the same data (the *anchors*):

=============================================  ================================================  ======================
our stage                                      anchor                                            target
=============================================  ================================================  ======================
``kg build`` without its validation            ``Store(path).bulk_load`` of the same ``kg.nq``   ≤ 1.3× the anchor
whole-graph validation (``validate_store``)    pyshacl-turbo alone, same graph, core shapes      ≤ 0.8× the anchor
one new issue ingested (``kg.ingest.ingest``)  –                                                 < 0.5 s
cases citing a law, first page, on disk        the same query text, bare pyoxigraph in memory    < 50 ms
cases citing a law, all rows, on disk          the same                                          < 200 ms
every named query, on disk                     the same                                          < 1 s each
GraphML export                                 the export's two queries, bare, in memory         < 10 s
peak memory of any command                     the bare on-disk bulk load                        < 1 GB
``kg serve``, 8 clients, named queries         –                                                 no error (p95 shown)
=============================================  ================================================  ======================

The targets are set at 1M triples; a ratio target means the same at every scale, an absolute
one is easy below 1M. Medians are over --repeat runs. The results (one row per stage and
scale: our median, the anchor's, the ratio ours/anchor, the target, met or not, and every raw
figure) go to bench/results/latest.json; ``--markdown`` turns that file into the README's tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "tests" / "fixtures" / "heldout" / "sample_2023_06.txt"
LATEST = HERE / "results" / "latest.json"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
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
    "article-text": {"law": "PIPL"},
    "in-force-on": {"date": "2022-01-01"},
    "rules-implementing-article": {"law": "PIPL", "article": "38"},
}
CASES = "cases-citing-law"
CASES_PAGE = "cases-citing-law, page 1"


def median_and_last(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` runs in seconds, and the last run's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


#: Runs per query, at least: a query takes milliseconds, and on a shared machine a median of
#: three of them swings by a third.
QUERY_REPEAT = 7


def query_median(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of a query (one untimed run first, then at least :data:`QUERY_REPEAT`), and its last result.

    The first run reads the store's blocks from disk into the caches; what is measured is a
    query asked again, as an endpoint or a notebook asks them. Ours and the anchors alike.
    """
    run()
    return median_and_last(run, max(repeat, QUERY_REPEAT))


def median_s(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    return median_and_last(run, repeat)[0]


def _linker() -> object:
    from kg.ingest import load_backbone
    from kg.newsletter.link import Linker

    return Linker(load_backbone())


def _query_texts() -> list[tuple[str, str]]:
    """Every named query bound to its benchmark parameters (and each paginated one's first page)."""
    from kg.queries import bind, library

    linker = _linker()
    runs = [(name, query, QUERY_PARAMS.get(name, {})) for name, query in library().items()]
    # The first page too, where a query is paginated: what a screen of results costs.
    runs += [
        (f"{n}, page 1", q, {**QUERY_PARAMS.get(n, {}), "page": "1"}) for n, q in library().items() if q.pagination
    ]
    return [(name, bind(query, params, linker)) for name, query, params in runs]  # type: ignore[arg-type]


def _nquads(work: Path) -> Path:
    from kg.serialize import DUMP_FILES

    return work / "build" / DUMP_FILES["nquads"]


def _ntriples(work: Path) -> Path:
    from kg.serialize import DUMP_FILES

    return work / "build" / DUMP_FILES["ntriples"]


# Our stages ---------------------------------------------------------------------------------


def stage_generate(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """The synthetic data folder (not a product stage: its memory is not counted)."""
    from synth import write_data_dir

    start = time.perf_counter()
    quads = write_data_dir(triples, work / "data")
    return {"quads": quads, "generate_s": time.perf_counter() - start}


def stage_extract(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
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


def stage_build(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """``kg build --data`` of the synthetic folder, by stage; build-and-load is all but its validation.

    The first build starts from an empty output folder, so nothing is in the mapping cache
    (``build_first_s``); the ``repeat`` builds after it are rebuilds of unchanged files, the
    case of a curator's edit to one file (``build_and_load_s``, their median).
    """
    shutil.rmtree(work / "build", ignore_errors=True)
    stages: dict[str, list[float]] = {}
    quads = 0
    for _ in range(repeat + 1):
        printed, _ = _kg("build", "--data", str(work / "data"), "--out", str(work / "build"))
        took = re.search(r"^took [\d.]+ s \((.*)\)$", printed, re.MULTILINE)
        assert took is not None, printed
        for stage, seconds in re.findall(r"([a-z][a-z ]*?) ([\d.]+)(?:, |$)", took.group(1)):
            stages.setdefault(stage, []).append(float(seconds))
        quads = int(re.search(r"^built (\d+) quads", printed, re.MULTILINE).group(1))  # type: ignore[union-attr]
    runs = [sum(times[run] for stage, times in stages.items() if stage != "validate") for run in range(repeat + 1)]
    build_s = statistics.median(runs[1:])
    return {
        "build_stage_s": {stage: statistics.median(times[1:]) for stage, times in stages.items()},
        "build_first_stage_s": {stage: times[0] for stage, times in stages.items()},
        "build_first_s": runs[0],
        "build_and_load_s": build_s,
        "build_and_load_triples_per_s": quads / build_s,
    }


def stage_validate(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """Whole-graph validation of the store: ``kg.validate.validate_store``, what ``kg validate`` runs."""
    from kg.validate import default_engine, validate_store

    seconds, report = median_and_last(lambda: validate_store(work / "build" / "store"), repeat)
    return {
        "validate_whole_s": seconds,
        "validate_engine": default_engine(),
        "validate_whole_conforms": report.conforms,  # type: ignore[attr-defined]
        "validate_results": len(report.violations),  # type: ignore[attr-defined]
    }


def stage_ingest(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """One new issue ingested end to end into the big store: ``kg.ingest.ingest``, as ``kg ingest`` runs it.

    That is reading the backbone, extracting, validating incrementally and loading in one
    transaction (the Python call, so a command's start-up is not counted). It runs after every
    other stage that reads the store, so they all see the data the anchors see.
    """
    from kg.ingest import ingest

    seconds, (_, _, report) = median_and_last(lambda: ingest([SAMPLE], work / "build" / "store"), repeat)  # type: ignore[misc]
    return {"ingest_one_issue_s": seconds, "ingest_one_issue_conforms": report.conforms}


def _stage_queries(work: Path, repeat: int, in_memory: bool) -> dict[str, object]:
    from kg.query import Session

    where = "memory" if in_memory else "disk"
    queries: dict[str, float] = {}
    rows: dict[str, int] = {}
    texts = _query_texts()
    start = time.perf_counter()
    with Session(work / "build" / "store", in_memory=in_memory) as session:
        opened = time.perf_counter() - start
        for name, sparql in texts:
            seconds, answer = query_median(lambda sparql=sparql: session.select(sparql), repeat)
            queries[name], rows[name] = seconds * 1000, len(answer)  # type: ignore[arg-type]
    slowest = max(queries, key=queries.__getitem__)
    return {
        f"query_{where}_open_s": opened,
        f"query_{where}_ms": queries,
        f"query_{where}_max_ms": queries[slowest],
        f"query_{where}_slowest": slowest,
        "query_rows": rows,
    }


def stage_query_disk(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """Every named query on the on-disk store (what ``kg query`` does)."""
    return _stage_queries(work, repeat, in_memory=False)


def stage_query_memory(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """Every named query on the store copied into memory once (``Session(in_memory=True)``)."""
    return _stage_queries(work, repeat, in_memory=True)


def stage_export(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """The entity graph read from the store, then written in each format."""
    from kg.export import FORMATS, entity_graph, write

    seconds, graph = median_and_last(lambda: entity_graph(work / "build" / "store"), repeat)
    writes = {
        fmt: median_s(lambda fmt=fmt: write(graph, fmt, work / f"export-{fmt}"), repeat)  # type: ignore[arg-type]
        for fmt in FORMATS
    }
    return {"export_read_s": seconds, "export_write_s": writes, "export_graphml_s": seconds + writes["graphml"]}


# The kg serve stage -------------------------------------------------------------------------


def _client(url: str, texts: list[tuple[str, str]], start: int, deadline: float, out: str) -> None:
    """One client: the named queries in turn (from ``start``) until ``deadline``; latencies to ``out``."""
    import http.client
    import urllib.parse

    parsed = urllib.parse.urlsplit(url)
    records = []
    connection: http.client.HTTPConnection | None = None
    turn = start
    while time.time() < deadline:
        name, sparql = texts[turn % len(texts)]
        turn += 1
        body = urllib.parse.urlencode({"query": sparql}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
        began = time.perf_counter()
        error = ""
        try:
            if connection is None:
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=600)
            connection.request("POST", parsed.path, body, headers)
            response = connection.getresponse()
            payload = response.read()
            if response.status != 200:
                error = f"HTTP {response.status}: {payload[:200]!r}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            if connection is not None:
                connection.close()
            connection = None
        records.append({"query": name, "ms": (time.perf_counter() - began) * 1000, "error": error})
    Path(out).write_text(json.dumps(records), encoding="utf-8")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _peak_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def stage_serve(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """``kg serve`` on the store, 8 client processes running the named queries for --serve-seconds.

    The server is the real command (``python -m kg serve --port P``), started in a session of
    its own and stopped with Ctrl-C (SIGINT), as a user stops it; it stops Oxigraph's server.
    Latency is the time from sending a request to having read the whole answer.
    """
    import multiprocessing

    from kg.queries import with_prefixes
    from kg.server import free_port

    clients, seconds = int(options["serve_clients"]), options["serve_seconds"]
    texts = [(name, with_prefixes(sparql)) for name, sparql in _query_texts() if not name.endswith("page 1")]
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--store", str(work / "build" / "store"), "--port", str(port)]
    errors_file = work / "serve-stderr.txt"
    with errors_file.open("w", encoding="utf-8") as stderr:
        server = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},  # the banner must arrive before the server stops
        )
    try:
        banner = server.stdout.readline() if server.stdout else ""
        if "serving" not in banner:
            raise RuntimeError(f"kg serve did not start: {banner}{errors_file.read_text(encoding='utf-8')}")
        url = re.search(r"SPARQL endpoint (\S+)", banner).group(1)  # type: ignore[union-attr]
        deadline = time.time() + seconds
        outs = [str(work / f"client-{i}.json") for i in range(clients)]
        context = multiprocessing.get_context("fork")
        workers = [
            context.Process(target=_client, args=(url, texts, i * len(texts) // clients, deadline, outs[i]))
            for i in range(clients)
        ]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        # kg serve is a small HTTP layer in front of Oxigraph's server: the command is both processes.
        peaks = [_peak_mb(pid) for pid in (server.pid, *_children(server.pid))]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    records = [r for out in outs for r in json.loads(Path(out).read_text(encoding="utf-8"))]
    latencies = sorted(r["ms"] for r in records)
    errors = [r for r in records if r["error"]]
    return {
        "serve_clients": clients,
        "serve_seconds": elapsed,
        "serve_requests": len(records),
        "serve_errors": len(errors),
        "serve_first_errors": [f"{r['query']}: {r['error']}" for r in errors[:3]],
        "serve_p50_ms": statistics.median(latencies),
        "serve_p95_ms": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
        "serve_max_ms": latencies[-1],
        "serve_server_peak_mb": sum(mb for mb in peaks if mb is not None) or None,
    }


# Anchors: the bare engine on the same data ---------------------------------------------------


def stage_anchor_load(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """``Store(path).bulk_load`` of the build's ``kg.nq`` on disk, then ``Store().bulk_load`` in memory."""
    import pyoxigraph as ox

    nquads = str(_nquads(work))

    def on_disk() -> None:
        target = work / "anchor-store"
        shutil.rmtree(target, ignore_errors=True)
        store = ox.Store(str(target))
        store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
        shutil.rmtree(target, ignore_errors=True)

    def in_memory() -> None:
        store = ox.Store()
        store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
        del store

    disk = median_s(on_disk, repeat)
    disk_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "anchor_bulk_load_disk_s": disk,
        "anchor_bulk_load_disk_peak_mb": disk_peak,
        "anchor_bulk_load_memory_s": median_s(in_memory, repeat),
    }


def stage_anchor_validate(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """pyshacl-turbo alone: the build's ``kg.nt`` in an in-memory store (not timed), the core shapes, nothing else."""
    import pyoxigraph as ox
    import pyshacl_turbo

    from kg.validate import core_shapes_graph

    shapes = core_shapes_graph()
    store = ox.Store()
    store.bulk_load(path=str(_ntriples(work)), format=ox.RdfFormat.N_TRIPLES)

    def turbo() -> bool:
        conforms, _, _ = pyshacl_turbo.validate(
            store, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=False
        )
        return bool(conforms)

    seconds, conforms = median_and_last(turbo, repeat)
    return {"anchor_turbo_s": seconds, "anchor_turbo_conforms": conforms}


def _bare_store(work: Path) -> object:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(_nquads(work)), format=ox.RdfFormat.N_QUADS)
    return store


def _drain(solutions: object) -> int:
    # Every cell read by position (PERFORMANCE.md, trap 8): the engine's own cost of the answer.
    count = 0
    for row in solutions:  # type: ignore[attr-defined]
        for i in range(len(row)):
            _ = row[i]
        count += 1
    return count


def stage_anchor_query(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """Every named query's text, as ``kg query`` runs it, on bare pyoxigraph with the same quads in memory."""
    from kg.namespaces import PREFIXES, instance_prefixes

    prefixes = {**PREFIXES, **instance_prefixes()}
    texts = _query_texts()
    store = _bare_store(work)
    queries: dict[str, float] = {}
    for name, sparql in texts:

        def run(sparql: str = sparql) -> int:
            return _drain(store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes))  # type: ignore[attr-defined]

        queries[name] = query_median(run, repeat)[0] * 1000
    return {"anchor_query_ms": queries}


def stage_anchor_export(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """The export's two queries (entities, links) alone, on bare pyoxigraph in memory, rows drained."""
    import kg.export as export
    from kg.namespaces import DLK, PREFIXES, instance_prefixes

    nodes, edges = getattr(export, "_NODES", None), getattr(export, "_EDGES", None)
    types = getattr(export, "DEFAULT_TYPES", None)
    if not (isinstance(nodes, str) and isinstance(edges, str) and types):
        return {}  # the export is written another way now: no anchor to set beside it
    values = " ".join(f"<{DLK[t]}>" for t in types)
    prefixes = {**PREFIXES, **instance_prefixes()}
    store = _bare_store(work)

    def both() -> None:
        for query in (nodes % values, edges % (values, values)):
            _drain(store.query(query, use_default_graph_as_union=True, prefixes=prefixes))  # type: ignore[attr-defined]

    return {"anchor_export_s": median_s(both, repeat)}


def stage_baseline(work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """The plain rdflib in-memory way on the build's N-Quads (its memory is not counted as ours)."""
    return dict(rdflib_baseline(_nquads(work), repeat))


def rdflib_baseline(graph_file: Path, repeat: int) -> dict[str, float]:
    """The plain rdflib in-memory way: parse, query "cases citing PIPL", convert to networkx and write GraphML."""
    import networkx as nx
    from rdflib import Dataset
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    from kg.queries import with_prefixes
    from kg.serialize import union_graph

    out: dict[str, float] = {}
    dataset = Dataset()
    start = time.perf_counter()
    dataset.parse(graph_file, format="nquads")
    out["rdflib_parse_s"] = time.perf_counter() - start
    cases = with_prefixes(dict(_query_texts())[CASES])
    dataset.default_union = True
    out["rdflib_cases_citing_pipl_ms"] = median_s(lambda: list(dataset.query(cases)), min(repeat, 3)) * 1000
    union = union_graph(dataset)
    with tempfile.TemporaryDirectory() as tmp:
        # rdflib's own conversion: every literal becomes a node.
        out["rdflib_export_graphml_s"] = median_s(
            lambda: nx.write_graphml(rdflib_to_networkx_multidigraph(union), Path(tmp) / "rdflib.graphml"), 1
        )
    return out


#: Stages in the order they run, each in a process of its own. The ingest changes the store (a
#: new version, without dumps until ``kg dump``), so it comes after every stage that reads the
#: store or the build's dumps.
STAGES: dict[str, Callable[[Path, int, int, dict[str, float]], dict[str, object]]] = {
    "generate": stage_generate,
    "extract": stage_extract,
    "build": stage_build,
    "anchor-load": stage_anchor_load,
    "validate": stage_validate,
    "anchor-validate": stage_anchor_validate,
    "query-disk": stage_query_disk,
    "query-memory": stage_query_memory,
    "anchor-query": stage_anchor_query,
    "export": stage_export,
    "anchor-export": stage_anchor_export,
    "serve": stage_serve,
    "baseline": stage_baseline,
    "ingest": stage_ingest,
}
#: Stages whose memory is not a command's: the corpus generator, the anchors, rdflib, and
#: ``Session(in_memory=True)`` (an API choice that trades memory for speed, not a command).
NOT_COMMANDS = {
    "generate",
    "anchor-load",
    "anchor-validate",
    "anchor-query",
    "anchor-export",
    "baseline",
    "query-memory",
}


def run_stage(name: str, work: Path, triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """Run one stage here (in its own process) and add the process's peak memory."""
    out = STAGES[name](work, triples, repeat, options)
    # The stage's own process, or the largest process it waited for (a `kg` command).
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    out[f"peak_memory_mb.{name}"] = peak / 1024
    return out


def one_scale(triples: int, repeat: int, options: dict[str, float]) -> dict[str, object]:
    """Every stage at one scale, each in a fresh process forked from this small one."""
    out: dict[str, object] = {"triples_requested": triples, "repeat": repeat, "cpus": os.cpu_count()}
    out["load_average_before"] = os.getloadavg()
    peaks: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in STAGES:
            if name == "baseline" and triples > options["baseline_max"]:
                continue
            if name == "serve" and options["serve_seconds"] <= 0:
                continue
            command = [sys.executable, str(Path(__file__)), "--stage", name, "--work", tmp]
            command += ["--one-scale", str(triples), "--repeat", str(repeat), "--options", json.dumps(options)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"stage {name} at {triples} failed:\n{done.stderr}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            peaks[name] = result.pop(f"peak_memory_mb.{name}")
            out.update(result)
            print(f"  {triples}: {name} done", file=sys.stderr, flush=True)
    if out.get("serve_server_peak_mb"):
        peaks["kg serve (with its Oxigraph server)"] = out["serve_server_peak_mb"]  # type: ignore[assignment]
    out["peak_memory_mb_by_stage"] = peaks
    commands = {name: mb for name, mb in peaks.items() if name not in NOT_COMMANDS}
    out["peak_memory_stage"] = max(commands, key=commands.__getitem__)
    out["peak_memory_mb"] = commands[str(out["peak_memory_stage"])]
    out["load_average_after"] = os.getloadavg()
    return out


# Targets, rows, reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One goal of the issue: our figure, the anchor's, and the limit (a ratio to the anchor, or absolute)."""

    stage: str
    ours: str
    anchor: str | None
    unit: str
    ratio_max: float | None = None
    below: float | None = None

    def text(self) -> str:
        """The target in words."""
        if self.ratio_max is None and self.below is None:
            return "reported"
        if self.ratio_max is not None:
            return f"≤ {self.ratio_max:g}× anchor"
        if self.unit == "errors":
            return "no error"
        limit = f"{self.below / 1024:g} GB" if self.unit == "MB" else f"{self.below:g} {self.unit}"
        return f"< {limit}"


TARGETS = [
    Target(
        "build and load (no validation), rebuild", "build_and_load_s", "anchor_bulk_load_disk_s", "s", ratio_max=1.3
    ),
    # Reported beside the target, not one: the issue meets the build target with a cache of mapped
    # files by digest, which only builds after the first can use. The README says what a first
    # build costs and where its time goes.
    Target("first build and load (nothing cached)", "build_first_s", "anchor_bulk_load_disk_s", "s"),
    Target("whole-graph validation", "validate_whole_s", "anchor_turbo_s", "s", ratio_max=0.8),
    Target("one new issue ingested", "ingest_one_issue_s", None, "s", below=0.5),
    Target(
        "cases citing a law, first page", f"query_disk_ms.{CASES_PAGE}", f"anchor_query_ms.{CASES_PAGE}", "ms", below=50
    ),
    Target("cases citing a law, all rows", f"query_disk_ms.{CASES}", f"anchor_query_ms.{CASES}", "ms", below=200),
    Target("slowest named query, on disk", "query_disk_max_ms", "anchor_query_ms.{slowest}", "ms", below=1000),
    Target("GraphML export", "export_graphml_s", "anchor_export_s", "s", below=10),
    Target("peak memory of any command", "peak_memory_mb", "anchor_bulk_load_disk_peak_mb", "MB", below=1024),
    Target("kg serve, 8 clients, named queries", "serve_errors", None, "errors", below=1),
]


def _flat(result: dict[str, object], prefix: str = "") -> dict[str, float]:
    """Every number of a result, nested keys joined with '.' (e.g. ``query_disk_ms.cases-citing-law``)."""
    flat: dict[str, float] = {}
    for key, value in result.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[prefix + key] = float(value)
    return flat


def rows_of(result: dict[str, object]) -> list[dict[str, object]]:
    """The result of one scale as target rows: stage, scale, median, anchor median, ratio, target, met.

    Besides the targets, one row per named query on disk (target < 1 s each).
    """
    flat = _flat(result)
    scale = int(result["triples_requested"])  # type: ignore[call-overload]
    slowest = str(result.get("query_disk_slowest", ""))
    targets = list(TARGETS)
    names = sorted(k.split(".", 1)[1] for k in flat if k.startswith("query_disk_ms."))
    targets += [
        Target(f"query on disk: {n}", f"query_disk_ms.{n}", f"anchor_query_ms.{n}", "ms", below=1000) for n in names
    ]
    rows = []
    for target in targets:
        ours = flat.get(target.ours)
        if ours is None:
            continue
        anchor = flat.get(target.anchor.format(slowest=slowest)) if target.anchor else None
        ratio = ours / anchor if anchor else None
        met: bool | None = None  # a figure reported without a target
        if target.ratio_max is not None:
            met = ratio is not None and ratio <= target.ratio_max
        elif target.below is not None:
            met = ours < target.below
        row: dict[str, object] = {
            "stage": target.stage,
            "scale": scale,
            "quads": flat.get("quads"),
            "unit": target.unit,
            "median": ours,
            "anchor_median": anchor,
            "ratio": ratio,
            "target": target.text(),
            "met": met,
        }
        if target.unit == "errors":
            row["p50_ms"], row["p95_ms"] = flat.get("serve_p50_ms"), flat.get("serve_p95_ms")
            row["requests"] = flat.get("serve_requests")
        if target.ours == "query_disk_max_ms":
            row["query"] = slowest
        if target.ours == "peak_memory_mb":
            row["where"] = result.get("peak_memory_stage")
        rows.append(row)
    return rows


def _number(value: object, unit: str) -> str:
    if value is None:
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if unit == "ms":
        return f"{number:,.0f} ms" if number >= 100 else f"{number:.1f} ms"
    if unit == "s":
        return f"{number:.2f} s" if number < 100 else f"{number:.0f} s"
    if unit == "MB":
        return f"{number:,.0f} MB"
    return f"{number:g}"


def summary(results: list[dict[str, object]]) -> str:
    """Every target row of every scale: ours, the anchor's, the ratio, the target, met or missed."""
    lines = []
    for result in results:
        lines.append(f"at {_si(float(result['triples_requested']))} ({_flat(result).get('quads', 0):,.0f} quads):")  # type: ignore[arg-type]
        for row in rows_of(result):
            if str(row["stage"]).startswith("query on disk:"):
                continue
            ratio = f"{row['ratio']:.2f}×" if row["ratio"] is not None else "–"
            ours = _number(row["median"], str(row["unit"]))
            if row["unit"] == "errors":
                ours = f"{row['median']:g} errors in {row['requests']:,.0f} requests, p50 {_number(row['p50_ms'], 'ms')}, p95 {_number(row['p95_ms'], 'ms')}"
            verdict = {True: "met", False: "MISSED", None: ""}[row["met"]]  # type: ignore[index]
            lines.append(
                f"  {row['stage']:<36} {ours:>14} anchor {_number(row['anchor_median'], str(row['unit'])):>10} "
                f"ratio {ratio:>7}  {row['target']:<16} {verdict}"
            )
    lines.append("(targets are set at 1M triples: below 1M an absolute target is easy to meet)")
    return "\n".join(lines)


def _si(quads: float) -> str:
    return f"{quads / 1e6:g}M" if quads >= 1e6 else f"{quads / 1e3:g}k"


def load_results(paths: list[Path]) -> list[dict[str, object]]:
    """The per-scale results of result files (this script's, or the older list-of-scales form), by scale."""
    found: dict[int, dict[str, object]] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for result in data["scales"] if isinstance(data, dict) else data:
            found[int(result["triples_requested"])] = result
    return [found[scale] for scale in sorted(found)]


def markdown(results: list[dict[str, object]]) -> str:
    """The results as the README's tables: the targets at the largest scale, figures per scale, named queries."""
    rows = [_flat(r) for r in results]
    scales = [_si(round(float(r["triples_requested"]))) for r in results]  # type: ignore[arg-type]
    largest = results[-1]
    loads = ", ".join(
        f"{scale} {float(r['load_average_before'][0]):.1f}"  # type: ignore[index]
        for scale, r in zip(scales, results, strict=True)
        if r.get("load_average_before")
    )
    out = [f"**Targets** (set at 1M triples), measured at {scales[-1]} in one run beside the anchors:", ""]
    if loads:
        cores = largest.get("cpus") or os.cpu_count()
        out = [f"Load average of the {cores}-core machine as each scale started: {loads}.", "", *out]
    out += ["| stage | ours | anchor (the engine alone, same data) | ratio | target | |", "|---|---|---|---|---|---|"]
    for row in rows_of(largest):
        if str(row["stage"]).startswith("query on disk:"):
            continue
        unit = str(row["unit"])
        ours = _number(row["median"], unit)
        if unit == "errors":
            ours = f"{row['median']:g} errors, {row['requests']:,.0f} requests; p50 {_number(row['p50_ms'], 'ms')}, p95 {_number(row['p95_ms'], 'ms')}"
        if row.get("query"):
            ours += f" (`{row['query']}`)"
        if row.get("where"):
            ours += f" (`{row['where']}`)"
        ratio = f"{row['ratio']:.2f}×" if row["ratio"] is not None else ""
        out.append(
            f"| {row['stage']} | {ours} | {_number(row['anchor_median'], unit) if row['anchor_median'] else ''} "
            f"| {ratio} | {row['target']} | {({True: 'met', False: '**missed**', None: ''})[row['met']]} |"  # type: ignore[index]
        )

    def cell(row: dict[str, float], key: str, fmt: str) -> str:
        return fmt.format(row[key]) if key in row else "–"

    headline = [
        ("quads", "quads", "{:,.0f}"),
        ("extraction (items/s)", "extract_items_per_s", "{:,.0f}"),
        ("`kg build`, first build: read and map (s)", "build_first_stage_s.read and map", "{:.2f}"),
        ("`kg build`, rebuild: read and map (from the cache) (s)", "build_stage_s.read and map", "{:.2f}"),
        ("`kg build`: the dumps, the store loading beside them (s)", "build_stage_s.dumps", "{:.2f}"),
        ("`kg build`: the load's end, after the dumps (s)", "build_stage_s.load", "{:.2f}"),
        ("**build and load**, a rebuild (mapping cached) (s)", "build_and_load_s", "**{:.2f}**"),
        ("first build and load, nothing cached (s)", "build_first_s", "{:.2f}"),
        ("anchor: bulk load of `kg.nq`, on disk (s)", "anchor_bulk_load_disk_s", "{:.2f}"),
        ("anchor: bulk load of `kg.nq`, in memory (s)", "anchor_bulk_load_memory_s", "{:.2f}"),
        ("rdflib parse of the same N-Quads (s)", "rdflib_parse_s", "{:.1f}"),
        ("`kg build`: its validation (s)", "build_stage_s.validate", "{:.2f}"),
        ("**whole-graph validation** of the store (s)", "validate_whole_s", "**{:.2f}**"),
        ("anchor: pyshacl-turbo alone, core shapes (s)", "anchor_turbo_s", "{:.2f}"),
        ("**one issue ingested** (read the backbone, extract, validate, load) (s)", "ingest_one_issue_s", "**{:.3f}**"),
        ("**cases citing PIPL**, on disk (ms)", f"query_disk_ms.{CASES}", "**{:,.1f}**"),
        ("cases citing PIPL, in memory (ms)", f"query_memory_ms.{CASES}", "{:,.1f}"),
        ("anchor: the same text, bare, in memory (ms)", f"anchor_query_ms.{CASES}", "{:,.1f}"),
        ("cases citing PIPL, rdflib in memory (ms)", "rdflib_cases_citing_pipl_ms", "{:,.0f}"),
        ("**cases citing PIPL, first page of 50**, on disk (ms)", f"query_disk_ms.{CASES_PAGE}", "**{:,.1f}**"),
        ("anchor: the same text, bare, in memory (ms)", f"anchor_query_ms.{CASES_PAGE}", "{:,.1f}"),
        ("**slowest named query**, on disk (ms)", "query_disk_max_ms", "**{:,.0f}**"),
        ("slowest named query, in memory (ms)", "query_memory_max_ms", "{:,.0f}"),
        ("copy the store into memory (s)", "query_memory_open_s", "{:.1f}"),
        ("export: read the entity graph (s)", "export_read_s", "{:.2f}"),
        ("**GraphML export** (read + write) (s)", "export_graphml_s", "**{:.2f}**"),
        ("anchor: the export's two queries, bare, in memory (s)", "anchor_export_s", "{:.2f}"),
        ("rdflib_to_networkx + GraphML (s)", "rdflib_export_graphml_s", "{:.1f}"),
        ("**`kg serve`**, 8 clients for `--serve-seconds`: requests", "serve_requests", "{:,.0f}"),
        ("`kg serve`: errors", "serve_errors", "{:,.0f}"),
        ("`kg serve`: p50 / p95 latency (ms)", "serve_p50_ms", "{:,.0f}"),
        ("", "serve_p95_ms", "{:,.0f}"),
        ("**peak memory** (largest command, MB)", "peak_memory_mb", "**{:,.0f}**"),
        ("peak memory, `kg validate` (MB)", "peak_memory_mb_by_stage.validate", "{:,.0f}"),
        ("anchor: peak memory of the bare on-disk bulk load (MB)", "anchor_bulk_load_disk_peak_mb", "{:,.0f}"),
        ("anchor: peak memory of pyshacl-turbo alone (MB)", "peak_memory_mb_by_stage.anchor-validate", "{:,.0f}"),
    ]
    out += ["", "| | " + " | ".join(scales) + " |", "|---|" + "---|" * len(scales)]
    for i, (title, key, fmt) in enumerate(headline):
        if not title:
            continue
        if key == "serve_p50_ms":
            _, p95_key, p95_fmt = headline[i + 1]
            cells = [f"{cell(r, key, fmt)} / {cell(r, p95_key, p95_fmt)}" for r in rows]
        else:
            cells = [cell(r, key, fmt) for r in rows]
        out.append(f"| {title} | " + " | ".join(cells) + " |")
    names = sorted({k.split(".", 1)[1] for r in rows for k in r if k.startswith("query_disk_ms.")})
    out += [
        "",
        "| named query (rows at the largest scale) | "
        + " | ".join(f"{s} disk / memory / bare (ms)" for s in scales)
        + " |",
        "|---|" + "---|" * len(scales),
    ]
    for name in names:
        count = rows[-1].get(f"query_rows.{name}")
        cells = [
            " / ".join(
                cell(r, f"{kind}.{name}", "{:,.0f}") for kind in ("query_disk_ms", "query_memory_ms", "anchor_query_ms")
            )
            for r in rows
        ]
        counted = f" ({count:,.0f})" if count is not None else ""
        out.append(f"| `{name}`{counted} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def write_readme(readme: Path, tables: str) -> None:
    """Put ``tables`` between the README's ``<!-- bench:start -->`` and ``<!-- bench:end -->`` lines."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        sys.exit(f"{readme}: no {README_START} … {README_END} block to fill")
    readme.write_text(text[: start + len(README_START)] + "\n" + tables + "\n" + text[end:], encoding="utf-8")


def compare(old: Path, new: Path) -> str:
    """Ratios new/old for every number two result files share, scale by scale."""
    before = {int(r["triples_requested"]): _flat(r) for r in load_results([old])}  # type: ignore[call-overload]
    lines = []
    for result in load_results([new]):
        was = before.get(int(result["triples_requested"]))  # type: ignore[call-overload]
        if not was:
            continue
        for key, value in _flat(result).items():
            if was.get(key):
                lines.append(
                    f"{result['triples_requested']:>9} {key:<44} {was[key]:12.3f} -> {value:12.3f}  x{value / was[key]:.2f}"
                )
    return "\n".join(lines)


def save(results: list[dict[str, object]], path: Path, argv: list[str]) -> None:
    """Write the results: the target rows of every scale, and every raw figure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": "python bench/run.py " + " ".join(argv),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "rows": [row for result in results for row in rows_of(result)],
        "scales": results,
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    """Run every scale in its own process, then print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--baseline-max", type=int, default=1_000_000, help="largest scale for the rdflib baseline (minutes at 1M)"
    )
    parser.add_argument("--serve-seconds", type=float, default=60, help="how long the kg serve clients run (0: skip)")
    parser.add_argument("--serve-clients", type=int, default=8)
    parser.add_argument("--json", type=Path, default=LATEST, help=f"where the results go (default {LATEST})")
    parser.add_argument("--compare", type=Path, nargs=2, default=None, metavar=("OLD", "NEW"))
    parser.add_argument(
        "--markdown",
        type=Path,
        nargs="+",
        default=None,
        metavar="RESULTS",
        help="print result files as Markdown tables",
    )
    parser.add_argument("--readme", type=Path, default=None, help="with --markdown: write the tables into this README")
    parser.add_argument("--one-scale", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--stage", choices=list(STAGES), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--options", type=json.loads, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    options = args.options or {
        "baseline_max": args.baseline_max,
        "serve_seconds": args.serve_seconds,
        "serve_clients": args.serve_clients,
    }
    if args.stage is not None:
        print(json.dumps(run_stage(args.stage, args.work, args.one_scale, args.repeat, options)))
        return
    if args.compare:
        print(compare(*args.compare))
        return
    if args.markdown:
        tables = markdown(load_results(args.markdown))
        if args.readme:
            write_readme(args.readme, tables)
        else:
            print(tables)
        return
    if args.one_scale is not None:
        print(json.dumps(one_scale(args.one_scale, args.repeat, options)))
        return
    results = []
    for scale in args.scales:
        command = [sys.executable, str(Path(__file__)), "--one-scale", str(scale), "--repeat", str(args.repeat)]
        command += ["--options", json.dumps(options)]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"scale {scale} failed")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"scale {scale}: done", file=sys.stderr)
        save(results, args.json, sys.argv[1:])
    print(summary(results))
    print(f"results in {args.json}")


if __name__ == "__main__":
    main()
