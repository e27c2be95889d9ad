"""The named query library (``queries/*.rq``): headers, typed parameters, and running them anywhere.

Each ``.rq`` file opens with ``#+`` comment lines holding YAML (as in grlc): ``summary``,
``description``, ``params`` (name → type, required, default, description) and ``example``.
Parameter values are parsed into RDF terms first (a name such as ``PIPL`` or ``个人信息保护法``
resolves to its entity's IRI through the backbone's names and aliases; an unknown name is an
error listing the closest matches), then bound in a ``VALUES`` block at the head of the query's
``WHERE`` clause. That is SPARQL 1.1's own binding form, so the same bound query runs on the
embedded store and on any endpoint, and no user text is ever spliced into a query; an optional
parameter left out is bound to ``UNDEF``.

A query whose header declares ``pagination: N`` (grlc's decorator) also takes ``page``: page
``k`` is ``LIMIT N OFFSET (k-1)*N``, placed where a line of the query reads ``# page`` (in the
subquery that picks and orders the rows, so the outer query labels only one page's rows), or at
its end. Left out, the query returns every row.

Example:
    >>> query = load_query("cases-citing-law")
    >>> sorted(query.params)
    ['article', 'law']

"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import re
import urllib.error
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.namespaces import DEFAULT_BASE_IRI, PREFIXES, instance_prefixes
from kg.newsletter.link import Linker, kind_of
from kg.resources import resource_dir

#: Parameter types: entity kinds resolve names through the backbone; the rest are literals or IRIs.
ENTITY_TYPES = {
    "law": ("law",),
    "instrument": ("law", "instrument"),
    "authority": ("authority",),
    "court": ("court",),
    "jurisdiction": ("jurisdiction",),
    "any": ("law", "instrument", "authority", "court", "jurisdiction"),
}
LITERAL_TYPES = {"string": None, "integer": XSD.integer, "decimal": XSD.decimal, "date": XSD.date}
PARAM_TYPES = (*ENTITY_TYPES, *LITERAL_TYPES, "iri")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str
    required: bool = False
    default: Any = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library: its header and its SPARQL text."""

    name: str
    path: Path
    summary: str
    description: str
    example: str
    params: dict[str, Param] = field(default_factory=dict)
    sparql: str = ""
    pagination: int | None = None

    def describe(self) -> str:
        """A few lines for ``kg query NAME --describe``."""
        lines = [f"{self.name}: {self.summary}", "", self.description.strip(), ""]
        if self.params:
            lines.append("parameters:")
            for p in self.params.values():
                need = (
                    "required"
                    if p.required
                    else f"optional, default {p.default!r}"
                    if p.default is not None
                    else "optional"
                )
                lines.append(f"  {p.name} ({p.type}, {need}): {p.description}")
        if self.pagination:
            lines.append(
                f"  page (integer, optional): the page of {self.pagination} rows to return; all rows without it"
            )
        if not self.params and not self.pagination:
            lines.append("parameters: none")
        lines += ["", f"example: {self.example}"]
        return "\n".join(lines) + "\n"


