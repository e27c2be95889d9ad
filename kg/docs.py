"""``kg docs``: the project published as a dataset is: documented terms and a description of the data.

Writes into one folder (``build/docs`` by default):

* ``ontology.html`` — the OWL terms of ``ontology/datalaw.ttl``, by pyLODE's ontology profile
  (``OntPub``), the generator the RDFLib project maintains for exactly this;
* ``schemes.html`` — the SKOS concept schemes of ``ontology/schemes.ttl``, each concept with its
  labels, definition and broader concept (written here: pyLODE's vocabulary profile lists no
  concepts, see :func:`schemes_page`); kept out of the ontology's file because pyLODE, given the
  schemes with the ontology, glues the eight schemes' titles into the ontology's heading;
* ``void.ttl`` — a VoID and DCAT description of the built dataset: counts (triples, entities,
  classes and properties, each class's and property's share, each named graph), licence,
  sources (the newsletter issues read), version, date, vocabularies, distributions (the dumps
  beside the store, with size and SHA-256);
* ``index.html`` — a page linking them, with the counts.

pyLODE is imported here only. Its package configures the root logger at DEBUG when imported
(``logging.basicConfig`` in ``pylode.profiles.supermodel``), which would pour every library's
debug messages onto stderr; it is imported behind a handler that makes that call a no-op.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg import __version__, progress
from kg.errors import InputError
from kg.namespaces import DEFAULT_BASE_IRI, DLK, PREFIXES, bind_prefixes
from kg.resources import resource_dir
from kg.serialize import DUMP_FILES
from kg.store import open_store

# Open namespaces: rdflib's closed DCAT lacks DCAT 3's dcat:version.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LICENSE = URIRef("https://opensource.org/licenses/MIT")
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
}
#: Vocabularies whose terms the data uses (void:vocabulary), from the prefix table.
VOCABULARIES = ("dlk", "eli", "eli-dl", "dpv", "bibo", "schema", "org", "prov", "skos", "dct", "foaf")


@dataclass
class Docs:
    """What ``kg docs`` wrote."""

    files: list[Path] = field(default_factory=list)
    description: Graph | None = None


def _pylode() -> ModuleType:
    root = logging.getLogger()
    guard = None
    if not root.handlers:
        guard = logging.NullHandler()
        root.addHandler(guard)  # logging.basicConfig() does nothing when the root logger has a handler
    try:
        import pylode
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise InputError(f"kg docs needs pyLODE (pip install pylode): {exc}") from exc
    finally:
        if guard is not None:
            root.removeHandler(guard)
    return pylode


def _turtle(path: Path) -> Graph:
    graph = bind_prefixes(Graph())
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(f"ontology file does not parse: {exc}", path) from exc
    return graph


def ontology_page(out: Path) -> Path:
    """The ontology's page, by pyLODE's ontology profile."""
    pylode = _pylode()
    with progress.task("documenting the ontology (pyLODE)"):
        page = out / "ontology.html"
        graph = _turtle(resource_dir("ontology") / "datalaw.ttl")
        page.write_text(pylode.OntPub(graph).make_html(include_css=True), encoding="utf-8")
    return page


def _text(graph: Graph, node: Node, prop: URIRef, lang: str) -> str:
    values = sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == lang)
    return values[0] if values else ""


def schemes_page(out: Path) -> Path:
    """One page documenting every concept scheme of ``ontology/schemes.ttl``, concept by concept.

    pyLODE's vocabulary profile (``VocPub``, 3.3) renders a scheme's metadata but none of its
    concepts, and the SKOS documentation tools that do (Skosmos, SKOS Play) are servers in PHP
    and Java; this page lists each scheme's concepts in order, with their English and Chinese
    labels, definitions and broader concepts.
    """
    graph = _turtle(resource_dir("ontology") / "schemes.ttl")
    with progress.task("documenting the concept schemes"):
        sections, toc = [], []
        for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=str):
            name = str(scheme).rpartition("#")[2]
            title = _text(graph, scheme, RDFS.label, "en")
            zh = _text(graph, scheme, RDFS.label, "zh")
            toc.append(f'<li><a href="#{name}">{html.escape(title)}</a></li>')
            rows = []
            concepts = sorted(graph.subjects(SKOS.inScheme, scheme), key=lambda c: _concept_order(graph, c))
            for concept in concepts:
                local = str(concept).rpartition("#")[2]
                broader = ", ".join(
                    f'<a href="#{html.escape(str(b).rpartition("#")[2])}">{html.escape(_text(graph, b, SKOS.prefLabel, "en"))}</a>'
                    for b in sorted(graph.objects(concept, SKOS.broader), key=str)
                )
                rows.append(
                    f'<tr id="{html.escape(local)}"><td><code>dlk:{html.escape(local)}</code></td>'
                    f"<td>{html.escape(_text(graph, concept, SKOS.prefLabel, 'en'))}</td>"
                    f'<td lang="zh">{html.escape(_text(graph, concept, SKOS.prefLabel, "zh"))}</td>'
                    f"<td>{html.escape(_text(graph, concept, SKOS.definition, 'en'))}</td><td>{broader}</td></tr>"
                )
            sections.append(
                f'<section id="{name}"><h2>{html.escape(title)}'
                + (f' <span lang="zh">{html.escape(zh)}</span>' if zh else "")
                + f"</h2><p><code>{html.escape(str(scheme))}</code></p>"
                f"<p>{html.escape(_text(graph, scheme, RDFS.comment, 'en'))}</p>"
                "<table><tr><th>concept</th><th>label</th><th>中文</th><th>definition</th><th>broader</th></tr>"
                + "".join(rows)
                + "</table></section>"
            )
        page = out / "schemes.html"
        page.write_text(
            f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>datalaw-kg concept schemes</title>
<style>body{{font:15px system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;width:100%}} td,th{{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}}
th{{background:#f3f5f8}} td[lang=zh]{{white-space:nowrap}} h2{{margin-top:2em;color:#005a9c}} code{{font-size:13px}}</style></head>
<body><h1>datalaw-kg concept schemes</h1>
<p>The controlled vocabularies of the <a href="ontology.html">datalaw-kg ontology</a> (SKOS, <code>ontology/schemes.ttl</code>),
version {html.escape(__version__)}, licence <a href="{LICENSE}">MIT</a>.</p>
<ul>{"".join(toc)}</ul>{"".join(sections)}</body></html>
""",
            encoding="utf-8",
        )
    return page


