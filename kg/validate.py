"""Validate data against the SHACL shapes, and say what is wrong in words an analyst can read.

pySHACL is the engine (no inference: the data carries its types explicitly, and
measurement showed RDFS inference costs several times more and finds nothing more).
Warnings are reported but do not make data non-conforming. Each result becomes a
:class:`Violation` with the focus node's label, the path, the value, the message,
and the news item and source URL the node came from (or the reference source
for curated entities), grouped by shape in the text report.

Example:
    >>> from rdflib import Graph
    >>> validate_graph(Graph()).conforms
    True

"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable
from contextlib import ExitStack
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pydantic import BaseModel
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, SKOS
from rdflib.term import Node
from rdflib.util import guess_format

from kg.errors import InputError
from kg.namespaces import DLK, PREFIXES, SCHEMA, bind_prefixes, instance_prefixes
from kg.rdf import resource_graph
from kg.serialize import union_graph
from kg.shacl_sparql import Check, Compiled, Unsupported, compile_shapes, run_checks
from kg.store import neighbourhood, open_store

FORMATS = ("text", "json", "ttl")
ENGINES = ("oxigraph", "turbo", "pyshacl")


def default_engine() -> str:
    """The engine for the core constraints: ``$KG_SHACL_ENGINE``, else ``oxigraph``.

    ``oxigraph`` runs every constraint as a SPARQL query on the data's Oxigraph store
    (:mod:`kg.shacl_sparql`): at a million triples a fraction of the time and memory of a
    SHACL engine, which first copies the whole graph into its own structures. ``turbo``
    (pyshacl-turbo, Rust, pySHACL's API) and ``pyshacl`` are the SHACL engines; the tests run
    every shape case through all three and require the same report.
    """
    wanted = os.environ.get("KG_SHACL_ENGINE", "").strip().lower()
    if wanted:
        if wanted not in ENGINES:
            raise InputError(f"KG_SHACL_ENGINE={wanted!r} is not one of {', '.join(ENGINES)}")
        return wanted
    return "oxigraph"


def _shacl_engine() -> str:
    # The SHACL engine for what the Oxigraph engine does not translate.
    return "turbo" if importlib.util.find_spec("pyshacl_turbo") is not None else "pyshacl"


def _core_validate(data: Graph | ox.Store, engine: str, shapes: Graph) -> Graph:
    """The report of a SHACL engine on ``data`` (a graph, or a store's default graph) against core ``shapes``."""
    # Imported here: the SHACL engines are references now, and pySHACL alone takes 0.16 s to import.
    if engine == "turbo":
        import pyshacl_turbo

        module: Any = pyshacl_turbo
    else:
        import pyshacl

        module = pyshacl
        if isinstance(data, ox.Store):  # pySHACL reads rdflib graphs only
            data = Graph().parse(data=_store_ntriples(data), format="nt")
    _, report, text = module.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        advanced=False,
    )
    if not isinstance(report, Graph):
        raise InputError(f"the shapes could not be applied: {text}")
    return report


def _store_ntriples(store: ox.Store) -> bytes:
    union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert isinstance(union, ox.QueryTriples)
    return bytes(union.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")


class Violation(BaseModel):
    """One validation result, in readable terms."""

    shape: str
    severity: str
    focus: str
    focus_label: str | None = None
    path: str | None = None
    value: str | None = None
    message: str
    item: str | None = None
    source: str | None = None


class ValidationReport(BaseModel):
    """The outcome of a validation: whether the data conforms, and every result."""

    conforms: bool
    violations: list[Violation] = []
    report_turtle: str = ""

    def errors(self) -> list[Violation]:
        """Results of severity Violation (those that make the data non-conforming)."""
        return [v for v in self.violations if v.severity == "Violation"]

    def text(self) -> str:
        """The report grouped by shape, one line per result."""
        if not self.violations:
            return "conforms: no violations\n"
        lines = []
        for shape in sorted({v.shape for v in self.violations}):
            results = [v for v in self.violations if v.shape == shape]
            lines.append(f"{shape} ({len(results)})")
            for v in sorted(results, key=lambda r: (r.focus, r.path or "", r.value or "")):
                who = f"{v.focus_label} <{v.focus}>" if v.focus_label else f"<{v.focus}>"
                where = f" {v.path}" if v.path else ""
                value = f" = {v.value!r}" if v.value is not None else ""
                origin = (
                    f" [from {v.item}{', ' + v.source if v.source else ''}]"
                    if v.item
                    else (f" [source {v.source}]" if v.source else "")
                )
                lines.append(f"  {v.severity}: {who}{where}{value}: {v.message}{origin}")
        errors = len(self.errors())
        lines.append(
            f"{'does not conform' if errors else 'conforms'}: {errors} violation(s), {len(self.violations) - errors} warning(s)"
        )
        return "\n".join(lines) + "\n"

    def render(self, fmt: str) -> str:
        """The report as ``text``, ``json`` or ``ttl`` (the full SHACL report)."""
        if fmt == "ttl":
            return self.report_turtle
        if fmt == "json":
            return json.dumps(self.model_dump(exclude={"report_turtle"}), ensure_ascii=False, indent=1) + "\n"
        if fmt == "text":
            return self.text()
        raise InputError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """Every shapes file of ``shapes/``, parsed once."""
    return resource_graph("shapes")


def _without_sparql(shapes: Graph) -> Graph:
    core = Graph()
    for triple in shapes:
        core.add(triple)
    for shape, constraint in list(core.subject_objects(SH.sparql)):
        core.remove((shape, SH.sparql, constraint))
    return core


@lru_cache(maxsize=1)
def core_shapes_graph() -> Graph:
    """The shapes without their SPARQL constraints (what a SHACL engine runs; those run as queries)."""
    return _without_sparql(shapes_graph())


def _compiled(shapes: Graph) -> Compiled:
    try:
        return compile_shapes(shapes)
    except Unsupported as exc:
        raise InputError(f"the shapes could not be compiled: {exc}") from exc


@lru_cache(maxsize=1)
def compiled_shapes() -> Compiled:
    """Every constraint of the shapes as a SPARQL query (:func:`kg.shacl_sparql.compile_shapes`), compiled once."""
    return _compiled(shapes_graph())


def sparql_checks() -> tuple[Check, ...]:
    """The shapes' SHACL-SPARQL constraints, each one query over the shape's targets."""
    return tuple(c for c in compiled_shapes().checks if c.constraint is not None)


def run_sparql_checks(store: ox.Store, report: Graph, focus: set[URIRef] | None = None, union: bool = False) -> int:
    """Run the SHACL-SPARQL constraints on ``store``, adding SHACL results to ``report``; return how many."""
    keep = None if focus is None else focus.__contains__
    return run_checks(store, sparql_checks(), report, union=union, keep=keep, short=_short)


def _engine_shapes(core: Graph, shapes: tuple[Node, ...]) -> Graph:
    """The core shapes with the targets of every shape but ``shapes`` removed: what a SHACL engine is left to do."""
    wanted = set(shapes)
    targets = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
    subset = Graph()
    for s, p, o in core:
        if p in targets and s not in wanted:
            continue
        subset.add((s, p, o))
    return subset


def shacl_report(
    store: ox.Store,
    engine: str | None = None,
    *,
    union: bool = True,
    data: Graph | None = None,
    focus: set[URIRef] | None = None,
    shapes: Graph | None = None,
) -> Graph:
    """The SHACL report graph of ``store`` (its union of graphs, or its default graph) against the shapes.

    With the ``oxigraph`` engine every constraint runs as a query on ``store``; a shape the
    compiler does not translate goes to a SHACL engine. With ``turbo`` or ``pyshacl`` the core
    constraints run in that engine (on ``data`` when given, else on the store) and the
    SPARQL constraints on the store. ``focus`` keeps only the results on those nodes;
    ``shapes`` replaces the project's shapes.
    """
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise InputError(f"unknown SHACL engine {engine!r}; expected one of {', '.join(ENGINES)}")
    graph = shapes_graph() if shapes is None else shapes
    compiled = compiled_shapes() if shapes is None else _compiled(shapes)
    core = core_shapes_graph() if shapes is None else _without_sparql(shapes)

    def source() -> Graph | ox.Store:
        if data is not None:
            return data
        if not union:
            return store
        copy = ox.Store()  # a SHACL engine reads the default graph: give it the union
        copy.bulk_load(input=_store_ntriples(store), format=ox.RdfFormat.N_TRIPLES)
        return copy

    if engine == "oxigraph":
        report = Graph()
        checks = compiled.checks
        if compiled.unsupported:
            report = _core_validate(source(), _shacl_engine(), _engine_shapes(core, compiled.unsupported))
    else:
        report = _core_validate(source(), engine, core)
        checks = tuple(c for c in compiled.checks if c.constraint is not None)
    if focus is not None:
        for result in list(report.subjects(RDF.type, SH.ValidationResult)):
            if report.value(result, SH.focusNode) not in focus:
                report.remove((result, None, None))
    keep = None if focus is None else focus.__contains__
    run_checks(store, checks, report, shapes=graph, union=union, keep=keep, short=_short)
    return _linked(report)


def _linked(report: Graph) -> Graph:
    """One sh:ValidationReport node listing every result, with sh:conforms false when any is a violation."""
    for node in list(report.subjects(RDF.type, SH.ValidationReport)):
        report.remove((node, None, None))
    node = BNode()
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    violations = any((r, SH.resultSeverity, SH.Violation) in report for r in results)
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(not violations)))
    for result in results:
        report.add((node, SH.result, result))
    return report