def _header(path: Path, text: str) -> dict[str, Any]:
    lines = [line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+")]
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: the '#+' header is not valid YAML: {exc}") from exc
    for key in ("summary", "description", "example"):
        if not header.get(key):
            raise QueryError(f"{path}: the '#+' header has no {key!r}")
    return header


def _parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header = _header(path, text)
    params = {}
    for name, spec in (header.get("params") or {}).items():
        spec = spec or {}
        kind = spec.get("type", "string")
        if kind not in PARAM_TYPES:
            raise QueryError(
                f"{path}: parameter {name!r} has unknown type {kind!r}; expected one of {', '.join(PARAM_TYPES)}"
            )
        if not re.search(rf"\?{re.escape(name)}\b", text):
            raise QueryError(f"{path}: parameter {name!r} is not used in the query")
        params[name] = Param(
            name, kind, bool(spec.get("required")), spec.get("default"), str(spec.get("description", ""))
        )
    sparql = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
    pagination = header.get("pagination")
    if pagination is not None and (not isinstance(pagination, int) or pagination < 1 or "page" in params):
        raise QueryError(f"{path}: 'pagination' must be a positive number of rows (and 'page' no declared parameter)")
    return NamedQuery(
        path.stem,
        path,
        str(header["summary"]),
        str(header["description"]),
        str(header["example"]),
        params,
        sparql,
        pagination,
    )


@lru_cache(maxsize=1)
def library() -> dict[str, NamedQuery]:
    """Every named query in ``queries/``, by name."""
    return {path.stem: _parse_query_file(path) for path in sorted(resource_dir("queries").glob("*.rq"))}


def load_query(name: str) -> NamedQuery:
    """The named query ``name``; an unknown name is an error listing the closest names."""
    queries = library()
    if name not in queries:
        close = difflib.get_close_matches(name, queries, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `kg query --list` lists them"
        raise QueryError(f"no named query {name!r}{hint}")
    return queries[name]


def _expand_iri(value: str) -> URIRef:
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if re.match(r"^[a-z][a-z0-9-]*:[^/]", value):
        prefix, _, local = value.partition(":")
        namespaces = {**PREFIXES, **instance_prefixes(DEFAULT_BASE_IRI)}
        if prefix in namespaces:
            return URIRef(namespaces[prefix] + local)
    if re.match(r"^https?://", value):
        return URIRef(value)
    raise QueryError(
        f"{value!r} is not an IRI (write <http://…>, http://… or a prefixed name such as dlk:SectorFinance)"
    )


def _resolve_entity(param: Param, value: str, linker: Linker | None) -> URIRef:
    prefix = value.partition(":")[0]
    if re.match(r"^(<|https?://)", value) or (prefix in instance_prefixes(DEFAULT_BASE_IRI) and ":" in value):
        return _expand_iri(value)
    if linker is None:
        raise QueryError(f"parameter {param.name!r}: cannot resolve the name {value!r} without the reference backbone")
    kinds = ENTITY_TYPES[param.type]
    entity = linker.resolve(value, kinds, fuzzy=False)
    if entity is None:
        names = sorted({name for e in linker.entities.values() if kind_of(e) in kinds for name in e.labels()})
        close = difflib.get_close_matches(value, names, n=5, cutoff=0.5)
        hint = f"; closest: {', '.join(repr(c) for c in close)}" if close else ""
        what = "entity" if param.type == "any" else param.type
        raise QueryError(f"parameter {param.name!r}: no {what} named {value!r}{hint}")
    from kg.mapping import IriIndex

    return IriIndex(DEFAULT_BASE_IRI, linker.backbone)[entity.id]


def parse_value(param: Param, value: str, linker: Linker | None) -> URIRef | Literal:
    """The RDF term for one parameter value, checked against its declared type."""
    if param.type in ENTITY_TYPES:
        return _resolve_entity(param, value, linker)
    if param.type == "iri":
        return _expand_iri(value)
    datatype = LITERAL_TYPES[param.type]
    try:
        if param.type == "integer":
            return Literal(int(value), datatype=XSD.integer)
        if param.type == "decimal":
            return Literal(value, datatype=datatype)
        if param.type == "date":
            return Literal(dt.date.fromisoformat(value), datatype=XSD.date)
    except ValueError as exc:
        raise QueryError(f"parameter {param.name!r}: {value!r} is not a valid {param.type}") from exc
    return Literal(value)


def bind(query: NamedQuery, values: dict[str, str], linker: Linker | None) -> str:
    """The query text with every parameter bound (given, defaulted or UNDEF) in a leading VALUES block.

    Raises :class:`QueryError` for an unknown parameter, a missing required one, or a value
    that does not parse as its type. ``page`` selects one page of a paginated query.
    """
    values = dict(values)
    page = values.pop("page", None)
    sparql = query.sparql if page is None else _paged(query, page)
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        known = ", ".join(sorted(query.params)) or "none"
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))} (its parameters: {known})"
        )
    query = replace(query, sparql=sparql)
    terms: dict[str, str] = {}
    for name, param in query.params.items():
        if name in values:
            terms[name] = parse_value(param, values[name], linker).n3()
        elif param.default is not None:
            terms[name] = parse_value(param, str(param.default), linker).n3()
        elif param.required:
            raise QueryError(f"query {query.name!r} needs parameter {name!r} ({param.type}): {param.description}")
        else:
            terms[name] = "UNDEF"
    if not terms:
        return query.sparql
    names = sorted(terms)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms[n] for n in names)}) }}"
    where = re.search(r"\bWHERE\s*\{", query.sparql, re.IGNORECASE)
    if where is None:
        raise QueryError(f"{query.path}: no WHERE clause to bind parameters in")
    return query.sparql[: where.end()] + f"\n  {block}\n" + query.sparql[where.end() :]


