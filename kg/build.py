"""``kg build``: reference data to RDF, dumps and the embedded store, all or nothing.

Everything is made in a staging folder first; only when the store has loaded do
the new store and the new dumps replace the old ones. A build that fails at any
step leaves the last good store and dumps as they were.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import RDF

from kg import progress
from kg.errors import NotConforming
from kg.events import load_event_record, records_to_nodes
from kg.ingest import EVENTS_FOLDER
from kg.mapping import IriIndex
from kg.namespaces import DEFAULT_BASE_IRI, DLK, PREFIXES, instance_prefixes
from kg.newsletter.link import Linker
from kg.rdf import MappedIssue, dataset_nquads, index_for, map_issue
from kg.reference import load_reference
from kg.resources import resource_dir
from kg.serialize import DUMP_FILES, WRITE_ORDER, write_dump
from kg.store import DEFAULT_STORE, activate_version, discard_version, load_version
from kg.validate import ValidationReport, validate_ntriples

DEFAULT_OUT = Path("build")


@dataclass
class BuildReport:
    """What a build made: where, how many quads, how many nodes per class, and how long each stage took."""

    out_dir: Path
    store_path: Path
    triples: int
    class_counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    validation: ValidationReport | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for the terminal."""
        width = max((len(name) for name in self.class_counts), default=0)
        lines = [f"built {self.triples} quads into {self.store_path}"]
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.class_counts.items()]
        lines += [f"wrote {path}" for path in self.files]
        if self.validation is not None:
            errors = len(self.validation.errors())
            warnings = len(self.validation.violations) - errors
            lines.append(
                f"validation: {'conforms' if not errors else f'{errors} violation(s) (forced)'}, {warnings} warning(s)"
            )
        if self.seconds:
            stages = ", ".join(f"{stage} {took:.2f}" for stage, took in self.seconds.items())
            lines.append(f"took {sum(self.seconds.values()):.2f} s ({stages})")
        return "\n".join(lines)


def build(
    data_dir: Path | None = None,
    out_dir: Path = DEFAULT_OUT,
    store_path: Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    force: bool = False,
    engine: str | None = None,
    workers: int | None = None,
    laws_dir: Path | None = None,
    skip_unknown_laws: bool = False,
) -> BuildReport:
    """Build the graph from the reference data in ``data_dir`` (the bundled ``data/`` by default).

    With ``laws_dir``, the official Chinese statute texts there (:mod:`kg.laws`) add one node
    per article to the backbone; without it, the graph has no article texts. A text whose title
    names no instrument of the backbone is an error, or with ``skip_unknown_laws`` a warning
    (:attr:`BuildReport.warnings`).

    The curated event records in ``data_dir/events/`` become one named graph per issue.
    The whole graph is validated (with ``engine``, :func:`kg.validate.default_engine` by
    default) before the store is touched: data that does not conform raises
    :class:`NotConforming` and leaves the store and dumps as they were, unless ``force``.

    Writes ``kg.ttl``, ``kg.nt``, ``kg.nq`` and ``kg.jsonld`` to ``out_dir`` and
    replaces the store at ``store_path`` (``<out_dir>/store`` by default). Event files are read
    and mapped by ``workers`` processes (one per core by default) when there are many.
    """
    data_dir = resource_dir("data") if data_dir is None else data_dir
    store_path = out_dir / DEFAULT_STORE.name if store_path is None else store_path
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    with progress.task("reading the reference data"):
        backbone = load_reference(data_dir, laws_dir, skip_unknown_laws=skip_unknown_laws)
    events = sorted((data_dir / EVENTS_FOLDER).glob("*.yaml"))
    mapper = _IssueMapper(Linker(backbone), index_for(backbone, base_iri))
    mapped = progress.track(mapper.map_all(events, workers), "reading and mapping event files", len(events))
    nquads = dataset_nquads(backbone, base_iri, mapped)
    quads, class_counts = sum(map(len, nquads.values())), _class_counts(nquads)
    lap("read and map")

    out_dir.mkdir(parents=True, exist_ok=True)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    prefixes = {**PREFIXES, **instance_prefixes(base_iri)}
    version: Path | None = None
    try:
        first, *others = WRITE_ORDER
        with progress.task(f"writing the dumps and loading {quads} quads into the store"):
            staged = [write_dump(first, nquads, staging, prefixes)]
            # The store loads (in Rust, without the GIL) while the other dumps are written.
            with ThreadPoolExecutor(1) as pool:
                loading = pool.submit(load_version, store_path, staged[0])
                try:
                    staged += [write_dump(fmt, nquads, staging, prefixes) for fmt in others]
                finally:
                    version = loading.result()
        del nquads  # the dumps hold it now; at a million triples this frees a few hundred MB for validation
        lap("dumps and load")
        with progress.task("validating the graph against the shapes"):
            validation = validate_ntriples(staging / DUMP_FILES["ntriples"], engine)
        lap("validate")
        if not validation.conforms and not force:
            raise NotConforming(validation, "the built graph")
        activate_version(store_path, version)
        version = None
        files = []
        for path in sorted(staged, key=lambda p: list(DUMP_FILES.values()).index(p.name)):
            target = out_dir / path.name
            path.replace(target)
            files.append(target)
    finally:
        if version is not None:
            discard_version(version)
        shutil.rmtree(staging, ignore_errors=True)
    return BuildReport(out_dir, store_path, quads, class_counts, files, validation, seconds, backbone.warnings)


#: Fewer event files than this are read and mapped in the build's own process.
PARALLEL_FROM = 200


class _IssueMapper:
    """Reads curated event files and maps them to statements, here or in worker processes."""

    current: _IssueMapper | None = None  # the mapper a forked worker inherited

    def __init__(self, linker: Linker, backbone_index: IriIndex) -> None:
        self.linker = linker
        self.backbone_index = backbone_index

    def map_file(self, path: Path) -> MappedIssue:
        """One event file read, validated and mapped (an ``InputError`` names its line)."""
        return map_issue(records_to_nodes(load_event_record(path), self.linker), self.backbone_index)

    @staticmethod
    def _map_in_worker(path: Path) -> MappedIssue:
        assert _IssueMapper.current is not None
        return _IssueMapper.current.map_file(path)

    def map_all(self, paths: list[Path], workers: int | None = None) -> Iterator[MappedIssue]:
        """Every file mapped, in order; with several cores and many files, in forked worker processes.

        Reading YAML and mapping take most of a large build and are independent per issue.
        Workers are forked so they inherit the linker and index instead of unpickling them.
        """
        workers = workers or os.cpu_count() or 1
        if workers < 2 or len(paths) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
            yield from map(self.map_file, paths)
            return
        _IssueMapper.current = self
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                yield from pool.map(_IssueMapper._map_in_worker, paths, chunksize=max(1, len(paths) // (workers * 8)))
        finally:
            _IssueMapper.current = None


def _class_counts(nquads: dict[str, list[str]]) -> dict[str, int]:
    # Distinct nodes per dlk: class, over all graphs (a node typed in two graphs counts once).
    typed = f" <{RDF.type}> <{DLK}"
    members: dict[str, set[str]] = {}
    for lines in nquads.values():
        for line in lines:
            if typed in line:
                subject, _, rest = line.partition(typed)
                members.setdefault("dlk:" + rest.partition(">")[0], set()).add(subject)
    return {name: len(nodes) for name, nodes in sorted(members.items())}