def _short(term: object) -> str:
    text = str(term)
    namespaces = {**PREFIXES, **instance_prefixes()}
    for prefix, namespace in sorted(namespaces.items(), key=lambda pair: -len(pair[1])):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _path_text(report: Graph, path: object) -> str | None:
    if path is None:
        return None
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_short(inverse)}"
        first = report.value(path, RDF.first)
        if first is not None:
            return "/".join(_short(step) if not isinstance(step, BNode) else "…" for step in report.items(path))
        return "(path)"
    return _short(path)


def _label(data: Graph, node: Node) -> str | None:
    for predicate in (SKOS.prefLabel, DCTERMS.title, SCHEMA.headline):
        values = list(data.objects(node, predicate))
        english = [v for v in values if isinstance(v, Literal) and v.language in (None, "en")]
        if english or values:
            return str(min(english or values, key=str))  # the same label whatever order the triples came in
    return None


def _origin(data: Graph, node: Node) -> tuple[str | None, str | None]:
    """The news item a node came from and its source URL; for curated nodes, their reference source."""
    subject = node
    case = data.value(predicate=DLK.penalty, object=node)
    if case is not None:
        subject = case
    item = data.value(subject, DLK.reportedIn)
    if item is None and (subject, RDF.type, DLK.NewsItem) in data:
        item = subject
    if item is not None:
        source = data.value(item, DCTERMS.source)
        if source is None:
            issue = data.value(item, DCTERMS.isPartOf)
            source = data.value(issue, DCTERMS.source) if issue is not None else None
        return _short(item), str(source) if source is not None else None
    reference = data.value(subject, DCTERMS.source)
    return None, str(reference) if reference is not None else None


