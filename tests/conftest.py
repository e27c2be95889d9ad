"""Shared fixtures: the small reference backbone written for the tests, the query fixture's store, and paths."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.ingest import load_backbone
from kg.newsletter.link import Linker

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    """A writable copy of the test backbone (tests/fixtures/reference)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "reference", target)
    return target


@pytest.fixture(scope="session")
def query_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the query fixture (tests/fixtures/queries/graph.trig) plus the ontology graph, as a build has.

    Read-only: the named-query tests run on it locally and publish it to real servers.
    """
    from rdflib import Dataset

    from kg.rdf import graph_iri, ontology_graph
    from kg.store import replace_store

    folder = tmp_path_factory.mktemp("queries")
    dataset = Dataset()
    dataset.parse(FIXTURES / "queries" / "graph.trig", format="trig")
    ontology = dataset.graph(graph_iri("ontology"))
    for triple in ontology_graph():
        ontology.add(triple)
    (folder / "graph.nq").write_text(dataset.serialize(format="nquads"), encoding="utf-8")
    replace_store(folder / "store", folder / "graph.nq")
    return folder / "store"


@pytest.fixture(scope="session")
def linker() -> Linker:
    """A linker over the bundled reference backbone."""
    return Linker(load_backbone())


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``kg build`` of the bundled data into a temporary folder (read-only for the tests that share it)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("shipped") / "build"
    build(out_dir=out)
    return out


JS = TESTS / "js"


@pytest.fixture(scope="session")
def js_harness() -> Path:
    """tests/js with its npm packages installed (`npm ci --prefix tests/js`; .ci/run does it).

    Skipped where node or the packages are missing, except in CI, where that is a failure.
    """
    missing = None
    if shutil.which("node") is None:
        missing = "node is not installed"
    elif not (JS / "node_modules" / "graphology").is_dir():
        missing = "the JS test packages are not installed: run `npm ci --prefix tests/js`"
    if missing and os.environ.get("CI"):
        pytest.fail(f"{missing} (.ci/run installs them)")
    if missing:
        pytest.skip(missing)
    return JS


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests leave their screenshots for a reviewer: build/screenshots/ (not committed)."""
    folder = REPO / "build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
