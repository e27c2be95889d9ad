"""Newsletter issues into the store: parse, extract, link, map, and replace each issue's graph.

Everything that can fail on bad input (reading, parsing, extracting, linking)
happens before the store is touched; the store then changes in one transaction.
Curated event records (``data/events/*.yaml``, in the record format) go through
the same mapping, so a shipped issue and the same issue ingested from its text
land in the same named graph with the same IRIs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg import progress
from kg.errors import InputError, NotConforming
from kg.events import (
    CURATION_GRAPH,
    IssueNodes,
    issue_graph_name,
    issue_id_for,
    load_event_record,
    records_to_nodes,
)
from kg.models import Article, Named
from kg.namespaces import DEFAULT_BASE_IRI, DLK, ELI
from kg.newsletter.extract import Extractor
from kg.newsletter.link import Linker
from kg.newsletter.records import IssueRecord
from kg.newsletter.segment import ParsedIssue, parse_file
from kg.rdf import graph_iri, index_for
from kg.reference import ReferenceData, load_reference
from kg.resources import resource_dir
from kg.store import exists, open_store, replace_graphs
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


def load_backbone(data_dir: Path | None = None) -> ReferenceData:
    """The reference backbone (the bundled one by default)."""
    return load_reference(resource_dir("data") if data_dir is None else data_dir)


def stored_articles(store_path: Path, backbone: ReferenceData, base_iri: str = DEFAULT_BASE_IRI) -> list[Article]:
    """The articles the store holds (read from the official texts by the last ``kg build``), as backbone parts.

    An ingest links a citation of ``PIPL Article 38`` to the article when the store has it,
    as the build did, without reading the texts again. Articles of instruments the backbone
    no longer has are left out; no store, no articles.
    """
    if not exists(store_path):
        return []
    index = index_for(backbone, base_iri)
    ids = {str(index[node.id]): node.id for node in backbone.nodes()}
    query = (
        f"SELECT ?law ?number ?version WHERE {{ ?article a <{DLK.Article}> ; <{ELI.is_part_of}> ?law ;"
        f" <{DLK.articleNumber}> ?number . OPTIONAL {{ ?article <{DLK.textVersion}> ?version }} }}"
    )
    found: dict[str, Article] = {}
    with open_store(store_path) as store:
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
    records: Iterable[IssueRecord], backbone: ReferenceData, base_iri: str = DEFAULT_BASE_IRI
) -> list[IssueGraph]:
    """Map each issue's records to its named graph."""
    linker = Linker(backbone)
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
    return f"""DELETE {{ GRAPH <{graph_iri(CURATION_GRAPH, base_iri)}> {{ ?entity ?p ?o }} }} WHERE {{
  GRAPH ?old {{ ?entity {reported_in} ?item }} FILTER (?old IN ({graphs}))
  GRAPH <{graph_iri(CURATION_GRAPH, base_iri)}> {{ ?entity ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?entity {reported_in} ?elsewhere }} FILTER (?other NOT IN ({graphs})) }}
}}"""


def store_issue_graphs(store_path: Path, graphs: list[IssueGraph], base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Replace the issues' graphs in the store, and update the curation graph to match, in one transaction."""
    iris = [g.graph_iri for g in graphs]
    curation = sorted({statement for g in graphs for statement in g.curation})
    replace_graphs(
        store_path,
        {g.graph_iri: "".join(f"{statement} .\n" for statement in g.statements) for g in graphs},
        add={str(graph_iri(CURATION_GRAPH, base_iri)): "".join(f"{statement} .\n" for statement in curation)},
        first=(_forget_orphans(iris, base_iri),),
    )


def ingest(
    paths: Iterable[Path],
    store_path: Path,
    data_dir: Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    force: bool = False,
) -> tuple[list[Extraction], list[IssueGraph], ValidationReport]:
    """Extract the issues in ``paths``, validate them, and replace their graphs in the store in one transaction.

    Validation is incremental (the new graphs and the nodes they touch). Data that does
    not conform raises :class:`NotConforming` and leaves the store as it was, unless ``force``.
    """
    with progress.task("reading the reference data"):
        backbone = load_backbone(data_dir)
        backbone.parts += stored_articles(store_path, backbone, base_iri)
    extractions = extract_files(paths, Linker(backbone))
    graphs = issue_graphs([e.record for e in extractions], backbone, base_iri)
    iris = [g.graph_iri for g in graphs]
    with progress.task("validating the new graphs"):
        report = validate_issue_graphs([g.graph for g in graphs], store_path, iris)
    if not report.conforms and not force:
        raise NotConforming(report, "the ingested issues")
    with progress.task(f"replacing {len(graphs)} issue graph(s) in the store"):
        store_issue_graphs(store_path, graphs, base_iri)
    return extractions, graphs, report


def withdraw(issue: str, store_path: Path, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """Remove one issue's graph (by issue id or file name) from the store; return the graph IRI."""
    from kg.store import graph_names

    iri = str(graph_iri(issue_graph_name(issue_id_for(issue)), base_iri))
    if iri not in graph_names(store_path):
        raise InputError(f"no issue {issue!r} in the store (expected graph <{iri}>)")
    replace_graphs(store_path, {}, drop=(iri,), first=(_forget_orphans([iri], base_iri),))
    return iri
