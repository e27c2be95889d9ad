"""Run SPARQL on the store, and hand the answers on as text, files or DataFrames.

Answers travel as SPARQL 1.1 JSON results (a ``dict``), the form every SPARQL endpoint returns
too, so the formatters here serve local and remote queries alike. ``csv``, ``tsv`` and ``xml``
are written by Oxigraph's serialisers, to the letter of the SPARQL 1.1 result formats
(TSV with ``?`` headers and N-Triples terms), so Jena, rdflib and pandas read them back.

:class:`Graph` is the notebook's entry point: a store opened once, named queries or SPARQL text
in, pandas DataFrames with typed columns out.

Example:
    >>> results = {"head": {"vars": ["law"]},
    ...            "results": {"bindings": [{"law": {"type": "literal", "value": "个人信息保护法", "xml:lang": "zh"}}]}}
    >>> print(format_results(results, "tsv"), end="")
    ?law
    "个人信息保护法"@zh

"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import KGError, QueryError
from kg.namespaces import all_prefixes
from kg.store import open_store

if TYPE_CHECKING:
    import pandas as pd

    from kg.newsletter.link import Linker
    from kg.queries import Bound

FORMATS = ("table", "csv", "tsv", "json", "xml")
Results = dict[str, Any]
#: A named query's name, as opposed to SPARQL text or a file: lower-case words joined by '-'.
QUERY_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


def read_query(text_or_path: str) -> str:
    """The query text: the argument itself, or the contents of the ``.rq`` file it names."""
    if text_or_path.endswith((".rq", ".sparql")) and "\n" not in text_or_path:
        path = Path(text_or_path)
        if not path.is_file():
            raise QueryError(f"query file not found: {path}")
        return path.read_text(encoding="utf-8")
    return text_or_path


def _answer(store: ox.Store, sparql: str, substitutions: dict[str, Any] | None = None) -> Results | str:
    """Run ``sparql`` on an open store: SPARQL JSON results, or N-Triples text for CONSTRUCT and DESCRIBE."""
    try:
        answer = store.query(
            sparql,
            use_default_graph_as_union=True,
            prefixes=all_prefixes(),
            substitutions={ox.Variable(name): term for name, term in (substitutions or {}).items()},
        )
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"the query failed: {exc}") from exc
    if isinstance(answer, ox.QueryBoolean):
        return {"head": {}, "boolean": bool(answer)}
    if isinstance(answer, ox.QueryTriples):
        return bytes(answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    return dict(json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON) or b"{}"))


def drop_variables(results: Results | str, names: frozenset[str] | set[str]) -> Results | str:
    """The results without the columns ``names`` (a named query's parameter variables)."""
    if isinstance(results, str) or "boolean" in results or not names:
        return results
    kept = [n for n in results["head"]["vars"] if n not in names]
    rows = [{n: term for n, term in row.items() if n not in names} for row in results["results"]["bindings"]]
    return {"head": {**results["head"], "vars": kept}, "results": {"bindings": rows}}


def run_local(
    store_path: Path | str, sparql: str, bindings: dict[str, Any] | None = None, hidden: frozenset[str] = frozenset()
) -> Results | str:
    """Run ``sparql`` on the embedded store; ``bindings`` (variable → pyoxigraph term) are substituted by the engine.

    SELECT and ASK give SPARQL JSON results (without the ``hidden`` columns); CONSTRUCT and
    DESCRIBE give N-Triples text. The default graph is the union of all named graphs, and the
    project's prefixes (:func:`kg.namespaces.all_prefixes`) are declared.
    """
    with open_store(Path(store_path)) as store:
        return drop_variables(_answer(store, sparql, bindings), hidden)


def run_bound(bound: Bound, store_path: Path | str) -> Results | str:
    """Run a named query with its values bound through pyoxigraph's substitutions."""
    return run_local(store_path, bound.sparql, bound.substitutions(), bound.hidden)


class Session:
    """A store opened once for many queries: on disk (read-only), or copied into memory.

    The on-disk store answers scan-heavy queries several times slower than memory (PERFORMANCE.md,
    trap 5); a long-running process (an API, a notebook) that queries a lot can pay the load
    once with ``in_memory=True`` and then run at memory speed. ``store_path`` may be a ``str``.

    Example:
        >>> from kg.build import build
        >>> import tempfile, pathlib
        >>> report = build(out_dir=pathlib.Path(tempfile.mkdtemp()))
        >>> with Session(str(report.store_path), in_memory=True) as kg:
        ...     kg.select("SELECT ?zh WHERE { law:pipl skos:prefLabel ?zh FILTER(lang(?zh) = 'zh') }")[0]["zh"]
        '个人信息保护法'

    """

    def __init__(self, store_path: Path | str, in_memory: bool = False) -> None:
        self._disk = open_store(Path(store_path))
        store = self._disk.__enter__()
        if in_memory:
            self.store = ox.Store()
            self.store.bulk_extend(store.quads_for_pattern(None, None, None, None))
            self._disk.__exit__(None, None, None)
        else:
            self.store = store

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store."""
        self._disk.__exit__(None, None, None)

    def results(self, sparql: str, substitutions: dict[str, Any] | None = None) -> Results | str:
        """SPARQL JSON results (or N-Triples text for a graph) of ``sparql``, values bound by the engine."""
        return _answer(self.store, sparql, substitutions)

    def select(self, sparql: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps variable names to term values as strings (see :meth:`Graph.df` for types)."""
        try:
            solutions = self.store.query(sparql, use_default_graph_as_union=True, prefixes=all_prefixes())
            if not isinstance(solutions, ox.QuerySolutions):
                raise QueryError("select() runs SELECT queries only")
            # Cells read by position, straight from the engine's terms: by name, pyoxigraph tries an
            # integer index first and raises for every cell, and a detour through SPARQL JSON costs
            # a serialisation and a parse (together 15-25% of a long answer's time at 1M).
            names = [variable.value for variable in solutions.variables]
            rows: list[dict[str, str]] = []
            for solution in solutions:
                row = {}
                for i, name in enumerate(names):
                    term = solution[i]
                    if term is not None:
                        if isinstance(term, ox.Triple):  # a triple term: its value is what SPARQL JSON gives
                            return self._select_via_json(sparql)
                        row[name] = term.value
                rows.append(row)
        except SyntaxError as exc:
            raise QueryError(f"the query does not parse: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"the query failed: {exc}") from exc
        return rows

    def _select_via_json(self, sparql: str) -> list[dict[str, str]]:
        answer = self.results(sparql)
        if isinstance(answer, str) or "boolean" in answer:
            raise QueryError("select() runs SELECT queries only")
        names = answer["head"]["vars"]
        return [{n: row[n]["value"] for n in names if n in row} for row in answer["results"]["bindings"]]


def _store_of(path: Path) -> Path:
    """The store inside a build folder, or the store itself."""
    return path / "store" if (path / "store").is_symlink() else path


class Graph(Session):
    """The built graph, for notebooks: named queries or SPARQL in, DataFrames with typed columns out.

    ``path`` is a build folder (``build``) or the store itself (``build/store``), as a ``str``
    or a ``Path``. Named query parameters are keyword arguments, resolved as ``kg query`` does
    (``law="PIPL"``, ``page=1``); values are bound by the engine, never spliced.

    Example:
        >>> from kg.build import build
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> _ = build(out_dir=Path(folder))
        >>> with Graph(folder) as kg:
        ...     fines = kg.df("fines-by-authority-year")
        >>> str(fines["total_cny"].dtype), int(fines["total_cny"].sum()) > 0
        ('float64', True)

    """

    def __init__(self, path: Path | str = "build", in_memory: bool = False, data: Path | None = None) -> None:
        super().__init__(_store_of(Path(path)), in_memory=in_memory)
        self._data = data
        self._linker: Linker | None = None

    def _bound(self, name: str, params: dict[str, object]) -> Bound:
        from kg.queries import load_query, prepare

        if self._linker is None:
            from kg.ingest import load_backbone
            from kg.newsletter.link import Linker

            self._linker = Linker(load_backbone(self._data))
        return prepare(load_query(name), {k: str(v) for k, v in params.items()}, self._linker)

    def query(self, name_or_sparql: str, **params: object) -> Results | str:
        """SPARQL JSON results of a named query (with ``params``) or of SPARQL text."""
        if QUERY_NAME.fullmatch(name_or_sparql):
            bound = self._bound(name_or_sparql, params)
            return drop_variables(self.results(bound.sparql, bound.substitutions()), bound.hidden)
        if params:
            raise QueryError("parameters go with a named query (kg query --list names them)")
        return self.results(name_or_sparql)

    def df(self, name_or_sparql: str, **params: object) -> pd.DataFrame:
        """A SELECT's answer as a pandas DataFrame with typed columns (see :func:`to_dataframe`)."""
        answer = self.query(name_or_sparql, **params)
        if isinstance(answer, str) or "boolean" in answer:
            raise QueryError("df() takes a SELECT query")
        return to_dataframe(answer)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def to_dataframe(results: Results) -> pd.DataFrame:
    """SPARQL JSON results as a DataFrame: one column per variable, typed by the literals' datatypes.

    Integers become ``Int64`` (nullable), decimals and doubles ``float64``, ``xsd:date`` and
    ``xsd:dateTime`` ``datetime64``, booleans ``boolean``; IRIs, blank nodes and other literals
    stay strings. A column holding language-tagged literals gets a ``<name>_lang`` column beside
    it. A column mixing kinds stays strings. Needs pandas (``pip install 'datalaw-kg[notebook]'``).
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise KGError("DataFrames need pandas: pip install 'datalaw-kg[notebook]'") from exc
    rows = results["results"]["bindings"]
    columns: dict[str, Any] = {}
    for name in results["head"]["vars"]:
        terms = [row.get(name) for row in rows]
        columns[name] = _column(pd, terms)
        languages = [term.get("xml:lang") if term else None for term in terms]
        if any(languages):
            columns[f"{name}_lang"] = pd.Series(languages, dtype="string")
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def _column(pd: Any, terms: list[dict[str, str] | None]) -> Any:
    present = [t for t in terms if t is not None]
    values = [t["value"] if t is not None else None for t in terms]
    kinds = {t.get("datatype") if t["type"] == "literal" and "xml:lang" not in t else t["type"] for t in present}
    if present and kinds <= _INTEGERS:
        return pd.array([int(v) if v is not None else None for v in values], dtype="Int64")
    if present and kinds <= _INTEGERS | _FLOATS:
        return pd.Series([float(v) if v is not None else None for v in values], dtype="float64")
    if present and kinds <= {_XSD + "date", _XSD + "dateTime"}:
        return pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce")
    if present and kinds == {_XSD + "boolean"}:
        return pd.array([v == "true" if v is not None else None for v in values], dtype="boolean")
    return pd.Series(values, dtype="string")


def _short_iri(iri: str) -> str:
    namespaces = [(ns, prefix) for prefix, ns in all_prefixes().items() if iri.startswith(ns)]
    if not namespaces:
        return f"<{iri}>"
    namespace, prefix = max(namespaces, key=lambda pair: len(pair[0]))
    return f"{prefix}:{iri[len(namespace) :]}"


def render_term(term: dict[str, str] | None, *, readable: bool = True) -> str:
    """One SPARQL JSON term as text: prefixed IRIs and bare literal values when ``readable``."""
    if term is None:
        return ""
    value = term["value"]
    if term["type"] == "uri":
        return _short_iri(value) if readable else value
    if term["type"] == "bnode":
        return f"_:{value}"
    return value


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_results(results: Results, fmt: str = "table") -> str:
    """Format SPARQL JSON results as an aligned ``table``, or as SPARQL 1.1 ``csv``, ``tsv``, ``json`` or ``xml``."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(results, ensure_ascii=False, indent=1) + "\n"
    if fmt in _RESULT_FORMATS:
        try:
            parsed = ox.parse_query_results(json.dumps(results).encode("utf-8"), format=ox.QueryResultsFormat.JSON)
            text = bytes(parsed.serialize(format=_RESULT_FORMATS[fmt]) or b"").decode("utf-8")
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"the results cannot be written as SPARQL {fmt.upper()}: {exc}") from None
        return text if text.endswith("\n") else text + "\n"
    if "boolean" in results:
        return ("true" if results["boolean"] else "false") + "\n"
    names = results["head"]["vars"]
    bindings = results["results"]["bindings"]
    cells = [[render_term(row.get(n)) for n in names] for row in bindings]
    widths = [max([_width(n), *(_width(r[i]) for r in cells)]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    rows = [line(names), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    rows.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(rows) + "\n"
