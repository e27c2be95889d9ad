"""`kg validate`, fail-closed build and ingest, and incremental validation equal to a full one."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SH

from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_NOT_CONFORMING, EXIT_OK, main
from kg.ingest import extract_files, issue_graphs, load_backbone
from kg.newsletter.link import Linker
from kg.serialize import DUMP_FILES
from kg.shacl_sparql import compile_shapes
from kg.store import open_store, replace_store
from kg.validate import ENGINES, ValidationReport, validate_graph, validate_issue_graphs, validate_store

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "heldout" / "sample_2023_06.txt"
PLANTED = FIXTURES / "planted-violations.trig"


def _duplicate_chinese_title(data: Path) -> None:
    # Pydantic accepts it (each entry is well formed); only the graph-wide shape sees two nodes, one title.
    with (data / "instruments.yaml").open("a", encoding="utf-8") as out:
        out.write("- id: pipl-copy\n  name_en: PIPL Copy\n  name_zh: 个人信息保护法\n  rank: law\n")


def test_validate_the_built_store_conforms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(out_dir=tmp_path)
    assert main(["validate", "--store", str(tmp_path / "store")]) == EXIT_OK
    assert "conforms" in capsys.readouterr().out
    assert main(["validate", "--store", str(tmp_path / "store"), "--format", "json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is True
    assert all(v["severity"] == "Warning" for v in report["violations"])


def test_validate_a_file_reports_by_shape_with_provenance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        (Path(__file__).parent / "shapes" / "context.ttl").read_text(encoding="utf-8")
        + '<https://w3id.org/datalaw-kg/id/enforcement/x-1> a dlk:Case ; dct:title "Shop fined"@en ;\n'
        + "    dlk:cites <https://w3id.org/datalaw-kg/id/law/nowhere> ;\n"
        + "    dlk:reportedIn <https://w3id.org/datalaw-kg/id/item/test-issue/1> .\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == EXIT_NOT_CONFORMING
    text = capsys.readouterr().out
    assert "dlksh:CaseShape (1)" in text
    line = next(line for line in text.splitlines() if "cites a law" in line)
    assert "Shop fined" in line and "dlk:cites" in line and "law:nowhere" in line
    assert "item:test-issue/1" in line and "https://example.org/news/1" in line
    assert main(["validate", str(bad), "--format", "ttl"]) == EXIT_NOT_CONFORMING
    report = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(report) > 5


def test_validate_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == EXIT_ERROR
    assert "broken.ttl" in capsys.readouterr().err
    assert main(["validate", "--store", str(tmp_path / "none")]) == EXIT_ERROR


def test_build_fails_closed_and_force_overrides(
    tmp_path: Path, fixture_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["build", "--data", str(fixture_data), "--out", str(out)]) == EXIT_OK
    before = (out / DUMP_FILES["nquads"]).read_bytes(), (out / "store").resolve()
    _duplicate_chinese_title(fixture_data)
    capsys.readouterr()
    assert main(["build", "--data", str(fixture_data), "--out", str(out)]) == EXIT_NOT_CONFORMING
    err = capsys.readouterr().err
    assert "shares its Chinese title" in err and "nothing was written" in err
    assert ((out / DUMP_FILES["nquads"]).read_bytes(), (out / "store").resolve()) == before
    # The new version was loaded beside the store while the dumps were written: it is gone again.
    assert list((out / ".store-versions").iterdir()) == [before[1]]
    assert not list(out.glob(".staging-*"))
    assert main(["build", "--data", str(fixture_data), "--out", str(out), "--force"]) == EXIT_OK
    assert (out / "store").resolve() != before[1]


@pytest.fixture
def small_store(tmp_path: Path, fixture_data: Path) -> Path:
    """A store built from the small test backbone: it lacks most laws the bundled backbone knows."""
    build(data_dir=fixture_data, out_dir=tmp_path / "small")
    return tmp_path / "small" / "store"


def test_ingest_fails_closed_when_the_issue_cites_laws_the_store_lacks(
    small_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = validate_store(small_store)
    assert main(["ingest", str(SAMPLE), "--store", str(small_store)]) == EXIT_NOT_CONFORMING
    err = capsys.readouterr().err
    assert "cites a law that does not exist in the graph" in err
    assert validate_store(small_store) == before
    assert main(["ingest", str(SAMPLE), "--store", str(small_store), "--force"]) == EXIT_OK


def test_incremental_validation_matches_a_full_validation(small_store: Path) -> None:
    backbone = load_backbone()
    (extraction,) = extract_files([SAMPLE], Linker(backbone))
    (graph,) = issue_graphs([extraction.record], backbone)
    incremental = validate_issue_graphs([graph.graph], small_store, [graph.graph_iri])
    assert incremental.errors(), "the test needs an issue with violations"

    assert main(["ingest", str(SAMPLE), "--store", str(small_store), "--force"]) == EXIT_OK
    own_nodes = {str(s) for s in graph.graph.subjects()}
    full = [v for v in validate_store(small_store).violations if v.focus in own_nodes]

    def key(v):  # the report's content, not its order
        return (v.shape, v.severity, v.focus, v.path, v.value, v.message, v.item, v.source)

    assert sorted(map(key, incremental.violations)) == sorted(map(key, full))


def test_incremental_validation_is_the_same_with_every_engine_and_an_open_store(small_store: Path) -> None:
    backbone = load_backbone()
    (extraction,) = extract_files([SAMPLE], Linker(backbone))
    (graph,) = issue_graphs([extraction.record], backbone)
    # The oxigraph engine validates without an rdflib graph of the data; the others read one.
    by_engine = {e: validate_issue_graphs([graph.graph], small_store, [graph.graph_iri], engine=e) for e in ENGINES}
    assert by_engine["oxigraph"].errors() and not by_engine["oxigraph"].conforms
    assert all((r.conforms, r.violations) == (False, by_engine["oxigraph"].violations) for r in by_engine.values())
    with open_store(small_store) as store:
        given = validate_issue_graphs([graph.graph], small_store, [graph.graph_iri], store=store)
    assert given.violations == by_engine["oxigraph"].violations


def test_store_validation_is_the_same_with_every_engine(small_store: Path) -> None:
    assert main(["ingest", str(SAMPLE), "--store", str(small_store), "--force"]) == EXIT_OK
    by_pyshacl = validate_store(small_store, engine="pyshacl")
    assert by_pyshacl.errors()
    assert validate_store(small_store, engine="turbo").violations == by_pyshacl.violations
    assert validate_store(small_store, engine="oxigraph").violations == by_pyshacl.violations


def _results(report: ValidationReport) -> Counter[tuple[str, ...]]:
    """Every result of the full SHACL report, with its constraint component, counted."""
    graph = Graph().parse(data=report.report_turtle, format="turtle")
    return Counter(
        tuple(str(graph.value(r, p)) for p in (SH.focusNode, SH.sourceConstraintComponent, SH.value, SH.resultSeverity))
        for r in graph.subjects(RDF.type, SH.ValidationResult)
    )


def test_planted_violations_every_engine_reports_the_same(small_store: Path) -> None:
    # The store as the SPARQL engine reads it (the union of named graphs, some triples in two
    # graphs), with violations of every constraint component the shapes use.
    planted = small_store.parent / "planted.nq"
    with open_store(small_store) as store:
        stored = bytes(store.dump(format=ox.RdfFormat.N_QUADS) or b"")
    added = ox.serialize(ox.parse(path=str(PLANTED), format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS)
    planted.write_bytes(stored + bytes(added or b""))
    replace_store(small_store, planted)
    reports = {engine: validate_store(small_store, engine=engine) for engine in ENGINES}
    reference = reports["pyshacl"]
    components = {component.rpartition("#")[2] for _, component, _, _ in _results(reference)}
    used = {
        str(p).rpartition("#")[2]
        for p in {
            SH.MinCountConstraintComponent,
            SH.MaxCountConstraintComponent,
            SH.DatatypeConstraintComponent,
            SH.InConstraintComponent,
            SH.ClassConstraintComponent,
            SH.NodeKindConstraintComponent,
            SH.PatternConstraintComponent,
            SH.OrConstraintComponent,
            SH.LanguageInConstraintComponent,
            SH.UniqueLangConstraintComponent,
            SH.QualifiedMinCountConstraintComponent,
            SH.QualifiedMaxCountConstraintComponent,
            SH.MinInclusiveConstraintComponent,
            SH.MinExclusiveConstraintComponent,
            SH.SPARQLConstraintComponent,
        }
    }
    assert used <= components, used - components
    for engine in ("turbo", "oxigraph"):
        assert reports[engine].violations == reference.violations, engine
        assert _results(reports[engine]) == _results(reference), engine
    assert not reports["oxigraph"].conforms


EX = Namespace("http://example.org/")


def test_a_shape_the_compiler_does_not_translate_goes_to_a_shacl_engine() -> None:
    shapes = Graph().parse(
        format="turtle",
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        ex:Closed a sh:NodeShape ; sh:targetClass ex:Thing ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ;
            sh:message "closed" ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "a name" ] .
        ex:Open a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:property [ sh:path ex:name ; sh:maxCount 1 ; sh:message "one name" ] .""",
    )
    compiled = compile_shapes(shapes)
    assert compiled.unsupported == (EX.Closed,) and "closed" in compiled.reasons[EX.Closed]
    data = Graph().parse(
        format="turtle",
        data="""@prefix ex: <http://example.org/> .
        ex:a a ex:Thing ; ex:other 1 .
        ex:b a ex:Thing ; ex:name "x" , "y" .""",
    )
    by_turbo = validate_graph(data, engine="turbo", shapes=shapes)
    assert {v.message for v in by_turbo.violations} >= {"a name", "one name"}
    assert validate_graph(data, engine="oxigraph", shapes=shapes).violations == by_turbo.violations


def test_unknown_engine_is_an_error(small_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_SHACL_ENGINE", "fastest")
    assert main(["validate", "--store", str(small_store)]) == EXIT_ERROR
