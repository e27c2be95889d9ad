"""``kg build``: reference data to RDF, dumps and the embedded store, all or nothing.

Everything is made in a staging folder first; only when the store has loaded do
the new store and the new dumps replace the old ones. A build that fails at any
step leaves the last good store and dumps as they were.
"""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.namespace import RDF

from kg.errors import NotConforming
from kg.events import records_to_nodes
from kg.ingest import EVENTS_FOLDER, load_event_records
from kg.link import Linker
from kg.namespaces import DEFAULT_BASE_IRI, DLK, PREFIXES, instance_prefixes
from kg.rdf import dataset_nquads
from kg.reference import load_reference
from kg.resources import resource_dir
from kg.serialize import DUMP_FILES, write_dumps
from kg.store import DEFAULT_STORE, replace_store
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
) -> BuildReport:
    """Build the graph from the reference data in ``data_dir`` (the bundled ``data/`` by default).

    The curated event records in ``data_dir/events/`` become one named graph per issue.
    The whole graph is validated (with ``engine``, :func:`kg.validate.default_engine` by
    default) before the store is touched: data that does not conform raises
    :class:`NotConforming` and leaves the store and dumps as they were, unless ``force``.

    Writes ``kg.ttl``, ``kg.nt``, ``kg.nq`` and ``kg.jsonld`` to ``out_dir`` and
    replaces the store at ``store_path`` (``<out_dir>/store`` by default).
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

    backbone = load_reference(data_dir)
    records = load_event_records(data_dir / EVENTS_FOLDER)
    lap("read")
    linker = Linker(backbone)
    nquads = dataset_nquads(backbone, base_iri, (records_to_nodes(record, linker) for record in records))
    lap("map")

    out_dir.mkdir(parents=True, exist_ok=True)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".staging-{uuid.uuid4().hex[:8]}"
    try:
        staged = write_dumps(nquads, staging, {**PREFIXES, **instance_prefixes(base_iri)})
        lap("dumps")
        validation = validate_ntriples(staging / DUMP_FILES["ntriples"], engine)
        lap("validate")
        if not validation.conforms and not force:
            raise NotConforming(validation, "the built graph")
        replace_store(store_path, staging / DUMP_FILES["nquads"])
        lap("load")
        files = []
        for path in staged:
            target = out_dir / path.name
            path.replace(target)
            files.append(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildReport(
        out_dir, store_path, sum(map(len, nquads.values())), _class_counts(nquads), files, validation, seconds
    )


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
