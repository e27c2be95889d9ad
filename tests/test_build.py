"""`kg build` and `kg query`: counts, determinism, atomic replacement, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.query import run_local
from kg.serialize import DUMP_FILES


def _kg(*args: str, cwd: Path, hashseed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the bundled reference data, shared by the read-only tests below."""
    out = tmp_path_factory.mktemp("bundled") / "build"
    build(out_dir=out)
    return out


def test_build_reports_counts_per_class(tmp_path: Path, fixture_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", "--data", str(fixture_data), "--out", str(tmp_path / "out")])
    printed = capsys.readouterr().out
    assert code == EXIT_OK
    assert "dlk:LegalInstrument       2" in printed
    assert "dlk:Authority             2" in printed
    for name in DUMP_FILES.values():
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_query_finds_pipl_chinese_label(bundled_build: Path) -> None:
    answer = run_local(
        bundled_build / "store",
        'SELECT ?zh WHERE { ?law dlk:abbreviation "PIPL" ; skos:prefLabel ?zh . FILTER(lang(?zh) = "zh") }',
    )
    assert isinstance(answer, dict)
    assert [row["zh"]["value"] for row in answer["results"]["bindings"]] == ["个人信息保护法"]


def test_at_least_eight_instruments_are_based_on_pipl(bundled_build: Path) -> None:
    answer = run_local(
        bundled_build / "store",
        "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i eli:based_on ?law . ?law dlk:abbreviation 'PIPL' }",
    )
    assert isinstance(answer, dict)
    assert int(answer["results"]["bindings"][0]["n"]["value"]) >= 8


def test_two_builds_give_byte_identical_dumps(tmp_path: Path) -> None:
    # Separate processes with different hash seeds: no ordering may depend on set or dict order.
    first = _kg("build", "--out", "one", cwd=tmp_path, hashseed="1")
    second = _kg("build", "--out", "two", cwd=tmp_path, hashseed="2")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    for name in DUMP_FILES.values():
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_base_iri_option_moves_every_instance_iri(tmp_path: Path, fixture_data: Path) -> None:
    build(data_dir=fixture_data, out_dir=tmp_path, base_iri="https://example.org/dl/")
    nt = (tmp_path / DUMP_FILES["ntriples"]).read_text(encoding="utf-8")
    assert "<https://example.org/dl/law/pipl>" in nt
    assert "w3id.org/datalaw-kg/id/" not in nt


def test_failed_build_leaves_previous_store_and_dumps_untouched(tmp_path: Path, fixture_data: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "--data", str(fixture_data), "--out", str(out)]) == EXIT_OK
    store_target = (out / "store").resolve()
    before = {name: (out / name).read_bytes() for name in DUMP_FILES.values()}

    statutes = fixture_data / "statutes.yaml"
    statutes.write_text(statutes.read_text(encoding="utf-8").replace("rank: law", "rank: statute"), encoding="utf-8")
    assert main(["build", "--data", str(fixture_data), "--out", str(out)]) == EXIT_ERROR

    assert (out / "store").resolve() == store_target
    assert {name: (out / name).read_bytes() for name in DUMP_FILES.values()} == before
    assert not list(out.glob(".staging-*"))
    answer = run_local(out / "store", "ASK { ?s dlk:abbreviation 'PIPL' }")
    assert answer == {"head": {}, "boolean": True}


def test_cli_reports_malformed_file_with_path_and_line(tmp_path: Path, fixture_data: Path) -> None:
    statutes = fixture_data / "statutes.yaml"
    statutes.write_text(
        statutes.read_text(encoding="utf-8").replace("stage: in-force", "stage: enacted"), encoding="utf-8"
    )
    result = _kg("build", "--data", str(fixture_data), "--out", "out", cwd=tmp_path)
    assert result.returncode == EXIT_ERROR
    assert f"{statutes}:6:" in result.stderr
    assert result.stderr.count("\n") == 1, "one clear error line, no traceback"
    assert not (tmp_path / "out" / "store").exists()


