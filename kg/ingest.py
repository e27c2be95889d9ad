"""Newsletter issues into the store: parse, extract, link, map, and replace each issue's graph.

Everything that can fail on bad input (reading, parsing, extracting, linking)
happens before the store is touched; the store then changes as one new store version
(:mod:`kg.store`), with the issues' journal entries (:mod:`kg.journal`).
Curated event records (``data/events/*.yaml``, in the record format) go through
the same mapping, so a shipped issue and the same issue ingested from its text
land in the same named graph with the same IRIs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS

from kg import journal, progress
from kg.errors import InputError, NotConforming, StoreError
from kg.events import (
    CURATION_GRAPH,
    IssueNodes,
    issue_graph_name,
    issue_id_for,
    load_event_record,
    records_to_nodes,
)
from kg.faults import kill_point
from kg.identity import NewIssue, identify, item_keys, same_issue, shared_items, text_digest
from kg.lock import DEFAULT_WAIT
from kg.manifest import GraphEntry, IssueEntry, Manifest, make_manifest, patched
from kg.models import Article, Named
from kg.namespaces import DEFAULT_BASE_IRI, DLK, ELI, PREFIXES, instance_prefixes
from kg.newsletter.extract import Extractor
from kg.newsletter.link import Linker
from kg.newsletter.records import IssueRecord
from kg.newsletter.segment import ParsedIssue, parse_file
from kg.rdf import graph_iri, index_for
from kg.reference import ReferenceData, load_reference
from kg.resources import resource_dir
from kg.serialize import write_store_dumps
from kg.store import (
    Writer,
    exists,
    graph_entries,
    graphs_update,
    open_store,
    patched_graphs,
    reading,
    updated_version,
    version_store,
    writing,
)
from kg.validate import ValidationReport, validate_issue_graphs

EVENTS_FOLDER = "events"


@dataclass
class Extraction:
    """One issue read from its text: the records, the parser's warnings, and where it came from."""

    path: Path
    parsed: ParsedIssue
    record: IssueRecord

    @property
    def warnings(self) -> list[str]:
        """Lines the parser skipped, each naming the file and line."""
        return self.parsed.warnings

    @property
    def text(self) -> str:
        """The digest of the issue's normalised text (:func:`kg.identity.text_digest`)."""
        return text_digest((item.headline, item.paragraph, item.source) for item in self.parsed.items)


def load_backbone(data_dir: Path | None = None) -> ReferenceData:
    """The reference backbone (the bundled one by default)."""
    return load_reference(resource_dir("data") if data_dir is None else data_dir)


def stored_articles(
    store_path: Path | ox.Store, backbone: ReferenceData, base_iri: str = DEFAULT_BASE_IRI
) -> list[Article]:
    """The articles the store holds (read from the official texts by the last ``kg build``), as backbone parts.

    An ingest links a citation of ``PIPL Article 38`` to the article when the store has it,
    as the build did, without reading the texts again. Articles of instruments the backbone
    no longer has are left out; no store, no articles. ``store_path`` may be the store's
    database, open already.
    """
    if not isinstance(store_path, ox.Store) and not exists(store_path):
        return []
    index = index_for(backbone, base_iri)
    ids = {str(index[node.id]): node.id for node in backbone.nodes()}
    query = (
        f"SELECT ?law ?number ?version WHERE {{ ?article a <{DLK.Article}> ; <{ELI.is_part_of}> ?law ;"
        f" <{DLK.articleNumber}> ?number . OPTIONAL {{ ?article <{DLK.textVersion}> ?version }} }}"
    )
    found: dict[str, Article] = {}
    with ExitStack() as stack:
        store = store_path if isinstance(store_path, ox.Store) else stack.enter_context(open_store(store_path))
        for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            law, version = ids.get(row["law"].value), row["version"]
            if law is None:
                continue
            number = int(row["number"].value)
            article = Article(
                id=f"{law}-article-{number}",
                part_of=law,
                number=number,
                text_version=ids.get(version.value) if version is not None else None,
            )
            found[article.id] = article
    known = {node.id for node in backbone.parts}
    return [found[key] for key in sorted(found) if key not in known]


