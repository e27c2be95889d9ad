"""Models to RDF: the ontology graph, the reference graph, and the dataset of named graphs.

Each part of the graph lives in its own named graph under ``<base>graph/``:
``ontology`` (terms and concept schemes), ``reference`` (the curated backbone),
one graph per newsletter issue (``issue/<id>``, replaced alone), and ``curation``,
which describes once each entity the issues named that the backbone lacks.

Example:
    >>> from kg.resources import resource_dir
    >>> from kg.reference import load_reference
    >>> quads = dataset_nquads(load_reference(resource_dir("data")), "https://example.org/")
    >>> list(quads)
    ['https://example.org/graph/ontology', 'https://example.org/graph/reference']

"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph
from rdflib.term import BNode, URIRef

from kg.errors import InputError
from kg.events import CURATION_GRAPH, IssueNodes, issue_graph_name
from kg.mapping import IriIndex, to_graph, to_ntriples
from kg.models import Node
from kg.namespaces import DEFAULT_BASE_IRI, bind_prefixes
from kg.reference import ReferenceData
from kg.resources import resource_dir
from kg.serialize import nquads_block, ntriples_block


def graph_iri(name: str, base_iri: str = DEFAULT_BASE_IRI) -> URIRef:
    """The IRI of one named graph, e.g. ``graph_iri("reference")``."""
    return URIRef(f"{base_iri}graph/{name}")


def resource_graph(name: str) -> Graph:
    """Every Turtle file of one resource folder (``ontology``, ``shapes``) parsed into one graph."""
    graph = bind_prefixes(Graph())
    folder = resource_dir(name)
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise InputError(f"no {name} files (*.ttl) found", folder)
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many parser-specific types
            raise InputError(f"{name} file does not parse: {exc}", path) from exc
    return graph


def ontology_graph() -> Graph:
    """Parse every Turtle file of ``ontology/`` into one graph."""
    return resource_graph("ontology")


def index_for(backbone: ReferenceData, base_iri: str, extra: Iterable[Node] = ()) -> IriIndex:
    """An IRI index over the backbone plus any further nodes (e.g. an issue's events)."""
    return IriIndex(base_iri, [*backbone.nodes(), *extra])


def reference_graph(backbone: ReferenceData, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """The curated backbone as RDF (with its versions and articles)."""
    return to_graph(backbone.nodes(), index_for(backbone, base_iri), bind_prefixes(Graph(), base_iri))


#: One issue mapped to N-Triples statements: (issue id, its own graph's, the curation graph's).
MappedIssue = tuple[str, list[str], list[str]]


def map_issue(nodes: IssueNodes, backbone_index: IriIndex) -> MappedIssue:
    """An issue's nodes as statements for :func:`dataset_nquads` (:meth:`IssueNodes.statements`)."""
    own, curation = nodes.statements(backbone_index)
    return nodes.issue_id, own, curation


def fixed_blocks(backbone: ReferenceData, base_iri: str = DEFAULT_BASE_IRI) -> dict[str, bytes]:
    """The graphs made from the reference data and the ontology alone, as N-Triples blocks by graph IRI.

    (:func:`kg.serialize.ntriples_block`: each graph's sorted, unique lines.)
    """
    ontology = ontology_graph()
    if any(isinstance(term, BNode) for triple in ontology for term in triple):
        raise InputError("the ontology has blank nodes: name every node, so dumps stay the same from build to build")
    index = index_for(backbone, base_iri)
    return {
        str(graph_iri("ontology", base_iri)): ntriples_block(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in ontology),
        str(graph_iri("reference", base_iri)): ntriples_block(
            line for node in backbone.nodes() for line in to_ntriples(node, index)
        ),
    }


def dataset_blocks(
    fixed: dict[str, bytes], issues: Iterable[tuple[str, bytes, Iterable[str]]], base_iri: str = DEFAULT_BASE_IRI
) -> dict[str, bytes]:
    """The whole dataset as N-Triples blocks by graph IRI, in IRI order: ``fixed`` (:func:`fixed_blocks`), each issue, curation.

    Each issue comes as its id, its own graph's block, and the statements describing the entities
    it minted, which go to the one curation graph. An issue given twice gets the lines of both.
    """
    graphs = dict(fixed)
    curation: set[str] = set()
    for issue_id, own, shared in issues:
        iri = str(graph_iri(issue_graph_name(issue_id), base_iri))
        if iri in graphs:
            graphs[iri] = b"".join(sorted(set(graphs[iri].splitlines(True)) | set(own.splitlines(True))))
        else:
            graphs[iri] = own
        curation.update(shared)
    if curation:
        graphs[str(graph_iri(CURATION_GRAPH, base_iri))] = ntriples_block(curation)
    return {iri: graphs[iri] for iri in sorted(graphs)}


def dataset_nquads(
    backbone: ReferenceData, base_iri: str = DEFAULT_BASE_IRI, issues: Iterable[MappedIssue] = ()
) -> dict[str, list[str]]:
    """The whole dataset as N-Quads lines, by graph IRI: ontology, reference backbone, each issue, curation.

    ``issues`` are mapped already (:func:`map_issue`): each issue's own statements go to its
    graph, the descriptions of the entities it minted to the one curation graph. Lines within
    a graph are sorted and unique, so the result is the same for the same data whatever the
    order it came in.
    """
    blocks = dataset_blocks(
        fixed_blocks(backbone, base_iri),
        ((issue_id, ntriples_block(own), curation) for issue_id, own, curation in issues),
        base_iri,
    )
    return {iri: nquads_block(iri, block).decode("utf-8").splitlines(True) for iri, block in blocks.items()}