def test_query_command_formats(bundled_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(bundled_build / "store")
    sparql = "SELECT ?law ?date WHERE { ?law dlk:abbreviation 'PIPL' ; eli:first_date_entry_in_force ?date }"
    assert main(["query", sparql, "--store", store]) == EXIT_OK
    table = capsys.readouterr().out
    assert "law:pipl" in table and "2021-11-01" in table and "(1 row)" in table
    assert main(["query", sparql, "--store", store, "--format", "csv"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[1] == "https://w3id.org/datalaw-kg/id/law/pipl,2021-11-01"
    assert main(["query", sparql, "--store", store, "--format", "json"]) == EXIT_OK
    binding = json.loads(capsys.readouterr().out)["results"]["bindings"][0]["date"]
    assert binding["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


def test_query_from_rq_file(bundled_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "courts.rq"
    rq.write_text("SELECT (COUNT(?c) AS ?n) WHERE { ?c a dlk:InternetCourt }\n", encoding="utf-8")
    assert main(["query", str(rq), "--store", str(bundled_build / "store"), "--format", "csv"]) == EXIT_OK
    assert capsys.readouterr().out == "n\r\n3\r\n"  # SPARQL 1.1 CSV ends lines with CRLF


def test_query_errors_exit_2_with_a_message(
    bundled_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "SELEC nothing", "--store", str(bundled_build / "store")]) == EXIT_ERROR
    assert "does not parse" in capsys.readouterr().err
    assert main(["query", "SELECT * WHERE { ?s ?p ?o }", "--store", str(tmp_path / "none")]) == EXIT_ERROR
    assert "run `kg build` first" in capsys.readouterr().err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("kg ")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "build" in capsys.readouterr().out


def test_graph_has_no_blank_nodes(bundled_build: Path) -> None:
    # Blank-node labels differ between runs; stable IRIs everywhere keep dumps byte-identical.
    assert "_:" not in (bundled_build / DUMP_FILES["ntriples"]).read_text(encoding="utf-8")


def test_dumps_hold_exactly_what_the_rdflib_mapping_gives(bundled_build: Path) -> None:
    # The build writes N-Triples straight from the models (kg.mapping.to_ntriples) for speed;
    # it must state the very triples the rdflib mapping (to_triples) does, term for term.
    from rdflib import Dataset, Graph

    from kg.ingest import issue_graphs, load_backbone, load_event_records
    from kg.rdf import ontology_graph, reference_graph
    from kg.resources import resource_dir

    backbone = load_backbone()
    expected = Graph()
    parts = [ontology_graph(), reference_graph(backbone)]
    parts += [g.graph for g in issue_graphs(load_event_records(resource_dir("data") / "events"), backbone)]
    for part in parts:
        for triple in part:
            expected.add(triple)
    dumped = Graph().parse(bundled_build / DUMP_FILES["ntriples"], format="nt")
    assert set(dumped) == set(expected)
    for name in ("turtle", "jsonld"):
        again = Dataset().parse(bundled_build / DUMP_FILES[name], format="json-ld" if name == "jsonld" else name)
        assert {(s, p, o) for s, p, o, _ in again.quads((None, None, None, None))} == set(expected), name


def test_events_mapped_in_worker_processes_give_the_same_dumps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.build

    serial = build(out_dir=tmp_path / "serial", workers=1)
    monkeypatch.setattr(kg.build, "PARALLEL_FROM", 1)
    parallel = build(out_dir=tmp_path / "parallel", workers=2)
    assert parallel.triples == serial.triples
    for name in DUMP_FILES.values():
        assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes(), name


def test_a_bad_event_file_read_in_a_worker_names_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil as sh

    import kg.build
    from kg.errors import InputError
    from kg.resources import resource_dir

    data = tmp_path / "data"
    sh.copytree(resource_dir("data"), data)
    bad = sorted((data / "events").glob("*.yaml"))[-1]
    lines = bad.read_text(encoding="utf-8").splitlines()
    kind_line = next(n for n, line in enumerate(lines) if line.strip().startswith("kind:"))
    lines[kind_line] = lines[kind_line].replace("kind:", "kind: nonsense #", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(kg.build, "PARALLEL_FROM", 1)
    with pytest.raises(InputError) as raised:
        build(data_dir=data, out_dir=tmp_path / "out", workers=2)
    assert raised.value.path == bad and raised.value.line == kind_line + 1
    assert not (tmp_path / "out" / "store").exists()


def test_a_leased_store_version_survives_a_rebuild_until_released(tmp_path: Path) -> None:
    from kg.store import lease, prune_versions

    store = tmp_path / "store"
    build(out_dir=tmp_path, store_path=store)
    held = store.resolve()
    with lease(held):
        build(out_dir=tmp_path, store_path=store)
        assert held.is_dir() and store.resolve() != held
        assert held not in prune_versions(store)
    assert held in prune_versions(store)
    assert not held.exists() and store.resolve().is_dir()
