"""Store versions under faults and load: killed writes, concurrent writers, leases, manifests, dumps."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.faults import POINTS
from kg.ingest import ingest
from kg.lock import writer_lock
from kg.manifest import read_manifest
from kg.query import run_local
from kg.serialize import DUMP_FILES
from kg.store import check_manifest, current_version, prune_versions, versions_dir, writing

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "heldout" / "sample_2023_06.txt"
SAMPLE_GRAPH = "https://w3id.org/datalaw-kg/id/graph/issue/sample-2023-06"
REPO = Path(__file__).resolve().parents[1]


def _kg(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    process = _kg(*args, cwd=cwd, env=env)
    _, err = process.communicate(timeout=300)
    return process.returncode, err


def _answers(store: Path) -> dict[str, int]:
    """What the store answers: quads per named graph."""
    answer = run_local(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(answer, dict)
    return {row["g"]["value"]: int(row["n"]["value"]) for row in answer["results"]["bindings"]}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the bundled data, copied by the tests that change it."""
    folder = tmp_path_factory.mktemp("pristine")
    build(out_dir=folder / "build")
    return folder


@pytest.fixture(scope="module")
def pristine_with_sample(tmp_path_factory: pytest.TempPathFactory, pristine: Path) -> Path:
    """The same build with the held-out sample issue ingested since."""
    folder = tmp_path_factory.mktemp("with-sample")
    shutil.copytree(pristine / "build", folder / "build", symlinks=True)
    ingest([SAMPLE], folder / "build" / "store")
    return folder


def _copy(source: Path, tmp_path: Path) -> Path:
    shutil.copytree(source / "build", tmp_path / "build", symlinks=True)
    return tmp_path / "build"


def _assert_consistent_and_clean(out: Path) -> None:
    """Store, manifest and dump links agree; the next writer removes every leftover."""
    store = out / "store"
    manifest, problems = check_manifest(store)
    assert manifest is not None and problems == []
    for name in DUMP_FILES.values():
        # A dump is there exactly when the store's own version has it: never one of another version.
        assert (out / name).exists() == (name in manifest.dumps), name
    with writing(store, "the next writer"):
        pass
    assert [p.resolve() for p in versions_dir(store).iterdir()] == [current_version(store)]
    assert not list(out.glob(".staging-*")) and not list(out.glob(".*-link-*"))


# --------------------------------------------------------------------------- versions and manifests


def test_store_dumps_and_manifest_are_one_version(pristine: Path) -> None:
    out = pristine / "build"
    version = current_version(out / "store")
    assert version is not None
    for name in DUMP_FILES.values():
        assert (out / name).is_symlink() and (out / name).resolve() == version / name
    manifest = read_manifest(version)
    assert manifest is not None and manifest.made_by == "kg build"
    assert manifest.quads == sum(_answers(out / "store").values())
    assert set(manifest.dumps) == set(DUMP_FILES.values())
    assert {entry.via for entry in manifest.issues.values()} == {"build"}
    assert check_manifest(out / "store")[1] == []