def extract_files(paths: Iterable[Path], linker: Linker) -> list[Extraction]:
    """Parse and extract each newsletter file; an unreadable or itemless file raises ``InputError``."""
    extractor = Extractor(linker)
    results = []
    paths = list(paths)
    for path in progress.track(paths, "reading and extracting issues"):
        parsed = parse_file(Path(path))
        results.append(Extraction(Path(path), parsed, extractor.extract(parsed)))
    return results


def load_event_records(folder: Path) -> list[IssueRecord]:
    """The curated event records in ``folder`` (``*.yaml``, one issue each), validated with file and line."""
    return [load_event_record(path) for path in sorted(folder.glob("*.yaml"))] if folder.is_dir() else []


@dataclass
class IssueGraph:
    """The triples of one issue and the new entities it introduced.

    ``graph`` holds them all (what is validated); in the store, the new entities' descriptions
    (``curation``, N-Triples statements) go to the shared curation graph and the rest
    (``statements``) to the issue's own graph (:meth:`kg.events.IssueNodes.statements`).
    """

    issue_id: str
    graph_iri: str
    graph: Graph
    new_entities: list[Named] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    curation: list[str] = field(default_factory=list)


def issue_graphs(
    records: Iterable[IssueRecord],
    backbone: ReferenceData,
    base_iri: str = DEFAULT_BASE_IRI,
    linker: Linker | None = None,
) -> list[IssueGraph]:
    """Map each issue's records to its named graph (``linker``: one over ``backbone`` already made, to reuse)."""
    # A linker costs 0.1-0.3 s to make (its name patterns); one ingest makes one.
    linker = Linker(backbone) if linker is None else linker
    backbone_index = index_for(backbone, base_iri)
    graphs = []
    for record in records:
        nodes: IssueNodes = records_to_nodes(record, linker)
        iri = str(graph_iri(issue_graph_name(nodes.issue_id), base_iri))
        own, curation = nodes.statements(backbone_index)
        graphs.append(IssueGraph(nodes.issue_id, iri, nodes.graph(backbone_index), nodes.new_entities, own, curation))
    return graphs


def _forget_orphans(dropped: list[str], base_iri: str) -> str:
    """A SPARQL update removing from the curation graph the entities that only the ``dropped`` graphs report."""
    graphs = ", ".join(f"<{iri}>" for iri in dropped)
    reported_in = f"<{DLK.reportedIn}>"
    # The dropped graphs are bound (VALUES), so each is read alone: a FILTER on ?old would scan the
    # dlk:reportedIn statements of every graph (50 ms at 1M triples, growing with the store).
    return f"""DELETE {{ GRAPH <{graph_iri(CURATION_GRAPH, base_iri)}> {{ ?entity ?p ?o }} }} WHERE {{
  VALUES ?old {{ {" ".join(f"<{iri}>" for iri in dropped)} }} GRAPH ?old {{ ?entity {reported_in} ?item }}
  GRAPH <{graph_iri(CURATION_GRAPH, base_iri)}> {{ ?entity ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?entity {reported_in} ?elsewhere }} FILTER (?other NOT IN ({graphs})) }}
}}"""


def stored_manifest(writer: Writer, base_iri: str = DEFAULT_BASE_IRI, damaged_ok: bool = False) -> Manifest:
    """The manifest of the writer's current store; for a store made before manifests, one computed from it.

    A damaged manifest raises :class:`~kg.errors.StoreError`, unless ``damaged_ok`` (a rebuild,
    which replaces it): then it is computed from the store as well.
    """
    current = writer.require_current()
    try:
        manifest = writer.manifest
    except StoreError:
        if not damaged_ok:
            raise
        manifest = None
    if manifest is not None:
        return manifest
    with version_store(current) as store:
        graphs = graph_entries(store, summed=patched_graphs(base_iri))
        return make_manifest("kg (before manifests)", base_iri, graphs, _stored_issues(store, base_iri))


_ISSUES = f"""SELECT ?g ?name (COUNT(DISTINCT ?item) AS ?items) WHERE {{ GRAPH ?g {{
  ?issue a <{DLK.NewsletterIssue}> . OPTIONAL {{ ?issue <{DCTERMS.source}> ?name }}
  OPTIONAL {{ ?item a <{DLK.NewsItem}> ; <{DCTERMS.isPartOf}> ?issue }} }} }} GROUP BY ?g ?name"""


