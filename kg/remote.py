"""Asking a SPARQL 1.1 endpoint, and reading its answer as untrusted input.

:func:`run_remote` sends a query with the SPARQL 1.1 Protocol (``POST``, form-encoded) and
reads the reply in chunks up to a cap (:data:`MAX_REPLY_BYTES` by default), so a runaway reply
is refused before it fills the memory. :func:`parse_reply` checks the reply's shape field by
field: whatever an endpoint sends (truncated JSON, a JSON array, bindings of the wrong shape,
random bytes), the caller gets SPARQL 1.1 JSON results or one :class:`~kg.errors.QueryError`
naming the endpoint, never another exception.

Example:
    >>> parse_reply(b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "typed-literal",'
    ...             b' "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "3"}}]}}',
    ...             "application/sparql-results+json", "http://example.org/sparql")["results"]["bindings"]
    [{'n': {'type': 'literal', 'value': '3', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}}]
    >>> parse_reply(b'[1, 2]', "application/json", "http://example.org/sparql")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: endpoint http://example.org/sparql did not answer with SPARQL JSON results: the reply is a list, not an object

"""

from __future__ import annotations

import base64
import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from kg.errors import QueryError
from kg.namespaces import with_prefixes

#: The largest reply read from an endpoint, in bytes; a larger one is refused (page the query).
MAX_REPLY_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 16
_GRAPH_TYPES = ("application/n-triples", "text/plain")
_VARIABLE = re.compile(r"^[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BNODE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 endpoint: URL, optional basic-auth credentials, timeout in seconds, reply cap in bytes."""

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    max_bytes: int = MAX_REPLY_BYTES


def basic_auth_header(user: str, password: str) -> str:
    """The value of an HTTP basic ``Authorization`` header."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def check_endpoint_url(url: str) -> str:
    """``url`` when it is an ``http(s)://host…`` URL, else a :class:`QueryError` saying so.

    Example:
        >>> check_endpoint_url("not-a-url")
        Traceback (most recent call last):
        ...
        kg.errors.QueryError: endpoint 'not-a-url' is not an http:// or https:// URL (e.g. http://127.0.0.1:7878/query)

    """
    try:
        parts = urllib.parse.urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
        parts = urllib.parse.urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok or re.search(r"[\x00-\x20]", url):
        raise QueryError(f"endpoint {url!r} is not an http:// or https:// URL (e.g. http://127.0.0.1:7878/query)")
    return url


def _read_capped(response: Any, endpoint: Endpoint) -> bytes:
    """The reply's body, read in chunks; refused as soon as it passes ``endpoint.max_bytes``."""
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > endpoint.max_bytes:
        raise QueryError(_too_large(endpoint))
    body = bytearray()
    while chunk := response.read(_CHUNK):
        body += chunk
        if len(body) > endpoint.max_bytes:
            raise QueryError(_too_large(endpoint))
    return bytes(body)


def _too_large(endpoint: Endpoint) -> str:
    return (
        f"endpoint {endpoint.url} sent a reply larger than {endpoint.max_bytes / 2**20:g} MB; "
        "ask for fewer rows (a page, a LIMIT) or raise --max-reply-mb"
    )


def run_remote(endpoint: Endpoint, sparql: str) -> dict[str, Any] | str:
    """Run ``sparql`` on ``endpoint``: SPARQL JSON results for SELECT and ASK, N-Triples text for graphs.

    Project prefixes the query uses without declaring are declared first. Every failure (an
    unreachable endpoint, refused credentials, a rejected query, a malformed or oversized reply)
    is one :class:`QueryError` naming the endpoint.
    """
    url = check_endpoint_url(endpoint.url)
    body = urllib.parse.urlencode({"query": with_prefixes(sparql)}).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
        },
    )
    if endpoint.user is not None:
        request.add_header("Authorization", basic_auth_header(endpoint.user, endpoint.password or ""))
    try:
        with urllib.request.urlopen(request, timeout=max(0.1, endpoint.timeout)) as response:
            content_type = response.headers.get_content_type()
            data = _read_capped(response, endpoint)
    except urllib.error.HTTPError as exc:
        raise QueryError(_http_error(endpoint, exc)) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        raise QueryError(
            f"endpoint {endpoint.url} is unreachable or did not answer in {endpoint.timeout:g} s: {reason}"
        ) from None
    return parse_reply(data, content_type, endpoint.url)


