"""``kg build``: reference data to RDF, dumps and the embedded store, all or nothing.

Everything is made in a new store version (:mod:`kg.store`): the dumps, the store loaded from
``kg.nq`` beside them, the journal and the manifest. Only when the version is complete and
valid does it become the store, with one rename that switches store, dumps and manifest
together. A build that fails (or is killed) at any step leaves the last good store and dumps
as they were; the next writer removes what it left.

Event files are read and mapped once: an unchanged file in an unchanged context (reference
data, ontology, code) is taken from the cache beside the store (:mod:`kg.mapcache`). The
dataset then travels as one block of sorted N-Triples lines per graph; the store loads those
in a thread of its own (Oxigraph, without the GIL) while the dumps are written, and is compacted
while the graph is validated.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import RDF

from kg import journal, progress
from kg.errors import InputError, NotConforming, StoreError
from kg.events import issue_graph_name, load_event_record, records_to_nodes
from kg.faults import kill_point
from kg.ingest import EVENTS_FOLDER, stored_manifest
from kg.lock import DEFAULT_WAIT
from kg.manifest import IssueEntry, Manifest, make_manifest
from kg.mapcache import FixedGraphs, MappedFile, MappingCache, cache_dir, context_digest, file_digest
from kg.mapping import IriIndex
from kg.namespaces import DEFAULT_BASE_IRI, DLK, PREFIXES, instance_prefixes
from kg.newsletter.link import Linker
from kg.rdf import dataset_blocks, fixed_blocks, graph_iri, index_for, map_issue
from kg.reference import ReferenceData, load_reference
from kg.resources import resource_dir
from kg.serialize import (
    DUMP_FILES,
    nquads_block,
    ntriples_block,
    union_lines,
    write_dump,
    write_nquads,
    write_store_dumps,
)
from kg.store import (
    DEFAULT_STORE,
    Loading,
    dump_sizes,
    link_dumps,
    load_chunks,
    patched_graphs,
    version_store,
    writing,
)
from kg.validate import ValidationReport, default_engine, validate_dataset, validate_ntriples

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
    kept: list[str] = field(default_factory=list)
    """Issues ingested since the last build, re-applied from the journal."""
    withdrawn: list[str] = field(default_factory=list)
    """Curated issues left out because they were withdrawn since."""
    dropped: list[str] = field(default_factory=list)
    """Ingested issues and graphs of other names left out (``--drop-ingested``)."""

    def summary(self) -> str:
        """A few lines for the terminal."""
        width = max((len(name) for name in self.class_counts), default=0)
        lines = [f"built {self.triples} quads into {self.store_path}"]
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.class_counts.items()]
        lines += [f"wrote {path}" for path in self.files]
        if self.kept:
            lines.append(f"kept {len(self.kept)} issue(s) ingested since the last build: {_some(self.kept)}")
        if self.withdrawn:
            lines.append(f"left out {len(self.withdrawn)} withdrawn issue(s): {_some(self.withdrawn)}")
        if self.dropped:
            lines.append(
                f"dropped {len(self.dropped)} ingested issue(s) or graph(s) (--drop-ingested): {_some(self.dropped)}"
            )
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


def _some(names: list[str], most: int = 10) -> str:
    """The first ``most`` names, and how many more."""
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


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
    drop_ingested: bool = False,
    wait: float = DEFAULT_WAIT,
) -> BuildReport:
    """Build the graph from the reference data in ``data_dir`` (the bundled ``data/`` by default).

    With ``laws_dir``, the official Chinese statute texts there (:mod:`kg.laws`) add one node
    per article to the backbone; without it, the graph has no article texts. A text whose title
    names no instrument of the backbone is an error, or with ``skip_unknown_laws`` a warning
    (:attr:`BuildReport.warnings`).

    The curated event records in ``data_dir/events/`` become one named graph per issue, and so
    do the issues ingested since the last build (the current store's journal, :mod:`kg.journal`),
    which are kept, and the withdrawals, which stay withdrawn, unless ``drop_ingested``.
    The whole graph is validated (with ``engine``, :func:`kg.validate.default_engine` by
    default) before the store is touched: data that does not conform raises
    :class:`NotConforming` and leaves the store and dumps as they were, unless ``force``.

    Makes a new store version holding the store, ``kg.ttl``, ``kg.nt``, ``kg.nq``, ``kg.jsonld``
    and the manifest, links ``out_dir/kg.*`` to its dumps, and makes it the store at
    ``store_path`` (``<out_dir>/store`` by default), holding the store's writer lock (waiting up
    to ``wait`` s for another writer). Event files are read and mapped by ``workers`` processes
    (one per core by default) when there are many.
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

    events = sorted((data_dir / EVENTS_FOLDER).glob("*.yaml"))
    if out_dir.exists() and not out_dir.is_dir():
        raise StoreError(f"cannot make the output folder {out_dir}: a file of that name is in the way")
    # A build refused for bad input removes the folders it made: it leaves none behind.
    made = [path for path in (out_dir, store_path, cache_dir(store_path)) if not path.exists()]
    # The reference data is read (or its graphs found in the cache) before the store is locked, so
    # bad reference data is refused before anything is made.
    context = context_digest(data_dir, laws_dir, skip_unknown_laws, base_iri)
    reader = _Reader(data_dir, laws_dir, skip_unknown_laws, base_iri, MappingCache(cache_dir(store_path), context))
    try:
        fixed = reader.fixed()
        with writing(store_path, "kg build", wait, create=True) as writer:
            for leftover in out_dir.glob(".staging-*"):  # left by builds of kg before store versions
                shutil.rmtree(leftover, ignore_errors=True)
            current = writer.current
            previous = stored_manifest(writer, base_iri, damaged_ok=True) if current else None
            entries = {} if drop_ingested else journal.read_journal(current)
            replayed = (
                [journal.entry_path(current, i) for i, e in entries.items() if not e.withdrawn] if current else []
            )
            issues: dict[str, tuple[MappedFile, IssueEntry]] = {}
            paths = events + replayed
            read = progress.track(reader.map_all(paths, workers), "reading and mapping event files", len(paths))
            for number, mapped in enumerate(read):
                # An issue ingested since (its journal entry, mapped after the curated records) wins.
                entry = entries.get(mapped.issue_id) if number >= len(events) else None
                issues[mapped.issue_id] = (
                    mapped,
                    _issue_entry(mapped.issue_id, mapped.name, mapped.items, paths[number], entry, base_iri),
                )
            withdrawn = sorted(i for i, e in entries.items() if e.withdrawn and issues.pop(i, None) is not None)
            _refuse_to_lose(previous, issues, drop_ingested)
            graphs = dataset_blocks(
                fixed.graphs, ((m.issue_id, m.own, m.curation) for m, _ in issues.values()), base_iri
            )
            quads = sum(block.count(b"\n") for block in graphs.values())
            lap("read and map")

            version = writer.fresh()
            kill_point("version-made")
            prefixes = {**PREFIXES, **instance_prefixes(base_iri)}
            loading: Loading | None = None
            try:
                with progress.task(f"writing the dumps and loading {quads} quads into the store"):
                    # The store loads the graphs from memory (in Rust, without the GIL, in a thread of
                    # its own) while kg.nq and the other dumps are written: the load is the longest
                    # stage, and waiting for kg.nq put 1.4 s before it at a million quads.
                    loading = Loading(
                        version,
                        load_chunks(nquads_block(iri, block) for iri, block in graphs.items()),
                        lenient=_MAPPED_IRIS_CHECKED,
                    )
                    manifest_graphs = write_nquads(graphs, version / DUMP_FILES["nquads"], patched_graphs(base_iri))
                    union = union_lines(graphs)
                    class_counts = _class_counts(union)
                    with (version / DUMP_FILES["ntriples"]).open("wb") as sink:
                        sink.writelines(union)
                    # At a million triples, a few hundred MB (the loader lets go of the graphs as it ends).
                    del union, graphs
                    for fmt in ("turtle", "jsonld"):  # written by Oxigraph from the files just written
                        write_dump(fmt, {}, version, prefixes)
                    kill_point("dumps-written")
                    lap("dumps")
                    loaded = loading.loaded()
                    kill_point("store-loaded")
                    lap("load")
                with progress.task("validating the graph against the shapes"):
                    engine = engine or default_engine()
                    if engine == "oxigraph":
                        # Queried on disk while it is compacted: no second, in-memory copy of the
                        # graph (at a million triples 0.8 GB of the build's peak).
                        validation = validate_dataset(loaded, engine)
                    else:
                        validation = validate_ntriples(version / DUMP_FILES["ntriples"], engine)
                    del loaded
                lap("validate")
                # The store was compacted beside the validation; any of it left is a stage of its own.
                with progress.task("compacting the store"):
                    loading.finished()
                lap("compact")
            except Exception:
                # The loader writes into the version the writer is about to remove: let it end first.
                if loading is not None:
                    with contextlib.suppress(Exception):
                        loading.finished()
                raise
            if not validation.conforms and not force:
                raise NotConforming(validation, "the built graph")
            kept = [i for i, (_, entry) in issues.items() if entry.via == "ingest"]
            if not drop_ingested:  # the entries re-applied, and the withdrawals that took effect
                journal.carry(current, version, leave_out=set(entries) - {*kept, *withdrawn})
            files = link_dumps(store_path, out_dir)
            manifest = make_manifest(
                "kg build",
                base_iri,
                manifest_graphs,
                {i: entry for i, (_, entry) in issues.items()},
                dump_sizes(version),
            )
            writer.commit(version, manifest)
            reader.cache.prune()
    except BaseException:
        for path in made:
            shutil.rmtree(path, ignore_errors=True)
        raise
    dropped = _dropped(previous, issues) if drop_ingested else []
    return BuildReport(
        out_dir,
        store_path,
        quads,
        class_counts,
        files,
        validation,
        seconds,
        list(fixed.warnings),
        kept=sorted(kept),
        withdrawn=withdrawn,
        dropped=dropped,
    )


