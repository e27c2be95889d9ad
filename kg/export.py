"""The graph for people who would rather look: networkx exports for Gephi, Cytoscape and the web.

:func:`entity_graph` reads the entities (instruments, bodies, courts, places, cases, parties)
and the typed links between them out of the store with two SPARQL queries (and two small ones:
property labels, sub-properties), into a networkx ``MultiDiGraph``: every node carries its
English and Chinese names, abbreviations, type, legal rank, date and source links;
every edge its property, a readable label and an id of its own. Filters keep a focus node's
neighbourhood, some types, or a date range. :func:`write` saves GraphML, GEXF, node-link JSON,
Cytoscape JSON (``.cyjs``) or CSV, each as the tools that read it expect:

* every edge has a unique id (a digest of subject, property and object: stable across runs and
  filters), since Gephi's importer keeps one edge per id and graphology refuses duplicates; the
  property stays an attribute (``predicate``);
* GEXF nodes carry a ``start`` date (an edge, the later of its ends'), so Gephi's timeline plays
  the graph in time; undated nodes (bodies, places) are there from the start;
* Cytoscape JSON has ``data.id`` on nodes and edges and ``name`` as the label, as Cytoscape
  desktop and cytoscape.js read it.

Literals never become nodes (``rdflib_to_networkx`` makes one of each, which at a million
triples costs several times more and draws nothing an analyst wants).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg import progress
from kg.errors import InputError
from kg.namespaces import DLK, PREFIXES, instance_prefixes
from kg.store import open_store

FORMATS = ("graphml", "gexf", "json", "cytoscape", "csv")
#: What every node carries (strings, "" when unknown), in the order of CSV columns.
NODE_ATTRIBUTES = ("type", "label", "label_zh", "date", "rank", "abbreviations", "sources")
#: The file name extension of each format (csv writes a folder).
EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "json": "json", "cytoscape": "cyjs"}

#: Entity types drawn, most specific first (a court case is a CourtCase, not just a Case).
TYPES = ("CourtCase", "EnforcementAction", "LegalInstrument", "Authority", "Court", "Jurisdiction", "Party", "NewsItem")
DEFAULT_TYPES = ("CourtCase", "EnforcementAction", "LegalInstrument", "Authority", "Court", "Jurisdiction", "Party")

# Both queries are laid out for the on-disk store at a million triples, where a lookup per node
# or per link (an OPTIONAL, a path, a FILTER EXISTS joined row by row) costs a RocksDB seek and
# the two queries took 15 s: each property is read in a subquery of its own, for every node that has
# it, and the subqueries are joined on ?node by hashing. Oxigraph keeps the first subquery's
# order, so the nodes come out class by class, in the order of ``%s``, as they always did.
_NODES = """
SELECT ?node ?type ?en ?zh ?date ?rank ?abbr ?source WHERE {
  { SELECT ?node ?type WHERE { VALUES ?type { %s } ?node a ?type } }
  OPTIONAL { SELECT ?node ?en WHERE { ?node skos:prefLabel|dct:title|schema:headline ?en FILTER (lang(?en) = "en") } }
  OPTIONAL { SELECT ?node ?zh WHERE { ?node skos:prefLabel ?zh FILTER (lang(?zh) = "zh") } }
  OPTIONAL { SELECT ?node ?date WHERE { ?node dct:date|eli:date_document|dlk:dateDraft ?date } }
  OPTIONAL { SELECT ?node ?rank WHERE { ?node dlk:legalRank/skos:prefLabel ?rank FILTER (lang(?rank) = "en") } }
  OPTIONAL { SELECT ?node ?abbr WHERE { ?node dlk:abbreviation ?abbr } }
  OPTIONAL {
    SELECT ?node ?source WHERE {
      { ?node dct:source ?source }
      UNION
      { { SELECT ?node ?item WHERE { ?node dlk:reportedIn ?item } } { SELECT ?item ?source WHERE { ?item dct:source ?source } } }
      FILTER (isIRI(?source))
    }
  }
}
"""
# Every link between two drawn nodes: each subject's links read from the subject (in the order
# the store keeps them), the objects' classes read once and joined by hashing. Which links a
# standard property restates (org:subOrganizationOf beside dlk:parentBody) and each property's
# label are looked up in memory, from the two small queries after it.
_EDGES = """
SELECT ?s ?p ?o WHERE {
  { SELECT ?s ?p ?o WHERE { VALUES ?st { %s } ?s a ?st ; ?p ?o . FILTER (?p != rdf:type) } }
  { SELECT ?o WHERE { VALUES ?ot { %s } ?o a ?ot } }
}
"""
_SUBPROPERTIES = "SELECT ?own ?p WHERE { ?own rdfs:subPropertyOf ?p }"
_PROPERTY_LABELS = 'SELECT ?p ?label WHERE { ?p rdfs:label ?label FILTER (lang(?label) = "en") }'


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


def edge_id(subject: str, predicate: str, obj: str) -> str:
    """A short id for one link, the same on every run and in every filtered export.

    Example:
        >>> edge_id("https://example.org/a", "https://example.org/cites", "https://example.org/b")
        'e3f9b5acb261bf066'

    """
    return "e" + hashlib.sha1(f"{subject} {predicate} {obj}".encode()).hexdigest()[:16]


def day(date: str) -> str:
    """An ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` value as a full date (the first day it covers).

    Example:
        >>> day("2022-01"), day("2021"), day("2021-08-20")
        ('2022-01-01', '2021-01-01', '2021-08-20')

    """
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


def entity_graph(store_path: Path, filters: Filters = Filters()) -> nx.MultiDiGraph:
    """The entities of the store and the links between them, filtered, as a networkx multigraph.

    Nodes are keyed by IRI; each edge's key is its :func:`edge_id`.
    """
    unknown = sorted(set(filters.types) - set(TYPES))
    if unknown:
        raise InputError(f"unknown type(s) {', '.join(unknown)}; expected some of {', '.join(TYPES)}")
    types = [t for t in TYPES if t in filters.types]
    values = " ".join(f"<{DLK[t]}>" for t in types)
    prefixes = {**PREFIXES, **instance_prefixes()}
    graph = nx.MultiDiGraph()
    with progress.task("reading the entities and their links from the store"), open_store(store_path) as store:

        def select(sparql: str) -> ox.QuerySolutions:
            solutions = store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)
            assert isinstance(solutions, ox.QuerySolutions)
            return solutions

        graph.add_nodes_from(_nodes(select, values))
        # The links name their ends with the nodes' own strings, not copies: at a million triples,
        # two copies of an IRI per link held by the graph for as long as it lives.
        graph.add_edges_from(_edges(select, values, {node: node for node in graph}))
    return _filtered(graph, filters)


def _nodes(select: Callable[[str], ox.QuerySolutions], values: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Each node of the classes in ``values`` with its attributes, in the order the store gives them.

    A node's attributes are in the order their values were found (type, then label, Chinese
    label, date, rank, sources, abbreviations as present), the missing ones after, as "":
    the exports write them in that order.
    """
    nodes: dict[str, dict[str, str]] = {}
    sources: dict[str, set[str]] = {}
    abbreviations: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    # Cells read by position: by name, pyoxigraph tries an integer index first and raises.
    for node_term, type_term, en, zh, date, rank, abbr, source in select(_NODES % values):
        node = node_term.value
        kind = kinds.get(type_term.value) or kinds.setdefault(type_term.value, _local(type_term.value))
        data = nodes.get(node)
        if data is None:
            data = nodes[node] = {"type": kind}
        elif TYPES.index(kind) < TYPES.index(data["type"]):
            data["type"] = kind  # the most specific class: a court case is a CourtCase, not just a Case
        for key, term in (("label", en), ("label_zh", zh), ("date", date), ("rank", rank)):
            if term is not None and key not in data:
                data[key] = term.value
        if source is not None:
            data.setdefault("sources", "")
            sources.setdefault(node, set()).add(source.value)
        if abbr is not None:
            data.setdefault("abbreviations", "")
            abbreviations.setdefault(node, set()).add(abbr.value)
    for node in list(nodes):
        data = nodes.pop(node)  # networkx keeps a copy: this one goes now, not after the last node
        if node in sources:
            data["sources"] = " ".join(sorted(sources[node]))
        if node in abbreviations:
            # Abbreviations may hold spaces ("PI Law"): joined with "; ", short ones first.
            data["abbreviations"] = "; ".join(sorted(filter(None, abbreviations[node]), key=lambda a: (len(a), a)))
        data.setdefault("label", _local(node))
        for key in NODE_ATTRIBUTES[2:]:
            data.setdefault(key, "")
        yield node, data


def _edges(
    select: Callable[[str], ox.QuerySolutions], values: str, known: dict[str, str]
) -> Iterator[tuple[str, str, str, dict[str, str]]]:
    """Each link between two nodes of the classes in ``values``: (subject, object, id, attributes).

    ``known`` maps each node's IRI to the one string that stands for it (properties are added).
    """
    restated: dict[str, list[str]] = {}
    for own, standard in select(_SUBPROPERTIES):
        restated.setdefault(standard.value, []).append(own.value)
    labels: dict[str, str] = {}
    for predicate_term, label in select(_PROPERTY_LABELS):
        labels[predicate_term.value] = label.value
    # The union of the graphs gives a link once per graph that states it: kept once, in first-seen order.
    links: dict[tuple[str, str, str], None] = {}
    for s, p, o in select(_EDGES % (values, values)):
        subject, predicate, obj = s.value, p.value, o.value
        links[known.get(subject, subject), known.setdefault(predicate, predicate), known.get(obj, obj)] = None
    readable: dict[str, str] = {}
    for subject, predicate, obj in links:
        # A standard property the data states beside ours (org:subOrganizationOf beside
        # dlk:parentBody) is the same link: draw ours only.
        if any((subject, own, obj) in links for own in restated.get(predicate, ())):
            continue
        label = readable.get(predicate)
        if label is None:
            label = readable[predicate] = _edge_label(predicate, labels.get(predicate))
        yield subject, obj, edge_id(subject, predicate, obj), {"predicate": predicate, "label": label}


def _in_range(date: str, filters: Filters) -> bool:
    if not date:
        return True  # undated entities (bodies, places) stay: they are the frame the dated ones hang on
    first = dt.date.fromisoformat(day(date))
    return (filters.since is None or first >= filters.since) and (filters.until is None or first <= filters.until)


def _filtered(graph: nx.MultiDiGraph, filters: Filters) -> nx.MultiDiGraph:
    if filters.since or filters.until:
        graph = graph.subgraph([n for n, d in graph.nodes(data=True) if _in_range(d["date"], filters)]).copy()
    if filters.focus:
        if filters.focus not in graph:
            raise InputError(f"focus {filters.focus!r} is not a node of the exported graph")
        near = nx.ego_graph(graph.to_undirected(as_view=True), filters.focus, radius=filters.depth)
        graph = graph.subgraph(near.nodes).copy()
    return graph


def laws(graph: nx.MultiDiGraph) -> list[str]:
    """The statutes in ``graph`` (instruments of legal rank "law"), best connected first."""
    found = [n for n, d in graph.nodes(data=True) if d.get("rank") == "law"]
    return sorted(found, key=lambda n: (-graph.degree(n), n))


def sample(graph: nx.MultiDiGraph, max_nodes: int, keep: Iterable[str] = ()) -> tuple[nx.MultiDiGraph, bool]:
    """At most ``max_nodes`` nodes around ``keep`` (by default the laws); True when it had to cut.

    The sample grows outwards from the seeds, one ring of neighbours at a time, the best
    connected of each ring first: the page opens on the statutes and what hangs on them
    rather than on whichever class is largest (at a million triples, enforcement actions).
    A graph without laws grows from its best-connected nodes.
    """
    if graph.number_of_nodes() <= max_nodes:
        return graph, False
    seeds = list(dict.fromkeys(keep)) or laws(graph)
    if not seeds:
        seeds = [n for n, _ in sorted(graph.degree, key=lambda pair: (-pair[1], pair[0]))[:1]]
    undirected = graph.to_undirected(as_view=True)
    chosen = dict.fromkeys(seeds[:max_nodes])
    ring = list(chosen)
    while ring and len(chosen) < max_nodes:
        following = {m for n in ring for m in undirected.neighbors(n) if m not in chosen}
        ring = sorted(following, key=lambda n: (-graph.degree(n), n))[: max_nodes - len(chosen)]
        chosen.update(dict.fromkeys(ring))
    if len(chosen) < max_nodes:  # other components: their best-connected nodes
        rest = sorted((n for n in graph if n not in chosen), key=lambda n: (-graph.degree(n), n))
        chosen.update(dict.fromkeys(rest[: max_nodes - len(chosen)]))
    return graph.subgraph(chosen).copy(), True


def write(graph: nx.MultiDiGraph, fmt: str, out: Path) -> list[Path]:
    """Write ``graph`` as ``fmt`` to ``out`` (for csv, ``out`` is a folder: nodes.csv and edges.csv)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    with progress.task(f"writing {fmt} to {out}"):
        return _write(graph, fmt, out)


def _write(graph: nx.MultiDiGraph, fmt: str, out: Path) -> list[Path]:
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        nodes, edges = out / "nodes.csv", out / "edges.csv"
        with nodes.open("w", newline="", encoding="utf-8") as sink:
            writer = csv.writer(sink)
            writer.writerow(["id", *NODE_ATTRIBUTES])
            for node, d in sorted(graph.nodes(data=True)):
                writer.writerow([node, *(d[key] for key in NODE_ATTRIBUTES)])
        with edges.open("w", newline="", encoding="utf-8") as sink:
            writer = csv.writer(sink)
            writer.writerow(["id", "source", "target", "predicate", "label"])
            for s, o, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[3]["predicate"])):
                writer.writerow([k, s, o, d["predicate"], d["label"]])
        return [nodes, edges]
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        if not _write_graphml(graph, out):
            # networkx writes a multigraph's edge keys as the GraphML edge ids: ours are unique.
            nx.write_graphml(graph, out)
    elif fmt == "gexf":
        nx.write_gexf(_timed(graph), out)
    elif fmt == "json":
        out.write_text(json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False), encoding="utf-8")
    else:
        out.write_text(json.dumps(cytoscape_data(graph), ensure_ascii=False), encoding="utf-8")
    return [out]


#: Characters XML 1.0 cannot hold (networkx, through lxml, refuses them with an error of its own).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """``value`` escaped as XML element text, as libxml2 escapes it."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return value


def _attribute(value: str) -> str:
    """``value`` escaped as an XML attribute value in double quotes, as libxml2 escapes it."""
    value = _text(value)
    if '"' in value or "\n" in value or "\t" in value:
        value = value.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return value


def _write_graphml(graph: nx.MultiDiGraph, out: Path) -> bool:
    """Write to ``out`` the GraphML ``nx.write_graphml`` writes for ``graph``, byte for byte, in about a quarter of its time.

    networkx builds an lxml element for every node, edge and value: at a million triples, 3 s
    of a 10 s budget. This streams the same text straight from the graph's attributes. False
    when the graph is not one it can write (graph attributes, a value other than a string,
    a character XML cannot hold): networkx then writes it, with the types it infers, or
    refuses it with its own error.
    """
    keys = _graphml_keys(graph)
    if keys is None:
        return False
    with out.open("w", encoding="utf-8") as sink:
        pieces: list[str] = []
        for piece in _graphml_pieces(graph, keys):
            pieces.append(piece)
            if len(pieces) >= 10_000:
                text = "".join(pieces)
                if _NOT_XML.search(text):
                    return False
                sink.write(text)
                pieces.clear()
        text = "".join(pieces)
        if _NOT_XML.search(text):
            return False
        sink.write(text)
    return True


def _graphml_keys(graph: nx.MultiDiGraph) -> dict[tuple[str, str], str] | None:
    """The GraphML key of each (attribute, scope), numbered in the order networkx meets them; None if not all strings."""
    if graph.graph:
        return None
    keys: dict[tuple[str, str], str] = {}
    for node, data in graph.nodes(data=True):
        if type(node) is not str:
            return None
        for name, value in data.items():
            if type(value) is not str or type(name) is not str:
                return None
            if (name, "node") not in keys:
                keys[(name, "node")] = f"d{len(keys)}"
    for _, _, key, data in graph.edges(keys=True, data=True):
        if type(key) is not str:
            return None
        for name, value in data.items():
            if type(value) is not str or type(name) is not str:
                return None
            if (name, "edge") not in keys:
                keys[(name, "edge")] = f"d{len(keys)}"
    return keys


def _graphml_pieces(graph: nx.MultiDiGraph, keys: dict[tuple[str, str], str]) -> Iterator[str]:
    """The GraphML text of ``graph`` in pieces, laid out as networkx and lxml lay it out."""
    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
    )
    for (name, scope), key in reversed(keys.items()):  # networkx declares the last key met first
        yield f'<key id="{key}" for="{scope}" attr.name="{_attribute(name)}" attr.type="string"/>\n'
    yield '<graph edgedefault="directed">'
    node_keys = {name: key for (name, scope), key in keys.items() if scope == "node"}
    for node, data in graph.nodes(data=True):
        if not data:
            yield f'<node id="{_attribute(node)}"/>\n'
            continue
        yield f'<node id="{_attribute(node)}">\n'
        for name, value in data.items():
            yield f'  <data key="{node_keys[name]}">{_text(value)}</data>\n'
        yield "</node>\n"
    edge_keys = {name: key for (name, scope), key in keys.items() if scope == "edge"}
    for s, o, k, data in graph.edges(keys=True, data=True):
        head = f'<edge source="{_attribute(s)}" target="{_attribute(o)}" id="{_attribute(k)}"'
        if not data:
            yield head + "/>\n"
            continue
        yield head + ">\n"
        for name, value in data.items():
            yield f'  <data key="{edge_keys[name]}">{_text(value)}</data>\n'
        yield "</edge>\n"
    yield "</graph></graphml>"


def _timed(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose dated nodes start on their date, and whose edges start when both ends exist (for GEXF)."""
    timed = graph.copy()
    for _, data in timed.nodes(data=True):
        if data.get("date"):
            data["start"] = day(data["date"])
    for s, o, k, data in timed.edges(keys=True, data=True):
        data["id"] = k
        starts = [timed.nodes[n]["start"] for n in (s, o) if "start" in timed.nodes[n]]
        if starts:
            data["start"] = max(starts)
    return timed


def cytoscape_data(graph: nx.MultiDiGraph) -> dict[str, object]:
    """The graph as Cytoscape JSON (``.cyjs``): ``data.id`` on every node and edge, ``name`` the English label."""
    nodes = [
        {"data": {"id": node, "name": data.get("label", node), **data}} for node, data in sorted(graph.nodes(data=True))
    ]
    edges = [
        {"data": {"id": key, "source": s, "target": o, "key": key, **data}}
        for s, o, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
    ]
    return {
        "format_version": "1.0",
        "generated_by": "datalaw-kg",
        "target_cytoscapejs_version": "~3.35",
        "data": {"name": "datalaw-kg"},
        "directed": True,
        "multigraph": True,
        "elements": {"nodes": nodes, "edges": edges},
    }


def read_back(fmt: str, path: Path) -> nx.MultiDiGraph:
    """Read an export back into networkx (for checks; csv reads the folder's two files)."""
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    graph = nx.MultiDiGraph()
    if fmt == "cytoscape":
        elements = json.loads(path.read_text(encoding="utf-8"))["elements"]
        for element in elements["nodes"]:
            graph.add_node(
                element["data"]["id"], **{k: v for k, v in element["data"].items() if k not in ("id", "name")}
            )
        for element in elements["edges"]:
            data = {k: v for k, v in element["data"].items() if k not in ("id", "source", "target", "key")}
            graph.add_edge(element["data"]["source"], element["data"]["target"], key=element["data"]["id"], **data)
        return graph
    with (path / "nodes.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            graph.add_node(row.pop("id"), **row)
    with (path / "edges.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            graph.add_edge(row["source"], row["target"], key=row["id"], predicate=row["predicate"], label=row["label"])
    return graph