def _http_error(endpoint: Endpoint, exc: urllib.error.HTTPError) -> str:
    try:
        detail = exc.read(2000).decode("utf-8", "replace").strip().splitlines()
    except (OSError, http.client.HTTPException, ValueError):
        detail = []
    said = f": {detail[0][:300]}" if detail else ""
    if exc.code in (401, 403):
        return f"endpoint {endpoint.url} refused the credentials (HTTP {exc.code})"
    if exc.code == 404:
        return f"endpoint {endpoint.url} was not found (HTTP 404): is this the SPARQL query URL?"
    if exc.code == 400:
        return f"endpoint {endpoint.url} rejected the query as malformed (HTTP 400){said}"
    return f"endpoint {endpoint.url} answered HTTP {exc.code} {exc.reason}{said}"


class _Malformed(ValueError):
    """A reply that is not what SPARQL 1.1 results look like; the message says where."""


def parse_reply(data: bytes, content_type: str, where: str) -> dict[str, Any] | str:
    """An endpoint's reply as SPARQL 1.1 JSON results (a fresh, checked ``dict``), or N-Triples text.

    Pre-Recommendation ``"typed-literal"`` terms (Virtuoso 7 writes them) become SPARQL 1.1's
    ``"literal"`` with a ``datatype``. Anything else that is not SPARQL JSON results is a
    :class:`QueryError` naming ``where``.
    """
    try:
        text = data.decode("utf-8")
        if content_type in _GRAPH_TYPES:
            return text
        try:
            reply = json.loads(text)
        except RecursionError:
            raise _Malformed("the JSON nests too deeply") from None
        return _results(reply)
    except UnicodeDecodeError:
        problem = "it is not UTF-8 text"
    except _Malformed as exc:
        problem = str(exc)
    except ValueError as exc:  # json.JSONDecodeError
        problem = f"it is not JSON ({exc})"
    shown = (
        f" (Content-Type {content_type})"
        if content_type not in ("application/sparql-results+json", "application/json")
        else ""
    )
    raise QueryError(f"endpoint {where} did not answer with SPARQL JSON results{shown}: {problem}")


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _results(reply: object) -> dict[str, Any]:
    if not isinstance(reply, dict):
        raise _Malformed(f"the reply is {_kind(reply)}, not an object")
    head = reply.get("head", {})
    if not isinstance(head, dict):
        raise _Malformed(f"'head' is {_kind(head)}, not an object")
    if "boolean" in reply:
        if not isinstance(reply["boolean"], bool):
            raise _Malformed(f"'boolean' is {_kind(reply['boolean'])}, not true or false")
        return {"head": {}, "boolean": reply["boolean"]}
    names = head.get("vars")
    if not isinstance(names, list) or not all(isinstance(n, str) and _VARIABLE.match(n) for n in names):
        raise _Malformed("'head' has no 'vars' list of variable names")
    results = reply.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise _Malformed("there is no 'results' object with a 'bindings' list")
    rows = []
    for number, row in enumerate(bindings, 1):
        if not isinstance(row, dict):
            raise _Malformed(f"row {number} is {_kind(row)}, not an object")
        undeclared = sorted(set(row) - set(names))
        if undeclared:
            raise _Malformed(f"row {number} binds ?{undeclared[0]}, which 'head' does not declare")
        rows.append({str(name): _term(term, number, name) for name, term in row.items()})
    return {"head": {"vars": list(names)}, "results": {"bindings": rows}}


def _term(term: object, row: int, name: object) -> dict[str, str]:
    where = f"row {row}, ?{name}"
    if not isinstance(term, dict):
        raise _Malformed(f"{where} is {_kind(term)}, not an RDF term object")
    kind, value = term.get("type"), term.get("value")
    if not isinstance(value, str):
        raise _Malformed(f"{where} has no string 'value'")
    if kind == "uri":
        if _IRI_FORBIDDEN.search(value) or not _IRI_SCHEME.match(value):
            raise _Malformed(f"{where} is a 'uri' that is not an IRI: {value[:80]!r}")
        return {"type": kind, "value": value}
    if kind == "bnode":
        if not _BNODE.match(value):
            raise _Malformed(f"{where} is a blank node with a malformed label {value[:80]!r}")
        return {"type": kind, "value": value}
    if kind not in ("literal", "typed-literal"):
        raise _Malformed(f"{where} has type {kind!r}, not uri, literal or bnode")
    out = {"type": "literal", "value": value}
    lang, datatype = term.get("xml:lang"), term.get("datatype")
    if lang is not None:
        if not isinstance(lang, str) or not re.match(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$", lang):
            raise _Malformed(f"{where} has a malformed language tag {lang!r}")
        out["xml:lang"] = lang
    elif datatype is not None:
        if not isinstance(datatype, str) or _IRI_FORBIDDEN.search(datatype) or not _IRI_SCHEME.match(datatype):
            raise _Malformed(f"{where} has a malformed datatype {datatype!r}")
        out["datatype"] = datatype
    return out
