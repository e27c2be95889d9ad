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
    >>> len(list(to_triples(china, index)))  # dlk:Jurisdiction and dpv:Location, id, two names, level
    6

"""

from __future__ import annotations

import re
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
        self.paths: dict[str, str] = self._place(list(own.values()), dict(parent.paths) if parent else {})

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

    def ntriples_term(self, node_id: str) -> str:
        """The N-Triples form (``<iri>``) of a node's IRI."""
        try:
            return f"<{self.base_iri}{self.paths[node_id]}>"
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


def _slot_values(node: Node) -> Iterator[tuple[Slot, object]]:
    """Each (slot, value) pair the node states: one per item of a list, none for an empty field."""
    values: list[tuple[Slot, object]] = [(slot, getattr(node, name)) for name, slot in slots(type(node)).items()]
    values += [(slot, getattr(node, name)()) for name, slot in type(node).derived_slots.items()]
    for slot, value in values:
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                yield slot, item


def _named(slot: Slot, value: object, index: IriIndex) -> str | None:
    """The English name of the node a ``names`` slot refers to (None for other slots)."""
    if slot.names is None:
        return None
    node = index.nodes.get(str(value))
    if node is None:
        raise InputError(f"unknown id {value!r}")
    name = getattr(node, "name_en", None)
    if not isinstance(name, str):
        raise TypeError(f"{slot.predicate} names {value!r}, a {type(node).__name__} without an English name")
    return name


def to_triples(node: Node, index: IriIndex) -> Iterator[Triple]:
    """Yield the triples of one node, as its model declares them."""
    subject = index[node.id]
    for rdf_type in node.types():
        yield subject, RDF.type, rdf_type
    for slot, item in _slot_values(node):
        term = _term(item, slot, index)
        for predicate in slot.predicates:
            yield subject, predicate, term
        name = _named(slot, item, index)
        if name is not None and slot.names is not None:
            yield subject, slot.names, Literal(name, lang="en")


_RDF_TYPE = f"<{RDF.type}>"
_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _nt_iri(iri: str) -> str:
    if _IRI_FORBIDDEN.search(iri):
        raise InputError(f'{iri!r} is not a valid IRI (it has a space or one of <>"{{}}|^`\\)')
    return f"<{iri}>"


def _nt_literal(lexical: str, datatype: str | None = None, lang: str | None = None) -> str:
    quoted = '"' + lexical.translate(_NT_ESCAPES) + '"'
    return f"{quoted}@{lang}" if lang else f"{quoted}^^<{datatype}>" if datatype else quoted


def _nt_term(value: object, slot: Slot, index: IriIndex) -> str:
    # The same terms as _term, written straight as N-Triples: building rdflib terms
    # (IRI checks, literal casting) is most of the cost of mapping a large graph.
    if slot.is_ref:
        return index.ntriples_term(str(value))
    if isinstance(value, ConceptEnum):
        return f"<{value.concept}>"
    if isinstance(value, URIRef | AnyUrl):
        return _nt_iri(str(value))
    if isinstance(value, bool):
        return _nt_literal("true" if value else "false", str(XSD.boolean))
    if isinstance(value, Decimal):
        return _nt_literal(format(value, "f"), str(XSD.decimal))
    if isinstance(value, int):
        return _nt_literal(str(value), str(XSD.integer))
    if isinstance(value, date):
        return _nt_literal(value.isoformat(), str(XSD.date))
    if isinstance(value, str):
        return _nt_literal(value, str(slot.datatype) if slot.datatype else None, slot.lang)
    raise TypeError(f"no RDF term for {type(value).__name__} value {value!r}")


def to_ntriples(node: Node, index: IriIndex) -> Iterator[str]:
    """The triples of :func:`to_triples`, as N-Triples statements (``s p o``, without the final `` .``)."""
    subject = index.ntriples_term(node.id)
    for rdf_type in node.types():
        yield f"{subject} {_RDF_TYPE} <{rdf_type}>"
    for slot, item in _slot_values(node):
        term = _nt_term(item, slot, index)
        for predicate in slot.predicates:
            yield f"{subject} <{predicate}> {term}"
        name = _named(slot, item, index)
        if name is not None:
            yield f"{subject} <{slot.names}> {_nt_literal(name, lang='en')}"


def to_graph(nodes: Iterable[Node], index: IriIndex, graph: Graph | None = None) -> Graph:
    """Add the triples of every node to ``graph`` (a new one by default) and return it."""
    graph = Graph() if graph is None else graph
    for node in nodes:
        for triple in to_triples(node, index):
            graph.add(triple)
    return graph
