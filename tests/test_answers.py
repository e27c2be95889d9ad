"""Every named query answers the same on a 100k-triple graph as the golden file says it did.

The graph is ``bench/synth.py``'s, seeded, built by ``kg build --data`` as a user builds it; the
golden file (``tests/fixtures/answers-100k.json.gz``) holds the rows the named queries gave on it
before the store and the queries were made faster (issue 15), so a speed-up that changes an
answer fails here. Rows are compared as multisets, each row's terms written as N-Triples terms;
ties of a query's ORDER BY may come in any order, so the order is not compared, except that a
page holds the same rows.

Rewrite the golden file only on purpose, when an answer is meant to change:

    python tests/test_answers.py --rewrite
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "answers-100k.json.gz"
TRIPLES = 100_000
SEED = 7
#: The issues synth.py wrote for 100k triples when the golden file was made: fixed, so that the
#: records stay the same when the mapping adds statements (dlk:actorName did).
ISSUES = 109

#: Each named query with the values it runs with here (several sets for some), and pages.
RUNS: list[tuple[str, dict[str, str]]] = [
    ("article-text", {"law": "PIPL"}),
    ("articles-cited-most", {}),
    ("authority-actions", {"authority": "CAC"}),
    ("authority-actions", {"authority": "MIIT"}),
    ("authority-instruments", {"authority": "CAC"}),
    ("awaiting-curation", {}),
    ("cases-citing-law", {"law": "PIPL"}),
    ("cases-citing-law", {"law": "PIPL", "page": "1"}),
    ("cases-citing-law", {"law": "PIPL", "page": "3"}),
    ("cases-citing-law", {"law": "DSL"}),
    ("cases-citing-law", {"law": "PIPL", "article": "38"}),
    ("co-issuing-authorities", {}),
    ("co-issuing-authorities", {"authority": "CAC"}),
    ("courts-and-cases", {}),
    ("drafts-awaiting-final", {}),
    ("fact-provenance", {"node": "PIPL"}),
    ("fact-provenance", {"node": "CAC"}),
    ("find-entity", {"text": "data"}),
    ("find-entity", {"text": "court"}),
    ("fines-by-authority-year", {}),
    ("fines-by-authority-year", {"authority": "CAC", "year": "2021"}),
    ("fines-by-sector", {}),
    ("in-force-on", {"date": "2022-01-01"}),
    ("instrument-lifecycle", {"instrument": "Cybersecurity Review Measures"}),
    ("instruments-timeline", {"since": "2021-01-01", "until": "2022-12-31"}),
    ("instruments-under-law", {"law": "PIPL"}),
    ("laws-cited-most", {}),
    ("local-rules-by-place", {"place": "Shanghai"}),
    ("penalties-by-type-year", {}),
    ("repeat-offenders", {}),
    ("repeat-offenders", {"mincases": "1"}),
    ("rules-implementing-article", {"law": "PIPL", "article": "38"}),
]


def run_key(name: str, params: dict[str, str]) -> str:
    """The golden file's key of one run: the query's name and its values."""
    return name + "".join(f" {key}={value}" for key, value in sorted(params.items()))


def _term(term: dict[str, str] | None) -> str:
    """One SPARQL JSON term as N-Triples text ("" for unbound)."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    text = json.dumps(term["value"], ensure_ascii=False)
    if "xml:lang" in term:
        return f"{text}@{term['xml:lang']}"
    datatype = term.get("datatype", "http://www.w3.org/2001/XMLSchema#string")
    return text if datatype.endswith("#string") else f"{text}^^<{datatype}>"


def answers(data: Path, store: Path) -> dict[str, Any]:
    """Every run's columns and rows on the store, as the golden file holds them."""
    from kg.ingest import load_backbone
    from kg.newsletter.link import Linker
    from kg.queries import load_query, prepare
    from kg.query import run_bound

    linker = Linker(load_backbone(data))
    found: dict[str, Any] = {}
    for name, params in RUNS:
        results = run_bound(prepare(load_query(name), params, linker), store)
        assert isinstance(results, dict)
        names = results["head"]["vars"]
        rows = [[_term(row.get(n)) for n in names] for row in results["results"]["bindings"]]
        found[run_key(name, params)] = {"vars": names, "rows": rows}
    return found


def build_graph(folder: Path) -> tuple[Path, Path]:
    """The seeded synthetic data folder and its build in ``folder``; returns (data folder, store)."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import write_data_dir
    finally:
        sys.path.remove(str(REPO / "bench"))
    from kg.build import build

    data = folder / "data"
    write_data_dir(TRIPLES, data, seed=SEED, issues=ISSUES)
    report = build(data_dir=data, out_dir=folder / "build", laws_dir=None)
    return data, report.store_path


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The answers of this code on the 100k graph."""
    return answers(*build_graph(tmp_path_factory.mktemp("answers")))


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    """The golden answers."""
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as source:
        return dict(json.load(source))


@pytest.mark.parametrize("key", [run_key(name, params) for name, params in RUNS])
def test_every_named_query_answers_as_before(key: str, found: dict[str, Any], golden: dict[str, Any]) -> None:
    want, got = golden[key], found[key]
    assert got["vars"] == want["vars"]
    missing = _multiset_minus(want["rows"], got["rows"])
    extra = _multiset_minus(got["rows"], want["rows"])
    assert not missing and not extra, (
        f"{key}: {len(got['rows'])} rows, {len(want['rows'])} expected; "
        f"missing {missing[:3]} (of {len(missing)}), unexpected {extra[:3]} (of {len(extra)})"
    )


def test_the_golden_answers_are_not_empty(golden: dict[str, Any]) -> None:
    # The graph exercises the queries: most runs give rows (a few need data synth.py does not make).
    assert set(golden) == {run_key(name, params) for name, params in RUNS}
    assert sum(1 for answer in golden.values() if answer["rows"]) >= 27


def _multiset_minus(rows: list[list[str]], others: list[list[str]]) -> list[list[str]]:
    left: dict[tuple[str, ...], int] = {}
    for row in others:
        left[tuple(row)] = left.get(tuple(row), 0) + 1
    out = []
    for row in rows:
        if left.get(tuple(row), 0):
            left[tuple(row)] -= 1
        else:
            out.append(row)
    return out


def main() -> None:
    """``--rewrite``: build the graph and write the golden file from this code's answers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rewrite", action="store_true", help="write the golden file from this code's answers")
    args = parser.parse_args()
    if not args.rewrite:
        parser.error("nothing to do: pass --rewrite to write the golden file (pytest runs the comparison)")
    with tempfile.TemporaryDirectory() as tmp:
        found = answers(*build_graph(Path(tmp)))
    data = json.dumps(found, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8")
    # mtime fixed, so the same answers give the same bytes.
    with GOLDEN.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as sink:
        sink.write(data)
    print(f"wrote {GOLDEN} ({len(found)} runs, {sum(len(a['rows']) for a in found.values())} rows)")


if __name__ == "__main__":
    main()
