"""Ingested issues survive a rebuild (the journal), and an issue is its content, not its file name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.query import run_local
from kg.store import current_version, graph_names

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "heldout" / "sample_2023_06.txt"
BASE = "https://w3id.org/datalaw-kg/id/graph/issue/"
SAMPLE_GRAPH = BASE + "sample-2023-06"
SHIPPED_GRAPH = BASE + "000-8874ccff001c940d"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pristine") / "build"
    build(out_dir=folder)
    return folder


@pytest.fixture
def out(pristine: Path, tmp_path: Path) -> Path:
    """A copy of a build of the bundled data."""
    shutil.copytree(pristine, tmp_path / "build", symlinks=True)
    return tmp_path / "build"


def _count(store: Path, sparql: str) -> int:
    answer = run_local(store, sparql)
    assert isinstance(answer, dict)
    return int(answer["results"]["bindings"][0]["n"]["value"])


def _items(store: Path, graph: str) -> int:
    return _count(store, f"SELECT (COUNT(?i) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?i a dlk:NewsItem }} }}")


def _fines(store: Path) -> int:
    return _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p a dlk:Penalty }")


def _shorter(tmp_path: Path, name: str, keep: int = 6) -> Path:
    """A truncated copy of the sample: its first ``keep`` items (and the footnotes)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    body = next(n for n, line in enumerate(lines) if line.rstrip().endswith(f"{keep + 1}"))
    notes = next(n for n, line in enumerate(lines) if line.startswith("1 https://"))
    head = lines[:body]
    # Drop the headline of the first item cut off, printed just before its paragraph.
    while head and head[-1].strip():
        head.pop()
    copy = tmp_path / name
    copy.write_text("".join([*head, "\n", *lines[notes:]]), encoding="utf-8")
    return copy


# --------------------------------------------------------------------------- the journal


