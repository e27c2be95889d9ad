"""Run SPARQL on the store and present the answers.

Answers travel as SPARQL 1.1 JSON results (a ``dict``), the form every SPARQL
endpoint returns too, so the formatters here serve local and remote queries alike.

Example:
    >>> results = {"head": {"vars": ["law"]},
    ...            "results": {"bindings": [{"law": {"type": "literal", "value": "个人信息保护法", "xml:lang": "zh"}}]}}
    >>> print(format_results(results, "csv"), end="")
    law
    个人信息保护法

"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError
from kg.namespaces import PREFIXES, instance_prefixes
from kg.store import open_store

FORMATS = ("table", "csv", "tsv", "json")
Results = dict[str, Any]


def read_query(text_or_path: str) -> str:
    """The query text: the argument itself, or the contents of the ``.rq`` file it names."""
    if text_or_path.endswith((".rq", ".sparql")) and "\n" not in text_or_path:
        path = Path(text_or_path)
        if not path.is_file():
            raise QueryError(f"query file not found: {path}")
        return path.read_text(encoding="utf-8")
    return text_or_path


def run_local(
    store_path: Path, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None
) -> Results | str:
    """Run ``sparql`` on the embedded store; ``bindings`` are substituted, never spliced into the text.

    SELECT and ASK give SPARQL JSON results; CONSTRUCT and DESCRIBE give N-Triples text.
    The default graph is the union of all named graphs.
    """
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): value for name, value in (bindings or {}).items()
    }
    prefixes = {**PREFIXES, **instance_prefixes()}
    with open_store(store_path) as store:
        try:
            answer = store.query(
                sparql, use_default_graph_as_union=True, prefixes=prefixes, substitutions=substitutions
            )
        except SyntaxError as exc:
            raise QueryError(f"the query does not parse: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"the query failed: {exc}") from exc
        if isinstance(answer, ox.QueryBoolean):
            return {"head": {}, "boolean": bool(answer)}
        if isinstance(answer, ox.QueryTriples):
            return bytes(answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        return dict(json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON) or b"{}"))


class Session:
    """A store opened once for many queries: on disk (read-only), or copied into memory.

    The on-disk store answers scan-heavy queries several times slower than memory (PERFORMANCE.md,
    trap 5); a long-running process (an API, a notebook) that queries a lot can pay the load
    once with ``in_memory=True`` and then run at memory speed.

    Example:
        >>> from kg.build import build
        >>> import tempfile, pathlib
        >>> report = build(out_dir=pathlib.Path(tempfile.mkdtemp()))
        >>> with Session(report.store_path, in_memory=True) as kg:
        ...     kg.select("SELECT ?zh WHERE { law:pipl skos:prefLabel ?zh FILTER(lang(?zh) = 'zh') }")[0]["zh"]
        '个人信息保护法'

    """

    def __init__(self, store_path: Path, in_memory: bool = False) -> None:
        self._disk = open_store(store_path)
        store = self._disk.__enter__()
        if in_memory:
            self.store = ox.Store()
            self.store.bulk_extend(store.quads_for_pattern(None, None, None, None))
            self._disk.__exit__(None, None, None)
        else:
            self.store = store
        self._prefixes = {**PREFIXES, **instance_prefixes()}

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store."""
        self._disk.__exit__(None, None, None)

    def select(self, sparql: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps variable names to term values (strings)."""
        try:
            answer = self.store.query(sparql, use_default_graph_as_union=True, prefixes=self._prefixes)
        except SyntaxError as exc:
            raise QueryError(f"the query does not parse: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"the query failed: {exc}") from exc
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError("Session.select takes a SELECT query (use run_local for ASK, CONSTRUCT and DESCRIBE)")
        names = [v.value for v in answer.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in answer]


def _short_iri(iri: str) -> str:
    namespaces = [(ns, prefix) for prefix, ns in {**PREFIXES, **instance_prefixes()}.items() if iri.startswith(ns)]
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
    """Format SPARQL JSON results as an aligned ``table``, ``csv``, ``tsv`` or ``json``."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(results, ensure_ascii=False, indent=1) + "\n"
    if "boolean" in results:
        return ("true" if results["boolean"] else "false") + "\n"
    names = results["head"]["vars"]
    bindings = results["results"]["bindings"]
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        for row in bindings:
            writer.writerow([render_term(row.get(n), readable=False) for n in names])
        return out.getvalue()
    cells = [[render_term(row.get(n)) for n in names] for row in bindings]
    widths = [max([_width(n), *(_width(r[i]) for r in cells)]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    rows = [line(names), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    rows.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(rows) + "\n"