def _stored_issues(store: ox.Store, base_iri: str) -> dict[str, IssueEntry]:
    # A store made before manifests does not say how its issues came in: count them as ingested,
    # so that a rebuild that would drop them asks first.
    prefix = str(graph_iri(issue_graph_name(""), base_iri))
    issues = {}
    for row in store.query(_ISSUES):  # type: ignore[union-attr]
        graph = row["g"].value
        if graph.startswith(prefix):
            issue_id = graph.removeprefix(prefix)
            name = row["name"].value if row["name"] is not None else issue_id
            source = "(stored before manifests)"
            issues[issue_id] = IssueEntry(
                name=name, graph=graph, source=source, via="ingest", items=int(row["items"].value)
            )
    return issues


def _identified(
    extractions: list[Extraction],
    graphs: list[IssueGraph],
    store: ox.Store,
    manifest: Manifest,
    replace: bool,
    say: Callable[[str], None],
) -> list[IssueRecord]:
    """The records to write: each under the name of the stored issue it is, if it is one (:mod:`kg.identity`).

    The issues of one ingest are compared with each other too: two copies of one issue refuse.
    """
    stored = dict(manifest.issues)
    earlier: list[tuple[Extraction, NewIssue]] = []
    records = []
    for extraction, graph in zip(extractions, graphs, strict=True):
        keys = item_keys(graph.graph)
        new = NewIssue(graph.issue_id, extraction.record.newsletter, graph.graph_iri, extraction.text, keys)
        new.shared = shared_items(store, keys)
        for other_extraction, other in earlier:
            if other.issue_id == new.issue_id or same_issue(new, other):
                raise InputError(
                    f"is the same issue as {other_extraction.path}, given in the same ingest; nothing was written",
                    extraction.path,
                )
        verdict = identify(new, stored, replace, str(extraction.path))
        if verdict.note:
            say(verdict.note)
        record = extraction.record
        if verdict.name != record.newsletter:
            record = record.model_copy(update={"newsletter": verdict.name})
        records.append(record)
        earlier.append((extraction, new))
    return records


def _say_nothing(line: str) -> None:
    """The default ``say``: notes are dropped."""


def ingest(
    paths: Iterable[Path],
    store_path: Path,
    data_dir: Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    force: bool = False,
    replace: bool = False,
    dump: bool = False,
    wait: float = DEFAULT_WAIT,
    say: Callable[[str], None] = _say_nothing,
) -> tuple[list[Extraction], list[IssueGraph], ValidationReport]:
    """Extract the issues in ``paths``, validate them, and replace their graphs in the store in one version.

    Reading and extracting happen first, without the writer lock; then, holding the store's writer lock
    (waiting up to ``wait`` s for another writer), each issue is recognised if it is a stored one
    under another name (:mod:`kg.identity`: a shorter copy refuses unless ``replace``), validated
    incrementally (the new graphs and the nodes they touch), and written into a new store version
    with its journal entry; ``dump`` writes that version's dumps too. Data that does not conform
    raises :class:`NotConforming` and leaves the store as it was, unless ``force``. ``say``
    receives notes for the user (an issue recognised under another name).
    """
    # The store is opened once for every read (its articles, then identity, validation, the curation
    # lines before, the copy): each opening costs 40-50 ms at 1M triples (RocksDB loads the index of
    # every file, in threads it starts for each column family). The version read first is kept when it
    # is still the current one once the writer lock is held, as it almost always is.
    with ExitStack() as lease, ExitStack() as stack:
        first = _open_current(store_path, stack, lease)
        with progress.task("reading the reference data"):
            backbone = load_backbone(data_dir)
            if first is not None:
                backbone.parts += stored_articles(first[1], backbone, base_iri)
        linker = Linker(backbone)
        extractions = extract_files(paths, linker)
        graphs = issue_graphs([e.record for e in extractions], backbone, base_iri, linker)
        with writing(store_path, "kg ingest", wait) as writer:
            current = writer.require_current()
            if first is not None and first[0] == current:
                store = first[1]
            else:
                store = stack.enter_context(version_store(current))
            # The writer lock keeps the current version in place from here on; a lease would also keep
            # it after the switch below, until the next writer.
            lease.close()
            done = _ingest_locked(
                writer, store, extractions, graphs, backbone, linker, base_iri, force, replace, dump, say
            )
    return done


