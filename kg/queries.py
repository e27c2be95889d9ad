"""The named query library (``queries/*.rq``): headers, typed parameters, binding them safely.

Each ``.rq`` file stands alone: it declares its ``PREFIX``es and parses with any SPARQL 1.1
parser. It opens with ``#+`` comment lines holding YAML (grlc's decorators): ``summary``,
``description``, ``params`` (name → type, required, default, description), ``example`` and,
optionally, ``pagination``. ``queries/README.md`` is the guide for writing one.

Parameters follow grlc's (and BASIL's) variable convention, so grlc can serve ``queries/`` as a
Web API unchanged: ``?_law_iri`` is the required parameter ``law``, bound to an IRI;
``?__year_integer`` the optional parameter ``year``, an ``xsd:integer``; ``?_text`` a plain
string; ``_date`` and ``_decimal`` likewise. A parameter's name has no underscore (grlc reads
the part after the next ``_`` as its type). Every parameter variable is also projected by the
outermost ``SELECT`` (and by any subquery that uses it), written ``$_law_iri`` there: pyoxigraph
substitutes only projected variables, while grlc, which rewrites ``?_law_iri`` as text, leaves
``$_law_iri`` alone. An optional parameter is tested with ``COALESCE(?__year_integer, ?y) = ?y``,
never ``BOUND(…)`` (a bound value is a constant once substituted).

Values are parsed into RDF terms first (a name such as ``PIPL`` or ``个人信息保护法`` resolves
to its entity's IRI through the backbone's names and aliases; an unknown name is an error
listing the closest matches). The embedded store then binds them through pyoxigraph's
``substitutions`` (:meth:`Bound.substitutions`); for a remote endpoint, each parameter variable
is replaced by its term written by one strict serialiser (:func:`sparql_term`). Either way no
user text becomes SPARQL syntax. The parameter columns are dropped from the answers.

A query whose header declares ``pagination: N`` (grlc's decorator) also takes ``page``: page
``k`` is ``LIMIT N OFFSET (k-1)*N``, placed where a line of the query reads ``# page`` (in the
subquery that picks and orders the rows, so the outer query labels only one page's rows), or at
its end. Left out, the query returns every row. A line ending in ``# page: TEXT`` reads ``TEXT``
in a page (:func:`_page_forms`): the same rows joined the way that is cheaper for a few of them.

Example:
    >>> query = load_query("cases-citing-law")
    >>> sorted(query.params), query.params["law"].variable
    (['article', 'law'], '_law_iri')

"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.namespaces import DEFAULT_BASE_IRI, PREFIXES, instance_prefixes, with_prefixes
from kg.newsletter.link import Linker, kind_of
from kg.remote import Endpoint, basic_auth_header, run_remote
from kg.resources import resource_dir

__all__ = [
    "Bound",
    "Endpoint",
    "NamedQuery",
    "Param",
    "basic_auth_header",
    "bind",
    "library",
    "load_query",
    "parse_value",
    "prepare",
    "run_remote",
    "sparql_term",
    "with_prefixes",
]

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


def grlc_variable(name: str, kind: str, required: bool) -> str:
    """The variable (without ``?``) that stands for a parameter in grlc's convention.

    Example:
        >>> grlc_variable("law", "law", True), grlc_variable("year", "integer", False), grlc_variable("text", "string", True)
        ('_law_iri', '__year_integer', '_text')

    """
    suffix = "iri" if kind in ENTITY_TYPES or kind == "iri" else None if kind == "string" else kind
    return ("_" if required else "__") + name + (f"_{suffix}" if suffix else "")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query; ``variable`` is its name in the query (``_law_iri``)."""

    name: str
    type: str
    required: bool = False
    default: Any = None
    description: str = ""
    variable: str = ""


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
                lines.append(f"  {p.name} ({p.type}, {need}; ?{p.variable}): {p.description}")
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
    if not isinstance(header, dict):
        raise QueryError(f"{path}: the '#+' header is not a YAML mapping")
    for key in ("summary", "description", "example"):
        if not header.get(key):
            raise QueryError(f"{path}: the '#+' header has no {key!r}")
    return header


