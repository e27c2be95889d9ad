"""A SPARQL endpoint's reply is untrusted input: whatever comes back, one clear error or good results.

Property-based (hypothesis, derandomized so every run tries the same inputs): ten thousand
generated and mutated replies (valid SPARQL JSON results, then truncated, bit-flipped, reshaped,
or random bytes and random JSON) go through the reply parser behind ``kg query --endpoint``, and
three hundred through ``kg query --endpoint`` itself against a real HTTP server on 127.0.0.1
that this module starts. Only :class:`kg.errors.QueryError` (exit 2, one line) may come out.
``bench/`` is the place for longer runs (``KG_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.errors import QueryError
from kg.query import FORMATS, format_results
from kg.remote import Endpoint, parse_reply, run_remote

XSD = "http://www.w3.org/2001/XMLSchema#"
EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "10000"))
#: Each generated reply is fed as it is and as this many mutants less one.
MUTANTS = 10

# Strategies -------------------------------------------------------------------------------

names = st.sampled_from(["a", "law", "date", "n_1", "x", "名"])
terms = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("uri"), "value": st.sampled_from(["https://example.org/a", "urn:x", "x y"])}
    ),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["literal", "typed-literal"]), "value": st.text(max_size=12)},
        optional={
            "datatype": st.sampled_from([XSD + "integer", XSD + "date", "not an iri", "1:x"]),
            "xml:lang": st.sampled_from(["en", "zh-Hans", "", "e n"]),
        },
    ),
    st.fixed_dictionaries({"type": st.sampled_from(["bnode", "triple", "", "URI"]), "value": st.text(max_size=6)}),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def results(draw: st.DrawFn) -> dict:
    variables = draw(st.lists(names, max_size=4, unique=True))
    rows = draw(st.lists(st.dictionaries(st.sampled_from([*variables, "other"]), terms, max_size=4), max_size=4))
    return {"head": {"vars": variables}, "results": {"bindings": rows}}


@st.composite
def replies(draw: st.DrawFn) -> bytes:
    """A reply body: SPARQL JSON results, a boolean, either reshaped, any JSON, or any bytes."""
    kind = draw(st.sampled_from(["results", "results", "boolean", "reshaped", "json", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=64))
    if kind == "boolean":
        body = {"head": {}, "boolean": draw(st.one_of(st.booleans(), json_values))}
    elif kind == "json":
        body = draw(json_values)
    else:
        body = draw(results())
    if kind == "reshaped":
        where = draw(st.sampled_from(["head", "vars", "results", "bindings", "row", "root"]))
        junk = draw(json_values)
        if where == "head":
            body["head"] = junk
        elif where == "vars":
            body["head"]["vars"] = junk
        elif where == "results":
            body["results"] = junk
        elif where == "bindings":
            body["results"]["bindings"] = junk
        elif where == "row":
            body["results"]["bindings"].append(junk)
        else:
            body = junk
    return json.dumps(body).encode("utf-8")


def mutants(data: bytes, rng: random.Random, count: int) -> Iterator[bytes]:
    """``data`` itself, then ``count - 1`` copies truncated, with bytes flipped, or with bytes spliced in."""
    yield data
    for _ in range(count - 1):
        how = rng.choice(("truncate", "flip", "splice"))
        at = rng.randrange(len(data) + 1)
        if how == "truncate":
            yield data[:at]
        elif how == "flip" and data:
            at = min(at, len(data) - 1)
            yield data[:at] + bytes([data[at] ^ rng.randrange(1, 256)]) + data[at + 1 :]
        else:
            yield data[:at] + rng.randbytes(rng.randrange(1, 9)) + data[at:]


content_types = st.sampled_from(
    ["application/sparql-results+json", "application/json", "text/html", "application/n-triples"]
)


# The parser behind `kg query --endpoint` ---------------------------------------------------------


def _check(reply: bytes, content_type: str) -> None:
    try:
        answer = parse_reply(reply, content_type, "http://127.0.0.1/sparql")
    except QueryError as exc:
        assert "\n" not in str(exc) and "http://127.0.0.1/sparql" in str(exc)
        return
    if isinstance(answer, str):
        return
    for fmt in FORMATS:  # whatever was accepted can be shown in every format, or is refused clearly
        with contextlib.suppress(QueryError):
            format_results(answer, fmt)


FED: list[int] = []


@settings(
    max_examples=EXAMPLES // MUTANTS,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(replies(), content_types, st.randoms(use_true_random=False))
def test_generated_and_mutated_replies_give_results_or_one_query_error(
    reply: bytes, content_type: str, rng: random.Random
) -> None:
    for mutant in mutants(reply, rng, MUTANTS):
        _check(mutant, content_type)
        FED.append(1)


def test_at_least_ten_thousand_replies_were_fed() -> None:
    if not FED:
        pytest.skip("run with the test above")
    assert len(FED) >= EXAMPLES >= 10_000


@pytest.mark.parametrize(
    "reply",
    [
        b'{"head": {"vars": ["a"]}, "results": {"bindings": [{"a": {"type": "uri", "val',  # truncated JSON
        b"[1, 2, 3]",  # a JSON array
        b'{"head": {"vars": ["a"]}, "results": {"bindings": [["a", "b"]]}}',  # bindings of the wrong shape
        b'{"head": {"vars": ["a"]}, "results": {"bindings": [{"a": "b"}]}}',
        b'{"head": {"vars": "a"}, "results": {"bindings": []}}',
        b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",  # random bytes
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the JSON parser recurses
        b'{"boolean": "yes"}',
    ],
)
def test_malformed_replies_are_named(reply: bytes) -> None:
    with pytest.raises(QueryError, match="did not answer with SPARQL JSON results"):
        parse_reply(reply, "application/sparql-results+json", "http://127.0.0.1/sparql")


# `kg query --endpoint` against a real server ------------------------------------------------------


@dataclass
class Scripted:
    """What the scripted endpoint answers next: status, content type, body (or a body generator)."""

    status: int = 200
    content_type: str = "application/sparql-results+json"
    body: bytes = b""
    stream: Iterator[bytes] | None = None
    sent: list[int] = field(default_factory=list)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[tuple[str, Scripted]]:
    script = Scripted()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(script.status)
            self.send_header("Content-Type", script.content_type)
            if script.stream is None:
                self.send_header("Content-Length", str(len(script.body)))
            self.end_headers()
            sent = 0
            try:
                for chunk in script.stream if script.stream is not None else [script.body]:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            script.sent.append(sent)
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", script
    finally:
        server.shutdown()
        server.server_close()


def _cli(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", url, "--timeout", "5", *extra])
    return code, capsys.readouterr().err


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    reply=replies(),
    content_type=content_types,
    status=st.sampled_from([200, 200, 200, 400, 401, 404, 500, 502]),
    rng=st.randoms(use_true_random=False),
)
def test_kg_query_endpoint_exits_0_or_2_with_one_line(
    reply: bytes,
    content_type: str,
    status: int,
    rng: random.Random,
    endpoint: tuple[str, Scripted],
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, script = endpoint
    for mutant in mutants(reply, rng, 2):
        script.status, script.content_type, script.body, script.stream = status, content_type, mutant, None
        code, err = _cli(url, capsys, "--format", "tsv")
        assert code in (EXIT_OK, EXIT_ERROR)
        if code == EXIT_ERROR:
            assert err.count("\n") == 1 and err.startswith("kg query: error: ") and "Traceback" not in err


def test_a_200_mb_reply_is_cut_off_not_read_whole(
    endpoint: tuple[str, Scripted], capsys: pytest.CaptureFixture[str]
) -> None:
    url, script = endpoint
    megabyte = b'{"head": {"vars": ["a"]}, "results": {"bindings": [' + b" " * (2**20 - 52)
    script.status, script.content_type, script.stream = 200, "application/sparql-results+json", iter([megabyte] * 200)
    script.sent.clear()
    code, err = _cli(url, capsys, "--max-reply-mb", "8")
    assert code == EXIT_ERROR and "larger than 8 MB" in err and err.count("\n") == 1
    with pytest.raises(QueryError, match="larger than 64 MB"):  # the default cap
        script.stream = iter([megabyte] * 200)
        run_remote(Endpoint(url, timeout=5), "ASK {}")
    script.stream = None


@pytest.mark.parametrize(
    "url", ["not-a-url", "ftp://127.0.0.1/sparql", "http://", "http://127.0.0.1:99999/x", "http://a b/"]
)
def test_an_endpoint_that_is_no_url_is_one_clear_error(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _cli(url, capsys)
    assert code == EXIT_ERROR and "is not an http:// or https:// URL" in err and err.count("\n") == 1


def test_a_named_query_on_an_endpoint_gets_its_values_as_terms(
    endpoint: tuple[str, Scripted], capsys: pytest.CaptureFixture[str]
) -> None:
    url, script = endpoint
    script.status, script.content_type, script.stream = 200, "application/sparql-results+json", None
    script.body = b'{"head": {"vars": ["entity", "class", "name", "matched"]}, "results": {"bindings": []}}'
    assert main(["query", "find-entity", "--param", 'text=a "b"\\', "--endpoint", url, "--format", "csv"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines() == ["entity,class,name,matched"]
