"""Exports for Gephi, Cytoscape and the web, read back by networkx and by the tools' own importers."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.export import (
    DEFAULT_TYPES,
    EXTENSIONS,
    FORMATS,
    TYPES,
    Filters,
    day,
    edge_id,
    entity_graph,
    laws,
    read_back,
    sample,
    write,
)
from kg.namespaces import DLK, PREFIXES, instance_prefixes
from kg.store import open_store

PIPL = "https://w3id.org/datalaw-kg/id/law/pipl"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "build"
    build(out_dir=out)
    return out / "store"


def test_nodes_carry_names_type_and_dates_and_edges_readable_labels(store: Path) -> None:
    graph = entity_graph(store)
    pipl = graph.nodes[PIPL]
    assert (pipl["label"], pipl["label_zh"], pipl["type"], pipl["date"]) == (
        "Personal Information Protection Law",
        "个人信息保护法",
        "LegalInstrument",
        "2021-08-20",
    )
    labels = {d["label"] for _, _, d in graph.edges(data=True)}
    assert {"based on", "passed by", "cites", "has jurisdiction"} <= labels
    assert not any(label.startswith("http") for label in labels)
    assert all(not str(n).startswith('"') for n in graph.nodes), "literals never become nodes"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_back_with_the_same_counts_and_labels(store: Path, tmp_path: Path, fmt: str) -> None:
    graph = entity_graph(store)
    out = tmp_path / ("graph-csv" if fmt == "csv" else f"graph.{EXTENSIONS[fmt]}")
    write(graph, fmt, out)
    back = read_back(fmt, out)
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    for node in (PIPL, "https://w3id.org/datalaw-kg/id/authority/cac"):
        assert back.nodes[node]["label"] == graph.nodes[node]["label"]
        assert back.nodes[node]["label_zh"] == graph.nodes[node]["label_zh"]
    assert sorted(d["label"] for _, _, d in back.edges(data=True)) == sorted(
        d["label"] for _, _, d in graph.edges(data=True)
    )


def test_filters_focus_types_and_dates(store: Path) -> None:
    near = entity_graph(store, Filters(focus=PIPL, depth=1))
    assert PIPL in near and "https://w3id.org/datalaw-kg/id/instrument/pi-outbound-standard-contract-measures" in near
    assert near.number_of_nodes() < entity_graph(store).number_of_nodes()
    only = entity_graph(store, Filters(types=("LegalInstrument", "Authority")))
    assert {d["type"] for _, d in only.nodes(data=True)} == {"LegalInstrument", "Authority"}
    recent = entity_graph(store, Filters(since=dt.date(2022, 1, 1), until=dt.date(2022, 12, 31)))
    dates = [d["date"] for _, d in recent.nodes(data=True) if d["date"]]
    assert dates and all("2022-01-01" <= (date if len(date) == 10 else date + "-01") <= "2022-12-31" for date in dates)


def test_large_graphs_are_sampled_keeping_the_focus(store: Path) -> None:
    graph = entity_graph(store)
    small, cut = sample(graph, 20, [PIPL])
    assert cut and small.number_of_nodes() == 20 and PIPL in small
    ring = set(graph.to_undirected(as_view=True).neighbors(PIPL))
    others = set(small) - {PIPL}
    assert others <= ring if len(ring) >= 19 else ring <= others, "the focus's own ring first, then the next"
    assert sample(graph, 10_000)[1] is False


def test_without_a_focus_the_sample_grows_from_the_laws_not_the_largest_class() -> None:
    # At a million triples the best-connected nodes are enforcement actions: a sample by degree
    # alone drew nothing else. Grown from the laws, it holds the laws and what is around them.
    graph = nx.MultiDiGraph()
    for law in ("law/a", "law/b"):
        graph.add_node(law, type="LegalInstrument", rank="law")
    for i in range(5):
        graph.add_node(f"rule/{i}", type="LegalInstrument", rank="departmental rule")
        graph.add_edge(f"rule/{i}", "law/a", key=f"r{i}")
    for i in range(300):
        graph.add_node(f"action/{i}", type="EnforcementAction", rank="")
        for j in range(1, 6):
            graph.add_edge(f"action/{i}", f"action/{(i + j) % 300}", key=f"a{i}-{j}")
    graph.add_edge("action/0", "law/b", key="cites")
    assert laws(graph) == ["law/a", "law/b"]
    drawn, cut = sample(graph, 10)
    assert cut and {"law/a", "law/b", "rule/0", "rule/4", "action/0"} <= set(drawn)
    assert sum(1 for _, d in drawn.nodes(data=True) if d["type"] == "EnforcementAction") <= 3


def test_graphml_edges_have_unique_ids_and_keep_their_property(store: Path, tmp_path: Path) -> None:
    graph = entity_graph(store)
    (out,) = write(graph, "graphml", tmp_path / "g.graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(out).getroot()
    keys = {k.get("attr.name"): k.get("id") for k in root.findall("g:key", ns) if k.get("for") == "edge"}
    edges = root.findall(".//g:edge", ns)
    assert len(edges) == graph.number_of_edges() > 500
    assert len({e.get("id") for e in edges}) == len(edges), "one GraphML id per edge"
    predicates = {d.text for e in edges for d in e.findall("g:data", ns) if d.get("key") == keys["predicate"]}
    assert "http://data.europa.eu/eli/ontology#based_on" in predicates and len(predicates) > 5


def test_gexf_nodes_and_edges_start_on_their_dates_for_gephis_timeline(store: Path, tmp_path: Path) -> None:
    graph = entity_graph(store)
    (out,) = write(graph, "gexf", tmp_path / "g.gexf")
    ns = {"x": "http://www.gexf.net/1.2draft"}
    root = ET.parse(out).getroot()
    element = root.find("x:graph", ns)
    assert element is not None and (element.get("mode"), element.get("timeformat")) == ("dynamic", "date")
    starts = {n.get("id"): n.get("start") for n in root.iterfind(".//x:node", ns)}
    for node, data in graph.nodes(data=True):
        assert starts[node] == (day(data["date"]) if data["date"] else None), node
    assert starts[PIPL] == "2021-08-20"
    edges = root.findall(".//x:edge", ns)
    assert len({e.get("id") for e in edges}) == len(edges) == graph.number_of_edges()
    for edge in edges:
        ends = [starts[edge.get(end)] for end in ("source", "target") if starts[edge.get(end)]]
        assert edge.get("start") == (max(ends) if ends else None)


def test_cytoscape_export_is_cyjs_with_ids_and_names(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert main(["export", "--store", str(store), "--format", "cytoscape", "--out", str(out / "g.cyjs")]) == EXIT_OK
    data = json.loads((out / "g.cyjs").read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert all(n["data"]["id"] and n["data"]["name"] for n in nodes)
    assert len({e["data"]["id"] for e in edges}) == len(edges) and all(e["data"]["predicate"] for e in edges)
    assert EXTENSIONS["cytoscape"] == "cyjs"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cytoscape"])
def test_every_export_loads_in_the_tools_own_importer(store: Path, tmp_path: Path, js_harness: Path, fmt: str) -> None:
    # graphology's parsers are what Gephi Lite runs; cytoscape.js is Cytoscape's own library.
    # Both refuse two edges with one id, which networkx's reader silently accepted.
    graph = entity_graph(store)
    (out,) = write(graph, fmt, tmp_path / f"graph.{EXTENSIONS[fmt]}")
    run = subprocess.run(
        ["node", str(js_harness / "load-exports.mjs"), fmt, str(out)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout)
    assert (seen["nodes"], seen["edges"]) == (graph.number_of_nodes(), graph.number_of_edges())
    assert seen["distinctEdgeIds"] == graph.number_of_edges()
    assert seen["nodeLabels"] == {n: d["label"] for n, d in graph.nodes(data=True)}
    assert seen["edgeLabels"] == sorted(d["label"] for _, _, d in graph.edges(data=True))
    assert seen["predicates"] == sorted({d["predicate"] for _, _, d in graph.edges(data=True)})


def test_cli_export_and_unknown_focus(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pipl.graphml"
    assert (
        main(["export", "--store", str(store), "--format", "graphml", "--focus", "PIPL", "--out", str(out)]) == EXIT_OK
    )
    assert out.stat().st_size > 1000
    assert main(["export", "--store", str(store), "--focus", "Nowhere Law"]) == EXIT_ERROR
    assert "no entity named" in capsys.readouterr().err


# The export as it was written before it was made fast at a million triples (issue 15): one
# plain query for the nodes and one for the links, each cell read by name, one row at a time.
# The export must give exactly what this gives: the same nodes, links and attributes, in the
# same order (which the GraphML, GEXF and JSON files keep).
_PLAIN_NODES = """
SELECT ?node ?type ?en ?zh ?date ?rank ?abbr ?source WHERE {
  VALUES ?type { %s }
  ?node a ?type .
  OPTIONAL { ?node skos:prefLabel|dct:title|schema:headline ?en FILTER (lang(?en) = "en") }
  OPTIONAL { ?node skos:prefLabel ?zh FILTER (lang(?zh) = "zh") }
  OPTIONAL { ?node dct:date|eli:date_document|dlk:dateDraft ?date }
  OPTIONAL { ?node dlk:legalRank/skos:prefLabel ?rank FILTER (lang(?rank) = "en") }
  OPTIONAL { ?node dlk:abbreviation ?abbr }
  OPTIONAL { { ?node dct:source ?source } UNION { ?node dlk:reportedIn/dct:source ?source } FILTER (isIRI(?source)) }
}
"""
_PLAIN_EDGES = """
SELECT DISTINCT ?s ?p ?o ?label WHERE {
  VALUES ?st { %s }
  VALUES ?ot { %s }
  ?s a ?st ; ?p ?o . ?o a ?ot .
  FILTER (?p != rdf:type)
  FILTER NOT EXISTS { ?own rdfs:subPropertyOf ?p . ?s ?own ?o }
  OPTIONAL { ?p rdfs:label ?label FILTER (lang(?label) = "en") }
}
"""


def _plain_entity_graph(store_path: Path, types: tuple[str, ...]) -> nx.MultiDiGraph:
    def local(iri: str) -> str:
        return iri.rpartition("#")[2] if "#" in iri else iri.rpartition("/")[2]

    values = " ".join(f"<{DLK[t]}>" for t in TYPES if t in types)
    prefixes = {**PREFIXES, **instance_prefixes()}
    graph = nx.MultiDiGraph()
    with open_store(store_path) as store:
        solutions = store.query(_PLAIN_NODES % values, use_default_graph_as_union=True, prefixes=prefixes)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            node, kind = row["node"].value, local(row["type"].value)
            if node not in graph or TYPES.index(kind) < TYPES.index(graph.nodes[node]["type"]):
                graph.add_node(node, type=kind)
            data = graph.nodes[node]
            for key, name in (("label", "en"), ("label_zh", "zh"), ("date", "date"), ("rank", "rank")):
                if row[name] is not None and key not in data:
                    data[key] = row[name].value
            if row["source"] is not None:
                data["sources"] = " ".join(sorted({*data.get("sources", "").split(), row["source"].value}))
            if row["abbr"] is not None:
                names = {*filter(None, data.get("abbreviations", "").split("; ")), row["abbr"].value}
                data["abbreviations"] = "; ".join(sorted(names, key=lambda a: (len(a), a)))
        edges = store.query(_PLAIN_EDGES % (values, values), use_default_graph_as_union=True, prefixes=prefixes)
        assert isinstance(edges, ox.QuerySolutions)
        for row in edges:
            s, p, o = row["s"].value, row["p"].value, row["o"].value
            label = row["label"].value if row["label"] is not None else None
            if not label:
                label = "".join(" " + c.lower() if c.isupper() else c for c in local(p)).replace("_", " ").strip()
            graph.add_edge(s, o, key=edge_id(s, p, o), predicate=p, label=label)
    for node, data in graph.nodes(data=True):
        data.setdefault("label", local(node))
        for key in ("label_zh", "date", "rank", "abbreviations", "sources"):
            data.setdefault(key, "")
    return graph


@pytest.mark.parametrize("types", [DEFAULT_TYPES, TYPES, ("CourtCase", "Court", "Authority")])
def test_the_export_gives_what_the_plain_queries_gave_in_the_same_order(
    store: Path, tmp_path: Path, types: tuple[str, ...]
) -> None:
    graph, plain = entity_graph(store, Filters(types=types)), _plain_entity_graph(store, types)
    assert [(n, list(d.items())) for n, d in graph.nodes(data=True)] == [
        (n, list(d.items())) for n, d in plain.nodes(data=True)
    ]
    assert [(s, o, k, list(d.items())) for s, o, k, d in graph.edges(keys=True, data=True)] == [
        (s, o, k, list(d.items())) for s, o, k, d in plain.edges(keys=True, data=True)
    ]
    assert graph.number_of_edges() > 500 if types == TYPES else graph.number_of_edges() > 50
    # Every format byte for byte as before, GraphML as networkx itself writes it.
    for fmt in FORMATS:
        name = "graph-csv" if fmt == "csv" else f"graph.{EXTENSIONS[fmt]}"
        ours = write(graph, fmt, tmp_path / "ours" / name)
        if fmt == "graphml":
            (tmp_path / "plain").mkdir(exist_ok=True)
            nx.write_graphml(plain, tmp_path / "plain" / name)
            theirs = [tmp_path / "plain" / name]
        else:
            theirs = write(plain, fmt, tmp_path / "plain" / name)
        assert [p.read_bytes() for p in ours] == [p.read_bytes() for p in theirs], fmt


def test_graphml_is_written_as_networkx_writes_it_whatever_the_values(tmp_path: Path) -> None:
    # Written without networkx for speed: the same bytes, escapes included; anything but
    # string values (and characters XML cannot hold) is left to networkx.
    odd = "a&b<c>d\"e'f\tg\nh\ri — 个人信息 \U0001f600 ]]> &amp;"
    graphs = [nx.MultiDiGraph(), nx.MultiDiGraph([("a", "b", "k")])]
    graph = nx.MultiDiGraph()
    graph.add_node("n1", type="T", label=odd, empty="")
    graph.add_node(odd, label="plain")
    graph.add_node("bare")
    graph.add_edge("n1", odd, key='e&1"<>\t\n', predicate=odd, label="x")
    graph.add_edge(odd, "bare", key="e2")
    graph.add_edge("bare", "n1", key="e3", label="only")
    graph.add_node("late", other="v")
    numbers = nx.MultiDiGraph()
    numbers.add_node("n", weight=3, label="x")
    numbers.add_edge("n", "n", key="e", weight=1.5)
    graphs += [graph, numbers]
    for i, g in enumerate(graphs):
        write(g, "graphml", tmp_path / f"ours{i}.graphml")
        nx.write_graphml(g, tmp_path / f"theirs{i}.graphml")
        assert (tmp_path / f"ours{i}.graphml").read_bytes() == (tmp_path / f"theirs{i}.graphml").read_bytes(), i
    bad = nx.MultiDiGraph()
    bad.add_node("n", label="bell \x07")
    with pytest.raises(ValueError, match="XML compatible"):
        write(bad, "graphml", tmp_path / "bad.graphml")
