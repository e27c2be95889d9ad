"""The SHACL shapes: each conforming file conforms, each violating file fails on the shape and path it names.

Cases are files: tests/shapes/valid/<Shape>-<case>.ttl and tests/shapes/invalid/<Shape>-<reason>.ttl,
each validated together with tests/shapes/context.ttl. An invalid file's "# expect-path:" line
gives the path the result must carry ("none" for a result on the node itself).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.namespaces import DLKSH
from kg.validate import run_sparql_checks, shapes_graph, validate_graph

CASES = Path(__file__).parent / "shapes"
VALID = sorted((CASES / "valid").glob("*.ttl"))
INVALID = sorted((CASES / "invalid").glob("*.ttl"))


def _data(case: Path) -> Graph:
    graph = Graph()
    graph.parse(CASES / "context.ttl")
    graph.parse(case)
    return graph


def _expected_path(case: Path) -> str | None:
    for line in case.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect-path:"):
            path = line.partition(":")[2].strip()
            return None if path == "none" else path
    raise AssertionError(f"{case.name} has no '# expect-path:' line")


def test_shapes_conform_to_shacl_shacl() -> None:
    conforms, _, text = pyshacl.validate(shapes_graph(), meta_shacl=True, inference="none")
    assert conforms, text


NODE_LEVEL = (SH.pattern, SH.nodeKind, SH["or"], SH["class"], SH["in"], SH.datatype)


def test_every_constraint_has_a_message_and_a_severity() -> None:
    shapes = shapes_graph()
    constraints = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    constraints |= {
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if any((s, p, None) in shapes for p in NODE_LEVEL)
    }
    for constraint in constraints:
        assert shapes.value(constraint, SH.message) is not None, constraint
        assert shapes.value(constraint, SH.severity) is not None, constraint


def test_context_conforms_on_its_own() -> None:
    report = validate_graph(Graph().parse(CASES / "context.ttl"))
    assert report.conforms and not report.violations, report.text()


ENGINES = ("oxigraph", "pyshacl", "turbo")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", VALID, ids=lambda p: p.stem)
def test_valid_case_conforms(case: Path, engine: str) -> None:
    report = validate_graph(_data(case), engine=engine)
    assert report.conforms and not report.violations, report.text()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_case_fails_on_its_shape_and_path(case: Path, engine: str) -> None:
    shape = "dlksh:" + case.stem.split("-")[0]
    path = _expected_path(case)
    report = validate_graph(_data(case), engine=engine)
    hits = [v for v in report.violations if v.shape == shape and v.path == path]
    assert hits, f"expected a result from {shape} on {path}; got:\n{report.text()}"
    assert all(v.message for v in hits)
    if all(v.severity == "Warning" for v in hits):
        assert shape == "dlksh:CaseActorShape", "only the case-actor rule is a warning"
    else:
        assert not report.conforms


def test_every_shape_has_a_conforming_and_a_violating_case() -> None:
    shapes = {str(s).removeprefix(str(DLKSH)) for s in shapes_graph().subjects(RDF.type, SH.NodeShape)}
    shapes -= {"EnglishLabel", "LabelLanguages", "Provenance"}
    valid = {p.stem.split("-")[0] for p in VALID}
    invalid = {p.stem.split("-")[0] for p in INVALID}
    assert shapes - valid == set(), "shapes without a conforming case"
    assert shapes - invalid == set(), "shapes without a violating case"


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_sparql_checks_on_oxigraph_report_what_pyshacl_reports(case: Path) -> None:
    # The SPARQL constraints run once per graph on Oxigraph, not per node in pySHACL;
    # the two must find the same (focus, path, value) results.
    data = _data(case)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    expected = {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)), str(report.value(r, SH.value)))
        for r in report.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent)
    }
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    mine = Graph()
    run_sparql_checks(store, mine)
    got = {
        (str(mine.value(r, SH.focusNode)), str(mine.value(r, SH.resultPath)), str(mine.value(r, SH.value)))
        for r in mine.subjects(RDF.type, SH.ValidationResult)
    }
    assert got == expected


@pytest.mark.parametrize("case", INVALID + VALID, ids=lambda p: p.stem)
def test_every_engine_gives_the_same_report(case: Path) -> None:
    data = _data(case)
    reference = validate_graph(data, engine="pyshacl").violations
    assert validate_graph(data, engine="turbo").violations == reference
    assert validate_graph(data, engine="oxigraph").violations == reference
