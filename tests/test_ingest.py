"""`kg ingest` / `kg withdraw` and the shipped event records: named graphs replaced whole, IRIs stable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.query import run_local
from kg.store import graph_names

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLE = FIXTURES / "heldout" / "sample_2023_06.txt"
SAMPLE_GRAPH = "https://w3id.org/datalaw-kg/id/graph/issue/sample-2023-06"


def _count(store: Path, where: str = "GRAPH ?g { ?s ?p ?o }") -> int:
    answer = run_local(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    assert isinstance(answer, dict)
    return int(answer["results"]["bindings"][0]["n"]["value"])


def _quads(store: Path) -> set[tuple[str, ...]]:
    answer = run_local(store, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(answer, dict)
    return {tuple(row[v]["value"] for v in ("g", "s", "p", "o")) for row in answer["results"]["bindings"]}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    build(out_dir=tmp_path / "build")
    return tmp_path / "build" / "store"


def test_shipped_data_answers_which_cases_cite_pipl(store: Path) -> None:
    answer = run_local(store, "SELECT DISTINCT ?case WHERE { ?case a dlk:Case ; dlk:cites law:pipl }")
    assert isinstance(answer, dict)
    assert len(answer["results"]["bindings"]) >= 2


def test_ingest_adds_one_named_graph_and_reingesting_changes_nothing(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _count(store)
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    assert SAMPLE_GRAPH in graph_names(store)
    after_first = _quads(store)
    assert len(after_first) > before
    assert "new court awaiting curation" in capsys.readouterr().out
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    assert _quads(store) == after_first


def test_every_case_links_to_its_news_item_and_source(store: Path) -> None:
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    answer = run_local(
        store,
        f"""SELECT ?case ?source WHERE {{ GRAPH <{SAMPLE_GRAPH}> {{
              ?case a dlk:Case ; dlk:reportedIn ?item . ?item dct:source ?source ; dct:isPartOf ?issue }} }}""",
    )
    assert isinstance(answer, dict)
    sources = {row["source"]["value"] for row in answer["results"]["bindings"]}
    assert "https://example.org/news/2023/06/12/courier" in sources
    assert len(answer["results"]["bindings"]) == 7  # items 1-4 (enforcement) and 8-10 (litigation)


def test_corrected_issue_replaces_its_graph(store: Path, tmp_path: Path) -> None:
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    corrected = tmp_path / SAMPLE.name
    corrected.write_text(SAMPLE.read_text(encoding="utf-8").replace("RMB 500,000", "RMB 600,000"), encoding="utf-8")
    assert main(["ingest", str(corrected), "--store", str(store)]) == EXIT_OK
    amounts = run_local(store, f"SELECT ?v WHERE {{ GRAPH <{SAMPLE_GRAPH}> {{ ?p a dlk:Penalty ; schema:value ?v }} }}")
    assert isinstance(amounts, dict)
    values = {row["v"]["value"] for row in amounts["results"]["bindings"]}
    assert "600000" in values and "500000" not in values


def test_withdraw_removes_only_that_issue(store: Path) -> None:
    before = _quads(store)
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    assert main(["withdraw", SAMPLE.name, "--store", str(store)]) == EXIT_OK
    assert _quads(store) == before
    assert main(["withdraw", SAMPLE.name, "--store", str(store)]) == EXIT_ERROR


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "not a text file"),
        (b"Just a line of prose with no items at all.\n", "item"),
    ],
)
def test_bad_input_is_one_clear_error_and_leaves_the_store_unchanged(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    before = _quads(store)
    assert main(["ingest", str(SAMPLE), str(bad), "--store", str(store)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert str(bad) in err and message in err.lower()
    assert _quads(store) == before, "a failed ingest must not add even the good files"


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not beside the checkout")
def test_ingesting_a_shipped_issue_replaces_its_graph_with_the_same_iris(store: Path, tmp_path: Path) -> None:
    graph = "https://w3id.org/datalaw-kg/id/graph/issue/003-a9ab0b36f9dfcfe2"
    shipped = run_local(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s a ?type }} }}")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SHARED / "corpus" / "003_a9ab0b36f9dfcfe2.txt", corpus)
    assert main(["ingest", str(corpus / "003_a9ab0b36f9dfcfe2.txt"), "--store", str(store)]) == EXIT_OK
    ingested = run_local(store, f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s a ?type }} }}")
    assert isinstance(shipped, dict) and isinstance(ingested, dict)
    assert {r["s"]["value"] for r in ingested["results"]["bindings"]} == {
        r["s"]["value"] for r in shipped["results"]["bindings"]
    }
    headlines = run_local(store, f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ ?i schema:headline ?h }} }}")
    assert isinstance(headlines, dict)
    assert "Amended Cybersecurity Review Measures Is Issued" in {
        r["h"]["value"] for r in headlines["results"]["bindings"]
    }


def test_extract_writes_records_in_the_gold_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["extract", str(SAMPLE)]) == EXIT_OK
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert record["newsletter"] == SAMPLE.name
    assert [item["n"] for item in record["items"]] == list(range(1, 11))
    assert main(["extract", str(SAMPLE), "--format", "yaml", "--out", str(tmp_path / "r.yaml")]) == EXIT_OK
    assert "newsletter: sample_2023_06.txt" in (tmp_path / "r.yaml").read_text(encoding="utf-8")


def test_evaluate_command_prints_scores(capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(FIXTURES / "heldout")
    assert main(["evaluate", "--gold", folder, "--corpus", folder]) == EXIT_OK
    out = capsys.readouterr().out
    assert "authorities" in out and "instruments.effective" in out


def _follow_up(issue: Path) -> str:
    """Another issue reporting the same events: every headline and source URL its own, so not a copy."""
    from kg.newsletter.segment import parse_file

    text = issue.read_text(encoding="utf-8").replace("https://example.org/news/", "https://example.org/follow-up/")
    for item in parse_file(issue).items:
        text = text.replace(item.headline, f"Follow-up: {item.headline}")
    return text


def _described(store: Path) -> dict[str, int]:
    """Each entity awaiting curation, with the number of times the union of all graphs states its label."""
    answer = run_local(
        store,
        "SELECT ?e (COUNT(*) AS ?n) WHERE { ?e dlk:awaitingCuration true ; skos:prefLabel ?label } GROUP BY ?e",
    )
    assert isinstance(answer, dict)
    return {row["e"]["value"]: int(row["n"]["value"]) for row in answer["results"]["bindings"]}


def test_an_entity_two_issues_name_is_described_once_and_kept_until_both_are_withdrawn(
    store: Path, tmp_path: Path
) -> None:
    before = _described(store)
    twin = tmp_path / "sample_2023_07.txt"  # another issue naming the same new bodies
    twin.write_text(_follow_up(SAMPLE), encoding="utf-8")
    assert main(["ingest", str(SAMPLE), str(twin), "--store", str(store)]) == EXIT_OK
    minted = {entity: n for entity, n in _described(store).items() if entity not in before}
    assert minted and set(minted.values()) == {1}, "one label per entity, however many issues name it"
    reported = run_local(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{next(iter(minted))}> dlk:reportedIn ?item }}")
    assert isinstance(reported, dict) and int(reported["results"]["bindings"][0]["n"]["value"]) >= 2

    assert main(["withdraw", twin.name, "--store", str(store)]) == EXIT_OK
    assert {e: n for e, n in _described(store).items() if e not in before} == minted
    assert main(["withdraw", SAMPLE.name, "--store", str(store)]) == EXIT_OK
    assert _described(store) == before
    leftovers = run_local(store, f"ASK {{ <{next(iter(minted))}> ?p ?o }}")
    assert leftovers == {"head": {}, "boolean": False}