#: The build's kg.nq holds only IRIs the mapping wrote and checked (kg.mapping refuses an IRI with
#: a character N-Triples forbids; node IRIs are made of checked ids), so the store loads it without
#: Oxigraph checking each IRI again (15% of the load at a million quads).
_MAPPED_IRIS_CHECKED = True


def _issue_entry(
    issue_id: str, name: str, items: int, path: Path, entry: journal.JournalEntry | None, base_iri: str
) -> IssueEntry:
    graph = str(graph_iri(issue_graph_name(issue_id), base_iri))
    if entry is None:
        return IssueEntry(name=name, graph=graph, source=str(path), via="build", items=items)
    return IssueEntry(
        name=name, graph=graph, source=entry.source or str(path), via="ingest", text=entry.text, items=items
    )


def _ingested(manifest: Manifest | None) -> list[str]:
    return sorted(i for i, entry in (manifest.issues if manifest else {}).items() if entry.via == "ingest")


def _dropped(previous: Manifest | None, issues: dict[str, tuple[MappedFile, IssueEntry]]) -> list[str]:
    """What ``--drop-ingested`` left out: ingested issues, and graphs of other names."""
    if previous is None:
        return []
    ours = str(graph_iri("", previous.base_iri))
    return [i for i in _ingested(previous) if i not in issues] + [
        f"<{iri}>" for iri in previous.graphs if not iri.startswith(ours)
    ]


