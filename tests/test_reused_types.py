"""Every instance also carries the standard classes and properties its own terms specialise.

Without inference (Oxigraph, a default Fuseki) a query in ELI, DPV, PROV, FOAF, ORG, BIBO or
schema.org terms only finds what the data states, so the build writes each standard class and
property beside ours. The pairs are read from the ontology's rdfs:subClassOf and
rdfs:subPropertyOf axioms (transitively), so a new axiom without its mapping fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS

from kg.namespaces import DLK, PREFIXES
from kg.query import run_local
from kg.rdf import ontology_graph


def _external_supers(ontology: Graph, relation: object) -> list[tuple[str, str]]:
    """(own term, standard term) for every own term and each standard term above it, transitively."""
    pairs = []
    for term in {s for s in ontology.subjects(relation, None) if str(s).startswith(str(DLK))}:
        for above in ontology.transitive_objects(term, relation):
            if above != term and not str(above).startswith(str(DLK)):
                pairs.append((str(term), str(above)))
    return sorted(pairs)


ONTOLOGY = ontology_graph()
CLASS_PAIRS = _external_supers(ONTOLOGY, RDFS.subClassOf)
PROPERTY_PAIRS = _external_supers(ONTOLOGY, RDFS.subPropertyOf)


def _count(store: Path, where: str) -> int:
    answer = run_local(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    assert isinstance(answer, dict)
    return int(answer["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(("own", "standard"), CLASS_PAIRS)
def test_every_instance_carries_the_standard_classes(own: str, standard: str, shipped_build: Path) -> None:
    store = shipped_build / "store"
    mine = _count(store, f"SELECT DISTINCT ?x WHERE {{ ?x a <{own}> }}")
    both = _count(store, f"SELECT DISTINCT ?x WHERE {{ ?x a <{own}> , <{standard}> }}")
    assert both == mine


@pytest.mark.parametrize(("own", "standard"), PROPERTY_PAIRS)
def test_every_statement_carries_the_standard_property(own: str, standard: str, shipped_build: Path) -> None:
    store = shipped_build / "store"
    mine = _count(store, f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{own}> ?o }}")
    both = _count(store, f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{own}> ?o ; <{standard}> ?o }}")
    assert mine > 0 and both == mine


@pytest.mark.parametrize(
    ("standard", "own"),
    [
        ("eli:LegalResource", "dlk:LegalInstrument"),
        ("dpv:Authority", "dlk:Authority"),
        ("foaf:Organization", "dlk:Authority"),
        ("prov:Entity", "dlk:NewsItem"),
    ],
)
def test_standard_class_queries_answer_without_inference(standard: str, own: str, shipped_build: Path) -> None:
    store = shipped_build / "store"
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("dlk", "eli", "dpv", "foaf", "prov"))
    found = _count(store, f"SELECT DISTINCT ?x WHERE {{ ?x a {standard} }}".replace("SELECT", prefixes + "SELECT", 0))
    assert found >= _count(store, f"SELECT DISTINCT ?x WHERE {{ ?x a {own} }}") > 10


def test_prov_was_derived_from_answers_like_reported_in(shipped_build: Path) -> None:
    store = shipped_build / "store"
    assert _count(store, "?x prov:wasDerivedFrom ?item") == _count(store, "?x dlk:reportedIn ?item") > 30
    assert _count(store, "?x org:subOrganizationOf ?parent") == _count(store, "?x dlk:parentBody ?parent") > 0


def test_a_suit_without_a_court_is_no_legal_decision(shipped_build: Path) -> None:
    store = shipped_build / "store"
    pending = "?case a dlk:CourtCase FILTER NOT EXISTS { ?case bibo:court ?court }"
    assert _count(store, pending) >= 1  # the Douban suit, reported before its court was known
    assert _count(store, pending + " ?case a bibo:LegalDecision") == 0
    assert _count(store, "?case a dlk:CourtCase ; bibo:court ?court") == _count(
        store, "SELECT DISTINCT ?case WHERE { ?case a bibo:LegalDecision }"
    )