def _open_current(store_path: Path, stack: ExitStack, lease: ExitStack) -> tuple[Path, ox.Store] | None:
    """The current version of the store and its database open read-only (closed by ``stack``, leased by ``lease``)."""
    if not exists(store_path):
        return None
    try:
        version = lease.enter_context(reading(store_path))
    except StoreError:  # removed meanwhile: the writer lock will say so
        return None
    return version, stack.enter_context(version_store(version))


def _ingest_locked(
    writer: Writer,
    store: ox.Store,
    extractions: list[Extraction],
    graphs: list[IssueGraph],
    backbone: ReferenceData,
    linker: Linker,
    base_iri: str,
    force: bool,
    replace: bool,
    dump: bool,
    say: Callable[[str], None],
) -> tuple[list[Extraction], list[IssueGraph], ValidationReport]:
    """The part of :func:`ingest` holding the writer lock, with ``store`` the current version's database."""
    manifest = stored_manifest(writer, base_iri)
    records = _identified(extractions, graphs, store, manifest, replace, say)
    if any(r is not e.record for r, e in zip(records, extractions, strict=True)):
        graphs = issue_graphs(records, backbone, base_iri, linker)
    with progress.task("validating the new graphs"):
        report = validate_issue_graphs(
            [g.graph for g in graphs], writer.store_path, [g.graph_iri for g in graphs], store=store
        )
    if not report.conforms and not force:
        raise NotConforming(report, "the ingested issues")
    entries = [
        journal.ingested(g.issue_id, record, e.path, e.text)
        for g, record, e in zip(graphs, records, extractions, strict=True)
    ]
    issues = {
        g.issue_id: IssueEntry(
            name=record.newsletter,
            graph=g.graph_iri,
            source=str(e.path),
            via="ingest",
            text=e.text,
            items=len(record.items),
        )
        for g, record, e in zip(graphs, records, extractions, strict=True)
    }
    with progress.task(f"writing {len(graphs)} issue graph(s) into a new store version"):
        _write_issues(writer, manifest, base_iri, graphs, issues, entries, dump, store)
    return extractions, graphs, report


def _write_issues(
    writer: Writer,
    manifest: Manifest,
    base_iri: str,
    graphs: list[IssueGraph],
    issues: Mapping[str, IssueEntry | None],
    entries: list[journal.JournalEntry],
    dump: bool,
    current: ox.Store | None = None,
) -> None:
    """Replace the issues' graphs, and update the curation graph to match, as a new version (:func:`_write`).

    ``current``: the writer's current version, when the caller has it open.
    """
    iris = [g.graph_iri for g in graphs]
    curation = sorted({statement for g in graphs for statement in g.curation})
    update = graphs_update(
        {g.graph_iri: "".join(f"{statement} .\n" for statement in g.statements) for g in graphs},
        add={str(graph_iri(CURATION_GRAPH, base_iri)): "".join(f"{statement} .\n" for statement in curation)},
        first=(_forget_orphans(iris, base_iri),),
    )
    # The entities described: the subjects of the curation statements.
    described = {statement.split(" ", 1)[0][1:-1] for statement in curation}
    _write(writer, manifest, "kg ingest", base_iri, update, iris, issues, entries, dump, described, current)