def _parent_shape(shapes: Graph, shape: Node, focus: Node, data: Graph) -> Node:
    """The node shape a result belongs to: the one holding the constraint whose target the focus node is in.

    Shared property shapes (an English name, provenance) sit in several node shapes.
    """
    parents = [
        parent
        for predicate in (SH.property, SH.sparql)
        for parent in shapes.subjects(predicate, shape)
        if not isinstance(parent, BNode)
    ]
    if not parents:
        return shape
    types = set(data.objects(focus, RDF.type))
    for parent in sorted(parents, key=str):
        if types & set(shapes.objects(parent, SH.targetClass)):
            return parent
        if any((focus, p, None) in data for p in shapes.objects(parent, SH.targetSubjectsOf)):
            return parent
    return sorted(parents, key=str)[0]


def report_from(
    conforms: bool,
    report: Graph,
    data: Graph,
    focus_filter: set[URIRef] | None = None,
    shapes: Graph | None = None,
) -> ValidationReport:
    """Turn a SHACL report graph into a :class:`ValidationReport` (optionally only for some focus nodes)."""
    shapes = shapes_graph() if shapes is None else shapes
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        source_shape = report.value(result, SH.sourceShape)
        if focus is None or source_shape is None or (focus_filter is not None and focus not in focus_filter):
            continue
        shape = _parent_shape(shapes, source_shape, focus, data)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        value = report.value(result, SH.value)
        item, source = _origin(data, focus)
        violations.append(
            Violation(
                shape=_short(shape) if not isinstance(shape, BNode) else "(anonymous shape)",
                severity=str(severity).rpartition("#")[2] if severity else "Violation",
                focus=str(focus),
                focus_label=_label(data, focus),
                path=_path_text(report, report.value(result, SH.resultPath)),
                value=None
                if value is None or value == focus
                else _short(value)
                if isinstance(value, URIRef)
                else str(value),
                message=str(message) if message else "does not conform",
                item=item,
                source=source,
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus, v.path or "", v.value or "", v.message))
    errors = any(v.severity == "Violation" for v in violations)
    if focus_filter is not None:
        conforms = True  # judged on the focus nodes' own results only
    report_graph = bind_prefixes(Graph())
    for triple in report:
        report_graph.add(triple)
    return ValidationReport(
        conforms=conforms and not errors, violations=violations, report_turtle=report_graph.serialize(format="turtle")
    )