def test_a_rebuild_keeps_issues_ingested_since(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = out / "store"
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    ingested = _items(store, SAMPLE_GRAPH)
    capsys.readouterr()
    assert main(["build", "--out", str(out)]) == EXIT_OK
    assert "kept 1 issue(s) ingested since the last build: sample-2023-06" in capsys.readouterr().out
    assert _items(store, SAMPLE_GRAPH) == ingested
    assert main(["build", "--out", str(out)]) == EXIT_OK, "and the next rebuild too"
    assert SAMPLE_GRAPH in graph_names(store)
    assert main(["build", "--out", str(out), "--drop-ingested"]) == EXIT_OK
    assert "dropped 1 ingested issue(s) or graph(s) (--drop-ingested): sample-2023-06" in capsys.readouterr().out
    assert SAMPLE_GRAPH not in graph_names(store)
    assert main(["build", "--out", str(out)]) == EXIT_OK
    assert SAMPLE_GRAPH not in graph_names(store), "dropped means forgotten"


def test_a_rebuild_keeps_withdrawals_of_shipped_issues(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = out / "store"
    assert main(["withdraw", "000_8874ccff001c940d.txt", "--store", str(store)]) == EXIT_OK
    capsys.readouterr()
    assert main(["build", "--out", str(out)]) == EXIT_OK
    assert "left out 1 withdrawn issue(s): 000-8874ccff001c940d" in capsys.readouterr().out
    assert SHIPPED_GRAPH not in graph_names(store)
    assert main(["build", "--out", str(out), "--drop-ingested"]) == EXIT_OK
    assert SHIPPED_GRAPH in graph_names(store)


def test_an_ingested_issue_outlives_its_source_file_and_a_damaged_entry_is_named(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = out / "store"
    moved = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, moved)
    assert main(["ingest", str(moved), "--store", str(store)]) == EXIT_OK
    moved.unlink()
    assert main(["build", "--out", str(out)]) == EXIT_OK
    assert SAMPLE_GRAPH in graph_names(store)
    version = current_version(store)
    assert version is not None
    entry = version / "journal" / "sample-2023-06.json"
    entry.write_text('{"issue_id": "sample-2023-06"', encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--out", str(out)]) == EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(entry) in err[0] and "--drop-ingested" in err[0]
    assert SAMPLE_GRAPH in graph_names(store)


# --------------------------------------------------------------------------- identity by content


def test_the_same_issue_under_another_name_replaces_it_instead_of_doubling(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = out / "store"
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    graphs, fines = graph_names(store), _fines(store)
    # Another name, and re-wrapped with Windows line ends and doubled spaces: the same text.
    copy = tmp_path / "june-newsletter.txt"
    copy.write_bytes(SAMPLE.read_text(encoding="utf-8").replace(" ", "  ").replace("\n", "\r\n").encode())
    capsys.readouterr()
    assert main(["ingest", str(copy), "--store", str(store)]) == EXIT_OK
    captured = capsys.readouterr()
    assert "is stored issue sample-2023-06 (sample_2023_06.txt) under another name (the same text)" in captured.err
    assert f"-> <{SAMPLE_GRAPH}>" in captured.out
    assert graph_names(store) == graphs and _fines(store) == fines


def test_an_issue_sharing_most_items_with_a_stored_one_is_that_issue(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = out / "store"
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    graphs = graph_names(store)
    # A corrected edition under another name: one headline reworded, the rest the same.
    edited = tmp_path / "sample-corrected.txt"
    edited.write_text(SAMPLE.read_text(encoding="utf-8").replace("RMB 500,000", "RMB 600,000"), encoding="utf-8")
    capsys.readouterr()
    assert main(["ingest", str(edited), "--store", str(store)]) == EXIT_OK
    assert "10 of its 10 items" in capsys.readouterr().err
    assert graph_names(store) == graphs
    values = run_local(store, f"SELECT ?v WHERE {{ GRAPH <{SAMPLE_GRAPH}> {{ ?p schema:value ?v }} }}")
    assert isinstance(values, dict) and "600000" in {r["v"]["value"] for r in values["results"]["bindings"]}


@pytest.mark.parametrize("name", [SAMPLE.name, "truncated.txt"])
def test_a_shorter_copy_of_a_stored_issue_needs_replace(
    name: str, out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = out / "store"
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    version = current_version(store)
    short = _shorter(tmp_path, name)
    capsys.readouterr()
    assert main(["ingest", str(short), "--store", str(store)]) == EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(short) in err[0] and "has 6 items" in err[0] and "has 10" in err[0]
    assert "--replace" in err[0]
    assert current_version(store) == version and _items(store, SAMPLE_GRAPH) == 10
    assert main(["ingest", str(short), "--store", str(store), "--replace"]) == EXIT_OK
    assert _items(store, SAMPLE_GRAPH) == 6 and BASE + "truncated" not in graph_names(store)


def test_two_copies_in_one_ingest_are_refused(out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(SAMPLE, copy)
    version = current_version(out / "store")
    assert main(["ingest", str(SAMPLE), str(copy), "--store", str(out / "store")]) == EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "same issue as" in err[0] and str(copy) in err[0]
    assert current_version(out / "store") == version


def test_a_copy_of_one_stored_issue_while_its_own_name_is_stored_too_is_refused(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = out / "store"
    other = tmp_path / "other.txt"
    other.write_text("\n\nA Single Item Of Another Issue\n\nOn May 1 a thing happened.1\n\n1 https://example.org/x\n")
    assert main(["ingest", str(other), "--store", str(store)]) == EXIT_OK
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    clash = tmp_path / "other" / "other.txt"  # named like one stored issue, the text of another
    clash.parent.mkdir()
    shutil.copy(SAMPLE, clash)
    capsys.readouterr()
    assert main(["ingest", str(clash), "--store", str(store)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "stored issue sample-2023-06" in err and "other.txt is stored too" in err