def _refuse_to_lose(previous: Manifest | None, issues: dict[str, tuple[MappedFile, IssueEntry]], drop: bool) -> None:
    """Refuse a build that would drop what it cannot re-make, unless ``drop``.

    That is ingested issues without a journal entry (a store made before journals) and graphs of
    other names (written through ``kg serve --writable``).
    """
    lost = [] if drop else _dropped(previous, issues)
    if lost:
        raise InputError(
            f"the store holds {len(lost)} ingested issue(s) or graph(s) this build cannot keep (no journal entry): "
            f"{_some(lost)}; nothing was written (re-ingest them after the build, or pass --drop-ingested to build "
            "without them)"
        )


#: Fewer event files than this are read and mapped in the build's own process.
PARALLEL_FROM = 200


class _Reader:
    """The build's reading: the reference data and the event files, from the cache where it can.

    The backbone is read (and the linker made) only when something must be mapped: a build whose
    files are all in the cache reads none of them.
    """

    def __init__(
        self, data_dir: Path, laws_dir: Path | None, skip_unknown_laws: bool, base_iri: str, cache: MappingCache
    ) -> None:
        self.data_dir = data_dir
        self.laws_dir = laws_dir
        self.skip_unknown_laws = skip_unknown_laws
        self.base_iri = base_iri
        self.cache = cache
        self._backbone: ReferenceData | None = None

    def backbone(self) -> ReferenceData:
        """The reference backbone, read on first use."""
        if self._backbone is None:
            with progress.task("reading the reference data"):
                self._backbone = load_reference(self.data_dir, self.laws_dir, skip_unknown_laws=self.skip_unknown_laws)
        return self._backbone

    def fixed(self) -> FixedGraphs:
        """The ontology and reference graphs (and the warnings reading the reference gave)."""
        fixed = self.cache.fixed()
        if fixed is None:
            backbone = self.backbone()
            fixed = FixedGraphs(fixed_blocks(backbone, self.base_iri), tuple(backbone.warnings))
            self.cache.keep_fixed(fixed)
        return fixed

    def map_all(self, paths: list[Path], workers: int | None = None) -> Iterator[MappedFile]:
        """Every file mapped, in order: from the cache, or read and mapped (and then kept in the cache)."""
        digests = [file_digest(path) for path in paths]
        cached = [self.cache.get(digest) for digest in digests]
        missing = [path for path, mapped in zip(paths, cached, strict=True) if mapped is None]
        fresh: Iterator[MappedFile] = iter(())
        if missing:
            backbone = self.backbone()
            mapper = _IssueMapper(Linker(backbone), index_for(backbone, self.base_iri))
            fresh = mapper.map_all(missing, workers)
        for digest, mapped in zip(digests, cached, strict=True):
            if mapped is None:
                mapped = next(fresh)
                self.cache.keep(digest, mapped)
            yield mapped


