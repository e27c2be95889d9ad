"""Published like a dataset: `kg docs` (ontology pages, VoID/DCAT), the schemes file, LICENSE, CHANGELOG."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from kg import __version__
from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.docs import DCAT, VOID
from kg.namespaces import DLK
from kg.rdf import ontology_graph

REPO = Path(__file__).resolve().parents[1]
ONTOLOGY = REPO / "ontology"
SPDX = "http://spdx.org/rdf/terms#"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], int]:
    out = tmp_path_factory.mktemp("docs") / "build"
    report = build(out_dir=out)
    return out, report.class_counts, report.triples


@pytest.fixture(scope="module")
def docs(built: tuple[Path, dict[str, int], int]) -> Path:
    out, _, _ = built
    assert main(["docs", "--store", str(out / "store"), "--out", str(out / "docs")]) == EXIT_OK
    return out / "docs"


def test_the_concept_schemes_live_in_their_own_file_and_every_loader_reads_both() -> None:
    terms, schemes = Graph().parse(ONTOLOGY / "datalaw.ttl"), Graph().parse(ONTOLOGY / "schemes.ttl")
    assert not list(terms.subjects(RDF.type, SKOS.ConceptScheme)) and not list(terms.subjects(RDF.type, SKOS.Concept))
    assert len(list(schemes.subjects(RDF.type, SKOS.ConceptScheme))) == 8
    assert not list(schemes.subjects(RDF.type, OWL.Class)) and not list(schemes.subjects(RDF.type, OWL.Ontology))
    loaded = ontology_graph()
    assert (DLK.LegalRankScheme, RDF.type, SKOS.ConceptScheme) in loaded
    assert (DLK.LegalInstrument, RDF.type, OWL.Class) in loaded
    assert len(loaded) == len(terms) + len(schemes)


def test_the_ontology_page_is_pylodes_with_a_clean_title_and_every_term(docs: Path) -> None:
    page = (docs / "ontology.html").read_text(encoding="utf-8")
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["datalaw-kg ontology"], "no scheme titles glued on"
    assert "pyLODE" in page
    terms = Graph().parse(ONTOLOGY / "datalaw.ttl")
    for term in {s for s in terms.subjects(RDF.type, None) if str(s).startswith(str(DLK))}:
        label = terms.value(term, RDFS.label)
        assert str(term) in page and str(label) in page, term


def test_the_schemes_page_lists_every_concept_with_its_labels_and_definition(docs: Path) -> None:
    page = (docs / "schemes.html").read_text(encoding="utf-8")
    schemes = Graph().parse(ONTOLOGY / "schemes.ttl")
    concepts = set(schemes.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 40
    for concept in concepts:
        local = str(concept).rpartition("#")[2]
        assert f'id="{local}"' in page, local
        for literal in schemes.objects(concept, SKOS.prefLabel):
            assert str(literal).replace("'", "&#x27;") in page, literal
    stages = [m for m in re.findall(r'<tr id="(Stage\w+)"', page)]
    assert stages[:3] == ["StagePlanned", "StageDraft", "StageAdopted"], "in the lifecycle's order"


def test_void_and_dcat_describe_the_built_dataset(built: tuple[Path, dict[str, int], int], docs: Path) -> None:
    out, class_counts, quads = built
    void = Graph().parse(docs / "void.ttl")
    dataset = URIRef("https://w3id.org/datalaw-kg/id/dataset")
    assert {VOID.Dataset, DCAT.Dataset} <= set(void.objects(dataset, RDF.type))
    distinct = len(set((out / "kg.nt").read_text(encoding="utf-8").splitlines()))
    assert void.value(dataset, VOID.triples) == Literal(distinct, datatype=XSD.integer)
    partitions = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    for name, count in class_counts.items():
        assert partitions[DLK[name.removeprefix("dlk:")]] == count, name
    by_property = [int(void.value(p, VOID.triples)) for p in void.objects(dataset, VOID.propertyPartition)]
    assert sum(by_property) == distinct
    assert sum(int(void.value(g, VOID.triples)) for g in void.objects(dataset, VOID.subset)) == quads
    assert void.value(dataset, DCTERMS.license) == URIRef("https://opensource.org/licenses/MIT")
    assert void.value(dataset, URIRef(f"{DCAT}version")) == Literal(__version__)
    assert void.value(dataset, DCTERMS.issued).datatype == XSD.date
    sources = set(void.objects(dataset, DCTERMS.source))
    assert URIRef("https://w3id.org/datalaw-kg/id/issue/003-a9ab0b36f9dfcfe2") in sources
    assert URIRef("http://data.europa.eu/eli/ontology#") in set(void.objects(dataset, VOID.vocabulary))
    dumps = {}
    for node in void.objects(dataset, DCAT.distribution):
        checksum = void.value(node, URIRef(f"{SPDX}checksum"))
        dumps[str(void.value(node, DCTERMS.title))] = str(void.value(checksum, URIRef(f"{SPDX}checksumValue")))
    assert set(dumps) == {"kg.ttl", "kg.nt", "kg.nq", "kg.jsonld"}
    for name, digest in dumps.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}"' in index for name in ("ontology.html", "schemes.html", "void.ttl"))


def test_docs_without_a_built_store_writes_the_ontology_pages_and_says_what_it_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["docs", "-q"]) == EXIT_OK
    assert "void.ttl" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "build" / "docs").iterdir()) == [
        "index.html",
        "ontology.html",
        "schemes.html",
    ]
    assert main(["docs", "--store", str(tmp_path / "nowhere")]) == EXIT_ERROR
    assert "no store at" in capsys.readouterr().err


def test_the_repository_has_a_licence_and_a_changelog() -> None:
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert licence.startswith("MIT License") and project["license"]["text"] == "MIT"
    assert "Permission is hereby granted, free of charge" in licence
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "keepachangelog.com" in changelog and "## [Unreleased]" in changelog
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert ("0.1.0", "2026-11-24") in releases
    assert project["version"] in {version for version, _ in releases}