def validate_graph(
    data: Graph,
    focus_nodes: Iterable[URIRef] | None = None,
    engine: str | None = None,
    shapes: Graph | None = None,
) -> ValidationReport:
    """Validate ``data`` against the project's shapes (or ``shapes``); report only on ``focus_nodes``, when given.

    The data is copied into an in-memory Oxigraph store, where the constraints run
    (:func:`shacl_report`; a SHACL engine reads ``data`` itself). The whole of ``data`` is
    validated and the results filtered afterwards: pySHACL's own ``focus_nodes`` option also
    skips the value-node checks nested in ``sh:or``.
    """
    wanted = set(focus_nodes) if focus_nodes is not None else None
    if wanted is not None and not wanted:
        return ValidationReport(conforms=True)
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    report = shacl_report(store, engine, union=False, data=data, focus=wanted, shapes=shapes)
    return report_from(True, report, data, wanted, shapes)


def validate_file(path: Path, engine: str | None = None) -> ValidationReport:
    """Validate an RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML; by extension)."""
    fmt = guess_format(str(path)) or "turtle"
    dataset = Dataset()
    try:
        dataset.parse(path, format=fmt)
    except FileNotFoundError as exc:
        raise InputError("file not found", path) from exc
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(f"not valid RDF ({fmt}): {exc}", path) from exc
    return validate_graph(union_graph(dataset))


def _context_of(store: ox.Store, nodes: set[Node]) -> Graph:
    """The triples the report needs about ``nodes``: their own, their cases, items and issues."""
    context = Graph()
    frontier = {n for n in nodes if isinstance(n, URIRef)}
    seen: set[URIRef] = set()
    for _ in range(3):  # node -> (case ->) item -> issue
        frontier -= seen
        if not frontier:
            break
        seen |= frontier
        values = " ".join(f"<{n}>" for n in sorted(frontier))
        query = (
            f"CONSTRUCT {{ ?s ?p ?o . ?case <{DLK.penalty}> ?s }} WHERE {{ VALUES ?s {{ {values} }} "
            f"{{ ?s ?p ?o }} UNION {{ ?case <{DLK.penalty}> ?s }} }}"
        )
        triples = store.query(query, use_default_graph_as_union=True)
        assert isinstance(triples, ox.QueryTriples)
        context.parse(data=bytes(triples.serialize(format=ox.RdfFormat.N_TRIPLES) or b""), format="nt")
        frontier = {
            o
            for p in (DLK.reportedIn, DCTERMS.isPartOf, DLK.penalty)
            for s2, o in context.subject_objects(p)
            if isinstance(o, URIRef)
        } | {s2 for s2 in context.subjects(DLK.penalty, None) if isinstance(s2, URIRef)}
    return context


def validate_ntriples(ntriples: Path | bytes, engine: str | None = None) -> ValidationReport:
    """Validate one graph given as N-Triples (a file, or its bytes): e.g. the union of a dataset's graphs.

    The graph is bulk-loaded into an in-memory Oxigraph store, which the ``oxigraph`` and
    ``turbo`` engines read directly; pySHACL needs the data in rdflib, parsed by rdflib's own
    parser (pyoxigraph's would type plain literals as xsd:string: PERFORMANCE.md, trap 1).
    """
    engine = engine or default_engine()
    if engine == "pyshacl":
        data = ntriples.read_bytes() if isinstance(ntriples, Path) else ntriples
        return validate_graph(Graph().parse(data=data, format="nt"), engine=engine)
    store = ox.Store()
    source = {"path": ntriples} if isinstance(ntriples, Path) else {"input": ntriples}
    store.bulk_load(format=ox.RdfFormat.N_TRIPLES, **source)
    return _store_report(store, engine, union=False)


