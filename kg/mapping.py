"""The one mapping from models to RDF.

Models declare their classes and, per field, a :class:`kg.models.Slot`; this
module reads those declarations and nothing else. :class:`IriIndex` places every
node under the configurable base IRI, deterministically, so references between
models (ids) become IRIs.

Example:
    >>> from kg.models import Jurisdiction
    >>> china = Jurisdiction(id="china", name_en="China", name_zh="中国", level="national")
    >>> index = IriIndex("https://example.org/", [china])
    >>> str(index["china"])
    'https://example.org/jurisdiction/china'
    >>> len(list(to_triples(china, index)))
    5

"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from pydantic import AnyUrl
from rdflib import Graph
from rdflib.namespace import RDF, XSD
from rdflib.term import Literal, URIRef
from rdflib.term import Node as RDFNode

from kg.errors import InputError
from kg.models import ConceptEnum, Node, Slot

Triple = tuple[URIRef, URIRef, RDFNode]


class IriIndex:
    """Ids of a collection of nodes, each placed at one IRI below ``base_iri``."""

    def __init__(self, base_iri: str, nodes: Iterable[Node], parent: IriIndex | None = None) -> None:
        if not base_iri.endswith(("/", "#")):
            raise InputError(f"base IRI {base_iri!r} must end with '/' or '#'")
        self.base_iri = base_iri
        own: dict[str, Node] = {}
        for node in nodes:
            if node.id in own:
                raise InputError(f"id {node.id!r} is used twice")
            own[node.id] = node
        self.nodes: dict[str, Node] = {**parent.nodes, **own} if parent else own
        self.paths = self._place(list(own.values()), dict(parent.paths) if parent else {})

    def extended(self, nodes: Iterable[Node]) -> IriIndex:
        """This index plus ``nodes``; a node whose id is already here takes its place.

        An issue's nodes are placed on top of the backbone's index this way, without
        placing the whole backbone again for every issue.
        """
        return IriIndex(self.base_iri, nodes, parent=self)

    @staticmethod
    def _place(nodes: list[Node], paths: dict[str, str]) -> dict[str, str]:
        # A node's path may hang below another's (an article below its law), so
        # place nodes in rounds until none is left waiting.
        waiting = nodes
        while waiting:
            still: list[Node] = []
            for node in waiting:
                try:
                    paths[node.id] = node.local_path(paths)
                except KeyError:
                    still.append(node)
            if len(still) == len(waiting):
                ids = ", ".join(sorted(node.id for node in still))
                raise InputError(f"cannot place nodes whose parent is missing: {ids}")
            waiting = still
        return paths

    def __getitem__(self, node_id: str) -> URIRef:
        try:
            return URIRef(self.base_iri + self.paths[node_id])
        except KeyError:
            raise InputError(f"unknown id {node_id!r}") from None

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.paths


def slots(model: type[Node]) -> dict[str, Slot]:
    """The mapped fields of a model class: field name -> slot."""
    found: dict[str, Slot] = {}
    for name, field in model.model_fields.items():
        for meta in field.metadata:
            if isinstance(meta, Slot):
                found[name] = meta
    return found


def _term(value: object, slot: Slot, index: IriIndex) -> RDFNode:
    if slot.is_ref:
        return index[str(value)]
    if isinstance(value, ConceptEnum):
        return value.concept
    if isinstance(value, URIRef):
        return value
    if isinstance(value, AnyUrl):
        return URIRef(str(value))
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, Decimal):
        return Literal(format(value, "f"), datatype=XSD.decimal)
    if isinstance(value, int):
        return Literal(value)
    if isinstance(value, date):
        return Literal(value, datatype=XSD.date)
    if isinstance(value, str):
        return Literal(value, datatype=slot.datatype) if slot.datatype else Literal(value, lang=slot.lang)
    raise TypeError(f"no RDF term for {type(value).__name__} value {value!r}")


def to_triples(node: Node, index: IriIndex) -> Iterator[Triple]:
    """Yield the triples of one node, as its model declares them."""
    subject = index[node.id]
    for rdf_type in node.types():
        yield subject, RDF.type, rdf_type
    values: list[tuple[Slot, object]] = [(slot, getattr(node, name)) for name, slot in slots(type(node)).items()]
    values += [(slot, getattr(node, name)()) for name, slot in type(node).derived_slots.items()]
    for slot, value in values:
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                yield subject, slot.predicate, _term(item, slot, index)


def to_graph(nodes: Iterable[Node], index: IriIndex, graph: Graph | None = None) -> Graph:
    """Add the triples of every node to ``graph`` (a new one by default) and return it."""
    graph = Graph() if graph is None else graph
    for node in nodes:
        for triple in to_triples(node, index):
            graph.add(triple)
    return graph