def _concept_order(graph: Graph, concept: Node) -> tuple[int, str]:
    # Stages, levels and ranks have an order the models know (Stage, Level…); else by label.
    from kg import models

    local = str(concept).rpartition("#")[2]
    for enum in (models.Stage, models.Rank, models.AdministrativeLevel, models.CourtLevel):
        concepts = [str(member.concept) for member in enum]
        if str(concept) in concepts:
            return concepts.index(str(concept)), local
    return 1_000, _text(graph, concept, SKOS.prefLabel, "en") or local


def _count(store: ox.Store, sparql: str) -> int:
    solutions = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    (row,) = list(solutions)
    return int(row[0].value)


def _pairs(store: ox.Store, sparql: str) -> list[tuple[str, int]]:
    solutions = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return sorted((row[0].value, int(row[1].value)) for row in solutions)


# The union default graph repeats a triple once per named graph holding it: count distinct triples.
_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"
_OBJECTS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"
_ENTITIES = 'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), "%s")) }'
_CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER (isIRI(?class)) } GROUP BY ?class"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p"
_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_ISSUES = f"SELECT DISTINCT ?issue WHERE {{ ?issue a <{DLK.NewsletterIssue}> }} ORDER BY ?issue"


def _distribution(description: Graph, dataset: URIRef, path: Path) -> None:
    node = BNode(f"dump-{path.name.replace('.', '-')}")
    description.add((dataset, DCAT.distribution, node))
    description.add((node, RDF.type, DCAT.Distribution))
    description.add((node, DCTERMS.title, Literal(path.name)))
    description.add(
        (node, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[path.suffix]}"))
    )
    description.add((node, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    checksum = BNode(f"sha256-{path.name.replace('.', '-')}")
    description.add((node, SPDX.checksum, checksum))
    description.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    description.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
    description.add((node, DCTERMS.license, LICENSE))


def dataset_description(store_path: Path, base_iri: str = DEFAULT_BASE_IRI, dumps: Path | None = None) -> Graph:
    """VoID and DCAT for the store at ``store_path``; with ``dumps``, the dump files there as distributions.

    The date is the day the store version was made; the version is the package's.
    """
    with progress.task("counting the dataset for its VoID description"), open_store(store_path) as store:
        triples = _count(store, _TRIPLES)
        subjects = _count(store, _SUBJECTS)
        objects = _count(store, _OBJECTS)
        entities = _count(store, _ENTITIES % base_iri)
        classes = _pairs(store, _CLASSES)
        properties = _pairs(store, _PROPERTIES)
        graphs = _pairs(store, _GRAPHS)
        issues = [row[0].value for row in store.query(_ISSUES, use_default_graph_as_union=True)]  # type: ignore[union-attr]
    made = dt.datetime.fromtimestamp(store_path.resolve().stat().st_mtime, tz=dt.UTC).date()

    description = bind_prefixes(Graph(), base_iri)
    description.bind("void", VOID)
    description.bind("dcat", DCAT)
    description.bind("spdx", SPDX)
    dataset = URIRef(f"{base_iri}dataset")
    for kind in (VOID.Dataset, DCAT.Dataset):
        description.add((dataset, RDF.type, kind))
    en = "en"
    description.add((dataset, DCTERMS.title, Literal("datalaw-kg: China's data-law landscape", lang=en)))
    description.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Chinese data-protection law as one graph: statutes, regulations, rules and standards with their "
                "issuers and what they are made under; the authorities and courts; enforcement actions and court "
                "cases with penalties and parties, each linked to the newsletter item that reported it.",
                lang=en,
            ),
        )
    )
    description.add((dataset, DCTERMS.license, LICENSE))
    description.add((dataset, DCAT.version, Literal(__version__)))
    description.add((dataset, OWL.versionInfo, Literal(__version__)))
    description.add((dataset, DCTERMS.issued, Literal(made.isoformat(), datatype=XSD.date)))
    description.add((dataset, DCTERMS.modified, Literal(made.isoformat(), datatype=XSD.date)))
    description.add((dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/datalaw-kg/ontology")))
    for keyword in ("data protection", "personal information", "China", "PIPL", "enforcement", "legislation"):
        description.add((dataset, DCAT.keyword, Literal(keyword, lang=en)))
    description.add((dataset, DCAT.theme, URIRef("http://publications.europa.eu/resource/authority/data-theme/JUST")))
    for issue in issues:
        description.add((dataset, DCTERMS.source, URIRef(issue)))
    description.add((dataset, VOID.uriSpace, Literal(base_iri)))
    description.add((dataset, VOID.exampleResource, URIRef(f"{base_iri}law/pipl")))
    for prefix in VOCABULARIES:
        description.add((dataset, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    for prop, value in (
        (VOID.triples, triples),
        (VOID.entities, entities),
        (VOID.distinctSubjects, subjects),
        (VOID.distinctObjects, objects),
        (VOID.classes, len(classes)),
        (VOID.properties, len(properties)),
    ):
        description.add((dataset, prop, Literal(value, datatype=XSD.integer)))
    for iri, count in classes:
        node = BNode(f"class-{hashlib.sha1(iri.encode()).hexdigest()[:12]}")
        description.add((dataset, VOID.classPartition, node))
        description.add((node, VOID["class"], URIRef(iri)))
        description.add((node, VOID.entities, Literal(count, datatype=XSD.integer)))
    for iri, count in properties:
        node = BNode(f"property-{hashlib.sha1(iri.encode()).hexdigest()[:12]}")
        description.add((dataset, VOID.propertyPartition, node))
        description.add((node, VOID.property, URIRef(iri)))
        description.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))
    for iri, count in graphs:
        subset = URIRef(iri)
        description.add((dataset, VOID.subset, subset))
        description.add((subset, RDF.type, VOID.Dataset))
        description.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))
        description.add((subset, DCTERMS.isPartOf, dataset))
    description.add((dataset, FOAF.homepage, URIRef("https://w3id.org/datalaw-kg/")))
    description.add((dataset, RDFS.seeAlso, URIRef("https://w3id.org/datalaw-kg/ontology")))
    if dumps is not None:
        for name in DUMP_FILES.values():
            if (dumps / name).is_file():
                _distribution(description, dataset, dumps / name)
    return description