#: The line that marks where a page's LIMIT and OFFSET go: ``# page`` alone on its line.
_PAGE_MARK = re.compile(r"(?m)^[ \t]*#[ \t]*page[ \t]*$")


def _paged(query: NamedQuery, page: str) -> str:
    """The query text limited to one page of ``query.pagination`` rows."""
    if query.pagination is None:
        raise QueryError(f"query {query.name!r} is not paginated: it has no parameter 'page'")
    try:
        number = int(page)
    except ValueError:
        number = 0
    if number < 1:
        raise QueryError(f"parameter 'page': {page!r} is not a page number (1, 2, …)")
    clause = f"LIMIT {query.pagination} OFFSET {(number - 1) * query.pagination}"
    marked = _PAGE_MARK.search(query.sparql)
    if marked is None:
        return f"{query.sparql.rstrip()}\n{clause}\n"
    return query.sparql[: marked.start()] + clause + query.sparql[marked.end() :]


def with_prefixes(sparql: str) -> str:
    """The query with a PREFIX line for every project prefix it uses but does not declare (for endpoints)."""
    declared = {m.group(1) for m in re.finditer(r"(?im)^\s*PREFIX\s+([\w-]*):", sparql)}
    namespaces = {**PREFIXES, **instance_prefixes(DEFAULT_BASE_IRI)}
    # Look for prefixed names outside IRIs and string literals only.
    code = re.sub(r'"(?:[^"\\]|\\.)*"', " ", re.sub(r"<[^<>\s]*>", " ", sparql))
    used = {p for p in namespaces if re.search(rf"(?<![\w-]){re.escape(p)}:", code)} - declared
    return "".join(f"PREFIX {p}: <{namespaces[p]}>\n" for p in sorted(used)) + sparql


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 endpoint: URL, optional basic-auth credentials, timeout in seconds."""

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0


def run_remote(endpoint: Endpoint, sparql: str) -> dict[str, Any]:
    """Run a SELECT or ASK query on ``endpoint`` through SPARQLWrapper; SPARQL JSON results come back."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, QueryBadFormed, SPARQLWrapperException, Unauthorized

    client = SPARQLWrapper(endpoint.url)
    client.setQuery(with_prefixes(sparql))
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(1, endpoint.timeout)))
    if endpoint.user is not None:
        client.setCredentials(endpoint.user, endpoint.password or "")
    try:
        result = client.query().convert()
    except urllib.error.HTTPError as exc:
        reason = "refused the credentials" if exc.code in (401, 403) else f"answered HTTP {exc.code} {exc.reason}"
        raise QueryError(f"endpoint {endpoint.url} {reason}") from exc
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        reason = str(exc.reason if isinstance(exc, urllib.error.URLError) else exc)
        raise QueryError(
            f"endpoint {endpoint.url} is unreachable or did not answer in {endpoint.timeout:g} s: {reason}"
        ) from exc
    except Unauthorized as exc:
        raise QueryError(f"endpoint {endpoint.url} refused the credentials (HTTP 401)") from exc
    except EndPointNotFound as exc:
        raise QueryError(f"endpoint {endpoint.url} was not found (HTTP 404): is this the SPARQL query URL?") from exc
    except QueryBadFormed as exc:
        raise QueryError(f"endpoint {endpoint.url} rejected the query as malformed (HTTP 400): {exc}") from exc
    except SPARQLWrapperException as exc:
        raise QueryError(f"endpoint {endpoint.url} failed: {exc}") from exc
    if not isinstance(result, dict):
        raise QueryError(f"endpoint {endpoint.url} did not answer with SPARQL JSON results")
    return _sparql11_json(result)


def _sparql11_json(results: dict[str, Any]) -> dict[str, Any]:
    """SPARQL JSON results with pre-Recommendation ``"typed-literal"`` terms written as SPARQL 1.1 ``"literal"``.

    Virtuoso 7 still writes a typed literal as ``{"type": "typed-literal", "datatype": …}``, the
    2007 draft's form; SPARQL 1.1 has one ``"literal"`` type whose ``datatype`` key says the rest.

    Example:
        >>> _sparql11_json({"head": {"vars": ["n"]}, "results": {"bindings": [
        ...     {"n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "3"}}]}})
        {'head': {'vars': ['n']}, 'results': {'bindings': [{'n': {'type': 'literal', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer', 'value': '3'}}]}}

    """
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
    return results


def basic_auth_header(user: str, password: str) -> str:
    """The value of an HTTP basic ``Authorization`` header."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