def test_validate_refuses_a_store_that_differs_from_its_manifest(
    pristine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyoxigraph as ox

    from kg.store import database

    out = _copy(pristine, tmp_path)
    assert main(["validate", "--store", str(out / "store")]) == EXIT_OK
    assert "manifest: " in capsys.readouterr().err
    version = current_version(out / "store")
    assert version is not None
    store = ox.Store(str(database(version)))  # a change behind kg's back
    store.update("INSERT DATA { GRAPH <https://w3id.org/datalaw-kg/id/graph/reference> { <urn:x> <urn:y> <urn:z> } }")
    del store
    assert main(["validate", "--store", str(out / "store")]) == EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not match its manifest" in err[0] and "graph/reference> has" in err[0]

    (version / "manifest.json").write_text("{ not json", encoding="utf-8")
    assert main(["validate", "--store", str(out / "store")]) == EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "manifest" in err[0] and "damaged" in err[0]
    assert main(["build", "--out", str(out)]) == EXIT_OK, "what the message advises works"
    assert main(["validate", "--store", str(out / "store")]) == EXIT_OK


def test_ingest_and_withdraw_leave_no_stale_dumps_and_kg_dump_writes_the_current_ones(
    pristine: Path, tmp_path: Path
) -> None:
    out = _copy(pristine, tmp_path)
    store = out / "store"
    assert main(["ingest", str(SAMPLE), "--store", str(store)]) == EXIT_OK
    assert not any((out / name).exists() for name in DUMP_FILES.values()), "dumps of the old version must not show"
    assert main(["dump", "--store", str(store)]) == EXIT_OK
    dumped = {name: (out / name).read_bytes() for name in DUMP_FILES.values()}
    assert SAMPLE_GRAPH.encode() in dumped["kg.nq"]
    _assert_consistent_and_clean(out)
    # What kg dump writes from the store is what a build of the same issues writes.
    assert main(["build", "--out", str(out), "--no-laws"]) == EXIT_OK
    assert {name: (out / name).read_bytes() for name in DUMP_FILES.values()} == dumped

    assert main(["withdraw", SAMPLE.name, "--store", str(store), "--dump"]) == EXIT_OK
    assert SAMPLE_GRAPH.encode() not in (out / "kg.nq").read_bytes()
    assert (out / "kg.nq").read_bytes() == (pristine / "build" / "kg.nq").read_bytes()
    _assert_consistent_and_clean(out)


def test_a_store_made_before_versions_held_dumps_is_read_written_and_rebuilt(
    pristine_with_sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyoxigraph as ox

    from kg.store import database

    # The layout of earlier kg: the version folder is the database, the dumps are plain files, and
    # issues ingested in place leave no journal.
    version = current_version(pristine_with_sample / "build" / "store")
    assert version is not None
    quads = tmp_path / "old.nq"
    ox.Store.read_only(str(database(version))).dump(quads, format=ox.RdfFormat.N_QUADS)
    out = tmp_path / "build"
    old = out / ".store-versions" / "20240101T000000-00000000"
    old.mkdir(parents=True)
    store = ox.Store(str(old))
    store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    os.symlink(os.path.relpath(old, out), out / "store")
    (out / "kg.nq").write_text("stale\n", encoding="utf-8")
    before = _answers(out / "store")
    assert SAMPLE_GRAPH in before

    assert main(["validate", "--store", str(out / "store")]) == EXIT_OK
    assert "no manifest" in capsys.readouterr().err
    assert main(["build", "--out", str(out)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "sample-2023-06" in err and "--drop-ingested" in err and len(err.strip().splitlines()) == 1
    assert _answers(out / "store") == before and (out / "kg.nq").read_text(encoding="utf-8") == "stale\n"
    assert main(["build", "--out", str(out), "--drop-ingested"]) == EXIT_OK
    assert "dropped 1 ingested issue(s) or graph(s) (--drop-ingested): sample-2023-06" in capsys.readouterr().out
    assert SAMPLE_GRAPH not in _answers(out / "store")
    assert (out / "kg.nq").is_symlink() and b"stale" not in (out / "kg.nq").read_bytes()
    assert not old.exists()
    _assert_consistent_and_clean(out)


# --------------------------------------------------------------------------- killed writes


#: Each write, the copy it starts from, and the points it passes (kg.faults).
WRITES = {
    "build": (["build", "--out", "build", "--drop-ingested"], POINTS),
    "ingest": (["ingest", str(SAMPLE), "--store", "build/store"], [p for p in POINTS if p != "dumps-written"]),
    "withdraw": (["withdraw", SAMPLE.name, "--store", "build/store"], ["store-loaded", "switched"]),
    "dump": (["dump", "--store", "build/store"], ["dumps-written", "manifest-written"]),
}
CASES = [(command, point) for command, (_, points) in WRITES.items() for point in points]


@pytest.mark.parametrize(("command", "point"), CASES, ids=[f"{c}-{p}" for c, p in CASES])
def test_a_write_killed_at_any_point_leaves_the_store_before_or_after_and_nothing_behind(
    command: str, point: str, pristine: Path, pristine_with_sample: Path, tmp_path: Path
) -> None:
    start, end = (pristine, pristine_with_sample) if command == "ingest" else (pristine_with_sample, pristine)
    out = _copy(start, tmp_path)
    before = _answers(out / "store")
    after = before if command == "dump" else _answers(end / "build" / "store")
    code, err = _run(*WRITES[command][0], cwd=tmp_path, env={"KG_KILL_AT": point})
    assert code == -signal.SIGKILL, f"the write did not reach {point}: {err}"
    answers = _answers(out / "store")
    assert answers in (before, after)
    _assert_consistent_and_clean(out)
    assert _answers(out / "store") == answers


@pytest.mark.parametrize("command", ["build", "ingest"])
def test_writes_killed_after_random_delays_leave_the_store_before_or_after(
    command: str, pristine: Path, pristine_with_sample: Path, tmp_path: Path
) -> None:
    chance = random.Random(14)
    start, end = (pristine_with_sample, pristine) if command == "build" else (pristine, pristine_with_sample)
    out = _copy(start, tmp_path)
    before, after = _answers(out / "store"), _answers(end / "build" / "store")
    for _ in range(2):
        process = _kg(*WRITES[command][0], cwd=tmp_path)
        time.sleep(chance.uniform(0.5, 3.0))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        assert _answers(out / "store") in (before, after)
        _assert_consistent_and_clean(out)


# --------------------------------------------------------------------------- concurrent writers


def test_a_writer_waits_for_another_with_a_message_and_gives_up_in_one_line(pristine: Path, tmp_path: Path) -> None:
    out = _copy(pristine, tmp_path)
    before = _answers(out / "store")
    with writer_lock(out / "store", "kg test-holder"):
        code, err = _run("ingest", str(SAMPLE), "--store", "build/store", "--wait", "1", cwd=tmp_path)
    assert code == EXIT_ERROR
    lines = err.strip().splitlines()
    assert lines[0].startswith("waiting for another kg test-holder (pid ") and "build/store" in lines[0]
    assert len(lines) == 2 and "still writing" in lines[1] and "--wait" in lines[1]
    assert "Traceback" not in err and "LOCK" not in err
    assert _answers(out / "store") == before


def test_two_ingests_at_once_both_land(pristine: Path, tmp_path: Path) -> None:
    out = _copy(pristine, tmp_path)
    other = tmp_path / "sample_2023_07.txt"
    other.write_text(_other_issue(), encoding="utf-8")
    first = _kg("ingest", str(SAMPLE), "--store", "build/store", cwd=tmp_path)
    second = _kg("ingest", str(other), "--store", "build/store", cwd=tmp_path)
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == EXIT_OK, err
    graphs = _answers(out / "store")
    assert SAMPLE_GRAPH in graphs and SAMPLE_GRAPH.replace("06", "07") in graphs
    _assert_consistent_and_clean(out)


@pytest.mark.parametrize("ingest_first", [True, False])
def test_a_build_and_an_ingest_at_once_both_land(ingest_first: bool, pristine: Path, tmp_path: Path) -> None:
    out = _copy(pristine, tmp_path)
    ingest_args = ("ingest", str(SAMPLE), "--store", "build/store")
    first = _kg(*ingest_args, cwd=tmp_path) if ingest_first else _kg("build", "--out", "build", cwd=tmp_path)
    time.sleep(0.3)
    second = _kg("build", "--out", "build", cwd=tmp_path) if ingest_first else _kg(*ingest_args, cwd=tmp_path)
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == EXIT_OK, err
    assert SAMPLE_GRAPH in _answers(out / "store"), "the ingest reported success, so its issue is in the store"
    _assert_consistent_and_clean(out)


def _other_issue() -> str:
    """Another issue: every headline and source URL its own."""
    from kg.newsletter.segment import parse_file

    text = SAMPLE.read_text(encoding="utf-8").replace("https://example.org/news/", "https://example.org/follow-up/")
    for item in parse_file(SAMPLE).items:
        text = text.replace(item.headline, f"Follow-up: {item.headline}")
    return text


# --------------------------------------------------------------------------- readers hold their version


def _serve(*args: str, cwd: Path) -> tuple[subprocess.Popen[str], str]:
    """``kg serve`` started on a free port, once it answers; the process and its base URL."""
    from kg.server import free_port

    port = free_port()
    server = _kg("serve", "--port", str(port), *args, cwd=cwd)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            _ask(url)
            return server, url
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "kg serve did not start"
            time.sleep(0.1)


def _ask(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/query?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"), timeout=5) as reply:
        return bool(json.loads(reply.read())["boolean"])


def test_a_reader_keeps_its_version_through_rebuilds_until_it_ends_however_it_ends(
    pristine: Path, tmp_path: Path
) -> None:
    out = _copy(pristine, tmp_path)
    held = current_version(out / "store")
    # Another process reads the store (as a query or kg serve does) and is then killed, not closed.
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from kg.store import open_store\n"
            "with open_store(Path(sys.argv[1])) as store:\n    print(len(store), flush=True); time.sleep(600)",
            str(out / "store"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and int(reader.stdout.readline()) > 0
        build(out_dir=out)
        build(out_dir=out)
        assert held is not None and held.is_dir() and current_version(out / "store") != held
        assert len(list(versions_dir(out / "store").iterdir())) == 2, "the superseded unleased one is gone"
    finally:
        reader.kill()
        reader.communicate(timeout=30)
    assert held in prune_versions(out / "store"), "the kernel ended the killed reader's lease"


def test_a_writable_server_holds_the_writer_lock_and_reseals_the_manifest(pristine: Path, tmp_path: Path) -> None:
    out = _copy(pristine, tmp_path)
    server, url = _serve("--store", "build/store", "--writable", cwd=tmp_path)
    try:
        update = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"})
        urllib.request.urlopen(f"{url}/update", data=update.encode(), timeout=5).close()
        code, err = _run("ingest", str(SAMPLE), "--store", "build/store", "--wait", "0.5", cwd=tmp_path)
        assert code == EXIT_ERROR and "waiting for another kg serve --writable" in err
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert server.returncode == EXIT_OK and "the store changed" in err
    assert _answers(out / "store")["urn:g"] == 1
    _assert_consistent_and_clean(out)
    assert not (out / "kg.nq").exists(), "the dumps no longer match the store"
    # A rebuild cannot re-make what came in through the server: it asks first.
    assert main(["build", "--out", str(out)]) == EXIT_ERROR
    assert "urn:g" in _answers(out / "store")
    assert main(["build", "--out", str(out), "--drop-ingested"]) == EXIT_OK
    assert "urn:g" not in _answers(out / "store")


# --------------------------------------------------------------------------- one error contract


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--out", "{tmp}/a-file"], "cannot make the output folder"),
        (["build", "--out", "{tmp}/out", "--store", "{tmp}/a-folder"], "is not a store link made by kg"),
        (["ingest", str(SAMPLE), "--store", "{tmp}/nowhere/store"], "no store at"),
        (["ingest", "{tmp}/a-folder", "--store", "{tmp}/nowhere/store"], "cannot read newsletter"),
        (["withdraw", "nope", "--store", "{tmp}/nowhere/store"], "no store at"),
        (["dump", "--store", "{tmp}/nowhere/store"], "no store at"),
        (["validate", "--store", "{tmp}/nowhere/store"], "no store at"),
    ],
)
def test_store_commands_fail_in_one_line_and_write_nothing(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    (tmp_path / "a-folder").mkdir()
    before = sorted(tmp_path.rglob("*"))
    assert main([arg.replace("{tmp}", str(tmp_path)) for arg in args]) == EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and err[0].startswith(f"kg {args[0]}: error: ")
    assert sorted(tmp_path.rglob("*")) == before


def test_a_name_minted_as_two_kinds_in_one_issue_gets_two_nodes(linker: object) -> None:
    from kg.events import records_to_nodes
    from kg.models import Instrument, Party
    from kg.newsletter.records import IssueRecord

    record = IssueRecord.model_validate(
        {
            "newsletter": "clash.txt",
            "items": [
                {
                    "n": 1,
                    "headline": "A company named like a rule",
                    "kind": "enforcement",
                    "parties": ["Zorblax Data Rules"],
                    "instruments": [{"title": "Zorblax Data Rules", "status": "issued"}],
                }
            ],
        }
    )
    nodes = records_to_nodes(record, linker)  # type: ignore[arg-type]
    minted = {type(node).__name__: node.id for node in nodes.new_entities}
    assert set(minted) == {"Party", "Instrument"} and len(set(minted.values())) == 2
    assert any(isinstance(n, Instrument) for n in nodes.nodes) and any(isinstance(n, Party) for n in nodes.nodes)


def test_a_patched_sum_is_the_sum_of_the_lines_now_there() -> None:
    from kg.manifest import graph_entry, patched

    lines = [f"<urn:s{n}> <urn:p> <urn:o> <urn:g> .\n" for n in range(5)]
    before = graph_entry(lines[:3], summed=True)
    assert patched(before, [lines[0]], [lines[3], lines[4]]) == graph_entry(lines[1:], summed=True)
    assert graph_entry(lines, summed=True) == graph_entry(lines[::-1], summed=True), "order does not matter"
    assert graph_entry(lines) != graph_entry(lines, summed=True)


def test_a_manifest_is_written_as_indented_json_with_its_text_as_is(tmp_path: Path) -> None:
    from kg.manifest import GraphEntry, IssueEntry, make_manifest, write_manifest

    name = '数据 "June" \\ issue\t😀\x01.txt'
    manifest = make_manifest(
        "kg ingest",
        "https://example.org/",
        {"https://example.org/graph/é": GraphEntry(quads=3, digest="sum:00")},
        {"june": IssueEntry(name=name, graph="https://example.org/graph/é", source=f"/in/{name}", via="ingest")},
    )
    written = write_manifest(tmp_path, manifest).read_text(encoding="utf-8")
    assert written == json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
    assert read_manifest(tmp_path) == manifest


def test_a_load_from_pieces_holds_what_the_file_holds_and_a_bad_piece_removes_the_version(tmp_path: Path) -> None:

    from kg.errors import StoreError
    from kg.store import LOAD_CHUNK, Loading, load_chunks

    lines = [f'<urn:s{n}> <urn:p> "value {n}" <urn:g{n % 3}> .\n'.encode() for n in range(3000)]
    blocks = [b"".join(lines[n : n + 100]) for n in range(0, len(lines), 100)]
    pieces = list(load_chunks(iter(blocks)))
    assert b"".join(pieces) == b"".join(blocks) and len(pieces) == 1  # joined, whole lines kept
    big = [block * (LOAD_CHUNK // len(block) + 1) for block in blocks[:3]]
    assert [len(piece) for piece in load_chunks(big)] == [len(block) for block in big]  # each over the size alone

    file = tmp_path / "kg.nq"
    file.write_bytes(b"".join(lines))
    counts = []
    for source in (file, load_chunks(blocks)):
        version = tmp_path / f"v{len(counts)}"
        version.mkdir()
        loading = Loading(version, source)
        store = loading.loaded()
        counts.append(len(store))
        del store
        loading.finished()
    assert counts == [3000, 3000]

    version = tmp_path / "bad"
    version.mkdir()
    loading = Loading(version, iter([blocks[0], b"<urn:s> <urn:p> not a term <urn:g> .\n"]))
    with pytest.raises(StoreError, match="could not load the new store"):
        loading.finished()
    assert not version.exists()
