"""The ontology parses, documents every term, and agrees with kg.namespaces.DLK."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import DLK
from kg.rdf import ontology_graph

DOCUMENTED_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme, SKOS.Concept)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


def own_terms(graph: Graph) -> set:
    return {s for s in graph.subjects(RDF.type, None) if str(s).startswith(str(DLK))}


def test_ontology_parses_and_declares_itself(ontology: Graph) -> None:
    assert (None, RDF.type, OWL.Ontology) in ontology
    assert len(ontology) > 300


def test_every_term_has_english_label_and_definition(ontology: Graph) -> None:
    undocumented = []
    for term in own_terms(ontology):
        labels = {lit.language for lit in ontology.objects(term, RDFS.label)}
        text = list(ontology.objects(term, RDFS.comment)) + list(ontology.objects(term, SKOS.definition))
        if "en" not in labels or not text:
            undocumented.append(term)
    assert not undocumented, f"terms without an English label and a definition: {sorted(undocumented)}"


def test_object_and_datatype_properties_have_ranges(ontology: Graph) -> None:
    missing = [
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ontology.subjects(RDF.type, kind)
        if str(p).startswith(str(DLK)) and ontology.value(p, RDFS.range) is None
    ]
    assert not missing, f"properties without rdfs:range: {missing}"


def test_every_own_term_is_of_a_documented_kind(ontology: Graph) -> None:
    for term in own_terms(ontology):
        kinds = set(ontology.objects(term, RDF.type))
        assert kinds & set(DOCUMENTED_KINDS), f"{term} is none of {DOCUMENTED_KINDS}"


def test_namespace_module_matches_ontology_both_ways(ontology: Graph) -> None:
    in_module = {DLK[name] for name in DLK.__annotations__}
    in_ontology = own_terms(ontology)
    assert in_module - in_ontology == set(), "terms in kg.namespaces.DLK but not in the ontology"
    assert in_ontology - in_module == set(), "terms in the ontology but not in kg.namespaces.DLK"


def test_misspelt_term_fails_loudly() -> None:
    with pytest.raises(AttributeError):
        _ = DLK.LegalInstrumnet  # type: ignore[attr-defined]
