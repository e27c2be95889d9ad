"""Answers as data: SPARQL 1.1 result formats read back by rdflib, DataFrames with typed columns,
and parameter values that stay values (bound by the engine, or written by one strict serialiser)."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph as RdflibGraph
from rdflib import Literal, URIRef
from rdflib.query import Result

from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.errors import QueryError
from kg.newsletter.link import Linker
from kg.queries import load_query, load_query_file, parse_value, prepare, sparql_term
from kg.query import Graph, Session, run_bound, run_local, to_dataframe

CASES_CITING_PIPL = ["query", "cases-citing-law", "--param", "law=PIPL"]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_every_result_format_reads_back_in_rdflib(
    fmt: str, query_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CASES_CITING_PIPL, "--store", str(query_store), "--format", "json"]) == EXIT_OK
    expected = json.loads(capsys.readouterr().out)
    assert main([*CASES_CITING_PIPL, "--store", str(query_store), "--format", fmt]) == EXIT_OK
    text = capsys.readouterr().out
    parsed = Result.parse(io.BytesIO(text.encode("utf-8")), format=fmt)
    names = expected["head"]["vars"]
    assert [str(v) for v in parsed.vars] == names
    rows = [[row[v] for v in parsed.vars] for row in parsed]
    assert len(rows) == len(expected["results"]["bindings"]) == 6
    for got, want in zip(rows, expected["results"]["bindings"], strict=True):
        for term, name in zip(got, names, strict=True):
            if name not in want:
                assert term is None or (fmt == "csv" and str(term) == "")
                continue
            assert str(term) == want[name]["value"]
            if fmt != "csv":  # CSV keeps lexical forms only, by design; the others keep the terms
                if want[name]["type"] == "uri":
                    assert isinstance(term, URIRef)
                else:
                    assert isinstance(term, Literal)
                    assert term.language == want[name].get("xml:lang")
                    assert (str(term.datatype) if term.datatype else None) == want[name].get("datatype")
    if fmt == "tsv":
        assert text.splitlines()[0].startswith("?case\t?kind")
        assert "<https://w3id.org/datalaw-kg/id/enforcement/fixture-3-3>" in text


def test_a_notebook_sums_numbers_not_strings(query_store: Path) -> None:
    # What the README shows: a build folder (or the store) by str, a named query, a DataFrame.
    with Graph(str(query_store.parent)) as kg:
        fines = kg.df("fines-by-authority-year")
        cases = kg.df("cases-citing-law", law="PIPL")
        page = kg.df("cases-citing-law", law="PIPL", page=1)
        counted = kg.df("SELECT (COUNT(*) AS ?n) WHERE { ?c a dlk:Case }")
    assert fines["total_cny"].sum() == 500000 + 100000 + 230000
    assert str(fines["total_cny"].dtype) == "float64"
    assert str(fines["fine_year"].dtype) == "Int64" and list(fines["fine_year"]) == [2022, 2023, 2023]
    assert str(cases["date"].dtype).startswith("datetime64")
    assert cases["date"].isna().sum() == 1  # the suit reported without a date
    assert set(cases["title_lang"].dropna()) == {"en"}
    assert cases["cited_article"].dropna().tolist() == [38, 38]
    assert "_law_iri" not in cases.columns
    assert len(page) == 6 and int(counted["n"][0]) == 8


def test_session_takes_a_str_path_and_graph_takes_the_store_too(query_store: Path) -> None:
    with Session(str(query_store)) as kg:
        assert kg.select("SELECT ?law WHERE { ?law dlk:abbreviation 'PIPL' }") == [
            {"law": "https://w3id.org/datalaw-kg/id/law/pipl"}
        ]
    with Graph(query_store, in_memory=True) as kg:
        assert kg.df("laws-cited-most")["cases"].tolist() == [6, 2]
        with pytest.raises(QueryError, match="parameters go with a named query"):
            kg.df("SELECT * WHERE { ?s ?p ?o }", law="PIPL")


def test_dataframe_columns_by_datatype() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    results = {
        "head": {"vars": ["n", "d", "when", "flag", "name", "iri", "mixed"]},
        "results": {
            "bindings": [
                {
                    "n": {"type": "literal", "value": "3", "datatype": xsd + "integer"},
                    "d": {"type": "literal", "value": "2.5", "datatype": xsd + "decimal"},
                    "when": {"type": "literal", "value": "2023-01-02", "datatype": xsd + "date"},
                    "flag": {"type": "literal", "value": "true", "datatype": xsd + "boolean"},
                    "name": {"type": "literal", "value": "数据", "xml:lang": "zh"},
                    "iri": {"type": "uri", "value": "https://example.org/x"},
                    "mixed": {"type": "literal", "value": "2023-01", "datatype": xsd + "gYearMonth"},
                },
                {"mixed": {"type": "literal", "value": "2023-01-02", "datatype": xsd + "date"}},
            ]
        },
    }
    frame = to_dataframe(results)
    kinds = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert kinds["n"] == "Int64" and kinds["d"] == "float64" and kinds["flag"] == "boolean"
    assert kinds["when"].startswith("datetime64")
    assert {kinds[name] for name in ("name", "name_lang", "iri", "mixed")} == {"string"}
    assert list(frame.columns) == ["n", "d", "when", "flag", "name", "name_lang", "iri", "mixed"]
    assert frame["n"].isna().tolist() == [False, True]
    assert frame["name_lang"][0] == "zh" and frame["mixed"].tolist() == ["2023-01", "2023-01-02"]
    assert str(frame["when"].dtype).startswith("datetime64") and str(frame["d"].dtype) == "float64"


# Values stay values ------------------------------------------------------------------------

TRICKY = [
    'a "quoted" value',
    "back\\slash\\",
    "new\nline\r\n",
    "ends with \\",
    'multi\nline ending in \\"',
    "> { } < ; . # ?x $y",
    "数据 😀 é",
    "\\u0022 not a quote",
    "\\U00000022 nor this",
    "tab\tbell\b\f",
]


@pytest.mark.parametrize("value", TRICKY)
def test_the_serialiser_round_trips_through_oxigraph_and_rdflib(value: str) -> None:
    query = f"SELECT ?v WHERE {{ BIND ({sparql_term(Literal(value))} AS ?v) }}"
    assert next(iter(ox.Store().query(query)))["v"].value == value
    assert str(next(iter(RdflibGraph().query(query)))[0]) == value


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_round_trips(value: str) -> None:
    query = f"SELECT ?v WHERE {{ BIND ({sparql_term(Literal(value))} AS ?v) }}"
    assert next(iter(ox.Store().query(query)))["v"].value == value
    assert str(next(iter(RdflibGraph().query(query)))[0]) == value


@pytest.mark.parametrize(
    "iri", ["http://x y", "http://x>y", "http://x{y}", "no-scheme", "http://x\ny", 'http://x"y', "http://x\\y"]
)
def test_the_serialiser_refuses_what_is_no_iri(iri: str) -> None:
    with pytest.raises(QueryError, match="IRI"):
        sparql_term(URIRef(iri))


TWO_STRINGS = textwrap.dedent(
    """\
    #+ summary: Cases titled one of two strings
    #+ description: Two string parameters side by side, the shape of an injection.
    #+ params:
    #+   a: {type: string, required: true}
    #+   b: {type: string, required: true}
    #+ example: kg query two-strings --param a=x --param b=y
    PREFIX dct: <http://purl.org/dc/terms/>
    SELECT ?case $_a $_b WHERE { ?case dct:title ?title FILTER (STR(?title) = ?_a || STR(?title) = ?_b) }
    """
)
TITLES = {"Regulator fines Acme", "Acme fined a third time", "Shop fined for cameras"}


@pytest.fixture(scope="module")
def two_strings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("rq") / "two-strings.rq"
    path.write_text(TWO_STRINGS, encoding="utf-8")
    return load_query_file(path)


def _matches(two_strings, store: Path, a: str, b: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    bound = prepare(two_strings, {"a": a, "b": b}, None)
    engine, text = run_bound(bound, store), run_local(store, bound.text())
    assert isinstance(engine, dict) and isinstance(text, dict)
    return len(engine["results"]["bindings"]), len(text["results"]["bindings"])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("x\\", ') || true || ("'),  # a backslash that would eat the closing quote of a spliced value
        ('x" || "" = "', '") || true #'),
        ("x\n", '" ; } SELECT * { ?s ?p ?o } #'),
        ('multi\nline ending in \\"', "||true||"),
    ],
)
def test_two_string_parameters_match_no_more_rows_than_they_should(
    a: str, b: str, two_strings, query_store: Path
) -> None:  # type: ignore[no-untyped-def]
    assert _matches(two_strings, query_store, a, b) == (0, 0)
    assert _matches(two_strings, query_store, "Regulator fines Acme", b) == (1, 1)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(a=st.one_of(st.sampled_from(sorted(TITLES)), st.text()), b=st.text())
def test_generated_values_match_exactly_the_titles_they_spell(a: str, b: str, two_strings, query_store: Path) -> None:  # type: ignore[no-untyped-def]
    expected = len({a, b} & TITLES)
    assert _matches(two_strings, query_store, a, b) == (expected, expected)


def test_an_iri_parameter_with_a_space_is_one_clear_error(
    query_store: Path, linker: Linker, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(QueryError, match="is not an IRI"):
        parse_value(load_query("fact-provenance").params["node"], "http://x y", linker)
    code = main(["query", "fact-provenance", "--param", "node=http://x y", "--store", str(query_store)])
    err = capsys.readouterr().err
    assert code == EXIT_ERROR and err.count("\n") == 1 and "parameter 'node'" in err and "Traceback" not in err