def validate_dataset(store: ox.Store, engine: str | None = None) -> ValidationReport:
    """Validate the union of the named graphs of an open ``store`` (each triple once).

    The ``oxigraph`` engine queries the store where it lies: no copy of the graph is made.
    """
    return _store_report(store, engine or default_engine(), union=True)


def _store_report(store: ox.Store, engine: str, union: bool) -> ValidationReport:
    report = shacl_report(store, engine, union=union)
    focus = set(report.objects(None, SH.focusNode))
    return report_from(True, report, _context_of(store, focus), None)


def validate_store(store_path: Path, engine: str | None = None) -> ValidationReport:
    """Validate everything in the store (the union of all named graphs, each triple once).

    The ``oxigraph`` engine queries the store where it lies, read-only: nothing is copied,
    so memory stays low at any size. A SHACL engine gets the union as N-Triples.
    """
    engine = engine or default_engine()
    if engine == "oxigraph":
        with open_store(store_path) as disk:
            return _store_report(disk, engine, union=True)
    return validate_ntriples(_union_ntriples(store_path), engine)


def _union_ntriples(store_path: Path) -> bytes:
    # Its own function so the store and the query's result, which holds the store open, are
    # released before validating: at 1M triples that lowers the peak from 2.1 GB to 1.5 GB.
    with open_store(store_path) as disk:
        union = disk.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(union, ox.QueryTriples)
        return bytes(union.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")


def validate_issue_graphs(
    graphs: list[Graph],
    store_path: Path,
    replacing: list[str],
    engine: str | None = None,
    store: ox.Store | None = None,
) -> ValidationReport:
    """Validate new issue graphs against the store incrementally: their nodes, and the nodes they touch.

    The data validated is the new triples plus every stored triple about a node they
    refer to (taken from outside the graphs being replaced), and about instruments
    sharing a Chinese title with a new one. Only the new graphs' own nodes are focus
    nodes, so the result equals a full validation's results for those nodes. ``store``
    is the store's database when the caller has it open (an ingest, holding the writer lock).
    """
    engine = engine or default_engine()
    focus = {s for graph in graphs for s in graph.subjects() if isinstance(s, URIRef)}
    touched = {o for graph in graphs for o in graph.objects() if isinstance(o, URIRef)} - focus
    titles = [
        o
        for graph in graphs
        for o in graph.objects(None, SKOS.prefLabel)
        if isinstance(o, Literal) and o.language == "zh"
    ]
    with ExitStack() as stack:
        if store is None and (titles or touched):
            store = stack.enter_context(open_store(store_path))
        query = "SELECT ?s WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?t } }"
        for title in titles:
            for row in store.query(query, substitutions={ox.Variable("t"): ox.Literal(str(title), language="zh")}):  # type: ignore[union-attr]
                touched.add(URIRef(row["s"].value))
        context = neighbourhood(store, [str(iri) for iri in touched], replacing) if store is not None else ""
    if engine != "oxigraph" or compiled_shapes().unsupported:
        return validate_graph(_issue_data(graphs, context), focus_nodes=focus, engine=engine)
    # Every constraint runs as a query on Oxigraph: the data goes there as N-Triples, with no
    # rdflib graph of it (parsing the context into rdflib was a third of the validation); the
    # report's words (labels, items, sources) need one only when something is reported.
    if not focus:
        return ValidationReport(conforms=True)
    data = ox.Store()
    for graph in graphs:
        data.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    if context:
        data.load(context.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    report = shacl_report(data, engine, union=False, focus=focus)
    reported = next(report.subjects(RDF.type, SH.ValidationResult), None) is not None
    return report_from(True, report, _issue_data(graphs, context) if reported else Graph(), focus)


def _issue_data(graphs: list[Graph], context: str) -> Graph:
    """The new graphs and the stored context as one rdflib graph."""
    data = Graph()
    for graph in graphs:
        for triple in graph:
            data.add(triple)
    if context:
        data.parse(data=context, format="nt")
    return data