#: The lexical pieces of SPARQL text that may hold '?', '$' or '#' without being a variable or a
#: comment: IRIs and string literals (long forms first); then comments and variables.
_TOKENS = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r'''|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r"""|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<variable>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)""",
    re.DOTALL,
)


def variables(sparql: str) -> Iterator[re.Match[str]]:
    """Every variable token of ``sparql`` (``?x`` or ``$x``), outside IRIs, strings and comments.

    Example:
        >>> [m.group() for m in variables('SELECT $_a ?b WHERE { ?b <urn:x?y> "?c" } # ?d')]
        ['$_a', '?b', '?b']

    """
    for match in _TOKENS.finditer(sparql):
        if match.lastgroup == "variable":
            yield match


def _params(path: Path, header: dict[str, Any], sparql: str) -> dict[str, Param]:
    """The declared parameters, checked against the parameter variables the query uses."""
    declared = header.get("params") or {}
    if not isinstance(declared, dict):
        raise QueryError(f"{path}: 'params' must map parameter names to their specs")
    used: dict[str, set[str]] = {}
    for match in variables(sparql):
        name = match.group()[1:]
        if name.startswith("_"):
            used.setdefault(name, set()).add(match.group()[0])
    params: dict[str, Param] = {}
    for name, spec in declared.items():
        spec = spec or {}
        kind = spec.get("type", "string")
        if kind not in PARAM_TYPES:
            raise QueryError(
                f"{path}: parameter {name!r} has unknown type {kind!r}; expected one of {', '.join(PARAM_TYPES)}"
            )
        if not re.fullmatch(r"[A-Za-z0-9]+", str(name)):
            raise QueryError(f"{path}: parameter {name!r}: letters and digits only (grlc reads '_' as a type)")
        required = bool(spec.get("required"))
        variable = grlc_variable(str(name), kind, required)
        if "?" not in used.get(variable, set()):
            raise QueryError(f"{path}: parameter {name!r} ({kind}) must appear as ?{variable} (grlc's convention)")
        if "$" not in used[variable]:
            raise QueryError(f"{path}: parameter {name!r}: project ${variable} in the outermost SELECT")
        params[str(name)] = Param(
            str(name), kind, required, spec.get("default"), str(spec.get("description", "")), variable
        )
    unknown = sorted(set(used) - {p.variable for p in params.values()})
    if unknown:
        raise QueryError(f"{path}: ?{unknown[0]} looks like a parameter (a leading '_') but the header declares none")
    return params


def load_query_file(path: Path) -> NamedQuery:
    """A named query read from a ``.rq`` file with a ``#+`` header (its name is the file's stem)."""
    text = path.read_text(encoding="utf-8")
    header = _header(path, text)
    sparql = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
    params = _params(path, header, sparql)
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
    return {path.stem: load_query_file(path) for path in sorted(resource_dir("queries").glob("*.rq"))}


def load_query(name: str) -> NamedQuery:
    """The named query ``name``; an unknown name is an error listing the closest names."""
    queries = library()
    if name not in queries:
        close = difflib.get_close_matches(name, queries, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `kg query --list` lists them"
        raise QueryError(f"no named query {name!r}{hint}")
    return queries[name]


# Terms ---------------------------------------------------------------------------

#: Characters SPARQL's IRIREF (and N-Triples) forbid in an IRI.
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: SPARQL's ECHAR escapes, for every character a quoted string may not hold as itself.
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
#: A 'u' or 'U' right after a backslash of the value.
_U_AFTER_BACKSLASH = re.compile(r"(?<=\\\\)([uU])")


def _escape(lexical: str) -> str:
    r"""A literal's characters as a SPARQL string body: ECHAR escapes, and no ``\u`` left in it.

    Some parsers (rdflib, by the letter of SPARQL 1.1 section 19.2) expand ``\uXXXX`` anywhere in
    the text before parsing, others (Oxigraph, Jena) only inside strings; an escaped backslash
    followed by ``u0022`` would then read as a quote to the first kind. So a 'u' after a
    backslash is written as its own eight-digit code point escape (rdflib reads up to eight hex
    digits after a ``\u``), which both kinds read as 'u'.

    Example:
        >>> print(_escape('C:\\users "x"'))
        C:\\\U00000075sers \"x\"

    """
    return _U_AFTER_BACKSLASH.sub(
        lambda m: "\\U00000075" if m.group(1) == "u" else "\\U00000055", lexical.translate(_ESCAPES)
    )


def _unicode(text: str, what: str) -> str:
    """``text`` when it is valid Unicode (argv may carry undecodable bytes as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(f"{what}: {text!r} is not valid UTF-8 text") from None
    return text


def check_iri(iri: str, what: str = "value") -> str:
    r"""``iri`` itself when it is an absolute IRI SPARQL can write, else a :class:`QueryError` naming ``what``.

    Example:
        >>> check_iri("http://x y", "parameter 'node'")
        Traceback (most recent call last):
        ...
        kg.errors.QueryError: parameter 'node': 'http://x y' is not an IRI: it has a space, a control character or one of <>"{}|^`\

    """
    _unicode(iri, what)
    if _IRI_FORBIDDEN.search(iri):
        raise QueryError(f'{what}: {iri!r} is not an IRI: it has a space, a control character or one of <>"{{}}|^`\\')
    if not _IRI_SCHEME.match(iri):
        raise QueryError(f"{what}: {iri!r} is not an absolute IRI (it has no scheme such as http:)")
    return iri


def sparql_term(term: URIRef | Literal) -> str:
    r"""The one way a value becomes SPARQL text: an IRI in ``<…>``, or a literal quoted with every escape.

    An IRI that SPARQL cannot write is refused, never repaired; in a literal, quotes, backslashes
    and line breaks are escaped, so the value ends at its own closing quote whatever it holds.

    Example:
        >>> print(sparql_term(Literal('say "hi" }\n')))
        "say \"hi\" }\n"
        >>> print(sparql_term(Literal("2022", datatype=XSD.integer)))
        "2022"^^<http://www.w3.org/2001/XMLSchema#integer>
        >>> print(sparql_term(URIRef("https://w3id.org/datalaw-kg/id/law/pipl")))
        <https://w3id.org/datalaw-kg/id/law/pipl>

    """
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term))}>"
    if not isinstance(term, Literal):
        raise QueryError(f"cannot write {term!r} as a SPARQL term")
    quoted = '"' + _escape(_unicode(str(term), "value")) + '"'
    if term.language:
        if not _LANGUAGE_TAG.match(term.language):
            raise QueryError(f"{term.language!r} is not a language tag")
        return f"{quoted}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{quoted}^^<{check_iri(str(term.datatype))}>"
    return quoted


def _expand_iri(value: str, what: str) -> URIRef:
    if value.startswith("<") and value.endswith(">"):
        return URIRef(check_iri(value[1:-1], what))
    if re.match(r"^[a-z][a-z0-9-]*:[^/]", value):
        prefix, _, local = value.partition(":")
        namespaces = {**PREFIXES, **instance_prefixes(DEFAULT_BASE_IRI)}
        if prefix in namespaces:
            return URIRef(check_iri(namespaces[prefix] + local, what))
    if re.match(r"^https?://", value):
        return URIRef(check_iri(value, what))
    raise QueryError(
        f"{what}: {value!r} is not an IRI (write <http://…>, http://… or a prefixed name such as dlk:SectorFinance)"
    )


def _resolve_entity(param: Param, value: str, linker: Linker | None) -> URIRef:
    what = f"parameter {param.name!r}"
    prefix = value.partition(":")[0]
    if re.match(r"^(<|https?://)", value) or (prefix in instance_prefixes(DEFAULT_BASE_IRI) and ":" in value):
        return _expand_iri(value, what)
    if linker is None:
        raise QueryError(f"{what}: cannot resolve the name {value!r} without the reference backbone")
    kinds = ENTITY_TYPES[param.type]
    entity = linker.resolve(value, kinds, fuzzy=False)
    if entity is None:
        names = sorted({name for e in linker.entities.values() if kind_of(e) in kinds for name in e.labels()})
        close = difflib.get_close_matches(value, names, n=5, cutoff=0.5)
        hint = f"; closest: {', '.join(repr(c) for c in close)}" if close else ""
        kind = "entity" if param.type == "any" else param.type
        raise QueryError(f"{what}: no {kind} named {value!r}{hint}")
    from kg.mapping import IriIndex

    return IriIndex(DEFAULT_BASE_IRI, linker.backbone)[entity.id]


def parse_value(param: Param, value: str, linker: Linker | None) -> URIRef | Literal:
    """The RDF term for one parameter value, checked against its declared type."""
    _unicode(value, f"parameter {param.name!r}")
    if param.type in ENTITY_TYPES:
        return _resolve_entity(param, value, linker)
    if param.type == "iri":
        return _expand_iri(value, f"parameter {param.name!r}")
    try:
        if param.type == "integer":
            return Literal(str(int(value.strip())), datatype=XSD.integer)
        if param.type == "decimal":
            number = Decimal(value.strip())
            if not number.is_finite():
                raise ValueError(value)
            return Literal(format(number, "f"), datatype=XSD.decimal)
        if param.type == "date":
            return Literal(dt.date.fromisoformat(value.strip()).isoformat(), datatype=XSD.date)
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(f"parameter {param.name!r}: {value!r} is not a valid {param.type}") from exc
    return Literal(_unicode(value, f"parameter {param.name!r}"))


# Binding ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """A named query with its parameter values as RDF terms, ready to run here or on an endpoint.

    ``sparql`` is the query text (cut to one page when asked), its parameters still variables;
    ``terms`` maps each given parameter's variable (``_law_iri``) to its term.
    """

    query: NamedQuery
    sparql: str
    terms: dict[str, URIRef | Literal]

    @property
    def hidden(self) -> frozenset[str]:
        """The parameter variables: projected for the engine's sake, dropped from the answers."""
        return frozenset(p.variable for p in self.query.params.values())

    def substitutions(self) -> dict[str, Any]:
        """The values as pyoxigraph terms, by variable name, for ``Store.query(substitutions=…)``."""
        import pyoxigraph as ox

        out: dict[str, Any] = {}
        for variable, term in self.terms.items():
            if isinstance(term, URIRef):
                out[variable] = ox.NamedNode(str(term))
            elif term.language:
                out[variable] = ox.Literal(str(term), language=term.language)
            else:
                out[variable] = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
        return out

    def text(self) -> str:
        """The query for an endpoint: each given parameter written in by :func:`sparql_term`.

        ``?_law_iri`` becomes the term; the ``$_law_iri`` projections are dropped (a constant
        cannot be projected); an optional parameter left out stays an unbound variable.
        """
        terms = {variable: sparql_term(term) for variable, term in self.terms.items()}
        hidden = self.hidden
        pieces: list[str] = []
        last = 0
        for match in variables(self.sparql):
            name = match.group()[1:]
            if name not in hidden:
                continue
            if match.group()[0] == "$":
                replacement = ""
            elif name in terms:
                replacement = terms[name]
            else:
                continue
            pieces += [self.sparql[last : match.start()], replacement]
            last = match.end()
        return "".join([*pieces, self.sparql[last:]])


def prepare(query: NamedQuery, values: dict[str, str], linker: Linker | None) -> Bound:
    """The query with every given parameter parsed into an RDF term.

    Raises :class:`QueryError` for an unknown parameter, a missing required one, or a value
    that does not parse as its type. ``page`` selects one page of a paginated query. A
    parameter left out is unbound: the query itself says what that means (its default).
    """
    values = dict(values)
    page = values.pop("page", None)
    sparql = query.sparql if page is None else _paged(query, str(page))
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        known = ", ".join(sorted(query.params)) or "none"
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))} (its parameters: {known})"
        )
    terms: dict[str, URIRef | Literal] = {}
    for name, param in query.params.items():
        if name in values:
            terms[param.variable] = parse_value(param, str(values[name]), linker)
        elif param.required:
            raise QueryError(f"query {query.name!r} needs parameter {name!r} ({param.type}): {param.description}")
    return Bound(replace(query, sparql=sparql), sparql, terms)


def bind(query: NamedQuery, values: dict[str, str], linker: Linker | None) -> str:
    """The query text with every given parameter written in as a term (:meth:`Bound.text`), for any engine."""
    return prepare(query, values, linker).text()


#: The line that marks where a page's LIMIT and OFFSET go: ``# page`` alone on its line.
_PAGE_MARK = re.compile(r"(?m)^[ \t]*#[ \t]*page[ \t]*$")
#: A comment that gives its line's form in a page: ``# page: TEXT``.
_PAGE_FORM = re.compile(r"#[ \t]*page: ?(.*\S)")


def _page_forms(sparql: str, end: int) -> str:
    """``sparql`` with each line that ends in ``# page: TEXT`` replaced by ``TEXT`` (indent kept).

    A line may say how it reads in a page: the same rows got another way. The engine cannot tell
    how many rows will reach a join, so a query for every row joins by scanning a property once
    (cheap per row), and its page, whose outer query sees 50 rows, by a lookup per row. A line
    that is only ``# page: TEXT`` is a line of the page alone. ``{end}`` in ``TEXT`` is the number
    of rows up to the page's end (a page can first find the last sort key it reaches).
    """
    pieces: list[str] = []
    last = 0
    for match in _TOKENS.finditer(sparql):
        form = _PAGE_FORM.fullmatch(match.group()) if match.lastgroup == "comment" else None
        if form is None:
            continue
        start = sparql.rfind("\n", 0, match.start()) + 1
        code = sparql[start : match.start()]
        text = form.group(1).rstrip().replace("{end}", str(end))
        pieces += [sparql[last:start], code[: len(code) - len(code.lstrip())], text]
        last = match.end()
    return "".join([*pieces, sparql[last:]])


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
    sparql = _page_forms(query.sparql, number * query.pagination)
    marked = _PAGE_MARK.search(sparql)
    if marked is None:
        return f"{sparql.rstrip()}\n{clause}\n"
    return sparql[: marked.start()] + clause + sparql[marked.end() :]
