"""The named query library: headers, parameters, expected rows on a fixture graph, and any endpoint.

The fixture (tests/fixtures/queries/graph.trig, plus the ontology graph as in a real build) is
small and written for these tests; tests/fixtures/queries/expected.json holds, per query, the
parameters used and the rows it must return. One test starts a real Oxigraph server on 127.0.0.1,
publishes the fixture to it through the Graph Store Protocol, runs every named query there and
here, and compares the answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.errors import QueryError
from kg.newsletter.link import Linker
from kg.queries import Endpoint, bind, library, load_query, run_remote
from kg.query import render_term, run_local
from kg.rdf import graph_iri
from kg.server import PublishError, Server, free_port, publish, start_server

FIXTURE = Path(__file__).parent / "fixtures" / "queries"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store(query_store: Path) -> Path:
    return query_store


def _rows(results: dict) -> list[list[str]]:
    names = results["head"]["vars"]
    return [[render_term(row.get(n)) for n in names] for row in results["results"]["bindings"]]


def test_library_has_at_least_fifteen_documented_queries() -> None:
    queries = library()
    assert len(queries) >= 15
    for query in queries.values():
        text = query.path.read_text(encoding="utf-8")
        assert text.startswith("#+ summary:"), query.name
        assert query.description and query.example.startswith(f"kg query {query.name}")


def test_every_query_has_expected_rows() -> None:
    assert set(EXPECTED) == set(library())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_query_returns_its_expected_rows(name: str, store: Path, linker: Linker) -> None:
    case = EXPECTED[name]
    results = run_local(store, bind(load_query(name), case["params"], linker))
    assert isinstance(results, dict)
    assert results["head"]["vars"] == case["vars"]
    assert _rows(results) == case["rows"]


def test_parameters_are_bound_as_rdf_terms_not_spliced_text(linker: Linker) -> None:
    query = load_query("find-entity")
    bound = bind(query, {"text": 'x" } DROP ALL ; SELECT * { "'}, linker)
    assert "DROP ALL" in bound  # inside one escaped literal of the VALUES block, never as SPARQL
    assert re.search(r'VALUES \(\?text\) \{ \("x\\" \} DROP ALL ; SELECT \* \{ \\""\) \}', bound)


def test_names_resolve_through_aliases_and_chinese(linker: Linker) -> None:
    query = load_query("cases-citing-law")
    for name in ("PIPL", "个人信息保护法", "Personal Information Protection Law", "law:pipl"):
        assert "<https://w3id.org/datalaw-kg/id/law/pipl>" in bind(query, {"law": name}, linker)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"law": "PIPLL"}, "closest: 'PIPL'"),
        ({"lw": "PIPL"}, "has no parameter 'lw'"),
        ({}, "needs parameter 'law'"),
        ({"law": "PIPL", "article": "thirty"}, "not a valid integer"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict[str, str], message: str, linker: Linker) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        bind(load_query("cases-citing-law"), params, linker)


def _pages_of_two(name: str) -> object:
    from dataclasses import replace

    return replace(load_query(name), pagination=2)


def test_pages_cut_the_full_answer_in_order(store: Path, linker: Linker) -> None:
    expected = EXPECTED["cases-citing-law"]
    paged = _pages_of_two("cases-citing-law")
    pages = [run_local(store, bind(paged, {**expected["params"], "page": str(n)}, linker)) for n in (1, 2, 3)]
    rows = [_rows(page) for page in pages if isinstance(page, dict)]
    assert [len(r) for r in rows] == [2, 1, 0]
    assert rows[0] + rows[1] == expected["rows"]
    assert "LIMIT 2 OFFSET 2" in bind(paged, {"law": "PIPL", "page": "2"}, linker)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "page", "message"),
    [
        ("cases-citing-law", "0", "not a page number"),
        ("cases-citing-law", "two", "not a page number"),
        ("laws-cited-most", "1", "not paginated"),
    ],
)
def test_bad_pages_are_clear_errors(name: str, page: str, message: str, linker: Linker) -> None:
    with pytest.raises(QueryError, match=message):
        bind(load_query(name), {"law": "PIPL", "page": page} if name == "cases-citing-law" else {"page": page}, linker)


def test_cli_lists_describes_and_runs_named_queries(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == EXIT_OK
    assert "cases-citing-law" in capsys.readouterr().out
    assert main(["query", "cases-citing-law", "--describe"]) == EXIT_OK
    assert "law (law, required)" in capsys.readouterr().out
    args = ["query", "cases-citing-law", "--param", "law=PIPL", "--store", str(store)]
    assert main([*args, "--format", "tsv"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[0] == "case\tkind\tdate\ttitle\tactor\tcited_article"
    assert main([*args, "--format", "json"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    assert answer["results"]["bindings"][0]["date"]["datatype"].endswith("#date")
    assert main(["query", "no-such-query"]) == EXIT_ERROR
    assert main(["query", "cases-citing-law", "--param", "law=Nowhere Law", "--store", str(store)]) == EXIT_ERROR


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[Server]:
    running = start_server(None, writable=True)
    try:
        published = publish(store, running.store_url)
        assert {graph for graph, _ in published} >= {str(graph_iri("reference")), str(graph_iri("ontology"))}
        yield running
    finally:
        running.stop()


def _canonical(results: dict) -> list[str]:
    # GROUP_CONCAT has no defined order in SPARQL: compare its lists ("A; B") as sets.
    rows = []
    for row in results["results"]["bindings"]:
        row = {k: {**v, "value": "; ".join(sorted(v["value"].split("; ")))} for k, v in row.items()}
        rows.append(json.dumps(row, sort_keys=True))
    return sorted(rows)


def test_every_named_query_gives_the_same_answer_remotely(server: Server, store: Path, linker: Linker) -> None:
    endpoint = Endpoint(server.query_url, timeout=10)
    for name, case in EXPECTED.items():
        sparql = bind(load_query(name), case["params"], linker)
        local, remote = run_local(store, sparql), run_remote(endpoint, sparql)
        assert isinstance(local, dict)
        assert remote["head"]["vars"] == local["head"]["vars"], name
        assert _canonical(remote) == _canonical(local), name


def test_remote_through_the_cli(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "laws-cited-most", "--endpoint", server.query_url, "--format", "csv"]) == EXIT_OK
    assert "Personal Information Protection Law" in capsys.readouterr().out


def test_publish_answers_a_basic_auth_server(store: Path) -> None:
    # A real HTTP server on 127.0.0.1 that wants basic auth (Fuseki, GraphDB); digest is tested
    # against Virtuoso in tests/test_virtuoso.py.
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    accepted = "Basic " + base64.b64encode(b"alice:secret").decode()
    seen: list[tuple[str, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            seen.append((self.command, self.headers.get("Authorization")))
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            ok = self.headers.get("Authorization") == accepted
            self.send_response(204 if ok else 401)
            if not ok:
                self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_PUT = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/store"
    try:
        assert len(publish(store, url, "alice", "secret", timeout=5)) == 4
        assert {auth for command, auth in seen if command == "PUT"} == {accepted}
        with pytest.raises(PublishError, match="refused the credentials"):
            publish(store, url, "alice", "wrong", timeout=5)
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_endpoint_is_a_clear_error(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert main(["query", "laws-cited-most", "--endpoint", url + "/query", "--timeout", "2"]) == EXIT_ERROR
    assert "unreachable" in capsys.readouterr().err
    assert main(["publish", "--store", str(store), "--endpoint", url + "/store", "--timeout", "2"]) == EXIT_ERROR
    assert "unreachable" in capsys.readouterr().err


def test_wrong_endpoint_path_is_a_clear_error(server: Server) -> None:
    with pytest.raises(QueryError, match="not found"):
        run_remote(Endpoint(server.url + "/no-such-service", timeout=5), "SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_served_store_is_read_only_with_a_query_ui(store: Path) -> None:
    import urllib.error
    import urllib.request

    served = start_server(store)
    try:
        with urllib.request.urlopen(served.url + "/", timeout=5) as page:
            assert "html" in page.headers.get("Content-Type", "")
        answer = run_remote(Endpoint(served.query_url, timeout=5), "ASK { ?law dlk:abbreviation 'PIPL' }")
        assert answer["boolean"] is True
        update = urllib.request.Request(
            served.url + "/update",
            data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            method="POST",
            headers={"Content-Type": "application/sparql-update"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=5)
    finally:
        served.stop()
    assert served.process.poll() is not None
