"""The named query library: headers, parameters, expected rows on a fixture graph, and any endpoint.

The fixture (tests/fixtures/queries/graph.trig, plus the ontology graph as in a real build) is
small and written for these tests; tests/fixtures/queries/expected.json holds, per query, one or
more cases: the parameters used and the rows it must return, written out by hand. Every query
that has an OPTIONAL has a case where the OPTIONAL stays unbound (a fine a court imposed, a
suit with no court and no date, an instrument with no stage). Each case runs twice: with the
values bound by pyoxigraph's substitutions, and as the text an endpoint gets. One test starts a
real Oxigraph server on 127.0.0.1, publishes the fixture to it through the Graph Store
Protocol, runs every case there and compares the answers.
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
from kg.queries import Endpoint, bind, library, load_query, prepare, run_remote
from kg.query import render_term, run_bound, run_local
from kg.rdf import graph_iri
from kg.server import PublishError, Server, free_port, publish, start_server

FIXTURE = Path(__file__).parent / "fixtures" / "queries"
EXPECTED: dict[str, list[dict]] = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
CASES = [(name, number) for name, cases in sorted(EXPECTED.items()) for number in range(len(cases))]


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
def test_every_optional_is_seen_unbound_in_some_case(name: str) -> None:
    if "OPTIONAL" not in load_query(name).sparql:
        pytest.skip("no OPTIONAL")
    assert any("" in row for case in EXPECTED[name] for row in case["rows"]), (
        f"{name}: no case leaves an OPTIONAL unbound"
    )


@pytest.mark.parametrize(("name", "number"), CASES)
def test_named_query_returns_its_expected_rows(name: str, number: int, store: Path, linker: Linker) -> None:
    case = EXPECTED[name][number]
    bound = prepare(load_query(name), case["params"], linker)
    substituted = run_bound(bound, store)
    spliced_by_the_strict_serialiser = run_local(store, bound.text())
    for results in (substituted, spliced_by_the_strict_serialiser):
        assert isinstance(results, dict)
        assert results["head"]["vars"] == case["vars"]
        assert _rows(results) == case["rows"]


@pytest.mark.parametrize(("name", "number"), CASES)
def test_session_select_reads_the_same_values_as_sparql_json(
    name: str, number: int, store: Path, linker: Linker
) -> None:
    # Session.select reads the engine's terms by position; its rows must be SPARQL JSON's values.
    from kg.query import Session

    case = EXPECTED[name][number]
    for params in (case["params"], {**case["params"], "page": "1"} if load_query(name).pagination else None):
        if params is None:
            continue
        text = bind(load_query(name), params, linker)
        results = run_local(store, text)
        assert isinstance(results, dict)
        names = results["head"]["vars"]
        want = [{n: row[n]["value"] for n in names if n in row} for row in results["results"]["bindings"]]
        with Session(store) as session:
            assert session.select(text) == want


def test_session_select_refuses_what_is_not_a_select(store: Path) -> None:
    from kg.query import Session

    with Session(store) as session, pytest.raises(QueryError, match="SELECT queries only"):
        session.select("ASK { ?s ?p ?o }")
    with Session(store) as session, pytest.raises(QueryError, match="does not parse"):
        session.select("SELECT ?s WHERE {")


def test_a_page_line_reads_its_page_form(linker: Linker) -> None:
    query = load_query("cases-citing-law")
    every_row = bind(query, {"law": "PIPL"}, linker)
    page_two = bind(query, {"law": "PIPL", "page": "2"}, linker)
    assert "OPTIONAL { SELECT ?case ?title WHERE { ?case dct:title ?title } }" in every_row
    code = "\n".join(line for line in every_row.splitlines() if not line.lstrip().startswith("#"))
    assert "?page_date" not in code and "LIMIT" not in code  # the page's own lines stay comments
    assert "OPTIONAL { ?case dct:title ?title }" in page_two and "SELECT ?case ?title" not in page_two
    assert "LIMIT 100" in page_two and "LIMIT 50 OFFSET 50" in page_two  # {end}: the rows up to the page's end


def test_a_default_written_in_the_header_is_the_query_s_own(store: Path, linker: Linker) -> None:
    # grlc leaves an optional parameter unbound; the query applies its default itself.
    for query in library().values():
        for param in query.params.values():
            if param.default is not None:
                given = run_bound(prepare(query, {param.name: str(param.default)}, linker), store)
                left_out = run_bound(prepare(query, {}, linker), store)
                assert given == left_out, (query.name, param.name)


def test_no_query_tests_a_parameter_with_bound() -> None:
    # BOUND(<iri>) is not SPARQL once grlc has written the value in, and pyoxigraph answers false.
    for query in library().values():
        assert not re.search(r"BOUND\s*\(\s*\?_", query.sparql, re.IGNORECASE), query.name


def test_parameters_are_bound_as_rdf_terms_not_spliced_text(linker: Linker) -> None:
    query = load_query("find-entity")
    bound = prepare(query, {"text": 'x" } DROP ALL ; SELECT * { "'}, linker)
    assert "DROP ALL" not in bound.sparql  # the engine gets the value apart from the query
    text = bound.text()
    assert 'LCASE("x\\" } DROP ALL ; SELECT * { \\"")' in text  # one escaped literal, never SPARQL
    assert "$_text" not in text and "?_text" not in text


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
    expected = EXPECTED["cases-citing-law"][0]
    paged = _pages_of_two("cases-citing-law")
    pages = [run_bound(prepare(paged, {**expected["params"], "page": str(n)}, linker), store) for n in (1, 2, 3, 4)]  # type: ignore[arg-type]
    rows = [_rows(page) for page in pages if isinstance(page, dict)]
    assert [len(r) for r in rows] == [2, 2, 2, 0]
    assert rows[0] + rows[1] + rows[2] == expected["rows"]
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
    assert "law (law, required; ?_law_iri)" in capsys.readouterr().out
    args = ["query", "cases-citing-law", "--param", "law=PIPL", "--store", str(store)]
    assert main([*args, "--format", "tsv"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[0] == "?case\t?kind\t?date\t?title\t?actor\t?cited_article"
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
    for name, number in CASES:
        bound = prepare(load_query(name), EXPECTED[name][number]["params"], linker)
        local, remote = run_bound(bound, store), run_remote(endpoint, bound.text())
        assert isinstance(local, dict) and isinstance(remote, dict)
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
        assert len(publish(store, url, "alice", "secret", timeout=5)) == 5
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
