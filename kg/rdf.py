"""Models to RDF: the ontology graph, the reference graph, and the dataset of named graphs.

Each part of the graph lives in its own named graph under ``<base>graph/``:
``ontology`` (terms and concept schemes), ``reference`` (the curated backbone),
and later one graph per newsletter issue, so each can be replaced alone.

Example:
    >>> from kg.resources import resource_dir
    >>> from kg.reference import load_reference
    >>> ds = assemble(load_reference(resource_dir("data")), "https://example.org/")
    >>> sorted(str(g.identifier) for g in ds.graphs() if len(g))
    ['https://example.org/graph/ontology', 'https://example.org/graph/reference']

"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Graph
from rdflib.term import URIRef

from kg.errors import InputError
from kg.mapping import IriIndex, to_graph
from kg.models import Node
from kg.namespaces import DEFAULT_BASE_IRI, bind_prefixes
from kg.reference import ReferenceData
from kg.resources import resource_dir


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
    return IriIndex(base_iri, [*backbone, *extra])


def reference_graph(backbone: ReferenceData, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """The curated backbone as RDF."""
    return to_graph(backbone, index_for(backbone, base_iri), bind_prefixes(Graph(), base_iri))


def assemble(
    backbone: ReferenceData, base_iri: str = DEFAULT_BASE_IRI, extra: dict[str, Graph] | None = None
) -> Dataset:
    """The whole dataset: ontology, reference backbone and any ``extra`` graphs (IRI → graph), each named."""
    dataset = Dataset()
    bind_prefixes(dataset, base_iri)
    parts: dict[str, Graph] = {
        str(graph_iri("ontology", base_iri)): ontology_graph(),
        str(graph_iri("reference", base_iri)): reference_graph(backbone, base_iri),
        **(extra or {}),
    }
    for iri, part in parts.items():
        target = dataset.graph(URIRef(iri))
        for triple in part:
            target.add(triple)
    return dataset
