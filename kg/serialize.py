"""Deterministic serialisations of a dataset: same graph in, same bytes out.

Turtle is rdflib's sorted ``longturtle``; N-Triples and N-Quads are sorted line
by line; JSON-LD is written with sorted nodes and keys. Two builds of the same
data therefore give byte-identical files, on any machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph

#: Dump file names, by format.
DUMP_FILES = {"turtle": "kg.ttl", "ntriples": "kg.nt", "nquads": "kg.nq", "jsonld": "kg.jsonld"}


def union_graph(dataset: Dataset) -> Graph:
    """All triples of every named graph in one graph, with the dataset's prefixes."""
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=True, replace=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _sorted_lines(text: str) -> str:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def to_turtle(dataset: Dataset) -> str:
    """Sorted Turtle of the union of all graphs."""
    return union_graph(dataset).serialize(format="longturtle")


def to_ntriples(dataset: Dataset) -> str:
    """Sorted N-Triples of the union of all graphs."""
    return _sorted_lines(union_graph(dataset).serialize(format="nt"))


def to_nquads(dataset: Dataset) -> str:
    """Sorted N-Quads, one named graph per part of the dataset."""
    return _sorted_lines(dataset.serialize(format="nquads"))


def to_jsonld(dataset: Dataset) -> str:
    """JSON-LD with a named graph per part, nodes sorted by id and keys sorted."""
    doc = json.loads(dataset.serialize(format="json-ld"))
    graphs = doc if isinstance(doc, list) else doc.get("@graph", [doc])
    for graph in graphs:
        if "@graph" in graph:
            graph["@graph"] = sorted(graph["@graph"], key=lambda node: node.get("@id", ""))
            for node in graph["@graph"]:
                for key, values in node.items():
                    if isinstance(values, list):
                        node[key] = sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    graphs = sorted(graphs, key=lambda g: g.get("@id", ""))
    return json.dumps(graphs, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def write_dumps(dataset: Dataset, folder: Path) -> list[Path]:
    """Write every dump format into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    writers = {"turtle": to_turtle, "ntriples": to_ntriples, "nquads": to_nquads, "jsonld": to_jsonld}
    written = []
    for fmt, name in DUMP_FILES.items():
        path = folder / name
        path.write_text(writers[fmt](dataset), encoding="utf-8")
        written.append(path)
    return written
