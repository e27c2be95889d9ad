"""The graph for people who would rather look: networkx exports for Gephi, Cytoscape and the web.

:func:`entity_graph` reads the entities (instruments, bodies, courts, places, cases, parties)
and the typed links between them out of the store with two SPARQL queries, into a networkx
``MultiDiGraph``: every node carries its English and Chinese names, type, date and source links;
every edge its property and a readable label. Filters keep a focus node's neighbourhood, some
types, or a date range. :func:`write` saves GraphML, GEXF, node-link JSON, Cytoscape JSON or CSV.

Literals never become nodes (``rdflib_to_networkx`` makes one of each, which at a million
triples costs several times more and draws nothing an analyst wants).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import DLK, PREFIXES, instance_prefixes
from kg.store import open_store

FORMATS = ("graphml", "gexf", "json", "cytoscape", "csv")

#: Entity types drawn, most specific first (a court case is a CourtCase, not just a Case).
TYPES = ("CourtCase", "EnforcementAction", "LegalInstrument", "Authority", "Court", "Jurisdiction", "Party", "NewsItem")
DEFAULT_TYPES = ("CourtCase", "EnforcementAction", "LegalInstrument", "Authority", "Court", "Jurisdiction", "Party")

_NODES = """
SELECT ?node ?type ?en ?zh ?date ?source WHERE {
  VALUES ?type { %s }
  ?node a ?type .
  OPTIONAL { ?node skos:prefLabel|dct:title|schema:headline ?en FILTER (lang(?en) = "en") }
  OPTIONAL { ?node skos:prefLabel ?zh FILTER (lang(?zh) = "zh") }
  OPTIONAL { ?node dct:date|eli:date_document|dlk:dateDraft ?date }
  OPTIONAL { { ?node dct:source ?source } UNION { ?node dlk:reportedIn/dct:source ?source } FILTER (isIRI(?source)) }
}
"""
_EDGES = """
SELECT DISTINCT ?s ?p ?o ?label WHERE {
  VALUES ?st { %s }
  VALUES ?ot { %s }
  ?s a ?st ; ?p ?o . ?o a ?ot .
  FILTER (?p != rdf:type)
  # A standard property the data states beside ours (org:subOrganizationOf beside dlk:parentBody)
  # is the same link: draw ours only.
  FILTER NOT EXISTS { ?own rdfs:subPropertyOf ?p . ?s ?own ?o }
  OPTIONAL { ?p rdfs:label ?label FILTER (lang(?label) = "en") }
}
"""


@dataclass(frozen=True)
class Filters:
    """What to keep: a focus node and a depth, some types, a date range (inclusive)."""

    focus: str | None = None
    depth: int = 2
    types: tuple[str, ...] = DEFAULT_TYPES
    since: dt.date | None = None
    until: dt.date | None = None


def _local(iri: str) -> str:
    return iri.rpartition("#")[2] if "#" in iri else iri.rpartition("/")[2]


def _edge_label(predicate: str, label: str | None) -> str:
    if label:
        return label
    local = _local(predicate)
    return "".join(" " + ch.lower() if ch.isupper() else ch for ch in local).replace("_", " ").strip()


def entity_graph(store_path: Path, filters: Filters = Filters()) -> nx.MultiDiGraph:
    """The entities of the store and the links between them, filtered, as a networkx multigraph."""
    unknown = sorted(set(filters.types) - set(TYPES))
    if unknown:
        raise InputError(f"unknown type(s) {', '.join(unknown)}; expected some of {', '.join(TYPES)}")
    types = [t for t in TYPES if t in filters.types]
    values = " ".join(f"<{DLK[t]}>" for t in types)
    prefixes = {**PREFIXES, **instance_prefixes()}
    graph = nx.MultiDiGraph()
    with open_store(store_path) as store:
        solutions = store.query(_NODES % values, use_default_graph_as_union=True, prefixes=prefixes)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            node = row["node"].value
            kind = _local(row["type"].value)
            attrs = graph.nodes[node] if node in graph else {}
            if node not in graph or TYPES.index(kind) < TYPES.index(attrs["type"]):
                graph.add_node(node, type=kind)
            data = graph.nodes[node]
            for key, term in (("label", row["en"]), ("label_zh", row["zh"]), ("date", row["date"])):
                if term is not None and key not in data:
                    data[key] = term.value
            if row["source"] is not None:
                sources = set(data.get("sources", "").split())
                sources.add(row["source"].value)
                data["sources"] = " ".join(sorted(sources))
        edges = store.query(_EDGES % (values, values), use_default_graph_as_union=True, prefixes=prefixes)
        assert isinstance(edges, ox.QuerySolutions)
        for row in edges:
            predicate = row["p"].value
            label = _edge_label(predicate, row["label"].value if row["label"] is not None else None)
            graph.add_edge(row["s"].value, row["o"].value, key=predicate, predicate=predicate, label=label)
    for node, data in graph.nodes(data=True):
        data.setdefault("label", _local(node))
        data.setdefault("label_zh", "")
        data.setdefault("date", "")
        data.setdefault("sources", "")
    return _filtered(graph, filters)


def _in_range(date: str, filters: Filters) -> bool:
    if not date:
        return True  # undated entities (bodies, places) stay: they are the frame the dated ones hang on
    day = dt.date.fromisoformat(date if len(date) == 10 else date[:7] + "-01")
    return (filters.since is None or day >= filters.since) and (filters.until is None or day <= filters.until)


def _filtered(graph: nx.MultiDiGraph, filters: Filters) -> nx.MultiDiGraph:
    if filters.since or filters.until:
        graph = graph.subgraph([n for n, d in graph.nodes(data=True) if _in_range(d["date"], filters)]).copy()
    if filters.focus:
        if filters.focus not in graph:
            raise InputError(f"focus {filters.focus!r} is not a node of the exported graph")
        near = nx.ego_graph(graph.to_undirected(as_view=True), filters.focus, radius=filters.depth)
        graph = graph.subgraph(near.nodes).copy()
    return graph


def sample(graph: nx.MultiDiGraph, max_nodes: int, keep: Iterable[str] = ()) -> tuple[nx.MultiDiGraph, bool]:
    """At most ``max_nodes`` nodes, the best connected first (and ``keep``); True when it had to cut."""
    if graph.number_of_nodes() <= max_nodes:
        return graph, False
    wanted = list(dict.fromkeys(keep))
    ranked = sorted(graph.degree, key=lambda pair: (-pair[1], pair[0]))
    wanted += [n for n, _ in ranked if n not in wanted][: max(0, max_nodes - len(wanted))]
    return graph.subgraph(wanted).copy(), True


def write(graph: nx.MultiDiGraph, fmt: str, out: Path) -> list[Path]:
    """Write ``graph`` as ``fmt`` to ``out`` (for csv, ``out`` is a folder: nodes.csv and edges.csv)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        nodes, edges = out / "nodes.csv", out / "edges.csv"
        with nodes.open("w", newline="", encoding="utf-8") as sink:
            writer = csv.writer(sink)
            writer.writerow(["id", "type", "label", "label_zh", "date", "sources"])
            for node, d in sorted(graph.nodes(data=True)):
                writer.writerow([node, d["type"], d["label"], d["label_zh"], d["date"], d["sources"]])
        with edges.open("w", newline="", encoding="utf-8") as sink:
            writer = csv.writer(sink)
            writer.writerow(["source", "target", "predicate", "label"])
            for s, o, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["predicate"])):
                writer.writerow([s, o, d["predicate"], d["label"]])
        return [nodes, edges]
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    elif fmt == "gexf":
        nx.write_gexf(graph, out)
    elif fmt == "json":
        out.write_text(json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False), encoding="utf-8")
    else:
        out.write_text(json.dumps(nx.cytoscape_data(graph), ensure_ascii=False), encoding="utf-8")
    return [out]


def read_back(fmt: str, path: Path) -> nx.MultiDiGraph:
    """Read an export back into networkx (for checks; csv reads the folder's two files)."""
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    if fmt == "cytoscape":
        return nx.cytoscape_graph(json.loads(path.read_text(encoding="utf-8")))
    graph = nx.MultiDiGraph()
    with (path / "nodes.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            graph.add_node(row.pop("id"), **row)
    with (path / "edges.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            graph.add_edge(
                row["source"], row["target"], key=row["predicate"], predicate=row["predicate"], label=row["label"]
            )
    return graph