class _IssueMapper:
    """Reads curated event files and maps them to statements, here or in worker processes."""

    current: _IssueMapper | None = None  # the mapper a forked worker inherited

    def __init__(self, linker: Linker, backbone_index: IriIndex) -> None:
        self.linker = linker
        self.backbone_index = backbone_index

    def map_file(self, path: Path) -> MappedFile:
        """One event file (or journal entry) read, validated and mapped.

        A bad file raises ``InputError`` naming its line.
        """
        record = journal.read_record(path) if path.suffix == ".json" else load_event_record(path)
        issue_id, own, curation = map_issue(records_to_nodes(record, self.linker), self.backbone_index)
        return MappedFile(
            issue_id, record.newsletter, len(record.items), ntriples_block(own), tuple(sorted(set(curation)))
        )

    @staticmethod
    def _map_in_worker(path: Path) -> MappedFile:
        mapper = _IssueMapper.current
        if mapper is None:  # only forked workers run this, and they inherit the mapper
            raise RuntimeError("no issue mapper in this worker")
        return mapper.map_file(path)

    def map_all(self, paths: list[Path], workers: int | None = None) -> Iterator[MappedFile]:
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


def _class_counts(union: list[bytes]) -> dict[str, int]:
    # Distinct nodes per dlk: class, over all graphs: the union's lines are unique, so a node typed
    # in two graphs counts once.
    typed = f" <{RDF.type}> <{DLK}".encode()
    counts: dict[str, int] = {}
    for line in union:
        if typed in line:
            name = "dlk:" + line.partition(typed)[2].partition(b">")[0].decode("utf-8")
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def dump(store_path: Path, out_dir: Path | None = None, wait: float = DEFAULT_WAIT) -> list[Path]:
    """Write the current store's dumps (into a new version, switched with them) and link them from ``out_dir``.

    ``out_dir`` defaults to the store's folder. Returns the links, one per dump file.
    """
    with writing(store_path, "kg dump", wait) as writer:
        manifest = stored_manifest(writer)
        version = writer.branch()
        kill_point("version-made")
        with version_store(version) as store:
            dumps = write_store_dumps(store, version, {**PREFIXES, **instance_prefixes(manifest.base_iri)})
        kill_point("dumps-written")
        journal.carry(writer.current, version)
        links = link_dumps(store_path, store_path.parent if out_dir is None else out_dir)
        writer.commit(version, make_manifest("kg dump", manifest.base_iri, manifest.graphs, manifest.issues, dumps))
    return links
