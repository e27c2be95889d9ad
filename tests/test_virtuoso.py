"""`kg publish` and `kg query --endpoint` against a second real engine: Virtuoso 7.2 (Debian's package).

The suite starts its own Virtuoso (``virtuoso-t +foreground``) as a subprocess on free ports of
127.0.0.1, in a temporary folder with its own virtuoso.ini and a fresh database (the Debian
service is not used), publishes the query fixture to it through its authenticated Graph Store
endpoint (``/sparql-graph-crud-auth``, HTTP digest auth, user dba), runs every named query on
its ``/sparql`` endpoint and compares the answers with the embedded store's, row order included.
Skipped only when ``virtuoso-t`` is not installed (``apt-get install virtuoso-opensource``;
``.ci/run`` installs it).

Virtuoso's own graphs (``http://www.openlinksw.com/schemas/virtrdf#`` and a few more) are part
of its default graph too; the named queries only match this project's terms, so they do not see
them, which the comparison below proves.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.newsletter.link import Linker
from kg.queries import Endpoint, bind, load_query, prepare, run_remote
from kg.query import run_bound, run_local
from kg.rdf import graph_iri
from kg.server import PublishError, free_port, publish

VIRTUOSO = shutil.which("virtuoso-t")
pytestmark = pytest.mark.skipif(
    VIRTUOSO is None, reason="virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource)"
)

FIXTURE = Path(__file__).parent / "fixtures" / "queries"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
CASES = [(name, number) for name, cases in sorted(EXPECTED.items()) for number in range(len(cases))]
#: A fresh Virtuoso database's administrator.
DBA = ("dba", "dba")


@dataclass
class Virtuoso:
    """A Virtuoso server started by the tests."""

    process: subprocess.Popen[bytes]
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def store_url(self) -> str:
        return f"{self.url}/sparql-graph-crud-auth"

    def log_tail(self, lines: int = 30) -> str:
        # In the foreground Virtuoso logs to stdout rather than to its ErrorLogFile.
        texts = [path.read_text(encoding="utf-8", errors="replace") for path in self.logs if path.is_file()]
        return "\n".join("\n".join(texts).splitlines()[-lines:]) or "(Virtuoso logged nothing)"

    @property
    def logs(self) -> list[Path]:
        return [self.folder / "virtuoso.log", self.folder / "stdout.log"]

    def stop(self) -> None:
        # SIGTERM makes Virtuoso do a quick, clean shutdown (about a second).
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _virtuoso_ini(folder: Path, http_port: int, sql_port: int) -> str:
    # The few settings of Debian's /etc/virtuoso-opensource-7/virtuoso.ini a throwaway database
    # needs, every file in `folder`, memory small (NumberOfBuffers are 8 kB pages).
    return f"""\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = .
NumberOfBuffers    = 2000
MaxDirtyBuffers    = 1200
CheckpointInterval = 0

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerRoot    = {folder}
ServerThreads = 4
Charset       = UTF-8

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""


def start_virtuoso(folder: Path, wait: float = 60.0) -> Virtuoso:
    """Start Virtuoso on a fresh database in `folder` and wait until its SPARQL endpoint answers."""
    assert VIRTUOSO is not None
    http_port = sql_port = free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_virtuoso_ini(folder, http_port, sql_port), encoding="utf-8")
    with (folder / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=out, stderr=subprocess.STDOUT
        )
    server = Virtuoso(process, folder, http_port)
    ask = f"{server.query_url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode} at start:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(ask, timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"Virtuoso did not answer on {server.query_url} within {wait:g} s:\n{server.log_tail()}")


@pytest.fixture(scope="module")
def store(query_store: Path) -> Path:
    return query_store


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def published(virtuoso: Virtuoso, store: Path) -> Virtuoso:
    user, password = DBA
    assert (
        main(
            ["publish", "--store", str(store), "--endpoint", virtuoso.store_url, "--user", user, "--password", password]
        )
        == EXIT_OK
    )
    return virtuoso


def _graph_sizes(results: dict) -> dict[str, int]:
    return {row["g"]["value"]: int(row["n"]["value"]) for row in results["results"]["bindings"]}


GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def test_publish_puts_every_named_graph_whole(published: Virtuoso, store: Path) -> None:
    answer = run_local(store, GRAPH_SIZES)
    assert isinstance(answer, dict)
    local = _graph_sizes(answer)
    remote = _graph_sizes(run_remote(Endpoint(published.query_url, timeout=30), GRAPH_SIZES))
    assert {str(graph_iri("reference")), str(graph_iri("ontology"))} <= set(local)
    # Virtuoso also holds graphs of its own (virtrdf#, …): compare ours only.
    assert {graph: remote.get(graph) for graph in local} == local
    # A second publish replaces each graph (PUT) rather than adding to it.
    sent = publish(store, published.store_url, *DBA, timeout=30)
    assert dict(sent) == local
    again = _graph_sizes(run_remote(Endpoint(published.query_url, timeout=30), GRAPH_SIZES))
    assert {graph: again.get(graph) for graph in local} == local


@pytest.mark.parametrize(("user", "password"), [("dba", "not-the-password"), (None, None)])
def test_publish_without_the_right_credentials_is_refused_clearly(
    virtuoso: Virtuoso, store: Path, user: str | None, password: str | None
) -> None:
    with pytest.raises(PublishError, match="refused the credentials"):
        publish(store, virtuoso.store_url, user, password, timeout=30)


def _canonical(results: dict) -> list[str]:
    # Rows in their order (each query's ORDER BY makes it total on the fixture); GROUP_CONCAT has
    # no defined order in SPARQL, so its lists ("A; B") are compared as sets.
    rows = []
    for row in results["results"]["bindings"]:
        row = {k: {**v, "value": "; ".join(sorted(v["value"].split("; ")))} for k, v in row.items()}
        rows.append(json.dumps(row, sort_keys=True, ensure_ascii=False))
    return rows


@pytest.mark.parametrize(("name", "number"), CASES)
def test_named_query_gives_the_same_answer_on_virtuoso(
    name: str, number: int, published: Virtuoso, store: Path, linker: Linker
) -> None:
    bound = prepare(load_query(name), EXPECTED[name][number]["params"], linker)
    local, remote = run_bound(bound, store), run_remote(Endpoint(published.query_url, timeout=30), bound.text())
    assert isinstance(local, dict) and isinstance(remote, dict)
    assert remote["head"]["vars"] == local["head"]["vars"]
    assert _canonical(remote) == _canonical(local)


def test_a_page_is_the_same_on_virtuoso(published: Virtuoso, store: Path, linker: Linker) -> None:
    from dataclasses import replace

    paged = replace(load_query("cases-citing-law"), pagination=2)
    for page in ("1", "2"):
        sparql = bind(paged, {"law": "PIPL", "page": page}, linker)
        local, remote = run_local(store, sparql), run_remote(Endpoint(published.query_url, timeout=30), sparql)
        assert isinstance(local, dict) and local["results"]["bindings"]
        assert _canonical(remote) == _canonical(local)


def test_query_on_virtuoso_through_the_cli(published: Virtuoso, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "laws-cited-most", "--endpoint", published.query_url, "--format", "json"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    first = answer["results"]["bindings"][0]
    assert first["name"] == {"type": "literal", "value": "Personal Information Protection Law", "xml:lang": "en"}
    # Virtuoso writes "typed-literal"; run_remote hands on SPARQL 1.1's "literal" + datatype.
    assert first["cases"] == {
        "type": "literal",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
        "value": "6",
    }
    assert main(["query", "laws-cited-most", "--endpoint", published.url + "/no-such-service"]) == EXIT_ERROR
