"""``kg build``: reference data to RDF, dumps and the embedded store, all or nothing.

Everything is made in a staging folder first; only when the store has loaded do
the new store and the new dumps replace the old ones. A build that fails at any
step leaves the last good store and dumps as they were.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import NotConforming
from kg.ingest import EVENTS_FOLDER, issue_graphs, load_event_records
from kg.namespaces import DEFAULT_BASE_IRI
from kg.query import run_local
from kg.rdf import assemble
from kg.reference import load_reference
from kg.resources import resource_dir
from kg.serialize import DUMP_FILES, union_graph, write_dumps
from kg.store import DEFAULT_STORE, replace_store
from kg.validate import ValidationReport, validate_graph

DEFAULT_OUT = Path("build")

_COUNT_BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?node) AS ?count) WHERE {
  ?node a ?class .
  FILTER(STRSTARTS(STR(?class), STR(dlk:)))
} GROUP BY ?class ORDER BY ?class
"""


@dataclass
class BuildReport:
    """What a build made: where, how many triples, and how many nodes per class."""

    out_dir: Path
    store_path: Path
    triples: int
    class_counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    validation: ValidationReport | None = None

    def summary(self) -> str:
        """A few lines for the terminal."""
        width = max((len(name) for name in self.class_counts), default=0)
        lines = [f"built {self.triples} triples into {self.store_path}"]
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in self.class_counts.items()]
        lines += [f"wrote {path}" for path in self.files]
        if self.validation is not None:
            errors = len(self.validation.errors())
            warnings = len(self.validation.violations) - errors
            lines.append(
                f"validation: {'conforms' if not errors else f'{errors} violation(s) (forced)'}, {warnings} warning(s)"
            )
        return "\n".join(lines)


def build(
    data_dir: Path | None = None,
    out_dir: Path = DEFAULT_OUT,
    store_path: Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    force: bool = False,
) -> BuildReport:
    """Build the graph from the reference data in ``data_dir`` (the bundled ``data/`` by default).

    The curated event records in ``data_dir/events/`` become one named graph per issue.
    The whole graph is validated first: data that does not conform raises
    :class:`NotConforming` and leaves the store and dumps as they were, unless ``force``.

    Writes ``kg.ttl``, ``kg.nt``, ``kg.nq`` and ``kg.jsonld`` to ``out_dir`` and
    replaces the store at ``store_path`` (``<out_dir>/store`` by default).
    """
    data_dir = resource_dir("data") if data_dir is None else data_dir
    store_path = out_dir / DEFAULT_STORE.name if store_path is None else store_path
    backbone = load_reference(data_dir)
    events = issue_graphs(load_event_records(data_dir / EVENTS_FOLDER), backbone, base_iri)
    dataset = assemble(backbone, base_iri, {g.graph_iri: g.graph for g in events})
    validation = validate_graph(union_graph(dataset))
    if not validation.conforms and not force:
        raise NotConforming(validation, "the built graph")

    out_dir.mkdir(parents=True, exist_ok=True)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".staging-{uuid.uuid4().hex[:8]}"
    try:
        staged = write_dumps(dataset, staging)
        replace_store(store_path, staging / DUMP_FILES["nquads"])
        files = []
        for path in staged:
            target = out_dir / path.name
            path.replace(target)
            files.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    counts = run_local(store_path, _COUNT_BY_CLASS)
    assert isinstance(counts, dict)
    class_counts = {
        "dlk:" + row["class"]["value"].rpartition("#")[2]: int(row["count"]["value"])
        for row in counts["results"]["bindings"]
    }
    total = run_local(store_path, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(total, dict)
    triples = int(total["results"]["bindings"][0]["n"]["value"])
    return BuildReport(out_dir, store_path, triples, class_counts, files, validation)