def _write(
    writer: Writer,
    manifest: Manifest,
    command: str,
    base_iri: str,
    update: str,
    changed: list[str],
    issues: Mapping[str, IssueEntry | None],
    entries: list[journal.JournalEntry],
    dump: bool,
    described: Iterable[str] = (),
    source: ox.Store | None = None,
) -> None:
    """Make the new version: the current store copied, ``update`` run on it, its manifest and journal, and switch.

    ``changed`` are the issue graphs the update replaces or drops, ``described`` the entities it
    describes in the curation graph; ``issues`` maps each issue id to its new manifest entry (None:
    withdrawn). The manifest is updated from what changed alone: the changed graphs are hashed
    again, the curation graph's sum patched with the lines of the entities it may have changed.
    ``source`` is the current version open read-only, when the caller has it (else it is opened here).
    """
    current = writer.require_current()
    curation = str(graph_iri(CURATION_GRAPH, base_iri))
    with ExitStack() as stack:
        store = source if source is not None else stack.enter_context(version_store(current))
        version = writer.branch(store)
        kill_point("version-made")
        # The entities whose description the update may drop (those the changed graphs report) or add.
        entities = {*described, *_reported_in(store, changed)}
        before = _described_lines(store, entities, curation)
    # The new version is read where the update left it open, not opened again.
    with updated_version(version, update) as store:
        kill_point("store-loaded")
        fresh = graph_entries(store, changed)
        old = manifest.graphs.get(curation, GraphEntry(quads=0, digest=f"sum:{0:064x}"))
        if old.summed:
            fresh[curation] = patched(old, before, _described_lines(store, entities, curation))
        else:  # a manifest that hashed it whole (made before sums, or by replace_store): hash it once
            fresh.update(graph_entries(store, [curation], summed=frozenset([curation])))
        dumps = write_store_dumps(store, version, {**PREFIXES, **instance_prefixes(manifest.base_iri)}) if dump else {}
    if dump:
        kill_point("dumps-written")
    graphs = {iri: entry for iri, entry in manifest.graphs.items() if iri not in (*changed, curation)}
    graphs.update((iri, entry) for iri, entry in fresh.items() if entry.quads)
    kept = {issue_id: entry for issue_id, entry in manifest.issues.items() if issue_id not in issues}
    kept.update({issue_id: entry for issue_id, entry in issues.items() if entry is not None})
    journal.carry(current, version, leave_out=[e.issue_id for e in entries])
    for entry in entries:
        journal.write_entry(version, entry)
    writer.commit(version, make_manifest(command, manifest.base_iri, graphs, kept, dumps))


_REPORTED_IN = f"SELECT DISTINCT ?entity ?g WHERE {{ GRAPH ?g {{ ?entity <{DLK.reportedIn}> ?item }} }}"


def _reported_in(store: ox.Store, graphs: list[str]) -> set[str]:
    """The entities the named ``graphs`` say were reported in their items."""
    found = set()
    for graph in graphs:
        for row in store.query(_REPORTED_IN, substitutions={ox.Variable("g"): ox.NamedNode(graph)}):  # type: ignore[union-attr]
            if isinstance(row["entity"], ox.NamedNode):
                found.add(row["entity"].value)
    return found


def _described_lines(store: ox.Store, entities: set[str], graph: str) -> list[str]:
    """The N-Quads lines (as ``kg.nq`` writes them) describing ``entities`` in the named ``graph``."""
    where = ox.NamedNode(graph)
    return [
        f"{quad} .\n"
        for entity in sorted(entities)
        for quad in store.quads_for_pattern(ox.NamedNode(entity), None, None, where)
    ]


def store_issue_graphs(
    store_path: Path, graphs: list[IssueGraph], base_iri: str = DEFAULT_BASE_IRI, wait: float = DEFAULT_WAIT
) -> None:
    """Replace the issues' graphs in the store, and the curation graph to match, as one new version.

    The lower half of :func:`ingest`, for graphs mapped already: no identity check, no validation,
    no journal entry (a rebuild does not keep them).
    """
    with writing(store_path, "kg ingest", wait) as writer:
        manifest = stored_manifest(writer, base_iri)
        issues: dict[str, IssueEntry | None] = {
            g.issue_id: IssueEntry(
                name=g.issue_id, graph=g.graph_iri, source="(kg.ingest.store_issue_graphs)", via="ingest"
            )
            for g in graphs
        }
        _write_issues(writer, manifest, base_iri, graphs, issues, [], False)


def withdraw(
    issue: str, store_path: Path, base_iri: str = DEFAULT_BASE_IRI, dump: bool = False, wait: float = DEFAULT_WAIT
) -> str:
    """Remove one issue's graph (by issue id or file name) from the store as a new version; return the graph IRI.

    The journal remembers the withdrawal, so a rebuild leaves out the issue's curated record too.
    """
    issue_id = issue_id_for(issue)
    iri = str(graph_iri(issue_graph_name(issue_id), base_iri))
    with writing(store_path, "kg withdraw", wait) as writer:
        manifest = stored_manifest(writer, base_iri)
        if iri not in manifest.graphs:
            raise InputError(f"no issue {issue!r} in the store (expected graph <{iri}>)")
        name = manifest.issues[issue_id].name if issue_id in manifest.issues else issue
        update = graphs_update({}, drop=(iri,), first=(_forget_orphans([iri], base_iri),))
        _write(
            writer,
            manifest,
            "kg withdraw",
            base_iri,
            update,
            [iri],
            {issue_id: None},
            [journal.withdrawn(issue_id, name)],
            dump,
        )
    return iri