def _index(description: Graph | None, pages: list[Path], out: Path) -> str:
    rows = ""
    if description is not None:
        dataset = next(description.subjects(RDF.type, VOID.Dataset, unique=True), None)
        for label, prop in (
            ("triples", VOID.triples),
            ("entities", VOID.entities),
            ("classes", VOID.classes),
            ("properties", VOID.properties),
        ):
            value = description.value(dataset, prop) if dataset is not None else None
            rows += f"<tr><td>{label}</td><td>{int(str(value)):,}</td></tr>" if value is not None else ""
    links = "".join(
        f'<li><a href="{html.escape(p.relative_to(out).as_posix())}">{html.escape(p.relative_to(out).as_posix())}</a></li>'
        for p in pages
    )
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>datalaw-kg documentation</title>
<style>body{{font:15px system-ui,sans-serif;max-width:760px;margin:2em auto;padding:0 1em}} td{{padding:2px 10px}}</style>
</head><body><h1>datalaw-kg documentation</h1>
<p>Version {html.escape(__version__)}. Licence: <a href="{LICENSE}">MIT</a>.</p>
<ul>{links}</ul>
{"<h2>The dataset</h2><table>" + rows + "</table>" if rows else ""}
</body></html>
"""


def write_docs(
    out: Path, store_path: Path | None = None, base_iri: str = DEFAULT_BASE_IRI, dumps: Path | None = None
) -> Docs:
    """Write the ontology's pages, and with ``store_path`` the dataset's VoID/DCAT description, into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    docs = Docs(files=[ontology_page(out), schemes_page(out)])
    if store_path is not None:
        docs.description = dataset_description(store_path, base_iri, dumps)
        void = out / "void.ttl"
        void.write_text(docs.description.serialize(format="longturtle"), encoding="utf-8")
        docs.files.append(void)
    index = out / "index.html"
    index.write_text(_index(docs.description, docs.files, out), encoding="utf-8")
    docs.files.append(index)
    return docs
